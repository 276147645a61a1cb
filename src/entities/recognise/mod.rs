//! Stage 1, per block: what in one block's text may name an entity.
//!
//! Owns: gazetteer matching with proclitic readings and case rules, the rules that find
//! names the gazetteer does not know (titles and nisba adjectives before a person, trigger
//! words before an organisation or a place, quoted names after `وكالة`, capitalised English
//! runs with their evidence, datelines), nisba adjectives, and the list of rare name-like
//! words the misspelling finder looks at.
//!
//! Invariants:
//! - The result depends only on the block's text and its excluded ranges, never on other
//!   blocks: a caller caches it per block and calls [`BlockEntities::rebase`] when the
//!   block moves. Everything that needs the whole document is stage 2 ([`super::resolve`]).
//! - Every span lies inside the block, on character boundaries, and excludes proclitics.
//! - Each token is looked at a bounded number of times (anchored searches, windows of at
//!   most a few tokens): linear in the block's length, no recursion.
//!
//! The per-language rules are in `arabic_rules` and `english_rules`; this module runs
//! them after the gazetteer, so that they see which tokens known names already cover.

mod arabic_rules;
mod english_rules;

use arabic_rules::{arabic_rules, AR_FUNCTION_WORDS};
use english_rules::english_rules;

use super::arabic::{is_arabic_letter, proclitics, Proclitic};
use super::gazetteer::{common_words, gazetteer, Case, EntryId, Matcher, Pattern, Role, Source};
use super::tokens::{Caps, TokenStream};
use super::Kind;
use crate::text::Span;

/// What a candidate names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A gazetteer entry.
    Known(EntryId),
    /// A name the rules found; `key` is its matching key.
    Local { name: String, key: String },
}

/// A possible mention found in one block.
#[derive(Clone, Debug)]
pub struct Candidate {
    /// The name as written, without proclitics.
    pub span: Span,
    pub target: Target,
    pub kind: Kind,
    /// Title, nisba adjectives and name together (`الرئيس الروسي فلاديمير بوتين`), when
    /// the block introduces the name that way.
    pub intro: Option<Span>,
    /// Tokens `[first, last]` of the name in the block.
    pub(crate) tokens: (u32, u32),
    /// Spelt like an everyday word: stage 2 keeps it only with other evidence.
    pub(crate) weak: bool,
    /// Which form of a gazetteer entry matched.
    pub(crate) role: Option<Role>,
    /// A person's name of two or more tokens, which registers aliases.
    pub(crate) full: bool,
}

/// Stage 1's result for one block.
#[derive(Clone, Debug, Default)]
pub struct BlockEntities {
    base: usize,
    /// The block's text (spans are absolute; `text` starts at `base`).
    pub(crate) text: String,
    pub(crate) tokens: TokenStream,
    pub candidates: Vec<Candidate>,
    /// Arabic adjectives relating to a country (`الروسية`): not mentions.
    pub nisba: Vec<(Span, EntryId)>,
    /// Tokens that look like names but are no known name: the misspelling finder's input.
    pub(crate) rare: Vec<u32>,
    /// Tokens that would be rare but are part of a name found here (`Peksov` in `Dmitry
    /// Peksov`): compared with known names when that name is none.
    pub(crate) rare_in_names: Vec<u32>,
    /// Tokens covered by a candidate or a nisba adjective.
    pub(crate) covered: Vec<bool>,
    /// Tokens that are nisba adjectives.
    is_nisba: Vec<bool>,
    /// Per token: 1 + the index of the candidate starting there, or 0.
    starting_at: Vec<u32>,
}

impl BlockEntities {
    /// Where the block starts in the document.
    pub fn base(&self) -> usize {
        self.base
    }

    /// Moves the block to `base` (after an edit before it) without re-reading it.
    pub fn rebase(&mut self, base: usize) {
        let delta = base as isize - self.base as isize;
        for c in &mut self.candidates {
            c.span = c.span.shift(delta);
            c.intro = c.intro.map(|s| s.shift(delta));
        }
        for (s, _) in &mut self.nisba {
            *s = s.shift(delta);
        }
        self.base = base;
    }

    /// Adds a candidate and marks its tokens as taken.
    fn push(&mut self, c: Candidate) {
        let (i, j) = (c.tokens.0 as usize, c.tokens.1 as usize);
        self.starting_at[i] = self.candidates.len() as u32 + 1;
        for t in &mut self.covered[i..=j] {
            *t = true;
        }
        self.candidates.push(c);
    }

