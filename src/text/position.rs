//! Byte offsets ⇄ protocol positions (line, column in UTF-8, UTF-16 or UTF-32 code units).
//!
//! Positions from a client may point past the end of a line, past the end of the document
//! or into the middle of a character (a surrogate pair, a multi-byte UTF-8 sequence): they
//! are clamped to the nearest character boundary at or before them on that line, never
//! beyond its content, so a range computed here never lands outside the document or
//! inside a line break.

use std::any::Any;
use std::sync::{Arc, OnceLock};

use ropey::Rope;

use super::Change;

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

/// How an edit moved the document's lines: lines before `first` and after `last` (numbered
/// before the edit; the lines of the replaced span's start and end) kept their content,
/// and those after `last` moved by `delta` (the change in the rope's line count). That
/// holds even when the edit joins a `\r` and a `\n` into one line break or splits one:
/// the line before or after keeps its content, only the count changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineShift {
    pub first: usize,
    pub last: usize,
    pub delta: isize,
}

impl LineShift {
    /// Begins measuring the edit of `old` in `rope` (as it is before the edit).
    pub fn before(rope: &Rope, old: crate::text::Span) -> LineShift {
        let len = rope.len_bytes();
        LineShift {
            first: rope.byte_to_line(old.start.min(len)),
            last: rope.byte_to_line(old.end.min(len)),
            delta: -(rope.len_lines() as isize),
        }
    }

    /// Ends measuring: `rope` as it is after the edit.
    pub fn after(self, rope: &Rope) -> LineShift {
        LineShift {
            delta: self.delta + rope.len_lines() as isize,
            ..self
        }
    }

    /// Where a position of the text before the edit is now; `None` on an edited line.
    pub fn move_position(&self, p: LineCol) -> Option<LineCol> {
        let line = p.line as usize;
        if line < self.first {
            Some(p)
        } else if line > self.last {
            let moved = u32::try_from(line as isize + self.delta).ok()?;
            Some(LineCol::new(moved, p.col))
        } else {
            None
        }
    }
}

/// Positions computed once for a set of offsets (a diagnostic's range and its related
/// locations), remembered in one encoding and moved through edits by a [`LineShift`]: a
/// large document's answer then converts only what an edit touched or added. Not part of
/// what it is attached to: two values compare equal whatever they remember.
#[derive(Clone, Default)]
pub struct Memo(OnceLock<(Encoding, Box<[LineCol]>)>);

impl Memo {
    /// The positions remembered in `enc`.
    pub fn get(&self, enc: Encoding) -> Option<&[LineCol]> {
        self.0
            .get()
            .filter(|(e, _)| *e == enc)
            .map(|(_, at)| &at[..])
    }

    /// Remembers `at` in `enc` unless something is remembered already.
    pub fn remember(&self, enc: Encoding, at: &[LineCol]) {
        let _ = self.0.set((enc, at.into()));
    }

    /// Moves what is remembered through an edit; forgets it if the edit touched a line
    /// of it, or when `shift` is unknown.
    pub fn shift(&mut self, shift: Option<&LineShift>) {
        let Some(shift) = shift else {
            self.0.take();
            return;
        };
        let Some((_, at)) = self.0.get_mut() else {
            return;
        };
        for p in at.iter_mut() {
            match shift.move_position(*p) {
                Some(moved) => *p = moved,
                None => {
                    self.0.take();
                    return;
                }
            }
        }
    }
}

impl PartialEq for Memo {
    fn eq(&self, _: &Memo) -> bool {
        true
    }
}

impl Eq for Memo {}

impl std::fmt::Debug for Memo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Memo")
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

fn is_continuation(b: u8) -> bool {
    (b as i8) < -0x40
}

/// How far [`Positions`] reads ahead to find a later offset's line, and how many lines it
/// skips doing so, before it looks the line up in the rope's tree instead (a lookup costs
/// a few descents: about as much as reading a few kilobytes).
const SCAN: usize = 8 << 10;
const SCAN_LINES: usize = 32;
/// How many bytes of a line [`Positions`] counts a column over before it asks the rope's
/// tree instead.
const COUNT: usize = 4 << 10;

