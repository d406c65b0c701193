//! One build pipeline (issue 9, "One build pipeline: every rebuild equals a
//! full build"): whatever an author changes, in whatever order, the engine
//! that `serve` and `watch` keep alive ends in exactly the bytes a fresh
//! `briefly build` of the same sources writes, both in memory and in
//! `watch`'s output folder; where the sources do not build, the engine fails
//! too and keeps the last good output. A property test (proptest) drives
//! random sequences of every kind of change; below it, one regression test
//! per observation of issue 9, named `issue9_<n>_…`. Observation 8 (work per
//! edit) is in `tests/pipeline_work.rs`.

mod common;
#[path = "pipeline/harness.rs"]
mod harness;

use std::cell::Cell;
use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, TestCaseError, TestError, TestRunner};

use common::*;
use harness::{Doc, Pipeline, day, relative_link, store_text};

// ---------------------------------------------------------------------------
// A. Random author changes
// ---------------------------------------------------------------------------

const TAGS: &[&str] = &["alpha", "beta", "gamma", "russia", "North Korea"];

/// One author change. Indices pick among what exists when the change is
/// applied (modulo the count), so any prefix or subset of a sequence is a
/// valid sequence too, and proptest can shrink a failure to its core.
#[derive(Debug, Clone)]
enum Change {
    /// Append a paragraph to briefing `.0`'s body.
    Body(u8, u8),
    Title(u8, u8),
    /// Move the date to `.1` × 5 days after 2024-01-01.
    Date(u8, u8),
    Tags(u8, u8, u8),
    /// Set (`s1`…`s4`, so two may clash) or remove (`.1 % 5 == 0`) the slug.
    Slug(u8, u8),
    /// Point briefing `.0`'s link at briefing `.1`: with its heading's
    /// anchor, without an anchor, or with an anchor it does not have.
    Link(u8, u8, u8),
    /// Rename briefing `.0`'s heading: links to its old anchor break.
    Heading(u8, u8),
    /// A new briefing, in `content/briefings/` or one of its folders.
    Add(u8, u8),
    Delete(u8),
    /// Rename a briefing's file within its folder (its slug follows).
    Rename(u8),
    /// Move a new folder holding two briefings into `content/briefings/`.
    AddFolder(u8),
    DeleteFolder(u8),
    RenameFolder(u8),
    ToggleDraft(u8),
    /// Aliases: none, `/old/path-<n>/`, or a generated file's path.
    Alias(u8, u8),
    /// Edit the standalone page `content/pages/about.md`.
    Page(u8),
    /// `templates/tag.html`: add or change (extending base.html), or remove.
    Template(u8),
    /// `templates/static/extra.css`: add or change, or remove.
    Static(u8),
    /// site.yaml: change `paginate`, change `title`, add the unknown key
    /// `colour: red` (invalid), or restore the original.
    SiteYaml(u8, u8),
    /// Write `title: [broken` into a briefing's front matter.
    Break(u8),
    /// Fix every broken front matter.
    Fix,
    /// Many saves at once, passed as one batch: (briefing, edit) pairs.
    Burst(Vec<(u8, u8)>),
}

fn change() -> impl Strategy<Value = Change> {
    let n = || any::<u8>();
    prop_oneof![
        3 => (n(), n()).prop_map(|(a, b)| Change::Body(a, b)),
        1 => (n(), n()).prop_map(|(a, b)| Change::Title(a, b)),
        1 => (n(), n()).prop_map(|(a, b)| Change::Date(a, b)),
        1 => (n(), n(), n()).prop_map(|(a, b, c)| Change::Tags(a, b, c)),
        1 => (n(), n()).prop_map(|(a, b)| Change::Slug(a, b)),
        2 => (n(), n(), n()).prop_map(|(a, b, c)| Change::Link(a, b, c)),
        1 => (n(), n()).prop_map(|(a, b)| Change::Heading(a, b)),
        1 => (n(), n()).prop_map(|(a, b)| Change::Add(a, b)),
        1 => n().prop_map(Change::Delete),
        1 => n().prop_map(Change::Rename),
        1 => n().prop_map(Change::AddFolder),
        1 => n().prop_map(Change::DeleteFolder),
        1 => n().prop_map(Change::RenameFolder),
        1 => n().prop_map(Change::ToggleDraft),
        2 => (n(), n()).prop_map(|(a, b)| Change::Alias(a, b)),
        1 => n().prop_map(Change::Page),
        1 => n().prop_map(Change::Template),
        1 => n().prop_map(Change::Static),
        2 => (n(), n()).prop_map(|(a, b)| Change::SiteYaml(a, b)),
        1 => n().prop_map(Change::Break),
        1 => Just(Change::Fix),
        1 => prop::collection::vec((n(), n()), 3..10).prop_map(Change::Burst),
    ]
}

