//! The analysis core: the open documents and everything computed from them, with no
//! knowledge of LSP, JSON or async runtimes (a test checks that no file under
//! `src/analysis` names them).
//!
//! - [`Workspace`]: the open documents by key (the server uses the URI), the settings in
//!   force, and the one generation counter that orders every change across documents.
//! - [`Document`]: rope + article + diagnostics per [`Source`] + what is dirty; edits are
//!   applied here, analyses run on a [`Job`] taken from it and are committed back.
//! - [`windows`]: which block-rule owners an edit makes stale, and the text they read.
//!
//! The server converts protocol messages into calls on these types and schedules jobs on
//! its thread pool; the command line calls [`check_text`].

mod collection;
mod dirty;
mod document;
pub mod entities;
pub mod files;
pub mod windows;

use std::collections::HashMap;
use std::sync::Arc;

pub use collection::{Collection, Source};
pub use dirty::DirtySet;
pub use document::{Committed, Document, Job, Kept, Outcome, Snapshot};
pub use files::FileFilter;

use crate::article::{Format, Reparsed};
use crate::rules::{self, Diagnostic, RuleConfig, Run};
use crate::text::Span;

/// The settings the analysis runs with, resolved from the configuration.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    pub rules: RuleConfig,
    /// Where rule pages are published, for links from diagnostics.
    pub docs_base_url: Option<String>,
    /// Which documents are checked at all.
    pub files: FileFilter,
    /// How large a document may be and still be checked.
    pub limits: crate::limits::Limits,
    /// The newsroom's own names, on top of the gazetteer.
    pub glossary: Arc<crate::entities::Glossary>,
    /// What the configuration got wrong without being unusable (a bad glossary entry):
    /// reported, and the rest is in force.
    pub warnings: Vec<String>,
}

/// The open documents.
#[derive(Default)]
pub struct Workspace {
    docs: HashMap<String, Document>,
    generation: u64,
    settings: Arc<Settings>,
    /// The cross-document findings must be computed again (a document closed, the
    /// settings changed).
    cross_stale: bool,
}

impl Workspace {
    pub fn new(settings: Settings) -> Workspace {
        Workspace {
            settings: Arc::new(settings),
            ..Workspace::default()
        }
    }

    fn next_generation(&mut self) -> u64 {
        self.generation += 1;
        self.generation
    }

    pub fn settings(&self) -> &Arc<Settings> {
        &self.settings
    }

    /// Opens (or reopens: the old state is dropped) a document.
    pub fn open(&mut self, key: &str, text: &str, version: i32, format: Format) {
        self.insert(key, Document::new(text, version, format, 0));
    }

    /// Adds a document built outside the workspace (parsing a large one need not hold
    /// whatever guards the workspace). It gets a fresh generation: nothing computed for an
    /// earlier document under the same key can commit into it.
    pub fn insert(&mut self, key: &str, mut doc: Document) {
        doc.set_generation(self.next_generation());
        doc.apply_filter(&self.settings.files);
        self.docs.insert(key.to_string(), doc);
    }

    pub fn close(&mut self, key: &str) -> Option<Document> {
        let doc = self.docs.remove(key);
        self.cross_stale |= doc.as_ref().is_some_and(|d| d.spellings().is_some());
        doc
    }

    pub fn get(&self, key: &str) -> Option<&Document> {
        self.docs.get(key)
    }

    /// The positions kept from a document's last answer of this kind, if it is at
    /// `generation` (otherwise they stay, for a request on the document as it is now).
    pub fn take_positions(
        &mut self,
        key: &str,
        generation: u64,
        of: Kept,
    ) -> Option<crate::text::KeptPositions> {
        self.docs
            .get_mut(key)
            .filter(|d| d.generation() == generation)?
            .take_positions(of)
    }

