//! Diagnostic: `section-empty`.
//!
//! A section heading with nothing under it: the next block is a heading of the same or a
//! higher level, or the article ends. A reader sees a subhead over nothing. A heading
//! followed by its own subsections (`##` then `###`) is not empty.
//!
//! No fix: the section needs its text, or the heading has to go.

use super::{BlockCtx, Check, Rule, Severity, Sink};

pub static RULE: Rule = Rule {
    id: "section-empty",
    default_severity: Severity::Warning,
    summary: "A section heading has no text under it",
    doc: include_str!("../../docs/rules/section-empty.md"),
    check: Check::Block(check),
    options: &[],
};

fn check(ctx: &BlockCtx<'_>, out: &mut Sink<'_>) {
    let Some((level, title)) = ctx.block().heading() else {
        return;
    };
    if level < 2 {
        return;
    }
    let next = ctx.blocks.get(ctx.i + 1);
    let empty = match next.and_then(|n| n.heading()) {
        Some((next_level, _)) => next_level <= level,
        None => next.is_none(),
    };
    if empty {
        let span = if title.is_empty() { ctx.block().span } else { title };
        if span.is_empty() {
            return;
        }
        let what = if next.is_some() {
            "the next heading follows at once"
        } else {
            "the article ends here"
        };
        out.report(span, format!("This section has no text: {what}"));
    }
}
