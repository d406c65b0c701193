//! What a change touches. When the re-parsed files leave the site model
//! as it was (same order, URLs, tags, timeline and aliases: equal
//! `model_hash`es), the last good model is kept, the new documents are
//! swapped into it, and only the pages showing them are looked at
//! (`pages::showing_briefing`): the work follows the change, not the size
//! of the site. Otherwise a new model and page list are made and every
//! page is fingerprinted. Which pages actually change is then decided by
//! their fingerprints, never by this module.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use crate::briefing::Briefing;
use crate::config::Config;
use crate::content::{self, LeftOut, Publish};
use crate::diagnostic::{Diagnostic, Kind};
use crate::document::Document;
use crate::pages::{self, Outputs, PageId};
use crate::render::Fingerprints;
use crate::site::{Doc, Site};
use crate::sources::{Changes, Sources};
use crate::templates::StaticFile;
use crate::view_parts::SummaryHashes;

/// The last good build's model.
pub(crate) struct Built {
    pub(crate) site: Site,
    pub(crate) outputs: Outputs,
    pub(crate) fingerprints: Fingerprints,
    /// Each briefing's and page's place in the site, by source path.
    pub(crate) positions: HashMap<PathBuf, Doc>,
    /// The briefings' own warnings (front matter, text left as it was).
    pub(crate) doc_warnings: Vec<Diagnostic>,
    /// Warnings each page's body gave, by page key.
    pub(crate) page_warnings: HashMap<u64, Vec<Diagnostic>>,
    /// The summaries' hashes, kept while the model stays.
    pub(crate) summary_hashes: SummaryHashes,
    /// How many documents were left out, by why (drafts, future, expired).
    pub(crate) left_out: BTreeMap<LeftOut, usize>,
}

/// The pages to look at.
pub(crate) struct Plan {
    /// Whether the last good model was kept and patched in place (else a
    /// new one was made, and every page is looked at).
    pub(crate) patched: bool,
    pub(crate) pages: Vec<PageId>,
    /// Documents swapped into the kept model, with what they replaced.
    pub(crate) swapped: Vec<(Doc, Document)>,
}

/// What a model is made from.
pub(crate) struct Inputs<'a> {
    pub(crate) root: &'a Path,
    pub(crate) publish: Publish,
    pub(crate) config: &'a Config,
    pub(crate) statics: &'a BTreeMap<PathBuf, StaticFile>,
    /// The site's own templates' names.
    pub(crate) layouts: &'a BTreeSet<String>,
    pub(crate) sources: &'a Sources,
}

/// The model to render and the pages to look at: the last good model
/// (taken out of `last`) patched in place when the change leaves it as it
/// was, else a new one (`last` is left alone).
pub(crate) fn plan(
    last: &mut Option<Built>,
    inputs: &Inputs,
    changes: &Changes,
    reload_statics: bool,
) -> Result<(Built, Plan), Vec<Diagnostic>> {
    if !reload_statics
        && !changes.rescanned
        && changes.copied.is_empty()
        && let Some(patched) = patch(last, inputs, &changes.reparsed)
    {
        return Ok(patched);
    }
    let sources = inputs.sources;
    let mut left_out = BTreeMap::new();
    for why in sources
        .documents()
        .filter_map(|d| inputs.publish.left_out(d))
    {
        *left_out.entry(why).or_insert(0) += 1;
    }
    let content = content::assemble(
        inputs.root,
        sources.documents().cloned(),
        sources.files.iter().cloned().collect(),
        &inputs.publish,
    );
    let site = Site::new(inputs.config.clone(), content).with_layouts(inputs.layouts.clone());
    let mut outputs = Outputs::new(&site, inputs.statics);
    outputs.warnings.extend(crate::layouts::unmet(&site));
    if !outputs.errors.is_empty() {
        return Err(outputs.errors);
    }
    let positions = site
        .sources
        .iter()
        .map(|(path, doc)| (path.clone(), *doc))
        .collect();
    let plan = Plan {
        patched: false,
        pages: outputs.pages.clone(),
        swapped: Vec::new(),
    };
    let built = Built {
        summary_hashes: SummaryHashes::new(site.briefings.len()),
        doc_warnings: doc_warnings(&site),
        left_out,
        site,
        outputs,
        fingerprints: Fingerprints::new(),
        positions,
        page_warnings: HashMap::new(),
    };
    Ok((built, plan))
}

