//! Callouts (admonitions): a boxed note, tip or warning in a body.
//! GitHub's alerts (`> [!NOTE]`, also what Hugo reads) are parsed by
//! pulldown-cmark and written as `<div class="callout callout-note"
//! role="note">` with the kind's word as its title (`render`). The
//! containers other generators write are turned into such alerts before
//! the body is parsed (`containers`), keeping every line where it was:
//! Docusaurus's and VitePress's `:::note` … `:::` (more colons for an
//! outer one), quoted alerts with a title or of another kind (`> [!NOTE]
//! TL;DR`, Obsidian's `> [!info]-`) and MkDocs's `!!! note "Title"` (or `???`, `???+`) over
//! lines indented by four spaces (a `:::` kind that is no callout, as
//! `:::table-wrapper`, only loses its markers). A container's own title
//! becomes the bold start of its first line of text.

use std::borrow::Cow;
use std::sync::{LazyLock, Mutex};

use pulldown_cmark::{BlockQuoteKind, CowStr, Event, Tag, TagEnd};
use regex::Regex;

use crate::locale::Locale;

/// `:::note`, `::: tip Title`, `:::warning[Title]` (indented too, in a
/// list item): the indent, the colons, the kind, the title.
static COLON_OPEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([ \t]*)(:{3,})[ \t]*([A-Za-z][A-Za-z0-9_-]*)[ \t]*(?:\[(.*)\]|(.*?))[ \t]*(?:\{[^{}]*\})?[ \t]*$")
        .expect("a valid pattern")
});
static COLON_CLOSE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[ \t]*(:{3,})[ \t]*$").expect("a valid pattern"));
/// `!!! note "Title"`, `??? tip`, `???+ warning ""`: the indent, the
/// kind, the title.
static MKDOCS_OPEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^([ \t]*)(?:!!!|\?\?\?\+?)[ \t]+([A-Za-z][A-Za-z0-9_-]*)(?:[ \t]+[A-Za-z0-9_ -]*?)?(?:[ \t]+"(.*)")?[ \t]*$"#)
        .expect("a valid pattern")
});

/// A quoted alert GitHub does not read: with a title (`> [!NOTE] TL;DR`,
/// as Hugo and Obsidian write them), folded (`> [!tip]-`) or of another
/// kind (`> [!info]`): the indent, the kind, the fold sign, the title.
static ALERT_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([ \t]*)>[ \t]?\[!([A-Za-z][A-Za-z0-9_-]*)\]([+-]?)(?:[ \t]+(.*?))?[ \t]*$")
        .expect("a valid pattern")
});

/// The alert a container's kind becomes: Docusaurus's, VitePress's and
/// MkDocs's kinds; None for any other (a styling wrapper such as
/// `:::table-wrapper`, or `:::details`).
fn alert(kind: &str) -> Option<&'static str> {
    Some(match kind.to_ascii_lowercase().as_str() {
        "note" | "info" | "abstract" | "summary" | "tldr" | "seealso" | "quote" | "cite" => "NOTE",
        "tip" | "hint" | "success" | "check" | "done" => "TIP",
        "important" | "example" | "question" | "faq" | "help" => "IMPORTANT",
        "warning" | "warn" | "attention" | "caution" => "WARNING",
        "danger" | "error" | "failure" | "fail" | "missing" | "bug" => "CAUTION",
        _ => return None,
    })
}

