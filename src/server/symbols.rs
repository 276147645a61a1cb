//! An outline's answer (`DocumentSymbol[]`), written straight from the sections, and
//! what it keeps for the next one.
//!
//! VS Code asks for the outline after every keystroke. A 10 MB article's outline is
//! some 17,000 entries and 4.6 MB of JSON, yet a keystroke changes one entry or two. The
//! answer keeps its sections, its body and where each entry's JSON is in it
//! ([`KeptOutline`], with the positions it converted). The next answer copies the JSON
//! of every entry whose sections compare equal, moved through the edits made since, and
//! whose lines no edit touched or shifted; it converts and writes only the others.

use std::sync::Arc;

use ropey::Rope;

use super::convert::{
    append_run, entry_detail, entry_name_str, selection, symbol_kind, write_range, write_str,
};
use crate::features::outline::Section;
use crate::text::{
    positions_kept, Bias, Change, Encoding, KeptPositions, LineCol, LineShift, Span,
};

/// An outline as the protocol's nested `DocumentSymbol`s, serialised straight from the
/// sections: a 10 MB article has some 17,000 symbols, and building `lsp_types` values
/// for them (names, details, vectors of children) cost more than converting their
/// positions.
pub struct DocumentSymbols<'a> {
    rope: &'a Rope,
    sections: &'a [Section],
    /// Four per entry, in depth-first order: its range's ends, its selection's. Not set
    /// for the entries copied from the last answer.
    positions: Vec<LineCol>,
    /// The last answer, and per entry (depth-first) the entry of it that this one
    /// copies with its descendants, or [`FRESH`].
    last: Option<(Arc<KeptOutline>, Vec<u32>)>,
    /// How many entries are written, not copied.
    fresh: usize,
}

/// An entry written, not copied from the last answer.
const FRESH: u32 = u32::MAX;

/// What an outline's answer keeps for the next one, beside its positions: its sections
/// (as the text was then), its body, and where each entry is in it.
pub struct KeptOutline {
    enc: Encoding,
    sections: Vec<Section>,
    /// Per entry, depth-first.
    placed: Vec<Placed>,
    body: Arc<Vec<u8>>,
}

/// Where an entry's JSON object is in an answer's body, the lines its entry and its
/// descendants cover, and how many entries they are.
#[derive(Clone, Copy, Debug)]
pub struct Placed {
    json: (usize, usize),
    lines: (u32, u32),
    size: u32,
}

/// Where an answer's entries are in the body it was written into (see
/// [`KeptOutline::new`]).
pub struct Layout(Vec<Placed>);

impl KeptOutline {
    /// What to keep of an answer: `sections` written as `layout` says into `body`.
    pub fn new(enc: Encoding, sections: Vec<Section>, layout: Layout, body: Arc<Vec<u8>>) -> Self {
        KeptOutline {
            enc,
            sections,
            placed: layout.0,
            body,
        }
    }
}

