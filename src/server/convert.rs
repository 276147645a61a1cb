//! `from_proto` / `to_proto`: protocol types ⇄ core types, nothing else.

use ropey::Rope;
use tower_lsp::lsp_types as lsp;

use crate::article::anatomy::PartKind;
use crate::features::folding::{Fold, FoldKind};
use crate::features::outline::{display_name, EntryKind, Section};
use crate::rules::{Diagnostic, Severity};
use crate::text::{offset_of, position_of, Edit, Encoding, LineCol, Positions, Span};

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

/// The range of `span`, converted by a [`Positions`] shared across a whole answer.
pub fn range_in(p: &mut Positions<'_>, span: Span) -> lsp::Range {
    let (a, b) = p.range(span);
    lsp::Range::new(
        lsp::Position::new(a.line, a.col),
        lsp::Position::new(b.line, b.col),
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

pub fn document_symbol(p: &mut Positions<'_>, s: &Section) -> lsp::DocumentSymbol {
    let selection = if s.title.is_empty() {
        s.heading
    } else {
        s.title
    };
    #[allow(deprecated)]
    lsp::DocumentSymbol {
        name: entry_name(p.rope(), s),
        detail: Some(entry_detail(s)),
        kind: symbol_kind(s.kind),
        tags: None,
        deprecated: None,
        range: range_in(p, s.span),
        selection_range: range_in(p, selection),
        children: Some(s.children.iter().map(|c| document_symbol(p, c)).collect()),
    }
}

pub fn symbol_information(
    p: &mut Positions<'_>,
    uri: &lsp::Url,
    sections: &[Section],
    container: Option<&str>,
    out: &mut Vec<lsp::SymbolInformation>,
) {
    for s in sections {
        let name = entry_name(p.rope(), s);
        #[allow(deprecated)]
        out.push(lsp::SymbolInformation {
            name: name.clone(),
            kind: symbol_kind(s.kind),
            tags: None,
            deprecated: None,
            location: lsp::Location::new(uri.clone(), range_in(p, s.span)),
            container_name: container.map(str::to_string),
        });
        symbol_information(p, uri, &s.children, Some(&name), out);
    }
}

/// A fold's lines (columns are not asked for: `lineFoldingOnly`); `None` for a fold
/// within one line.
pub fn folding_range(p: &mut Positions<'_>, f: &Fold) -> Option<lsp::FoldingRange> {
    let (start, end) = p.range(f.span);
    (end.line > start.line).then_some(lsp::FoldingRange {
        start_line: start.line,
        start_character: None,
        end_line: end.line,
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

/// Diagnostics converted with one [`Positions`]: sorted by span, as a collection keeps
/// them, each costs a few bytes of counting rather than a dozen descents of the rope.
pub fn diagnostics<'a>(
    rope: &Rope,
    uri: &lsp::Url,
    diags: impl IntoIterator<Item = &'a Diagnostic>,
    enc: Encoding,
    docs_base: Option<&str>,
) -> Vec<lsp::Diagnostic> {
    let mut p = Positions::new(rope, enc);
    diags
        .into_iter()
        .map(|d| diagnostic_in(&mut p, uri, d, docs_base))
        .collect()
}

pub fn diagnostic_in(
    p: &mut Positions<'_>,
    uri: &lsp::Url,
    d: &Diagnostic,
    docs_base: Option<&str>,
) -> lsp::Diagnostic {
    let range = range_in(p, d.span);
    let related_information = (!d.related.is_empty()).then(|| {
        d.related
            .iter()
            .map(|r| lsp::DiagnosticRelatedInformation {
                location: lsp::Location::new(uri.clone(), range_in(p, r.span)),
                message: r.message.clone(),
            })
            .collect()
    });
    lsp::Diagnostic {
        range,
        severity: Some(severity(d.severity)),
        code: Some(lsp::NumberOrString::String(d.rule.to_string())),
        code_description: rule_docs(docs_base, d.rule).map(|href| lsp::CodeDescription { href }),
        source: Some("newsls".into()),
        message: d.message.clone(),
        related_information,
        tags: None,
        data: None,
    }
}

pub fn text_edit(rope: &Rope, edit: Edit, enc: Encoding) -> lsp::TextEdit {
    lsp::TextEdit::new(range(rope, edit.span, enc), edit.new_text)
}
