//! The text output: one line per finding, as compilers write them, and a summary.
//!
//! ```text
//! desk/strike.md:12:5: warning[repeated-word] The word `the` is repeated
//!   desk/strike.md:12:1: note: …                      (a related location)
//! 3 files checked, 1 skipped: 1 error, 2 warnings
//! ```
//!
//! Lines and columns are 1-based, columns in characters (what a terminal, `grep -n` and
//! most editors' "go to line:column" count). Notices (files skipped or unreadable,
//! unknown configuration keys) go to stderr, so stdout stays one finding per line.

use std::io::{self, Write};

use super::report::{FileReport, Summary};
use super::term::Paint;
use crate::rules::Severity;

/// Writes every finding, then the summary line.
pub fn write(
    out: &mut impl Write,
    reports: &[FileReport],
    summary: &Summary,
    threshold: Severity,
    paint: Paint,
    fixing: bool,
) -> io::Result<()> {
    for r in reports {
        let path = r.shown();
        for f in &r.findings {
            writeln!(
                out,
                "{}: {}{} {}",
                paint.bold(&format!(
                    "{path}:{}:{}",
                    f.range.start.line + 1,
                    f.range.start.chars + 1
                )),
                paint.severity(f.severity),
                paint.dim(&format!("[{}]", f.rule)),
                f.message
            )?;
            for (range, message) in &f.related {
                writeln!(
                    out,
                    "  {}: {} {message}",
                    format_args!("{path}:{}:{}", range.start.line + 1, range.start.chars + 1),
                    paint.cyan("note:"),
                )?;
            }
        }
    }
    writeln!(out, "{}", summary_line(summary, threshold, paint, fixing))
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `12 files checked, 3 skipped, 1 unreadable: 2 errors, 5 warnings (3 fixed)`.
pub fn summary_line(s: &Summary, threshold: Severity, paint: Paint, fixing: bool) -> String {
    let mut head = format!("{} checked", plural(s.checked, "file", "files"));
    if s.skipped > 0 {
        head.push_str(&format!(", {} skipped", s.skipped));
    }
    if s.unreadable > 0 {
        head.push_str(&format!(
            ", {}",
            paint.red(&format!("{} unreadable", s.unreadable))
        ));
    }
    let mut counts = Vec::new();
    for (sev, n, one, many) in [
        (Severity::Error, s.errors, "error", "errors"),
        (Severity::Warning, s.warnings, "warning", "warnings"),
        (
            Severity::Information,
            s.information,
            "information",
            "information",
        ),
        (Severity::Hint, s.hints, "hint", "hints"),
    ] {
        // Quieter levels than the threshold are neither shown nor counted.
        if sev <= threshold && (n > 0 || sev == Severity::Error) {
            counts.push(plural(n, one, many));
        }
    }
    let body = if s.problems() == 0 {
        paint.green("no problems")
    } else {
        counts.join(", ")
    };
    let mut line = format!("{head}: {body}");
    if fixing || s.fixed > 0 {
        line.push_str(&format!(" ({} fixed)", s.fixed));
    }
    if s.write_failures > 0 {
        line.push_str(&format!(
            ", {}",
            paint.red(&plural(
                s.write_failures,
                "file not written",
                "files not written"
            ))
        ));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_counts_what_the_threshold_shows() {
        let s = Summary {
            files: 5,
            checked: 3,
            skipped: 1,
            unreadable: 1,
            errors: 1,
            warnings: 2,
            ..Summary::default()
        };
        let plain = Paint { on: false };
        assert_eq!(
            summary_line(&s, Severity::Warning, plain, false),
            "3 files checked, 1 skipped, 1 unreadable: 1 error, 2 warnings"
        );
        let clean = Summary {
            files: 1,
            checked: 1,
            ..Summary::default()
        };
        assert_eq!(
            summary_line(&clean, Severity::Warning, plain, true),
            "1 file checked: no problems (0 fixed)"
        );
    }
}
