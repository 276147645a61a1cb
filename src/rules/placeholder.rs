//! Diagnostic: `placeholder`.
//!
//! Copy that still holds a placeholder for a fact to come: `TK` (and `TKTK`), `XX` (and
//! longer runs of capital X), `[[…]]`, `???` (or `؟؟؟`), `<INSERT …>`. Published, it
//! tells every reader the story was not finished. An error by default. Inline code spans,
//! code blocks and HTML blocks are not searched; a run of X that is a Roman numeral after
//! a name or before "century" (`Pius XX`, `XX century`) is left alone.
//!
//! No fix: the missing fact has to come from the writer.

use std::sync::LazyLock;

use regex::Regex;

use super::{BlockCtx, Check, Rule, Severity, Sink};
use crate::text::Span;

pub static RULE: Rule = Rule {
    id: "placeholder",
    default_severity: Severity::Error,
    summary: "A placeholder for a missing fact is left in the copy (`TK`, `XX`, `[[…]]`, `???`, `<INSERT>`)",
    doc: include_str!("../../docs/rules/placeholder.md"),
    check: Check::Block(check),
    options: &[],
};

static PATTERN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bTK(?:TK)*\b|\bX{2,}\b|\[\[[^\[\]\n]{0,200}\]\]|\?{3,}|؟{3,}|<\s*(?i:insert)\b[^<>\n]{0,100}>")
        .expect("valid regex")
});

/// Whether `line` holds a pair of bytes every match of [`PATTERN`] holds (`TK`, `XX`,
/// `[[`, `???`, `؟؟؟`, `<`): two vectorised passes for their rarer bytes, each hit checked
/// against its neighbours. Most lines have none (a `K` or an `X` in a name is not a
/// placeholder), and the regex, with its Unicode word boundaries, is not run on them.
pub(super) fn candidate(line: &str) -> bool {
    let b = line.as_bytes();
    let at = |i: usize, pair: &[u8]| b.get(i..i + pair.len()) == Some(pair);
    memchr::memchr3_iter(b'K', b'X', b'[', b).any(|i| match b[i] {
        b'K' => i > 0 && b[i - 1] == b'T',
        b'X' => at(i + 1, b"X"),
        _ => at(i + 1, b"["),
    }) || memchr::memchr3_iter(b'?', b'<', 0x9F, b).any(|i| match b[i] {
        b'?' => at(i + 1, b"??"),
        b'<' => true,
        // The second byte of `؟` (D8 9F), followed by two more.
        _ => i > 0 && b[i - 1] == 0xD8 && at(i + 1, "؟؟".as_bytes()),
    })
}

/// Compiles the patterns ahead of the first check (the server does it while idle).
pub fn prepare() {
    LazyLock::force(&PATTERN);
}

/// Words before which a run of X is a Roman numeral, not a placeholder.
const NUMERAL_AFTER: &[&str] = &["king", "pope", "pius", "leo", "louis", "bowl", "olympiad"];

fn roman_numeral(line: &str, at: usize, end: usize) -> bool {
    let before = line[..at].split_whitespace().next_back().unwrap_or("");
    let after = line[end..].split_whitespace().next().unwrap_or("");
    NUMERAL_AFTER.contains(&before.to_lowercase().as_str())
        || after.to_lowercase().starts_with("century")
        || after.to_lowercase().starts_with("th ")
}

fn check(ctx: &BlockCtx<'_>, out: &mut Sink<'_>) {
    // Most blocks have no candidate at all: asked of the block once, not of each line (a
    // line's pairs of bytes are its block's too).
    if !ctx.batch.placeholders || !candidate(ctx.text.slice(ctx.block().span)) {
        return;
    }
    for &span in ctx.prose() {
        let line = ctx.text.slice(span);
        if !candidate(line) {
            continue;
        }
        for m in PATTERN.find_iter(line) {
            let found = m.as_str();
            if found.starts_with('X') && roman_numeral(line, m.start(), m.end()) {
                continue;
            }
            let meaning = match found.chars().next() {
                Some('T') => "a fact still to come",
                Some('X') => "a missing figure",
                Some('[') => "text still to be written",
                Some('?' | '؟') => "a fact still to check",
                _ => "text still to be inserted",
            };
            let shown: String = found.chars().take(40).collect();
            out.report(
                Span::new(span.start + m.start(), span.start + m.end()),
                format!("Placeholder `{shown}` left in the copy: {meaning}"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig {
            rng_seed: proptest::test_runner::RngSeed::Fixed(0x706c_6163_6568),
            failure_persistence: None,
            cases: 2048,
            ..ProptestConfig::default()
        })]

        /// The prefilter never turns away a line the pattern matches.
        #[test]
        fn the_prefilter_keeps_every_placeholder(
            line in "(TK|T|K|X|XX|x| |\\[|\\]|\\?|؟|<|>|insert|INSERT|a|ب|😀|\n){0,16}"
        ) {
            prop_assert!(!PATTERN.is_match(&line) || candidate(&line), "{:?}", line);
        }
    }

    #[test]
    fn names_with_k_or_x_are_not_candidates() {
        for no in ["Kyiv and Xi met", "a K b X", "[x] ?? ؟؟ K"] {
            assert!(!candidate(no), "{no}");
        }
        for yes in ["TK", "the XX", "[[who]]", "why???", "لماذا؟؟؟", "<insert>"] {
            assert!(candidate(yes) && PATTERN.is_match(yes), "{yes}");
        }
    }
}