    /// The absolute span of tokens `i..=j`.
    pub(crate) fn span(&self, i: usize, j: usize) -> Span {
        self.tokens.orig(i, j).shift(self.base as isize)
    }

    /// The proclitic readings of token `i` whose article, if any, is written as one: a
    /// hamza on the alef (`ألاسكا`, `ألمانيا`) shows it is part of the name.
    pub(crate) fn readings(&self, i: usize) -> Vec<Proclitic> {
        let t = &self.tokens.tokens[i];
        if !t.arabic {
            return Vec::new();
        }
        let key = self.tokens.key(i);
        let mut out = proclitics(key);
        out.retain(|r| {
            if !r.article || key[..r.strip].ends_with("لل") {
                return true;
            }
            // The article's alef is the fourth byte before the stem.
            let alef = self
                .tokens
                .norm
                .original_start(t.key.0 as usize + r.strip - 4);
            self.text[alef..].starts_with('ا')
        });
        out
    }

    /// The absolute span of token `i` from key byte `from` (a proclitic reading) on.
    pub(crate) fn span_from(&self, i: usize, from: usize) -> Span {
        let t = &self.tokens.tokens[i];
        let start = self.tokens.norm.original_start(t.key.0 as usize + from);
        Span::new(start + self.base, t.orig.1 as usize + self.base)
    }
}

/// Builds the Arabic rules' word tables ahead of the first block (see
/// [`super::prepare`]).
pub(super) fn prepare() {
    arabic_rules::prepare();
}

/// Stage 1: candidates in one block. `text` is the block's text, which starts at
/// document offset `base`; `excluded` (document offsets) are never mentions: code, URLs,
/// link destinations, HTML, front-matter keys. Bare URLs and e-mail addresses in `text`
/// are found here.
pub fn block_candidates(text: &str, base: usize, excluded: &[Span]) -> BlockEntities {
    let mut skip: Vec<Span> = excluded
        .iter()
        .filter(|s| s.end > base && s.start < base + text.len())
        .map(|s| Span::new(s.start.saturating_sub(base), (s.end - base).min(text.len())))
        .collect();
    skip.extend(bare_links(text));
    let tokens = TokenStream::new(text, &skip);
    let n = tokens.tokens.len();
    let mut block = BlockEntities {
        base,
        text: text.to_string(),
        tokens,
        candidates: Vec::new(),
        nisba: Vec::new(),
        rare: Vec::new(),
        rare_in_names: Vec::new(),
        covered: vec![false; n],
        is_nisba: vec![false; n],
        starting_at: vec![0; n],
    };
    let headline = is_title_case(&block.tokens);
    match_gazetteer(&mut block, headline);
    arabic_rules(&mut block);
    english_rules(&mut block, headline);
    dateline(&mut block, text);
    rare_words(&mut block);
    block.candidates.sort_by_key(|c| (c.span.start, c.span.end));
    block
}

// ---------------------------------------------------------------------------------------
// Links

