//! Markdown -> HTML with pulldown-cmark, as a stream of small adapters over
//! its events: raw HTML shown as text where the site asks
//! (`markdown_html.rs`), kramdown attribute lists (`markdown_attrs.rs`),
//! links to source files rewritten to their URLs and script URLs shown as
//! text (`markdown_links.rs`), lines of
//! template tags shown in a paragraph of their own, highlighted code
//! blocks, heading ids and anchors (collecting the table of contents),
//! images with their size (`markdown_images.rs`), citations of a
//! briefing's sources (`markdown_cite.rs`) and footnotes as endnotes
//! (`markdown_notes.rs`).
//! Parser options are set in `options` and nowhere else. The load-time read
//! of a body without HTML (summary, word count, anchors, links) is `scan`,
//! in `markdown_scan.rs`.

use std::collections::{HashMap, HashSet, VecDeque};
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::highlight::{self, CodeClasses};
use crate::markdown_attrs::{Attributed, Spanned};
use crate::markdown_cite::{CITE_PREFIXES, Cited};
use crate::markdown_html::Escaped;
use crate::markdown_images::Sized;
pub use crate::markdown_images::{EmptyAlt, ImageSize};
use crate::markdown_links::Linked;
pub use crate::markdown_links::{
    BrokenLink, HUGO_REF, LinkTarget, POST_URL, ScriptLink, is_followed_link, is_source_link,
};
use crate::markdown_notes::{Footnotes, NOTE_PREFIXES};
use crate::url::slugify;

/// How `shortcodes.rs` marks a line of template tags to be shown as text in
/// a paragraph of its own: as an HTML comment, a block that ends on its
/// line, so the Markdown around it parses as if the line were not there.
const SHOWN: &str = "<!--briefly:shown ";

/// Words a reader gets through in a minute, for `reading_time`.
const WORDS_PER_MINUTE: usize = 200;

/// One heading, for a table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// A rendered body and its table of contents. The summary and word count
/// come from `scan`, at load time.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<TocEntry>,
    /// It holds highlighted code, so its page links the highlighting
    /// stylesheet (a page without code is spared its weight).
    pub highlighted: bool,
}

/// Whole minutes, at least one.
pub fn reading_time(word_count: usize) -> usize {
    word_count.div_ceil(WORDS_PER_MINUTE).max(1)
}

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// The links a body's HTML does not keep as written, each with its byte
/// offset in the body and why.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Unlinked {
    /// Links to files or headings that do not exist.
    pub broken: Vec<BrokenLink>,
    /// Links and images with a script URL, shown as their text.
    pub scripts: Vec<ScriptLink>,
}

/// How a site shows its bodies: site.yaml's `markdown: { raw_html }` and
/// the code classes its `highlight_theme` can style.
#[derive(Clone, Copy)]
pub struct Style {
    pub raw_html: bool,
    pub code: &'static CodeClasses,
    /// The callouts' titles in the site's language (`markdown_callouts`).
    pub callouts: &'static [String; 5],
}

impl Style {
    pub fn of(config: &crate::config::Config) -> Style {
        Style {
            raw_html: config.markdown.raw_html,
            code: CodeClasses::of(&config.highlight_theme),
            callouts: crate::markdown_callouts::words(&config.locale),
        }
    }
}

impl Default for Style {
    /// As a site with no `markdown:` or `highlight_theme` in site.yaml.
    fn default() -> Style {
        Style {
            raw_html: true,
            code: CodeClasses::default_theme(),
            callouts: crate::markdown_callouts::english(),
        }
    }
}

/// Renders a body to HTML; links to source files are rewritten through
/// `resolve`, and an image whose file `size` knows gets its width and
/// height. Raw HTML is shown as text unless `style.raw_html`.
pub fn render_linked(
    markdown: &str,
    style: Style,
    resolve: &dyn Fn(&str) -> LinkTarget,
    size: &dyn Fn(&str) -> Option<ImageSize>,
) -> Findings {
    render_reading(markdown, style, resolve, size, None, None)
}