/// Converts many byte offsets of one rope into positions, each exactly as
/// [`position_of`] would, at a fraction of its cost: the line found for one offset is kept
/// for the next, a later line nearby is found by reading forward to it, and a column is
/// counted on from the last one computed on the same line. Offsets in ascending order
/// cost about one pass over the bytes between them; [`position_of`] costs about a dozen
/// descents of the rope per offset, which dominated every large answer (3,800
/// diagnostics or 15,000 symbols of a 10 MB article). See also [`positions`].
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
    /// The rope's chunk last read, and where it starts: most offsets of an answer fall
    /// in the chunk of the one before, or the next; and the chunks after it.
    chunk: &'r str,
    chunk_start: usize,
    chunks: Option<ropey::iter::Chunks<'r>>,
}

impl<'r> Positions<'r> {
    pub fn new(rope: &'r Rope, enc: Encoding) -> Positions<'r> {
        Positions {
            rope,
            enc,
            len: rope.len_bytes(),
            line: 0,
            start: 0,
            // Nothing known yet: the first offset looks its line up.
            next: 0,
            at: 0,
            col: 0,
            chunk: "",
            chunk_start: 0,
            chunks: None,
        }
    }

    pub fn rope(&self) -> &'r Rope {
        self.rope
    }

    /// The chunk holding byte `i` (`i < len`), and where it starts.
    fn chunk_at(&mut self, i: usize) -> (&'r str, usize) {
        let end = self.chunk_start + self.chunk.len();
        if self.chunk_start <= i && i < end {
            return (self.chunk, self.chunk_start);
        }
        if i == end {
            // Reading on: the next chunk, without a descent.
            if let Some(next) = self.chunks.as_mut().and_then(Iterator::next) {
                self.chunk = next;
                self.chunk_start = end;
                return (self.chunk, self.chunk_start);
            }
        }
        let (mut chunks, start, _, _) = self.rope.chunks_at_byte(i);
        self.chunk = chunks.next().unwrap_or("");
        self.chunk_start = start;
        self.chunks = Some(chunks);
        (self.chunk, self.chunk_start)
    }

