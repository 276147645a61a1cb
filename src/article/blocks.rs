//! The article's blocks in document order, stored so that an edit costs little however
//! long the document is: blocks live in chunks of at most [`CHUNK`] with offsets relative
//! to the chunk's base, so shifting everything after an edit touches one number per chunk.
//! The chunks themselves are shared (`Arc`) and never changed in place, so a snapshot for
//! analysis costs one reference count per chunk, and the next edit does not copy them:
//! the bases live outside the chunks, in a vector of plain numbers.
//!
//! Each block has a *derived slot*: data computed from the block's text alone (the entity
//! index's first stage), filled lazily and kept in the block's own coordinates, so it
//! moves with the block for free. A re-parsed block is a new block with an empty slot:
//! that is how derived data is invalidated by the edit, and only for what it touched.

use std::any::Any;
use std::sync::{Arc, OnceLock};

use super::Block;
use crate::text::Span;

const CHUNK: usize = 64;

/// Data derived from one block's text, in the block's coordinates.
pub type Derived = Arc<dyn Any + Send + Sync>;
/// A block's derived data, each kind filled once (shared with snapshots, so work done on
/// one is kept by the other).
#[derive(Clone, Debug, Default)]
pub struct Slot {
    /// The entity index's first stage.
    pub entities: OnceLock<Derived>,
    /// What the outline shows of the block (a fact box's name).
    pub outline: OnceLock<Derived>,
}

/// Blocks with spans relative to their chunk's base, and their slots. Never empty.
#[derive(Debug)]
struct ChunkData {
    blocks: Box<[Block]>,
    slots: Box<[Slot]>,
    /// Indices in `blocks` of the headings: the structure rules run after every edit and
    /// read only headings, a seventh of a news article's blocks.
    headings: Box<[u8]>,
}

impl ChunkData {
    fn new(blocks: Vec<Block>, slots: Vec<Slot>) -> ChunkData {
        debug_assert!(blocks.len() <= CHUNK && CHUNK <= 256);
        let headings = (0..blocks.len())
            .filter(|&i| blocks[i].heading().is_some())
            .map(|i| i as u8)
            .collect();
        ChunkData {
            blocks: blocks.into_boxed_slice(),
            slots: slots.into_boxed_slice(),
            headings,
        }
    }
}

type Chunk = Arc<ChunkData>;

/// What a chunk holds of headings. These live beside the chunks, one small value each in
/// one vector, so that a pass over the outline's levels reads a few kilobytes and opens
/// only the chunks it needs: the structure rules run after every edit, and reading every
/// chunk of a 10 MB article cost them a quarter of a millisecond in cache misses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HeadingMarks {
    /// Bit `l - 1` is set when the chunk holds a level-`l` heading.
    pub levels: u8,
    /// The level of the chunk's first heading and of its last (0: it has none).
    pub first: u8,
    pub last: u8,
    /// The largest number of levels the outline goes down between two headings of the
    /// chunk in a row (`##` then `####`: 2); 0 when it never goes down.
    pub deepest_step: u8,
}

impl HeadingMarks {
    /// The marks of headings with these levels, in order.
    pub fn of(levels: impl IntoIterator<Item = u8>) -> HeadingMarks {
        let mut m = HeadingMarks::default();
        for l in levels {
            m.levels |= 1u8.checked_shl(u32::from(l.max(1)) - 1).unwrap_or(0);
            if m.first == 0 {
                m.first = l;
            } else {
                m.deepest_step = m.deepest_step.max(l.saturating_sub(m.last));
            }
            m.last = l;
        }
        m
    }

    /// Whether the chunk holds a level-`level` heading.
    pub fn has(&self, level: u8) -> bool {
        (1..=8).contains(&level) && self.levels & (1 << (level - 1)) != 0
    }
}

#[derive(Clone, Debug, Default)]
pub struct BlockList {
    chunks: Vec<Chunk>,
    /// `bases[i]`: the absolute offset chunk `i`'s relative spans are measured from.
    bases: Vec<usize>,
    /// `marks[i]`: what chunk `i` holds of headings.
    marks: Vec<HeadingMarks>,
    len: usize,
}

impl PartialEq for BlockList {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}
impl Eq for BlockList {}

