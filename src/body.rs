//! A briefing's or page's body, rendered when its page is written: the file
//! is read again (only metadata is kept in memory), Liquid tags and
//! shortcodes from other generators are translated, links to other source
//! files become their pages' URLs, and every link into the site is checked
//! (`links.rs`). `key` is what stands for a body in page fingerprints: its
//! source and where its links lead.

use std::path::{Path, PathBuf};

use crate::content::CONTENT_DIR;
use crate::diagnostic::{Diagnostic, Kind};
use crate::hash::hash_of;
use crate::links::{self, Target};
use crate::markdown::{self, LinkTarget, Rendered};
use crate::pages::Outputs;
use crate::shortcodes::PageVars;
use crate::site::{Doc, Site};
use crate::url::output_path;

/// A rendered body and its broken links (file and line each; what to do
/// with them is up to `broken_links`, see `render.rs`), and its other
/// warnings (code left plain for a very long line).
pub struct Body {
    pub rendered: Rendered,
    pub broken: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
}

/// Where a link written in the body of `source` (under `content/`), shown
/// on the output file `page`, goes: links to source files become their
/// pages' URLs; any other link into the site must reach a file the site
/// writes (`links::check`). In-page `#fragment` links are left to
/// `briefly check`, which sees every id the templates add.
pub fn resolve(
    site: &Site,
    outputs: &Outputs,
    source: &Path,
    page: &Path,
    dest: &str,
) -> LinkTarget {
    if dest.starts_with('#') {
        return LinkTarget::Keep;
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

/// The file under `content/`, the page's output file, the text's hash and
/// the links the load-time scan found, of a briefing or page.
fn parts(site: &Site, doc: Doc) -> (&Path, PathBuf, u64, &[String]) {
    match doc {
        Doc::Briefing(i) => {
            let b = &site.briefings[i];
            (
                &b.source_path,
                output_path(&b.path),
                b.source_hash,
                &b.links,
            )
        }
        Doc::Page(i) => {
            let p = &site.pages[i];
            (
                &p.source_path,
                output_path(&p.path),
                p.source_hash,
                &p.links,
            )
        }
    }
}

/// What a body's HTML is made from: the file's path and text, and where
/// its links lead (a renamed or re-headed target changes the HTML, or
/// whether a link is broken, not the text).
pub fn key(site: &Site, outputs: &Outputs, doc: Doc) -> u64 {
    let (source, page, source_hash, links) = parts(site, doc);
    let targets: Vec<_> = links
        .iter()
        .map(|dest| resolve(site, outputs, source, &page, dest))
        .collect();
    hash_of((source_hash, targets))
}

/// Renders a briefing's or page's body.
pub fn render(site: &Site, outputs: &Outputs, doc: Doc) -> Result<Body, Diagnostic> {
    let (source, page, _, _) = parts(site, doc);
    let resolve = |dest: &str| resolve(site, outputs, source, &page, dest);
    match doc {
        Doc::Briefing(i) => {
            let b = &site.briefings[i];
            let text = crate::content::read(&site.root, source).map_err(|mut e| e.remove(0))?;
            let shown = Path::new(CONTENT_DIR).join(source);
            let split = crate::front_matter::split(&shown, &text)?;
            let vars = PageVars {
                title: &b.title,
                date: Some(b.date),
                extra: &b.extra,
            };
            Ok(linked(
                site,
                source,
                split.body,
                split.body_line,
                &vars,
                &resolve,
            ))
        }
        Doc::Page(i) => {
            let p = &site.pages[i];
            let vars = PageVars {
                title: &p.title,
                date: None,
                extra: &p.extra,
            };
            Ok(linked(site, source, &p.body, p.body_line, &vars, &resolve))
        }
    }
}

/// Renders a body whose source is `source` (under `content/`), its
/// `{{ page.KEY }}` read from `vars` and its links resolved by `resolve`;
/// each broken one named with its file and line.
fn linked(
    site: &Site,
    source: &Path,
    body: &str,
    body_line: usize,
    vars: &PageVars,
    resolve: &dyn Fn(&str) -> LinkTarget,
) -> Body {
    let shown = Path::new(CONTENT_DIR).join(source);
    let translated = crate::shortcodes::translate(body, &site.base, vars);
    let body = translated.text.as_ref();
    let found = markdown::render_linked(body, resolve);
    let line = |offset: usize| body_line + body[..offset.min(body.len())].matches('\n').count();
    let broken = found
        .broken
        .iter()
        .map(|(offset, why)| {
            Diagnostic::new(&shown, format!("broken link {why}"))
                .at(line(*offset), None)
                .kind(Kind::BrokenLink)
        })
        .collect();
    let warnings = found
        .long_lines
        .iter()
        .map(|long| {
            Diagnostic::new(
                &shown,
                format!(
                    "a line of {} bytes in a `{}` code block: the block is shown without highlighting (lines over {} bytes are not highlighted)",
                    long.bytes,
                    long.lang,
                    crate::highlight::LINE_MAX
                ),
            )
            .at(line(long.offset) + long.index, None)
        })
        .collect();
    Body {
        rendered: found.rendered,
        broken,
        warnings,
    }
}
