//! Editor features on named entities, from a document's entity index: the hover text, every
//! mention of an entity (references, highlights), rename, names coloured by kind
//! (semantic tokens), the entities of open documents (workspace symbols) and a name spelt
//! differently in two open articles. Plain data and byte offsets; the server converts.

use crate::entities::arabic::{is_arabic, key};
use crate::entities::{
    hover, Class, DocumentEntities, EntityRef, Glossary, Hover, Kind, MentionTarget,
};
use crate::text::{Edit, Span};

/// The hover at `offset` as Markdown, with the mention's span. `line_of` gives 0-based
/// lines; the text shows them 1-based, as editors do.
pub fn hover_markdown(
    doc: &DocumentEntities,
    glossary: &Glossary,
    offset: usize,
    line_of: impl Fn(usize) -> usize,
) -> Option<(Span, String)> {
    match hover(doc, glossary, offset, line_of) {
        Some(h) => Some((h.span, render(&h))),
        None => misspelling_at(doc, offset),
    }
}

/// A word taken for a misspelt name: what it probably should be.
fn misspelling_at(doc: &DocumentEntities, offset: usize) -> Option<(Span, String)> {
    let f = doc
        .findings
        .iter()
        .find(|f| f.kind == crate::entities::FindingKind::Misspelling && f.span.contains(offset))?;
    let mut out = format!(
        "**{}** — not a known name: probably a misspelling of **{}**",
        f.written, f.suggestion
    );
    if let Some(e) = f.entity.and_then(|e| doc.entities.get(e)) {
        out.push_str(&format!(", a {}", e.kind.describe()));
    }
    out.push('\n');
    Some((f.span, out))
}

fn render(h: &Hover) -> String {
    let mut out = String::new();
    if !h.ambiguous.is_empty() {
        out.push_str(&format!(
            "**{}** — {}, ambiguous: the article names {}\n",
            h.written,
            h.kind,
            h.ambiguous
                .iter()
                .map(|n| format!("**{n}**"))
                .collect::<Vec<_>>()
                .join(" and ")
        ));
        return out;
    }
    out.push_str(&format!("**{}** — {}", h.canonical, h.kind));
    if let Some(c) = &h.counterpart {
        out.push_str(&format!(" · {c}"));
    }
    out.push('\n');
    if h.written != h.canonical {
        out.push_str(&format!("\nWritten here: {}\n", h.written));
    }
    if let Some(d) = &h.description {
        match &h.as_of {
            Some(when) => out.push_str(&format!("\n{d} (as of {when})\n")),
            None => out.push_str(&format!("\n{d}\n")),
        }
    }
    if let Some(intro) = &h.introduction {
        out.push_str(&format!("\nIntroduced as: “{intro}”\n"));
    }
    if h.mentions > 0 {
        let lines: Vec<String> = h.lines.iter().map(|l| (l + 1).to_string()).collect();
        let times = if h.mentions == 1 {
            "once".to_string()
        } else {
            format!("{} times", h.mentions)
        };
        out.push_str(&format!(
            "\nMentioned {times}, on line{} {}\n",
            if lines.len() == 1 { "" } else { "s" },
            lines.join(", ")
        ));
    }
    if let Some(source) = h.source {
        out.push_str(&format!("\n*Source: {source}*\n"));
    }
    out
}

/// The entity a mention at `offset` names, when it names one entity.
fn entity_at(doc: &DocumentEntities, offset: usize) -> Option<usize> {
    match doc.mention_at(offset)?.target {
        MentionTarget::Entity(e) => Some(e),
        MentionTarget::Ambiguous(_) => None,
    }
}

/// Every mention of the entity named at `offset` (in all its spellings and proclitic
/// forms; spans without the proclitics), in text order.
pub fn references(doc: &DocumentEntities, offset: usize) -> Option<Vec<Span>> {
    let e = entity_at(doc, offset)?;
    Some(
        doc.entities[e]
            .mentions
            .iter()
            .map(|&i| doc.mentions[i].span)
            .collect(),
    )
}

