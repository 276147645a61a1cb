//! What the structure rules share: the headings of an article in order, and a heading's
//! text and `#` markers.

use ropey::Rope;

use crate::article::{Article, Block};
use crate::text::{rope_slice, Span};

/// The headings of the article: (level, block).
pub fn headings(article: &Article) -> impl Iterator<Item = (u8, Block)> + '_ {
    article
        .blocks()
        .filter_map(|b| b.heading().map(|(l, _)| (l, b)))
}

/// The `#` run an ATX heading starts with (after up to three spaces), if it is one.
pub fn atx_marker(rope: &Rope, b: Block) -> Option<Span> {
    let text = rope_slice(
        rope,
        Span::new(b.span.start, (b.span.start + 12).min(b.span.end)),
    );
    let lead = text.len() - text.trim_start_matches(' ').len();
    let hashes = text[lead..].bytes().take_while(|&c| c == b'#').count();
    (lead <= 3 && (1..=6).contains(&hashes))
        .then(|| Span::new(b.span.start + lead, b.span.start + lead + hashes))
}

/// The first line of a block (what a diagnostic about the block as a whole points at).
pub fn first_line(rope: &Rope, b: Block) -> Span {
    let text = rope_slice(rope, b.span);
    let end = text.find(['\n', '\r']).unwrap_or(text.len());
    let lead = text.len() - text.trim_start().len();
    // A line of whitespace only (Unicode's: U+2028 is some, and a block to the parser):
    // the whole line, so that the span is never empty.
    let lead = if lead < end { lead } else { 0 };
    Span::new(
        b.span.start + lead,
        b.span.start + end.max(1).min(text.len()),
    )
}

/// A top-level key of the front matter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FmKey {
    pub name: String,
    /// The key as written.
    pub span: Span,
    /// The whole line.
    pub line: Span,
    /// No value: nothing after `:` (and no indented block under it), `""`, `''`, `~`,
    /// `null`.
    pub empty: bool,
}

/// The top-level keys of a front matter (YAML `key: value`, TOML `key = value` before
/// the first table), in order. Comments, list items and indented lines are not keys.
pub fn front_matter_keys(rope: &Rope, fm: &crate::article::FrontMatter) -> Vec<FmKey> {
    use crate::article::FrontMatterSyntax;
    let body = rope_slice(rope, fm.body);
    let lines: Vec<crate::text::Line<'_>> =
        crate::text::lines_with_offsets(&body, fm.body.start).collect();
    let mut out = Vec::new();
    for (k, line) in lines.iter().enumerate() {
        let t = line.text;
        if t.is_empty() || t.starts_with([' ', '\t', '#', '-']) {
            continue;
        }
        let (sep, toml) = match fm.syntax {
            FrontMatterSyntax::Yaml => (':', false),
            FrontMatterSyntax::Toml => ('=', true),
        };
        if toml && t.starts_with('[') {
            break; // tables: not top-level any more
        }
        let Some(at) = t.find(sep) else { continue };
        // YAML: `key: value` needs a space (or the end) after the colon.
        if !(toml || t[at + 1..].is_empty() || t[at + 1..].starts_with([' ', '\t'])) {
            continue;
        }
        let raw_key = &t[..at];
        let name = raw_key.trim().trim_matches(['"', '\'']).to_string();
        if name.is_empty() && raw_key.trim().is_empty() {
            continue;
        }
        let value = t[at + 1..].split(" #").next().unwrap_or("").trim();
        let block_follows = lines
            .get(k + 1)
            .is_some_and(|n| n.text.starts_with([' ', '\t', '-']) && !n.text.trim().is_empty());
        let empty = matches!(value, "" | "\"\"" | "''" | "~" | "null") && !block_follows;
        let key_start = line.start + (raw_key.len() - raw_key.trim_start().len());
        out.push(FmKey {
            name,
            span: Span::new(key_start, key_start + raw_key.trim().len().max(1)),
            line: Span::new(line.start, line.end()),
            empty,
        });
    }
    out
}
