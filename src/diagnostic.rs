//! Errors for people: a `Diagnostic` names the file, the line and column where
//! known, and what to fix. The build gathers every diagnostic of a run into
//! `Diagnostics` so that all broken files are reported together, like a
//! compiler, instead of stopping at the first.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// The file, as the user knows it (relative to the site root).
    pub path: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    /// For warnings: what kind it is (`Kind::label`), so that many of one
    /// kind can be shown as one line.
    pub kind: Option<Kind>,
}

/// Kinds of warnings a moved-in site can have by the hundred.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    FrontMatter,
    Liquid,
    Alias,
    BrokenLink,
    ScriptUrl,
    EmptyAlt,
}

impl Kind {
    /// What warnings of this kind are, in a summary line.
    pub fn label(self) -> &'static str {
        match self {
            Kind::FrontMatter => "front matter warnings",
            Kind::Liquid => {
                "files with Liquid tags or shortcodes from another generator shown as text"
            }
            Kind::Alias => "aliases not written",
            Kind::BrokenLink => "broken links left as written",
            Kind::ScriptUrl => "links or images with a script URL shown as text",
            Kind::EmptyAlt => "images with no alt text",
        }
    }
}

impl Diagnostic {
    pub fn new(path: impl AsRef<Path>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            path: path.as_ref().to_path_buf(),
            line: None,
            column: None,
            message: message.into(),
            kind: None,
        }
    }

    pub fn kind(mut self, kind: Kind) -> Diagnostic {
        self.kind = Some(kind);
        self
    }

    pub fn at(mut self, line: usize, column: Option<usize>) -> Diagnostic {
        self.line = Some(line);
        self.column = column;
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.as_os_str().is_empty() {
            return write!(f, "{}", self.message);
        }
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

/// Every problem found in one run, sorted by file and line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn sorted(mut list: Vec<Diagnostic>) -> Diagnostics {
        list.sort();
        list.dedup();
        Diagnostics(list)
    }
}

impl Diagnostics {
    /// The closing line: how many errors, and that nothing was written.
    pub fn summary(&self) -> String {
        let n = self.0.len();
        format!(
            "{n} error{} found; the output was left as it was",
            if n == 1 { "" } else { "s" }
        )
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for diagnostic in &self.0 {
            writeln!(f, "{diagnostic}")?;
        }
        f.write_str(&self.summary())
    }
}

impl std::error::Error for Diagnostics {}

/// The 1-based line and column of a byte offset in `text`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text.as_bytes()[..offset.min(text.len())];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    (line, offset.min(text.len()) - line_start + 1)
}

/// How many warnings of one kind are shown in full before they are
/// summed up in one line.
const SHOWN_IN_FULL: usize = 3;

/// Warnings as lines to print: each in full, except that past a few of one
/// kind the rest become one line naming the first few places and how many
/// more (`briefly check` lists them all, one per line).
pub fn summarise<'a>(warnings: impl IntoIterator<Item = &'a Diagnostic>) -> Vec<String> {
    let mut lines = Vec::new();
    let mut by_kind: std::collections::BTreeMap<Kind, Vec<&Diagnostic>> = Default::default();
    for warning in warnings {
        match warning.kind {
            Some(kind) => by_kind.entry(kind).or_default().push(warning),
            None => lines.push(warning.to_string()),
        }
    }
    for (kind, all) in by_kind {
        if all.len() <= SHOWN_IN_FULL {
            lines.extend(all.iter().map(ToString::to_string));
            continue;
        }
        let places: Vec<String> = all[..SHOWN_IN_FULL].iter().map(|d| d.place()).collect();
        lines.push(format!(
            "{} {}: {} and {} more (`briefly check` lists them all)",
            all.len(),
            kind.label(),
            places.join(", "),
            all.len() - SHOWN_IN_FULL
        ));
    }
    lines
}

impl Diagnostic {
    /// `file:line`, or the file alone.
    fn place(&self) -> String {
        match self.line {
            Some(line) => format!("{}:{line}", self.path.display()),
            None => self.path.display().to_string(),
        }
    }
}

/// The warnings already shown to someone watching a site, so each rebuild
/// shows only those that are new; one that went away and came back is
/// shown again.
#[derive(Debug, Default)]
pub struct Shown(std::collections::BTreeSet<Diagnostic>);

impl Shown {
    /// The warnings of `current` not shown yet; remembers `current`.
    pub fn news<'a>(&mut self, current: &'a [Diagnostic]) -> Vec<&'a Diagnostic> {
        let news = current.iter().filter(|d| !self.0.contains(d)).collect();
        self.0 = current.iter().cloned().collect();
        news
    }
}
