//! Diagnostic rules: a registry of rules with stable kebab-case ids, default severities
//! and documentation pages, and the contexts they run in. Two families: tables (`table-…`)
//! and the article's structure (headline, sections, front matter, dateline, lede, and the
//! copy-desk checks: placeholders, bidirectional controls, repeated words, quotation
//! marks).
//!
//! A rule is one file named after its id that defines a `pub static RULE: Rule`, and one
//! line in [`registry!`] below. It reports through a [`Sink`]: messages and related
//! locations always, fixes only when a code action asks for the fixes of that very
//! diagnostic (the closures that build them do not run otherwise).
//!
//! Two scopes, which decide how the analysis re-runs a rule after an edit:
//! - [`Check::Block`]: the rule looks at one *owner* block and at most [`REACH`] blocks on
//!   either side of it (never further), and its diagnostics lie inside the owner. After an
//!   edit only the owners whose window saw a changed block are re-checked, and the result
//!   is exactly what a full check would give (the contract `tests/rules_corpus.rs` checks).
//! - [`Check::Document`]: the rule reads the article's structure as a whole (headings,
//!   front matter); it runs again after every change, so it must cost no more than a
//!   walk over the blocks.
//!
//! Configuration switches a rule off before it runs, re-levels it, or defers it to save
//! time ([`When::Save`]); see [`RuleConfig`].

mod candidates;
mod container;
mod prose;
mod structure;
pub mod table;

use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use std::sync::Arc;

use ropey::Rope;

use crate::article::{Article, Block, BlockKind, Format};
use crate::text::{Edit, Span, Text};

/// Declares the rule modules and the registry, one line per rule, in the order
/// `newsls rules` lists them.
macro_rules! registry {
    ($($module:ident),* $(,)?) => {
        $(mod $module;)*
        /// Every rule, by its stable id.
        pub static RULES: &[&Rule] = &[$(&$module::RULE),*];
    };
}

registry! {
    table_extra_cells,
    table_missing_cells,
    table_delimiter_mismatch,
    table_missing_delimiter,
    table_bad_delimiter,
    table_split,
    table_tsv_cells,
    table_tsv,
    table_flattened,
    headline_missing,
    headline_multiple,
    heading_level_skip,
    section_empty,
    placeholder,
    bidi_control,
    repeated_word,
    quote_unbalanced,
    front_matter_empty,
    front_matter_duplicate,
    front_matter_required,
    dateline_format,
    lede_too_long,
    entity_misspelling,
    entity_variant,
    entity_spelling_elsewhere,
}

/// How loudly a diagnostic is reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
    Information,
    Hint,
}

impl Severity {
    /// From a configuration word: `error`, `warning` (`warn`), `information` (`info`), `hint`.
    pub fn parse(s: &str) -> Option<Severity> {
        match s.to_ascii_lowercase().as_str() {
            "error" => Some(Severity::Error),
            "warning" | "warn" => Some(Severity::Warning),
            "information" | "info" => Some(Severity::Information),
            "hint" => Some(Severity::Hint),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Information => "information",
            Severity::Hint => "hint",
        }
    }
}

/// A block rule's check.
pub type BlockCheck = fn(&BlockCtx<'_>, &mut Sink<'_>);
/// A document rule's check.
pub type DocumentCheck = fn(&DocCtx<'_>, &mut Sink<'_>);
/// An entity rule's check.
pub type EntityCheck = fn(&EntityCtx<'_>, &mut Sink<'_>);
/// A workspace rule's check.
pub type WorkspaceCheck = fn(&WorkspaceCtx<'_>, &mut Sink<'_>);

/// What part of the article a rule reads; see the module docs.
#[derive(Clone, Copy)]
pub enum Check {
    Block(BlockCheck),
    Document(DocumentCheck),
    /// Reads the document's entity index; runs whenever the index is rebuilt.
    Entities(EntityCheck),
    /// Reads the entity indexes of the other open documents too; runs whenever one of
    /// them is rebuilt.
    Workspace(WorkspaceCheck),
}

/// The kind of value a rule option takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptionKind {
    /// A whole number (`max-words = 45`).
    Count,
    /// A regular expression (`pattern = "^[A-Z]+ \\(Reuters\\) —"`).
    Pattern,
    /// A list of words (`fields = ["title", "date"]`).
    List,
}

