//! Reads a file's front matter (found by `front_matter_split.rs`) into
//! `FrontMatter`: what the author wrote, typed, with every key briefly does not
//! know kept in `extra`. Checking what is required (a title, a date) is left to
//! `briefing.rs`; turning TOML into the same values, to `front_matter_toml.rs`;
//! the shapes a value may take (`Text`, `TextList`), to
//! `front_matter_values.rs`.
//! Every YAML call of the crate lives here and in `config.rs`: serde_yaml
//! (libyaml) reads the values, and saphyr-parser's events say where a key is,
//! for what serde_yaml does not tell (a key written twice, a key's line).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

use saphyr_parser::{Event, Parser, ScanError};
use serde::Deserialize;
use serde_yaml::Value;

use crate::date::{Date, PartialDate};
use crate::diagnostic::Diagnostic;
pub use crate::front_matter_split::{Split, split};
use crate::front_matter_toml::{self, TomlMatter};
pub use crate::front_matter_values::{LinkUrl, Text, TextList};
use crate::front_matter_values::{tag_list, text_list};

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
    #[serde(deserialize_with = "crate::front_matter_values::loose_bool")]
    pub draft: Option<bool>,
    pub slug: Option<Text>,
    #[serde(deserialize_with = "crate::front_matter_values::loose_int")]
    pub weight: Option<i64>,
    pub events: Vec<EventMatter>,
    pub sources: Vec<SourceMatter>,
    /// Key judgements, each with its confidence.
    pub judgements: Vec<JudgementMatter>,
    /// The update history: what changed, and when.
    pub updates: Vec<UpdateMatter>,
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
    /// The terms of the other taxonomies, by name (`regions: [East Asia]`).
    #[serde(skip)]
    pub terms: BTreeMap<String, Vec<String>>,
    /// Every key not named above, as written.
    #[serde(skip)]
    pub extra: BTreeMap<String, Value>,
    /// What was read but deserves a word (a key written twice).
    #[serde(skip)]
    pub warnings: Vec<Diagnostic>,
}

/// The keys of a briefing's own front matter.
pub const KNOWN_KEYS: [&str; 13] = [
    "title",
    "date",
    "updated",
    "summary",
    "authors",
    "author",
    "draft",
    "slug",
    "weight",
    "events",
    "sources",
    "judgements",
    "updates",
];

/// An entry of the update history as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateMatter {
    pub date: Date,
    pub note: Text,
    #[serde(default)]
    pub kind: UpdateKind,
}

/// An update, or a correction of an error (shown as such).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum UpdateKind {
    #[default]
    Update,
    Correction,
}

/// A key judgement as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JudgementMatter {
    pub text: Text,
    pub confidence: Confidence,
}

/// How sure a key judgement is (an unknown word is an error naming these).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Moderate,
    High,
}

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
    pub url: LinkUrl,
    /// What `[@id]` in the body cites it by.
    #[serde(default)]
    pub id: Option<Text>,
}

/// The front matter keys whose values become terms: `tags_from`'s feed
/// tags, and each other taxonomy's name feeds that taxonomy (`authors` is
/// fed by `author`/`authors`, read as such).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct TermKeys {
    pub tags_from: Vec<String>,
    pub taxonomies: Vec<String>,
}

impl TermKeys {
    /// A key another taxonomy takes (`categories` in `taxonomies: [tags,
    /// categories]`) no longer feeds tags.
    pub fn new(tags_from: &[String], taxonomies: &[crate::taxonomy::TaxonomyConfig]) -> TermKeys {
        use crate::taxonomy::{AUTHORS, TAGS};
        let own: Vec<String> = taxonomies
            .iter()
            .map(|t| t.name.clone())
            .filter(|name| name != TAGS && name != AUTHORS)
            .collect();
        TermKeys {
            tags_from: tags_from
                .iter()
                .filter(|key| !own.contains(key))
                .cloned()
                .collect(),
            taxonomies: own,
        }
    }

    /// Only `tags_from`'s keys, feeding tags.
    pub fn tags(tags_from: &[&str]) -> TermKeys {
        TermKeys {
            tags_from: tags_from.iter().map(|k| k.to_string()).collect(),
            taxonomies: Vec::new(),
        }
    }
}

