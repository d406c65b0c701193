//! Links in a body: which name other source files (`kazan.md`,
//! `@/briefings/x.md`, Jekyll's `post_url` and Hugo's `ref` as
//! `shortcodes.rs` writes them), and the adapter that rewrites them through
//! `Site::resolve_link` while the body is rendered, collecting the broken
//! ones. A target still holding a template expression is broken too.

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use crate::markdown_attrs::Spanned;

/// The prefix of a link to a post named by its file name (Jekyll's
/// `post_url`), resolved by `Site::resolve_link`.
pub const POST_URL: &str = "@post:";
/// The prefix of a link to a page named as Hugo's `ref` and `relref` name
/// it (`other-post`, `../x.md#a`, `/blog/y`), resolved by `Site::resolve_link`.
pub const HUGO_REF: &str = "@ref:";

/// Whether a link destination names a source file: a relative path to a
/// `.md` file, or any path from the content root as `@/briefings/x.md`.
pub fn is_source_link(dest: &str) -> bool {
    let path = dest.split(['#', '?']).next().unwrap_or("");
    if path.starts_with("@/") || path.starts_with(POST_URL) || path.starts_with(HUGO_REF) {
        return true;
    }
    let external = path.is_empty() || path.starts_with('/') || path.contains(':');
    !external && (path.ends_with(".md") || path.ends_with(".markdown"))
}

/// Whether a link destination is one a page's fingerprint must follow: a
/// source file, or a path into the site (`/tags/x/`, `../images/a.png`),
/// which is checked against the files the site writes. Not in-page
/// fragments (`#x`) or URLs with a scheme (`https:`, `mailto:`): a full
/// URL into the site is checked when the body is rendered, but a change to
/// its target alone does not re-check it while serving.
pub fn is_followed_link(dest: &str) -> bool {
    if is_source_link(dest) {
        return true;
    }
    let path = dest.split(['#', '?']).next().unwrap_or("");
    let scheme = path
        .split('/')
        .next()
        .is_some_and(|first| first.contains(':'));
    !path.is_empty() && !path.starts_with("//") && !scheme
}

/// Where a link to another source file (`kazan.md`, `@/briefings/x.md#a`)
/// goes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LinkTarget {
    /// Not a link to a source file: left as written.
    Keep,
    Url(String),
    /// A source file or heading that does not exist: why.
    Broken(String),
}

/// A link that could not be resolved: its byte offset in the body and why.
pub type BrokenLink = (usize, String);

/// Rewrites links to source files through `resolve` and collects the broken
/// ones. A link whose target still holds a template expression
/// (`{{ site.repo }}/x`, `{% include url %}`) is broken too, reported once
/// per target, and shown as its text alone: such a target never becomes
/// an `href`.
pub(crate) struct Linked<'a, 'r, I> {
    inner: I,
    resolve: &'r dyn Fn(&str) -> LinkTarget,
    pub broken: Vec<BrokenLink>,
    reported: HashSet<CowStr<'a>>,
    /// For each open link or image: whether its tags are left out.
    unwrapping: Vec<bool>,
}

impl<'a, I: Iterator<Item = Spanned<'a>>> Iterator for Linked<'a, '_, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        loop {
            let (mut event, range) = self.inner.next()?;
            match &mut event {
                Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                    let unresolved = dest_url.contains("{{") || dest_url.contains("{%");
                    self.unwrapping.push(unresolved);
                    if unresolved {
                        if self.reported.insert(dest_url.clone()) {
                            self.broken.push((range.start, unresolved_why(dest_url)));
                        }
                        continue;
                    }
                    let written = std::mem::replace(dest_url, CowStr::Borrowed(""));
                    *dest_url = self.rewrite(written, range.start);
                }
                // The guard pops the link's entry whether or not it is left out.
                Event::End(TagEnd::Link | TagEnd::Image)
                    if self.unwrapping.pop().unwrap_or(false) =>
                {
                    continue;
                }
                _ => {}
            }
            return Some(event);
        }
    }
}

impl<'a, 'r, I> Linked<'a, 'r, I> {
    pub fn new(inner: I, resolve: &'r dyn Fn(&str) -> LinkTarget) -> Self {
        Linked {
            inner,
            resolve,
            broken: Vec::new(),
            reported: HashSet::new(),
            unwrapping: Vec::new(),
        }
    }

    fn rewrite(&mut self, dest: CowStr<'a>, offset: usize) -> CowStr<'a> {
        match (self.resolve)(&dest) {
            LinkTarget::Keep => dest,
            LinkTarget::Url(url) => CowStr::from(url),
            LinkTarget::Broken(why) => {
                self.broken.push((offset, why));
                dest
            }
        }
    }
}

/// Why a target holding a template expression is broken, as written (the
/// spaces `shortcodes.rs` encoded to keep it one target are decoded).
fn unresolved_why(dest: &str) -> String {
    let written = percent_encoding::percent_decode_str(dest).decode_utf8_lossy();
    format!(
        "`{written}`: a template expression briefly cannot resolve (it knows `{{{{ page.KEY }}}}`, `{{{{ site.url }}}}`, `{{{{ site.baseurl }}}}` and the link tags); write the URL itself"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::render_linked;

    #[test]
    fn unresolved_template_targets_are_broken_and_never_an_href() {
        let body = "[a]({{%20site.repo%20}}/x) and [b][r], [c][r] ![i]({{page.nope}})\n\n[r]: {%%20include%20u%20%}\n";
        let found = render_linked(body, &|_| LinkTarget::Keep);
        let (r, broken) = (found.rendered, found.broken);
        assert_eq!(r.html, "<p>a and b, c i</p>\n");
        let why = |t: &str| {
            format!(
                "`{t}`: a template expression briefly cannot resolve (it knows `{{{{ page.KEY }}}}`, `{{{{ site.url }}}}`, `{{{{ site.baseurl }}}}` and the link tags); write the URL itself"
            )
        };
        assert_eq!(
            broken,
            [
                (0, why("{{ site.repo }}/x")),
                (31, why("{% include u %}")),
                (46, why("{{page.nope}}")),
            ],
            "one report per target"
        );
    }
}
