//! Plain-text articles (wire copy, text pasted from a web page or a CMS): structure from
//! layout alone, as `ARTICLES.md` describes.
//!
//! - The headline is the first non-blank line.
//! - A section heading is a lone line (a *group* of one line between blank lines) that is
//!   short, has no sentence-final punctuation, is not a byline or a dateline standing on
//!   its own line (`CAIRO (AP) —`, `بيروت - (رويترز) -`), and is followed by body text: a
//!   group that is not itself a lone heading-shaped line. A heading may also sit
//!   directly on top of a list or table, with no blank line between.
//! - Inside a group, lines form runs: list items (with their indented continuation lines),
//!   at least two tab-separated rows, at least two pipe rows, and paragraphs of the rest.

use super::{Block, BlockKind, TableKind};
use crate::text::{lines_with_offsets, Line, Span};

const MAX_HEADING_WORDS: usize = 20;
const MAX_HEADING_CHARS: usize = 160;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    Text,
    ListItem,
    Tsv,
    Pipe,
}

/// Is `text` (a whole line) a list item: a bullet or a number followed by a space?
pub fn is_list_item(text: &str) -> bool {
    let t = text.trim_start();
    let mut chars = t.chars();
    match chars.next() {
        Some('•' | '-' | '*' | '–' | '▪' | '◦' | '·' | '‣' | '+') => {
            matches!(chars.next(), Some(c) if c.is_whitespace())
        }
        Some(c) if c.is_ascii_digit() || ('٠'..='٩').contains(&c) || ('۰'..='۹').contains(&c) =>
        {
            let rest = t.trim_start_matches(|c: char| {
                c.is_ascii_digit() || ('٠'..='٩').contains(&c) || ('۰'..='۹').contains(&c)
            });
            let digits = t.len() - rest.len();
            let mut r = rest.chars();
            digits <= 9 / 3 * 3
                && matches!(r.next(), Some('.' | ')' | '-'))
                && matches!(r.next(), Some(c) if c.is_whitespace())
        }
        _ => false,
    }
}

fn classify(text: &str) -> Class {
    let t = text.trim();
    if is_list_item(text) {
        Class::ListItem
    // The memchr crate's search: std's, behind `contains` and `matches`, reads a byte at a
    // time past its first word, and every line of an article is classified.
    } else if memchr::memchr(b'\t', t.as_bytes()).is_some() {
        Class::Tsv
    } else if t.starts_with('|')
        || t.ends_with('|')
        || memchr::memchr_iter(b'|', t.as_bytes()).nth(1).is_some()
    {
        Class::Pipe
    } else {
        Class::Text
    }
}

/// Sentence-final punctuation that disqualifies a line from being a heading.
const FINAL_PUNCTUATION: &[char] = &['.', '!', '?', '؟', ':', '؛', '…', ',', '،', ';'];

/// A line that could be a heading by its own shape (neighbours decide the rest).
pub fn is_heading_shaped(text: &str) -> bool {
    let t = text.trim();
    // Cheap tests first: this runs on the first line of every group.
    if t.is_empty() || t.len() > MAX_HEADING_CHARS * 4 {
        return false;
    }
    let last = t
        .trim_end_matches(['"', '\'', '”', '’', '»', ')', ']', '*', '_'])
        .chars()
        .last();
    if matches!(last, Some(c) if FINAL_PUNCTUATION.contains(&c)) {
        return false;
    }
    // The credit and dateline patterns last: they cost the most, and most lines that
    // reach them are a hard-wrapped paragraph's, short and without a final stop.
    classify(text) == Class::Text
        && t.split_whitespace().take(MAX_HEADING_WORDS + 1).count() <= MAX_HEADING_WORDS
        && t.chars().count() <= MAX_HEADING_CHARS
        && t.chars().any(char::is_alphabetic)
        && super::anatomy::byline(t).is_none()
        && !super::anatomy::is_dateline_line(t)
}

