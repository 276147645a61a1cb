//! Diagnostic: `table-flattened`.
//!
//! A table copied out of a web page loses its cell separators: what is left is a run of
//! short lines, one per row, with no sentence punctuation, after a paragraph or a list.
//! The writer meant a table; a reader sees gibberish. The range covers the run; related
//! information points at its first line, the likely header row.
//!
//! The rule reads the *shape* of the lines, never their words. A run is at least three
//! lines, each short (at most 10 words, 80 characters), none ending in or containing
//! sentence punctuation, none a list item, a byline or markup; and it has one of these
//! structures:
//!
//! - every line has the same number of words (two to four), and either the rows hold
//!   numbers or there are at least four lines of three or more words: one word per cell;
//! - numbers: every row under the first has a number, the first line has none;
//! - key/value: at least four lines, the first has two or three words and is the
//!   shortest, every row has more words than it, and the run hangs directly (no blank
//!   line) off a list or a paragraph — the reference article's case.
//!
//! Under a heading (rather than a paragraph or a list) only the first two count, and
//! never under the headline, where bylines and datelines stack up.
//!
//! Fix, only where the column split is defensible: "Convert to table (N columns)" when
//! every line has the same number of words, and "Convert to table (2 columns; check the
//! split)" for key/value runs (the first line's last word names the second column; every
//! row keeps as many leading words in the first column as the header has before it).
//! Runs with numbers in varying positions get no fix: any split would be a guess.

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

fn is_byline(t: &str) -> bool {
    let lower = t.to_lowercase();
    [
        "by ",
        "written by",
        "reporting by",
        "بقلم",
        "كتب",
        "كتبت",
        "إعداد",
        "اعداد",
        "تحرير",
    ]
    .iter()
    .any(|p| lower.starts_with(p))
}

/// Could this line be one row of a flattened table?
fn row_like(line: &str, format: Format) -> bool {
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
    if first.is_lowercase() {
        return false;
    }
    if t.ends_with(LINE_END) {
        return false;
    }
    !words[..words.len() - 1]
        .iter()
        .any(|w| w.ends_with(SENTENCE_END))
}

fn has_digit(s: &str) -> bool {
    s.chars().any(char::is_numeric)
}

/// How the run's lines split into cells, when that is defensible.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Columns {
    /// One word per cell.
    Words(usize),
    /// The first `key` words in the first column, the rest in the second.
    KeyValue { key: usize },
}

/// What came right before the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Before {
    /// A paragraph or a list, `attached` when no blank line separates them.
    Body { attached: bool },
    /// A section heading (or a heading-shaped first line in the same block).
    Heading,
}

/// The verdict on a run of lines: flagged or not, and the defensible split if any.
fn judge(lines: &[&str], before: Before) -> Option<Option<Columns>> {
    if lines.len() < 3 {
        return None;
    }
    let words: Vec<Vec<&str>> = lines
        .iter()
        .map(|l| l.split_whitespace().collect())
        .collect();
    let counts: Vec<usize> = words.iter().map(Vec::len).collect();
    let header_digits = has_digit(lines[0]);
    let body_digits = lines[1..].iter().any(|l| has_digit(l));
    // Without numbers, equal word counts need more evidence: two-word lines stack up in
    // bylines and captions, so three words a line and four lines at least.
    let equal = counts.iter().all(|&c| c == counts[0])
        && (2..=4).contains(&counts[0])
        && (body_digits || (counts[0] >= 3 && lines.len() >= 4));
    let numbers = !header_digits && lines[1..].iter().all(|l| has_digit(l));
    let header_chars = lines[0].trim().chars().count();
    // A short header over rows that each hold a key and a value of more than one word;
    // contact blocks and lists of headlines lack one or the other.
    let key_value = matches!(before, Before::Body { attached: true })
        && !header_digits
        && lines.len() >= 4
        && (2..=3).contains(&counts[0])
        && counts[1..].iter().all(|&c| c > counts[0])
        && lines[1..]
            .iter()
            .all(|l| l.trim().chars().count() > header_chars);
    let flagged = match before {
        Before::Heading => equal || numbers,
        Before::Body { .. } => equal || numbers || key_value,
    };
    if !flagged {
        return None;
    }
    let split = if equal {
        Some(Columns::Words(counts[0]))
    } else if key_value && !numbers {
        Some(Columns::KeyValue { key: counts[0] - 1 })
    } else {
        None
    };
    Some(split)
}

