//! Diagnostic: `headline-multiple`.
//!
//! More than one level-1 heading in a Markdown article: one story, one headline. Every
//! `#` heading after the first is flagged; related information points at the first.
//!
//! Fix: for an ATX heading, make it a section (`##`).

use super::structure::atx_marker;
use super::{Check, DocCtx, Fix, Rule, Severity, Sink};
use crate::article::Format;
use crate::text::Edit;

pub static RULE: Rule = Rule {
    id: "headline-multiple",
    default_severity: Severity::Warning,
    summary: "The article has more than one headline (level-1 heading)",
    doc: include_str!("../../docs/rules/headline-multiple.md"),
    check: Check::Document(check),
    options: &[],
};

fn check(ctx: &DocCtx<'_>, out: &mut Sink<'_>) {
    if ctx.article.format() != Format::Markdown {
        return;
    }
    let mut first = None;
    // Only chunks of the article that hold a level-1 heading are read.
    for chunk in ctx.article.heading_chunks().filter(|c| c.marks.has(1)) {
        for (level, b) in chunk.headings() {
            if level != 1 {
                continue;
            }
            let Some((_, title)) = b.heading() else { continue };
            let span = if title.is_empty() { b.span } else { title };
            match first {
                None => first = Some(span),
                Some(f) => {
                    let marker = atx_marker(ctx.rope, b);
                    let report = out
                        .report(span, "A second headline: an article has one level-1 heading")
                        .related(f, "The first headline");
                    if let Some(m) = marker {
                        report.fix(|| Fix::preferred("Make it a section (`##`)", vec![Edit::new(m, "##")]));
                    }
                }
            }
        }
    }
}
