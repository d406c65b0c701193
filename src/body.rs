//! A briefing's or page's body, rendered when its page is written: the file
//! is read again (only metadata is kept in memory), Liquid tags and
//! shortcodes from other generators are translated, and links to other
//! source files become their pages' URLs. `key` is what stands for a body
//! in page fingerprints: its source and where its links lead.

use std::path::Path;

use crate::config::BrokenLinks;
use crate::content::CONTENT_DIR;
use crate::diagnostic::{Diagnostic, Kind};
use crate::hash::hash_of;
use crate::markdown::{self, Rendered};
use crate::site::{Doc, Site};

/// A rendered body and the broken links it warned about (with
/// `broken_links: warn`).
pub struct Body {
    pub rendered: Rendered,
    pub warnings: Vec<Diagnostic>,
}

/// What a body's HTML is made from: the file's path and text, and the
/// targets of its links to other source files (a renamed or re-headed
/// target changes the HTML, not the text).
pub fn key(site: &Site, doc: Doc) -> u64 {
    let (source, source_hash, links) = match doc {
        Doc::Briefing(i) => {
            let b = &site.briefings[i];
            (&b.source_path, b.source_hash, &b.links)
        }
        Doc::Page(i) => {
            let p = &site.pages[i];
            (&p.source_path, p.source_hash, &p.links)
        }
    };
    let targets: Vec<_> = links
        .iter()
        .map(|dest| site.resolve_link(source, dest))
        .collect();
    hash_of((source_hash, targets))
}

/// Renders a briefing's or page's body.
pub fn render(site: &Site, doc: Doc) -> Result<Body, Diagnostic> {
    match doc {
        Doc::Briefing(i) => {
            let b = &site.briefings[i];
            let text =
                crate::content::read(&site.root, &b.source_path).map_err(|mut e| e.remove(0))?;
            let shown = Path::new(CONTENT_DIR).join(&b.source_path);
            let split = crate::front_matter::split(&shown, &text)?;
            linked(site, &b.source_path, split.body, split.body_line)
        }
        Doc::Page(i) => {
            let p = &site.pages[i];
            linked(site, &p.source_path, &p.body, p.body_line)
        }
    }
}

/// Renders a body whose source is `source` (under `content/`): links to
/// source files become URLs; a broken one is an error naming the file and
/// line, or with `broken_links: warn` a warning, the link left as written.
fn linked(site: &Site, source: &Path, body: &str, body_line: usize) -> Result<Body, Diagnostic> {
    let shown = Path::new(CONTENT_DIR).join(source);
    let translated = crate::shortcodes::translate(body, &site.base);
    let body = translated.text.as_ref();
    let (rendered, broken) = markdown::render_linked(body, &|dest| site.resolve_link(source, dest));
    let line = |offset: usize| body_line + body[..offset.min(body.len())].matches('\n').count();
    match (broken.first(), site.config.broken_links) {
        (None, _) => Ok(Body {
            rendered,
            warnings: Vec::new(),
        }),
        (Some(_), BrokenLinks::Warn) => Ok(Body {
            rendered,
            warnings: broken
                .iter()
                .map(|(offset, why)| {
                    Diagnostic::new(&shown, format!("broken link {why}"))
                        .at(line(*offset), None)
                        .kind(Kind::BrokenLink)
                })
                .collect(),
        }),
        (Some((offset, why)), BrokenLinks::Error) => {
            let mut message = format!("broken link {why}");
            if broken.len() > 1 {
                message += &format!(" (and {} more broken links in this file)", broken.len() - 1);
            }
            Err(Diagnostic::new(&shown, message).at(line(*offset), None))
        }
    }
}
