//! `from_proto` / `to_proto`: protocol types ⇄ core types, nothing else.

use ropey::Rope;
use tower_lsp::lsp_types as lsp;

use crate::article::anatomy::PartKind;
use crate::features::folding::{Fold, FoldKind};
use crate::features::outline::{display_name, EntryKind, Section};
use crate::rules::{Diagnostic, Severity};
use crate::text::{offset_of, position_of, Edit, Encoding, LineCol, Span};

pub fn offset(rope: &Rope, pos: lsp::Position, enc: Encoding) -> usize {
    offset_of(rope, LineCol::new(pos.line, pos.character), enc)
}

pub fn span(rope: &Rope, range: lsp::Range, enc: Encoding) -> Span {
    let a = offset(rope, range.start, enc);
    let b = offset(rope, range.end, enc);
    Span::new(a.min(b), a.max(b))
}

pub fn position(rope: &Rope, offset: usize, enc: Encoding) -> lsp::Position {
    let p = position_of(rope, offset, enc);
    lsp::Position::new(p.line, p.col)
}

pub fn range(rope: &Rope, span: Span, enc: Encoding) -> lsp::Range {
    lsp::Range::new(
        position(rope, span.start, enc),
        position(rope, span.end, enc),
    )
}

pub fn encoding_kind(enc: Encoding) -> lsp::PositionEncodingKind {
    match enc {
        Encoding::Utf8 => lsp::PositionEncodingKind::UTF8,
        Encoding::Utf16 => lsp::PositionEncodingKind::UTF16,
        Encoding::Utf32 => lsp::PositionEncodingKind::UTF32,
    }
}

/// utf-8 when the client offers it, else utf-16 (every client supports it), utf-32 only
/// for a client that offers nothing else.
pub fn negotiate_encoding(offered: Option<&[lsp::PositionEncodingKind]>) -> Encoding {
    let Some(offered) = offered else {
        return Encoding::Utf16;
    };
    if offered.contains(&lsp::PositionEncodingKind::UTF8) {
        Encoding::Utf8
    } else if offered.contains(&lsp::PositionEncodingKind::UTF16) || offered.is_empty() {
        Encoding::Utf16
    } else if offered.contains(&lsp::PositionEncodingKind::UTF32) {
        Encoding::Utf32
    } else {
        Encoding::Utf16
    }
}

fn slice(rope: &Rope, span: Span) -> String {
    rope.byte_slice(span.range()).to_string()
}

/// The symbol kind of an outline entry: each part of the article its own, so editors show
/// them apart.
pub fn symbol_kind(kind: EntryKind) -> lsp::SymbolKind {
    match kind {
        EntryKind::Title | EntryKind::Headline => lsp::SymbolKind::FILE,
        EntryKind::Section => lsp::SymbolKind::STRING,
        EntryKind::Part(p) => match p {
            PartKind::Dek => lsp::SymbolKind::CONSTANT,
            PartKind::Byline => lsp::SymbolKind::PROPERTY,
            PartKind::Dateline => lsp::SymbolKind::EVENT,
            PartKind::Lede => lsp::SymbolKind::FIELD,
            PartKind::FactBox => lsp::SymbolKind::STRUCT,
            PartKind::EndMark => lsp::SymbolKind::NULL,
        },
    }
}

fn entry_name(rope: &Rope, s: &Section) -> String {
    match &s.name {
        Some(n) => n.clone(),
        None => display_name(&slice(rope, s.title)),
    }
}

fn entry_detail(s: &Section) -> String {
    match s.kind {
        EntryKind::Title => "title".into(),
        EntryKind::Headline => "headline".into(),
        EntryKind::Section => format!("h{}", s.level),
        EntryKind::Part(p) => p.label().to_lowercase(),
    }
}

pub fn document_symbol(rope: &Rope, s: &Section, enc: Encoding) -> lsp::DocumentSymbol {
    let selection = if s.title.is_empty() {
        s.heading
    } else {
        s.title
    };
    #[allow(deprecated)]
    lsp::DocumentSymbol {
        name: entry_name(rope, s),
        detail: Some(entry_detail(s)),
        kind: symbol_kind(s.kind),
        tags: None,
        deprecated: None,
        range: range(rope, s.span, enc),
        selection_range: range(rope, selection, enc),
        children: Some(
            s.children
                .iter()
                .map(|c| document_symbol(rope, c, enc))
                .collect(),
        ),
    }
}

