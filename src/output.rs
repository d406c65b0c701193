//! The output: in memory (`Store`, what `serve` serves and `watch` diffs)
//! and on disk. This is the only code that writes the output folder. A
//! build writes into a temporary folder beside the output and swaps it in
//! only when everything succeeded, so a failed build leaves the previous
//! output byte for byte as it was, and a file whose source was removed
//! disappears with the old folder.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostic::Diagnostic;

/// One file of the output: where it goes and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Relative to the output folder.
    pub path: PathBuf,
    pub body: Vec<u8>,
}

/// The output of a build, in memory: output path -> bytes. A persistent map,
/// so keeping the last good version while making the next costs nothing.
pub type Store = imbl::OrdMap<PathBuf, Arc<Vec<u8>>>;

/// Puts one file in the store if its bytes changed, noting it in `written`.
pub fn put(store: &mut Store, output: Output, written: &mut Vec<PathBuf>) {
    if store
        .get(&output.path)
        .is_none_or(|old| **old != output.body)
    {
        written.push(output.path.clone());
        store.insert(output.path, Arc::new(output.body));
    }
}

/// Reads a file to copy into the output.
pub fn read(path: &Path) -> Result<Vec<u8>, Diagnostic> {
    fs::read(path).map_err(|e| Diagnostic::new(path, format!("cannot read: {e}")))
}

/// A build's output in the making.
pub struct Staging {
    target: PathBuf,
    dir: tempfile::TempDir,
}

impl Staging {
    /// Prepares a temporary folder beside `target`. Refuses a target that
    /// holds the site's sources, so a mistyped `--output` cannot wipe them.
    pub fn new(target: &Path, site_root: &Path) -> Result<Staging, Diagnostic> {
        let shown = target.display().to_string();
        let absolute = std::path::absolute(target)
            .map_err(|e| Diagnostic::new(&shown, format!("cannot use this output folder: {e}")))?;
        let root = std::path::absolute(site_root).unwrap_or_else(|_| site_root.to_path_buf());
        let holds_sources = root.starts_with(&absolute)
            || absolute.join(crate::config::FILE_NAME).exists()
            || absolute.join(crate::content::CONTENT_DIR).exists();
        if holds_sources {
            return Err(Diagnostic::new(
                &shown,
                "refusing to use this folder as the output: it holds the site's sources (site.yaml or content/), and a build replaces the whole output folder; choose another --output",
            ));
        }
        let parent = absolute.parent().ok_or_else(|| {
            Diagnostic::new(&shown, "the output folder cannot be a file system root")
        })?;
        fs::create_dir_all(parent)
            .map_err(|e| Diagnostic::new(parent, format!("cannot create the folder: {e}")))?;
        let name = absolute.file_name().unwrap_or_default().to_string_lossy();
        let dir = tempfile::Builder::new()
            .prefix(&format!(".{name}.building-"))
            .tempdir_in(parent)
            .map_err(|e| {
                Diagnostic::new(
                    parent,
                    format!("cannot create a temporary folder here: {e}"),
                )
            })?;
        Ok(Staging {
            target: absolute,
            dir,
        })
    }

    pub fn write(&self, output: &Output) -> Result<(), Diagnostic> {
        write_file(self.dir.path(), &output.path, &output.body)
    }

    /// Copies a file as it is to `relative` in the output.
    pub fn copy(&self, from: &Path, relative: &Path) -> Result<(), Diagnostic> {
        let path = self.dir.path().join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| write_error(relative, e))?;
        }
        fs::copy(from, &path)
            .map(|_| ())
            .map_err(|e| Diagnostic::new(from, format!("cannot copy to the output: {e}")))
    }

    /// Swaps the new output in place of the old one.
    pub fn commit(self) -> Result<(), Diagnostic> {
        let staged = self.dir.keep();
        let target = &self.target;
        let fail = |e: std::io::Error| {
            Diagnostic::new(
                target,
                format!("cannot move the new output into place: {e}"),
            )
        };
        if !target.exists() {
            return fs::rename(&staged, target).map_err(fail);
        }
        let old = staged.with_file_name(
            staged
                .file_name()
                .expect("a temporary folder has a name")
                .to_string_lossy()
                .replace(".building-", ".old-"),
        );
        fs::rename(target, &old).map_err(|e| {
            let _ = fs::remove_dir_all(&staged);
            fail(e)
        })?;
        if let Err(e) = fs::rename(&staged, target) {
            let _ = fs::rename(&old, target);
            let _ = fs::remove_dir_all(&staged);
            return Err(fail(e));
        }
        remove_tree(&old).map_err(|e| {
            Diagnostic::new(
                &old,
                format!("the new output is in place, but the old one could not be removed: {e}"),
            )
        })
    }
}

/// Writes `body` to `relative` under `dir`, making the folders it needs.
fn write_file(dir: &Path, relative: &Path, body: &[u8]) -> Result<(), Diagnostic> {
    let path = dir.join(relative);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| write_error(relative, e))?;
    }
    fs::write(&path, body).map_err(|e| write_error(relative, e))
}

fn write_error(path: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::new(path, format!("cannot write to the output: {e}"))
}

/// Writes a whole in-memory output as a new output folder, swapped in like
/// a build's.
pub fn write_all(target: &Path, site_root: &Path, store: &Store) -> Result<(), Diagnostic> {
    let staging = Staging::new(target, site_root)?;
    for (path, body) in store.iter() {
        write_file(staging.dir.path(), path, body)?;
    }
    staging.commit()
}

/// Brings an existing output folder up to date after a rebuild: writes the
/// files whose bytes changed and removes those that are gone. Used by
/// `briefly watch`; the rebuild has fully succeeded before anything is written.
pub fn apply(
    target: &Path,
    store: &Store,
    written: &[PathBuf],
    removed: &[PathBuf],
) -> Result<(), Diagnostic> {
    for relative in written {
        let Some(body) = store.get(relative) else {
            continue;
        };
        write_file(target, relative, body.as_slice())?;
    }
    for relative in removed {
        let path = target.join(relative);
        match fs::remove_file(&path) {
            Ok(()) => {
                // Remove folders the removal left empty (a deleted briefing's).
                let mut dir = path.parent();
                while let Some(d) = dir.filter(|d| *d != target) {
                    if fs::remove_dir(d).is_err() {
                        break;
                    }
                    dir = d.parent();
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(write_error(relative, e)),
        }
    }
    Ok(())
}

/// Removes a folder tree, unlinking its files in parallel: on a large site
/// the old output's thousands of files are most of the swap's time.
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    use rayon::prelude::*;
    let files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .map(walkdir::DirEntry::into_path)
        .collect();
    files
        .par_iter()
        .try_for_each(|f| match fs::remove_file(f) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        })?;
    fs::remove_dir_all(dir)
}
