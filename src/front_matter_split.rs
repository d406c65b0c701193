//! Finds the front matter at the top of a content file: the block between
//! `---` lines (YAML) or `+++` lines (TOML), split from the body with the
//! file's line numbers kept. Reading the block is `front_matter.rs`'s job.

use std::path::Path;

use crate::diagnostic::Diagnostic;

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
    let mut json = false;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let trimmed = line.trim_end();
        match opened_at {
            None if trimmed.is_empty() => {}
            // Hugo's JSON front matter: an object from a `{` line to a `}`
            // line, read by the YAML reader (JSON is YAML), braces and all.
            None if trimmed == "{" => {
                opened_at = Some(index + 1);
                json = true;
            }
            Some(_) if json && trimmed == "}" => {
                let end = offset + line.len();
                return Ok(Split {
                    yaml: &text[..end],
                    toml,
                    body: &text[end..],
                    body_line: index + 2,
                });
            }
            Some(_) if json => {}
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
    let fence = if json {
        "}"
    } else if toml {
        "+++"
    } else {
        "---"
    };
    Err(Diagnostic::new(
        path,
        format!("the front matter opened with `{fence}` here is never closed: add a line `{fence}` after its last key"),
    )
    .at(line, Some(1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_keeps_file_line_numbers() {
        let text = "\n---\ntitle: A\ndate: 2024-10-25\n---\nBody\n---\nmore\n";
        let split = split(Path::new("a.md"), text).unwrap();
        assert_eq!(split.body, "Body\n---\nmore\n");
        assert_eq!(split.body_line, 6);
        assert_eq!(split.yaml, "\n---\ntitle: A\ndate: 2024-10-25\n");
        assert!(!split.toml);
    }

    #[test]
    fn json_front_matter_is_read_as_yaml() {
        let text = "{\n  \"title\": \"A\",\n  \"date\": \"2024-10-25\"\n}\nBody\n}\n";
        let parts = split(Path::new("a.md"), text).unwrap();
        assert_eq!(
            parts.yaml,
            "{\n  \"title\": \"A\",\n  \"date\": \"2024-10-25\"\n}\n"
        );
        assert_eq!((parts.body, parts.body_line), ("Body\n}\n", 5));
        let err = split(Path::new("a.md"), "{\n\"title\": \"A\"\n")
            .err()
            .unwrap();
        assert!(err.message.contains("add a line `}`"), "{}", err.message);
    }

    #[test]
    fn unclosed_front_matter_names_the_opening_line() {
        let err = split(Path::new("a.md"), "---\ntitle: A\n").err().unwrap();
        assert_eq!(err.line, Some(1));
        assert!(err.message.contains("never closed"), "{}", err.message);
    }
}
