//! Finds the pipe table a block holds or was meant to hold: its header row, its
//! delimiter row if there is one (well formed or not), and its body rows.
//!
//! - Markdown `Table` blocks are tables pulldown-cmark renders.
//! - A Markdown paragraph holds a broken table when a pipe row is followed by a
//!   delimiter-like row or by another pipe row; the table it was meant to be runs to the
//!   end of the paragraph, as a renderer would read it once the table is repaired.
//! - Plain-text `Table(Pipe)` blocks are runs of pipe lines; ASCII-art border lines
//!   (`+----+`, `|----+----|`) are skipped.
//!
//! Lists, quotes, code, HTML and headings never hold a candidate.

use super::table::{block_lines, is_delimiter_like, is_valid_delimiter, split_row, Row};
use super::BlockCtx;
use crate::article::{Block, BlockKind, Format, TableKind};

#[derive(Clone, Debug)]
pub(crate) struct PipeTable {
    pub header: Row,
    pub delimiter: Option<Row>,
    pub body: Vec<Row>,
    /// A table a Markdown renderer draws as a table.
    pub rendered: bool,
}

impl PipeTable {
    /// The table's number of columns: the header's cells, or for a table the renderer
    /// accepted, its delimiter row's (pulldown-cmark splits a header on a pipe inside a
    /// code span, which we keep in the cell; the delimiter row has no code spans).
    pub fn columns(&self) -> usize {
        match (&self.delimiter, self.rendered) {
            (Some(d), true) => d.len(),
            _ => self.header.len(),
        }
    }
}

/// A line of an ASCII-art table border.
fn is_border(s: &str) -> bool {
    let t = s.trim();
    t.contains('+')
        && t.chars()
            .all(|c| matches!(c, '-' | '=' | '+' | '|' | ':' | ' '))
}

/// Whether `h` reads as the header of the clear pipe row `next` under it: a clear row
/// itself, or one with an outer pipe on one side only (`| Sector | Share`, its closing
/// pipe lost or never typed) and as many cells as `next`.
fn heads(h: &Row, next: &Row) -> bool {
    h.is_strong()
        || ((h.leading_pipe || h.trailing_pipe) && h.inner_pipes() >= 1 && h.len() == next.len())
}

pub(crate) fn pipe_table(ctx: &BlockCtx<'_>, b: Block) -> Option<PipeTable> {
    let text = ctx.text;
    match (ctx.format, b.kind) {
        (Format::Markdown, BlockKind::Table(TableKind::Pipe)) => {
            let mut rows = block_lines(text, b.span)
                .into_iter()
                .map(|l| split_row(l.text, l.start));
            let header = rows.next()?;
            let delimiter = rows.next();
            Some(PipeTable {
                header,
                delimiter,
                body: rows.collect(),
                rendered: true,
            })
        }
        (Format::Markdown, BlockKind::Paragraph) => {
            memchr::memchr(b'|', text[b.span.range()].as_bytes())?;
            let lines = block_lines(text, b.span);
            let mut rows: Vec<Row> = lines.iter().map(|l| split_row(l.text, l.start)).collect();
            // A delimiter-like row anchors the table: look for one first, then for two
            // clear pipe rows in a row.
            let (j, delimited) = [true, false].into_iter().find_map(|delimited| {
                (0..rows.len().saturating_sub(1))
                    .find(|&j| {
                        let (h, next) = (&rows[j], &rows[j + 1]);
                        if !h.has_pipes() || is_delimiter_like(text, h) {
                            false
                        } else if delimited {
                            is_delimiter_like(text, next)
                        } else {
                            next.is_strong() && h.len() >= 2 && heads(h, next)
                        }
                    })
                    .map(|j| (j, delimited))
            })?;
            if delimited
                && is_valid_delimiter(text, &rows[j + 1])
                && rows[j + 1].len() == rows[j].len()
            {
                // pulldown-cmark saw no table here though we do: stay silent.
                return None;
            }
            // The rows are moved into the table, not copied: body, delimiter, header.
            let body = rows.split_off(j + 1 + usize::from(delimited));
            let delimiter = if delimited { rows.pop() } else { None };
            Some(PipeTable {
                header: rows.pop()?,
                delimiter,
                body,
                rendered: false,
            })
        }
        (Format::PlainText, BlockKind::Table(TableKind::Pipe)) => {
            let lines = block_lines(text, b.span);
            if lines.iter().any(|l| is_border(l.text)) {
                return None;
            }
            let mut rows = lines.iter().map(|l| split_row(l.text, l.start)).peekable();
            let header = rows.next()?;
            let delimiter = rows.next_if(|r| is_delimiter_like(text, r));
            Some(PipeTable {
                header,
                delimiter,
                body: rows.collect(),
                rendered: false,
            })
        }
        _ => None,
    }
}
