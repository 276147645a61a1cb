//! The parts of a news article that no Markdown outline shows: dek (standfirst), byline,
//! dateline, lede, fact boxes and end mark, in both formats and both languages.
//!
//! Two layers:
//! - line recognisers ([`byline`], [`dateline`], [`end_mark`]) that the plain-text parser
//!   uses to keep credits and datelines out of the sections, and the rules use too;
//! - [`anatomy`], which reads the blocks of an article: the *header zone* (the blocks
//!   between the headline and the lede, never more than [`HEADER_BLOCKS`]), every table
//!   and list as a fact box, and the last block for an end mark. It reads the text of the
//!   header zone and the first line of each fact box only, so it costs nothing like a
//!   pass over a long article.

use std::borrow::Cow;
use std::sync::{Arc, LazyLock};

use regex::Regex;
use ropey::Rope;

use super::{Article, Block, BlockKind, Slot};
use crate::text::{lines_with_offsets, rope_slice, Span};

/// How many blocks after the headline may still be dek, byline or dateline.
pub const HEADER_BLOCKS: usize = 6;

/// Longest credit line, in words.
const MAX_BYLINE_WORDS: usize = 14;

/// What part of an article a span is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PartKind {
    /// The standfirst: a one-sentence summary under the headline.
    Dek,
    /// Who wrote it: `By Jane Doe`, `بقلم: …`, a name over a title and a bureau.
    Byline,
    /// Where it was filed: `ROTTERDAM, Netherlands (Reuters) —`, `القاهرة - (أ ف ب) -`.
    Dateline,
    /// The first paragraph of the story.
    Lede,
    /// A table or a list of facts.
    FactBox,
    /// `###`, `-30-`, `(END)`, `انتهى`: the end of the copy.
    EndMark,
}

impl PartKind {
    pub fn label(self) -> &'static str {
        match self {
            PartKind::Dek => "Dek",
            PartKind::Byline => "Byline",
            PartKind::Dateline => "Dateline",
            PartKind::Lede => "Lede",
            PartKind::FactBox => "Fact box",
            PartKind::EndMark => "End mark",
        }
    }
}

/// One part: where it is, and what to call it (`ROTTERDAM (Reuters)`, `Jane Doe`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Part {
    pub kind: PartKind,
    pub span: Span,
    pub name: String,
}

/// A dateline at the start of a line: where its text ends (after the dash), the place
/// and the agency.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dateline {
    /// Bytes of the line the dateline takes, its closing dash and spaces included.
    pub len: usize,
    pub place: String,
    pub agency: Option<String>,
}

impl Dateline {
    /// `ROTTERDAM (Reuters)`.
    pub fn name(&self) -> String {
        match &self.agency {
            Some(a) => format!("{} ({a})", self.place),
            None => self.place.clone(),
        }
    }
}

/// A dateline pattern. Its counted repetitions of large classes (`[\p{L}…]{1,30}`,
/// `[^()\n]{1,40}`) made each English one 5 MB and 15 ms to compile: the automaton holds
/// a copy of the class per count. So it is run with them unbounded (a small automaton),
/// and the bounds are checked on what the groups captured. A match within them is the
/// match the bounded pattern finds, since the bounded pattern's matches are among the
/// unbounded one's, preferred in the same order; a match outside them is decided by the
/// bounded pattern itself, compiled on first need (a dateline with a 40-letter region).
struct Pattern {
    quick: LazyLock<Regex>,
    exact: LazyLock<Regex>,
    /// Whether the captures respect the bounds the quick pattern dropped.
    within: fn(&regex::Captures<'_>) -> bool,
}

impl Pattern {
    fn captures<'t>(&self, text: &'t str) -> Option<regex::Captures<'t>> {
        // No match unbounded, no match bounded. Most lines are no dateline: the lazy DFA
        // says so at a fraction of the cost of captures (a tenth of an opening's check
        // went to them, for the flattened-table rule's byline test).
        if !self.quick.is_match(text) {
            return None;
        }
        let c = self.quick.captures(text)?;
        if (self.within)(&c) {
            Some(c)
        } else {
            self.exact.captures(text)
        }
    }
}

