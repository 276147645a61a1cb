//! A document's entity index: derived data on top of the article.
//!
//! Stage 1 of recognition depends on a block's text alone, so it is computed once per
//! block and kept in the block's derived slot (see `article::blocks`): a re-parsed block
//! starts with an empty slot, and only those are read again after an edit. Stage 2
//! (aliases, linking, misspellings) runs over the whole document from the cached blocks.
//!
//! The inline layer comes with stage 1: for Markdown, the parts of a block that are never
//! mentions — code spans, HTML, autolinks, link destinations, images — found with
//! pulldown-cmark's inline events over the block's text.
//!
//! Cost: stage 2 reads every block, so the index is recomputed with each analysis only
//! for articles up to [`EAGER_BYTES`]; longer ones get it when the writer pauses, and
//! documents over [`MAX_BYTES`] get no entity features at all (they are dumps, not
//! articles, and the index would cost more memory than the text).

use std::borrow::Cow;
use std::sync::Arc;

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};
use ropey::Rope;

use crate::article::{Article, Block, BlockKind, Format, Slot};
use crate::entities::{block_candidates, resolve, BlockEntities, DocumentEntities, Glossary};
use crate::text::{rope_slice, Span};

/// Articles up to this size get their entity index with every analysis.
pub const EAGER_BYTES: usize = 256 << 10;
/// Documents over this size get no entity features.
pub const MAX_BYTES: usize = 4 << 20;

/// Stage 1 of one block, as computed at `base`.
struct Stage1 {
    base: usize,
    entities: BlockEntities,
}

/// Blocks that can hold names.
fn indexed(b: &Block) -> bool {
    !matches!(
        b.kind,
        BlockKind::Code | BlockKind::Html | BlockKind::ThematicBreak
    )
}

/// Spans of a Markdown block (block coordinates) that are never mentions.
pub fn inline_exclusions(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut link: Option<(usize, usize)> = None; // (start, end of the last text inside)
    for (event, range) in Parser::new_ext(text, Options::ENABLE_TABLES).into_offset_iter() {
        match event {
            Event::Code(_) | Event::Html(_) | Event::InlineHtml(_) => {
                out.push(Span::new(range.start, range.end))
            }
            Event::Start(Tag::Image { .. }) => out.push(Span::new(range.start, range.end)),
            Event::Start(Tag::Link { link_type, .. }) => {
                if matches!(link_type, LinkType::Autolink | LinkType::Email) {
                    out.push(Span::new(range.start, range.end));
                } else {
                    link = Some((range.start, range.start));
                }
            }
            Event::Text(_) if link.is_some() => {
                if let Some((_, last)) = &mut link {
                    *last = range.end;
                }
            }
            Event::End(TagEnd::Link) => {
                // The destination: everything after the link text (`](url)`).
                if let Some((_, last)) = link.take() {
                    if last < range.end {
                        out.push(Span::new(last, range.end));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Stage 1 of a block at its current place: from its slot when computed there (borrowed:
/// a block's candidates hold its text and tokens, several times its size), moved when
/// the block has moved since, computed (and kept) when the slot is empty.
fn stage1<'s>(rope: &Rope, format: Format, b: Block, slot: &'s Slot) -> Cow<'s, BlockEntities> {
    let derived = slot.entities.get_or_init(|| {
        let text = rope_slice(rope, b.span);
        let excluded = match format {
            Format::Markdown => inline_exclusions(&text),
            Format::PlainText => Vec::new(),
        };
        Arc::new(Stage1 {
            base: b.span.start,
            entities: block_candidates(&text, b.span.start, &shifted(&excluded, b.span.start)),
        })
    });
    match derived.downcast_ref::<Stage1>() {
        Some(s) if s.base == b.span.start => Cow::Borrowed(&s.entities),
        Some(s) => {
            let mut e = s.entities.clone();
            e.rebase(b.span.start);
            Cow::Owned(e)
        }
        // Another kind of derived data: compute without keeping it.
        None => {
            let text = rope_slice(rope, b.span);
            Cow::Owned(block_candidates(&text, b.span.start, &[]))
        }
    }
}

fn shifted(spans: &[Span], by: usize) -> Vec<Span> {
    spans.iter().map(|s| s.shift(by as isize)).collect()
}

/// The entity index of an article.
pub fn index(article: &Article, rope: &Rope, glossary: &Glossary) -> DocumentEntities {
    let format = article.format();
    let blocks: Vec<Cow<'_, BlockEntities>> = article
        .blocks_with_slots()
        .filter(|(b, _)| indexed(b))
        .map(|(b, slot)| stage1(rope, format, b, slot))
        .collect();
    resolve(blocks.iter().map(|b| b.as_ref()), glossary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_links_and_html_are_not_prose() {
        let text = "Putin met `Trump` in [Anchorage](https://example.org/Moscow) <b>Kyiv</b> <https://x.org/Paris> ![Cairo](c.png)";
        let got: Vec<&str> = inline_exclusions(text)
            .iter()
            .map(|s| &text[s.range()])
            .collect();
        assert_eq!(
            got,
            [
                "`Trump`",
                "](https://example.org/Moscow)",
                "<b>",
                "</b>",
                "<https://x.org/Paris>",
                "![Cairo](c.png)"
            ]
        );
    }

    #[test]
    fn the_reference_article_knows_its_names_and_only_reads_what_changed() {
        let text = include_str!("../../examples/alaska-summit-ar.txt");
        let article = Article::parse_str(text, Format::PlainText);
        let rope = Rope::from_str(text);
        let doc = index(&article, &rope, &Glossary::empty());
        let alaska = text.find("ألاسكا").unwrap();
        let m = doc.mention_at(alaska).expect("ألاسكا is a mention");
        assert_eq!(&text[m.span.range()], "ألاسكا");
        assert!(doc
            .findings
            .iter()
            .any(|f| f.written == "ألكاسا" && f.suggestion == "ألاسكا"));
        // Every indexed block's stage 1 is now in its slot.
        let filled = article
            .blocks_with_slots()
            .filter(|(b, s)| indexed(b) && s.entities.get().is_some())
            .count();
        assert_eq!(filled, article.blocks().filter(indexed).count());
    }
}
