//! Diagnostic: `repeated-word`.
//!
//! The same word twice in a row (`the the`, `في في`): the commonest slip a copy desk
//! catches. Words are compared ignoring case. Left alone: numbers, one-letter words, a
//! repetition across punctuation (`no, no`), the few words English repeats on purpose
//! (`had had`, `that that`), a capitalised repeat (`Closed Closed` in a column of a
//! flattened table, a name), and Arabic adverbial repetition in the accusative with
//! tanween (`سطرًا سطرًا`, `رويدًا رويدًا`). Inline code spans are not read.
//!
//! Fix: remove the second word (applied by `newsls check --fix`).

use super::{BlockCtx, Check, Fix, Rule, Severity, Sink};
use crate::text::{Edit, Span};

pub static RULE: Rule = Rule {
    id: "repeated-word",
    default_severity: Severity::Warning,
    summary: "The same word twice in a row (`the the`)",
    doc: include_str!("../../docs/rules/repeated-word.md"),
    check: Check::Block(check),
    options: &[],
};

/// Words English doubles on purpose.
const DELIBERATE: &[&str] = &["had", "that", "bye", "no", "yes", "very", "so", "ha", "is"];

fn check(ctx: &BlockCtx<'_>, out: &mut Sink<'_>) {
    for &span in ctx.prose() {
        let line = ctx.text.slice(span);
        let mut prev: Option<(usize, &str)> = None;
        for (i, word) in words(line) {
            if let Some((pi, p)) = prev {
                // The cheap tests first: most neighbours differ in their first letter.
                if same_word(p, word)
                    && line.as_bytes()[pi + p.len()..i].iter().all(|&c| c == b' ')
                    && p.chars().nth(1).is_some()
                    && p.chars().all(char::is_alphabetic)
                    && !DELIBERATE.contains(&word.to_lowercase().as_str())
                    && !word.starts_with(char::is_uppercase)
                    && !adverbial(word)
                {
                    let at = Span::new(span.start + i, span.start + i + word.len());
                    let cut = Span::new(span.start + pi + p.len(), at.end);
                    out.report(at, format!("`{word}` twice in a row"))
                        .fix(|| Fix::safe(format!("Remove the second `{word}`"), vec![Edit::new(cut, "")]));
                }
            }
            prev = Some((i, word));
        }
    }
}

/// `a` and `b` are the same word but for case (`The the`), without lowercasing copies:
/// this runs on every pair of neighbouring words, and most differ in their first letter.
fn same_word(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (Some(x), Some(y)) = (a.chars().next(), b.chars().next()) else {
        return false;
    };
    if x.is_ascii() && y.is_ascii() {
        if !x.eq_ignore_ascii_case(&y) {
            return false;
        }
        if a.is_ascii() && b.is_ascii() {
            return a.eq_ignore_ascii_case(b);
        }
    }
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
}

/// An Arabic word in the accusative with tanween (`سطرًا`, `رويدًا`, `خطوةً`): repeated, it
/// is an adverb ("line by line"), not a slip.
fn adverbial(word: &str) -> bool {
    word.contains('\u{064B}')
}

/// Whether `c` is a letter or a digit: ASCII and the Arabic letters without Unicode's
/// tables (whose lookup for Arabic letters was a fifth of an Arabic article's check).
fn alphanumeric(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c, '\u{0621}'..='\u{064A}')
        || (!c.is_ascii() && c.is_alphanumeric())
}

/// Whether a space (by `char::is_whitespace`) starts at `i`, and its length. Every
/// non-ASCII space starts with one of four lead bytes; other characters are not decoded.
fn space_at(line: &str, i: usize) -> Option<usize> {
    match line.as_bytes()[i] {
        b' ' | b'\t'..=b'\r' => Some(1),
        0xC2 | 0xE1 | 0xE2 | 0xE3 => line[i..]
            .chars()
            .next()
            .filter(|c| c.is_whitespace())
            .map(char::len_utf8),
        _ => None,
    }
}

/// Bytes that may start a space (see [`space_at`]): ASCII below `!`, and the four lead
/// bytes of every non-ASCII space. Never a UTF-8 continuation byte.
fn may_be_space(c: u8) -> bool {
    c <= b' ' || matches!(c, 0xC2 | 0xE1 | 0xE2 | 0xE3)
}

