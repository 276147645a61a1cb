//! Diagnostic: `table-tsv` (Markdown only).
//!
//! Two or more tab-separated rows in a Markdown paragraph. Markdown has no tab tables:
//! the rows render as one run-on paragraph with the tabs turned into spaces. The range
//! covers the rows. It is a warning, not an information: what the reader sees is broken.
//! In plain text, tab-separated rows are a fine table and this rule stays silent.
//!
//! Fix: convert the rows to a pipe table (first row as the header, short rows padded).

use super::table::{block_lines, escape_cell, has_inner_tab, line_break_at, render_table, Align};
use super::{BlockCtx, Check, Fix, Rule, Severity, Sink};
use crate::article::{Block, BlockKind, Format};
use crate::text::{Edit, Line, Span, Text};

pub static RULE: Rule = Rule {
    id: "table-tsv",
    default_severity: Severity::Warning,
    summary: "Tab-separated rows in Markdown render as one run-on paragraph",
    doc: include_str!("../../docs/rules/table-tsv.md"),
    check: Check::Block(check),
    options: &[],
};

/// Runs of at least two consecutive lines with inner tabs in a Markdown paragraph.
pub(crate) fn markdown_runs<'a>(text: Text<'a>, b: Block) -> Vec<Vec<Line<'a>>> {
    let mut runs = Vec::new();
    if memchr::memchr(b'\t', text[b.span.range()].as_bytes()).is_none() {
        return runs;
    }
    let mut cur: Vec<Line<'_>> = Vec::new();
    for l in block_lines(text, b.span) {
        if has_inner_tab(l.text) && !l.text.contains('|') {
            cur.push(l);
        } else {
            if cur.len() >= 2 {
                runs.push(std::mem::take(&mut cur));
            }
            cur.clear();
        }
    }
    if cur.len() >= 2 {
        runs.push(cur);
    }
    runs
}

fn check(ctx: &BlockCtx<'_>, out: &mut Sink<'_>) {
    let b = ctx.block();
    if ctx.format != Format::Markdown || b.kind != BlockKind::Paragraph {
        return;
    }
    for run in markdown_runs(ctx.text, b) {
        let first = &run[0];
        let last = &run[run.len() - 1];
        let lead = first.text.len() - first.text.trim_start().len();
        let span = Span::new(first.start + lead, last.start + last.text.trim_end().len());
        let message = format!(
            "These {} tab-separated rows render as one run-on paragraph: Markdown has no tab-separated tables",
            run.len()
        );
        out.report(span, message)
            .fix(|| convert_fix(ctx.text, &run, b));
    }
}

/// "Convert to a pipe table" for a run of tab-separated lines inside block `b`.
pub(crate) fn convert_fix(text: Text<'_>, run: &[Line<'_>], b: Block) -> Fix {
    let mut rows: Vec<Vec<String>> = run
        .iter()
        .map(|l| {
            l.text
                .trim_start_matches([' ', '\t'])
                .trim_end()
                .split('\t')
                .map(|c| escape_cell(c.trim()))
                .collect()
        })
        .collect();
    let width = rows.iter().map(Vec::len).max().unwrap_or(1);
    for r in &mut rows {
        r.resize(width, String::new());
    }
    // Columns that are empty in every row (trailing tabs) are dropped.
    let keep: Vec<usize> = (0..width)
        .filter(|&c| rows.iter().any(|r| !r[c].is_empty()))
        .collect();
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| keep.iter().map(|&c| r[c].clone()).collect())
        .collect();
    let aligns = vec![Align::None; keep.len()];
    let brk = line_break_at(text, run[0].end());
    let mut new_text = render_table(&rows, &aligns).join(brk);
    let last = &run[run.len() - 1];
    // A table runs on into the next line of the paragraph: end it with a blank line.
    if last.end() < b.span.end {
        new_text.push_str(brk);
    }
    // A table cannot start in the middle of a lazy list continuation; it can interrupt a
    // paragraph, so nothing is needed before it.
    Fix::safe(
        "Convert to a pipe table",
        vec![Edit::new(Span::new(run[0].start, last.end()), new_text)],
    )
}
