//! URLs that would run a script if they became an `href` or `src`:
//! `javascript:`, `vbscript:` and `data:` other than a raster image. The
//! scheme is read as a browser reads it (the WHATWG URL standard's "basic
//! URL parser": leading and trailing C0 controls and spaces stripped, tabs
//! and newlines removed anywhere, the scheme compared in lower case), so
//! ` JaVa\tScRiPt:` is caught; text with HTML entities is read both as
//! written and decoded (`&#106;avascript:`), in case a template writes it
//! unescaped. Markdown links with one are shown as text
//! (`markdown_links.rs`), a front-matter `sources:` URL is an error
//! (`front_matter.rs`), and `briefly check` names any left in raw HTML or
//! templates.

/// What makes `url` a script URL (`javascript:`, `data:text/html`), or
/// None when it is safe to link to.
pub fn script_scheme(url: &str) -> Option<String> {
    scheme_of(url).or_else(|| {
        url.contains('&')
            .then(|| html_escape::decode_html_entities(url))
            .and_then(|decoded| scheme_of(&decoded))
    })
}

/// `url` for a message: tabs, line ends and other control characters
/// written as escapes (`\t`), so that what hides the scheme shows.
pub fn shown(url: &str) -> String {
    url.chars()
        .map(|c| match c {
            c if c.is_control() => c.escape_default().to_string(),
            c => c.to_string(),
        })
        .collect()
}

/// The script scheme of `url` as written, if it has one.
fn scheme_of(url: &str) -> Option<String> {
    // C0 controls are U+0000 to U+001F; the standard strips them and the
    // space at both ends, then removes every tab, line feed and carriage
    // return.
    let trimmed = url.trim_matches(|c: char| c <= ' ');
    let mut chars = trimmed.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r'));
    // The longest scheme looked for is `javascript`: a longer one is no
    // script scheme, and needs no buffer.
    let mut scheme = [0u8; 10];
    let mut len = 0;
    // The scheme starts with a letter and goes on with letters, digits,
    // `+`, `-` and `.` up to a `:`; anything else means no scheme.
    loop {
        let c = chars.next()?;
        let valid = if len == 0 {
            c.is_ascii_alphabetic()
        } else {
            c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')
        };
        if c == ':' && len > 0 {
            break;
        }
        if !valid || len == scheme.len() {
            return None;
        }
        scheme[len] = c.to_ascii_lowercase() as u8;
        len += 1;
    }
    match &scheme[..len] {
        b"javascript" => Some("javascript:".to_string()),
        b"vbscript" => Some("vbscript:".to_string()),
        b"data" => {
            // The media type runs to the first `,` (or its first `;`),
            // trimmed of ASCII whitespace, as the Fetch standard reads it.
            let rest: String = chars.take_while(|c| *c != ',').collect();
            let media = rest.split(';').next().unwrap_or("");
            let media = media.trim_matches(|c: char| c.is_ascii_whitespace());
            let media = media.to_ascii_lowercase();
            // An SVG image can hold scripts; a raster image cannot.
            let image = media.starts_with("image/") && media != "image/svg+xml";
            (!image).then(|| {
                if media.is_empty() {
                    "data:".to_string()
                } else {
                    format!("data:{media}")
                }
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 11, item 7: every way of writing a script URL that a browser
    /// still reads as one.
    #[test]
    fn issue_11_script_urls_are_read_as_a_browser_reads_them() {
        for (url, scheme) in [
            ("javascript:alert(1)", "javascript:"),
            ("JaVaScRiPt:alert(1)", "javascript:"),
            ("  javascript:alert(1)", "javascript:"),
            ("\u{1}\u{1f} javascript:alert(1) \u{0}", "javascript:"),
            ("java\tscript:alert(1)", "javascript:"),
            ("java\nscr\ript:alert(1)", "javascript:"),
            ("&#106;avascript:alert(1)", "javascript:"),
            ("java&#x09;script:alert(1)", "javascript:"),
            ("&#x6A;ava&Tab;script&colon;alert(1)", "javascript:"),
            ("VBScript:MsgBox(1)", "vbscript:"),
            ("data:text/html,<script>alert(1)</script>", "data:text/html"),
            ("DATA:Text/HTML;base64,PHNjcmlwdD4=", "data:text/html"),
            ("data:,alert(1)", "data:"),
            ("data:image/svg+xml;base64,PHN2Zz4=", "data:image/svg+xml"),
        ] {
            assert_eq!(script_scheme(url).as_deref(), Some(scheme), "{url:?}");
        }
        for url in [
            "https://example.org/javascript:x",
            "/javascript:alert(1)",
            "./javascript:alert(1)",
            "#javascript:x",
            "mailto:desk@example.org",
            "data:image/png;base64,iVBORw0KGgo=",
            "data: Image/JPEG ;base64,/9j/",
            "javascript",
            "java script:alert(1)",
            "1javascript:alert(1)",
            "%6Aavascript:alert(1)",
            "kazan.md",
            "",
        ] {
            assert_eq!(script_scheme(url), None, "{url:?}");
        }
    }

    /// The scheme as read here is the scheme the `url` crate (an
    /// implementation of the same standard) reads, for URLs it parses.
    #[test]
    fn the_scheme_is_the_one_the_url_standard_reads() {
        for written in [
            " \tJava\nScript:alert(1)",
            "\u{1f}vbscript:x",
            "data:text/html,x",
            "jav\ra\tscript:x",
            "java script:x",
        ] {
            let standard = url::Url::parse(written).map(|u| u.scheme().to_string());
            let scripted = matches!(standard.as_deref(), Ok("javascript" | "vbscript" | "data"));
            assert_eq!(script_scheme(written).is_some(), scripted, "{written:?}");
        }
    }
}
