//! tower-lsp's `LanguageServer`: the lifecycle, the configuration, and one method per
//! request that converts in, calls the core on a snapshot, and converts out. Text
//! synchronisation is not here: the input loop applies it in order (see `sync`); nor are
//! the requests with large answers (pulled diagnostics, outline, folding: see `direct`).
//!
//! Requests run on the blocking pool under `catch_unwind`: a panic is an internal-error
//! answer and a log line, never a dead server. A request the client cancels answers
//! `RequestCancelled` (tower-lsp drops its future), and the flag its computation polls is
//! raised so the work stops too.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tower_lsp::jsonrpc::{Error, Result};
use tower_lsp::lsp_types::*;
use tower_lsp::{Client, LanguageServer};

use super::config_file::is_config_file;
use super::convert;
use super::direct;
use super::state::{lock, schedule, to_lsp, ClientCaps, State};
use crate::analysis::Snapshot;
use crate::config::Config;
use crate::features::{names, table_format};
use crate::text::{rope_slice, Encoding, Span, Text};

/// The longest a request on names waits for the entity index.
const ENTITY_WAIT: Duration = Duration::from_secs(10);

pub struct Backend {
    client: Client,
    state: Arc<State>,
}

/// Raised when a request's future is dropped (cancelled, or the session ends).
struct CancelOnDrop(Arc<AtomicBool>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// What a request computation gets.
struct Req {
    snap: Snapshot,
    enc: Encoding,
    cancelled: Arc<AtomicBool>,
}

impl Req {
    fn cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }
}

impl Backend {
    pub fn new(client: Client, state: Arc<State>) -> Backend {
        state.set_client(client.clone());
        Backend { client, state }
    }

