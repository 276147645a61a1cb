//! Byte offsets ⇄ protocol positions (line, column in UTF-8, UTF-16 or UTF-32 code units).
//!
//! Positions from a client may point past the end of a line, past the end of the document
//! or into the middle of a character (a surrogate pair, a multi-byte UTF-8 sequence): they
//! are clamped to the nearest character boundary at or before them on that line, never
//! beyond its content, so a range computed here never lands outside the document or
//! inside a line break.

use ropey::Rope;

/// The unit in which columns are counted, as negotiated through `positionEncoding`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    #[default]
    Utf16,
    Utf32,
}

/// A zero-based line and a column in some [`Encoding`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

impl LineCol {
    pub const fn new(line: u32, col: u32) -> LineCol {
        LineCol { line, col }
    }
}

/// Byte offset where line `line`'s content ends (before its line break).
fn line_content_end(rope: &Rope, line: usize) -> usize {
    let next = if line + 1 < rope.len_lines() {
        rope.line_to_byte(line + 1)
    } else {
        return rope.len_bytes();
    };
    let mut end = next;
    if end > 0 && rope.byte(end - 1) == b'\n' {
        end -= 1;
    }
    if end > 0 && rope.byte(end - 1) == b'\r' {
        end -= 1;
    }
    end
}

/// The byte offset a protocol position designates, clamped as described in the module docs.
pub fn offset_of(rope: &Rope, pos: LineCol, enc: Encoding) -> usize {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return rope.len_bytes();
    }
    let start = rope.line_to_byte(line);
    let end = line_content_end(rope, line);
    let col = pos.col as usize;
    match enc {
        Encoding::Utf8 => {
            let target = (start + col).min(end);
            rope.char_to_byte(rope.byte_to_char(target))
        }
        Encoding::Utf16 => {
            let first = rope.char_to_utf16_cu(rope.byte_to_char(start));
            let last = rope.char_to_utf16_cu(rope.byte_to_char(end));
            let target = (first + col).min(last);
            rope.char_to_byte(rope.utf16_cu_to_char(target))
        }
        Encoding::Utf32 => {
            let first = rope.byte_to_char(start);
            let last = rope.byte_to_char(end);
            rope.char_to_byte((first + col).min(last))
        }
    }
}

/// The protocol position of a byte offset (clamped to the document, rounded down to a
/// character boundary, and never inside a line break).
pub fn position_of(rope: &Rope, offset: usize, enc: Encoding) -> LineCol {
    let offset = rope.char_to_byte(rope.byte_to_char(offset.min(rope.len_bytes())));
    let line = rope.byte_to_line(offset);
    let start = rope.line_to_byte(line);
    let offset = offset.min(line_content_end(rope, line));
    let col = match enc {
        Encoding::Utf8 => offset - start,
        Encoding::Utf16 => {
            rope.char_to_utf16_cu(rope.byte_to_char(offset))
                - rope.char_to_utf16_cu(rope.byte_to_char(start))
        }
        Encoding::Utf32 => rope.byte_to_char(offset) - rope.byte_to_char(start),
    };
    LineCol::new(line as u32, col as u32)
}

/// Converts many byte offsets of one rope into positions, each exactly as
/// [`position_of`] would, at a fraction of its cost: the line found for one offset is kept
/// for the next, and a column is counted on from the last one computed on the same line.
/// Offsets in ascending order (a sorted list of diagnostics, an outline) cost about one
/// tree descent per line they fall on plus the bytes between them on that line;
/// [`position_of`] costs about a dozen descents per offset, which dominated every large
/// answer (3,800 diagnostics or 15,000 symbols of a 10 MB article).
pub struct Positions<'r> {
    rope: &'r Rope,
    enc: Encoding,
    len: usize,
    line: usize,
    /// Where the current line starts, and where the next one does (`usize::MAX` after
    /// the last line).
    start: usize,
    next: usize,
    /// A character boundary on the current line, at or before its content's end, and its
    /// column.
    at: usize,
    col: usize,
}

