//! The check every pipeline test ends in: after a change, the engine's
//! in-memory output and a `watch` output folder kept up to date from it are
//! byte-identical to a fresh full build of the same sources; where the
//! sources do not build, the engine fails too and both stay as the last good
//! build left them. Also: generated briefings to build sites from.

// Shared by tests/pipeline.rs and tests/pipeline_work.rs, each using a part.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use briefly::engine::{Engine, Outcome};
use briefly::output::Store;

use crate::common::snapshot;

/// An engine kept alive over a site, as `serve` and `watch` keep it, with
/// the `watch` output folder it writes.
pub struct Pipeline {
    pub root: PathBuf,
    pub engine: Engine,
    /// Holds `full/` (fresh full builds) and `watch/` (kept by the engine).
    outputs: tempfile::TempDir,
    last_good: Option<Arc<Store>>,
    watch_files: BTreeMap<PathBuf, Vec<u8>>,
    /// Whether the last step's sources built.
    pub builds: bool,
}

impl Pipeline {
    /// An engine over `root`; the first build must succeed and match.
    pub fn start(root: &Path) -> Pipeline {
        // The engine and the paths a watcher reports are canonical.
        let root = root.canonicalize().expect("the site folder exists");
        let mut pipeline = Pipeline {
            // As `serve` and `watch` run it: the search index is made again
            // after each rebuild, when edits pause (`step` does it at once).
            engine: Engine::new(&root, false, briefly::config::BaseUrlOverride::None)
                .defer_search(),
            root,
            outputs: tempfile::tempdir().expect("temp dir"),
            last_good: None,
            watch_files: BTreeMap::new(),
            builds: false,
        };
        if let Err(e) = pipeline.step(&[]) {
            panic!("the first build: {e}");
        }
        assert!(pipeline.builds, "the starting site must build");
        pipeline
    }

    pub fn full_dir(&self) -> PathBuf {
        self.outputs.path().join("full")
    }

    pub fn watch_dir(&self) -> PathBuf {
        self.outputs.path().join("watch")
    }

    /// The engine's current output.
    pub fn store(&self) -> Arc<Store> {
        self.engine.store()
    }

    /// Tells the engine that `changed` (site-relative or absolute paths)
    /// changed and checks the result against a fresh full build. Returns the
    /// rebuild's outcome when the sources built.
    pub fn step(&mut self, changed: &[PathBuf]) -> Result<Option<Outcome>, String> {
        let changed: Vec<PathBuf> = changed.iter().map(|p| self.root.join(p)).collect();
        let full = briefly::build(&briefly::BuildOptions {
            root: self.root.clone(),
            output: self.full_dir(),
            base_url: None,
            drafts: false,
            future: false,
            expired: false,
            force: false,
        });
        let engine = &mut self.engine;
        let rebuilt = std::panic::catch_unwind(AssertUnwindSafe(|| engine.rebuild(&changed)))
            .map_err(|panic| {
                let text = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                format!("the engine panicked: {text}")
            })?;
        match (full, rebuilt) {
            (Ok(_), Ok(outcome)) => {
                self.builds = true;
                let refreshed = match self.engine.refresh_search(&|| false) {
                    Some(result) => Some(result.map_err(|e| format!("the search index: {e}"))?),
                    None => None,
                };
                let expected = snapshot(&self.full_dir());
                let store = self.engine.store();
                same_files("the engine's store", &store_files(&store), &expected)?;
                let watch = self.watch_dir();
                let written = if self.last_good.is_none() {
                    briefly::output::write_all(&watch, &self.root, false, &store)
                } else {
                    briefly::output::apply(&watch, &store, &outcome.written, &outcome.removed)
                        .and_then(|()| match &refreshed {
                            Some(r) => {
                                briefly::output::apply(&watch, &store, &r.written, &r.removed)
                            }
                            None => Ok(()),
                        })
                };
                written.map_err(|e| format!("writing the watch folder: {e}"))?;
                self.watch_files = snapshot(&watch);
                same_files("the watch folder", &self.watch_files, &expected)?;
                self.last_good = Some(store);
                Ok(Some(outcome))
            }
            (Ok(_), Err(e)) => Err(format!(
                "a full build succeeds, but the engine's rebuild failed: {e}"
            )),
            (Err(e), Ok(_)) => Err(format!(
                "a full build fails ({e}), but the engine's rebuild succeeded"
            )),
            (Err(_), Err(_)) => {
                self.builds = false;
                let good = self.last_good.as_ref().expect("the first build succeeded");
                let store = self.engine.store();
                if !Arc::ptr_eq(good, &store) {
                    same_files(
                        "the engine's store after a failed rebuild",
                        &store_files(&store),
                        &store_files(good),
                    )?;
                }
                same_files(
                    "the watch folder after a failed rebuild",
                    &snapshot(&self.watch_dir()),
                    &self.watch_files,
                )?;
                Ok(None)
            }
        }
    }
}

/// A store as files: path -> bytes.
pub fn store_files(store: &Store) -> BTreeMap<PathBuf, Vec<u8>> {
    store
        .iter()
        .map(|(path, body)| (path.clone(), body.as_ref().clone()))
        .collect()
}

/// The store's file at `path`, as text.
pub fn store_text(store: &Store, path: &str) -> String {
    let body = store
        .get(Path::new(path))
        .unwrap_or_else(|| panic!("{path} is not in the store"));
    String::from_utf8_lossy(body).into_owned()
}