/// `body` with every `:::` and `!!!` container written as a GitHub alert,
/// line for line; a body without one is returned as it is.
pub fn containers(body: Cow<'_, str>) -> Cow<'_, str> {
    if !may_hold_container(&body) {
        return body;
    }
    match rewrite(&body) {
        Some(text) => Cow::Owned(text),
        None => body,
    }
}

/// Whether `text` holds `:::`, `!!!`, `???` or `[!` anywhere: one pass
/// over the bytes (four substring searches were 1% of a build).
fn may_hold_container(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr3_iter(b':', b'!', b'?', bytes).any(|i| {
        let c = bytes[i];
        (c == b'!' && i > 0 && bytes[i - 1] == b'[') || bytes.get(i + 1..i + 3) == Some(&[c, c][..])
    })
}

/// The lines of `text` with their endings.
fn lines(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

/// Splits a line from its ending (`\n`, `\r\n` or none).
fn ending(line: &str) -> (&str, &str) {
    let content = line.trim_end_matches(['\n', '\r']);
    (content, &line[content.len()..])
}

/// `text` rewritten, or None when it holds no container outside code.
fn rewrite(text: &str) -> Option<String> {
    let code = crate::markdown::literal_ranges(text);
    let lines = lines(text);
    let mut starts = Vec::with_capacity(lines.len());
    let mut at = 0;
    for line in &lines {
        starts.push(at);
        at += line.len();
    }
    let in_code = |i: usize| {
        code.iter()
            .any(|r| r.start <= starts[i] && starts[i] < r.end)
    };
    let mut out = String::with_capacity(text.len() + 64);
    let mut changed = false;
    let mut i = 0;
    while i < lines.len() {
        let (content, end) = ending(lines[i]);
        if !in_code(i)
            && let Some(open) = COLON_OPEN.captures(content)
        {
            let (indent, colons) = (&open[1], open[2].len());
            // Its close: a line of at least as many colons, outside code,
            // with the containers opened inside it closed first.
            let mut depth = 0usize;
            let mut close = None;
            for (j, line) in lines.iter().enumerate().skip(i + 1) {
                if in_code(j) {
                    continue;
                }
                let (c, _) = ending(line);
                if let Some(inner) = COLON_OPEN.captures(c) {
                    if inner[2].len() <= colons || depth > 0 {
                        depth += 1;
                    }
                } else if let Some(m) = COLON_CLOSE.captures(c) {
                    if depth > 0 {
                        depth -= 1;
                    } else if m[1].len() >= colons {
                        close = Some(j);
                        break;
                    }
                }
            }
            if let Some(close) = close {
                let title = open.get(4).or(open.get(5)).map_or("", |m| m.as_str());
                match alert(&open[3]) {
                    Some(alert) => {
                        let inner: String = lines[i + 1..close]
                            .iter()
                            .map(|line| dedent(line, indent.len()))
                            .collect();
                        quote(&mut out, indent, alert, title, end, &inner)
                    }
                    None => {
                        // Not a callout: its lines as they are, the
                        // markers left out.
                        let inner: String = lines[i + 1..close].concat();
                        out.push_str(if end.is_empty() { "\n" } else { end });
                        out.push_str(&rewrite(&inner).unwrap_or(inner));
                    }
                }
                let (_, close_end) = ending(lines[close]);
                out.push_str(close_end);
                changed = true;
                i = close + 1;
                continue;
            }
        }
        if !in_code(i)
            && let Some(open) = MKDOCS_OPEN.captures(content)
        {
            // Its body: the lines after it indented by four spaces or a
            // tab more, blank lines among them, up to the first line that
            // is not.
            let indent = &open[1];
            let body = |c: &str| {
                c.strip_prefix(indent)
                    .is_some_and(|rest| rest.starts_with("    ") || rest.starts_with('\t'))
            };
            let mut last = i;
            for (j, line) in lines.iter().enumerate().skip(i + 1) {
                let (c, _) = ending(line);
                if c.trim().is_empty() {
                    continue;
                }
                if body(c) {
                    last = j;
                } else {
                    break;
                }
            }
            let inner: String = lines[i + 1..=last]
                .iter()
                .map(|line| dedent(line, indent.len() + 4))
                .collect();
            let title = open.get(3).map_or("", |m| m.as_str());
            // MkDocs styles a kind of its own as a note.
            quote(
                &mut out,
                indent,
                alert(&open[2]).unwrap_or("NOTE"),
                title,
                end,
                &inner,
            );
            changed = true;
            i = last + 1;
            continue;
        }
        if !in_code(i)
            && let Some(open) = ALERT_MARKER.captures(content)
        {
            let kind = &open[2];
            let title = open.get(4).map_or("", |m| m.as_str());
            let read_by_github = ["note", "tip", "important", "warning", "caution"]
                .iter()
                .any(|k| k.eq_ignore_ascii_case(kind));
            if !(read_by_github && title.is_empty() && open[3].is_empty()) {
                // Its body: the quote's following lines.
                let indent = &open[1];
                let quoted = |c: &str| c.strip_prefix(indent).is_some_and(|r| r.starts_with('>'));
                let last = (i + 1..lines.len())
                    .take_while(|&j| quoted(ending(lines[j]).0))
                    .last()
                    .unwrap_or(i);
                let inner: String = lines[i + 1..=last]
                    .iter()
                    .map(|line| {
                        let rest = &line[indent.len() + 1..];
                        rest.strip_prefix(' ').unwrap_or(rest)
                    })
                    .collect();
                quote(
                    &mut out,
                    indent,
                    alert(kind).unwrap_or("NOTE"),
                    title,
                    end,
                    &inner,
                );
                changed = true;
                i = last + 1;
                continue;
            }
        }
        out.push_str(lines[i]);
        i += 1;
    }
    changed.then_some(out)
}

/// Writes a container as a GitHub alert: its marker line, then each line
/// of `inner` (rewritten first: containers nest) behind `> `, its title
/// as the bold start of the first line of text.
fn quote(out: &mut String, indent: &str, alert: &str, title: &str, end: &str, inner: &str) {
    out.push_str(indent);
    out.push_str("> [!");
    out.push_str(alert);
    out.push(']');
    out.push_str(if end.is_empty() { "\n" } else { end });
    let inner = rewrite(inner).map_or(Cow::Borrowed(inner), Cow::Owned);
    let mut title = title.trim();
    for line in lines(&inner) {
        let (content, end) = ending(line);
        out.push_str(indent);
        out.push('>');
        if !content.is_empty() {
            out.push(' ');
            if !title.is_empty() && !content.trim().is_empty() {
                if starts_plain_text(content) {
                    out.push_str("**");
                    out.push_str(&title.replace('*', "\\*"));
                    out.push_str("** ");
                }
                title = "";
            }
            out.push_str(content);
        }
        out.push_str(if end.is_empty() { "\n" } else { end });
    }
}

/// `line` less up to `width` columns of leading spaces (a tab is four).
fn dedent(line: &str, width: usize) -> &str {
    let mut columns = 0;
    for (at, c) in line.char_indices() {
        if columns >= width {
            return &line[at..];
        }
        match c {
            ' ' => columns += 1,
            '\t' => columns += 4,
            _ => return &line[at..],
        }
    }
    line.trim_start_matches([' ', '\t'])
}

/// Whether a line starts a paragraph, not a list, heading, fence, quote,
/// table or HTML (where a title in front would change what it is).
fn starts_plain_text(line: &str) -> bool {
    let t = line.trim_start();
    let indent = line.len() - t.len();
    let first = t.chars().next().unwrap_or(' ');
    indent < 4
        && !matches!(
            first,
            '#' | '>' | '`' | '~' | '|' | '<' | '-' | '*' | '+' | '=' | '_' | ':' | '!' | '['
        )
        && !t
            .split_once(['.', ')'])
            .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The kinds' words (note, tip, important, warning, caution) in a
/// site's language, kept for the whole run: one copy per set of words, so
/// a `Style` that holds them stays `Copy`.
pub fn words(locale: &Locale) -> &'static [String; 5] {
    static KNOWN: LazyLock<Mutex<Vec<&'static [String; 5]>>> = LazyLock::new(Mutex::default);
    let words = KINDS.map(|(_, key, english)| {
        locale
            .word(key, None, &[])
            .unwrap_or_else(|| english.to_string())
    });
    let mut known = KNOWN.lock().expect("no panic holding it");
    if let Some(found) = known.iter().find(|w| ***w == words) {
        return found;
    }
    let leaked: &'static [String; 5] = Box::leak(Box::new(words));
    known.push(leaked);
    leaked
}

/// English, for a `Style` made without a site.
pub fn english() -> &'static [String; 5] {
    static ENGLISH: LazyLock<[String; 5]> =
        LazyLock::new(|| KINDS.map(|(_, _, english)| english.to_string()));
    &ENGLISH
}

/// Each kind's class, locale key and English word.
const KINDS: [(&str, &str, &str); 5] = [
    ("note", "callout_note", "Note"),
    ("tip", "callout_tip", "Tip"),
    ("important", "callout_important", "Important"),
    ("warning", "callout_warning", "Warning"),
    ("caution", "callout_caution", "Caution"),
];

/// Renders an alert's start and end (the other events are as they were):
/// a `div` with the kind's word from `words` as its title.
pub fn render<'a>(event: Event<'a>, words: &[String; 5]) -> Event<'a> {
    match event {
        Event::Start(Tag::BlockQuote(Some(kind))) => {
            let n = match kind {
                BlockQuoteKind::Note => 0,
                BlockQuoteKind::Tip => 1,
                BlockQuoteKind::Important => 2,
                BlockQuoteKind::Warning => 3,
                BlockQuoteKind::Caution => 4,
            };
            Event::Html(CowStr::from(format!(
                "<div class=\"callout callout-{}\" role=\"note\">\n<p class=\"callout-title\">{}</p>\n",
                KINDS[n].0,
                crate::markdown::escape_text(&words[n])
            )))
        }
        Event::End(TagEnd::BlockQuote(Some(_))) => Event::Html(CowStr::from("</div>\n")),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn container_markers_are_found_anywhere_and_only_whole() {
        for text in [
            ":::",
            "a\n::: note",
            "!!! tip",
            "x ???",
            "> [!NOTE]",
            "[!",
            "::::",
        ] {
            assert!(may_hold_container(text), "{text:?}");
        }
        for text in [
            "",
            ":",
            "::",
            "a: b: c",
            "!! ?? [ !",
            "Wow!! Really?? [x]!",
            "?!:",
        ] {
            assert!(!may_hold_container(text), "{text:?}");
        }
    }

    fn rewritten(text: &str) -> String {
        containers(Cow::Borrowed(text)).into_owned()
    }

    #[test]
    fn colon_containers_become_alerts_line_for_line() {
        let text = "Intro.\n\n:::note Read this\nSome **content**.\n:::\n\n::::danger\n\n:::tip[Inner]\n\n- a list\n\n:::\n\n::::\n\n```md\n:::note\nnot a container\n:::\n```\n";
        let out = rewritten(text);
        assert_eq!(out.lines().count(), text.lines().count(), "{out}");
        assert_eq!(
            out,
            "Intro.\n\n> [!NOTE]\n> **Read this** Some **content**.\n\n\n> [!CAUTION]\n>\n> > [!TIP]\n> >\n> > - a list\n> >\n>\n>\n\n\n```md\n:::note\nnot a container\n:::\n```\n"
        );
        assert_eq!(
            rewritten(":::note\nnever closed\n"),
            ":::note\nnever closed\n"
        );
        assert_eq!(rewritten("What???\n"), "What???\n");
        assert_eq!(
            rewritten(":::table-wrapper\n| a |\n|---|\n:::\n"),
            "\n| a |\n|---|\n\n",
            "a kind that is no callout leaves its content as it is"
        );
    }

    #[test]
    fn containers_in_list_items_keep_their_indent() {
        let text = "- item\n\n    :::caution\n\n    Deprecated.\n    :::\n\n- next\n  !!! tip\n      Nested tip.\n";
        assert_eq!(
            rewritten(text),
            "- item\n\n    > [!WARNING]\n    >\n    > Deprecated.\n\n\n- next\n  > [!TIP]\n  > Nested tip.\n"
        );
        let html = crate::markdown::render(&rewritten(text)).html;
        assert!(
            html.contains("<li>\n<p>item</p>\n<div class=\"callout callout-warning\""),
            "{html}"
        );
    }

    #[test]
    fn quoted_alerts_with_a_title_or_another_kind() {
        let text = "> [!NOTE] TL;DR\n>\n> Short.\n\n> [!info]- Folded\n> Text.\nLazy.\n\n> [!WARNING]\n> As GitHub reads it.\n";
        assert_eq!(
            rewritten(text),
            "> [!NOTE]\n>\n> **TL;DR** Short.\n\n> [!NOTE]\n> **Folded** Text.\nLazy.\n\n> [!WARNING]\n> As GitHub reads it.\n"
        );
    }

    #[test]
    fn mkdocs_admonitions_become_alerts() {
        let text =
            "!!! warning \"Mind the gap\"\n    First line.\n\n    ```sh\n    ls\n    ```\nAfter.\n";
        let out = rewritten(text);
        assert_eq!(
            out,
            "> [!WARNING]\n> **Mind the gap** First line.\n>\n> ```sh\n> ls\n> ```\nAfter.\n"
        );
    }
}