const EN_CAPS_RE: &str = r"^(?P<place>\p{Lu}[\p{Lu}'’./\- ]*\p{Lu})(?:,\s*(?P<region>\p{Lu}[\p{L}.'’\- ]{1,30}?))?(?:,\s*(?P<date>\p{L}{3,9}\.?\s+\d{1,2}))?\s*(?:\((?P<agency>[^()\n]{1,40})\))?\s*(?:—|–|--?)(?:[ \t]+|$)";
const EN_TITLE_RE: &str = r"^(?P<place>\p{Lu}\p{Ll}+(?:[ /\-]\p{Lu}\p{Ll}+){0,2})(?:,\s*(?P<region>\p{Lu}[\p{L}.'’\- ]{1,30}?))?(?:,\s*(?P<date>\p{L}{3,9}\.?\s+\d{1,2}))?\s*\((?P<agency>[^()\n]{1,40})\)\s*(?:—|–|--?)(?:[ \t]+|$)";
const AR_RE: &str = r"^(?P<place>\p{Arabic}[\p{Arabic}\p{Mn} ]{0,30}?)\s*(?:[-–—:]\s*)?\((?P<agency>[^()\n]{1,30})\)\s*(?:[-–—:](?:[ \t]+|$)|$)";

/// `pattern` with its large counted repetitions unbounded (laziness kept).
fn unbounded(pattern: &str) -> Regex {
    let quick = pattern
        .replace("{1,30}", "+")
        .replace("{1,40}", "+")
        .replace("{0,30}", "*")
        .replace("{3,9}", "{3,}");
    Regex::new(&quick).expect("valid regex")
}

/// Characters in group `name` (0 when it did not take part).
fn chars_in(c: &regex::Captures<'_>, name: &str) -> usize {
    c.name(name).map_or(0, |m| m.as_str().chars().count())
}

/// The English patterns' bounds: a region of a capital and 1–30 more characters, a date's
/// month of 3–9 letters, an agency of 1–40 characters.
fn english_within(c: &regex::Captures<'_>) -> bool {
    let month = c.name("date").map_or(0, |m| {
        m.as_str().chars().take_while(|c| c.is_alphabetic()).count()
    });
    chars_in(c, "region") <= 31 && month <= 9 && chars_in(c, "agency") <= 40
}

static EN_CAPS: Pattern = Pattern {
    quick: LazyLock::new(|| unbounded(EN_CAPS_RE)),
    exact: LazyLock::new(|| Regex::new(EN_CAPS_RE).expect("valid regex")),
    within: english_within,
};

static EN_TITLE: Pattern = Pattern {
    quick: LazyLock::new(|| unbounded(EN_TITLE_RE)),
    exact: LazyLock::new(|| Regex::new(EN_TITLE_RE).expect("valid regex")),
    within: english_within,
};

static AR: Pattern = Pattern {
    quick: LazyLock::new(|| unbounded(AR_RE)),
    exact: LazyLock::new(|| Regex::new(AR_RE).expect("valid regex")),
    // A place of a letter and up to 30 more characters, an agency of 1–30.
    within: |c| chars_in(c, "place") <= 31 && chars_in(c, "agency") <= 30,
};

/// Compiles the dateline patterns ahead of the first parse (see [`crate::rules::prepare`]).
pub fn prepare() {
    for p in [&EN_CAPS, &EN_TITLE, &AR] {
        LazyLock::force(&p.quick);
    }
}

/// Whether a pattern may match `t`: each needs a dash (`-`, or `—` and `–`, lead byte
/// 0xE2) or an agency in brackets. Most lines have neither, and are no dateline without a
/// regex run (three per line were a tenth of the flattened-table rule's cost, which asks
/// it of every short line).
fn may_be_dateline(t: &str) -> bool {
    memchr::memchr3(b'-', b'(', 0xE2, t.as_bytes()).is_some()
}

