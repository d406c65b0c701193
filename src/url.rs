//! Slugs, permalinks and output paths. Every URL of the site is made here from
//! a site path such as `/briefings/kazan/`: `BaseUrl` turns it into the
//! root-relative `url` (with the sub-path of `base_url`) and the absolute
//! `permalink`, so a site deploys under a sub-folder unchanged.

use std::path::PathBuf;

use crate::date::Date;

/// `base_url` taken apart: `https://example.org/watch` gives the absolute
/// `https://example.org/watch/` and the root `/watch/`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BaseUrl {
    pub absolute: String,
    pub root: String,
}

impl BaseUrl {
    pub fn parse(text: &str) -> Result<BaseUrl, String> {
        let text = text.trim();
        let rest = text
            .strip_prefix("https://")
            .or_else(|| text.strip_prefix("http://"))
            .ok_or_else(|| {
                format!("base_url `{text}` must be an absolute URL such as https://example.org or https://example.org/watch")
            })?;
        let (host, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        if host.is_empty() || path.contains(['?', '#']) {
            return Err(format!(
                "base_url `{text}` must be a host and an optional path, without query or fragment"
            ));
        }
        let trimmed = path.trim_matches('/');
        let root = if trimmed.is_empty() {
            "/".to_string()
        } else {
            format!("/{trimmed}/")
        };
        let scheme = &text[..text.len() - rest.len()];
        Ok(BaseUrl {
            absolute: format!("{scheme}{host}{root}"),
            root,
        })
    }

    /// The same site path under another scheme and host (`briefly serve`
    /// keeps the configured sub-path on its local address).
    pub fn with_origin(&self, origin: &str) -> BaseUrl {
        BaseUrl {
            absolute: format!("{}{}", origin.trim_end_matches('/'), self.root),
            root: self.root.clone(),
        }
    }

    /// The root-relative URL of a site path (`/tags/` -> `/watch/tags/`).
    pub fn url(&self, site_path: &str) -> String {
        format!("{}{}", self.root, site_path.trim_start_matches('/'))
    }

    /// The absolute URL of a site path.
    pub fn permalink(&self, site_path: &str) -> String {
        format!("{}{}", self.absolute, site_path.trim_start_matches('/'))
    }
}

/// Read from `site.yaml` as a string, parsed on the spot so that a bad one
/// is reported at its line.
impl<'de> serde::Deserialize<'de> for BaseUrl {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<BaseUrl, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = BaseUrl;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an absolute URL such as https://example.org/watch")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<BaseUrl, E> {
                BaseUrl::parse(text).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

/// A URL-safe slug: lower case ASCII words joined by `-`.
pub fn slugify(text: &str) -> String {
    slug::slugify(text)
}

/// Fills a permalink pattern such as `/:year/:month/:day/:slug/`.
pub fn expand_permalink(pattern: &str, slug: &str, date: &Date) -> String {
    pattern
        .replace(":year", &format!("{:04}", date.day.year()))
        .replace(":month", &format!("{:02}", date.day.month()))
        .replace(":day", &format!("{:02}", date.day.day()))
        .replace(":slug", slug)
}

/// Where a site path is written: `/briefings/x/` -> `briefings/x/index.html`,
/// `/atom.xml` -> `atom.xml`.
pub fn output_path(site_path: &str) -> PathBuf {
    let relative = site_path.trim_start_matches('/');
    if relative.is_empty() || relative.ends_with('/') {
        PathBuf::from(relative).join("index.html")
    } else {
        PathBuf::from(relative)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_with_and_without_sub_path() {
        let b = BaseUrl::parse("https://example.org/watch").unwrap();
        assert_eq!(b.absolute, "https://example.org/watch/");
        assert_eq!(b.root, "/watch/");
        assert_eq!(b.url("/tags/"), "/watch/tags/");
        assert_eq!(
            b.permalink("/atom.xml"),
            "https://example.org/watch/atom.xml"
        );
        let b = BaseUrl::parse("http://127.0.0.1:1111/").unwrap();
        assert_eq!(b.root, "/");
        assert_eq!(b.url("/"), "/");
        assert!(BaseUrl::parse("example.org").is_err());
    }

    #[test]
    fn slugs_and_permalinks() {
        assert_eq!(slugify("North Korea"), "north-korea");
        assert_eq!(slugify("north-korea"), "north-korea");
        assert_eq!(slugify("Shells & Missiles: 2024"), "shells-missiles-2024");
        let date = Date::parse("2024-06-09").unwrap();
        assert_eq!(
            expand_permalink("/:year/:month/:day/:slug/", "treaty", &date),
            "/2024/06/09/treaty/"
        );
        assert_eq!(output_path("/"), PathBuf::from("index.html"));
        assert_eq!(output_path("/a/b/"), PathBuf::from("a/b/index.html"));
        assert_eq!(output_path("/404.html"), PathBuf::from("404.html"));
    }
}
