//! Diagnostic: `bidi-control`.
//!
//! Invisible bidirectional control characters that do harm: an embedding, override or
//! isolate (U+202A–U+202E, U+2066–U+2069) opened and not closed on its line, a closer with
//! no opener, or a direction mark (U+200E, U+200F, U+061C) with nothing to act on — at the
//! edge of a line, next to another mark, or between spaces. Pasted from web pages and
//! CMSs, they garble how Arabic and mixed text is displayed and are invisible in most
//! editors. Balanced controls and marks between words are legitimate and left alone.
//!
//! Fix: remove the character (applied by `newsls check --fix`).

use std::sync::LazyLock;

use super::{BlockCtx, Check, Fix, Rule, Severity, Sink};
use crate::text::{Edit, Span};

pub static RULE: Rule = Rule {
    id: "bidi-control",
    default_severity: Severity::Warning,
    summary: "A stray or unbalanced bidirectional control character (U+200E/F, U+202A–E, U+2066–9)",
    doc: include_str!("../../docs/rules/bidi-control.md"),
    check: Check::Block(check),
    options: &[],
};

fn name(c: char) -> &'static str {
    match c {
        '\u{200E}' => "left-to-right mark (U+200E)",
        '\u{200F}' => "right-to-left mark (U+200F)",
        '\u{061C}' => "Arabic letter mark (U+061C)",
        '\u{202A}' => "left-to-right embedding (U+202A)",
        '\u{202B}' => "right-to-left embedding (U+202B)",
        '\u{202C}' => "pop directional formatting (U+202C)",
        '\u{202D}' => "left-to-right override (U+202D)",
        '\u{202E}' => "right-to-left override (U+202E)",
        '\u{2066}' => "left-to-right isolate (U+2066)",
        '\u{2067}' => "right-to-left isolate (U+2067)",
        '\u{2068}' => "first-strong isolate (U+2068)",
        _ => "pop directional isolate (U+2069)",
    }
}

fn is_mark(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}')
}

fn is_control(c: char) -> bool {
    is_mark(c) || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Stray controls of one line: (offset in the line, character, why).
/// Whether `text` holds a control: every one is three bytes from a 0xE2 lead byte
/// (`E2 80 8E`–`8F`, `E2 80 AA`–`AE`, `E2 81 A6`–`A9`) but U+061C (`D8 9C`). Byte
/// searches, not a decoding of every character: this runs on every block of every
/// article, and 0xE2 also leads the dashes and curly quotes of most English prose.
pub(super) fn may_have_control(text: &str) -> bool {
    static ALM: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new("\u{061C}".as_bytes()));
    let b = text.as_bytes();
    memchr::memchr_iter(0xE2, b).any(|i| {
        matches!(
            (b.get(i + 1), b.get(i + 2)),
            (Some(0x80), Some(0x8E | 0x8F | 0xAA..=0xAE)) | (Some(0x81), Some(0xA6..=0xA9))
        )
    }) || ALM.find(b).is_some()
}