/// The dateline a line starts with, if any.
pub fn dateline(line: &str) -> Option<Dateline> {
    let t = line.trim_start_matches([' ', '\t', '*', '_']);
    let lead = line.len() - t.len();
    if !may_be_dateline(t) {
        return None;
    }
    for pattern in [&EN_CAPS, &EN_TITLE, &AR] {
        let Some(c) = pattern.captures(t) else {
            continue;
        };
        let place = c.name("place").map_or("", |m| m.as_str()).trim();
        let agency = c.name("agency").map(|m| m.as_str().trim().to_string());
        // A short capitalised word and a dash ("US - China talks") is not a dateline;
        // a place of three letters or more in capitals, or any place with an agency, is.
        let letters = place.chars().filter(|c| c.is_alphabetic()).count();
        if agency.is_none() && letters < 3 {
            continue;
        }
        // An Arabic line of a word and another in brackets, with no dash (`السكان
        // (مليون)`, a column's name and its unit), is a dateline only when the brackets
        // hold an agency: with a dash, any name in them is taken for one.
        let whole = c.get(0).expect("whole match").as_str();
        if std::ptr::eq(pattern, &AR)
            && !whole.contains(['-', '–', '—', ':'])
            && !agency.as_deref().is_some_and(is_agency)
        {
            continue;
        }
        return Some(Dateline {
            len: lead + c.get(0).expect("whole match").end(),
            place: place.to_string(),
            agency,
        });
    }
    None
}

/// Is the whole line a dateline (a wire story's dateline on a line of its own)?
pub fn is_dateline_line(line: &str) -> bool {
    dateline(line).is_some_and(|d| line[d.len..].trim().is_empty())
}

const EN_BYLINE_PREFIXES: &[&str] = &[
    "by ",
    "written by",
    "reporting by",
    "words by",
    "text by",
    "from our correspondent",
    "from our own correspondent",
    "from our reporter",
    "staff reporter",
    "staff writer",
];

const AR_BYLINE_PREFIXES: &[&str] = &[
    "بقلم",
    "كتب:",
    "كتب :",
    "كتبت:",
    "كتبت :",
    "إعداد",
    "اعداد",
    "تحرير:",
    "تحرير :",
    "من مراسلنا",
    "من مراسلتنا",
    "مراسلنا",
    "مراسلتنا",
    "تقرير:",
];

/// Words that make a line under a name a credit (`Transport Correspondent`, `Leeds
/// Bureau`, `Associated Press`).
const CREDIT_WORDS: &[&str] = &[
    "correspondent",
    "reporter",
    "editor",
    "writer",
    "columnist",
    "bureau",
    "staff",
    "press",
    "reuters",
    "agence",
    "news agency",
    "مراسل",
    "مراسلة",
    "محرر",
    "محررة",
    "مكتب",
    "وكالة",
];

/// Agencies that stand alone on a credit line.
const AGENCIES: &[&str] = &[
    "associated press",
    "reuters",
    "afp",
    "agence france-presse",
    "ap",
    "bloomberg",
    "dpa",
    "efe",
    "ansa",
    "xinhua",
    "رويترز",
    "أ ف ب",
    "ا ف ب",
    "فرانس برس",
    "أسوشيتد برس",
    "د ب أ",
    "أ ش أ",
    "واس",
    "وام",
    "كونا",
    "سانا",
    "بترا",
    "الأناضول",
    "شينخوا",
    "سبوتنيك",
    "إرنا",
];

/// Whether `name` is a news agency's (any case, in English or Arabic).
fn is_agency(name: &str) -> bool {
    // The names are ASCII or caseless Arabic: no lower-cased copy is needed.
    AGENCIES.iter().any(|a| a.eq_ignore_ascii_case(name))
}

/// Does `t` start with `prefix` (ASCII), in any case?
fn starts_with_ascii_ci(t: &str, prefix: &str) -> bool {
    t.as_bytes()
        .get(..prefix.len())
        .is_some_and(|b| b.eq_ignore_ascii_case(prefix.as_bytes()))
}

fn words(t: &str) -> usize {
    t.split_whitespace().count()
}

/// Ends like a sentence (a credit line does not).
fn sentence_end(t: &str) -> bool {
    t.trim_end_matches(['"', '”', '»', ')', '*', '_'])
        .ends_with(['.', '!', '?', '؟', '؛'])
}