    /// The position of `offset`, as [`position_of`] gives it.
    pub fn position(&mut self, offset: usize) -> LineCol {
        let offset = offset.min(self.len);
        if !(self.start <= offset && offset < self.next) {
            let near = self.next > 0 && offset >= self.next && offset - self.next <= SCAN;
            if !(near && self.read_forward(offset)) {
                self.look_up(offset);
            }
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

    /// Finds the line of `offset` in the rope's tree.
    fn look_up(&mut self, offset: usize) {
        let rope = self.rope;
        self.line = rope.byte_to_line(offset);
        self.start = rope.line_to_byte(self.line);
        self.next = if self.line + 1 < rope.len_lines() {
            rope.line_to_byte(self.line + 1)
        } else {
            usize::MAX
        };
    }

    /// Finds the line of `offset` (after the current line) by reading the text from the
    /// next line's start, counting line breaks (`\n`, `\r\n`, `\r`). False, with
    /// nothing changed, when that means reading more than [`SCAN`] bytes past `offset` or
    /// skipping more than [`SCAN_LINES`] lines.
    fn read_forward(&mut self, offset: usize) -> bool {
        let mut line = self.line + 1;
        let mut start = self.next;
        let limit = offset + SCAN;
        let max_line = line + SCAN_LINES;
        let mut pos = start;
        while pos < self.len {
            // ropey never splits a CRLF pair between chunks.
            let (chunk, chunk_start) = self.chunk_at(pos);
            let bytes = chunk.as_bytes();
            let from = pos - chunk_start;
            let mut after = from;
            for i in memchr::memchr2_iter(b'\n', b'\r', &bytes[from..]) {
                let i = from + i;
                if i < after {
                    continue; // the \n of a \r\n
                }
                after = if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                    i + 2
                } else {
                    i + 1
                };
                let end = chunk_start + after;
                if end > offset {
                    self.line = line;
                    self.start = start;
                    self.next = end;
                    return true;
                }
                line += 1;
                start = end;
                if line > max_line {
                    return false;
                }
            }
            pos = chunk_start + bytes.len();
            if pos > limit {
                return false;
            }
        }
        // The last line.
        self.line = line;
        self.start = start;
        self.next = usize::MAX;
        true
    }

    /// Moves the checkpoint from `at` towards `offset` (same line, `offset >= at`): stops
    /// at the end of the line's content, and rounds down to a character boundary.
    fn count_to(&mut self, offset: usize) {
        if offset == self.at {
            return;
        }
        if offset - self.at > COUNT {
            // Far along a long line: the rope's own counts, as position_of does.
            let rope = self.rope;
            let end = if self.next == usize::MAX {
                self.len
            } else {
                line_content_end(rope, self.line)
            };
            let o = rope.char_to_byte(rope.byte_to_char(offset.min(end)));
            let units = |at: usize| match self.enc {
                Encoding::Utf8 => at,
                Encoding::Utf16 => rope.char_to_utf16_cu(rope.byte_to_char(at)),
                Encoding::Utf32 => rope.byte_to_char(at),
            };
            self.col += units(o) - units(self.at);
            self.at = o;
            return;
        }
        let mut col = self.col;
        let mut stop = offset;
        let mut pos = self.at;
        while pos < offset {
            let (chunk, chunk_start) = self.chunk_at(pos);
            let bytes = chunk.as_bytes();
            let from = pos - chunk_start;
            let to = (offset - chunk_start).min(bytes.len());
            if let Some(k) = memchr::memchr2(b'\n', b'\r', &bytes[from..to]) {
                // The end of the line's content.
                col += self.units(&bytes[from..from + k]);
                stop = chunk_start + from + k;
                break;
            }
            col += self.units(&bytes[from..to]);
            if to < bytes.len() {
                // `offset` lies in this chunk. Inside a character, round down to its start
                // (which is at or after `from`, a boundary).
                if is_continuation(bytes[to]) {
                    let mut lead = to - 1;
                    while is_continuation(bytes[lead]) {
                        lead -= 1;
                    }
                    col -= self.units(&bytes[lead..to]);
                    stop = chunk_start + lead;
                }
                break;
            }
            // Chunks never split a character: a chunk's end is a boundary.
            pos = chunk_start + bytes.len();
        }
        self.at = stop;
        self.col = col;
    }

    /// The code units of `bytes` (whole characters, or the start of one) in the
    /// encoding: written as counts the compiler vectorises.
    fn units(&self, bytes: &[u8]) -> usize {
        let starts = || bytes.iter().filter(|&&b| !is_continuation(b)).count();
        match self.enc {
            Encoding::Utf8 => bytes.len(),
            // Characters from U+10000 (four bytes, lead byte 0xF0 and up) are two units.
            Encoding::Utf16 => starts() + bytes.iter().filter(|&&b| b >= 0xF0).count(),
            Encoding::Utf32 => starts(),
        }
    }

    /// The positions of `span`'s ends.
    pub fn range(&mut self, span: crate::text::Span) -> (LineCol, LineCol) {
        (self.position(span.start), self.position(span.end))
    }
}

/// The positions of `offsets`, in their order, converted in ascending order in one pass
/// (an outline's ranges go forward to a section's end and back to its heading: sorted,
/// they cost one read of the text). What a large answer needs: it gathers its offsets,
/// then takes their positions one after the other. Many offsets (the 92,000 of a 10 MB
/// article's outline) are cut into ascending runs converted side by side, one per core.
pub fn positions(rope: &Rope, enc: Encoding, offsets: &[usize]) -> Vec<LineCol> {
    positions_in_order(rope, enc, offsets, &ascending(offsets))
}

/// [`positions`], with `order` (the indices of `offsets` in ascending order of offset,
/// see [`ascending`]) already sorted by the caller.
fn positions_in_order(
    rope: &Rope,
    enc: Encoding,
    offsets: &[usize],
    order: &[u32],
) -> Vec<LineCol> {
    let threads = rayon::current_num_threads();
    let run = |order: &[u32]| -> Vec<LineCol> {
        let mut p = Positions::new(rope, enc);
        order
            .iter()
            .map(|&i| p.position(offsets[i as usize]))
            .collect()
    };
    // What a run costs is the text it reads between its offsets as much as their number:
    // a 10 MB article's 7,600 diagnostic offsets took 6.5 ms on one core.
    let spread = order
        .first()
        .zip(order.last())
        .map_or(0, |(&a, &b)| offsets[b as usize] - offsets[a as usize]);
    let many = offsets.len() >= PARALLEL_POSITIONS
        || (offsets.len() >= PARALLEL_SPREAD_POSITIONS && spread >= PARALLEL_SPREAD);
    let converted: Vec<Vec<LineCol>> = if !many || threads < 2 {
        vec![run(order)]
    } else {
        use rayon::prelude::*;
        order
            .par_chunks(order.len().div_ceil(threads))
            .map(run)
            .collect()
    };
    let mut out = vec![LineCol::default(); offsets.len()];
    for (&i, p) in order.iter().zip(converted.into_iter().flatten()) {
        out[i as usize] = p;
    }
    out
}

/// The positions of many offsets kept from one answer for the next (an outline's, asked
/// for again after each keystroke), moved through the edits in between as [`Memo`]s are:
/// [`positions_kept`] then converts only the offsets it does not know.
#[derive(Clone)]
pub struct KeptPositions {
    enc: Encoding,
    /// Ascending, distinct; `at[i]` is the position of `offsets[i]`.
    offsets: Vec<usize>,
    at: Vec<LineCol>,
    /// Edits made since, not yet applied: a keystroke costs a push, not a pass.
    pending: Vec<(Change, LineShift)>,
    /// What else the answer keeps for the next one (an outline's JSON), read with
    /// [`KeptPositions::edits`]: it goes with the positions, through the same edits.
    pub answer: Option<Arc<dyn Any + Send + Sync>>,
}

impl std::fmt::Debug for KeptPositions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeptPositions")
            .field("enc", &self.enc)
            .field("offsets", &self.offsets.len())
            .field("pending", &self.pending)
            .field("answer", &self.answer.is_some())
            .finish()
    }
}

