//! Citations, in Pandoc's syntax: `[@id]`, or `[@a; @b]` for several,
//! where each id names a briefing's `sources:` entry. This adapter finds
//! them in the body's text (never in code, raw HTML or an image's alt
//! text; an escaped `\[@x]` stays text) and, given the sources' numbers,
//! writes each as numbered links to `#source-N` in the page's "Sources"
//! list; the `k`th citation of source N gets the id `cite-N` (then
//! `cite-N-2`…) for the list's back-links. The load-time scan
//! (`markdown_scan.rs`) runs the same finder, so the order of first
//! citation and the number of citations per source are known before the
//! page is rendered. Heading ids never start with `cite-` or `source-`
//! (`HeadingIds` in `markdown.rs`).

use std::collections::{HashMap, VecDeque};
use std::fmt::Write;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use crate::markdown_attrs::Spanned;

/// The prefixes of the ids citations own.
pub const CITE_PREFIXES: [&str; 2] = ["cite-", "source-"];

/// One `[@a; @b]` in a body: its byte offset and the ids, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    pub offset: usize,
    pub ids: Vec<String>,
}

/// See the module comment. With `numbers` (id -> its number in the
/// Sources list), citations are written as links; without, the events pass
/// unchanged and the citations are only collected.
pub(crate) struct Cited<'a, 'n, I> {
    inner: I,
    markdown: &'a str,
    numbers: Option<&'n HashMap<String, usize>>,
    /// Citations of each number so far.
    counts: HashMap<usize, usize>,
    out: VecDeque<Spanned<'a>>,
    /// Inside a code block or an image (depth).
    literal: usize,
    pub found: Vec<Citation>,
}

impl<'a, 'n, I> Cited<'a, 'n, I> {
    pub fn new(inner: I, markdown: &'a str, numbers: Option<&'n HashMap<String, usize>>) -> Self {
        Cited {
            inner,
            markdown,
            numbers,
            counts: HashMap::new(),
            out: VecDeque::new(),
            literal: 0,
            found: Vec::new(),
        }
    }
}

impl<'a, I: Iterator<Item = Spanned<'a>>> Iterator for Cited<'a, '_, I> {
    type Item = Spanned<'a>;

    fn next(&mut self) -> Option<Spanned<'a>> {
        if let Some(next) = self.out.pop_front() {
            return Some(next);
        }
        let (event, range) = self.inner.next()?;
        match &event {
            Event::Start(Tag::CodeBlock(_) | Tag::Image { .. }) => self.literal += 1,
            Event::End(TagEnd::CodeBlock | TagEnd::Image) => {
                self.literal = self.literal.saturating_sub(1)
            }
            Event::Text(_) if self.literal == 0 => {}
            _ => return Some((event, range)),
        }
        let Event::Text(first) = event else {
            return Some((event, range));
        };
        // A run of text: the parser splits it at brackets and escapes.
        let mut run: Vec<(CowStr<'a>, std::ops::Range<usize>)> = vec![(first, range)];
        let mut after = None;
        for (event, range) in self.inner.by_ref() {
            match event {
                Event::Text(text) => run.push((text, range)),
                other => {
                    after = Some((other, range));
                    break;
                }
            }
        }
        let mut text = String::new();
        // Byte positions in `text` of brackets written escaped (`\[`).
        let mut escaped = Vec::new();
        // Each piece's start in `text` and in the body.
        let mut starts = Vec::new();
        for (piece, range) in &run {
            starts.push((text.len(), range.start));
            // The parser drops an escape's backslash and starts the
            // piece after it: an odd number of backslashes before a `[`.
            let slashes = self.markdown[..range.start]
                .bytes()
                .rev()
                .take_while(|&b| b == b'\\')
                .count();
            if piece.starts_with('[') && slashes % 2 == 1 {
                escaped.push(text.len());
            }
            text.push_str(piece);
        }
        let citations = find(&text, &escaped);
        let whole = run[0].1.start..run[run.len() - 1].1.end;
        if citations.is_empty() {
            self.out
                .extend(run.into_iter().map(|(t, r)| (Event::Text(t), r)));
        } else {
            let mut at = 0;
            for (span, parts) in citations {
                let offset = starts
                    .iter()
                    .rev()
                    .find(|(in_text, _)| *in_text <= span.start)
                    .map_or(whole.start, |(in_text, in_body)| {
                        in_body + (span.start - in_text)
                    });
                if span.start > at {
                    let before = CowStr::from(text[at..span.start].to_string());
                    self.out.push_back((Event::Text(before), whole.clone()));
                }
                match self.numbers {
                    Some(numbers) => {
                        let html = self.html(numbers, &parts);
                        self.out
                            .push_back((Event::InlineHtml(html.into()), whole.clone()));
                    }
                    None => {
                        let written = CowStr::from(text[span.clone()].to_string());
                        self.out.push_back((Event::Text(written), whole.clone()));
                    }
                }
                let ids = parts.into_iter().map(|p| p.id).collect();
                self.found.push(Citation { offset, ids });
                at = span.end;
            }
            if at < text.len() {
                let rest = CowStr::from(text[at..].to_string());
                self.out.push_back((Event::Text(rest), whole));
            }
        }
        if let Some((event, range)) = after {
            match &event {
                Event::Start(Tag::CodeBlock(_) | Tag::Image { .. }) => self.literal += 1,
                Event::End(TagEnd::CodeBlock | TagEnd::Image) => {
                    self.literal = self.literal.saturating_sub(1)
                }
                _ => {}
            }
            self.out.push_back((event, range));
        }
        self.out.pop_front()
    }
}