/// A credit line: `By Jane Doe`, `بقلم: هالة منصور`, `Mary Wanjiru, East Africa
/// Correspondent`, `Associated Press`. Returns the credited name(s), markers removed.
pub fn byline(line: &str) -> Option<String> {
    let t = line.trim().trim_matches(['*', '_']).trim();
    if t.is_empty() || words(t) > MAX_BYLINE_WORDS || sentence_end(t) || dateline(t).is_some() {
        return None;
    }
    for p in EN_BYLINE_PREFIXES {
        if starts_with_ascii_ci(t, p) {
            let rest = t[p.len()..].trim_start_matches([':', ' ']);
            return Some(if rest.is_empty() {
                t.to_string()
            } else {
                rest.to_string()
            });
        }
    }
    for p in AR_BYLINE_PREFIXES {
        if let Some(rest) = t.strip_prefix(p) {
            let rest = rest.trim_start_matches([':', ' ', '\u{0640}']);
            return Some(if rest.is_empty() {
                t.to_string()
            } else {
                rest.to_string()
            });
        }
    }
    if is_agency(t.trim_matches(['(', ')'])) {
        return Some(t.to_string());
    }
    // "Name, Role": a short name, then a role that is a credit.
    if let Some((name, role)) = t.split_once([',', '،']) {
        let role_lower = role.to_lowercase();
        if (1..=4).contains(&words(name))
            && words(role) <= 6
            && CREDIT_WORDS.iter().any(|w| role_lower.contains(w))
        {
            return Some(t.to_string());
        }
    }
    None
}

/// A line that is only a credit word line under a name (`Transport Correspondent`).
fn credit_line(line: &str) -> bool {
    let t = line.trim().trim_matches(['*', '_']).trim();
    let lower = t.to_lowercase();
    !t.is_empty()
        && words(t) <= 6
        && !sentence_end(t)
        && CREDIT_WORDS.iter().any(|w| lower.contains(w))
}

/// A short line of capitalised words: a name (`Jane Doe`, `JANE HOLLOWAY`).
fn name_line(line: &str) -> bool {
    let t = line.trim().trim_matches(['*', '_']).trim();
    let n = words(t);
    (2..=4).contains(&n)
        && !sentence_end(t)
        && t.split_whitespace()
            .all(|w| w.chars().next().is_some_and(|c| c.is_uppercase()))
}

/// A block of credit lines: every line a byline, or a name followed by credit lines.
/// Returns the names.
pub fn byline_block(text: &str) -> Option<String> {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let first = *lines.first()?;
    let mut names = Vec::new();
    let rest: &[&str] = if let Some(n) = byline(first) {
        names.push(n);
        &lines[1..]
    } else if lines.len() >= 2 && name_line(first) {
        names.push(first.trim().trim_matches(['*', '_']).trim().to_string());
        &lines[1..]
    } else {
        return None;
    };
    let mut credits = 0;
    for l in rest {
        if byline(l).is_some() || credit_line(l) {
            credits += 1;
        } else {
            return None;
        }
    }
    if names.len() == 1 && byline(first).is_none() && credits == 0 {
        return None;
    }
    (lines.len() <= 4).then(|| names.join(", "))
}

/// An end mark alone on a line: `###`, `-30-`, `(END)`, `ENDS`, `انتهى`.
pub fn end_mark(line: &str) -> bool {
    let t = line.trim().trim_matches(['*', '_']).trim();
    let inner = t
        .trim_matches(['(', ')', '[', ']', '-', '—', '–', ' '])
        .to_lowercase();
    matches!(t, "###" | "-30-" | "# # #" | "—30—" | "-0-")
        || matches!(
            inner.as_str(),
            "end" | "ends" | "endit" | "انتهى" | "النهاية" | "انتهى الخبر"
        )
}

/// First words of a text for a name: at most `n` words, `…` when cut.
/// A fact box's name: the first words of its first line, cells joined with a dot.
fn fact_box_name(rope: &Rope, span: Span) -> String {
    let text = first_line_of(rope, span);
    let line = first_line(&text).trim();
    let line = line
        .trim_start_matches(['|', '-', '*', '+', '•', '▪', '–', ' '])
        .trim_end_matches(['|', ' ']);
    first_words(
        &line
            .split('|')
            .map(str::trim)
            .collect::<Vec<_>>()
            .join(" · "),
        8,
    )
}

