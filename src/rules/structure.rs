//! What the structure rules share: a heading's `#` markers, a block's first line, the
//! front matter's keys.

use ropey::Rope;

use crate::article::Block;
use crate::text::{rope_slice, Span};

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

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::atx_marker;
    use crate::article::{Article, Format};
    use crate::rules::{check, RuleConfig, Run};
    use crate::text::Span;

    /// A Markdown article of these headings (level, setext or ATX, paragraphs after it).
    fn article(headings: &[(u8, bool, u8)]) -> String {
        let mut text = String::new();
        for (k, &(level, setext, paras)) in headings.iter().enumerate() {
            if setext && level <= 2 {
                let line = if level == 1 { "=====" } else { "-----" };
                text.push_str(&format!("Heading {k}\n{line}\n\n"));
            } else {
                text.push_str(&format!("{} Heading {k}\n\n", "#".repeat(level.into())));
            }
            for p in 0..paras {
                text.push_str(&format!("Paragraph {p} under heading {k}.\n\n"));
            }
        }
        text
    }

    /// What the structure rules find, read off every block one by one.
    fn naive(a: &Article, text: &str) -> Vec<(&'static str, Span)> {
        let rope = ropey::Rope::from_str(text);
        let hs: Vec<_> = a
            .blocks()
            .filter_map(|b| b.heading().map(|(l, t)| (l, t, b)))
            .collect();
        let mut out = Vec::new();
        if !hs.iter().any(|h| h.0 == 1) {
            out.push(("headline-missing", Span::new(0, 0)));
        }
        let ones: Vec<_> = hs.iter().filter(|h| h.0 == 1).collect();
        for h in ones.iter().skip(1) {
            let span = if h.1.is_empty() { h.2.span } else { h.1 };
            out.push(("headline-multiple", span));
        }
        for w in hs.windows(2) {
            if w[1].0 > w[0].0 + 1 {
                let span = atx_marker(&rope, w[1].2).unwrap_or(w[1].2.span);
                out.push(("heading-level-skip", span));
            }
        }
        out.sort_by_key(|(r, s)| (*r, s.start));
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            rng_seed: proptest::test_runner::RngSeed::Fixed(0x6865_6164),
            ..ProptestConfig::default()
        })]

        /// The rules read heading marks and open only the chunks they point at; over
        /// articles of many chunks they find what a pass over every block finds.
        #[test]
        fn structure_rules_over_chunks_find_what_every_block_shows(
            headings in prop::collection::vec((1u8..=6, any::<bool>(), 0u8..4), 1..300),
            only_deep in any::<bool>(),
        ) {
            // Half the cases keep to levels 2 and 3 with a rare jump, so that the chunks
            // the rules skip are most of the article.
            let headings: Vec<_> = headings
                .into_iter()
                .enumerate()
                .map(|(k, (l, s, p))| match only_deep {
                    true if k % 97 != 5 => (2 + l % 2, s, p),
                    _ => (l, s, p),
                })
                .collect();
            let text = article(&headings);
            let a = Article::parse_str(&text, Format::Markdown);
            let mut found: Vec<(&'static str, Span)> = check(&a, &text, &RuleConfig::default(), Run::Typing)
                .into_iter()
                .filter(|d| d.rule.starts_with("head"))
                .map(|d| (d.rule, if d.rule == "headline-missing" { Span::new(0, 0) } else { d.span }))
                .collect();
            found.sort_by_key(|(r, s)| (*r, s.start));
            prop_assert_eq!(found, naive(&a, &text));
        }
    }
}
