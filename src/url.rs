//! Slugs, permalinks and output paths. Every URL of the site is made here from
//! a site path such as `/briefings/kazan/`: `BaseUrl` turns it into the
//! root-relative `url` (with the sub-path of `base_url`) and the absolute
//! `permalink`, so a site deploys under a sub-folder unchanged.

use std::path::PathBuf;

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

/// Jekyll's `:title`: the file name's words as written (case, dots and
/// underscores kept, as Jekyll's "pretty" slugs and Eleventy's file slugs
/// keep them), any other run of characters made one `-`; never starting or
/// ending with `-` or `.` (so never `..`).
pub fn title_slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() || matches!(c, '.' | '_' | '~') {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches(['-', '.']).to_string()
}

/// The extensions a path must end in to be written as a file: what static
/// hosts serve by extension, and what old sites' URLs end in.
const FILE_EXTENSIONS: [&str; 13] = [
    "html", "htm", "xhtml", "shtml", "php", "asp", "aspx", "jsp", "xml", "rss", "atom", "json",
    "txt",
];

/// Whether a path names a file rather than a folder: its last segment ends
/// in a known web extension (`old.html`, `feed.xml`). `releases/1.88.0` is
/// a folder: a dot in a version number is no extension.
pub fn names_file(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or("");
    last.rsplit_once('.').is_some_and(|(stem, extension)| {
        !stem.is_empty() && FILE_EXTENSIONS.contains(&extension.to_ascii_lowercase().as_str())
    })
}

/// The site path of a URL path as an author wrote it (a page's own
/// `permalink`, `url` or `path`, an alias): with one leading slash, and a
/// trailing one unless it names a file (`names_file`), so `old/post` and
/// `/releases/1.88.0` become `/old/post/` and `/releases/1.88.0/`
/// (written as `…/index.html`) while `/2019/05/01/x.html` stays a file.
/// Percent-escapes are decoded; empty and `.` segments dropped. The error
/// says why it cannot be a path of this site.
pub fn site_path(written: &str) -> Result<String, &'static str> {
    let text = written.trim();
    if text.is_empty() {
        return Err("it is empty");
    }
    if text.contains("://") || text.starts_with("//") {
        return Err("it is a full URL, not a path of this site");
    }
    if text.contains(['?', '#']) {
        return Err("a static host cannot serve a query string or fragment as a file");
    }
    let decoded = percent_encoding::percent_decode_str(text).decode_utf8_lossy();
    let mut segments = Vec::new();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => return Err("`..` would leave the output folder"),
            _ => segments.push(segment),
        }
    }
    if segments.is_empty() {
        return Ok("/".to_string());
    }
    let joined = segments.join("/");
    if names_file(&joined) && !decoded.ends_with('/') {
        Ok(format!("/{joined}"))
    } else {
        Ok(format!("/{joined}/"))
    }
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
    fn slugs_and_output_paths() {
        assert_eq!(slugify("North Korea"), "north-korea");
        assert_eq!(slugify("north-korea"), "north-korea");
        assert_eq!(slugify("Shells & Missiles: 2024"), "shells-missiles-2024");
        assert_eq!(output_path("/"), PathBuf::from("index.html"));
        assert_eq!(output_path("/a/b/"), PathBuf::from("a/b/index.html"));
        assert_eq!(output_path("/404.html"), PathBuf::from("404.html"));
    }

    /// Issue 10, items 2 and 4: written paths become folders unless they
    /// end in a web extension.
    #[test]
    fn written_paths_are_folders_unless_they_name_a_file() {
        for (written, path) in [
            ("releases/1.88.0", "/releases/1.88.0/"),
            ("/old/post", "/old/post/"),
            ("old/post/", "/old/post/"),
            ("2014/12/12/x", "/2014/12/12/x/"),
            ("/2019/05/01/x.html", "/2019/05/01/x.html"),
            ("/feed.XML", "/feed.XML"),
            ("/x.html/", "/x.html/"),
            ("/a//./b", "/a/b/"),
            ("/caf%C3%A9/", "/café/"),
            ("/", "/"),
            ("/v2.0", "/v2.0/"),
            ("/.htaccess", "/.htaccess/"),
        ] {
            assert_eq!(site_path(written).as_deref(), Ok(path), "{written}");
        }
        assert_eq!(
            site_path("/a/../../etc"),
            Err("`..` would leave the output folder")
        );
        assert_eq!(
            site_path("https://example.org/x"),
            Err("it is a full URL, not a path of this site")
        );
        assert!(site_path("/?p=12").is_err());
        assert!(site_path("  ").is_err());
        assert_eq!(
            output_path("/releases/1.88.0/"),
            PathBuf::from("releases/1.88.0/index.html")
        );
    }
}
