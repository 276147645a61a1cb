//! Which block rules to re-run after edits, and on what text.
//!
//! A block rule reads its owner and at most [`REACH`] blocks on either side. So when the
//! blocks in a region changed, the owners to re-check are those within `REACH` blocks of
//! the region (counting the blocks on each side of a gap the region lies in), and their
//! diagnostics replace the old ones in `affected`: from the first such owner's start to
//! the last one's end. That is exact: every other diagnostic was computed from blocks that
//! did not change.
//!
//! The text a window's rules read is copied out of the rope in batches of at most
//! [`BATCH`] owners, so a whole-document check never holds the document twice.

use ropey::Rope;

use crate::article::{Article, Block};
use crate::rules::REACH;
use crate::text::Span;

/// Owners per batch of text.
const BATCH: usize = 512;

/// Owners to re-check, with the blocks they may read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Window {
    /// The owners and up to `2 * REACH + 1` blocks on either side.
    pub blocks: Vec<Block>,
    /// Indices of the owners in `blocks`.
    pub owners: std::ops::Range<usize>,
    /// From the first owner's start to the last owner's end (at least the region).
    pub affected: Span,
}

impl Window {
    /// Batches of owners and the document span of the text each needs: from `REACH`
    /// blocks before its first owner to the line break after `REACH` blocks after its last.
    pub fn batches(&self, rope: &Rope) -> Vec<(std::ops::Range<usize>, Span)> {
        let mut out = Vec::new();
        let mut lo = self.owners.start;
        while lo < self.owners.end {
            let hi = (lo + BATCH).min(self.owners.end);
            let first = &self.blocks[lo.saturating_sub(REACH)];
            let last = &self.blocks[(hi + REACH).min(self.blocks.len()) - 1];
            let end = end_of_line_break(rope, last.span.end);
            out.push((lo..hi, Span::new(first.span.start, end)));
            lo = hi;
        }
        out
    }
}

/// `offset` moved past the line break that starts there, if any.
fn end_of_line_break(rope: &Rope, offset: usize) -> usize {
    let len = rope.len_bytes();
    let at = |i: usize| (i < len).then(|| rope.byte(i));
    match (at(offset), at(offset + 1)) {
        (Some(b'\r'), Some(b'\n')) => offset + 2,
        (Some(b'\r' | b'\n'), _) => offset + 1,
        _ => offset.min(len),
    }
}

/// The window of owners around `region`.
fn window(article: &Article, region: Span) -> Window {
    let extra = 2 * REACH + 1;
    let mut before: Vec<Block> = article
        .blocks_before(region.start)
        .filter(|b| b.span.end < region.start)
        .take(extra)
        .collect();
    before.reverse();
    let after = article.collect_blocks_from(region.start, region.end, extra);
    let n_before = before.len();
    let touched = after.iter().filter(|b| b.span.start <= region.end).count();
    // Nothing before a region at the document's start: its blocks are not copied again.
    let blocks = if before.is_empty() {
        after
    } else {
        let mut blocks = before;
        blocks.extend(after);
        blocks
    };
    // The block before the region and the one after it own the gaps around it.
    let lo = n_before.saturating_sub(1 + REACH);
    let hi = (n_before + touched + 1 + REACH).min(blocks.len());
    let mut affected = region;
    if lo < hi {
        affected.start = affected.start.min(blocks[lo].span.start);
        affected.end = affected.end.max(blocks[hi - 1].span.end);
    }
    Window {
        blocks,
        owners: lo..hi,
        affected,
    }
}

/// Disjoint windows covering every owner that can see a block in one of `regions`.
/// Windows whose owners would overlap are merged, so no owner is checked twice.
pub fn windows(article: &Article, regions: &[Span]) -> Vec<Window> {
    let mut sorted = regions.to_vec();
    sorted.sort_by_key(|s| (s.start, s.end));
    // Each window with the union of the regions it was built from.
    let mut out: Vec<(Span, Window)> = Vec::new();
    for r in sorted {
        let mut region = r;
        let mut w = window(article, region);
        // A merged window reaches further back than either part: merge backwards until
        // it no longer meets the window before it.
        while let Some((prev_region, prev)) = out.last() {
            if prev.affected.end < w.affected.start {
                break;
            }
            region = Span::new(
                prev_region.start.min(region.start),
                prev_region.end.max(region.end),
            );
            out.pop();
            w = window(article, region);
        }
        out.push((region, w));
    }
    out.into_iter().map(|(_, w)| w).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Format;

    #[test]
    fn edits_far_apart_are_two_windows_and_close_ones_one() {
        let text = "para\n\n".repeat(1000);
        let article = Article::parse_str(&text, Format::Markdown);
        let top = Span::new(6, 8);
        let bottom = Span::new(text.len() - 6, text.len() - 4);
        let ws = windows(&article, &[bottom, top]);
        assert_eq!(ws.len(), 2);
        assert!(ws[0].affected.end < 100 && ws[1].affected.start > text.len() - 100);
        // The edited block, REACH blocks on either side and one more for the gap after
        // it; the last block has no gap after it.
        assert_eq!(ws[0].owners.len(), 2 * REACH + 1);
        assert_eq!(ws[1].owners.len(), REACH + 2);
        let near = windows(&article, &[Span::new(6, 8), Span::new(24, 26)]);
        assert_eq!(near.len(), 1);
        assert!(near[0].affected.start <= 6 && near[0].affected.end >= 26);
    }

    #[test]
    fn merged_windows_never_share_an_owner() {
        // Regions whose windows chain: merging the last two reaches back into the first.
        let text = "para\n\n".repeat(40);
        let article = Article::parse_str(&text, Format::Markdown);
        let at = |block: usize| Span::new(block * 6, block * 6 + 2);
        for regions in [
            vec![at(5), at(12), at(16)],
            vec![at(3), at(9), at(11), at(13)],
            vec![at(0), at(6), at(8), at(30)],
        ] {
            let ws = windows(&article, &regions);
            for pair in ws.windows(2) {
                assert!(
                    pair[0].affected.end < pair[1].affected.start,
                    "{regions:?}: {:?} and {:?} overlap",
                    pair[0].affected,
                    pair[1].affected
                );
            }
            for r in &regions {
                assert!(ws
                    .iter()
                    .any(|w| w.affected.start <= r.start && r.end <= w.affected.end));
            }
        }
    }

    #[test]
    fn batches_cover_the_owners_and_their_reach() {
        let text = "para\r\n\r\n".repeat(2000);
        let article = Article::parse_str(&text, Format::PlainText);
        let rope = Rope::from_str(&text);
        let w = &windows(&article, &[Span::new(0, text.len())])[0];
        assert_eq!(w.owners, 0..2000);
        let batches = w.batches(&rope);
        assert_eq!(batches.len(), 4);
        assert_eq!(batches[0].1.start, 0);
        assert_eq!(
            batches[3].1.end,
            text.len() - 2,
            "through the block's line break"
        );
        let second = &batches[1];
        assert_eq!(second.0, 512..1024);
        assert_eq!(second.1.start, w.blocks[510].span.start);
    }
}