/// `render_linked`, also adding the body's text to `text` as search reads
/// it (`search_terms::Shown`, on the parser's own events). With `sources`
/// (a briefing's source ids and their numbers), `[@id]` citations become
/// links to them (`markdown_cite.rs`).
pub fn render_reading(
    markdown: &str,
    style: Style,
    resolve: &dyn Fn(&str) -> LinkTarget,
    size: &dyn Fn(&str) -> Option<ImageSize>,
    mut text: Option<&mut String>,
    sources: Option<&HashMap<String, usize>>,
) -> Findings {
    let mut reader = crate::search_terms::Shown::default();
    let events = Parser::new_ext(markdown, options())
        .into_offset_iter()
        .inspect(move |(event, _)| {
            if let Some(text) = text.as_deref_mut() {
                reader.push(event, text);
            }
        });
    let escaped = Escaped::new(events, style.raw_html, SHOWN);
    let mut highlighted = Highlighted {
        inner: Attributed::new(escaped, markdown, true),
        code_classes: style.code,
        long_lines: Vec::new(),
        any: false,
    };
    let mut linked = Linked::new(&mut highlighted, resolve);
    let callouts = style.callouts;
    let shown = (&mut linked).map(|(event, range)| {
        (
            crate::markdown_callouts::render(shown(event), callouts),
            range,
        )
    });
    // Only a briefing with `[@` in its body pays for the citation adapter.
    let shown: Box<dyn Iterator<Item = Spanned<'_>>> = match sources {
        Some(numbers) if markdown.contains("[@") => {
            Box::new(Cited::new(shown, markdown, Some(numbers)))
        }
        _ => Box::new(shown),
    };
    let notes = markdown.contains("[^");
    // Every image and footnote is written with `![` or `[^`: a body without
    // them skips those adapters (most bodies; each adapter costs a little on
    // every event).
    let (mut rendered, empty_alt) = if markdown.contains("![") {
        let mut sized = Sized::new(shown, size);
        let rendered = render_events(markdown.len(), notes, &mut sized);
        (rendered, sized.empty_alt)
    } else {
        (render_events(markdown.len(), notes, shown), Vec::new())
    };
    let unlinked = Unlinked {
        broken: linked.broken,
        scripts: linked.scripts,
    };
    rendered.highlighted = highlighted.any;
    Findings {
        rendered,
        unlinked,
        long_lines: highlighted.long_lines,
        empty_alt,
    }
}

pub fn render(markdown: &str) -> Rendered {
    render_linked(markdown, Style::default(), &|_| LinkTarget::Keep, &|_| None).rendered
}

/// A body's HTML and what was found making it.
pub struct Findings {
    pub rendered: Rendered,
    pub unlinked: Unlinked,
    /// Code blocks shown plain for a line over `highlight::LINE_MAX`.
    pub long_lines: Vec<LongLine>,
    /// Images with no alt text, for `briefly check`.
    pub empty_alt: Vec<EmptyAlt>,
}

/// A line too long to highlight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LongLine {
    /// The byte offset in the body of its block's first line.
    pub offset: usize,
    /// How many lines of the block come before it.
    pub index: usize,
    /// Its length in bytes.
    pub bytes: usize,
    /// The block's language.
    pub lang: String,
}

/// Marks a line of template tags to be shown as text in a paragraph of its
/// own (see `SHOWN`); None when the text would end the marking comment, or
/// runs over lines (the parser hands an HTML block on line by line, so
/// `shown` would never see the whole mark).
pub fn shown_line(tags: &str) -> Option<String> {
    (!tags.contains("-->") && !tags.contains('\n')).then(|| format!("{SHOWN}{tags}-->"))
}

/// A marked line becomes the paragraph it would be with blank lines
/// around it (or, inside a paragraph, its text).
fn shown(event: Event) -> Event {
    let unmark = |html: &str| {
        let tags = html.trim_end().strip_prefix(SHOWN)?.strip_suffix("-->")?;
        Some(tags.to_string())
    };
    match &event {
        Event::Html(html) => match unmark(html) {
            Some(tags) => Event::Html(CowStr::from(format!("<p>{}</p>\n", escape_text(&tags)))),
            None => event,
        },
        Event::InlineHtml(html) => match unmark(html) {
            Some(tags) => Event::Text(CowStr::from(tags)),
            None => event,
        },
        _ => event,
    }
}