/// An option a rule reads from its `[rules.<id>]` table.
#[derive(Clone, Copy, Debug)]
pub struct RuleOption {
    pub key: &'static str,
    pub kind: OptionKind,
    pub help: &'static str,
}

/// A rule option's value, checked against its kind.
#[derive(Clone, Debug)]
pub enum OptionValue {
    Count(usize),
    Pattern(regex::Regex),
    List(Vec<String>),
}

impl PartialEq for OptionValue {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (OptionValue::Count(a), OptionValue::Count(b)) => a == b,
            (OptionValue::Pattern(a), OptionValue::Pattern(b)) => a.as_str() == b.as_str(),
            (OptionValue::List(a), OptionValue::List(b)) => a == b,
            _ => false,
        }
    }
}

/// A rule's registry entry.
pub struct Rule {
    pub id: &'static str,
    pub default_severity: Severity,
    /// One line, for `newsls rules` and the README's table.
    pub summary: &'static str,
    /// The rule's documentation page (`docs/rules/<id>.md`), embedded in the binary.
    pub doc: &'static str,
    pub check: Check,
    /// The options it reads from its `[rules.<id>]` table.
    pub options: &'static [RuleOption],
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rule").field("id", &self.id).finish()
    }
}

/// Compiles and loads what the first check would otherwise compile and load while the
/// writer waits for it (the dateline and placeholder patterns, the gazetteer); the server
/// calls it once, while idle.
pub fn prepare() {
    placeholder::prepare();
    crate::article::anatomy::prepare();
    crate::entities::prepare();
}

pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|r| r.id == id)
}

/// A secondary location that explains a diagnostic (the header row a count is measured
/// against, the line that splits a table).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub rule: &'static str,
    pub severity: Severity,
    /// Non-empty, and for block rules inside the block the rule looked at.
    pub span: Span,
    pub message: String,
    pub related: Vec<Related>,
    /// The protocol positions of `span` and of each related span, once an answer has
    /// computed them.
    pub positions: crate::text::Memo,
    /// What the protocol edge wrote of the diagnostic, and for which positions (see
    /// [`Rendered`]).
    pub rendered: Rendered,
}

/// A diagnostic's serialised form, as the protocol edge wrote it for one documentation
/// address and one set of positions. A large document's answer after a keystroke copies
/// it whole for the thousands of diagnostics whose positions the keystroke did not
/// change, and the part after the range for those that only moved to other lines with
/// their related locations, instead of writing them again. Not part of what it is
/// attached to: two values compare equal whatever they hold.
#[derive(Clone, Default)]
pub struct Rendered(std::sync::OnceLock<Written>);

/// What a [`Rendered`] holds: the documentation address and the positions it was written
/// for (the range's ends, then each related location's), and what was written.
#[derive(Clone)]
struct Written {
    key: Option<Arc<str>>,
    at: Box<[crate::text::LineCol]>,
    bytes: Arc<[u8]>,
    /// Where what follows the range starts in `bytes`.
    tail: usize,
}

/// What a [`Rendered`] has for the positions asked about.
pub enum Kept<'a> {
    /// The whole diagnostic: every position is the same.
    Whole(&'a [u8]),
    /// What follows the range: only the range's positions differ.
    Tail(&'a [u8]),
}

impl Rendered {
    /// What was written for `key` that serves positions `at` (the range's ends, then the
    /// related locations').
    pub fn get(&self, key: Option<&str>, at: &[crate::text::LineCol]) -> Option<Kept<'_>> {
        let w = self.0.get().filter(|w| w.key.as_deref() == key)?;
        if *w.at == *at {
            Some(Kept::Whole(&w.bytes))
        } else if w.at.get(2..) == at.get(2..) {
            Some(Kept::Tail(&w.bytes[w.tail..]))
        } else {
            None
        }
    }

    /// Whether something is kept for `key`.
    pub fn is_kept(&self, key: Option<&str>) -> bool {
        self.0.get().is_some_and(|w| w.key.as_deref() == key)
    }

    /// Keeps `bytes`, written for `key` and positions `at`, whose part after the range
    /// starts at `tail`, unless something is kept already.
    pub fn remember(
        &self,
        key: Option<&str>,
        at: &[crate::text::LineCol],
        bytes: &[u8],
        tail: usize,
    ) {
        let _ = self.0.set(Written {
            key: key.map(Arc::from),
            at: at.into(),
            bytes: Arc::from(bytes),
            tail,
        });
    }
}

