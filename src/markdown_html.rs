//! Raw HTML written in a body, for a site whose `site.yaml` says
//! `markdown: { raw_html: false }` (a desk publishing contributors' text):
//! an adapter over pulldown-cmark's events, run first, that shows each HTML
//! block as a paragraph of its text and each inline tag as text, escaped by
//! the HTML writer like any text. HTML comments, which show nothing either
//! way, are dropped (so `<!-- more -->` stays a summary break, not text);
//! the lines `shortcodes.rs` marks as comments pass on to `markdown.rs`.
//! With raw HTML allowed (the default) the events pass as they are.

use std::collections::VecDeque;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use crate::markdown_attrs::Spanned;

/// See the module comment; `marker` starts the comments to pass on.
pub struct Escaped<'a, I> {
    inner: I,
    on: bool,
    marker: &'static str,
    out: VecDeque<Spanned<'a>>,
}

impl<'a, I: Iterator<Item = Spanned<'a>>> Escaped<'a, I> {
    /// Shows raw HTML as text when `raw_html` is false.
    pub fn new(inner: I, raw_html: bool, marker: &'static str) -> Self {
        Escaped {
            inner,
            on: !raw_html,
            marker,
            out: VecDeque::new(),
        }
    }
}

impl<'a, I: Iterator<Item = Spanned<'a>>> Iterator for Escaped<'a, I> {
    type Item = Spanned<'a>;

    fn next(&mut self) -> Option<Spanned<'a>> {
        loop {
            if let Some(item) = self.out.pop_front() {
                return Some(item);
            }
            let (event, range) = self.inner.next()?;
            if !self.on {
                return Some((event, range));
            }
            match event {
                // A block holds only its lines of HTML until its end.
                Event::Start(Tag::HtmlBlock) => {
                    let mut html = String::new();
                    for (event, _) in self.inner.by_ref() {
                        match event {
                            Event::Html(line) => html.push_str(&line),
                            Event::End(TagEnd::HtmlBlock) => break,
                            _ => {}
                        }
                    }
                    if html.starts_with(self.marker) {
                        self.out.extend([
                            (Event::Html(CowStr::from(html)), range.clone()),
                            (Event::End(TagEnd::HtmlBlock), range.clone()),
                        ]);
                        return Some((Event::Start(Tag::HtmlBlock), range));
                    }
                    if only_comments(&html) {
                        continue;
                    }
                    let text = html.trim_end().to_string();
                    self.out.extend([
                        (Event::Text(CowStr::from(text)), range.clone()),
                        (Event::End(TagEnd::Paragraph), range.clone()),
                    ]);
                    return Some((Event::Start(Tag::Paragraph), range));
                }
                Event::Html(html) | Event::InlineHtml(html) if html.starts_with(self.marker) => {
                    return Some((Event::InlineHtml(html), range));
                }
                Event::Html(html) | Event::InlineHtml(html) => {
                    if !only_comments(&html) {
                        return Some((Event::Text(html), range));
                    }
                }
                event => return Some((event, range)),
            }
        }
    }
}

/// Whether `html` is nothing but HTML comments and white space.
fn only_comments(html: &str) -> bool {
    let mut rest = html.trim_start();
    while let Some(comment) = rest.strip_prefix("<!--") {
        match comment.find("-->") {
            Some(end) => rest = comment[end + 3..].trim_start(),
            None => return false,
        }
    }
    rest.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::{LinkTarget, Style, render_linked, shown_line};

    fn html(markdown: &str, raw_html: bool) -> String {
        let style = Style {
            raw_html,
            ..Style::default()
        };
        render_linked(markdown, style, &|_| LinkTarget::Keep, &|_| None)
            .rendered
            .html
    }

    /// Issue 11, item 7: raw HTML passes through by default and is shown
    /// as text with `raw_html: false`; comments show nothing either way.
    #[test]
    fn issue_11_raw_html_is_shown_as_text_when_the_site_says_so() {
        let body = "<div onclick=\"x()\">\n<script>alert(1)</script>\n</div>\n\n\
                    Text <b>bold</b> <a href=\"javascript:x\">y</a><!-- note --> end.\n\n\
                    <!-- more -->\n\n- <img src=x onerror=alert(1)>\n";
        assert_eq!(
            html(body, true),
            "<div onclick=\"x()\">\n<script>alert(1)</script>\n</div>\n\
             <p>Text <b>bold</b> <a href=\"javascript:x\">y</a><!-- note --> end.</p>\n\
             <!-- more -->\n<ul>\n<li><img src=x onerror=alert(1)>\n</li>\n</ul>\n"
        );
        assert_eq!(
            html(body, false),
            "<p>&lt;div onclick=\"x()\"&gt;\n&lt;script&gt;alert(1)&lt;/script&gt;\n&lt;/div&gt;</p>\n\
             <p>Text &lt;b&gt;bold&lt;/b&gt; &lt;a href=\"javascript:x\"&gt;y&lt;/a&gt; end.</p>\n\
             <ul>\n<li>\n<p>&lt;img src=x onerror=alert(1)&gt;</p>\n</li>\n</ul>\n"
        );
        // Lines of template tags marked by `shortcodes.rs` still show.
        let tag = shown_line("{% include a.html %}").unwrap();
        assert_eq!(
            html(&format!("{tag}\n\nx {tag}\n"), false),
            "<p>{% include a.html %}</p>\n<p>x {% include a.html %}</p>\n"
        );
    }

    #[test]
    fn comments_alone_are_told_apart() {
        assert!(only_comments("<!-- more -->\n"));
        assert!(only_comments("<!--\nnote\n--> <!-- b -->\n"));
        assert!(!only_comments("<!-- a --><script>\n"));
        assert!(!only_comments("<!-- open\n"));
        assert!(!only_comments("<b>"));
    }
}
