//! The server's shared state: the analysis workspace behind one lock, what the client can
//! do, the settings' sources, and the scheduling of analyses and of the diagnostics they
//! produce.
//!
//! Scheduling: a change makes its document dirty, and its analysis starts as soon as the
//! input loop has applied every message already read (no debounce, no timer): one
//! keystroke is analysed at once, and a burst that arrived together (100 keystrokes
//! written without waiting) is applied whole and analysed once, at its final version.
//! An analysis runs on the blocking pool on a job taken under the lock, and is committed
//! under the lock; changes that arrive meanwhile are folded into one more run (see
//! `analysis::Document`). Diagnostics go out only when a document is current: pushed, or
//! answered to the client's pull.
//!
//! Ordering of pushed diagnostics: a publication is serialised outside the lock, then
//! queued on the outbox *under* the lock, after checking that nothing happened to the
//! document since it was computed. `didClose` queues its empty publication under the same
//! lock, so a closed document never gets diagnostics after the empty set.

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use ropey::Rope;
use tokio::sync::{mpsc, Notify};
use tower_lsp::lsp_types::{self as lsp, Url};

use super::config_file::ConfigDocs;
use super::convert;
use crate::analysis::{Committed, Settings, Snapshot, Workspace};
use crate::config::Config;
use crate::rules::Diagnostic;
use crate::text::Encoding;

pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// What the client told us it supports, from `initialize`.
#[derive(Clone, Debug, Default)]
pub struct ClientCaps {
    pub encoding: Encoding,
    pub hierarchical_symbols: bool,
    /// The most folding ranges the client wants (`foldingRange.rangeLimit`).
    pub folding_range_limit: Option<usize>,
    /// The client pulls (`textDocument/diagnostic`) and can be told to pull again
    /// (`workspace/diagnostic/refresh`): we never push to it. A client that pulls but
    /// cannot be told (Neovim 0.11) gets pushes, or a save or a configuration change
    /// would not show until the next keystroke.
    pub pull_diagnostics: bool,
    /// Dynamic `workspace/didChangeWatchedFiles`: it can watch `newsls.toml` for us.
    pub watch_files: bool,
}

/// The configuration as it comes from its two sources.
#[derive(Default)]
pub struct ConfigSources {
    pub file: Config,
    pub editor: Config,
    /// The workspace root, where `newsls.toml` is looked for (and above it).
    pub root: Option<PathBuf>,
}

/// Test-only delays (`newsls/debug/delay`, with `NEWSLS_DEBUG_HOOKS=1`) that make races
/// deterministic: before an analysis runs, between computing a publication and queueing
/// it, and before a text synchronisation notification is applied (a document that takes
/// long to read).
#[derive(Default)]
pub struct DebugDelays {
    pub analysis_ms: AtomicU64,
    pub publish_ms: AtomicU64,
    pub sync_ms: AtomicU64,
}

/// Test-only faults and counters (`newsls/debug/fault`, `newsls/debug/slow`,
/// `newsls/debug/counters`, with `NEWSLS_DEBUG_HOOKS=1`): a panic where none can be
/// provoked from outside, and a computation slow enough to be cancelled, whose steps are
/// counted so a test can see it stop.
#[derive(Default)]
pub struct DebugFaults {
    /// The next analysis panics (once).
    pub panic_analysis: AtomicBool,
    /// The next text synchronisation notification panics (once), before it changes anything.
    pub panic_sync: AtomicBool,
    /// Steps taken by `newsls/debug/slow` computations.
    pub slow_steps: AtomicU64,
    /// `newsls/debug/slow` computations that ran to their end.
    pub slow_completed: AtomicU64,
    /// `newsls/debug/slow` computations that stopped because their request was cancelled.
    pub slow_cancelled: AtomicU64,
}