/// URLs and e-mail addresses in plain text: `scheme://…`, `www.…`, `name@host.tld`.
fn bare_links(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // Find the start of a whitespace-delimited word.
        if bytes[i].is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let word = &text[start..i];
        let is_link = word.contains("://")
            || word.starts_with("www.")
            || word
                .split_once('@')
                .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'));
        if is_link {
            out.push(Span::new(start, i));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// Gazetteer

fn is_title_case(ts: &TokenStream) -> bool {
    // A headline in title case capitalises most words, so capitals prove nothing there.
    let latin: Vec<_> = ts
        .tokens
        .iter()
        .filter(|t| !t.arabic && t.caps != Caps::None)
        .collect();
    latin.len() >= 4
        && latin.iter().filter(|t| t.caps != Caps::Lower).count() * 10 >= latin.len() * 7
        && !ts.norm.text.trim_end().ends_with('.')
}

fn case_ok(block: &BlockEntities, p: &Pattern, i: usize, j: usize) -> bool {
    let ts = &block.tokens;
    match p.case {
        Case::Any => true,
        Case::Upper => {
            (i..=j).all(|k| ts.tokens[k].caps == Caps::Upper || ts.tokens[k].caps == Caps::None)
        }
        Case::Exact => {
            let s = block.tokens.orig(i, j);
            block.text[s.range()] == *p.form
        }
        // A word may be lower case only where the form writes it so (von der Leyen).
        Case::Capitalised => (i..=j).all(|k| {
            ts.tokens[k].caps != Caps::Lower || (k - i < 64 && p.lower & 1 << (k - i) != 0)
        }),
    }
}

/// The longest pattern of `matcher` that starts at token `i`, whole or after a proclitic
/// reading (whole first), and whose tokens' case fits it: (pattern, last token, reading).
pub(crate) fn match_at<'m>(
    matcher: &'m Matcher,
    block: &BlockEntities,
    i: usize,
) -> Option<(&'m Pattern, usize, Proclitic)> {
    let t = &block.tokens.tokens[i];
    let at = t.stream as usize;
    let stream = &block.tokens.stream;
    let whole = Proclitic {
        strip: 0,
        article: false,
        span_from: 0,
    };
    let (p, end, r) = std::iter::once(whole)
        .chain(block.readings(i))
        .find_map(|r| {
            let (p, end) = matcher.longest_at(stream, at + r.strip)?;
            (p.needs_article == r.article).then_some((p, end, r))
        })?;
    let j = block.tokens.token_ending_at(end - 1);
    case_ok(block, p, i, j).then_some((p, j, r))
}

fn match_gazetteer(block: &mut BlockEntities, headline: bool) {
    let g = gazetteer();
    let n = block.tokens.tokens.len();
    let mut i = 0;
    while i < n {
        let Some((p, j, r)) = match_at(&g.matcher, block, i) else {
            i += 1;
            continue;
        };
        let t = &block.tokens.tokens[i];
        let entry = g.entry(p.entry);
        let key = block.tokens.key(i);
        // An everyday word read with a proclitic (فرقه "team" as ف + رقه, Raqqa) counts
        // only for a curated name or a country; a surname that is also a country's
        // adjective (السوداني) is the adjective.
        let doubtful = entry.source == Source::GeoNames || p.role == Role::Short;
        let everyday_reading = r.strip > 0 && common_words().is_common_ar(key);
        let adjective =
            p.role == Role::Short && p.tokens == 1 && g.nisba_of(&key[r.strip..]).is_some();
        if (doubtful && everyday_reading) || adjective {
            i += 1;
            continue;
        }
        // A capitalised everyday word (Apple, Commission) is a name mid-sentence; at the
        // start of a sentence or in a title-case headline it needs other evidence.
        let weak = if t.arabic {
            p.weak
        } else {
            p.weak && (t.sentence_start || headline)
        };
        let kind = entry.kind;
        let span = Span::new(block.span_from(i, r.span_from).start, block.span(j, j).end);
        block.push(Candidate {
            span,
            target: Target::Known(p.entry),
            kind,
            intro: None,
            tokens: (i as u32, j as u32),
            weak,
            role: Some(p.role),
            full: kind == Kind::Person && p.tokens >= 2,
        });
        i = j + 1;
    }
}

/// The candidate starting at token `i`, if any.
fn candidate_at(block: &BlockEntities, i: usize) -> Option<usize> {
    block.starting_at[i].checked_sub(1).map(|c| c as usize)
}

fn joined(block: &BlockEntities, i: usize) -> bool {
    // Token i follows the previous one with only spaces between.
    !block.tokens.tokens[i].after_barrier
}

fn push_local(block: &mut BlockEntities, i: usize, j: usize, kind: Kind, strip: Option<usize>) {
    let span = match strip {
        Some(s) => Span::new(block.span_from(i, s).start, block.span(j, j).end),
        None => block.span(i, j),
    };
    let name = block.original_text(span);
    block.push(Candidate {
        span,
        target: Target::Local {
            key: super::arabic::key(&name),
            name,
        },
        kind,
        intro: None,
        tokens: (i as u32, j as u32),
        weak: false,
        role: None,
        full: false,
    });
}

impl BlockEntities {
    /// The original text of an absolute span inside the block.
    pub(crate) fn original_text(&self, span: Span) -> String {
        self.text[span.start - self.base..span.end - self.base].to_string()
    }

    /// The original text between token `i` and token `i + 1`.
    fn gap_text(&self, i: usize) -> &str {
        let a = self.tokens.tokens[i].orig.1 as usize;
        let b = self
            .tokens
            .tokens
            .get(i + 1)
            .map_or(self.text.len(), |t| t.orig.0 as usize);
        &self.text[a..b]
    }
}

// ---------------------------------------------------------------------------------------
// Datelines

/// `ROTTERDAM, Netherlands (Reuters) —` and `القاهرة - (رويترز) -` at the block's start:
/// the place(s) before the parenthesis and the agency inside it.
fn dateline(block: &mut BlockEntities, text: &str) {
    let mut cut = text.len().min(120);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let head = &text[..cut];
    let (Some(open), Some(close)) = (head.find('('), head.find(')')) else {
        return;
    };
    if close < open {
        return;
    }
    let after = head[close + 1..].trim_start();
    let before = head[..open].trim_end();
    let dash = |s: &str| s.starts_with(['—', '–', '-']);
    let arabic = before.chars().any(is_arabic_letter);
    if !(dash(after) || arabic && before.ends_with(['-', '–', '—'])) {
        return;
    }
    let n = block.tokens.tokens.len();
    let rel = |k: usize| block.tokens.tokens[k].orig;
    let place_tokens: Vec<usize> = (0..n)
        .take_while(|&k| (rel(k).1 as usize) <= open)
        .collect();
    let agency_tokens: Vec<usize> = (0..n)
        .filter(|&k| rel(k).0 as usize > open && (rel(k).1 as usize) <= close)
        .collect();
    if place_tokens.is_empty()
        || place_tokens.len() > 5
        || agency_tokens.is_empty()
        || agency_tokens.len() > 4
    {
        return;
    }
    if !arabic && block.tokens.tokens[0].caps != Caps::Upper {
        return;
    }
    // The city is the part before the first comma; a region or country may follow.
    let comma = place_tokens
        .iter()
        .position(|&k| k + 1 < n && block.gap_text(k).contains([',', '،']));
    let city_end = comma.map_or(*place_tokens.last().unwrap(), |p| place_tokens[p]);
    dateline_part(block, 0, city_end, Kind::City);
    if let Some(p) = comma {
        let last = *place_tokens.last().unwrap();
        if place_tokens[p] < last {
            dateline_part(block, place_tokens[p] + 1, last, Kind::Place);
        }
    }
    dateline_part(
        block,
        agency_tokens[0],
        *agency_tokens.last().unwrap(),
        Kind::NewsAgency,
    );
}

fn dateline_part(block: &mut BlockEntities, i: usize, j: usize, kind: Kind) {
    if let Some(c) = block
        .candidates
        .iter_mut()
        .find(|c| c.tokens.0 as usize >= i && c.tokens.1 as usize <= j)
    {
        c.weak = false;
        return;
    }
    if block.covered[i..=j].iter().any(|&c| c) {
        return;
    }
    push_local(block, i, j, kind, None);
}

// ---------------------------------------------------------------------------------------
// Rare name-like words

/// An everyday Arabic word with its article and an inflection (`البرجين`, the two towers:
/// ال + برج + ين): the stem, three letters at least, is a common word.
fn inflected_common_ar(key: &str) -> bool {
    let common = common_words();
    let bare = key
        .strip_prefix("ال")
        .or_else(|| key.strip_prefix("لل"))
        .unwrap_or(key);
    ["ين", "ان", "ون", "ات", "تين", "تان"].iter().any(|suffix| {
        bare.strip_suffix(suffix).is_some_and(|stem| {
            stem.chars().count() >= 3
                && (common.is_common_ar(stem)
                    || common.is_common_ar(&format!("ال{stem}"))
                    || common.is_common_ar(&format!("{stem}ه")))
        })
    })
}

fn rare_words(block: &mut BlockEntities) {
    let common = common_words();
    let g = gazetteer();
    for k in 0..block.tokens.tokens.len() {
        if block.covered[k] && block.is_nisba[k] {
            continue;
        }
        let t = &block.tokens.tokens[k];
        let key = block.tokens.key(k);
        if key.chars().count() < 4 || key.chars().any(|c| c.is_ascii_digit()) {
            continue;
        }
        let rare = if t.arabic {
            !AR_FUNCTION_WORDS.contains(&key)
                && !common.is_common_ar(key)
                && !block.readings(k).iter().any(|r| {
                    let rest = &key[r.strip..];
                    common.is_common_ar(rest) || inflected_common_ar(rest)
                })
                && !inflected_common_ar(key)
        } else {
            t.caps == Caps::Capitalised
                && !common.is_common_en(key)
                && !g.is_first_name_en(key)
                // A capital that only starts a sentence (or a row) says nothing: an
                // everyday word there is no name.
                && (!t.sentence_start || !common.is_dictionary_en(key))
        };
        if rare && block.covered[k] {
            block.rare_in_names.push(k as u32);
        } else if rare {
            block.rare.push(k as u32);
        }
    }
}
