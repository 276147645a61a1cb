//! Diagnostic: `table-extra-cells`.
//!
//! A body row with more cells than the header. GFM renderers silently drop the cells
//! past the header's count, so the reader never sees them. The range covers the extra
//! cells (from the pipe that opens the first of them).
//!
//! Fixes: drop the extra cells; or add columns to the header (and the delimiter row) so
//! that they are shown.

use super::table::{pipe_row, Align, Row};
use super::{BlockCtx, Check, Fix, Rule, Severity, Sink};
use crate::text::{Edit, Span};

pub static RULE: Rule = Rule {
    id: "table-extra-cells",
    default_severity: Severity::Warning,
    summary: "A table row has more cells than the header; the extra cells are silently dropped",
    doc: include_str!("../../docs/rules/table-extra-cells.md"),
    check: Check::Block(check),
    options: &[],
};

fn check(ctx: &BlockCtx<'_>, out: &mut Sink<'_>) {
    let Some(t) = ctx.pipe_table() else { return };
    let n = t.columns();
    let widest = t.body.iter().map(|r| r.len()).max().unwrap_or(0);
    for row in &t.body {
        if row.len() <= n || n == 0 {
            continue;
        }
        let extra = row.len() - n;
        // From the pipe before the first extra cell to the end of the last cell's text.
        let first = row.cells[n];
        let last = row.cells[row.len() - 1];
        let pipe = row
            .pipes
            .iter()
            .copied()
            .filter(|&p| p < first.raw.start)
            .max()
            .unwrap_or(first.raw.start);
        let start = if first.content.is_empty() {
            pipe
        } else {
            first.content.start
        };
        let end = if last.content.is_empty() {
            last.raw.end
        } else {
            last.content.end
        }
        .max(start + 1);
        let span = Span::new(start, end);
        // The same words before and after the table is repaired, so that fixing another
        // defect of the table never turns this into a "new" diagnostic.
        let what = "is dropped when the table is rendered";
        let message = if extra == 1 {
            format!(
                "This row has {} cells but the header has {n}: the last cell {what}",
                row.len()
            )
        } else {
            format!(
                "This row has {} cells but the header has {n}: the last {extra} cells are dropped when the table is rendered",
                row.len()
            )
        };
        let header = format!("The header row has {n} cells");
        out.report(span, message)
            .related(t.header.span, header)
            .fix(|| {
                // Cut from the separator before the first extra cell to the last cell's
                // end, keeping the closing pipe if the row has one. Without one, that
                // separator becomes the closing pipe: the kept cells stay cells even when
                // the last of them is empty.
                let (cut_end, keep) = if row.trailing_pipe {
                    (last.raw.end, "")
                } else {
                    (row.span.end, "|")
                };
                Fix::alternative(
                    "Drop the extra cells",
                    vec![Edit::new(Span::new(pipe, cut_end), keep)],
                )
            })
            .fix(|| {
                // Extend the header and the delimiter row to the widest row, and pad the
                // other rows to that width so that none of them comes up short.
                let add = widest - n;
                let mut edits = vec![extend_row_edit(&t.header, &vec![String::new(); add])];
                if let Some(d) = &t.delimiter {
                    let missing = widest.saturating_sub(d.len());
                    if missing > 0 {
                        edits.push(extend_row_edit(d, &vec![Align::None.delimiter(3); missing]));
                    }
                }
                for other in &t.body {
                    // A line without a pipe in a table that does not render (its
                    // delimiter row does not match) is not a row a writer meant: a
                    // list marker, a stray word. Padding it made it one.
                    if other.len() < widest && !other.pipes.is_empty() {
                        edits.push(extend_row_edit(
                            other,
                            &vec![String::new(); widest - other.len()],
                        ));
                    }
                }
                let title = if add == 1 {
                    "Add a column to the header"
                } else {
                    "Add columns to the header"
                };
                Fix::alternative(title, edits)
            });
    }
}

/// An edit that appends `cells` to a row, after its last cell.
pub(crate) fn extend_row_edit(row: &Row, cells: &[String]) -> Edit {
    let rendered = pipe_row(cells);
    if row.trailing_pipe {
        // Insert after the closing pipe: "| a |" + " x |".
        Edit::insert(row.span.end, &rendered[1..])
    } else {
        // No closing pipe: "a | b" + " | x |" (the closing pipe keeps an empty last cell).
        let mut s = String::new();
        for c in cells {
            s.push_str(" | ");
            s.push_str(c);
        }
        s.push_str(" |");
        Edit::insert(row.span.end, s.replace("  |", " |"))
    }
}
