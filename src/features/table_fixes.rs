//! Quick fixes for the table diagnostics of `rules`: each rule proposes its fixes when it
//! finds a defect, and this module hands them out for one diagnostic at a time.
//!
//! Every fix, applied, makes its diagnostic disappear and introduces no new one (tested
//! on every broken article of `tests/corpus/broken` and every rule fixture).

use crate::article::Article;
use crate::rules::{self, Diagnostic};
use crate::text::Span;

/// Replace `span` (byte offsets into the document) with `new_text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextEdit {
    pub span: Span,
    pub new_text: String,
}

/// A quick fix (LSP kind `quickfix`) for one diagnostic. Edits do not overlap.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<TextEdit>,
    pub rule: &'static str,
    pub preferred: bool,
}

/// The fixes for `diag`, recomputed from the current text. Empty when the diagnostic is
/// stale (the text changed under it) or its rule offers no fix there.
pub fn fixes_for(article: &Article, text: &str, diag: &Diagnostic) -> Vec<Fix> {
    if diag.span.end > text.len() {
        return Vec::new();
    }
    rules::findings_at(article, text, diag.span)
        .into_iter()
        .filter(|f| f.diagnostic.rule == diag.rule)
        .flat_map(|f| {
            f.fixes.into_iter().map(move |p| Fix {
                title: p.title,
                edits: p
                    .edits
                    .into_iter()
                    .map(|e| TextEdit {
                        span: e.span,
                        new_text: e.new_text,
                    })
                    .collect(),
                rule: f.diagnostic.rule,
                preferred: p.preferred,
            })
        })
        .collect()
}

/// `text` with `edits` applied (they must not overlap).
pub fn apply(text: &str, edits: &[TextEdit]) -> String {
    let mut sorted: Vec<&TextEdit> = edits.iter().collect();
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