    /// Runs `f` on a snapshot on the blocking pool; a panic becomes an internal error.
    /// An unknown document is an empty answer.
    async fn with_snapshot<T, F>(&self, method: &'static str, uri: &Url, f: F) -> Result<Option<T>>
    where
        T: Send + 'static,
        F: FnOnce(Req) -> Option<T> + Send + 'static,
    {
        let snap = self.state.snapshot(uri);
        self.run(method, uri, snap, f).await
    }

    /// As [`Backend::with_snapshot`], on a snapshot whose entity index is up to date (its
    /// `entities` is `None` only for a document that has none: too long, or not checked).
    async fn with_entities<T, F>(&self, method: &'static str, uri: &Url, f: F) -> Result<Option<T>>
    where
        T: Send + 'static,
        F: FnOnce(Req) -> Option<T> + Send + 'static,
    {
        let snap = self.entity_snapshot(uri).await;
        self.run(method, uri, snap, f).await
    }

    /// Waits for the document's entity index to catch up with its text, asking for it
    /// at once if the document is long enough for it to wait for a pause.
    async fn entity_snapshot(&self, uri: &Url) -> Option<Snapshot> {
        let deadline = tokio::time::Instant::now() + ENTITY_WAIT;
        loop {
            let notified = self.state.analysed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            {
                let mut ws = lock(&self.state.ws);
                let doc = ws.get(uri.as_str())?;
                let never = doc.skipped().is_some()
                    || doc.rope().len_bytes() > crate::analysis::entities::MAX_BYTES;
                if doc.entities().is_some() || never || tokio::time::Instant::now() > deadline {
                    return Some(doc.snapshot());
                }
                if doc.entities_pending() {
                    ws.entities_now(uri.as_str());
                }
            }
            schedule(&self.state, uri);
            let _ = tokio::time::timeout(Duration::from_millis(500), notified).await;
        }
    }

    async fn run<T, F>(
        &self,
        method: &'static str,
        uri: &Url,
        snap: Option<Snapshot>,
        f: F,
    ) -> Result<Option<T>>
    where
        T: Send + 'static,
        F: FnOnce(Req) -> Option<T> + Send + 'static,
    {
        let Some(snap) = snap else {
            tracing::debug!(method, %uri, "request for a document that is not open");
            return Ok(None);
        };
        let cancelled = Arc::new(AtomicBool::new(false));
        let _guard = CancelOnDrop(cancelled.clone());
        let req = Req {
            snap,
            enc: self.state.encoding(),
            cancelled,
        };
        let span = tracing::info_span!("request", method, %uri);
        let result = tokio::task::spawn_blocking(move || {
            let _enter = span.enter();
            let started = std::time::Instant::now();
            let r = catch_unwind(AssertUnwindSafe(|| f(req)));
            tracing::debug!(
                elapsed_us = started.elapsed().as_micros() as u64,
                "computed"
            );
            r
        })
        .await;
        match result {
            Ok(Ok(v)) => Ok(v),
            _ => {
                super::note_panic();
                tracing::error!(method, %uri, "handler panicked; answering with an internal error");
                Err(Error::internal_error())
            }
        }
    }

    /// Applies a new editor configuration or workspace file; reports a bad one and keeps
    /// the last good configuration. Diagnostics are recomputed either way.
    async fn apply_settings(&self, editor: Option<serde_json::Value>, reload_file: bool) {
        let problems = {
            let mut sources = lock(&self.state.config);
            let mut problems = Vec::new();
            let mut new_editor = sources.editor.clone();
            if let Some(v) = editor {
                match Config::from_json(&v) {
                    Ok(c) => new_editor = c,
                    Err(e) => problems.push(format!("newsls: ignoring editor settings: {e}")),
                }
            }
            let mut new_file = sources.file.clone();
            if reload_file {
                // Looked for again each time: the file may have been created or deleted.
                new_file = Config::default();
                if let Some(path) = sources.root.as_deref().and_then(Config::discover) {
                    let read =
                        crate::reading::read_bounded(&path, crate::reading::MAX_CONFIG_BYTES);
                    match read.and_then(|t| Config::from_toml(&t)) {
                        Ok(c) => {
                            // Ignored, not refused: logged here, and shown on the file
                            // itself when it is open (`config_file`).
                            let text = c.source.as_deref().unwrap_or_default();
                            for (key, line) in crate::config::unknown_keys(text) {
                                tracing::warn!(
                                    "{}:{line}: unknown key `{key}` in the configuration (ignored)",
                                    path.display()
                                );
                            }
                            new_file = c
                        }
                        Err(e) => {
                            problems.push(format!("newsls: ignoring {}: {e}", path.display()));
                            new_file = sources.file.clone();
                        }
                    }
                }
            }
            match new_file
                .overlay(&new_editor)
                .settings_at(sources.root.clone())
            {
                Ok(settings) => {
                    for w in &settings.warnings {
                        tracing::warn!("newsls: {w}");
                    }
                    // A glossary that was not read at all (outside the workspace, too
                    // large, not a file: `config::glossary` words these "glossary NAME:
                    // ...") is said in a message too, once: unlike a bad entry, it shows
                    // nowhere else unless newsls.toml is open.
                    let mut ws = lock(&self.state.ws);
                    let refused = |s: &crate::analysis::Settings| {
                        s.warnings
                            .iter()
                            .filter(|w| w.starts_with("glossary "))
                            .cloned()
                            .collect::<Vec<_>>()
                    };
                    let now = refused(&settings);
                    if refused(ws.settings()) != now {
                        problems.extend(now.iter().map(|w| format!("newsls: {w}")));
                    }
                    sources.editor = new_editor;
                    sources.file = new_file;
                    ws.set_settings(settings);
                }
                Err(e) => problems.push(format!("newsls: keeping the previous configuration: {e}")),
            }
            problems
        };
        for p in problems {
            tracing::warn!("{p}");
            self.client.show_message(MessageType::WARNING, p).await;
        }
        let uris: Vec<Url> = lock(&self.state.ws)
            .keys()
            .filter_map(|k| Url::parse(k).ok())
            .collect();
        if !uris.is_empty() {
            self.state.expect_refresh();
        }
        for uri in &uris {
            schedule(&self.state, uri);
        }
    }
}

/// Parameters of `newsls/documentText`.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentTextParams {
    text_document: TextDocumentIdentifier,
}

/// The server's copy of a document: what `newsls/documentText` answers, so that tests and
/// bug reports can see exactly what the server holds.
#[derive(serde::Serialize)]
pub struct DocumentText {
    version: i32,
    text: String,
}

/// Parameters of `newsls/debug/delay`: milliseconds to wait before each analysis, between
/// computing a publication and queueing it, and before applying each text
/// synchronisation notification.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DelayParams {
    #[serde(default)]
    analysis_ms: u64,
    #[serde(default)]
    publish_ms: u64,
    #[serde(default)]
    sync_ms: u64,
}

