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

use std::collections::HashMap;
use std::sync::LazyLock;

use super::arabic::{is_arabic_letter, proclitics, Proclitic};
use super::gazetteer::{
    common_words, gazetteer, Case, EntryId, Matcher, Pattern, Role, Source, CONNECTORS,
};
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

// ---------------------------------------------------------------------------------------
// Arabic rules

/// Titles before a person's name (keys). Two-word titles are matched as pairs.
const AR_TITLES: &[&str] = &[
    "رئيس مجلس الوزراء",
    "رئيسه مجلس الوزراء",
    "الرئيس",
    "الرئيسه",
    "رئيس الوزراء",
    "رئيسه الوزراء",
    "رئيس الحكومه",
    "رئيسه الحكومه",
    "الملك",
    "الملكه",
    "الامير",
    "الاميره",
    "ولي العهد",
    "الشيخ",
    "الشيخه",
    "الامين العام",
    "الامينه العامه",
    "وزير",
    "وزيره",
    "السفير",
    "السفيره",
    "المتحدث باسم",
    "المتحدثه باسم",
    "الناطق باسم",
    "الناطقه باسم",
    "النائب",
    "النائبه",
    "المستشار",
    "المستشاره",
    "السيناتور",
    "الحاكم",
    "المبعوث",
    "المبعوثه",
    "نائب الرئيس",
    "السيد",
    "السيده",
    "الدكتور",
    "الدكتوره",
    "المرشد",
    "البابا",
    "السلطان",
    "الجنرال",
    "اللواء",
    "العقيد",
    "القائد",
    "المدير",
    "المديره",
    "رئيس",
    "رئيسه",
    "المفوض",
    "المفوضه",
    "الممثل",
    "الممثله",
];

/// Words that name a ministry's portfolio after وزير (`وزير الري المصري`).
const AR_PORTFOLIOS: &[&str] = &[
    "الخارجيه",
    "الدفاع",
    "الداخليه",
    "الماليه",
    "العدل",
    "الصحه",
    "التعليم",
    "الطاقه",
    "النفط",
    "الاقتصاد",
    "التجاره",
    "الزراعه",
    "الري",
    "الاعلام",
    "الثقافه",
    "البيئه",
    "النقل",
    "الاتصالات",
    "العمل",
    "الخزانه",
    "السياحه",
    "الاسكان",
    "الدوله",
    "الشؤون",
    "الموارد",
    "المائيه",
    "والري",
    "العام",
    "العامه",
    "السابق",
    "السابقه",
    "الجديد",
    "الجديده",
    "الاعلي",
];

/// Organisation triggers: key → (kind, whether a definite common word may follow).
const AR_ORG_TRIGGERS: &[(&str, Kind, bool)] = &[
    ("وكاله", Kind::NewsAgency, false),
    ("وزاره", Kind::GovernmentBody, true),
    ("منظمه", Kind::Organisation, true),
    ("حركه", Kind::Party, false),
    ("حزب", Kind::Party, false),
    ("شركه", Kind::Company, false),
    ("مجلس", Kind::GovernmentBody, true),
    ("هيئه", Kind::GovernmentBody, true),
    ("اتحاد", Kind::Organisation, true),
    ("لجنه", Kind::GovernmentBody, true),
    ("صندوق", Kind::Organisation, true),
    ("بنك", Kind::Company, true),
    ("جامعه", Kind::Organisation, true),
    ("صحيفه", Kind::Organisation, false),
    ("قناه", Kind::Organisation, false),
    ("محكمه", Kind::GovernmentBody, true),
];

/// Every trigger word, organisation's and place's.
static AR_TRIGGER_WORDS: LazyLock<Vec<&str>> = LazyLock::new(|| {
    AR_ORG_TRIGGERS
        .iter()
        .map(|t| t.0)
        .chain(AR_PLACE_TRIGGERS.iter().map(|t| t.0))
        .collect()
});

/// Place triggers: key → kind.
const AR_PLACE_TRIGGERS: &[(&str, Kind)] = &[
    ("مدينه", Kind::City),
    ("بلده", Kind::City),
    ("قريه", Kind::City),
    ("العاصمه", Kind::City),
    ("ولايه", Kind::Region),
    ("محافظه", Kind::Region),
    ("اقليم", Kind::Region),
    ("منطقه", Kind::Region),
    ("جزيره", Kind::Place),
    ("نهر", Kind::Place),
];

