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
    let b = ctx.block();
    let block = ctx.text.slice(b.span);
    // Asked of the block once rather than of each of its lines (a table's rows, a list's
    // items): a line has no line break, so it has no other whitespace when its block has
    // none but line breaks.
    let plain = spaces_only(block, LineBreaks::Allowed);
    let mut report = |line: &str, base: usize, found: Vec<(Span, Span)>| {
        for (at, cut) in found {
            let word = &line[at.range()];
            let (at, cut) = (at.shift(base as isize), cut.shift(base as isize));
            out.report(at, format!("`{word}` twice in a row"))
                .fix(|| Fix::safe(format!("Remove the second `{word}`"), vec![Edit::new(cut, "")]));
        }
    };
    // Most blocks: prose throughout, and no whitespace but spaces and line breaks. Read at
    // once, without cutting them into lines first (which cost a third of this rule).
    if plain && prose::is_whole_block(ctx.text, ctx.format, b) {
        report(block, b.span.start, spaced_repetitions(block));
        return;
    }
    for &span in ctx.prose() {
        let line = ctx.text.slice(span);
        report(line, span.start, repetitions(line, plain));
    }
}

/// The repeated words of a line: each second word, and the cut that removes it with the
/// spaces before it.
///
/// Most lines of prose have no whitespace but the ASCII space. Their words are then what
/// splitting on it gives (the spaces found eight bytes at a time), and only neighbours whose first
/// letters may match are looked at closely: this rule read every word of an opening's
/// prose and was a third of its first check. Other lines are read word by word, by
/// `char::is_whitespace`. `plain`: the caller knows the line to have no whitespace but
/// the ASCII space.
fn repetitions(line: &str, plain: bool) -> Vec<(Span, Span)> {
    if !(plain || spaces_only(line, LineBreaks::Refused)) {
        return repetitions_by_word(line);
    }
    spaced_repetitions(line)
}

/// [`repetitions`] of a text whose only whitespace is the ASCII space and line breaks: a
/// line, or a whole block, whose line breaks end a word as a space does (and no word
/// repeats the last one of the line above: only spaces may come between the two).
fn spaced_repetitions(line: &str) -> Vec<(Span, Span)> {
    let b = line.as_bytes();
    let mut found = Vec::new();
    // The word before (start, end; `usize::MAX` before the first) and where this one starts.
    let (mut ps, mut pe, mut start) = (usize::MAX, 0, 0);
    // At each space: most neighbours differ in their first letter, told apart here in a
    // few instructions; the rest are looked at closely, out of line.
    macro_rules! at_space {
        ($space:expr) => {{
            let space = $space;
            if space > start {
                if ps != usize::MAX && first_letters_may_match(line, ps, pe, start, space) {
                    found.extend(repeated(line, ps, pe, start, space));
                }
                (ps, pe) = (start, space);
            }
            start = space + 1;
        }};
    }
    // The spaces eight bytes at a time: in prose one comes every six bytes or so, too
    // often for memchr, whose search starts again at each.
    let mut i = 0;
    while let Some(eight) = b.get(i..i + 8) {
        let x = u64::from_le_bytes(eight.try_into().expect("eight bytes"));
        let mut mask = byte_mask(x, b' ') | byte_mask(x, b'\n') | byte_mask(x, b'\r');
        while mask != 0 {
            at_space!(i + mask.trailing_zeros() as usize / 8);
            mask &= mask - 1;
        }
        i += 8;
    }
    while i < b.len() {
        if matches!(b[i], b' ' | b'\n' | b'\r') {
            at_space!(i);
        }
        i += 1;
    }
    // The text's end ends its last word.
    if b.len() > start && ps != usize::MAX && first_letters_may_match(line, ps, pe, start, b.len()) {
        found.extend(repeated(line, ps, pe, start, b.len()));
    }
    found
}

/// The high bit of each byte of `x` (eight bytes of text in address order) that is
/// `byte` (an ASCII one).
fn byte_mask(x: u64, byte: u8) -> u64 {
    const LO7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    // Exactly the zero bytes of `x ^ byte…` (no borrow from one byte to the next).
    let t = x ^ (u64::from(byte) * 0x0101_0101_0101_0101);
    !(((t & LO7) + LO7) | t) & !LO7
}

/// Whether line breaks count as spaces for [`spaces_only`].
#[derive(Clone, Copy, PartialEq)]
enum LineBreaks {
    /// Not looked for: `text` is a block of lines, each of which is asked about.
    Allowed,
    /// Whitespace like any other: `text` is one line.
    Refused,
}

/// Whether the ASCII space is the only whitespace in `text` (but line breaks, if
/// allowed): no control character that is whitespace, and no lead byte of a non-ASCII
/// space (`space_at`) that starts one (a curly quote or a dash shares a lead byte with
/// some spaces).
fn spaces_only(text: &str, breaks: LineBreaks) -> bool {
    let b = text.as_bytes();
    memchr::memchr3(b'\t', 0x0B, 0x0C, b).is_none()
        && (breaks == LineBreaks::Allowed || memchr::memchr2(b'\n', b'\r', b).is_none())
        && memchr::memchr3_iter(0xC2, 0xE1, 0xE2, b)
            .chain(memchr::memchr_iter(0xE3, b))
            .all(|i| space_at(text, i).is_none())
}

