//! The load-time read of a Markdown body, without making its HTML (that
//! is `markdown.rs`): the summary (a `<!-- more -->` break or the first
//! paragraph, as plain text), the number of words outside code, the heading
//! ids links may point at, and the links to other source files. It reads
//! through the same kramdown attribute lists (`markdown_attrs.rs`) as the
//! rendering, so heading ids match and a list is never part of a summary.

use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};

use crate::markdown::{HeadingIds, is_followed_link, options};
use crate::markdown_attrs::Attributed;
use crate::search_terms::Shown;

/// What lists and links need of a body, without making its HTML.
#[derive(Debug, Clone, Default)]
pub struct Scan {
    /// The first paragraph as plain text (empty when there is none).
    pub first_paragraph: String,
    pub word_count: usize,
    /// The ids of its headings, which links may point at.
    pub anchors: Vec<String>,
    /// Its links to source files and paths into the site (see
    /// `is_followed_link`), as written.
    pub links: Vec<String>,
}

/// Reads a body without making HTML: cheap next to `render`, so a build can
/// keep every briefing's metadata in memory and make each body's HTML only
/// when its page is written.
pub fn scan(markdown: &str) -> Scan {
    // One pass over the parser's events, nothing collected: the load of a
    // big site runs this once per briefing.
    let mut reader = TextReader {
        // Only a body with an HTML comment can hold the `<!-- more -->`
        // marker; the others need not copy their text as they go.
        track_more: markdown.contains("<!--"),
        ..TextReader::default()
    };
    let mut links = Vec::new();
    let mut anchors = Vec::new();
    let mut ids = HeadingIds::default();
    let mut heading: Option<(Option<String>, String)> = None;
    let parser = Parser::new_ext(markdown, options());
    // Attribute lists need the events' offsets, which cost a little on
    // every event: only a body that has one pays for them.
    let events: Box<dyn Iterator<Item = Event<'_>>> = if markdown.contains("{:") {
        let spanned = Attributed::new(parser.into_offset_iter(), markdown, false);
        Box::new(spanned.map(|(event, _)| event))
    } else {
        Box::new(parser)
    };
    for event in events {
        reader.feed(&event);
        match &event {
            Event::Start(
                Tag::Link {
                    dest_url,
                    link_type,
                    ..
                }
                | Tag::Image {
                    dest_url,
                    link_type,
                    ..
                },
            ) if *link_type != LinkType::Email && is_followed_link(dest_url) => {
                links.push(dest_url.to_string());
            }
            Event::Start(Tag::Heading { id, .. }) => {
                heading = Some((id.as_ref().map(|s| s.to_string()), String::new()));
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, title)) = &mut heading {
                    title.push_str(t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((id, title)) = heading.take() {
                    anchors.push(ids.unique(id, &title));
                }
            }
            _ => {}
        }
    }
    let (first_paragraph, word_count) = reader.finish();
    Scan {
        first_paragraph,
        word_count,
        anchors,
        links,
    }
}

/// A front-matter text written in Markdown (a summary or an author:
/// `Name ([@x](https://…))`) as the plain text a reader sees: `Some` when
/// it has a sign of inline Markdown and is one paragraph, its emphasis,
/// code and links' marks gone, raw HTML tags dropped, entities decoded;
/// `None` when it is plain already or would be more than a paragraph
/// (`2023. A year` would be a list: it is kept as written).
pub fn inline_text(text: &str) -> Option<String> {
    if !text.contains(['*', '_', '`', '[', '<', '\\', '~']) {
        return None;
    }
    let mut plain = String::new();
    let mut depth = 0usize;
    for (n, event) in Parser::new_ext(text, options()).enumerate() {
        match event {
            Event::Start(Tag::Paragraph) if n == 0 => depth += 1,
            Event::End(TagEnd::Paragraph) if depth == 1 => depth -= 1,
            _ if depth == 0 => return None,
            Event::Start(
                Tag::Paragraph
                | Tag::Heading { .. }
                | Tag::List(_)
                | Tag::BlockQuote(_)
                | Tag::CodeBlock(_)
                | Tag::HtmlBlock,
            ) => return None,
            Event::Text(t) | Event::Code(t) => plain.push_str(&t),
            Event::SoftBreak | Event::HardBreak => plain.push(' '),
            _ => {}
        }
    }
    let plain = plain.split_whitespace().collect::<Vec<_>>().join(" ");
    (!plain.is_empty()).then_some(plain)
}

