//! A block's words as the matcher sees them: the normalised key of the block, its tokens
//! with their original ranges, and a *stream* string in which the keys of consecutive
//! tokens are separated by one space, or by a barrier (`\x01 `) where punctuation stood.
//!
//! Invariants: a name pattern is built with the same code from the name itself, so a
//! pattern matches the stream exactly at token boundaries and never across punctuation
//! ("Donald. Trump" is not "Donald Trump"); every token is followed by a space in the
//! stream; tokens are in text order and their stream offsets increase.

use super::arabic::{is_arabic_letter, Normalized};
use crate::text::Span;

/// Marks punctuation between two tokens in the stream.
pub const BARRIER: char = '\x01';

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Caps {
    /// Starts with a lower-case letter.
    Lower,
    /// Starts with an upper-case letter (not all upper case).
    Capitalised,
    /// Two or more letters, all upper case.
    Upper,
    /// Arabic, digits or a single upper-case letter: case says nothing.
    None,
}

#[derive(Clone, Debug)]
pub struct Token {
    /// The token's key, as a range of [`TokenStream::norm`]'s text.
    pub key: (u32, u32),
    /// Where the key starts in the stream.
    pub stream: u32,
    /// The original characters, relative to the block text.
    pub orig: (u32, u32),
    pub arabic: bool,
    pub caps: Caps,
    /// The token begins a sentence (or the block, or a line).
    pub sentence_start: bool,
    /// Punctuation (not only spaces) separates this token from the previous one.
    pub after_barrier: bool,
}

#[derive(Clone, Debug, Default)]
pub struct TokenStream {
    pub norm: Normalized,
    pub stream: String,
    pub tokens: Vec<Token>,
}

fn is_token_char(c: char) -> bool {
    // ASCII and Arabic letters first: most text is made of them.
    c.is_ascii_alphanumeric()
        || matches!(c, '\u{0621}'..='\u{064A}')
        || (!c.is_ascii() && c.is_alphanumeric())
}

impl TokenStream {
    /// Tokenises `text`; tokens overlapping `excluded` (ranges relative to `text`) are
    /// left out and leave a barrier behind.
    pub fn new(text: &str, excluded: &[Span]) -> TokenStream {
        let norm = Normalized::new(text);
        let key = norm.text.as_str();
        let mut out = TokenStream {
            stream: String::with_capacity(key.len() + key.len() / 4),
            tokens: Vec::new(),
            norm: Normalized::default(),
        };
        let mut excluded: Vec<Span> = excluded.to_vec();
        excluded.sort_unstable();
        let mut next_excluded = 0;
        // Punctuation seen since the previous token; whether a sentence ended there.
        let mut barrier = false;
        let mut sentence_end = true;
        let mut newlines = 0;
        let mut chars = key.char_indices().peekable();
        while let Some((a, c)) = chars.next() {
            if !is_token_char(c) {
                match c {
                    '.' | '!' | '?' | '؟' | '…' | ':' | ';' | '؛' => {
                        barrier = true;
                        sentence_end = true;
                    }
                    // A table cell starts afresh, like a sentence: its capital says
                    // nothing about a name.
                    '|' | '\t' => {
                        barrier = true;
                        sentence_end = true;
                    }
                    // A line break inside a block is a wrapped line; a blank line ends
                    // whatever came before.
                    '\n' => newlines += 1,
                    c if c.is_whitespace() => {}
                    // A hyphen or apostrophe joins the parts of one name (Jean-Noël,
                    // al-Sisi, Trump's) only when nothing else stands beside it.
                    '-' | '\u{2010}' | '\u{2011}' | '\'' | '\u{2019}' => {
                        let prev_tight =
                            a > 0 && key[..a].chars().next_back().is_some_and(is_token_char);
                        let next_tight = chars.peek().is_some_and(|&(_, n)| is_token_char(n));
                        if !(prev_tight && next_tight) {
                            barrier = true;
                        }
                    }
                    _ => barrier = true,
                }
                continue;
            }
            let mut b = a + c.len_utf8();
            while let Some(&(i, n)) = chars.peek() {
                if !is_token_char(n) {
                    break;
                }
                b = i + n.len_utf8();
                chars.next();
            }
            let orig = norm.original(a, b);
            while next_excluded < excluded.len() && excluded[next_excluded].end <= orig.start {
                next_excluded += 1;
            }
            if next_excluded < excluded.len() && excluded[next_excluded].start < orig.end {
                barrier = true;
                sentence_end = false;
                continue;
            }
            if newlines > 1 {
                barrier = true;
                sentence_end = true;
            }
            let after_barrier = barrier && !out.tokens.is_empty();
            if after_barrier {
                out.stream.push(BARRIER);
                out.stream.push(' ');
            }
            let original = &text[orig.clone()];
            let arabic = key[a..b].chars().any(is_arabic_letter);
            out.tokens.push(Token {
                key: (a as u32, b as u32),
                stream: out.stream.len() as u32,
                orig: (orig.start as u32, orig.end as u32),
                arabic,
                caps: caps(original),
                sentence_start: sentence_end,
                after_barrier,
            });
            out.stream.push_str(&key[a..b]);
            out.stream.push(' ');
            barrier = false;
            sentence_end = false;
            newlines = 0;
        }
        out.norm = norm;
        out
    }

