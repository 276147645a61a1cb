//! One open document: its text (a rope), its article model, its diagnostics per source,
//! and what is left to recompute.
//!
//! Edits are applied here and only here, in order, each with a generation number from the
//! workspace's one counter. Analysis runs off the document, on a [`Job`]: a snapshot of
//! the text and the model plus the regions to re-check. Its [`Outcome`] is committed back
//! through the edits that came after its snapshot (mapped, or dropped where an edit
//! touched it: those regions are dirty again and the next job redoes them). At most one
//! job runs per document; edits during a job ask for one more run afterwards, so a burst
//! of keystrokes costs two analyses, not one per keystroke.

use std::path::PathBuf;
use std::sync::Arc;

use ropey::Rope;

use super::collection::{move_diagnostic, Collection, Source};
use super::dirty::DirtySet;
use super::windows::{windows, Window};
use super::{FileFilter, Settings};
use crate::article::{Article, Block, Format, Reparsed};
use crate::entities::DocumentEntities;
use crate::features::names::{self, Spellings};
use crate::rules::{self, Diagnostic, DocCtx, Fix, Run, REACH};
use crate::text::{rope_slice, Change, KeptPositions, LineShift, Span, Text};

/// How much of a document the article classifier reads.
const CLASSIFY_BYTES: usize = 96 << 10;

/// A document as the analysis sees it.
pub struct Document {
    rope: Rope,
    version: i32,
    article: Article,
    /// The generation of the last change (edit, configuration, open).
    generation: u64,
    diagnostics: Collection,
    /// Regions whose block diagnostics are out of date.
    dirty: DirtySet,
    /// The document rules must run again.
    document_stale: bool,
    /// The save-time rules must run (a save happened since the last run).
    save_requested: bool,
    /// The generation at which the running job took its snapshot.
    running: Option<u64>,
    /// Changes applied since the running job's snapshot, to move its outcome through.
    since_job: Vec<Change>,
    /// Names the diagnostics as last committed; a pull request that holds it gets
    /// "unchanged".
    result_id: u64,
    /// The file it was read from, for the configuration's file globs.
    path: Option<PathBuf>,
    /// Why the document is not checked (excluded by the configuration, not an article),
    /// or `None`. A skipped document keeps its outline and has no diagnostics.
    skip: Option<String>,
    /// The document was skipped as not being an article, at this length: it is looked at
    /// again once it has grown (a writer starting a new file types an article into it).
    kind_checked_at: Option<usize>,
    /// Why the document is not checked because of its size (`[limits]`), or `None`: like
    /// `skip`, but decided from the settings at each analysis.
    too_large: Option<String>,
    /// The entity index, as of the generation it was built at.
    entities: Option<(u64, Arc<DocumentEntities>)>,
    /// The entity index is out of date.
    entities_stale: bool,
    /// Build the entity index with the next job even if the document is long (the writer
    /// has paused).
    entities_due: bool,
    /// How the document spells its known names, from the last entity index.
    spellings: Option<Arc<Spellings>>,
    /// The cross-document findings must be computed again: the spellings changed, or a
    /// finding was dropped by an edit.
    cross_stale: bool,
    /// How many cross-document findings were last set.
    workspace_seen: usize,
    /// The positions of the last outline and of the last folding ranges answered, moved
    /// through the edits since.
    kept_positions: [Option<KeptPositions>; 2],
}

/// An answer whose positions a document keeps for the next one (see
/// [`Document::take_positions`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kept {
    Outline = 0,
    Folding = 1,
}

/// What an analysis needs, taken from a document at one generation.
pub struct Job {
    generation: u64,
    rope: Rope,
    article: Article,
    settings: Arc<Settings>,
    windows: Vec<Window>,
    document: bool,
    save: bool,
    entities: bool,
}

/// What an analysis found, to be committed back into its document.
pub struct Outcome {
    generation: u64,
    blocks: Vec<(Span, Vec<Diagnostic>)>,
    document: Option<Vec<Diagnostic>>,
    save: Option<Vec<Diagnostic>>,
    entities: Option<(Arc<DocumentEntities>, Vec<Diagnostic>)>,
}

