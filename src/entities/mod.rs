//! Named entities: people, places and organisations in Arabic and English news text.
//!
//! A pure library (no LSP, JSON or async): text and byte offsets ([`Span`]) in, plain
//! Rust values out. It feeds hovers, references, rename, semantic tokens, the
//! misspelling diagnostic and workspace symbols, which convert at the protocol edge.
//!
//! - [`arabic`]: the matching key with its map back to original offsets, proclitics.
//! - [`gazetteer`]: the compiled-in names (generated tables + curated ones), loaded once,
//!   and the multi-pattern matcher over a block's tokens.
//! - [`glossary`]: the `[[entity]]` TOML format shared by the curated tables and a
//!   newsroom's own glossary.
//! - [`recognise`]: stage 1, per block: gazetteer matches and name candidates by rule.
//! - [`resolve`]: stage 2, per document: aliases, linking, ambiguity, misspellings.
//! - [`hover`]: what a hover shows, as plain data.
//!
//! Stage 1 depends only on the block's text, so a caller caches it per block and re-runs
//! it for edited blocks; stage 2 is cheap and runs over all blocks.

pub mod arabic;
pub mod gazetteer;
pub mod glossary;
pub mod hover;
pub mod recognise;
pub mod resolve;
mod spelling;
mod tokens;

pub use crate::text::Span;
pub use gazetteer::{gazetteer, Entry, EntryId, Gazetteer};
pub use glossary::{Glossary, GlossaryError};
pub use hover::{hover, Hover};
pub use recognise::{block_candidates, BlockEntities, Candidate, Target};
pub use resolve::{
    resolve, DocEntity, DocumentEntities, EntityRef, Finding, FindingKind, Mention, MentionTarget,
};

/// Loads what the first recognition would otherwise load while the writer waits for its
/// diagnostics: the gazetteer and its matcher (about 30–45 ms here), the common-word lists,
/// the index misspellings are looked up in and the Arabic rules' tables. The server calls
/// it once, on a blocking thread, when the editor says it is initialised; a check that
/// starts meanwhile waits for the same load rather than doing it twice.
pub fn prepare() {
    gazetteer();
    gazetteer::common_words();
    spelling::prepare();
    recognise::prepare();
}

/// What an entity is. Places and organisations have sub-kinds a hover names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Person,
    Country,
    City,
    /// A state, province, territory, sea or other named area.
    Region,
    /// A place of no more specific kind.
    Place,
    NewsAgency,
    GovernmentBody,
    Company,
    Party,
    InternationalOrganisation,
    /// An organisation of no more specific kind.
    Organisation,
}

/// The three coarse classes a precision/recall figure is computed over.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Class {
    Person,
    Place,
    Organisation,
}

impl Kind {
    pub const ALL: [Kind; 11] = [
        Kind::Person,
        Kind::Country,
        Kind::City,
        Kind::Region,
        Kind::Place,
        Kind::NewsAgency,
        Kind::GovernmentBody,
        Kind::Company,
        Kind::Party,
        Kind::InternationalOrganisation,
        Kind::Organisation,
    ];

    /// The name used in data files and glossaries.
    pub fn id(self) -> &'static str {
        match self {
            Kind::Person => "person",
            Kind::Country => "country",
            Kind::City => "city",
            Kind::Region => "region",
            Kind::Place => "place",
            Kind::NewsAgency => "news-agency",
            Kind::GovernmentBody => "government-body",
            Kind::Company => "company",
            Kind::Party => "party",
            Kind::InternationalOrganisation => "international-organisation",
            Kind::Organisation => "organisation",
        }
    }

    pub fn from_id(id: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.id() == id)
    }

    /// The kind in plain words, as a hover shows it.
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Person => "person",
            Kind::Country => "place (country)",
            Kind::City => "place (city)",
            Kind::Region => "place (region)",
            Kind::Place => "place",
            Kind::NewsAgency => "organisation (news agency)",
            Kind::GovernmentBody => "organisation (government body)",
            Kind::Company => "organisation (company)",
            Kind::Party => "organisation (party or movement)",
            Kind::InternationalOrganisation => "organisation (international organisation)",
            Kind::Organisation => "organisation",
        }
    }

    pub fn class(self) -> Class {
        match self {
            Kind::Person => Class::Person,
            Kind::Country | Kind::City | Kind::Region | Kind::Place => Class::Place,
            _ => Class::Organisation,
        }
    }
}
