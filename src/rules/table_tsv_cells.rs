//! Diagnostic: `table-tsv-cells`.
//!
//! Tab-separated rows (plain text, or pasted into Markdown) whose cell counts disagree
//! with the first row's: a value is missing, or two got an extra tab between them. Runs
//! of tabs used to line columns up are allowed: a row is flagged only when it disagrees
//! both counting every tab and counting runs of tabs as one. The range covers the row.
//!
//! Fixes: in plain text, pad the row with tabs or drop the cells past the first row's
//! count; in Markdown, convert the block to a pipe table (see `table-tsv`).

use super::table::{block_lines, has_inner_tab, tsv_counts};
use super::table_tsv::{convert_fix, markdown_runs};
use super::{BlockCtx, Check, Fix, Rule, Severity, Sink};
use crate::article::{BlockKind, Format, TableKind};
use crate::text::{Edit, Line, Span};

pub static RULE: Rule = Rule {
    id: "table-tsv-cells",
    default_severity: Severity::Warning,
    summary: "Tab-separated rows have different numbers of cells",
    doc: include_str!("../../docs/rules/table-tsv-cells.md"),
    check: Check::Block(check),
    options: &[],
};

fn check(ctx: &BlockCtx<'_>, out: &mut Sink<'_>) {
    let b = ctx.block();
    match (ctx.format, b.kind) {
        (Format::PlainText, BlockKind::Table(TableKind::Tsv)) => {
            let lines = block_lines(ctx.text, b.span);
            if lines.iter().all(|l| has_inner_tab(l.text)) {
                check_run(ctx, &lines, false, out);
            }
        }
        (Format::Markdown, BlockKind::Paragraph) => {
            for run in markdown_runs(ctx.text, b) {
                check_run(ctx, &run, true, out);
            }
        }
        _ => {}
    }
}

fn content_span(l: &Line<'_>) -> Span {
    let lead = l.text.len() - l.text.trim_start().len();
    Span::new(l.start + lead, l.start + l.text.trim_end().len())
}

fn check_run(ctx: &BlockCtx<'_>, lines: &[Line<'_>], markdown: bool, out: &mut Sink<'_>) {
    let Some((head, rest)) = lines.split_first() else {
        return;
    };
    let (raw_h, col_h) = tsv_counts(head.text);
    for l in rest {
        let (raw, col) = tsv_counts(l.text);
        if raw == raw_h || col == col_h {
            continue;
        }
        let span = content_span(l);
        let message =
            format!("This row has {raw} tab-separated cells but the first row has {raw_h}");
        let report = out.report(span, message).related(
            content_span(head),
            format!("The first row has {raw_h} cells"),
        );
        if markdown {
            report.fix(|| convert_fix(ctx.text, lines, ctx.block()));
        } else if raw < raw_h {
            report.fix(|| {
                Fix::safe(
                    "Pad the row with empty cells",
                    vec![Edit::insert(span.end, "\t".repeat(raw_h - raw))],
                )
            });
        } else {
            // Cut from the tab that opens the first extra cell.
            let t = l.text.trim_start_matches([' ', '\t']);
            let lead = l.text.len() - t.len();
            let cut = t
                .match_indices('\t')
                .nth(raw_h - 1)
                .map(|(i, _)| l.start + lead + i);
            // Only when the row keeps a tab between two pieces of text: otherwise it would
            // stop being a row of the table at all.
            let cut = cut.filter(|&c| has_inner_tab(&l.text[..c - l.start]));
            if let Some(cut) = cut {
                report.fix(|| {
                    Fix::alternative(
                        "Drop the extra cells",
                        vec![Edit::new(Span::new(cut, l.end()), "")],
                    )
                });
            }
        }
    }
}
