//! Misspelt and house-style names: the findings behind the misspelling diagnostic.
//!
//! Owns: the closeness test (Jaro–Winkler ≥ 0.90, or optimal string alignment distance
//! ≤ 1, ≤ 2 from six letters up, or the same letters reordered), the index of known names
//! it is run against (symmetric deletions and sorted letters, so each rare word costs a
//! few hash lookups, not a scan of the gazetteer), and the choice of the usual spelling.
//!
//! A word is compared only if stage 1 found it *rare*: name-like, no known name, and no
//! everyday word (ar-corrector's 40,000 most frequent Arabic words; compromise's English
//! lexicon; English words must be capitalised). It is a misspelling only if it occurs at
//! most twice in the article and is close to a name the article uses at least twice, or
//! to a known name. Accepted variants (`ترمب`) give the softer house-style finding.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::arabic::{is_arabic, key, loose_key, proclitics};
use super::gazetteer::{common_words, gazetteer, Entry, EntryId, Role, Source};
use super::glossary::Glossary;
use super::recognise::BlockEntities;
use super::resolve::{DocumentEntities, EntityRef, Finding, FindingKind, MentionTarget};
use crate::text::Span;

/// Is token `k` part of a run of capitalised words (a full name being written out) whose
/// other words are not in `name`? Then it is another person's name (`Aoife Brennan` next
/// to `Brendan Hughes`), not a slip of the pen: a misspelt `Vladimir Puttin` keeps the
/// rest of the name it misspells.
fn in_other_name(block: &BlockEntities, k: usize, name: &str) -> bool {
    let tokens = &block.tokens.tokens;
    let capital = |i: usize| {
        tokens.get(i).is_some_and(|t| {
            matches!(
                t.caps,
                super::tokens::Caps::Capitalised | super::tokens::Caps::Upper
            )
        })
    };
    if tokens.get(k).is_none_or(|t| t.arabic) {
        return false;
    }
    let name_keys: Vec<String> = name.split_whitespace().map(key).collect();
    let neighbour = |i: usize| capital(i) && !name_keys.iter().any(|n| n == block.tokens.key(i));
    let before = k > 0 && !tokens[k].after_barrier && !tokens[k].sentence_start && neighbour(k - 1);
    let after = tokens.get(k + 1).is_some_and(|t| !t.after_barrier) && neighbour(k + 1);
    before || after
}

/// Whether `a` looks like a misspelling of `b` (both keys).
pub(crate) fn close(a: &str, b: &str) -> bool {
    if a == b {
        return false;
    }
    let (la, lb) = (a.chars().count(), b.chars().count());
    if la.min(lb) < 4 || la.abs_diff(lb) > 2 {
        return false;
    }
    if strsim::jaro_winkler(a, b) >= 0.90 {
        return true;
    }
    let d = strsim::osa_distance(a, b);
    d <= 1 || (d <= 2 && la.min(lb) >= 6) || sorted(a) == sorted(b)
}

fn sorted(s: &str) -> String {
    let mut c: Vec<char> = s.chars().collect();
    c.sort_unstable();
    c.into_iter().collect()
}

/// Every string one deletion away from `s`, and `s` itself.
fn deletions(s: &str) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = vec![s.to_string()];
    for i in 0..chars.len() {
        out.push(chars[..i].iter().chain(&chars[i + 1..]).collect());
    }
    out
}

/// Known single-word names worth comparing against, indexed by their deletions and by
/// their sorted letters.
struct KnownIndex {
    /// (key, owner).
    names: Vec<(String, Owner)>,
    deletions: HashMap<String, Vec<u32>>,
    anagrams: HashMap<String, Vec<u32>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Owner {
    Gazetteer(super::EntryId),
    Glossary(super::EntryId),
}

impl KnownIndex {
    fn build<'a>(names: impl Iterator<Item = (&'a str, Owner)>) -> KnownIndex {
        let mut idx = KnownIndex {
            names: Vec::new(),
            deletions: HashMap::new(),
            anagrams: HashMap::new(),
        };
        let mut seen = std::collections::HashSet::new();
        for (k, owner) in names {
            // Five letters leave too many everyday words one edit away (الترع, الشرع).
            if k.contains(' ') || k.chars().count() < 6 || !seen.insert(k.to_string()) {
                continue;
            }
            let id = idx.names.len() as u32;
            idx.names.push((k.to_string(), owner));
            for d in deletions(k) {
                idx.deletions.entry(d).or_default().push(id);
            }
            idx.anagrams.entry(sorted(k)).or_default().push(id);
        }
        idx
    }

    /// The known name `k` is closest to, if it is close to any: its owner.
    fn find(&self, k: &str) -> Option<Owner> {
        let mut ids: Vec<u32> = deletions(k)
            .iter()
            .filter_map(|d| self.deletions.get(d))
            .flatten()
            .copied()
            .collect();
        ids.extend(self.anagrams.get(&sorted(k)).into_iter().flatten());
        ids.sort_unstable();
        ids.dedup();
        ids.into_iter()
            .map(|i| &self.names[i as usize])
            .filter(|(name, _)| close(k, name))
            .max_by(|a, b| strsim::jaro_winkler(k, &a.0).total_cmp(&strsim::jaro_winkler(k, &b.0)))
            .map(|(_, owner)| *owner)
    }
}

