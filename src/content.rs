//! Walks `content/`: Markdown files become briefings and standalone pages
//! (read and parsed in parallel), every other file is listed to be copied as
//! it is. Drafts are dropped unless asked for. Every broken file is reported,
//! not just the first, and two documents that would share a URL are an error
//! naming both.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::briefing::{self, Briefing, Document, Page};
use crate::config::Config;
use crate::diagnostic::{Diagnostic, line_column};

pub const CONTENT_DIR: &str = "content";

/// Site paths the build itself writes, which no page may take.
const RESERVED_PATHS: &[&str] = &["/", "/tags/", "/timeline/", "/page/"];

#[derive(Debug, Default)]
pub struct Content {
    pub briefings: Vec<Briefing>,
    pub pages: Vec<Page>,
    /// Files to copy as they are, relative to `content/`.
    pub files: Vec<PathBuf>,
}

pub fn load(root: &Path, config: &Config, drafts: bool) -> Result<Content, Vec<Diagnostic>> {
    let content_dir = root.join(CONTENT_DIR);
    let mut errors = Vec::new();
    let mut markdown = Vec::new();
    let mut files = Vec::new();
    if content_dir.is_dir() {
        let walk = WalkDir::new(&content_dir)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                e.depth() == 0 || !is_ignored(e.file_name().to_string_lossy().as_ref())
            });
        for entry in walk {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    let path = e
                        .path()
                        .map(Path::to_path_buf)
                        .unwrap_or(content_dir.clone());
                    errors.push(Diagnostic::new(
                        display(root, &path),
                        format!("cannot read: {e}"),
                    ));
                    continue;
                }
            };
            if !entry.file_type().is_file() {
                continue;
            }
            let relative = entry
                .path()
                .strip_prefix(&content_dir)
                .expect("walkdir yields paths under its root")
                .to_path_buf();
            if is_markdown(&relative) {
                // Hugo's and Zola's section files describe a folder, not a briefing.
                if relative.file_name().is_some_and(|n| n == "_index.md") {
                    continue;
                }
                markdown.push(relative);
            } else {
                files.push(relative);
            }
        }
    }

    let loaded: Vec<Result<Document, Vec<Diagnostic>>> = markdown
        .par_iter()
        .map(|relative| {
            let path = content_dir.join(relative);
            let shown = display(root, &path);
            let text = read_text(&path, &shown)?;
            briefing::load(&shown, relative, &text, config)
        })
        .collect();

    let mut content = Content {
        files,
        ..Content::default()
    };
    for result in loaded {
        match result {
            Ok(Document::Briefing(b)) if drafts || !b.draft => content.briefings.push(*b),
            Ok(Document::Page(p)) if drafts || !p.draft => content.pages.push(*p),
            Ok(_) => {}
            Err(mut e) => errors.append(&mut e),
        }
    }
    check_unique_paths(&content, &mut errors);
    if errors.is_empty() {
        Ok(content)
    } else {
        Err(errors)
    }
}

/// Reads a file as UTF-8, naming the line of the first invalid byte.
fn read_text(path: &Path, shown: &Path) -> Result<String, Vec<Diagnostic>> {
    let bytes = std::fs::read(path)
        .map_err(|e| vec![Diagnostic::new(shown, format!("cannot read the file: {e}"))])?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.into_bytes();
        let prefix = String::from_utf8_lossy(&bytes[..valid]);
        let (line, column) = line_column(&prefix, valid);
        vec![Diagnostic::new(
            shown,
            "the file is not UTF-8 text: save it with UTF-8 encoding (the first invalid byte is here)",
        )
        .at(line, Some(column))]
    })
}

fn check_unique_paths(content: &Content, errors: &mut Vec<Diagnostic>) {
    let mut owners: BTreeMap<&str, Vec<&Path>> = BTreeMap::new();
    for b in &content.briefings {
        owners.entry(&b.path).or_default().push(&b.source_path);
    }
    for p in &content.pages {
        owners.entry(&p.path).or_default().push(&p.source_path);
    }
    for (path, sources) in owners {
        let shown: Vec<String> = sources
            .iter()
            .map(|s| Path::new(CONTENT_DIR).join(s).display().to_string())
            .collect();
        if RESERVED_PATHS.contains(&path) {
            errors.push(Diagnostic::new(
                &shown[0],
                format!(
                    "the URL {path} belongs to a page the build writes itself: set another `slug:`"
                ),
            ));
        } else if sources.len() > 1 {
            errors.push(Diagnostic::new(
                &shown[0],
                format!(
                    "{} files would be written to the same URL {path}: {}; give all but one a different `slug:` (or use a dated `permalink` in site.yaml)",
                    shown.len(),
                    shown.join(" and ")
                ),
            ));
        }
    }
}

fn is_markdown(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}

/// Hidden files and editor leftovers (vim's `.swp` and `4913`, Emacs' `~`
/// and `.#` lock files) are not content.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
}

/// A path as the user knows it: relative to the site root when possible.
pub fn display(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}
