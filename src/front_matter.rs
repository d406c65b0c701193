//! Splits the `---` block from a Markdown file's body and reads it into
//! `FrontMatter`: what the author wrote, typed, with every key briefly does not
//! know kept in `extra`. Checking what is required (a title, a date) is left to
//! `briefing.rs`. Every YAML call of the crate lives here and in `config.rs`.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

use crate::date::{Date, PartialDate};
use crate::diagnostic::Diagnostic;

/// Front matter as written, before any checking.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FrontMatter {
    pub title: Option<Text>,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    pub summary: Option<Text>,
    pub authors: Option<TextList>,
    pub author: Option<TextList>,
    pub draft: Option<bool>,
    pub slug: Option<Text>,
    pub weight: Option<i64>,
    pub events: Vec<EventMatter>,
    pub sources: Vec<SourceMatter>,
    /// Filled from the keys named in `tags_from`, not by serde.
    #[serde(skip)]
    pub tags: Vec<String>,
    /// Every key not named above, as written.
    #[serde(skip)]
    pub extra: BTreeMap<String, serde_yaml::Value>,
}

const KNOWN_KEYS: [&str; 11] = [
    "title", "date", "updated", "summary", "authors", "author", "draft", "slug", "weight",
    "events", "sources",
];

#[derive(Debug, Deserialize)]
pub struct EventMatter {
    pub date: PartialDate,
    #[serde(default)]
    pub end: Option<PartialDate>,
    pub title: Text,
}

#[derive(Debug, Deserialize)]
pub struct SourceMatter {
    pub title: Text,
    pub url: Text,
}

/// A string that also accepts a number or boolean as written (`slug: 2024`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text(pub String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Text, D::Error> {
        struct TextVisitor;
        impl Visitor<'_> for TextVisitor {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
        }
        deserializer.deserialize_any(TextVisitor)
    }
}

/// A list of strings that may also be written as one comma-separated string.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextList(pub Vec<String>);

impl<'de> Deserialize<'de> for TextList {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<TextList, D::Error> {
        let value = serde_yaml::Value::deserialize(deserializer)?;
        text_list(&value).map(TextList).map_err(de::Error::custom)
    }
}

fn text_list(value: &serde_yaml::Value) -> Result<Vec<String>, String> {
    use serde_yaml::Value;
    let scalar = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    let items = match value {
        Value::Null => Vec::new(),
        Value::Sequence(items) => items
            .iter()
            .map(|item| scalar(item).ok_or(()))
            .collect::<Result<Vec<_>, ()>>()
            .map_err(|_| "must be a list of plain words, e.g. [russia, ukraine]".to_string())?,
        other => match scalar(other) {
            Some(s) => s.split(',').map(str::to_string).collect(),
            None => {
                return Err("must be a list (e.g. [russia, ukraine]) or a string".to_string());
            }
        },
    };
    Ok(items
        .into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect())
}

/// A file split into its front matter and body.
pub struct Split<'a> {
    /// The YAML, from the start of the file up to the closing `---`, so that
    /// serde_yaml's line numbers are the file's.
    pub yaml: &'a str,
    pub body: &'a str,
    /// The 1-based line of the file where the body starts.
    pub body_line: usize,
}

/// Finds the `---` block at the top of `text` (blank lines may precede it).
pub fn split<'a>(path: &Path, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(Diagnostic::new(
            path,
            "the file is empty: a briefing starts with front matter between `---` lines, holding at least `title` and `date`",
        ));
    }
    let mut offset = 0;
    let mut opened_at = None;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let trimmed = line.trim_end();
        match opened_at {
            None if trimmed.is_empty() => {}
            None if trimmed == "---" => opened_at = Some(index + 1),
            None => {
                return Err(Diagnostic::new(
                    path,
                    "no front matter: start the file with a `---` line, then `title:` and `date:`, then another `---` line",
                )
                .at(index + 1, Some(1)));
            }
            Some(_) if trimmed == "---" || trimmed == "..." => {
                return Ok(Split {
                    yaml: &text[..offset],
                    body: &text[offset + line.len()..],
                    body_line: index + 2,
                });
            }
            Some(_) => {}
        }
        offset += line.len();
    }
    let line = opened_at.unwrap_or(1);
    Err(Diagnostic::new(
        path,
        "the front matter opened with `---` here is never closed: add a line `---` after its last key",
    )
    .at(line, Some(1)))
}

