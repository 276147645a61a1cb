//! Markdown block structure, from `pulldown-cmark` (CommonMark with GFM tables).
//!
//! Only top-level blocks become [`Block`]s: headings inside lists, block quotes, HTML
//! blocks or code are not sections of the article.
//!
//! A table is a table when GFM renders one. pulldown-cmark accepts delimiter rows that
//! cmark-gfm (GitHub, most static-site generators) does not, such as `--:-` or `- -`: such a
//! block is parsed again without tables, and is the paragraph a reader will see.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::{Block, BlockKind, TableKind};
use crate::text::Span;

fn options() -> Options {
    Options::ENABLE_TABLES
}

/// How much text one pulldown-cmark parser reads, at least, in a long region.
const PIECE: usize = 256 << 10;

/// Parses `text` (a region that starts at a block boundary) into top-level blocks whose
/// spans are offset by `base`: the blocks pulldown-cmark finds in one pass.
///
/// Most of an article is prose: paragraphs of plain lines between blank lines, and ATX
/// headings. Their extent owes nothing to their inline content, and where nothing is open
/// above them (a fence, an HTML block) they are read here, a line at a time (see
/// [`plain_block`]). Everything else (tables, lists, quotes, code, HTML, setext headings,
/// anything unusual) goes to pulldown-cmark, in runs that end where plain blocks resume
/// for at least [`PLAIN_STRETCH`] bytes: the run is parsed through the first character of
/// the next such plain block after a blank line, and kept up to it only when
/// pulldown-cmark starts a top-level block there (nothing open swallows it). Otherwise
/// the run reaches for a plain block at least twice as far, so no byte is parsed more
/// than a few times; past the last one, the rest is parsed in pieces
/// ([`parse_in_pieces`]).
///
/// pulldown-cmark tokenises every paragraph's inline content and builds a tree node for
/// each token; for 10 MB of English news that was a third of the work of opening it.
pub fn parse(text: &str, base: usize) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut at = 0;
    while let Some(start) = next_content_line(text, at) {
        if let Ok((block, end)) = fast_block(text, start, true) {
            at = end;
            blocks.push(block.shifted(base as isize));
            continue;
        }
        // A run for pulldown-cmark, up to a plain block it ends before.
        let mut reach = start;
        let kept = loop {
            let Some((next, plain)) = plain_block_after_blank(text, reach) else {
                break None;
            };
            // Through the first character of the plain block's line: whether a block
            // starts there depends on what is open above it and on its first byte only
            // (a plain byte neither closes a fence nor continues a list), and its line
            // can be the whole of a long paragraph.
            let through = next + text[next..].chars().next().map_or(0, char::len_utf8);
            let run = &text[start..through];
            if let Some(parsed) = blocks_before(run, base + start, next - start, parse_one_pass) {
                break Some((parsed, plain));
            }
            reach = next + (next - start);
        };
        match kept {
            Some((mut parsed, (block, end))) => {
                blocks.append(&mut parsed);
                blocks.push(block.shifted(base as isize));
                at = end;
            }
            None => {
                blocks.extend(parse_in_pieces(&text[start..], base + start, PIECE));
                break;
            }
        }
    }
    blocks
}

/// The start of the first line at or after `at` that is not blank (only spaces and tabs).
fn next_content_line(text: &str, mut at: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    loop {
        let line = at;
        while at < bytes.len() && matches!(bytes[at], b' ' | b'\t') {
            at += 1;
        }
        match bytes.get(at)? {
            b'\n' => at += 1,
            b'\r' => at += 1 + usize::from(bytes.get(at + 1) == Some(&b'\n')),
            _ => return Some(line),
        }
    }
}

/// The start of the line after the one that ends at `end` (a line break or the end).
fn after_line(bytes: &[u8], end: usize) -> usize {
    match bytes.get(end) {
        Some(b'\r') if bytes.get(end + 1) == Some(&b'\n') => end + 2,
        Some(_) => end + 1,
        None => end,
    }
}

/// Can a line starting with `b` (its first byte) only be paragraph text, whatever
/// precedes it: not the start of a heading, fence, quote, list, thematic break, setext
/// underline, HTML block, link reference definition or table, nor indented?
fn plain_start(b: u8) -> bool {
    !matches!(
        b,
        b'#' | b'>'
            | b'-'
            | b'+'
            | b'*'
            | b'_'
            | b'='
            | b'`'
            | b'~'
            | b'<'
            | b'|'
            | b':'
            | b'['
            | b'0'..=b'9' | b' ' | b'\t' | b'\r' | b'\n'
    )
}

