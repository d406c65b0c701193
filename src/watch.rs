//! File events -> "these paths changed". Watches `content/`, `templates/`
//! and the site folder itself (for `site.yaml`: vim and others replace the
//! file on save, which a watch on the file alone would lose), through
//! notify's debouncer, and hands each burst of changes to a callback as one
//! batch. It knows nothing about building or HTTP. `run` is `briefly
//! watch`: the engine kept alive, writing the output folder.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::Duration;

use anyhow::Context as _;
use notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, new_debouncer, new_debouncer_opt};

use crate::config;
use crate::content::{self, CONTENT_DIR};
use crate::diagnostic::{Diagnostics, Shown, summarise};
use crate::engine::Outcome;
use crate::output;
use crate::template_data::DATA_DIR;
use crate::templates::TEMPLATES_DIR;

/// How long a path must be quiet before its events are passed on.
const DEBOUNCE: Duration = Duration::from_millis(5);
/// After a first batch, a further batch arriving within this gap joins it.
const QUIET: Duration = Duration::from_millis(4);
/// Once a later batch names new files, it is a burst (a `git checkout`, a script):
/// batches keep joining until the files have been quiet this long, so the
/// burst gives one rebuild while a single save is not delayed.
const BURST_QUIET: Duration = Duration::from_millis(60);
/// How often `--poll` looks at the files.
const POLL_INTERVAL: Duration = Duration::from_millis(250);
/// How long changes must pause before `Watched::Paused` (the search index
/// is made again then, off the path from an edit to its page).
pub const PAUSE: Duration = Duration::from_millis(300);

/// What `Watcher::run_with` reports.
pub enum Watched<'a> {
    /// A batch of changed paths (absolute).
    Changed(Vec<PathBuf>),
    /// Changes paused for `PAUSE` after a batch. The function tells whether
    /// a change has come in since, so that long work can give up.
    Paused(&'a (dyn Fn() -> bool + Sync)),
}

/// `briefly watch`: builds into the output folder, then on every change
/// rebuilds what the change touches and writes only the files whose bytes
/// changed. A failed rebuild reports its errors and leaves the output as it
/// was. `report` gets each line to show (warnings start with `warning:`).
pub fn run(options: &crate::BuildOptions, poll: bool, report: impl Fn(&str)) -> anyhow::Result<()> {
    // Watch first, so an edit made during the first build is not lost; the
    // output is then written from the very build the rebuilds start from.
    let watcher = Watcher::new(&options.root, poll)?;
    let mut engine = options.engine();
    let mut shown = Shown::default();
    let first = engine.rebuild(&[])?;
    output::write_all(
        &options.output,
        &options.root,
        options.force,
        &engine.store(),
    )
    .map_err(|d| Diagnostics(vec![d]))?;
    for line in summarise(shown.news(&first.warnings)) {
        report(&format!("warning: {line}"));
    }
    report(&format!(
        "Built {} briefings, {} tags, {} events ({} pages) in {} ms; watching for changes (Ctrl-C to stop)",
        first.briefings,
        first.tags,
        first.events,
        first.rendered,
        first.elapsed.as_millis()
    ));
    let root = engine.root().to_path_buf();
    let mut engine = engine.defer_search();
    watcher.run_with(|watched| {
        let paths = match watched {
            Watched::Changed(paths) => paths,
            Watched::Paused(stop) => {
                let result = engine
                    .refresh_search(stop)
                    .map(|result| -> Result<_, Diagnostics> {
                        let outcome = result?;
                        output::apply(
                            &options.output,
                            &engine.store(),
                            &outcome.written,
                            &outcome.removed,
                        )
                        .map_err(|d| Diagnostics(vec![d]))?;
                        Ok(outcome)
                    });
                match result {
                    Some(Ok(outcome)) if !outcome.written.is_empty() => report(&format!(
                        "search index: {} files written in {} ms",
                        outcome.written.len(),
                        outcome.elapsed.as_millis()
                    )),
                    Some(Err(e)) => report(&format!("search index: error: {e}")),
                    _ => {}
                }
                return;
            }
        };
        let what = changed(&root, &paths);
        let result = engine.rebuild(&paths).and_then(|outcome| {
            output::apply(
                &options.output,
                &engine.store(),
                &outcome.written,
                &outcome.removed,
            )
            .map_err(|d| Diagnostics(vec![d]))?;
            Ok(outcome)
        });
        match result {
            Ok(outcome) => {
                for line in summarise(shown.news(&outcome.warnings)) {
                    report(&format!("warning: {line}"));
                }
                report(&rebuilt(&what, &outcome));
            }
            Err(e) => report(&format!("{what}: error: {e}")),
        }
    })
}