impl PartialEq for Rendered {
    fn eq(&self, _: &Rendered) -> bool {
        true
    }
}

impl Eq for Rendered {}

impl std::fmt::Debug for Rendered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Rendered")
    }
}

/// A quick fix: edits that repair one diagnostic. Edits do not overlap.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<Edit>,
    pub rule: &'static str,
    /// The fix an editor applies first (LSP `isPreferred`).
    pub preferred: bool,
    /// Repairs without guessing or dropping text: `newsls check --fix` applies it.
    pub safe: bool,
}

impl Fix {
    fn new(title: impl Into<String>, edits: Vec<Edit>, preferred: bool, safe: bool) -> Fix {
        Fix {
            title: title.into(),
            edits,
            rule: "",
            preferred,
            safe,
        }
    }

    /// The obvious repair, applied by `check --fix`.
    pub fn safe(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix::new(title, edits, true, true)
    }

    /// The likely repair, but one a person should look at (a guessed split, say).
    pub fn preferred(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix::new(title, edits, true, false)
    }

    /// One of several ways out; the writer chooses.
    pub fn alternative(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix::new(title, edits, false, false)
    }
}

/// When a rule runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum When {
    /// As the writer types (and on save, and from the command line).
    #[default]
    Type,
    /// Only on save (and from the command line); its findings stay until the next save.
    Save,
}

/// Per-rule settings: a rule switched off (`None`) or re-levelled, and when it runs; plus
/// the options some rules read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RuleConfig {
    levels: HashMap<&'static str, Option<Severity>>,
    when: HashMap<&'static str, When>,
    options: HashMap<(&'static str, &'static str), OptionValue>,
}

impl RuleConfig {
    fn known(id: &str) -> Result<&'static Rule, String> {
        rule(id).ok_or_else(|| {
            let known: Vec<&str> = RULES.iter().map(|r| r.id).collect();
            format!("unknown rule `{id}` (known rules: {})", known.join(", "))
        })
    }

    /// `level: None` switches the rule off. An unknown id is an error naming the known ones.
    pub fn set(&mut self, id: &str, level: Option<Severity>) -> Result<(), String> {
        let r = Self::known(id)?;
        self.levels.insert(r.id, level);
        Ok(())
    }

    pub fn set_when(&mut self, id: &str, when: When) -> Result<(), String> {
        let r = Self::known(id)?;
        self.when.insert(r.id, when);
        Ok(())
    }

    /// Sets a rule option; the value must be of the option's kind. Errors name the rule's
    /// options.
    pub fn set_option(&mut self, id: &str, key: &str, value: OptionValue) -> Result<(), String> {
        let r = Self::known(id)?;
        let Some(opt) = r.options.iter().find(|o| o.key == key) else {
            let keys: Vec<&str> = r.options.iter().map(|o| o.key).collect();
            return Err(if keys.is_empty() {
                format!("rule `{id}` has no option `{key}` (it takes only `level` and `when`)")
            } else {
                format!(
                    "rule `{id}` has no option `{key}` (its options: {}, and `level`, `when`)",
                    keys.join(", ")
                )
            });
        };
        let fits = matches!(
            (opt.kind, &value),
            (OptionKind::Count, OptionValue::Count(_))
                | (OptionKind::Pattern, OptionValue::Pattern(_))
                | (OptionKind::List, OptionValue::List(_))
        );
        if !fits {
            return Err(format!("`{key}` of rule `{id}` must be {}", opt.help));
        }
        self.options.insert((r.id, opt.key), value);
        Ok(())
    }

    /// A rule option, when configured.
    pub fn option(&self, id: &'static str, key: &'static str) -> Option<&OptionValue> {
        self.options.get(&(id, key))
    }

    pub fn count(&self, id: &'static str, key: &'static str) -> Option<usize> {
        match self.option(id, key)? {
            OptionValue::Count(n) => Some(*n),
            _ => None,
        }
    }

    pub fn pattern(&self, id: &'static str, key: &'static str) -> Option<&regex::Regex> {
        match self.option(id, key)? {
            OptionValue::Pattern(p) => Some(p),
            _ => None,
        }
    }

    pub fn list(&self, id: &'static str, key: &'static str) -> Option<&[String]> {
        match self.option(id, key)? {
            OptionValue::List(l) => Some(l),
            _ => None,
        }
    }

    /// The severity a rule reports at, or `None` when it is off.
    pub fn severity(&self, r: &Rule) -> Option<Severity> {
        match self.levels.get(r.id) {
            Some(level) => *level,
            None => Some(r.default_severity),
        }
    }

    pub fn when(&self, r: &Rule) -> When {
        self.when.get(r.id).copied().unwrap_or_default()
    }

    pub fn is_enabled(&self, id: &str) -> bool {
        rule(id).is_some_and(|r| self.severity(r).is_some())
    }
}