/// Edits [`KeptPositions`] waits for before it is not worth keeping.
const MAX_PENDING: usize = 256;

impl KeptPositions {
    /// Notes an edit of the text. False when so many have been made that the positions
    /// are better converted again.
    pub fn edit(&mut self, change: Change, shift: LineShift) -> bool {
        self.pending.push((change, shift));
        self.pending.len() <= MAX_PENDING
    }

    /// The edits made since the positions were kept, in order, each with how it moved
    /// the lines.
    pub fn edits(&self) -> &[(Change, LineShift)] {
        &self.pending
    }

    /// Applies the pending edits: positions on lines an edit touched are forgotten, the
    /// others moved.
    fn settle(&mut self) {
        for (change, shift) in std::mem::take(&mut self.pending) {
            let mut kept = 0;
            for i in 0..self.offsets.len() {
                let Some(p) = shift.move_position(self.at[i]) else {
                    continue;
                };
                // Not on an edited line: before the change, or after it.
                let o = self.offsets[i];
                self.offsets[kept] = if o < change.old.start {
                    o
                } else {
                    o.saturating_add_signed(change.delta())
                };
                self.at[kept] = p;
                kept += 1;
            }
            self.offsets.truncate(kept);
            self.at.truncate(kept);
        }
    }
}

/// [`positions`], taking those of `kept` (positions kept from an earlier text, with the
/// edits made since) for the offsets it knows; and what to keep for the next time: the
/// positions of `offsets`, and those `kept` knows besides while there are no more than
/// `retain` in all (an answer that converts only what an edit touched keeps the
/// positions of what it copied).
pub fn positions_kept(
    rope: &Rope,
    enc: Encoding,
    offsets: &[usize],
    kept: Option<KeptPositions>,
    retain: usize,
) -> (Vec<LineCol>, KeptPositions) {
    let order = ascending(offsets);
    let mut kept = kept.filter(|k| k.enc == enc);
    let out = match &mut kept {
        // Sorted once, for the conversion and for what is kept.
        None => positions_in_order(rope, enc, offsets, &order),
        Some(kept) => {
            kept.settle();
            let mut out = vec![LineCol::default(); offsets.len()];
            let mut p = Positions::new(rope, enc);
            let mut j = 0;
            for &i in &order {
                let o = offsets[i as usize];
                while j < kept.offsets.len() && kept.offsets[j] < o {
                    j += 1;
                }
                out[i as usize] = match kept.offsets.get(j) {
                    Some(&k) if k == o => kept.at[j],
                    _ => p.position(o),
                };
            }
            out
        }
    };
    let (mut before, mut before_at) = match kept {
        Some(k) if k.offsets.len() + offsets.len() <= retain => (k.offsets, k.at),
        _ => (Vec::new(), Vec::new()),
    };
    let mut next = KeptPositions {
        enc,
        offsets: Vec::with_capacity(offsets.len() + before.len()),
        at: Vec::with_capacity(offsets.len() + before.len()),
        pending: Vec::new(),
        answer: None,
    };
    // Both ascending: merged, each offset once.
    let push = |next: &mut KeptPositions, o: usize, at: LineCol| {
        if next.offsets.last() != Some(&o) {
            next.offsets.push(o);
            next.at.push(at);
        }
    };
    let mut j = 0;
    for &i in &order {
        let o = offsets[i as usize];
        while j < before.len() && before[j] < o {
            push(&mut next, before[j], before_at[j]);
            j += 1;
        }
        push(&mut next, o, out[i as usize]);
    }
    for (o, at) in before.drain(j..).zip(before_at.drain(j..)) {
        push(&mut next, o, at);
    }
    (out, next)
}

