//! A briefing's or page's body, rendered when its page is written: the file
//! is read again (only metadata is kept in memory), Liquid tags and
//! shortcodes from other generators are translated, links to other source
//! files become their pages' URLs, every link into the site is checked
//! (`links.rs`), a link with a script URL is shown as text, and an image
//! of the site gets its size (`images.rs`). `key` is what stands for a
//! body in page fingerprints: its source, where its links lead and the
//! sizes of its images.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::content::CONTENT_DIR;
use crate::diagnostic::{Diagnostic, Kind};
use crate::hash::hash_of;
use crate::links::{self, Target};
use crate::markdown::{self, ImageSize, LinkTarget, Rendered};
use crate::pages::Outputs;
use crate::shortcodes::PageVars;
use crate::site::{Doc, Site};
use crate::url::output_path;

/// A rendered body, its broken links (file and line each; what to do
/// with them is up to `broken_links`, see `render.rs`) and its warnings
/// (links and images with a script URL, shown as text; code left plain for
/// a very long line).
pub struct Body {
    pub rendered: Rendered,
    pub broken: Vec<Diagnostic>,
    /// In-page links to ids the body does not have, each with its fragment:
    /// broken unless the page's template gives that id (`render.rs`).
    pub no_anchor: Vec<(String, Diagnostic)>,
    pub warnings: Vec<Diagnostic>,
    /// Images with no alt text, which `briefly check` reports.
    pub empty_alt: Vec<Diagnostic>,
}

/// Where a link written in the body of `source` (under `content/`), shown
/// on the output file `page`, goes: links to source files become their
/// pages' URLs; any other link into the site must reach a file the site
/// writes (`links::check`). An in-page `#fragment` must name a heading or
/// id of the body (`anchors`), or else one the template adds (`render.rs`).
pub fn resolve(site: &Site, outputs: &Outputs, place: &Place, dest: &str) -> LinkTarget {
    let Place {
        source,
        page,
        anchors,
        ..
    } = place;
    if let Some(fragment) = dest.strip_prefix('#') {
        let decoded = percent_encoding::percent_decode_str(fragment).decode_utf8_lossy();
        return if fragment.is_empty() || anchors.iter().any(|a| **a == decoded) {
            LinkTarget::Keep
        } else {
            LinkTarget::NoAnchor(decoded.into_owned())
        };
    }
    match site.resolve_link(source, dest) {
        LinkTarget::Keep => match links::classify(dest, page, &site.base) {
            Target::Internal(file, fragment) => {
                match links::check(site, outputs, &file, fragment.as_deref()) {
                    Some(why) => LinkTarget::Broken(format!("`{dest}`: {why}")),
                    None => LinkTarget::Keep,
                }
            }
            Target::External(_) | Target::Other => LinkTarget::Keep,
        },
        resolved => resolved,
    }
}

/// The size of the image at `dest`, written on the output file `page`,
/// when it is an image of the site whose header can be read.
fn image_size(site: &Site, outputs: &Outputs, page: &Path, dest: &str) -> Option<ImageSize> {
    match links::classify(dest, page, &site.base) {
        Target::Internal(file, _) => outputs.images.size(&file),
        Target::External(_) | Target::Other => None,
    }
}

/// Where a body is written and read from: its file under `content/`, the
/// page's output file, the text's hash, the links the load-time scan found
/// and the ids its headings get.
pub struct Place<'s> {
    pub source: &'s Path,
    pub page: PathBuf,
    source_hash: u64,
    links: &'s [String],
    pub anchors: &'s [String],
}

fn place(site: &Site, doc: Doc) -> Place<'_> {
    match doc {
        Doc::Briefing(i) => {
            let b = &site.briefings[i];
            Place {
                source: &b.source_path,
                page: output_path(&b.path),
                source_hash: b.source_hash,
                links: &b.links,
                anchors: &b.anchors,
            }
        }
        Doc::Page(i) => {
            let p = &site.pages[i];
            Place {
                source: &p.source_path,
                page: output_path(&p.path),
                source_hash: p.source_hash,
                links: &p.links,
                anchors: &p.anchors,
            }
        }
    }
}

/// What a body's HTML is made from: the file's path and text, where its
/// links lead and the sizes of its images (a renamed or re-headed target,
/// or a resized image, changes the HTML or whether a link is broken, not
/// the text).
pub fn key(site: &Site, outputs: &Outputs, doc: Doc) -> u64 {
    let place = place(site, doc);
    let targets: Vec<_> = place
        .links
        .iter()
        .map(|dest| {
            let target = resolve(site, outputs, &place, dest);
            let shown = match &target {
                LinkTarget::Url(url) => url.as_str(),
                _ => dest.as_str(),
            };
            let size = image_size(site, outputs, &place.page, shown);
            (target, size)
        })
        .collect();
    hash_of((place.source_hash, targets))
}

/// How a body's links are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Links {
    /// As on the site's own pages: as written, links to source files as
    /// root-relative URLs.
    AsWritten,
    /// Absolute, resolved against the page's permalink: for feeds, which a
    /// reader may resolve against the feed's URL or not at all.
    Absolute,
}

/// Renders a briefing's or page's body.
pub fn render(site: &Site, outputs: &Outputs, doc: Doc, links: Links) -> Result<Body, Diagnostic> {
    render_reading(site, outputs, doc, links, None)
}