/// The first known name (the glossary's, then the gazetteer's) that holds every word of
/// `others` (loose keys) and a word close to `w`: whom a full name with one word misspelt
/// means.
fn known_with(others: &[String], w: &str, glossary: &Glossary) -> Option<EntityRef> {
    let first = others.first()?;
    glossary
        .entries
        .iter()
        .enumerate()
        .map(|(i, e)| (EntityRef::Glossary(EntryId(i as u32)), e))
        .chain(
            full_names()
                .get(first)
                .into_iter()
                .flatten()
                .map(|&id| (EntityRef::Gazetteer(id), gazetteer().entry(id))),
        )
        .find(|(_, entry)| {
            let words = name_words(entry);
            others.iter().all(|o| words.contains(o))
                && words.iter().any(|n| !others.contains(n) && close(w, n))
        })
        .map(|(r, _)| r)
}

/// The capitalised words written next to token `k` in the same run (`Vladimir` of
/// `Vladimir Puttin`), as loose keys.
fn run_neighbours(block: &BlockEntities, k: usize) -> Vec<String> {
    let tokens = &block.tokens.tokens;
    let capital = |i: usize| {
        tokens.get(i).is_some_and(|t| {
            !t.arabic
                && matches!(
                    t.caps,
                    super::tokens::Caps::Capitalised | super::tokens::Caps::Upper
                )
        })
    };
    let mut out = Vec::new();
    let mut i = k;
    while i > 0 && !tokens[i].after_barrier && !tokens[i].sentence_start && capital(i - 1) {
        i -= 1;
        out.push(loose_key(block.tokens.key(i)));
    }
    let mut j = k + 1;
    while capital(j) && !tokens[j].after_barrier {
        out.push(loose_key(block.tokens.key(j)));
        j += 1;
    }
    out
}

/// The words of every name of `entry` (its spellings, short forms and variants), as
/// loose keys.
fn name_words(entry: &Entry) -> Vec<String> {
    [&entry.en, &entry.ar]
        .into_iter()
        .flatten()
        .map(|n| &**n)
        .chain(entry.short.iter().map(|n| &**n))
        .chain(entry.variants.iter().map(|n| &**n))
        .flat_map(str::split_whitespace)
        .map(|w| loose_key(&key(w)))
        .collect()
}

/// The curated names of more than one word, by each of their words (loose keys): the
/// known people a full name may mean (`vladimir` → Vladimir Putin, …).
fn full_names() -> &'static HashMap<String, Vec<EntryId>> {
    static INDEX: OnceLock<HashMap<String, Vec<EntryId>>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index: HashMap<String, Vec<EntryId>> = HashMap::new();
        for e in gazetteer().entries() {
            if e.source != Source::Curated {
                continue;
            }
            let multi = [&e.en, &e.ar]
                .into_iter()
                .flatten()
                .chain(&e.variants)
                .any(|n| n.split_whitespace().nth(1).is_some());
            if !multi {
                continue;
            }
            for w in name_words(e) {
                let ids = index.entry(w).or_default();
                if ids.last() != Some(&e.id) {
                    ids.push(e.id);
                }
            }
        }
        index
    })
}

/// Builds the gazetteer's misspelling index ahead of the first check (see
/// [`super::prepare`]).
pub(super) fn prepare() {
    gazetteer_index();
    full_names();
}

/// Gazetteer names a misspelling is looked for against: curated ones, countries, and
/// cities of a million or more (a small town's name is too likely to be a word).
fn gazetteer_index() -> &'static KnownIndex {
    static INDEX: OnceLock<KnownIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let g = gazetteer();
        let m = &g.matcher;
        let mut names: Vec<(&str, Owner)> = m
            .texts()
            .filter(|(_, p)| {
                let e = g.entry(p.entry);
                !p.weak
                    && !p.needs_article
                    && p.tokens == 1
                    && p.role != Role::Avoid
                    && (e.source != Source::GeoNames || e.population >= 1_000_000)
            })
            .map(|(t, p)| (t.trim_end(), Owner::Gazetteer(p.entry)))
            .collect();
        // Deterministic order: the first of equal keys wins in the index.
        names.sort_by(|a, b| a.0.cmp(b.0).then(a.1.cmp_key().cmp(&b.1.cmp_key())));
        KnownIndex::build(names.into_iter())
    })
}

