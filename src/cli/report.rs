//! What a `newsls check` run found, in the units every output needs: each position both
//! as LSP counts it (0-based line, UTF-16 code units) and as compilers print it (1-based
//! line and column, in characters), so the text, JSON and SARIF writers only arrange it.

use std::path::PathBuf;

use ropey::Rope;

use crate::rules::{Diagnostic, Fix, Severity};
use crate::text::{position_of, Encoding};

/// A position in a file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pos {
    /// 0-based line.
    pub line: u32,
    /// 0-based column in UTF-16 code units (LSP's default `positionEncoding`).
    pub utf16: u32,
    /// 0-based column in characters (Unicode scalar values).
    pub chars: u32,
}

impl Pos {
    pub fn at(rope: &Rope, offset: usize) -> Pos {
        let u16 = position_of(rope, offset, Encoding::Utf16);
        let u32 = position_of(rope, offset, Encoding::Utf32);
        Pos {
            line: u16.line,
            utf16: u16.col,
            chars: u32.col,
        }
    }
}

/// A range `[start, end)` in a file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Range {
    pub start: Pos,
    pub end: Pos,
}

impl Range {
    pub fn of(rope: &Rope, span: crate::text::Span) -> Range {
        Range {
            start: Pos::at(rope, span.start),
            end: Pos::at(rope, span.end),
        }
    }
}

/// A fix as the outputs show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FixOut {
    pub title: String,
    pub safe: bool,
    pub preferred: bool,
    pub edits: Vec<(Range, String)>,
}

impl FixOut {
    pub fn of(rope: &Rope, fix: &Fix) -> FixOut {
        FixOut {
            title: fix.title.clone(),
            safe: fix.safe,
            preferred: fix.preferred,
            edits: fix
                .edits
                .iter()
                .map(|e| (Range::of(rope, e.span), e.new_text.clone()))
                .collect(),
        }
    }
}

/// One diagnostic at or above the threshold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    pub range: Range,
    /// Related locations (in the same file) and what each shows.
    pub related: Vec<(Range, String)>,
    /// Every fix the rule offers (computed for JSON and SARIF only).
    pub fixes: Vec<FixOut>,
}

impl Finding {
    pub fn of(rope: &Rope, d: &Diagnostic, fixes: Vec<FixOut>) -> Finding {
        Finding {
            rule: d.rule,
            severity: d.severity,
            message: d.message.clone(),
            range: Range::of(rope, d.span),
            related: d
                .related
                .iter()
                .map(|r| (Range::of(rope, r.span), r.message.clone()))
                .collect(),
            fixes,
        }
    }
}

/// Why a file was not checked, or what went wrong with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NoticeKind {
    /// Left out by `[files] include`/`exclude` of its configuration.
    Excluded,
    /// Plain text that is not a news article (`[files] articles-only`).
    NotAnArticle,
    /// Not UTF-8 (the message names the likely encoding).
    NotUtf8,
    /// Could not be read: gone, a dangling link, an I/O error.
    Unreadable,
    /// Not a regular file (a FIFO, a socket, a device) found by a walk.
    NotAFile,
    /// `--fix` could not write the file; it is unchanged.
    WriteFailed,
    /// `--fix` left the file alone: it is read-only, or it changed while being checked.
    NotFixed,
}