fn first_words(text: &str, n: usize) -> String {
    let mut out = String::new();
    for (i, w) in text.split_whitespace().enumerate() {
        if i == n {
            out.push('…');
            return out;
        }
        if i > 0 {
            out.push(' ');
        }
        out.push_str(w.trim_matches(['*', '_']));
    }
    out
}

/// The text of a block's first line when it lies in one chunk of the rope (borrowed, one
/// descent of the rope: a 10 MB article has thousands of fact boxes to name), else the
/// block's whole text; [`first_line`] of either is the same.
fn first_line_of(rope: &Rope, span: Span) -> Cow<'_, str> {
    if span.start < rope.len_bytes() && span.end <= rope.len_bytes() {
        let (chunk, chunk_start, _, _) = rope.chunk_at_byte(span.start);
        let here = &chunk[span.start - chunk_start..chunk.len().min(span.end - chunk_start)];
        // Lines as `str::lines` sees them, which is what `first_line` reads.
        if let Some(k) = here.find('\n') {
            let line = &here[..k];
            let line = line.strip_suffix('\r').unwrap_or(line);
            if !line.trim().is_empty() {
                return Cow::Borrowed(line);
            }
        }
    }
    rope_slice(rope, span)
}

fn first_line(text: &str) -> &str {
    text.lines().find(|l| !l.trim().is_empty()).unwrap_or("")
}

/// The dek, bylines, dateline and lede: the parts in the header zone, in order. Reads only
/// the header zone.
pub fn header_parts(article: &Article, rope: &Rope) -> Vec<Part> {
    let mut parts = Vec::new();
    // The header zone starts after the headline (or at the body, under a front matter
    // title); a document without a headline has none.
    let start = match article
        .blocks()
        .find_map(|b| b.heading().filter(|h| h.0 == 1).map(|_| b))
    {
        Some(h) => Some(h.span.end),
        None => article
            .front_matter()
            .filter(|fm| fm.title.is_some())
            .map(|fm| fm.span.end),
    };
    if let Some(start) = start {
        header_zone(article, rope, start, &mut parts);
    }
    parts
}

/// The parts of an article, in document order: what the tests read. The outline finds
/// them on its own pass (`features::outline::symbols`): the header parts, the fact
/// boxes as it builds its sections, and the end mark.
#[cfg(test)]
pub fn anatomy(article: &Article, rope: &Rope) -> Vec<Part> {
    let mut parts = header_parts(article, rope);
    for (b, slot) in article.blocks_with_slots() {
        if let Some(name) = fact_box(rope, b, slot) {
            parts.push(Part {
                kind: PartKind::FactBox,
                span: b.span,
                name: name.into_owned(),
            });
        }
    }
    parts.extend(end_mark_part(article, rope));
    parts.sort_by_key(|p| p.span.start);
    parts
}

/// A table or a list is a fact box: its name. Named from the block's text alone: kept in
/// its slot, read again only when an edit re-parses the block (a 10 MB article has
/// thousands of fact boxes).
pub fn fact_box<'a>(rope: &Rope, b: Block, slot: &'a Slot) -> Option<Cow<'a, str>> {
    if !matches!(b.kind, BlockKind::Table(_) | BlockKind::List) {
        return None;
    }
    let name = slot
        .outline
        .get_or_init(|| Arc::new(fact_box_name(rope, b.span)));
    Some(match name.downcast_ref::<String>() {
        Some(n) => Cow::Borrowed(n.as_str()),
        None => Cow::Owned(fact_box_name(rope, b.span)),
    })
}

/// The end mark, when the article's last block is one alone on its line.
pub fn end_mark_part(article: &Article, rope: &Rope) -> Option<Part> {
    let last = article.blocks().next_back()?;
    let text = rope_slice(rope, last.span);
    (!text.contains(['\n', '\r']) && end_mark(&text)).then(|| Part {
        kind: PartKind::EndMark,
        span: last.span,
        name: text.trim().to_string(),
    })
}