/// The indices of `offsets` in the order of their offsets (equal offsets in the order
/// of their indices).
///
/// Sorting indices by the offsets they point to took 13 million instructions for the
/// 62,000 offsets of a 10 MB article's outline, a third of an outline's answer after a
/// keystroke; sorting each offset packed with its index into one integer, 10 million.
/// Many offsets are now sorted by their bytes, least significant first (a stable
/// counting sort per byte, skipping the bytes all offsets share: three passes for a
/// text under 16 MB): 6 million.
fn ascending(offsets: &[usize]) -> Vec<u32> {
    let packed: Option<Vec<u64>> = offsets
        .iter()
        .enumerate()
        .map(|(i, &o)| Some((u64::from(u32::try_from(o).ok()?) << 32) | i as u64))
        .collect();
    match packed {
        Some(mut packed) if packed.len() < RADIX_FROM => {
            packed.sort_unstable();
            packed.into_iter().map(|k| k as u32).collect()
        }
        Some(packed) => radix_by_offset(packed),
        // Offsets past 4 GiB: sorted by the offsets they point to.
        None => {
            let mut order: Vec<u32> = (0..offsets.len() as u32).collect();
            order.sort_unstable_by_key(|&i| offsets[i as usize]);
            order
        }
    }
}

/// Offsets from which [`ascending`] sorts by bytes: below, comparisons cost less than
/// its passes over the counts.
const RADIX_FROM: usize = 1 << 10;

/// `packed` (offset << 32 | index, indices ascending) sorted by offset, stably, by a
/// least-significant-digit radix sort on the offset's four bytes; the indices.
fn radix_by_offset(mut packed: Vec<u64>) -> Vec<u32> {
    let mut spare = vec![0u64; packed.len()];
    for shift in [32u32, 40, 48, 56] {
        let digit = |k: u64| ((k >> shift) & 0xFF) as usize;
        let mut counts = [0usize; 256];
        for &k in &packed {
            counts[digit(k)] += 1;
        }
        // Every offset has the same byte here: the order stands.
        if counts.contains(&packed.len()) {
            continue;
        }
        let mut at = 0;
        for c in counts.iter_mut() {
            (*c, at) = (at, at + *c);
        }
        for &k in &packed {
            let d = digit(k);
            spare[counts[d]] = k;
            counts[d] += 1;
        }
        std::mem::swap(&mut packed, &mut spare);
    }
    packed.into_iter().map(|k| k as u32).collect()
}

