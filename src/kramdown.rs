//! kramdown's attribute lists as text: a line holding only lists
//! (`{: .lead}`, `{:#a}{:.b}`) and the id and classes a list names
//! (`{:.class #id key="v"}`; key-value pairs and references such as
//! `{:toc}` name nothing briefly uses); and `SpanLists`, the adapter that
//! takes the lists inside a line out of pulldown-cmark's events: at the end
//! of a heading line (into its id and classes), right after a list item's
//! marker (`- {:#x} text`: into the item's `id` and `class`) and right
//! after a link, image, emphasis or code span (dropped). Lists on lines of
//! their own are `markdown_attrs.rs`.

use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Tag, TagEnd};
use regex::Regex;

/// An event and the bytes of the source it comes from.
pub type Spanned<'a> = (Event<'a>, Range<usize>);

/// A line holding only attribute lists: `{: .lead}`, `{:#a}{:.b}`.
static LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[ \t]*(?:\{:[^{}\n]*\}[ \t]*)+$").expect("a valid pattern"));
/// One attribute list at the start of a text (after a link or emphasis).
static LIST: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\{:([^{}\n]*)\}").expect("a valid pattern"));
/// A list item's marker and the list right after it: `  3. {:#x} `.
static ITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[ \t]*(?:[-*+]|[0-9]{1,9}[.)])[ \t]+(\{:[^{}\n]*\})[ \t]*")
        .expect("a valid pattern")
});
/// The words of a list: `#id`, `.class`, `key="v w"`, a reference name.
static WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"[^\s"'=]+(?:=(?:"[^"]*"|'[^']*'|\S*))?"#).expect("a valid pattern")
});

/// The ids and classes a line of attribute lists names; the rest is dropped.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Attrs {
    pub id: Option<String>,
    pub classes: Vec<String>,
}

impl Attrs {
    /// Reads every `{:…}` in `text` (a later id wins).
    pub fn read(text: &str) -> Attrs {
        let mut attrs = Attrs::default();
        for list in text.split("{:").skip(1) {
            let inside = list.split('}').next().unwrap_or("");
            for word in WORD.find_iter(inside.trim_start_matches(':')) {
                attrs.add(word.as_str());
            }
        }
        attrs
    }

    pub fn add(&mut self, word: &str) {
        if let Some(id) = word.strip_prefix('#').filter(|s| !s.is_empty()) {
            self.id = Some(id.to_string());
        } else if let Some(class) = word.strip_prefix('.').filter(|s| !s.is_empty()) {
            self.classes.push(class.to_string());
        }
    }

    pub fn merge(&mut self, other: Attrs) {
        self.id = other.id.or(self.id.take());
        self.classes.extend(other.classes);
    }

    pub fn is_empty(&self) -> bool {
        self.id.is_none() && self.classes.is_empty()
    }

    /// ` id="x" class="a b"`, escaped.
    pub fn html(&self) -> String {
        let mut out = String::new();
        if let Some(id) = &self.id {
            out += &format!(" id=\"{}\"", escape(id));
        }
        if !self.classes.is_empty() {
            out += &format!(" class=\"{}\"", escape(&self.classes.join(" ")));
        }
        out
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    pulldown_cmark_escape::escape_html(&mut out, text).expect("writing to a String cannot fail");
    out
}

/// Whether a line holds nothing but attribute lists.
pub fn is_line(text: &str) -> bool {
    LINE.is_match(text)
}

/// Takes span lists and a heading's own lists out of the events; see the
/// module comment.
pub struct SpanLists<'a, I> {
    inner: I,
    source: &'a str,
    /// Whether a list item gets its list's attributes as HTML (rendering)
    /// or only loses the list (the load-time scan).
    html: bool,
    /// Off when the source holds no `{:`: the events pass as they are.
    on: bool,
    after_span: bool,
    /// Text up to this byte is part of a list and is dropped.
    skip_to: usize,
}

impl<'a, I> SpanLists<'a, I> {
    /// `on`: whether `source` holds a `{:` at all (the caller knows).
    pub fn new(inner: I, source: &'a str, html: bool, on: bool) -> Self {
        SpanLists {
            inner,
            source,
            html,
            on,
            after_span: false,
            skip_to: 0,
        }
    }

    /// A text that starts inside a dropped list loses that part, when it
    /// is the source as written (else it is kept whole).
    fn cut(&self, text: CowStr<'a>, range: &Range<usize>) -> CowStr<'a> {
        if range.start >= self.skip_to || *text != self.source[range.clone()] {
            return text;
        }
        CowStr::from(text[self.skip_to - range.start..].to_string())
    }
}

impl<'a, I: Iterator<Item = Spanned<'a>>> Iterator for SpanLists<'a, I> {
    type Item = Spanned<'a>;

