//! Diagnostic: `dateline-format`.
//!
//! A dateline that does not match the newsroom's pattern (`pattern = '…'` under
//! `[rules.dateline-format]`, a regular expression matched against the dateline as
//! written, e.g. `^[A-Z]+(, [A-Z][a-z]+)? \(Reuters\) —$`). Silent until a pattern is
//! configured. Datelines are found as the outline finds them: on a line of their own, or
//! opening the lede.
//!
//! No fix: the right form depends on the place and the agency.

use super::{Check, DocCtx, OptionKind, Rule, RuleOption, Severity, Sink};
use crate::article::anatomy::{header_parts, PartKind};
use crate::text::rope_slice;

pub static RULE: Rule = Rule {
    id: "dateline-format",
    default_severity: Severity::Warning,
    summary: "The dateline does not follow the newsroom's pattern",
    doc: include_str!("../../docs/rules/dateline-format.md"),
    check: Check::Document(check),
    options: &[RuleOption {
        key: "pattern",
        kind: OptionKind::Pattern,
        help: "a regular expression, e.g. '^[A-Z]+ \\(Reuters\\) —$'",
    }],
};

fn check(ctx: &DocCtx<'_>, out: &mut Sink<'_>) {
    let Some(pattern) = ctx.config.pattern(RULE.id, "pattern") else {
        return;
    };
    for part in header_parts(ctx.article, ctx.rope) {
        if part.kind != PartKind::Dateline {
            continue;
        }
        let text = rope_slice(ctx.rope, part.span);
        let first = text.lines().next().unwrap_or("").trim();
        if !pattern.is_match(first) {
            out.report(
                part.span,
                format!("This dateline does not follow the newsroom's pattern `{}`", pattern.as_str()),
            );
        }
    }
}