/// Whether the token at `b..be` may repeat the one at `a..ae`, from their first letters:
/// never no when it does. ASCII and Arabic letters (two bytes, no case) are compared as
/// bytes, and then the tokens' first bytes ([`prefixes_may_match`]); other scripts as
/// characters.
#[inline(always)]
fn first_letters_may_match(line: &str, a: usize, ae: usize, b: usize, be: usize) -> bool {
    let bytes = line.as_bytes();
    let (x, y) = (bytes[a], bytes[b]);
    let arabic = |lead: u8| (0xD8..=0xDB).contains(&lead);
    if (x | y) < 0x80 {
        // Equal but for bit 5: every pair of ASCII letters equal but for case (and a few
        // pairs of other bytes, which the closer look turns away).
        return (x ^ y) & !0x20 == 0 && prefixes_may_match(bytes, a, ae, b, be);
    }
    if arabic(x) || arabic(y) {
        // A letter of U+0600–U+06FF: lower-casing leaves it as it is, and makes
        // nothing into one.
        return x == y && prefixes_may_match(bytes, a, ae, b, be);
    }
    other_first_letters_may_match(line, a, b)
}

/// Whether the token `bytes[b..be]` may repeat `bytes[a..ae]`, from at most their first
/// eight bytes: never no when it does. Most neighbours that share a first letter differ
/// soon after it (`the`/`to`, and the `ال` of most Arabic words), and the closer look
/// ([`repeated`]) costs ten times this.
///
/// Only spaces may come between a repetition's words, so the first token is all word
/// and the second starts with it, but for case (then punctuation may follow). The tokens
/// are turned away where they first differ in two characters whose lower-case forms
/// differ for sure: ASCII characters not equal but for case, or characters of which one
/// is ASCII or in U+0600–U+06FF (lead byte D8–DB, no case) and the other either too; and
/// when the second token, read to its end, is shorter than the first. Anything else (a
/// byte of another script) is left to the closer look.
#[inline(never)]
fn prefixes_may_match(bytes: &[u8], a: usize, ae: usize, b: usize, be: usize) -> bool {
    let (p, w) = (&bytes[a..ae], &bytes[b..be]);
    let n = p.len().min(w.len()).min(8);
    let arabic = |c: u8| (0xD8..=0xDB).contains(&c);
    let continuation = |c: u8| c & 0xC0 == 0x80;
    for k in 0..n {
        let (x, y) = (p[k], w[k]);
        if x == y || x.eq_ignore_ascii_case(&y) {
            // The same character so far (bytes before `k` are equal, or ASCII and equal
            // but for case).
            continue;
        }
        let caseless = |c: u8| c < 0x80 || arabic(c);
        // Two characters that differ, starting here or (continuation bytes) at the
        // lead byte they share.
        let (cx, cy) = if continuation(x) && continuation(y) && k > 0 {
            (p[k - 1], p[k - 1])
        } else {
            (x, y)
        };
        return !(caseless(cx) && caseless(cy));
    }
    // The second token read to its end, and a prefix of the first: shorter than it.
    !(n == w.len() && w.len() < p.len())
}

/// [`first_letters_may_match`] for other scripts, out of line: rare in the news.
#[cold]
#[inline(never)]
fn other_first_letters_may_match(line: &str, a: usize, b: usize) -> bool {
    let (Some(x), Some(y)) = (line[a..].chars().next(), line[b..].chars().next()) else {
        return false;
    };
    // The words' lower-case forms start with their first letters' (`İ` is `i̇`).
    x == y || x.to_lowercase().next() == y.to_lowercase().next()
}

/// Whether the token `line[start..end]` repeats the token `line[ps..pe]` (the rule's
/// conditions, on each token without the punctuation at its end), and then the second
/// word and the cut that removes it. Out of line: most neighbours never get here.
#[cold]
#[inline(never)]
fn repeated(line: &str, ps: usize, pe: usize, start: usize, end: usize) -> Option<(Span, Span)> {
    let p = trim_word(&line[ps..pe]);
    let word = trim_word(&line[start..end]);
    (!p.is_empty() && !word.is_empty() && is_repetition(line, ps, p, start, word)).then(|| {
        let at = Span::new(start, start + word.len());
        (at, Span::new(ps + p.len(), at.end))
    })
}

/// The rule's conditions on two neighbouring words, `p` at `pi` and `word` at `i`.
fn is_repetition(line: &str, pi: usize, p: &str, i: usize, word: &str) -> bool {
    // The cheap tests first: most neighbours differ in their first letter.
    same_word(p, word)
        && line.as_bytes()[pi + p.len()..i].iter().all(|&c| c == b' ')
        && p.chars().nth(1).is_some()
        && p.chars().all(char::is_alphabetic)
        && !DELIBERATE.contains(&word.to_lowercase().as_str())
        && !word.starts_with(char::is_uppercase)
        && !adverbial(word)
}