    fn next(&mut self) -> Option<Spanned<'a>> {
        loop {
            let (event, range) = self.inner.next()?;
            if !self.on {
                return Some((event, range));
            }
            let after_span = std::mem::replace(&mut self.after_span, is_span_end(&event));
            match event {
                Event::Text(text) => {
                    if after_span && let Some(m) = LIST.find(&self.source[range.start..]) {
                        self.skip_to = range.start + m.end();
                    }
                    if range.end <= self.skip_to {
                        continue;
                    }
                    return Some((Event::Text(self.cut(text, &range)), range));
                }
                Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                }) => {
                    let heading = heading_lists(level, id, classes, attrs);
                    return Some((Event::Start(heading), range));
                }
                Event::Start(Tag::Item) => return Some((self.item(range.clone()), range)),
                event => return Some((event, range)),
            }
        }
    }
}

impl<'a, I> SpanLists<'a, I> {
    /// A list item, whose list right after its marker is dropped from its
    /// text and, with `html`, gives the `<li>` its id and classes.
    fn item(&mut self, range: Range<usize>) -> Event<'a> {
        let Some(c) = ITEM.captures(&self.source[range.clone()]) else {
            return Event::Start(Tag::Item);
        };
        self.skip_to = range.start + c.get(0).map_or(0, |m| m.end());
        let attrs = Attrs::read(&c[1]);
        if self.html && !attrs.is_empty() {
            Event::Html(CowStr::from(format!("<li{}>", attrs.html())))
        } else {
            Event::Start(Tag::Item)
        }
    }
}

/// Whether an inline element ended, after which `{:…}` is a span list.
fn is_span_end(event: &Event) -> bool {
    matches!(
        event,
        Event::End(
            TagEnd::Link
                | TagEnd::Image
                | TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
        ) | Event::Code(_)
    )
}

/// A heading whose `{…}` pulldown-cmark read as attributes: `{: #id}` and
/// `{:.class #id}` come as the words `:` and `:.class`, which are kramdown's.
fn heading_lists<'a>(
    level: HeadingLevel,
    mut id: Option<CowStr<'a>>,
    mut classes: Vec<CowStr<'a>>,
    attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
) -> Tag<'a> {
    let mut rest = Vec::new();
    for (key, value) in attrs {
        match (key.strip_prefix(':'), &value) {
            (Some(word), None) => {
                let mut lists = Attrs::default();
                lists.add(word);
                id = lists.id.map(CowStr::from).or(id);
                classes.extend(lists.classes.into_iter().map(CowStr::from));
            }
            (Some(_), Some(_)) => {}
            (None, _) => rest.push((key, value)),
        }
    }
    Tag::Heading {
        level,
        id,
        classes,
        attrs: rest,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_name_ids_and_classes() {
        let read = Attrs::read("{:.class #id key=\"v w\" .two}{: #later toc}");
        assert_eq!(read.id.as_deref(), Some("later"));
        assert_eq!(read.classes, ["class", "two"]);
        assert_eq!(read.html(), " id=\"later\" class=\"class two\"");
        assert!(Attrs::read("{:toc}").is_empty());
        assert!(is_line("  {: .lead}{:#x} "));
        assert!(!is_line("{:.lead} and text"));
    }

    #[test]
    fn lists_inside_a_line_are_taken_out() {
        let html = |markdown: &str| crate::markdown::render(markdown).html;
        let anchor =
            "<a class=\"anchor\" href=\"#custom\" aria-hidden=\"true\" tabindex=\"-1\">#</a>";
        for heading in [
            "## Kazan summit {:#custom}\n",
            "## Kazan summit {: #custom}\n",
        ] {
            assert_eq!(
                html(heading),
                format!("<h2 id=\"custom\">Kazan summit {anchor}</h2>\n")
            );
            assert_eq!(crate::markdown_scan::scan(heading).anchors, ["custom"]);
        }
        assert_eq!(
            html("[a link](https://example.org){:target=\"_blank\"} and *this*{: .x} stay.\n"),
            "<p><a href=\"https://example.org\">a link</a> and <em>this</em> stay.</p>\n"
        );
        assert_eq!(
            html("Use `{:.lead}` after a paragraph.\n"),
            "<p>Use <code>{:.lead}</code> after a paragraph.</p>\n"
        );
        assert!(html("```\n{:.lead}\n```\n").contains("{:.lead}"));
        assert_eq!(
            html("1. {:#tap1} Anon asks, \"why?\"\n2. {: .plain}\n   Two\n"),
            "<ol>\n<li id=\"tap1\">Anon asks, \u{201c}why?\u{201d}</li>\n<li class=\"plain\">\nTwo</li>\n</ol>\n"
        );
        assert_eq!(
            crate::markdown_scan::scan("- {:#x} Item text.\n").word_count,
            2
        );
    }
}
