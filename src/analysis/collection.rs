//! A document's diagnostics, one set per source, each recomputed and replaced on its own
//! (as rust-analyzer's `DiagnosticCollection` keeps native and `cargo check` diagnostics
//! apart).
//!
//! Through an edit, a diagnostic the edit does not touch moves with its text; one it
//! touches describes text that is gone and is dropped (its region is re-checked) — except
//! save-time diagnostics, which stay, moved, until the next save.

use std::sync::Arc;

use crate::rules::Diagnostic;
use crate::text::{Change, LineShift, Span};

/// Where a diagnostic comes from, which decides when it is recomputed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Source {
    /// Block rules as the writer types: recomputed for the neighbourhoods of edits.
    Blocks,
    /// Document rules as the writer types: recomputed whole after every change.
    Document,
    /// Rules configured to run on save (`when = "save"`): recomputed on save only.
    Save,
    /// Entity rules (misspelt names, variants): recomputed with the entity index.
    Entities,
    /// Findings across the open documents (a name spelt one way here and another way
    /// there): recomputed when any document's entity index changes.
    Workspace,
}

impl Source {
    pub const ALL: [Source; 5] = [
        Source::Blocks,
        Source::Document,
        Source::Save,
        Source::Entities,
        Source::Workspace,
    ];

    fn index(self) -> usize {
        self as usize
    }
}

#[derive(Clone, Debug, Default)]
pub struct Collection {
    /// Per source, sorted by span. Shared with snapshots; copied only when changed while
    /// a snapshot holds it.
    sets: [Arc<Vec<Diagnostic>>; 5],
}

fn sort(v: &mut [Diagnostic]) {
    v.sort_by(|a, b| (a.span.start, a.span.end, a.rule).cmp(&(b.span.start, b.span.end, b.rule)));
}

impl Collection {
    pub fn get(&self, source: Source) -> &Arc<Vec<Diagnostic>> {
        &self.sets[source.index()]
    }

    /// Every diagnostic, sorted by span.
    pub fn all(&self) -> Vec<Diagnostic> {
        let mut v: Vec<Diagnostic> = self.sets.iter().flat_map(|s| s.iter().cloned()).collect();
        sort(&mut v);
        v
    }

    /// Every diagnostic, sorted by span, borrowed: what an answer converts (copying
    /// thousands of messages for each keystroke's answer is not needed).
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut v: Vec<&Diagnostic> = self.sets.iter().flat_map(|s| s.iter()).collect();
        v.sort_by(|a, b| {
            (a.span.start, a.span.end, a.rule).cmp(&(b.span.start, b.span.end, b.rule))
        });
        v
    }

    pub fn len(&self) -> usize {
        self.sets.iter().map(|s| s.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Moves every diagnostic through a change of the text (and the positions they
    /// remember through `shift`, the change's effect on lines, when known).
    pub fn apply(&mut self, change: &Change, shift: Option<&LineShift>) {
        for source in Source::ALL {
            let set = &mut self.sets[source.index()];
            if set.is_empty() {
                continue;
            }
            let set = Arc::make_mut(set);
            if source == Source::Save {
                for d in set.iter_mut() {
                    move_diagnostic(d, change, true, shift);
                }
                // A span the edit deleted entirely says nothing any more.
                set.retain(|d| !d.span.is_empty());
            } else {
                set.retain_mut(|d| move_diagnostic(d, change, false, shift));
            }
        }
    }

    /// Replaces the whole set of `source`.
    pub fn replace(&mut self, source: Source, mut fresh: Vec<Diagnostic>) {
        sort(&mut fresh);
        self.sets[source.index()] = Arc::new(fresh);
    }

    /// Replaces the diagnostics of `source` that intersect any of `affected` (disjoint
    /// spans) with `fresh`.
    pub fn replace_in(&mut self, source: Source, affected: &[Span], fresh: Vec<Diagnostic>) {
        let set = Arc::make_mut(&mut self.sets[source.index()]);
        set.retain(|d| !affected.iter().any(|a| d.span.intersects(*a)));
        set.extend(fresh);
        sort(set);
    }

    pub fn clear(&mut self, source: Source) {
        self.sets[source.index()] = Arc::default();
    }
}

/// Moves `d` (and its related locations) through `change`. Returns false when the change
/// touches it and `keep` is false.
pub(crate) fn move_diagnostic(
    d: &mut Diagnostic,
    change: &Change,
    keep: bool,
    shift: Option<&LineShift>,
) -> bool {
    if keep {
        d.span = change.map_span(d.span);
    } else {
        match change.map_clear(d.span) {
            Some(s) => d.span = s,
            None => return false,
        }
    }
    for r in &mut d.related {
        r.span = change.map_span(r.span);
    }
    d.positions.shift(shift);
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Severity;

    fn diag(rule: &'static str, start: usize, end: usize) -> Diagnostic {
        Diagnostic {
            rule,
            severity: Severity::Warning,
            span: Span::new(start, end),
            message: String::new(),
            related: Vec::new(),
            positions: Default::default(),
            rendered: Default::default(),
        }
    }

    #[test]
    fn sources_are_replaced_on_their_own() {
        let mut c = Collection::default();
        c.replace(Source::Blocks, vec![diag("b", 50, 60), diag("b", 0, 5)]);
        c.replace(Source::Document, vec![diag("d", 20, 25)]);
        c.replace_in(
            Source::Blocks,
            &[Span::new(40, 70)],
            vec![diag("b2", 45, 46)],
        );
        let rules: Vec<_> = c.all().iter().map(|d| d.rule).collect();
        assert_eq!(rules, ["b", "d", "b2"]);
        c.replace(Source::Document, Vec::new());
        assert_eq!(c.len(), 2);
    }

    #[test]
    fn edits_move_or_drop_and_save_diagnostics_stay() {
        let mut c = Collection::default();
        c.replace(Source::Blocks, vec![diag("b", 0, 5), diag("b", 10, 15)]);
        c.replace(Source::Save, vec![diag("s", 10, 15), diag("s", 30, 32)]);
        // Type two characters at 12: inside the second block diagnostic and the first save one.
        c.apply(&Change::new(Span::new(12, 12), 2), None);
        let got: Vec<_> = c.all().iter().map(|d| (d.rule, d.span)).collect();
        assert_eq!(
            got,
            [
                ("b", Span::new(0, 5)),
                ("s", Span::new(10, 17)),
                ("s", Span::new(32, 34))
            ]
        );
        // Deleting a save diagnostic's text drops it.
        c.apply(&Change::new(Span::new(31, 35), 0), None);
        assert_eq!(c.get(Source::Save).len(), 1);
    }
}
