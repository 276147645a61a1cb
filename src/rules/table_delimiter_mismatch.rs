//! Diagnostic: `table-delimiter-mismatch`.
//!
//! The header row and the delimiter row under it have different cell counts. GFM then
//! does not recognise a table at all: the whole block renders as one run-on paragraph
//! of pipes and dashes. The range covers the delimiter row.
//!
//! Fix: rewrite the delimiter row with one cell per header cell, keeping the alignment
//! of the cells that were there.

use super::candidates::PipeTable;
use super::table::{alignments, pipe_row, Align};
use super::{Ctx, Edit, Finding, RuleMeta, Severity};
use crate::article::Format;

pub const META: RuleMeta = RuleMeta {
    id: "table-delimiter-mismatch",
    default_severity: Severity::Error,
    summary: "The header and delimiter rows have different cell counts, so no table is rendered",
};

pub(crate) fn check(ctx: &Ctx<'_>, t: &PipeTable, out: &mut Vec<Finding>) {
    let Some(d) = &t.delimiter else { return };
    let n = t.columns();
    if t.rendered || d.len() == n || n == 0 {
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
    let fixed = delimiter_row(ctx.text, d, n);
    let f = Finding::new(&META, d.span, message)
        .related(t.header.span, format!("The header row has {n} cells"))
        .fix(
            format!("Rewrite the delimiter row with {n} cells"),
            vec![Edit {
                span: d.span,
                new_text: fixed,
            }],
            true,
        );
    out.push(f);
}

/// A delimiter row of `n` cells, keeping the alignments of `d`'s cells in order.
pub(crate) fn delimiter_row(text: &str, d: &super::table::Row, n: usize) -> String {
    let mut aligns = alignments(text, d);
    aligns.resize(n, Align::None);
    let cells: Vec<String> = aligns.iter().map(|a| a.delimiter(3)).collect();
    pipe_row(&cells)
}
