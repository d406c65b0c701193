//! The words search knows: a briefing's body as plain text (Markdown read
//! by pulldown-cmark, the text of its raw HTML without the tags), and text
//! cut into terms. The rule
//! is the one `templates/static/search.js` applies to what a reader types,
//! so both must change together:
//!
//! 1. lower-case (Unicode's full mapping);
//! 2. decompose (NFD) and drop combining marks, so `São` is `sao`;
//! 3. a term is a run of alphabetic or numeric characters (Unicode's
//!    `Alphabetic` property, `Nd`, `Nl`, `No`: JavaScript's
//!    `[\p{Alphabetic}\p{N}]`); anything else separates terms;
//! 4. a term that is one ASCII character once folded, or longer than
//!    `MAX_CHARS`, is left out (an `s` after an apostrophe is in every
//!    briefing; a long run is a hash or base64, not a word).
//!
//! ASCII text, most of what a briefing holds, takes a fast path that
//! gives the same terms.

use icu_normalizer::DecomposingNormalizerBorrowed;
use icu_properties::CodePointMapData;
use icu_properties::props::{GeneralCategory, GeneralCategoryGroup};
use pulldown_cmark::{Event, Parser};

/// The longest term kept, in characters.
pub const MAX_CHARS: usize = 40;

/// What an ASCII byte is to the fast path; a byte of a non-ASCII
/// character is `OTHER`.
const SEPARATOR: u8 = 0;
const LOWER: u8 = 1;
const UPPER: u8 = 2;
const OTHER: u8 = 3;
static CLASS: [u8; 256] = {
    let mut class = [SEPARATOR; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        class[byte] = if b >= 0x80 {
            OTHER
        } else if b.is_ascii_uppercase() {
            UPPER
        } else if b.is_ascii_alphanumeric() {
            LOWER
        } else {
            SEPARATOR
        };
        byte += 1;
    }
    class
};

/// Calls `term` with each term of `text`, in order (repeats included).
/// `buffer` is scratch space kept between calls.
pub fn for_each(text: &str, buffer: &mut String, mut term: impl FnMut(&str)) {
    let bytes = text.as_bytes();
    let mut at = 0;
    loop {
        while at < bytes.len() && CLASS[bytes[at] as usize] == SEPARATOR {
            at += 1;
        }
        if at == bytes.len() {
            return;
        }
        let start = at;
        let (mut upper, mut other) = (false, false);
        while at < bytes.len() {
            match CLASS[bytes[at] as usize] {
                LOWER => at += 1,
                UPPER => {
                    upper = true;
                    at += 1;
                }
                SEPARATOR => break,
                _ => {
                    let c = text[at..].chars().next().expect("at a character boundary");
                    // A mark between letters keeps the run whole (`é`
                    // written as `e` and U+0301).
                    if !c.is_alphanumeric() && !is_mark(c) {
                        break;
                    }
                    other = true;
                    at += c.len_utf8();
                }
            }
        }
        if at == start {
            // A character that is neither a letter, a digit nor ASCII.
            at += text[at..].chars().next().map_or(1, char::len_utf8);
            continue;
        }
        let word = &text[start..at];
        if other {
            // Lower-casing and dropping marks can leave separators (a
            // letter whose lower case is two characters, one of them not
            // alphanumeric), so the folded word is cut again.
            let folded = fold(word);
            for part in folded.split(|c: char| !c.is_alphanumeric()) {
                let chars = part.chars().count();
                let short = chars == 1 && part.is_ascii();
                if chars > 0 && chars <= MAX_CHARS && !short {
                    term(part);
                }
            }
        } else if word.len() > 1 && word.len() <= MAX_CHARS {
            if upper {
                buffer.clear();
                buffer.push_str(word);
                buffer.make_ascii_lowercase();
                term(buffer);
            } else {
                term(word);
            }
        }
    }
}