/// The generated site as written on disk: the `desk` fixture plus briefings
/// whose text this model owns.
struct Model {
    root: PathBuf,
    /// Generated briefings by path relative to `content/`.
    docs: BTreeMap<String, Doc>,
    /// Makes every new file and folder name unique.
    counter: usize,
    paginate: usize,
    title: String,
    invalid_config: bool,
}

impl Model {
    /// Twelve briefings: eight in `content/briefings/`, four in its folder
    /// `sub/`, two of them linking to another's heading.
    fn new(root: &Path) -> Model {
        let mut model = Model {
            root: root.to_path_buf(),
            docs: BTreeMap::new(),
            counter: 100,
            paginate: 2,
            title: "Test <Desk> & Co".to_string(),
            invalid_config: false,
        };
        for i in 0..12 {
            let folder = if i < 8 { "briefings" } else { "briefings/sub" };
            let doc = Doc::numbered(i, TAGS[i % TAGS.len()]);
            model.docs.insert(format!("{folder}/g{i:02}.md"), doc);
        }
        model.link("briefings/g01.md", "briefings/sub/g09.md", true);
        model.link("briefings/g02.md", "briefings/g03.md", true);
        for relative in model.docs.keys() {
            model.docs[relative].write(&model.content(relative));
        }
        model
    }

    fn content(&self, relative: &str) -> PathBuf {
        self.root.join("content").join(relative)
    }

    fn link(&mut self, from: &str, to: &str, anchor: bool) {
        let mut link = relative_link(from, to);
        if anchor {
            link = format!("{link}#{}", self.docs[to].anchor());
        }
        self.docs.get_mut(from).unwrap().link = Some(link);
    }

    /// The `k`-th generated briefing (modulo their number), if any.
    fn pick(&self, k: u8) -> Option<String> {
        let n = self.docs.len();
        (n > 0).then(|| self.docs.keys().nth(k as usize % n).unwrap().clone())
    }

