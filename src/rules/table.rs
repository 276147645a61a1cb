//! The inner structure of table-like lines, shared by the table rules, their fixes and
//! the table formatter: pipe rows split into cells (GFM's splitting, with `\|` literal and
//! pipes inside inline code spans kept in the cell), delimiter cells, tab-separated rows.
//!
//! Everything here works on one line at a time and returns byte spans into the document,
//! in time linear in the line's length (a pasted table can be one line of megabytes).

use crate::text::{lines_with_offsets, Line, Span, Text};

/// One cell of a pipe row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cell {
    /// Everything between the separators (or the line's ends), whitespace included.
    pub raw: Span,
    /// The cell's text without surrounding whitespace (empty at the raw span's start
    /// when the cell is blank).
    pub content: Span,
}

/// A line split as a GFM table row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// The line's content without leading and trailing whitespace.
    pub span: Span,
    /// Offset where the line starts (indentation included).
    pub line_start: usize,
    pub cells: Vec<Cell>,
    /// Offsets of the separating pipes, outer pipes included.
    pub pipes: Vec<usize>,
    pub leading_pipe: bool,
    pub trailing_pipe: bool,
}

impl Row {
    pub fn len(&self) -> usize {
        self.cells.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// Pipes that separate two cells (the outer pipes excluded).
    pub fn inner_pipes(&self) -> usize {
        self.pipes.len() - usize::from(self.leading_pipe) - usize::from(self.trailing_pipe)
    }

    /// A line that is clearly meant as a table row, not prose that contains a `|`: it
    /// has outer pipes and at least two cells, or at least three cells.
    pub fn is_strong(&self) -> bool {
        self.inner_pipes() >= 1 && ((self.leading_pipe && self.trailing_pipe) || self.len() >= 3)
    }

    /// Any pipe separator at all.
    pub fn has_pipes(&self) -> bool {
        !self.pipes.is_empty()
    }
}

/// Splits one line (`line` starts at document offset `start`) into GFM cells.
pub fn split_row(line: &str, start: usize) -> Row {
    let bytes = line.as_bytes();
    let lead = trimmed_start(line);
    // Never before `lead`: a line of Unicode whitespace only (U+2028, which the parser
    // does not take for a blank line) trims to nothing from both ends.
    let end = trimmed_end(line).max(lead);
    // Most rows have a handful of cells: one allocation for their pipes, one for the cells.
    let mut pipes = Vec::with_capacity(8);
    // Built at the first backtick: where the code spans close.
    let mut closers: Option<Closers> = None;
    let mut i = lead;
    while i < end {
        // Straight to the next byte that matters: cells are mostly text.
        match next_special(&bytes[i..end]) {
            Some(k) => i += k,
            None => break,
        }
        match bytes[i] {
            b'\\' => i += 2,
            b'`' => {
                let run = bytes[i..end].iter().take_while(|&&b| b == b'`').count();
                let closers = closers.get_or_insert_with(|| Closers::new(&bytes[..end], i));
                match closers.after(i + run, run) {
                    Some(close) => i = close + run,
                    None => i += run,
                }
            }
            b'|' => {
                pipes.push(start + i);
                i += 1;
            }
            _ => i += 1,
        }
    }
    let span = Span::new(start + lead, start + end);
    let leading_pipe = pipes.first() == Some(&span.start) && !span.is_empty();
    let trailing_pipe = !span.is_empty()
        && pipes.last() == Some(&(span.end - 1))
        && (pipes.len() >= 2 || !leading_pipe);
    // Cells run between pipes, and from the line's start (without a leading pipe) and to
    // its end (without a trailing one).
    let inner = &pipes[usize::from(leading_pipe)..pipes.len() - usize::from(trailing_pipe)];
    let mut cells = Vec::with_capacity(inner.len() + 1);
    let mut from = if leading_pipe {
        pipes[0] + 1
    } else {
        span.start
    };
    let last = if trailing_pipe {
        pipes[pipes.len() - 1]
    } else {
        span.end
    };
    for &to in inner.iter().chain([&last]) {
        let raw = Span::new(from, to.max(from));
        cells.push(Cell {
            raw,
            content: trim_span(line, start, raw),
        });
        from = to + 1;
    }
    Row {
        span,
        line_start: start,
        cells,
        pipes,
        leading_pipe,
        trailing_pipe,
    }
}

/// Where the first `|`, `\` or `` ` `` of `hay` is. Most cells are a few bytes: their first
/// bytes are read one by one, since a call of memchr costs as much as reading a few
/// dozen (two hundred instructions for each cell of a table's rows); the rest, on a long
/// cell, by memchr.
fn next_special(hay: &[u8]) -> Option<usize> {
    const HEAD: usize = 32;
    let head = hay.len().min(HEAD);
    hay[..head]
        .iter()
        .position(|&b| matches!(b, b'|' | b'\\' | b'`'))
        .or_else(|| memchr::memchr3(b'|', b'\\', b'`', &hay[head..]).map(|k| head + k))
}

/// The runs of backticks in a line, by length: where a code span opened by a run of `n`
/// backticks closes is the first later run of exactly `n`. Looking for it from each opener
/// would read the rest of the line once per opener, and a line of runs of growing length
/// that never close (`` ` `` ``` `` ``` ```` …) would cost the square root of the line's
/// length in passes over it; this reads the line once and answers each opener with a
/// binary search.
pub(crate) struct Closers {
    by_len: std::collections::HashMap<usize, Vec<usize>>,
}

impl Closers {
    /// The runs in `bytes[from..]`.
    pub(crate) fn new(bytes: &[u8], from: usize) -> Closers {
        let mut by_len: std::collections::HashMap<usize, Vec<usize>> = Default::default();
        let mut i = from;
        while i < bytes.len() {
            if bytes[i] == b'`' {
                let n = bytes[i..].iter().take_while(|&&b| b == b'`').count();
                by_len.entry(n).or_default().push(i);
                i += n;
            } else {
                i += 1;
            }
        }
        Closers { by_len }
    }