/// The plain block that starts at `start` (a line start where nothing is open): an ATX
/// heading line, or a paragraph whose lines all start with [`plain_start`] bytes, ended by
/// a blank line or the end of the text. (Such lines hold no table: a delimiter row
/// starts with `|`, `-`, `:` or white space.)
/// The block comes with the end of its last line (its span ends earlier when that line
/// ends in other white space). Otherwise, the start of the line that is not plain.
fn plain_block(text: &str, start: usize) -> Result<(Block, usize), usize> {
    let bytes = text.as_bytes();
    if bytes[start] == b'#' {
        let hashes = bytes[start..].iter().take_while(|&&b| b == b'#').count();
        let after = bytes.get(start + hashes);
        if hashes <= 6 && matches!(after, None | Some(b' ' | b'\t' | b'\r' | b'\n')) {
            let end = line_end(text, start);
            let kind = BlockKind::Heading {
                level: hashes as u8,
                title: Span::default(),
            };
            return Ok((finish(text, kind, start, end, 0), end));
        }
        return Err(start);
    }
    let mut line = start;
    let mut last_end = start;
    while line < bytes.len() {
        if !plain_start(bytes[line]) {
            // A blank line ends the paragraph; anything else is not plain.
            let blank = bytes[line..]
                .iter()
                .position(|&b| !matches!(b, b' ' | b'\t'))
                .is_none_or(|k| matches!(bytes[line + k], b'\r' | b'\n'));
            if blank && line > start {
                break;
            }
            return Err(line);
        }
        let end = memchr::memchr2(b'\n', b'\r', &bytes[line..]).map_or(bytes.len(), |k| line + k);
        last_end = end;
        line = after_line(bytes, end);
    }
    Ok((
        finish(text, BlockKind::Paragraph, start, last_end, 0),
        last_end,
    ))
}

/// A GFM pipe table at `start`, a line start where nothing is open (see [`plain_block`]),
/// in the shape most tables take: every line starts with `|`, the second is a delimiter
/// row of `|`-closed cells (`| :--- | ---: |`) as many as the header's, and the rows run
/// to a blank line or the end of the text. What pulldown-cmark makes of such lines is
/// known without it: a table of exactly those lines (its rows are the lines up to the
/// first that interrupts a paragraph, and none that starts with `|` does). The block
/// with the end of its last line; `None` for anything else, which pulldown-cmark reads:
/// a row without a cell (`|` alone ends a table there), more missing cells than
/// pulldown-cmark fills in ([`MAX_FILLED_CELLS`]; past them it reads the rest its own
/// way), any other delimiter row.
///
/// Tables were a third of pulldown-cmark's work in an opening: it tokenises every cell's
/// inline content, and we keep only the table's extent.
fn pipe_table(text: &str, start: usize) -> Option<(Block, usize)> {
    let bytes = text.as_bytes();
    if bytes.get(start) != Some(&b'|') {
        return None;
    }
    let header_end = line_end(text, start);
    let delimiter = after_line(bytes, header_end);
    if bytes.get(delimiter) != Some(&b'|') {
        return None;
    }
    let delimiter_end = line_end(text, delimiter);
    let columns = delimiter_cells(&text[delimiter..delimiter_end])?;
    if row_cells(&bytes[start..header_end]) != columns {
        return None;
    }
    let mut filled = 0;
    let mut last_end = delimiter_end;
    let mut line = after_line(bytes, delimiter_end);
    while line < bytes.len() {
        let end = line_end(text, line);
        let row = &bytes[line..end];
        if row.iter().all(|&b| matches!(b, b' ' | b'\t')) {
            break;
        }
        if row[0] != b'|' {
            return None;
        }
        let cells = row_cells(row);
        filled += columns.saturating_sub(cells);
        if cells == 0 || filled >= MAX_FILLED_CELLS {
            return None;
        }
        last_end = end;
        line = after_line(bytes, end);
    }
    let block = finish(text, BlockKind::Table(TableKind::Pipe), start, last_end, 0);
    Some((block, last_end))
}

/// How many empty cells pulldown-cmark fills in for the rows of one table (its guard
/// against quadratic growth); a table that needs more is left to it.
const MAX_FILLED_CELLS: usize = 1 << 18;