impl<'a> DocumentSymbols<'a> {
    #[cfg(test)]
    pub fn new(rope: &'a Rope, sections: &'a [Section], enc: Encoding) -> DocumentSymbols<'a> {
        DocumentSymbols::with_kept(rope, sections, enc, None).0
    }

    /// The outline of `sections`, copying what it can from the last answer and taking
    /// the positions `kept` knows (see [`KeptPositions`]); and what to keep from this
    /// one (its [`KeptPositions::answer`] set by the caller, once the body is written).
    pub fn with_kept(
        rope: &'a Rope,
        sections: &'a [Section],
        enc: Encoding,
        kept: Option<KeptPositions>,
    ) -> (DocumentSymbols<'a>, KeptPositions) {
        let last = kept.as_ref().and_then(|k| {
            let old = k.answer.clone()?.downcast::<KeptOutline>().ok()?;
            (old.enc == enc).then(|| {
                let mut copies = Vec::new();
                match_entries(sections, &old.sections, 0, &old, k.edits(), &mut copies);
                (old, copies)
            })
        });
        let mut offsets = Vec::new();
        let mut fresh = Vec::new();
        let mut entry = 0;
        symbol_offsets(
            sections,
            last.as_ref().map(|l| &l.1[..]),
            &mut entry,
            &mut offsets,
            &mut fresh,
        );
        // The copied entries' positions are kept with the new ones: the next keystroke
        // may fall in one of them.
        let retain = 2 * 4 * entry + 1024;
        let (converted, kept) = positions_kept(rope, enc, &offsets, kept, retain);
        let mut positions = vec![LineCol::default(); 4 * entry];
        for (&i, at) in fresh.iter().zip(converted.chunks_exact(4)) {
            positions[4 * i..4 * i + 4].copy_from_slice(at);
        }
        (
            DocumentSymbols {
                rope,
                sections,
                positions,
                last,
                fresh: fresh.len(),
            },
            kept,
        )
    }

    /// How many entries are written, not copied from the last answer.
    pub fn fresh(&self) -> usize {
        self.fresh
    }

    /// The last answer this one copied from, if any.
    pub fn into_last(self) -> Option<Arc<KeptOutline>> {
        self.last.map(|(old, _)| old)
    }

    /// The outline's JSON (`DocumentSymbol[]`), appended to `out`: the fields
    /// `lsp_types` writes, in its order, written straight into `out`; and where each
    /// entry is in `out`. Through serde, the 15,000 entries of a 10 MB article's outline
    /// took 81 million instructions, half of them escaping the fields' names one byte at
    /// a time. Many entries to write are cut into runs written side by side, one per
    /// core, and joined.
    pub fn write_json(&self, out: &mut Vec<u8>) -> serde_json::Result<Layout> {
        let entries = self.positions.len() / 4;
        // About what one entry takes in JSON: the buffer is not copied as it grows.
        match &self.last {
            Some((old, _)) => out.reserve(old.body.len() + 256 * self.fresh),
            None => out.reserve(256 * entries + 16),
        }
        let mut placed = Vec::with_capacity(entries);
        let threads = rayon::current_num_threads();
        if self.fresh < PARALLEL_OUTLINE || threads < 2 {
            self.write_entries(self.sections, &mut 0, out, &mut placed)?;
        } else {
            self.write_entries_side_by_side(self.sections, 0, threads, out, &mut placed)?;
        }
        Ok(Layout(placed))
    }

    /// [`Self::write_entries`] on `threads` cores: an array of one entry is written with
    /// its children's array side by side (an article's entries are mostly under its
    /// headline), a longer one in runs of about as many entries to write each.
    fn write_entries_side_by_side(
        &self,
        sections: &[Section],
        cursor: usize,
        threads: usize,
        out: &mut Vec<u8>,
        placed: &mut Vec<Placed>,
    ) -> serde_json::Result<()> {
        if sections.is_empty() {
            out.extend_from_slice(b"[]");
            return Ok(());
        }
        if let [only] = sections {
            if self.copied(cursor).is_none() {
                out.push(b'[');
                let at = self.open(only, cursor, out, placed)?;
                self.write_entries_side_by_side(&only.children, cursor + 1, threads, out, placed)?;
                self.close(at, out, placed);
                out.push(b']');
                return Ok(());
            }
        }
        // How much each one is to write: its entries written, not copied.
        let mut sizes = Vec::with_capacity(sections.len());
        let mut at = cursor;
        for s in sections {
            let n = entries(s);
            sizes.push((n, self.to_write(at, n)));
            at += n;
        }
        let total: usize = sizes.iter().map(|s| s.1).sum();
        let per = total.div_ceil(threads).max(1);
        let mut runs = Vec::new();
        let (mut from, mut first, mut size, mut weight) = (0, cursor, 0, 0);
        for (k, (n, w)) in sizes.iter().enumerate() {
            size += n;
            weight += w;
            if weight >= per || k + 1 == sections.len() {
                runs.push((&sections[from..=k], first));
                (from, first, size, weight) = (k + 1, first + size, 0, 0);
            }
        }
        let (run, first) = runs[0];
        let (head, written) = rayon::join(
            || self.write_entries(run, &mut { first }, out, placed),
            || {
                use rayon::prelude::*;
                runs[1..]
                    .par_iter()
                    .map(|&(run, first)| {
                        let mut buf = Vec::with_capacity(256 * per);
                        let mut placed = Vec::new();
                        self.write_entries(run, &mut { first }, &mut buf, &mut placed)
                            .map(|()| (buf, placed))
                    })
                    .collect::<Vec<_>>()
            },
        );
        head?;
        for run in written {
            let (buf, run_placed) = run?;
            let shift = append_run(out, &buf);
            placed.extend(run_placed.into_iter().map(|p| Placed {
                json: (p.json.0 + shift, p.json.1 + shift),
                ..p
            }));
        }
        Ok(())
    }

    /// `sections` as a JSON array; `cursor` is the first one's entry number, and the
    /// next entry's after them. Each entry's place is pushed on `placed`, whose first is
    /// that of the entry `cursor` was first.
    fn write_entries(
        &self,
        sections: &[Section],
        cursor: &mut usize,
        out: &mut Vec<u8>,
        placed: &mut Vec<Placed>,
    ) -> serde_json::Result<()> {
        out.push(b'[');
        for (k, s) in sections.iter().enumerate() {
            if k > 0 {
                out.push(b',');
            }
            if let Some((old, from)) = self.copied(*cursor) {
                let first = old.placed[from];
                let (a, b) = first.json;
                let to = out.len();
                out.extend_from_slice(&old.body[a..b]);
                let size = first.size as usize;
                placed.extend(old.placed[from..from + size].iter().map(|p| Placed {
                    json: (p.json.0 - a + to, p.json.1 - a + to),
                    ..*p
                }));
                *cursor += size;
                continue;
            }
            let at = self.open(s, *cursor, out, placed)?;
            *cursor += 1;
            self.write_entries(&s.children, cursor, out, placed)?;
            self.close(at, out, placed);
        }
        out.push(b']');
        Ok(())
    }

    /// Writes entry number `i`, `s`, up to its children's array; returns where its
    /// place is in `placed`, to be completed by [`Self::close`].
    fn open(
        &self,
        s: &Section,
        i: usize,
        out: &mut Vec<u8>,
        placed: &mut Vec<Placed>,
    ) -> serde_json::Result<usize> {
        let at = &self.positions[4 * i..4 * i + 4];
        let lines = at.iter().fold((u32::MAX, 0), |(lo, hi), p| {
            (lo.min(p.line), hi.max(p.line))
        });
        placed.push(Placed {
            json: (out.len(), 0),
            lines,
            size: 0,
        });
        out.extend_from_slice(br#"{"name":"#);
        write_str(out, &entry_name_str(self.rope, s))?;
        out.extend_from_slice(br#","detail":"#);
        write_str(out, &entry_detail(s))?;
        out.extend_from_slice(br#","kind":"#);
        serde_json::to_writer(&mut *out, &symbol_kind(s.kind))?;
        out.extend_from_slice(br#","range":"#);
        write_range(out, &at[..2]);
        out.extend_from_slice(br#","selectionRange":"#);
        write_range(out, &at[2..]);
        out.extend_from_slice(br#","children":"#);
        Ok(placed.len() - 1)
    }

    /// Ends the entry whose place is `placed[at]`, its children written after it.
    fn close(&self, at: usize, out: &mut Vec<u8>, placed: &mut [Placed]) {
        out.push(b'}');
        let size = placed.len() - at;
        let mut lines = placed[at].lines;
        let mut child = at + 1;
        while child < placed.len() {
            let c = placed[child];
            lines = (lines.0.min(c.lines.0), lines.1.max(c.lines.1));
            child += c.size as usize;
        }
        let p = &mut placed[at];
        p.json.1 = out.len();
        p.lines = lines;
        p.size = size as u32;
    }

    /// The last answer and its entry that entry `i` copies, if `i` copies one.
    fn copied(&self, i: usize) -> Option<(&KeptOutline, usize)> {
        let (old, copies) = self.last.as_ref()?;
        let from = *copies.get(i)?;
        (from != FRESH).then_some((&**old, from as usize))
    }

    /// How many of the `n` entries from `first` are written, not copied.
    fn to_write(&self, first: usize, n: usize) -> usize {
        match &self.last {
            Some((_, copies)) => copies[first..first + n]
                .iter()
                .filter(|&&c| c == FRESH)
                .count(),
            None => n,
        }
    }
}

/// Entries to write from which [`DocumentSymbols::write_json`] writes on every core.
const PARALLEL_OUTLINE: usize = 2048;

/// How many entries `s` is, with its descendants.
fn entries(s: &Section) -> usize {
    1 + s.children.iter().map(entries).sum::<usize>()
}

/// The offsets of the entries to write (all of them without `copies`), in the order
/// their answer takes them (a symbol's range, its selection range, then its children),
/// and their entry numbers; `entry` counts all entries, copied or not.
pub(super) fn symbol_offsets(
    sections: &[Section],
    copies: Option<&[u32]>,
    entry: &mut usize,
    out: &mut Vec<usize>,
    fresh: &mut Vec<usize>,
) {
    for s in sections {
        if copies.is_some_and(|c| c[*entry] != FRESH) {
            *entry += entries(s);
            continue;
        }
        let selection = selection(s);
        out.extend([s.span.start, s.span.end, selection.start, selection.end]);
        fresh.push(*entry);
        *entry += 1;
        symbol_offsets(&s.children, copies, entry, out, fresh);
    }
}

/// For each entry of `new` and its descendants, depth-first, pushes on `copies` the
/// entry of the last answer it copies, or [`FRESH`]. `old` are the last answer's entries
/// at the same place in its tree, the first numbered `first`. An entry is copied when
/// one of `old` starts where it does once moved through `edits`, compares equal to it,
/// and no edit touched or shifted its lines: its JSON is then what it was.
fn match_entries(
    new: &[Section],
    old: &[Section],
    first: usize,
    kept: &KeptOutline,
    edits: &[(Change, LineShift)],
    copies: &mut Vec<u32>,
) {
    let start_of = |o: &Section| {
        edits
            .iter()
            .fold(o.span.start, |at, (change, _)| change.map(at, Bias::After))
    };
    let (mut j, mut number) = (0, first);
    for n in new {
        // The first of `old` that does not start before `n` once moved.
        let mut found = None;
        while let Some(o) = old.get(j) {
            let start = start_of(o);
            if start < n.span.start {
                number += kept.placed[number].size as usize;
                j += 1;
                continue;
            }
            found = Some((o, number, start == n.span.start));
            break;
        }
        match found {
            Some((o, number, true)) => {
                let place = kept.placed[number];
                if moved(place.lines, edits).is_some_and(|by| same(n, o, by)) {
                    copies.extend(number as u32..number as u32 + place.size);
                    continue;
                }
                copies.push(FRESH);
                match_entries(&n.children, &o.children, number + 1, kept, edits, copies);
            }
            // Text typed where an entry starts moves it past `n`'s start: its children
            // may still be copied.
            Some((o, number, false)) if start_of(o) <= n.span.end => {
                copies.push(FRESH);
                match_entries(&n.children, &o.children, number + 1, kept, edits, copies);
            }
            _ => {
                copies.push(FRESH);
                match_entries(&n.children, &[], 0, kept, edits, copies);
            }
        }
    }
}

/// How far `edits` moved the text on `lines` (first and last, before them), if none of
/// them touched those lines or moved them up or down.
fn moved(lines: (u32, u32), edits: &[(Change, LineShift)]) -> Option<isize> {
    let mut by = 0;
    for (change, shift) in edits {
        if (lines.1 as usize) < shift.first {
            continue;
        }
        if lines.0 as usize > shift.last && shift.delta == 0 {
            by += change.delta();
            continue;
        }
        return None;
    }
    Some(by)
}

/// Whether `n` is `o` with its offsets moved by `by`, its descendants too.
fn same(n: &Section, o: &Section, by: isize) -> bool {
    let at = |s: Span| {
        Span::new(
            s.start.wrapping_add_signed(by),
            s.end.wrapping_add_signed(by),
        )
    };
    n.kind == o.kind
        && n.level == o.level
        && n.span == at(o.span)
        && n.heading == at(o.heading)
        && n.title == at(o.title)
        && n.name == o.name
        && n.children.len() == o.children.len()
        && n.children
            .iter()
            .zip(&o.children)
            .all(|(a, b)| same(a, b, by))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{Article, Format};
    use crate::features::outline::{display_name, symbols, EntryKind};
    use crate::server::convert::range;
    use tower_lsp::lsp_types as lsp;

    /// An entry's name as it was computed before `entry_name_str` (the oracle).
    fn entry_name(rope: &Rope, s: &Section) -> String {
        match &s.name {
            Some(n) => n.clone(),
            None => display_name(&rope.byte_slice(s.title.range()).to_string()),
        }
    }

    /// The outline as `lsp_types` values, one position at a time: what the answer was
    /// before it was written straight from the sections.
    fn reference(rope: &Rope, s: &Section, enc: Encoding) -> lsp::DocumentSymbol {
        let detail = match s.kind {
            EntryKind::Title => "title".into(),
            EntryKind::Headline => "headline".into(),
            EntryKind::Section => format!("h{}", s.level),
            EntryKind::Part(p) => p.label().to_lowercase(),
        };
        #[allow(deprecated)]
        lsp::DocumentSymbol {
            name: entry_name(rope, s),
            detail: Some(detail),
            kind: symbol_kind(s.kind),
            tags: None,
            deprecated: None,
            range: range(rope, s.span, enc),
            selection_range: range(rope, selection(s), enc),
            children: Some(s.children.iter().map(|c| reference(rope, c, enc)).collect()),
        }
    }

    #[test]
    fn symbols_written_straight_equal_lsp_types() {
        let texts = [
            (
                include_str!("../../examples/harbour-strike-en.md"),
                Format::Markdown,
            ),
            (
                include_str!("../../examples/alaska-summit-ar.txt"),
                Format::PlainText,
            ),
            (
                "---\ntitle: \"Front \\\"matter\\\" \\\\ title\"\n---\n\n##   Spaced \t  heading 😀\r\n\nText.\n\n###\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
                Format::Markdown,
            ),
        ];
        // Outlines large enough for their positions to be converted on several threads:
        // a headline over its sections, and sections without a headline (nested, with
        // fact boxes).
        let section = |i: usize| {
            format!(
                "## Section {i} ☕\n\nText.\n\n### Sub {i}\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
            )
        };
        let many: String = (0..2000).map(section).collect();
        let headed = format!("# Headline\n\nLede.\n\n{many}");
        let texts = texts.into_iter().chain([
            (headed.as_str(), Format::Markdown),
            (many.as_str(), Format::Markdown),
        ]);
        for (text, format) in texts {
            let rope = Rope::from_str(text);
            let article = Article::parse_str(text, format);
            let sections = symbols(&article, &rope);
            for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
                let want: Vec<_> = sections.iter().map(|s| reference(&rope, s, enc)).collect();
                let mut json = Vec::new();
                DocumentSymbols::new(&rope, &sections, enc)
                    .write_json(&mut json)
                    .unwrap();
                // Byte for byte what serde_json writes of lsp_types' values.
                assert_eq!(
                    String::from_utf8(json).unwrap(),
                    serde_json::to_string(&want).unwrap(),
                    "{enc:?}"
                );
            }
        }
    }

    /// An answer as the server writes it: after a head, copying from the last answer
    /// what `kept` allows; the answer's result, what to keep, and how many entries were
    /// written rather than copied.
    fn answer(
        rope: &Rope,
        format: Format,
        enc: Encoding,
        kept: Option<KeptPositions>,
    ) -> (String, KeptPositions, usize) {
        let article = Article::parse(rope, format);
        let sections = symbols(&article, rope);
        let (written, mut keep) = DocumentSymbols::with_kept(rope, &sections, enc, kept);
        let fresh = written.fresh();
        let mut body = br#"{"jsonrpc":"2.0","id":7,"result":"#.to_vec();
        let head = body.len();
        let layout = written.write_json(&mut body).unwrap();
        drop(written);
        let result = String::from_utf8(body[head..].to_vec()).unwrap();
        let body = Arc::new(body);
        keep.answer = Some(Arc::new(KeptOutline::new(enc, sections, layout, body)));
        (result, keep, fresh)
    }

    /// After edits of every kind (typing in a heading, at its start and end, in a
    /// paragraph; line breaks; lines deleted; headings, tables and Arabic typed; several
    /// edits between two answers), an answer that copies from the last one is byte for
    /// byte the answer written afresh, and most of it is copied.
    #[test]
    fn answers_copied_from_the_last_equal_answers_written_afresh() {
        let section = |i: usize| {
            format!(
                "## Section {i} ☕\r\n\nText ألاسكا.\n\n### Sub {i}\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- one\n- two\n\n"
            )
        };
        let many: String = (0..1500).map(section).collect();
        let headed = format!("# Headline\n\nBy Jane Doe\n\nDOHA (Reuters) — Lede.\n\n{many}###\n");
        let texts = [
            (headed.as_str(), Format::Markdown),
            (many.as_str(), Format::Markdown),
            (
                include_str!("../../examples/alaska-summit-ar.txt"),
                Format::PlainText,
            ),
            (
                include_str!("../../examples/harbour-strike-en.md"),
                Format::Markdown,
            ),
        ];
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n.max(1) as u64) as usize
        };
        let (mut copied, mut written) = (0, 0);
        for (t, (text, format)) in texts.into_iter().enumerate() {
            for enc in [Encoding::Utf16, Encoding::Utf8] {
                let mut rope = Rope::from_str(text);
                let (_, mut kept, _) = answer(&rope, format, enc, None);
                for step in 0..40 {
                    // One edit, or a burst of three, between two answers.
                    let mut same_lines = true;
                    for _ in 0..if step % 7 == 6 { 3 } else { 1 } {
                        let lines = rope.len_lines();
                        let line = match step % 4 {
                            // The middle: what comes before is copied, a long run after
                            // it written on every core.
                            0 => lines / 2,
                            _ => next(lines),
                        };
                        let start = rope.line_to_byte(line);
                        let len = rope.line(line).len_bytes();
                        // A char boundary at `frac` quarters of the line.
                        let at = |frac: usize| {
                            rope.char_to_byte(rope.byte_to_char(start + len * frac / 4))
                        };
                        let (old, new) = match next(9) {
                            0 => (Span::new(at(0), at(0)), "x"),
                            1 => (Span::new(at(2), at(2)), "ب"),
                            2 => (Span::new(at(4), at(4)), " "),
                            3 => (Span::new(at(1), at(1)), "\n"),
                            4 => {
                                let end = rope.line_to_byte((line + 1 + next(5)).min(lines - 1));
                                (Span::new(start, end.max(start)), "")
                            }
                            5 => (Span::new(start, start), "## Typed heading\n\n"),
                            6 => (Span::new(start, start), "| x | y |\n|---|---|\n\n"),
                            7 => (Span::new(at(1), at(3)), ""),
                            _ => (Span::new(at(3), at(3)), "\r\n"),
                        };
                        let shift = LineShift::before(&rope, old);
                        let from = rope.byte_to_char(old.start);
                        rope.remove(from..rope.byte_to_char(old.end));
                        rope.insert(from, new);
                        let shift = shift.after(&rope);
                        same_lines &= shift.delta == 0;
                        kept.edit(Change::new(old, new.len()), shift);
                    }
                    let (result, keep, fresh) = answer(&rope, format, enc, Some(kept));
                    let (afresh, _, all) = answer(&rope, format, enc, None);
                    assert_eq!(result, afresh, "{format:?} {enc:?}, step {step}");
                    // Edits that moved no line leave every section they did not touch
                    // copied: in the long articles, the headline and up to three
                    // sections of four entries are written again.
                    if t < 2 && same_lines {
                        assert!(fresh <= 13, "{fresh} of {all} written, step {step}");
                    }
                    (copied, written) = (copied + all - fresh, written + fresh);
                    kept = keep;
                }
            }
        }
        // Edits that add or remove lines leave what comes before them to copy.
        assert!(copied > written, "{copied} copied, {written} written");
    }
}
