//! Shared helpers: copy a fixture site into a temp folder, run the real
//! `briefly` binary on it, and read what it wrote.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use scraper::{Html, Selector};
use walkdir::WalkDir;

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// A fixture from `tests/fixtures/<name>` copied into a fresh temp folder.
pub fn fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    for entry in WalkDir::new(&from) {
        let entry = entry.expect("fixture readable");
        let to = dir.path().join(entry.path().strip_prefix(&from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&to).unwrap();
        } else {
            fs::copy(entry.path(), &to).unwrap();
        }
    }
    dir
}

/// Runs `briefly <args>` in `dir`.
pub fn briefly(dir: &Path, args: &[&str]) -> Run {
    briefly_with(dir, args, &[])
}

/// Runs `briefly <args>` in `dir` with these environment variables.
pub fn briefly_with(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_briefly"))
        .args(args)
        .current_dir(dir)
        .envs(env.iter().copied())
        .output()
        .expect("briefly runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Builds the site in `dir` and insists it worked.
pub fn build_ok(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["build"];
    all.extend_from_slice(args);
    let run = briefly(dir, &all);
    assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
    run
}

/// Every file under `dir` with its bytes, by relative path.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

pub fn read(path: impl AsRef<Path>) -> String {
    let path = path.as_ref();
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn html(path: impl AsRef<Path>) -> Html {
    Html::parse_document(&read(path))
}

/// The texts of every element matching `selector`.
pub fn texts(doc: &Html, selector: &str) -> Vec<String> {
    let selector = Selector::parse(selector).unwrap();
    doc.select(&selector)
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

/// Every `href`/`src` in every HTML file of `output` that points inside the
/// site (root-relative under `root_path`, or absolute under `base_url`) and
/// does not resolve to a file: (page, link).
pub fn broken_internal_links(
    output: &Path,
    base_url: &str,
    root_path: &str,
) -> Vec<(String, String)> {
    let selector =
        Selector::parse("a[href], link[href], img[src], script[src], source[src]").unwrap();
    let mut broken = Vec::new();
    let mut checked = 0;
    for (path, bytes) in snapshot(output) {
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let doc = Html::parse_document(&String::from_utf8(bytes).unwrap());
        for element in doc.select(&selector) {
            let link = element.attr("href").or(element.attr("src")).unwrap();
            let Some(target) = resolve(link, &path, base_url, root_path) else {
                continue;
            };
            checked += 1;
            let file = output.join(&target);
            let exists = if target.is_empty() || target.ends_with('/') {
                file.join("index.html").is_file()
            } else {
                file.is_file() || file.join("index.html").is_file()
            };
            if !exists {
                broken.push((path.display().to_string(), link.to_string()));
            }
        }
    }
    assert!(
        checked > 20,
        "only {checked} internal links were found: the check would prove nothing"
    );
    broken
}

/// The output-relative target of an internal link, or None for external ones.
fn resolve(link: &str, page: &Path, base_url: &str, root_path: &str) -> Option<String> {
    let link = link.split(['#', '?']).next().unwrap();
    if link.is_empty() {
        return None;
    }
    if let Some(rest) = link.strip_prefix(base_url) {
        return Some(rest.to_string());
    }
    if link.contains("://") || link.starts_with("mailto:") || link.starts_with("//") {
        return None;
    }
    if link.starts_with('/') {
        // A root-relative link outside the sub-path cannot resolve once deployed.
        return Some(
            link.strip_prefix(root_path)
                .map_or_else(|| format!("../outside{link}"), str::to_string),
        );
    }
    let dir = page.parent().unwrap_or(Path::new(""));
    Some(dir.join(link).display().to_string())
}

/// A build leaves no temporary folder beside its output.
pub fn assert_no_staging_left(site: &Path) {
    let leftovers: Vec<_> = fs::read_dir(site)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        // The lock file stays, by design; temporary folders must not.
        .filter(|n| n.starts_with(".public") && n != ".public.lock")
        .collect();
    assert!(
        leftovers.is_empty(),
        "temporary folders left behind: {leftovers:?}"
    );
}

/// What the search index (`search-index/`) says of `term`, looked up as
/// `search.js` does: the manifest names the shard whose range holds it;
/// each posting's briefing number leads to its block. `read` gets a file
/// of the index by its path under `search-index/`. Returns (URL, weight)
/// per briefing holding the term, and whether the term is partial.
pub fn search_lookup(read: &dyn Fn(&str) -> String, term: &str) -> (Vec<(String, u64)>, bool) {
    let manifest: serde_json::Value = serde_json::from_str(&read("index.json")).unwrap();
    assert_eq!(manifest["version"], 1);
    let shards = manifest["shards"].as_array().unwrap();
    let Some(k) = shards.iter().rposition(|s| s[0].as_str().unwrap() <= term) else {
        return (Vec::new(), false);
    };
    let hash = shards[k][1].as_str().unwrap();
    let shard: serde_json::Value =
        serde_json::from_str(&read(&format!("terms/{k}-{hash}.json"))).unwrap();
    let partial = shard["partial"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t == term);
    let Some(postings) = shard["terms"][term].as_array() else {
        return (Vec::new(), partial);
    };
    let block = manifest["block"].as_u64().unwrap();
    let chars = manifest["hash"].as_u64().unwrap() as usize;
    let blocks = manifest["blocks"].as_str().unwrap();
    let mut doc = 0;
    let mut found = Vec::new();
    for pair in postings.chunks(2) {
        doc += pair[0].as_u64().unwrap();
        let n = doc / block;
        let hash = &blocks[n as usize * chars..(n as usize + 1) * chars];
        let rows: serde_json::Value =
            serde_json::from_str(&read(&format!("briefings/{n}-{hash}.json"))).unwrap();
        let url = rows[(doc % block) as usize][0]
            .as_str()
            .unwrap()
            .to_string();
        found.push((url, pair[1].as_u64().unwrap()));
    }
    (found, partial)
}