    /// The folders under `content/briefings/`, sorted.
    fn folders(&self) -> Vec<PathBuf> {
        let mut folders: Vec<PathBuf> = fs::read_dir(self.content("briefings"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_dir())
            .collect();
        folders.sort();
        folders
    }

    fn fresh(&mut self) -> usize {
        self.counter += 1;
        self.counter
    }

    /// Rewrites a briefing after `edit`; returns its path.
    fn edit(&mut self, relative: &str, edit: impl FnOnce(&mut Doc)) -> PathBuf {
        let path = self.content(relative);
        let doc = self.docs.get_mut(relative).unwrap();
        edit(doc);
        doc.write(&path);
        path
    }

    fn edit_picked(&mut self, k: u8, edit: impl FnOnce(&mut Doc)) -> Vec<PathBuf> {
        match self.pick(k) {
            Some(relative) => vec![self.edit(&relative, edit)],
            None => Vec::new(),
        }
    }

    fn write_config(&self) -> PathBuf {
        let path = self.root.join("site.yaml");
        let mut text = format!(
            "title: \"{}\"\nbase_url: \"https://example.org/watch\"\ndescription: \"A fixture site for briefly's tests\"\nauthor: \"Fixture desk\"\npaginate: {}\n",
            self.title, self.paginate
        );
        if self.invalid_config {
            text.push_str("colour: red\n");
        }
        fs::write(&path, text).unwrap();
        path
    }

    /// Makes the change on disk; returns the paths a file watcher reports.
    fn apply(&mut self, change: &Change) -> Vec<PathBuf> {
        match *change {
            Change::Body(k, n) => self.edit_picked(k, |d| {
                d.body.push_str(&format!("\n\nEdit number {n}."));
            }),
            Change::Title(k, n) => self.edit_picked(k, |d| d.title = format!("Title {n}")),
            Change::Date(k, n) => self.edit_picked(k, |d| d.date = day(5 * i64::from(n))),
            Change::Tags(k, a, b) => self.edit_picked(k, |d| {
                d.tags = if a % 6 == 5 {
                    Vec::new()
                } else {
                    let mut tags = vec![TAGS[a as usize % 5], TAGS[b as usize % 5]];
                    tags.dedup();
                    tags.iter().map(ToString::to_string).collect()
                };
            }),
            Change::Slug(k, n) => self.edit_picked(k, |d| {
                d.slug = (n % 5 != 0).then(|| format!("s{}", n % 5));
            }),
            Change::Link(k, t, how) => {
                let (Some(from), Some(to)) = (self.pick(k), self.pick(t)) else {
                    return Vec::new();
                };
                let mut link = relative_link(&from, &to);
                match how % 3 {
                    0 => link = format!("{link}#{}", self.docs[&to].anchor()),
                    1 => {}
                    _ => link.push_str("#no-such-heading"),
                }
                vec![self.edit(&from, |d| d.link = Some(link))]
            }
            Change::Heading(k, n) => self.edit_picked(k, |d| d.heading = format!("Section {n}")),
            Change::Add(folder, n) => {
                let folders = self.folders();
                let dir = match folder as usize % (folders.len() + 1) {
                    0 => "briefings".to_string(),
                    i => format!(
                        "briefings/{}",
                        folders[i - 1].file_name().unwrap().to_string_lossy()
                    ),
                };
                let id = self.fresh();
                let relative = format!("{dir}/n{id}.md");
                let doc = Doc::numbered(n as usize % 60, TAGS[id % 5]);
                let doc = Doc {
                    title: format!("New {id}"),
                    heading: format!("Section {id}"),
                    ..doc
                };
                doc.write(&self.content(&relative));
                self.docs.insert(relative.clone(), doc);
                vec![self.content(&relative)]
            }
            Change::Delete(k) => {
                let Some(relative) = self.pick(k) else {
                    return Vec::new();
                };
                self.docs.remove(&relative);
                let path = self.content(&relative);
                fs::remove_file(&path).unwrap();
                vec![path]
            }
            Change::Rename(k) => {
                let Some(relative) = self.pick(k) else {
                    return Vec::new();
                };
                let id = self.fresh();
                let (dir, _) = relative.rsplit_once('/').unwrap();
                let renamed = format!("{dir}/r{id}.md");
                let doc = self.docs.remove(&relative).unwrap();
                self.docs.insert(renamed.clone(), doc);
                let (from, to) = (self.content(&relative), self.content(&renamed));
                fs::rename(&from, &to).unwrap();
                vec![from, to]
            }
            Change::AddFolder(n) => {
                // Written outside content/, then moved in whole, as a file
                // manager or `mv` does: the watcher reports the folder alone.
                let id = self.fresh();
                let incoming = self.root.join(format!("incoming-{id}"));
                let relative_dir = format!("briefings/f{id}");
                for j in 0..2 {
                    let relative = format!("{relative_dir}/a{j}.md");
                    let doc = Doc {
                        title: format!("Folder {id} briefing {j}"),
                        heading: format!("Section {id} {j}"),
                        ..Doc::numbered((n as usize + j) % 60, TAGS[j + 1])
                    };
                    doc.write(&incoming.join(format!("a{j}.md")));
                    self.docs.insert(relative, doc);
                }
                let to = self.content(&relative_dir);
                fs::rename(&incoming, &to).unwrap();
                vec![to]
            }
            Change::DeleteFolder(k) => {
                let folders = self.folders();
                if folders.is_empty() {
                    return Vec::new();
                }
                let folder = folders[k as usize % folders.len()].clone();
                let prefix = format!(
                    "briefings/{}/",
                    folder.file_name().unwrap().to_string_lossy()
                );
                self.docs
                    .retain(|relative, _| !relative.starts_with(&prefix));
                fs::remove_dir_all(&folder).unwrap();
                vec![folder]
            }
            Change::RenameFolder(k) => {
                let folders = self.folders();
                if folders.is_empty() {
                    return Vec::new();
                }
                let folder = folders[k as usize % folders.len()].clone();
                let old = format!(
                    "briefings/{}/",
                    folder.file_name().unwrap().to_string_lossy()
                );
                let id = self.fresh();
                let new = format!("briefings/f{id}/");
                let moved: Vec<String> = self
                    .docs
                    .keys()
                    .filter(|r| r.starts_with(&old))
                    .cloned()
                    .collect();
                for relative in moved {
                    let doc = self.docs.remove(&relative).unwrap();
                    self.docs.insert(relative.replacen(&old, &new, 1), doc);
                }
                let to = self.content(&new);
                fs::rename(&folder, &to).unwrap();
                vec![folder, to]
            }
            Change::ToggleDraft(k) => self.edit_picked(k, |d| d.draft = !d.draft),
            Change::Alias(k, w) => self.edit_picked(k, |d| {
                d.aliases = match w % 5 {
                    0 => Vec::new(),
                    1 => vec![format!("/old/path-{}/", w % 3)],
                    2 => vec!["/atom.xml".to_string()],
                    3 => vec!["/index.html".to_string()],
                    _ => vec!["/tags/".to_string()],
                };
            }),
            Change::Page(n) => {
                let path = self.content("pages/about.md");
                fs::write(
                    &path,
                    format!("---\ntitle: \"About, edit {n}\"\nweight: 1\n---\nWe write briefings, edit {n}.\n"),
                )
                .unwrap();
                vec![path]
            }
            Change::Template(n) => {
                let path = self.root.join("templates/tag.html");
                if n % 3 == 2 {
                    if path.exists() {
                        fs::remove_file(&path).unwrap();
                    }
                } else {
                    fs::create_dir_all(path.parent().unwrap()).unwrap();
                    fs::write(
                        &path,
                        format!("{{% extends \"base.html\" %}}{{% block content %}}<h1 class=\"v{n}\">{{{{ tag.name }}}}</h1>{{% endblock content %}}"),
                    )
                    .unwrap();
                }
                vec![path]
            }
            Change::Static(n) => {
                let path = self.root.join("templates/static/extra.css");
                if n % 3 == 2 {
                    if path.exists() {
                        fs::remove_file(&path).unwrap();
                    }
                } else {
                    fs::create_dir_all(path.parent().unwrap()).unwrap();
                    fs::write(&path, format!("body {{ margin: {n}px; }}\n")).unwrap();
                }
                vec![path]
            }
            Change::SiteYaml(op, n) => {
                match op % 4 {
                    0 => self.paginate = 1 + n as usize % 4,
                    1 => self.title = format!("Desk {n}"),
                    2 => self.invalid_config = true,
                    _ => {
                        self.paginate = 2;
                        self.title = "Test <Desk> & Co".to_string();
                        self.invalid_config = false;
                    }
                }
                vec![self.write_config()]
            }
            Change::Break(k) => self.edit_picked(k, |d| d.broken = true),
            Change::Fix => {
                let broken: Vec<String> = self
                    .docs
                    .iter()
                    .filter(|(_, d)| d.broken)
                    .map(|(r, _)| r.clone())
                    .collect();
                broken
                    .iter()
                    .map(|r| self.edit(r, |d| d.broken = false))
                    .collect()
            }
            Change::Burst(ref saves) => {
                let mut paths: Vec<PathBuf> = saves
                    .iter()
                    .flat_map(|&(k, n)| {
                        self.edit_picked(k, |d| {
                            if n % 4 == 0 {
                                d.title = format!("Burst title {n}");
                            } else {
                                d.body.push_str(&format!("\n\nBurst save {n}."));
                            }
                        })
                    })
                    .collect();
                paths.sort();
                paths.dedup();
                paths
            }
        }
    }
}

/// Applies `changes` to a fresh generated site, checking after each;
/// returns after how many of them the sources built.
fn run_changes(changes: &[Change]) -> Result<usize, String> {
    let site = fixture("desk");
    let root = site.path().canonicalize().unwrap();
    let mut model = Model::new(&root);
    let mut pipeline = Pipeline::start(&root);
    let mut good_steps = 0;
    for (n, change) in changes.iter().enumerate() {
        let changed = model.apply(change);
        pipeline.step(&changed).map_err(|e| {
            format!(
                "after step {} of {changes:#?}\n(step {}: {change:?}; paths {changed:?}):\n{e}",
                n + 1,
                n + 1
            )
        })?;
        good_steps += usize::from(pipeline.builds);
    }
    Ok(good_steps)
}

#[test]
fn every_change_ends_in_the_bytes_of_a_full_build() {
    let config = ProptestConfig {
        // PROPTEST_CASES=500 runs a longer search by hand.
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(16),
        failure_persistence: None,
        // Shrinking a failure re-runs whole sequences: bound it.
        max_shrink_iters: 100,
        max_shrink_time: 30_000,
        ..ProptestConfig::default()
    };
    let mut runner = TestRunner::new(config);
    let steps = prop::collection::vec(change(), 1..=8);
    let started = Instant::now();
    let (steps_run, steps_built) = (Cell::new(0), Cell::new(0));
    let result = runner.run(&steps, |changes| {
        let built = run_changes(&changes).map_err(TestCaseError::fail)?;
        steps_run.set(steps_run.get() + changes.len());
        steps_built.set(steps_built.get() + built);
        Ok(())
    });
    match result {
        Ok(()) => eprintln!(
            "{} random steps ({} of them building) matched full builds in {:?}",
            steps_run.get(),
            steps_built.get(),
            started.elapsed()
        ),
        Err(TestError::Fail(reason, changes)) => {
            panic!("{reason}\n\nminimal failing sequence of changes:\n{changes:#?}")
        }
        Err(e) => panic!("{e}"),
    }
}

// ---------------------------------------------------------------------------
// B. Issue 9, observation by observation
// ---------------------------------------------------------------------------

/// How long a child process may take to do what is expected of it.
const WAIT: Duration = Duration::from_secs(20);

/// A running `briefly`, killed when dropped; its stdout and stderr lines
/// arrive on one channel, read by threads so the child never blocks.
struct Running {
    child: Child,
    lines: mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Running {
    fn start(dir: &Path, args: &[&str]) -> Running {
        let mut child = Command::new(env!("CARGO_BIN_EXE_briefly"))
            .args(args)
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("briefly starts");
        let (tx, lines) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        let stderr = child.stderr.take().unwrap();
        let out = tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = out.send(format!("stdout: {line}"));
            }
        });
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = tx.send(format!("stderr: {line}"));
            }
        });
        Running {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// Reads lines until one contains `needle` (true) or `WAIT` passes or
    /// the output ends (false).
    fn wait_for(&mut self, needle: &str) -> bool {
        self.wait_for_within(needle, WAIT)
    }

    fn wait_for_within(&mut self, needle: &str, wait: Duration) -> bool {
        if self.seen.iter().any(|l| l.contains(needle)) {
            return true;
        }
        let deadline = Instant::now() + wait;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    let found = line.contains(needle);
                    self.seen.push(line);
                    if found {
                        return true;
                    }
                }
                Err(_) => return false,
            }
        }
        false
    }

    /// Waits for the process to end by itself; None if it still runs after
    /// `WAIT` (it is then killed by the guard).
    fn wait_exit(&mut self) -> Option<std::process::ExitStatus> {
        let deadline = Instant::now() + WAIT;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                // The output ends with the process: collect all of it.
                while let Ok(line) = self.lines.recv_timeout(Duration::from_secs(2)) {
                    self.seen.push(line);
                }
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }

    fn output(&self) -> String {
        self.seen.join("\n")
    }
}