    /// The start of the first run of exactly `run` backticks at or after `at`.
    pub(crate) fn after(&self, at: usize, run: usize) -> Option<usize> {
        let starts = self.by_len.get(&run)?;
        starts.get(starts.partition_point(|&s| s < at)).copied()
    }
}

/// Length to the start of a run of exactly `run` backticks in `rest`, if any.
fn closing_backticks(rest: &[u8], run: usize) -> Option<usize> {
    let mut i = 0;
    while i < rest.len() {
        if rest[i] == b'`' {
            let n = rest[i..].iter().take_while(|&&b| b == b'`').count();
            if n == run {
                return Some(i);
            }
            i += n;
        } else {
            i += 1;
        }
    }
    None
}

/// `raw` (document offsets; `line` starts at `start`) without surrounding whitespace.
fn trim_span(line: &str, start: usize, raw: Span) -> Span {
    let s = &line[raw.start - start..raw.end - start];
    let lead = trimmed_start(s);
    let end = trimmed_end(s).max(lead);
    Span::new(raw.start + lead, raw.start + end)
}

/// Where `s` starts once trimmed as `str::trim_start` trims it (Unicode's whitespace):
/// ASCII whitespace is skipped as bytes, and only a character that is not ASCII is
/// decoded. A table's row and each of its cells are trimmed, mostly of ASCII spaces.
fn trimmed_start(s: &str) -> usize {
    let b = s.as_bytes();
    let i = b
        .iter()
        .position(|&c| !is_ascii_space(c))
        .unwrap_or(b.len());
    if b.get(i).is_some_and(|&c| c >= 0x80) {
        i + (s.len() - i - s[i..].trim_start().len())
    } else {
        i
    }
}

/// Where `s` ends once trimmed as `str::trim_end` trims it; see [`trimmed_start`].
fn trimmed_end(s: &str) -> usize {
    let b = s.as_bytes();
    let end = b
        .iter()
        .rposition(|&c| !is_ascii_space(c))
        .map_or(0, |k| k + 1);
    if end > 0 && b[end - 1] >= 0x80 {
        s[..end].trim_end().len()
    } else {
        end
    }
}

/// The ASCII characters `char::is_whitespace` takes for whitespace.
fn is_ascii_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t'..=b'\r')
}

/// What a delimiter cell asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    None,
    Left,
    Center,
    Right,
}

impl Align {
    /// The normal form of a delimiter cell with this alignment, `width` characters wide
    /// (at least 3).
    pub fn delimiter(self, width: usize) -> String {
        let w = width.max(3);
        match self {
            Align::None => "-".repeat(w),
            Align::Left => format!(":{}", "-".repeat(w - 1)),
            Align::Right => format!("{}:", "-".repeat(w - 1)),
            Align::Center => format!(":{}:", "-".repeat(w - 2)),
        }
    }
}