/// The span a rename at `offset` would change, with the name as written there.
pub fn prepare_rename(doc: &DocumentEntities, offset: usize) -> Option<(Span, String)> {
    entity_at(doc, offset)?;
    let m = doc.mention_at(offset)?;
    Some((m.span, m.written.clone()))
}

/// Edits that rename the entity named at `offset` to `new_name` everywhere it is mentioned.
/// A mention written in full becomes `new_name`; a shorter one (a surname) takes as many of
/// the new name's last words as it had words. Proclitics stay: spans leave them out.
///
/// The new name replaces the words of the mention under the cursor, and the same last
/// words of every other mention: renaming `ترامب` to `ترمب` on a surname mention turns
/// `دونالد ترامب` into `دونالد ترمب`; renaming the full name changes full mentions whole
/// and surnames to the new name's last words.
pub fn rename(doc: &DocumentEntities, offset: usize, new_name: &str) -> Option<Vec<Edit>> {
    let e = entity_at(doc, offset)?;
    let new_words: Vec<&str> = new_name.split_whitespace().collect();
    if new_words.is_empty() {
        return None;
    }
    let at = doc.mention_at(offset)?;
    let renamed = at.written.split_whitespace().count().max(1);
    let full = doc.entities[e].name.split_whitespace().count().max(1);
    Some(
        doc.entities[e]
            .mentions
            .iter()
            .map(|&i| {
                let m = &doc.mentions[i];
                let starts = word_starts(&m.written);
                let n = starts.len();
                if renamed < full && n > renamed && m.written.len() == m.span.len() {
                    // Keep the words before the renamed ones, as written.
                    let from = m.span.start + starts[n - renamed];
                    Edit::new(Span::new(from, m.span.end), new_name.to_string())
                } else if n >= renamed || n >= new_words.len() {
                    Edit::new(m.span, new_name.to_string())
                } else {
                    Edit::new(m.span, new_words[new_words.len() - n..].join(" "))
                }
            })
            .collect(),
    )
}

/// The byte offsets where the words of `s` start.
fn word_starts(s: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut in_word = false;
    for (i, c) in s.char_indices() {
        if c.is_whitespace() {
            in_word = false;
        } else if !in_word {
            in_word = true;
            out.push(i);
        }
    }
    out
}

/// What a coloured name is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NameToken {
    pub span: Span,
    pub kind: Kind,
    /// The mention that introduces the entity (its first full mention).
    pub introduction: bool,
}

/// The names to colour in `range` (the whole document when `None`), in text order.
pub fn tokens(doc: &DocumentEntities, range: Option<Span>) -> Vec<NameToken> {
    // The introduction is a phrase ("الرئيس الروسي فلاديمير بوتين"): its mention is the
    // one inside it.
    let intros: Vec<Option<Span>> = doc
        .entities
        .iter()
        .map(|d| d.introduction.as_ref().map(|(s, _)| *s))
        .collect();
    doc.mentions
        .iter()
        .filter(|m| range.is_none_or(|r| m.span.start < r.end && r.start < m.span.end))
        .map(|m| NameToken {
            span: m.span,
            kind: m.kind,
            introduction: match m.target {
                MentionTarget::Entity(e) => {
                    intros[e].is_some_and(|s| s.start <= m.span.start && m.span.end <= s.end)
                }
                MentionTarget::Ambiguous(_) => false,
            },
        })
        .collect()
}

/// An entity of an open document, for workspace symbols.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamedEntity {
    pub name: String,
    pub kind: Kind,
    /// Where the article introduces it (its first full mention).
    pub at: Span,
}

