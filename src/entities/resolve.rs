//! Stage 2, per document: from the blocks' candidates to entities and their mentions.
//!
//! Owns: the newsroom glossary's matches (they win over the gazetteer), evidence for weak
//! candidates, the article's own alias table (a person introduced in full registers the
//! surname, or particle + surname; `عبد X`, `أبو X`, `بن X`, `آل X` stay whole), linking of
//! later single-token mentions, ambiguity of shared surnames, each entity's introduction,
//! and the spelling findings ([`super::spelling`]).
//!
//! Invariants: mentions are sorted by span and never overlap; a mention's span excludes
//! proclitics; a surname shared by two people in the article is [`MentionTarget::Ambiguous`],
//! never guessed; work is linear in the number of tokens (hash lookups per token).

use std::collections::HashMap;

use super::arabic::proclitics;
use super::gazetteer::{Entry, EntryId, Role, CONNECTORS};
use super::glossary::Glossary;
use super::recognise::{match_at, BlockEntities, Target};
use super::tokens::Caps;
use super::{spelling, Kind};
use crate::text::Span;

/// Which entity a mention names.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum EntityRef {
    Gazetteer(EntryId),
    Glossary(EntryId),
    /// A name this article introduces: its matching key.
    Local(String),
}

/// One entity of the document.
#[derive(Clone, Debug)]
pub struct DocEntity {
    pub entity: EntityRef,
    pub kind: Kind,
    /// The name as the article first writes it in full.
    pub name: String,
    /// How the article introduces it: its first mention with a title, else its first full
    /// mention (span and text).
    pub introduction: Option<(Span, String)>,
    /// Indices into [`DocumentEntities::mentions`], in text order.
    pub mentions: Vec<usize>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MentionTarget {
    /// Index into [`DocumentEntities::entities`].
    Entity(usize),
    /// A surname two or more of the article's people share.
    Ambiguous(Vec<usize>),
}

#[derive(Clone, Debug)]
pub struct Mention {
    /// The name as written, without proclitics.
    pub span: Span,
    pub written: String,
    pub target: MentionTarget,
    pub kind: Kind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FindingKind {
    /// A likely typo in a name; `suggestion` is the usual spelling.
    Misspelling,
    /// An accepted variant where the house style prefers another spelling.
    HouseStyle,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub span: Span,
    pub kind: FindingKind,
    pub written: String,
    pub suggestion: String,
    /// The entity the name belongs to, when it is one of the document's.
    pub entity: Option<usize>,
}

/// Everything stage 2 knows about a document's entities.
#[derive(Clone, Debug, Default)]
pub struct DocumentEntities {
    pub entities: Vec<DocEntity>,
    pub mentions: Vec<Mention>,
    /// Arabic adjectives relating to a country (`الروسية`): not mentions of a person.
    pub nisba: Vec<(Span, EntryId)>,
    pub findings: Vec<Finding>,
}

impl DocumentEntities {
    /// The mention whose span contains `offset`.
    pub fn mention_at(&self, offset: usize) -> Option<&Mention> {
        let i = self.mentions.partition_point(|m| m.span.end <= offset);
        self.mentions.get(i).filter(|m| m.span.contains(offset))
    }
}

/// A candidate on its way to a mention.
struct Cand {
    span: Span,
    written: String,
    entity: EntityRef,
    kind: Kind,
    intro: Option<Span>,
    weak: bool,
    full: bool,
    role: Option<Role>,
    block: usize,
    tokens: (u32, u32),
}

/// Particles that belong to the surname they precede (never split from it).
const PARTICLES: &[&str] = &[
    "عبد", "ابو", "بن", "ابن", "ال", "بنت", "ولد", "bin", "ibn", "abu", "abd", "al", "el", "von",
    "van", "de", "der", "den", "da", "di", "du", "le", "la", "dos", "das",
];

/// Stage 2: the document's entities from its blocks' candidates, in document order.
pub fn resolve<'a>(
    blocks: impl Iterator<Item = &'a BlockEntities>,
    glossary: &Glossary,
) -> DocumentEntities {
    let blocks: Vec<&BlockEntities> = blocks.collect();
    let mut cands: Vec<Cand> = Vec::new();
    let mut nisba = Vec::new();
    for (b, block) in blocks.iter().enumerate() {
        let glossed = glossary_matches(block, b, glossary);
        // Tokens a glossary name covers: the gazetteer's candidates there give way.
        let mut glossary_tokens = vec![false; block.tokens.tokens.len()];
        for c in &glossed {
            glossary_tokens[c.tokens.0 as usize..=c.tokens.1 as usize].fill(true);
        }
        for c in &block.candidates {
            if glossary_tokens[c.tokens.0 as usize..=c.tokens.1 as usize].contains(&true) {
                continue;
            }
            let entity = match &c.target {
                Target::Known(id) => EntityRef::Gazetteer(*id),
                Target::Local { key, .. } => EntityRef::Local(key.clone()),
            };
            cands.push(Cand {
                span: c.span,
                written: block.original_text(c.span),
                entity,
                kind: c.kind,
                intro: c.intro,
                weak: c.weak,
                full: c.full,
                role: c.role,
                block: b,
                tokens: c.tokens,
            });
        }
        cands.extend(glossed);
        nisba.extend(block.nisba.iter().copied());
    }
    cands.sort_by_key(|c| (c.span.start, c.span.end));

    // A weak candidate (spelt like an everyday word) counts only if the same entity is
    // named with evidence somewhere in the article.
    let strong: std::collections::HashSet<EntityRef> = cands
        .iter()
        .filter(|c| !c.weak)
        .map(|c| c.entity.clone())
        .collect();
    cands.retain(|c| !c.weak || strong.contains(&c.entity));

    // The article's aliases: surname (or particle + surname) → people introduced in full.
    let mut aliases: HashMap<String, Vec<EntityRef>> = HashMap::new();
    for c in cands.iter().filter(|c| c.full && c.kind == Kind::Person) {
        let block = blocks[c.block];
        if let Some(alias) = surname_alias(block, c.tokens.0 as usize, c.tokens.1 as usize) {
            let list = aliases.entry(alias).or_default();
            if !list.contains(&c.entity) {
                list.push(c.entity.clone());
            }
        }
    }
    // A single-token local person (President Jansen) is the person whose surname it is.
    for c in cands
        .iter_mut()
        .filter(|c| !c.full && c.kind == Kind::Person)
    {
        if let EntityRef::Local(key) = &c.entity {
            if let Some([one]) = aliases.get(key.as_str()).map(Vec::as_slice) {
                c.entity = one.clone();
            }
        }
    }

    let mut doc = DocumentEntities {
        nisba,
        ..Default::default()
    };
    let mut index: HashMap<EntityRef, usize> = HashMap::new();
    // Whether an entity's introduction so far carries a title.
    let mut titled: Vec<bool> = Vec::new();
    let mut ambiguous: Vec<(Span, String, Vec<EntityRef>)> = Vec::new();
    // Later single-token mentions of an article's people, found among the tokens no
    // candidate covers.
    let mut surname_mentions: Vec<Cand> = Vec::new();
    if !aliases.is_empty() {
        // The first word of every alias: a token that is none of them starts no mention,
        // and most tokens are none of them (no alias string is built for them).
        let first_words: std::collections::HashSet<&str> = aliases
            .keys()
            .map(|a| a.split(' ').next().unwrap_or(a))
            .collect();
        let mut taken: Vec<Vec<bool>> = blocks
            .iter()
            .map(|b| vec![false; b.tokens.tokens.len()])
            .collect();
        for c in &cands {
            taken[c.block][c.tokens.0 as usize..=c.tokens.1 as usize].fill(true);
        }
        for (b, block) in blocks.iter().enumerate() {
            let taken = &mut taken[b];
            let n = block.tokens.tokens.len();
            for i in 0..n {
                let t = &block.tokens.tokens[i];
                if !t.arabic && t.caps == Caps::Lower {
                    continue;
                }
                let key = block.tokens.key(i);
                let readings = std::iter::once(0).chain(
                    proclitics(key)
                        .into_iter()
                        .filter(|r| !r.article)
                        .map(|r| r.strip),
                );
                'readings: for strip in readings {
                    let head = &key[strip..];
                    if !first_words.contains(head) && !head.contains(' ') {
                        continue;
                    }
                    // Particle + surname may span up to three tokens (von der Leyen).
                    let mut alias = head.to_string();
                    let mut found = None;
                    for j in i..n.min(i + 3) {
                        if j > i {
                            if block.tokens.tokens[j].after_barrier {
                                break;
                            }
                            alias.push(' ');
                            alias.push_str(block.tokens.key(j));
                        }
                        if let Some(people) = aliases.get(&alias) {
                            found = Some((j, people));
                        }
                    }
                    let Some((j, people)) = found else { continue };
                    let span = Span::new(block.span_from(i, strip).start, block.span(j, j).end);
                    if taken[i..=j].contains(&true) {
                        break 'readings;
                    }
                    let written = block.original_text(span);
                    taken[i..=j].fill(true);
                    match people.as_slice() {
                        [one] => surname_mentions.push(Cand {
                            span,
                            written,
                            entity: one.clone(),
                            kind: Kind::Person,
                            intro: None,
                            weak: false,
                            full: false,
                            role: None,
                            block: b,
                            tokens: (i as u32, j as u32),
                        }),
                        many => ambiguous.push((span, written, many.to_vec())),
                    }
                    break;
                }
            }
        }
    }
    cands.extend(surname_mentions);
    cands.sort_by_key(|c| (c.span.start, c.span.end));