/// Drops `value` on the blocking pool: a large one (a tree of thousands of allocations, a
/// document's text) costs its freeing there, not on the path of an answer. Dropped here
/// when no runtime runs.
pub fn free_later<T: Send + 'static>(value: T) {
    match tokio::runtime::Handle::try_current() {
        Ok(rt) => drop(rt.spawn_blocking(move || drop(value))),
        Err(_) => drop(value),
    }
}

pub fn pause(ms: &AtomicU64) {
    let ms = ms.load(Ordering::SeqCst);
    if ms > 0 {
        std::thread::sleep(Duration::from_millis(ms));
    }
}

pub struct State {
    pub ws: Mutex<Workspace>,
    /// The client, for requests to it (`workspace/diagnostic/refresh`).
    client: std::sync::OnceLock<tower_lsp::Client>,
    /// `workspace.diagnostics.refreshSupport`, read from the raw `initialize` message:
    /// lsp-types 0.94 knows the field only as `diagnostic` (singular), which no client
    /// sends.
    raw_refresh_support: AtomicBool,
    /// A pulling client must pull again: diagnostics changed without an edit (a save, a
    /// configuration change).
    refresh_pending: AtomicBool,
    caps: Mutex<ClientCaps>,
    pub config: Mutex<ConfigSources>,
    /// Configuration files open in the editor (not articles: see `config_file`).
    pub config_docs: Mutex<ConfigDocs>,
    pub initialized: AtomicBool,
    pub shutdown: AtomicBool,
    outbox: mpsc::UnboundedSender<Arc<Vec<u8>>>,
    /// Woken after every commit, for pull requests waiting on a document.
    pub analysed: Notify,
    /// Set when a document is closed, so its running analysis can stop early.
    closed: Mutex<HashMap<String, Arc<AtomicBool>>>,
    pub delays: DebugDelays,
    pub faults: DebugFaults,
    /// Analyses that may run at once: one per core (at least two).
    analyses: Arc<tokio::sync::Semaphore>,
    /// Documents changed by messages the input loop has applied, waiting for it to have
    /// no more to apply (see [`analyse_pending`]).
    soon: Mutex<Vec<Url>>,
    /// Analyses run since the start (`newsls/debug/analyses`).
    pub analyses_run: AtomicU64,
    /// The semantic tokens last sent per document, with their result id, for deltas.
    pub tokens: Mutex<HashMap<String, (String, Vec<u32>)>>,
    pub token_ids: AtomicU64,
    /// The last `documentSymbol` answer per document, serialised, and what it was computed
    /// for: asked again of an unchanged document (an outline view refreshing, a plugin on
    /// every cursor pause), it is sent again rather than recomputed.
    pub outlines: Mutex<HashMap<String, Outline>>,
}

/// A serialised `documentSymbol` answer and what it depends on: the body of the answer
/// it was computed for (shared with the outbox, not copied), and where its result lies.
pub struct Outline {
    pub generation: u64,
    pub hierarchical: bool,
    pub encoding: crate::text::Encoding,
    pub answer: Arc<Vec<u8>>,
    pub result: std::ops::Range<usize>,
}

