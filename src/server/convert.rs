//! `from_proto` / `to_proto`: protocol types ⇄ core types, nothing else.

use std::borrow::Cow;
use std::cell::Cell;

use ropey::Rope;
use tower_lsp::lsp_types as lsp;

use crate::article::anatomy::PartKind;
use crate::features::folding::{Fold, FoldKind};
use crate::features::outline::{display_name, EntryKind, Section};
use crate::rules::{Diagnostic, Kept, Severity};
use crate::text::{
    offset_of, position_of, positions, positions_kept, Edit, Encoding, KeptPositions, LineCol, Span,
};

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

/// Positions converted for a whole answer at once, handed out in the order their offsets
/// were gathered (see [`positions`]).
struct Taken {
    positions: Vec<LineCol>,
    next: Cell<usize>,
}

impl Taken {
    fn new(rope: &Rope, enc: Encoding, offsets: &[usize]) -> Taken {
        Taken {
            positions: positions(rope, enc, offsets),
            next: Cell::new(0),
        }
    }

    fn position(&self) -> LineCol {
        let i = self.next.get();
        self.next.set(i + 1);
        self.positions[i]
    }

    fn range(&self) -> lsp::Range {
        let (a, b) = (self.position(), self.position());
        lsp::Range::new(
            lsp::Position::new(a.line, a.col),
            lsp::Position::new(b.line, b.col),
        )
    }
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

pub(super) fn selection(s: &Section) -> Span {
    if s.title.is_empty() {
        s.heading
    } else {
        s.title
    }
}

/// `s` as a JSON string, as serde_json writes it; copied as it is when nothing in it
/// needs escaping (no quote, backslash or control character), as in most names.
pub(super) fn write_str(out: &mut Vec<u8>, s: &str) -> serde_json::Result<()> {
    if s.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        return serde_json::to_writer(out, s);
    }
    out.reserve(s.len() + 2);
    out.push(b'"');
    out.extend_from_slice(s.as_bytes());
    out.push(b'"');
    Ok(())
}