/// What the caller should do after a commit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Committed {
    /// The diagnostics are current: send them.
    Current,
    /// More changes came in: run again (and send then).
    RunAgain,
    /// The outcome belonged to an earlier life of the document (closed and reopened, or
    /// the configuration changed): dropped.
    Discarded,
}

impl Document {
    /// A document opened with `text`; everything is to be checked.
    pub fn new(text: &str, version: i32, format: Format, generation: u64) -> Document {
        // On two cores for a document of megabytes.
        let (article, rope) = Article::parse_str_with_rope(text, format);
        let mut dirty = DirtySet::default();
        dirty.add(Span::new(0, rope.len_bytes()));
        Document {
            rope,
            version,
            article,
            generation,
            diagnostics: Collection::default(),
            dirty,
            document_stale: true,
            save_requested: false,
            running: None,
            since_job: Vec::new(),
            result_id: 0,
            path: None,
            skip: None,
            kind_checked_at: None,
            too_large: None,
            entities: None,
            kept_positions: [None, None],
            entities_stale: true,
            entities_due: false,
            spellings: None,
            cross_stale: false,
            workspace_seen: 0,
        }
    }

    /// The file the document was read from.
    pub fn with_path(mut self, path: Option<PathBuf>) -> Document {
        self.path = path;
        self
    }

    /// Why the document is not checked, if it is not.
    pub fn skipped(&self) -> Option<&str> {
        self.skip.as_deref()
    }

    /// Why the document is not checked because of its size, as of its last analysis.
    pub fn too_large(&self) -> Option<&str> {
        self.too_large.as_deref()
    }

    /// Decides again whether the document is checked (at open, and when the settings
    /// change). A change either way asks for an analysis (which clears or computes its
    /// diagnostics).
    pub fn apply_filter(&mut self, filter: &FileFilter) {
        let head = rope_slice(&self.rope, Span::new(0, CLASSIFY_BYTES));
        let skip = filter.skip_reason(self.path.as_deref(), &head, self.article.format());
        self.kind_checked_at = skip
            .as_ref()
            .filter(|s| s.starts_with("not a news article"))
            .map(|_| self.rope.len_bytes());
        if skip != self.skip {
            if let Some(why) = &skip {
                tracing::info!(path = ?self.path, "not checking the document: {why}");
            }
            self.skip = skip;
            self.dirty.add(Span::new(0, self.rope.len_bytes()));
            self.document_stale = true;
        }
    }

    /// A document skipped as not being an article is classified again when it has grown
    /// by a quarter (or by 2 KB when small): typing turns an empty file into an article.
    pub fn recheck_kind(&mut self, filter: &FileFilter) {
        if let Some(at) = self.kind_checked_at {
            let now = self.rope.len_bytes();
            if now.abs_diff(at) > (at / 4).max(2048) {
                self.apply_filter(filter);
            }
        }
    }

    pub fn rope(&self) -> &Rope {
        &self.rope
    }

    pub fn article(&self) -> &Article {
        &self.article
    }

    pub fn version(&self) -> i32 {
        self.version
    }

    pub fn set_version(&mut self, version: i32) {
        self.version = version;
    }

    pub fn generation(&self) -> u64 {
        self.generation
    }

    pub(super) fn set_generation(&mut self, generation: u64) {
        self.generation = generation;
    }

    pub fn diagnostics(&self) -> &Collection {
        &self.diagnostics
    }

    pub fn result_id(&self) -> u64 {
        self.result_id
    }

    /// Nothing is left to recompute and no analysis is running.
    pub fn is_current(&self) -> bool {
        self.running.is_none() && !self.needs_analysis()
    }

    fn needs_analysis(&self) -> bool {
        !self.dirty.is_empty()
            || self.document_stale
            || self.save_requested
            || (self.entities_stale && self.entities_eager())
    }

