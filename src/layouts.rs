//! The templates pages ask for by name: Jekyll's and Hugo's `layout:`,
//! Zola's `template =`. Which template renders a page is decided by the
//! page list (`PageId::template`); this module words what it could not
//! give: one warning per template asked for and not used.

use std::collections::BTreeMap;
use std::path::Path;

use crate::diagnostic::Diagnostic;
use crate::pages::PageId;
use crate::site::Site;

/// One warning per template that briefings or pages ask for and do not
/// get (the site has no such template, or it renders another kind of
/// page), naming the first files that ask and the template used instead.
pub fn unmet(site: &Site) -> Vec<Diagnostic> {
    let asking = site
        .briefings
        .iter()
        .enumerate()
        .map(|(i, b)| (PageId::Briefing(i), &b.template, &b.source_path))
        .chain(
            site.pages
                .iter()
                .enumerate()
                .map(|(i, p)| (PageId::Page(i), &p.template, &p.source_path)),
        );
    let mut unmet: BTreeMap<(&str, &str), Vec<&Path>> = BTreeMap::new();
    for (id, asked, source) in asking {
        if let Some(name) = asked.as_deref()
            && id.template(site) != name
        {
            let used = id.kind_template();
            unmet.entry((name, used)).or_default().push(source);
        }
    }
    unmet
        .into_iter()
        .map(|((name, used), mut files)| {
            files.sort();
            let why = if site.layouts.contains(name) {
                "renders another kind of page"
            } else {
                "no such template in this site"
            };
            let mut named = files
                .iter()
                .take(3)
                .map(|f| format!("content/{}", f.display()))
                .collect::<Vec<_>>()
                .join(", ");
            if files.len() > 3 {
                named += &format!(" and {} more", files.len() - 3);
            }
            Diagnostic::new(
                Path::new(crate::templates::TEMPLATES_DIR).join(name),
                format!(
                    "{why}: {named} {} for it (`layout`/`template`) and {} rendered with {used}",
                    if files.len() == 1 { "asks" } else { "ask" },
                    if files.len() == 1 { "is" } else { "are" },
                ),
            )
        })
        .collect()
}
