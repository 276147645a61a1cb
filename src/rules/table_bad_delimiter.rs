//! Diagnostic: `table-bad-delimiter`.
//!
//! Cells of the delimiter row that are not `---`, `:---`, `---:` or `:---:` (for example
//! `--:-`, `:--:-`, `==`, `-- -`). GFM then does not render the table: its rows become one
//! paragraph of pipes. One diagnostic per delimiter row, from the first malformed cell to
//! the last (related information points at each when there are several). When the row
//! also has the wrong number of cells, this is still the one diagnostic (GFM rejects the
//! cell before it counts cells); the message says so and `table-delimiter-mismatch` stays
//! silent.
//!
//! Fix: normalise the cells, keeping the alignment each most likely meant (a colon near
//! the start means left, near the end right, both centre); with a wrong count, rewrite
//! the row with one cell per header cell.

use super::table::{meant_alignment, valid_delimiter_cell};
use super::table_delimiter_mismatch::delimiter_row;
use super::{BlockCtx, Check, Fix, Rule, Severity, Sink};
use crate::article::Format;
use crate::text::{Edit, Span};

pub static RULE: Rule = Rule {
    id: "table-bad-delimiter",
    default_severity: Severity::Error,
    summary: "A delimiter-row cell is malformed (`--:-`, `==`, `-- -`), so no table is rendered",
    doc: include_str!("../../docs/rules/table-bad-delimiter.md"),
    check: Check::Block(check),
    options: &[],
};

fn check(ctx: &BlockCtx<'_>, out: &mut Sink<'_>) {
    let Some(t) = ctx.pipe_table() else { return };
    let Some(d) = &t.delimiter else { return };
    if t.rendered {
        return;
    }
    // With the wrong number of cells too, this is still the one diagnostic for the row
    // (GFM rejects the cell before it counts): it says so, and its fix rewrites the row.
    let n = t.columns();
    let miscounted = n != 0 && d.len() != n;
    let bad: Vec<Span> = d
        .cells
        .iter()
        .map(|c| c.content)
        .filter(|&c| {
            let s = &ctx.text[c.range()];
            !s.is_empty() && valid_delimiter_cell(s).is_none()
        })
        .collect();
    let (Some(first), Some(last)) = (bad.first(), bad.last()) else {
        return;
    };
    let consequence = match ctx.format {
        Format::Markdown => ": the table is not rendered",
        Format::PlainText => "",
    };
    let quoted: Vec<String> = bad
        .iter()
        .map(|&c| format!("`{}`", &ctx.text[c.range()]))
        .collect();
    let message = match quoted.as_slice() {
        [one] => format!(
            "{one} is not a valid delimiter cell (use `---`, `:---`, `---:` or `:---:`){consequence}"
        ),
        [init @ .., last] => format!(
            "{} and {last} are not valid delimiter cells (use `---`, `:---`, `---:` or `:---:`){consequence}",
            init.join(", ")
        ),
        [] => unreachable!("at least one bad cell"),
    };
    let message = if miscounted {
        format!(
            "{message}; the delimiter row also has {} cells where the header has {n}",
            d.len()
        )
    } else {
        message
    };
    let mut report = out.report(Span::new(first.start, last.end), message);
    if bad.len() > 1 {
        for &c in &bad {
            report = report.related(c, "Not a valid delimiter cell");
        }
    }
    if miscounted {
        report.related(t.header.span, format!("The header row has {n} cells")).fix(|| {
            Fix::safe(
                format!("Rewrite the delimiter row with {n} cells"),
                vec![Edit::new(d.span, delimiter_row(ctx.text, d, n))],
            )
        });
        return;
    }
    report.fix(|| {
        let edits: Vec<Edit> = bad
            .iter()
            .map(|&c| {
                let s = &ctx.text[c.range()];
                Edit::new(c, meant_alignment(s).delimiter(s.chars().count()))
            })
            .collect();
        let title = match edits.as_slice() {
            [one] => format!("Replace with `{}`", one.new_text),
            _ => "Normalise the delimiter cells".to_string(),
        };
        Fix::safe(title, edits)
    });
}