/// The byte ranges of code and raw HTML in a body: template tags there are
/// left exactly as written.
pub fn literal_ranges(markdown: &str) -> Vec<Range<usize>> {
    Parser::new_ext(markdown, options())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock)
            | Event::Code(_)
            | Event::InlineHtml(_) => Some(range),
            _ => None,
        })
        .collect()
}

/// The adapters run as one stream from the parser to the HTML writer;
/// only a heading's own events are held back, until its id is known, and
/// footnote definitions, until the end of the body. Headings get their ids
/// in the order written, as `scan` gives them, before notes move.
fn render_events<'a>(
    length: usize,
    notes: bool,
    events: impl Iterator<Item = Spanned<'a>>,
) -> Rendered {
    let mut anchored = Anchored {
        inner: events.flat_map(|(event, _)| scrolling(event)),
        pending: VecDeque::new(),
        toc: Vec::new(),
        ids: HeadingIds::default(),
    };
    let mut html = String::with_capacity(length * 3 / 2);
    if notes {
        pulldown_cmark::html::push_html(&mut html, Footnotes::new(&mut anchored));
    } else {
        pulldown_cmark::html::push_html(&mut html, &mut anchored);
    }
    Rendered {
        html,
        toc: anchored.toc,
        highlighted: false,
    }
}

/// A table inside a box of its own that scrolls sideways on a narrow
/// screen (the page itself never does), and that a keyboard can reach
/// and scroll (axe-core's `scrollable-region-focusable`).
fn scrolling(event: Event<'_>) -> impl Iterator<Item = Event<'_>> {
    let (before, after) = match event {
        Event::Start(Tag::Table(_)) => (Some(TABLE_OPEN), None),
        Event::End(TagEnd::Table) => (None, Some("</div>\n")),
        _ => (None, None),
    };
    let html = |s: Option<&'static str>| s.map(|s| Event::Html(CowStr::Borrowed(s)));
    html(before)
        .into_iter()
        .chain(std::iter::once(event))
        .chain(html(after))
}

const TABLE_OPEN: &str =
    "<div class=\"table-scroll\" role=\"region\" aria-label=\"Table\" tabindex=\"0\">\n";

/// Replaces each code block with its highlighted HTML, noting the blocks
/// left plain for a very long line (`highlight::LINE_MAX`).
struct Highlighted<I> {
    inner: I,
    code_classes: &'static CodeClasses,
    long_lines: Vec<LongLine>,
    /// Some block was highlighted.
    any: bool,
}

impl<'a, I: Iterator<Item = Spanned<'a>>> Iterator for Highlighted<I> {
    type Item = Spanned<'a>;

    fn next(&mut self) -> Option<Spanned<'a>> {
        let (event, range) = self.inner.next()?;
        let Event::Start(Tag::CodeBlock(kind)) = event else {
            return Some((event, range));
        };
        let lang = match &kind {
            CodeBlockKind::Fenced(info) => info.split([' ', ',', '{']).next().unwrap_or(""),
            CodeBlockKind::Indented => "",
        };
        // A code block holds only text until its end; its lines are the
        // file's, from the first text on.
        let mut code = String::new();
        let mut start = None;
        for (event, text_range) in self.inner.by_ref() {
            match event {
                Event::Text(text) => {
                    start.get_or_insert(text_range.start);
                    code.push_str(&text);
                }
                Event::End(TagEnd::CodeBlock) => break,
                _ => {}
            }
        }
        if let (Some((index, bytes)), Some(start)) = (highlight::long_line(&code), start)
            && highlight::knows(lang)
        {
            self.long_lines.push(LongLine {
                offset: start,
                index,
                bytes,
                lang: lang.to_string(),
            });
        }
        let html = highlight::highlight(&code, lang, self.code_classes);
        self.any |= highlight::is_highlighted(&html);
        Some((Event::Html(CowStr::from(html)), range))
    }
}

