//! Diagnostic: `table-delimiter-mismatch`.
//!
//! The header row and the delimiter row under it have different cell counts. GFM then
//! does not recognise a table at all: the whole block renders as one run-on paragraph
//! of pipes and dashes. The range covers the delimiter row.
//!
//! Fix: rewrite the delimiter row with one cell per header cell, keeping the alignment
//! of the cells that were there.

use super::table::{alignments, pipe_row, valid_delimiter_cell, Align, Row};
use super::{BlockCtx, Check, Fix, Rule, Severity, Sink};
use crate::article::Format;
use crate::text::{Edit, Text};

pub static RULE: Rule = Rule {
    id: "table-delimiter-mismatch",
    default_severity: Severity::Error,
    summary: "The header and delimiter rows have different cell counts, so no table is rendered",
    doc: include_str!("../../docs/rules/table-delimiter-mismatch.md"),
    check: Check::Block(check),
    options: &[],
};

fn check(ctx: &BlockCtx<'_>, out: &mut Sink<'_>) {
    let Some(t) = ctx.pipe_table() else { return };
    let Some(d) = &t.delimiter else { return };
    let n = t.columns();
    // A malformed cell is the first thing GFM rejects: `table-bad-delimiter` reports the
    // row then, and its fix rewrites the whole row.
    if t.rendered || d.len() == n || n == 0 || has_bad_cell(ctx.text, d) {
        return;
    }
    let consequence = match ctx.format {
        Format::Markdown => {
            "; the table is not rendered and its rows run together as one paragraph"
        }
        Format::PlainText => "",
    };
    let message = format!(
        "The header row has {n} cells but the delimiter row under it has {}{consequence}",
        d.len()
    );
    out.report(d.span, message)
        .related(t.header.span, format!("The header row has {n} cells"))
        .fix(|| {
            Fix::safe(
                format!("Rewrite the delimiter row with {n} cells"),
                vec![Edit::new(d.span, delimiter_row(ctx.text, d, n))],
            )
        });
}

/// A delimiter row of `n` cells, keeping the alignments of `d`'s cells in order.
pub(crate) fn delimiter_row(text: Text<'_>, d: &Row, n: usize) -> String {
    let mut aligns = alignments(text, d);
    aligns.resize(n, Align::None);
    let cells: Vec<String> = aligns.iter().map(|a| a.delimiter(3)).collect();
    pipe_row(&cells)
}

/// Does the delimiter row hold a cell that is not a valid delimiter cell?
pub(crate) fn has_bad_cell(text: Text<'_>, d: &Row) -> bool {
    d.cells.iter().any(|c| {
        let s = &text[c.content.range()];
        !s.is_empty() && valid_delimiter_cell(s).is_none()
    })
}