    /// Keeps the positions of a document's answer of this kind computed at `generation`,
    /// unless it has changed since. Returns what is not kept (these, or those they
    /// replace), for the caller to drop once it has let go of the workspace: an
    /// outline's kept answer is thousands of allocations.
    #[must_use = "dropped under the workspace lock otherwise"]
    pub fn keep_positions(
        &mut self,
        key: &str,
        generation: u64,
        of: Kept,
        kept: crate::text::KeptPositions,
    ) -> Option<crate::text::KeptPositions> {
        match self
            .docs
            .get_mut(key)
            .filter(|d| d.generation() == generation)
        {
            Some(doc) => doc.keep_positions(of, kept),
            None => Some(kept),
        }
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.docs.keys().map(String::as_str)
    }

    /// Applies one change to a document; `None` when it is not open.
    pub fn edit(&mut self, key: &str, old: Span, text: &str) -> Option<Reparsed> {
        let generation = self.next_generation();
        let doc = self.docs.get_mut(key)?;
        Some(doc.edit(old, text, generation))
    }

    pub fn set_version(&mut self, key: &str, version: i32) {
        if let Some(d) = self.docs.get_mut(key) {
            d.set_version(version);
        }
    }

    /// New settings: every document is to be checked again.
    pub fn set_settings(&mut self, settings: Settings) {
        self.settings = Arc::new(settings);
        self.cross_stale = true;
        let generation = self.next_generation();
        for d in self.docs.values_mut() {
            d.invalidate(generation);
            d.apply_filter(&self.settings.files);
        }
    }

    /// The document was saved: its save-time rules are to run.
    pub fn saved(&mut self, key: &str) -> bool {
        match self.docs.get_mut(key) {
            Some(d) => {
                d.request_save_checks();
                true
            }
            None => false,
        }
    }

    /// A job for the document, if it has work and none is running.
    pub fn begin(&mut self, key: &str) -> Option<Job> {
        let settings = self.settings.clone();
        let doc = self.docs.get_mut(key)?;
        doc.recheck_kind(&settings.files);
        doc.begin(&settings)
    }

    /// Commits a job's outcome; `None` when the document was closed meanwhile.
    pub fn commit(&mut self, key: &str, outcome: Outcome) -> Option<Committed> {
        let result_id = self.next_generation();
        Some(self.docs.get_mut(key)?.commit(outcome, result_id))
    }

    /// A job that did not finish: its work is to be done again.
    pub fn abandon(&mut self, key: &str, job: &Job) {
        if let Some(d) = self.docs.get_mut(key) {
            d.abandon(job);
        }
    }

    pub fn snapshot(&self, key: &str) -> Option<Snapshot> {
        self.docs.get(key).map(Document::snapshot)
    }

    /// A request needs the document's entity index now, long document or not.
    pub fn entities_now(&mut self, key: &str) {
        if let Some(d) = self.docs.get_mut(key) {
            d.entities_now();
        }
    }

