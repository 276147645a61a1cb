//! Table formatting: pipe tables with their columns aligned by display width (East Asian
//! wide characters and emoji take two columns, combining marks none; Arabic cells keep
//! their logical order), one space inside each pipe, outer pipes added, alignment
//! markers kept and their dashes stretched to the column's width.
//!
//! Only well-formed tables are touched (a Markdown table pulldown-cmark renders, a
//! plain-text pipe block with a valid delimiter row); nothing outside them changes. Rows
//! keep their number of cells (padding or dropping cells is for the quick fixes), cell
//! text is kept byte for byte, and formatting is idempotent.

use crate::article::{Article, Block, BlockKind, TableKind};
use crate::rules::table::{
    alignments, block_lines, is_delimiter_like, is_valid_delimiter, line_break_at, render_table,
    split_row,
};
use crate::text::{Edit, Span, Text};

/// Edits that format every table intersecting `range` (the whole document when `None`).
/// `text` must cover those tables and the line break after each.
pub fn format_tables(article: &Article, text: Text<'_>, range: Option<Span>) -> Vec<Edit> {
    let blocks: Box<dyn Iterator<Item = Block>> = match range {
        Some(r) => Box::new(article.blocks_in(r)),
        None => Box::new(article.blocks()),
    };
    blocks.filter_map(|b| format_block(text, b)).collect()
}

/// The edit that formats the table at `offset`, if there is one and it is not already
/// formatted (the "Format table" code action).
pub fn format_table_at(article: &Article, text: Text<'_>, offset: usize) -> Option<Edit> {
    table_at(article, offset).and_then(|b| format_block(text, b))
}

/// The pipe table block around `offset`, if any.
pub fn table_at(article: &Article, offset: usize) -> Option<Block> {
    article
        .blocks_in(Span::new(offset, offset))
        .find(|b| b.span.start <= offset && offset <= b.span.end)
        .filter(|b| b.kind == BlockKind::Table(TableKind::Pipe))
}

fn format_block(text: Text<'_>, b: Block) -> Option<Edit> {
    if b.kind != BlockKind::Table(TableKind::Pipe) {
        return None;
    }
    let lines = block_lines(text, b.span);
    if lines.len() < 2 {
        return None;
    }
    let rows: Vec<_> = lines.iter().map(|l| split_row(l.text, l.start)).collect();
    let delimiter = &rows[1];
    if !is_delimiter_like(text, delimiter)
        || !is_valid_delimiter(text, delimiter)
        || delimiter.len() != rows[0].len()
    {
        return None;
    }
    // Indentation of the first line is kept on every line (Markdown allows up to three
    // spaces; more would turn the table into code).
    let first = lines[0].text;
    let indent = &first[..first.len() - first.trim_start().len()];
    let aligns = alignments(text, delimiter);
    let cells: Vec<Vec<String>> = rows
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 1)
        .map(|(_, r)| {
            r.cells
                .iter()
                .map(|c| text[c.content.range()].to_string())
                .collect()
        })
        .collect();
    let brk = line_break_at(text, lines[0].end());
    let new_text = render_table(&cells, &aligns)
        .iter()
        .map(|l| format!("{indent}{l}"))
        .collect::<Vec<_>>()
        .join(brk);
    (new_text != text[b.span.range()]).then(|| Edit::new(b.span, new_text))
}
