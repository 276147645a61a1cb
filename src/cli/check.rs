//! `newsls check`: the run.
//!
//! 1. The paths are expanded into inputs ([`walk`](super::walk)); each file gets the
//!    configuration that governs its directory ([`configs`](super::configs)). A bad
//!    configuration stops the run here (exit 2) before any file is read.
//! 2. Files are checked in parallel on every core (rayon), each on its own: one that
//!    cannot be read, is not UTF-8 or is not an article is reported and the others go on.
//! 3. Reports are sorted by path, so the output is the same from run to run whatever
//!    order the threads finished in, then written as text, JSON or SARIF.
//!
//! Exit status: 0 when no problem at or above the threshold is left, 1 when one is (or a
//! file could not be checked or written), 2 for a usage error or a bad configuration (the
//! caller turns an `Err` into 2).

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use rayon::prelude::*;

use super::configs::{absolute, Configs, Resolved};
use super::fix::{analyse, apply_safe_fixes, unified_diff, write_atomically, WriteError};
use super::input::decode;
use super::report::{io_message, FileReport, Finding, FixOut, Notice, NoticeKind, Summary};
use super::term::{ColorChoice, Paint, Progress};
use super::walk::{collect, Entry};
use super::{json, sarif, text};
use crate::article::kind::classify;
use crate::article::Format;
use crate::rules::Severity;

/// `--format`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OutputFormat {
    #[default]
    Text,
    Json,
    Sarif,
}

/// Everything `newsls check` is asked to do.
#[derive(Clone, Debug)]
pub struct CheckOptions {
    pub paths: Vec<PathBuf>,
    pub format: OutputFormat,
    /// The quietest severity shown, counted and fixed (`--severity`, default warning).
    pub threshold: Severity,
    pub fix: bool,
    pub diff: bool,
    /// `--config FILE`: one configuration for every input.
    pub config: Option<PathBuf>,
    /// The name standard input stands for: its format, its configuration, its `[files]`
    /// globs.
    pub stdin_filename: Option<PathBuf>,
    /// The format of every input, instead of guessing from the extension.
    pub input: Option<Format>,
    pub color: ColorChoice,
}

impl Default for CheckOptions {
    fn default() -> CheckOptions {
        CheckOptions {
            paths: Vec::new(),
            format: OutputFormat::Text,
            threshold: Severity::Warning,
            fix: false,
            diff: false,
            config: None,
            stdin_filename: None,
            input: None,
            color: ColorChoice::Auto,
        }
    }
}

/// One input and the configuration it is checked with.
struct Job {
    entry: Entry,
    /// The path as shown.
    shown: PathBuf,
    /// Absolute and normalised, for `[files]` globs (None: stdin without a name).
    abs: Option<PathBuf>,
    config: Arc<Resolved>,
}

