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
    /// Hugo's publishing dates (also kept in `extra` as written): see
    /// `moved_in.rs`.
    #[serde(rename = "publishDate", alias = "publishdate")]
    pub publish_date: Option<Date>,
    #[serde(rename = "pubDate", alias = "pubdate")]
    pub pub_date: Option<Date>,
    #[serde(rename = "expiryDate", alias = "expirydate", alias = "unpublishdate")]
    pub expiry_date: Option<Date>,
    /// Jekyll's `categories` and `category` as a list, whether or not
    /// `tags_from` names them (for the `:categories` permalink placeholder).
    #[serde(skip)]
    pub categories: Vec<String>,
    /// Filled from the keys named in `tags_from`, not by serde.
    #[serde(skip)]
    pub tags: Vec<String>,
    /// Every key not named above, as written.
    #[serde(skip)]
    pub extra: BTreeMap<String, serde_yaml::Value>,
    /// What was read but deserves a word (a key written twice).
    #[serde(skip)]
    pub warnings: Vec<Diagnostic>,
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
    /// The front matter, from the start of the file up to the closing line,
    /// so that the parser's line numbers are the file's.
    pub yaml: &'a str,
    /// TOML between `+++` lines (Hugo, Zola) rather than YAML.
    pub toml: bool,
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
    let mut toml = false;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let trimmed = line.trim_end();
        match opened_at {
            None if trimmed.is_empty() => {}
            None if trimmed == "---" => opened_at = Some(index + 1),
            None if trimmed == "+++" => {
                opened_at = Some(index + 1);
                toml = true;
            }
            None => {
                return Err(Diagnostic::new(
                    path,
                    "no front matter: start the file with a `---` line, then `title:` and `date:`, then another `---` line",
                )
                .at(index + 1, Some(1)));
            }
            Some(_)
                if (!toml && (trimmed == "---" || trimmed == "..."))
                    || (toml && trimmed == "+++") =>
            {
                return Ok(Split {
                    yaml: &text[..offset],
                    toml,
                    body: &text[offset + line.len()..],
                    body_line: index + 2,
                });
            }
            Some(_) => {}
        }
        offset += line.len();
    }
    let line = opened_at.unwrap_or(1);
    let fence = if toml { "+++" } else { "---" };
    Err(Diagnostic::new(
        path,
        format!("the front matter opened with `{fence}` here is never closed: add a line `{fence}` after its last key"),
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
    let (yaml, repeated) = keep_last_keys(yaml);
    let yaml = yaml.as_ref();
    // libyaml reads the text once, into a value; the typed fields and the
    // free keys are both taken from that value. Only when the typed reading
    // fails is the text read again, for an error with its line and column.
    let typed_error = |error: serde_yaml::Error| {
        let located = serde_yaml::from_str::<FrontMatter>(yaml).err();
        yaml_error(path, located.as_ref().unwrap_or(&error), "front matter")
    };
    let value: serde_yaml::Value = serde_yaml::from_str(yaml).map_err(typed_error)?;
    let mut matter = FrontMatter::deserialize(&value).map_err(typed_error)?;
    let raw: BTreeMap<String, serde_yaml::Value> = serde_yaml::from_value(value).map_err(|_| {
        Diagnostic::new(path, "the front matter must be a map of `key: value` lines").at(1, None)
    })?;
    matter.warnings = repeated
        .into_iter()
        .map(|(line, key, times)| {
            Diagnostic::new(
                path,
                format!("`{key}` is written {times} times; the last one, here, is used"),
            )
            .at(line, Some(1))
        })
        .collect();
    sort_keys(path, yaml, matter, raw, tags_from)
}

/// A top-level key written more than once keeps its last value, as Hugo
/// and Jekyll do: the earlier blocks are blanked out (keeping the line
/// numbers). Returns the text and, per repeated key, the line of the kept
/// block, the key and how many times it was written.
fn keep_last_keys(yaml: &str) -> (std::borrow::Cow<'_, str>, Vec<(usize, String, usize)>) {
    let lines: Vec<&str> = yaml.split_inclusive('\n').collect();
    let key_of = |line: &str| -> Option<String> {
        let first = line.chars().next()?;
        if first.is_whitespace() || matches!(first, '#' | '-' | '.' | '[' | '{') {
            return None;
        }
        let (key, _) = line.split_once(':')?;
        Some(key.trim().trim_matches(['"', '\'']).to_string())
    };
    // Each block: (key, first line index, end line index exclusive).
    let mut blocks: Vec<(String, usize, usize)> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if let Some(key) = key_of(line) {
            if let Some(last) = blocks.last_mut() {
                last.2 = i;
            }
            blocks.push((key, i, lines.len()));
        } else if line.trim_end() == "---"
            && let Some(last) = blocks.last_mut()
        {
            last.2 = last.2.min(i);
        }
    }
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for (key, _, _) in &blocks {
        *counts.entry(key).or_default() += 1;
    }
    if counts.values().all(|&n| n == 1) {
        return (std::borrow::Cow::Borrowed(yaml), Vec::new());
    }
    let mut blank = vec![false; lines.len()];
    let mut repeated = Vec::new();
    for (index, (key, start, end)) in blocks.iter().enumerate() {
        let later = blocks[index + 1..].iter().any(|(k, _, _)| k == key);
        if later {
            blank[*start..*end].iter_mut().for_each(|b| *b = true);
        } else if counts[key.as_str()] > 1 {
            repeated.push((start + 1, key.clone(), counts[key.as_str()]));
        }
    }
    let text = lines
        .iter()
        .zip(&blank)
        .map(|(line, &b)| if b { "\n" } else { line })
        .collect::<String>();
    (std::borrow::Cow::Owned(text), repeated)
}

