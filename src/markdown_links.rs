//! Links in a body: which name other source files (`kazan.md`,
//! `@/briefings/x.md`, Jekyll's `post_url` and Hugo's `ref` as
//! `shortcodes.rs` writes them), and the adapter that rewrites them through
//! `Site::resolve_link` while the body is rendered, collecting the broken
//! ones. A target still holding a template expression is broken too. A
//! link or image whose URL would run a script (`script_url.rs`) is shown as
//! its text, with a warning.

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

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
    /// An in-page `#fragment` that no heading or id of the body names: it
    /// is broken unless the page's template gives that id (`render.rs`).
    NoAnchor(String),
}

/// A link that could not be resolved: its byte offset in the body, why,
/// and for an in-page link its fragment (see `LinkTarget::NoAnchor`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    pub offset: usize,
    pub why: String,
    pub anchor: Option<String>,
}

/// A link or image shown as its text because its URL would run a script:
/// its byte offset in the body and why.
pub type ScriptLink = (usize, String);

/// Rewrites links to source files through `resolve` and collects the broken
/// ones. A link whose target still holds a template expression
/// (`{{ site.repo }}/x`, `{% include url %}`) is broken too, reported once
/// per target, and shown as its text alone: such a target never becomes
/// an `href`. Nor does a script URL (`javascript:`, `data:text/html`):
/// its link or image is shown as its text, and listed in `scripts`.
pub(crate) struct Linked<'a, 'r, I> {
    inner: I,
    resolve: &'r dyn Fn(&str) -> LinkTarget,
    pub broken: Vec<BrokenLink>,
    pub scripts: Vec<ScriptLink>,
    reported: HashSet<CowStr<'a>>,
    /// For each open link or image: whether its tags are left out.
    unwrapping: Vec<bool>,
}

impl<'a, I: Iterator<Item = Spanned<'a>>> Iterator for Linked<'a, '_, I> {
    type Item = Spanned<'a>;

    fn next(&mut self) -> Option<Spanned<'a>> {
        loop {
            let (mut event, range) = self.inner.next()?;
            let image = matches!(event, Event::Start(Tag::Image { .. }));
            match &mut event {
                // `<name@host>`: the HTML writer makes it a `mailto:` link.
                Event::Start(Tag::Link {
                    link_type: LinkType::Email,
                    ..
                }) => self.unwrapping.push(false),
                Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                    let unresolved = dest_url.contains("{{") || dest_url.contains("{%");
                    let script = crate::script_url::script_scheme(dest_url);
                    self.unwrapping.push(unresolved || script.is_some());
                    if let Some(scheme) = script {
                        let why = script_why(dest_url, &scheme, image);
                        self.scripts.push((range.start, why));
                        continue;
                    }
                    if unresolved {
                        if self.reported.insert(dest_url.clone()) {
                            self.broken.push(BrokenLink {
                                offset: range.start,
                                why: unresolved_why(dest_url),
                                anchor: None,
                            });
                        }
                        continue;
                    }
                    let written = std::mem::replace(dest_url, CowStr::Borrowed(""));
                    *dest_url = self.rewrite(written, range.start);
                }
                // Links written in raw HTML are checked as they are written
                // (not a highlighted code block's HTML: its text is escaped).
                Event::Html(html) | Event::InlineHtml(html)
                    if (html.contains("href") || html.contains("src"))
                        && !html.starts_with("<pre class=\"code") =>
                {
                    for dest in raw_html_links(html) {
                        self.rewrite(CowStr::from(dest), range.start);
                    }
                }
                // The guard pops the link's entry whether or not it is left out.
                Event::End(TagEnd::Link | TagEnd::Image)
                    if self.unwrapping.pop().unwrap_or(false) =>
                {
                    continue;
                }
                _ => {}
            }
            return Some((event, range));
        }
    }
}

impl<'a, 'r, I> Linked<'a, 'r, I> {
    pub fn new(inner: I, resolve: &'r dyn Fn(&str) -> LinkTarget) -> Self {
        Linked {
            inner,
            resolve,
            broken: Vec::new(),
            scripts: Vec::new(),
            reported: HashSet::new(),
            unwrapping: Vec::new(),
        }
    }

