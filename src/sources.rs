//! The engine's memory of the sources: every Markdown file parsed, cached
//! by path and text hash, the other files of `content/`, and what changed
//! since the last good build. A change re-reads only the files it names;
//! a folder that appeared or vanished (or any path that is no longer a
//! file) makes `content/` be listed again.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::{self, Config};
use crate::content::{self, CONTENT_DIR};
use crate::diagnostic::Diagnostic;
use crate::document::Document;
use crate::hash::hash_text;
use crate::templates::TEMPLATES_DIR;

struct Cached {
    text_hash: u64,
    result: Result<Document, Vec<Diagnostic>>,
}

/// What must be redone on the next build; kept until one succeeds, so a
/// failed step is retried even if the next change is elsewhere.
pub struct Pending {
    pub config: bool,
    pub templates: bool,
    rescan: bool,
    /// `content/` was listed again since the last good build.
    rescanned: bool,
    files: BTreeSet<PathBuf>,
    /// Markdown files re-parsed since the last good build.
    reparsed: BTreeSet<PathBuf>,
    /// Copied files added, changed or removed since the last good build.
    copied: BTreeSet<PathBuf>,
}

/// What a refresh found changed since the last good build.
pub struct Changes {
    /// `content/` was listed again (files may have come or gone).
    pub rescanned: bool,
    pub reparsed: Vec<PathBuf>,
    /// Files to copy that were added, changed or removed.
    pub copied: BTreeSet<PathBuf>,
}

pub struct Sources {
    docs: BTreeMap<PathBuf, Cached>,
    /// Files under `content/` copied as they are.
    pub files: BTreeSet<PathBuf>,
    /// Markdown files that do not parse.
    failing: BTreeSet<PathBuf>,
    listing_errors: Vec<Diagnostic>,
    pub pending: Pending,
}

impl Default for Sources {
    fn default() -> Sources {
        Sources {
            docs: BTreeMap::new(),
            files: BTreeSet::new(),
            failing: BTreeSet::new(),
            listing_errors: Vec::new(),
            pending: Pending {
                config: true,
                templates: true,
                rescan: true,
                rescanned: false,
                files: BTreeSet::new(),
                reparsed: BTreeSet::new(),
                copied: BTreeSet::new(),
            },
        }
    }
}

impl Sources {
    /// Notes changed paths (absolute, or relative to the root).
    pub fn note(&mut self, root: &Path, changed: &[PathBuf]) {
        for path in changed {
            let relative = path.strip_prefix(root).unwrap_or(path);
            let mut parts = relative.components();
            let first = parts.next().map(|c| c.as_os_str().to_string_lossy());
            match first.as_deref() {
                Some(config::FILE_NAME) => self.pending.config = true,
                Some(TEMPLATES_DIR) => self.pending.templates = true,
                Some(CONTENT_DIR) => {
                    let inside = parts.as_path().to_path_buf();
                    // A folder, or a path that is gone (a deleted or renamed
                    // file or folder), or a file where a folder was: list
                    // `content/` again. The last case comes as one event for
                    // the path (notify-debouncer-full folds a removed folder's
                    // events into one), which now names a file.
                    if inside.as_os_str().is_empty()
                        || !content::is_plain_file(&root.join(CONTENT_DIR).join(&inside))
                        || self.held_under(&inside)
                    {
                        self.pending.rescan = true;
                    } else {
                        self.pending.files.insert(inside);
                    }
                }
                _ => {}
            }
        }
    }

    /// Whether a known source lies under `folder` (relative to `content/`).
    fn held_under(&self, folder: &Path) -> bool {
        use std::ops::Bound::{Excluded, Unbounded};
        // Paths order by component, so a folder's contents come right after it.
        let under = |path: &PathBuf| path.starts_with(folder);
        let range = (Excluded(folder), Unbounded);
        self.docs
            .range::<Path, _>(range)
            .next()
            .is_some_and(|(path, _)| under(path))
            || self.files.range::<Path, _>(range).next().is_some_and(under)
    }