/// The run of row-like lines a block ends with, and what precedes it.
fn candidate_runs<'t>(ctx: &BlockCtx<'t>, b: Block) -> Vec<(Vec<Line<'t>>, Before)> {
    // Three lines at least: most paragraphs are one line and stop here.
    if ctx.text[b.span.range()]
        .bytes()
        .filter(|&c| c == b'\n' || c == b'\r')
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
            BlockKind::Paragraph | BlockKind::List => Before::Body { attached },
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
    for (run, before) in candidate_runs(ctx, b) {
        let texts: Vec<&str> = run.iter().map(|l| l.text.trim()).collect();
        let Some(split) = judge(&texts, before) else {
            continue;
        };
        let content = |l: &Line<'_>| {
            let lead = l.text.len() - l.text.trim_start().len();
            Span::new(l.start + lead, l.start + l.text.trim_end().len())
        };
        let first = content(&run[0]);
        let last = content(&run[run.len() - 1]);
        let message = format!(
            "These {} lines look like a table whose cell separators were lost in a copy-paste",
            run.len()
        );
        let report = out
            .report(Span::new(first.start, last.end), message)
            .related(first, "Likely header row");
        if let Some(columns) = split {
            report.fix(|| {
                let rows: Vec<Vec<String>> = texts
                    .iter()
                    .map(|t| {
                        let w: Vec<&str> = t.split_whitespace().collect();
                        match columns {
                            Columns::Words(_) => w.iter().map(|c| escape_cell(c)).collect(),
                            Columns::KeyValue { key } => vec![
                                escape_cell(&w[..key].join(" ")),
                                escape_cell(&w[key..].join(" ")),
                            ],
                        }
                    })
                    .collect();
                let n = rows[0].len();
                let brk = line_break_at(ctx.text, run[0].end());
                let mut new_text = render_table(&rows, &vec![Align::None; n]).join(brk);
                // A table cannot hang off a list item or a paragraph line (in Markdown it
                // would be swallowed by them; in plain text it reads as part of them): give
                // it a blank line of its own.
                if matches!(before, Before::Body { attached: true }) {
                    new_text.insert_str(0, brk);
                }
                let title = match columns {
                    Columns::Words(n) => format!("Convert to table ({n} columns)"),
                    Columns::KeyValue { .. } => {
                        "Convert to table (2 columns; check the split)".to_string()
                    }
                };
                // Where the columns split is the rule's reading of the words: a person
                // looks before it is applied.
                Fix::preferred(
                    title,
                    vec![Edit::new(Span::new(run[0].start, last.end), new_text)],
                )
            });
        }
        break;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(judge(&ar, body), Some(Some(Columns::KeyValue { key: 2 })));
        assert_eq!(judge(&ar, loose), None);
        let en = [
            "Stage Date Result",
            "First round 12 May Qualified",
            "Final 30 May Runner-up",
        ];
        assert_eq!(judge(&en, Before::Heading), Some(None));
        let words = ["Party Seats Share", "Labour 120 34", "Greens 40 11"];
        assert_eq!(judge(&words, loose), Some(Some(Columns::Words(3))));
        let byline = ["Jane Doe", "Staff Reporter", "London Bureau"];
        assert_eq!(judge(&byline, loose), None);
        let contact = [
            "Jane Doe",
            "Press Office",
            "Port of Rotterdam",
            "Main Switchboard",
        ];
        assert_eq!(judge(&contact, body), None);
        let related = [
            "Strike spreads to Antwerp",
            "Unions vote on the new offer",
            "Port traffic resumes",
        ];
        assert_eq!(judge(&related, Before::Heading), None);
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
