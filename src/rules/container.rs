//! Tables inside Markdown block quotes and list items (`> | a | b |`, a fact box quoted
//! from another outlet, a table under a list item).
//!
//! The container's content, with its markers taken off every line (`>` and the space
//! after it; a list item's content indentation), is a Markdown document of its own: it is
//! parsed and checked by the same block rules, and what they report is mapped back to the
//! container's text. Fixes keep the markers: every line break a fix inserts is followed by
//! the container's prefix again, so new rows stay inside the quote or the item.
//!
//! Everything depends only on the container block's own text, so the owner-window
//! contract of block rules holds. Nesting is followed to [`MAX_DEPTH`] levels, never by
//! unbounded recursion.

use pulldown_cmark::{Event, Parser, Tag};

use crate::article::{Article, Block, BlockKind, Format};
use crate::text::{lines_with_offsets, Edit, Span, Text};

/// Containers inside containers are followed this deep.
pub const MAX_DEPTH: usize = 3;

/// A run of content copied verbatim from the container to the inner document.
#[derive(Clone, Copy, Debug)]
struct Piece {
    inner: usize,
    outer: usize,
    len: usize,
}

/// The inner document of a container, and how its offsets map back.
pub struct Inner {
    pub text: String,
    pieces: Vec<Piece>,
    /// What a new line inside the container starts with (`> `, or the item's indentation).
    prefix: String,
    /// The container's line break.
    line_break: &'static str,
}

impl Inner {
    /// The container offset of an inner offset.
    pub fn outer(&self, o: usize) -> usize {
        let i = self
            .pieces
            .partition_point(|p| p.inner <= o)
            .saturating_sub(1);
        match self.pieces.get(i) {
            Some(p) => p.outer + o.saturating_sub(p.inner).min(p.len),
            None => 0,
        }
    }

    pub fn outer_span(&self, s: Span) -> Span {
        Span::new(self.outer(s.start), self.outer(s.end))
    }

    /// An inner edit as an edit of the container: line breaks it inserts are followed by
    /// the container's prefix.
    pub fn outer_edit(&self, e: Edit) -> Edit {
        let mut text = String::with_capacity(e.new_text.len() + 8);
        for (i, line) in e.new_text.split('\n').enumerate() {
            if i > 0 {
                text.push_str(self.line_break);
                text.push_str(&self.prefix);
            }
            text.push_str(line.strip_suffix('\r').unwrap_or(line));
        }
        Edit::new(self.outer_span(e.span), text)
    }
}

/// Leading spaces (tabs count to the next multiple of four) and their byte length, up to
/// `max` columns.
fn indent(line: &str, max: usize) -> usize {
    let mut cols = 0;
    let mut bytes = 0;
    for b in line.bytes() {
        let w = match b {
            b' ' => 1,
            b'\t' => 4 - cols % 4,
            _ => break,
        };
        if cols + w > max {
            break;
        }
        cols += w;
        bytes += 1;
    }
    bytes
}

/// How many bytes of a block quote line are markers: up to three spaces, `>`, and one
/// space after it. A line without `>` is a lazy continuation and keeps everything.
fn quote_marker(line: &str) -> usize {
    let lead = indent(line, 3);
    if line[lead..].starts_with('>') {
        let after = lead + 1;
        after + usize::from(line[after..].starts_with([' ', '\t']))
    } else {
        0
    }
}

/// The width of a list item's marker and the spaces after it (its content indentation).
fn item_marker(line: &str) -> usize {
    let lead = indent(line, 3);
    let rest = &line[lead..];
    let marker = if rest.starts_with(['-', '*', '+']) {
        1
    } else {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || digits > 9 || !rest[digits..].starts_with(['.', ')']) {
            return 0;
        }
        digits + 1
    };
    let after = &rest[marker..];
    let spaces = after.bytes().take_while(|&b| b == b' ').count();
    // Five or more spaces: the content is indented code, one space belongs to the marker.
    let spaces = if spaces == 0 || spaces > 4 {
        1.min(after.len())
    } else {
        spaces
    };
    lead + marker + spaces
}

fn line_break_of(text: &str) -> &'static str {
    if text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    }
}