/// Reads the YAML of a split file. `tags_from` names the keys whose values
/// become tags.
pub fn parse(path: &Path, yaml: &str, tags_from: &[String]) -> Result<FrontMatter, Diagnostic> {
    let has_content = yaml
        .lines()
        .any(|l| !l.trim().is_empty() && l.trim() != "---" && !l.trim_start().starts_with('#'));
    if !has_content {
        return Ok(FrontMatter::default());
    }
    let mut matter: FrontMatter =
        serde_yaml::from_str(yaml).map_err(|e| yaml_error(path, &e, "front matter"))?;
    let raw: BTreeMap<String, serde_yaml::Value> = serde_yaml::from_str(yaml).map_err(|_| {
        Diagnostic::new(path, "the front matter must be a map of `key: value` lines").at(1, None)
    })?;
    for (key, value) in raw {
        if tags_from.contains(&key) {
            let tags = text_list(&value).map_err(|message| {
                let line = line_of_key(yaml, &key);
                Diagnostic::new(path, format!("`{key}` {message}")).at(line, Some(1))
            })?;
            matter.tags.extend(tags);
        } else if !KNOWN_KEYS.contains(&key.as_str()) {
            matter.extra.insert(key, value);
        }
    }
    Ok(matter)
}

/// The line of a top-level `key:` in a YAML text (1 when not found).
fn line_of_key(yaml: &str, key: &str) -> usize {
    yaml.lines()
        .position(|l| {
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map_or(1, |i| i + 1)
}

/// Turns a serde_yaml error into a diagnostic at the line and column it names.
pub fn yaml_error(path: &Path, error: &serde_yaml::Error, what: &str) -> Diagnostic {
    let text = error.to_string();
    // serde_yaml appends " at line L column C" (the location we report
    // apart); libyaml may add ", while scanning ... at line L column C".
    let message = match text.find(" at line ") {
        Some(i) if error.location().is_some() => {
            let end = text[i..].find(',').map_or(text.len(), |j| i + j);
            format!("{}{}", &text[..i], &text[end..])
        }
        _ => text,
    };
    let syntax = [
        "did not find expected",
        "while parsing",
        "while scanning",
        "mapping values are not allowed",
        "found character",
        "unexpected end",
    ];
    let message = if syntax.iter().any(|s| message.contains(s)) {
        format!("malformed {what}: {message}")
    } else {
        message
    };
    let diagnostic = Diagnostic::new(path, message);
    match error.location() {
        Some(location) => diagnostic.at(location.line(), Some(location.column())),
        None => diagnostic,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags() -> Vec<String> {
        vec!["tags".into(), "categories".into()]
    }

    #[test]
    fn splits_and_keeps_file_line_numbers() {
        let text = "\n---\ntitle: A\ndate: 2024-10-25\n---\nBody\n---\nmore\n";
        let split = split(Path::new("a.md"), text).unwrap();
        assert_eq!(split.body, "Body\n---\nmore\n");
        assert_eq!(split.body_line, 6);
        let matter = parse(Path::new("a.md"), split.yaml, &tags()).unwrap();
        assert_eq!(matter.title, Some(Text("A".into())));
    }

    #[test]
    fn unclosed_front_matter_names_the_opening_line() {
        let err = split(Path::new("a.md"), "---\ntitle: A\n").err().unwrap();
        assert_eq!(err.line, Some(1));
        assert!(err.message.contains("never closed"), "{}", err.message);
    }

    #[test]
    fn tags_as_list_or_string_and_extra_kept() {
        let yaml =
            "---\ntitle: A\ntags: Russia, North Korea\ncategories: [brics]\nconfidence: high\n";
        let matter = parse(Path::new("a.md"), yaml, &tags()).unwrap();
        assert_eq!(matter.tags, vec!["brics", "Russia", "North Korea"]);
        assert_eq!(
            matter.extra.get("confidence"),
            Some(&serde_yaml::Value::String("high".into()))
        );
    }

    #[test]
    fn bad_values_point_at_their_line() {
        let err = parse(Path::new("a.md"), "---\ntitle: A\ntags: {a: 1}\n", &tags())
            .err()
            .unwrap();
        assert_eq!(err.line, Some(3));
        assert!(
            err.message.contains("`tags` must be a list"),
            "{}",
            err.message
        );

        let err = parse(
            Path::new("a.md"),
            "---\ntitle: A\ndate: 2024-02-30\n",
            &tags(),
        )
        .err()
        .unwrap();
        assert_eq!(err.line, Some(3), "{err}");
        assert!(err.message.contains("February 2024 has 29 days"), "{err}");

        let err = parse(
            Path::new("a.md"),
            "---\ntitle: [unclosed\ndate: 2024-01-01\n",
            &tags(),
        )
        .err()
        .unwrap();
        assert!(err.line.is_some(), "{err}");
    }
}