/// Dek, bylines, dateline and lede: the blocks after `start`, up to the lede.
fn header_zone(article: &Article, rope: &Rope, start: usize, parts: &mut Vec<Part>) {
    let zone: Vec<Block> = article
        .blocks_from(start)
        .filter(|b| b.span.start >= start)
        .take(HEADER_BLOCKS)
        .collect();
    let mut i = 0;
    let mut saw_credit = false;
    while i < zone.len() {
        let b = zone[i];
        if b.kind != BlockKind::Paragraph {
            return; // a section, a list, a quote: the story has begun without a lede
        }
        let text = rope_slice(rope, b.span);
        if let Some(names) = byline_block(&text) {
            parts.push(Part {
                kind: PartKind::Byline,
                span: b.span,
                name: names,
            });
            saw_credit = true;
            i += 1;
            continue;
        }
        let line = first_line(&text);
        if let Some(d) = dateline(line) {
            let lead = line.len() - line.trim_start().len();
            let whole = line[d.len..].trim().is_empty() && !text.trim().contains(['\n', '\r']);
            let dspan = Span::new(
                b.span.start + lead,
                b.span.start + d.len.min(line.trim_end().len()),
            );
            parts.push(Part {
                kind: PartKind::Dateline,
                span: if whole { b.span } else { dspan },
                name: d.name(),
            });
            saw_credit = true;
            if whole {
                i += 1;
                continue;
            }
            // The lede starts with the dateline.
            parts.push(Part {
                kind: PartKind::Lede,
                span: b.span,
                name: first_words(&text[d.len..], 8),
            });
            return;
        }
        // A one-line summary right under the headline, before the credits: the dek.
        let next_is_credit = zone.get(i + 1).is_some_and(|n| {
            n.kind == BlockKind::Paragraph && {
                let t = rope_slice(rope, n.span);
                byline_block(&t).is_some() || dateline(first_line(&t)).is_some()
            }
        });
        let emphasised = {
            let t = text.trim();
            (t.starts_with('*') && t.ends_with('*')) || (t.starts_with('_') && t.ends_with('_'))
        };
        if i == 0
            && !saw_credit
            && !text.trim().contains(['\n', '\r'])
            && words(&text) <= 40
            && (next_is_credit || emphasised)
        {
            parts.push(Part {
                kind: PartKind::Dek,
                span: b.span,
                name: first_words(&text, 8),
            });
            i += 1;
            continue;
        }
        parts.push(Part {
            kind: PartKind::Lede,
            span: b.span,
            name: first_words(&text, 8),
        });
        return;
    }
}