/// A valid GFM delimiter cell: `:?-+:?`.
pub fn valid_delimiter_cell(s: &str) -> Option<Align> {
    let left = s.starts_with(':');
    let right = s.len() > 1 && s.ends_with(':');
    let inner = s.trim_start_matches(':');
    let inner = inner.strip_suffix(':').unwrap_or(inner);
    if inner.is_empty() || !inner.bytes().all(|b| b == b'-') {
        return None;
    }
    Some(match (left, right) {
        (true, true) => Align::Center,
        (true, false) => Align::Left,
        (false, true) => Align::Right,
        (false, false) => Align::None,
    })
}

/// The alignment a malformed delimiter cell most likely meant: a colon in the first half
/// asks for the left, one in the second half for the right.
pub fn meant_alignment(s: &str) -> Align {
    let chars: Vec<char> = s.chars().filter(|c| !c.is_whitespace()).collect();
    let n = chars.len();
    let mut left = false;
    let mut right = false;
    for (i, &c) in chars.iter().enumerate() {
        if c == ':' {
            if 2 * i + 1 < n || (n == 1) {
                left = true;
            } else {
                right = true;
            }
        }
    }
    match (left, right) {
        (true, true) => Align::Center,
        (true, false) => Align::Left,
        (false, true) => Align::Right,
        (false, false) => Align::None,
    }
}

/// Does this row look like a delimiter row, well formed or not? Every cell is made only
/// of `-`, `=`, `:` and spaces, at least one cell has a dash or `=`, and the line has a
/// pipe (a lone `---` is a thematic break or a setext underline, not a delimiter row).
pub fn is_delimiter_like(text: Text<'_>, row: &Row) -> bool {
    row.has_pipes()
        && !row.cells.is_empty()
        && row.cells.iter().all(|c| {
            let s = &text[c.content.range()];
            // A single `=` or `:` is a value, not an attempt at a delimiter cell.
            let marks = s
                .chars()
                .filter(|ch| matches!(ch, '-' | '=' | '–' | '—'))
                .count();
            !s.is_empty()
                && s.chars()
                    .all(|ch| matches!(ch, '-' | '=' | ':' | ' ' | '\t' | '–' | '—'))
                && (valid_delimiter_cell(s).is_some()
                    || marks >= 2
                    || (marks == 1 && s.contains(':')))
        })
        && row
            .cells
            .iter()
            .any(|c| text[c.content.range()].contains(['-', '=', '–', '—']))
}

/// Every cell of a delimiter-like row is a valid delimiter cell.
pub fn is_valid_delimiter(text: Text<'_>, row: &Row) -> bool {
    row.cells
        .iter()
        .all(|c| valid_delimiter_cell(&text[c.content.range()]).is_some())
}

/// The alignment of every cell in a delimiter-like row (malformed cells by what they meant).
pub fn alignments(text: Text<'_>, row: &Row) -> Vec<Align> {
    row.cells
        .iter()
        .map(|c| {
            let s = &text[c.content.range()];
            valid_delimiter_cell(s).unwrap_or_else(|| meant_alignment(s))
        })
        .collect()
}

/// The lines of a block (its span's text), with document offsets.
pub fn block_lines<'a>(text: Text<'a>, span: Span) -> Vec<Line<'a>> {
    lines_with_offsets(text.slice(span), span.start).collect()
}

