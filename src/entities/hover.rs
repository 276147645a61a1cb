//! What a hover over a name shows, as plain data (the protocol edge renders it).
//!
//! Owns: the choice of what to say about a mention — the name as written, the canonical
//! spelling and its counterpart in the other language, the kind in plain words, the
//! description with its as-of date and source, how the article introduces the entity,
//! and where else the article mentions it.

use super::arabic::{is_arabic, key};
use super::gazetteer::gazetteer;
use super::glossary::Glossary;
use super::resolve::{DocumentEntities, EntityRef, MentionTarget};
use crate::text::Span;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hover {
    /// The mention's range (without proclitics).
    pub span: Span,
    /// The name as written here.
    pub written: String,
    /// The canonical spelling in the script of the mention.
    pub canonical: String,
    /// The name in the other language, when known.
    pub counterpart: Option<String>,
    /// "person", "place (country)", "organisation (news agency)".
    pub kind: &'static str,
    /// The description in the mention's language (the other one if it has none).
    pub description: Option<String>,
    /// When the description was last true, for facts that change (an office): `2025-08`.
    pub as_of: Option<String>,
    /// Where the facts come from, when the licence asks to say so.
    pub source: Option<&'static str>,
    /// How the article introduces the entity ("الرئيس الروسي فلاديمير بوتين").
    pub introduction: Option<String>,
    /// All mentions of the entity: how many, and on which lines (as `line_of` counts).
    pub mentions: usize,
    pub lines: Vec<usize>,
    /// For a surname several people share: their names; nothing else is filled in.
    pub ambiguous: Vec<String>,
}

/// The hover at `offset`, if a mention is there. `line_of` turns an offset into a line.
pub fn hover(
    doc: &DocumentEntities,
    glossary: &Glossary,
    offset: usize,
    line_of: impl Fn(usize) -> usize,
) -> Option<Hover> {
    let m = doc.mention_at(offset)?;
    let arabic = is_arabic(&key(&m.written));
    let e = match &m.target {
        MentionTarget::Entity(e) => *e,
        MentionTarget::Ambiguous(people) => {
            return Some(Hover {
                span: m.span,
                written: m.written.clone(),
                canonical: m.written.clone(),
                counterpart: None,
                kind: m.kind.describe(),
                description: None,
                as_of: None,
                source: None,
                introduction: None,
                mentions: 0,
                lines: Vec::new(),
                ambiguous: people
                    .iter()
                    .map(|&p| doc.entities[p].name.clone())
                    .collect(),
            })
        }
    };
    let entity = &doc.entities[e];
    let entry = match &entity.entity {
        EntityRef::Gazetteer(id) => Some(gazetteer().entry(*id)),
        EntityRef::Glossary(id) => glossary.entries().get(id.0 as usize),
        EntityRef::Local(_) => None,
    };
    let (canonical, counterpart, description, as_of, source) = match entry {
        Some(entry) => {
            let other = if arabic { &entry.en } else { &entry.ar };
            let about = if arabic {
                entry.about_ar.as_ref().or(entry.about_en.as_ref())
            } else {
                entry.about_en.as_ref().or(entry.about_ar.as_ref())
            };
            let description = about.map(|a| a.to_string());
            let source = matches!(
                entry.source,
                super::gazetteer::Source::Cldr | super::gazetteer::Source::GeoNames
            )
            .then(|| entry.source.name());
            (
                entry.name(arabic).to_string(),
                other.as_deref().map(String::from),
                description,
                entry.as_of.as_deref().map(String::from),
                source,
            )
        }
        None => (entity.name.clone(), None, None, None, None),
    };
    let mut lines: Vec<usize> = entity
        .mentions
        .iter()
        .map(|&i| line_of(doc.mentions[i].span.start))
        .collect();
    lines.dedup();
    Some(Hover {
        span: m.span,
        written: m.written.clone(),
        canonical,
        counterpart,
        kind: entity.kind.describe(),
        description,
        as_of,
        source,
        introduction: entity.introduction.as_ref().map(|(_, t)| t.clone()),
        mentions: entity.mentions.len(),
        lines,
        ambiguous: Vec::new(),
    })
}