/// Gives every heading a unique id (an explicit `{#id}` wins) and an anchor
/// link, and collects the table of contents. The anchor is for the mouse:
/// hidden from screen readers, and out of the tab order (a focusable link
/// inside `aria-hidden` is axe-core's `aria-hidden-focus`); keyboard
/// readers have the table of contents.
struct Anchored<'a, I> {
    inner: I,
    /// A heading's events, waiting to be handed on after its opening tag.
    pending: VecDeque<Event<'a>>,
    toc: Vec<TocEntry>,
    ids: HeadingIds,
}

impl<'a, I: Iterator<Item = Event<'a>>> Iterator for Anchored<'a, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        if let Some(event) = self.pending.pop_front() {
            return Some(event);
        }
        let event = self.inner.next()?;
        let Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs: _,
        }) = event
        else {
            return Some(event);
        };
        for event in self.inner.by_ref() {
            if matches!(event, Event::End(TagEnd::Heading(_))) {
                break;
            }
            self.pending.push_back(event);
        }
        let title: String = self
            .pending
            .iter()
            .filter_map(|e| match e {
                Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        let id = self.ids.unique(id.map(|s| s.to_string()), &title);
        let class = if classes.is_empty() {
            String::new()
        } else {
            format!(" class=\"{}\"", escape(&classes.join(" ")))
        };
        let n = level_number(level);
        self.pending.push_back(Event::Html(CowStr::from(format!(
            " <a class=\"anchor\" href=\"#{}\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h{n}>\n",
            escape(&id)
        ))));
        let open = Event::Html(CowStr::from(format!(
            "<h{n} id=\"{}\"{class}>",
            escape(&id)
        )));
        self.toc.push(TocEntry {
            level: n,
            id,
            title: title.trim().to_string(),
        });
        Some(open)
    }
}

/// The ids given to a body's headings so far: an explicit `{#id}` or the
/// title's slug, made unique with `-1`, `-2`… (the first free one, as
/// before). An id footnotes or citations could own (`fn-1`, `fnref-1`,
/// `cite-1`, `source-1`, see `markdown_notes.rs` and `markdown_cite.rs`)
/// gets `section-` before it. Each base remembers the next suffix to try: the suffixes below
/// it are taken for good (ids are never given back), so N headings of one
/// title cost N lookups, not N²/2.
#[derive(Default)]
pub(crate) struct HeadingIds {
    used: HashSet<String>,
    next: HashMap<String, usize>,
}

impl HeadingIds {
    pub(crate) fn unique(&mut self, explicit: Option<String>, title: &str) -> String {
        let base = explicit.unwrap_or_else(|| {
            let slug = slugify(title);
            if slug.is_empty() {
                "section".to_string()
            } else {
                slug
            }
        });
        let owned = NOTE_PREFIXES.iter().chain(&CITE_PREFIXES);
        let base = if owned.into_iter().any(|p| base.starts_with(p)) {
            format!("section-{base}")
        } else {
            base
        };
        let next = self.next.entry(base.clone()).or_insert(0);
        loop {
            let id = match *next {
                0 => base.clone(),
                n => format!("{base}-{n}"),
            };
            *next += 1;
            if self.used.insert(id.clone()) {
                return id;
            }
        }
    }
}

fn level_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    pulldown_cmark_escape::escape_html(&mut out, text).expect("writing to a String cannot fail");
    out
}