    /// The entity index is rebuilt with every analysis (short articles), or when the
    /// writer pauses (long ones), or never (documents too long for it).
    fn entities_eager(&self) -> bool {
        let len = self.rope.len_bytes();
        len <= super::entities::EAGER_BYTES
            || (self.entities_due && len <= super::entities::MAX_BYTES)
    }

    /// Takes the positions kept from the last answer of this kind (moved through the
    /// edits since), to convert the next one's.
    pub fn take_positions(&mut self, of: Kept) -> Option<KeptPositions> {
        self.kept_positions[of as usize].take()
    }

    /// Keeps the positions of an answer of this kind for the text as it is now; returns
    /// those kept before.
    pub fn keep_positions(&mut self, of: Kept, kept: KeptPositions) -> Option<KeptPositions> {
        self.kept_positions[of as usize].replace(kept)
    }

    /// The entity index is out of date and waits for the writer to pause.
    pub fn entities_pending(&self) -> bool {
        self.entities_stale
            && self.skip.is_none()
            && self.rope.len_bytes() <= super::entities::MAX_BYTES
            && !self.entities_eager()
    }

    /// The writer has paused: build the entity index with the next job.
    pub fn entities_now(&mut self) {
        self.entities_due = true;
    }

    /// The entity index, when it is up to date.
    pub fn entities(&self) -> Option<&Arc<DocumentEntities>> {
        self.entities
            .as_ref()
            .filter(|(g, _)| *g == self.generation)
            .map(|(_, e)| e)
    }

    /// The last entity index, up to date or not, with the generation it was built at.
    pub fn last_entities(&self) -> Option<&(u64, Arc<DocumentEntities>)> {
        self.entities.as_ref()
    }