/// Chunks with their bases and heading marks, in order.
#[derive(Default)]
struct Chunked {
    chunks: Vec<Chunk>,
    bases: Vec<usize>,
    marks: Vec<HeadingMarks>,
}

/// Cuts blocks (absolute spans) into chunks, as they come: no copy of the whole list.
fn chunked(blocks: impl IntoIterator<Item = (Block, Slot)>) -> Chunked {
    let mut blocks = blocks.into_iter();
    let mut out = Chunked::default();
    while let Some(first) = blocks.next() {
        let base = first.0.span.start;
        let delta = -(base as isize);
        let (mut bs, mut slots) = (Vec::with_capacity(CHUNK), Vec::with_capacity(CHUNK));
        for (b, s) in std::iter::once(first).chain(blocks.by_ref().take(CHUNK - 1)) {
            bs.push(b.shifted(delta));
            slots.push(s);
        }
        let chunk = ChunkData::new(bs, slots);
        out.marks.push(HeadingMarks::of(
            chunk
                .headings
                .iter()
                .filter_map(|&i| chunk.blocks[i as usize].heading().map(|h| h.0)),
        ));
        out.chunks.push(Arc::new(chunk));
        out.bases.push(base);
    }
    out
}

impl BlockList {
    pub fn from_vec(blocks: Vec<Block>) -> BlockList {
        let len = blocks.len();
        let Chunked {
            chunks,
            bases,
            marks,
        } = chunked(blocks.into_iter().map(|b| (b, Slot::default())));
        BlockList {
            chunks,
            bases,
            marks,
            len,
        }
    }

    /// Appends `other`, whose blocks all come after this list's (absolute spans): the
    /// halves of a document parsed on two threads, each cut into chunks on its own.
    pub fn append(&mut self, other: BlockList) {
        debug_assert!(match (self.chunks.len(), other.chunks.is_empty()) {
            (0, _) | (_, true) => true,
            (n, false) => self.last_end(n - 1) <= other.bases[0],
        });
        self.chunks.extend(other.chunks);
        self.bases.extend(other.bases);
        self.marks.extend(other.marks);
        self.len += other.len;
    }