    /// Computes the findings across documents (the workspace rules) again if anything they
    /// read changed: a document's spellings of its names, a document closed, the settings.
    /// Returns the documents whose findings changed. Documents whose entity index is out
    /// of date keep their findings, moved through the edits, until it is rebuilt.
    pub fn cross_document(&mut self) -> Vec<String> {
        let mut stale = std::mem::take(&mut self.cross_stale);
        for d in self.docs.values_mut() {
            stale |= d.take_cross_stale();
        }
        if !stale {
            return Vec::new();
        }
        let mut keys: Vec<&String> = self
            .docs
            .iter()
            .filter(|(_, d)| d.spellings().is_some())
            .map(|(k, _)| k)
            .collect();
        keys.sort();
        let names: Vec<String> = keys
            .iter()
            .map(|k| display_name(k, self.docs[*k].path()))
            .collect();
        let line_of: Vec<Box<dyn Fn(usize) -> usize>> = keys
            .iter()
            .map(|k| {
                let rope = self.docs[*k].rope().clone();
                Box::new(move |o: usize| rope.byte_to_line(o.min(rope.len_bytes())))
                    as Box<dyn Fn(usize) -> usize>
            })
            .collect();
        let mut updates = Vec::with_capacity(keys.len());
        for (i, k) in keys.iter().enumerate() {
            let doc = &self.docs[*k];
            let (Some(entities), Some(spellings)) = (doc.entities(), doc.spellings()) else {
                continue;
            };
            let others: Vec<rules::OtherDoc<'_>> = keys
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .filter_map(|(j, kj)| {
                    Some(rules::OtherDoc {
                        name: names[j].clone(),
                        spellings: self.docs[*kj].spellings()?,
                        line_of: &*line_of[j],
                    })
                })
                .collect();
            let ctx = rules::WorkspaceCtx {
                entities,
                spellings,
                others: &others,
                config: &self.settings.rules,
            };
            updates.push(((*k).clone(), rules::check_workspace(&ctx)));
        }
        // A document without an index (closed, too long, not checked) has no findings
        // about others; one with a stale index keeps its own until the rebuild.
        let without: Vec<String> = self
            .docs
            .iter()
            .filter(|(_, d)| d.entities().is_none() && d.last_entities().is_none())
            .map(|(k, _)| k.clone())
            .collect();
        updates.extend(without.into_iter().map(|k| (k, Vec::new())));
        let mut changed = Vec::new();
        for (k, findings) in updates {
            let result_id = self.next_generation();
            if let Some(d) = self.docs.get_mut(&k) {
                if d.set_workspace_findings(findings, result_id) {
                    changed.push(k);
                }
            }
        }
        changed
    }
}

/// How a workspace finding names another document: its file name, or the last part of
/// its key.
fn display_name(key: &str, path: Option<&std::path::Path>) -> String {
    path.and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| key.rsplit('/').next().unwrap_or(key).to_string())
}

/// Every diagnostic of every enabled rule (typing and save-time alike) for a whole text:
/// what `newsls check` reports. Workspace rules are not run: they compare the articles
/// open in an editor, and a text checked on its own has none beside it.
pub fn check_text(text: &str, format: Format, settings: &Settings) -> Vec<Diagnostic> {
    check_whole(text, format, settings).1
}