/// Issue 9.1: `watch` with a base URL `build` rejects must fail the same
/// way, not panic.
#[test]
fn issue9_1_watch_with_bad_base_url_is_an_error_not_a_panic() {
    let site = fixture("desk");
    let out = tempfile::tempdir().unwrap();
    let output = out.path().join("public");
    let build = briefly(
        site.path(),
        &[
            "build",
            "--base-url",
            "example.org",
            "--output",
            output.to_str().unwrap(),
        ],
    );
    assert_eq!(build.code, 1, "build refuses the value: {}", build.stderr);

    let mut watch = Running::start(
        site.path(),
        &[
            "watch",
            "--base-url",
            "example.org",
            "--output",
            output.to_str().unwrap(),
        ],
    );
    let status = watch.wait_exit();
    let text = watch.output();
    let Some(status) = status else {
        panic!("watch went on running with --base-url example.org:\n{text}");
    };
    assert!(!text.contains("panicked"), "watch panicked:\n{text}");
    assert_eq!(status.code(), Some(1), "exit status {status}:\n{text}");
    assert!(
        text.contains("example.org") && (text.contains("base-url") || text.contains("base_url")),
        "the error names the option and the value:\n{text}"
    );
}

/// A `desk` site with two briefings in `content/briefings/sub/`.
fn site_with_folder() -> tempfile::TempDir {
    let site = fixture("desk");
    let sub = site.path().join("content/briefings/sub");
    Doc::numbered(1, "alpha").write(&sub.join("one.md"));
    Doc::numbered(2, "alpha").write(&sub.join("two.md"));
    site
}