/// Reads the first paragraph's plain text and the number of words outside
/// code, one event at a time.
struct TextReader {
    first: String,
    state: First,
    in_code_block: bool,
    in_footnote: bool,
    words: usize,
    /// Where raw HTML stands between events (its words count).
    html: Shown,
    /// The text of raw HTML before the first paragraph: the summary's
    /// first words when there is no paragraph (an HTML post).
    html_first: String,
    /// Everything before a `<!-- more -->` marker (Jekyll's and Hugo's
    /// summary break), which wins over the first paragraph when present.
    before_more: String,
    more: bool,
    /// Whether to keep `before_more` at all.
    track_more: bool,
}

impl Default for TextReader {
    fn default() -> Self {
        TextReader {
            first: String::new(),
            state: First::Before,
            in_code_block: false,
            in_footnote: false,
            words: 0,
            html: Shown::default(),
            html_first: String::new(),
            before_more: String::new(),
            more: false,
            track_more: true,
        }
    }
}

impl TextReader {
    fn feed(&mut self, event: &Event) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => self.in_code_block = true,
            Event::End(TagEnd::CodeBlock) => self.in_code_block = false,
            Event::Start(Tag::FootnoteDefinition(_)) => self.in_footnote = true,
            Event::End(TagEnd::FootnoteDefinition) => self.in_footnote = false,
            Event::Start(Tag::Paragraph) if self.state == First::Before && !self.in_footnote => {
                self.state = First::Inside
            }
            Event::End(TagEnd::Paragraph) => {
                if self.state == First::Inside {
                    self.state = First::Done;
                }
                if self.track_more {
                    self.before_more.push(' ');
                }
            }
            Event::Html(html) | Event::InlineHtml(html) if !self.more && is_more_marker(html) => {
                self.more = true;
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                // Words of raw HTML count as the reader sees them; before
                // the first paragraph they are kept for the summary.
                let before = self.state == First::Before && !self.in_footnote;
                let start = self.html_first.len();
                self.html.push(event, &mut self.html_first);
                self.words += count_words(&self.html_first[start..]);
                if !before {
                    self.html_first.truncate(start);
                }
            }
            Event::Text(text) | Event::Code(text) => {
                if !self.in_code_block {
                    self.words += count_words(text);
                    if self.track_more && !self.more && !self.in_footnote {
                        self.before_more.push_str(text);
                    }
                }
                if self.state == First::Inside {
                    self.first.push_str(text);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if self.state == First::Inside {
                    self.first.push(' ');
                }
                if self.track_more && !self.more {
                    self.before_more.push(' ');
                }
            }
            _ => {}
        }
    }

    fn finish(self) -> (String, usize) {
        let summary = if self.more {
            self.before_more
        } else {
            self.first
        };
        let mut summary = at_most(&summary, SUMMARY_MAX_WORDS);
        if summary.is_empty() && !self.more {
            // A body of raw HTML only: its first words, as Hugo's
            // automatic summary takes them.
            summary = at_most(&self.html_first, HTML_SUMMARY_WORDS);
        }
        (summary, self.words)
    }
}

/// The words of a summary taken from raw HTML (Hugo's `summaryLength`).
const HTML_SUMMARY_WORDS: usize = 70;

/// The longest summary taken from a body, in words and in characters (a
/// text without spaces, as Chinese or Japanese is written): a first
/// paragraph that is the whole post would otherwise be repeated in every
/// list, feed and `<meta>` tag.
const SUMMARY_MAX_WORDS: usize = 150;
const SUMMARY_MAX_CHARS: usize = 1000;

