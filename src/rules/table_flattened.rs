//! Diagnostic: `table-flattened`.
//!
//! A table copied out of a web page loses its cell separators: what is left is a run of
//! short lines, one per row (or one per cell, label and value in turn), with no sentence
//! punctuation, after a paragraph, a list or a section heading. The writer meant a table;
//! a reader sees gibberish. The range covers the run; related information points at its
//! first line (the likely header row, or the box's title or first label).
//!
//! The rule reads the *shape* of the lines, never a list of words. A run is at least three
//! lines, each short (at most 10 words, 80 characters), none ending in or containing
//! sentence punctuation, none a list item, a byline or markup. Short lines alone are not
//! enough — addresses, contact blocks, signatures, poems and lists of headlines are short
//! lines too: the run must show **evidence of columns**, one of
//!
//! - **alternating label and value lines** ([`alternating`]): three pairs at least, labels
//!   short, distinct and without digits, values carrying figures (half of them at least)
//!   or, in a script with case, names under sentence-case labels;
//! - **equal word counts** ([`equal_words`]): two to four words on every line, and one
//!   place holding a figure on every row under a first line without one there;
//! - **a short header over longer key/value rows** ([`key_value`]), hanging directly off a
//!   list or a paragraph, without a digit anywhere — the reference article's case;
//! - **label and value on one line** ([`inline_pairs`]), in a script with case;
//! - **figures in a column** ([`figure_columns`]) under a header-like first row: the rows
//!   share one shape of three cells or more, or the same place from the end holds a figure
//!   on every row. Figures are amounts, counts, shares, times; postcodes, route codes and
//!   phone numbers are codes ([`Tok`]) and count for nothing.
//!
//! The key/value shape counts only for a run hanging directly off a list or a paragraph;
//! under the headline nothing counts (bylines and datelines stack up there).
//!
//! Fix, only where the split is defensible, always [`Fix::preferred`] (a person looks):
//! one word per cell when every line has the same number of words; two columns for the
//! key/value, inline and alternating shapes. An alternating box's header is its title
//! line, or its first pair (GFM needs a header row and `|  |  |` is not one to offer).
//! Runs with figures in varying positions get no fix: any split would be a guess.

use std::collections::HashSet;

use super::table::{block_lines, escape_cell, line_break_at, render_table, Align};
use super::{BlockCtx, Check, Fix, Rule, Severity, Sink};
use crate::article::{Block, BlockKind, Format};
use crate::text::{Edit, Line, Span};

pub static RULE: Rule = Rule {
    id: "table-flattened",
    default_severity: Severity::Warning,
    summary: "A run of short lines looks like a table whose cell separators were lost",
    doc: include_str!("../../docs/rules/table-flattened.md"),
    check: Check::Block(check),
    options: &[],
};

const MAX_WORDS: usize = 10;
const MAX_CHARS: usize = 80;

/// Punctuation that ends a sentence or leaves one hanging: never at the end of a row.
const LINE_END: &[char] = &[
    '.', '!', '?', '؟', ':', '؛', '…', ',', '،', ';', '-', '–', '—', '"', '”', '»', '\'', '’', '(',
    '/',
];
/// Punctuation that ends a sentence inside a line.
const SENTENCE_END: &[char] = &['.', '!', '?', '؟', ':', '؛', ';'];

/// A credit line (`By …`, `بقلم …`) or a dateline is never a table row.
fn is_byline(t: &str) -> bool {
    crate::article::anatomy::byline(t).is_some() || crate::article::anatomy::is_dateline_line(t)
}

/// Could this line be one row of a flattened table? This runs on the last line of every
/// paragraph of several lines, nearly always prose: what tells prose apart in a few
/// instructions (its first character, its end) comes first, and words are counted
/// without collecting them.
fn row_like(line: &str, format: Format) -> bool {
    let t = line.trim();
    if t.is_empty() || line.len() - line.trim_start().len() > 3 {
        return false;
    }
    let first = t.chars().next().unwrap_or(' ');
    if matches!(
        first,
        '#' | '>'
            | '<'
            | '`'
            | '['
            | '!'
            | '*'
            | '_'
            | '='
            | '+'
            | '-'
            | '~'
            | '{'
            | '"'
            | '“'
            | '«'
            | '('
            | '\''
    ) || (format == Format::Markdown && (line.ends_with("  ") || t.ends_with('\\')))
    {
        return false;
    }
    // English prose that wraps onto the next line starts it in lower case; rows do not.
    if first.is_lowercase() || t.ends_with(LINE_END) {
        return false;
    }
    // At most MAX_CHARS characters (never more than its bytes) and MAX_WORDS words, and
    // no sentence ends before the last word.
    if t.len() > MAX_CHARS && t.chars().count() > MAX_CHARS {
        return false;
    }
    let mut words = t.split_whitespace().peekable();
    let mut n = 0;
    while let Some(w) = words.next() {
        n += 1;
        if n > MAX_WORDS || (words.peek().is_some() && w.ends_with(SENTENCE_END)) {
            return false;
        }
    }
    t.chars().any(char::is_alphanumeric)
        && !crate::article::plaintext::is_list_item(line)
        && !t.contains(['|', '\t'])
        && !t.contains("://")
        && !t.contains("www.")
        && !is_byline(t)
}

fn has_digit(s: &str) -> bool {
    s.chars().any(char::is_numeric)
}