impl<'r> Positions<'r> {
    pub fn new(rope: &'r Rope, enc: Encoding) -> Positions<'r> {
        Positions {
            rope,
            enc,
            len: rope.len_bytes(),
            line: 0,
            start: 0,
            // Nothing cached yet: the first offset looks its line up.
            next: 0,
            at: 0,
            col: 0,
        }
    }

    pub fn rope(&self) -> &'r Rope {
        self.rope
    }

    pub fn encoding(&self) -> Encoding {
        self.enc
    }

    /// The position of `offset`, as [`position_of`] gives it.
    pub fn position(&mut self, offset: usize) -> LineCol {
        let offset = offset.min(self.len);
        if !(self.start <= offset && offset < self.next) {
            let rope = self.rope;
            self.line = rope.byte_to_line(offset);
            self.start = rope.line_to_byte(self.line);
            self.next = if self.line + 1 < rope.len_lines() {
                rope.line_to_byte(self.line + 1)
            } else {
                usize::MAX
            };
            self.at = self.start;
            self.col = 0;
        }
        if offset < self.at {
            self.at = self.start;
            self.col = 0;
        }
        self.count_to(offset);
        LineCol::new(self.line as u32, self.col as u32)
    }

    /// Moves the checkpoint from `at` towards `offset` (same line, `offset >= at`): stops
    /// at the end of the line's content, and rounds down to a character boundary.
    fn count_to(&mut self, offset: usize) {
        if offset == self.at {
            return;
        }
        let (chunks, mut chunk_start, _, _) = self.rope.chunks_at_byte(self.at);
        let mut col = self.col;
        // The last character counted: where it starts and how many units it is.
        let mut last = (self.at, 0usize);
        let mut stop = offset;
        'chunks: for chunk in chunks {
            let bytes = chunk.as_bytes();
            let from = self.at.max(chunk_start) - chunk_start;
            let to = (offset - chunk_start).min(bytes.len());
            for (i, &b) in bytes[from..to].iter().enumerate() {
                if b == b'\n' || b == b'\r' {
                    stop = chunk_start + from + i;
                    break 'chunks;
                }
                // A character starts at every byte that is not a continuation byte.
                if (b as i8) >= -0x40 {
                    let units = match self.enc {
                        Encoding::Utf8 => 0,
                        Encoding::Utf16 => 1 + usize::from(b >= 0xF0),
                        Encoding::Utf32 => 1,
                    };
                    col += units;
                    last = (chunk_start + from + i, units);
                }
                if self.enc == Encoding::Utf8 {
                    col += 1;
                }
            }
            if to < bytes.len() {
                // `offset` lies in this chunk. Inside a character, round down to its start.
                if (bytes[to] as i8) < -0x40 {
                    stop = last.0;
                    col -= match self.enc {
                        Encoding::Utf8 => offset - last.0,
                        _ => last.1,
                    };
                }
                break;
            }
            chunk_start += bytes.len();
            if chunk_start >= offset {
                break; // chunks never split a character: a chunk's end is a boundary
            }
        }
        self.at = stop;
        self.col = col;
    }

    /// The range of `span`.
    pub fn range(&mut self, span: crate::text::Span) -> (LineCol, LineCol) {
        (self.position(span.start), self.position(span.end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Encoding::*;

    fn roundtrip_all(text: &str) {
        let rope = Rope::from_str(text);
        for (off, _) in text.char_indices().chain([(text.len(), ' ')]) {
            for enc in [Utf8, Utf16, Utf32] {
                let pos = position_of(&rope, off, enc);
                let back = offset_of(&rope, pos, enc);
                // Offsets inside a line break map to the end of the line's content.
                let expected = if text[..off].ends_with('\r') && text[off..].starts_with('\n') {
                    off - 1
                } else {
                    off
                };
                assert_eq!(back, expected, "{enc:?} at {off} in {text:?} -> {pos:?}");
            }
        }
    }

    #[test]
    fn roundtrips_on_emoji_flags_zwj_arabic_crlf() {
        roundtrip_all("a😀b\r\n🇪🇬x\n👩‍👩‍👧 end\rحلًّا وَ\n");
        roundtrip_all("");
        roundtrip_all("no final newline ألاسكا");
        roundtrip_all("\n\n\r\r\n");
    }

    #[test]
    fn columns_per_encoding() {
        let rope = Rope::from_str("x😀حلًا\n");
        // 😀 is 4 UTF-8 bytes, 2 UTF-16 units, 1 UTF-32 unit; tanween (U+064B) is its own unit.
        let off = "x😀حلً".len();
        assert_eq!(
            position_of(&rope, off, Utf8),
            LineCol::new(0, 1 + 4 + 2 + 2 + 2)
        );
        assert_eq!(
            position_of(&rope, off, Utf16),
            LineCol::new(0, 1 + 2 + 1 + 1 + 1)
        );
        assert_eq!(
            position_of(&rope, off, Utf32),
            LineCol::new(0, 1 + 1 + 1 + 1 + 1)
        );
    }

    #[test]
    fn clamps_past_line_end_and_document_end() {
        let rope = Rope::from_str("ab\r\ncd");
        for enc in [Utf8, Utf16, Utf32] {
            assert_eq!(offset_of(&rope, LineCol::new(0, 99), enc), 2, "{enc:?}");
            assert_eq!(offset_of(&rope, LineCol::new(1, 99), enc), 6);
            assert_eq!(offset_of(&rope, LineCol::new(7, 0), enc), 6);
        }
        assert_eq!(
            position_of(&rope, 3, Utf16),
            LineCol::new(0, 2),
            "inside CRLF"
        );
        assert_eq!(position_of(&rope, 100, Utf16), LineCol::new(1, 2));
    }

    #[test]
    fn middle_of_a_character_rounds_down() {
        let rope = Rope::from_str("a😀b");
        assert_eq!(
            offset_of(&rope, LineCol::new(0, 2), Utf16),
            1,
            "inside a surrogate pair"
        );
        assert_eq!(
            offset_of(&rope, LineCol::new(0, 3), Utf8),
            1,
            "inside UTF-8 bytes"
        );
        assert_eq!(position_of(&rope, 2, Utf16), LineCol::new(0, 1));
    }

    #[test]
    fn empty_document() {
        let rope = Rope::from_str("");
        for enc in [Utf8, Utf16, Utf32] {
            assert_eq!(offset_of(&rope, LineCol::new(0, 5), enc), 0);
            assert_eq!(offset_of(&rope, LineCol::new(3, 5), enc), 0);
            assert_eq!(position_of(&rope, 0, enc), LineCol::new(0, 0));
        }
    }

    #[test]
    fn unicode_line_separators_are_not_line_breaks() {
        // ropey built without `unicode_lines`: U+2028, U+0085 and form feeds stay inside a line.
        let rope = Rope::from_str("a\u{2028}b\u{85}c\u{c}d\ne");
        assert_eq!(rope.len_lines(), 2);
        assert_eq!(
            position_of(&rope, rope.len_bytes(), Utf16),
            LineCol::new(1, 1)
        );
    }

    #[test]
    fn positions_in_a_batch_equal_one_by_one() {
        let texts = [
            "a😀b\r\n🇪🇬x\n👩‍👩‍👧 end\rحلًّا وَ\n",
            "",
            "\n\n\r\r\n",
            "no final newline ألاسكا",
            "x\r\n\r\ny",
        ];
        let mut long = String::new();
        for i in 0..3000 {
            long.push_str(["حلًّا ", "😀", "ab", "\r\n", "\n", "\r", "é"][i * 7 % 11 % 7]);
        }
        for text in texts.iter().copied().chain([long.as_str()]) {
            let rope = Rope::from_str(text);
            let n = text.len() + 3;
            // Ascending, descending and scattered offsets, every byte (mid-character too).
            let orders: [Vec<usize>; 3] = [
                (0..n).collect(),
                (0..n).rev().collect(),
                (0..n).map(|i| i * 7919 % n).collect(),
            ];
            for enc in [Utf8, Utf16, Utf32] {
                for order in &orders {
                    let mut p = Positions::new(&rope, enc);
                    for &off in order {
                        assert_eq!(
                            p.position(off),
                            position_of(&rope, off, enc),
                            "{enc:?} at {off} of {:?}",
                            &text[..text.len().min(40)]
                        );
                    }
                }
            }
        }
    }
}