/// Does a group starting with these lines count as body text after a heading?
fn is_body(group: &[Line<'_>]) -> bool {
    match group {
        [] => false,
        [only] => !is_heading_shaped(only.text),
        _ => true,
    }
}

/// Parses a region that starts at the beginning of a group. `seen_before` says whether any
/// non-blank text precedes the region (if not, its first line is the headline);
/// `lookahead` is the text that follows the region (its first group decides whether the
/// region's last lone line is a heading).
pub fn parse(text: &str, base: usize, seen_before: bool, lookahead: Option<&str>) -> Vec<Block> {
    // Every non-blank line in one list, and each group a range of it: a list per group
    // was an allocation (and its growth) per paragraph, a fifth of the parse.
    let mut all: Vec<Line<'_>> = Vec::with_capacity(text.len() / 64);
    let mut ranges: Vec<std::ops::Range<usize>> = Vec::with_capacity(text.len() / 256);
    let mut from = 0;
    for line in lines_with_offsets(text, base) {
        if line.is_blank() {
            if all.len() > from {
                ranges.push(from..all.len());
            }
            from = all.len();
        } else {
            all.push(line);
        }
    }
    if all.len() > from {
        ranges.push(from..all.len());
    }
    let groups: Vec<&[Line<'_>]> = ranges.into_iter().map(|r| &all[r]).collect();
    let next_group: Vec<Line<'_>> = lookahead
        .map(|t| {
            lines_with_offsets(t, 0)
                .skip_while(|l| l.is_blank())
                .take_while(|l| !l.is_blank())
                .take(2)
                .collect()
        })
        .unwrap_or_default();

    let mut blocks = Vec::new();
    let mut headline_done = seen_before;
    for (gi, group) in groups.iter().enumerate() {
        let mut lines: &[Line<'_>] = group;
        if !headline_done {
            headline_done = true;
            let first = lines[0];
            blocks.push(heading(first, 1));
            lines = &lines[1..];
        } else {
            let next: &[Line<'_>] = groups.get(gi + 1).copied().unwrap_or(&next_group);
            let lone_heading =
                lines.len() == 1 && is_heading_shaped(lines[0].text) && is_body(next);
            // The second line's class first: it settles most groups (a paragraph's
            // lines) at a fraction of the first line's shape.
            let heads_a_block = lines.len() > 1
                && classify(lines[1].text) != Class::Text
                && is_heading_shaped(lines[0].text);
            if lone_heading || heads_a_block {
                blocks.push(heading(lines[0], 2));
                lines = &lines[1..];
            }
        }
        runs(lines, &mut blocks);
    }
    blocks
}

fn heading(line: Line<'_>, level: u8) -> Block {
    let lead = line.text.len() - line.text.trim_start().len();
    let title = Span::new(line.start + lead, line.start + line.text.trim_end().len());
    Block::new(
        BlockKind::Heading { level, title },
        Span::new(line.start, line.end()),
    )
}

/// Splits a group's lines into list, table and paragraph blocks.
fn runs(lines: &[Line<'_>], out: &mut Vec<Block>) {
    let mut i = 0;
    while i < lines.len() {
        let class = classify(lines[i].text);
        let mut j = i + 1;
        let kind = match class {
            Class::ListItem => {
                let indent = indent_of(lines[i].text);
                while j < lines.len() {
                    let c = classify(lines[j].text);
                    let continues = c == Class::ListItem
                        || (c == Class::Text && indent_of(lines[j].text) > indent);
                    if !continues {
                        break;
                    }
                    j += 1;
                }
                BlockKind::List
            }
            Class::Tsv | Class::Pipe => {
                while j < lines.len() && classify(lines[j].text) == class {
                    j += 1;
                }
                if j - i >= 2 {
                    BlockKind::Table(if class == Class::Tsv {
                        TableKind::Tsv
                    } else {
                        TableKind::Pipe
                    })
                } else {
                    j = paragraph_end(lines, i);
                    BlockKind::Paragraph
                }
            }
            Class::Text => {
                j = paragraph_end(lines, i);
                BlockKind::Paragraph
            }
        };
        out.push(Block::new(
            kind,
            Span::new(lines[i].start, lines[j - 1].end()),
        ));
        i = j;
    }
}

/// A paragraph runs until a list item or the start of a run of two table rows.
fn paragraph_end(lines: &[Line<'_>], i: usize) -> usize {
    let mut j = i + 1;
    while j < lines.len() {
        match classify(lines[j].text) {
            Class::Text => j += 1,
            Class::ListItem => break,
            c @ (Class::Tsv | Class::Pipe) => {
                if lines.get(j + 1).is_some_and(|l| classify(l.text) == c) {
                    break;
                }
                j += 1;
            }
        }
    }
    j
}

fn indent_of(text: &str) -> usize {
    text.len() - text.trim_start().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(text: &str) -> Vec<String> {
        parse(text, 0, false, None)
            .into_iter()
            .map(|b| {
                let first_line = text.as_bytes()[..b.span.start]
                    .iter()
                    .filter(|&&c| c == b'\n')
                    .count();
                let last_line = text.as_bytes()[..b.span.end]
                    .iter()
                    .filter(|&&c| c == b'\n')
                    .count();
                let kind = match b.kind {
                    BlockKind::Heading { level, title } => {
                        format!("h{level} {:?}", &text[title.range()])
                    }
                    k => format!("{k:?}"),
                };
                format!("{first_line}-{last_line} {kind}")
            })
            .collect()
    }

    #[test]
    fn reference_article_structure() {
        let text = include_str!("../../examples/alaska-summit-ar.txt");
        let got = summary(text);
        let heads: Vec<_> = got
            .iter()
            .filter(|s| s.contains(" h"))
            .map(|s| s.split(' ').next().unwrap())
            .collect();
        assert_eq!(heads, vec!["0-0", "4-4", "8-8", "12-12"], "{got:#?}");
        assert!(got.contains(&"16-19 List".to_string()), "{got:#?}");
        assert!(got.contains(&"20-24 Paragraph".to_string()), "{got:#?}");
    }

    #[test]
    fn bylines_hard_wrapped_text_and_flattened_tables_are_not_headings() {
        let text = "Headline here\n\nBy Jane Doe\n\nThe parliament approved the budget\nearly on Friday after a long night.\n\nStage Date Result\nFirst round 12 May Qualified\n";
        let got = summary(text);
        assert_eq!(
            got.iter().filter(|s| s.contains(" h")).count(),
            1,
            "{got:#?}"
        );
    }

    #[test]
    fn heading_over_a_list_and_tables() {
        let text = "Title\n\nKey points\n• one\n• two\n\na\tb\n1\t2\n\n| a | b |\n| 1 | 2 |\n";
        let got = summary(text);
        assert_eq!(
            got,
            vec![
                "0-0 h1 \"Title\"",
                "2-2 h2 \"Key points\"",
                "3-4 List",
                "6-7 Table(Tsv)",
                "9-10 Table(Pipe)",
            ]
        );
    }

    #[test]
    fn list_markers() {
        for yes in [
            "  • item",
            "- item",
            "1. item",
            "١. بند",
            "12) item",
            "– dash",
        ] {
            assert!(is_list_item(yes), "{yes}");
        }
        for no in [
            "-item",
            "2022 was a year",
            "1.5 million",
            "القاهرة - (رويترز) -",
        ] {
            assert!(!is_list_item(no), "{no}");
        }
    }
}