fn must(step: Result<Option<briefly::engine::Outcome>, String>) -> briefly::engine::Outcome {
    match step {
        Ok(Some(outcome)) => outcome,
        Ok(None) => panic!("the sources were expected to build"),
        Err(e) => panic!("{e}"),
    }
}

/// Issue 9.2: a folder deleted or renamed under `content/` while the engine
/// runs: its pages go (or move), and later rebuilds keep working.
#[test]
fn issue9_2_deleting_or_renaming_a_folder_updates_the_site_and_later_edits_rebuild() {
    let site = site_with_folder();
    let root = site.path().canonicalize().unwrap();
    let mut pipeline = Pipeline::start(&root);
    for slug in ["one", "two"] {
        let page = format!("briefings/{slug}/index.html");
        assert!(pipeline.store().contains_key(Path::new(&page)), "{page}");
    }

    let sub = root.join("content/briefings/sub");
    fs::remove_dir_all(&sub).unwrap();
    must(pipeline.step(std::slice::from_ref(&sub)));
    for slug in ["one", "two"] {
        let page = format!("briefings/{slug}/index.html");
        assert!(
            !pipeline.store().contains_key(Path::new(&page)),
            "{page} is still there after its folder was deleted"
        );
    }
    let precedents = root.join("content/briefings/2024-11-01-precedents.md");
    fs::write(&precedents, read(&precedents) + "\nAn unrelated edit.\n").unwrap();
    must(pipeline.step(std::slice::from_ref(&precedents)));

    // The same for a folder renamed: its briefings keep their slugs (they
    // come from the file names) and the site equals a full build.
    let site = site_with_folder();
    let root = site.path().canonicalize().unwrap();
    let mut pipeline = Pipeline::start(&root);
    let (from, to) = (
        root.join("content/briefings/sub"),
        root.join("content/briefings/sub2"),
    );
    fs::rename(&from, &to).unwrap();
    must(pipeline.step(&[from, to.clone()]));
    let one = to.join("one.md");
    fs::write(&one, read(&one).replace("Body of", "Edited body of")).unwrap();
    must(pipeline.step(&[one]));
    assert!(store_text(&pipeline.store(), "briefings/one/index.html").contains("Edited body of"));
    let precedents = root.join("content/briefings/2024-11-01-precedents.md");
    fs::write(&precedents, read(&precedents) + "\nAn unrelated edit.\n").unwrap();
    must(pipeline.step(&[precedents]));
}

