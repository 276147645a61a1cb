//! Diagnostic: `lede-too-long`.
//!
//! A lede (the first paragraph of the story, its dateline not counted) longer than the
//! desk's limit: `max-words` under `[rules.lede-too-long]`, 50 by default. Long ledes bury
//! the news; wire style keeps them to one sentence of 25 to 35 words.
//!
//! No fix: cutting a lede is writing.

use super::{Check, DocCtx, OptionKind, Rule, RuleOption, Severity, Sink};
use crate::article::anatomy::{dateline, header_parts, PartKind};
use crate::text::rope_slice;

pub static RULE: Rule = Rule {
    id: "lede-too-long",
    default_severity: Severity::Warning,
    summary: "The lede is longer than the desk's limit (50 words by default)",
    doc: include_str!("../../docs/rules/lede-too-long.md"),
    check: Check::Document(check),
    options: &[RuleOption {
        key: "max-words",
        kind: OptionKind::Count,
        help: "a whole number of words, e.g. 35",
    }],
};

pub const DEFAULT_MAX_WORDS: usize = 50;

fn check(ctx: &DocCtx<'_>, out: &mut Sink<'_>) {
    let max = ctx
        .config
        .count(RULE.id, "max-words")
        .unwrap_or(DEFAULT_MAX_WORDS);
    let Some(lede) = header_parts(ctx.article, ctx.rope)
        .into_iter()
        .find(|p| p.kind == PartKind::Lede)
    else {
        return;
    };
    let text = rope_slice(ctx.rope, lede.span);
    let body = match dateline(&text) {
        Some(d) => &text[d.len..],
        None => &text[..],
    };
    let words = body.split_whitespace().count();
    if words > max {
        out.report(
            lede.span,
            format!("The lede runs to {words} words; the desk's limit is {max}"),
        );
    }
}
