//! TOML front matter (Hugo and Zola write it between `+++` lines) read into
//! the YAML data model, so that `front_matter.rs` then reads it like YAML:
//! Zola's `[taxonomies]` lifted to the top level, its `[extra]` table handed
//! back apart, and the line of a top-level key from the TOML parser's spans.

use std::path::Path;

use serde_path_to_error::Segment;
use toml::Spanned;
use toml::de::{DeString, DeTable, DeValue};

use crate::diagnostic::{Diagnostic, line_column};

/// A `+++` block as YAML values.
#[derive(Debug)]
pub struct TomlMatter {
    /// Every top-level key, with the terms of `[taxonomies]` among them.
    pub value: serde_yaml::Value,
    /// The keys of Zola's `[extra]` table, which Zola templates read as
    /// `page.extra.KEY`.
    pub extra: serde_yaml::Mapping,
}

/// Reads TOML front matter (the text from the opening `+++` line on).
pub fn read(path: &Path, text: &str) -> Result<TomlMatter, Diagnostic> {
    let (skipped, body) = body(text);
    let table: toml::Table = body.parse().map_err(|e: toml::de::Error| {
        let diagnostic = Diagnostic::new(
            path,
            format!("malformed TOML front matter: {}", e.message()),
        );
        match e.span() {
            Some(span) => {
                let (line, column) = line_column(text, skipped + span.start);
                diagnostic.at(line, Some(column))
            }
            None => diagnostic,
        }
    })?;
    let mut value = to_yaml(toml::Value::Table(table));
    let mut extra = serde_yaml::Mapping::new();
    if let serde_yaml::Value::Mapping(map) = &mut value {
        if let Some(serde_yaml::Value::Mapping(taxonomies)) = map.remove("taxonomies") {
            for (key, terms) in taxonomies {
                map.entry(key).or_insert(terms);
            }
        }
        // Only a table: Hugo allows a top-level `extra` key of any kind.
        if let Some(serde_yaml::Value::Mapping(table)) = map.get("extra") {
            extra = table.clone();
            map.remove("extra");
        }
    }
    Ok(TomlMatter { value, extra })
}

/// The 1-based line of a top-level key (or table header, such as
/// `[[events]]`, or a term of `[taxonomies]`) in TOML front matter, as the
/// TOML parser read it.
pub fn key_line(text: &str, key: &str) -> Option<usize> {
    let (skipped, body) = body(text);
    let root = DeTable::parse(body).ok()?;
    let (name, _) = top_level(root.get_ref(), key)?;
    Some(line_column(text, skipped + name.span().start).0)
}

/// The 1-based line of the value at `path` (keys and list indices, as
/// `serde_path_to_error` records them) in TOML front matter, as deep as
/// the path leads; a top-level key may be a term of `[taxonomies]`.
pub fn value_line(text: &str, path: &serde_path_to_error::Path) -> Option<usize> {
    let (skipped, body) = body(text);
    let root = DeTable::parse(body).ok()?;
    let mut found: Option<&Spanned<DeValue>> = None;
    for segment in path.iter() {
        let next = match (segment, found.map(Spanned::get_ref)) {
            (Segment::Map { key }, None) => top_level(root.get_ref(), key).map(|(_, v)| v),
            (Segment::Map { key }, Some(DeValue::Table(table))) => {
                entry(table, key).map(|(_, v)| v)
            }
            (Segment::Seq { index }, Some(DeValue::Array(items))) => items.get(*index),
            _ => None,
        };
        match next {
            Some(value) => found = Some(value),
            None => break,
        }
    }
    Some(line_column(text, skipped + found?.span().start).0)
}

/// A key and its value in a TOML table.
type Entry<'t, 'i> = (&'t Spanned<DeString<'i>>, &'t Spanned<DeValue<'i>>);

fn entry<'t, 'i>(table: &'t DeTable<'i>, key: &str) -> Option<Entry<'t, 'i>> {
    table
        .iter()
        .find(|(name, _)| name.get_ref().as_ref() == key)
}

/// A top-level key, or a term of Zola's `[taxonomies]` (read as one).
fn top_level<'t, 'i>(root: &'t DeTable<'i>, key: &str) -> Option<Entry<'t, 'i>> {
    entry(root, key).or_else(|| match entry(root, "taxonomies")?.1.get_ref() {
        DeValue::Table(terms) => entry(terms, key),
        _ => None,
    })
}

/// The text after the opening `+++` and how many bytes came before it.
fn body(text: &str) -> (usize, &str) {
    let body = text.trim_start().strip_prefix("+++").unwrap_or(text);
    (text.len() - body.len(), body)
}

/// TOML values as YAML ones; dates and times become the strings they were
/// written as, which `Date` then reads.
fn to_yaml(value: toml::Value) -> serde_yaml::Value {
    use serde_yaml::Value;
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::Number(i.into()),
        toml::Value::Float(f) => Value::Number(f.into()),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Sequence(items.into_iter().map(to_yaml).collect()),
        toml::Value::Table(table) => Value::Mapping(
            table
                .into_iter()
                .map(|(k, v)| (Value::String(k), to_yaml(v)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ZOLA: &str = "+++\ntitle = \"Kazan\"\ndate = 2024-10-25\n\n[taxonomies]\ntags = [\"brics\"]\n\n[extra]\ncover = \"kazan.jpg\"\n\n[[events]]\ndate = 2024-10-22\ntitle = \"Summit\"\n";

    #[test]
    fn taxonomies_are_lifted_and_extra_is_handed_back_apart() {
        let matter = read(Path::new("a.md"), ZOLA).unwrap();
        let map = matter.value.as_mapping().unwrap();
        assert_eq!(
            map.get("tags"),
            Some(&serde_yaml::Value::from(vec!["brics"]))
        );
        assert!(!map.contains_key("taxonomies"));
        assert!(!map.contains_key("extra"));
        assert_eq!(matter.extra.get("cover"), Some(&"kazan.jpg".into()));
    }

    #[test]
    fn a_key_or_table_header_has_the_line_the_parser_read() {
        assert_eq!(key_line(ZOLA, "date"), Some(3));
        assert_eq!(key_line(ZOLA, "extra"), Some(8));
        assert_eq!(key_line(ZOLA, "events"), Some(11));
        assert_eq!(key_line(ZOLA, "cover"), None, "not a top-level key");
        assert_eq!(key_line("\n+++\ntitle = \"x\"\n", "title"), Some(3));
        assert_eq!(key_line(ZOLA, "tags"), Some(6), "a term of [taxonomies]");
    }

    #[test]
    fn malformed_toml_names_its_line() {
        let err = read(Path::new("a.md"), "+++\ntitle = \"x\"\ndate = \n").unwrap_err();
        assert_eq!(err.line, Some(3), "{err}");
        assert!(
            err.message.starts_with("malformed TOML front matter"),
            "{err}"
        );
    }
}