/// Which rules a run includes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Run {
    /// Rules that run as the writer types.
    Typing,
    /// Rules deferred to save time.
    SaveOnly,
    /// Every enabled rule (the command line).
    All,
    /// One rule, for its fixes.
    Only(&'static str),
}

impl Run {
    fn includes(self, r: &Rule, config: &RuleConfig) -> bool {
        match self {
            Run::Typing => config.when(r) == When::Type,
            Run::SaveOnly => config.when(r) == When::Save,
            Run::All => true,
            Run::Only(id) => r.id == id,
        }
    }
}

/// A request for the fixes of one diagnostic: its rule, and whether a span reported here
/// is its span (inside a container, spans are compared once mapped back).
struct FixRequest<'r> {
    rule: &'static str,
    matches: &'r dyn Fn(Span) -> bool,
    fixes: RefCell<Vec<Fix>>,
}

/// Where a rule reports. Holds the rule's configured severity.
pub struct Sink<'a> {
    rule: &'static str,
    severity: Severity,
    out: &'a mut Vec<Diagnostic>,
    request: Option<&'a FixRequest<'a>>,
}

impl Sink<'_> {
    /// Reports a diagnostic; attach related locations and fixes to the returned handle.
    pub fn report(&mut self, span: Span, message: impl Into<String>) -> Report<'_> {
        self.out.push(Diagnostic {
            rule: self.rule,
            severity: self.severity,
            span,
            message: message.into(),
            related: Vec::new(),
            positions: Default::default(),
            rendered: Default::default(),
        });
        let wanted = self
            .request
            .filter(|r| r.rule == self.rule && (r.matches)(span))
            .map(|r| &r.fixes);
        Report {
            rule: self.rule,
            diagnostic: self.out.last_mut().expect("just pushed"),
            fixes: wanted,
        }
    }
}

/// A reported diagnostic, to add related locations and fixes to.
pub struct Report<'s> {
    rule: &'static str,
    diagnostic: &'s mut Diagnostic,
    fixes: Option<&'s RefCell<Vec<Fix>>>,
}

impl Report<'_> {
    pub fn related(self, span: Span, message: impl Into<String>) -> Self {
        self.diagnostic.related.push(Related {
            span,
            message: message.into(),
        });
        self
    }

    /// A fix, built only when a code action asks for this diagnostic's fixes.
    pub fn fix(self, build: impl FnOnce() -> Fix) -> Self {
        if let Some(fixes) = self.fixes {
            let mut f = build();
            f.rule = self.rule;
            fixes.borrow_mut().push(f);
        }
        self
    }
}

/// How many blocks on each side of its owner a block rule may look at.
pub const REACH: usize = 2;

/// What a block rule sees: the owner block `blocks[i]`, its neighbours, and the text
/// around them (at least from `REACH` blocks before the owner to the line break after
/// `REACH` blocks after it).
pub struct BlockCtx<'a> {
    pub text: Text<'a>,
    pub format: Format,
    pub blocks: &'a [Block],
    pub i: usize,
    pub config: &'a RuleConfig,
    /// How many containers (block quotes, list items) the blocks are inside.
    pub depth: usize,
    split: OnceCell<Option<table_split::Split>>,
    pipe: OnceCell<Option<candidates::PipeTable>>,
    prose: OnceCell<Vec<Span>>,
    /// What is known of the text of all the blocks checked with this one.
    pub(crate) batch: Batch,
}

/// What a search over the text of a run's owners at once found, for rules whose findings
/// are rare: a block of the run can only hold what the whole text holds, and one search
/// over a hundred kilobytes costs less than one per block (an opened document's blocks
/// are 190 bytes on average). Unknown (a block checked alone) is "may".
#[derive(Clone, Copy, Debug)]
pub(crate) struct Batch {
    pub placeholders: bool,
    pub bidi_controls: bool,
}

impl Batch {
    /// Nothing known.
    pub const MAY: Batch = Batch {
        placeholders: true,
        bidi_controls: true,
    };