/// Issue 9.3: the steps after which `watch`'s `atom.xml` and `index.html`
/// differed from a full build: drafting a briefing, a burst of saves, a
/// template override, breaking and fixing a front matter. Run on a fresh
/// site, then as observed: after a folder under `content/` was deleted.
#[test]
fn issue9_3_drafts_bursts_overrides_and_a_fixed_front_matter_match_a_full_build() {
    draft_burst_override_break_fix(|_, _| {});
    draft_burst_override_break_fix(|root, pipeline| {
        let sub = root.join("content/briefings/sub");
        fs::remove_dir_all(&sub).unwrap();
        must(pipeline.step(&[sub]));
    });
}

fn draft_burst_override_break_fix(before: impl FnOnce(&Path, &mut Pipeline)) {
    let site = site_with_folder();
    let root = site.path().canonicalize().unwrap();
    let dir = root.join("content/briefings");
    let docs: Vec<(PathBuf, Doc)> = (0..6)
        .map(|i| (dir.join(format!("g{i}.md")), Doc::numbered(30 + i, "alpha")))
        .collect();
    for (path, doc) in &docs {
        doc.write(path);
    }
    let mut pipeline = Pipeline::start(&root);
    before(&root, &mut pipeline);

    // Draft the newest briefing: it leaves the feed and the home page.
    let (newest, doc) = &docs[5];
    Doc {
        draft: true,
        ..doc.clone()
    }
    .write(newest);
    must(pipeline.step(std::slice::from_ref(newest)));

    // A burst of saves to several briefings, one batch.
    let burst: Vec<PathBuf> = docs[..4]
        .iter()
        .map(|(path, doc)| {
            Doc {
                title: format!("{} (saved)", doc.title),
                body: format!("{}\n\nA burst save.", doc.body),
                ..doc.clone()
            }
            .write(path);
            path.clone()
        })
        .collect();
    must(pipeline.step(&burst));

    // A template override.
    let tag = root.join("templates/tag.html");
    fs::create_dir_all(tag.parent().unwrap()).unwrap();
    fs::write(
        &tag,
        "{% extends \"base.html\" %}{% block content %}<h1 class=\"mine\">{{ tag.name }}</h1>{% endblock content %}",
    )
    .unwrap();
    must(pipeline.step(std::slice::from_ref(&tag)));

    // A front matter broken, then fixed.
    let (path, doc) = &docs[2];
    Doc {
        broken: true,
        ..doc.clone()
    }
    .write(path);
    assert!(
        pipeline.step(std::slice::from_ref(path)).unwrap().is_none(),
        "a broken front matter does not build"
    );
    Doc {
        title: "Fixed".to_string(),
        ..doc.clone()
    }
    .write(path);
    must(pipeline.step(std::slice::from_ref(path)));
}

