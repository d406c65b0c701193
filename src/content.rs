//! Walks `content/`: Markdown files become briefings and standalone pages
//! (read and parsed in parallel), every other file is listed to be copied as
//! it is. Drafts, briefings dated after today and expired ones are left out
//! unless asked for (`Publish`, Hugo's defaults). Every broken file is
//! reported, not just the first (two documents that would share a URL are
//! found by the page list, `pages.rs`).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::civil;
use walkdir::WalkDir;

use crate::briefing::Briefing;
use crate::config::Config;
use crate::date::Date;
use crate::diagnostic::{Diagnostic, line_column};
use crate::document::{self, Document};
use crate::standalone::Page;

pub use crate::config::CONTENT_DIR;

#[derive(Debug, Default)]
pub struct Content {
    /// The site folder (holding `content/`).
    pub root: PathBuf,
    pub briefings: Vec<Arc<Briefing>>,
    pub pages: Vec<Arc<Page>>,
    /// Files to copy as they are, relative to `content/`.
    pub files: Vec<PathBuf>,
}

/// What a walk of `content/` found, relative to `content/`.
#[derive(Debug, Default)]
pub struct Listing {
    pub markdown: Vec<PathBuf>,
    pub files: Vec<PathBuf>,
}

/// Lists `content/`, sorted, skipping hidden files and editor leftovers.
pub fn scan(root: &Path) -> (Listing, Vec<Diagnostic>) {
    let content_dir = root.join(CONTENT_DIR);
    let mut errors = Vec::new();
    let mut listing = Listing::default();
    if !content_dir.is_dir() {
        return (listing, errors);
    }
    let walk = WalkDir::new(&content_dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(e.file_name().to_string_lossy().as_ref()));
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
        match kind(root, &relative) {
            Kind::Markdown => listing.markdown.push(relative),
            Kind::File => listing.files.push(relative),
            Kind::Ignored => {}
        }
    }
    (listing, errors)
}

/// Reads one file under `content/` as UTF-8, naming the line of the first
/// invalid byte.
pub fn read(root: &Path, relative: &Path) -> Result<String, Vec<Diagnostic>> {
    let path = root.join(CONTENT_DIR).join(relative);
    let shown = display(root, &path);
    let bytes = std::fs::read(&path).map_err(|e| {
        vec![Diagnostic::new(
            &shown,
            format!("cannot read the file: {e}"),
        )]
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.into_bytes();
        let prefix = String::from_utf8_lossy(&bytes[..valid]);
        let (line, column) = line_column(&prefix, valid);
        vec![Diagnostic::new(
            &shown,
            "the file is not UTF-8 text: save it with UTF-8 encoding (the first invalid byte is here)",
        )
        .at(line, Some(column))]
    })
}

/// Parses one Markdown file's text into a briefing or a page.
pub fn parse(
    root: &Path,
    relative: &Path,
    text: &str,
    config: &Config,
) -> Result<Document, Vec<Diagnostic>> {
    let shown = display(root, &root.join(CONTENT_DIR).join(relative));
    document::load(&shown, relative, text, config)
}

/// Which documents are published. As in Hugo, drafts, briefings dated
/// after today, briefings and pages with a `publishDate` after today, and
/// those whose `expiryDate` has come are left out unless asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Publish {
    pub drafts: bool,
    pub future: bool,
    pub expired: bool,
    /// The day "after today" and "has come" are measured from
    /// (`date::today`): a day, never an instant, so a build is the same
    /// all day long.
    pub today: civil::Date,
}

/// Why a document is left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LeftOut {
    Draft,
    /// Dated, or with a `publishDate`, after today.
    Future,
    /// Its `expiryDate` is today or earlier (Hugo: expired from that
    /// day's midnight).
    Expired,
}

impl Publish {
    /// Why `document` is not published, or None when it is.
    pub fn left_out(&self, document: &Document) -> Option<LeftOut> {
        let (draft, date, publish_date, expiry_date) = match document {
            Document::Briefing(b) => (b.draft, Some(&b.date), &b.publish_date, b.expiry_date),
            Document::Page(p) => (p.draft, None, &p.publish_date, p.expiry_date),
        };
        if draft && !self.drafts {
            return Some(LeftOut::Draft);
        }
        let after_today = |d: &Date| d.day > self.today;
        if !self.future
            && (date.is_some_and(after_today) || publish_date.as_ref().is_some_and(after_today))
        {
            return Some(LeftOut::Future);
        }
        if !self.expired && expiry_date.is_some_and(|d| d.day <= self.today) {
            return Some(LeftOut::Expired);
        }
        None
    }
}

/// Gathers the published documents into `Content`.
pub fn assemble(
    root: &Path,
    documents: impl IntoIterator<Item = Document>,
    files: Vec<PathBuf>,
    publish: &Publish,
) -> Content {
    let mut content = Content {
        root: root.to_path_buf(),
        files,
        ..Content::default()
    };
    for document in documents {
        if publish.left_out(&document).is_some() {
            continue;
        }
        match document {
            Document::Briefing(b) => content.briefings.push(b),
            Document::Page(p) => content.pages.push(p),
        }
    }
    content
}

