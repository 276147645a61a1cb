//! The article's blocks in document order, stored so that an edit costs little however
//! long the document is: blocks live in chunks of at most [`CHUNK`] with offsets relative
//! to the chunk's base, so shifting everything after an edit touches one number per chunk,
//! and chunks are shared (`Arc`) so that a snapshot for analysis is cheap to take.

use std::sync::Arc;

use super::Block;
use crate::text::Span;

const CHUNK: usize = 64;

#[derive(Clone, Debug, PartialEq, Eq)]
struct Chunk {
    /// Absolute offset that the chunk's relative spans are measured from.
    base: usize,
    blocks: Vec<Block>,
}

#[derive(Clone, Debug, Default)]
pub struct BlockList {
    chunks: Vec<Arc<Chunk>>,
    len: usize,
}

impl PartialEq for BlockList {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}
impl Eq for BlockList {}

fn chunked(blocks: Vec<Block>) -> Vec<Arc<Chunk>> {
    blocks
        .chunks(CHUNK)
        .map(|c| {
            let base = c[0].span.start;
            let delta = -(base as isize);
            Arc::new(Chunk {
                base,
                blocks: c.iter().map(|b| b.shifted(delta)).collect(),
            })
        })
        .collect()
}

impl BlockList {
    pub fn from_vec(blocks: Vec<Block>) -> BlockList {
        let len = blocks.len();
        BlockList {
            chunks: chunked(blocks),
            len,
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// All blocks, with absolute spans.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = Block> + '_ {
        self.chunks
            .iter()
            .flat_map(|c| c.blocks.iter().map(move |b| b.shifted(c.base as isize)))
    }

    /// Index of the chunk holding the first block whose end is at or after `offset`
    /// (the number of chunks when there is none).
    fn chunk_for(&self, offset: usize) -> usize {
        // Chunks are ordered; the last block of a chunk ends before the next chunk's base.
        self.chunks.partition_point(|c| {
            let last = c.blocks.last().expect("chunks are never empty");
            c.base + last.span.end < offset
        })
    }

    /// Blocks from the first one ending at or after `offset`, in order.
    pub fn iter_from(&self, offset: usize) -> impl Iterator<Item = Block> + '_ {
        let ci = self.chunk_for(offset);
        self.chunks[ci..]
            .iter()
            .flat_map(|c| c.blocks.iter().map(move |b| b.shifted(c.base as isize)))
            .skip_while(move |b| b.span.end < offset)
    }

    /// Blocks before `offset` (those starting before it), last first.
    pub fn iter_before(&self, offset: usize) -> impl Iterator<Item = Block> + '_ {
        let ci = self
            .chunk_for(offset)
            .min(self.chunks.len().saturating_sub(1));
        self.chunks[..(ci + 1).min(self.chunks.len())]
            .iter()
            .rev()
            .flat_map(|c| {
                c.blocks
                    .iter()
                    .rev()
                    .map(move |b| b.shifted(c.base as isize))
            })
            .skip_while(move |b| b.span.start >= offset)
    }

    /// Replaces the blocks starting in `[old.start, old.end)` with `new` (already in new
    /// coordinates) and moves every block starting at or after `old.end` by `delta`.
    pub fn splice(&mut self, old: Span, new: Vec<Block>, delta: isize) {
        // The chunks that hold blocks starting inside `old`, plus the one it ends in.
        let first = self
            .chunks
            .partition_point(|c| c.base + c.blocks.last().unwrap().span.start < old.start);
        let mut last = first;
        while last < self.chunks.len() && self.chunks[last].base < old.end {
            last += 1;
        }
        let mut merged: Vec<Block> = Vec::new();
        for c in &self.chunks[first..last] {
            merged.extend(c.blocks.iter().map(|b| b.shifted(c.base as isize)));
        }
        let removed_from = merged.partition_point(|b| b.span.start < old.start);
        let removed_to = merged.partition_point(|b| b.span.start < old.end);
        let tail: Vec<Block> = merged[removed_to..]
            .iter()
            .map(|b| b.shifted(delta))
            .collect();
        self.len = self.len - (removed_to - removed_from) + new.len();
        merged.truncate(removed_from);
        merged.extend(new);
        merged.extend(tail);
        if delta != 0 {
            for c in &mut self.chunks[last..] {
                let c = Arc::make_mut(c);
                c.base = c.base.wrapping_add_signed(delta);
            }
        }
        // In place when the number of chunks does not change (the common case).
        self.chunks.splice(first..last, chunked(merged));
    }
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