/// pulldown-cmark's whitespace within a line.
fn is_inline_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | 0x0B | 0x0C)
}

/// The cells of a table row starting with `|`, as pulldown-cmark counts them: a pipe
/// that does not follow a backslash ends a cell (in a code span too), and after the last
/// such pipe, anything but whitespace is one more.
fn row_cells(row: &[u8]) -> usize {
    let mut pipes = 0;
    let mut last = 0;
    for i in memchr::memchr_iter(b'|', row).skip(1) {
        if row[i - 1] != b'\\' {
            pipes += 1;
            last = i;
        }
    }
    pipes + usize::from(row[last + 1..].iter().any(|&b| !is_inline_space(b)))
}

/// The cells of a delimiter row (starting with `|`) in the one shape taken here: a GFM
/// delimiter row ([`gfm_delimiter_row`]) of `|`, `-`, `:` and spaces only, closed by `|`.
fn delimiter_cells(row: &str) -> Option<usize> {
    let b = row.as_bytes();
    // pulldown-cmark takes no other byte in a delimiter row (not even a tab).
    let shaped = b.iter().all(|&c| matches!(c, b'|' | b'-' | b':' | b' '))
        && b.trim_ascii_end().ends_with(b"|")
        && gfm_delimiter_row(row);
    // Opened and closed by a pipe: one cell fewer than pipes.
    shaped.then(|| memchr::memchr_iter(b'|', b).count() - 1)
}

/// A list or block quote at `start`, a line start where nothing is open (see
/// [`plain_block`]), in the shape most take in the news: every line starts a list item of
/// one kind (`- `, `* `, `+ `, `1. `, `1) `, its text on the same line) or every line
/// starts with `>`, to a blank line or the end of the text. We keep only a container's
/// extent, and for such lines it is known without pulldown-cmark, which spent most of
/// its time in an opening on them once tables were read here:
///
/// - A line that starts a list item of the same kind continues the list (a list item
///   interrupts the paragraph of the one above), and a blank line ends a block quote.
/// - A list goes on past blank lines when the next line with content starts an item of
///   the same kind, or is indented (it belongs to the last item): such lists are left
///   to pulldown-cmark, as is any other line (a lazy continuation, a nested item) and a
///   line that is a thematic break (`- - -`, `* * *`), which no list item is.
///
/// The block with the end of its last line; `None` for anything else.
fn container_block(text: &str, start: usize) -> Option<(Block, usize)> {
    let bytes = text.as_bytes();
    let first = *bytes.get(start)?;
    // What the list's items start with: a bullet, or an ordered marker's delimiter.
    let item: Option<Marker> = match first {
        b'>' => None,
        b'-' | b'*' | b'+' => Some(Marker::Bullet(first)),
        b'0'..=b'9' => Some(Marker::Ordered(ordered_delimiter(bytes, start)?.0)),
        _ => return None,
    };
    let mut last_end = start;
    let mut line = start;
    while line < bytes.len() {
        let end = line_end(text, line);
        let row = &bytes[line..end];
        if row.iter().all(|&b| matches!(b, b' ' | b'\t')) {
            break;
        }
        let fits = match item {
            None => row[0] == b'>',
            Some(marker) => marker.starts_item_with_text(row),
        };
        if !fits {
            return None;
        }
        last_end = end;
        line = after_line(bytes, end);
    }
    if let Some(marker) = item {
        if let Some(next) = next_content_line(text, line) {
            let row = &bytes[next..line_end(text, next)];
            if matches!(row[0], b' ' | b'\t') || marker.starts_item(row) {
                return None;
            }
        }
    }
    let kind = if item.is_some() {
        BlockKind::List
    } else {
        BlockKind::Quote
    };
    Some((finish(text, kind, start, last_end, 0), last_end))
}

/// What a list's items start with.
#[derive(Clone, Copy)]
enum Marker {
    /// `-`, `*` or `+`.
    Bullet(u8),
    /// Digits, then this delimiter (`.` or `)`).
    Ordered(u8),
}

impl Marker {
    /// The marker's length if `row` starts with it, followed by white space or its end:
    /// then `row` starts an item of the list.
    fn len_in(self, row: &[u8]) -> Option<usize> {
        let len = match self {
            Marker::Bullet(b) => (row.first() == Some(&b)).then_some(1)?,
            Marker::Ordered(d) => match ordered_delimiter(row, 0)? {
                (delimiter, len) if delimiter == d => len,
                _ => return None,
            },
        };
        matches!(row.get(len), None | Some(b' ' | b'\t' | b'\r' | b'\n')).then_some(len)
    }

