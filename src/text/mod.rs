//! Text as the protocol sees it: a rope whose lines break exactly where LSP's do
//! (`\n`, `\r\n`, `\r`), and the one place that converts between byte offsets and
//! line/column positions in UTF-8, UTF-16 or UTF-32 code units.
//!
//! Everything else in the crate speaks byte offsets into the document: [`Span`]s, read
//! through a [`Text`] window, changed by [`Edit`]s, moved through [`Change`]s.

mod edit;
mod lines;
mod position;
mod view;

pub use edit::{apply_edits, Bias, Change, Edit};
pub use lines::{line_break_len, lines_with_offsets, Line};
pub use position::{
    offset_of, position_of, positions, positions_kept, Encoding, KeptPositions, LineCol, LineShift,
    Memo, Positions,
};
pub use view::{rope_slice, Text};

/// A byte range `[start, end)` into a document. `Copy`, unlike `Range<usize>`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }
    pub const fn len(self) -> usize {
        self.end - self.start
    }
    pub const fn is_empty(self) -> bool {
        self.start == self.end
    }
    /// The span moved by `delta` bytes.
    pub fn shift(self, delta: isize) -> Span {
        Span {
            start: self.start.wrapping_add_signed(delta),
            end: self.end.wrapping_add_signed(delta),
        }
    }
    pub fn contains(self, offset: usize) -> bool {
        self.start <= offset && offset < self.end
    }
    pub fn intersects(self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
            || self.is_empty() && other.contains(self.start)
            || other.is_empty() && self.contains(other.start)
    }
    pub fn range(self) -> std::ops::Range<usize> {
        self.start..self.end
    }
}

impl From<std::ops::Range<usize>> for Span {
    fn from(r: std::ops::Range<usize>) -> Span {
        Span::new(r.start, r.end)
    }
}