/// [`check_text`], with the snapshot it checked: its entity index is built, so the fixes of
/// the entity rules' findings need not build it again.
pub fn check_whole(text: &str, format: Format, settings: &Settings) -> (Snapshot, Vec<Diagnostic>) {
    let mut snapshot = Snapshot::from_text(text, format);
    let mut out = rules::check(&snapshot.article, text, &settings.rules, Run::All);
    // The index costs more than every other rule together: not built for nothing.
    let names_checked = rules::RULES.iter().any(|r| {
        matches!(r.check, rules::Check::Entities(_)) && settings.rules.severity(r).is_some()
    });
    if names_checked && text.len() <= entities::MAX_BYTES {
        let index = Arc::new(entities::index(
            &snapshot.article,
            &snapshot.rope,
            &settings.glossary,
        ));
        out.extend(rules::check_entities(
            &rules::EntityCtx {
                rope: &snapshot.rope,
                entities: &index,
                config: &settings.rules,
            },
            Run::All,
        ));
        out.sort_by(|a, b| {
            (a.span.start, a.span.end, a.rule).cmp(&(b.span.start, b.span.end, b.rule))
        });
        snapshot.entities = Some(index);
    }
    (snapshot, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs jobs until the document is current.
    fn settle(ws: &mut Workspace, key: &str) {
        while let Some(job) = ws.begin(key) {
            let outcome = job.run(&|| false).unwrap();
            ws.commit(key, outcome);
        }
    }

    const BROKEN: &str = "# T\n\n| a | b |\n|---|---|\n| 1 | 2 | 3 |\n";

    #[test]
    fn a_job_for_an_earlier_life_of_the_document_is_dropped() {
        // Close and reopen at the same version: a job of the first life must not commit.
        let mut ws = Workspace::default();
        ws.open("u", BROKEN, 1, Format::Markdown);
        let stale = ws.begin("u").unwrap();
        ws.close("u");
        ws.open("u", "# Clean\n\nNothing here.\n", 1, Format::PlainText);
        let fresh = ws.begin("u").unwrap();
        let outcome = stale.run(&|| false).unwrap();
        assert_eq!(ws.commit("u", outcome), Some(Committed::Discarded));
        let outcome = fresh.run(&|| false).unwrap();
        assert_eq!(ws.commit("u", outcome), Some(Committed::Current));
        assert!(ws.get("u").unwrap().diagnostics().is_empty());
    }

    #[test]
    fn an_outcome_is_moved_through_later_edits() {
        let mut ws = Workspace::default();
        ws.open("u", BROKEN, 1, Format::Markdown);
        let job = ws.begin("u").unwrap();
        // Two lines inserted at the top while the job runs.
        ws.edit("u", Span::new(0, 0), "Intro.\n\n");
        let outcome = job.run(&|| false).unwrap();
        assert_eq!(ws.commit("u", outcome), Some(Committed::RunAgain));
        let d = ws.get("u").unwrap().diagnostics().all();
        let text = ws.get("u").unwrap().rope().to_string();
        assert_eq!(d.len(), 1);
        assert_eq!(&text[d[0].span.range()], "3");
        settle(&mut ws, "u");
        let doc = ws.get("u").unwrap();
        assert!(doc.is_current());
        assert_eq!(
            doc.diagnostics().all(),
            check_text(&text, Format::Markdown, &Settings::default())
        );
    }

    #[test]
    fn edits_during_a_job_ask_for_one_more_run_not_one_per_edit() {
        let mut ws = Workspace::default();
        ws.open("u", BROKEN, 1, Format::Markdown);
        let job = ws.begin("u").unwrap();
        for i in 0..100 {
            ws.edit("u", Span::new(2 + i, 2 + i), "x");
            assert!(ws.begin("u").is_none(), "one job at a time");
        }
        let outcome = job.run(&|| false).unwrap();
        assert_eq!(ws.commit("u", outcome), Some(Committed::RunAgain));
        let second = ws.begin("u").unwrap();
        let outcome = second.run(&|| false).unwrap();
        assert_eq!(ws.commit("u", outcome), Some(Committed::Current));
        assert!(ws.begin("u").is_none());
    }

    #[test]
    fn edits_at_both_ends_check_two_small_windows() {
        let unit = "Paragraph of prose.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n";
        let text = format!("# Big\n\n{}", unit.repeat(20_000));
        let mut ws = Workspace::default();
        ws.open("u", &text, 1, Format::Markdown);
        settle(&mut ws, "u");
        let end = text.len();
        ws.edit("u", Span::new(end - 3, end - 3), " | 3");
        ws.edit("u", Span::new(7, 7), "x");
        let job = ws.begin("u").unwrap();
        assert_eq!(job_windows(&job).len(), 2);
        for w in job_windows(&job) {
            assert!(w.affected.len() < 1000, "{:?}", w.affected);
        }
        let outcome = job.run(&|| false).unwrap();
        ws.commit("u", outcome);
        let doc = ws.get("u").unwrap();
        let now = doc.rope().to_string();
        assert_eq!(
            doc.diagnostics().all(),
            check_text(&now, Format::Markdown, &Settings::default())
        );
        assert_eq!(doc.diagnostics().len(), 1);
    }

    fn job_windows(job: &Job) -> &[windows::Window] {
        job.windows()
    }

    #[test]
    fn a_name_misspelt_inside_a_full_name_is_caught() {
        let misspelt = |name: &str, format: Format| -> Vec<String> {
            let text = match format {
                Format::Markdown => format!(
                    "# Talks in the region\n\nThe UN chief {name} spoke on Tuesday about the floods, officials said.\n"
                ),
                Format::PlainText => format!(
                    "قمة في الدوحة\n\nقال الرئيس {name} إن المحادثات ستستمر خلال الأسبوع المقبل.\n"
                ),
            };
            check_text(&text, format, &Settings::default())
                .into_iter()
                .filter(|d| d.rule == "entity-misspelling")
                .map(|d| format!("{} -> {}", &text[d.span.range()], d.message))
                .collect()
        };
        // The rest of the name says who is meant: the word is a slip of the pen, even
        // where the known name is too short to be compared on its own (Putin).
        for (format, name, word, usual) in [
            (Format::Markdown, "Vladimir Puttin", "Puttin", "Putin"),
            (Format::Markdown, "Dmitry Peksov", "Peksov", "Peskov"),
            (Format::Markdown, "António Guteres", "Guteres", "Guterres"),
            (Format::Markdown, "Antonio Gutteres", "Gutteres", "Guterres"),
            (Format::Markdown, "Donald Trumpp", "Trumpp", "Trump"),
            // One word is replaced by one word of the name, not by a short form of it
            // (`bin Salman`) that repeats the words around it.
            (
                Format::Markdown,
                "Mohammed bin Salmann",
                "Salmann",
                "Salman",
            ),
            (Format::PlainText, "فلاديمير بوتيم", "بوتيم", "بوتين"),
            (Format::PlainText, "أنطونيو غوتيرس", "غوتيرس", "غوتيريش"),
        ] {
            let found = misspelt(name, format);
            assert_eq!(found.len(), 1, "{name}: {found:?}");
            assert!(found[0].starts_with(&format!("{word} -> ")), "{found:?}");
            assert!(found[0].contains(&format!("`{usual}`")), "{found:?}");
        }
        // Right, or someone else: nothing.
        for (format, name) in [
            (Format::Markdown, "Vladimir Putin"),
            (Format::Markdown, "Emmanuel Macron"),
            (Format::Markdown, "Aoife Brennan"),
            (Format::Markdown, "Vladimir Smith"),
            (Format::Markdown, "Donald Tusk"),
            (Format::PlainText, "فلاديمير بوتين"),
            (Format::PlainText, "دونالد ترامب"),
        ] {
            assert_eq!(misspelt(name, format), Vec::<String>::new(), "{name}");
        }
    }

    #[test]
    fn the_entity_index_is_built_only_for_the_name_rules() {
        let text = "# Summit\n\nUN Secretary-General António Guterres spoke. Gutteres left.\n";
        let (snapshot, diags) = check_whole(text, Format::Markdown, &Settings::default());
        assert!(snapshot.entities.is_some());
        assert!(
            diags.iter().any(|d| d.rule == "entity-misspelling"),
            "{diags:?}"
        );
        let mut rules = RuleConfig::default();
        for id in ["entity-misspelling", "entity-variant"] {
            rules.set(id, None).unwrap();
        }
        let off = Settings {
            rules,
            ..Settings::default()
        };
        let (snapshot, diags) = check_whole(text, Format::Markdown, &off);
        assert!(snapshot.entities.is_none(), "built for nothing");
        assert!(
            diags.iter().all(|d| !d.rule.starts_with("entity-")),
            "{diags:?}"
        );
    }

    #[test]
    fn save_time_rules_run_on_save_and_stay_until_the_next() {
        let mut rules = RuleConfig::default();
        rules
            .set_when("table-extra-cells", rules::When::Save)
            .unwrap();
        let mut ws = Workspace::new(Settings {
            rules,
            ..Settings::default()
        });
        ws.open("u", BROKEN, 1, Format::Markdown);
        settle(&mut ws, "u");
        assert!(
            ws.get("u").unwrap().diagnostics().is_empty(),
            "not before a save"
        );
        ws.saved("u");
        settle(&mut ws, "u");
        assert_eq!(
            ws.get("u").unwrap().diagnostics().get(Source::Save).len(),
            1
        );
        // An edit elsewhere moves it; it is not recomputed as the writer types.
        ws.edit("u", Span::new(0, 0), "\n");
        settle(&mut ws, "u");
        let doc = ws.get("u").unwrap();
        let text = doc.rope().to_string();
        let d = &doc.diagnostics().get(Source::Save)[0];
        assert_eq!(&text[d.span.range()], "3");
    }
}