pub fn symbol_information(
    rope: &Rope,
    uri: &lsp::Url,
    sections: &[Section],
    container: Option<&str>,
    enc: Encoding,
    out: &mut Vec<lsp::SymbolInformation>,
) {
    for s in sections {
        let name = entry_name(rope, s);
        #[allow(deprecated)]
        out.push(lsp::SymbolInformation {
            name: name.clone(),
            kind: symbol_kind(s.kind),
            tags: None,
            deprecated: None,
            location: lsp::Location::new(uri.clone(), range(rope, s.span, enc)),
            container_name: container.map(str::to_string),
        });
        symbol_information(rope, uri, &s.children, Some(&name), enc, out);
    }
}

pub fn folding_range(rope: &Rope, f: &Fold) -> Option<lsp::FoldingRange> {
    let start = rope.byte_to_line(f.span.start.min(rope.len_bytes()));
    let end = position_of(rope, f.span.end, Encoding::Utf8).line as usize;
    (end > start).then_some(lsp::FoldingRange {
        start_line: start as u32,
        start_character: None,
        end_line: end as u32,
        end_character: None,
        kind: Some(match f.kind {
            FoldKind::FrontMatter => lsp::FoldingRangeKind::Comment,
            FoldKind::Section | FoldKind::Block => lsp::FoldingRangeKind::Region,
        }),
        collapsed_text: None,
    })
}

pub fn severity(s: Severity) -> lsp::DiagnosticSeverity {
    match s {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Information => lsp::DiagnosticSeverity::INFORMATION,
        Severity::Hint => lsp::DiagnosticSeverity::HINT,
    }
}

/// The link to a rule's page: `base` with `{id}` replaced, or `base/<id>` — only when
/// the configuration names where the pages are published (the binary carries them too:
/// `newsls rule ID`), so a diagnostic never links to a page that is not there.
pub fn rule_docs(base: Option<&str>, id: &str) -> Option<lsp::Url> {
    let base = base?;
    let url = if base.contains("{id}") {
        base.replace("{id}", id)
    } else {
        format!("{}/{id}", base.trim_end_matches('/'))
    };
    lsp::Url::parse(&url).ok()
}

pub fn diagnostic(
    rope: &Rope,
    uri: &lsp::Url,
    d: &Diagnostic,
    enc: Encoding,
    docs_base: Option<&str>,
) -> lsp::Diagnostic {
    let related = || {
        d.related
            .iter()
            .map(|r| lsp::DiagnosticRelatedInformation {
                location: lsp::Location::new(uri.clone(), range(rope, r.span, enc)),
                message: r.message.clone(),
            })
            .collect()
    };
    lsp::Diagnostic {
        range: range(rope, d.span, enc),
        severity: Some(severity(d.severity)),
        code: Some(lsp::NumberOrString::String(d.rule.to_string())),
        code_description: rule_docs(docs_base, d.rule).map(|href| lsp::CodeDescription { href }),
        source: Some("newsls".into()),
        message: d.message.clone(),
        related_information: (!d.related.is_empty()).then(related),
        tags: None,
        data: None,
    }
}

pub fn text_edit(rope: &Rope, edit: Edit, enc: Encoding) -> lsp::TextEdit {
    lsp::TextEdit::new(range(rope, edit.span, enc), edit.new_text)
}

/// Semantic token types: standard ones every theme colours, one per class of name.
pub const TOKEN_TYPES: [lsp::SemanticTokenType; 3] = [
    lsp::SemanticTokenType::VARIABLE,
    lsp::SemanticTokenType::NAMESPACE,
    lsp::SemanticTokenType::CLASS,
];

/// Semantic token modifiers: the first full mention of a name (its declaration), then the
/// class of the name in words, for clients and themes that style them.
pub fn token_modifiers() -> Vec<lsp::SemanticTokenModifier> {
    vec![
        lsp::SemanticTokenModifier::DECLARATION,
        lsp::SemanticTokenModifier::new("person"),
        lsp::SemanticTokenModifier::new("place"),
        lsp::SemanticTokenModifier::new("organisation"),
    ]
}

