//! Diagnostics about tables: every way a table in a news article breaks, as rules with
//! stable ids (`table-…`), default severities and per-rule configuration.
//!
//! Each rule lives in a file named after its id and looks at one *owner* block and at
//! most [`REACH`] blocks on either side of it (never further), which is what makes
//! [`check_region`] exact: after an edit only the owners whose window saw a changed block
//! are re-checked. A diagnostic's span always lies inside its owner block.
//!
//! Rules compute their quick fixes at the same time (a [`Finding`]); `check` drops them
//! and `features::table_fixes` recomputes them for the one diagnostic it is asked about.

mod candidates;
pub mod table;
mod table_bad_delimiter;
mod table_delimiter_mismatch;
mod table_extra_cells;
mod table_flattened;
mod table_missing_cells;
mod table_missing_delimiter;
mod table_split;
mod table_tsv;
mod table_tsv_cells;

use std::collections::HashMap;

use crate::article::{Article, Block, Format};
use crate::text::Span;

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
}

/// A rule's registry entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuleMeta {
    pub id: &'static str,
    pub default_severity: Severity,
    pub summary: &'static str,
}

/// Every rule, by its stable id. Documentation: `docs/rules/<id>.md`.
pub const RULES: &[RuleMeta] = &[
    table_extra_cells::META,
    table_missing_cells::META,
    table_delimiter_mismatch::META,
    table_missing_delimiter::META,
    table_bad_delimiter::META,
    table_split::META,
    table_tsv_cells::META,
    table_tsv::META,
    table_flattened::META,
];

pub fn rule(id: &str) -> Option<&'static RuleMeta> {
    RULES.iter().find(|r| r.id == id)
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
    /// Non-empty, and inside the block the rule looked at.
    pub span: Span,
    pub message: String,
    pub related: Vec<Related>,
    /// Not needed to compute fixes (`fixes_for` recomputes them from `rule` and `span`);
    /// some rules put a short machine-readable hint here, e.g. the flattened table's
    /// proposed column count (`columns=2`).
    pub data: Option<String>,
}

/// Per-rule overrides: a rule switched off (`None`) or re-levelled.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleConfig {
    overrides: HashMap<&'static str, Option<Severity>>,
}

impl RuleConfig {
    /// `level: None` switches the rule off. An unknown id is an error naming the known ones.
    pub fn set(&mut self, id: &str, level: Option<Severity>) -> Result<(), String> {
        let meta = rule(id).ok_or_else(|| {
            let known: Vec<&str> = RULES.iter().map(|r| r.id).collect();
            format!("unknown rule `{id}` (known rules: {})", known.join(", "))
        })?;
        self.overrides.insert(meta.id, level);
        Ok(())
    }

    /// The severity a rule reports at, or `None` when it is off.
    pub fn severity(&self, id: &str) -> Option<Severity> {
        let meta = rule(id)?;
        match self.overrides.get(meta.id) {
            Some(level) => *level,
            None => Some(meta.default_severity),
        }
    }

    pub fn is_enabled(&self, id: &str) -> bool {
        self.severity(id).is_some()
    }
}

/// An edit of a quick fix: replace `span` with `new_text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub new_text: String,
}

/// A quick fix as a rule proposes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProposedFix {
    pub title: String,
    pub edits: Vec<Edit>,
    pub preferred: bool,
}

/// A diagnostic with the fixes that repair it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub diagnostic: Diagnostic,
    pub fixes: Vec<ProposedFix>,
}

impl Finding {
    pub(crate) fn new(meta: &RuleMeta, span: Span, message: String) -> Finding {
        Finding {
            diagnostic: Diagnostic {
                rule: meta.id,
                severity: meta.default_severity,
                span,
                message,
                related: Vec::new(),
                data: None,
            },
            fixes: Vec::new(),
        }
    }

    pub(crate) fn related(mut self, span: Span, message: impl Into<String>) -> Finding {
        self.diagnostic.related.push(Related {
            span,
            message: message.into(),
        });
        self
    }

    pub(crate) fn fix(
        mut self,
        title: impl Into<String>,
        edits: Vec<Edit>,
        preferred: bool,
    ) -> Finding {
        self.fixes.push(ProposedFix {
            title: title.into(),
            edits,
            preferred,
        });
        self
    }
}

/// How many blocks on each side of its owner a rule may look at.
pub const REACH: usize = 2;

/// What a rule sees: the owner block `blocks[i]` and its neighbours.
pub(crate) struct Ctx<'a> {
    pub text: &'a str,
    pub format: Format,
    pub blocks: &'a [Block],
    pub i: usize,
}

impl<'a> Ctx<'a> {
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
        &self.text[a.span.end.min(b.span.start)..b.span.start]
    }
}

