//! kramdown's attribute lists, as Jekyll posts carry them (`{:#id}`,
//! `{:.class}`, `{: .class #id key="v"}`), on lines of their own: after a
//! heading, paragraph, list, blockquote or table, or before a paragraph.
//! An adapter over pulldown-cmark's events with their source ranges: ids
//! and classes go to the element that takes them (a heading's id replaces
//! the generated one; with `html`, paragraphs, lists and blockquotes get
//! `id`/`class` attributes), everything else is dropped, and a list is
//! never shown as text. The lists inside a line, and what a list says, are
//! `kramdown.rs`. `markdown.rs` renders through this and `markdown_scan.rs`
//! reads through it, so both see the same heading ids and paragraphs.

use std::collections::VecDeque;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

pub use crate::kramdown::Spanned;
use crate::kramdown::{Attrs, SpanLists, is_line};

/// Applies and removes attribute lists; see the module comment.
pub struct Attributed<'a, I> {
    inner: SpanLists<'a, I>,
    source: &'a str,
    /// Whether paragraphs, lists and blockquotes get their attributes as
    /// HTML (rendering) or only lose the lists (the load-time scan).
    html: bool,
    /// Off when the source holds no `{:`: the events pass as they are.
    on: bool,
    ahead: Option<Spanned<'a>>,
    out: VecDeque<Spanned<'a>>,
    /// Lines of lists written at column 0 after a list, blockquote or
    /// table (lazily inside it): they belong to the outermost one.
    claimed: Vec<Range<usize>>,
    /// For each open list and blockquote, the closing tag to write when
    /// its opening tag was written with attributes.
    closers: Vec<Option<&'static str>>,
    /// Text up to this byte is a line of lists and is dropped.
    skip_to: usize,
}

impl<'a, I: Iterator<Item = Spanned<'a>>> Attributed<'a, I> {
    pub fn new(inner: I, source: &'a str, html: bool) -> Self {
        // One look for `{:` serves both adapters.
        let on = source.contains("{:");
        Attributed {
            inner: SpanLists::new(inner, source, html, on),
            source,
            html,
            on,
            ahead: None,
            out: VecDeque::new(),
            claimed: Vec::new(),
            closers: Vec::new(),
            skip_to: 0,
        }
    }

    /// The next event, less the text of a line of lists being skipped.
    fn pull(&mut self) -> Option<Spanned<'a>> {
        if let Some(item) = self.ahead.take() {
            return Some(item);
        }
        loop {
            let item = self.inner.next()?;
            if !(matches!(item.0, Event::Text(_)) && item.1.end <= self.skip_to) {
                return Some(item);
            }
        }
    }

    /// Reads a whole element, from its start to its matching end.
    fn collect(&mut self, first: Spanned<'a>) -> Vec<Spanned<'a>> {
        let mut items = vec![first];
        let mut depth = 1;
        while depth > 0 {
            let Some(item) = self.pull() else { break };
            match item.0 {
                Event::Start(_) => depth += 1,
                Event::End(_) => depth -= 1,
                _ => {}
            }
            items.push(item);
        }
        items
    }

    /// Whether an element starting at `start` is on the line right after
    /// one ending at `end` (no blank line between, only container marks).
    fn adjacent(&self, end: usize, start: usize) -> bool {
        let end = self.source[..end.min(start)]
            .trim_end_matches(['\n', '\r'])
            .len();
        let between = &self.source[end..start];
        between.matches('\n').count() == 1 && between.chars().all(|c| " \t\r\n>".contains(c))
    }

    /// A heading, and the paragraph right after it when there is one (its
    /// first line may be the heading's list).
    fn heading(&mut self, first: Spanned<'a>) {
        let mut heading = self.collect(first);
        let end = heading.last().map_or(0, |(_, r)| r.end);
        match self.pull() {
            Some(item) if matches!(item.0, Event::Start(Tag::Paragraph)) => {
                let adjacent = self.adjacent(end, item.1.start);
                let paragraph = self.collect(item);
                let target = if adjacent { Some(&mut heading) } else { None };
                let rest = self.paragraph(paragraph, target);
                self.out.extend(heading);
                self.out.extend(rest);
            }
            next => {
                self.out.extend(heading);
                self.ahead = next;
            }
        }
    }

    /// A paragraph without its lines of lists. They apply to the heading
    /// before it (its first line, when `heading` is given), to the list or
    /// blockquote that claimed them, or else to the paragraph itself; a
    /// paragraph of nothing but lists is dropped.
    fn paragraph(
        &self,
        items: Vec<Spanned<'a>>,
        mut heading: Option<&mut Vec<Spanned<'a>>>,
    ) -> Vec<Spanned<'a>> {
        let mut attrs = Attrs::default();
        let mut keep = vec![true; items.len()];
        for (n, line) in lines(&items).into_iter().enumerate() {
            let span = items[line.start].1.start..items[line.end - 1].1.end;
            if !is_line(&self.source[span.clone()]) {
                continue;
            }
            let lists = Attrs::read(&self.source[span.clone()]);
            match heading.as_deref_mut() {
                _ if self.is_claimed(&span) => {}
                Some(h) if n == 0 => set_heading(h, lists),
                _ => attrs.merge(lists),
            }
            keep[line].fill(false);
        }
        if keep.iter().all(|k| *k) {
            return items;
        }
        let mut kept: Vec<Spanned<'a>> = items
            .into_iter()
            .zip(keep)
            .filter_map(|(item, k)| k.then_some(item))
            .collect();
        tidy_breaks(&mut kept);
        if kept.len() <= 2 {
            return Vec::new();
        }
        if self.html && !attrs.is_empty() {
            let last = kept.len() - 1;
            kept[0].0 = Event::Html(CowStr::from(format!("<p{}>", attrs.html())));
            kept[last].0 = Event::Html(CowStr::Borrowed("</p>\n"));
        }
        kept
    }

    fn is_claimed(&self, span: &Range<usize>) -> bool {
        self.claimed
            .iter()
            .any(|c| c.start <= span.start && span.end <= c.end)
    }

    /// The line of lists at column 0 that ends a list, blockquote or table,
    /// unless an outer one claimed it already.
    fn claim(&mut self, range: &Range<usize>) -> Option<Attrs> {
        let text = self.source[range.clone()].trim_end();
        let start = range.start + text.rfind('\n')? + 1;
        let line = start..range.start + text.len();
        let written = &self.source[line.clone()];
        if !written.starts_with("{:") || !is_line(written) || self.is_claimed(&line) {
            return None;
        }
        self.claimed.push(line);
        Some(Attrs::read(written))
    }

    /// A list or blockquote, whose opening tag takes the lists of its last
    /// line when that line is at column 0.
    fn open(&mut self, event: Event<'a>, range: &Range<usize>) -> Event<'a> {
        let attrs = self.claim(range).filter(|a| self.html && !a.is_empty());
        let Some(attrs) = attrs else {
            self.closers.push(None);
            return event;
        };
        let (open, close) = match &event {
            Event::Start(Tag::List(Some(1))) => ("<ol".to_string(), "</ol>\n"),
            Event::Start(Tag::List(Some(n))) => (format!("<ol start=\"{n}\""), "</ol>\n"),
            Event::Start(Tag::List(None)) => ("<ul".to_string(), "</ul>\n"),
            _ => ("<blockquote".to_string(), "</blockquote>\n"),
        };
        self.closers.push(Some(close));
        Event::Html(CowStr::from(format!("{open}{}>\n", attrs.html())))
    }

    /// Whether the line from `start` holds only lists; if so its text is
    /// to be dropped.
    fn skip_line(&mut self, start: usize) -> bool {
        let end = self.source[start..]
            .find('\n')
            .map_or(self.source.len(), |n| start + n);
        let is_list = is_line(self.source[start..end].trim_end_matches('\r'));
        if is_list {
            self.skip_to = end;
        }
        is_list
    }
}

