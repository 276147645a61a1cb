//! The JSON output (`--format json`): one document, for scripts and review bots. Its
//! schema is described in the README ("Command line"); `version` changes when a field
//! changes meaning or goes away (new fields may appear without it).
//!
//! Each position is given twice: an LSP `range` (0-based lines, UTF-16 code units, as
//! an editor extension or a language-server client wants it) and 1-based `line`/`column`
//! (`endLine`/`endColumn`, exclusive end) in characters, as the text output prints them.

use serde::Serialize;

use super::configs::ConfigWarning;
use super::report::{FileReport, Finding, FixOut, Notice, Range, Summary};
use crate::rules::Severity;

/// The version of this document's shape.
pub const VERSION: u32 = 1;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Document<'a> {
    version: u32,
    tool: Tool,
    /// The quietest severity shown and counted.
    threshold: &'static str,
    findings: Vec<FindingJson<'a>>,
    notices: Vec<NoticeJson<'a>>,
    configuration_warnings: Vec<ConfigWarningJson>,
    summary: SummaryJson,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Position {
    line: u32,
    character: u32,
}

#[derive(Serialize)]
struct LspRange {
    start: Position,
    end: Position,
}

/// A range both ways.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Place {
    range: LspRange,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
}

impl Place {
    fn of(r: &Range) -> Place {
        Place {
            range: lsp_range(r),
            line: r.start.line + 1,
            column: r.start.chars + 1,
            end_line: r.end.line + 1,
            end_column: r.end.chars + 1,
        }
    }
}

fn lsp_range(r: &Range) -> LspRange {
    LspRange {
        start: Position {
            line: r.start.line,
            character: r.start.utf16,
        },
        end: Position {
            line: r.end.line,
            character: r.end.utf16,
        },
    }
}

#[derive(Serialize)]
struct FindingJson<'a> {
    path: String,
    #[serde(flatten)]
    place: Place,
    severity: &'static str,
    code: &'static str,
    message: &'a str,
    related: Vec<RelatedJson<'a>>,
    fixes: Vec<FixJson<'a>>,
}

#[derive(Serialize)]
struct RelatedJson<'a> {
    path: String,
    #[serde(flatten)]
    place: Place,
    message: &'a str,
}

#[derive(Serialize)]
struct FixJson<'a> {
    title: &'a str,
    safe: bool,
    preferred: bool,
    edits: Vec<EditJson<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EditJson<'a> {
    range: LspRange,
    new_text: &'a str,
}

#[derive(Serialize)]
struct NoticeJson<'a> {
    path: String,
    kind: &'static str,
    level: &'static str,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    encoding: Option<&'a str>,
}

#[derive(Serialize)]
struct ConfigWarningJson {
    path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    /// Unknown keys only.
    #[serde(skip_serializing_if = "Option::is_none")]
    key: Option<String>,
    message: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SummaryJson {
    files: usize,
    checked: usize,
    skipped: usize,
    unreadable: usize,
    errors: usize,
    warnings: usize,
    information: usize,
    hints: usize,
    fixed: usize,
    write_failures: usize,
    exit_status: u8,
}

fn finding<'a>(path: &str, f: &'a Finding) -> FindingJson<'a> {
    FindingJson {
        path: path.to_string(),
        place: Place::of(&f.range),
        severity: f.severity.name(),
        code: f.rule,
        message: &f.message,
        related: f
            .related
            .iter()
            .map(|(r, message)| RelatedJson {
                path: path.to_string(),
                place: Place::of(r),
                message,
            })
            .collect(),
        fixes: f.fixes.iter().map(fix).collect(),
    }
}

fn fix(f: &FixOut) -> FixJson<'_> {
    FixJson {
        title: &f.title,
        safe: f.safe,
        preferred: f.preferred,
        edits: f
            .edits
            .iter()
            .map(|(r, new_text)| EditJson {
                range: lsp_range(r),
                new_text,
            })
            .collect(),
    }
}

fn notice<'a>(path: &str, n: &'a Notice) -> NoticeJson<'a> {
    NoticeJson {
        path: path.to_string(),
        kind: n.kind.name(),
        level: n.kind.level(),
        message: n.message(path),
        encoding: n.encoding,
    }
}

/// The whole document.
pub fn document<'a>(
    reports: &'a [FileReport],
    warnings: &[ConfigWarning],
    summary: &Summary,
    threshold: Severity,
) -> Document<'a> {
    let mut findings = Vec::new();
    let mut notices = Vec::new();
    for r in reports {
        let path = r.shown();
        findings.extend(r.findings.iter().map(|f| finding(&path, f)));
        notices.extend(r.notices.iter().map(|n| notice(&path, n)));
    }
    Document {
        version: VERSION,
        tool: Tool {
            name: "newsls",
            version: env!("CARGO_PKG_VERSION"),
        },
        threshold: threshold.name(),
        findings,
        notices,
        configuration_warnings: warnings
            .iter()
            .map(|w| ConfigWarningJson {
                path: w.file.display().to_string(),
                line: w.line,
                key: w.key.clone(),
                message: w.message(),
            })
            .collect(),
        summary: SummaryJson {
            files: summary.files,
            checked: summary.checked,
            skipped: summary.skipped,
            unreadable: summary.unreadable,
            errors: summary.errors,
            warnings: summary.warnings,
            information: summary.information,
            hints: summary.hints,
            fixed: summary.fixed,
            write_failures: summary.write_failures,
            exit_status: summary.exit_status(),
        },
    }
}
