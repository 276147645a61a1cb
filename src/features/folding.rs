//! Folding ranges: sections, front matter, and multi-line lists, tables, code, quotes and
//! HTML blocks.

use super::outline::{outline, Section};
use crate::article::{Article, BlockKind};
use crate::text::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FoldKind {
    Section,
    FrontMatter,
    Block,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fold {
    pub span: Span,
    pub kind: FoldKind,
}

/// Candidate folds; the server drops those that start and end on the same line.
pub fn folds(article: &Article) -> Vec<Fold> {
    let mut out = Vec::new();
    if let Some(fm) = article.front_matter() {
        out.push(Fold {
            span: Span::new(0, fm.body.end),
            kind: FoldKind::FrontMatter,
        });
    }
    fn sections(list: &[Section], out: &mut Vec<Fold>) {
        for s in list {
            if s.level > 0 {
                out.push(Fold {
                    span: s.span,
                    kind: FoldKind::Section,
                });
            }
            sections(&s.children, out);
        }
    }
    sections(&outline(article), &mut out);
    for b in article.blocks() {
        if matches!(
            b.kind,
            BlockKind::List
                | BlockKind::Table(_)
                | BlockKind::Code
                | BlockKind::Quote
                | BlockKind::Html
        ) {
            out.push(Fold {
                span: b.span,
                kind: FoldKind::Block,
            });
        }
    }
    out.sort_by_key(|f| (f.span.start, std::cmp::Reverse(f.span.end)));
    out
}