/// A decimal digit, Western or Arabic-Indic.
fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('٠'..='٩').contains(&c) || ('۰'..='۹').contains(&c)
}

/// What a word of a row holds, as far as columns go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tok {
    /// No digit.
    Word,
    /// A figure: an amount, a count, a share, a time, a year — `807,000`, `£1.9`, `38%`,
    /// `+6.1%`, `03:40`, `31m`, `9am`, `17th`, `A$2.4`.
    Figure,
    /// Digits that name rather than count: postcodes (`BT1`, `3LP`), route codes (`N1`),
    /// dialling codes and phone numbers (`020`, `+1 312 555 0148`).
    Code,
}

/// The class of one word (see [`Tok`]).
fn token(w: &str) -> Tok {
    // A comma or a closing bracket after a word belongs to the line, not to the cell.
    let w = w.trim_end_matches([',', '،', ';', ')', ']']);
    if !w.chars().any(char::is_numeric) {
        return Tok::Word;
    }
    let mut s = w;
    // A dollar with a country in front of it: A$, US$, HK$.
    if let Some(i) = s.find('$') {
        if i <= 3 && s[..i].chars().all(|c| c.is_ascii_uppercase()) {
            s = &s[i..];
        }
    }
    let s = s.trim_start_matches(['+', '-', '−', '±', '~', '≈', '<', '>', '£', '$', '€', '¥', '₹']);
    if !s.starts_with(is_digit) {
        return Tok::Code;
    }
    let body_end = s
        .find(|c: char| !(is_digit(c) || matches!(c, ',' | '.' | ':' | '٫' | '٬' | '/' | '-' | '–')))
        .unwrap_or(s.len());
    let (body, suffix) = s.split_at(body_end);
    // A leading zero before another digit is a dialling code or a reference, unless the
    // word is a clock time (`03:40`).
    let mut b = body.chars();
    if matches!(b.next(), Some('0' | '٠' | '۰')) && b.next().is_some_and(is_digit) && !body.contains(':')
    {
        return Tok::Code;
    }
    // A unit after the digits is lower case (`31m`, `9am`, `5km`); capitals make a code
    // (`3LP`, `4DF`).
    let unit = suffix.chars().count() <= 4
        && suffix
            .chars()
            .all(|c| c.is_lowercase() || matches!(c, '%' | '٪' | '°' | '²' | '³'));
    if unit {
        Tok::Figure
    } else {
        Tok::Code
    }
}

/// Digits only (a group of a phone number), with `-` between groups.
fn digit_group(w: &str) -> bool {
    let w = w.trim_end_matches([',', '،']);
    w.starts_with(is_digit) && w.chars().all(|c| is_digit(c) || c == '-')
}

/// The classes of a row's words. A run of digit groups that starts with `+`, a bracketed
/// area code or a leading zero is one phone number, and a code as a whole.
fn tokens(words: &[&str]) -> Vec<Tok> {
    let mut toks: Vec<Tok> = words.iter().map(|w| token(w)).collect();
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        let opens = (w.starts_with('+') && digit_group(&w[1..]))
            || (w.starts_with('(') && w.ends_with(')') && digit_group(&w[1..w.len() - 1]))
            || (toks[i] == Tok::Code && digit_group(w));
        if !opens {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < words.len() && digit_group(words[j]) {
            j += 1;
        }
        if j - i >= 2 {
            toks[i..j].fill(Tok::Code);
        }
        i = j;
    }
    toks
}

/// One line of a run, read once.
struct Row<'a> {
    text: &'a str,
    words: Vec<&'a str>,
    toks: Vec<Tok>,
}

impl<'a> Row<'a> {
    fn new(text: &'a str) -> Row<'a> {
        let words: Vec<&str> = text.split_whitespace().collect();
        let toks = tokens(&words);
        Row { text, words, toks }
    }

    fn has_figure(&self) -> bool {
        self.toks.contains(&Tok::Figure)
    }

    /// The row's cells as its classes show them: a run of words is one cell, a run of
    /// codes one cell, and every figure a cell of its own.
    fn shape(&self) -> Vec<Tok> {
        let mut out: Vec<Tok> = Vec::new();
        for &t in &self.toks {
            if t == Tok::Figure || out.last() != Some(&t) {
                out.push(t);
            }
        }
        out
    }

    /// The class of the `k`-th word from the end (1-based).
    fn nth_from_end(&self, k: usize) -> Option<Tok> {
        self.toks.len().checked_sub(k).map(|i| self.toks[i])
    }

    /// A first word in upper case, the others in lower case (`Named by`, `Homes without
    /// power`): a label, in a script with case.
    fn sentence_case(&self) -> bool {
        self.text.starts_with(char::is_uppercase)
            && self.words[1..]
                .iter()
                .all(|w| !w.starts_with(char::is_uppercase))
    }
}

/// How the run's lines split into cells, when that is defensible.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Columns {
    /// One word per cell.
    Words(usize),
    /// The first `key` words in the first column, the rest in the second.
    KeyValue { key: usize },
    /// A label line, then its value line, pair after pair. `title`: the first line is a
    /// title over the pairs (it becomes the header). `header`: the first pair reads as
    /// column names (no figure where the other values all have one).
    Pairs { title: bool, header: bool },
    /// A label and its value on each line, the label being the first `splits[i]` words.
    Inline(Vec<usize>),
    /// One cell per line, `n` cells a row: the first row names the columns.
    Cells(usize),
}