/// The high bit of each byte of `x` (8 bytes of text in address order) that
/// [`may_be_space`], eight at a time; exact for the lowest such byte (the tricks below
/// can flag a byte above a flagged one wrongly, never one below).
fn space_flags(x: u64) -> u64 {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let zero = |v: u64| v.wrapping_sub(LO) & !v & HI;
    let below = x.wrapping_sub(LO * 0x21) & !x & HI;
    below
        | zero(x ^ (LO * 0xC2))
        | zero(x ^ (LO * 0xE1))
        | zero(x ^ (LO * 0xE2))
        | zero(x ^ (LO * 0xE3))
}

/// Where the word starting at `i` ends: the next space, or the end of the line. Most
/// of a line is words: this reads it eight bytes at a time.
fn word_end(line: &str, mut i: usize) -> usize {
    let b = line.as_bytes();
    loop {
        while let Some(chunk) = b.get(i..i + 8) {
            let flags = space_flags(u64::from_le_bytes(chunk.try_into().unwrap_or_default()));
            if flags != 0 {
                i += flags.trailing_zeros() as usize / 8;
                break;
            }
            i += 8;
        }
        // At a byte that may start a space, or within eight bytes of the end.
        while i < b.len() && !may_be_space(b[i]) {
            i += 1;
        }
        if i >= b.len() || space_at(line, i).is_some() {
            return i;
        }
        i += 1;
    }
}

/// Words of a line with their offsets; a word ends at whitespace, and punctuation at its
/// end belongs to the gap (so `no, no` is not a repetition).
fn words(line: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < line.len() {
            match space_at(line, i) {
                Some(n) => i += n,
                None => break,
            }
        }
        if i >= line.len() {
            return None;
        }
        let start = i;
        i = word_end(line, i);
        Some((start, &line[start..i]))
    })
    .map(|(i, w)| (i, w.trim_end_matches(|c: char| !alphanumeric(c))))
    .filter(|(_, w)| !w.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        // The same cases every run, as in `tests/fuzz.rs` (PROPTEST_CASES makes more).
        #![proptest_config(ProptestConfig {
            rng_seed: proptest::test_runner::RngSeed::Fixed(0x7265_7065_6174),
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        /// The scanner (eight bytes at a time) splits and trims as splitting on
        /// `char::is_whitespace` and trimming by characters does, whatever spaces,
        /// control characters and scripts a line mixes.
        #[test]
        fn words_are_what_unicode_whitespace_separates(
            line in "[ a-zA-Z0-9,.!?'\t\u{b}\u{c}\u{85}\u{a0}\u{1680}\u{2000}-\u{200b}\u{2028}\u{202f}\u{3000}\u{3001}\u{0}\u{1}\u{1f}—’“©«»Ḁ\u{2c65}éÉßİ\u{621}-\u{64b}ـ،؟😀\u{1d7d8}]{0,60}"
        ) {
            let mut want = Vec::new();
            let mut start = None;
            for (i, c) in line.char_indices().chain([(line.len(), ' ')]) {
                match (c.is_whitespace(), start) {
                    (true, Some(s)) => {
                        let w = line[s..i].trim_end_matches(|c: char| !alphanumeric(c));
                        if !w.is_empty() {
                            want.push((s, w));
                        }
                        start = None;
                    }
                    (false, None) => start = Some(i),
                    _ => {}
                }
            }
            let got: Vec<_> = words(&line).collect();
            prop_assert_eq!(got, want);
        }
    }

    #[test]
    fn words_keep_their_offsets() {
        let got: Vec<_> = words("the  the, cat").collect();
        assert_eq!(got, [(0, "the"), (5, "the"), (10, "cat")]);
        assert!(adverbial("سطرًا") && !adverbial("في"));
        let got: Vec<_> = words("في\u{a0}في").collect();
        assert_eq!(got, [(0, "في"), (6, "في")]);
        assert!(same_word("The", "the") && same_word("ÉTÉ", "été") && same_word("في", "في"));
        assert!(!same_word("the", "then") && !same_word("في", "من"));
    }
}