/// A `Range` (`at`: its two ends) as JSON, as serde_json writes `lsp::Range`.
pub(super) fn write_range(out: &mut Vec<u8>, at: &[LineCol]) {
    let mut n = itoa::Buffer::new();
    out.extend_from_slice(br#"{"start":{"line":"#);
    out.extend_from_slice(n.format(at[0].line).as_bytes());
    out.extend_from_slice(br#","character":"#);
    out.extend_from_slice(n.format(at[0].col).as_bytes());
    out.extend_from_slice(br#"},"end":{"line":"#);
    out.extend_from_slice(n.format(at[1].line).as_bytes());
    out.extend_from_slice(br#","character":"#);
    out.extend_from_slice(n.format(at[1].col).as_bytes());
    out.extend_from_slice(b"}}");
}

/// [`entry_name`], borrowed when the title needs no tidying.
pub(super) fn entry_name_str<'a>(rope: &'a Rope, s: &'a Section) -> Cow<'a, str> {
    if let Some(n) = &s.name {
        return Cow::Borrowed(n);
    }
    let title = crate::text::rope_slice(rope, s.title);
    // display_name joins the title's words with one space: most titles already are so.
    let tidy = !title.is_empty()
        && !title.starts_with(char::is_whitespace)
        && !title.ends_with(char::is_whitespace)
        && !title
            .split(' ')
            .any(|w| w.is_empty() || w.contains(char::is_whitespace));
    match title {
        Cow::Borrowed(t) if tidy => Cow::Borrowed(t),
        t => Cow::Owned(display_name(&t)),
    }
}

/// What `detail` says of an entry.
pub(super) fn entry_detail(s: &Section) -> Cow<'static, str> {
    const LEVELS: [&str; 7] = ["h0", "h1", "h2", "h3", "h4", "h5", "h6"];
    Cow::Borrowed(match s.kind {
        EntryKind::Title => "title",
        EntryKind::Headline => "headline",
        EntryKind::Section => match LEVELS.get(s.level as usize) {
            Some(l) => l,
            None => return Cow::Owned(format!("h{}", s.level)),
        },
        // The parts' labels, lower-cased.
        EntryKind::Part(p) => match p {
            PartKind::Dek => "dek",
            PartKind::Byline => "byline",
            PartKind::Dateline => "dateline",
            PartKind::Lede => "lede",
            PartKind::FactBox => "fact box",
            PartKind::EndMark => "end mark",
        },
    })
}

/// An outline as flat symbols with their containers' names (for clients without
/// hierarchical symbols); its positions converted in one pass.
pub fn symbol_informations(
    rope: &Rope,
    uri: &lsp::Url,
    sections: &[Section],
    enc: Encoding,
) -> Vec<lsp::SymbolInformation> {
    let mut offsets = Vec::new();
    super::symbols::symbol_offsets(sections, None, &mut 0, &mut offsets, &mut Vec::new());
    let taken = Taken::new(rope, enc, &offsets);
    let mut out = Vec::new();
    symbol_information(rope, &taken, uri, sections, None, &mut out);
    out
}

fn symbol_information(
    rope: &Rope,
    taken: &Taken,
    uri: &lsp::Url,
    sections: &[Section],
    container: Option<&str>,
    out: &mut Vec<lsp::SymbolInformation>,
) {
    for s in sections {
        let name = entry_name_str(rope, s).into_owned();
        let range = taken.range();
        let _selection = taken.range();
        #[allow(deprecated)]
        out.push(lsp::SymbolInformation {
            name: name.clone(),
            kind: symbol_kind(s.kind),
            tags: None,
            deprecated: None,
            location: lsp::Location::new(uri.clone(), range),
            container_name: container.map(str::to_string),
        });
        symbol_information(rope, taken, uri, &s.children, Some(&name), out);
    }
}

/// The folds that span lines, as (first line, last line, kind): their lines converted in
/// one pass, taking those `kept` knows (see [`positions_kept`]); and what to keep for the
/// next time.
fn fold_lines(
    rope: &Rope,
    folds: &[Fold],
    kept: Option<KeptPositions>,
) -> (Vec<(u32, u32, lsp::FoldingRangeKind)>, KeptPositions) {
    let offsets: Vec<usize> = folds
        .iter()
        .flat_map(|f| [f.span.start, f.span.end])
        .collect();
    // Lines only: the encoding does not matter.
    let (at, keep) = positions_kept(rope, Encoding::Utf8, &offsets, kept, 0);
    let lines = folds
        .iter()
        .zip(at.chunks(2))
        .filter(|(_, at)| at[1].line > at[0].line)
        .map(|(f, at)| {
            let kind = match f.kind {
                FoldKind::FrontMatter => lsp::FoldingRangeKind::Comment,
                FoldKind::Section | FoldKind::Block => lsp::FoldingRangeKind::Region,
            };
            (at[0].line, at[1].line, kind)
        })
        .collect();
    (lines, keep)
}

/// At most `limit` folding ranges (`FoldingRange[]`) as JSON appended to `out`, as
/// serde_json writes `lsp_types`' values; their lines converted from those `kept` knows
/// where it can (a keystroke moves a 10 MB article's 36,000 fold ends, and converting
/// them all again took 5–7 ms of a 10 ms answer). Returns what to keep for the next time.
pub fn write_folding_ranges(
    rope: &Rope,
    folds: &[Fold],
    limit: usize,
    kept: Option<KeptPositions>,
    out: &mut Vec<u8>,
) -> KeptPositions {
    let (lines, keep) = fold_lines(rope, folds, kept);
    let mut n = itoa::Buffer::new();
    out.reserve(48 * lines.len().min(limit) + 2);
    out.push(b'[');
    for (i, (start, end, kind)) in lines.into_iter().take(limit).enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(br#"{"startLine":"#);
        out.extend_from_slice(n.format(start).as_bytes());
        out.extend_from_slice(br#","endLine":"#);
        out.extend_from_slice(n.format(end).as_bytes());
        out.extend_from_slice(if kind == lsp::FoldingRangeKind::Comment {
            br#","kind":"comment"}"#
        } else {
            br#","kind":"region"}"#
        });
    }
    out.push(b']');
    keep
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

/// Diagnostics in the protocol's form; their positions (and their related locations')
/// converted in one pass.
pub fn diagnostics<'a>(
    rope: &Rope,
    uri: &lsp::Url,
    diags: impl IntoIterator<Item = &'a Diagnostic>,
    enc: Encoding,
    docs_base: Option<&str>,
) -> Vec<lsp::Diagnostic> {
    let diags: Vec<&Diagnostic> = diags.into_iter().collect();
    let offsets: Vec<usize> = diags
        .iter()
        .flat_map(|d| std::iter::once(d.span).chain(d.related.iter().map(|r| r.span)))
        .flat_map(|s| [s.start, s.end])
        .collect();
    let taken = Taken::new(rope, enc, &offsets);
    diags
        .into_iter()
        .map(|d| diagnostic_from(&taken, uri, d, docs_base))
        .collect()
}

/// A document's diagnostics as the protocol's `Diagnostic[]`, serialised straight from
/// the core's (borrowing rule ids and messages): a 10 MB article's 3,800 diagnostics go
/// out with every keystroke's answer. Positions a diagnostic remembers (see
/// [`crate::text::Memo`]: an earlier answer computed them, and edits elsewhere moved
/// them) are used as they are; the others are converted in one pass, and remembered.
pub struct DiagnosticsOut<'a> {
    diags: Vec<&'a Diagnostic>,
    docs_base: Option<&'a str>,
    enc: Encoding,
    slots: Vec<Slot>,
    /// How many diagnostics have nothing kept from an earlier answer for `docs_base`.
    unwritten: usize,
    /// The positions converted now, for the diagnostics that did not remember theirs.
    fresh: Vec<LineCol>,
    /// `uri` as a JSON string, for related locations.
    uri_json: Vec<u8>,
}

/// Where a diagnostic's positions are, in the order [`Diagnostic::positions`] keeps
/// them: its span's ends, then each related span's.
enum Slot {
    Remembered,
    /// Converted now: from this index in `fresh`.
    Fresh(usize),
}

impl<'a> DiagnosticsOut<'a> {
    pub fn new(
        rope: &Rope,
        uri: &'a lsp::Url,
        diags: Vec<&'a Diagnostic>,
        enc: Encoding,
        docs_base: Option<&'a str>,
    ) -> DiagnosticsOut<'a> {
        let mut offsets = Vec::new();
        let mut unwritten = 0;
        let slots: Vec<Slot> = diags
            .iter()
            .map(|d| {
                unwritten += usize::from(!d.rendered.is_kept(docs_base));
                if d.positions.get(enc).is_some() {
                    return Slot::Remembered;
                }
                let slot = Slot::Fresh(offsets.len());
                for s in std::iter::once(d.span).chain(d.related.iter().map(|r| r.span)) {
                    offsets.extend([s.start, s.end]);
                }
                slot
            })
            .collect();
        let fresh = if offsets.is_empty() {
            Vec::new()
        } else {
            positions(rope, enc, &offsets)
        };
        for (d, slot) in diags.iter().zip(&slots) {
            if let Slot::Fresh(i) = *slot {
                d.positions
                    .remember(enc, &fresh[i..i + 2 * (1 + d.related.len())]);
            }
        }
        DiagnosticsOut {
            diags,
            docs_base,
            enc,
            slots,
            unwritten,
            fresh,
            uri_json: serde_json::to_vec(uri.as_str()).unwrap_or_default(),
        }
    }

    fn positions_of(&self, i: usize) -> &[LineCol] {
        let d = self.diags[i];
        match self.slots[i] {
            Slot::Remembered => d.positions.get(self.enc).unwrap_or_default(),
            Slot::Fresh(at) => &self.fresh[at..at + 2 * (1 + d.related.len())],
        }
    }
}

/// Diagnostics to write afresh from which [`DiagnosticsOut::write_json`] writes on every
/// core. Copying what was kept is faster on one: a keystroke's answer at 10 MB (3,800
/// diagnostics, 1.5 MB) took 0.4-0.5 ms on one thread and 0.65-0.9 ms on two, started
/// for it and joined.
const PARALLEL_DIAGNOSTICS: usize = 1024;

impl DiagnosticsOut<'_> {
    /// The diagnostics' JSON (`Diagnostic[]`), appended to `out`: when many have nothing
    /// kept, cut into runs written side by side, one per core, and joined.
    pub fn write_json(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        let n = self.diags.len();
        let threads = rayon::current_num_threads();
        if self.unwritten < PARALLEL_DIAGNOSTICS || threads < 2 {
            return self.write_run(0, n, out);
        }
        let per = n.div_ceil(threads);
        // The first run is written straight into `out`; the others beside it.
        let (first, others) = rayon::join(
            || self.write_run(0, per.min(n), out),
            || {
                use rayon::prelude::*;
                (per..n)
                    .into_par_iter()
                    .step_by(per)
                    .map(|from| {
                        let to = (from + per).min(n);
                        let mut buf = Vec::with_capacity(512 * (to - from));
                        self.write_run(from, to, &mut buf).map(|()| buf)
                    })
                    .collect::<Vec<serde_json::Result<Vec<u8>>>>()
            },
        );
        first?;
        append_runs(out, others)
    }
}

/// Continues the JSON array that ends `out` with the elements of `runs` (arrays written
/// on other threads), in order.
fn append_runs(
    out: &mut Vec<u8>,
    runs: Vec<serde_json::Result<Vec<u8>>>,
) -> serde_json::Result<()> {
    for run in runs {
        append_run(out, &run?);
    }
    Ok(())
}

/// Appends the entries of the JSON array `run` to the array that ends `out`; returns how
/// far `run`'s bytes moved (its byte `k` is now `out[k + shift]`).
pub(super) fn append_run(out: &mut Vec<u8>, run: &[u8]) -> usize {
    out.pop();
    let inner = &run[1..run.len() - 1];
    if !inner.is_empty() {
        if out.last() != Some(&b'[') {
            out.push(b',');
        }
        out.extend_from_slice(inner);
    }
    out.push(b']');
    out.len() - 1 - inner.len() - 1
}

impl DiagnosticsOut<'_> {
    /// Diagnostics `from..to`, as a JSON array appended to `out`.
    fn write_run(&self, from: usize, to: usize, out: &mut Vec<u8>) -> serde_json::Result<()> {
        out.push(b'[');
        for i in from..to {
            if i > from {
                out.push(b',');
            }
            self.write_one(i, out)?;
        }
        out.push(b']');
        Ok(())
    }

    /// One `Diagnostic`, with the fields `lsp_types` writes, in its order. A diagnostic
    /// answered before (its positions were remembered) keeps what was written, for this
    /// documentation address and these positions: the next answers copy it whole while
    /// its positions hold, and copy what follows the range while its related locations'
    /// do (see [`Rendered`](crate::rules::Rendered)).
    fn write_one(&self, i: usize, out: &mut Vec<u8>) -> serde_json::Result<()> {
        let d = self.diags[i];
        let at = self.positions_of(i);
        let kept = d.rendered.get(self.docs_base, at);
        if let Some(Kept::Whole(bytes)) = kept {
            out.extend_from_slice(bytes);
            return Ok(());
        }
        let start = out.len();
        out.extend_from_slice(br#"{"range":"#);
        write_range(out, at);
        if let Some(Kept::Tail(tail)) = kept {
            out.extend_from_slice(tail);
            return Ok(());
        }
        let tail = out.len() - start;
        self.write_tail(d, at, out)?;
        if matches!(self.slots[i], Slot::Remembered) {
            d.rendered.remember(self.docs_base, at, &out[start..], tail);
        }
        Ok(())
    }

    /// A diagnostic's fields after its range, and the closing brace.
    fn write_tail(
        &self,
        d: &Diagnostic,
        at: &[LineCol],
        out: &mut Vec<u8>,
    ) -> serde_json::Result<()> {
        out.extend_from_slice(br#","severity":"#);
        serde_json::to_writer(&mut *out, &severity(d.severity))?;
        out.extend_from_slice(br#","code":"#);
        write_str(out, d.rule)?;
        if let Some(href) = rule_docs(self.docs_base, d.rule) {
            out.extend_from_slice(br#","codeDescription":"#);
            serde_json::to_writer(&mut *out, &lsp::CodeDescription { href })?;
        }
        out.extend_from_slice(br#","source":"newsls","message":"#);
        write_str(out, &d.message)?;
        if !d.related.is_empty() {
            // `DiagnosticRelatedInformation`s, the document's URI written once per answer.
            out.extend_from_slice(br#","relatedInformation":["#);
            for (k, (r, at)) in d.related.iter().zip(at[2..].chunks(2)).enumerate() {
                if k > 0 {
                    out.push(b',');
                }
                out.extend_from_slice(br#"{"location":{"uri":"#);
                out.extend_from_slice(&self.uri_json);
                out.extend_from_slice(br#","range":"#);
                write_range(out, at);
                out.extend_from_slice(br#"},"message":"#);
                write_str(out, &r.message)?;
                out.push(b'}');
            }
            out.push(b']');
        }
        out.push(b'}');
        Ok(())
    }
}

/// One diagnostic in the protocol's form.
pub fn diagnostic(
    rope: &Rope,
    uri: &lsp::Url,
    d: &Diagnostic,
    enc: Encoding,
    docs_base: Option<&str>,
) -> lsp::Diagnostic {
    diagnostics(rope, uri, std::iter::once(d), enc, docs_base)
        .pop()
        .expect("one diagnostic in, one out")
}

fn diagnostic_from(
    taken: &Taken,
    uri: &lsp::Url,
    d: &Diagnostic,
    docs_base: Option<&str>,
) -> lsp::Diagnostic {
    let range = taken.range();
    let related_information = (!d.related.is_empty()).then(|| {
        d.related
            .iter()
            .map(|r| lsp::DiagnosticRelatedInformation {
                location: lsp::Location::new(uri.clone(), taken.range()),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{Article, Format};

    #[test]
    fn diagnostics_written_straight_equal_lsp_types() {
        use crate::analysis::{check_text, Settings};
        let uri = lsp::Url::parse("file:///tmp/a.md").unwrap();
        for (text, format) in [
            (
                include_str!("../../examples/harbour-strike-en.md"),
                Format::Markdown,
            ),
            (
                include_str!("../../examples/alaska-summit-ar.txt"),
                Format::PlainText,
            ),
        ] {
            let rope = Rope::from_str(text);
            let mut diags = check_text(text, format, &Settings::default());
            assert!(!diags.is_empty());
            diags[0].related.push(crate::rules::Related {
                span: Span::new(1, 3),
                message: "there \"too\"".into(),
            });
            for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
                for docs in [None, Some("https://example.org/rules/{id}")] {
                    let want: Vec<_> = diags
                        .iter()
                        .map(|d| {
                            #[allow(deprecated)]
                            lsp::Diagnostic {
                                range: range(&rope, d.span, enc),
                                severity: Some(severity(d.severity)),
                                code: Some(lsp::NumberOrString::String(d.rule.to_string())),
                                code_description: rule_docs(docs, d.rule)
                                    .map(|href| lsp::CodeDescription { href }),
                                source: Some("newsls".into()),
                                message: d.message.clone(),
                                related_information: (!d.related.is_empty()).then(|| {
                                    d.related
                                        .iter()
                                        .map(|r| lsp::DiagnosticRelatedInformation {
                                            location: lsp::Location::new(
                                                uri.clone(),
                                                range(&rope, r.span, enc),
                                            ),
                                            message: r.message.clone(),
                                        })
                                        .collect()
                                }),
                                tags: None,
                                data: None,
                            }
                        })
                        .collect();
                    // Twice: the second answer copies what the first wrote after each
                    // range (and a third with the other documentation address must not).
                    for _ in 0..2 {
                        let out =
                            DiagnosticsOut::new(&rope, &uri, diags.iter().collect(), enc, docs);
                        let mut json = Vec::new();
                        out.write_json(&mut json).unwrap();
                        // Byte for byte what serde_json writes of lsp_types' values.
                        assert_eq!(
                            String::from_utf8(json).unwrap(),
                            serde_json::to_string(&want).unwrap(),
                            "{enc:?} {docs:?}"
                        );
                    }
                    assert_eq!(
                        serde_json::to_value(diagnostics(&rope, &uri, &diags, enc, docs)).unwrap(),
                        serde_json::to_value(&want).unwrap()
                    );
                    // Enough to be written on several threads: the same JSON.
                    let many: Vec<&Diagnostic> = diags
                        .iter()
                        .cycle()
                        .take(3 * PARALLEL_DIAGNOSTICS + 7)
                        .collect();
                    let out = DiagnosticsOut::new(&rope, &uri, many.clone(), enc, docs);
                    let mut json = Vec::new();
                    out.write_json(&mut json).unwrap();
                    let want_many: Vec<serde_json::Value> = many
                        .iter()
                        .map(|d| {
                            let i = diags.iter().position(|x| std::ptr::eq(x, *d)).unwrap();
                            serde_json::to_value(&want[i]).unwrap()
                        })
                        .collect();
                    assert_eq!(
                        serde_json::from_slice::<serde_json::Value>(&json).unwrap(),
                        serde_json::Value::Array(want_many),
                        "{enc:?} {docs:?}"
                    );
                }
            }
        }
    }

    /// The folding ranges as `lsp_types` values, their lines from `fold_lines`: what
    /// `write_folding_ranges` must write (the lines themselves are held to a fresh
    /// server's through edits in `tests/lsp_scheduling.rs`).
    fn folding_ranges(rope: &Rope, folds: &[Fold]) -> Vec<lsp::FoldingRange> {
        let (lines, _) = fold_lines(rope, folds, None);
        lines
            .into_iter()
            .map(|(start, end, kind)| lsp::FoldingRange {
                start_line: start,
                start_character: None,
                end_line: end,
                end_character: None,
                kind: Some(kind),
                collapsed_text: None,
            })
            .collect()
    }

    #[test]
    fn folding_ranges_written_straight_equal_lsp_types() {
        let section = |i: usize| format!("## Section {i}\n\nText.\n\n- a\n- b\n\n");
        let many: String = (0..50).map(section).collect();
        let texts = [
            (
                include_str!("../../examples/harbour-strike-en.md"),
                Format::Markdown,
            ),
            (
                include_str!("../../examples/alaska-summit-ar.txt"),
                Format::PlainText,
            ),
            ("---\ntitle: x\n---\n\n# A\n\nB.\n", Format::Markdown),
            (many.as_str(), Format::Markdown),
        ];
        for (text, format) in texts {
            let rope = Rope::from_str(text);
            let article = Article::parse_str(text, format);
            let folds = crate::features::folding::folds(&article);
            let want = folding_ranges(&rope, &folds);
            assert!(!want.is_empty());
            for limit in [usize::MAX, want.len() / 2] {
                let mut json = Vec::new();
                write_folding_ranges(&rope, &folds, limit, None, &mut json);
                let cut: Vec<_> = want.iter().take(limit).collect();
                assert_eq!(
                    String::from_utf8(json).unwrap(),
                    serde_json::to_string(&cut).unwrap()
                );
            }
        }
    }
}