/// Arabic words that never start or continue a name.
const AR_FUNCTION_WORDS: &[&str] = &[
    "في",
    "من",
    "علي",
    "الي",
    "عن",
    "مع",
    "ان",
    "كان",
    "التي",
    "الذي",
    "الذين",
    "هذا",
    "هذه",
    "ذلك",
    "تلك",
    "ما",
    "لا",
    "لم",
    "لن",
    "قد",
    "ثم",
    "او",
    "اي",
    "كل",
    "بين",
    "بعد",
    "قبل",
    "حتي",
    "عند",
    "منذ",
    "خلال",
    "حول",
    "دون",
    "ضد",
    "غير",
    "بعض",
    "نحو",
    "لدي",
    "وفق",
    "عبر",
    "امام",
    "الا",
    "انه",
    "انها",
    "قال",
    "قالت",
    "اكد",
    "اكدت",
    "اعلن",
    "اعلنت",
    "اوضح",
    "اوضحت",
    "يوم",
    "اليوم",
    "امس",
];

/// Arabic compound name particles that bind to the next word (never split).
const AR_PARTICLES: &[&str] = &["عبد", "ابو", "بن", "ابن", "ال", "بنت", "ولد"];

/// The key of token `i` read without proclitics `و`/`ف`/`ب`/`ل`/`ك` (not the article),
/// if the reading is one of `wanted`; returns (reading's strip, matched word).
fn read_as<'a>(block: &'a BlockEntities, i: usize, wanted: &[&'a str]) -> Option<(usize, &'a str)> {
    let k = block.tokens.key(i);
    if let Some(w) = wanted.iter().find(|w| **w == k) {
        return Some((0, w));
    }
    for r in proclitics(k) {
        if r.article {
            continue;
        }
        if let Some(w) = wanted.iter().find(|w| **w == &k[r.strip..]) {
            return Some((r.strip, w));
        }
    }
    None
}

fn joined(block: &BlockEntities, i: usize) -> bool {
    // Token i follows the previous one with only spaces between.
    !block.tokens.tokens[i].after_barrier
}

/// The Arabic title starting at token `i`: its last token.
/// Titles by their first word: the words that must follow it.
static AR_TITLES_BY_FIRST: LazyLock<HashMap<&str, Vec<Vec<&str>>>> = LazyLock::new(|| {
    let mut map: HashMap<&str, Vec<Vec<&str>>> = HashMap::new();
    for title in AR_TITLES {
        let mut words = title.split(' ');
        let first = words.next().unwrap_or_default();
        map.entry(first).or_default().push(words.collect());
    }
    map
});

/// The Arabic title starting at token `i` (after any proclitic): its last token.
fn arabic_title(block: &BlockEntities, i: usize) -> Option<usize> {
    let n = block.tokens.tokens.len();
    let first = block.tokens.key(i);
    let readings = std::iter::once(0).chain(
        proclitics(first)
            .into_iter()
            .filter(|r| !r.article)
            .map(|r| r.strip),
    );
    let mut best: Option<usize> = None;
    for strip in readings {
        let Some(rests) = AR_TITLES_BY_FIRST.get(&first[strip..]) else {
            continue;
        };
        // The longest title wins: رئيس مجلس الوزراء over رئيس.
        for rest in rests {
            let fits = rest.iter().enumerate().all(|(d, w)| {
                let k = i + 1 + d;
                k < n && joined(block, k) && block.tokens.key(k) == *w
            });
            let last = i + rest.len();
            if fits && best.is_none_or(|b| last > b) {
                best = Some(last);
            }
        }
    }
    best
}

fn is_name_token(block: &BlockEntities, i: usize, first: bool) -> bool {
    let t = &block.tokens.tokens[i];
    if !t.arabic || block.covered[i] {
        return false;
    }
    let k = block.tokens.key(i);
    if AR_FUNCTION_WORDS.contains(&k) || k.chars().count() < 2 {
        return false;
    }
    let common = common_words();
    if first {
        // A first name rarely carries the article; a frequent word that is also a first
        // name (محمد, علي) is let through by the list.
        !k.starts_with("ال") && (!common.is_frequent_ar(k) || AR_FIRST_NAMES.contains(&k))
    } else {
        // A conjunction starts the next name (فلاديمير بوتين ودونالد ترامب).
        !k.starts_with('و') && !common.is_frequent_ar(k) && gazetteer().nisba_of(k).is_none()
    }
}

