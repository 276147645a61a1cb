//! Diagnostic: `quote-unbalanced`.
//!
//! A curly quotation mark or guillemet that is opened and never closed in its paragraph
//! (`“…`, `«…`), or closed without being opened. A quotation that runs into the next
//! paragraph, which then opens with the same mark again, is news style and left alone.
//! Straight quotes (`"`) are not counted: they double as inch marks. Inline code spans are
//! not read.
//!
//! No fix: where the quotation ends is the writer's call.

use super::{BlockCtx, Check, Rule, Severity, Sink};
use crate::article::BlockKind;
use crate::text::Span;

pub static RULE: Rule = Rule {
    id: "quote-unbalanced",
    default_severity: Severity::Warning,
    summary: "A quotation mark (“ or «) is opened and not closed in its paragraph, or closed and not opened",
    doc: include_str!("../../docs/rules/quote-unbalanced.md"),
    check: Check::Block(check),
    options: &[],
};

const PAIRS: &[(char, char)] = &[('“', '”'), ('«', '»')];

fn check(ctx: &BlockCtx<'_>, out: &mut Sink<'_>) {
    let b = ctx.block();
    if !matches!(b.kind, BlockKind::Paragraph | BlockKind::Quote) {
        return;
    }
    let whole = ctx.text.slice(b.span).as_bytes();
    for &(open, close) in PAIRS {
        // The marks start with 0xE2 (“ ”) or 0xC2 (« »), lead bytes only: the
        // candidates are found by memchr rather than by decoding every character, in the
        // block first (most have no « at all, and many no “).
        let lead = if open == '“' { 0xE2 } else { 0xC2 };
        if memchr::memchr(lead, whole).is_none() {
            continue;
        }
        let spans = ctx.prose();
        // Unmatched openers (stack) and closers, in order.
        let mut opened: Vec<Span> = Vec::new();
        let mut stray_close: Vec<Span> = Vec::new();
        for &span in spans {
            let line = ctx.text.slice(span);
            for i in memchr::memchr_iter(lead, line.as_bytes()) {
                let Some(c) = line[i..].chars().next() else {
                    continue;
                };
                let at = Span::new(span.start + i, span.start + i + c.len_utf8());
                if c == open {
                    opened.push(at);
                } else if c == close && opened.pop().is_none() {
                    stray_close.push(at);
                }
            }
        }
        if let Some(&last) = opened.last() {
            // A quotation that goes on in the next paragraph opens it with the same mark.
            let continues = ctx.blocks.get(ctx.i + 1).is_some_and(|n| {
                n.kind == BlockKind::Paragraph
                    && ctx
                        .text
                        .slice(n.span)
                        .trim_start_matches([' ', '>', '\t'])
                        .starts_with(open)
            });
            if !continues {
                out.report(last, format!("This {open} is not closed in its paragraph (no {close} after it)"));
            }
        }
        if let Some(&first) = stray_close.first() {
            out.report(first, format!("This {close} closes a quotation that was not opened (no {open} before it)"));
        }
    }
}