impl<I> Cited<'_, '_, I> {
    /// `[1, 3]`: each number a link to its source, with its citation id,
    /// and its locator after it (`[1, p. 4; 3]`: a semicolon between
    /// sources once one has a locator). An id with no number (an unknown
    /// one, reported at load) is shown as written.
    fn html(&mut self, numbers: &HashMap<String, usize>, parts: &[Part]) -> String {
        let mut html = String::from("<span class=\"citation\">[");
        let between = match parts.iter().any(|p| p.locator.is_some()) {
            true => "; ",
            false => ", ",
        };
        for (k, Part { id, locator }) in parts.iter().enumerate() {
            if k > 0 {
                html.push_str(between);
            }
            match numbers.get(id) {
                Some(&n) => {
                    let count = self.counts.entry(n).or_insert(0);
                    *count += 1;
                    write!(
                        html,
                        "<a href=\"#source-{n}\" id=\"{}\" class=\"citation-ref\">{n}</a>",
                        cite_id(n, *count)
                    )
                    .expect("writing to a String cannot fail");
                }
                None => {
                    html.push('@');
                    pulldown_cmark_escape::escape_html(&mut html, id)
                        .expect("writing to a String cannot fail");
                }
            }
            if let Some(locator) = locator {
                html.push_str(", ");
                pulldown_cmark_escape::escape_html(&mut html, locator)
                    .expect("writing to a String cannot fail");
            }
        }
        html.push_str("]</span>");
        html
    }
}

/// The citations of a body, in the order written (a load-time read).
pub fn citations(markdown: &str) -> Vec<Citation> {
    if !markdown.contains("[@") {
        return Vec::new();
    }
    let parser = pulldown_cmark::Parser::new_ext(markdown, crate::markdown::options());
    let mut cited = Cited::new(parser.into_offset_iter(), markdown, None);
    cited.by_ref().for_each(drop);
    cited.found
}

/// Plain text (a summary) without its citations and the spaces before
/// them: "Talks resumed [@un]." becomes "Talks resumed.".
pub fn without_citations(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (span, _) in find(text, &[]) {
        out.push_str(text[at..span.start].trim_end());
        at = span.end;
    }
    out.push_str(&text[at..]);
    out
}

/// The id of the `count`th citation of source `number`.
pub fn cite_id(number: usize, count: usize) -> String {
    match count {
        1 => format!("cite-{number}"),
        k => format!("cite-{number}-{k}"),
    }
}

