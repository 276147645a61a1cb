//! A window onto a document's text that is indexed with *document* offsets.
//!
//! Rules and features read the text around the blocks they look at. In the server the
//! document is a rope, and copying all of it into a `String` for every keystroke costs a
//! pass over the whole document; so they get a [`Text`]: a contiguous `&str` of just the
//! part they may read, that still answers to the offsets they hold (spans of blocks, rows,
//! cells). Indexing outside the window panics, like indexing a `str` out of bounds: a rule
//! that reads beyond its reach is a bug.

use std::borrow::Cow;
use std::ops::{Index, Range};

use ropey::Rope;

use super::Span;

/// `s` is the document's text from byte offset `base` on.
#[derive(Clone, Copy, Debug)]
pub struct Text<'a> {
    s: &'a str,
    base: usize,
}

impl<'a> Text<'a> {
    /// The whole document.
    pub fn whole(s: &'a str) -> Text<'a> {
        Text { s, base: 0 }
    }

    /// A part of the document: `s` starts at document offset `base`.
    pub fn at(s: &'a str, base: usize) -> Text<'a> {
        Text { s, base }
    }

    /// The document span this window covers.
    pub fn span(&self) -> Span {
        Span::new(self.base, self.base + self.s.len())
    }

    /// The text of `span` (document offsets).
    pub fn slice(&self, span: Span) -> &'a str {
        &self.s[span.start - self.base..span.end - self.base]
    }

    /// The text from `offset` to the end of the window.
    pub fn from(&self, offset: usize) -> &'a str {
        &self.s[offset - self.base..]
    }

    /// The byte at document offset `offset`, if it is inside the window.
    pub fn byte(&self, offset: usize) -> Option<u8> {
        offset
            .checked_sub(self.base)
            .and_then(|i| self.s.as_bytes().get(i).copied())
    }
}

impl Index<Range<usize>> for Text<'_> {
    type Output = str;
    fn index(&self, r: Range<usize>) -> &str {
        &self.s[r.start - self.base..r.end - self.base]
    }
}

/// The text of `span` in `rope`: borrowed when it lies in one chunk (the common case for
/// a block or two), copied otherwise. Costs the span's length, never the document's. A
/// span past the end is clamped, and an offset inside a character is rounded down to it.
pub fn rope_slice(rope: &Rope, span: Span) -> Cow<'_, str> {
    let len = rope.len_bytes();
    // The common case in one descent: both ends on character boundaries in one chunk.
    if span.start <= span.end && span.end <= len {
        let (chunk, chunk_start, _, _) = rope.chunk_at_byte(span.start);
        let (a, b) = (span.start - chunk_start, span.end - chunk_start);
        if b <= chunk.len() && chunk.is_char_boundary(a) && chunk.is_char_boundary(b) {
            return Cow::Borrowed(&chunk[a..b]);
        }
    }
    let floor = |o: usize| rope.char_to_byte(rope.byte_to_char(o.min(len)));
    let (start, end) = (floor(span.start), floor(span.end));
    let slice = rope.byte_slice(start..end.max(start));
    match slice.as_str() {
        Some(s) => Cow::Borrowed(s),
        // Chunk by chunk into a string of the right size: `to_string` goes through the
        // formatting machinery, and an analysis copies every batch of an opened document.
        None => {
            let mut s = String::with_capacity(slice.len_bytes());
            for chunk in slice.chunks() {
                s.push_str(chunk);
            }
            Cow::Owned(s)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_offsets_into_a_window() {
        let doc = "0123456789";
        let t = Text::at(&doc[4..8], 4);
        assert_eq!(&t[5..7], "56");
        assert_eq!(t.slice(Span::new(4, 8)), "4567");
        assert_eq!(t.from(6), "67");
        assert_eq!(t.byte(7), Some(b'7'));
        assert_eq!(t.byte(8), None);
        assert_eq!(t.byte(3), None);
        assert_eq!(t.span(), Span::new(4, 8));
    }

    #[test]
    #[should_panic]
    fn reading_before_the_window_is_a_bug() {
        let doc = "0123456789";
        let t = Text::at(&doc[4..8], 4);
        let _ = &t[2..5];
    }

    #[test]
    fn rope_slices_across_chunks() {
        let text = "ألاسكا ".repeat(2000);
        let rope = Rope::from_str(&text);
        let span = Span::new(0, text.len());
        assert_eq!(rope_slice(&rope, span), text.as_str());
        assert_eq!(rope_slice(&rope, Span::new(2, 12)), &text[2..12]);
        assert_eq!(
            rope_slice(&rope, Span::new(3, 11)),
            &text[2..10],
            "rounded down"
        );
        assert_eq!(rope_slice(&rope, Span::new(0, usize::MAX)), text.as_str());
    }
}
