//! The progress of a long build, drawn with indicatif on stderr. The engine
//! reports its stages and pages to a `Progress`, hidden unless the command
//! asks to show it (`show_after`): only when stderr is a terminal, not under
//! CI or `TERM=dumb`, and only once the build has taken a second, so a
//! quick build prints its one line and nothing else, and a log or a pipe
//! never gets the bar's escape codes.

use std::io::IsTerminal;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a build runs before its progress is shown.
const DELAY: Duration = Duration::from_secs(1);
/// How often the bar is drawn again while shown.
const TICK: Duration = Duration::from_millis(100);

/// Where the engine tells how far it is; hidden unless shown.
#[derive(Clone)]
pub struct Progress(ProgressBar);

impl Default for Progress {
    fn default() -> Self {
        Progress::hidden()
    }
}

impl Progress {
    pub fn hidden() -> Progress {
        Progress(ProgressBar::hidden())
    }

    /// A stage whose size is not known: a spinner and its name.
    pub fn stage(&self, what: &'static str) {
        self.0.set_style(
            ProgressStyle::with_template("{spinner} {msg} {elapsed}").expect("a valid template"),
        );
        self.0.set_message(what);
    }

    /// A stage of `total` steps (pages): a bar with the count.
    pub fn count(&self, what: &'static str, total: usize) {
        self.0.set_length(total as u64);
        self.0.set_position(0);
        self.0.set_style(
            ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {pos}/{len} {elapsed}")
                .expect("a valid template")
                .progress_chars("=> "),
        );
        self.0.set_message(what);
    }

    /// One step of the current stage done.
    pub fn step(&self) {
        self.0.inc(1);
    }
}

/// Whether a command's progress may be drawn: stderr is a terminal that
/// can redraw a line, outside CI, and `--quiet` was not given.
pub fn wanted(quiet: bool) -> bool {
    let dumb = std::env::var("TERM").is_ok_and(|t| t == "dumb");
    let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false");
    !quiet && !dumb && !ci && std::io::stderr().is_terminal()
}

/// A progress shown on stderr once the work has taken `DELAY`
/// (`BRIEFLY_PROGRESS_AFTER_MS` sets another delay, for tests), until
/// `finish`.
pub struct Shown {
    pub progress: Progress,
    stop: Option<mpsc::Sender<()>>,
    waiter: Option<JoinHandle<()>>,
}

/// Starts the clock of a progress that is shown if `wanted` and the work
/// takes long enough; else a hidden one.
pub fn show_after(wanted: bool) -> Shown {
    let progress = Progress::hidden();
    if !wanted {
        return Shown {
            progress,
            stop: None,
            waiter: None,
        };
    }
    let delay = std::env::var("BRIEFLY_PROGRESS_AFTER_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
        .map(Duration::from_millis)
        .unwrap_or(DELAY);
    let (stop, stopped) = mpsc::channel::<()>();
    let bar = progress.0.clone();
    let waiter = std::thread::spawn(move || {
        if let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(delay) {
            bar.set_draw_target(ProgressDrawTarget::stderr());
            bar.enable_steady_tick(TICK);
            bar.tick();
        }
    });
    Shown {
        progress,
        stop: Some(stop),
        waiter: Some(waiter),
    }
}

impl Shown {
    /// Stops the clock and clears the bar, so the summary line that follows
    /// is all that stays on the screen.
    pub fn finish(mut self) {
        drop(self.stop.take());
        if let Some(waiter) = self.waiter.take() {
            let _ = waiter.join();
        }
        self.progress.0.finish_and_clear();
    }
}