/// Reads the YAML of a split file. `keys` names the keys whose values
/// become terms.
pub fn parse(path: &Path, yaml: &str, keys: &TermKeys) -> Result<FrontMatter, Diagnostic> {
    // libyaml reads the text once, into a value; the typed fields and the
    // free keys are both taken from that value. Only a key written twice
    // (which libyaml rejects) costs another reading: of its events, to find
    // the earlier entries and blank them out (`keep_last_keys`).
    let (yaml, value, repeated) = match serde_yaml::from_str::<Value>(yaml) {
        Ok(value) => (Cow::Borrowed(yaml), value, Vec::new()),
        Err(error) if error.to_string().starts_with(REPEATED_TOP_LEVEL_KEY) => {
            match keep_last_keys(path, yaml) {
                Some((kept, repeated)) => {
                    let value =
                        serde_yaml::from_str(&kept).map_err(|e| typed_error(path, &kept, e))?;
                    (Cow::Owned(kept), value, repeated)
                }
                None => {
                    let (value, repeated) = last_wins(path, yaml)
                        .map_err(|_| yaml_error(path, &error, "front matter"))?;
                    (Cow::Borrowed(yaml), value, repeated)
                }
            }
        }
        Err(error) => return Err(typed_error(path, yaml, error)),
    };
    if value.is_null() {
        // Only comments, or nothing, between the `---` lines.
        return Ok(FrontMatter::default());
    }
    let mut value = value;
    // Only front matter that could hold a tag or a merge key is walked.
    if yaml.contains('!') {
        untag(&mut value);
    }
    if yaml.contains("<<") {
        // YAML's merge keys (`<<: *defaults`), as Ruby's and Go's readers apply them.
        value
            .apply_merge()
            .map_err(|e| typed_error(path, &yaml, e))?;
    }
    if yaml.contains("created") {
        mkdocs_dates(&mut value);
    }
    let loose = loose_dates(path, &yaml, &mut value);
    let mut matter = FrontMatter::deserialize(&value).map_err(|e| typed_error(path, &yaml, e))?;
    let raw: BTreeMap<String, Value> = serde_yaml::from_value(value).map_err(|_| {
        Diagnostic::new(path, "the front matter must be a map of `key: value` lines").at(1, None)
    })?;
    matter.warnings = repeated;
    matter.warnings.extend(loose);
    sort_keys(path, |key| yaml_key_line(&yaml, key), matter, raw, keys)
}

/// MkDocs Material's blog writes `date: {created: …, updated: …}`: the
/// day created is the date, the day updated `updated` unless that is
/// written.
fn mkdocs_dates(value: &mut Value) {
    let Value::Mapping(map) = value else { return };
    let Some(Value::Mapping(dates)) = map.get("date") else {
        return;
    };
    let Some(created) = dates.get("created").cloned() else {
        return;
    };
    let updated = dates.get("updated").cloned();
    map.insert("date".into(), created);
    if let Some(updated) = updated
        && !map.contains_key("updated")
    {
        map.insert("updated".into(), updated);
    }
}

/// Reads a tagged value as its value: Ruby's YAML writer (jekyll-import's
/// WordPress posts) writes `title: ! 'Rails 0.9.1'`, a non-specific tag
/// Jekyll reads as the plain string, and other local tags (`!ruby/…`)
/// carry nothing a page shows.
fn untag(value: &mut Value) {
    match value {
        Value::Tagged(tagged) => {
            let inner = std::mem::replace(&mut tagged.value, Value::Null);
            *value = inner;
            untag(value);
        }
        Value::Sequence(items) => items.iter_mut().for_each(untag),
        Value::Mapping(map) => map.values_mut().for_each(untag),
        _ => {}
    }
}

/// The top-level keys whose value is a `Date`.
const DATE_KEYS: [&str; 8] = [
    "date",
    "updated",
    "publishDate",
    "publishdate",
    "pubDate",
    "pubdate",
    "expiryDate",
    "expirydate",
];

/// Dates with words after them that Jekyll's lenient reading skips
/// (`Date::loosely`): the words are dropped from `value`, with a warning
/// at the key's line naming them; any other bad date stays an error.
fn loose_dates(path: &Path, yaml: &str, value: &mut Value) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    let Value::Mapping(map) = value else {
        return warnings;
    };
    for key in DATE_KEYS {
        let Some(Value::String(text)) = map.get_mut(key) else {
            continue;
        };
        if Date::parse(text).is_ok() {
            continue;
        }
        let Some((kept, left_out)) = Date::loosely(text) else {
            continue;
        };
        let mut warning = Diagnostic::new(
            path,
            format!(
                "{key}: `{text}` is read as `{kept}`, leaving out `{}`: write it as YYYY-MM-DD (optionally with a time, e.g. 2024-10-25 14:30:00 +0200)",
                left_out.join(" ")
            ),
        );
        if let Some(line) = yaml_key_line(yaml, key) {
            warning = warning.at(line, Some(1));
        }
        warnings.push(warning);
        *text = kept;
    }
    warnings
}

/// The start of serde_yaml's message for a key written twice in the
/// top-level map (in a nested map the message starts with the map's key).
const REPEATED_TOP_LEVEL_KEY: &str = "duplicate entry with key ";

/// The error of a value read without positions, placed: the text is read
/// again, into the typed fields, for the line and column.
fn typed_error(path: &Path, yaml: &str, error: serde_yaml::Error) -> Diagnostic {
    let located = serde_yaml::from_str::<FrontMatter>(yaml).err();
    yaml_error(path, located.as_ref().unwrap_or(&error), "front matter")
}