/// All findings of the owner `ctx.i`, for every enabled rule.
fn findings_of(ctx: &Ctx<'_>, config: &RuleConfig, out: &mut Vec<Finding>) {
    let start = out.len();
    let pipe = candidates::pipe_table(ctx, ctx.block());
    let split = table_split::find(ctx);
    if let Some(t) = &pipe {
        if split.is_none() {
            table_extra_cells::check(ctx, t, out);
            table_missing_cells::check(ctx, t, out);
            table_delimiter_mismatch::check(ctx, t, out);
            table_bad_delimiter::check(ctx, t, out);
            table_missing_delimiter::check(ctx, t, out);
        }
    }
    if let Some(s) = &split {
        table_split::check(ctx, s, out);
    }
    table_tsv_cells::check(ctx, out);
    table_tsv::check(ctx, out);
    table_flattened::check(ctx, out);
    // Configuration: drop what is off, re-level the rest.
    let mut k = start;
    for j in start..out.len() {
        if let Some(sev) = config.severity(out[j].diagnostic.rule) {
            out[j].diagnostic.severity = sev;
            out.swap(k, j);
            k += 1;
        }
    }
    out.truncate(k);
}

fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        let (a, b) = (&a.diagnostic, &b.diagnostic);
        (a.span.start, a.span.end, a.rule).cmp(&(b.span.start, b.span.end, b.rule))
    });
}

/// Findings for every block of the article.
pub fn check_findings(article: &Article, text: &str, config: &RuleConfig) -> Vec<Finding> {
    let blocks: Vec<Block> = article.blocks().collect();
    findings_of_owners(article, text, &blocks, 0..blocks.len(), config)
}

/// The findings owned by `blocks[owners]`, each rule seeing its owner's neighbours in `blocks`.
fn findings_of_owners(
    article: &Article,
    text: &str,
    blocks: &[Block],
    owners: std::ops::Range<usize>,
    config: &RuleConfig,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for i in owners {
        let ctx = Ctx {
            text,
            format: article.format(),
            blocks,
            i,
        };
        findings_of(&ctx, config, &mut out);
    }
    sort(&mut out);
    out
}

/// Every table diagnostic of the whole document, sorted by `span.start`.
pub fn check(article: &Article, text: &str, config: &RuleConfig) -> Vec<Diagnostic> {
    check_findings(article, text, config)
        .into_iter()
        .map(|f| f.diagnostic)
        .collect()
}

/// The blocks around `region` (in order), and the index range of the owners whose
/// window sees a block touching `region` or the gap it lies in.
fn neighbourhood(article: &Article, region: Span) -> (Vec<Block>, std::ops::Range<usize>) {
    let extra = 2 * REACH + 1;
    let mut before: Vec<Block> = article
        .blocks_before(region.start)
        .filter(|b| b.span.end < region.start)
        .take(extra)
        .collect();
    before.reverse();
    let mut after: Vec<Block> = Vec::new();
    let mut past = 0;
    for b in article.blocks_from(region.start) {
        if b.span.start > region.end {
            past += 1;
            if past > extra {
                break;
            }
        }
        after.push(b);
    }
    let n_before = before.len();
    let touched = after.iter().filter(|b| b.span.start <= region.end).count();
    let mut blocks = before;
    blocks.extend(after);
    // The block before the region and the one after it own the gaps around it.
    let lo = n_before.saturating_sub(1 + REACH);
    let hi = (n_before + touched + 1 + REACH).min(blocks.len());
    (blocks, lo..hi)
}

/// Re-checks what an edit can have changed. `region` covers the re-parsed blocks (in
/// the new text). Returns `affected` — `region` widened to every owner block whose
/// window reaches into it — and every finding whose owner lies in `affected`.
///
/// Contract: the full result equals the old diagnostics that do not intersect
/// `affected` (moved by the edit) together with the diagnostics returned here.
pub fn check_region_findings(
    article: &Article,
    text: &str,
    region: Span,
    config: &RuleConfig,
) -> (Span, Vec<Finding>) {
    let (blocks, owners) = neighbourhood(article, region);
    let out = findings_of_owners(article, text, &blocks, owners.clone(), config);
    let mut affected = region;
    if !owners.is_empty() {
        affected.start = affected.start.min(blocks[owners.start].span.start);
        affected.end = affected.end.max(blocks[owners.end - 1].span.end);
    }
    (affected, out)
}

/// [`check_region_findings`] without the fixes.
pub fn check_region(
    article: &Article,
    text: &str,
    region: Span,
    config: &RuleConfig,
) -> (Span, Vec<Diagnostic>) {
    let (affected, findings) = check_region_findings(article, text, region, config);
    (
        affected,
        findings.into_iter().map(|f| f.diagnostic).collect(),
    )
}

/// The findings of the block that owns `span` (a diagnostic's span), with fixes.
pub fn findings_at(article: &Article, text: &str, span: Span) -> Vec<Finding> {
    let (_, findings) = check_region_findings(article, text, span, &RuleConfig::default());
    findings
        .into_iter()
        .filter(|f| f.diagnostic.span == span)
        .collect()
}
