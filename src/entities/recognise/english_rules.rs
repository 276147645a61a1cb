//! English rules: capitalised runs joined by connectors (of, the, von, al ...), with the
//! evidence that makes one a person (a title, a known first name or surname, an
//! appositive, a speech verb), an organisation (a trigger word such as Ministry or Party,
//! or a lower-case one before it) or a place (a trigger word, a preposition). A run that
//! only starts a sentence or sits in a title-case headline needs more than its capitals.

use super::{candidate_at, joined, BlockEntities, Candidate, Target};
use crate::entities::gazetteer::{common_words, gazetteer, CONNECTORS};
use crate::entities::tokens::Caps;
use crate::entities::Kind;
use crate::text::Span;

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

pub(super) fn english_rules(block: &mut BlockEntities, headline: bool) {
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
            key: crate::entities::arabic::key(&name),
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
