//! Diagnostic: `heading-level-skip`.
//!
//! A Markdown heading more than one level below the heading before it (`#` then `###`):
//! the outline jumps a level, screen readers announce a missing one, and many templates
//! style it wrongly. The first heading sets the level.
//!
//! Fix: for an ATX heading, use the level one below the previous heading (`##`).

use super::structure::atx_marker;
use super::{Check, DocCtx, Fix, Rule, Severity, Sink};
use crate::article::{Block, Format};
use crate::text::Edit;

pub static RULE: Rule = Rule {
    id: "heading-level-skip",
    default_severity: Severity::Warning,
    summary: "A heading skips a level (`#` then `###`)",
    doc: include_str!("../../docs/rules/heading-level-skip.md"),
    check: Check::Document(check),
    options: &[],
};

fn check(ctx: &DocCtx<'_>, out: &mut Sink<'_>) {
    if ctx.article.format() != Format::Markdown {
        return;
    }
    let mut prev: Option<u8> = None;
    for chunk in ctx.article.heading_chunks() {
        let m = chunk.marks;
        // Only chunks where the outline goes down more than one level are read: from the
        // heading before them into their first, or between two of their own.
        if prev.is_some_and(|p| m.first > p + 1) || m.deepest_step > 1 {
            for (level, b) in chunk.headings() {
                if let Some(p) = prev {
                    if level > p + 1 {
                        skipped(ctx, out, b, level, p);
                    }
                }
                prev = Some(level);
            }
        }
        prev = Some(m.last);
    }
}

fn skipped(ctx: &DocCtx<'_>, out: &mut Sink<'_>, b: Block, level: u8, p: u8) {
    let marker = atx_marker(ctx.rope, b);
    let span = marker.unwrap_or(b.span);
    let report = out.report(
        span,
        format!("A level-{level} heading right under a level-{p} one: the outline skips level {}", p + 1),
    );
    if let Some(m) = marker {
        let want = p + 1;
        report.fix(|| {
            Fix::preferred(
                format!("Make it a level-{want} heading"),
                vec![Edit::new(m, "#".repeat(want as usize))],
            )
        });
    }
}