/// The inner document of a quote or list block (`None` for other blocks).
pub fn unwrap(text: Text<'_>, block: Block) -> Option<Inner> {
    let body = text.slice(block.span);
    let mut inner = Inner {
        text: String::with_capacity(body.len()),
        pieces: Vec::new(),
        prefix: String::new(),
        line_break: line_break_of(body),
    };
    let push = |inner: &mut Inner, content: &str, outer: usize| {
        inner.pieces.push(Piece {
            inner: inner.text.len(),
            outer,
            len: content.len(),
        });
        inner.text.push_str(content);
        inner.text.push('\n');
    };
    match block.kind {
        BlockKind::Quote => {
            for (i, line) in lines_with_offsets(body, block.span.start).enumerate() {
                let m = quote_marker(line.text);
                if i == 0 {
                    inner.prefix = line.text[..m].trim_start().to_string();
                }
                push(&mut inner, &line.text[m..], line.start + m);
            }
        }
        BlockKind::List => {
            // Each item is a document of its own: a blank line between items keeps their
            // contents apart, as the renderer does.
            let items = items(body);
            for (n, item) in items.iter().enumerate() {
                if n > 0 {
                    inner.text.push('\n');
                }
                let item_text = &body[item.clone()];
                let mut width = 0;
                for (i, line) in
                    lines_with_offsets(item_text, block.span.start + item.start).enumerate()
                {
                    let strip = if i == 0 {
                        width = item_marker(line.text);
                        if n == 0 {
                            inner.prefix = " ".repeat(width);
                        }
                        width
                    } else {
                        indent(line.text, width)
                    };
                    push(&mut inner, &line.text[strip..], line.start + strip);
                }
            }
        }
        _ => return None,
    }
    Some(inner)
}

/// The byte ranges of a list's items, from each item's first line to the next item's.
fn items(body: &str) -> Vec<std::ops::Range<usize>> {
    let mut starts = Vec::new();
    let mut depth = 0usize;
    for (event, range) in
        Parser::new_ext(body, pulldown_cmark::Options::ENABLE_TABLES).into_offset_iter()
    {
        match event {
            Event::Start(tag) => {
                if depth == 1 && matches!(tag, Tag::Item) {
                    // From the start of the item's line.
                    let line_start = body[..range.start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
                    starts.push(line_start);
                }
                depth += 1;
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    let mut out = Vec::with_capacity(starts.len());
    for (i, &s) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(body.len());
        // Up to the end of the item's last line, without the break.
        let chunk = body[s..end].trim_end_matches(['\n', '\r']);
        out.push(s..s + chunk.len());
    }
    out
}

/// The inner document parsed, when it might hold a table at all.
pub fn parse(text: Text<'_>, block: Block) -> Option<(Inner, Article)> {
    let body = text.slice(block.span);
    if !body.contains(['|', '\t']) {
        return None;
    }
    let inner = unwrap(text, block)?;
    let article = Article::parse_str(&inner.text, Format::Markdown);
    Some((inner, article))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inner_of(doc: &str) -> Inner {
        let a = Article::parse_str(doc, Format::Markdown);
        let b = a.blocks().next().unwrap();
        unwrap(Text::whole(doc), b).unwrap()
    }

    #[test]
    fn quotes_lose_their_markers_and_map_back() {
        let doc = "> | a | b |\n>\n> | 1 | 2 |\nlazy\n";
        let inner = inner_of(doc);
        assert_eq!(inner.text, "| a | b |\n\n| 1 | 2 |\nlazy\n");
        let one = inner.text.find('1').unwrap();
        assert_eq!(&doc[inner.outer(one)..inner.outer(one) + 1], "1");
        let e = inner.outer_edit(Edit::insert(inner.text.find("| 1").unwrap(), "|---|---|\n"));
        let fixed = crate::text::apply_edits(doc, &[e]);
        assert_eq!(fixed, "> | a | b |\n>\n> |---|---|\n> | 1 | 2 |\nlazy\n");
    }

    #[test]
    fn list_items_are_separate_documents() {
        let doc = "- | a | b |\n- | c | d |\n\n1. Table:\n\n   | x | y |\n   |---|---|\n";
        let a = Article::parse_str(doc, Format::Markdown);
        let blocks: Vec<Block> = a.blocks().collect();
        let first = unwrap(Text::whole(doc), blocks[0]).unwrap();
        assert_eq!(first.text, "| a | b |\n\n| c | d |\n");
        let second = unwrap(Text::whole(doc), blocks[1]).unwrap();
        assert_eq!(second.text, "Table:\n\n| x | y |\n|---|---|\n");
        assert_eq!(second.prefix, "   ");
    }

    #[test]
    fn markers() {
        assert_eq!(quote_marker("> x"), 2);
        assert_eq!(quote_marker("   >x"), 4);
        assert_eq!(
            quote_marker("    > x"),
            0,
            "four spaces: code, not a quote marker"
        );
        assert_eq!(item_marker("- x"), 2);
        assert_eq!(item_marker("10.  x"), 5);
        assert_eq!(item_marker("*     code"), 2);
    }
}