/// One cited source of a `[@a, p. 4; @b]`: its id and, when written after
/// a comma, its locator (Pandoc's: `p. 4`, `ch. 2`, `para. 7`), shown after
/// the number.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Part {
    id: String,
    locator: Option<String>,
}

/// The citations in a run of text: each `[@id; @id, locator…]` (its byte
/// span and parts) whose `[` is not at an `escaped` position.
fn find(text: &str, escaped: &[usize]) -> Vec<(std::ops::Range<usize>, Vec<Part>)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("[@").map(|i| i + from) {
        from = i + 1;
        if escaped.contains(&i) {
            continue;
        }
        let Some(close) = text[i..].find(']').map(|c| c + i) else {
            break;
        };
        let inner = &text[i + 1..close];
        let parts: Option<Vec<Part>> = inner
            .split(';')
            .map(|part| {
                let cited = part.trim().strip_prefix('@')?;
                let (id, locator) = match cited.split_once(',') {
                    Some((id, locator)) => (id.trim_end(), Some(locator.trim())),
                    None => (cited, None),
                };
                let locator = match locator {
                    Some("") => return None,
                    Some(l) if l.contains('@') || l.contains('[') => return None,
                    l => l.map(str::to_string),
                };
                is_id(id).then(|| Part {
                    id: id.to_string(),
                    locator,
                })
            })
            .collect();
        if let Some(parts) = parts {
            found.push((i..close + 1, parts));
            from = close + 1;
        }
    }
    found
}

/// Pandoc's citation keys, simplified: letters, digits and `_`, with
/// `-`, `.`, `:` and `/` inside.
fn is_id(id: &str) -> bool {
    let edge = |c: char| c.is_alphanumeric() || c == '_';
    let inside = |c: char| edge(c) || matches!(c, '-' | '.' | ':' | '/');
    id.starts_with(edge) && id.ends_with(edge) && id.chars().all(inside)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_pandoc_citations() {
        let ids = |t: &str| -> Vec<Vec<String>> {
            find(t, &[])
                .into_iter()
                .map(|c| c.1.into_iter().map(|p| p.id).collect())
                .collect()
        };
        assert_eq!(ids("See [@un-2024]."), [["un-2024"]]);
        assert_eq!(ids("[@a; @b.c]"), [vec!["a", "b.c"]]);
        assert!(ids("mail a@b.org [a@b] [@] [@a b] [@a;]").is_empty());
        assert!(find("[@a]", &[0]).is_empty());
        assert_eq!(without_citations("Said [@a]. Then [@a; @b]"), "Said. Then");
        assert_eq!(without_citations("Said [@a, p. 4]."), "Said.");
    }

    /// Pandoc's locators: `[@id, p. 4]`, one per source.
    #[test]
    fn reads_locators() {
        let parts = |t: &str| {
            find(t, &[])
                .into_iter()
                .flat_map(|c| c.1)
                .collect::<Vec<_>>()
        };
        let part = |id: &str, locator: Option<&str>| Part {
            id: id.into(),
            locator: locator.map(str::to_string),
        };
        assert_eq!(parts("[@un, p. 4]"), [part("un", Some("p. 4"))]);
        assert_eq!(
            parts("[@a, pp. 3-5; @b; @c , ch. 2]"),
            [
                part("a", Some("pp. 3-5")),
                part("b", None),
                part("c", Some("ch. 2"))
            ]
        );
        // Not citations: an empty locator, a locator naming another id.
        assert!(parts("[@a,] [@a, see @b]").is_empty());
        let numbers = HashMap::from([("a".to_string(), 1), ("b".to_string(), 2)]);
        let mut cited = Cited::new(std::iter::empty::<Spanned>(), "", Some(&numbers));
        let html = cited.html(&numbers, &parts("[@a, p. <4>; @b]"));
        assert_eq!(
            html,
            "<span class=\"citation\">[<a href=\"#source-1\" id=\"cite-1\" class=\"citation-ref\">1</a>, p. &lt;4&gt;; <a href=\"#source-2\" id=\"cite-2\" class=\"citation-ref\">2</a>]</span>"
        );
    }
}