impl<'a, I: Iterator<Item = Spanned<'a>>> Iterator for Attributed<'a, I> {
    type Item = Spanned<'a>;

    fn next(&mut self) -> Option<Spanned<'a>> {
        if !self.on {
            return self.inner.next();
        }
        loop {
            if let Some(item) = self.out.pop_front() {
                return Some(item);
            }
            let (event, range) = self.pull()?;
            match event {
                Event::Start(Tag::Heading { .. }) => self.heading((event, range)),
                Event::Start(Tag::Paragraph) => {
                    let items = self.collect((event, range));
                    let kept = self.paragraph(items, None);
                    self.out.extend(kept);
                }
                Event::Start(Tag::List(_) | Tag::BlockQuote(_)) => {
                    return Some((self.open(event, &range), range));
                }
                Event::End(TagEnd::List(_) | TagEnd::BlockQuote(_)) => {
                    let event = match self.closers.pop().flatten() {
                        Some(close) => Event::Html(CowStr::Borrowed(close)),
                        None => event,
                    };
                    return Some((event, range));
                }
                Event::Start(Tag::Table(_)) => {
                    self.claim(&range);
                    return Some((event, range));
                }
                Event::Start(Tag::TableRow) if self.is_claimed(&(range.start..range.start)) => {
                    self.collect((event, range));
                }
                Event::SoftBreak | Event::HardBreak => {
                    // A line of lists in a tight list item, outside any
                    // paragraph.
                    let next = self.pull();
                    let skip = next.as_ref().is_some_and(|(_, r)| self.skip_line(r.start));
                    let skip_to = self.skip_to;
                    self.ahead = next.filter(|(e, r)| {
                        !(skip && matches!(e, Event::Text(_)) && r.end <= skip_to)
                    });
                    if !skip {
                        return Some((event, range));
                    }
                }
                _ => return Some((event, range)),
            }
        }
    }
}

/// Gives a held heading the id and classes of the list after it.
fn set_heading(heading: &mut [Spanned], lists: Attrs) {
    if let Some((Event::Start(Tag::Heading { id, classes, .. }), _)) = heading.first_mut() {
        if let Some(new) = lists.id {
            *id = Some(CowStr::from(new));
        }
        classes.extend(lists.classes.into_iter().map(CowStr::from));
    }
}