/// The line break used after the line ending at `end`, or `\n` at the end of the text.
pub fn line_break_at(text: Text<'_>, end: usize) -> &'static str {
    match (text.byte(end), text.byte(end + 1)) {
        (Some(b'\r'), Some(b'\n')) => "\r\n",
        (Some(b'\r'), _) => "\r",
        _ => "\n",
    }
}

/// Cells of a tab-separated line: (raw count, count with runs of tabs taken as one).
pub fn tsv_counts(line: &str) -> (usize, usize) {
    // Leading tabs are indentation; trailing tabs are empty cells (spreadsheets copy them).
    let t = line.trim_start_matches([' ', '\t']).trim_end_matches(' ');
    // One pass over the tabs; a cell is blank when trimming leaves nothing of it.
    let (mut raw, mut filled, mut from) = (0, 0, 0);
    for to in memchr::memchr_iter(b'\t', t.as_bytes()).chain([t.len()]) {
        raw += 1;
        let cell = &t[from..to];
        filled += usize::from(trimmed_start(cell) < cell.len());
        from = to + 1;
    }
    (raw, filled.max(1))
}

/// A line that holds a tab between two pieces of text.
pub fn has_inner_tab(line: &str) -> bool {
    // Spaces and tabs are single bytes: trimmed as bytes, without decoding characters.
    let b = line.as_bytes();
    let outer = |c: &u8| *c == b' ' || *c == b'\t';
    let Some(first) = b.iter().position(|c| !outer(c)) else {
        return false;
    };
    let last = b.iter().rposition(|c| !outer(c)).unwrap_or(first);
    memchr::memchr(b'\t', &b[first..last]).is_some()
}

/// Renders cells as a pipe row with outer pipes: `| a | b |`.
pub fn pipe_row<S: AsRef<str>>(cells: &[S]) -> String {
    let mut s = String::from("|");
    for c in cells {
        let c = c.as_ref();
        if c.is_empty() {
            s.push_str("  |");
        } else {
            s.push(' ');
            s.push_str(c);
            s.push_str(" |");
        }
    }
    s
}

/// A cell's text made safe for a pipe table: literal pipes escaped, and backticks too when
/// one of them opens no code span (it would pair with a backtick in a later cell and swallow
/// the pipes between them).
pub fn escape_cell(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut unmatched = false;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' {
            i += 2;
        } else if bytes[i] == b'`' {
            let run = bytes[i..].iter().take_while(|&&b| b == b'`').count();
            match closing_backticks(&bytes[i + run..], run) {
                Some(close) => i += run + close + run,
                None => {
                    unmatched = true;
                    break;
                }
            }
        } else {
            i += 1;
        }
    }
    let mut out = String::with_capacity(s.len());
    let mut prev_backslash = false;
    for ch in s.chars() {
        if (ch == '|' || (unmatched && ch == '`')) && !prev_backslash {
            out.push('\\');
        }
        prev_backslash = ch == '\\' && !prev_backslash;
        out.push(ch);
    }
    // A backslash at the end would escape the pipe that closes the cell.
    if prev_backslash {
        out.push('\\');
    }
    out
}

/// Display width of a cell's text: East Asian wide characters and emoji count two
/// columns, combining marks none.
pub fn display_width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

fn pad(s: &str, width: usize, align: Align) -> String {
    let gap = width.saturating_sub(display_width(s));
    match align {
        Align::Right => format!("{}{s}", " ".repeat(gap)),
        Align::Center => format!("{}{s}{}", " ".repeat(gap / 2), " ".repeat(gap - gap / 2)),
        Align::None | Align::Left => format!("{s}{}", " ".repeat(gap)),
    }
}

