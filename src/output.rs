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

/// A build's output in the making: a temporary folder beside the output,
/// and a lock that keeps a second build of the same output waiting out.
pub struct Staging {
    target: PathBuf,
    dir: tempfile::TempDir,
    /// Held (locked) until the staging is dropped.
    _lock: fs::File,
}

impl Staging {
    /// Prepares a temporary folder beside `target`. Refuses a target that
    /// holds or is inside the site's sources, or is a file, so a mistyped
    /// `--output` cannot wipe work; removes what interrupted builds of the
    /// same output left.
    pub fn new(target: &Path, site_root: &Path, force: bool) -> Result<Staging, Diagnostic> {
        let shown = target.display().to_string();
        let absolute = std::path::absolute(target)
            .map_err(|e| Diagnostic::new(&shown, format!("cannot use this output folder: {e}")))?;
        check_target(&absolute, site_root).map_err(|why| Diagnostic::new(&shown, why))?;
        let parent = absolute.parent().ok_or_else(|| {
            Diagnostic::new(&shown, "the output folder cannot be a file system root")
        })?;
        fs::create_dir_all(parent)
            .map_err(|e| Diagnostic::new(parent, format!("cannot create the folder: {e}")))?;
        let name = absolute.file_name().unwrap_or_default().to_string_lossy();
        if !force {
            check_made_here(&absolute, site_root, &parent.join(lock_name(&name)))
                .map_err(|why| Diagnostic::new(&shown, why))?;
        }
        let lock = lock(parent, &name)?;
        remove_leftovers(parent, &name);
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
            _lock: lock,
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

    /// Swaps the new output in place of the old one in one step (there is
    /// always a whole output, old or new), then removes the old one. A
    /// failure to remove it is a warning: the new output is in place.
    pub fn commit(self) -> Result<Option<Diagnostic>, Diagnostic> {
        let staged = self.dir.keep();
        let target = &self.target;
        let fail = |e: std::io::Error| {
            let _ = fs::remove_dir_all(&staged);
            Diagnostic::new(
                target,
                format!("cannot move the new output into place: {e}"),
            )
        };
        if !target.exists() {
            return fs::rename(&staged, target).map(|()| None).map_err(fail);
        }
        exchange(&staged, target).map_err(fail)?;
        // The old output is now where the new one was built.
        Ok(remove_tree(&staged).err().map(|e| {
            Diagnostic::new(
                &staged,
                format!("the new output is in place, but the old one could not be removed: {e}; delete this folder"),
            )
        }))
    }
}

/// Why `target` may not be an output folder, if it may not.
fn check_target(target: &Path, site_root: &Path) -> Result<(), String> {
    let root = std::path::absolute(site_root).unwrap_or_else(|_| site_root.to_path_buf());
    // Through symbolic links, as the file system will resolve them.
    let real = |path: &Path| {
        let mut existing = path.to_path_buf();
        while !existing.exists() && existing.pop() {}
        let base = existing.canonicalize().unwrap_or_else(|_| existing.clone());
        match path.strip_prefix(&existing) {
            // (Joining an empty tail would add a trailing `/`.)
            Ok(tail) if !tail.as_os_str().is_empty() => base.join(tail),
            _ => base,
        }
    };
    let (target, root) = (real(target), real(&root));
    let sources = [crate::content::CONTENT_DIR, crate::templates::TEMPLATES_DIR];
    let inside_sources = sources.iter().any(|dir| target.starts_with(root.join(dir)));
    let holds_sources = root.starts_with(&target)
        || target.join(crate::config::FILE_NAME).exists()
        || target.join(crate::content::CONTENT_DIR).exists();
    if inside_sources || holds_sources {
        return Err("refusing to use this folder as the output: it holds or is inside the site's sources (site.yaml, content/, templates/), and a build replaces the whole output folder; choose another --output".into());
    }
    if target.exists() && !target.is_dir() {
        return Err("refusing to use this as the output: it is a file, and a build replaces the output with a folder; choose another --output".into());
    }
    Ok(())
}

/// An output folder is replaced whole, so one that briefly did not make
/// (not empty, and no lock file of an earlier build beside it) is refused
/// unless `--force` says so; the site's own `public/` is always its output.
fn check_made_here(target: &Path, site_root: &Path, lock: &Path) -> Result<(), String> {
    let default = std::path::absolute(site_root.join("public")).is_ok_and(|d| d == target);
    let Ok(mut entries) = fs::read_dir(target) else {
        return Ok(()); // Not there yet (or not a folder: see `check_target`).
    };
    if default || lock.exists() || entries.next().is_none() {
        return Ok(());
    }
    Err(format!(
        "refusing to replace this folder: it is not empty and briefly did not make it (no {} beside it from an earlier build), and a build replaces the whole output folder; choose an empty or new folder, or pass --force to replace it",
        lock.file_name().unwrap_or_default().to_string_lossy()
    ))
}

/// The lock file of an output folder named `name`, beside it.
fn lock_name(name: &str) -> String {
    format!(".{name}.lock")
}

/// Locks `.<name>.lock` beside the output, so that two builds of one
/// output never write it at once: the second one stops with a message.
fn lock(parent: &Path, name: &str) -> Result<fs::File, Diagnostic> {
    let path = parent.join(lock_name(name));
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| Diagnostic::new(&path, format!("cannot create the lock file: {e}")))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(fs::TryLockError::WouldBlock) => Err(Diagnostic::new(
            &path,
            "another briefly is building into this output right now (it holds this lock); wait for it to finish",
        )),
        Err(fs::TryLockError::Error(e)) => Err(Diagnostic::new(
            &path,
            format!("cannot lock the output: {e}"),
        )),
    }
}