impl Backend {
    pub async fn document_text(&self, params: DocumentTextParams) -> Result<Option<DocumentText>> {
        Ok(self
            .state
            .snapshot(&params.text_document.uri)
            .map(|s| DocumentText {
                version: s.version,
                text: s.rope.to_string(),
            }))
    }

    /// `newsls/debug/panic`, registered only when `NEWSLS_DEBUG_HOOKS=1`: panics inside a
    /// request handler, so tests can check that a panic is an error answer, not a crash.
    pub async fn debug_panic(&self, params: DocumentTextParams) -> Result<Option<()>> {
        self.with_snapshot(
            "newsls/debug/panic",
            &params.text_document.uri,
            |_| -> Option<()> { panic!("newsls/debug/panic was called") },
        )
        .await
    }

    /// `newsls/debug/analyses`, registered only when `NEWSLS_DEBUG_HOOKS=1`: how many
    /// analyses have run since the start, so tests can check how edits are coalesced
    /// without timing anything.
    pub async fn debug_analyses(&self, _: serde_json::Value) -> Result<u64> {
        Ok(self.state.analyses_run.load(Ordering::SeqCst))
    }

    /// `newsls/debug/delay`, registered only when `NEWSLS_DEBUG_HOOKS=1`: makes races
    /// between analyses and the messages around them deterministic in tests.
    pub async fn debug_delay(&self, params: DelayParams) -> Result<()> {
        let d = &self.state.delays;
        d.analysis_ms.store(params.analysis_ms, Ordering::SeqCst);
        d.publish_ms.store(params.publish_ms, Ordering::SeqCst);
        d.sync_ms.store(params.sync_ms, Ordering::SeqCst);
        Ok(())
    }
}

// Fault and cancellation hooks for tests (registered only with NEWSLS_DEBUG_HOOKS=1).

/// Parameters of `newsls/debug/fault`: where to panic (`analysis`, `sync` or `handler`).
#[derive(serde::Deserialize)]
pub struct FaultParams {
    at: String,
}

/// Parameters of `newsls/debug/slow`: a document, and how long the computation takes.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SlowParams {
    text_document: TextDocumentIdentifier,
    ms: u64,
}

/// What `newsls/debug/counters` answers: the panics caught so far, the heap trims done
/// after closes (`memory`), and the `newsls/debug/slow` counters (see
/// `state::DebugFaults`).
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Counters {
    panics: u64,
    trims: u64,
    heap_bytes: Option<u64>,
    slow_steps: u64,
    slow_completed: u64,
    slow_cancelled: u64,
    /// Whether the gazetteer the first check needs is loaded (see
    /// [`crate::rules::prepare`]).
    prepared: bool,
}

impl Backend {
    /// `newsls/debug/fault`: the next analysis (`analysis`) or text synchronisation
    /// notification (`sync`) panics, or this request handler panics now (`handler`).
    pub async fn debug_fault(&self, params: FaultParams) -> Result<()> {
        let f = &self.state.faults;
        match params.at.as_str() {
            "analysis" => f.panic_analysis.store(true, Ordering::SeqCst),
            "sync" => f.panic_sync.store(true, Ordering::SeqCst),
            "handler" => panic!("newsls/debug/fault: a panic inside a request handler"),
            other => return Err(Error::invalid_params(format!("no fault {other:?}"))),
        }
        Ok(())
    }

    /// `newsls/debug/panicNotification`: a notification handler that panics.
    pub async fn debug_panic_notification(&self, _: serde_json::Value) {
        panic!("newsls/debug/panicNotification was sent");
    }

