//! The prose of a block, for rules that read words rather than structure (placeholders,
//! repeated words, quotation marks, bidirectional controls): every line of the block, with
//! Markdown code spans cut out. Code blocks and HTML blocks have no prose.

use super::table::Closers;
use crate::article::{Block, BlockKind, Format};
use crate::text::{lines_with_offsets, Span, Text};

/// Runs of prose in a block, line by line, as document spans (never across a line break).
pub fn spans(text: Text<'_>, format: Format, b: Block) -> Vec<Span> {
    if !has_prose(b) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let block = text.slice(b.span);
    let code = has_code(block, format);
    for line in lines_with_offsets(block, b.span.start) {
        match format {
            Format::Markdown if code => cut_code_spans(line.text, line.start, &mut out),
            // What cutting gives a line without code: the line, if it is not empty.
            Format::Markdown if line.text.is_empty() => {}
            _ => out.push(Span::new(line.start, line.end())),
        }
    }
    out
}

/// Whether a block of this kind holds prose at all.
fn has_prose(b: Block) -> bool {
    !matches!(
        b.kind,
        BlockKind::Code | BlockKind::Html | BlockKind::ThematicBreak
    )
}

/// Whether `block`'s lines may hold code spans, which are not prose. Most blocks have no
/// backtick: no code span to cut out of their lines.
fn has_code(block: &str, format: Format) -> bool {
    format == Format::Markdown && memchr::memchr(b'`', block.as_bytes()).is_some()
}

/// Whether the block's prose ([`spans`]) is its whole text, line by line (empty lines
/// aside): a rule may then read the block at once, line breaks included.
pub fn is_whole_block(text: Text<'_>, format: Format, b: Block) -> bool {
    has_prose(b) && !has_code(text.slice(b.span), format)
}

/// Pushes the parts of a line outside inline code spans (`` `code` ``). An unclosed
/// backtick run is text, as CommonMark says.
fn cut_code_spans(line: &str, start: usize, out: &mut Vec<Span>) {
    let b = line.as_bytes();
    let mut from = 0;
    let mut i = 0;
    let mut closers: Option<Closers> = None;
    while i < b.len() {
        match memchr::memchr2(b'\\', b'`', &b[i..]) {
            Some(k) => i += k,
            None => break,
        }
        if b[i] == b'\\' {
            i += 2;
            continue;
        }
        let run = b[i..].iter().take_while(|&&c| c == b'`').count();
        // One pass over the line finds every closing run (see `Closers`): searching from
        // each opener was quadratic on runs that never close.
        let close = closers
            .get_or_insert_with(|| Closers::new(b, i))
            .after(i + run, run)
            .map(|j| j + run);
        match close {
            Some(end) => {
                if i > from {
                    out.push(Span::new(start + from, start + i));
                }
                from = end;
                i = end;
            }
            None => i += run,
        }
    }
    if b.len() > from {
        out.push(Span::new(start + from, start + b.len()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_are_not_prose() {
        let mut out = Vec::new();
        cut_code_spans("a `TK` b ``x ` y`` c `open", 0, &mut out);
        let line = "a `TK` b ``x ` y`` c `open";
        let got: Vec<&str> = out.iter().map(|s| &line[s.range()]).collect();
        assert_eq!(got, ["a ", " b ", " c `open"]);
    }

    /// A block without a backtick is not cut line by line, and has the spans cutting
    /// would give it: its lines, empty ones left out.
    #[test]
    fn a_block_without_code_has_the_spans_cutting_gives() {
        let texts = [
            "one line\n\n",
            "- item\n\n  next\n\n- last\r\n",
            "> quote\n>\n> more\n",
            "| a | b |\n|---|---|\n| 1 | 2 |\n",
            "a\rb\r\n\r\nc",
        ];
        for text in texts {
            let article = crate::article::Article::parse_str(text, Format::Markdown);
            for b in article.blocks() {
                let mut want = Vec::new();
                for line in lines_with_offsets(&text[b.span.range()], b.span.start) {
                    cut_code_spans(line.text, line.start, &mut want);
                }
                assert_eq!(
                    spans(Text::whole(text), Format::Markdown, b),
                    want,
                    "{text:?}"
                );
            }
        }
    }
}
