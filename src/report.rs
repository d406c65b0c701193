//! What a build reports: `Outcome` (what was rendered and written, the
//! counts, every warning) and, with `BRIEFLY_TIMINGS=1`, where its time went.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::diagnostic::Diagnostic;

/// What one build or rebuild did.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Pages rendered (their fingerprint changed, or a full build).
    pub rendered: usize,
    /// Pages whose fingerprint was computed: the work of finding what
    /// changed.
    pub fingerprinted: usize,
    /// Output files whose bytes changed or are new.
    pub written: Vec<PathBuf>,
    /// Output files that are gone.
    pub removed: Vec<PathBuf>,
    pub briefings: usize,
    pub tags: usize,
    pub events: usize,
    /// Briefings left out as dated after today (see `content::Publish`).
    pub future: usize,
    /// Briefings left out as expired.
    pub expired: usize,
    /// Every output file of the site.
    pub files: usize,
    /// Everything worth knowing that did not stop the build, sorted.
    pub warnings: Vec<Diagnostic>,
    pub elapsed: Duration,
}

impl Outcome {
    /// True when only stylesheets changed, so a page can swap them in place.
    pub fn only_css(&self) -> bool {
        self.removed.is_empty()
            && !self.written.is_empty()
            && self
                .written
                .iter()
                .all(|p| p.extension().is_some_and(|e| e == "css"))
    }
}

/// `BRIEFLY_TIMINGS=1` prints where each build's time went (see
/// BENCHMARKS.md), cumulative from the start.
pub struct Clock {
    start: Option<Instant>,
    marks: Vec<(&'static str, Duration)>,
}

impl Clock {
    pub fn start() -> Clock {
        let on = std::env::var_os("BRIEFLY_TIMINGS").is_some();
        Clock {
            start: on.then(Instant::now),
            marks: Vec::new(),
        }
    }

    pub fn mark(&mut self, stage: &'static str) {
        if let Some(start) = self.start {
            self.marks.push((stage, start.elapsed()));
        }
    }

    pub fn report(&self) {
        if self.start.is_some() {
            eprintln!("build stages (cumulative): {:?}", self.marks);
        }
    }
}