    for c in &cands {
        let e = *index.entry(c.entity.clone()).or_insert_with(|| {
            doc.entities.push(DocEntity {
                entity: c.entity.clone(),
                kind: c.kind,
                name: c.written.clone(),
                introduction: None,
                mentions: Vec::new(),
            });
            titled.push(false);
            doc.entities.len() - 1
        });
        let entity = &mut doc.entities[e];
        if c.full && !entity.name.contains(' ') {
            entity.name = c.written.clone();
        }
        // The introduction is the first mention with a title, else the first full one.
        if !titled[e] {
            if let Some(intro) = c
                .intro
                .or((entity.introduction.is_none() && c.full).then_some(c.span))
            {
                entity.introduction = Some((intro, blocks[c.block].original_text(intro)));
                titled[e] = c.intro.is_some();
            }
        }
        entity.mentions.push(doc.mentions.len());
        doc.mentions.push(Mention {
            span: c.span,
            written: c.written.clone(),
            target: MentionTarget::Entity(e),
            kind: c.kind,
        });
    }
    for (span, written, people) in ambiguous {
        let targets: Vec<usize> = people
            .iter()
            .filter_map(|p| index.get(p).copied())
            .collect();
        doc.mentions.push(Mention {
            span,
            written,
            target: MentionTarget::Ambiguous(targets),
            kind: Kind::Person,
        });
    }
    doc.mentions.sort_by_key(|m| (m.span.start, m.span.end));
    for e in &mut doc.entities {
        e.mentions.clear();
    }
    for (i, m) in doc.mentions.iter().enumerate() {
        if let MentionTarget::Entity(e) = m.target {
            doc.entities[e].mentions.push(i);
        }
    }
    let roles: Vec<(Span, Option<Role>, Option<usize>)> = cands
        .iter()
        .map(|c| (c.span, c.role, index.get(&c.entity).copied()))
        .collect();
    doc.findings = spelling::findings(&blocks, &doc, &roles, glossary);
    doc
}