/// A top-level key written more than once keeps its last value, as Jekyll
/// (libyaml) does: the entries before the last are blanked out (spaces, the
/// line ends kept, so that every line and column stays the file's). Which
/// nodes are keys, and where each entry starts, is what the YAML parser
/// read. Returns the text and a warning at each kept entry; None when the
/// event parser cannot read the text (see `last_wins`).
fn keep_last_keys(path: &Path, yaml: &str) -> Option<(String, Vec<Diagnostic>)> {
    let (keys, scan_error) = top_level_keys(yaml);
    if scan_error.is_some() {
        return None;
    }
    let mut blank = Vec::new();
    let mut warnings = Vec::new();
    for (index, key) in keys.iter().enumerate() {
        let times = keys.iter().filter(|k| k.name == key.name).count();
        if keys[index + 1..].iter().any(|k| k.name == key.name) {
            blank.push(key.start..keys[index + 1].start);
        } else if times > 1 {
            let message = format!(
                "`{}` is written {times} times; the last one, here, is used",
                key.name
            );
            warnings.push(Diagnostic::new(path, message).at(key.line, Some(1)));
        }
    }
    let kept = yaml
        .chars()
        .enumerate()
        .map(|(i, c)| match c {
            '\n' | '\r' => c,
            _ if blank.iter().any(|range| range.contains(&i)) => ' ',
            _ => c,
        })
        .collect();
    Some((kept, warnings))
}

/// The top-level map as libyaml reads it, a key written twice keeping its
/// last value: for what saphyr's YAML 1.2 parser rejects and libyaml reads
/// (a quoted value continued at column 0). The warnings name no line, as
/// libyaml's values carry none.
fn last_wins(path: &Path, yaml: &str) -> Result<(Value, Vec<Diagnostic>), serde_yaml::Error> {
    struct Entries(Vec<(Value, Value)>);
    impl<'de> Deserialize<'de> for Entries {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Entries, D::Error> {
            struct Visitor;
            impl<'de> serde::de::Visitor<'de> for Visitor {
                type Value = Entries;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("a map of `key: value` lines")
                }
                fn visit_map<A: serde::de::MapAccess<'de>>(
                    self,
                    mut map: A,
                ) -> Result<Entries, A::Error> {
                    let mut entries = Vec::new();
                    while let Some(entry) = map.next_entry()? {
                        entries.push(entry);
                    }
                    Ok(Entries(entries))
                }
            }
            d.deserialize_map(Visitor)
        }
    }
    let Entries(entries) = serde_yaml::from_str(yaml)?;
    let mut map = serde_yaml::Mapping::new();
    let mut warnings = Vec::new();
    for (i, (key, value)) in entries.iter().enumerate() {
        let times = entries.iter().filter(|(k, _)| k == key).count();
        if times > 1 && !entries[i + 1..].iter().any(|(k, _)| k == key) {
            let name = key.as_str().unwrap_or("a key");
            let message = format!("`{name}` is written {times} times; the last one is used");
            warnings.push(Diagnostic::new(path, message));
        }
        map.insert(key.clone(), value.clone());
    }
    Ok((Value::Mapping(map), warnings))
}

/// The 1-based line of a character index, counting `\n` as the split, the
/// body and the TOML reader do: saphyr also counts a lone `\r`, which put a
/// key's line past the front matter's end.
fn line_at(yaml: &str, index: usize) -> usize {
    yaml.chars().take(index).filter(|c| *c == '\n').count() + 1
}

/// A key of the top-level map, as the YAML parser read it.
struct KeyAt {
    name: String,
    /// Where the key's node (with its anchor or tag) starts, in characters.
    start: usize,
    /// 1-based.
    line: usize,
}

/// The scalar keys of the top-level map in the order written, from the
/// parser's events; and the error that stopped the parser, if one did (the
/// keys before it are still given).
fn top_level_keys(yaml: &str) -> (Vec<KeyAt>, Option<ScanError>) {
    let mut keys = Vec::new();
    let mut depth = 0usize;
    let mut root_is_map = false;
    // Nodes read so far directly in the top-level map: keys, then values.
    let mut nodes = 0usize;
    for event in Parser::new_from_str(yaml) {
        let (event, span) = match event {
            Ok(event) => event,
            Err(error) => return (keys, Some(error)),
        };
        let opens = matches!(event, Event::MappingStart(..) | Event::SequenceStart(..));
        let node = opens || matches!(event, Event::Scalar(..) | Event::Alias(..));
        if node && depth == 1 && root_is_map {
            if let (0, Event::Scalar(name, ..)) = (nodes % 2, &event) {
                keys.push(KeyAt {
                    name: name.to_string(),
                    start: span.start.index(),
                    line: line_at(yaml, span.start.index()),
                });
            }
            nodes += 1;
        }
        match event {
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                root_is_map |= depth == 0 && matches!(event, Event::MappingStart(..));
                depth += 1;
            }
            Event::MappingEnd | Event::SequenceEnd => depth -= 1,
            Event::DocumentEnd => break,
            _ => {}
        }
    }
    (keys, None)
}