/// Removes the temporary folders of builds of this output that were
/// interrupted (killed, out of power): with the lock held, none is in use.
fn remove_leftovers(parent: &Path, name: &str) {
    let prefixes = [format!(".{name}.building-"), format!(".{name}.old-")];
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        if prefixes.iter().any(|p| file_name.starts_with(p.as_str())) {
            let _ = remove_tree(&entry.path());
        }
    }
}

/// Exchanges two folders in one step where the system can (Linux's
/// `renameat2` with `RENAME_EXCHANGE`); elsewhere, or where the file system
/// cannot, in two renames.
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
            Ok(()) => return Ok(()),
            Err(e) if e != rustix::io::Errno::INVAL && e != rustix::io::Errno::NOSYS => {
                return Err(e.into());
            }
            Err(_) => {}
        }
    }
    let aside = a.with_extension("aside");
    fs::rename(b, &aside)?;
    if let Err(e) = fs::rename(a, b) {
        let _ = fs::rename(&aside, b);
        return Err(e);
    }
    fs::rename(&aside, a)
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
    Diagnostic::new(path, format!("{WRITE_ERROR}{e}"))
}

const WRITE_ERROR: &str = "cannot write to the output: ";

/// The files that could not be written (a full disk fails them all) become
/// one error naming the output folder; other errors are kept as they are.
pub fn one_write_error(target: &Path, errors: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let (failed, mut kept): (Vec<_>, Vec<_>) = errors
        .into_iter()
        .partition(|d| d.message.starts_with(WRITE_ERROR));
    if let Some(first) = failed.first() {
        let why = &first.message[WRITE_ERROR.len()..];
        let files = match failed.len() {
            1 => format!("{} could not be written", first.path.display()),
            n => format!(
                "{n} files could not be written, the first {}",
                first.path.display()
            ),
        };
        kept.push(Diagnostic::new(
            target,
            format!("cannot write the output folder: {why} ({files}); free some space or choose another --output"),
        ));
    }
    kept
}

/// Writes a whole in-memory output as a new output folder, swapped in like
/// a build's.
pub fn write_all(
    target: &Path,
    site_root: &Path,
    force: bool,
    store: &Store,
) -> Result<(), Diagnostic> {
    let staging = Staging::new(target, site_root, force)?;
    for (path, body) in store.iter() {
        write_file(staging.dir.path(), path, body)?;
    }
    match staging.commit()? {
        Some(warning) => {
            eprintln!("warning: {warning}");
            Ok(())
        }
        None => Ok(()),
    }
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
