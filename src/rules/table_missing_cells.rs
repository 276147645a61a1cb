//! Diagnostic: `table-missing-cells`.
//!
//! A body row with fewer cells than the header. Renderers pad it with empty cells, which
//! usually means a value went missing or two values were run together. The range covers
//! the row.
//!
//! Fix: pad the row with empty cells.

use super::table_extra_cells::extend_row_edit;
use super::{BlockCtx, Check, Fix, Rule, Severity, Sink};

pub static RULE: Rule = Rule {
    id: "table-missing-cells",
    default_severity: Severity::Warning,
    summary: "A table row has fewer cells than the header; the renderer pads it with empty cells",
    doc: include_str!("../../docs/rules/table-missing-cells.md"),
    check: Check::Block(check),
    options: &[],
};

fn check(ctx: &BlockCtx<'_>, out: &mut Sink<'_>) {
    let Some(t) = ctx.pipe_table() else { return };
    let n = t.columns();
    for row in &t.body {
        if row.len() >= n || row.span.is_empty() {
            continue;
        }
        let missing = n - row.len();
        let message = if missing == 1 {
            format!(
                "This row has {} of the header's {n} cells: one cell is missing",
                row.len()
            )
        } else {
            format!(
                "This row has {} of the header's {n} cells: {missing} cells are missing",
                row.len()
            )
        };
        out.report(row.span, message)
            .related(t.header.span, format!("The header row has {n} cells"))
            .fix(|| {
                Fix::safe(
                    "Pad the row with empty cells",
                    vec![extend_row_edit(row, &vec![String::new(); missing])],
                )
            });
    }
}
