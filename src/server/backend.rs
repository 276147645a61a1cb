//! The language server: open documents, configuration, and one `handle`-style method per
//! LSP message that converts in, calls the core, and converts out.
//!
//! Ordering: a document change is applied synchronously, before the handler's first
//! `.await`, so changes apply in the order tower-lsp received them even though it runs
//! handlers concurrently. Requests work on a snapshot (a rope and an article are cheap to
//! clone) on the blocking pool, under `catch_unwind`: a panic is an error answer and a
//! log line, never a dead server. Diagnostics are computed after a short debounce, only
//! for the region edits touched, and dropped if the document moved on meanwhile.

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use ropey::Rope;
use tower_lsp::jsonrpc::{Error, Result};
use tower_lsp::lsp_types::*;
use tower_lsp::{Client, LanguageServer};

use super::convert;
use crate::article::{Article, Format};
use crate::config::Config;
use crate::features::{folding, outline, table_fixes, table_format};
use crate::rules::{self, RuleConfig};
use crate::text::{Encoding, Span};

const DEBOUNCE: Duration = Duration::from_millis(60);

pub struct Document {
    rope: Rope,
    version: i32,
    article: Article,
    /// Diagnostics for the text as it is now (kept moved along with edits).
    diagnostics: Vec<rules::Diagnostic>,
    /// The region whose diagnostics must be recomputed; `None` when they are current.
    dirty: Option<Span>,
    /// Bumped by every edit and configuration change: a diagnostics run commits its result
    /// only if nothing happened since its snapshot (the version alone does not change when
    /// the configuration does).
    generation: u64,
}

impl Document {
    fn new(text: &str, version: i32, format: Format) -> Document {
        let rope = Rope::from_str(text);
        let article = Article::parse(&rope, format);
        let len = rope.len_bytes();
        Document {
            rope,
            version,
            article,
            diagnostics: Vec::new(),
            dirty: Some(Span::new(0, len)),
            generation: 0,
        }
    }

    /// Replaces `old` with `text` in the rope, the model, the diagnostics and the dirty region.
    fn edit(&mut self, old: Span, text: &str) {
        self.generation += 1;
        let start = self.rope.byte_to_char(old.start);
        let end = self.rope.byte_to_char(old.end);
        self.rope.remove(start..end);
        self.rope.insert(start, text);
        let new_len = text.len();
        let reparsed = match catch_unwind(AssertUnwindSafe(|| {
            self.article.edit(&self.rope, old, new_len)
        })) {
            Ok(r) => r,
            Err(_) => {
                tracing::error!("incremental re-parse panicked; parsing the whole document");
                self.article = Article::parse(&self.rope, self.article.format());
                crate::article::Reparsed {
                    old: Span::new(0, usize::MAX),
                    new: Span::new(0, self.rope.len_bytes()),
                    full: true,
                }
            }
        };
        let delta = new_len as isize - old.len() as isize;
        let through = |s: Span| -> Span {
            let map = |o: usize, grow: bool| {
                if o >= old.end {
                    o.wrapping_add_signed(delta)
                } else if o > old.start || (o == old.start && grow) {
                    old.start + if grow { new_len } else { 0 }
                } else {
                    o
                }
            };
            Span::new(map(s.start, false), map(s.end, true))
        };
        // A diagnostic clear of the edit stays (moved when after it); one touching it goes:
        // it lies in the re-parsed region, which is checked again.
        self.diagnostics.retain_mut(|d| {
            let clear = d.span.end < old.start || d.span.start > old.end;
            if clear {
                d.span = through(d.span);
                for r in &mut d.related {
                    r.span = through(r.span);
                }
            }
            clear
        });
        let touched = if reparsed.full {
            Span::new(0, self.rope.len_bytes())
        } else {
            reparsed.new
        };
        let touched = Span::new(
            touched.start.min(old.start),
            touched.end.max(old.start + new_len),
        );
        self.dirty = Some(match self.dirty.map(through) {
            Some(d) => Span::new(d.start.min(touched.start), d.end.max(touched.end)),
            None => touched,
        });
    }
}

#[derive(Default)]
struct Settings {
    file: Config,
    editor: Config,
    /// The workspace root, where `newsls.toml` is looked for (and above it).
    root: Option<PathBuf>,
}

