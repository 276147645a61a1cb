//! Arabic rules: titles (with nisba adjectives and portfolios between title and name)
//! before a person, trigger words before an organisation or a place, quoted names after
//! `وكالة`, and the nisba adjectives themselves. Arabic has no capitals, so every rule
//! starts from a word list; a name's words stop at function words, frequent words and
//! conjunctions.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::{candidate_at, joined, push_local, BlockEntities, Candidate, Target};
use crate::entities::arabic::proclitics;
use crate::entities::gazetteer::{common_words, gazetteer};
use crate::entities::Kind;
use crate::text::Span;

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

/// Builds this module's tables ahead of the first block.
pub(super) fn prepare() {
    LazyLock::force(&AR_TRIGGER_WORDS);
    LazyLock::force(&AR_TITLES_BY_FIRST);
}

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
pub(super) const AR_FUNCTION_WORDS: &[&str] = &[
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

pub(super) fn arabic_rules(block: &mut BlockEntities) {
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
            key: crate::entities::arabic::key(&name),
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
