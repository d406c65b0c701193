//! Images in a body: each Markdown image becomes its `<img>` with
//! `loading="lazy"` and, when `size` knows the file (an image of the site:
//! under `content/` or among the theme's static files, see `images.rs`),
//! its `width` and `height`, so the page does not jump as images arrive.
//! Remote images get no size (nothing is fetched). Images whose alt text is
//! empty are noted, with their offset, for `briefly check`.

use std::fmt::Write;

use pulldown_cmark::{CowStr, Event, Tag};

use crate::markdown_attrs::Spanned;

/// An image's size in pixels.
pub type ImageSize = imagesize::ImageSize;

/// An image with no alt text: its byte offset in the body and its URL.
pub type EmptyAlt = (usize, String);

/// See the module comment.
pub(crate) struct Sized<'r, I> {
    inner: I,
    size: &'r dyn Fn(&str) -> Option<ImageSize>,
    pub empty_alt: Vec<EmptyAlt>,
}

impl<'r, I> Sized<'r, I> {
    pub fn new(inner: I, size: &'r dyn Fn(&str) -> Option<ImageSize>) -> Self {
        Sized {
            inner,
            size,
            empty_alt: Vec::new(),
        }
    }
}

impl<'a, I: Iterator<Item = Spanned<'a>>> Iterator for Sized<'_, I> {
    type Item = Spanned<'a>;

    fn next(&mut self) -> Option<Spanned<'a>> {
        let (event, range) = self.inner.next()?;
        let Event::Start(Tag::Image {
            dest_url, title, ..
        }) = event
        else {
            return Some((event, range));
        };
        let alt = alt_text(&mut self.inner);
        if alt.trim().is_empty() {
            self.empty_alt.push((range.start, dest_url.to_string()));
        }
        let mut html = String::from("<img src=\"");
        pulldown_cmark_escape::escape_href(&mut html, &dest_url)
            .expect("writing to a String cannot fail");
        html.push_str("\" alt=\"");
        pulldown_cmark_escape::escape_html(&mut html, &alt)
            .expect("writing to a String cannot fail");
        if !title.is_empty() {
            html.push_str("\" title=\"");
            pulldown_cmark_escape::escape_html(&mut html, &title)
                .expect("writing to a String cannot fail");
        }
        html.push('"');
        if let Some(size) = (self.size)(&dest_url) {
            write!(html, " width=\"{}\" height=\"{}\"", size.width, size.height)
                .expect("writing to a String cannot fail");
        }
        html.push_str(" loading=\"lazy\" />");
        Some((Event::InlineHtml(CowStr::from(html)), range))
    }
}

/// An image's alt text as pulldown-cmark's HTML writer makes it: the text
/// of the events up to the image's end, breaks as spaces.
fn alt_text<'a>(events: &mut impl Iterator<Item = Spanned<'a>>) -> String {
    let mut alt = String::new();
    let mut depth = 0usize;
    for (event, _) in events {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) if depth == 0 => break,
            Event::End(_) => depth -= 1,
            Event::Text(t) | Event::Code(t) | Event::InlineHtml(t) => alt.push_str(&t),
            Event::InlineMath(t) => write!(alt, "${t}$").expect("writing to a String"),
            Event::DisplayMath(t) => write!(alt, "$${t}$$").expect("writing to a String"),
            Event::SoftBreak | Event::HardBreak | Event::Rule => alt.push(' '),
            Event::TaskListMarker(done) => alt.push_str(if done { "[x]" } else { "[ ]" }),
            Event::Html(_) | Event::FootnoteReference(_) => {}
        }
    }
    alt
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::{LinkTarget, Style, render_linked};

    #[test]
    fn local_images_get_their_size_all_are_lazy_and_empty_alts_are_noted() {
        let body =
            "![A *map*](map.png \"The map\") ![](https://example.org/x.png)\n\n![ ](<a b.png>)\n";
        let size = |dest: &str| {
            (dest == "map.png").then_some(ImageSize {
                width: 3,
                height: 2,
            })
        };
        let found = render_linked(body, Style::default(), &|_| LinkTarget::Keep, &size);
        assert_eq!(
            found.rendered.html,
            "<p><img src=\"map.png\" alt=\"A map\" title=\"The map\" width=\"3\" height=\"2\" loading=\"lazy\" /> \
             <img src=\"https://example.org/x.png\" alt=\"\" loading=\"lazy\" /></p>\n\
             <p><img src=\"a%20b.png\" alt=\" \" loading=\"lazy\" /></p>\n"
        );
        assert_eq!(
            found.empty_alt,
            [
                (
                    body.find("![]").unwrap(),
                    "https://example.org/x.png".to_string()
                ),
                (body.find("![ ]").unwrap(), "a b.png".to_string()),
            ]
        );
    }
}