/// The entities of a document whose name (as written, canonical, or in the other language)
/// contains `query` (any case; empty: all).
pub fn entities_matching(
    doc: &DocumentEntities,
    glossary: &Glossary,
    query: &str,
) -> Vec<NamedEntity> {
    let q = query.to_lowercase();
    let qk = key(query);
    doc.entities
        .iter()
        .filter_map(|d| {
            let first = d.mentions.first().map(|&i| doc.mentions[i].span)?;
            let at = d.introduction.as_ref().map_or(first, |(s, _)| *s);
            let mut names = vec![d.name.clone()];
            let entry = match &d.entity {
                EntityRef::Gazetteer(id) => Some(crate::entities::gazetteer().entry(*id)),
                EntityRef::Glossary(id) => glossary.entries().get(id.0 as usize),
                EntityRef::Local(_) => None,
            };
            if let Some(e) = entry {
                names.extend(e.en.as_deref().map(String::from));
                names.extend(e.ar.as_deref().map(String::from));
            }
            let hit = q.is_empty()
                || names.iter().any(|n| {
                    n.to_lowercase().contains(&q) || (!qk.is_empty() && key(n).contains(&qk))
                });
            hit.then(|| NamedEntity {
                name: d.name.clone(),
                kind: d.kind,
                at,
            })
        })
        .collect()
}

/// How one open document spells its entities: per gazetteer or glossary entity, the
/// spelling of each script used most, and where it is first used.
#[derive(Clone, Debug, Default)]
pub struct Spellings {
    entries: Vec<(EntityRef, bool, String, Span)>,
}

/// The spellings of a document's known entities (local names are the article's own).
impl Spellings {
    /// The same names spelt the same ways (where they are used aside).
    pub fn same_names(&self, other: &Spellings) -> bool {
        self.entries.len() == other.entries.len()
            && self
                .entries
                .iter()
                .zip(&other.entries)
                .all(|(a, b)| a.0 == b.0 && a.1 == b.1 && a.2 == b.2)
    }
}

pub fn spellings(doc: &DocumentEntities) -> Spellings {
    let mut out = Spellings::default();
    // The key of each written form, computed once: the same forms recur.
    let mut keys: std::collections::HashMap<&str, String> = std::collections::HashMap::new();
    for d in &doc.entities {
        if matches!(d.entity, EntityRef::Local(_)) {
            continue;
        }
        for arabic in [true, false] {
            // The most used full form of this script.
            let mut forms: Vec<(String, usize, Span)> = Vec::new();
            for &i in &d.mentions {
                let m = &doc.mentions[i];
                if is_arabic(&m.written) != arabic
                    || m.written.split_whitespace().count() < d.name.split_whitespace().count()
                {
                    continue;
                }
                let k = keys
                    .entry(m.written.as_str())
                    .or_insert_with(|| key(&m.written))
                    .clone();
                match forms.iter_mut().find(|f| f.0 == k) {
                    Some(f) => f.1 += 1,
                    None => forms.push((k, 1, m.span)),
                }
            }
            if let Some((k, _, at)) = forms.into_iter().max_by_key(|f| f.1) {
                out.entries.push((d.entity.clone(), arabic, k, at));
            }
        }
    }
    out
}

/// A name spelt here otherwise than in another open article.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OtherSpelling {
    /// The first mention of the name in this spelling here.
    pub span: Span,
    pub here: String,
    pub there: String,
    /// Which article spells it `there`, and where (its index in `others`, and the span).
    pub other: usize,
    pub at: Span,
}

/// The names this document spells otherwise than the other open documents do. One finding
/// per name and document it disagrees with.
pub fn other_spellings(
    doc: &DocumentEntities,
    here: &Spellings,
    others: &[&Spellings],
) -> Vec<OtherSpelling> {
    let mut out = Vec::new();
    for (entity, arabic, k, span) in &here.entries {
        for (oi, other) in others.iter().enumerate() {
            let Some((_, _, ok, at)) = other
                .entries
                .iter()
                .find(|(e, a, _, _)| e == entity && a == arabic)
            else {
                continue;
            };
            if ok != k {
                let written = doc
                    .mention_at(span.start)
                    .map(|m| m.written.clone())
                    .unwrap_or_default();
                out.push(OtherSpelling {
                    span: *span,
                    here: written,
                    there: ok.clone(),
                    other: oi,
                    at: *at,
                });
            }
        }
    }
    out
}