/// The 1-based line of a top-level `key` in a YAML text, as the YAML parser
/// read it (the last one, if written twice: the one that is used).
pub fn yaml_key_line(yaml: &str, key: &str) -> Option<usize> {
    let (keys, _) = top_level_keys(yaml);
    keys.iter().rev().find(|k| k.name == key).map(|k| k.line)
}

/// The 1-based lines of the items of the list under a top-level `key`
/// (`taxonomies:` in site.yaml), as the YAML parser read them; empty when
/// the key holds no list.
pub fn yaml_item_lines(yaml: &str, key: &str) -> Vec<usize> {
    let (keys, _) = top_level_keys(yaml);
    let Some(at) = keys.iter().rev().find(|k| k.name == key) else {
        return Vec::new();
    };
    let mut lines = Vec::new();
    let mut depth = 0usize;
    let mut started = false;
    for event in Parser::new_from_str(yaml) {
        let Ok((event, span)) = event else { break };
        if span.start.index() <= at.start {
            continue;
        }
        let opens = matches!(event, Event::MappingStart(..) | Event::SequenceStart(..));
        if !started {
            // The value of the key: a list, or nothing to tell.
            if !matches!(event, Event::SequenceStart(..)) {
                return lines;
            }
            started = true;
            depth = 1;
            continue;
        }
        let node = opens || matches!(event, Event::Scalar(..) | Event::Alias(..));
        if node && depth == 1 {
            lines.push(line_at(yaml, span.start.index()));
        }
        match event {
            Event::MappingStart(..) | Event::SequenceStart(..) => depth += 1,
            Event::MappingEnd | Event::SequenceEnd => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            _ => {}
        }
    }
    lines
}

/// The 1-based line of a top-level key in a file's front matter, YAML or
/// TOML, as its parser read it.
pub fn key_line(split: &Split, key: &str) -> Option<usize> {
    if split.toml {
        front_matter_toml::key_line(split.yaml, key)
    } else {
        yaml_key_line(split.yaml, key)
    }
}

/// Reads TOML front matter (the text from the opening `+++` line on), read
/// like YAML once in its data model; the keys of Zola's `[extra]` table join
/// `extra` (a key also written at the top level keeps that value).
pub fn parse_toml(path: &Path, text: &str, keys: &TermKeys) -> Result<FrontMatter, Diagnostic> {
    let TomlMatter { value, extra } = front_matter_toml::read(path, text)?;
    // The values no longer know their lines: the path to the one that
    // fails (`events[1].date`) finds it again in the TOML text.
    let matter: FrontMatter = serde_path_to_error::deserialize(&value).map_err(|e| {
        let line = front_matter_toml::value_line(text, e.path()).unwrap_or(1);
        let message = match e.path().iter().next() {
            None => e.inner().to_string(),
            Some(_) => format!("{}: {}", e.path(), e.inner()),
        };
        Diagnostic::new(path, message).at(line, None)
    })?;
    let raw: BTreeMap<String, Value> = serde_yaml::from_value(value)
        .map_err(|e| Diagnostic::new(path, format!("front matter: {e}")).at(1, None))?;
    let key_line = |key: &str| front_matter_toml::key_line(text, key);
    let mut matter = sort_keys(path, key_line, matter, raw, keys)?;
    for (key, value) in extra {
        if let Value::String(key) = key {
            matter.extra.entry(key).or_insert(value);
        }
    }
    Ok(matter)
}