    fn rewrite(&mut self, dest: CowStr<'a>, offset: usize) -> CowStr<'a> {
        match (self.resolve)(&dest) {
            LinkTarget::Keep => dest,
            LinkTarget::Url(url) => CowStr::from(url),
            LinkTarget::Broken(why) => {
                self.broken.push(BrokenLink {
                    offset,
                    why,
                    anchor: None,
                });
                dest
            }
            LinkTarget::NoAnchor(fragment) => {
                self.broken.push(BrokenLink {
                    offset,
                    why: format!("`{dest}`: there is no such heading or id on that page"),
                    anchor: Some(fragment),
                });
                dest
            }
        }
    }
}

/// The `href` and `src` values of the elements in a piece of raw HTML.
fn raw_html_links(html: &str) -> Vec<String> {
    static LINKS: std::sync::LazyLock<scraper::Selector> = std::sync::LazyLock::new(|| {
        scraper::Selector::parse("[href], [src]").expect("a valid selector")
    });
    let fragment = scraper::Html::parse_fragment(html);
    fragment
        .select(&LINKS)
        .flat_map(|e| [e.attr("href"), e.attr("src")])
        .flatten()
        .map(str::to_string)
        .collect()
}

/// Why a target holding a template expression is broken, as written (the
/// spaces `shortcodes.rs` encoded to keep it one target are decoded).
fn unresolved_why(dest: &str) -> String {
    let written = percent_encoding::percent_decode_str(dest).decode_utf8_lossy();
    format!(
        "`{written}`: a template expression briefly cannot resolve (it knows `{{{{ page.KEY }}}}`, `{{{{ site.url }}}}`, `{{{{ site.baseurl }}}}` and the link tags); write the URL itself"
    )
}

/// Why a link or image was shown as its text: its URL would run a script.
fn script_why(dest: &str, scheme: &str, image: bool) -> String {
    let shown = crate::script_url::shown(dest);
    let what = if image {
        "image shown as its alt text"
    } else {
        "link shown as its text"
    };
    format!(
        "{what}: `{shown}` is a `{scheme}` URL, which would run a script in the reader's browser; link to an http(s) page instead"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::{Style, render_linked};

    #[test]
    fn unresolved_template_targets_are_broken_and_never_an_href() {
        let body = "[a]({{%20site.repo%20}}/x) and [b][r], [c][r] ![i]({{page.nope}})\n\n[r]: {%%20include%20u%20%}\n";
        let found = render_linked(body, Style::default(), &|_| LinkTarget::Keep, &|_| None);
        let (r, broken) = (found.rendered, found.unlinked.broken);
        assert_eq!(r.html, "<p>a and b, c i</p>\n");
        let why = |offset: usize, t: &str| BrokenLink {
            offset,
            why: format!(
                "`{t}`: a template expression briefly cannot resolve (it knows `{{{{ page.KEY }}}}`, `{{{{ site.url }}}}`, `{{{{ site.baseurl }}}}` and the link tags); write the URL itself"
            ),
            anchor: None,
        };
        assert_eq!(
            broken,
            [
                why(0, "{{ site.repo }}/x"),
                why(31, "{% include u %}"),
                why(46, "{{page.nope}}"),
            ],
            "one report per target"
        );
    }

    /// Issue 11, item 7: no link or image with a script URL becomes an
    /// `href` or `src`, however it is written; each is reported where it is.
    #[test]
    fn issue_11_script_urls_are_shown_as_text() {
        let body = "[a](javascript:alert(1)) [b](JAVASCRIPT:x) [c](<  javascript:x>)\n\
                    [d](java&#x09;script:x) [e](&#106;avascript:x) <javascript:alert(1)>\n\
                    [f][r] ![g](data:text/html,x) ![h](vbscript:x) [i](data:image/png;base64,iVBO)\n\
                    [j](https://example.org/) ![k](data:image/png;base64,iVBO)\n\n[r]: Javascript:alert(1)\n";
        let found = render_linked(body, Style::default(), &|_| LinkTarget::Keep, &|_| None);
        let (r, unlinked) = (found.rendered, found.unlinked);
        assert_eq!(
            r.html,
            "<p>a b c\nd e javascript:alert(1)\nf g h <a href=\"data:image/png;base64,iVBO\">i</a>\n\
             <a href=\"https://example.org/\">j</a> <img src=\"data:image/png;base64,iVBO\" alt=\"k\" loading=\"lazy\" /></p>\n"
        );
        assert!(unlinked.broken.is_empty());
        let found: Vec<(usize, &str)> = unlinked
            .scripts
            .iter()
            .map(|(offset, why)| (*offset, why.as_str()))
            .collect();
        let at = |text: &str| body.find(text).unwrap();
        let link = |url: &str, scheme: &str| {
            format!(
                "link shown as its text: `{url}` is a `{scheme}` URL, which would run a script in the reader's browser; link to an http(s) page instead"
            )
        };
        let image = |url: &str, scheme: &str| {
            format!(
                "image shown as its alt text: `{url}` is a `{scheme}` URL, which would run a script in the reader's browser; link to an http(s) page instead"
            )
        };
        let expected = [
            (at("[a]"), link("javascript:alert(1)", "javascript:")),
            (at("[b]"), link("JAVASCRIPT:x", "javascript:")),
            (at("[c]"), link("  javascript:x", "javascript:")),
            (at("[d]"), link("java\\tscript:x", "javascript:")),
            (at("[e]"), link("javascript:x", "javascript:")),
            (
                at("<javascript"),
                link("javascript:alert(1)", "javascript:"),
            ),
            (at("[f]"), link("Javascript:alert(1)", "javascript:")),
            (at("![g]"), image("data:text/html,x", "data:text/html")),
            (at("![h]"), image("vbscript:x", "vbscript:")),
        ];
        let expected: Vec<(usize, &str)> = expected.iter().map(|(o, w)| (*o, w.as_str())).collect();
        assert_eq!(found, expected);
    }
}