    fn starts_item(self, row: &[u8]) -> bool {
        self.len_in(row).is_some()
    }

    /// `row` is an item of the list with its text on the line, in the one shape taken
    /// here: the marker, one space, then something other than white space; and not a
    /// thematic break (three or more `-` or `*` and spaces).
    fn starts_item_with_text(self, row: &[u8]) -> bool {
        let Some(len) = self.len_in(row) else {
            return false;
        };
        let text_follows = row.get(len) == Some(&b' ')
            && row
                .get(len + 1)
                .is_some_and(|&b| !matches!(b, b' ' | b'\t'));
        let thematic_break = match self {
            Marker::Bullet(b) => row.iter().all(|&c| c == b || matches!(c, b' ' | b'\t')),
            Marker::Ordered(_) => false,
        };
        text_follows && !thematic_break
    }
}

/// An ordered list marker at `bytes[at..]`: one to nine digits, then `.` or `)`; the
/// delimiter and the marker's length.
fn ordered_delimiter(bytes: &[u8], at: usize) -> Option<(u8, usize)> {
    let digits = bytes[at..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    if !(1..=9).contains(&digits) {
        return None;
    }
    match bytes.get(at + digits)? {
        &d @ (b'.' | b')') => Some((d, digits + 1)),
        _ => None,
    }
}

/// A block read here rather than by pulldown-cmark: a plain block, a pipe table of the
/// usual shape ([`pipe_table`]), and with `containers` a list or block quote of the usual
/// shape ([`container_block`]); otherwise where the first line that is none of them
/// starts. `containers` only where the block above is known to be closed (one read here,
/// or none): after a blank line, a list item may still belong to a list that pulldown-cmark
/// read above it.
fn fast_block(text: &str, start: usize, containers: bool) -> Result<(Block, usize), usize> {
    match plain_block(text, start) {
        Err(at) if at == start => pipe_table(text, start)
            .or_else(|| containers.then(|| container_block(text, start)).flatten())
            .ok_or(at),
        other => other,
    }
}

/// How much plain text a run of pulldown-cmark must be followed by to end there. Ending
/// a run costs about what pulldown-cmark spends on half a kilobyte of prose (a parser set
/// up, a block list); a document of a few bytes of plain text between each list item
/// would otherwise cost a run per item, ten times one pass.
const PLAIN_STRETCH: usize = 256;

/// The first plain block after `from` that follows a blank line and starts a stretch of
/// plain blocks of at least [`PLAIN_STRETCH`] bytes (or reaching the end of the text),
/// see [`plain_block`]: its start, and the block with the end of its last line.
fn plain_block_after_blank(text: &str, from: usize) -> Option<(usize, (Block, usize))> {
    let bytes = text.as_bytes();
    if from >= bytes.len() {
        return None;
    }
    let mut line = after_line(bytes, line_end(text, from));
    let mut prev_blank = false;
    while line < bytes.len() {
        let end = line_end(text, line);
        let blank = bytes[line..end].iter().all(|&b| matches!(b, b' ' | b'\t'));
        if prev_blank && !blank {
            match fast_block(text, line, false) {
                Ok(plain) => {
                    // The stretch of plain blocks it starts.
                    let mut stretch_end = plain.1;
                    let stopped = loop {
                        if stretch_end - line >= PLAIN_STRETCH {
                            break None;
                        }
                        let Some(next) = next_content_line(text, stretch_end) else {
                            break None;
                        };
                        match fast_block(text, next, true) {
                            Ok((_, end)) => stretch_end = end,
                            Err(at) => break Some(at),
                        }
                    };
                    match stopped {
                        None => return Some((line, plain)),
                        // Too short: go on from the line that is not plain.
                        Some(at) => {
                            line = at;
                            prev_blank = false;
                            continue;
                        }
                    }
                }
                // Go on from the line that is not plain (it may be blank).
                Err(at) if at > line => {
                    line = at;
                    prev_blank = false;
                    continue;
                }
                Err(_) => {}
            }
        }
        prev_blank = blank;
        line = after_line(bytes, end);
    }
    None
}

/// [`parse`], in pieces of at least `piece` bytes. Each piece ends at a restart point
/// (`super::restart_point`: a paragraph or heading after a blank line). It is parsed
/// through the line there, and its blocks are kept up to it only when a top-level block
/// starts there; otherwise (a fence, an HTML block or a list runs on across it) the rest
/// is parsed in one pass. Either way each byte is parsed at most twice.
fn parse_in_pieces(text: &str, base: usize, piece: usize) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut start = 0;
    while text.len() - start > 2 * piece {
        let from = start + piece;
        let Some(at) = super::restart_point(text, from, text.len(), super::Format::Markdown) else {
            break;
        };
        let Some(mut parsed) =
            blocks_before(&text[start..], base + start, at - start, parse_one_pass)
        else {
            break;
        };
        blocks.append(&mut parsed);
        start = at;
    }
    let rest = parse_one_pass(&text[start..], base + start);
    if blocks.is_empty() {
        return rest;
    }
    blocks.extend(rest);
    blocks
}

