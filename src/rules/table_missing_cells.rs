//! Diagnostic: `table-missing-cells`.
//!
//! A body row with fewer cells than the header. Renderers pad it with empty cells, which
//! usually means a value went missing or two values were run together. The range covers
//! the row.
//!
//! Fix: pad the row with empty cells.

use super::candidates::PipeTable;
use super::table_extra_cells::extend_row_edit;
use super::{Ctx, Finding, RuleMeta, Severity};

pub const META: RuleMeta = RuleMeta {
    id: "table-missing-cells",
    default_severity: Severity::Warning,
    summary: "A table row has fewer cells than the header; the renderer pads it with empty cells",
};

pub(crate) fn check(_ctx: &Ctx<'_>, t: &PipeTable, out: &mut Vec<Finding>) {
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
        let f = Finding::new(&META, row.span, message)
            .related(t.header.span, format!("The header row has {n} cells"))
            .fix(
                "Pad the row with empty cells",
                vec![extend_row_edit(row, &vec![String::new(); missing])],
                true,
            );
        out.push(f);
    }
}