/// Moves the keys named in `tags_from` into `tags`, a taxonomy's key into
/// `terms` and every unknown key into `extra`.
fn sort_keys(
    path: &Path,
    key_line: impl Fn(&str) -> Option<usize>,
    mut matter: FrontMatter,
    raw: BTreeMap<String, Value>,
    keys: &TermKeys,
) -> Result<FrontMatter, Diagnostic> {
    let terms = |key: &str, value: &Value| {
        tag_list(value).map_err(|message| {
            let line = key_line(key).unwrap_or(1);
            Diagnostic::new(path, format!("`{key}` {message}")).at(line, Some(1))
        })
    };
    let mut params_table = serde_yaml::Mapping::new();
    for (key, value) in raw {
        // Jekyll splits a `categories` string on spaces, not `category`.
        match key.as_str() {
            "categories" => matter
                .categories
                .extend(tag_list(&value).unwrap_or_default()),
            "category" => matter
                .categories
                .extend(text_list(&value).unwrap_or_default()),
            _ => {}
        }
        if keys.tags_from.contains(&key) {
            match (key.as_str(), &value) {
                // Jekyll's `category` is one category, never split on spaces.
                ("category", Value::String(one)) => matter
                    .tags
                    .extend((!one.trim().is_empty()).then(|| one.trim().to_string())),
                _ => matter.tags.extend(terms(&key, &value)?),
            }
        } else if keys.taxonomies.contains(&key) {
            // Only tags are split on spaces as Jekyll does: `regions: East
            // Asia` is one term (commas still split).
            let list = match &value {
                Value::String(s) if !s.contains(',') => vec![s.trim().to_string()],
                _ => terms(&key, &value)?,
            };
            let list = list.into_iter().filter(|t| !t.is_empty()).collect();
            matter.terms.insert(key, list);
        } else if key == "params"
            && let Value::Mapping(params) = value
        {
            // Hugo's `params` (`.Params.x` in its templates) join `extra`.
            params_table = params;
        } else if !KNOWN_KEYS.contains(&key.as_str()) {
            matter.extra.insert(key, value);
        }
    }
    for (key, value) in params_table {
        if let Value::String(key) = key {
            matter.extra.entry(key).or_insert(value);
        }
    }
    // Hugo's `lastmod` and Jekyll's `last_modified_at` are `updated`.
    if matter.updated.is_none() {
        matter.updated = ["lastmod", "last_modified_at"]
            .iter()
            .filter_map(|key| matter.extra.get(*key))
            .find_map(|value| Date::deserialize(value).ok());
    }
    Ok(matter)
}