    /// Replaces `old` (byte offsets) with `text`, in the rope, the model, the diagnostics
    /// and the dirty regions.
    pub fn edit(&mut self, old: Span, text: &str, generation: u64) -> Reparsed {
        let old = Span::new(
            old.start.min(self.rope.len_bytes()),
            old.end.min(self.rope.len_bytes()),
        );
        self.generation = generation;
        let start = self.rope.byte_to_char(old.start);
        let end = self.rope.byte_to_char(old.end);
        let shift = LineShift::before(&self.rope, old);
        self.rope.remove(start..end);
        self.rope.insert(start, text);
        let shift = shift.after(&self.rope);
        let change = Change::new(old, text.len());
        let reparsed = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.article.edit(&self.rope, old, text.len())
        })) {
            Ok(r) => r,
            Err(_) => {
                tracing::error!("incremental re-parse panicked; parsing the whole document");
                self.article = Article::parse(&self.rope, self.article.format());
                Reparsed {
                    old: Span::new(0, usize::MAX),
                    new: Span::new(0, self.rope.len_bytes()),
                    full: true,
                }
            }
        };
        self.diagnostics.apply(&change, Some(&shift));
        for slot in &mut self.kept_positions {
            if slot.as_mut().is_some_and(|kept| !kept.edit(change, shift)) {
                *slot = None;
            }
        }
        self.dirty.apply(&change);
        self.entities_stale = true;
        self.entities_due = false;
        let touched = if reparsed.full {
            Span::new(0, self.rope.len_bytes())
        } else {
            let n = change.new_span();
            Span::new(reparsed.new.start.min(n.start), reparsed.new.end.max(n.end))
        };
        self.dirty.add(touched);
        self.document_stale = true;
        if self.running.is_some() {
            self.since_job.push(change);
        }
        reparsed
    }

    /// Everything is to be recomputed (the configuration changed): a running job's outcome
    /// will be dropped, and save-time findings are cleared until the next save.
    pub fn invalidate(&mut self, generation: u64) {
        self.generation = generation;
        self.running = None;
        self.since_job.clear();
        self.dirty.add(Span::new(0, self.rope.len_bytes()));
        self.document_stale = true;
        self.entities_stale = true;
        self.diagnostics.clear(Source::Save);
    }

    /// The document was saved: run the save-time rules.
    pub fn request_save_checks(&mut self) {
        self.save_requested = true;
    }

    /// Takes a job if there is work and none is running; if one is running, asks for
    /// another run after it.
    pub fn begin(&mut self, settings: &Arc<Settings>) -> Option<Job> {
        if self.running.is_some() || !self.needs_analysis() {
            return None;
        }
        self.check_size(settings);
        let regions = self.dirty.take();
        if self.skip.is_some() || self.too_large.is_some() {
            // Not checked: whatever was found before goes, and nothing is computed.
            for source in Source::ALL {
                self.diagnostics.clear(source);
            }
            self.document_stale = false;
            self.save_requested = false;
            self.entities_stale = false;
            self.entities = None;
            self.cross_stale |= self.spellings.take().is_some();
            self.running = Some(self.generation);
            self.since_job.clear();
            return Some(Job {
                generation: self.generation,
                rope: self.rope.clone(),
                article: self.article.clone(),
                settings: settings.clone(),
                windows: Vec::new(),
                document: false,
                save: false,
                entities: false,
            });
        }
        let job = Job {
            generation: self.generation,
            rope: self.rope.clone(),
            article: self.article.clone(),
            settings: settings.clone(),
            windows: windows(&self.article, &regions),
            document: std::mem::take(&mut self.document_stale),
            save: std::mem::take(&mut self.save_requested),
            entities: self.entities_stale && self.entities_eager(),
        };
        self.running = Some(self.generation);
        self.since_job.clear();
        Some(job)
    }

    /// Over the size limit, a document is treated as skipped; back under it, it is checked
    /// whole again.
    fn check_size(&mut self, settings: &Settings) {
        let too_large = settings.limits.too_large(self.rope.len_bytes());
        if too_large.is_none() && self.too_large.is_some() {
            self.dirty.add(Span::new(0, self.rope.len_bytes()));
            self.document_stale = true;
            self.entities_stale = true;
        }
        if let (Some(why), None) = (&too_large, &self.too_large) {
            tracing::warn!(path = ?self.path, "not checking the document: {why}");
        }
        self.too_large = too_large;
    }

    /// Commits a job's outcome (see the module docs). `result_id` names the diagnostics
    /// that result: unique across documents and their lives.
    pub fn commit(&mut self, outcome: Outcome, result_id: u64) -> Committed {
        if self.running != Some(outcome.generation) {
            return Committed::Discarded;
        }
        self.running = None;
        let changes = std::mem::take(&mut self.since_job);
        let through = |mut diags: Vec<Diagnostic>, keep: bool| -> Vec<Diagnostic> {
            for c in &changes {
                diags.retain_mut(|d| move_diagnostic(d, c, keep, None));
            }
            diags
        };
        if !outcome.blocks.is_empty() {
            let mut affected = Vec::new();
            let mut fresh = Vec::new();
            for (a, diags) in outcome.blocks {
                affected.push(changes.iter().fold(a, |a, c| c.map_span(a)));
                fresh.extend(through(diags, false));
            }
            self.diagnostics
                .replace_in(Source::Blocks, &affected, fresh);
        }
        if let Some(d) = outcome.document {
            self.diagnostics
                .replace(Source::Document, through(d, false));
        }
        if let Some(d) = outcome.save {
            self.diagnostics.replace(Source::Save, through(d, true));
        }
        if let Some((index, d)) = outcome.entities {
            self.diagnostics
                .replace(Source::Entities, through(d, false));
            // The index itself is kept only when nothing changed under it: its mentions
            // are too many to move, and the next job rebuilds it.
            if changes.is_empty() {
                let spellings = Arc::new(names::spellings(&index));
                self.cross_stale |= self
                    .spellings
                    .as_ref()
                    .is_none_or(|old| !old.same_names(&spellings));
                self.spellings = Some(spellings);
                self.entities = Some((outcome.generation, index));
                self.entities_stale = false;
                self.entities_due = false;
            }
        }
        // An edit dropped a cross-document finding: it may still hold.
        self.cross_stale |= self.diagnostics.get(Source::Workspace).len() != self.workspace_seen;
        self.result_id = result_id;
        if self.needs_analysis() {
            Committed::RunAgain
        } else {
            Committed::Current
        }
    }

    /// A job failed (it panicked, or was cancelled): its regions are dirty again.
    pub fn abandon(&mut self, job: &Job) {
        if self.running != Some(job.generation) {
            return;
        }
        self.running = None;
        for w in &job.windows {
            let a = self.since_job.iter().fold(w.affected, |a, c| c.map_span(a));
            self.dirty.add(a);
        }
        self.since_job.clear();
        self.document_stale |= job.document;
        self.save_requested |= job.save;
    }

    /// Replaces the cross-document findings; true when they changed, and then they are
    /// named by `result_id`.
    pub fn set_workspace_findings(&mut self, findings: Vec<Diagnostic>, result_id: u64) -> bool {
        self.workspace_seen = findings.len();
        if **self.diagnostics.get(Source::Workspace) == findings {
            return false;
        }
        self.diagnostics.replace(Source::Workspace, findings);
        self.result_id = result_id;
        true
    }

    /// How the document spells its known names, when its entity index is up to date.
    pub fn spellings(&self) -> Option<&Arc<Spellings>> {
        self.entities().and(self.spellings.as_ref())
    }

    /// Whether the cross-document findings are to be computed again; clears the flag.
    pub fn take_cross_stale(&mut self) -> bool {
        std::mem::take(&mut self.cross_stale)
    }

    pub fn path(&self) -> Option<&std::path::Path> {
        self.path.as_deref()
    }

    /// A consistent, cheap copy for a request.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            rope: self.rope.clone(),
            article: self.article.clone(),
            version: self.version,
            generation: self.generation,
            diagnostics: self.diagnostics.clone(),
            entities: self.entities().cloned(),
        }
    }
}