impl NoticeKind {
    /// A stable name for JSON (`not-an-article`, `unreadable`…).
    pub fn name(self) -> &'static str {
        match self {
            NoticeKind::Excluded => "excluded",
            NoticeKind::NotAnArticle => "not-an-article",
            NoticeKind::NotUtf8 => "not-utf8",
            NoticeKind::Unreadable => "unreadable",
            NoticeKind::NotAFile => "not-a-file",
            NoticeKind::WriteFailed => "write-failed",
            NoticeKind::NotFixed => "not-fixed",
        }
    }

    /// A file that could not be checked or written is an error: a pipeline must not pass
    /// over an article nobody looked at. A file left out on purpose is not.
    pub fn is_error(self) -> bool {
        matches!(
            self,
            NoticeKind::NotUtf8
                | NoticeKind::Unreadable
                | NoticeKind::NotAFile
                | NoticeKind::WriteFailed
        )
    }

    /// How loud it is, in SARIF's words: `error`, `warning` or `note`.
    pub fn level(self) -> &'static str {
        if self.is_error() {
            "error"
        } else if self == NoticeKind::NotFixed {
            "warning"
        } else {
            "note"
        }
    }

    /// The file was not checked at all.
    pub fn skips(self) -> bool {
        !matches!(self, NoticeKind::WriteFailed | NoticeKind::NotFixed)
    }

    /// How the message reads after the path.
    fn sentence(self, path: &str, detail: &str) -> String {
        match self {
            NoticeKind::Excluded => format!("skipped {path}: {detail}"),
            NoticeKind::NotAnArticle => format!("skipped {path}: not a news article ({detail})"),
            NoticeKind::NotUtf8 => format!("{path} {detail}"),
            NoticeKind::Unreadable | NoticeKind::NotAFile => {
                format!("cannot read {path}: {detail}")
            }
            NoticeKind::WriteFailed => {
                format!("could not write the fixes to {path} (it is unchanged): {detail}")
            }
            NoticeKind::NotFixed => format!("did not fix {path}: {detail}"),
        }
    }
}

/// Something to tell about a file besides its findings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub detail: String,
    /// For a file that is not UTF-8: the encoding it looks like.
    pub encoding: Option<&'static str>,
}

impl Notice {
    pub fn new(kind: NoticeKind, detail: impl Into<String>) -> Notice {
        Notice {
            kind,
            detail: detail.into(),
            encoding: None,
        }
    }

    /// The whole message, naming the file.
    pub fn message(&self, path: &str) -> String {
        self.kind.sentence(path, &self.detail)
    }
}

/// An I/O error as a person reads it: "No space left on device", without the error
/// number Rust appends or the name of a temporary file that no longer exists.
pub fn io_message(e: &std::io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// Everything about one input.
#[derive(Clone, Debug, Default)]
pub struct FileReport {
    /// The path as shown (as given on the command line or found under it; the
    /// `--stdin-filename`, or `-`, for standard input).
    pub path: PathBuf,
    pub findings: Vec<Finding>,
    pub notices: Vec<Notice>,
    /// Problems `--fix` repaired (or, with `--diff`, would repair).
    pub fixed: usize,
    /// With `--diff`: the unified diff of what `--fix` would change.
    pub diff: Option<String>,
}

impl FileReport {
    pub fn shown(&self) -> String {
        self.path.display().to_string()
    }

    pub fn skipped(&self) -> bool {
        self.notices.iter().any(|n| n.kind.skips())
    }
}

/// Counts over a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Inputs named (files found and paths that could not be read).
    pub files: usize,
    pub checked: usize,
    /// Left out on purpose (excluded, not an article).
    pub skipped: usize,
    /// Could not be checked (unreadable, not UTF-8, not a file).
    pub unreadable: usize,
    pub errors: usize,
    pub warnings: usize,
    pub information: usize,
    pub hints: usize,
    pub fixed: usize,
    pub write_failures: usize,
}

impl Summary {
    pub fn of(reports: &[FileReport]) -> Summary {
        let mut s = Summary {
            files: reports.len(),
            ..Summary::default()
        };
        for r in reports {
            if r.skipped() {
                if r.notices
                    .iter()
                    .any(|n| n.kind.skips() && n.kind.is_error())
                {
                    s.unreadable += 1;
                } else {
                    s.skipped += 1;
                }
            } else {
                s.checked += 1;
            }
            s.write_failures += r
                .notices
                .iter()
                .filter(|n| n.kind == NoticeKind::WriteFailed)
                .count();
            s.fixed += r.fixed;
            for f in &r.findings {
                match f.severity {
                    Severity::Error => s.errors += 1,
                    Severity::Warning => s.warnings += 1,
                    Severity::Information => s.information += 1,
                    Severity::Hint => s.hints += 1,
                }
            }
        }
        s
    }

    pub fn problems(&self) -> usize {
        self.errors + self.warnings + self.information + self.hints
    }

    /// 1 when a finding at or above the threshold is left, or a file could not be
    /// checked or written; 0 otherwise.
    pub fn exit_status(&self) -> u8 {
        u8::from(self.problems() > 0 || self.unreadable > 0 || self.write_failures > 0)
    }
}