    /// `newsls/debug/slow`: a computation of `ms` milliseconds in 5 ms steps that polls
    /// its cancellation flag between steps, as real computations do.
    pub async fn debug_slow(&self, params: SlowParams) -> Result<Option<u64>> {
        let state = self.state.clone();
        self.with_snapshot("newsls/debug/slow", &params.text_document.uri, move |r| {
            let f = &state.faults;
            for _ in 0..params.ms.div_ceil(5) {
                if r.cancelled() {
                    f.slow_cancelled.fetch_add(1, Ordering::SeqCst);
                    return None;
                }
                f.slow_steps.fetch_add(1, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(5));
            }
            f.slow_completed.fetch_add(1, Ordering::SeqCst);
            Some(params.ms)
        })
        .await
    }

    /// `newsls/debug/counters`: see [`Counters`].
    pub async fn debug_counters(&self, _: serde_json::Value) -> Result<Counters> {
        let f = &self.state.faults;
        Ok(Counters {
            panics: super::panics(),
            trims: super::trims(),
            heap_bytes: super::heap_in_use(),
            slow_steps: f.slow_steps.load(Ordering::SeqCst),
            slow_completed: f.slow_completed.load(Ordering::SeqCst),
            slow_cancelled: f.slow_cancelled.load(Ordering::SeqCst),
            prepared: crate::entities::gazetteer::is_loaded(),
        })
    }
}

fn result_flat<T>(
    r: std::result::Result<std::thread::Result<T>, tokio::task::JoinError>,
) -> Option<T> {
    r.ok().and_then(|r| r.ok())
}

impl Backend {
    /// The names of a document (or of `range`) as semantic tokens, with a new result id;
    /// remembered for the next delta when whole.
    async fn name_tokens(
        &self,
        method: &'static str,
        uri: &Url,
        range: Option<Range>,
    ) -> Result<Option<(String, Vec<SemanticToken>)>> {
        let tokens = self
            .with_entities(method, uri, move |r| {
                let s = &r.snap;
                let Some(entities) = s.entities.as_ref() else {
                    return Some(Vec::new());
                };
                let span = range.map(|range| convert::span(&s.rope, range, r.enc));
                let names = names::tokens(entities, span);
                Some(convert::semantic_tokens(&s.rope, &names, r.enc))
            })
            .await?;
        let Some(tokens) = tokens else {
            return Ok(None);
        };
        let id = self
            .state
            .token_ids
            .fetch_add(1, Ordering::SeqCst)
            .to_string();
        if range.is_none() && self.state.snapshot(uri).is_some() {
            lock(&self.state.tokens).insert(
                uri.to_string(),
                (id.clone(), convert::tokens_to_flat(&tokens)),
            );
        }
        Ok(Some((id, tokens)))
    }
}

impl Backend {
    /// The file name of the glossary file the configuration names, if any.
    fn glossary_file(&self) -> Option<String> {
        let sources = lock(&self.state.config);
        let name = sources.file.overlay(&sources.editor).entities.glossary?;
        std::path::Path::new(&name)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
    }
}

/// Whether `uri` is a file called `name`.
fn is_named(uri: &Url, name: Option<&str>) -> bool {
    name.is_some_and(|name| {
        uri.to_file_path()
            .ok()
            .is_some_and(|p| p.file_name().is_some_and(|n| n.to_string_lossy() == name))
    })
}

fn client_caps(params: &InitializeParams, refresh: bool) -> ClientCaps {
    let caps = &params.capabilities;
    let text = caps.text_document.as_ref();
    ClientCaps {
        encoding: convert::negotiate_encoding(
            caps.general
                .as_ref()
                .and_then(|g| g.position_encodings.as_deref()),
        ),
        folding_range_limit: text
            .and_then(|t| t.folding_range.as_ref())
            .and_then(|f| f.range_limit)
            .map(|n| n as usize),
        hierarchical_symbols: text
            .and_then(|t| t.document_symbol.as_ref())
            .and_then(|d| d.hierarchical_document_symbol_support)
            .unwrap_or(false),
        pull_diagnostics: refresh && text.is_some_and(|t| t.diagnostic.is_some()),
        watch_files: caps
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false),
    }
}