    /// The configuration changed: every file is parsed again.
    pub fn forget(&mut self) {
        self.docs.clear();
        self.failing.clear();
        self.pending.rescan = true;
    }

    /// Re-reads what changed; returns what did, or every broken file.
    pub fn refresh(&mut self, root: &Path, config: &Config) -> Result<Changes, Vec<Diagnostic>> {
        if std::mem::take(&mut self.pending.rescan) {
            self.pending.rescanned = true;
            let (listing, errors) = content::scan(root);
            self.listing_errors = errors;
            let wanted: BTreeSet<&PathBuf> = listing.markdown.iter().collect();
            self.docs.retain(|path, _| wanted.contains(path));
            self.failing.retain(|path| wanted.contains(path));
            let files: BTreeSet<PathBuf> = listing.files.into_iter().collect();
            self.pending
                .copied
                .extend(files.symmetric_difference(&self.files).cloned());
            self.files = files;
            let reparsed = self.parse(root, config, &listing.markdown);
            if self.pending.reparsed.is_empty() {
                self.pending.reparsed = reparsed.into_iter().collect();
            } else {
                self.pending.reparsed.extend(reparsed);
            }
        }
        let mut markdown = Vec::new();
        for path in std::mem::take(&mut self.pending.files) {
            // An HTML file gaining or losing its front matter moves
            // between documents and copied files.
            match content::kind(root, &path) {
                content::Kind::Markdown => {
                    if self.files.remove(&path) {
                        self.pending.copied.insert(path.clone());
                    }
                    markdown.push(path)
                }
                content::Kind::File => {
                    if self.docs.remove(&path).is_some() {
                        self.failing.remove(&path);
                        self.pending.reparsed.insert(path.clone());
                    }
                    self.files.insert(path.clone());
                    self.pending.copied.insert(path);
                }
                content::Kind::Ignored => {}
            }
        }
        let reparsed = self.parse(root, config, &markdown);
        self.pending.reparsed.extend(reparsed);
        let mut errors = self.listing_errors.clone();
        for path in &self.failing {
            if let Some(Err(e)) = self.docs.get(path).map(|c| &c.result) {
                errors.extend(e.iter().cloned());
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Changes {
            rescanned: self.pending.rescanned,
            reparsed: self.pending.reparsed.iter().cloned().collect(),
            copied: self.pending.copied.clone(),
        })
    }

    /// The last refresh's changes are in a good build: forget them.
    pub fn settle(&mut self) {
        self.pending.reparsed.clear();
        self.pending.copied.clear();
        self.pending.rescanned = false;
        self.pending.config = false;
        self.pending.templates = false;
    }

    /// Every parsed document, in path order.
    pub fn documents(&self) -> impl Iterator<Item = &Document> {
        self.docs.values().filter_map(|c| c.result.as_ref().ok())
    }

    pub fn document(&self, path: &Path) -> Option<&Document> {
        self.docs.get(path).and_then(|c| c.result.as_ref().ok())
    }

    /// Re-reads Markdown files (in parallel) and re-parses those whose text
    /// changed; files that are gone leave the cache. Returns the re-parsed
    /// paths.
    fn parse(&mut self, root: &Path, config: &Config, paths: &[PathBuf]) -> Vec<PathBuf> {
        let docs = &self.docs;
        let parse_chunk = |at: std::ops::Range<usize>, texts: Vec<Option<Text>>| {
            paths[at]
                .par_iter()
                .zip(texts)
                .filter_map(|(relative, text)| {
                    let Some(text) = text else {
                        return Some((relative, None));
                    };
                    let text = match text {
                        Ok(text) => text,
                        Err(e) => {
                            let result = Err(e);
                            return Some((
                                relative,
                                Some(Cached {
                                    text_hash: 0,
                                    result,
                                }),
                            ));
                        }
                    };
                    let text_hash = hash_text(&text);
                    if docs.get(relative).is_some_and(|c| c.text_hash == text_hash) {
                        return None;
                    }
                    let result = content::parse(root, relative, &text, config);
                    Some((relative, Some(Cached { text_hash, result })))
                })
                .collect::<Vec<(&PathBuf, Option<Cached>)>>()
        };
        // Read a chunk ahead while the cores parse the one before: the
        // texts are dropped once parsed (bodies are read again when their
        // pages are made), so at most two chunks' texts are held.
        let chunks: Vec<std::ops::Range<usize>> = (0..paths.len())
            .step_by(READ_CHUNK)
            .map(|start| start..(start + READ_CHUNK).min(paths.len()))
            .collect();
        let mut updates: Vec<(&PathBuf, Option<Cached>)> = Vec::with_capacity(paths.len());
        let mut texts = chunks
            .first()
            .map_or_else(Vec::new, |c| read_all(root, &paths[c.clone()]));
        for (k, chunk) in chunks.iter().enumerate() {
            let current = std::mem::take(&mut texts);
            std::thread::scope(|scope| {
                let ahead = chunks
                    .get(k + 1)
                    .map(|next| scope.spawn(|| read_all(root, &paths[next.clone()])));
                updates.extend(parse_chunk(chunk.clone(), current));
                if let Some(ahead) = ahead {
                    texts = ahead.join().expect("reading files does not panic");
                }
            });
        }
        let mut reparsed = Vec::with_capacity(updates.len());
        if self.docs.is_empty() && self.failing.is_empty() {
            // A first build: the map is made in one go from the sorted
            // list (inserting 10,000 paths one by one compares them
            // component by component some 300,000 times).
            let mut docs = Vec::with_capacity(updates.len());
            for (relative, cached) in updates {
                if let Some(cached) = cached {
                    if cached.result.is_err() {
                        self.failing.insert(relative.clone());
                    }
                    docs.push((relative.clone(), cached));
                }
                reparsed.push(relative.clone());
            }
            self.docs = docs.into_iter().collect();
            return reparsed;
        }
        for (relative, cached) in updates {
            self.failing.remove(relative);
            match cached {
                Some(cached) => {
                    if cached.result.is_err() {
                        self.failing.insert(relative.clone());
                    }
                    self.docs.insert(relative.clone(), cached)
                }
                None => self.docs.remove(relative),
            };
            reparsed.push(relative.clone());
        }
        reparsed
    }
}

/// Threads that read sources at once in a full read. A file the page cache
/// has dropped (a machine that reclaims cold pages drops a corpus between
/// builds) waits for the disk; with one reader per core the cores wait
/// too, and the disk serves one request per core at a time.
const READERS: usize = 16;

/// Files read ahead of the parser at a time in a full read (a few MB).
const READ_CHUNK: usize = 1024;

/// A file's text, or why it could not be read.
type Text = Result<String, Vec<Diagnostic>>;

/// Fewer files than this are read on the calling thread (an edit while
/// serving names one or two).
const READ_ALONE: usize = 64;

/// Each of `paths`' text (`content::read`), or None for a path that is not
/// a plain file, in `paths`' order. Many at once are read by `READERS`
/// threads, each taking the next file, so that slow reads overlap; parsing
/// them is left to the caller's cores.
fn read_all(root: &Path, paths: &[PathBuf]) -> Vec<Option<Text>> {
    let read = |relative: &PathBuf| {
        content::is_plain_file(&root.join(CONTENT_DIR).join(relative))
            .then(|| content::read(root, relative))
    };
    if paths.len() < READ_ALONE {
        return paths.iter().map(read).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut texts: Vec<Option<Text>> = std::iter::repeat_with(|| None).take(paths.len()).collect();
    std::thread::scope(|scope| {
        let readers: Vec<_> = (0..READERS)
            .map(|_| {
                scope.spawn(|| {
                    let mut read_here = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(relative) = paths.get(i) else {
                            return read_here;
                        };
                        read_here.push((i, read(relative)));
                    }
                })
            })
            .collect();
        for reader in readers {
            for (i, text) in reader.join().expect("reading a file does not panic") {
                texts[i] = text;
            }
        }
    });
    texts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_is_known_by_what_it_held() {
        let mut sources = Sources::default();
        sources
            .files
            .insert(PathBuf::from("briefings/x.md/map.png"));
        sources.files.insert(PathBuf::from("briefings/x.md.bak"));
        assert!(sources.held_under(Path::new("briefings/x.md")));
        assert!(sources.held_under(Path::new("briefings")));
        assert!(!sources.held_under(Path::new("briefings/x")));
        assert!(!sources.held_under(Path::new("briefings/x.md.bak")));
        assert!(!sources.held_under(Path::new("briefings/x.md/map.png")));
    }

    /// A full read past one chunk parses every file once, each under its
    /// own path (titles follow the file names), the bad one an error.
    #[test]
    fn a_read_of_several_chunks_parses_every_file_in_its_place() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join(CONTENT_DIR).join("briefings");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            root.path().join("site.yaml"),
            "title: T\nbase_url: https://e.org/\n",
        )
        .unwrap();
        let count = READ_CHUNK * 2 + 7;
        for n in 0..count {
            std::fs::write(
                dir.join(format!("b{n:05}.md")),
                format!("---\ntitle: \"Note {n}\"\ndate: 2024-01-01\n---\nBody {n}.\n"),
            )
            .unwrap();
        }
        std::fs::write(dir.join("b01500.md"), "---\ntitle: [\n---\n").unwrap();
        let config = Config::parse("title: T\nbase_url: https://e.org/\n").unwrap();
        let mut sources = Sources::default();
        let _ = sources.refresh(root.path(), &config);
        let titles: Vec<(String, String)> = sources
            .documents()
            .map(|d| match d {
                Document::Briefing(b) => (b.source_path.display().to_string(), b.title.clone()),
                Document::Page(p) => panic!("{}", p.title),
            })
            .collect();
        assert_eq!(titles.len(), count - 1);
        for (path, title) in titles {
            let n: usize = path[path.len() - 8..path.len() - 3].parse().unwrap();
            assert_eq!(title, format!("Note {n}"), "{path}");
        }
        assert!(sources.failing.contains(Path::new("briefings/b01500.md")));
    }

    /// Many files are read by many threads, each text in its path's place;
    /// a folder is no text and a bad file its own error.
    #[test]
    fn many_files_are_read_in_their_order() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join(CONTENT_DIR).join("briefings");
        std::fs::create_dir_all(dir.join("folder.md")).unwrap();
        let mut paths = Vec::new();
        for n in 0..READ_ALONE * 3 {
            let name = format!("briefings/b{n}.md");
            std::fs::write(
                root.path().join(CONTENT_DIR).join(&name),
                format!("text {n}"),
            )
            .unwrap();
            paths.push(PathBuf::from(name));
        }
        std::fs::write(dir.join("bad.md"), b"ok\n\xff").unwrap();
        paths.insert(7, PathBuf::from("briefings/folder.md"));
        paths.insert(9, PathBuf::from("briefings/bad.md"));
        for paths in [&paths[..], &paths[..READ_ALONE / 2]] {
            let texts = read_all(root.path(), paths);
            assert_eq!(texts.len(), paths.len());
            for (path, text) in paths.iter().zip(texts) {
                let name = path.file_name().unwrap().to_str().unwrap();
                match name {
                    "folder.md" => assert!(text.is_none()),
                    "bad.md" => assert_eq!(text.unwrap().unwrap_err()[0].line, Some(2)),
                    _ => assert_eq!(
                        text.unwrap().unwrap(),
                        format!("text {}", &name[1..name.len() - 3])
                    ),
                }
            }
        }
    }
}
