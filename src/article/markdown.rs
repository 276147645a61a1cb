//! Markdown block structure, from `pulldown-cmark` (CommonMark with GFM tables).
//!
//! Only top-level blocks become [`Block`]s: headings inside lists, block quotes, HTML
//! blocks or code are not sections of the article.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::{Block, BlockKind, TableKind};
use crate::text::Span;

fn options() -> Options {
    Options::ENABLE_TABLES
}

/// Parses `text` (a region that starts at a block boundary) into top-level blocks whose
/// spans are offset by `base`.
pub fn parse(text: &str, base: usize) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut depth = 0usize;
    let mut open: Option<(BlockKind, usize)> = None;
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        match event {
            Event::Start(tag) => {
                if depth == 0 {
                    open = Some((kind_of(&tag), range.start));
                }
                depth += 1;
            }
            Event::End(end) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    if let Some((kind, start)) = open.take() {
                        let end_offset = if matches!(end, TagEnd::Heading(_)) {
                            range.end
                        } else {
                            range.end.max(start)
                        };
                        blocks.push(finish(text, kind, start, end_offset, base));
                    }
                }
            }
            Event::Rule if depth == 0 => {
                blocks.push(finish(
                    text,
                    BlockKind::ThematicBreak,
                    range.start,
                    range.end,
                    base,
                ));
            }
            _ => {}
        }
    }
    blocks
}

fn kind_of(tag: &Tag) -> BlockKind {
    match tag {
        Tag::Heading { level, .. } => BlockKind::Heading {
            level: *level as u8,
            title: Span::default(),
        },
        Tag::Paragraph => BlockKind::Paragraph,
        Tag::BlockQuote(_) => BlockKind::Quote,
        Tag::CodeBlock(_) => BlockKind::Code,
        Tag::HtmlBlock => BlockKind::Html,
        Tag::List(_) => BlockKind::List,
        Tag::Table(_) => BlockKind::Table(TableKind::Pipe),
        _ => BlockKind::Paragraph,
    }
}

fn line_start(text: &str, i: usize) -> usize {
    text.as_bytes()[..i]
        .iter()
        .rposition(|&b| b == b'\n' || b == b'\r')
        .map_or(0, |p| p + 1)
}

fn line_end(text: &str, i: usize) -> usize {
    text.as_bytes()[i..]
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .map_or(text.len(), |p| i + p)
}

/// Turns a parser range into a block span: whole lines, trailing blank lines dropped.
fn finish(text: &str, kind: BlockKind, start: usize, end: usize, base: usize) -> Block {
    let start = line_start(text, start);
    let end = end.min(text.len()).max(start);
    let content = text[start..end].trim_end();
    let end = if content.is_empty() {
        line_end(text, start)
    } else {
        line_end(text, start + content.len() - 1)
    };
    let kind = match kind {
        BlockKind::Heading { level, .. } => BlockKind::Heading {
            level,
            title: heading_title(text, start, end).shift(base as isize),
        },
        other => other,
    };
    Block::new(kind, Span::new(start + base, end + base))
}

/// The heading's text without its markers: ATX `#`s and closing sequence, or the setext
/// underline.
fn heading_title(text: &str, start: usize, end: usize) -> Span {
    let block = &text[start..end];
    let lead = block.len() - block.trim_start().len();
    if block.trim_start().starts_with('#') {
        let first_line_end = line_end(text, start);
        let line = &text[start + lead..first_line_end];
        let after_hashes = line.trim_start_matches('#');
        let content = after_hashes.trim();
        let mut s = first_line_end - after_hashes.len()
            + (after_hashes.len() - after_hashes.trim_start().len());
        // A closing sequence of #s counts only after a space (or when it is everything).
        let mut c = content;
        let stripped = c.trim_end_matches('#');
        if stripped.is_empty() || stripped.ends_with([' ', '\t']) {
            c = stripped.trim_end();
        }
        if c.is_empty() {
            s = first_line_end;
        }
        Span::new(s, s + c.len())
    } else {
        // Setext: every line but the underline.
        let underline_start = line_start(text, end);
        let body = text[start..underline_start].trim_end();
        let s = start + lead;
        Span::new(s, (start + body.len()).max(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(BlockKind, &str)> {
        parse(text, 0)
            .into_iter()
            .map(|b| {
                let kind = match b.kind {
                    BlockKind::Heading { level, .. } => BlockKind::Heading {
                        level,
                        title: Span::default(),
                    },
                    k => k,
                };
                (kind, &text[b.span.range()])
            })
            .collect()
    }

    fn titles(text: &str) -> Vec<&str> {
        parse(text, 0)
            .into_iter()
            .filter_map(|b| b.heading().map(|(_, t)| &text[t.range()]))
            .collect()
    }

    #[test]
    fn atx_and_setext_titles() {
        let text = "# One #\n\n## Two ##  \n\nThree\n=====\n\n### C# language\n#\n";
        assert_eq!(titles(text), vec!["One", "Two", "Three", "C# language", ""]);
    }

    #[test]
    fn headings_in_code_quotes_lists_and_html_are_not_top_level() {
        let text = "```\n# not\n```\n\n    # indented\n\n> # quoted\n\n- # in list\n\n<div>\n# html\n</div>\n";
        assert!(titles(text).is_empty(), "{:?}", kinds(text));
    }

    #[test]
    fn spans_cover_whole_lines_without_trailing_blanks() {
        let text = "para one\ncontinued\n\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n";
        let got = kinds(text);
        assert_eq!(
            got,
            vec![
                (BlockKind::Paragraph, "para one\ncontinued"),
                (
                    BlockKind::Table(TableKind::Pipe),
                    "| a | b |\n|---|---|\n| 1 | 2 |"
                ),
            ]
        );
    }
}