pub fn token_legend() -> lsp::SemanticTokensLegend {
    lsp::SemanticTokensLegend {
        token_types: TOKEN_TYPES.to_vec(),
        token_modifiers: token_modifiers(),
    }
}

/// The symbol kind of a named entity in workspace symbols (as its token type).
pub fn entity_symbol_kind(class: crate::entities::Class) -> lsp::SymbolKind {
    use crate::entities::Class;
    match class {
        Class::Person => lsp::SymbolKind::VARIABLE,
        Class::Place => lsp::SymbolKind::NAMESPACE,
        Class::Organisation => lsp::SymbolKind::CLASS,
    }
}

/// Names as semantic tokens (relative positions, lengths in `enc`). A name broken over two
/// lines is one token per line: tokens cannot span lines.
pub fn semantic_tokens(
    rope: &Rope,
    names: &[crate::features::names::NameToken],
    enc: Encoding,
) -> Vec<lsp::SemanticToken> {
    use crate::entities::Class;
    let mut out = Vec::with_capacity(names.len());
    let (mut last_line, mut last_col) = (0u32, 0u32);
    for t in names {
        let class = t.kind.class();
        let token_type = match class {
            Class::Person => 0,
            Class::Place => 1,
            Class::Organisation => 2,
        };
        let modifiers = u32::from(t.introduction)
            | match class {
                Class::Person => 1 << 1,
                Class::Place => 1 << 2,
                Class::Organisation => 1 << 3,
            };
        let start = position_of(rope, t.span.start, enc);
        let end = position_of(rope, t.span.end, enc);
        for line in start.line..=end.line {
            let from = if line == start.line { start.col } else { 0 };
            let to = if line == end.line {
                end.col
            } else {
                let text = rope.line(line as usize);
                let break_len: usize = text
                    .chars_at(text.len_chars())
                    .reversed()
                    .take(2)
                    .take_while(|c| {
                        matches!(
                            c,
                            '\n' | '\r' | '\u{b}' | '\u{c}' | '\u{85}' | '\u{2028}' | '\u{2029}'
                        )
                    })
                    .map(char::len_utf8)
                    .sum();
                let text_end = rope.line_to_byte(line as usize) + text.len_bytes() - break_len;
                position_of(rope, text_end, enc).col
            };
            if to <= from {
                continue;
            }
            let delta_line = line - last_line;
            let delta_start = if delta_line == 0 {
                from - last_col
            } else {
                from
            };
            out.push(lsp::SemanticToken {
                delta_line,
                delta_start,
                length: to - from,
                token_type,
                token_modifiers_bitset: modifiers,
            });
            (last_line, last_col) = (line, from);
        }
    }
    out
}

/// The edit from one token array to another: the run between their common prefix and
/// suffix.
pub fn tokens_delta(old: &[u32], new: &[u32]) -> Vec<lsp::SemanticTokensEdit> {
    if old == new {
        return Vec::new();
    }
    // Whole tokens of five integers each.
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count() / 5 * 5;
    let max_suffix = old.len().min(new.len()) - prefix;
    let suffix = old
        .iter()
        .rev()
        .zip(new.iter().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count()
        / 5
        * 5;
    let data: Vec<u32> = new[prefix..new.len() - suffix].to_vec();
    vec![lsp::SemanticTokensEdit {
        start: prefix as u32,
        delete_count: (old.len() - suffix - prefix) as u32,
        data: Some(flat_to_tokens(&data)),
    }]
}

pub fn tokens_to_flat(tokens: &[lsp::SemanticToken]) -> Vec<u32> {
    tokens
        .iter()
        .flat_map(|t| {
            [
                t.delta_line,
                t.delta_start,
                t.length,
                t.token_type,
                t.token_modifiers_bitset,
            ]
        })
        .collect()
}

/// lsp-types serialises `SemanticToken`s as five integers each: an edit's data must be a
/// whole number of tokens, so deltas are cut at token boundaries.
fn flat_to_tokens(flat: &[u32]) -> Vec<lsp::SemanticToken> {
    flat.chunks_exact(5)
        .map(|c| lsp::SemanticToken {
            delta_line: c[0],
            delta_start: c[1],
            length: c[2],
            token_type: c[3],
            token_modifiers_bitset: c[4],
        })
        .collect()
}