/// The blocks of `region[..at]` (`region` starting at a block boundary, at offset `base`),
/// where `at` is a restart point: `region` is parsed by `parse` through the line at `at`,
/// and its blocks are kept up to `at` only when a top-level block starts there; `None`
/// when none does (a fence, an HTML block or a list runs on across it).
pub(super) fn blocks_before(
    region: &str,
    base: usize,
    at: usize,
    parse: fn(&str, usize) -> Vec<Block>,
) -> Option<Vec<Block>> {
    let through =
        memchr::memchr(b'\n', &region.as_bytes()[at..]).map_or(region.len(), |k| at + k + 1);
    let mut blocks = parse(&region[..through], base);
    let k = blocks.iter().position(|b| b.span.start == base + at)?;
    blocks.truncate(k);
    Some(blocks)
}

/// [`parse`] in one pass.
pub(super) fn parse_one_pass(text: &str, base: usize) -> Vec<Block> {
    let blocks = parse_with(text, base, options());
    if !blocks
        .iter()
        .any(|b| matches!(b.kind, BlockKind::Table(_)) && !gfm_table(text, base, b))
    {
        return blocks;
    }
    // Some "table" has a delimiter row GFM rejects: what GFM renders there is a paragraph,
    // together with the paragraph lines right above it (the table took its header from them).
    let mut out: Vec<Block> = Vec::with_capacity(blocks.len());
    for b in blocks {
        if !matches!(b.kind, BlockKind::Table(_)) || gfm_table(text, base, &b) {
            out.push(b);
            continue;
        }
        let mut start = b.span.start;
        if let Some(prev) = out.last() {
            let gap = &text[prev.span.end - base..b.span.start - base];
            if prev.kind == BlockKind::Paragraph && gap.matches(['\n', '\r']).count() <= 1 {
                start = prev.span.start;
                out.pop();
            }
        }
        let region = &text[start - base..b.span.end - base];
        out.extend(parse_with(region, start, Options::empty()));
    }
    out
}

/// Does GFM accept the delimiter row (the block's second line) of a table block?
fn gfm_table(text: &str, base: usize, b: &Block) -> bool {
    let body = &text[b.span.start - base..b.span.end - base];
    let mut lines = body.lines();
    lines.next();
    lines.next().is_some_and(gfm_delimiter_row)
}

/// A GFM delimiter row: cells of `:?-+:?`, spaces around them, pipes between.
pub fn gfm_delimiter_row(line: &str) -> bool {
    let t = line.trim_matches([' ', '\t']);
    let t = t.strip_prefix('|').unwrap_or(t);
    let t = t.strip_suffix('|').unwrap_or(t);
    !t.is_empty()
        && t.split('|').all(|cell| {
            let c = cell.trim_matches([' ', '\t']);
            let c = c.strip_prefix(':').unwrap_or(c);
            let c = c.strip_suffix(':').unwrap_or(c);
            !c.is_empty() && c.bytes().all(|b| b == b'-')
        })
}