/// Escaped as pulldown-cmark escapes text.
pub(crate) fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    pulldown_cmark_escape::escape_html_body_text(&mut out, text)
        .expect("writing to a String cannot fail");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown_scan::scan;

    #[test]
    fn headings_get_unique_ids_and_anchors() {
        let r =
            render("## Kazan summit\n\ntext\n\n## Kazan summit\n\n### `code` & more {#custom}\n");
        assert!(r.html.contains(
            "<h2 id=\"kazan-summit\">Kazan summit <a class=\"anchor\" href=\"#kazan-summit\""
        ));
        assert!(r.html.contains("<h2 id=\"kazan-summit-1\">"));
        assert!(r.html.contains("<h3 id=\"custom\">"));
        let ids: Vec<&str> = r.toc.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["kazan-summit", "kazan-summit-1", "custom"]);
        // The load-time scan finds the same ids without making HTML.
        let scanned =
            scan("## Kazan summit\n\ntext\n\n## Kazan summit\n\n### `code` & more {#custom}\n");
        assert_eq!(scanned.anchors, ids);
        assert_eq!(r.toc[2].title, "code & more");
    }

    /// Issue 11, item 12: ids stay `x`, `x-1`, `x-2`… (the first free
    /// one), explicit ids are never taken twice, and 20,000 headings of one
    /// title get 20,000 ids (in linear time: see `HeadingIds`).
    #[test]
    fn heading_ids_are_the_first_free_suffix() {
        let ids = |body: &str| scan(body).anchors;
        assert_eq!(
            ids("## X\n## X {#x-2}\n## X\n## X\n## Y {#x-1}\n## X-1\n## #\n## !\n"),
            [
                "x",
                "x-2",
                "x-1",
                "x-3",
                "x-1-1",
                "x-1-2",
                "section",
                "section-1"
            ]
        );
        let body = "## Same\n\n".repeat(20_000);
        let expected: Vec<String> = std::iter::once("same".to_string())
            .chain((1..20_000).map(|n| format!("same-{n}")))
            .collect();
        assert_eq!(ids(&body), expected);
        let toc: Vec<String> = render(&body).toc.into_iter().map(|t| t.id).collect();
        assert_eq!(toc, expected);
    }

    #[test]
    fn extensions_are_on() {
        let r = render(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~x~~ \"q\"\n\n- [x] done\n\nNote[^1].\n\n[^1]: Foot.\n",
        );
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("<del>x</del>"));
        assert!(r.html.contains("\u{201c}q\u{201d}"));
        assert!(r.html.contains("type=\"checkbox\""));
        assert!(r.html.contains("<li id=\"fn-1\">"));
    }

    #[test]
    fn summary_words_and_code() {
        let text = "# T\n\nFirst *para* here.\nSecond line.\n\n```rust\nlet x = 1;\n```\n\n```nope\n<x>\n```\n";
        let r = render(text);
        let read = scan(text);
        assert_eq!(read.first_paragraph, "First para here. Second line.");
        let scanned = scan("# T\n\nFirst *para* here.\nSecond line.\n\n## T\n");
        assert_eq!(scanned.word_count, 7);
        assert_eq!(scanned.first_paragraph, read.first_paragraph);
        let more = scan("Intro line.\n\nSecond *para*.\n\n<!-- more -->\n\nRest of it.\n");
        assert_eq!(more.first_paragraph, "Intro line. Second para.");
        let truncate = scan("Intro line.\n\nSecond *para*.\n\n<!--truncate-->\n\nRest of it.\n");
        assert_eq!(truncate.first_paragraph, "Intro line. Second para.");
        assert_eq!(scanned.anchors, ["t", "t-1"]);
        assert_eq!(read.word_count, 6);
        assert_eq!(reading_time(read.word_count), 1);
        assert!(r.html.contains("hl-code"));
        assert!(r.html.contains("&lt;x&gt;"));
    }

    #[test]
    fn a_marked_line_is_a_paragraph_of_its_own() {
        let tag = shown_line("{% include a.html %}").unwrap();
        let body = format!("Intro\n{tag}\n[r]: https://example.org/\n\n[x][r] {tag}\n");
        assert_eq!(
            render(&body).html,
            "<p>Intro</p>\n<p>{% include a.html %}</p>\n<p><a href=\"https://example.org/\">x</a> {% include a.html %}</p>\n"
        );
        assert_eq!(shown_line("{% x --> %}"), None);
        let read = scan(&body);
        assert_eq!(
            (read.first_paragraph.as_str(), read.word_count),
            ("Intro", 2)
        );
    }
}