/// Ok when `actual` holds exactly `expected`'s files with the same bytes;
/// otherwise what differs, with the first differing line of a few files.
pub fn same_files(
    what: &str,
    actual: &BTreeMap<PathBuf, Vec<u8>>,
    expected: &BTreeMap<PathBuf, Vec<u8>>,
) -> Result<(), String> {
    let missing: Vec<_> = expected
        .keys()
        .filter(|p| !actual.contains_key(*p))
        .collect();
    let extra: Vec<_> = actual
        .keys()
        .filter(|p| !expected.contains_key(*p))
        .collect();
    let differ: Vec<&PathBuf> = expected
        .iter()
        .filter(|(p, bytes)| actual.get(*p).is_some_and(|a| a != *bytes))
        .map(|(p, _)| p)
        .collect();
    if missing.is_empty() && extra.is_empty() && differ.is_empty() {
        return Ok(());
    }
    let mut report = format!(
        "{what} differs from the expected output:\n  missing: {missing:?}\n  extra: {extra:?}\n  different: {differ:?}"
    );
    for path in differ.iter().take(3) {
        let (a, e) = (
            String::from_utf8_lossy(&actual[*path]).into_owned(),
            String::from_utf8_lossy(&expected[*path]).into_owned(),
        );
        if let Some((n, (la, le))) = a
            .lines()
            .zip(e.lines())
            .enumerate()
            .find(|(_, (la, le))| la != le)
        {
            report.push_str(&format!(
                "\n  {} line {}:\n    got:      {}\n    expected: {}",
                path.display(),
                n + 1,
                shorten(la),
                shorten(le)
            ));
        } else {
            report.push_str(&format!(
                "\n  {}: {} vs {} lines",
                path.display(),
                a.lines().count(),
                e.lines().count()
            ));
        }
    }
    Err(report)
}

fn shorten(line: &str) -> String {
    let line = line.trim();
    if line.chars().count() <= 300 {
        line.to_string()
    } else {
        line.chars().take(300).collect::<String>() + "…"
    }
}

/// A generated briefing, written out as its file's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Doc {
    pub title: String,
    pub date: jiff::civil::Date,
    pub tags: Vec<String>,
    pub slug: Option<String>,
    pub draft: bool,
    pub aliases: Vec<String>,
    /// A second-level heading, a link target (`#section-n`).
    pub heading: String,
    /// A link as written after `](`, e.g. `sub/g09.md#section-9`.
    pub link: Option<String>,
    pub body: String,
    /// The front matter holds `title: [broken` (a YAML error) instead of the title.
    pub broken: bool,
}

impl Doc {
    /// Briefing `n`: dated `n` weeks after 2024-01-01, tagged `tag`.
    pub fn numbered(n: usize, tag: &str) -> Doc {
        Doc {
            title: format!("Briefing {n}"),
            date: day(7 * n as i64),
            tags: vec![tag.to_string()],
            slug: None,
            draft: false,
            aliases: Vec::new(),
            heading: format!("Section {n}"),
            link: None,
            body: format!("Body of briefing {n}."),
            broken: false,
        }
    }

    pub fn text(&self) -> String {
        let mut text = String::from("---\n");
        if self.broken {
            text.push_str("title: [broken\n");
        } else {
            text.push_str(&format!("title: \"{}\"\n", self.title));
        }
        text.push_str(&format!("date: {}\n", self.date));
        text.push_str(&format!("tags: [{}]\n", self.tags.join(", ")));
        if let Some(slug) = &self.slug {
            text.push_str(&format!("slug: {slug}\n"));
        }
        if self.draft {
            text.push_str("draft: true\n");
        }
        if !self.aliases.is_empty() {
            text.push_str(&format!("aliases: [{}]\n", self.aliases.join(", ")));
        }
        text.push_str(&format!(
            "events:\n  - date: {}\n    title: \"Event of {}\"\n---\n{}\n\n## {}\n\nMore text.",
            self.date, self.title, self.body, self.heading
        ));
        if let Some(link) = &self.link {
            text.push_str(&format!(" See [the other briefing]({link})."));
        }
        text.push('\n');
        text
    }

    /// The id of its heading, as the Markdown renderer makes it.
    pub fn anchor(&self) -> String {
        self.heading.to_lowercase().replace(' ', "-")
    }

    pub fn write(&self, path: &Path) {
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).unwrap();
        }
        fs::write(path, self.text()).unwrap();
    }
}

/// 2024-01-01 plus `days`.
pub fn day(days: i64) -> jiff::civil::Date {
    jiff::civil::date(2024, 1, 1) + jiff::Span::new().days(days)
}

/// How a file at `from` links to `to` (both relative to `content/`).
pub fn relative_link(from: &str, to: &str) -> String {
    let from: Vec<&str> = from.split('/').collect();
    let to: Vec<&str> = to.split('/').collect();
    let from_dir = &from[..from.len() - 1];
    let common = from_dir.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts = vec![".."; from_dir.len() - common];
    parts.extend(&to[common..]);
    parts.join("/")
}

#[test]
fn relative_links_are_made_as_an_author_writes_them() {
    assert_eq!(relative_link("briefings/a.md", "briefings/b.md"), "b.md");
    assert_eq!(
        relative_link("briefings/a.md", "briefings/sub/b.md"),
        "sub/b.md"
    );
    assert_eq!(
        relative_link("briefings/sub/a.md", "briefings/b.md"),
        "../b.md"
    );
    assert_eq!(
        relative_link("briefings/sub/a.md", "briefings/f2/b.md"),
        "../f2/b.md"
    );
}