/// The last good model with the re-parsed documents swapped in, and the
/// pages showing them; None when a change reaches the model itself.
fn patch(last: &mut Option<Built>, inputs: &Inputs, reparsed: &[PathBuf]) -> Option<(Built, Plan)> {
    let built = last.as_ref()?;
    let mut swaps = Vec::with_capacity(reparsed.len());
    for path in reparsed {
        let doc = *built.positions.get(path)?;
        let new = inputs.sources.document(path)?;
        if !keeps_model(built, doc, new, &inputs.publish) {
            return None;
        }
        swaps.push((doc, new.clone()));
    }
    let mut built = last.take()?;
    let mut plan = Plan {
        patched: true,
        pages: Vec::new(),
        swapped: Vec::new(),
    };
    let mut anchors_moved = false;
    let mut warnings_moved = false;
    for (doc, new) in swaps {
        let site = &mut built.site;
        let old = match (doc, new) {
            (Doc::Briefing(i), Document::Briefing(b)) => {
                plan.pages.extend(pages::showing_briefing(site, i));
                let old = std::mem::replace(&mut site.briefings[i], b);
                built.summary_hashes.forget(i);
                let new = &site.briefings[i];
                anchors_moved |= old.anchors != new.anchors;
                warnings_moved |= has_warnings(&old) || has_warnings(new);
                Document::Briefing(old)
            }
            (Doc::Page(i), Document::Page(p)) => {
                plan.pages.push(PageId::Page(i));
                let old = std::mem::replace(&mut site.pages[i], p);
                anchors_moved |= old.anchors != site.pages[i].anchors;
                warnings_moved |= !old.warnings.is_empty() || !site.pages[i].warnings.is_empty();
                Document::Page(old)
            }
            _ => unreachable!("kinds were matched above"),
        };
        plan.swapped.push((doc, old));
    }
    if anchors_moved {
        plan.pages.extend(pages::linking(&built.site));
    }
    if warnings_moved {
        built.doc_warnings = doc_warnings(&built.site);
    }
    plan.pages.sort_unstable();
    plan.pages.dedup();
    // Only pages of the page list: an alias it skipped is never written.
    plan.pages
        .retain(|&id| built.outputs.lists(&built.site, id));
    Some((built, plan))
}

/// Whether document `new`, re-parsed, leaves the model as `doc` had it.
fn keeps_model(built: &Built, doc: Doc, new: &Document, publish: &Publish) -> bool {
    let same = match (doc, new) {
        (Doc::Briefing(i), Document::Briefing(b)) => {
            b.model_hash == built.site.briefings[i].model_hash
        }
        (Doc::Page(i), Document::Page(p)) => p.model_hash == built.site.pages[i].model_hash,
        _ => false,
    };
    same && publish.left_out(new).is_none()
}

/// Puts back what a failed build changed in the last good model: the model
/// to keep as the last good one (None when `built` was a new one).
pub(crate) fn restore(mut built: Built, plan: Plan) -> Option<Built> {
    if !plan.patched {
        return None;
    }
    for (doc, old) in plan.swapped.into_iter().rev() {
        match (doc, old) {
            (Doc::Briefing(i), Document::Briefing(b)) => {
                built.site.briefings[i] = b;
                built.summary_hashes.forget(i);
            }
            (Doc::Page(i), Document::Page(p)) => built.site.pages[i] = p,
            _ => unreachable!("swapped documents keep their kind"),
        }
    }
    built.doc_warnings = doc_warnings(&built.site);
    Some(built)
}

fn has_warnings(b: &Briefing) -> bool {
    !b.warnings.is_empty() || b.unsupported > 0
}

/// The briefings' own warnings (from their front matter), and one per file
/// naming how many Liquid tags and shortcodes from other generators were
/// left as text.
pub(crate) fn doc_warnings(site: &Site) -> Vec<Diagnostic> {
    let mut warnings: Vec<Diagnostic> = site
        .pages
        .iter()
        .flat_map(|p| p.warnings.iter().map(|w| w.clone().kind(Kind::FrontMatter)))
        .collect();
    for b in &site.briefings {
        let own = b.warnings.iter().cloned();
        warnings.extend(own.map(|w| w.kind(Kind::FrontMatter)));
        if b.unsupported > 0 {
            let s = if b.unsupported == 1 { "" } else { "s" };
            let shown = Path::new(content::CONTENT_DIR).join(&b.source_path);
            warnings.push(
                Diagnostic::new(
                    shown,
                    format!(
                        "{} Liquid tag{s} or shortcode{s} from another generator shown as text",
                        b.unsupported
                    ),
                )
                .kind(Kind::Liquid),
            );
        }
    }
    warnings.extend(merged_terms(site));
    warnings
}

/// One warning per term whose spellings differ in a sign a URL drops
/// (`C#`, `C++` and `C` are all `/tags/c/`), at the first briefing that
/// writes another spelling than the term's name: they are one term
/// without the author knowing. Spellings that differ only in case,
/// spaces, dashes or dots (`North Korea`, `north-korea`) are meant to be
/// one and are not named.
fn merged_terms(site: &Site) -> Vec<Diagnostic> {
    // The signs `slugify` drops that make another word of a name.
    let sign = |c: &char| "#+@&%$*!?=~^<>|".contains(*c);
    let mut warnings = Vec::new();
    let mut named: BTreeSet<(usize, &str)> = BTreeSet::new();
    for b in &site.briefings {
        for (k, terms) in b.terms.iter().enumerate() {
            let taxonomy = &site.tags[site.taxonomy_terms[k].clone()];
            for term in terms {
                // A taxonomy's terms are in slug order.
                let Ok(at) = taxonomy.binary_search_by(|t| t.slug.as_str().cmp(&term.slug)) else {
                    continue;
                };
                let merged = &taxonomy[at];
                if term
                    .name
                    .chars()
                    .filter(sign)
                    .eq(merged.name.chars().filter(sign))
                    || !named.insert((k, merged.slug.as_str()))
                {
                    continue;
                }
                warnings.push(
                    Diagnostic::new(
                        Path::new(content::CONTENT_DIR).join(&b.source_path),
                        format!(
                            "{}: `{}` and `{}` are one term, both at {} (a URL keeps only letters, digits and `-`); to keep them apart, spell one in words (e.g. `C sharp`)",
                            site.config.taxonomies[k].name, term.name, merged.name, merged.path
                        ),
                    )
                    .kind(Kind::FrontMatter),
                );
            }
        }
    }
    warnings
}