/// What came right before the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Before {
    /// A paragraph or a list, `attached` when no blank line separates them.
    Body { attached: bool },
    /// A section heading (or a heading-shaped first line in the same block).
    Heading,
}

/// At most this many words and characters in the label of a fact box.
const LABEL_WORDS: usize = 4;
const LABEL_CHARS: usize = 32;
/// Label/value pairs a fact box needs at least: two pairs are a signature or a caption.
const MIN_PAIRS: usize = 3;

/// A year (`2026`, `١٩٩٨`) or a clock time (`10:45`).
fn dates_or_times(row: &Row<'_>) -> bool {
    row.words.iter().zip(&row.toks).any(|(w, &t)| {
        let w = w.trim_end_matches([',', '،']);
        t == Tok::Figure
            && ((w.chars().count() == 4
                && w.chars().all(is_digit)
                && matches!(w.chars().next(), Some('1' | '2' | '١' | '٢' | '۱' | '۲')))
                || w.split_once(':').is_some_and(|(h, m)| {
                    h.ends_with(is_digit) && m.starts_with(is_digit)
                }))
    })
}

/// A line that may be a fact box's label or a column's name: short, and no digit.
fn is_label(r: &Row<'_>) -> bool {
    r.words.len() <= LABEL_WORDS && r.text.chars().count() <= LABEL_CHARS && !has_digit(r.text)
}