/// Very frequent words that are also common first names.
const AR_FIRST_NAMES: &[&str] = &[
    "محمد",
    "احمد",
    "علي",
    "حسن",
    "حسين",
    "محمود",
    "خالد",
    "عمر",
    "يوسف",
    "ابراهيم",
    "مصطفي",
    "سعيد",
    "عادل",
    "جمال",
    "كمال",
    "ناصر",
    "فيصل",
    "سلمان",
    "طارق",
    "هشام",
    "وليد",
    "سامي",
    "ماجد",
    "فهد",
    "سلطان",
    "زايد",
    "حمد",
    "عبد",
    "ابو",
    "نور",
    "سعد",
    "صالح",
    "عيسي",
    "موسي",
];

fn arabic_rules(block: &mut BlockEntities) {
    let n = block.tokens.tokens.len();
    let g = gazetteer();
    // Nisba adjectives relate to a country; they are never mentions, and a title may
    // have them before its name, so they are found first.
    for i in 0..n {
        if block.covered[i] || !block.tokens.tokens[i].arabic {
            continue;
        }
        let k = block.tokens.key(i);
        let readings = std::iter::once(0).chain(
            block
                .readings(i)
                .into_iter()
                .filter(|r| !r.article)
                .map(|r| r.strip),
        );
        for strip in readings {
            if g.nisba_of(&k[strip..])
                .is_some_and(|_| strip == 0 || k[strip..].starts_with("ال"))
            {
                let span = block.span_from(i, strip);
                block.nisba.push((span, g.nisba_of(&k[strip..]).unwrap()));
                block.covered[i] = true;
                block.is_nisba[i] = true;
                break;
            }
        }
    }
    let mut i = 0;
    while i < n {
        if !block.tokens.tokens[i].arabic {
            i += 1;
            continue;
        }
        if let Some(end) = arabic_title(block, i) {
            // A title's words are never an organisation's (مجلس الوزراء in رئيس مجلس الوزراء).
            i = arabic_person_after_title(block, i, end).unwrap_or(end + 1);
            continue;
        }
        if !block.covered[i] {
            if let Some(next) = arabic_trigger(block, i) {
                i = next;
                continue;
            }
        }
        i += 1;
    }
}

/// Title at `i..=end`, then up to three modifiers, then a name. Returns the token after.
fn arabic_person_after_title(block: &mut BlockEntities, i: usize, end: usize) -> Option<usize> {
    let n = block.tokens.tokens.len();
    let mut k = end + 1;
    let mut modifiers = 0;
    while k < n && modifiers < 3 && joined(block, k) {
        // After المتحدث باسم: the body spoken for, which may be an organisation the
        // rules name (وزارة الخارجية القطرية).
        let spoken_for = end > i && block.tokens.key(end) == "باسم" && modifiers == 0;
        // Titles may follow one another (رئيس مجلس الوزراء وزير الخارجية القطري ...).
        if let Some(e2) = arabic_title(block, k) {
            k = e2 + 1;
            modifiers += 1;
            continue;
        }
        if spoken_for && !block.covered[k] {
            if let Some(next) = arabic_trigger(block, k) {
                k = next;
                modifiers += 1;
                continue;
            }
        }
        let key = block.tokens.key(k);
        let is_modifier = AR_PORTFOLIOS.contains(&key)
            || block.is_nisba[k]
            || (spoken_for && (block.covered[k] || key.starts_with("ال")));
        if !is_modifier {
            break;
        }
        if let Some(c) = candidate_at(block, k) {
            // Skip over a multi-token body such as الكرملين or وزارة الخارجية.
            if block.candidates[c].kind != Kind::Person {
                k = block.candidates[c].tokens.1 as usize + 1;
                modifiers += 1;
                continue;
            }
            break;
        }
        k += 1;
        modifiers += 1;
    }
    if k >= n || !joined(block, k) {
        return None;
    }
    let intro_start = block.span_from(i, title_strip(block, i)).start;
    if let Some(c) = candidate_at(block, k) {
        let cand = &mut block.candidates[c];
        if cand.kind == Kind::Person {
            cand.intro = Some(Span::new(intro_start, cand.span.end));
            cand.weak = false;
            return Some(cand.tokens.1 as usize + 1);
        }
        return None;
    }
    if !is_name_token(block, k, true) {
        return None;
    }
    // A first name before a known surname is that person (دونالد ترمب, with the
    // house-style variant ترمب).
    if k + 1 < n && joined(block, k + 1) {
        if let Some(c) = candidate_at(block, k + 1) {
            let span_start = block.span(k, k).start;
            let cand = &mut block.candidates[c];
            if cand.kind == Kind::Person && matches!(cand.target, Target::Known(_)) {
                cand.span.start = span_start;
                cand.tokens.0 = k as u32;
                cand.intro = Some(Span::new(intro_start, cand.span.end));
                cand.weak = false;
                cand.full = true;
                let end = cand.tokens.1 as usize;
                block.starting_at[k] = c as u32 + 1;
                block.covered[k] = true;
                return Some(end + 1);
            }
        }
    }
    let mut last = k;
    let mut m = k + 1;
    while m < n && m <= k + 3 && joined(block, m) {
        let particle = AR_PARTICLES.contains(&block.tokens.key(last));
        if particle || is_name_token(block, m, false) {
            last = m;
            m += 1;
        } else {
            break;
        }
    }
    if AR_PARTICLES.contains(&block.tokens.key(last)) {
        return None;
    }
    let span = block.span(k, last);
    let name = block.original_text(span);
    block.push(Candidate {
        span,
        target: Target::Local {
            key: super::arabic::key(&name),
            name,
        },
        kind: Kind::Person,
        intro: Some(Span::new(intro_start, span.end)),
        tokens: (k as u32, last as u32),
        weak: false,
        role: None,
        full: last > k,
    });
    Some(last + 1)
}