    /// What `text` holds, searched for the rules that will read it (`active`); "may" for
    /// the others.
    fn of(text: &str, active: &[(&Rule, BlockCheck, Severity)]) -> Batch {
        let on = |rule: &Rule| active.iter().any(|(r, _, _)| r.id == rule.id);
        Batch {
            placeholders: !on(&placeholder::RULE) || placeholder::candidate(text),
            bidi_controls: !on(&bidi_control::RULE) || bidi_control::may_have_control(text),
        }
    }
}

impl<'a> BlockCtx<'a> {
    pub fn new(
        text: Text<'a>,
        format: Format,
        blocks: &'a [Block],
        i: usize,
        config: &'a RuleConfig,
        depth: usize,
    ) -> BlockCtx<'a> {
        BlockCtx {
            text,
            format,
            blocks,
            i,
            config,
            depth,
            split: OnceCell::new(),
            pipe: OnceCell::new(),
            prose: OnceCell::new(),
            batch: Batch::MAY,
        }
    }

    pub fn block(&self) -> Block {
        self.blocks[self.i]
    }

    /// The block `n` places before the owner (`n` ≤ [`REACH`]).
    pub fn prev(&self, n: usize) -> Option<Block> {
        debug_assert!(n <= REACH);
        self.i.checked_sub(n).map(|j| self.blocks[j])
    }

    /// The text between two blocks (`a` before `b`).
    pub fn gap(&self, a: Block, b: Block) -> &'a str {
        self.text
            .slice(Span::new(a.span.end.min(b.span.start), b.span.start))
    }

    /// The owner's prose ([`prose::spans`]), computed once for the rules that read words.
    pub(crate) fn prose(&self) -> &[Span] {
        self.prose
            .get_or_init(|| prose::spans(self.text, self.format, self.block()))
    }

    /// The owner as the cut-off part of a table above it, computed once.
    pub(crate) fn split(&self) -> Option<&table_split::Split> {
        self.split.get_or_init(|| table_split::find(self)).as_ref()
    }

    /// The pipe table the owner holds or was meant to hold, computed once for all the
    /// rules that read it. `None` when the owner is the cut-off part of a table above it:
    /// `table-split` reports that, and the rows are not a table of their own.
    pub(crate) fn pipe_table(&self) -> Option<&candidates::PipeTable> {
        self.pipe
            .get_or_init(|| {
                if self.split().is_some() {
                    None
                } else {
                    candidates::pipe_table(self, self.block())
                }
            })
            .as_ref()
    }
}

/// What a document rule sees.
pub struct DocCtx<'a> {
    pub article: &'a Article,
    pub rope: &'a Rope,
    pub config: &'a RuleConfig,
}

/// Another open document, as a workspace rule sees it.
pub struct OtherDoc<'a> {
    /// How to name it in a message (its file name).
    pub name: String,
    pub spellings: &'a crate::features::names::Spellings,
    /// 0-based line of an offset in it.
    pub line_of: &'a dyn Fn(usize) -> usize,
}

/// What a workspace rule sees: this document's entities and the other open documents'.
pub struct WorkspaceCtx<'a> {
    pub entities: &'a crate::entities::DocumentEntities,
    pub spellings: &'a crate::features::names::Spellings,
    pub others: &'a [OtherDoc<'a>],
    pub config: &'a RuleConfig,
}

/// What an entity rule sees: the document's entity index.
pub struct EntityCtx<'a> {
    pub rope: &'a Rope,
    pub entities: &'a crate::entities::DocumentEntities,
    pub config: &'a RuleConfig,
}

fn severity_for(config: &RuleConfig, r: &Rule, run: Run) -> Option<Severity> {
    if !run.includes(r, config) {
        return None;
    }
    match run {
        // A fix is asked for by a diagnostic the user sees, whatever the level says now.
        Run::Only(_) => Some(config.severity(r).unwrap_or(r.default_severity)),
        _ => config.severity(r),
    }
}

fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (a.span.start, a.span.end, a.rule).cmp(&(b.span.start, b.span.end, b.rule))
    });
}

/// What a run of the block rules works on.
#[derive(Clone, Copy)]
struct Scope<'a> {
    text: Text<'a>,
    format: Format,
    blocks: &'a [Block],
    config: &'a RuleConfig,
    run: Run,
    depth: usize,
}