/// Issue 9.4: the feed shows full content, so it shows where links lead;
/// renaming the slug of a briefing too old for the feed must update the feed
/// where a briefing in it links there.
#[test]
fn issue9_4_a_link_target_renamed_outside_the_feed_updates_the_feed() {
    let site = fixture("desk");
    let root = site.path().canonicalize().unwrap();
    let dir = root.join("content/briefings");
    // 30 briefings a week apart from 2024-01-01 to 2024-07-22: with the
    // fixture's three, the feed's newest 20 reach back to b12 or so.
    for i in 0..30 {
        Doc::numbered(i, "alpha").write(&dir.join(format!("b{i:02}.md")));
    }
    let newest = Doc {
        link: Some("b00.md".to_string()),
        ..Doc::numbered(29, "alpha")
    };
    newest.write(&dir.join("b29.md"));
    let mut pipeline = Pipeline::start(&root);
    let feed = store_text(&pipeline.store(), "atom.xml");
    assert!(
        feed.contains("/watch/briefings/b00/"),
        "the feed shows the link"
    );
    assert!(
        !feed.contains(">Briefing 0<"),
        "b00 is older than the feed's 20"
    );

    let old = dir.join("b00.md");
    Doc {
        slug: Some("renamed-old".to_string()),
        ..Doc::numbered(0, "alpha")
    }
    .write(&old);
    let step = pipeline.step(std::slice::from_ref(&old));
    let feed = store_text(&pipeline.store(), "atom.xml");
    assert!(
        feed.contains("/watch/briefings/renamed-old/"),
        "the feed links to the new URL"
    );
    assert!(
        !feed.contains("/watch/briefings/b00/"),
        "the feed keeps the dead URL"
    );
    must(step);
}

