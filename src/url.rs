//! Slugs, permalinks and output paths. Every URL of the site is made here from
//! a site path such as `/briefings/kazan/`: `BaseUrl` turns it into the
//! root-relative `url` (with the sub-path of `base_url`) and the absolute
//! `permalink`, so a site deploys under a sub-folder unchanged.

use std::borrow::Cow;
use std::path::PathBuf;

/// `base_url` taken apart: `https://example.org/watch` gives the absolute
/// `https://example.org/watch/` and the root `/watch/`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BaseUrl {
    pub absolute: String,
    pub root: String,
}

impl BaseUrl {
    /// Reads `base_url` with the WHATWG URL parser (the `url` crate) and
    /// refuses what would make invalid or leaking links: another scheme,
    /// a user name or password, a query or fragment, a character a URL
    /// cannot hold, a `%` that starts no percent-escape. The sub-path keeps
    /// one slash at each end (`https://example.org/watch` gives the root
    /// `/watch/`); the parser lower-cases the host, writes an international
    /// one in punycode and percent-encodes other non-ASCII characters.
    pub fn parse(text: &str) -> Result<BaseUrl, String> {
        let text = text.trim();
        let wrong = |why: &str| format!("base_url `{text}` {why}");
        const EXAMPLE: &str =
            "an absolute URL such as https://example.org or https://example.org/watch";
        if let Some(c) = text.chars().find(|&c| {
            c.is_whitespace()
                || c.is_control()
                || matches!(c, '"' | '<' | '>' | '`' | '{' | '}' | '\\')
        }) {
            let encoded: String = c.to_string().bytes().map(|b| format!("%{b:02X}")).collect();
            let shown = match c {
                ' ' => "a space".to_string(),
                c if c.is_whitespace() || c.is_control() => {
                    format!("the character U+{:04X}", u32::from(c))
                }
                c => format!("`{c}`"),
            };
            return Err(wrong(&format!(
                "holds {shown}, which a URL cannot hold as it is: write it as {encoded}"
            )));
        }
        let url = url::Url::parse(text).map_err(|e| match e {
            url::ParseError::RelativeUrlWithoutBase => wrong(&format!("must be {EXAMPLE}")),
            e => wrong(&format!("is not a valid URL ({e}): it must be {EXAMPLE}")),
        })?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(wrong(&format!(
                "must start with https:// or http://: it must be {EXAMPLE}"
            )));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(wrong(
                "holds a user name or password, which every link of the site would show: remove the part before `@`",
            ));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(wrong(
                "must be a host and an optional path, without query or fragment",
            ));
        }
        if let Some(bad) = bad_percent_escape(url.path()) {
            return Err(wrong(&format!(
                "holds `{bad}`, which is no percent-escape (`%` and two hex digits): write a `%` sign as %25"
            )));
        }
        let trimmed = url.path().trim_matches('/');
        let root = if trimmed.is_empty() {
            "/".to_string()
        } else {
            format!("/{trimmed}/")
        };
        Ok(BaseUrl {
            absolute: format!("{}{root}", &url[..url::Position::BeforePath]),
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

/// The first `%` in `path` not followed by two hex digits, with what follows it.
fn bad_percent_escape(path: &str) -> Option<&str> {
    let bytes = path.as_bytes();
    let at = (0..bytes.len()).find(|&i| {
        bytes[i] == b'%'
            && !(bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
    })?;
    // The parser's path is ASCII: every byte is a character boundary.
    Some(&path[at..(at + 3).min(path.len())])
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
/// Percent-escapes are decoded; empty and `.` segments dropped, long ones
/// cut (`bound_segment`). The error says why it cannot be a path of this
/// site.
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
    if decoded.chars().any(char::is_control) {
        return Err("it holds a control character such as NUL, which no file name can");
    }
    let mut segments = Vec::new();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => return Err("`..` would leave the output folder"),
            _ => segments.push(bound_segment(segment)),
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

/// The longest segment of an output path, in bytes: file systems allow
/// 255 (Linux, macOS; Windows 255 UTF-16 units), and the rest is room to
/// spare.
pub const SEGMENT_MAX: usize = 200;

/// A path segment (a slug, a folder or file name) of at most
/// `SEGMENT_MAX` bytes: a longer one keeps its start, cut on a character
/// boundary, then `-` and the eight hex digits of the CRC-32 of the whole
/// segment, and its web extension if it names a file (`names_file`). The
/// same segment always gives the same result, and two long ones that
/// differ anywhere stay apart.
pub fn bound_segment(segment: &str) -> Cow<'_, str> {
    if segment.len() <= SEGMENT_MAX {
        return Cow::Borrowed(segment);
    }
    let extension = match segment.rsplit_once('.') {
        Some((_, extension)) if names_file(segment) => {
            &segment[segment.len() - extension.len() - 1..]
        }
        _ => "",
    };
    let mut end = SEGMENT_MAX - 9 - extension.len();
    while !segment.is_char_boundary(end) {
        end -= 1;
    }
    let start = segment[..end].trim_end_matches('-');
    let sum = crc32fast::hash(segment.as_bytes());
    Cow::Owned(format!("{start}-{sum:08x}{extension}"))
}

/// `bound_segment` for an owned segment, kept as it is when short enough.
pub fn bounded(segment: String) -> String {
    match bound_segment(&segment) {
        Cow::Borrowed(_) => segment,
        Cow::Owned(cut) => cut,
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

    /// Issue 11, item 16: base URLs that would make invalid or leaking
    /// links are refused, saying why; the accepted forms keep their
    /// normalisation.
    #[test]
    fn base_urls_are_parsed_by_the_url_parser() {
        for (written, absolute, root) in [
            (
                "https://example.org/watch",
                "https://example.org/watch/",
                "/watch/",
            ),
            (
                "https://example.org/watch/",
                "https://example.org/watch/",
                "/watch/",
            ),
            ("https://example.org", "https://example.org/", "/"),
            ("  http://127.0.0.1:1111/ ", "http://127.0.0.1:1111/", "/"),
            (
                "https://example.org//a/b//",
                "https://example.org/a/b/",
                "/a/b/",
            ),
            ("http://[::1]:8080/x", "http://[::1]:8080/x/", "/x/"),
            ("https://Example.ORG:443/A", "https://example.org/A/", "/A/"),
            (
                "https://example.org/a%20b/",
                "https://example.org/a%20b/",
                "/a%20b/",
            ),
            (
                "https://example.org/café",
                "https://example.org/caf%C3%A9/",
                "/caf%C3%A9/",
            ),
            (
                "https://bücher.example/",
                "https://xn--bcher-kva.example/",
                "/",
            ),
        ] {
            let b = BaseUrl::parse(written).unwrap_or_else(|e| panic!("{written}: {e}"));
            assert_eq!((b.absolute.as_str(), b.root.as_str()), (absolute, root));
        }
        for (written, why) in [
            (
                "https://x.example/a b/",
                "holds a space, which a URL cannot hold as it is: write it as %20",
            ),
            (
                "https://x.example/a\tb/",
                "holds the character U+0009, which a URL cannot hold as it is: write it as %09",
            ),
            (
                "https://x.example/<a>/",
                "holds `<`, which a URL cannot hold as it is: write it as %3C",
            ),
            (
                "http://[::1",
                "is not a valid URL (invalid IPv6 address): it must be an absolute URL",
            ),
            (
                "https://x.example/%zz/",
                "holds `%zz`, which is no percent-escape (`%` and two hex digits): write a `%` sign as %25",
            ),
            (
                "https://x.example/a%",
                "holds `%`, which is no percent-escape",
            ),
            (
                "https://user:pw@x.example/",
                "holds a user name or password",
            ),
            ("https://user@x.example/", "holds a user name or password"),
            ("https://x.example/?a=1", "without query or fragment"),
            ("https://x.example/#top", "without query or fragment"),
            ("ftp://x.example/", "must start with https:// or http://"),
            ("mailto:a@x.example", "must start with https:// or http://"),
            (
                "example.org",
                "must be an absolute URL such as https://example.org",
            ),
            ("https://", "is not a valid URL (empty host)"),
        ] {
            let err = BaseUrl::parse(written).unwrap_err();
            assert!(
                err.starts_with(&format!("base_url `{}` ", written.trim())) && err.contains(why),
                "{written}: {err}"
            );
        }
    }

    /// Issue 11, item 17: long segments are cut on a character boundary,
    /// stay apart and keep their extension; control characters are refused.
    #[test]
    fn long_segments_are_bounded() {
        let long = "a".repeat(300);
        let cut = bound_segment(&long);
        assert_eq!(cut.len(), SEGMENT_MAX);
        assert!(cut.starts_with(&"a".repeat(191)), "{cut}");
        assert_eq!(bound_segment(&long), cut, "stable");
        assert_ne!(bound_segment(&format!("{long}b")), cut, "apart");
        assert_eq!(bound_segment("short"), "short");
        assert_eq!(
            bound_segment(&"a".repeat(SEGMENT_MAX)),
            "a".repeat(SEGMENT_MAX)
        );
        let file = bounded(format!("{long}.html"));
        assert!(
            file.ends_with(".html") && file.len() == SEGMENT_MAX,
            "{file}"
        );
        let accents = "é".repeat(150);
        let cut = bound_segment(&accents);
        assert!(cut.len() <= SEGMENT_MAX && cut.starts_with("éé"), "{cut}");
        assert_eq!(
            site_path(&format!("/old/{long}/")).unwrap(),
            format!("/old/{}/", bound_segment(&long))
        );
        for written in ["/a\0b/", "/a%00b/", "/a\nb"] {
            assert_eq!(
                site_path(written),
                Err("it holds a control character such as NUL, which no file name can"),
                "{written:?}"
            );
        }
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