/// Lower-cased, decomposed, without combining marks.
fn fold(word: &str) -> String {
    let lower = word.to_lowercase();
    let decomposed = DecomposingNormalizerBorrowed::new_nfd().normalize(&lower);
    decomposed.chars().filter(|&c| !is_mark(c)).collect()
}

fn is_mark(c: char) -> bool {
    !c.is_ascii()
        && GeneralCategoryGroup::Mark.contains(CodePointMapData::<GeneralCategory>::new().get(c))
}

/// Reads what a body shows as text, event by event: text and code, and
/// the text between the tags of raw HTML (a post moved in from another
/// generator may be mostly HTML), never link targets, tags, comments or
/// what `<script>` and `<style>` hold; blocks, line breaks and tags become
/// spaces. The renderer feeds it each event its parser gives
/// (`markdown::render_reading`), `body_text` the same parser's events;
/// the load-time scan counts words with it.
#[derive(Default)]
pub struct Shown {
    html: HtmlText,
}

impl Shown {
    pub fn push(&mut self, event: &Event, text: &mut String) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::End(_) | Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::Html(html) | Event::InlineHtml(html) => self.html.push(html, text),
            _ => {}
        }
    }
}

/// Where raw HTML split over events (an HTML block comes line by line)
/// stands at the end of the last one.
#[derive(Default, Clone, Copy, PartialEq, Eq)]
enum HtmlText {
    #[default]
    Text,
    /// Inside a tag, in a quoted attribute value when `Some`; `raw`: the
    /// tag opens `<script>` or `<style>`.
    Tag {
        quote: Option<u8>,
        raw: Option<&'static str>,
    },
    Comment,
    /// In a `<script>` or `<style>`, until this closing tag.
    Raw(&'static str),
}

impl HtmlText {
    fn push(&mut self, html: &str, text: &mut String) {
        let bytes = html.as_bytes();
        let mut at = 0;
        let mut shown = String::new();
        while at < bytes.len() {
            match *self {
                HtmlText::Text => {
                    let next = bytes[at..]
                        .iter()
                        .position(|&b| b == b'<')
                        .map_or(bytes.len(), |n| at + n);
                    shown.push_str(&html[at..next]);
                    at = next;
                    if at == bytes.len() {
                        break;
                    }
                    let rest = &bytes[at + 1..];
                    if rest.starts_with(b"!--") {
                        *self = HtmlText::Comment;
                        at += 4;
                    } else if rest
                        .first()
                        .is_some_and(|b| b.is_ascii_alphabetic() || matches!(b, b'/' | b'!' | b'?'))
                    {
                        let opens = |name: &[u8]| {
                            rest.get(..name.len())
                                .is_some_and(|n| n.eq_ignore_ascii_case(name))
                                && !rest.get(name.len()).is_some_and(u8::is_ascii_alphanumeric)
                        };
                        let raw = if opens(b"script") {
                            Some("</script")
                        } else if opens(b"style") {
                            Some("</style")
                        } else {
                            None
                        };
                        *self = HtmlText::Tag { quote: None, raw };
                        if !is_inline(rest) {
                            shown.push(' ');
                        }
                        at += 1;
                    } else {
                        shown.push('<');
                        at += 1;
                    }
                }
                HtmlText::Tag { quote, raw } => {
                    let b = bytes[at];
                    at += 1;
                    match quote {
                        Some(q) if b == q => *self = HtmlText::Tag { quote: None, raw },
                        Some(_) => {}
                        None if b == b'"' || b == b'\'' => {
                            *self = HtmlText::Tag {
                                quote: Some(b),
                                raw,
                            }
                        }
                        None if b == b'>' => *self = raw.map_or(HtmlText::Text, HtmlText::Raw),
                        None => {}
                    }
                }
                HtmlText::Comment => match html[at..].find("-->") {
                    Some(n) => {
                        at += n + 3;
                        *self = HtmlText::Text;
                    }
                    None => at = bytes.len(),
                },
                HtmlText::Raw(end) => {
                    let lower = html[at..].to_ascii_lowercase();
                    match lower.find(end) {
                        Some(n) => {
                            at += n + end.len();
                            *self = HtmlText::Tag {
                                quote: None,
                                raw: None,
                            };
                        }
                        None => at = bytes.len(),
                    }
                }
            }
        }
        text.push_str(&html_escape::decode_html_entities(&shown));
        text.push(' ');
    }
}

/// Whether the tag whose text (after its `<`) starts `tag` is one of
/// phrasing content's, which does not separate words (`<b>first</b>,`),
/// opening or closing; `<br>` and block tags do.
fn is_inline(tag: &[u8]) -> bool {
    const INLINE: [&[u8]; 24] = [
        b"a", b"abbr", b"b", b"bdi", b"bdo", b"cite", b"code", b"data", b"dfn", b"em", b"i",
        b"kbd", b"mark", b"q", b"s", b"samp", b"small", b"span", b"strong", b"sub", b"sup",
        b"time", b"u", b"var",
    ];
    let tag = tag.strip_prefix(b"/").unwrap_or(tag);
    let end = tag
        .iter()
        .position(|b| !b.is_ascii_alphanumeric())
        .unwrap_or(tag.len());
    INLINE
        .iter()
        .any(|name| tag[..end].eq_ignore_ascii_case(name))
}

/// The text of a Markdown body, as `Shown` takes it from the renderer's
/// parser (same options).
pub fn body_text(markdown: &str) -> String {
    let mut text = String::with_capacity(markdown.len());
    let mut shown = Shown::default();
    for event in Parser::new_ext(markdown, crate::markdown::options()) {
        shown.push(&event, &mut text);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        let mut all = Vec::new();
        for_each(text, &mut String::new(), |t| all.push(t.to_string()));
        all
    }

    #[test]
    fn terms_are_folded_runs_of_letters_and_digits() {
        assert_eq!(
            terms("Kazan's São-Paulo talks, 2024: ZÜRICH x"),
            ["kazan", "sao", "paulo", "talks", "2024", "zurich"]
        );
        assert_eq!(terms("Ελλάδα — Москва"), ["ελλαδα", "москва"]);
        // `é` folds to one ASCII letter; a 41-letter run is no word.
        assert_eq!(terms("é a École"), ["ecole"]);
        assert!(terms(&"a".repeat(41)).is_empty());
        // `e` and a combining acute accent are one letter.
        assert_eq!(terms("cafe\u{301} déjà-vu"), ["cafe", "deja", "vu"]);
    }

    #[test]
    fn a_body_is_its_text_without_targets_or_tags() {
        let text = body_text(
            "# Head\n\nSee [the report](https://example.org/x) and `code`.\n\n<div class=\"aside\">raw</div>\n",
        );
        let found = terms(&text);
        assert_eq!(
            found,
            ["head", "see", "the", "report", "and", "code", "raw"]
        );
    }

    /// A post moved in as HTML: tags split over lines, `>` in quoted
    /// values, comments, scripts and styles, entities.
    #[test]
    fn raw_html_gives_the_text_between_its_tags() {
        let text = body_text(concat!(
            "<p>\n  <em\n    >On April 13, the <a href=\"https://x.example/?a>b\" title='c>d'\n",
            "      >committee</a\n    > met.</em\n  >\n</p>\n",
            "<!-- hidden\nnote -->\n<script>var secret = \"<p>\";</script>\n",
            "<STYLE type=\"text/css\">.quiet { color: red }</STYLE>\n",
            "<div>Caf&eacute; &amp; bar<br/>2&lt;3 x < y</div>\n\nText <span>inline</span>.\n",
        ));
        assert_eq!(
            terms(&text),
            [
                "on",
                "april",
                "13",
                "the",
                "committee",
                "met",
                "cafe",
                "bar",
                "text",
                "inline"
            ],
            "{text}"
        );
        assert!(text.contains("2<3 x < y"), "{text}");
    }
}