/// Lines of a block with their offsets (for callers that read credits line by line).
pub fn block_lines(rope: &Rope, b: Block) -> Vec<(Span, String)> {
    let text = rope_slice(rope, b.span);
    lines_with_offsets(&text, b.span.start)
        .map(|l| (Span::new(l.start, l.end()), l.text.to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Format;
    use proptest::prelude::*;

    /// A line shaped like a dateline, its groups of every length around the bounds.
    fn dateline_like() -> impl Strategy<Value = String> {
        let place = proptest::sample::select(vec![
            "WASHINGTON",
            "NEW YORK",
            "Washington",
            "Rio De Janeiro",
            "GAZA/JERUSALEM",
            "Kyiv/Moscow",
            "US",
            "القاهرة",
            "غزة",
        ]);
        let run = |alphabet: &'static str, max: usize| {
            proptest::collection::vec(
                proptest::sample::select(alphabet.chars().collect::<Vec<_>>()),
                0..max,
            )
            .prop_map(|v| v.into_iter().collect::<String>())
        };
        (
            place,
            proptest::option::of(run("abcé ’.-", 40)),
            proptest::option::of((run("Sepctoberé", 13), "[.]?", "[0-9٣]{1,3}")),
            proptest::option::of(prop_oneof![run("Reutsأفب ", 50), run("Reu ()\n", 50)]),
            proptest::sample::select(vec!["—", "–", "-", "--", ":", "", " —"]),
        )
            .prop_map(|(place, region, date, agency, dash)| {
                let mut line = place.to_string();
                if let Some(r) = region {
                    line += &format!(", R{r}");
                }
                if let Some((month, dot, day)) = date {
                    line += &format!(", {month}{dot} {day}");
                }
                if let Some(a) = agency {
                    line += &format!(" ({a})");
                }
                line + dash + " text"
            })
    }

    proptest! {
        // The same cases every run, as in `tests/fuzz.rs` (PROPTEST_CASES makes more).
        #![proptest_config(ProptestConfig {
            rng_seed: proptest::test_runner::RngSeed::Fixed(0x6461_7465),
            failure_persistence: None,
            // Enough for every pattern to meet lines beyond each of its bounds.
            cases: 2000,
            ..ProptestConfig::default()
        })]

        /// Each dateline pattern, run unbounded and checked, finds exactly what the
        /// bounded pattern finds: the same match and the same groups.
        #[test]
        fn unbounded_patterns_match_as_the_bounded_ones(line in dateline_like()) {
            for (name, p) in [("caps", &EN_CAPS), ("title", &EN_TITLE), ("arabic", &AR)] {
                let got = p.captures(&line);
                let want = p.exact.captures(&line);
                let groups = |c: &Option<regex::Captures<'_>>| -> Option<Vec<Option<std::ops::Range<usize>>>> {
                    c.as_ref().map(|c| c.iter().map(|m| m.map(|m| m.range())).collect())
                };
                prop_assert_eq!(groups(&got), groups(&want), "{} on {:?}", name, line);
            }
        }

        /// A line the byte test turns away is one no pattern matches.
        #[test]
        fn lines_turned_away_match_no_pattern(line in dateline_like()) {
            if !may_be_dateline(&line) {
                for p in [&EN_CAPS, &EN_TITLE, &AR] {
                    prop_assert!(p.exact.captures(&line).is_none(), "{:?}", line);
                }
            }
        }
    }

    #[test]
    fn datelines() {
        let d = dateline("ROTTERDAM, Netherlands (Reuters) — Dockworkers walked out").unwrap();
        assert_eq!(d.name(), "ROTTERDAM (Reuters)");
        assert_eq!(
            &"ROTTERDAM, Netherlands (Reuters) — Dockworkers"[d.len..],
            "Dockworkers"
        );
        for (line, name) in [
            ("CAIRO (AP) —", "CAIRO (AP)"),
            // A story filed from two places.
            (
                "GAZA/JERUSALEM, Nov 27 (Reuters) - Israel and",
                "GAZA/JERUSALEM (Reuters)",
            ),
            (
                "Kyiv/Moscow (Reuters) — Ukraine said",
                "Kyiv/Moscow (Reuters)",
            ),
            ("LONDON, June 3 (Reuters) -", "LONDON (Reuters)"),
            ("WASHINGTON —", "WASHINGTON"),
            ("NAIROBI, Kenya —", "NAIROBI"),
            ("LEEDS - Leeds city council on Tuesday approved", "LEEDS"),
            ("Cairo, Egypt (AP) — Egypt said", "Cairo (AP)"),
            ("بيروت - (رويترز) -", "بيروت (رويترز)"),
            ("القاهرة - (أ ف ب) -", "القاهرة (أ ف ب)"),
            ("القاهرة (رويترز) - قالت الحكومة", "القاهرة (رويترز)"),
            ("الرياض (واس)", "الرياض (واس)"),
            ("غزة - (وفا) - قال", "غزة (وفا)"),
        ] {
            assert_eq!(
                dateline(line).map(|d| d.name()).as_deref(),
                Some(name),
                "{line}"
            );
        }
        for line in [
            "US - China talks resume",
            "Stage Date Result",
            "The minister - who spoke late - said",
            "Key points",
            "تقييم استراتيجي لنتائج قمة ألاسكا",
            "A sentence (with brackets) - and a dash",
            // A column's name and its unit, alone on a line.
            "السكان (مليون)",
            "القيمة (مليار دولار)",
        ] {
            assert_eq!(dateline(line), None, "{line}");
        }
        assert!(is_dateline_line("CAIRO (AP) —"));
        assert!(!is_dateline_line("CAIRO (AP) — Egypt said"));
    }

    #[test]
    fn bylines() {
        for (line, name) in [
            ("By Jane Doe", "Jane Doe"),
            (
                "*By JANE HOLLOWAY and MARCUS REED*",
                "JANE HOLLOWAY and MARCUS REED",
            ),
            ("بقلم: هالة منصور", "هالة منصور"),
            ("كتب: رامي الخوري", "رامي الخوري"),
            ("From our correspondent in Nairobi", "in Nairobi"),
            ("من مراسلنا في بورتسودان", "في بورتسودان"),
            (
                "Mary Wanjiru, East Africa Correspondent",
                "Mary Wanjiru, East Africa Correspondent",
            ),
            ("Associated Press", "Associated Press"),
            // Prefixes and agencies in any case, and Arabic agencies as they are.
            ("BY JANE DOE", "JANE DOE"),
            ("REPORTING BY Omar Haddad", "Omar Haddad"),
            ("(REUTERS)", "(REUTERS)"),
            ("(afp)", "(afp)"),
            ("كونا", "كونا"),
        ] {
            assert_eq!(byline(line).as_deref(), Some(name), "{line}");
        }
        for line in [
            "By the end of the year the port had reopened.",
            "كتبت الصحيفة أن الحكومة ستعلن خطتها غدًا.",
            "Key points",
            "Terminals affected",
        ] {
            assert_eq!(byline(line), None, "{line}");
        }
        assert_eq!(
            byline_block("Jane Doe\nTransport Correspondent\nLeeds Bureau").as_deref(),
            Some("Jane Doe")
        );
        assert_eq!(byline_block("Stage Date Result\nFirst round 12 May"), None);
        assert!(end_mark("###") && end_mark("-30-") && end_mark("(END)") && end_mark("— انتهى —"));
        assert!(!end_mark("The end of an era"));
    }

    fn parts(text: &str, format: Format) -> Vec<(PartKind, String)> {
        let a = Article::parse_str(text, format);
        anatomy(&a, &Rope::from_str(text))
            .into_iter()
            .map(|p| (p.kind, p.name))
            .collect()
    }

    #[test]
    fn a_wire_story_in_plain_text() {
        let text = "UK retail sales fall\n\nBy Tom Wilson and Suban Abdulla\n\nLONDON, June 3 (Reuters) -\n\nBritish retail sales volumes fell unexpectedly in May, official data showed.\n\nBank of England in focus\n\nThe bank meets next week.\n\n• one\n• two\n\n(END)\n";
        assert_eq!(
            parts(text, Format::PlainText),
            vec![
                (PartKind::Byline, "Tom Wilson and Suban Abdulla".into()),
                (PartKind::Dateline, "LONDON (Reuters)".into()),
                (
                    PartKind::Lede,
                    "British retail sales volumes fell unexpectedly in May,…".into()
                ),
                (PartKind::FactBox, "one".into()),
                (PartKind::EndMark, "(END)".into()),
            ]
        );
    }

    #[test]
    fn a_markdown_story_with_a_dek_and_a_dateline_in_the_lede() {
        let text = "---\ntitle: x\n---\n# Dockworkers strike\n\n*Terminals shut for a second day.*\n\nBy Jane Doe\n\nROTTERDAM, Netherlands (Reuters) — Dockworkers walked out on Monday.\n\n## Terminals\n\n| a | b |\n|---|---|\n| 1 | 2 |\n";
        assert_eq!(
            parts(text, Format::Markdown),
            vec![
                (PartKind::Dek, "Terminals shut for a second day.".into()),
                (PartKind::Byline, "Jane Doe".into()),
                (PartKind::Dateline, "ROTTERDAM (Reuters)".into()),
                (PartKind::Lede, "Dockworkers walked out on Monday.".into()),
                (PartKind::FactBox, "a · b".into()),
            ]
        );
    }

    #[test]
    fn the_reference_article_has_a_lede_and_a_list() {
        let text = include_str!("../../examples/alaska-summit-ar.txt");
        let got = parts(text, Format::PlainText);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0].0, PartKind::Lede);
        assert_eq!(got[1].0, PartKind::FactBox);
    }
}