/// The size of a window above which its batches are checked on several threads.
const PARALLEL_BYTES: usize = 1 << 20;

impl Job {
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The owners the job re-checks.
    pub fn windows(&self) -> &[Window] {
        &self.windows
    }

    /// Computes the diagnostics the job asks for. `cancelled` is polled between batches;
    /// when it says yes the job stops and returns `None`.
    pub fn run(&self, cancelled: &(dyn Fn() -> bool + Sync)) -> Option<Outcome> {
        let rules = &self.settings.rules;
        let format = self.article.format();
        let mut blocks = Vec::with_capacity(self.windows.len());
        for w in &self.windows {
            let batches = w.batches(&self.rope);
            let check = |batches: &[(std::ops::Range<usize>, Span)]| {
                let mut diags = Vec::new();
                for (owners, span) in batches {
                    if cancelled() {
                        return None;
                    }
                    let text = rope_slice(&self.rope, *span);
                    diags.extend(rules::check_blocks(
                        Text::at(&text, span.start),
                        format,
                        &w.blocks,
                        owners.clone(),
                        rules,
                        Run::Typing,
                    ));
                }
                Some(diags)
            };
            // A window of megabytes (a document just opened, a paste, a setting changed)
            // is checked on the workers: its batches are independent, and their findings
            // are joined in order. Batches differ in cost (tables, lists and quotes cost
            // more than prose): a worker that runs out steals the rest of another's. A
            // keystroke's window is one batch.
            let diags = if w.affected.len() >= PARALLEL_BYTES && batches.len() > 1 {
                use rayon::prelude::*;
                let parts: Option<Vec<Vec<Diagnostic>>> = batches
                    .par_iter()
                    .map(|batch| check(std::slice::from_ref(batch)))
                    .collect();
                parts?.into_iter().flatten().collect()
            } else {
                check(&batches)?
            };
            blocks.push((w.affected, diags));
        }
        let ctx = DocCtx {
            article: &self.article,
            rope: &self.rope,
            config: rules,
        };
        let document = self
            .document
            .then(|| rules::check_document(&ctx, Run::Typing));
        let save = if self.save {
            if cancelled() {
                return None;
            }
            let mut all = rules::check_document(&ctx, Run::SaveOnly);
            let every: Vec<Block> = self.article.blocks().collect();
            let w = Window {
                owners: 0..every.len(),
                affected: Span::new(0, self.rope.len_bytes()),
                blocks: every,
            };
            for (owners, span) in w.batches(&self.rope) {
                let text = rope_slice(&self.rope, span);
                all.extend(rules::check_blocks(
                    Text::at(&text, span.start),
                    format,
                    &w.blocks,
                    owners,
                    rules,
                    Run::SaveOnly,
                ));
            }
            Some(all)
        } else {
            None
        };
        let entities = if self.entities {
            if cancelled() {
                return None;
            }
            let index = Arc::new(super::entities::index(
                &self.article,
                &self.rope,
                &self.settings.glossary,
            ));
            let diags = rules::check_entities(
                &rules::EntityCtx {
                    rope: &self.rope,
                    entities: &index,
                    config: rules,
                },
                Run::Typing,
            );
            let mut diags = diags;
            if self.save {
                diags.extend(rules::check_entities(
                    &rules::EntityCtx {
                        rope: &self.rope,
                        entities: &index,
                        config: rules,
                    },
                    Run::SaveOnly,
                ));
            }
            Some((index, diags))
        } else {
            None
        };
        Some(Outcome {
            generation: self.generation,
            blocks,
            document,
            save,
            entities,
        })
    }
}