impl Owner {
    fn cmp_key(&self) -> (u8, u32) {
        match self {
            Owner::Gazetteer(id) => (1, id.0),
            Owner::Glossary(id) => (0, id.0),
        }
    }
}

/// The usual spelling of `entry` nearest to `written`, in the same script. A single word
/// is replaced by a single word of the name (`Salmann` by `Salman`, not by `bin Salman`:
/// the words around it stay).
fn usual_spelling(entry: &Entry, written: &str) -> String {
    let arabic = is_arabic(&key(written));
    let wk = key(written);
    let one_word = written.split_whitespace().nth(1).is_none();
    entry
        .en
        .iter()
        .chain(entry.ar.iter())
        .chain(entry.short.iter())
        .map(|f| &**f)
        .flat_map(|f| {
            let words: Vec<&str> = if one_word {
                f.split_whitespace().collect()
            } else {
                vec![f]
            };
            words
        })
        .filter(|f| is_arabic(&key(f)) == arabic)
        .max_by(|a, b| {
            let sa = strsim::jaro_winkler(&key(a), &wk);
            let sb = strsim::jaro_winkler(&key(b), &wk);
            sa.total_cmp(&sb)
        })
        .map(|f| f.to_string())
        .unwrap_or_else(|| entry.name(arabic).to_string())
}

fn entry_of<'g>(r: &EntityRef, glossary: &'g Glossary) -> Option<&'g Entry> {
    match r {
        EntityRef::Gazetteer(id) => Some(gazetteer().entry(*id)),
        EntityRef::Glossary(id) => glossary.entries.get(id.0 as usize),
        EntityRef::Local(_) => None,
    }
}

