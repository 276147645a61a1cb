//! Diagnostic: `table-bad-delimiter`.
//!
//! A cell of the delimiter row that is not `---`, `:---`, `---:` or `:---:` (for example
//! `--:-`, `==`, `-- -`). GFM then does not recognise the table. The range covers the
//! malformed cell.
//!
//! Fix: normalise the cell, keeping the alignment it most likely meant (a colon near the
//! start means left, near the end right, both centre).

use super::candidates::PipeTable;
use super::table::{meant_alignment, valid_delimiter_cell};
use super::{Ctx, Edit, Finding, RuleMeta, Severity};
use crate::article::Format;

pub const META: RuleMeta = RuleMeta {
    id: "table-bad-delimiter",
    default_severity: Severity::Error,
    summary: "A delimiter-row cell is malformed (`--:-`, `==`, `-- -`), so no table is rendered",
};

pub(crate) fn check(ctx: &Ctx<'_>, t: &PipeTable, out: &mut Vec<Finding>) {
    let Some(d) = &t.delimiter else { return };
    if t.rendered {
        return;
    }
    let consequence = match ctx.format {
        Format::Markdown => ": the table is not rendered",
        Format::PlainText => "",
    };
    for cell in &d.cells {
        let s = &ctx.text[cell.content.range()];
        if s.is_empty() || valid_delimiter_cell(s).is_some() {
            continue;
        }
        let align = meant_alignment(s);
        let normal = align.delimiter(s.chars().count());
        let message = format!(
            "`{s}` is not a valid delimiter cell (use `---`, `:---`, `---:` or `:---:`){consequence}"
        );
        let f = Finding::new(&META, cell.content, message).fix(
            format!("Replace with `{normal}`"),
            vec![Edit {
                span: cell.content,
                new_text: normal,
            }],
            true,
        );
        out.push(f);
    }
}