pub struct State {
    docs: Mutex<HashMap<Url, Document>>,
    encoding: Mutex<Encoding>,
    hierarchical_symbols: AtomicBool,
    /// The client can watch `newsls.toml` for us (dynamic `didChangeWatchedFiles`).
    watch_config: AtomicBool,
    settings: Mutex<Settings>,
    rules: Mutex<Arc<RuleConfig>>,
    shutdown: AtomicBool,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl State {
    pub fn shutdown_requested(&self) -> bool {
        self.shutdown.load(Ordering::SeqCst)
    }
    fn encoding(&self) -> Encoding {
        *lock(&self.encoding)
    }
    fn rules(&self) -> Arc<RuleConfig> {
        lock(&self.rules).clone()
    }
}

pub struct Backend {
    client: Client,
    state: Arc<State>,
}

/// A consistent view of one document for a request.
struct Snapshot {
    rope: Rope,
    article: Article,
    version: i32,
    enc: Encoding,
}

impl Backend {
    pub fn new(client: Client) -> Backend {
        Backend {
            client,
            state: Arc::new(State {
                docs: Mutex::new(HashMap::new()),
                encoding: Mutex::new(Encoding::Utf16),
                hierarchical_symbols: AtomicBool::new(false),
                watch_config: AtomicBool::new(false),
                settings: Mutex::new(Settings::default()),
                rules: Mutex::new(Arc::new(RuleConfig::default())),
                shutdown: AtomicBool::new(false),
            }),
        }
    }

    pub fn state(&self) -> Arc<State> {
        self.state.clone()
    }

    fn snapshot(&self, uri: &Url) -> Option<Snapshot> {
        let docs = lock(&self.state.docs);
        let d = docs.get(uri)?;
        Some(Snapshot {
            rope: d.rope.clone(),
            article: d.article.clone(),
            version: d.version,
            enc: self.state.encoding(),
        })
    }

    /// Runs `f` on a snapshot on the blocking pool; a panic becomes an internal error.
    /// An unknown document is an empty answer.
    async fn with_snapshot<T, F>(&self, method: &'static str, uri: &Url, f: F) -> Result<Option<T>>
    where
        T: Send + 'static,
        F: FnOnce(Snapshot) -> Option<T> + Send + 'static,
    {
        let Some(snap) = self.snapshot(uri) else {
            tracing::debug!(method, %uri, "request for a document that is not open");
            return Ok(None);
        };
        let span = tracing::info_span!("request", method, %uri);
        let result = tokio::task::spawn_blocking(move || {
            let _enter = span.enter();
            let started = std::time::Instant::now();
            let r = catch_unwind(AssertUnwindSafe(|| f(snap)));
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
                tracing::error!(method, %uri, "handler panicked; answering with an internal error");
                Err(Error::internal_error())
            }
        }
    }

    /// Recomputes diagnostics for what changed since the last run, then publishes them.
    fn schedule_diagnostics(&self, uri: Url, version: i32, delay: Duration) {
        let state = self.state.clone();
        let client = self.client.clone();
        tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            let snap = {
                let docs = lock(&state.docs);
                let Some(d) = docs.get(&uri) else { return };
                if d.version != version {
                    return; // a later change has its own run scheduled
                }
                let Some(dirty) = d.dirty else { return };
                (
                    d.rope.clone(),
                    d.article.clone(),
                    d.diagnostics.clone(),
                    dirty,
                    d.generation,
                )
            };
            let rules_config = state.rules();
            let (rope, article, old, dirty, generation) = snap;
            let computed = tokio::task::spawn_blocking(move || {
                catch_unwind(AssertUnwindSafe(|| {
                    let text = rope.to_string();
                    let (affected, fresh) = if dirty.start == 0 && dirty.end >= text.len() {
                        (
                            Span::new(0, text.len()),
                            rules::check(&article, &text, &rules_config),
                        )
                    } else {
                        rules::check_region(&article, &text, dirty, &rules_config)
                    };
                    let mut merged: Vec<rules::Diagnostic> = old
                        .into_iter()
                        .filter(|d| !d.span.intersects(affected))
                        .collect();
                    merged.extend(fresh);
                    merged.sort_by_key(|d| (d.span.start, d.span.end));
                    (rope, merged)
                }))
            })
            .await;
            let Ok(Ok((rope, merged))) = computed else {
                tracing::error!(%uri, "diagnostics panicked; keeping the previous ones");
                return;
            };
            let enc = state.encoding();
            let published = {
                let mut docs = lock(&state.docs);
                let Some(d) = docs.get_mut(&uri) else { return };
                if d.generation != generation {
                    return; // stale: the run scheduled by the later change publishes
                }
                d.diagnostics = merged;
                d.dirty = None;
                d.diagnostics
                    .iter()
                    .map(|x| convert::diagnostic(&rope, &uri, x, enc))
                    .collect::<Vec<_>>()
            };
            client
                .publish_diagnostics(uri, published, Some(version))
                .await;
        });
    }

