//! Where a link written in a page goes, and whether it is broken: the one
//! link checker. `classify` sorts a link into a file of the output (and a
//! fragment), an external host, or something else (`mailto:`); `check` tells
//! whether an internal link reaches a file the site writes and, on a
//! briefing's or page's own output, a heading it has. The build runs it on
//! every link of every body (so `broken_links: error` fails on exactly
//! these, naming file and line) and `briefly check` on what the templates
//! add around them.

use std::path::{Path, PathBuf};

use crate::pages::{Outputs, Owner, PageId};
use crate::site::Site;
use crate::url::BaseUrl;

pub enum Target {
    /// An output file and an optional fragment.
    Internal(PathBuf, Option<String>),
    External(String),
    Other,
}

/// Why an internal link is broken, or None when it reaches its target.
/// Only the headings of briefings' and pages' own outputs are known here; a
/// fragment on another page is not checked.
pub fn check(
    site: &Site,
    outputs: &Outputs,
    file: &Path,
    fragment: Option<&str>,
) -> Option<&'static str> {
    let folder = file.join("index.html");
    let found = outputs
        .owners
        .get(file)
        .or_else(|| outputs.owners.get(&folder));
    let alias;
    let owner = match found {
        Some(owner) => owner,
        None => {
            // With `redirects: netlify` an alias is a rule of `_redirects`,
            // not a file: the host's 301 still takes the link there.
            let Some(id) = outputs.alias(file) else {
                return Some("no such page or file in the site");
            };
            alias = Owner::Page(id);
            &alias
        }
    };
    let anchors = match owner {
        // An old URL (an alias) leads to the briefing's page, headings and all
        // (a browser keeps the fragment through a redirect).
        Owner::Page(PageId::Briefing(i) | PageId::Redirect(i, _)) => &site.briefings[*i].anchors,
        Owner::Page(PageId::Page(i)) => &site.pages[*i].anchors,
        _ => return None,
    };
    match fragment {
        Some(f) if !anchors.iter().any(|a| a == f) => {
            Some("there is no such heading or id on that page")
        }
        _ => None,
    }
}

/// Sorts `link`, found on the output file `page`, for a site at `base`.
pub fn classify(link: &str, page: &Path, base: &BaseUrl) -> Target {
    let (path, fragment) = match link.split_once('#') {
        Some((p, f)) => (p, (!f.is_empty()).then(|| f.to_string())),
        None => (link, None),
    };
    let path = path.split('?').next().unwrap_or("");
    let site_path = if let Some(rest) = path.strip_prefix(base.absolute.as_str()) {
        format!("/{rest}")
    } else if path.starts_with("http://") || path.starts_with("https://") || path.starts_with("//")
    {
        let host = path
            .trim_start_matches("https://")
            .trim_start_matches("http://")
            .trim_start_matches("//");
        return Target::External(host.split('/').next().unwrap_or("").to_string());
    } else if path.contains(':') {
        return Target::Other;
    } else if let Some(rest) = path.strip_prefix(base.root.as_str()) {
        format!("/{rest}")
    } else if path.starts_with('/') {
        return Target::Internal(
            PathBuf::from(format!("(outside {}){path}", base.root)),
            None,
        );
    } else if path.is_empty() {
        return Target::Internal(page.to_path_buf(), fragment);
    } else {
        let dir = page.parent().unwrap_or(Path::new(""));
        format!("/{}", dir.join(path).display())
    };
    let decoded = percent_encoding::percent_decode_str(&site_path)
        .decode_utf8_lossy()
        .into_owned();
    let mut file = crate::url::output_path(&decoded);
    // A path with a dot (`/style.css`, `/releases/1.88.0`) is taken as a
    // file here; `check` falls back to the folder's `index.html`.
    if !decoded.ends_with('/') && Path::new(&decoded).extension().is_none() {
        file = crate::url::output_path(&format!("{decoded}/"));
    }
    Target::Internal(normalize(&file), fragment)
}

fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::Normal(p) => out.push(p),
            _ => {}
        }
    }
    out
}
