//! How a front-matter value may be written: a string that also takes a
//! number (`slug: 2024`), a list that also takes one comma-separated string,
//! and a tag value split as Jekyll splits it. `front_matter.rs` reads the
//! keys; this module only says what a value may look like.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use serde_yaml::Value;

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

/// A URL to link to (`sources[].url`): a string that a browser would not
/// run as a script (`script_url.rs`), written as `Text` may be; a script
/// URL is an error, which the YAML reader places at its line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkUrl(pub String);

impl<'de> Deserialize<'de> for LinkUrl {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<LinkUrl, D::Error> {
        // Checked inside the visitor, where the YAML reader still knows
        // the value's own line.
        struct UrlVisitor;
        impl Visitor<'_> for UrlVisitor {
            type Value = LinkUrl;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a URL")
            }
            fn visit_str<E: de::Error>(self, url: &str) -> Result<LinkUrl, E> {
                match crate::script_url::script_scheme(url) {
                    None => Ok(LinkUrl(url.to_string())),
                    Some(scheme) => Err(E::custom(format!(
                        "`{}` is a `{scheme}` URL, which would run a script in the reader's browser: write the http(s) address of the source",
                        crate::script_url::shown(url)
                    ))),
                }
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<LinkUrl, E> {
                Ok(LinkUrl(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<LinkUrl, E> {
                Ok(LinkUrl(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<LinkUrl, E> {
                Ok(LinkUrl(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<LinkUrl, E> {
                Ok(LinkUrl(v.to_string()))
            }
        }
        deserializer.deserialize_any(UrlVisitor)
    }
}

/// A list of strings that may also be written as one comma-separated string
/// (`authors: A. Author, B. Author`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextList(pub Vec<String>);

impl<'de> Deserialize<'de> for TextList {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<TextList, D::Error> {
        let value = Value::deserialize(deserializer)?;
        text_list(&value).map(TextList).map_err(de::Error::custom)
    }
}

/// A list, or one string split on commas, as a list of trimmed words.
pub fn text_list(value: &Value) -> Result<Vec<String>, String> {
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

/// A tag value as a list. One string is split as Jekyll splits `tags` and
/// `categories` (`categories: news politics` is two tags), except that a
/// string with commas is split on them (`tags: North Korea, Russia`).
pub fn tag_list(value: &Value) -> Result<Vec<String>, String> {
    match value {
        Value::String(s) if !s.contains(',') => {
            Ok(s.split_whitespace().map(str::to_string).collect())
        }
        other => text_list(other),
    }
}

/// `draft: true`, or written as a string as Hugo also reads it
/// (`draft: "false"`, `yes`/`no` from YAML 1.1 writers).
pub fn loose_bool<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<bool>, D::Error> {
    struct BoolVisitor;
    impl Visitor<'_> for BoolVisitor {
        type Value = Option<bool>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("true or false")
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Option<bool>, E> {
            Ok(Some(v))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Option<bool>, E> {
            Ok(None)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<bool>, E> {
            match v.trim().to_ascii_lowercase().as_str() {
                "true" | "yes" | "on" => Ok(Some(true)),
                "false" | "no" | "off" | "" => Ok(Some(false)),
                _ => Err(E::custom(format!("`{v}` is not true or false"))),
            }
        }
    }
    deserializer.deserialize_any(BoolVisitor)
}

/// `weight: 3`, or written as a string as Hugo also reads it (`"3"`).
pub fn loose_int<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    struct IntVisitor;
    impl Visitor<'_> for IntVisitor {
        type Value = Option<i64>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a whole number")
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Option<i64>, E> {
            Ok(Some(v))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Option<i64>, E> {
            i64::try_from(v)
                .map(Some)
                .map_err(|_| E::custom(format!("{v} is too large a number")))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Option<i64>, E> {
            Ok(None)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<i64>, E> {
            v.trim()
                .parse()
                .map(Some)
                .map_err(|_| E::custom(format!("`{v}` is not a whole number")))
        }
    }
    deserializer.deserialize_any(IntVisitor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tag_string_is_split_on_commas_else_on_spaces() {
        let tags = |v: &str| tag_list(&Value::from(v)).unwrap();
        assert_eq!(tags("news  politics"), ["news", "politics"]);
        assert_eq!(tags("North Korea, Russia"), ["North Korea", "Russia"]);
        assert_eq!(tags(" "), Vec::<String>::new());
        let list = Value::from(vec!["North Korea", "2024"]);
        assert_eq!(tag_list(&list).unwrap(), ["North Korea", "2024"]);
        assert_eq!(
            text_list(&Value::from("J. Doe")).unwrap(),
            ["J. Doe"],
            "other lists are never split on spaces"
        );
        assert_eq!(
            tag_list(&Value::from(vec![vec!["nested"]])).unwrap_err(),
            "must be a list of plain words, e.g. [russia, ukraine]"
        );
    }
}