fn title_strip(block: &BlockEntities, i: usize) -> usize {
    let k = block.tokens.key(i);
    if AR_TITLES.iter().any(|t| t.split(' ').next() == Some(k)) {
        return 0;
    }
    proclitics(k)
        .into_iter()
        .filter(|r| !r.article)
        .find(|r| {
            AR_TITLES
                .iter()
                .any(|t| t.split(' ').next() == Some(&k[r.strip..]))
        })
        .map_or(0, |r| r.strip)
}

/// An organisation or place trigger at `i`. Returns the token after what it consumed.
fn arabic_trigger(block: &mut BlockEntities, i: usize) -> Option<usize> {
    let n = block.tokens.tokens.len();
    let (strip, word) = read_as(block, i, &AR_TRIGGER_WORDS)?;
    let org = AR_ORG_TRIGGERS.iter().find(|t| t.0 == word);
    let kind = org
        .map(|t| t.1)
        .or_else(|| AR_PLACE_TRIGGERS.iter().find(|t| t.0 == word).map(|t| t.1))?;
    let common = common_words();
    let next = i + 1;
    if next >= n {
        return None;
    }
    // A quoted name after the trigger: لوكالة “تاس”.
    let gap = block.gap_text(i);
    if gap.contains(['“', '"', '«', '„']) {
        let mut last = next;
        while last + 1 < n && last < next + 3 && joined(block, last + 1) {
            last += 1;
        }
        // Stop at the closing quote.
        for m in next..last {
            if block.gap_text(m).contains(['”', '"', '»', '“']) {
                last = m;
                break;
            }
        }
        if let Some(c) = candidate_at(block, next) {
            block.candidates[c].weak = false;
            return Some(block.candidates[c].tokens.1 as usize + 1);
        }
        let kind = if word == "وكاله" {
            Kind::NewsAgency
        } else {
            kind
        };
        push_local(block, next, last, kind, None);
        return Some(last + 1);
    }
    if !joined(block, next) {
        return None;
    }
    if let Some(c) = candidate_at(block, next) {
        // مدينة غزة, ولاية ألاسكا: the trigger is evidence for a known name.
        block.candidates[c].weak = false;
        return Some(block.candidates[c].tokens.1 as usize + 1);
    }
    if block.covered[next] && org.is_none() {
        // العاصمة الروسية موسكو: skip the nisba adjective.
        if next + 1 < n && joined(block, next + 1) {
            if let Some(c) = candidate_at(block, next + 1) {
                block.candidates[c].weak = false;
            }
        }
        return None;
    }
    let definite_ok = org.is_some_and(|t| t.2);
    let mut last = None;
    let mut m = next;
    while m < n && m < next + 3 && (m == next || joined(block, m)) && !block.covered[m] {
        let key = block.tokens.key(m);
        if !block.tokens.tokens[m].arabic || AR_FUNCTION_WORDS.contains(&key) {
            break;
        }
        let uncommon = !common.is_common_ar(key);
        let definite = key.starts_with("ال") && definite_ok;
        if !(uncommon || definite) || (m > next && key.starts_with('و')) {
            break;
        }
        last = Some(m);
        m += 1;
    }
    let mut last = last?;
    // An organisation's name includes its trigger and the country's adjective after it
    // (وزارة الخارجية القطرية); a place's name is what follows the trigger (مدينة كفركلا).
    if org.is_some() && last + 1 < n && joined(block, last + 1) && block.is_nisba[last + 1] {
        last += 1;
    }
    let first = if org.is_some() { i } else { next };
    push_local(block, first, last, kind, Some(strip).filter(|_| first == i));
    Some(last + 1)
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
// English rules

/// Words of a title before a person's name (lower case, one token each).
const EN_TITLE_WORDS: &[&str] = &[
    "president",
    "prime",
    "minister",
    "chancellor",
    "king",
    "queen",
    "prince",
    "princess",
    "senator",
    "sen",
    "governor",
    "gov",
    "mayor",
    "secretary",
    "general",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "mr",
    "ms",
    "mrs",
    "dr",
    "gen",
    "judge",
    "ambassador",
    "sheikh",
    "emir",
    "sultan",
    "pope",
    "commissioner",
    "director",
    "chief",
    "ceo",
    "adm",
    "col",
    "lt",
    "sgt",
    "rep",
    "lord",
    "lady",
    "sir",
    "dame",
    "crown",
    "envoy",
    "leader",
    "chairman",
    "chairwoman",
    "speaker",
    "premier",
    "vice",
    "deputy",
    "foreign",
    "defence",
    "defense",
    "interior",
    "finance",
    "economy",
    "executive",
    "officer",
    "elect",
    "high",
    "representative",
    "state",
];

/// Role nouns of an appositive after a name (`Eva Jansen, the port's director,`).
const EN_ROLES: &[&str] = &[
    "president",
    "director",
    "minister",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "head",
    "chief",
    "leader",
    "ambassador",
    "envoy",
    "secretary",
    "chairman",
    "chairwoman",
    "ceo",
    "founder",
    "governor",
    "mayor",
    "professor",
    "analyst",
    "official",
    "adviser",
    "advisor",
    "commissioner",
    "executive",
    "editor",
    "author",
    "researcher",
    "economist",
    "captain",
    "commander",
    "lawyer",
    "manager",
    "owner",
    "chancellor",
    "senator",
    "general",
    "king",
    "queen",
    "prince",
    "foreign",
    "prime",
    "deputy",
];

/// Organisation triggers (lower case) and the kind they give.
const EN_ORG_TRIGGERS: &[(&str, Kind)] = &[
    ("ministry", Kind::GovernmentBody),
    ("department", Kind::GovernmentBody),
    ("office", Kind::GovernmentBody),
    ("authority", Kind::GovernmentBody),
    ("commission", Kind::GovernmentBody),
    ("council", Kind::GovernmentBody),
    ("court", Kind::GovernmentBody),
    ("committee", Kind::GovernmentBody),
    ("parliament", Kind::GovernmentBody),
    ("police", Kind::GovernmentBody),
    ("army", Kind::GovernmentBody),
    ("navy", Kind::GovernmentBody),
    ("forces", Kind::GovernmentBody),
    ("party", Kind::Party),
    ("movement", Kind::Party),
    ("bank", Kind::Company),
    ("corp", Kind::Company),
    ("corporation", Kind::Company),
    ("inc", Kind::Company),
    ("ltd", Kind::Company),
    ("llc", Kind::Company),
    ("plc", Kind::Company),
    ("company", Kind::Company),
    ("group", Kind::Company),
    ("airlines", Kind::Company),
    ("airways", Kind::Company),
    ("agency", Kind::Organisation),
    ("union", Kind::Organisation),
    ("fund", Kind::Organisation),
    ("organisation", Kind::Organisation),
    ("organization", Kind::Organisation),
    ("association", Kind::Organisation),
    ("institute", Kind::Organisation),
    ("university", Kind::Organisation),
    ("college", Kind::Organisation),
    ("foundation", Kind::Organisation),
    ("federation", Kind::Organisation),
    ("league", Kind::Organisation),
    ("times", Kind::Organisation),
    ("post", Kind::Organisation),
    ("news", Kind::Organisation),
    ("press", Kind::Organisation),
    ("network", Kind::Organisation),
];

/// Place triggers (lower case) and the kind they give.
const EN_PLACE_TRIGGERS: &[(&str, Kind)] = &[
    ("city", Kind::City),
    ("province", Kind::Region),
    ("county", Kind::Region),
    ("region", Kind::Region),
    ("district", Kind::Region),
    ("island", Kind::Place),
    ("islands", Kind::Place),
    ("river", Kind::Place),
    ("sea", Kind::Place),
    ("ocean", Kind::Place),
    ("mountains", Kind::Place),
    ("valley", Kind::Place),
    ("street", Kind::Place),
    ("square", Kind::Place),
    ("bay", Kind::Place),
    ("lake", Kind::Place),
    ("port", Kind::Place),
    ("airport", Kind::Place),
    ("strait", Kind::Place),
    ("peninsula", Kind::Place),
    ("harbour", Kind::Place),
    ("harbor", Kind::Place),
];

/// Prepositions after which an unknown capitalised name is a place.
const EN_PLACE_PREPOSITIONS: &[&str] = &["in", "near", "outside", "across", "to", "from"];
/// Verbs after which a two-word capitalised name is a person.
const EN_SPEECH: &[&str] = &["said", "says", "told", "added", "warned", "wrote", "asked"];

fn is_capitalised(block: &BlockEntities, k: usize) -> bool {
    let t = &block.tokens.tokens[k];
    !t.arabic && matches!(t.caps, Caps::Capitalised | Caps::Upper)
}

fn english_rules(block: &mut BlockEntities, headline: bool) {
    let n = block.tokens.tokens.len();
    let mut i = 0;
    while i < n {
        if block.covered[i] || !is_capitalised(block, i) {
            i += 1;
            continue;
        }
        // The run: capitalised tokens, joined by connectors, up to a covered token.
        let mut j = i;
        while j + 1 < n && j < i + 7 && joined(block, j + 1) && !block.covered[j + 1] {
            if is_capitalised(block, j + 1) {
                j += 1;
            } else if j + 2 < n
                && CONNECTORS.contains(&block.tokens.key(j + 1))
                && joined(block, j + 2)
                && !block.covered[j + 2]
                && is_capitalised(block, j + 2)
            {
                j += 2;
            } else if j + 3 < n
                && CONNECTORS.contains(&block.tokens.key(j + 1))
                && CONNECTORS.contains(&block.tokens.key(j + 2))
                && joined(block, j + 3)
                && !block.covered[j + 3]
                && is_capitalised(block, j + 3)
            {
                j += 3;
            } else {
                break;
            }
        }
        english_run(block, i, j, headline);
        i = j + 1;
    }
}

fn english_run(block: &mut BlockEntities, i: usize, j: usize, headline: bool) {
    let n = block.tokens.tokens.len();
    let g = gazetteer();
    let common = common_words();
    let key = |k: usize| block.tokens.key(k).to_string();
    // Leading title words; before them, a lower-case title also counts (spokeswoman Eva).
    let mut start = i;
    // Title words, and connectors inside a title (Secretary of State).
    while start <= j
        && (EN_TITLE_WORDS.contains(&key(start).as_str())
            || (start > i && start < j && CONNECTORS.contains(&key(start).as_str())))
    {
        start += 1;
    }
    let mut titled = start > i;
    let mut intro_from = i;
    // A lower-case title right before the name (port director Eva Jansen); a lower-case
    // organisation word names an organisation (the union FNV); `spokeswoman for Maersk`
    // names the employer.
    let mut org_before = None;
    if !titled && i > 0 && joined(block, i) && block.tokens.tokens[i - 1].caps == Caps::Lower {
        let before = key(i - 1);
        if EN_TITLE_WORDS.contains(&before.as_str()) {
            titled = true;
            intro_from = i - 1;
        } else if let Some(t) = EN_ORG_TRIGGERS.iter().find(|t| t.0 == before) {
            org_before = Some(t.1);
        } else if before == "for"
            && i > 1
            && joined(block, i - 1)
            && EN_TITLE_WORDS.contains(&key(i - 2).as_str())
        {
            org_before = Some(Kind::Organisation);
        }
    }
    if start > j {
        // Only a title ("Russian President", "Minister"): it introduces a known person
        // right after it, if there is one.
        if j + 1 < n && joined(block, j + 1) {
            if let Some(c) = candidate_at(block, j + 1) {
                let first = (i..=j)
                    .find(|&k| EN_TITLE_WORDS.contains(&key(k).as_str()))
                    .unwrap_or(i);
                let cand = &mut block.candidates[c];
                if cand.kind == Kind::Person {
                    let from = block.tokens.orig(first, first).start + block.base;
                    cand.intro = Some(Span::new(from, cand.span.end));
                    cand.weak = false;
                }
            }
        }
        return;
    }
    // "The" and, at a sentence start, everyday words are not part of the name.
    while start < j
        && (key(start) == "the"
            || (block.tokens.tokens[start].sentence_start && common.is_common_en(&key(start))))
    {
        start += 1;
    }
    let words: Vec<String> = (start..=j).map(key).collect();
    let org = words
        .iter()
        .rev()
        .find_map(|w| EN_ORG_TRIGGERS.iter().find(|t| t.0 == w).map(|t| t.1));
    let place = words
        .iter()
        .rev()
        .find_map(|w| EN_PLACE_TRIGGERS.iter().find(|t| t.0 == w).map(|t| t.1));
    let single = start == j;
    let everyday = single && common.is_common_en(&words[0]);
    let sentence_start = block.tokens.tokens[start].sentence_start;
    // A known first name, or two words ending in a known surname (Tom Fletcher).
    let first_name = !single
        && (g.is_first_name_en(&words[0]) || (words.len() == 2 && g.is_surname_en(&words[1])));
    let next_word = (j + 1 < n && joined(block, j + 1)).then(|| key(j + 1));
    let speech = !single && next_word.as_deref().is_some_and(|w| EN_SPEECH.contains(&w));
    let appositive = appositive_after(block, j);
    let preposition = start > 0
        && joined(block, start)
        && block.tokens.tokens[start - 1].caps == Caps::Lower
        && EN_PLACE_PREPOSITIONS.contains(&key(start - 1).as_str());
    // A trigger word alone (the Port of Antwerp, where Antwerp is known) names nothing.
    if single && (org.is_some() || place.is_some()) {
        return;
    }
    let kind = if let Some(k) = org_before {
        Some(k)
    } else if let Some(k) = org.filter(|_| !titled) {
        Some(k)
    } else if let Some(k) = place.filter(|_| !titled) {
        Some(k)
    } else if titled || (!headline && (first_name || speech || appositive)) {
        Some(Kind::Person)
    } else if !headline && preposition && !everyday && words.len() <= 2 {
        Some(Kind::Place)
    } else {
        None
    };
    let Some(kind) = kind else { return };
    if everyday && (kind != Kind::Person || !titled) {
        return;
    }
    if single && sentence_start && !titled && org.is_none() && place.is_none() {
        return;
    }
    let span = block.span(start, j);
    let name = block.original_text(span);
    let intro = titled.then(|| Span::new(block.span(intro_from, intro_from).start, span.end));
    block.push(Candidate {
        span,
        target: Target::Local {
            key: super::arabic::key(&name),
            name,
        },
        kind,
        intro,
        tokens: (start as u32, j as u32),
        weak: false,
        role: None,
        full: kind == Kind::Person && !single,
    });
}

/// `, the port's director,` / `, a spokeswoman for` / `, who` / `, 45,` after token `j`.
fn appositive_after(block: &BlockEntities, j: usize) -> bool {
    let n = block.tokens.tokens.len();
    if j + 1 >= n || !block.gap_text(j).trim_start().starts_with(',') {
        return false;
    }
    let first = block.tokens.key(j + 1);
    if first == "who" || first.chars().all(|c| c.is_ascii_digit()) {
        return true;
    }
    if !matches!(first, "the" | "a" | "an") {
        return false;
    }
    (j + 2..n.min(j + 7))
        .take_while(|&k| {
            k == j + 2
                || !block.tokens.tokens[k].after_barrier
                || block.gap_text(k - 1).trim() == "'"
        })
        .any(|k| EN_ROLES.contains(&block.tokens.key(k)))
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

fn rare_words(block: &mut BlockEntities) {
    let common = common_words();
    let g = gazetteer();
    for k in 0..block.tokens.tokens.len() {
        if block.covered[k] {
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
                && !block
                    .readings(k)
                    .iter()
                    .any(|r| common.is_common_ar(&key[r.strip..]))
        } else {
            t.caps == Caps::Capitalised && !common.is_common_en(key) && !g.is_first_name_en(key)
        };
        if rare {
            block.rare.push(k as u32);
        }
    }
}