/// The coarse class of a kind (for token types and symbol kinds).
pub fn class(kind: Kind) -> Class {
    kind.class()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::entities::index;
    use crate::article::{Article, Format};
    use ropey::Rope;

    fn doc(text: &str, format: Format) -> DocumentEntities {
        index(
            &Article::parse_str(text, format),
            &Rope::from_str(text),
            &Glossary::empty(),
        )
    }

    #[test]
    fn hover_on_the_reference_article() {
        let text = include_str!("../../examples/alaska-summit-ar.txt");
        let d = doc(text, Format::PlainText);
        let at = text.find("وترامب").unwrap() + "و".len();
        let (span, md) = hover_markdown(&d, &Glossary::empty(), at, |o| {
            text[..o].matches('\n').count()
        })
        .unwrap();
        assert_eq!(
            &text[span.range()],
            "ترامب",
            "the proclitic is not part of the range"
        );
        assert!(md.contains("person"), "{md}");
        assert!(md.contains("Donald Trump"), "{md}");
        assert!(md.contains("Mentioned"), "{md}");
        // A word that is not a name has no hover.
        let leadership = text.find("القيادة").unwrap();
        assert!(hover_markdown(&d, &Glossary::empty(), leadership + 2, |_| 0).is_none());
    }

    #[test]
    fn references_and_rename_keep_proclitics() {
        let text = "قال الرئيس الروسي فلاديمير بوتين إن القمة مفيدة.\n\nوأكد بوتين أن الحوار سيستمر، وقال لبوتين مستشاره إن الوقت مناسب.\n";
        let d = doc(text, Format::PlainText);
        let at = text.find("بوتين").unwrap();
        let refs = references(&d, at).unwrap();
        assert!(refs.len() >= 2, "{refs:?}");
        for r in &refs {
            assert!(text[r.range()].ends_with("بوتين"), "{:?}", &text[r.range()]);
        }
        let edits = rename(&d, at, "فلاديمير بوتن").unwrap();
        let renamed = crate::text::apply_edits(text, &edits);
        assert!(renamed.contains("فلاديمير بوتن إن"), "{renamed}");
        assert!(renamed.contains("وأكد بوتن"), "{renamed}");
    }

    #[test]
    fn tokens_colour_names_by_kind() {
        let text = "President Vladimir Putin met Donald Trump in Anchorage, Alaska, on Friday, Reuters reported.\n";
        let d = doc(text, Format::PlainText);
        let got: Vec<(&str, Class)> = tokens(&d, None)
            .iter()
            .map(|t| (&text[t.span.range()], t.kind.class()))
            .collect();
        assert!(got.contains(&("Anchorage", Class::Place)), "{got:?}");
        assert!(
            got.iter()
                .any(|(n, c)| n.contains("Putin") && *c == Class::Person),
            "{got:?}"
        );
        assert!(got.contains(&("Reuters", Class::Organisation)), "{got:?}");
    }

    #[test]
    fn a_name_spelt_otherwise_in_another_article() {
        let a = doc(
            "قال الرئيس الأمريكي دونالد ترامب إن القمة مفيدة.\n",
            Format::PlainText,
        );
        let b = doc(
            "قال الرئيس الأمريكي دونالد ترمب إن القمة مفيدة.\n",
            Format::PlainText,
        );
        let (sa, sb) = (spellings(&a), spellings(&b));
        let found = other_spellings(&a, &sa, &[&sb]);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].here.contains("ترامب"));
        assert!(other_spellings(&a, &sa, &[&sa]).is_empty());
    }
}