    fn refresh_all_diagnostics(&self) {
        let pending: Vec<(Url, i32)> = {
            let mut docs = lock(&self.state.docs);
            docs.iter_mut()
                .map(|(u, d)| {
                    d.dirty = Some(Span::new(0, d.rope.len_bytes()));
                    d.diagnostics.clear();
                    d.generation += 1;
                    (u.clone(), d.version)
                })
                .collect()
        };
        for (uri, version) in pending {
            self.schedule_diagnostics(uri, version, Duration::ZERO);
        }
    }

    /// Applies a new editor configuration or workspace file; reports a bad one and keeps
    /// the last good configuration. Diagnostics are recomputed either way.
    async fn apply_settings(&self, editor: Option<serde_json::Value>, reload_file: bool) {
        let problems = {
            let mut s = lock(&self.state.settings);
            let mut problems = Vec::new();
            let mut new_editor = s.editor.clone();
            if let Some(v) = editor {
                match Config::from_json(&v) {
                    Ok(c) => new_editor = c,
                    Err(e) => problems.push(format!("newsls: ignoring editor settings: {e}")),
                }
            }
            let mut new_file = s.file.clone();
            if reload_file {
                // Looked for again each time: the file may have been created or deleted.
                new_file = Config::default();
                if let Some(path) = s.root.as_deref().and_then(Config::discover) {
                    let read = std::fs::read_to_string(&path).map_err(|e| e.to_string());
                    match read.and_then(|t| Config::from_toml(&t)) {
                        Ok(c) => new_file = c,
                        Err(e) => {
                            problems.push(format!("newsls: ignoring {}: {e}", path.display()));
                            new_file = s.file.clone();
                        }
                    }
                }
            }
            let candidate = new_file.overlay(&new_editor);
            match candidate.rule_config() {
                Ok(rc) => {
                    s.editor = new_editor;
                    s.file = new_file;
                    *lock(&self.state.rules) = Arc::new(rc);
                }
                Err(e) => problems.push(format!("newsls: keeping the previous configuration: {e}")),
            }
            problems
        };
        for p in problems {
            tracing::warn!("{p}");
            self.client.show_message(MessageType::WARNING, p).await;
        }
        self.refresh_all_diagnostics();
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

impl Backend {
    pub async fn document_text(&self, params: DocumentTextParams) -> Result<Option<DocumentText>> {
        Ok(self
            .snapshot(&params.text_document.uri)
            .map(|s| DocumentText {
                version: s.version,
                text: s.rope.to_string(),
            }))
    }
}

impl Backend {
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
}

fn is_config_file(uri: &Url) -> bool {
    uri.to_file_path()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .is_some_and(|n| crate::config::FILE_NAMES.contains(&n.as_str()))
}

fn format_of(language_id: &str, uri: &Url) -> Format {
    Format::from_language_id(language_id).unwrap_or_else(|| Format::from_path(uri.path()))
}

#[tower_lsp::async_trait]
impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let caps = &params.capabilities;
        let enc = convert::negotiate_encoding(
            caps.general
                .as_ref()
                .and_then(|g| g.position_encodings.as_deref()),
        );
        *lock(&self.state.encoding) = enc;
        let hierarchical = caps
            .text_document
            .as_ref()
            .and_then(|t| t.document_symbol.as_ref())
            .and_then(|d| d.hierarchical_document_symbol_support)
            .unwrap_or(false);
        self.state
            .hierarchical_symbols
            .store(hierarchical, Ordering::SeqCst);

        #[allow(deprecated)]
        let root = params
            .workspace_folders
            .as_ref()
            .and_then(|f| f.first())
            .map(|f| f.uri.clone())
            .or(params.root_uri.clone())
            .and_then(|u| u.to_file_path().ok());
        lock(&self.state.settings).root = root;
        let watch = caps
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false);
        self.state.watch_config.store(watch, Ordering::SeqCst);
        self.apply_settings(params.initialization_options.clone(), true)
            .await;

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
                document_range_formatting_provider: Some(OneOf::Left(true)),
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
        if self.state.watch_config.load(Ordering::SeqCst) {
            let options = DidChangeWatchedFilesRegistrationOptions {
                watchers: crate::config::FILE_NAMES
                    .iter()
                    .map(|name| FileSystemWatcher {
                        glob_pattern: GlobPattern::String(format!("**/{name}")),
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
        if params.changes.iter().any(|c| is_config_file(&c.uri)) {
            self.apply_settings(None, true).await;
        }
    }

    async fn shutdown(&self) -> Result<()> {
        self.state.shutdown.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        let format = format_of(&doc.language_id, &doc.uri);
        let document = Document::new(&doc.text, doc.version, format);
        lock(&self.state.docs).insert(doc.uri.clone(), document);
        self.schedule_diagnostics(doc.uri, doc.version, Duration::ZERO);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        // No `.await` before the edit is applied: see the module docs.
        let uri = params.text_document.uri;
        let version = params.text_document.version;
        let enc = self.state.encoding();
        {
            let mut docs = lock(&self.state.docs);
            let Some(doc) = docs.get_mut(&uri) else {
                tracing::warn!(%uri, "change for a document that is not open");
                return;
            };
            for change in params.content_changes {
                let span = match change.range {
                    Some(r) => convert::span(&doc.rope, r, enc),
                    None => Span::new(0, doc.rope.len_bytes()),
                };
                doc.edit(span, &change.text);
            }
            doc.version = version;
        }
        self.schedule_diagnostics(uri, version, DEBOUNCE);
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        lock(&self.state.docs).remove(&uri);
        self.client.publish_diagnostics(uri, Vec::new(), None).await;
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        if is_config_file(&params.text_document.uri) {
            self.apply_settings(None, true).await;
        }
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        self.apply_settings(Some(params.settings), false).await;
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let uri = params.text_document.uri;
        let hierarchical = self.state.hierarchical_symbols.load(Ordering::SeqCst);
        let uri2 = uri.clone();
        self.with_snapshot("textDocument/documentSymbol", &uri, move |s| {
            let sections = outline::outline(&s.article);
            Some(if hierarchical {
                DocumentSymbolResponse::Nested(
                    sections
                        .iter()
                        .map(|x| convert::document_symbol(&s.rope, x, s.enc))
                        .collect(),
                )
            } else {
                let mut flat = Vec::new();
                convert::symbol_information(&s.rope, &uri2, &sections, None, s.enc, &mut flat);
                DocumentSymbolResponse::Flat(flat)
            })
        })
        .await
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        self.with_snapshot(
            "textDocument/foldingRange",
            &params.text_document.uri,
            |s| {
                Some(
                    folding::folds(&s.article)
                        .iter()
                        .filter_map(|f| convert::folding_range(&s.rope, f))
                        .collect(),
                )
            },
        )
        .await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri.clone();
        let rules_config = self.state.rules();
        let uri2 = uri.clone();
        self.with_snapshot("textDocument/codeAction", &uri, move |s| {
            let text = s.rope.to_string();
            let wanted = convert::span(&s.rope, params.range, s.enc);
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
                let (_, diags) = rules::check_region(&s.article, &text, wanted, &rules_config);
                for d in diags.iter().filter(|d| {
                    d.span.intersects(wanted)
                        || wanted.is_empty()
                            && d.span.start <= wanted.start
                            && wanted.start <= d.span.end
                }) {
                    let lsp_diag = convert::diagnostic(&s.rope, &uri2, d, s.enc);
                    for fix in table_fixes::fixes_for(&s.article, &text, d) {
                        let edits = fix
                            .edits
                            .into_iter()
                            .map(|e| convert::text_edit(&s.rope, e.span, e.new_text, s.enc))
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
                if let Some(e) = table_format::format_table_at(&s.article, &text, wanted.start) {
                    actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                        title: "Format table".into(),
                        kind: Some(CodeActionKind::REFACTOR_REWRITE),
                        edit: Some(edit_of(vec![convert::text_edit(
                            &s.rope, e.span, e.new_text, s.enc,
                        )])),
                        ..Default::default()
                    }));
                }
            }
            Some(actions)
        })
        .await
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        self.with_snapshot("textDocument/formatting", &params.text_document.uri, |s| {
            let text = s.rope.to_string();
            Some(
                table_format::format_tables(&s.article, &text, None)
                    .into_iter()
                    .map(|e| convert::text_edit(&s.rope, e.span, e.new_text, s.enc))
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
            move |s| {
                let text = s.rope.to_string();
                let range = convert::span(&s.rope, params.range, s.enc);
                Some(
                    table_format::format_tables(&s.article, &text, Some(range))
                        .into_iter()
                        .map(|e| convert::text_edit(&s.rope, e.span, e.new_text, s.enc))
                        .collect(),
                )
            },
        )
        .await
    }
}