    pub fn key(&self, i: usize) -> &str {
        let (a, b) = self.tokens[i].key;
        &self.norm.text[a as usize..b as usize]
    }

    /// The original range of tokens `i..=j`, relative to the block text.
    pub fn orig(&self, i: usize, j: usize) -> Span {
        Span::new(
            self.tokens[i].orig.0 as usize,
            self.tokens[j].orig.1 as usize,
        )
    }

    /// The index of the last token that starts before stream offset `end`.
    pub fn token_ending_at(&self, end: usize) -> usize {
        self.tokens.partition_point(|t| (t.stream as usize) < end) - 1
    }

    /// The stream text of a name: what a pattern for it looks like.
    pub fn pattern(name: &str) -> String {
        TokenStream::new(name, &[]).stream
    }
}

fn caps(original: &str) -> Caps {
    if original.starts_with(|c: char| ('\u{0600}'..='\u{06FF}').contains(&c)) {
        return Caps::None;
    }
    let mut letters = original.chars().filter(|c| c.is_alphabetic());
    let Some(first) = letters.next() else {
        return Caps::None;
    };
    if !first.is_uppercase() {
        return if first.is_lowercase() {
            Caps::Lower
        } else {
            Caps::None
        };
    }
    let mut n = 1;
    let mut all = true;
    for c in letters {
        n += 1;
        all &= !c.is_lowercase();
    }
    match (all, n) {
        (true, 1) => Caps::None,
        (true, _) => Caps::Upper,
        (false, _) => Caps::Capitalised,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stream_separates_punctuation() {
        let s = TokenStream::new(
            "Donald Trump's aide. Jean-Noël met al-Sisi, then: U.S.",
            &[],
        );
        assert_eq!(
            s.stream,
            "donald trump s aide \x01 jean noel met al sisi \x01 then \x01 u \x01 s "
        );
        assert_eq!(s.tokens[0].caps, Caps::Capitalised);
        assert!(s.tokens[0].sentence_start && !s.tokens[1].sentence_start);
        assert!(s.tokens[4].sentence_start, "after a full stop");
    }

    #[test]
    fn excluded_ranges_leave_a_barrier() {
        let text = "see https://x.org now";
        let s = TokenStream::new(text, &[Span::new(4, 17)]);
        assert_eq!(s.stream, "see \x01 now ");
    }

    #[test]
    fn arabic_with_marks_maps_back() {
        let text = "قمة أَلاسْكا\u{200F} ودونالد";
        let s = TokenStream::new(text, &[]);
        assert_eq!(s.stream, "قمه الاسكا ودونالد ");
        let sp = s.orig(1, 1);
        assert_eq!(&text[sp.range()], "أَلاسْكا");
    }
}