/// Runs the block rules on the owners `blocks[owners]`, each seeing its neighbours in
/// `blocks`; `text` must cover the owners' windows.
fn run_blocks(
    scope: Scope<'_>,
    owners: std::ops::Range<usize>,
    out: &mut Vec<Diagnostic>,
    request: Option<&FixRequest<'_>>,
) {
    let active: Vec<(&Rule, BlockCheck, Severity)> = RULES
        .iter()
        .filter_map(|r| match r.check {
            Check::Block(f) => severity_for(scope.config, r, scope.run).map(|s| (*r, f, s)),
            Check::Document(_) | Check::Entities(_) | Check::Workspace(_) => None,
        })
        .collect();
    if active.is_empty() || owners.is_empty() {
        return;
    }
    let owners_text = scope.text.slice(Span::new(
        scope.blocks[owners.start].span.start,
        scope.blocks[owners.end - 1].span.end,
    ));
    let batch = Batch::of(owners_text, &active);
    for i in owners {
        let mut ctx = BlockCtx::new(
            scope.text,
            scope.format,
            scope.blocks,
            i,
            scope.config,
            scope.depth,
        );
        ctx.batch = batch;
        for &(r, check, severity) in &active {
            let mut sink = Sink {
                rule: r.id,
                severity,
                out,
                request,
            };
            check(&ctx, &mut sink);
        }
        let b = scope.blocks[i];
        if scope.format == Format::Markdown
            && matches!(b.kind, BlockKind::Quote | BlockKind::List)
            && scope.depth < container::MAX_DEPTH
        {
            run_container(scope, b, out, request);
        }
    }
}

/// Runs the block rules on the content of a block quote or list (see `container`).
fn run_container(
    scope: Scope<'_>,
    b: Block,
    out: &mut Vec<Diagnostic>,
    request: Option<&FixRequest<'_>>,
) {
    let Some((inner, article)) = container::parse(scope.text, b) else {
        return;
    };
    let blocks: Vec<Block> = article.blocks().collect();
    let inner_scope = Scope {
        text: Text::whole(&inner.text),
        format: Format::Markdown,
        blocks: &blocks,
        depth: scope.depth + 1,
        ..scope
    };
    let mut found = Vec::new();
    match request {
        None => run_blocks(inner_scope, 0..blocks.len(), &mut found, None),
        Some(outer) => {
            let wanted = outer.matches;
            let matches = |s: Span| wanted(inner.outer_span(s));
            let inner_request = FixRequest {
                rule: outer.rule,
                matches: &matches,
                fixes: RefCell::default(),
            };
            run_blocks(
                inner_scope,
                0..blocks.len(),
                &mut found,
                Some(&inner_request),
            );
            for mut f in inner_request.fixes.into_inner() {
                f.edits = f.edits.into_iter().map(|e| inner.outer_edit(e)).collect();
                outer.fixes.borrow_mut().push(f);
            }
        }
    }
    for mut d in found {
        d.span = inner.outer_span(d.span);
        for r in &mut d.related {
            r.span = inner.outer_span(r.span);
        }
        out.push(d);
    }
}

/// Runs the document rules.
fn run_document(
    ctx: &DocCtx<'_>,
    run: Run,
    out: &mut Vec<Diagnostic>,
    request: Option<&FixRequest<'_>>,
) {
    for r in RULES {
        let Check::Document(check) = r.check else {
            continue;
        };
        let Some(severity) = severity_for(ctx.config, r, run) else {
            continue;
        };
        let mut sink = Sink {
            rule: r.id,
            severity,
            out,
            request,
        };
        check(ctx, &mut sink);
    }
}

/// The diagnostics of the block rules for the owners `blocks[owners]`, sorted.
pub fn check_blocks(
    text: Text<'_>,
    format: Format,
    blocks: &[Block],
    owners: std::ops::Range<usize>,
    config: &RuleConfig,
    run: Run,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let scope = Scope {
        text,
        format,
        blocks,
        config,
        run,
        depth: 0,
    };
    run_blocks(scope, owners, &mut out, None);
    sort(&mut out);
    out
}

/// Runs the entity rules.
fn run_entities(
    ctx: &EntityCtx<'_>,
    run: Run,
    out: &mut Vec<Diagnostic>,
    request: Option<&FixRequest<'_>>,
) {
    for r in RULES {
        let Check::Entities(check) = r.check else {
            continue;
        };
        let Some(severity) = severity_for(ctx.config, r, run) else {
            continue;
        };
        let mut sink = Sink {
            rule: r.id,
            severity,
            out,
            request,
        };
        check(ctx, &mut sink);
    }
}

