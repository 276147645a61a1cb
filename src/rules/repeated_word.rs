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
                let gap = &line[pi + p.len()..i];
                // The cheap tests first: most neighbours differ in their first letter.
                if same_word(p, word)
                    && gap.bytes().all(|c| c == b' ')
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

/// An Arabic word in the accusative with tanween (`سطرًا`, `رويدًا`, `خطوةً`): repeated, it
/// is an adverb ("line by line"), not a slip.
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

fn adverbial(word: &str) -> bool {
    word.contains('\u{064B}')
}

/// Words of a line with their offsets; a word ends at whitespace, and punctuation at its
/// end belongs to the gap (so `no, no` is not a repetition).
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

/// The length of the UTF-8 sequence a lead byte starts.
fn width(lead: u8) -> usize {
    match lead {
        0..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}

fn words(line: &str) -> impl Iterator<Item = (usize, &str)> {
    let b = line.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < b.len() {
            match space_at(line, i) {
                Some(n) => i += n,
                None => break,
            }
        }
        if i >= b.len() {
            return None;
        }
        let start = i;
        while i < b.len() && space_at(line, i).is_none() {
            i += width(b[i]);
        }
        Some((start, &line[start..i.min(b.len())]))
    })
    .map(|(i, w)| (i, w.trim_end_matches(|c: char| !alphanumeric(c))))
    .filter(|(_, w)| !w.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

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