/// The findings of a resolved document. `roles` gives, per candidate kept, the form's
/// role and its entity's index.
pub(crate) fn findings(
    blocks: &[&BlockEntities],
    doc: &DocumentEntities,
    roles: &[(Span, Option<Role>, Option<usize>)],
    glossary: &Glossary,
) -> Vec<Finding> {
    let mut out = Vec::new();
    // Variants and spellings to avoid that the gazetteer or glossary lists.
    for &(span, role, entity) in roles {
        let (Some(role @ (Role::Variant | Role::Avoid)), Some(e)) = (role, entity) else {
            continue;
        };
        let Some(entry) = entry_of(&doc.entities[e].entity, glossary) else {
            continue;
        };
        let Some(m) = doc.mention_at(span.start) else {
            continue;
        };
        let suggestion = usual_spelling(entry, &m.written);
        // A variant is a house-style matter when it spells the same name another way
        // (ترمب, Mærsk); an alternative name (Britain, أمريكا) or a short form of the name
        // (الإمارات for الإمارات العربية المتحدة) is no finding.
        let same_words =
            suggestion.split_whitespace().count() == m.written.split_whitespace().count();
        let same_name =
            same_words && strsim::jaro_winkler(&key(&suggestion), &key(&m.written)) >= 0.8;
        if key(&suggestion) == key(&m.written) || (role == Role::Variant && !same_name) {
            continue;
        }
        out.push(Finding {
            span,
            kind: if role == Role::Avoid {
                FindingKind::Misspelling
            } else {
                FindingKind::HouseStyle
            },
            written: m.written.clone(),
            suggestion,
            entity: Some(e),
        });
    }

    // The article's own name forms: word key → (count, entity, written forms and counts).
    let mut forms: HashMap<String, (usize, usize, HashMap<String, usize>)> = HashMap::new();
    // The loose key of each written word, computed once: an article names the same
    // people and places again and again.
    let mut keys: HashMap<&str, String> = HashMap::new();
    for m in &doc.mentions {
        let MentionTarget::Entity(e) = m.target else {
            continue;
        };
        // Grouped by the loose key: hamza seats (مسؤول, مسئول) are spellings of one name.
        for word in m.written.split_whitespace() {
            let k = keys
                .entry(word)
                .or_insert_with(|| loose_key(&key(word)))
                .clone();
            if k.chars().count() < 4 {
                continue;
            }
            let f = forms.entry(k).or_insert((0, e, HashMap::new()));
            f.0 += 1;
            *f.2.entry(word.to_string()).or_default() += 1;
        }
    }
    let mut by_len: HashMap<usize, Vec<(&String, usize, usize, String)>> = HashMap::new();
    let common = common_words();
    for (k, (count, e, written)) in &forms {
        let known = !matches!(doc.entities[*e].entity, EntityRef::Local(_));
        // A word of a name that is also an everyday word (المتحدة of الولايات المتحدة)
        // tells nothing about the spelling of a rare word near it.
        let everyday = if is_arabic(k) {
            common.is_frequent_ar(k)
        } else {
            common.is_common_en(k)
        };
        if (*count < 2 && !known) || everyday {
            continue;
        }
        let usual = written
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
            .map(|(w, _)| w.clone())
            .unwrap_or_default();
        by_len
            .entry(k.chars().count())
            .or_default()
            .push((k, *count, *e, usual));
    }
    for list in by_len.values_mut() {
        list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    }

    // How often each rare word occurs: a spelling used three times is deliberate.
    let rare_count = spellings(blocks, |b| &b.rare);
    let glossary_index = KnownIndex::build(
        glossary
            .matcher
            .texts()
            .filter(|(_, p)| p.tokens == 1 && p.role != Role::Avoid)
            .map(|(t, p)| (t.trim_end(), Owner::Glossary(p.entry))),
    );
    for block in blocks {
        for &k in &block.rare {
            let k = k as usize;
            let word = block.tokens.key(k);
            if rare_count.get(word).copied().unwrap_or(0) > 2 {
                continue;
            }
            let whole = block.span(k, k);
            if doc.mention_at(whole.start).is_some() {
                continue;
            }
            'readings: for (strip, span_from) in readings(word) {
                let w = &loose_key(&word[strip..]);
                let n = w.chars().count();
                // The article's frequent names first, then glossary and gazetteer names.
                for len in n.saturating_sub(2)..=n + 2 {
                    for (form, count, e, usual) in by_len.get(&len).into_iter().flatten() {
                        if *count <= rare_count.get(word).copied().unwrap_or(0) || !close(w, form) {
                            continue;
                        }
                        if is_nisba_of(w, &doc.entities[*e].entity) {
                            continue;
                        }
                        if in_other_name(block, k, &doc.entities[*e].name) {
                            continue;
                        }
                        let span = block.span_from(k, span_from);
                        out.push(Finding {
                            span,
                            kind: FindingKind::Misspelling,
                            written: block.original_text(span),
                            suggestion: usual.clone(),
                            entity: Some(*e),
                        });
                        break 'readings;
                    }
                }
                // Written beside the rest of a known full name (`Vladimir Puttin`), that
                // name; otherwise the known name closest to the word.
                let known = known_with(&run_neighbours(block, k), w, glossary)
                    .or_else(|| closest_known(w, &glossary_index));
                if let Some(r) = known {
                    if is_nisba_of(w, &r) {
                        continue;
                    }
                    let span = block.span_from(k, span_from);
                    let written = block.original_text(span);
                    let Some(entry) = entry_of(&r, glossary) else {
                        continue;
                    };
                    let names = format!(
                        "{} {}",
                        entry.en.as_deref().unwrap_or(""),
                        entry.ar.as_deref().unwrap_or("")
                    );
                    if in_other_name(block, k, &names) {
                        continue;
                    }
                    out.push(known_misspelling(doc, span, written, entry, r));
                    break;
                }
            }
        }
    }
    out.extend(misspelt_in_names(blocks, doc, glossary, &glossary_index));
    out.sort_by_key(|f| (f.span.start, f.span.end));
    out.dedup_by_key(|f| f.span);
    out
}

/// The known name (the glossary's, then the gazetteer's) closest to the word `w`, if any
/// is close.
fn closest_known(w: &str, glossary_index: &KnownIndex) -> Option<EntityRef> {
    match glossary_index
        .find(w)
        .or_else(|| gazetteer_index().find(w))?
    {
        Owner::Gazetteer(id) => Some(EntityRef::Gazetteer(id)),
        Owner::Glossary(id) => Some(EntityRef::Glossary(id)),
    }
}

/// The finding for `written` at `span`, a misspelling of the known name `r` (`entry`).
fn known_misspelling(
    doc: &DocumentEntities,
    span: Span,
    written: String,
    entry: &Entry,
    r: EntityRef,
) -> Finding {
    Finding {
        span,
        kind: FindingKind::Misspelling,
        suggestion: usual_spelling(entry, &written),
        written,
        entity: doc.entities.iter().position(|d| d.entity == r),
    }
}