impl State {
    /// The state, and the receiving end of the outbox (frames for stdout, in order).
    pub fn new() -> (Arc<State>, mpsc::UnboundedReceiver<Arc<Vec<u8>>>) {
        let (tx, rx) = mpsc::unbounded_channel();
        let state = State {
            ws: Mutex::new(Workspace::default()),
            client: std::sync::OnceLock::new(),
            raw_refresh_support: AtomicBool::new(false),
            refresh_pending: AtomicBool::new(false),
            caps: Mutex::new(ClientCaps::default()),
            config: Mutex::new(ConfigSources::default()),
            config_docs: Mutex::new(ConfigDocs::default()),
            initialized: AtomicBool::new(false),
            shutdown: AtomicBool::new(false),
            outbox: tx,
            analysed: Notify::new(),
            closed: Mutex::new(HashMap::new()),
            delays: DebugDelays::default(),
            faults: DebugFaults::default(),
            analyses: Arc::new(tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, |n| n.get().max(2)),
            )),
            soon: Mutex::new(Vec::new()),
            analyses_run: AtomicU64::new(0),
            tokens: Mutex::new(HashMap::new()),
            outlines: Mutex::new(HashMap::new()),
            token_ids: AtomicU64::new(1),
        };
        (Arc::new(state), rx)
    }

    pub fn set_client(&self, client: tower_lsp::Client) {
        let _ = self.client.set(client);
    }

    /// Notes what the typed capabilities cannot carry (see `raw_refresh_support`).
    pub fn note_raw_capabilities(&self, caps: &serde_json::Value) {
        let workspace = &caps["workspace"];
        let refresh = ["diagnostics", "diagnostic"]
            .iter()
            .any(|k| workspace[k]["refreshSupport"] == true);
        self.raw_refresh_support.store(refresh, Ordering::SeqCst);
    }

    pub fn refresh_supported(&self) -> bool {
        self.raw_refresh_support.load(Ordering::SeqCst)
    }

    /// Diagnostics will change without an edit: a pulling client is told to pull again
    /// once they are computed.
    pub fn expect_refresh(&self) {
        if self.caps().pull_diagnostics {
            self.refresh_pending.store(true, Ordering::SeqCst);
        }
    }

    /// Tells a pulling client to pull again, if something asked for it.
    fn refresh_if_pending(&self) {
        if self.refresh_pending.swap(false, Ordering::SeqCst) {
            if let Some(client) = self.client.get().cloned() {
                if let Ok(rt) = tokio::runtime::Handle::try_current() {
                    rt.spawn(async move {
                        let _ = client.workspace_diagnostic_refresh().await;
                    });
                }
            }
        }
    }

    pub fn caps(&self) -> ClientCaps {
        lock(&self.caps).clone()
    }

    pub fn set_caps(&self, caps: ClientCaps) {
        *lock(&self.caps) = caps;
    }

    pub fn encoding(&self) -> Encoding {
        lock(&self.caps).encoding
    }

    pub fn settings(&self) -> Arc<Settings> {
        lock(&self.ws).settings().clone()
    }

    pub fn snapshot(&self, uri: &Url) -> Option<Snapshot> {
        lock(&self.ws).snapshot(uri.as_str())
    }

    pub fn shutdown_requested(&self) -> bool {
        self.shutdown.load(Ordering::SeqCst)
    }

    /// Queues a frame body for stdout.
    pub fn send(&self, body: impl Into<Arc<Vec<u8>>>) {
        // The receiver lives as long as the process serves; after that nothing matters.
        let _ = self.outbox.send(body.into());
    }

    /// A notification's frame body, serialised straight from `params`: going through a
    /// `serde_json::Value` first cost several kilobytes per diagnostic at the peak (a map
    /// per object), hundreds of megabytes for a document of tens of thousands of them.
    pub fn notification<P: serde::Serialize>(&self, method: &str, params: P) -> Vec<u8> {
        #[derive(serde::Serialize)]
        struct Notification<'a, P> {
            jsonrpc: &'static str,
            method: &'a str,
            params: P,
        }
        serde_json::to_vec(&Notification {
            jsonrpc: "2.0",
            method,
            params,
        })
        .unwrap_or_default()
    }

    /// Asks for an analysis of a document the input loop changed, to start once the loop
    /// has applied every message already read.
    pub fn analyse_soon(&self, uri: &Url) {
        let mut soon = lock(&self.soon);
        if !soon.contains(uri) {
            soon.push(uri.clone());
        }
    }

    /// Marks a document open (for cancellation of its analyses).
    pub fn opened(&self, uri: &str) {
        lock(&self.closed).insert(uri.to_string(), Arc::new(AtomicBool::new(false)));
    }

    /// Removes a document and, under the same lock, queues its empty diagnostics.
    pub fn close(&self, uri: &Url) {
        if let Some(flag) = lock(&self.closed).remove(uri.as_str()) {
            flag.store(true, Ordering::SeqCst);
        }
        lock(&self.tokens).remove(uri.as_str());
        let pull = self.caps().pull_diagnostics;
        let mut ws = lock(&self.ws);
        ws.close(uri.as_str());
        // Under the workspace lock: an outline computed meanwhile is kept only if its
        // document is still open (see `direct::symbols`).
        lock(&self.outlines).remove(uri.as_str());
        if !pull {
            let body = self.notification(
                "textDocument/publishDiagnostics",
                lsp::PublishDiagnosticsParams::new(uri.clone(), Vec::new(), None),
            );
            self.send(body);
        }
        // The others no longer compare themselves with it.
        let others = ws.cross_document();
        drop(ws);
        self.analysed.notify_waiters();
        if pull {
            if !others.is_empty() {
                self.expect_refresh();
                self.refresh_if_pending();
            }
        } else {
            publish_others(self, uri, &others);
        }
        super::memory::release_soon();
    }

    fn closed_flag(&self, uri: &str) -> Arc<AtomicBool> {
        lock(&self.closed)
            .get(uri)
            .cloned()
            .unwrap_or_else(|| Arc::new(AtomicBool::new(true)))
    }
}