/// Turns a serde_yaml error into a diagnostic at the line and column it names.
/// Any YAML document as a value (a template's `load_data`): every YAML
/// call stays in this module and `config.rs`.
pub fn yaml_value(text: &str) -> Result<serde_yaml::Value, String> {
    serde_yaml::from_str(text).map_err(|e| e.to_string())
}

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
    } else if message.contains("duplicate entry with key") {
        format!("{message}: write each key once")
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

    fn tags() -> TermKeys {
        TermKeys::tags(&["tags", "categories"])
    }

    /// Issue 10: Hugo's `[params]` join `extra` (a top-level key wins), and
    /// MkDocs Material's `date: {created, updated}`.
    #[test]
    fn mkdocs_material_dates() {
        let path = Path::new("a.md");
        let matter = parse(
            path,
            "title: x\ndate:\n  created: 2024-01-05\n  updated: 2024-02-01\n",
            &Default::default(),
        )
        .unwrap();
        assert_eq!(matter.date, Some(Date::parse("2024-01-05").unwrap()));
        assert_eq!(matter.updated, Some(Date::parse("2024-02-01").unwrap()));
        let written =
            "title: x\nupdated: 2024-03-01\ndate: {created: 2024-01-05, updated: 2024-02-01}\n";
        let matter = parse(path, written, &Default::default()).unwrap();
        assert_eq!(matter.updated, Some(Date::parse("2024-03-01").unwrap()));
        let error = parse(
            path,
            "title: x\ndate:\n  updated: 2024-02-01\n",
            &Default::default(),
        );
        assert!(error.is_err(), "a map with no `created` is no date");
    }

    /// `lastmod` / `last_modified_at` are `updated` unless it is written.
    #[test]
    fn hugo_params_and_lastmod() {
        let text = "+++\ntitle = \"x\"\nmood = \"top\"\nlastmod = 2024-11-02\n[params]\nmood = \"params\"\ncover = \"c.jpg\"\n+++\n";
        let split = split(Path::new("a.md"), text).unwrap();
        let matter = parse_toml(Path::new("a.md"), split.yaml, &tags()).unwrap();
        assert_eq!(matter.extra["cover"], Value::from("c.jpg"));
        assert_eq!(matter.extra["mood"], Value::from("top"));
        assert!(!matter.extra.contains_key("params"));
        assert_eq!(matter.updated, Some(Date::parse("2024-11-02").unwrap()));

        let yaml = "title: x\nlast_modified_at: 2024-11-03\nparams:\n  cover: d.jpg\n";
        let matter = parse(Path::new("a.md"), yaml, &tags()).unwrap();
        assert_eq!(matter.extra["cover"], Value::from("d.jpg"));
        assert_eq!(matter.updated, Some(Date::parse("2024-11-03").unwrap()));
        let both = "title: x\nupdated: 2024-12-01\nlastmod: 2024-11-03\n";
        let matter = parse(Path::new("a.md"), both, &tags()).unwrap();
        assert_eq!(matter.updated, Some(Date::parse("2024-12-01").unwrap()));
    }

    #[test]
    fn merge_keys_and_json_objects() {
        let yaml = "base: &d\n  title: From the anchor\n  weight: 2\n<<: *d\nslug: s\n";
        let matter = parse(Path::new("a.md"), yaml, &tags()).unwrap();
        assert_eq!(matter.title, Some(Text("From the anchor".into())));
        assert_eq!(matter.weight, Some(2));
        let json = "{\n  \"title\": \"J\",\n  \"tags\": [\"a\", \"b\"],\n  \"draft\": false\n}\n";
        let matter = parse(Path::new("a.md"), json, &tags()).unwrap();
        assert_eq!(matter.title, Some(Text("J".into())));
        assert_eq!(matter.tags, ["a", "b"]);
    }

    /// Hugo reads `draft` and `weight` written as strings too.
    #[test]
    fn draft_and_weight_as_strings() {
        let parsed = |yaml: &str| parse(Path::new("a.md"), yaml, &tags());
        let matter = parsed("title: x\ndraft: \"false\"\nweight: \" 3\"\n").unwrap();
        assert_eq!((matter.draft, matter.weight), (Some(false), Some(3)));
        let matter = parsed("title: x\ndraft: \"True\"\nweight: 4\n").unwrap();
        assert_eq!((matter.draft, matter.weight), (Some(true), Some(4)));
        let matter = parsed("title: x\n").unwrap();
        assert_eq!((matter.draft, matter.weight), (None, None));
        let err = parsed("title: x\ndraft: maybe\n").unwrap_err();
        assert!(
            err.to_string().contains("`maybe` is not true or false"),
            "{err}"
        );
        let err = parsed("title: x\nweight: heavy\n").unwrap_err();
        assert!(
            err.to_string().contains("`heavy` is not a whole number"),
            "{err}"
        );
        let toml = "+++\ntitle = \"x\"\ndraft = \"false\"\nweight = \"2\"\n+++\n";
        let split = split(Path::new("a.md"), toml).unwrap();
        let matter = parse_toml(Path::new("a.md"), split.yaml, &tags()).unwrap();
        assert_eq!((matter.draft, matter.weight), (Some(false), Some(2)));
    }

    #[test]
    fn toml_front_matter_with_zola_taxonomies_and_extra() {
        let text = "+++\ntitle = \"Kazan\"\ndate = 2024-10-25\n[taxonomies]\ntags = [\"brics\", \"russia\"]\n[extra]\ncover = \"kazan.jpg\"\n+++\nBody\n";
        let split = split(Path::new("a.md"), text).unwrap();
        assert!(split.toml);
        assert_eq!(split.body, "Body\n");
        let matter = parse_toml(Path::new("a.md"), split.yaml, &tags()).unwrap();
        assert_eq!(matter.title, Some(Text("Kazan".into())));
        assert_eq!(matter.date.unwrap().iso(), "2024-10-25");
        assert_eq!(matter.tags, ["brics", "russia"]);
        // Zola templates read `page.extra.cover`.
        assert_eq!(
            matter.extra.keys().collect::<Vec<_>>(),
            ["cover"],
            "no `extra.extra`"
        );
        assert_eq!(matter.extra["cover"], Value::from("kazan.jpg"));
        assert_eq!(key_line(&split, "taxonomies"), Some(4));

        let text = "+++\ntitle = \"x\"\ncover = \"top.jpg\"\n[extra]\ncover = \"extra.jpg\"\nmood = \"calm\"\n";
        let matter = parse_toml(Path::new("a.md"), text, &tags()).unwrap();
        assert_eq!(matter.extra["cover"], Value::from("top.jpg"));
        assert_eq!(matter.extra["mood"], Value::from("calm"));
    }

    #[test]
    fn a_key_written_twice_keeps_the_last_value() {
        let yaml = "---\ntitle: A\ntags:\n  - x\ntitle: B\ndate: 2024-01-01\n";
        let matter = parse(Path::new("a.md"), yaml, &tags()).unwrap();
        assert_eq!(matter.title, Some(Text("B".into())));
        assert_eq!(matter.tags, ["x"]);
        let warnings: Vec<String> = matter.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            warnings,
            ["a.md:5:1: `title` is written 2 times; the last one, here, is used"]
        );
    }

    #[test]
    fn keys_written_three_times_and_twice_each_warn_once_at_the_kept_line() {
        let yaml = "---\ntitle: A\nslug: one\ntitle: |\n  B\n  b\n# a comment\ntitle: \"C\"\nslug: two\ndate: 2024-01-01\n";
        let matter = parse(Path::new("a.md"), yaml, &tags()).unwrap();
        assert_eq!(matter.title, Some(Text("C".into())));
        assert_eq!(matter.slug, Some(Text("two".into())));
        let warnings: Vec<String> = matter.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            warnings,
            [
                "a.md:8:1: `title` is written 3 times; the last one, here, is used",
                "a.md:9:1: `slug` is written 2 times; the last one, here, is used",
            ]
        );
        // Lines and columns after the blanked entries are still the file's.
        let err = parse(
            Path::new("a.md"),
            "---\ntitle: A\ntitle: B\ndate: 2024-02-30\n",
            &tags(),
        )
        .unwrap_err();
        assert_eq!((err.line, err.column), (Some(4), Some(7)), "{err}");
    }

    /// Issue #10, item 1: a double-quoted value continued on a line that
    /// starts at column 0 with `key: `-like text is one value, as libyaml
    /// and PyYAML read it; two such continuation lines alike are no key
    /// written twice.
    #[test]
    fn issue_10_a_quoted_value_continued_at_column_0_is_read_as_libyaml_reads_it() {
        let yaml = "---\ntitle: \"Russia and North Korea\nsign: a treaty\"\nsummary: \"What the two\nsign: a treaty\"\ndate: 2024-06-19\n";
        let matter = parse(Path::new("a.md"), yaml, &tags()).unwrap();
        assert_eq!(
            matter.title,
            Some(Text("Russia and North Korea sign: a treaty".into()))
        );
        assert_eq!(
            matter.summary,
            Some(Text("What the two sign: a treaty".into()))
        );
        assert_eq!(matter.date.unwrap().iso(), "2024-06-19");
        assert!(matter.warnings.is_empty());
        assert!(matter.extra.is_empty(), "{:?}", matter.extra);
    }

    #[test]
    fn a_key_written_twice_where_the_event_parser_cannot_follow_keeps_the_last() {
        let yaml = "---\ntitle: \"A\nb: c\"\nsummary: S\ntitle: B\n";
        let matter = parse(Path::new("a.md"), yaml, &tags()).unwrap();
        assert_eq!(matter.title, Some(Text("B".into())));
        assert_eq!(matter.summary, Some(Text("S".into())));
        let warnings: Vec<String> = matter.warnings.iter().map(|w| w.to_string()).collect();
        assert_eq!(
            warnings,
            ["a.md: `title` is written 2 times; the last one is used"]
        );
        // The first value, continued at column 0, is read as libyaml reads it.
        let yaml = "---\ntags: [a]\ntitle: \"A\nb: c\"\ntags: [b]\n";
        let matter = parse(Path::new("a.md"), yaml, &tags()).unwrap();
        assert_eq!(matter.title, Some(Text("A b: c".into())));
        assert_eq!(matter.tags, ["b"]);
    }

    #[test]
    fn keys_of_nested_maps_are_not_top_level_repeats() {
        let yaml = "---\ntitle: A\nseo:\n  title: B\nsocial:\n  title: C\n";
        let matter = parse(Path::new("a.md"), yaml, &tags()).unwrap();
        assert_eq!(matter.title, Some(Text("A".into())));
        assert!(matter.warnings.is_empty());
        assert_eq!(matter.extra["seo"]["title"], Value::from("B"));
        assert_eq!(matter.extra["social"]["title"], Value::from("C"));

        // Inside one nested map, a key written twice stays an error.
        let yaml = "---\ntitle: A\nseo:\n  image: a.png\n  image: b.png\n";
        let err = parse(Path::new("a.md"), yaml, &tags()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a.md:4:3: seo: duplicate entry with key \"image\": write each key once"
        );
    }

    #[test]
    fn a_key_has_the_line_the_parser_read() {
        let yaml =
            "---\n# note\ntitle: \"a\n  events: no\"\nseo:\n  events: no\n\"events\":\n  - x\n";
        assert_eq!(yaml_key_line(yaml, "events"), Some(7));
        assert_eq!(yaml_key_line(yaml, "title"), Some(3));
        assert_eq!(yaml_key_line(yaml, "missing"), None);
        assert_eq!(yaml_key_line("---\n- a\n- b\n", "a"), None, "no map");
    }

    /// Issue 11, item 7: a `sources:` URL that would run a script is an
    /// error at its line, however it hides its scheme.
    #[test]
    fn issue_11_a_script_source_url_is_an_error_at_its_line() {
        for (url, scheme) in [
            ("javascript:alert(1)", "javascript:"),
            ("\" JavaScript:alert(1)\"", "javascript:"),
            ("\"java\\tscript:alert(1)\"", "javascript:"),
            ("\"&#106;avascript:alert(1)\"", "javascript:"),
            ("\"java&#x09;script:alert(1)\"", "javascript:"),
            ("vbscript:x", "vbscript:"),
            (
                "\"data:text/html,<script>alert(1)</script>\"",
                "data:text/html",
            ),
        ] {
            let yaml = format!(
                "---\ntitle: A\nsources:\n  - title: Fine\n    url: https://example.org/\n  - title: Bad\n    url: {url}\n"
            );
            let err = parse(Path::new("a.md"), &yaml, &tags()).unwrap_err();
            assert_eq!(err.line, Some(7), "{url}: {err}");
            assert!(
                err.message.starts_with("sources[1].url: `")
                    && err.message.contains(&format!(
                        "` is a `{scheme}` URL, which would run a script in the reader's browser: write the http(s) address of the source"
                    )),
                "{url}: {err}"
            );
        }
        let err = parse(
            Path::new("a.md"),
            "---\ntitle: A\nsources:\n  - {title: T, url: \"java\\tscript:x\"}\n",
            &tags(),
        )
        .unwrap_err();
        assert!(
            err.message.contains("`java\\tscript:x`"),
            "the tab shows: {err}"
        );
        let matter = parse(
            Path::new("a.md"),
            "---\ntitle: A\nsources:\n  - {title: T, url: \"data:image/png;base64,iVBO\"}\n",
            &tags(),
        )
        .unwrap();
        assert_eq!(matter.sources[0].url.0, "data:image/png;base64,iVBO");

        let toml =
            "+++\ntitle = \"A\"\n\n[[sources]]\ntitle = \"Bad\"\nurl = \"JavaScript:alert(1)\"\n";
        let err = parse_toml(Path::new("a.md"), toml, &tags()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a.md:6: sources[0].url: `JavaScript:alert(1)` is a `javascript:` URL, which would run a script in the reader's browser: write the http(s) address of the source"
        );
    }

    /// Issue 11, fuzzing (`tests/fuzz`, target `front_matter`): a lone `\r`
    /// (saphyr's line break, not the split's) put a key's line past the
    /// front matter's closing line.
    #[test]
    fn a_lone_carriage_return_is_no_line_of_the_file() {
        let text = "---\r\n# a\rb: 1\r\ntitle: T\n---\nBody\n";
        let split = split(Path::new("a.md"), text).unwrap();
        assert_eq!(split.body_line, 5);
        assert_eq!(key_line(&split, "title"), Some(3));
        let repeated = "---\n# a\rb: 1\nb: 2\n";
        let matter = parse(Path::new("a.md"), repeated, &tags()).unwrap();
        assert_eq!(matter.warnings[0].line, Some(3));
    }

    #[test]
    fn comments_only_is_empty_front_matter() {
        let matter = parse(Path::new("a.md"), "\n---\n# nothing yet\n\n", &tags()).unwrap();
        assert!(matter.title.is_none() && matter.extra.is_empty());
    }

    #[test]
    fn tags_as_list_or_string_and_extra_kept() {
        let yaml =
            "---\ntitle: A\ntags: Russia, North Korea\ncategories: [brics]\nconfidence: high\n";
        let matter = parse(Path::new("a.md"), yaml, &tags()).unwrap();
        assert_eq!(matter.tags, vec!["brics", "Russia", "North Korea"]);
        assert_eq!(
            matter.extra.get("confidence"),
            Some(&Value::String("high".into()))
        );
    }

    /// Issue #10, item 11: Jekyll splits a `categories` or `tags` string on
    /// spaces; a string with commas is split on its commas.
    #[test]
    fn issue_10_a_tag_string_without_commas_is_split_on_spaces_as_jekyll_does() {
        let yaml = "---\ntitle: A\ncategories: news  politics\ntags: \"a b, c\"\nauthor: J. Doe\n";
        let matter = parse(Path::new("a.md"), yaml, &tags()).unwrap();
        assert_eq!(matter.tags, ["news", "politics", "a b", "c"]);
        assert_eq!(matter.categories, ["news", "politics"], "for `:categories`");
        assert_eq!(
            matter.author,
            Some(TextList(vec!["J. Doe".into()])),
            "only tags are split on spaces"
        );
    }

    /// Issue 11, item 17: in TOML front matter too, a value that does not
    /// read names its path and its own line, not line 1.
    #[test]
    fn bad_toml_values_point_at_their_line() {
        let text = "\n+++\ntitle = \"x\"\ndate = \"nope\"\n[taxonomies]\ntags = {a = 1}\n[[events]]\ndate = 2024-01-01\ntitle = \"a\"\n[[events]]\ntitle = \"y\"\ndate = \"2024-13-01\"\n";
        let error = |text: &str| {
            let err = parse_toml(Path::new("a.md"), text, &TermKeys::tags(&["tags"])).unwrap_err();
            (err.line, err.message)
        };
        let (line, message) = error(text);
        assert_eq!(line, Some(4));
        assert!(
            message.starts_with("date: `nope` is not a date"),
            "{message}"
        );
        let text = text.replace("\"nope\"", "2024-01-01");
        let (line, message) = error(&text);
        assert_eq!(line, Some(12));
        assert!(
            message.starts_with("events[1].date: impossible date"),
            "{message}"
        );
        let (line, message) = error(&text.replace("\"2024-13-01\"", "2024-01-01"));
        assert_eq!(
            (line, message.as_str()),
            (
                Some(6),
                "`tags` must be a list (e.g. [russia, ukraine]) or a string"
            )
        );
        let (line, message) = error("+++\ntitle = \"x\"\n\n[[sources]]\ntitle = \"s\"\n");
        assert_eq!(
            (line, message.as_str()),
            (Some(4), "sources[0]: missing field `url`")
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