/// "content/x.md changed", "content/x.md and 3 more changed".
pub fn changed(root: &Path, paths: &[PathBuf]) -> String {
    let shown = paths
        .first()
        .map(|p| p.strip_prefix(root).unwrap_or(p).display().to_string())
        .unwrap_or_default();
    match paths.len() {
        0 | 1 => format!("{shown} changed"),
        n => format!("{shown} and {} more changed", n - 1),
    }
}

/// The one-line report of a good rebuild.
pub fn rebuilt(what: &str, outcome: &Outcome) -> String {
    let n = outcome.written.len();
    format!(
        "{what}: {n} page{} in {} ms",
        if n == 1 { "" } else { "s" },
        outcome.elapsed.as_millis()
    )
}

/// A site's sources, watched from the moment `new` returns.
pub struct Watcher {
    root: PathBuf,
    debouncer: Debouncer,
    targets: Vec<(PathBuf, RecursiveMode, bool)>,
    events: mpsc::Receiver<DebounceEventResult>,
    /// Set when an event comes in (cleared before `Watched::Paused`).
    pending: Arc<AtomicBool>,
}

impl Watcher {
    pub fn new(root: &Path, poll: bool) -> anyhow::Result<Watcher> {
        let root = root
            .canonicalize()
            .with_context(|| format!("cannot watch {}", root.display()))?;
        let (sender, events) = mpsc::channel::<DebounceEventResult>();
        let pending = Arc::new(AtomicBool::new(false));
        let noted = Arc::clone(&pending);
        let tx = move |event: DebounceEventResult| {
            noted.store(true, Ordering::Relaxed);
            // The receiver is gone only when the watcher is.
            let _ = sender.send(event);
        };
        let mut debouncer = if poll {
            // notify's poller compares modification times in whole seconds;
            // comparing contents too catches a second save within the same
            // second.
            let config = notify::Config::default()
                .with_poll_interval(POLL_INTERVAL)
                .with_compare_contents(true);
            Debouncer::Poll(new_debouncer_opt(
                DEBOUNCE.max(POLL_INTERVAL),
                None,
                tx,
                notify_debouncer_full::NoCache,
                config,
            )?)
        } else {
            Debouncer::Native(new_debouncer(DEBOUNCE, None, tx)?)
        };
        let mut targets = vec![
            (root.clone(), RecursiveMode::NonRecursive, false),
            (root.join(CONTENT_DIR), RecursiveMode::Recursive, false),
            (root.join(TEMPLATES_DIR), RecursiveMode::Recursive, false),
            (root.join(DATA_DIR), RecursiveMode::Recursive, false),
        ];
        debouncer.watch_new(&mut targets)?;
        Ok(Watcher {
            root,
            debouncer,
            targets,
            events,
            pending,
        })
    }

    /// Calls `on_change` with each batch of changed paths (absolute), until
    /// the process ends. Changes that arrive while `on_change` runs are
    /// queued and make the next batch.
    pub fn run(self, mut on_change: impl FnMut(Vec<PathBuf>)) -> anyhow::Result<()> {
        self.run_with(|watched| {
            if let Watched::Changed(paths) = watched {
                on_change(paths);
            }
        })
    }

    /// `run`, also telling `on` when changes pause (`Watched::Paused`).
    pub fn run_with(mut self, mut on: impl FnMut(Watched)) -> anyhow::Result<()> {
        let mut pause_due = false;
        loop {
            let first = if pause_due {
                match self.events.recv_timeout(PAUSE) {
                    Ok(first) => first,
                    Err(mpsc::RecvTimeoutError::Timeout) => {
                        pause_due = false;
                        self.pending.store(false, Ordering::Relaxed);
                        let pending = Arc::clone(&self.pending);
                        on(Watched::Paused(&move || pending.load(Ordering::Relaxed)));
                        continue;
                    }
                    Err(mpsc::RecvTimeoutError::Disconnected) => break,
                }
            } else {
                match self.events.recv() {
                    Ok(first) => first,
                    Err(_) => break,
                }
            };
            let mut paths = Vec::new();
            collect(&self.root, first, &mut paths);
            let mut quiet = QUIET;
            while let Ok(more) = self.events.recv_timeout(quiet) {
                let known = paths.len();
                collect(&self.root, more, &mut paths);
                paths.sort();
                paths.dedup();
                // More events for the same file (a save's close, a second
                // write) are not a burst; new files are.
                if paths.len() > known {
                    quiet = BURST_QUIET;
                }
            }
            // A watched folder removed, renamed or made again lost its
            // watch with its old self: it is watched anew once it exists.
            for (path, _, watched) in self.targets.iter_mut() {
                if *watched && paths.contains(path) {
                    self.debouncer.unwatch(path);
                    *watched = false;
                }
            }
            // A `content/` or `templates/` folder made after the start is
            // watched from now on; what it holds counts as changed.
            paths.extend(self.debouncer.watch_new(&mut self.targets)?);
            paths.sort();
            paths.dedup();
            if !paths.is_empty() {
                on(Watched::Changed(paths));
                pause_due = true;
            }
        }
        Ok(())
    }
}