/// The alias a full name `i..=j` registers: its last token, with the particles before it.
fn surname_alias(block: &BlockEntities, i: usize, j: usize) -> Option<String> {
    if j <= i {
        return None;
    }
    let mut from = j;
    while from > i + 1 && PARTICLES.contains(&block.tokens.key(from - 1)) {
        from -= 1;
    }
    let alias: Vec<&str> = (from..=j).map(|k| block.tokens.key(k)).collect();
    let alias = alias.join(" ");
    // A surname of one or two letters (Xi, Li) is too short to find reliably alone.
    (alias.chars().count() >= 3 && !CONNECTORS.contains(&alias.as_str())).then_some(alias)
}

/// The glossary's matches in one block (they override the gazetteer's candidates).
fn glossary_matches(block: &BlockEntities, b: usize, glossary: &Glossary) -> Vec<Cand> {
    let mut out = Vec::new();
    if glossary.entries.is_empty() {
        return out;
    }
    let n = block.tokens.tokens.len();
    let mut i = 0;
    while i < n {
        let Some((p, j, r)) = match_at(&glossary.matcher, block, i) else {
            i += 1;
            continue;
        };
        let e: &Entry = &glossary.entries[p.entry.0 as usize];
        let span = Span::new(block.span_from(i, r.span_from).start, block.span(j, j).end);
        out.push(Cand {
            span,
            written: block.original_text(span),
            entity: EntityRef::Glossary(p.entry),
            kind: e.kind,
            intro: None,
            weak: false,
            full: e.kind == Kind::Person && p.tokens >= 2,
            role: Some(p.role),
            block: b,
            tokens: (i as u32, j as u32),
        });
        i = j + 1;
    }
    out
}