fn strays(line: &str) -> Vec<(usize, char, &'static str)> {
    let mut out = Vec::new();
    // Open embeddings/overrides and isolates, innermost last.
    let mut open: Vec<(usize, char)> = Vec::new();
    // Where in `open` each embedding (or override) and each isolate is: finding the
    // innermost one of a kind by searching `open` was quadratic on a line of isolates
    // followed by pops of embeddings.
    let mut embeddings: Vec<usize> = Vec::new();
    let mut isolates: Vec<usize> = Vec::new();
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        match c {
            '\u{202A}' | '\u{202B}' | '\u{202D}' | '\u{202E}' => {
                embeddings.push(open.len());
                open.push((i, c))
            }
            '\u{2066}' | '\u{2067}' | '\u{2068}' => {
                isolates.push(open.len());
                open.push((i, c))
            }
            // A pop closes the innermost opener of its kind and every opener inside it.
            '\u{202C}' | '\u{2069}' => {
                let (mine, other) = if c == '\u{202C}' {
                    (&mut embeddings, &mut isolates)
                } else {
                    (&mut isolates, &mut embeddings)
                };
                match mine.pop() {
                    Some(p) => {
                        open.truncate(p);
                        while other.last().is_some_and(|&q| q >= p) {
                            other.pop();
                        }
                    }
                    None => out.push((i, c, "closes nothing")),
                }
            }
            c if is_mark(c) => {
                // A mark's neighbours are read through embeddings, overrides and
                // isolates: beside a stray one of those it acts on nothing all the same,
                // and removing that one must not make the mark a new finding.
                let through = |c: &char| is_control(*c) && !is_mark(*c);
                let prev = chars[..k].iter().rev().map(|&(_, c)| c).find(|c| !through(c));
                let next = chars[k + 1..].iter().map(|&(_, c)| c).find(|c| !through(c));
                let edge = prev.is_none() || next.is_none();
                let doubled = prev.is_some_and(is_mark) || next.is_some_and(is_mark);
                let spaced = prev.is_some_and(char::is_whitespace) && next.is_some_and(char::is_whitespace);
                if edge || doubled || spaced {
                    out.push((i, c, "acts on nothing here"));
                }
            }
            _ => {}
        }
    }
    for (i, c) in open {
        out.push((i, c, "is not closed on its line"));
    }
    out.sort_by_key(|&(i, _, _)| i);
    out
}

fn check(ctx: &BlockCtx<'_>, out: &mut Sink<'_>) {
    let b = ctx.block();
    if !ctx.batch.bidi_controls || !may_have_control(ctx.text.slice(b.span)) {
        return;
    }
    for &span in ctx.prose() {
        let line = ctx.text.slice(span);
        for (i, c, why) in strays(line) {
            let at = Span::new(span.start + i, span.start + i + c.len_utf8());
            out.report(
                at,
                format!("Invisible {} {why}: it can garble how the line is displayed", name(c)),
            )
            .fix(|| Fix::safe(format!("Remove the {}", name(c)), vec![Edit::new(at, "")]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte search finds exactly the controls, whatever surrounds them: every
    /// character that shares a lead byte with one (U+0600–U+063F, U+2000–U+2FFF), alone
    /// and between dashes and quotes, which share its lead byte too.
    #[test]
    fn the_byte_search_finds_exactly_the_controls() {
        let chars = ('\u{0600}'..='\u{063F}').chain('\u{2000}'..='\u{2FFF}');
        for c in chars.chain(['a', 'ب']) {
            for text in [format!("{c}"), format!("— “{c}” ‘x’ –"), format!("قال{c}")] {
                assert_eq!(may_have_control(&text), is_control(c), "{c:?} in {text:?}");
            }
        }
    }

    #[test]
    fn balanced_controls_and_marks_between_words_are_fine() {
        assert!(strays("قال \u{2067}Reuters\u{2069} إن").is_empty());
        assert!(strays("abc\u{202B}def\u{202C}ghi").is_empty());
        assert!(strays("ب\u{200F}123").is_empty());
        let got: Vec<&str> = strays("\u{200F}قال \u{202B}x").iter().map(|s| s.2).collect();
        assert_eq!(got, ["acts on nothing here", "is not closed on its line"]);
        assert_eq!(strays("x\u{2069}")[0].2, "closes nothing");
        assert_eq!(strays("a \u{200E} b").len(), 1);
        assert_eq!(strays("a\u{200E}\u{200E}b").len(), 2);
        // Read through embeddings: beside a stray one at the start of the line, a mark
        // acts on nothing (found by the fuzz target: removing the embedding used to
        // leave a "new" stray mark behind).
        assert_eq!(strays("\u{202A}\u{200E}x").len(), 2);
        assert!(strays("abc\u{202B}\u{200F}def\u{202C}").is_empty());
    }
}