/// Runs `newsls check`; the exit status, or an error for exit status 2.
pub fn check(opts: &CheckOptions) -> anyhow::Result<u8> {
    let reads_stdin = opts.paths.iter().any(|p| p.as_os_str() == "-");
    if opts.fix && opts.diff {
        anyhow::bail!(
            "--fix and --diff cannot be used together: --diff shows what --fix would change"
        );
    }
    if opts.fix && reads_stdin {
        anyhow::bail!(
            "--fix cannot rewrite standard input; use --diff to see what it would change"
        );
    }
    if opts.diff && opts.format != OutputFormat::Text {
        anyhow::bail!(
            "--diff writes a unified diff; it cannot be combined with --format json or sarif"
        );
    }
    let cwd = std::env::current_dir().context("cannot read the working directory")?;
    let mut configs =
        Configs::new(&cwd, opts.config.as_deref(), opts.threshold).map_err(anyhow::Error::msg)?;

    let mut jobs = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for entry in collect(&opts.paths) {
        let (shown, abs) = match &entry {
            Entry::File(p) | Entry::Broken(p, _) => (p.clone(), Some(absolute(&cwd, p))),
            Entry::Stdin => match &opts.stdin_filename {
                Some(name) => (name.clone(), Some(absolute(&cwd, name))),
                None => (PathBuf::from("-"), None),
            },
        };
        // A file named twice (or named and found under a directory) is checked once.
        let key = (
            matches!(entry, Entry::Stdin),
            abs.clone().unwrap_or_default(),
        );
        if !seen.insert(key) {
            continue;
        }
        let dir = abs
            .as_deref()
            .and_then(Path::parent)
            .unwrap_or(&cwd)
            .to_path_buf();
        let config = configs.for_dir(&dir).map_err(anyhow::Error::msg)?;
        jobs.push(Job {
            entry,
            shown,
            abs,
            config,
        });
    }

    let stderr_paint = Paint {
        on: opts.color.enabled(std::io::stderr().is_terminal()),
    };
    for w in &configs.warnings {
        eprintln!("newsls: {}: {}", stderr_paint.red("warning"), w.message());
    }

    let stdin = if reads_stdin {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .context("cannot read standard input")?;
        Some(buf)
    } else {
        None
    };

    let progress = Progress::start(jobs.len());
    let mut reports: Vec<FileReport> = jobs
        .par_iter()
        .map(|job| {
            let r = check_one(job, opts, stdin.as_deref());
            progress.tick();
            r
        })
        .collect();
    progress.finish();
    reports.sort_by(|a, b| a.path.cmp(&b.path));

    for r in &reports {
        // Files the configuration excludes were left out on purpose, like ignored ones:
        // they are listed in JSON and SARIF, not announced.
        for n in r.notices.iter().filter(|n| n.kind != NoticeKind::Excluded) {
            let label = match n.kind.level() {
                "error" => stderr_paint.red("error"),
                "warning" => stderr_paint.red("warning"),
                other => other.to_string(),
            };
            eprintln!("newsls: {label}: {}", n.message(&r.shown()));
        }
    }

    let summary = Summary::of(&reports);
    let mut out = std::io::stdout().lock();
    let paint = Paint {
        on: opts.color.enabled(std::io::stdout().is_terminal()),
    };
    match opts.format {
        OutputFormat::Text if opts.diff => {
            for r in &reports {
                if let Some(d) = &r.diff {
                    write_diff(&mut out, d, paint)?;
                }
            }
            let files = reports.iter().filter(|r| r.diff.is_some()).count();
            eprintln!(
                "newsls: --diff: {} would change {}; nothing was written",
                plural(summary.fixed, "fix", "fixes"),
                plural(files, "file", "files"),
            );
        }
        OutputFormat::Text => text::write(
            &mut out,
            &reports,
            &summary,
            opts.threshold,
            paint,
            opts.fix,
        )?,
        OutputFormat::Json => {
            let doc = json::document(&reports, &configs.warnings, &summary, opts.threshold);
            serde_json::to_writer_pretty(&mut out, &doc)?;
            writeln!(out)?;
        }
        OutputFormat::Sarif => {
            // Rule links come from the configuration that governs the working directory
            // (or `--config`): results from many directories share one list of rules.
            let here = configs.for_dir(&cwd).map_err(anyhow::Error::msg)?;
            let doc = sarif::document(
                &cwd,
                &reports,
                &configs.warnings,
                here.settings.docs_base_url.as_deref(),
            );
            serde_json::to_writer_pretty(&mut out, &doc)?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(summary.exit_status())
}

fn write_diff(out: &mut impl Write, diff: &str, paint: Paint) -> std::io::Result<()> {
    for line in diff.split_inclusive('\n') {
        let painted = if line.starts_with("+++") || line.starts_with("---") {
            paint.bold(line.trim_end_matches('\n'))
        } else if line.starts_with('+') {
            paint.green(line.trim_end_matches('\n'))
        } else if line.starts_with('-') {
            paint.red(line.trim_end_matches('\n'))
        } else if line.starts_with("@@") {
            paint.cyan(line.trim_end_matches('\n'))
        } else {
            line.trim_end_matches('\n').to_string()
        };
        writeln!(out, "{painted}")?;
    }
    Ok(())
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn skipped(shown: &Path, notice: Notice) -> FileReport {
    FileReport {
        path: shown.to_path_buf(),
        notices: vec![notice],
        ..FileReport::default()
    }
}

/// Checks (and with `--fix` or `--diff`, fixes) one input.
fn check_one(job: &Job, opts: &CheckOptions, stdin: Option<&[u8]>) -> FileReport {
    let shown = &job.shown;
    let settings = &job.config.settings;
    // An excluded path is left alone even when it is broken: the newsroom said so.
    if let Some(abs) = &job.abs {
        if let Err(why) = settings.files.admits(abs) {
            return skipped(shown, Notice::new(NoticeKind::Excluded, why));
        }
    }
    if let Entry::Broken(_, notice) = &job.entry {
        return skipped(shown, notice.clone());
    }
    let bytes = match &job.entry {
        Entry::Stdin => stdin.unwrap_or_default().to_vec(),
        Entry::File(p) => match std::fs::read(p) {
            Ok(b) => b,
            Err(e) => return skipped(shown, Notice::new(NoticeKind::Unreadable, io_message(&e))),
        },
        Entry::Broken(..) => unreachable!("returned above"),
    };
    let decoded = match decode(bytes.clone()) {
        Ok(d) => d,
        Err(e) => {
            let mut n = Notice::new(NoticeKind::NotUtf8, e.to_string());
            n.encoding = e.guess;
            return skipped(shown, n);
        }
    };
    let format = opts
        .input
        .unwrap_or_else(|| match (&job.entry, &opts.stdin_filename) {
            (Entry::Stdin, None) => Format::Markdown,
            _ => Format::from_path(&shown.to_string_lossy()),
        });
    if settings.files.articles_only && format == Format::PlainText {
        let verdict = classify(&decoded.text, format);
        if !verdict.is_article() {
            return skipped(shown, Notice::new(NoticeKind::NotAnArticle, verdict.reason));
        }
    }

    let mut report = FileReport {
        path: shown.clone(),
        ..FileReport::default()
    };
    let (snapshot, diags) = if opts.fix || opts.diff {
        let fixed = apply_safe_fixes(&decoded.text, format, settings, opts.threshold);
        if fixed.text != decoded.text {
            report.fixed = fixed.applied;
            if opts.diff {
                report.diff = Some(unified_diff(
                    &decoded.text,
                    &fixed.text,
                    &shown.to_string_lossy(),
                ));
            } else if let Entry::File(p) = &job.entry {
                let mut new = Vec::with_capacity(fixed.text.len() + 3);
                if decoded.bom {
                    new.extend_from_slice(b"\xEF\xBB\xBF");
                }
                new.extend_from_slice(fixed.text.as_bytes());
                if let Err(e) = write_atomically(p, &bytes, &new) {
                    let kind = match e {
                        WriteError::Io(_) => NoticeKind::WriteFailed,
                        WriteError::ReadOnly | WriteError::Changed => NoticeKind::NotFixed,
                    };
                    report.notices.push(Notice::new(kind, e.to_string()));
                    report.fixed = 0;
                }
            }
        }
        // With --diff nothing is written: what is reported is the file as it is.
        let written = report.fixed > 0 && !opts.diff;
        match fixed.last {
            Some(last) if written || fixed.text == decoded.text => last,
            _ => analyse(
                if written { &fixed.text } else { &decoded.text },
                format,
                settings,
                opts.threshold,
            ),
        }
    } else {
        analyse(&decoded.text, format, settings, opts.threshold)
    };
    // Fixes are computed only for the outputs that carry them.
    let with_fixes = matches!(opts.format, OutputFormat::Json | OutputFormat::Sarif);
    report.findings = diags
        .iter()
        .map(|d| {
            let fixes = if with_fixes {
                snapshot
                    .fixes(d, settings)
                    .iter()
                    .map(|f| FixOut::of(&snapshot.rope, f))
                    .collect()
            } else {
                Vec::new()
            };
            Finding::of(&snapshot.rope, d, fixes)
        })
        .collect();
    report
}
