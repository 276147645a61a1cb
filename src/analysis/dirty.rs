//! The parts of a document whose block diagnostics must be recomputed: a set of disjoint
//! spans, not one hull, so that two edits at the top and the bottom of a long article
//! (multi-cursor, replace-all, a formatter) re-check two neighbourhoods, not everything
//! between them.

use crate::text::{Change, Span};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DirtySet {
    /// Sorted, disjoint, not touching each other.
    spans: Vec<Span>,
}

impl DirtySet {
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    pub fn spans(&self) -> &[Span] {
        &self.spans
    }

    /// Adds `span`, merging it with every span it overlaps or touches.
    pub fn add(&mut self, span: Span) {
        let from = self.spans.partition_point(|s| s.end < span.start);
        let to = self.spans.partition_point(|s| s.start <= span.end);
        let mut merged = span;
        for s in &self.spans[from..to] {
            merged = Span::new(merged.start.min(s.start), merged.end.max(s.end));
        }
        self.spans.splice(from..to, [merged]);
    }

    /// Moves the spans through a change of the document; a span the change falls in
    /// grows over the new text.
    pub fn apply(&mut self, change: &Change) {
        let old = std::mem::take(&mut self.spans);
        for s in old {
            self.add(change.map_span(s));
        }
    }

    pub fn take(&mut self) -> Vec<Span> {
        std::mem::take(&mut self.spans)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_merge_only_when_they_meet() {
        let mut d = DirtySet::default();
        d.add(Span::new(10, 20));
        d.add(Span::new(1000, 1010));
        d.add(Span::new(30, 40));
        assert_eq!(
            d.spans(),
            [Span::new(10, 20), Span::new(30, 40), Span::new(1000, 1010)]
        );
        d.add(Span::new(20, 30));
        assert_eq!(d.spans(), [Span::new(10, 40), Span::new(1000, 1010)]);
        d.add(Span::new(0, 2000));
        assert_eq!(d.spans(), [Span::new(0, 2000)]);
    }

    #[test]
    fn spans_move_with_edits() {
        let mut d = DirtySet::default();
        d.add(Span::new(10, 20));
        d.add(Span::new(100, 110));
        // Five bytes inserted at 50: the first span stays, the second moves.
        d.apply(&Change::new(Span::new(50, 50), 5));
        assert_eq!(d.spans(), [Span::new(10, 20), Span::new(105, 115)]);
        // A deletion that swallows the gap joins them.
        d.apply(&Change::new(Span::new(15, 110), 0));
        assert_eq!(d.spans(), [Span::new(10, 20)]);
    }
}