fn parse_with(text: &str, base: usize, options: Options) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut depth = 0usize;
    let mut open: Option<(BlockKind, usize)> = None;
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
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
    memchr::memchr2(b'\n', b'\r', &text.as_bytes()[i..]).map_or(text.len(), |p| i + p)
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
    fn a_table_gfm_would_not_render_is_a_paragraph() {
        let text =
            "Intro line\n| a | b |\n|--:-|---|\n| 1 | 2 |\n\n| a | b |\n| :-: | -: |\n| 1 | 2 |\n";
        let got = kinds(text);
        assert_eq!(
            got,
            vec![
                (
                    BlockKind::Paragraph,
                    "Intro line\n| a | b |\n|--:-|---|\n| 1 | 2 |"
                ),
                (
                    BlockKind::Table(TableKind::Pipe),
                    "| a | b |\n| :-: | -: |\n| 1 | 2 |"
                ),
            ]
        );
        for bad in [
            "|--:-|---|",
            "| - - | --- |",
            "|:-:-:|",
            "| ---:: |",
            "| -- -- |",
        ] {
            assert!(!gfm_delimiter_row(bad), "{bad}");
        }
        for good in ["|---|:--|", "--- | ---", "| :-: |", "|-|"] {
            assert!(gfm_delimiter_row(good), "{good}");
        }
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

    #[test]
    fn usual_pipe_tables_are_read_without_pulldown_cmark() {
        for table in [
            "| a | b |\n| --- | :---: |\n| 1 | 2 |\n| 3 |\n| 4 | 5 | 6 |",
            "| a | b\n|-|-|\n| 1 \\| 2 | 3 |",
            "| المدينة | السكان |\r\n| --- | ---: |\r\n| دمشق | ٢٫٥ |",
        ] {
            let (block, end) = pipe_table(table, 0).expect(table);
            assert_eq!(block.kind, BlockKind::Table(TableKind::Pipe));
            assert_eq!((block.span.end, end), (table.len(), table.len()), "{table}");
            assert_eq!(parse(table, 0), parse_one_pass(table, 0), "{table}");
        }
        for other in [
            "| a | b |\n|---|\n| 1 | 2 |",
            "| a | b |\n|---|---|\n|\n| 1 | 2 |",
            "| a | b |\n|---|\t---|\n| 1 | 2 |",
            "| a | b |\n|---|---|\nno pipe",
            "| a \\| b |\n|---|---|",
        ] {
            assert!(pipe_table(other, 0).is_none(), "{other}");
        }
    }

    /// pulldown-cmark stops filling in missing cells at a limit, and what it makes of the
    /// rows after that is its own: such a table is left to it, a shorter one is not.
    #[test]
    fn tables_past_the_fill_limit_are_left_to_pulldown_cmark() {
        let table = |rows: usize| {
            let mut text = String::from("| a | b | c |\n|---|---|---|\n");
            for _ in 0..rows {
                text.push_str("| x\n");
            }
            text.push_str("\nAfter.\n");
            text
        };
        let long = table(MAX_FILLED_CELLS / 2 + 2);
        assert!(pipe_table(&long, 0).is_none());
        assert_eq!(parse(&long, 0), parse_one_pass(&long, 0));
        let short = table(MAX_FILLED_CELLS / 2 - 2);
        assert!(pipe_table(&short, 0).is_some());
        assert_eq!(parse(&short, 0), parse_one_pass(&short, 0));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 256,
            rng_seed: proptest::test_runner::RngSeed::Fixed(0x7069_6563_6573),
            failure_persistence: None,
            ..proptest::prelude::ProptestConfig::default()
        })]

        /// [`parse`] (plain blocks read here, runs of the rest by pulldown-cmark) finds
        /// the blocks pulldown-cmark finds in one pass, whatever precedes or follows a
        /// plain-looking line: fences and HTML open across it, lists and quotes it may
        /// continue, tables and setext underlines below it, CRLF and lone CR.
        #[test]
        fn plain_blocks_and_runs_make_the_whole(
            pieces in proptest::collection::vec(0..crate::article::tests::PIECES.len(), 1..60),
            base in 0usize..3,
        ) {
            let text: String = pieces.iter().map(|&i| crate::article::tests::PIECES[i]).collect();
            proptest::prop_assert_eq!(parse(&text, base), parse_one_pass(&text, base));
        }

        /// A region parsed in pieces (of a few bytes here, so that a piece ends at every
        /// kind of place) is the region parsed in one pass, whatever is open across the
        /// end of a piece: fences, HTML blocks and comments, lists, quotes, setext
        /// underlines, tables, CRLF and lone CR.
        #[test]
        fn pieces_make_the_whole(
            pieces in proptest::collection::vec(0..crate::article::tests::PIECES.len(), 1..40),
            piece in 1usize..200,
            base in 0usize..3,
        ) {
            let text: String = pieces.iter().map(|&i| crate::article::tests::PIECES[i]).collect();
            proptest::prop_assert_eq!(
                parse_in_pieces(&text, base, piece),
                parse_one_pass(&text, base)
            );
        }
    }
}