/// `text`'s words joined by single spaces, cut after `max` words or
/// `SUMMARY_MAX_CHARS` characters with `…`.
fn at_most(text: &str, max: usize) -> String {
    let mut words = text.split_whitespace();
    let mut out = words.by_ref().take(max).collect::<Vec<_>>().join(" ");
    let mut cut = words.next().is_some();
    if let Some((at, _)) = out.char_indices().nth(SUMMARY_MAX_CHARS) {
        // At the last space of the last tenth, else mid-word.
        let space = out[..at].rfind(' ').filter(|&s| s >= at - at / 10);
        out.truncate(space.unwrap_or(at));
        cut = true;
    }
    if cut {
        out.push('…');
    }
    out
}

/// `text.split_whitespace().count()`, byte by byte for ASCII text (most
/// text), where a word starts after a space, a tab, a line break, a
/// vertical tab, a form feed or the start.
fn count_words(text: &str) -> usize {
    if !text.is_ascii() {
        return text.split_whitespace().count();
    }
    let mut words = 0;
    let mut in_word = false;
    for &b in text.as_bytes() {
        let space = matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r');
        words += usize::from(!space && !in_word);
        in_word = !space;
    }
    words
}

fn is_more_marker(html: &str) -> bool {
    let html = html.trim();
    html.strip_prefix("<!--")
        .and_then(|rest| rest.strip_suffix("-->"))
        .is_some_and(|inner| {
            // Docusaurus writes `<!--truncate-->`.
            let inner = inner.trim();
            inner.eq_ignore_ascii_case("more") || inner.eq_ignore_ascii_case("truncate")
        })
}

#[derive(PartialEq, Eq)]
enum First {
    Before,
    Inside,
    Done,
}

#[cfg(test)]
mod tests {
    use super::{count_words, inline_text};

    #[test]
    fn a_long_first_paragraph_is_cut() {
        let words: Vec<String> = (0..400).map(|i| format!("w{i}")).collect();
        let long = super::scan(&words.join(" ")).first_paragraph;
        assert_eq!(long, format!("{}…", words[..150].join(" ")));
        let short = super::scan("One   short\nparagraph.\n\nTwo.").first_paragraph;
        assert_eq!(short, "One short paragraph.");
        let cjk = "漢字".repeat(800);
        let cut = super::scan(&cjk).first_paragraph;
        assert_eq!(cut, format!("{}…", "漢字".repeat(500)));
        let spaced = format!("{} tail", "abcdefghi ".repeat(150));
        let cut =
            super::scan(&format!("{spaced}\n\nMore.\n\n<!-- more -->\n\nRest.")).first_paragraph;
        assert!(
            cut.ends_with("abcdefghi…") && cut.chars().count() <= 1001,
            "{cut}"
        );
    }

    #[test]
    fn front_matter_markdown_reads_as_its_text() {
        let cases = [
            (
                "Mathias Bynens ([@mathias](https://twitter.com/mathias))",
                Some("Mathias Bynens (@mathias)"),
            ),
            (
                "The **new** `fetch` API, *at last* &amp; <b>fast</b>",
                Some("The new fetch API, at last & fast"),
            ),
            ("Plain words & more", None),
            ("2023. A year in review *so far*", None),
            ("# Not a heading *here*", None),
            ("_why the lucky stiff", Some("_why the lucky stiff")),
            ("5 * 3 = 15", Some("5 * 3 = 15")),
            ("snake_case names", Some("snake_case names")),
            ("<div>*x*</div>", None),
            ("a\n*b*", Some("a b")),
        ];
        for (written, plain) in cases {
            assert_eq!(inline_text(written).as_deref(), plain, "{written}");
        }
    }

    #[test]
    fn words_are_counted_as_split_whitespace_counts_them() {
        let texts = [
            "",
            " ",
            "one",
            "  two words  ",
            "tab\tand\nline\r\nfeed\x0Bvertical\x0Cform",
            "a\u{1F}b",
            "no-break\u{A0}space and émigré words",
            "\u{2003}em\u{2003}spaces\u{3000}ideographic",
            "trailing\n",
        ];
        for text in texts {
            assert_eq!(
                count_words(text),
                text.split_whitespace().count(),
                "{text:?}"
            );
        }
        // Every ASCII byte between two letters.
        for b in 0u8..128 {
            let text = format!("x{}y", b as char);
            assert_eq!(count_words(&text), text.split_whitespace().count(), "{b}");
        }
    }
}