/// A regular file, not a symbolic link: links are never followed, so nothing
/// outside the site can be read into it.
pub fn is_plain_file(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file())
}

/// What a file under `content/` is to the build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A briefing or a standalone page: Markdown, or an HTML post (see
    /// `starts_with_front_matter`).
    Markdown,
    /// Copied as it is.
    File,
    /// Hidden files, editor leftovers, Hugo's and Zola's section files
    /// (`_index.md`), which describe a folder rather than a briefing, and
    /// Eleventy's directory data files.
    Ignored,
}

/// What `relative` (under `root`'s `content/`) is; an `.html` or `.htm`
/// file is read as far as its first line to tell.
pub fn kind(root: &Path, relative: &Path) -> Kind {
    let hidden = relative
        .components()
        .any(|c| is_ignored(c.as_os_str().to_string_lossy().as_ref()));
    // Eleventy's directory data files (`posts/posts.11tydata.js`) are the
    // old site's build settings, not files to publish.
    let eleventy_data = relative
        .file_name()
        .is_some_and(|n| n.to_string_lossy().contains(".11tydata."));
    if hidden || eleventy_data {
        return Kind::Ignored;
    }
    // Jekyll's default `markdown_ext` and Hugo's Markdown suffixes; HTML
    // and MDX files are posts when they start with front matter.
    let document = named(
        relative,
        &["md", "markdown", "mdown", "mkdn", "mkd", "mkdown"],
    ) || (named(relative, &["html", "htm", "mdx"])
        && starts_with_front_matter(&root.join(CONTENT_DIR).join(relative)));
    match document {
        true if relative.file_stem().is_some_and(|n| n == "_index") => Kind::Ignored,
        true => Kind::Markdown,
        false => Kind::File,
    }
}

/// Whether the file at `path` starts with front matter (a `---` or `+++`
/// line, after a byte order mark). An HTML file that does is a post or
/// page to Jekyll, Hugo and Eleventy, whose body is HTML; an MDX file
/// (Docusaurus, Next.js, Astro) one whose body is Markdown with imports
/// and components. Without front matter either is copied as it is.
fn starts_with_front_matter(path: &Path) -> bool {
    use std::io::Read;
    let mut start = Vec::with_capacity(8);
    let read = std::fs::File::open(path).and_then(|f| f.take(8).read_to_end(&mut start));
    if read.is_err() {
        return false;
    }
    let start = start
        .strip_prefix(b"\xEF\xBB\xBF".as_slice())
        .unwrap_or(&start);
    [b"---\n".as_slice(), b"---\r\n", b"+++\n", b"+++\r\n"]
        .iter()
        .any(|line| start.starts_with(line))
}

/// Whether the file's suffix is one of `suffixes`, in any case.
fn named(relative: &Path, suffixes: &[&str]) -> bool {
    relative
        .extension()
        .is_some_and(|e| suffixes.iter().any(|n| e.eq_ignore_ascii_case(n)))
}

/// The body of an MDX post as Markdown: its `import` and `export` lines
/// (JavaScript for the old site's build, outside code blocks) become
/// empty lines, so no line moves; its components stay as raw HTML
/// elements, their text shown. Any other file's body is returned as it is.
pub fn mdx_body<'a>(relative: &Path, body: std::borrow::Cow<'a, str>) -> std::borrow::Cow<'a, str> {
    if !named(relative, &["mdx"]) {
        return body;
    }
    let literal = crate::markdown::literal_ranges(&body);
    let mut markdown = String::with_capacity(body.len());
    let mut at = 0;
    for line in body.split_inclusive('\n') {
        let esm = (line.starts_with("import ") || line.starts_with("export "))
            && !literal.iter().any(|r| r.contains(&at));
        if esm {
            markdown.push_str(if line.ends_with('\n') { "\n" } else { "" });
        } else {
            markdown.push_str(line);
        }
        at += line.len();
    }
    std::borrow::Cow::Owned(markdown)
}

/// The body of an HTML post (`starts_with_front_matter`) as Markdown that renders as
/// written: one HTML block, which CommonMark ends only at a blank line, so
/// each blank line gets an empty comment (`<!---->`, also a comment in
/// scripts and styles, and an empty line in a `<pre>`), and the block
/// starts with a `<div class="html-post">` on the first line (so no line
/// moves and errors name the lines of the file), closed after the last.
/// Any other file's body is returned as it is.
pub fn html_post_body<'a>(
    relative: &Path,
    body: std::borrow::Cow<'a, str>,
) -> std::borrow::Cow<'a, str> {
    if !named(relative, &["html", "htm"]) {
        return body;
    }
    let mut markdown = String::with_capacity(body.len() + 64);
    markdown.push_str("<div class=\"html-post\">");
    for (i, line) in body.split_inclusive('\n').enumerate() {
        if i > 0 && line.trim().is_empty() {
            markdown.push_str("<!---->");
        }
        markdown.push_str(line);
    }
    if !markdown.ends_with('\n') {
        markdown.push('\n');
    }
    markdown.push_str("</div>\n");
    std::borrow::Cow::Owned(markdown)
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