/// The text of the blocks around `span` (or all of it), with the line break after them:
/// what the table formatter reads.
fn text_around(snap: &Snapshot, span: Option<Span>) -> (std::borrow::Cow<'_, str>, usize) {
    let whole = Span::new(0, snap.rope.len_bytes());
    let covered = match span {
        None => whole,
        Some(s) => {
            let mut blocks = snap.article.blocks_in(s);
            match blocks.next() {
                None => Span::new(s.start, s.start),
                Some(first) => {
                    let last = blocks.last().unwrap_or(first);
                    let end = (last.span.end + 2).min(whole.end);
                    // Round the end up to a character boundary.
                    let end = snap.rope.char_to_byte(snap.rope.byte_to_char(end));
                    Span::new(first.span.start, end.max(last.span.end))
                }
            }
        }
    };
    (rope_slice(&snap.rope, covered), covered.start)
}

#[tower_lsp::async_trait]
impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let caps = client_caps(&params, self.state.refresh_supported());
        let enc = caps.encoding;
        let pull = caps.pull_diagnostics;
        self.state.set_caps(caps);
        #[allow(deprecated)]
        let root = params
            .workspace_folders
            .as_ref()
            .and_then(|f| f.first())
            .map(|f| f.uri.clone())
            .or(params.root_uri.clone())
            .and_then(|u| u.to_file_path().ok());
        lock(&self.state.config).root = root;
        self.apply_settings(params.initialization_options.clone(), true)
            .await;
        self.state.initialized.store(true, Ordering::SeqCst);

        Ok(InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(convert::encoding_kind(enc)),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                            include_text: Some(false),
                        })),
                        ..Default::default()
                    },
                )),
                document_symbol_provider: Some(OneOf::Left(true)),
                folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![
                            CodeActionKind::QUICKFIX,
                            CodeActionKind::REFACTOR_REWRITE,
                        ]),
                        ..Default::default()
                    },
                )),
                document_formatting_provider: Some(OneOf::Left(true)),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                references_provider: Some(OneOf::Left(true)),
                document_highlight_provider: Some(OneOf::Left(true)),
                rename_provider: Some(OneOf::Right(RenameOptions {
                    prepare_provider: Some(true),
                    work_done_progress_options: Default::default(),
                })),
                workspace_symbol_provider: Some(OneOf::Left(true)),
                semantic_tokens_provider: Some(
                    SemanticTokensServerCapabilities::SemanticTokensOptions(
                        SemanticTokensOptions {
                            legend: convert::token_legend(),
                            range: Some(true),
                            full: Some(SemanticTokensFullOptions::Delta { delta: Some(true) }),
                            work_done_progress_options: Default::default(),
                        },
                    ),
                ),
                document_range_formatting_provider: Some(OneOf::Left(true)),
                diagnostic_provider: pull.then(|| {
                    DiagnosticServerCapabilities::Options(DiagnosticOptions {
                        identifier: Some("newsls".into()),
                        inter_file_dependencies: false,
                        workspace_diagnostics: true,
                        work_done_progress_options: Default::default(),
                    })
                }),
                ..Default::default()
            },
            server_info: Some(ServerInfo {
                name: "newsls".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        tracing::info!("initialized");
        // The patterns the first check compiles and the gazetteer it loads (about 50 ms),
        // while the editor starts up rather than while the writer waits for the first
        // diagnostics: a 10 KB article's took 45–59 ms with them, 5–6 ms without.
        tokio::task::spawn_blocking(|| {
            crate::rules::prepare();
            super::memory::release();
        });
        if self.state.caps().watch_files {
            let options = DidChangeWatchedFilesRegistrationOptions {
                // The configuration, and a glossary file it may name.
                watchers: crate::config::FILE_NAMES
                    .iter()
                    .map(|name| format!("**/{name}"))
                    .chain(self.glossary_file().map(|name| format!("**/{name}")))
                    .map(|pattern| FileSystemWatcher {
                        glob_pattern: GlobPattern::String(pattern),
                        kind: None,
                    })
                    .collect(),
            };
            let registration = Registration {
                id: "newsls-config-file".into(),
                method: "workspace/didChangeWatchedFiles".into(),
                register_options: serde_json::to_value(options).ok(),
            };
            if let Err(e) = self.client.register_capability(vec![registration]).await {
                tracing::warn!("the client refused to watch newsls.toml: {e}");
            }
        }
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let glossary = self.glossary_file();
        if params
            .changes
            .iter()
            .any(|c| is_config_file(&c.uri) || is_named(&c.uri, glossary.as_deref()))
        {
            self.apply_settings(None, true).await;
        }
    }

    async fn shutdown(&self) -> Result<()> {
        self.state.shutdown.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        // The document's save-time rules were scheduled by the input loop.
        let uri = &params.text_document.uri;
        if is_config_file(uri) || is_named(uri, self.glossary_file().as_deref()) {
            self.apply_settings(None, true).await;
        }
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        self.apply_settings(Some(params.settings), false).await;
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri.clone();
        let settings = self.state.settings();
        let state = self.state.clone();
        let uri2 = uri.clone();
        self.with_snapshot("textDocument/codeAction", &uri, move |r| {
            let s = &r.snap;
            let wanted = convert::span(&s.rope, params.range, r.enc);
            let only = params.context.only.clone();
            let allows = |k: &CodeActionKind| {
                only.as_ref()
                    .is_none_or(|o| o.iter().any(|w| k.as_str().starts_with(w.as_str())))
            };
            let mut actions = Vec::new();
            let edit_of = |edits: Vec<TextEdit>| WorkspaceEdit {
                document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit {
                    text_document: OptionalVersionedTextDocumentIdentifier {
                        uri: uri2.clone(),
                        version: Some(s.version),
                    },
                    edits: edits.into_iter().map(OneOf::Left).collect(),
                }])),
                ..Default::default()
            };
            if allows(&CodeActionKind::QUICKFIX) {
                // The diagnostics the client sees are ours, as last computed; only the
                // fixes of those under the cursor are computed, by their rule alone.
                let under = s.diagnostics.all().into_iter().filter(|d| {
                    d.span.intersects(wanted)
                        || wanted.is_empty()
                            && d.span.start <= wanted.start
                            && wanted.start <= d.span.end
                });
                for d in under {
                    if r.cancelled() {
                        return None;
                    }
                    let lsp_diag = to_lsp(&state, &s.rope, &uri2, std::slice::from_ref(&d))
                        .pop()
                        .expect("one diagnostic in, one out");
                    for fix in s.fixes(&d, &settings) {
                        let edits = fix
                            .edits
                            .into_iter()
                            .map(|e| convert::text_edit(&s.rope, e, r.enc))
                            .collect();
                        actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                            title: fix.title,
                            kind: Some(CodeActionKind::QUICKFIX),
                            diagnostics: Some(vec![lsp_diag.clone()]),
                            edit: Some(edit_of(edits)),
                            is_preferred: Some(fix.preferred),
                            ..Default::default()
                        }));
                    }
                }
            }
            if allows(&CodeActionKind::REFACTOR_REWRITE) {
                if let Some(table) = table_format::table_at(&s.article, wanted.start) {
                    let (text, base) = text_around(s, Some(table.span));
                    if let Some(e) = table_format::format_table_at(
                        &s.article,
                        Text::at(&text, base),
                        wanted.start,
                    ) {
                        actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                            title: "Format table".into(),
                            kind: Some(CodeActionKind::REFACTOR_REWRITE),
                            edit: Some(edit_of(vec![convert::text_edit(&s.rope, e, r.enc)])),
                            ..Default::default()
                        }));
                    }
                }
            }
            Some(actions)
        })
        .await
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        self.with_snapshot("textDocument/formatting", &params.text_document.uri, |r| {
            let s = &r.snap;
            let (text, base) = text_around(s, None);
            Some(
                table_format::format_tables(&s.article, Text::at(&text, base), None)
                    .into_iter()
                    .map(|e| convert::text_edit(&s.rope, e, r.enc))
                    .collect(),
            )
        })
        .await
    }

    async fn range_formatting(
        &self,
        params: DocumentRangeFormattingParams,
    ) -> Result<Option<Vec<TextEdit>>> {
        self.with_snapshot(
            "textDocument/rangeFormatting",
            &params.text_document.uri,
            move |r| {
                let s = &r.snap;
                let range = convert::span(&s.rope, params.range, r.enc);
                let (text, base) = text_around(s, Some(range));
                Some(
                    table_format::format_tables(&s.article, Text::at(&text, base), Some(range))
                        .into_iter()
                        .map(|e| convert::text_edit(&s.rope, e, r.enc))
                        .collect(),
                )
            },
        )
        .await
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let p = params.text_document_position_params;
        let glossary = self.state.settings().glossary.clone();
        self.with_entities("textDocument/hover", &p.text_document.uri, move |r| {
            let s = &r.snap;
            let entities = s.entities.as_ref()?;
            let offset = convert::offset(&s.rope, p.position, r.enc);
            let rope = &s.rope;
            let (span, markdown) =
                names::hover_markdown(entities, &glossary, offset, |o| rope.byte_to_line(o))?;
            Some(Hover {
                contents: HoverContents::Markup(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value: markdown,
                }),
                range: Some(convert::range(rope, span, r.enc)),
            })
        })
        .await
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let p = params.text_document_position;
        let uri = p.text_document.uri.clone();
        self.with_entities("textDocument/references", &p.text_document.uri, move |r| {
            let s = &r.snap;
            let offset = convert::offset(&s.rope, p.position, r.enc);
            let spans = names::references(s.entities.as_ref()?, offset)?;
            Some(
                spans
                    .into_iter()
                    .map(|span| Location::new(uri.clone(), convert::range(&s.rope, span, r.enc)))
                    .collect(),
            )
        })
        .await
    }

    async fn document_highlight(
        &self,
        params: DocumentHighlightParams,
    ) -> Result<Option<Vec<DocumentHighlight>>> {
        let p = params.text_document_position_params;
        self.with_entities(
            "textDocument/documentHighlight",
            &p.text_document.uri,
            move |r| {
                let s = &r.snap;
                let offset = convert::offset(&s.rope, p.position, r.enc);
                let spans = names::references(s.entities.as_ref()?, offset)?;
                Some(
                    spans
                        .into_iter()
                        .map(|span| DocumentHighlight {
                            range: convert::range(&s.rope, span, r.enc),
                            kind: Some(DocumentHighlightKind::TEXT),
                        })
                        .collect(),
                )
            },
        )
        .await
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        self.with_entities(
            "textDocument/prepareRename",
            &params.text_document.uri,
            move |r| {
                let s = &r.snap;
                let offset = convert::offset(&s.rope, params.position, r.enc);
                let (span, written) = names::prepare_rename(s.entities.as_ref()?, offset)?;
                Some(PrepareRenameResponse::RangeWithPlaceholder {
                    range: convert::range(&s.rope, span, r.enc),
                    placeholder: written,
                })
            },
        )
        .await
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let new_name = params.new_name.trim().to_string();
        if new_name.is_empty() || new_name.contains(['\n', '\r']) {
            return Err(Error::invalid_params(
                "a name is one line of text, and not empty",
            ));
        }
        let p = params.text_document_position;
        let uri = p.text_document.uri.clone();
        self.with_entities("textDocument/rename", &p.text_document.uri, move |r| {
            let s = &r.snap;
            let offset = convert::offset(&s.rope, p.position, r.enc);
            let edits = names::rename(s.entities.as_ref()?, offset, &new_name)?;
            Some(WorkspaceEdit {
                document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit {
                    text_document: OptionalVersionedTextDocumentIdentifier {
                        uri: uri.clone(),
                        version: Some(s.version),
                    },
                    edits: edits
                        .into_iter()
                        .map(|e| OneOf::Left(convert::text_edit(&s.rope, e, r.enc)))
                        .collect(),
                }])),
                ..Default::default()
            })
        })
        .await
    }

    async fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        let uri = params.text_document.uri;
        let tokens = self
            .name_tokens("textDocument/semanticTokens/full", &uri, None)
            .await?;
        Ok(tokens.map(|(id, data)| {
            SemanticTokensResult::Tokens(SemanticTokens {
                result_id: Some(id),
                data,
            })
        }))
    }

    async fn semantic_tokens_full_delta(
        &self,
        params: SemanticTokensDeltaParams,
    ) -> Result<Option<SemanticTokensFullDeltaResult>> {
        let uri = params.text_document.uri;
        let previous = lock(&self.state.tokens)
            .get(uri.as_str())
            .filter(|(id, _)| *id == params.previous_result_id)
            .map(|(_, flat)| flat.clone());
        let Some((id, data)) = self
            .name_tokens("textDocument/semanticTokens/full/delta", &uri, None)
            .await?
        else {
            return Ok(None);
        };
        Ok(Some(match previous {
            Some(old) => SemanticTokensFullDeltaResult::TokensDelta(SemanticTokensDelta {
                result_id: Some(id),
                edits: convert::tokens_delta(&old, &convert::tokens_to_flat(&data)),
            }),
            None => SemanticTokensFullDeltaResult::Tokens(SemanticTokens {
                result_id: Some(id),
                data,
            }),
        }))
    }

    async fn semantic_tokens_range(
        &self,
        params: SemanticTokensRangeParams,
    ) -> Result<Option<SemanticTokensRangeResult>> {
        let uri = params.text_document.uri;
        let tokens = self
            .name_tokens(
                "textDocument/semanticTokens/range",
                &uri,
                Some(params.range),
            )
            .await?;
        Ok(tokens.map(|(_, data)| {
            SemanticTokensRangeResult::Tokens(SemanticTokens {
                result_id: None,
                data,
            })
        }))
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<Vec<SymbolInformation>>> {
        let snaps: Vec<(Url, Snapshot)> = {
            let ws = lock(&self.state.ws);
            ws.keys()
                .filter_map(|k| Some((Url::parse(k).ok()?, ws.snapshot(k)?)))
                .filter(|(_, s)| s.entities.is_some())
                .collect()
        };
        let glossary = self.state.settings().glossary.clone();
        let enc = self.state.encoding();
        let query = params.query;
        let found = tokio::task::spawn_blocking(move || {
            catch_unwind(AssertUnwindSafe(|| {
                let mut out = Vec::new();
                for (uri, s) in &snaps {
                    let Some(entities) = &s.entities else {
                        continue;
                    };
                    let container = uri
                        .path_segments()
                        .and_then(|mut p| p.next_back().map(String::from));
                    for e in names::entities_matching(entities, &glossary, &query) {
                        #[allow(deprecated)]
                        out.push(SymbolInformation {
                            name: e.name,
                            kind: convert::entity_symbol_kind(e.kind.class()),
                            tags: None,
                            deprecated: None,
                            location: Location::new(
                                uri.clone(),
                                convert::range(&s.rope, e.at, enc),
                            ),
                            container_name: container.clone(),
                        });
                    }
                }
                out
            }))
        })
        .await;
        match result_flat(found) {
            Some(v) => Ok(Some(v)),
            None => {
                tracing::error!("workspace/symbol panicked; answering with an internal error");
                Err(Error::internal_error())
            }
        }
    }
    async fn workspace_diagnostic(
        &self,
        params: WorkspaceDiagnosticParams,
    ) -> Result<WorkspaceDiagnosticReportResult> {
        let mut uris: Vec<Url> = lock(&self.state.ws)
            .keys()
            .filter_map(|k| Url::parse(k).ok())
            .collect();
        uris.extend(lock(&self.state.config_docs).uris());
        let mut items = Vec::new();
        for uri in uris {
            let previous = params
                .previous_result_ids
                .iter()
                .find(|p| p.uri == uri)
                .map(|p| p.value.clone());
            let version = self.state.snapshot(&uri).map(|s| s.version as i64);
            let item = match direct::report(&self.state, &uri, previous.as_deref()).await {
                DocumentDiagnosticReport::Full(f) => {
                    WorkspaceDocumentDiagnosticReport::Full(WorkspaceFullDocumentDiagnosticReport {
                        uri,
                        version,
                        full_document_diagnostic_report: f.full_document_diagnostic_report,
                    })
                }
                DocumentDiagnosticReport::Unchanged(u) => {
                    WorkspaceDocumentDiagnosticReport::Unchanged(
                        WorkspaceUnchangedDocumentDiagnosticReport {
                            uri,
                            version,
                            unchanged_document_diagnostic_report: u
                                .unchanged_document_diagnostic_report,
                        },
                    )
                }
            };
            items.push(item);
        }
        Ok(WorkspaceDiagnosticReportResult::Report(
            WorkspaceDiagnosticReport { items },
        ))
    }
}