/// `render`, also adding the body's text to `read` as search reads it.
pub fn render_reading(
    site: &Site,
    outputs: &Outputs,
    doc: Doc,
    links: Links,
    read: Option<&mut String>,
) -> Result<Body, Diagnostic> {
    let place = place(site, doc);
    let source = place.source;
    let permalink = match (links, doc) {
        (Links::AsWritten, _) => None,
        (Links::Absolute, Doc::Briefing(i)) => {
            url::Url::parse(&site.base.permalink(&site.briefings[i].path)).ok()
        }
        (Links::Absolute, Doc::Page(i)) => {
            url::Url::parse(&site.base.permalink(&site.pages[i].path)).ok()
        }
    };
    let absolute = |dest: &str| {
        let joined = permalink.as_ref().and_then(|p| p.join(dest).ok());
        joined.map_or(LinkTarget::Keep, |url| LinkTarget::Url(url.into()))
    };
    let resolve = |dest: &str| match resolve(site, outputs, &place, dest) {
        LinkTarget::Keep if permalink.is_some() => absolute(dest),
        LinkTarget::Url(url) if permalink.is_some() => absolute(&url),
        target => target,
    };
    let size = |dest: &str| image_size(site, outputs, &place.page, dest);
    let mut resolvers = Resolvers {
        resolve: &resolve,
        size: &size,
        sources: None,
    };
    match doc {
        Doc::Briefing(i) => {
            let b = &site.briefings[i];
            let numbers = source_numbers(b);
            resolvers.sources = Some(&numbers);
            let text = crate::content::read(&site.root, source).map_err(|mut e| e.remove(0))?;
            let shown = Path::new(CONTENT_DIR).join(source);
            let split = crate::front_matter::split(&shown, &text)?;
            let vars = PageVars {
                title: &b.title,
                date: Some(b.date),
                extra: &b.extra,
                site: &site.config.extra,
            };
            Ok(linked(
                site,
                source,
                split.body,
                split.body_line,
                &vars,
                &resolvers,
                read,
            ))
        }
        Doc::Page(i) => {
            let p = &site.pages[i];
            let vars = PageVars {
                title: &p.title,
                date: None,
                extra: &p.extra,
                site: &site.config.extra,
            };
            Ok(linked(
                site,
                source,
                &p.body,
                p.body_line,
                &vars,
                &resolvers,
                read,
            ))
        }
    }
}

/// Where a body's links lead, how big its images are and, in a
/// briefing, the number of each source id its citations link to.
struct Resolvers<'l> {
    resolve: &'l dyn Fn(&str) -> LinkTarget,
    size: &'l dyn Fn(&str) -> Option<ImageSize>,
    sources: Option<&'l HashMap<String, usize>>,
}

/// Each source id with its number in the Sources list (its place there).
fn source_numbers(b: &crate::briefing::Briefing) -> HashMap<String, usize> {
    b.sources
        .iter()
        .enumerate()
        .filter_map(|(i, s)| Some((s.id.clone()?, i + 1)))
        .collect()
}

/// Renders a body whose source is `source` (under `content/`), its
/// `{{ page.KEY }}` read from `vars` and its links resolved by `links`;
/// each broken one, and each shown as text, named with its file and line.
fn linked(
    site: &Site,
    source: &Path,
    body: &str,
    body_line: usize,
    vars: &PageVars,
    links: &Resolvers,
    text: Option<&mut String>,
) -> Body {
    let shown = Path::new(CONTENT_DIR).join(source);
    let translated = crate::shortcodes::translate_file(source, body, &site.base, vars);
    let body = translated.text.as_ref();
    let found = markdown::render_reading(
        body,
        markdown::Style::of(&site.config),
        links.resolve,
        links.size,
        text,
        links.sources,
    );
    // The offsets of the body's line breaks, found once when anything is
    // reported (a page of 20,000 broken links is not 20,000 counts).
    let breaks = std::cell::OnceCell::new();
    let line = |offset: usize| {
        let breaks: &Vec<usize> = breaks.get_or_init(|| {
            body.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i)
                .collect()
        });
        body_line + breaks.partition_point(|&at| at < offset.min(body.len()))
    };
    let mut body = Body {
        rendered: found.rendered,
        broken: Vec::new(),
        no_anchor: Vec::new(),
        warnings: Vec::new(),
        empty_alt: Vec::new(),
    };
    for link in found.unlinked.broken {
        let diagnostic = Diagnostic::new(&shown, format!("broken link {}", link.why))
            .at(line(link.offset), None)
            .kind(Kind::BrokenLink);
        match link.anchor {
            Some(fragment) => body.no_anchor.push((fragment, diagnostic)),
            None => body.broken.push(diagnostic),
        }
    }
    for (offset, why) in found.unlinked.scripts {
        let diagnostic = Diagnostic::new(&shown, why).at(line(offset), None);
        body.warnings.push(diagnostic.kind(Kind::ScriptUrl));
    }
    for (offset, src) in found.empty_alt {
        let why = format!(
            "the image `{src}` has no alt text: describe it between the brackets (`![what it shows]({src})`) for readers who cannot see it"
        );
        let diagnostic = Diagnostic::new(&shown, why).at(line(offset), None);
        body.empty_alt.push(diagnostic.kind(Kind::EmptyAlt));
    }
    for long in found.long_lines {
        body.warnings.push(
            Diagnostic::new(
                &shown,
                format!(
                    "a line of {} bytes in a `{}` code block: the block is shown without highlighting (lines over {} bytes are not highlighted)",
                    long.bytes,
                    long.lang,
                    crate::highlight::LINE_MAX
                ),
            )
            .at(line(long.offset) + long.index, None),
        );
    }
    body
}