/// A document at one moment, for requests.
#[derive(Clone)]
pub struct Snapshot {
    pub rope: Rope,
    pub article: Article,
    pub version: i32,
    /// The document's generation when the snapshot was taken: it changes with every edit,
    /// and no two documents (or two openings of one) share one.
    pub generation: u64,
    pub diagnostics: Collection,
    /// The entity index, when it is up to date with the text.
    pub entities: Option<Arc<DocumentEntities>>,
}

impl Snapshot {
    /// A snapshot of a text that is not open in an editor (the command line, tests).
    pub fn from_text(text: &str, format: Format) -> Snapshot {
        Snapshot {
            rope: Rope::from_str(text),
            article: Article::parse_str(text, format),
            version: 0,
            generation: 0,
            diagnostics: Collection::default(),
            entities: None,
        }
    }

    /// The text of `span`, borrowed when it lies in one chunk of the rope.
    pub fn text(&self, span: Span) -> std::borrow::Cow<'_, str> {
        rope_slice(&self.rope, span)
    }

    /// The fixes for one of the document's diagnostics, computed now by its rule alone.
    pub fn fixes(&self, diag: &Diagnostic, settings: &Settings) -> Vec<Fix> {
        if diag.span.end > self.rope.len_bytes() {
            return Vec::new();
        }
        if rules::is_entity_rule(diag.rule) {
            let index = match &self.entities {
                Some(e) => e.clone(),
                None => Arc::new(super::entities::index(
                    &self.article,
                    &self.rope,
                    &settings.glossary,
                )),
            };
            let ctx = rules::EntityCtx {
                rope: &self.rope,
                entities: &index,
                config: &settings.rules,
            };
            return rules::entity_fixes(&ctx, diag);
        }
        if !rules::is_block_rule(diag.rule) {
            let ctx = DocCtx {
                article: &self.article,
                rope: &self.rope,
                config: &settings.rules,
            };
            return rules::document_fixes(&ctx, diag);
        }
        // The owner is the block the diagnostic lies in; its window is REACH blocks on
        // either side.
        let Some(owner) = self
            .article
            .blocks_from(diag.span.start)
            .next()
            .filter(|b| b.span.start <= diag.span.start)
        else {
            return Vec::new();
        };
        let mut blocks: Vec<Block> = self
            .article
            .blocks_before(owner.span.start)
            .take(REACH)
            .collect();
        blocks.reverse();
        let i = blocks.len();
        blocks.extend(self.article.blocks_from(owner.span.start).take(REACH + 1));
        let w = Window {
            owners: i..i + 1,
            affected: owner.span,
            blocks,
        };
        let (_, span) = w.batches(&self.rope)[0].clone();
        let text = rope_slice(&self.rope, span);
        rules::block_fixes(
            Text::at(&text, span.start),
            self.article.format(),
            &w.blocks,
            i,
            &settings.rules,
            diag,
        )
    }
}
