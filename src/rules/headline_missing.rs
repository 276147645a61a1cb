//! Diagnostic: `headline-missing`.
//!
//! An article with no headline: in Markdown, no `#` heading and no `title` in the front
//! matter; in plain text, a first line that is not a headline (a sentence ending in a
//! full stop, a dateline opening the lede, or a paragraph of more than 30 words). An
//! empty document is not flagged: nothing has been written yet.
//!
//! No fix: the headline is the writer's.

use super::structure::first_line;
use super::{Check, DocCtx, Rule, Severity, Sink};
use crate::article::{anatomy, Format};
use crate::text::rope_slice;

pub static RULE: Rule = Rule {
    id: "headline-missing",
    default_severity: Severity::Error,
    summary: "The article has no headline",
    doc: include_str!("../../docs/rules/headline-missing.md"),
    check: Check::Document(check),
    options: &[],
};

/// Longest plain-text first line that can still be a headline.
const MAX_HEADLINE_WORDS: usize = 30;

fn check(ctx: &DocCtx<'_>, out: &mut Sink<'_>) {
    let a = ctx.article;
    let Some(first) = a.blocks().next() else {
        return;
    };
    match a.format() {
        Format::Markdown => {
            let has_title = a.front_matter().is_some_and(|fm| fm.title.is_some());
            if has_title || a.heading_chunks().any(|c| c.marks.has(1)) {
                return;
            }
            out.report(
                first_line(ctx.rope, first),
                "The article has no headline: no `#` heading and no `title` in the front matter",
            );
        }
        Format::PlainText => {
            let line = first_line(ctx.rope, first);
            let text = rope_slice(ctx.rope, line);
            let t = text.trim();
            let why = if anatomy::dateline(t).is_some() {
                Some("it opens with a dateline, like a lede")
            } else if t.split_whitespace().count() > MAX_HEADLINE_WORDS {
                Some("it is a paragraph, not a headline")
            } else if ends_like_a_sentence(t) {
                Some("it ends like a sentence")
            } else {
                None
            };
            if let Some(why) = why {
                out.report(line, format!("The article has no headline: the first line cannot be one ({why})"));
            }
        }
    }
}

/// A full stop after a lower-case word (`…said.`), not after an abbreviation (`U.S.`) or
/// an ellipsis.
fn ends_like_a_sentence(t: &str) -> bool {
    let Some(last) = t.split_whitespace().next_back() else {
        return false;
    };
    let Some(word) = last.strip_suffix('.') else {
        return false;
    };
    !word.contains('.') && word.chars().count() >= 2 && word.chars().all(|c| !c.is_uppercase())
}

#[cfg(test)]
mod tests {
    #[test]
    fn sentences_and_abbreviations() {
        assert!(super::ends_like_a_sentence("The port reopened on Friday, officials said."));
        assert!(!super::ends_like_a_sentence("Talks stall with U.S."));
        assert!(!super::ends_like_a_sentence("تنويه رسمي.. بوتين"));
    }
}
