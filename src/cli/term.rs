//! Colour and the progress bar: only for a person at a terminal.
//!
//! Colour is used when the stream is a terminal, `TERM` is not `dumb` and `NO_COLOR` is
//! unset or empty (no-color.org), unless `--color always|never` says otherwise. The
//! progress bar is drawn on stderr only when stderr is a terminal, and only once a run
//! has taken long enough to need one, so pipes, CI logs and tests never see it.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::rules::Severity;

/// `--color`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to colour a stream that is (or is not) a terminal.
    pub fn enabled(self, is_terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                is_terminal
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
            }
        }
    }
}

/// ANSI styles, or nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Paint {
    pub on: bool,
}

impl Paint {
    fn wrap(self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    pub fn bold(self, s: &str) -> String {
        self.wrap("1", s)
    }

    pub fn dim(self, s: &str) -> String {
        self.wrap("2", s)
    }

    pub fn green(self, s: &str) -> String {
        self.wrap("32", s)
    }

    pub fn red(self, s: &str) -> String {
        self.wrap("31", s)
    }

    pub fn cyan(self, s: &str) -> String {
        self.wrap("36", s)
    }

    /// A severity's name in its colour.
    pub fn severity(self, s: Severity) -> String {
        let code = match s {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Information => "1;34",
            Severity::Hint => "1;36",
        };
        self.wrap(code, s.name())
    }
}

/// How long a run goes before the bar appears.
const DELAY: Duration = Duration::from_millis(300);
const TICK: Duration = Duration::from_millis(100);
const WIDTH: usize = 30;

/// A progress bar on stderr, drawn by a thread of its own so the workers only bump a
/// counter.
pub struct Progress {
    done: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    painter: Option<JoinHandle<()>>,
}

impl Progress {
    /// Starts the bar for `total` files when stderr is a terminal; otherwise a counter
    /// that draws nothing.
    pub fn start(total: usize) -> Progress {
        let done = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let painter = (std::io::stderr().is_terminal() && total > 1).then(|| {
            let (done, stop) = (done.clone(), stop.clone());
            std::thread::spawn(move || draw(total, &done, &stop))
        });
        Progress {
            done,
            stop,
            painter,
        }
    }

    pub fn tick(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
    }

    /// Stops the bar and clears its line.
    pub fn finish(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(p) = self.painter.take() {
            let _ = p.join();
        }
    }
}

fn draw(total: usize, done: &AtomicUsize, stop: &AtomicBool) {
    let started = Instant::now();
    let mut drawn = false;
    while !stop.load(Ordering::Relaxed) {
        std::thread::sleep(TICK);
        if started.elapsed() < DELAY {
            continue;
        }
        let n = done.load(Ordering::Relaxed).min(total);
        let filled = WIDTH * n / total;
        let bar = format!("{}{}", "=".repeat(filled), " ".repeat(WIDTH - filled));
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K[{bar}] {n}/{total} files");
        let _ = err.flush();
        drawn = true;
    }
    if drawn {
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K");
        let _ = err.flush();
    }
}