/// [`repetitions`] word by word, for lines with whitespace other than the ASCII space.
fn repetitions_by_word(line: &str) -> Vec<(Span, Span)> {
    let mut found = Vec::new();
    let mut prev: Option<(usize, &str)> = None;
    for (i, word) in words(line) {
        if let Some((pi, p)) = prev {
            if is_repetition(line, pi, p, i, word) {
                let at = Span::new(i, i + word.len());
                found.push((at, Span::new(pi + p.len(), at.end)));
            }
        }
        prev = Some((i, word));
    }
    found
}

/// A token without the punctuation at its end.
fn trim_word(token: &str) -> &str {
    token.trim_end_matches(|c: char| !alphanumeric(c))
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
    if x.is_ascii() && y.is_ascii() && !x.eq_ignore_ascii_case(&y) {
        return false;
    }
    // ASCII and Arabic (U+0600–U+06FF, whose lead bytes are D8–DB, and which has no
    // case) only change case in ASCII bytes. Arabic words sharing a first letter (`ال`)
    // are most neighbours of an Arabic text: no lowercasing by the tables for them.
    let caseless_but_ascii =
        |s: &str| s.bytes().all(|c| c < 0x80 || (0x80..=0xBF).contains(&c) || (0xD8..=0xDB).contains(&c));
    if caseless_but_ascii(a) && caseless_but_ascii(b) {
        return a.eq_ignore_ascii_case(b);
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
    .map(|(i, w)| (i, trim_word(w)))
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

    proptest! {
        #![proptest_config(ProptestConfig {
            rng_seed: proptest::test_runner::RngSeed::Fixed(0x7265_7065_6174),
            failure_persistence: None,
            cases: 4096,
            ..ProptestConfig::default()
        })]

        /// Lines split on the ASCII space, their neighbours filtered by first letters,
        /// give what reading them word by word gives, whatever the case, script,
        /// punctuation and spaces (curly quotes and dashes share lead bytes with spaces).
        #[test]
        fn splitting_on_spaces_finds_what_reading_words_finds(
            words in proptest::collection::vec(
                "(the|The|THE|tHe|then|theatre|theatre;|to|had|no|été|ÉTÉ|Été|étés|İstanbul|i̇stanbul|ǅemal|ǆemal|Kelvin|\u{212a}elvin|kelvin|في|فيل|فيه|في،|من|سطرًا|الحرب|الحرب،|الحر|الحربية|ال|الـ|ΣΟΦΊΑ|σοφία|a|x1|42|—|“the|the”|the,|…)",
                0..10,
            ),
            gaps in proptest::collection::vec("( |  | |, |\t|\u{a0}|\u{2009}|\u{3000}|\u{1680}|\u{b})", 10),
        ) {
            let mut line = String::new();
            for (i, w) in words.iter().enumerate() {
                line.push_str(w);
                line.push_str(&gaps[i]);
            }
            let by_word = repetitions_by_word(&line);
            prop_assert_eq!(&repetitions(&line, false), &by_word, "{:?}", line);
            if spaces_only(&line, LineBreaks::Refused) {
                prop_assert_eq!(&repetitions(&line, true), &by_word, "{:?}", line);
            }
        }

        /// A block of spaced lines read at once finds what reading it line by line finds:
        /// a line break ends a word, and no word repeats one on the line above.
        #[test]
        fn a_block_read_at_once_finds_what_its_lines_find(
            words in proptest::collection::vec(
                "(the|The|then|to|été|ÉTÉ|في|فيل|الحرب|الحرب،|a|42|“the|the,|)",
                0..24,
            ),
            gaps in proptest::collection::vec("( |  |\n|\r\n|\r| \n|\n |\n\n)", 24),
        ) {
            let mut block = String::new();
            for (i, w) in words.iter().enumerate() {
                block.push_str(w);
                block.push_str(&gaps[i]);
            }
            let mut by_line = Vec::new();
            for line in crate::text::lines_with_offsets(&block, 0) {
                let s = line.start as isize;
                by_line.extend(
                    repetitions(line.text, false).into_iter().map(|(a, c)| (a.shift(s), c.shift(s))),
                );
            }
            prop_assert_eq!(spaced_repetitions(&block), by_line, "{:?}", block);
        }
    }

    #[test]
    fn byte_masks_flag_exactly_the_byte() {
        for byte in [b' ', b'\n', b'\r'] {
            let flags = |eight: [u8; 8]| -> u64 {
                (0..8).filter(|&k| eight[k] == byte).map(|k| 0x80 << (8 * k)).sum()
            };
            // Every byte value at every place, among letters and among the byte itself.
            for v in 0..=255u8 {
                for k in 0..8 {
                    for fill in [b'a', byte, byte - 1, byte + 1, 0xA0] {
                        let mut eight = [fill; 8];
                        eight[k] = v;
                        let x = u64::from_le_bytes(eight);
                        assert_eq!(byte_mask(x, byte), flags(eight), "{eight:?}");
                    }
                }
            }
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