enum Debouncer {
    Native(
        notify_debouncer_full::Debouncer<
            notify::RecommendedWatcher,
            notify_debouncer_full::RecommendedCache,
        >,
    ),
    Poll(notify_debouncer_full::Debouncer<notify::PollWatcher, notify_debouncer_full::NoCache>),
}

impl Debouncer {
    /// Stops watching a folder; one that is gone may have no watch left to
    /// remove, which is no error.
    fn unwatch(&mut self, path: &Path) {
        let _ = match self {
            Debouncer::Native(d) => d.unwatch(path),
            Debouncer::Poll(d) => d.unwatch(path),
        };
    }

    /// Watches the targets that exist and are not watched yet; returns them.
    fn watch_new(
        &mut self,
        targets: &mut [(PathBuf, RecursiveMode, bool)],
    ) -> anyhow::Result<Vec<PathBuf>> {
        let mut added = Vec::new();
        for (path, mode, watched) in targets.iter_mut().filter(|t| !t.2 && t.0.is_dir()) {
            let result = match self {
                Debouncer::Native(d) => d.watch(&*path, *mode),
                Debouncer::Poll(d) => d.watch(&*path, *mode),
            };
            result.with_context(|| format!("cannot watch {}", path.display()))?;
            *watched = true;
            added.push(path.clone());
        }
        Ok(added)
    }
}

fn collect(root: &Path, result: DebounceEventResult, paths: &mut Vec<PathBuf>) {
    match result {
        Ok(events) => {
            for event in events {
                if event.kind.is_access() {
                    continue;
                }
                paths.extend(event.event.paths.into_iter().filter(|p| is_source(root, p)));
            }
        }
        Err(errors) => {
            for error in errors {
                eprintln!("warning: watching files: {error}");
            }
            // Events may have been lost: treat everything as changed.
            paths.push(root.join(config::FILE_NAME));
        }
    }
}

/// Whether a path is a site source: `site.yaml`, or under `content/`,
/// `templates/` or `data/` (`load_data`'s files) and not an editor's swap
/// or backup file.
pub fn is_source(root: &Path, path: &Path) -> bool {
    let Ok(relative) = path.strip_prefix(root) else {
        return false;
    };
    let mut parts = relative.components();
    let first = parts
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    match first.as_deref() {
        Some(config::FILE_NAME) => parts.next().is_none(),
        Some(CONTENT_DIR) | Some(TEMPLATES_DIR) | Some(DATA_DIR) => !relative
            .components()
            .skip(1)
            .any(|c| content::is_ignored(c.as_os_str().to_string_lossy().as_ref())),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_and_editor_leftovers() {
        let root = Path::new("/site");
        assert!(is_source(root, Path::new("/site/site.yaml")));
        assert!(is_source(
            root,
            Path::new("/site/content/briefings/kazan.md")
        ));
        assert!(is_source(root, Path::new("/site/templates/base.html")));
        assert!(is_source(root, Path::new("/site/content/new-folder")));
        // Issue 13: `load_data`'s conventional folder.
        assert!(is_source(root, Path::new("/site/data/authors.yaml")));
        for leftover in [
            "/site/content/briefings/.kazan.md.swp",
            "/site/content/briefings/kazan.md~",
            "/site/content/briefings/.#kazan.md",
            "/site/content/briefings/4913",
            "/site/public/index.html",
            "/site/site.yaml.swp",
            "/site/data/.authors.yaml.swp",
            "/elsewhere/site.yaml",
        ] {
            assert!(!is_source(root, Path::new(leftover)), "{leftover}");
        }
    }
}