/// Reads TOML front matter (the text from the opening `+++` line on):
/// converted to the YAML data model, with Zola's `[taxonomies]` lifted to
/// the top level, then read like YAML.
pub fn parse_toml(
    path: &Path,
    text: &str,
    tags_from: &[String],
) -> Result<FrontMatter, Diagnostic> {
    let body = text.trim_start().strip_prefix("+++").unwrap_or(text);
    let skipped = text.len() - body.len();
    let table: toml::Table = body.parse().map_err(|e: toml::de::Error| {
        let diagnostic = Diagnostic::new(
            path,
            format!("malformed TOML front matter: {}", e.message()),
        );
        match e.span() {
            Some(span) => {
                let (line, column) = crate::diagnostic::line_column(text, skipped + span.start);
                diagnostic.at(line, Some(column))
            }
            None => diagnostic,
        }
    })?;
    let mut value = toml_to_yaml(toml::Value::Table(table));
    if let serde_yaml::Value::Mapping(map) = &mut value
        && let Some(serde_yaml::Value::Mapping(taxonomies)) = map.remove("taxonomies")
    {
        for (key, terms) in taxonomies {
            map.entry(key).or_insert(terms);
        }
    }
    let invalid =
        |e: serde_yaml::Error| Diagnostic::new(path, format!("front matter: {e}")).at(1, None);
    let matter = FrontMatter::deserialize(&value).map_err(invalid)?;
    let raw: BTreeMap<String, serde_yaml::Value> =
        serde_yaml::from_value(value).map_err(invalid)?;
    sort_keys(path, "", matter, raw, tags_from)
}

/// TOML values as YAML ones; dates and times become the strings they were
/// written as, which `Date` then reads.
fn toml_to_yaml(value: toml::Value) -> serde_yaml::Value {
    use serde_yaml::Value;
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::Number(i.into()),
        toml::Value::Float(f) => Value::Number(f.into()),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Sequence(items.into_iter().map(toml_to_yaml).collect()),
        toml::Value::Table(table) => Value::Mapping(
            table
                .into_iter()
                .map(|(k, v)| (Value::String(k), toml_to_yaml(v)))
                .collect(),
        ),
    }
}

/// Moves the keys named in `tags_from` into `tags` and every unknown key
/// into `extra`.
fn sort_keys(
    path: &Path,
    yaml: &str,
    mut matter: FrontMatter,
    raw: BTreeMap<String, serde_yaml::Value>,
    tags_from: &[String],
) -> Result<FrontMatter, Diagnostic> {
    for (key, value) in raw {
        if matches!(key.as_str(), "categories" | "category") {
            matter
                .categories
                .extend(text_list(&value).unwrap_or_default());
        }
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
        assert!(!split.toml);
    }

    #[test]
    fn toml_front_matter_with_zola_taxonomies() {
        let text = "+++\ntitle = \"Kazan\"\ndate = 2024-10-25\n[taxonomies]\ntags = [\"brics\", \"russia\"]\n[extra]\nmood = \"calm\"\n+++\nBody\n";
        let split = split(Path::new("a.md"), text).unwrap();
        assert!(split.toml);
        assert_eq!(split.body, "Body\n");
        let matter = parse_toml(Path::new("a.md"), split.yaml, &tags()).unwrap();
        assert_eq!(matter.title, Some(Text("Kazan".into())));
        assert_eq!(matter.date.unwrap().iso(), "2024-10-25");
        assert_eq!(matter.tags, ["brics", "russia"]);
        assert!(matter.extra.contains_key("extra"));
        let err =
            parse_toml(Path::new("a.md"), "+++\ntitle = \"x\"\ndate = \n", &tags()).unwrap_err();
        assert_eq!(err.line, Some(3), "{err}");
    }

    #[test]
    fn a_key_written_twice_keeps_the_last_value() {
        let yaml = "---\ntitle: A\ntags:\n  - x\ntitle: B\ndate: 2024-01-01\n";
        let matter = parse(Path::new("a.md"), yaml, &tags()).unwrap();
        assert_eq!(matter.title, Some(Text("B".into())));
        assert_eq!(matter.tags, ["x"]);
        assert_eq!(matter.warnings.len(), 1);
        assert_eq!(matter.warnings[0].line, Some(5));
        assert!(
            matter.warnings[0]
                .message
                .contains("`title` is written 2 times")
        );
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