/// A fact box flattened into alternating lines: label, value, label, value... (with a
/// title line over them when the count is odd).
///
/// Evidence of the two columns: the labels are short, distinct (a repeated one is a
/// speaker in a transcript) and hold no digit, and the values carry what the labels never
/// do — figures on at least half of them, or, in a script with case, names (a capital past
/// the first word) under sentence-case labels. A list of items each with a date or time of
/// one shape under it is a list of headlines, not a box.
fn alternating(rows: &[Row<'_>]) -> Option<Columns> {
    let title = rows.len() % 2 == 1;
    let pairs = if title { &rows[1..] } else { rows };
    let n = pairs.len() / 2;
    if n < MIN_PAIRS || (title && has_digit(rows[0].text)) {
        return None;
    }
    let mut labels = HashSet::with_capacity(n);
    let (mut figures, mut names) = (0, 0);
    let mut cased = true;
    for p in pairs.chunks_exact(2) {
        let (label, value) = (&p[0], &p[1]);
        if !is_label(label) || !labels.insert(label.text.to_lowercase())
        {
            return None;
        }
        let digits = has_digit(value.text);
        let inner_capital = value.words[1..]
            .iter()
            .any(|w| w.starts_with(char::is_uppercase));
        let one_name = value.words.len() == 1 && value.text.starts_with(char::is_uppercase);
        figures += usize::from(digits);
        names += usize::from(digits || inner_capital);
        cased &= label.sentence_case() && (digits || inner_capital || one_name);
    }
    let by_figures = figures >= 2 && 2 * figures >= n;
    let by_names = cased && 2 * names >= n;
    if !by_figures && !by_names {
        return None;
    }
    let values = || pairs.iter().skip(1).step_by(2);
    let first = values().next().map(Row::shape);
    if values().all(|v| Some(v.shape()) == first && dates_or_times(v)) {
        return None;
    }
    let header = !has_digit(pairs[1].text) && values().skip(1).all(|v| has_digit(v.text));
    Some(Columns::Pairs { title, header })
}

/// Most columns a table flattened one cell per line is read with.
const MAX_CELL_COLUMNS: usize = 6;

/// A table flattened one cell per line, as copying a web page's table often gives: `n`
/// column names (three or more; two are label and value pairs, see [`alternating`]), then
/// rows of a label and `n - 1` figures.
///
/// Evidence of the columns, all of it required: the lines make whole rows, at least two
/// under the names; no name and no label holds a digit, each is short, and the labels
/// differ; every other cell is figures only (`12.5`, `£1.9m`, `38%`). The first width
/// that fits is the one: a wrong one puts a label where a figure must be.
fn cell_per_line(rows: &[Row<'_>]) -> Option<Columns> {
    let figures = |r: &Row<'_>| r.words.len() <= 2 && r.toks.iter().all(|&t| t == Tok::Figure);
    (3..=MAX_CELL_COLUMNS)
        .filter(|&n| rows.len() % n == 0 && rows.len() / n >= 3)
        .find(|&n| {
            let (names, body) = rows.split_at(n);
            let mut labels = HashSet::new();
            names.iter().all(is_label)
                && body.chunks_exact(n).all(|row| {
                    is_label(&row[0])
                        && labels.insert(row[0].text.to_lowercase())
                        && row[1..].iter().all(figures)
                })
        })
        .map(Columns::Cells)
}

/// Figures standing in a column under a header-like first row: every row under the first
/// holds a figure (a row of words only — `Sunday Closed Closed` — may stand among three
/// others), and either the rows share one shape of three cells or more and the first line
/// has no figure, or the same place from the end holds a figure on at least three rows and
/// a word in the first line, which holds fewer figures than any of them. A column of bare
/// whole numbers whose lengths differ by more than two digits is a list of house numbers,
/// boxes and postcodes, not a column.
fn figure_columns(rows: &[Row<'_>]) -> bool {
    let (head, body) = rows.split_first().expect("three rows at least");
    let with: Vec<&Row<'_>> = body.iter().filter(|r| r.has_figure()).collect();
    let without = body.len() - with.len();
    if with.len() < 2 || without > 1 || (without == 1 && with.len() < 3) {
        return false;
    }
    let shape = with[0].shape();
    if shape.len() >= 3 && !head.has_figure() && with.iter().all(|r| r.shape() == shape) {
        return true;
    }
    // A header names the columns: it holds fewer figures than any row (a year in it, as
    // in `Property value in 1991`, is one of its words). Otherwise the first line is a row
    // like the others (`Copyright (c) 2008 ...` over more of the same).
    let figures = |r: &Row<'_>| r.toks.iter().filter(|&&t| t == Tok::Figure).count();
    let fewest = with.iter().map(|r| figures(r)).min().unwrap_or(0);
    with.len() >= 3
        && figures(head) < fewest
        && (1..=3).any(|k| {
            matches!(head.nth_from_end(k), Some(t) if t != Tok::Figure)
                && with.iter().all(|r| r.nth_from_end(k) == Some(Tok::Figure))
                && comparable(with.iter().map(|r| r.words[r.words.len() - k]))
        })
}

/// Can these figures stand in one column? Bare whole numbers must be of a size: `7`,
/// `400` and `62704` are a house, a suite and a postcode.
fn comparable<'w>(cells: impl Iterator<Item = &'w str> + Clone) -> bool {
    let bare = |w: &str| w.trim_end_matches([',', '،']).chars().all(is_digit);
    if !cells.clone().all(bare) {
        return true;
    }
    let (lo, hi) = cells
        .map(|w| w.trim_end_matches([',', '،']).chars().count())
        .fold((usize::MAX, 0), |(lo, hi), l| (lo.min(l), hi.max(l)));
    hi.saturating_sub(lo) <= 2
}

/// Every line the same number of words (two to four), one word per cell, with a column of
/// figures (see [`comparable`]) under a first line without one there; with two words a
/// line, three rows at least under the first.
fn equal_words(rows: &[Row<'_>]) -> Option<usize> {
    let n = rows[0].words.len();
    if !(2..=4).contains(&n) || rows.iter().any(|r| r.words.len() != n) {
        return None;
    }
    let (head, body) = rows.split_first()?;
    let figure_column = (0..n).any(|j| {
        head.toks[j] != Tok::Figure
            && body.iter().all(|r| r.toks[j] == Tok::Figure)
            && comparable(body.iter().map(|r| r.words[j]))
    }) && (n >= 3 || body.len() >= 3);
    figure_column.then_some(n)
}

/// A short header over longer key/value rows, hanging off a list or a paragraph (the
/// reference article): at least four lines, the first of two or three words and the
/// shortest, every row longer in words and characters, and no digit anywhere — an address
/// has a street number, a box or a postcode.
fn key_value(rows: &[Row<'_>]) -> Option<usize> {
    let (head, body) = rows.split_first()?;
    let n = head.words.len();
    let chars = head.text.chars().count();
    (rows.len() >= 4
        && (2..=3).contains(&n)
        && rows.iter().all(|r| !has_digit(r.text))
        && body
            .iter()
            .all(|r| r.words.len() > n && r.text.chars().count() > chars))
    .then_some(n - 1)
}

/// Label and value on one line, in a script with case (`Capital Cairo`, `Population 105
/// million`, `Official language Arabic`): at least four lines, each a sentence-case label
/// of one or two words without digits, then a value of one to three words that opens with
/// a capital or a figure; the labels distinct, at least one value a figure, and at least
/// half the lines with a word in lower case past the first. Returns where each line splits.
fn inline_pairs(rows: &[Row<'_>]) -> Option<Vec<usize>> {
    if rows.len() < 4 {
        return None;
    }
    let mut labels = HashSet::with_capacity(rows.len());
    let mut figure = false;
    let mut lower = 0;
    let mut splits = Vec::with_capacity(rows.len());
    for r in rows {
        lower += usize::from(r.words[1..].iter().any(|w| w.starts_with(char::is_lowercase)));
        let w = &r.words;
        let k = (1..=2.min(w.len().saturating_sub(1))).find(|&k| {
            let label_ok = w[0].starts_with(char::is_uppercase)
                && w[1..k].iter().all(|x| x.starts_with(char::is_lowercase))
                && !w[..k].iter().any(|x| has_digit(x));
            let value = &w[k..];
            label_ok
                && value.len() <= 3
                && (value[0].starts_with(char::is_uppercase) || r.toks[k] == Tok::Figure)
        })?;
        if !labels.insert(w[..k].join(" ").to_lowercase()) {
            return None;
        }
        figure |= r.toks[k..].contains(&Tok::Figure);
        splits.push(k);
    }
    // Addresses and name stacks are in title case throughout (`The Tram Shed`, `Leith
    // Walk`); a fact box reads as words (`105 million`, `Egyptian pound`).
    (figure && 2 * lower >= rows.len()).then_some(splits)
}

/// The verdict on a run of lines: flagged or not, and the defensible split if any.
fn judge(lines: &[&str], before: Before, whole: bool) -> Option<Option<Columns>> {
    if lines.len() < 3 {
        return None;
    }
    let rows: Vec<Row<'_>> = lines.iter().map(|l| Row::new(l)).collect();
    // Alternating lines are read on the whole run only: it finds its own title line, and
    // a run cut short could pair a speaker with the wrong line.
    if whole {
        if let Some(pairs) = alternating(&rows) {
            return Some(Some(pairs));
        }
        if let Some(cells) = cell_per_line(&rows) {
            return Some(Some(cells));
        }
    }
    if let Some(n) = equal_words(&rows) {
        return Some(Some(Columns::Words(n)));
    }
    let attached = matches!(before, Before::Body { attached: true });
    if attached {
        if let Some(key) = key_value(&rows) {
            return Some(Some(Columns::KeyValue { key }));
        }
    }
    if let Some(splits) = inline_pairs(&rows) {
        return Some(Some(Columns::Inline(splits)));
    }
    figure_columns(&rows).then_some(None)
}

/// The run of row-like lines a block ends with, and what precedes it.
fn candidate_runs<'t>(ctx: &BlockCtx<'t>, b: Block) -> Vec<(Vec<Line<'t>>, Before)> {
    // Three lines at least: most paragraphs are one line and stop here.
    if memchr::memchr2_iter(b'\n', b'\r', ctx.text[b.span.range()].as_bytes())
        .take(2)
        .count()
        < 2
    {
        return Vec::new();
    }
    let lines = block_lines(ctx.text, b.span);
    let lazy_ok = |l: &Line<'_>| b.kind != BlockKind::List || !l.text.starts_with([' ', '\t']);
    let mut s = lines.len();
    while s > 0 && row_like(lines[s - 1].text, ctx.format) && lazy_ok(&lines[s - 1]) {
        s -= 1;
    }
    if lines.len() - s < 3 {
        return Vec::new();
    }
    let before = if s > 0 {
        match b.kind {
            BlockKind::List => Before::Body { attached: true },
            // Inside a paragraph the line before must end its sentence.
            _ => {
                let prev = lines[s - 1].text.trim_end();
                let prev = prev.trim_end_matches(['"', '”', '»', '\'', '’', ')']);
                if !prev.ends_with(SENTENCE_END) && !prev.ends_with('…') {
                    return Vec::new();
                }
                Before::Body { attached: true }
            }
        }
    } else {
        let Some(p) = ctx.prev(1) else {
            return Vec::new();
        };
        let gap = ctx.gap(p, b);
        let breaks =
            gap.matches('\n').count() + gap.matches('\r').count() - gap.matches("\r\n").count();
        let attached = breaks <= 1;
        match p.kind {
            // After a quotation too: the body goes on below it.
            BlockKind::Paragraph | BlockKind::List | BlockKind::Quote => Before::Body { attached },
            BlockKind::Heading { level, .. } if level >= 2 => Before::Heading,
            _ => return Vec::new(),
        }
    };
    let run: Vec<Line<'t>> = lines[s..].to_vec();
    let mut out = vec![(run.clone(), before)];
    // A heading-shaped first line inside the block may be a title over the table.
    if s == 0 && run.len() >= 4 && b.kind == BlockKind::Paragraph {
        out.push((run[1..].to_vec(), Before::Heading));
    }
    out
}

fn check(ctx: &BlockCtx<'_>, out: &mut Sink<'_>) {
    let b = ctx.block();
    // Inside a list the rule already reads the list's lines as a whole (lazy lines after
    // an item are where a flattened table lands); inside a quote, lines are a quotation.
    if ctx.depth > 0 {
        return;
    }
    let eligible = match b.kind {
        BlockKind::Paragraph => true,
        BlockKind::List => ctx.format == Format::Markdown,
        _ => false,
    };
    if !eligible {
        return;
    }
    for (k, (run, before)) in candidate_runs(ctx, b).into_iter().enumerate() {
        let texts: Vec<&str> = run.iter().map(|l| l.text.trim()).collect();
        let Some(split) = judge(&texts, before, k == 0) else {
            continue;
        };
        let content = |l: &Line<'_>| {
            let lead = l.text.len() - l.text.trim_start().len();
            Span::new(l.start + lead, l.start + l.text.trim_end().len())
        };
        let first = content(&run[0]);
        let last = content(&run[run.len() - 1]);
        let message = if let Some(Columns::Pairs { .. }) = split {
            format!(
                "These {} lines look like a two-column fact box flattened into alternating label and value lines",
                run.len()
            )
        } else if let Some(Columns::Cells(n)) = split {
            format!(
                "These {} lines look like a table of {n} columns flattened into one cell per line",
                run.len()
            )
        } else {
            format!(
                "These {} lines look like a table whose cell separators were lost in a copy-paste",
                run.len()
            )
        };
        let related = match split {
            Some(Columns::Pairs { title: true, .. }) => "Title of the box",
            Some(Columns::Pairs { header: true, .. }) => "Likely header: label and value names",
            Some(Columns::Pairs { .. }) => "First label; a value follows each label",
            Some(Columns::Cells(_)) => "First column name; the next lines name the others",
            _ => "Likely header row",
        };
        let report = out
            .report(Span::new(first.start, last.end), message)
            .related(first, related);
        let Some(columns) = split else {
            break;
        };
        report.fix(|| {
            let rows = cells(&texts, &columns);
            let n = rows.iter().map(Vec::len).max().unwrap_or(0);
            let brk = line_break_at(ctx.text, run[0].end());
            let mut new_text = render_table(&rows, &vec![Align::None; n]).join(brk);
            // A table cannot hang off a list item or a paragraph line (in Markdown it would
            // be swallowed by them; in plain text it reads as part of them): give it a
            // blank line of its own.
            if matches!(before, Before::Body { attached: true }) {
                new_text.insert_str(0, brk);
            }
            // Where the columns split, and which row heads them, is the rule's reading of
            // the lines: a person looks before it is applied.
            Fix::preferred(
                fix_title(&columns),
                vec![Edit::new(Span::new(run[0].start, last.end), new_text)],
            )
        });
        break;
    }
}

/// The cells of the table a run becomes; the first row is the header.
fn cells(texts: &[&str], columns: &Columns) -> Vec<Vec<String>> {
    let split_at = |t: &str, k: usize| {
        let w: Vec<&str> = t.split_whitespace().collect();
        let k = k.min(w.len());
        vec![escape_cell(&w[..k].join(" ")), escape_cell(&w[k..].join(" "))]
    };
    match columns {
        Columns::Words(_) => texts
            .iter()
            .map(|t| t.split_whitespace().map(escape_cell).collect())
            .collect(),
        Columns::KeyValue { key } => texts.iter().map(|t| split_at(t, *key)).collect(),
        Columns::Inline(splits) => texts
            .iter()
            .zip(splits)
            .map(|(t, &k)| split_at(t, k))
            .collect(),
        Columns::Pairs { title, .. } => {
            let (head, pairs) = if *title {
                // GFM needs a header row; the title heads the label column, and the value
                // column's header stays empty (a row of empty headers is not allowed).
                (Some(vec![escape_cell(texts[0]), String::new()]), &texts[1..])
            } else {
                (None, texts)
            };
            head.into_iter()
                .chain(
                    pairs
                        .chunks_exact(2)
                        .map(|p| vec![escape_cell(p[0]), escape_cell(p[1])]),
                )
                .collect()
        }
        Columns::Cells(n) => texts
            .chunks_exact(*n)
            .map(|row| row.iter().map(|t| escape_cell(t)).collect())
            .collect(),
    }
}

fn fix_title(columns: &Columns) -> String {
    match columns {
        Columns::Words(n) => format!("Convert to table ({n} columns)"),
        Columns::KeyValue { .. } => "Convert to table (2 columns; check the split)".to_string(),
        Columns::Inline(_) => {
            "Convert to table (2 columns; check the split; the first line is the header)"
                .to_string()
        }
        Columns::Pairs { title: true, .. } => {
            "Convert to table (label | value; the title line is the header)".to_string()
        }
        Columns::Pairs { header: true, .. } => {
            "Convert to table (label | value; the first pair is the header)".to_string()
        }
        Columns::Pairs { .. } => {
            "Convert to table (label | value; the first pair becomes the header: check it)"
                .to_string()
        }
        Columns::Cells(n) => {
            format!("Convert to table ({n} columns, a cell a line; the first row is the header)")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// `row_like` as first written, every test in the order it was written.
    fn row_like_reference(line: &str, format: Format) -> bool {
        let t = line.trim();
        if t.is_empty() || line.len() - line.trim_start().len() > 3 {
            return false;
        }
        let words: Vec<&str> = t.split_whitespace().collect();
        if words.len() > MAX_WORDS || t.chars().count() > MAX_CHARS {
            return false;
        }
        if !t.chars().any(char::is_alphanumeric)
            || crate::article::plaintext::is_list_item(line)
            || t.contains(['|', '\t'])
            || t.contains("://")
            || t.contains("www.")
            || is_byline(t)
        {
            return false;
        }
        let first = t.chars().next().unwrap_or(' ');
        if "#><`[!*_=+-~{\"“«('".contains(first)
            || (format == Format::Markdown && (line.ends_with("  ") || t.ends_with('\\')))
        {
            return false;
        }
        if first.is_lowercase() || t.ends_with(LINE_END) {
            return false;
        }
        !words[..words.len() - 1]
            .iter()
            .any(|w| w.ends_with(SENTENCE_END))
    }

    const PIECES: &[&str] = &[
        "Sector", "share", "2024", "38%", "£1.9m", "الرياض", "بقلم", "By", "Reuters", " ",
        "  ", "\t", ".", ",", ":", "؟", "!", "|", "-", "(", "\"", "«", "#", "1.", "- ",
        "http://x.io", "www.", "…", "\\", "Mr.", "ألاسكا", "Q3", "é", "\u{a0}",
        " Telecommunications", " B", " 7", " Nord", " 12.5", " Gaza", " Administrations", " الاستثمارات", " Total",
    ];

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 4000,
            rng_seed: proptest::test_runner::RngSeed::Fixed(0x726f_776c),
            ..ProptestConfig::default()
        })]

        /// The reordered tests give what the tests in their first order gave.
        #[test]
        fn row_like_is_its_reference(
            pieces in prop::collection::vec(0..PIECES.len(), 0..8),
            markdown in any::<bool>(),
            lead in any::<bool>(),
            words in 0usize..14,
        ) {
            // Half the lines open as a row does, with up to 13 words, so that the later
            // tests are reached; with long words in half of those, so that lines of few
            // words reach the length limit too.
            let word = if words % 2 == 1 { " Telecommunications" } else { " Nord" };
            let lead = if lead { "Sector".to_string() + &word.repeat(words) } else { String::new() };
            let line: String = std::iter::once(lead.as_str()).chain(pieces.iter().map(|&i| PIECES[i])).collect();
            let format = if markdown { Format::Markdown } else { Format::PlainText };
            prop_assert_eq!(row_like(&line, format), row_like_reference(&line, format), "{:?}", line);
        }
    }

    #[test]
    fn shapes() {
        let body = Before::Body { attached: true };
        let loose = Before::Body { attached: false };
        let ar = [
            "النقطة الرئيسية التقييم",
            "وقت القمة ألكاسا، أنكوراج",
            "المشاركون الرئيسيون فلاديمير بوتين ودونالد ترامب",
            "موضوع القمة تعاون مشترك وتسوية الأزمة الأوكرانية",
        ];
        assert_eq!(
            judge(&ar, body, true),
            Some(Some(Columns::KeyValue { key: 2 }))
        );
        assert_eq!(judge(&ar, loose, true), None);
        let en = [
            "Stage Date Result",
            "First round 12 May Qualified",
            "Final 30 May Runner-up",
        ];
        assert_eq!(judge(&en, Before::Heading, true), Some(None));
        let words = ["Party Seats Share", "Labour 120 34", "Greens 40 11"];
        assert_eq!(judge(&words, loose, true), Some(Some(Columns::Words(3))));
        let byline = ["Jane Doe", "Staff Reporter", "London Bureau"];
        assert_eq!(judge(&byline, loose, true), None);
        let contact = [
            "Jane Doe",
            "Press Office",
            "Port of Rotterdam",
            "Main Switchboard",
        ];
        assert_eq!(judge(&contact, body, true), None);
        let related = [
            "Strike spreads to Antwerp",
            "Unions vote on the new offer",
            "Port traffic resumes",
        ];
        assert_eq!(judge(&related, Before::Heading, true), None);
    }

    #[test]
    fn tokens_tell_figures_from_codes() {
        let classes = |line: &str| Row::new(line).toks;
        use Tok::{Code, Figure, Word};
        assert_eq!(classes("Belfast BT1 3LP"), [Word, Code, Code]);
        assert_eq!(classes("N1 Ely 03:40"), [Code, Word, Figure]);
        assert_eq!(
            classes("A £40,001 £1,764 31m A$2.4 +6.1% 17th"),
            [Word, Figure, Figure, Figure, Figure, Figure, Figure]
        );
        assert_eq!(classes("Tel 020 7035 4848"), [Word, Code, Code, Code]);
        assert_eq!(classes("Tel +1 312 555 0148"), [Word, Code, Code, Code, Code]);
        assert_eq!(classes("هاتف 06 560 7181"), [Word, Code, Code, Code]);
        assert_eq!(classes("بغداد ٢٤٥٠ 38,000 طن"), [Word, Figure, Figure, Word]);
        assert_eq!(classes("Chicago, IL 60602"), [Word, Word, Figure]);
    }

    #[test]
    fn addresses_and_contact_blocks_show_no_columns() {
        let blocks: [&[&str]; 5] = [
            &[
                "HM Passport Office",
                "Lanyon Plaza, Floor 4",
                "7 Lanyon Place",
                "Belfast BT1 3LP",
            ],
            &["HM Passport Office", "PO Box 767", "Durham DH98 1BN"],
            &[
                "Home Office",
                "2 Marsham Street",
                "London SW1P 4DF",
                "Tel 020 7035 4848",
            ],
            &[
                "Media enquiries",
                "Niamh Walsh, Press Officer",
                "Tel +1 312 555 0148",
                "Fax +1 312 555 0177",
                "Mobile +1 312 555 0199",
            ],
            &[
                "وزارة العمل",
                "الإدارة العامة لتصاريح العمل",
                "الحي الحكومي، المبنى 14",
                "العاصمة الإدارية الجديدة",
            ],
        ];
        for lines in blocks {
            for before in [
                Before::Body { attached: true },
                Before::Body { attached: false },
                Before::Heading,
            ] {
                assert_eq!(judge(lines, before, true), None, "{lines:?} {before:?}");
                assert_eq!(judge(&lines[1..], before, false), None, "{lines:?} {before:?}");
            }
        }
        // House numbers, boxes and postcodes do not make a column of figures.
        let numbered = [
            "Acme Ltd",
            "Building 7",
            "Suite 400",
            "Springfield 62704",
        ];
        assert_eq!(judge(&numbered, Before::Heading, true), None);
    }

    #[test]
    fn figures_in_a_column_under_a_header() {
        // The header holds a year, but not where the rows hold their amounts.
        let bands = [
            "Band Property value in 1991 Annual bill",
            "A Up to £40,000 £1,512",
            "B £40,001 to £52,000 £1,764",
            "C £52,001 to £68,000 £2,016",
        ];
        assert_eq!(judge(&bands, Before::Body { attached: true }, true), Some(None));
        // A row of words may stand among three rows of figures.
        let hours = [
            "Day Central library Branch libraries",
            "Monday to Thursday 9am to 7pm 10am to 5pm",
            "Friday 9am to 5pm 10am to 1pm",
            "Saturday 10am to 5pm 10am to 4pm",
            "Sunday Closed Closed",
        ];
        assert_eq!(judge(&hours, Before::Heading, true), Some(None));
        // A first line with as many figures as the rows is one of them.
        let notices = [
            "Copyright (c) 2008 Juan Romero Pardines",
            "Copyright (c) 2008, 2011 Mark Kettenis",
            "Copyright (c) 2009 Michael Lorenz",
            "Copyright (c) 2009, 2012 Samuel Thibault",
        ];
        assert_eq!(judge(&notices, Before::Heading, true), None);
    }

    #[test]
    fn one_cell_per_line() {
        let body = Before::Body { attached: false };
        let defences = [
            "Flood defences",
            "Cost (£m)",
            "Length (km)",
            "Upper weir",
            "12.5",
            "1.2",
            "Lower quay",
            "8.1",
            "0.9",
        ];
        assert_eq!(judge(&defences, body, true), Some(Some(Columns::Cells(3))));
        // Read as cells on the whole run only, as pairs are.
        assert!(!matches!(
            judge(&defences, body, false),
            Some(Some(Columns::Cells(_)))
        ));
        let arabic = [
            "المنطقة",
            "عدد الدول",
            "السكان (مليون)",
            "الخليج",
            "٦",
            "٥٩",
            "شمال أفريقيا",
            "٥",
            "٢٠٠",
            "آسيا",
            "١٢",
            "٩٠٠",
        ];
        assert_eq!(judge(&arabic, Before::Heading, true), Some(Some(Columns::Cells(3))));
        // Four columns: three would put a label where a figure must be.
        let scores = [
            "Team", "Won", "Lost", "Points", "Lions", "10", "2", "30", "Tigers", "8", "4", "24",
        ];
        assert_eq!(judge(&scores, body, true), Some(Some(Columns::Cells(4))));
        // Not tables: a row short, a label with a figure, a value in words, one row under
        // the names, a label twice (a transcript's speaker).
        let not = [
            &defences[..8],
            &["Flood defences", "Cost (£m)", "Length (km)", "Weir 2", "12.5", "1.2", "Quay 3", "8.1", "0.9"],
            &["Flood defences", "Cost (£m)", "Length (km)", "Upper weir", "12.5", "about a mile", "Lower quay", "8.1", "0.9"],
            &defences[..6],
            &["Speaker", "Minute", "Second", "Jones", "12", "30", "Jones", "14", "10"],
        ];
        for lines in not {
            assert!(!matches!(judge(lines, body, true), Some(Some(Columns::Cells(_)))), "{lines:?}");
        }
    }

    #[test]
    fn alternating_label_and_value_lines() {
        let body = Before::Body { attached: true };
        let expo = [
            "Population",
            "807,000",
            "Metropolitan area",
            "1.6 million",
            "Mayor",
            "Elena Martí",
            "Expected visitors",
            "28 million",
        ];
        let pairs = |title, header| Some(Some(Columns::Pairs { title, header }));
        assert_eq!(judge(&expo, body, true), pairs(false, false));
        // Only the whole run is read as pairs.
        assert_eq!(judge(&expo[1..], body, false), None);
        let stages = [
            "Stage",
            "Time after entry",
            "Heat shield jettisoned",
            "4 min 10 s",
            "Parachute deployed",
            "5 min 30 s",
            "Touchdown",
            "6 min 50 s",
        ];
        assert_eq!(judge(&stages, Before::Heading, true), pairs(false, true));
        let titled = [
            "بطاقة المدينة",
            "عدد السكان",
            "5.6 مليون نسمة",
            "المحافظ",
            "أحمد عبد الحميد",
            "طول الساحل",
            "72 كيلومترًا",
        ];
        assert_eq!(judge(&titled, Before::Heading, true), pairs(true, false));
        // Names under sentence-case labels, no figure at all.
        let names = [
            "Name",
            "Jago",
            "Expected",
            "Not before February",
            "Named by",
            "UK Met Office",
        ];
        assert_eq!(judge(&names, body, true), pairs(false, false));
        // A speaker comes back: a transcript.
        let transcript = [
            "Quizmaster",
            "How high is Pen y Fan",
            "Megan Rees",
            "886 metres",
            "Quizmaster",
            "Correct",
        ];
        assert_eq!(judge(&transcript, body, true), None);
        // Headlines, each with its date.
        let dated = [
            "Llangorse lake reopens",
            "2 March 2026",
            "Brecon bus cuts delayed",
            "27 February 2026",
            "Hay festival names guests",
            "20 February 2026",
        ];
        assert_eq!(judge(&dated, Before::Heading, true), None);
        // Roles and names in title case: a list of credits.
        let credits = [
            "Festival Director",
            "Karen Lowe",
            "Artistic Director",
            "Malcolm Reid",
            "Production Manager",
            "Ian Gow",
        ];
        assert_eq!(judge(&credits, Before::Heading, true), None);
    }

    #[test]
    fn label_and_value_on_one_line() {
        let facts = [
            "Capital Cairo",
            "Population 105 million",
            "Currency Egyptian pound",
            "Official language Arabic",
        ];
        assert_eq!(
            judge(&facts, Before::Heading, true),
            Some(Some(Columns::Inline(vec![1, 1, 1, 2])))
        );
        let address = [
            "The Tram Shed",
            "Unit 3, Shrubhill Yard",
            "Leith Walk",
            "Edinburgh EH7 4PD",
        ];
        assert_eq!(judge(&address, Before::Heading, true), None);
    }

    #[test]
    fn rows() {
        assert!(row_like("Stage Date Result", Format::PlainText));
        assert!(!row_like("the union said it would", Format::PlainText));
        assert!(!row_like("It ended. Then more", Format::PlainText));
        assert!(!row_like("By Jane Doe", Format::PlainText));
        assert!(!row_like("  • item", Format::PlainText));
        assert!(row_like("وقت القمة ألكاسا، أنكوراج", Format::PlainText));
    }
}