/// Starts the analyses asked for by [`State::analyse_soon`]: called by the input loop when
/// it has applied everything it has read.
pub fn analyse_pending(state: &Arc<State>) {
    let soon = std::mem::take(&mut *lock(&state.soon));
    for uri in &soon {
        schedule(state, uri);
    }
}

/// Runs the analyses a document needs, one after the other, on the blocking pool, and
/// publishes when it is current. Returns at once; does nothing when an analysis of the
/// document is already running (that one runs again when it finds more work).
///
/// At most [`State::analyses`] documents are analysed at a time; the others wait their
/// turn without a thread. Two hundred documents opened at once used to start a hundred
/// threads on two cores, and each thread that runs a regular expression leaves a cache
/// of megabytes in that expression's pool for the rest of the session.
pub fn schedule(state: &Arc<State>, uri: &Url) {
    let Some(job) = lock(&state.ws).begin(uri.as_str()) else {
        return;
    };
    let state = state.clone();
    let uri = uri.clone();
    tokio::spawn(async move {
        let Ok(permit) = state.analyses.clone().acquire_owned().await else {
            return;
        };
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            analyse(&state, &uri, job);
        });
    });
}

/// The body of [`schedule`]: `job`, then whatever more the document needs.
fn analyse(state: &Arc<State>, uri: &Url, job: crate::analysis::Job) {
    let closed = state.closed_flag(uri.as_str());
    let mut job = job;
    loop {
        pause(&state.delays.analysis_ms);
        let started = std::time::Instant::now();
        state.analyses_run.fetch_add(1, Ordering::SeqCst);
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            if state.faults.panic_analysis.swap(false, Ordering::SeqCst) {
                panic!("newsls/debug/fault: a panic inside an analysis");
            }
            job.run(&|| closed.load(Ordering::Relaxed))
        }));
        tracing::debug!(%uri, elapsed_us = started.elapsed().as_micros() as u64, "analysed");
        let mut ws = lock(&state.ws);
        let committed = match outcome {
            Ok(Some(outcome)) => ws.commit(uri.as_str(), outcome),
            Ok(None) => {
                ws.abandon(uri.as_str(), &job);
                None
            }
            Err(_) => {
                super::note_panic();
                // The next change retries; retrying now could panic forever.
                tracing::error!(%uri, "analysis panicked; keeping the previous diagnostics");
                ws.abandon(uri.as_str(), &job);
                None
            }
        };
        match committed {
            Some(Committed::RunAgain) => match ws.begin(uri.as_str()) {
                Some(next) => {
                    job = next;
                    continue;
                }
                None => break,
            },
            Some(Committed::Current) => {
                let others = ws.cross_document();
                let later = ws
                    .get(uri.as_str())
                    .filter(|d| d.entities_pending())
                    .map(|d| d.generation());
                drop(ws);
                state.analysed.notify_waiters();
                if state.caps().pull_diagnostics {
                    if others.iter().any(|k| k != uri.as_str()) {
                        state.expect_refresh();
                    }
                    state.refresh_if_pending();
                } else {
                    publish(state, uri);
                    publish_others(state, uri, &others);
                }
                if let Some(generation) = later {
                    entities_when_idle(state, uri, generation);
                }
                break;
            }
            _ => break,
        }
    }
}

