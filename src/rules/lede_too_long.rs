//! Diagnostic: `lede-too-long`.
//!
//! A lede longer than the desk's limit: `max-words` under `[rules.lede-too-long]`, 50 by
//! default. The lede is the first sentence of the story's first paragraph, its dateline
//! not counted. Long ledes bury the news; wire style keeps them to one sentence of 25 to
//! 35 words.
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
    let words = first_sentence(body).split_whitespace().count();
    if words > max {
        out.report(
            lede.span,
            format!("The lede runs to {words} words; the desk's limit is {max}"),
        );
    }
}

/// The text up to the first sentence end (`.`, `!`, `?`, `؟` before a space or the end,
/// not after an initial or an abbreviation of one or two letters such as `U.S.`).
fn first_sentence(text: &str) -> &str {
    let mut prev_word_start = 0;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            prev_word_start = i + c.len_utf8();
            continue;
        }
        if matches!(c, '.' | '!' | '?' | '؟') {
            let after = &text[i + c.len_utf8()..];
            let ends = after.is_empty() || after.starts_with(char::is_whitespace);
            let word = &text[prev_word_start..i];
            let abbreviation = c == '.' && word.chars().filter(|c| c.is_alphabetic()).count() <= 2
                && word.chars().next().is_some_and(char::is_uppercase);
            if ends && !abbreviation {
                return &text[..i + c.len_utf8()];
            }
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::first_sentence;

    #[test]
    fn the_first_sentence() {
        assert_eq!(first_sentence("The U.S. said no. Then it left."), "The U.S. said no.");
        assert_eq!(first_sentence("قالت الحكومة إنها ستعلن. ثم"), "قالت الحكومة إنها ستعلن.");
        assert_eq!(first_sentence("No end"), "No end");
        assert_eq!(first_sentence("Version 2.5 shipped. Then"), "Version 2.5 shipped.");
    }
}