fn is_break(item: &Spanned) -> bool {
    matches!(item.0, Event::SoftBreak | Event::HardBreak)
}

/// The index ranges of a paragraph's lines: its events between breaks.
fn lines(items: &[Spanned]) -> Vec<Range<usize>> {
    let mut lines = Vec::new();
    let mut start = 1;
    for i in 1..items.len() {
        if i + 1 == items.len() || is_break(&items[i]) {
            if start < i {
                lines.push(start..i);
            }
            start = i + 1;
        }
    }
    lines
}

/// Drops the line breaks that lines taken out of a paragraph left at its
/// start, at its end or twice in a row.
fn tidy_breaks(items: &mut Vec<Spanned>) {
    let mut i = 1;
    while i + 1 < items.len() {
        let at_edge = i == 1 || i + 2 == items.len() || is_break(&items[i + 1]);
        if is_break(&items[i]) && at_edge {
            items.remove(i);
            i = i.saturating_sub(1).max(1);
        } else {
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::markdown::render;
    use crate::markdown_scan::scan;

    fn html(markdown: &str) -> String {
        render(markdown).html
    }

    const ANCHOR: &str =
        "<a class=\"anchor\" href=\"#custom\" aria-hidden=\"true\" tabindex=\"-1\">#</a>";

    #[test]
    fn a_heading_takes_the_id_and_classes_of_its_list() {
        let next_line = html("## Kazan summit\n{:#custom .wide}\n\nText.\n");
        assert_eq!(
            next_line,
            format!("<h2 id=\"custom\" class=\"wide\">Kazan summit {ANCHOR}</h2>\n<p>Text.</p>\n")
        );
        let setext = render("Kazan summit\n---\n{:#custom}\n");
        assert_eq!(setext.toc[0].id, "custom");
        // The load-time scan knows the id too: links to #custom are checked
        // against it.
        assert_eq!(scan("## Kazan summit\n{: #custom}\n").anchors, ["custom"]);
    }

    #[test]
    fn a_list_after_a_blank_line_is_dropped() {
        assert_eq!(
            html("## Kazan\n\n{: .no_toc}\n\nText.\n"),
            "<h2 id=\"kazan\">Kazan <a class=\"anchor\" href=\"#kazan\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h2>\n<p>Text.</p>\n"
        );
        assert_eq!(scan("{: .no_toc}\n\nText.\n").first_paragraph, "Text.");
    }

    #[test]
    fn paragraphs_take_id_and_class() {
        assert_eq!(
            html("Lead text\ngoes on.\n{:.lead #intro key=\"v\"}\n\nNext.\n"),
            "<p id=\"intro\" class=\"lead\">Lead text\ngoes on.</p>\n<p>Next.</p>\n"
        );
        assert_eq!(
            html("{: .note}\nBefore its paragraph.\n"),
            "<p class=\"note\">Before its paragraph.</p>\n"
        );
        let read = scan("Lead text.\n{:.lead}\n");
        assert_eq!(
            (read.first_paragraph.as_str(), read.word_count),
            ("Lead text.", 2)
        );
    }

    #[test]
    fn lists_and_blockquotes_take_id_and_class() {
        assert_eq!(
            html("- a\n- b\n{: .steps}\n"),
            "<ul class=\"steps\">\n<li>a</li>\n<li>b</li>\n</ul>\n"
        );
        assert_eq!(
            html("3. a\n\n4. b\n{:#numbered}\n"),
            "<ol start=\"3\" id=\"numbered\">\n<li>\n<p>a</p>\n</li>\n<li>\n<p>b</p>\n</li>\n</ol>\n"
        );
        assert_eq!(
            html("- a\n  - b\n{:.outer}\n"),
            "<ul class=\"outer\">\n<li>a\n<ul>\n<li>b</li>\n</ul>\n</li>\n</ul>\n"
        );
        assert_eq!(
            html("> Quoted.\n{:.pull}\n"),
            "<blockquote class=\"pull\">\n<p>Quoted.</p>\n</blockquote>\n"
        );
        // Inside the quote, the list is the paragraph's.
        assert_eq!(
            html("> Quoted.\n> {:.pull}\n"),
            "<blockquote>\n<p class=\"pull\">Quoted.</p>\n</blockquote>\n"
        );
        // Indented in a tight item: nothing takes it.
        assert_eq!(html("- a\n  {:.x}\n"), "<ul>\n<li>a</li>\n</ul>\n");
    }

    #[test]
    fn elsewhere_lists_are_dropped() {
        assert_eq!(
            html("| a |\n|---|\n| 1 |\n{: .table}\n"),
            "<div class=\"table-scroll\" role=\"region\" aria-label=\"Table\" tabindex=\"0\">\n\
             <table><thead><tr><th>a</th></tr></thead><tbody>\n<tr><td>1</td></tr>\n</tbody></table>\n</div>\n"
        );
        assert_eq!(
            html("```\ncode\n```\n{: .x}\n"),
            "<pre class=\"code\" tabindex=\"0\"><code>code\n</code></pre>\n"
        );
        assert_eq!(html("{::options parse_block_html=\"true\" /}\n"), "");
    }
}