/// Issue 9.5: an alias onto a file the build writes itself never replaces
/// it; the build warns, naming the briefing and the path.
#[test]
fn issue9_5_aliases_onto_generated_files_warn_and_never_replace_them() {
    let plain = fixture("desk");
    build_ok(plain.path(), &[]);
    let site = fixture("desk");
    let treaty = site.path().join("content/briefings/2024-06-20-treaty.md");
    fs::write(
        &treaty,
        read(&treaty).replacen(
            "---\n",
            "---\nredirect_from: [/atom.xml]\naliases: [/index.html]\n",
            1,
        ),
    )
    .unwrap();
    let run = build_ok(site.path(), &[]);
    let feed = read(site.path().join("public/atom.xml"));
    assert!(feed.contains("<feed"), "atom.xml is the feed:\n{feed}");
    assert_eq!(
        read(site.path().join("public/index.html")),
        read(plain.path().join("public/index.html")),
        "index.html is the home page"
    );
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("warning"))
        .collect();
    for path in ["atom.xml", "index.html"] {
        assert!(
            warnings
                .iter()
                .any(|w| w.contains(path) && w.contains("2024-06-20-treaty.md")),
            "a warning names the briefing and {path}:\n{}",
            run.stderr
        );
    }
}

/// Issue 9.6: `watch` prints the warnings `build` prints, on its first build
/// and on a rebuild.
#[test]
fn issue9_6_watch_prints_the_warnings_build_prints() {
    let site = fixture("desk");
    let precedents = site
        .path()
        .join("content/briefings/2024-11-01-precedents.md");
    fs::write(
        &precedents,
        read(&precedents).replacen("---\n", "---\ntitle: \"A\"\n", 1),
    )
    .unwrap();
    let run = build_ok(site.path(), &[]);
    let twice: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning:") && l.contains("written 2 times"))
        .collect();
    assert_eq!(twice.len(), 1, "build warns once:\n{}", run.stderr);
    let twice = twice[0].trim_start_matches("warning:").trim();
    assert!(twice.contains("2024-11-01-precedents.md"), "{twice}");

    let out = tempfile::tempdir().unwrap();
    let output = out.path().join("public");
    let mut watch = Running::start(
        site.path(),
        &["watch", "--output", output.to_str().unwrap()],
    );
    assert!(
        watch.wait_for("watching for changes"),
        "watch did not finish its first build:\n{}",
        watch.output()
    );
    // The warning may come just before or just after the report line.
    let first_build_warns = watch.wait_for_within(twice, Duration::from_secs(2));

    // A Liquid tag in another briefing: a rebuild's warning.
    let treaty = site.path().join("content/briefings/2024-06-20-treaty.md");
    fs::write(&treaty, read(&treaty) + "\n{% raw_unknown_tag %}\n").unwrap();
    assert!(
        watch.wait_for("changed:"),
        "watch did not rebuild after the edit:\n{}",
        watch.output()
    );
    let _ = watch.wait_for_within("Liquid tag", Duration::from_secs(2));
    let rebuild_warns = watch
        .seen
        .iter()
        .any(|l| l.contains("Liquid tag") && l.contains("2024-06-20-treaty.md"));
    assert!(
        first_build_warns && rebuild_warns,
        "watch printed the key-twice warning on its first build: {first_build_warns}; the Liquid tag warning on a rebuild: {rebuild_warns}\nbuild's warning: {twice}\nwatch's output:\n{}",
        watch.output()
    );
}

/// Issue 9.7: an override of the built-in `redirect.html` is used (by
/// every alias a site may get), never "unused".
#[test]
fn issue9_7_check_strict_accepts_a_redirect_html_override() {
    let site = fixture("desk");
    // The fixture's one warning: an event dated after `updated`.
    let troops = site.path().join("content/briefings/2024-10-25-troops.md");
    fs::write(
        &troops,
        read(&troops).replace("updated: 2024-11-02", "updated: 2024-12-31"),
    )
    .unwrap();
    let plain = briefly(site.path(), &["check", "--strict"]);
    assert_eq!(
        plain.code, 0,
        "the site passes without the override: {}",
        plain.stderr
    );
    let templates = site.path().join("templates");
    fs::create_dir_all(&templates).unwrap();
    fs::write(
        templates.join("redirect.html"),
        "<html><head><meta http-equiv=\"refresh\" content=\"0; url={{ target.url }}\"></head><body></body></html>",
    )
    .unwrap();
    let run = briefly(site.path(), &["check", "--strict"]);
    assert!(
        !run.stderr.contains("redirect.html"),
        "check names redirect.html:\n{}",
        run.stderr
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
}