/// How often each word `tokens` picks out of the blocks is written so.
fn spellings<'b>(
    blocks: &[&'b BlockEntities],
    tokens: impl Fn(&'b BlockEntities) -> &'b [u32],
) -> HashMap<&'b str, usize> {
    let mut count: HashMap<&str, usize> = HashMap::new();
    for &block in blocks {
        for &k in tokens(block) {
            *count.entry(block.tokens.key(k as usize)).or_default() += 1;
        }
    }
    count
}

/// The ways to read a word: whole, then without each proclitic it may carry (`و`, `ب`;
/// not the article): how much is stripped, and where the name's span then starts.
fn readings(word: &str) -> impl Iterator<Item = (usize, usize)> {
    std::iter::once((0, 0)).chain(
        proclitics(word)
            .into_iter()
            .filter(|r| !r.article)
            .map(|r| (r.strip, r.span_from)),
    )
}

/// Words misspelt inside a full name: `Dmitry Peksov`, `فلاديمير بوتيم`. Stage 1 takes the
/// run for a person it does not know, so the word is no rare word of its own. It is a
/// misspelling when the name is one the article introduces (no known one), the word is
/// close to a known name (as [`findings`] compares them), and every other word of the name
/// is a word of that known name: the rest of the name says who is meant. `Aoife Brennan`
/// beside the known `Brendan Hughes` keeps nothing of it, and is someone else.
fn misspelt_in_names(
    blocks: &[&BlockEntities],
    doc: &DocumentEntities,
    glossary: &Glossary,
    glossary_index: &KnownIndex,
) -> Vec<Finding> {
    let mut out = Vec::new();
    // A spelling used three times is deliberate.
    let count = spellings(blocks, |b| &b.rare_in_names);
    let name_key = |w: &str| loose_key(&key(w));
    for block in blocks {
        for &k in &block.rare_in_names {
            let k = k as usize;
            let word = block.tokens.key(k);
            if count.get(word).copied().unwrap_or(0) > 2 {
                continue;
            }
            let whole = block.span(k, k);
            let Some(m) = doc.mention_at(whole.start) else {
                continue;
            };
            let MentionTarget::Entity(e) = m.target else {
                continue;
            };
            if !matches!(doc.entities[e].entity, EntityRef::Local(_)) {
                continue;
            }
            let written = block.original_text(whole);
            let others: Vec<String> = m
                .written
                .split_whitespace()
                .filter(|w| *w != written)
                .map(name_key)
                .collect();
            for (strip, span_from) in readings(word) {
                let w = loose_key(&word[strip..]);
                // With the rest of a name written, the known names that hold all of it,
                // and of those the first with a word close to this one; alone, the
                // known name closest to it.
                let known = if others.is_empty() {
                    closest_known(&w, glossary_index)
                } else {
                    known_with(&others, &w, glossary)
                };
                let Some(r) = known else {
                    continue;
                };
                let Some(entry) = entry_of(&r, glossary) else {
                    continue;
                };
                if is_nisba_of(&w, &r) {
                    continue;
                }
                let span = block.span_from(k, span_from);
                let written = block.original_text(span);
                out.push(known_misspelling(doc, span, written, entry, r));
                break;
            }
        }
    }
    out
}

/// Whether `w` is an adjective of the country `r` (`روسي` of `روسيا`), not a typo of it.
fn is_nisba_of(w: &str, r: &EntityRef) -> bool {
    match r {
        EntityRef::Gazetteer(id) => gazetteer().nisba_of(w) == Some(*id),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closeness_follows_entities_md() {
        assert!(close(&key("ألكاسا"), &key("ألاسكا")));
        assert!(close("jansne", "jansen"));
        assert!(close(&key("غوتيرش"), &key("غوتيريش")));
        assert!(!close(&key("ترامب"), &key("ترامب")));
        assert!(!close("bonn", "berlin"));
        assert!(!close(&key("قمه"), &key("قيمه")), "too short to judge");
    }

    #[test]
    fn known_names_are_found_by_deletion_and_anagram() {
        let idx = gazetteer_index();
        let name = |w: &str| {
            idx.find(&key(w)).and_then(|o| match o {
                Owner::Gazetteer(id) => gazetteer().entry(id).en.as_deref(),
                Owner::Glossary(_) => None,
            })
        };
        assert_eq!(name("ألكاسا"), Some("Alaska"));
        assert_eq!(name("نتنياهوو"), Some("Benjamin Netanyahu"));
        assert_eq!(name("القيادة"), None);
    }
}