/// The diagnostics of the workspace rules for one document, sorted.
pub fn check_workspace(ctx: &WorkspaceCtx<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for r in RULES {
        let Check::Workspace(check) = r.check else {
            continue;
        };
        let Some(severity) = ctx.config.severity(r) else {
            continue;
        };
        let mut sink = Sink {
            rule: r.id,
            severity,
            out: &mut out,
            request: None,
        };
        check(ctx, &mut sink);
    }
    sort(&mut out);
    out
}

/// The diagnostics of the entity rules, sorted.
pub fn check_entities(ctx: &EntityCtx<'_>, run: Run) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    run_entities(ctx, run, &mut out, None);
    sort(&mut out);
    out
}

/// The fixes for a diagnostic of an entity rule.
pub fn entity_fixes(ctx: &EntityCtx<'_>, diag: &Diagnostic) -> Vec<Fix> {
    let Some(r) = rule(diag.rule) else {
        return Vec::new();
    };
    let target = diag.span;
    let matches = |s: Span| s == target;
    let request = FixRequest {
        rule: r.id,
        matches: &matches,
        fixes: RefCell::default(),
    };
    let mut sink = Vec::new();
    run_entities(ctx, Run::Only(r.id), &mut sink, Some(&request));
    request.fixes.into_inner()
}

/// The diagnostics of the document rules, sorted.
pub fn check_document(ctx: &DocCtx<'_>, run: Run) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    run_document(ctx, run, &mut out, None);
    sort(&mut out);
    out
}

/// Every diagnostic of `run`'s block and document rules over the whole article (`text` is
/// all of it). Entity rules need the entity index: see `analysis::check_text`.
pub fn check(article: &Article, text: &str, config: &RuleConfig, run: Run) -> Vec<Diagnostic> {
    let blocks: Vec<Block> = article.blocks().collect();
    let mut out = Vec::new();
    let scope = Scope {
        text: Text::whole(text),
        format: article.format(),
        blocks: &blocks,
        config,
        run,
        depth: 0,
    };
    run_blocks(scope, 0..blocks.len(), &mut out, None);
    let rope = Rope::from_str(text);
    run_document(
        &DocCtx {
            article,
            rope: &rope,
            config,
        },
        run,
        &mut out,
        None,
    );
    sort(&mut out);
    out
}

/// The fixes for `diag`, recomputed from the current text by running its rule alone.
/// For a block rule, `text` must cover the window of the block holding the diagnostic
/// (see [`BlockCtx`]); `blocks[owner]` is that block. Empty when the diagnostic is stale
/// (the text changed under it) or its rule offers no fix there.
pub fn block_fixes(
    text: Text<'_>,
    format: Format,
    blocks: &[Block],
    owner: usize,
    config: &RuleConfig,
    diag: &Diagnostic,
) -> Vec<Fix> {
    let Some(r) = rule(diag.rule) else {
        return Vec::new();
    };
    let target = diag.span;
    let matches = |s: Span| s == target;
    let request = FixRequest {
        rule: r.id,
        matches: &matches,
        fixes: RefCell::default(),
    };
    let mut sink = Vec::new();
    let scope = Scope {
        text,
        format,
        blocks,
        config,
        run: Run::Only(r.id),
        depth: 0,
    };
    run_blocks(scope, owner..owner + 1, &mut sink, Some(&request));
    request.fixes.into_inner()
}

/// The fixes for a diagnostic of a document rule.
pub fn document_fixes(ctx: &DocCtx<'_>, diag: &Diagnostic) -> Vec<Fix> {
    let Some(r) = rule(diag.rule) else {
        return Vec::new();
    };
    let target = diag.span;
    let matches = |s: Span| s == target;
    let request = FixRequest {
        rule: r.id,
        matches: &matches,
        fixes: RefCell::default(),
    };
    let mut sink = Vec::new();
    run_document(ctx, Run::Only(r.id), &mut sink, Some(&request));
    request.fixes.into_inner()
}

/// Is `r` a block rule?
pub fn is_block_rule(id: &str) -> bool {
    rule(id).is_some_and(|r| matches!(r.check, Check::Block(_)))
}

/// Is `r` an entity rule?
pub fn is_entity_rule(id: &str) -> bool {
    rule(id).is_some_and(|r| matches!(r.check, Check::Entities(_)))
}