/// How long the writer must pause before the entity index of a long document is rebuilt.
const ENTITIES_IDLE: Duration = Duration::from_millis(300);

/// Rebuilds a long document's entity index once the writer has paused: if nothing changed
/// for [`ENTITIES_IDLE`] after `generation`.
fn entities_when_idle(state: &Arc<State>, uri: &Url, generation: u64) {
    let Ok(rt) = tokio::runtime::Handle::try_current() else {
        return;
    };
    let state = state.clone();
    let uri = uri.clone();
    rt.spawn(async move {
        tokio::time::sleep(ENTITIES_IDLE).await;
        {
            let mut ws = lock(&state.ws);
            match ws.get(uri.as_str()) {
                Some(d) if d.generation() == generation && d.entities_pending() => {
                    ws.entities_now(uri.as_str())
                }
                _ => return,
            }
        }
        schedule(&state, &uri);
    });
}

/// Pushes the diagnostics of the documents whose cross-document findings changed.
fn publish_others(state: &State, uri: &Url, keys: &[String]) {
    for k in keys.iter().filter(|k| *k != uri.as_str()) {
        if let Ok(other) = Url::parse(k) {
            publish(state, &other);
        }
    }
}

/// Pushes a document's diagnostics, if it is still as they were computed for.
fn publish(state: &State, uri: &Url) {
    let (rope, diags, version, result_id) = {
        let ws = lock(&state.ws);
        let Some(doc) = ws.get(uri.as_str()) else {
            return;
        };
        if !doc.is_current() {
            return; // a later run publishes
        }
        (
            doc.rope().clone(),
            doc.diagnostics().clone(),
            doc.version(),
            doc.result_id(),
        )
    };
    let settings = state.settings();
    let sorted = diags.sorted();
    // `PublishDiagnosticsParams`, its diagnostics written straight from the core's.
    let mut body = Vec::with_capacity(512 * sorted.len() + 256);
    let diagnostics = convert::DiagnosticsOut::new(
        &rope,
        uri,
        sorted,
        state.encoding(),
        settings.docs_base_url.as_deref(),
    );
    body.extend_from_slice(
        br#"{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":"#,
    );
    let written = serde_json::to_writer(&mut body, uri)
        .and_then(|()| {
            body.extend_from_slice(br#","diagnostics":"#);
            diagnostics.write_json(&mut body)
        })
        .and_then(|()| {
            body.extend_from_slice(br#","version":"#);
            serde_json::to_writer(&mut body, &version)
        });
    if let Err(e) = written {
        tracing::error!("cannot serialise diagnostics: {e}");
        return;
    }
    body.extend_from_slice(b"}}");
    pause(&state.delays.publish_ms);
    let ws = lock(&state.ws);
    if ws
        .get(uri.as_str())
        .is_some_and(|d| d.result_id() == result_id && d.is_current())
    {
        state.send(body);
    }
}

/// The protocol form of a document's diagnostics.
pub fn to_lsp<'a>(
    state: &State,
    rope: &Rope,
    uri: &Url,
    diags: impl IntoIterator<Item = &'a Diagnostic>,
) -> Vec<lsp::Diagnostic> {
    let enc = state.encoding();
    let settings = state.settings();
    convert::diagnostics(rope, uri, diags, enc, settings.docs_base_url.as_deref())
}