    /// All blocks with their derived slots.
    pub fn iter_slots(&self) -> impl Iterator<Item = (Block, &Slot)> + '_ {
        (0..self.chunks.len()).flat_map(move |ci| {
            let base = self.bases[ci] as isize;
            let c = &self.chunks[ci];
            c.blocks
                .iter()
                .zip(c.slots.iter())
                .map(move |(b, s)| (b.shifted(base), s))
        })
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn chunk_blocks(&self, ci: usize) -> impl DoubleEndedIterator<Item = Block> + '_ {
        let base = self.bases[ci] as isize;
        self.chunks[ci].blocks.iter().map(move |b| b.shifted(base))
    }

    /// All blocks, with absolute spans.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = Block> + '_ {
        (0..self.chunks.len()).flat_map(|ci| self.chunk_blocks(ci))
    }

    /// Each chunk's heading marks, with its index for [`chunk_headings`](Self::chunk_headings).
    pub fn heading_marks(&self) -> impl Iterator<Item = (usize, HeadingMarks)> + '_ {
        self.marks.iter().copied().enumerate()
    }

    /// The headings of chunk `ci`, in order, with absolute spans.
    pub fn chunk_headings(&self, ci: usize) -> impl DoubleEndedIterator<Item = Block> + '_ {
        let base = self.bases[ci] as isize;
        let c = &self.chunks[ci];
        c.headings
            .iter()
            .map(move |&i| c.blocks[i as usize].shifted(base))
    }

    fn last_end(&self, ci: usize) -> usize {
        self.bases[ci]
            + self.chunks[ci]
                .blocks
                .last()
                .expect("chunks are never empty")
                .span
                .end
    }

    fn last_start(&self, ci: usize) -> usize {
        self.bases[ci]
            + self.chunks[ci]
                .blocks
                .last()
                .expect("chunks are never empty")
                .span
                .start
    }

    /// Index of the chunk holding the first block whose end is at or after `offset`
    /// (the number of chunks when there is none).
    fn chunk_for(&self, offset: usize) -> usize {
        // Chunks are ordered; the last block of a chunk ends before the next chunk's base.
        let n = self.chunks.len();
        partition_point(n, |ci| self.last_end(ci) < offset)
    }

    /// Blocks from the first one ending at or after `offset`, in order.
    pub fn iter_from(&self, offset: usize) -> impl Iterator<Item = Block> + '_ {
        let ci = self.chunk_for(offset);
        (ci..self.chunks.len())
            .flat_map(|ci| self.chunk_blocks(ci))
            .skip_while(move |b| b.span.end < offset)
    }

    /// The blocks [`iter_from`](Self::iter_from) gives, through the `extra`-th of those
    /// that start after `end`. Chunks that start no later than `end` are copied whole,
    /// a loop each: the window of a document just opened is every block, and going
    /// through the iterator cost about a hundred instructions a block (5 ms for 54,000,
    /// under the workspace's lock).
    pub fn collect_from(&self, offset: usize, end: usize, extra: usize) -> Vec<Block> {
        let mut out = Vec::new();
        let mut past = 0;
        let first = self.chunk_for(offset);
        for ci in first..self.chunks.len() {
            let base = self.bases[ci];
            let blocks = &self.chunks[ci].blocks;
            // Only the first chunk holds blocks that end before `offset`.
            let from = if ci == first {
                blocks.partition_point(|b| base + b.span.end < offset)
            } else {
                0
            };
            if past == 0 && self.last_start(ci) <= end {
                out.extend(blocks[from..].iter().map(|b| b.shifted(base as isize)));
                continue;
            }
            for b in &blocks[from..] {
                let b = b.shifted(base as isize);
                if b.span.start > end {
                    past += 1;
                    if past > extra {
                        return out;
                    }
                }
                out.push(b);
            }
        }
        out
    }

    /// Blocks before `offset` (those starting before it), last first.
    pub fn iter_before(&self, offset: usize) -> impl Iterator<Item = Block> + '_ {
        let ci = self
            .chunk_for(offset)
            .min(self.chunks.len().saturating_sub(1));
        let end = (ci + 1).min(self.chunks.len());
        (0..end)
            .rev()
            .flat_map(|ci| self.chunk_blocks(ci).rev())
            .skip_while(move |b| b.span.start >= offset)
    }

    /// Replaces the blocks starting in `[old.start, old.end)` with `new` (already in new
    /// coordinates) and moves every block starting at or after `old.end` by `delta`.
    pub fn splice(&mut self, old: Span, new: Vec<Block>, delta: isize) {
        // The chunks that hold blocks starting inside `old`, plus the one it ends in.
        let first = partition_point(self.chunks.len(), |ci| self.last_start(ci) < old.start);
        let mut last = first;
        while last < self.chunks.len() && self.bases[last] < old.end {
            last += 1;
        }
        // Blocks kept (before and after the re-parsed ones) keep their derived slots; new
        // blocks start empty.
        let mut merged: Vec<(Block, Slot)> = (first..last)
            .flat_map(|ci| {
                let base = self.bases[ci] as isize;
                let c = &self.chunks[ci];
                c.blocks
                    .iter()
                    .zip(c.slots.iter())
                    .map(move |(b, s)| (b.shifted(base), s.clone()))
            })
            .collect();
        let removed_from = merged.partition_point(|b| b.0.span.start < old.start);
        let removed_to = merged.partition_point(|b| b.0.span.start < old.end);
        let tail: Vec<(Block, Slot)> = merged[removed_to..]
            .iter()
            .map(|(b, s)| (b.shifted(delta), s.clone()))
            .collect();
        self.len = self.len - (removed_to - removed_from) + new.len();
        merged.truncate(removed_from);
        merged.extend(new.into_iter().map(|b| (b, Slot::default())));
        merged.extend(tail);
        if delta != 0 {
            for base in &mut self.bases[last..] {
                *base = base.wrapping_add_signed(delta);
            }
        }
        let new = chunked(merged);
        // In place when the number of chunks does not change (the common case).
        self.chunks.splice(first..last, new.chunks);
        self.bases.splice(first..last, new.bases);
        self.marks.splice(first..last, new.marks);
    }
}

