//! Edits: the one type for "replace this span with that text" (quick fixes, formatting,
//! rename, `newsls check --fix`), and [`Change`], the one place that says where an offset
//! goes when the document changes under it.

use super::Span;

/// Replace `span` (byte offsets into the document) with `new_text`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Edit {
    pub span: Span,
    pub new_text: String,
}

impl Edit {
    pub fn new(span: Span, new_text: impl Into<String>) -> Edit {
        Edit {
            span,
            new_text: new_text.into(),
        }
    }

    pub fn insert(at: usize, new_text: impl Into<String>) -> Edit {
        Edit::new(Span::new(at, at), new_text)
    }

    /// What applying this edit does to offsets.
    pub fn change(&self) -> Change {
        Change::new(self.span, self.new_text.len())
    }
}

/// `text` with `edits` applied. Edits must not overlap; their order does not matter.
pub fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in sorted {
        out.push_str(&text[at..e.span.start]);
        out.push_str(&e.new_text);
        at = e.span.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Which way an offset at the very edge of a change goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bias {
    /// Stay before text inserted at the offset.
    Before,
    /// Move past text inserted at the offset.
    After,
}

/// `old` (pre-change offsets) was replaced by `new_len` bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Change {
    pub old: Span,
    pub new_len: usize,
}

impl Change {
    pub fn new(old: Span, new_len: usize) -> Change {
        Change { old, new_len }
    }

    /// How much later offsets move.
    pub fn delta(&self) -> isize {
        self.new_len as isize - self.old.len() as isize
    }

    /// The inserted text, in post-change offsets.
    pub fn new_span(&self) -> Span {
        Span::new(self.old.start, self.old.start + self.new_len)
    }

    /// Where a pre-change offset lands. Offsets at the edges of replaced text stay outside
    /// it (before its start, after its end); offsets inside it, and an offset where text
    /// was only inserted, go to the edge of the new text that `bias` names.
    pub fn map(&self, offset: usize, bias: Bias) -> usize {
        let old = self.old;
        let inside = |bias: Bias| match bias {
            Bias::Before => old.start,
            Bias::After => old.start + self.new_len,
        };
        if offset < old.start {
            offset
        } else if offset > old.end {
            offset.wrapping_add_signed(self.delta())
        } else if old.is_empty() {
            inside(bias)
        } else if offset == old.start {
            offset
        } else if offset == old.end {
            old.start + self.new_len
        } else {
            inside(bias)
        }
    }

    /// A span mapped through the change: it keeps covering what it covered, and grows
    /// over the new text when the change was inside it.
    pub fn map_span(&self, s: Span) -> Span {
        let start = self.map(s.start, Bias::Before);
        let end = self.map(s.end, Bias::After).max(start);
        Span::new(start, end)
    }

    /// Does the change touch `s` (overlap it, or sit at one of its edges)? A diagnostic it
    /// touches no longer describes the text under it.
    pub fn touches(&self, s: Span) -> bool {
        s.start <= self.old.end && self.old.start <= s.end
    }

    /// `s` moved by the change, if the change does not touch it.
    pub fn map_clear(&self, s: Span) -> Option<Span> {
        if self.touches(s) {
            None
        } else if s.end < self.old.start {
            Some(s)
        } else {
            Some(s.shift(self.delta()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_through_a_replacement() {
        // "abcdef": "cd" (2..4) becomes "XYZ".
        let c = Change::new(Span::new(2, 4), 3);
        assert_eq!(c.map(1, Bias::After), 1);
        assert_eq!(c.map(2, Bias::Before), 2);
        assert_eq!(c.map(2, Bias::After), 2, "the start of a replacement stays");
        assert_eq!(c.map(3, Bias::Before), 2);
        assert_eq!(c.map(3, Bias::After), 5);
        assert_eq!(c.map(4, Bias::After), 5);
        assert_eq!(
            c.map(4, Bias::Before),
            5,
            "the end of a replacement moves with it"
        );
        assert_eq!(c.map(6, Bias::Before), 7);
        assert_eq!(c.map_span(Span::new(0, 3)), Span::new(0, 5));
        assert_eq!(c.map_span(Span::new(4, 6)), Span::new(5, 7));
        assert_eq!(c.map_span(Span::new(3, 3)), Span::new(2, 5));
    }

    #[test]
    fn insertions_at_an_edge() {
        let c = Change::new(Span::new(3, 3), 2);
        assert_eq!(c.map(3, Bias::Before), 3);
        assert_eq!(c.map(3, Bias::After), 5);
        assert_eq!(c.map_span(Span::new(1, 3)), Span::new(1, 5));
        assert!(c.touches(Span::new(1, 3)) && c.touches(Span::new(3, 4)));
        assert_eq!(c.map_clear(Span::new(0, 2)), Some(Span::new(0, 2)));
        assert_eq!(c.map_clear(Span::new(4, 6)), Some(Span::new(6, 8)));
        assert_eq!(c.map_clear(Span::new(2, 4)), None);
    }

    #[test]
    fn edits_apply_in_any_order() {
        let edits = [Edit::new(Span::new(4, 5), "E"), Edit::insert(0, ">")];
        assert_eq!(apply_edits("abcdef", &edits), ">abcdEf");
        assert_eq!(edits[0].change().delta(), 0);
    }
}