/// Renders a pipe table with columns aligned by display width: `rows[0]` is the header,
/// the delimiter row (from `aligns`) follows it. Rows keep their own number of cells.
pub fn render_table(rows: &[Vec<String>], aligns: &[Align]) -> Vec<String> {
    let columns = rows
        .iter()
        .map(Vec::len)
        .max()
        .unwrap_or(0)
        .max(aligns.len());
    let mut widths = vec![3usize; columns];
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(display_width(c));
        }
    }
    let line = |cells: Vec<String>| format!("| {} |", cells.join(" | "));
    let render = |r: &Vec<String>| {
        line(
            r.iter()
                .enumerate()
                .map(|(i, c)| pad(c, widths[i], aligns.get(i).copied().unwrap_or(Align::None)))
                .collect(),
        )
    };
    let mut out = Vec::with_capacity(rows.len() + 1);
    if let Some(h) = rows.first() {
        out.push(render(h));
    }
    out.push(line(
        aligns
            .iter()
            .enumerate()
            .map(|(i, a)| a.delimiter(widths[i]))
            .collect(),
    ));
    out.extend(rows.iter().skip(1).map(render));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte read one by one and the search past it find the first special byte
    /// wherever it is: before, at and after the end of the part read one by one.
    #[test]
    fn the_next_special_byte_is_found_on_either_side_of_the_head() {
        for len in 0..80 {
            let plain = vec![b'a'; len];
            assert_eq!(next_special(&plain), None);
            for at in 0..len {
                for (special, later) in [(b'|', b'`'), (b'\\', b'|'), (b'`', b'\\')] {
                    let mut hay = plain.clone();
                    hay[at] = special;
                    if at + 1 < len {
                        hay[len - 1] = later;
                    }
                    assert_eq!(next_special(&hay), Some(at), "{len} {at}");
                }
            }
        }
    }

    fn cells(line: &str) -> Vec<&str> {
        split_row(line, 0)
            .cells
            .iter()
            .map(|c| &line[c.content.range()])
            .collect()
    }

    #[test]
    fn splits_like_gfm_with_escapes_and_code_spans() {
        assert_eq!(cells("| a | b |"), vec!["a", "b"]);
        assert_eq!(cells("a | b"), vec!["a", "b"]);
        assert_eq!(cells("| a |"), vec!["a"]);
        assert_eq!(cells("| a \\| b | c |"), vec!["a \\| b", "c"]);
        assert_eq!(cells("| `x|y` | c |"), vec!["`x|y`", "c"]);
        assert_eq!(cells("| a | b | |"), vec!["a", "b", ""]);
        assert_eq!(cells("|a||b|"), vec!["a", "", "b"]);
        assert_eq!(cells("no pipes"), vec!["no pipes"]);
        assert_eq!(cells("| `unclosed | b |"), vec!["`unclosed", "b"]);
        // A row is never without a cell, however few its pipes.
        for (line, want) in [
            ("|", vec![""]),
            ("||", vec![""]),
            ("", vec![""]),
            ("   ", vec![""]),
        ] {
            assert_eq!(cells(line), want, "{line:?}");
        }
        assert_eq!(cells("a |"), vec!["a"]);
        assert_eq!(cells("| a"), vec!["a"]);
        assert_eq!(cells("|||"), vec!["", ""]);
        let r = split_row("  | a | b |", 10);
        assert_eq!(r.span, Span::new(12, 21));
        assert!(r.leading_pipe && r.trailing_pipe && r.is_strong());
        assert!(!split_row("see a | b here", 0).is_strong());
    }

    #[test]
    fn delimiter_cells() {
        assert_eq!(valid_delimiter_cell("---"), Some(Align::None));
        assert_eq!(valid_delimiter_cell(":-"), Some(Align::Left));
        assert_eq!(valid_delimiter_cell("-:"), Some(Align::Right));
        assert_eq!(valid_delimiter_cell(":-:"), Some(Align::Center));
        assert_eq!(valid_delimiter_cell("-"), Some(Align::None));
        for bad in ["--:-", "==", "-- -", ":", "::", ""] {
            assert_eq!(valid_delimiter_cell(bad), None, "{bad}");
        }
        assert_eq!(meant_alignment("--:-"), Align::Right);
        assert_eq!(meant_alignment("-:--"), Align::Left);
        assert_eq!(meant_alignment(":=:"), Align::Center);
        assert_eq!(meant_alignment("=="), Align::None);
    }

    #[test]
    fn trims_are_unicode_trims() {
        for s in [
            "",
            " ",
            "\t a \u{0B}",
            "\u{A0}a\u{A0}",
            " \u{3000} x \u{2003}",
            "é ",
            " é",
            "\u{85}",
            "\u{1C}a\u{1F}",
            "a\u{2028}",
            "\u{2028}",
            " \r\n",
            "سعر \u{200F}",
            "\u{200B}a\u{200B}",
        ] {
            assert_eq!(trimmed_start(s), s.len() - s.trim_start().len(), "{s:?}");
            assert_eq!(trimmed_end(s), s.trim_end().len(), "{s:?}");
        }
    }

    #[test]
    fn tsv() {
        assert_eq!(tsv_counts("a\tb\tc"), (3, 3));
        assert_eq!(tsv_counts("a\t\tb\t"), (4, 2));
        // What splitting on tabs and trimming each cell as characters gives.
        let naive = |line: &str| {
            let t = line.trim_start_matches([' ', '\t']).trim_end_matches(' ');
            let raw = t.split('\t').count();
            let filled = t.split('\t').filter(|s| !s.trim().is_empty()).count();
            (raw, filled.max(1))
        };
        let naive_inner = |line: &str| line.trim_matches([' ', '\t']).contains('\t');
        for line in [
            "",
            "\t",
            " \t ",
            "a",
            "\ta\tb",
            "a\t \u{A0}\tb",
            "a\t\u{A0}x\tb",
            "a\t\u{0B}\tb",
            "a\t\u{1C}\tb",
            "\u{3000}\t\u{2003}\t",
            "سعر\t\tالنفط \t",
            "a \t",
            "\t a \t b \t ",
            "a\t\r\tb",
            "é\t\u{2028}",
        ] {
            assert_eq!(tsv_counts(line), naive(line), "{line:?}");
            assert_eq!(has_inner_tab(line), naive_inner(line), "{line:?}");
        }
        assert_eq!(escape_cell("a|b\\|c"), "a\\|b\\|c");
        assert_eq!(escape_cell("`x` `y"), "\\`x\\` \\`y");
        assert_eq!(escape_cell("`x|y`"), "`x\\|y`");
        assert_eq!(escape_cell("a\\"), "a\\\\");
    }
}