/// The first index in `0..n` for which `pred` is false (`pred` is true, then false).
fn partition_point(n: usize, pred: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, n);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if pred(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::BlockKind;

    fn para(start: usize, end: usize) -> Block {
        Block::new(BlockKind::Paragraph, Span::new(start, end))
    }

    #[test]
    fn splice_replaces_and_shifts_across_chunks() {
        let blocks: Vec<Block> = (0..300).map(|i| para(i * 10, i * 10 + 5)).collect();
        let mut list = BlockList::from_vec(blocks.clone());
        // Replace blocks starting in [995, 1015) (blocks 100 and 101) with one block, growing by 7.
        list.splice(Span::new(995, 1015), vec![para(1000, 1022)], 7);
        let mut expected = blocks[..100].to_vec();
        expected.push(para(1000, 1022));
        expected.extend(blocks[102..].iter().map(|b| b.shifted(7)));
        assert_eq!(list.iter().collect::<Vec<_>>(), expected);
        assert_eq!(list.len(), expected.len());
        assert_eq!(list.iter_from(1021).next(), Some(para(1000, 1022)));
        assert_eq!(list.iter_before(1000).next(), Some(para(990, 995)));
    }

    fn heading(start: usize, end: usize) -> Block {
        let title = Span::new(start + 2, end);
        // Levels 1 to 6 by where the heading is.
        let level = (start / 10 % 6) as u8 + 1;
        Block::new(BlockKind::Heading { level, title }, Span::new(start, end))
    }

    fn marks_hold(l: &BlockList) -> bool {
        l.heading_marks().all(|(ci, m)| {
            m == HeadingMarks::of(
                l.chunk_headings(ci)
                    .filter_map(|b| b.heading().map(|h| h.0)),
            )
        })
    }

    #[test]
    fn the_headings_index_follows_splices_and_appends() {
        // Every seventh block a heading, over several chunks.
        let make = |i: usize| {
            if i % 7 == 3 {
                heading(i * 10, i * 10 + 5)
            } else {
                para(i * 10, i * 10 + 5)
            }
        };
        let headings = |l: &BlockList| {
            l.heading_marks()
                .flat_map(|(ci, _)| l.chunk_headings(ci))
                .collect::<Vec<_>>()
        };
        let filtered = |l: &BlockList| {
            l.iter()
                .filter(|b| b.heading().is_some())
                .collect::<Vec<_>>()
        };
        let mut list = BlockList::from_vec((0..150).map(make).collect());
        list.append(BlockList::from_vec((150..300).map(make).collect()));
        assert_eq!(headings(&list).len(), 43);
        assert_eq!(headings(&list), filtered(&list));
        assert!(marks_hold(&list));
        // A heading replaced by a paragraph, a paragraph by a heading, blocks moved.
        list.splice(Span::new(1025, 1035), vec![para(1030, 1033)], 2);
        list.splice(Span::new(2000, 2005), vec![heading(2000, 2004)], -1);
        assert_eq!(headings(&list), filtered(&list));
        assert!(headings(&list).contains(&heading(2000, 2004)));
        assert!(!headings(&list).iter().any(|b| b.span.start == 1030));
        assert!(marks_hold(&list));
    }

    #[test]
    fn heading_marks_say_what_a_run_of_headings_holds() {
        let m = HeadingMarks::of([2, 3, 2, 5, 1]);
        assert_eq!((m.first, m.last, m.deepest_step), (2, 1, 3));
        assert!(m.has(1) && m.has(5) && !m.has(4) && !m.has(6));
        assert_eq!(HeadingMarks::of([]), HeadingMarks::default());
        assert_eq!(HeadingMarks::of([4, 3, 2]).deepest_step, 0);
    }

    #[test]
    fn a_snapshot_keeps_its_blocks_and_the_next_edit_copies_no_chunk() {
        let blocks: Vec<Block> = (0..300).map(|i| para(i * 10, i * 10 + 5)).collect();
        let mut list = BlockList::from_vec(blocks.clone());
        let snapshot = list.clone();
        list.splice(Span::new(15, 15), vec![], 4);
        assert_eq!(snapshot.iter().collect::<Vec<_>>(), blocks);
        // Every chunk after the edited one is still shared with the snapshot.
        let shared = (1..list.chunks.len())
            .filter(|&i| Arc::ptr_eq(&list.chunks[i], &snapshot.chunks[i]))
            .count();
        assert_eq!(shared, list.chunks.len() - 1);
        assert_eq!(list.iter().last(), Some(para(2994, 2999)));
    }

    #[test]
    fn derived_data_moves_with_its_block_and_goes_with_a_reparse() {
        let blocks: Vec<Block> = (0..200).map(|i| para(i * 10, i * 10 + 5)).collect();
        let mut list = BlockList::from_vec(blocks);
        for (b, slot) in list.iter_slots() {
            let _ = slot.entities.set(Arc::new(b.span.start));
        }
        // Block 100 (at 1000) is re-parsed; everything after it moves by 3.
        list.splice(Span::new(1000, 1001), vec![para(1000, 1008)], 3);
        let got: Vec<(usize, Option<usize>)> = list
            .iter_slots()
            .map(|(b, s)| {
                (
                    b.span.start,
                    s.entities
                        .get()
                        .and_then(|d| d.downcast_ref::<usize>().copied()),
                )
            })
            .collect();
        assert_eq!(got[99], (990, Some(990)));
        assert_eq!(
            got[100],
            (1000, None),
            "a re-parsed block has no derived data"
        );
        assert_eq!(got[101], (1013, Some(1010)), "moved, and its data with it");
    }

    #[test]
    fn collecting_from_an_offset_is_iterating_from_it() {
        // Chunks of 64 blocks: offsets and ends in the first chunk, on chunk boundaries,
        // between blocks, inside blocks and past the last.
        let blocks: Vec<Block> = (0..300).map(|i| para(i * 10, i * 10 + 5)).collect();
        let list = BlockList::from_vec(blocks);
        let places = [
            0, 3, 7, 10, 615, 625, 630, 635, 640, 645, 1265, 1275, 1283, 1500, 2990, 2995, 3000,
            3500,
        ];
        for offset in places {
            for end in places.iter().map(|&e| e.max(offset)) {
                for extra in [0, 1, 2, 70] {
                    let mut want = Vec::new();
                    let mut past = 0;
                    for b in list.iter_from(offset) {
                        if b.span.start > end {
                            past += 1;
                            if past > extra {
                                break;
                            }
                        }
                        want.push(b);
                    }
                    let got = list.collect_from(offset, end, extra);
                    assert_eq!(got, want, "offset {offset}, end {end}, extra {extra}");
                }
            }
        }
    }

    #[test]
    fn appended_halves_are_one_list() {
        let blocks: Vec<Block> = (0..300).map(|i| para(i * 10, i * 10 + 5)).collect();
        // Cut inside a chunk: the first half ends with a chunk that is not full.
        for cut in [0, 1, 100, 128, 299, 300] {
            let mut list = BlockList::from_vec(blocks[..cut].to_vec());
            list.append(BlockList::from_vec(blocks[cut..].to_vec()));
            assert_eq!(list, BlockList::from_vec(blocks.clone()), "cut at {cut}");
            assert_eq!(list.len(), blocks.len());
            assert_eq!(list.iter_from(1001).next(), Some(para(1000, 1005)));
            assert_eq!(list.iter_before(1000).next(), Some(para(990, 995)));
            // An edit across the seam.
            let seam = cut * 10;
            list.splice(Span::new(seam.saturating_sub(5), seam + 5), vec![], -2);
            let mut expected: Vec<Block> = blocks
                .iter()
                .filter(|b| b.span.start < seam.saturating_sub(5))
                .copied()
                .collect();
            expected.extend(
                blocks
                    .iter()
                    .filter(|b| b.span.start >= seam + 5)
                    .map(|b| b.shifted(-2)),
            );
            assert_eq!(list.iter().collect::<Vec<_>>(), expected, "cut at {cut}");
        }
    }

    #[test]
    fn splice_into_empty_and_at_the_end() {
        let mut list = BlockList::default();
        list.splice(Span::new(0, 0), vec![para(0, 3)], 3);
        list.splice(Span::new(10, 10), vec![para(10, 12)], 2);
        assert_eq!(
            list.iter().collect::<Vec<_>>(),
            vec![para(0, 3), para(10, 12)]
        );
        list.splice(Span::new(0, 20), vec![], -20);
        assert!(list.is_empty());
    }
}
