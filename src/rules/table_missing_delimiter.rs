//! Diagnostic: `table-missing-delimiter`.
//!
//! Two or more pipe rows with no delimiter row (`| --- | --- |`) under the first. In
//! Markdown they render as one run-on paragraph full of pipes. The range covers the
//! rows. Plain text has no renderer, so a pipe table without a delimiter row is fine there
//! and this rule stays silent.
//!
//! Fix: insert a delimiter row after the first row, with one cell per header cell.

use super::table::{line_break_at, pipe_row, Align};
use super::{BlockCtx, Check, Fix, Rule, Severity, Sink};
use crate::article::Format;
use crate::text::{Edit, Span, Text};

pub static RULE: Rule = Rule {
    id: "table-missing-delimiter",
    default_severity: Severity::Error,
    summary: "Pipe rows without a delimiter row render as one run-on paragraph",
    doc: include_str!("../../docs/rules/table-missing-delimiter.md"),
    check: Check::Block(check),
    options: &[],
};

fn check(ctx: &BlockCtx<'_>, out: &mut Sink<'_>) {
    let Some(t) = ctx.pipe_table() else { return };
    if t.delimiter.is_some() || ctx.format != Format::Markdown || t.rendered {
        return;
    }
    let Some(first_body) = t.body.first() else {
        return;
    };
    let n = t.columns();
    // Every line to the paragraph's end: they all become rows once the table is repaired.
    let last = t.body.last().unwrap_or(first_body);
    let span = Span::new(t.header.span.start, last.span.end.max(t.header.span.end));
    let rows = 1 + t.body.len();
    let message = format!(
        "These {rows} rows have no delimiter row (`| --- |`) under the first, so they render as one run-on paragraph"
    );
    out.report(span, message)
        .related(t.header.span, "This row becomes the header")
        .fix(|| {
            let cells = vec![Align::None.delimiter(3); n];
            let indent = &ctx.text[t.header.line_start..t.header.span.start];
            let header_end = t.header.span.end + trailing_ws(ctx.text, t.header.span.end);
            let new_text = format!(
                "{indent}{}{}",
                pipe_row(&cells),
                line_break_at(ctx.text, header_end)
            );
            Fix::safe(
                "Insert a delimiter row after the first row",
                vec![Edit::insert(first_body.line_start, new_text)],
            )
        });
}

fn trailing_ws(text: Text<'_>, from: usize) -> usize {
    text.from(from)
        .bytes()
        .take_while(|&b| b == b' ' || b == b'\t')
        .count()
}
