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

use super::{prose, BlockCtx, Check, Fix, Rule, Severity, Sink};
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
    for span in prose::spans(ctx.text, ctx.format, ctx.block()) {
        let line = ctx.text.slice(span);
        let mut prev: Option<(usize, &str)> = None;
        for (i, word) in words(line) {
            if let Some((pi, p)) = prev {
                let gap = &line[pi + p.len()..i];
                if gap.chars().all(|c| c == ' ')
                    && p.chars().count() > 1
                    && p.chars().all(char::is_alphabetic)
                    && p.to_lowercase() == word.to_lowercase()
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
fn adverbial(word: &str) -> bool {
    word.contains('\u{064B}')
}

/// Words of a line with their offsets; a word ends at whitespace, and punctuation at its
/// end belongs to the gap (so `no, no` is not a repetition).
fn words(line: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut rest = line.char_indices().peekable();
    std::iter::from_fn(move || {
        while rest.next_if(|&(_, c)| c.is_whitespace()).is_some() {}
        let &(start, _) = rest.peek()?;
        let mut end = start;
        while let Some((i, c)) = rest.next_if(|&(_, c)| !c.is_whitespace()) {
            end = i + c.len_utf8();
        }
        Some((start, &line[start..end]))
    })
    .map(|(i, w)| (i, w.trim_end_matches(|c: char| !c.is_alphanumeric())))
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
    }
}