/// Offsets from which [`positions`] runs on every core.
const PARALLEL_POSITIONS: usize = 16 << 10;
/// Fewer offsets, from this many, run on every core when they are spread over
/// [`PARALLEL_SPREAD`] bytes or more of text.
const PARALLEL_SPREAD_POSITIONS: usize = 1 << 10;
const PARALLEL_SPREAD: usize = 1 << 20;

#[cfg(test)]
mod tests {
    use super::*;
    use Encoding::*;

    /// `ascending` against a plain stable sort, for the sizes sorted by comparison and by
    /// bytes, offsets that differ in one byte or in all four, and many equal offsets.
    #[test]
    fn ascending_orders_indices_by_offset_then_index() {
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for n in [0, 1, 7, RADIX_FROM - 1, RADIX_FROM, 5_000, 62_000] {
            for range in [200u64, 1 << 16, 10 << 20, u32::MAX as u64] {
                let offsets: Vec<usize> = (0..n).map(|_| (next() % range) as usize).collect();
                let mut want: Vec<u32> = (0..n as u32).collect();
                want.sort_by_key(|&i| offsets[i as usize]);
                assert_eq!(ascending(&offsets), want, "{n} offsets below {range}");
            }
        }
        // Past 4 GiB.
        let offsets = vec![5usize << 32, 3, 5usize << 32, 1];
        assert_eq!(ascending(&offsets), vec![3, 1, 0, 2]);
    }

    /// Enough offsets to be converted on several threads (many over a short text, or
    /// fewer spread over a long one), out of order and repeated, over lines of every
    /// kind: each as `position_of` converts it alone.
    #[test]
    fn many_positions_equal_one_at_a_time() {
        let line = |i: usize| match i % 4 {
            0 => format!("line {i} ألاسكا 😀\n"),
            1 => format!("crlf {i}\r\n"),
            2 => format!("cr {i}\r"),
            _ => "\n".to_string(),
        };
        for (lines, count) in [
            (6000, 3 * PARALLEL_POSITIONS),
            (200_000, 2 * PARALLEL_SPREAD_POSITIONS + 1),
        ] {
            let text: String = (0..lines).map(line).collect();
            assert!(lines < 10_000 || text.len() > PARALLEL_SPREAD);
            let rope = Rope::from_str(&text);
            let boundaries: Vec<usize> = text.char_indices().map(|(o, _)| o).collect();
            let offsets: Vec<usize> = (0..count)
                .map(|k| boundaries[(k * 7919) % boundaries.len()])
                .collect();
            for enc in [Utf8, Utf16, Utf32] {
                let got = positions(&rope, enc, &offsets);
                for (&o, p) in offsets.iter().zip(&got) {
                    assert_eq!(*p, position_of(&rope, o, enc), "{enc:?} at {o}");
                }
            }
        }
    }

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
        // Lines and gaps longer than what Positions reads ahead before looking up.
        let mut huge = "short\r\n".repeat(300);
        huge.push_str(&"ب😀x".repeat(3000));
        huge.push_str("\r\r\n\n");
        huge.push_str(&long);
        huge.push_str(&"y".repeat(20_000));
        // Short lines with LF breaks only, as a table's rows: whole stretches of them are
        // counted at once between two offsets.
        let rows: String = (0..4000).map(|i| format!("| {i} | ب {i} |\n")).collect();
        for text in texts
            .iter()
            .copied()
            .chain([long.as_str(), huge.as_str(), rows.as_str()])
        {
            let rope = Rope::from_str(text);
            let n = text.len() + 3;
            // Ascending, descending and scattered offsets, every byte (mid-character too).
            let orders: [Vec<usize>; 4] = [
                (0..n).collect(),
                (0..n).rev().collect(),
                (0..n).map(|i| i * 7919 % n).collect(),
                (0..n)
                    .step_by(17_001)
                    .chain((0..n).step_by(5_003))
                    .collect(),
            ];
            for enc in [Utf8, Utf16, Utf32] {
                let all = positions(&rope, enc, &orders[2]);
                for (&off, &got) in orders[2].iter().zip(&all) {
                    assert_eq!(got, position_of(&rope, off, enc), "batch: {enc:?} at {off}");
                }
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
