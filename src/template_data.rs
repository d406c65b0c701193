//! `load_data(path=…)`: a YAML, TOML, JSON or CSV file inside the site
//! folder (by convention under `data/`) as a template value. A path that is
//! absolute, climbs out with `..`, or leads out through a symlink is
//! refused. Each file is read and parsed once per build however many pages
//! ask for it; the engine asks `read` which files were loaded, so that an
//! edit to one of them re-renders the pages (see `engine.rs`).

use std::collections::{BTreeSet, HashMap};
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use tera::Value;

/// The conventional folder of data files (watched by `serve`).
pub const DATA_DIR: &str = "data";

/// The data files of one site, read on first use.
pub struct DataFiles {
    /// The site folder, canonical.
    root: PathBuf,
    /// (Canonical path, format) -> its value (or why it could not be
    /// loaded).
    loaded: Mutex<HashMap<(PathBuf, String), Result<Value, String>>>,
}

impl DataFiles {
    pub fn new(root: &Path) -> DataFiles {
        DataFiles {
            root: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
            loaded: Mutex::new(HashMap::new()),
        }
    }

    /// The files loaded since the last `forget`, canonical.
    pub fn read(&self) -> BTreeSet<PathBuf> {
        let loaded = self.loaded.lock().expect("no panic holding it");
        loaded.keys().map(|(file, _)| file.clone()).collect()
    }

    /// Forgets every loaded file (one changed).
    pub fn forget(&self) {
        self.loaded.lock().expect("no panic holding it").clear();
    }

    /// `load_data(path=…, format=…, required=…)`.
    pub fn load(&self, path: &str, format: Option<&str>, required: bool) -> Result<Value, String> {
        if path.contains("://") {
            return Err(format!(
                "load_data(path=\"{path}\"): briefly reads files in the site folder only, never URLs"
            ));
        }
        let file = self.inside(path)?;
        if !file.exists() && !required {
            return Ok(Value::none());
        }
        let file = file.canonicalize().map_err(|e| {
            format!("load_data(path=\"{path}\"): cannot read {path}: {e} (paths are from the site folder, e.g. \"data/authors.yaml\")")
        })?;
        if !file.starts_with(&self.root) {
            return Err(format!(
                "load_data(path=\"{path}\"): the file leads out of the site folder (through a symlink); keep data files inside it, e.g. under data/"
            ));
        }
        let format = match format {
            Some(f) => f.to_ascii_lowercase(),
            None => file
                .extension()
                .map(|e| e.to_string_lossy().to_ascii_lowercase())
                .unwrap_or_default(),
        };
        let key = (file, format);
        if let Some(known) = self.loaded.lock().expect("no panic holding it").get(&key) {
            return known.clone();
        }
        let (file, format) = &key;
        let value = std::fs::read_to_string(file)
            .map_err(|e| format!("cannot read {path}: {e}"))
            .and_then(|text| parse(&text, format))
            .map_err(|e| format!("load_data(path=\"{path}\"): {e}"));
        self.loaded
            .lock()
            .expect("no panic holding it")
            .insert(key, value.clone());
        value
    }

    /// `path` under the site folder, refused when it is absolute or climbs
    /// out with `..`.
    fn inside(&self, path: &str) -> Result<PathBuf, String> {
        let relative = match path.strip_prefix("@/") {
            Some(rest) => Path::new(crate::config::CONTENT_DIR).join(rest),
            None => PathBuf::from(path),
        };
        let escapes = relative.components().any(|c| {
            matches!(
                c,
                Component::ParentDir | Component::RootDir | Component::Prefix(_)
            )
        });
        if path.is_empty() || escapes || path.starts_with(['/', '\\']) {
            return Err(format!(
                "load_data(path=\"{path}\"): give a path inside the site folder, without `..` and not absolute, e.g. \"data/authors.yaml\""
            ));
        }
        Ok(self.root.join(relative))
    }
}

/// A file's text as a value, by format (its extension or `format=`).
fn parse(text: &str, format: &str) -> Result<Value, String> {
    match format {
        "yaml" | "yml" => crate::front_matter::yaml_value(text)
            .map(|v| Value::from_serializable(&v))
            .map_err(|e| format!("YAML: {e}")),
        "toml" => text
            .parse::<toml::Table>()
            .map(|v| Value::from_serializable(&v))
            .map_err(|e| format!("TOML: {e}")),
        "json" => serde_json::from_str::<serde_json::Value>(text)
            .map(|v| Value::from_serializable(&v))
            .map_err(|e| format!("JSON: {e}")),
        "csv" => csv_value(text).map_err(|e| format!("CSV: {e}")),
        "plain" | "txt" | "text" => Ok(Value::from(text)),
        other => Err(format!(
            "unknown format `{other}`: briefly reads yaml, toml, json, csv and plain (give `format=` for another extension)"
        )),
    }
}

/// A CSV file as Zola gives it: `{ headers: [...], records: [[...], ...] }`.
fn csv_value(text: &str) -> Result<Value, String> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| e.to_string())?
        .iter()
        .map(str::to_string)
        .collect();
    let mut records = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| e.to_string())?;
        records.push(record.iter().map(str::to_string).collect::<Vec<_>>());
    }
    #[derive(serde::Serialize)]
    struct Csv {
        headers: Vec<String>,
        records: Vec<Vec<String>>,
    }
    Ok(Value::from_serializable(&Csv { headers, records }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_is_headers_and_records() {
        let v = csv_value("name,desk\nAna,\"Asia, east\"\n").unwrap();
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            r#"{"headers":["name","desk"],"records":[["Ana","Asia, east"]]}"#
        );
    }

    #[test]
    fn paths_leaving_the_site_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let data = DataFiles::new(dir.path());
        for path in ["/etc/passwd", "../x.json", "data/../../x.json", ""] {
            let err = data.load(path, None, true).unwrap_err();
            assert!(err.contains("inside the site folder"), "{path}: {err}");
        }
    }
}
