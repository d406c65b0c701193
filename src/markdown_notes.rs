//! Footnotes as endnotes. pulldown-cmark writes each definition where it
//! is written, with its label as the id (`id="1"`), which a heading titled
//! "1" gets too. This adapter moves the definitions to the end of the body,
//! into one `<section class="footnotes">` list numbered in the order the
//! notes are first referenced (GitHub's and Hugo's layout), with the ids
//! `fn-1`, `fn-2`…; a reference gets `fnref-1` (a second reference to the
//! same note `fnref-1-2`), and each note links back to its references.
//! Heading ids never start with `fn-` or `fnref-` (`HeadingIds` in
//! `markdown.rs`), so the two cannot clash.

use std::collections::{HashMap, VecDeque};
use std::fmt::Write;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

/// The prefixes of the ids footnotes own.
pub const NOTE_PREFIXES: [&str; 2] = ["fn-", "fnref-"];

/// See the module comment.
pub(crate) struct Footnotes<'a, I> {
    inner: I,
    /// Definitions read so far, by label, each with its events.
    notes: Vec<(CowStr<'a>, Vec<Event<'a>>)>,
    /// Definitions being read (a reference inside one stays in it).
    open: Vec<(CowStr<'a>, Vec<Event<'a>>)>,
    /// Label -> its number and how many references it has had.
    numbers: HashMap<CowStr<'a>, (usize, usize)>,
    /// The endnotes, once the body has ended.
    tail: Option<VecDeque<Event<'a>>>,
}

impl<'a, I> Footnotes<'a, I> {
    pub fn new(inner: I) -> Self {
        Footnotes {
            inner,
            notes: Vec::new(),
            open: Vec::new(),
            numbers: HashMap::new(),
            tail: None,
        }
    }

    /// The HTML of a reference to `label`.
    fn reference(&mut self, label: CowStr<'a>) -> Event<'a> {
        let next = self.numbers.len() + 1;
        let (number, count) = self.numbers.entry(label).or_insert((next, 0));
        *count += 1;
        let id = reference_id(*number, *count);
        Event::InlineHtml(CowStr::from(format!(
            "<sup class=\"footnote-reference\" id=\"{id}\"><a href=\"#fn-{number}\">{number}</a></sup>"
        )))
    }

    /// The endnotes: every definition by number (those never referenced
    /// last, in the order written), each with links back to its references.
    fn endnotes(&mut self) -> VecDeque<Event<'a>> {
        let mut notes = std::mem::take(&mut self.notes);
        // A label defined twice keeps its first definition, as in GFM.
        let mut seen = std::collections::HashSet::new();
        notes.retain(|(label, _)| seen.insert(label.clone()));
        for (label, _) in &notes {
            let next = self.numbers.len() + 1;
            self.numbers.entry(label.clone()).or_insert((next, 0));
        }
        notes.sort_by_key(|(label, _)| self.numbers[label].0);
        let mut out = VecDeque::new();
        if notes.is_empty() {
            return out;
        }
        out.push_back(Event::Html(CowStr::from(
            "<section class=\"footnotes\" aria-label=\"Notes\">\n<ol>\n",
        )));
        for (label, mut events) in notes {
            let (number, count) = self.numbers[&label];
            out.push_back(Event::Html(CowStr::from(format!(
                "<li id=\"fn-{number}\">\n"
            ))));
            let back = backlinks(number, count);
            // The links go at the end of the note's last paragraph, or
            // after its last block when it ends otherwise (a list, code).
            if matches!(events.last(), Some(Event::End(TagEnd::Paragraph))) {
                let end = events.pop().expect("matched above");
                events.push(Event::InlineHtml(CowStr::from(back)));
                events.push(end);
                out.extend(events);
            } else {
                out.extend(events);
                out.push_back(Event::Html(CowStr::from(back)));
            }
            out.push_back(Event::Html(CowStr::from("</li>\n")));
        }
        out.push_back(Event::Html(CowStr::from("</ol>\n</section>\n")));
        out
    }
}

/// The id of the `count`th reference to note `number`.
fn reference_id(number: usize, count: usize) -> String {
    match count {
        1 => format!("fnref-{number}"),
        k => format!("fnref-{number}-{k}"),
    }
}

/// The links from note `number` back to each of its `count` references.
fn backlinks(number: usize, count: usize) -> String {
    let mut html = String::new();
    for k in 1..=count {
        let id = reference_id(number, k);
        let (mark, label) = if k == 1 {
            ("↩".to_string(), number.to_string())
        } else {
            (format!("↩<sup>{k}</sup>"), format!("{number} ({k})"))
        };
        write!(
            html,
            " <a class=\"footnote-backref\" href=\"#{id}\" aria-label=\"Back to reference {label}\">{mark}</a>"
        )
        .expect("writing to a String cannot fail");
    }
    html
}

impl<'a, I: Iterator<Item = Event<'a>>> Iterator for Footnotes<'a, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        loop {
            if let Some(tail) = &mut self.tail {
                return tail.pop_front();
            }
            let Some(event) = self.inner.next() else {
                // Definitions left open by a broken stream are still shown.
                while let Some(open) = self.open.pop() {
                    self.notes.push(open);
                }
                self.tail = Some(self.endnotes());
                continue;
            };
            let event = match event {
                Event::Start(Tag::FootnoteDefinition(label)) => {
                    self.open.push((label, Vec::new()));
                    continue;
                }
                Event::End(TagEnd::FootnoteDefinition) => {
                    if let Some(note) = self.open.pop() {
                        self.notes.push(note);
                    }
                    continue;
                }
                Event::FootnoteReference(label) => self.reference(label),
                event => event,
            };
            match self.open.last_mut() {
                Some((_, events)) => events.push(event),
                None => return Some(event),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::markdown::render;

    #[test]
    fn notes_go_to_the_end_with_fn_ids_and_backlinks() {
        let html = render(
            "[^b]: Defined first, cited second.\n\nA[^a], B[^b], A again[^a].\n\n[^a]: Note A.\n\n[^unused]: Never cited.\n",
        )
        .html;
        assert_eq!(
            html,
            "<p>A<sup class=\"footnote-reference\" id=\"fnref-1\"><a href=\"#fn-1\">1</a></sup>, \
             B<sup class=\"footnote-reference\" id=\"fnref-2\"><a href=\"#fn-2\">2</a></sup>, \
             A again<sup class=\"footnote-reference\" id=\"fnref-1-2\"><a href=\"#fn-1\">1</a></sup>.</p>\n\
             <section class=\"footnotes\" aria-label=\"Notes\">\n<ol>\n\
             <li id=\"fn-1\">\n<p>Note A. \
             <a class=\"footnote-backref\" href=\"#fnref-1\" aria-label=\"Back to reference 1\">↩</a> \
             <a class=\"footnote-backref\" href=\"#fnref-1-2\" aria-label=\"Back to reference 1 (2)\">↩<sup>2</sup></a></p>\n</li>\n\
             <li id=\"fn-2\">\n<p>Defined first, cited second. \
             <a class=\"footnote-backref\" href=\"#fnref-2\" aria-label=\"Back to reference 2\">↩</a></p>\n</li>\n\
             <li id=\"fn-3\">\n<p>Never cited.</p>\n</li>\n\
             </ol>\n</section>\n"
        );
    }

    #[test]
    fn a_body_without_notes_is_left_alone() {
        assert_eq!(render("Just text [^x].\n").html, "<p>Just text [^x].</p>\n");
    }
}
