//! The requests whose answers are large, answered without tower-lsp: diagnostics pulled
//! for a document, its outline (`documentSymbol`) and its folding ranges.
//!
//! tower-lsp turns every answer into a `serde_json::Value` tree, serialises the tree and
//! drops it. For a 10 MB article (3,800 diagnostics, 15,000 symbols) that cost more than
//! computing the answer: in issue 12's profile, building, writing and freeing those trees
//! was about a third of the server's time. These requests are taken off the input loop
//! before tower-lsp sees them; each is computed on the blocking pool under
//! `catch_unwind` (a panic is an internal-error answer), serialised from typed values
//! straight into the frame's bytes, and queued on the outbox.
//!
//! `$/cancelRequest` naming one of them raises its flag: the computation stops at its
//! next check, a pull that waits for an analysis stops waiting, and the answer is
//! `RequestCancelled` (-32800), as tower-lsp answers its own. Before the server is
//! initialised and after `shutdown`, these requests go to tower-lsp, which answers them
//! with the errors the protocol asks for.

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Serialize;
use serde_json::Value;
use tokio::sync::Notify;
use tower_lsp::lsp_types::*;

use super::state::{free_later, lock, schedule, to_lsp, Outline, State};
use super::{config_file, convert, symbols};
use crate::analysis::{Kept, Snapshot};
use crate::features::{folding, outline};
use crate::limits::{MAX_FOLDING_RANGES, MAX_OUTLINE_ENTRIES};

/// The methods answered here.
pub fn is_direct(method: &str) -> bool {
    matches!(
        method,
        "textDocument/diagnostic" | "textDocument/documentSymbol" | "textDocument/foldingRange"
    )
}

/// A request's cancellation: a flag its computation polls, and a wake-up for a request
/// that waits.
#[derive(Default)]
pub struct Cancel {
    flag: AtomicBool,
    woken: Notify,
}

impl Cancel {
    pub fn cancel(&self) {
        self.flag.store(true, Ordering::SeqCst);
        self.woken.notify_waiters();
    }

    pub fn is_cancelled(&self) -> bool {
        self.flag.load(Ordering::Relaxed)
    }
}

/// The requests answered here, by id, while they run.
pub struct Direct {
    state: Arc<State>,
    running: Arc<Mutex<HashMap<String, Arc<Cancel>>>>,
}

/// A JSON-RPC error answer.
struct Failure {
    code: i64,
    message: String,
}

impl Failure {
    fn internal() -> Failure {
        Failure {
            code: -32603,
            message: "Internal error".into(),
        }
    }

    fn cancelled() -> Failure {
        Failure {
            code: -32800,
            message: "Canceled".into(),
        }
    }
}

/// The body of an answer frame, serialised from `result` directly.
fn answer<T: Serialize>(id: &Value, result: &T) -> Result<Vec<u8>, Failure> {
    answer_sized(id, result, 128)
}

/// [`answer`], writing into a buffer of `capacity` bytes to start with: a large answer
/// (megabytes of diagnostics) is then not copied over and over as its buffer grows.
fn answer_sized<T: Serialize>(id: &Value, result: &T, capacity: usize) -> Result<Vec<u8>, Failure> {
    #[derive(Serialize)]
    struct Answer<'a, T> {
        jsonrpc: &'static str,
        id: &'a Value,
        result: &'a T,
    }
    let mut body = Vec::with_capacity(capacity);
    serde_json::to_writer(
        &mut body,
        &Answer {
            jsonrpc: "2.0",
            id,
            result,
        },
    )
    .map(|()| body)
    .map_err(|e| {
        tracing::error!("cannot serialise an answer: {e}");
        Failure::internal()
    })
}

fn error_answer(id: &Value, f: &Failure) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "jsonrpc": "2.0",
        "id": id,
        "error": {"code": f.code, "message": f.message},
    }))
    .unwrap_or_default()
}

/// Runs `f` on the blocking pool; a panic is an internal error.
async fn on_pool<T, F>(method: &'static str, f: F) -> Result<T, Failure>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, Failure> + Send + 'static,
{
    let span = tracing::info_span!("request", method);
    let run = tokio::task::spawn_blocking(move || {
        let _enter = span.enter();
        let started = std::time::Instant::now();
        let r = catch_unwind(AssertUnwindSafe(f));
        tracing::debug!(
            elapsed_us = started.elapsed().as_micros() as u64,
            "computed"
        );
        r
    });
    match run.await {
        Ok(Ok(r)) => r,
        _ => {
            super::note_panic();
            tracing::error!(method, "handler panicked; answering with an internal error");
            Err(Failure::internal())
        }
    }
}

impl Direct {
    pub fn new(state: Arc<State>) -> Direct {
        Direct {
            state,
            running: Arc::default(),
        }
    }

    /// Takes `msg` if it is answered here (or cancels a request answered here); gives it
    /// back otherwise, for tower-lsp.
    pub fn take(&self, msg: Value) -> Option<Value> {
        let method = msg.get("method").and_then(Value::as_str);
        match (method, msg.get("id")) {
            (Some("$/cancelRequest"), None) => {
                let key = msg["params"]["id"].to_string();
                match lock(&self.running).get(&key) {
                    Some(c) => {
                        c.cancel();
                        None
                    }
                    None => Some(msg),
                }
            }
            (Some(m), Some(_))
                if is_direct(m)
                    && self.state.initialized.load(Ordering::SeqCst)
                    && !self.state.shutdown_requested() =>
            {
                self.spawn(msg);
                None
            }
            _ => Some(msg),
        }
    }

    fn spawn(&self, mut msg: Value) {
        let id = msg["id"].take();
        let key = id.to_string();
        let method = msg["method"].as_str().unwrap_or_default().to_string();
        let params = msg.get_mut("params").map(Value::take).unwrap_or_default();
        let cancel = Arc::new(Cancel::default());
        lock(&self.running).insert(key.clone(), cancel.clone());
        let state = self.state.clone();
        let running = self.running.clone();
        tokio::spawn(async move {
            let result = match method.as_str() {
                "textDocument/diagnostic" => pull(&state, id.clone(), params, &cancel)
                    .await
                    .map(Arc::new),
                "textDocument/documentSymbol" => symbols(&state, id.clone(), params, &cancel).await,
                _ => folding_ranges(&state, id.clone(), params, &cancel)
                    .await
                    .map(Arc::new),
            };
            lock(&running).remove(&key);
            let body = match result {
                _ if cancel.is_cancelled() => Arc::new(error_answer(&id, &Failure::cancelled())),
                Ok(body) => body,
                Err(f) => Arc::new(error_answer(&id, &f)),
            };
            state.send(body);
        });
    }
}

fn params<P: serde::de::DeserializeOwned>(params: Value) -> Result<P, Failure> {
    serde_json::from_value(params).map_err(|e| Failure {
        code: -32602,
        message: e.to_string(),
    })
}

async fn symbols(
    state: &Arc<State>,
    id: Value,
    p: Value,
    cancel: &Arc<Cancel>,
) -> Result<Arc<Vec<u8>>, Failure> {
    let p: DocumentSymbolParams = params(p)?;
    let uri = p.text_document.uri;
    let Some(snap) = state.snapshot(&uri) else {
        return answer(&id, &Value::Null).map(Arc::new);
    };
    let hierarchical = state.caps().hierarchical_symbols;
    let enc = state.encoding();
    let cached = lock(&state.outlines)
        .get(uri.as_str())
        .filter(|o| {
            o.generation == snap.generation && o.hierarchical == hierarchical && o.encoding == enc
        })
        .map(|o| (o.answer.clone(), o.result.clone()));
    if let Some((answer, result)) = cached {
        return Ok(Arc::new(raw_answer(&id, &answer[result])));
    }
    // The positions of the last outline, moved through the edits since: only what the
    // edits touched is converted again.
    let kept = hierarchical
        .then(|| lock(&state.ws).take_positions(uri.as_str(), snap.generation, Kept::Outline))
        .flatten();
    let cancel = cancel.clone();
    let state = state.clone();
    on_pool("textDocument/documentSymbol", move || {
        let mut sections = outline::symbols(&snap.article, &snap.rope);
        if cancel.is_cancelled() {
            return Err(Failure::cancelled());
        }
        let dropped = outline::truncate(&mut sections, MAX_OUTLINE_ENTRIES);
        if dropped > 0 {
            tracing::warn!(
                dropped,
                "outline cut at its first {MAX_OUTLINE_ENTRIES} entries"
            );
        }
        // The answer's body, its result written in place.
        let mut body = answer_head(&id);
        let start = body.len();
        let mut next = None;
        let written = if hierarchical {
            let (symbols, keep) =
                symbols::DocumentSymbols::with_kept(&snap.rope, &sections, enc, kept);
            let fresh = symbols.fresh();
            let layout = symbols.write_json(&mut body);
            tracing::debug!(fresh, "outline written");
            // The last answer's tree is thousands of allocations: freed on another
            // thread, not before this answer goes.
            if let Some(last) = symbols.into_last() {
                free_later(last);
            }
            layout.map(|layout| next = Some((keep, layout)))
        } else {
            serde_json::to_writer(
                &mut body,
                &Some(DocumentSymbolResponse::Flat(convert::symbol_informations(
                    &snap.rope, &uri, &sections, enc,
                ))),
            )
        };
        if let Err(e) = written {
            tracing::error!("cannot serialise an outline: {e}");
            return Err(Failure::internal());
        }
        let result = start..body.len();
        body.push(b'}');
        let body = Arc::new(body);
        // The next answer copies what the edits until then leave as it is.
        let next = next.map(|(mut keep, layout)| {
            keep.answer = Some(Arc::new(symbols::KeptOutline::new(
                enc,
                sections,
                layout,
                body.clone(),
            )));
            keep
        });
        // Kept unless the document changed or closed meanwhile (checked under the
        // workspace lock, which `State::close` and text changes hold to drop it).
        let mut ws = lock(&state.ws);
        let unkept = next
            .and_then(|next| ws.keep_positions(uri.as_str(), snap.generation, Kept::Outline, next));
        if ws
            .get(uri.as_str())
            .is_some_and(|d| d.generation() == snap.generation)
        {
            lock(&state.outlines).insert(
                uri.to_string(),
                Outline {
                    generation: snap.generation,
                    hierarchical,
                    encoding: enc,
                    answer: body.clone(),
                    result,
                },
            );
        }
        drop(ws);
        // Typed on meanwhile: the outline kept is of no use, and freed off the lock.
        if let Some(unkept) = unkept {
            free_later(unkept);
        }
        Ok(body)
    })
    .await
}

/// The start of an answer's body, up to its result.
fn answer_head(id: &Value) -> Vec<u8> {
    let id = serde_json::to_vec(id).unwrap_or_else(|_| b"null".to_vec());
    let mut body = Vec::with_capacity(id.len() + 40);
    body.extend_from_slice(br#"{"jsonrpc":"2.0","id":"#);
    body.extend_from_slice(&id);
    body.extend_from_slice(br#","result":"#);
    body
}

/// An answer whose result is already serialised.
fn raw_answer(id: &Value, result: &[u8]) -> Vec<u8> {
    let mut body = answer_head(id);
    body.reserve_exact(result.len() + 1);
    body.extend_from_slice(result);
    body.push(b'}');
    body
}

async fn folding_ranges(
    state: &Arc<State>,
    id: Value,
    p: Value,
    cancel: &Arc<Cancel>,
) -> Result<Vec<u8>, Failure> {
    let p: FoldingRangeParams = params(p)?;
    let Some(snap) = state.snapshot(&p.text_document.uri) else {
        return answer(&id, &Value::Null);
    };
    let limit = state
        .caps()
        .folding_range_limit
        .unwrap_or(MAX_FOLDING_RANGES)
        .min(MAX_FOLDING_RANGES);
    // The lines of the last answer's folds, moved through the edits since: only what the
    // edits touched is converted again.
    let uri = p.text_document.uri;
    let kept = lock(&state.ws).take_positions(uri.as_str(), snap.generation, Kept::Folding);
    let cancel = cancel.clone();
    let state = state.clone();
    on_pool("textDocument/foldingRange", move || {
        let folds = folding::folds(&snap.article);
        if cancel.is_cancelled() {
            return Err(Failure::cancelled());
        }
        let mut body = answer_head(&id);
        let keep = convert::write_folding_ranges(&snap.rope, &folds, limit, kept, &mut body);
        body.push(b'}');
        let unkept =
            lock(&state.ws).keep_positions(uri.as_str(), snap.generation, Kept::Folding, keep);
        // A fold's positions are two vectors: freed here, the lock already let go.
        drop(unkept);
        Ok(body)
    })
    .await
}

/// Waits until the document's diagnostics are current (or it is closed, or the request
/// is cancelled); its snapshot and result id then.
pub async fn current(
    state: &Arc<State>,
    uri: &Url,
    cancel: Option<&Cancel>,
) -> Option<(Snapshot, u64)> {
    loop {
        let notified = state.analysed.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        let woken = cancel.map(|c| c.woken.notified());
        {
            let ws = lock(&state.ws);
            let doc = ws.get(uri.as_str())?;
            if doc.is_current() {
                return Some((doc.snapshot(), doc.result_id()));
            }
        }
        if cancel.is_some_and(Cancel::is_cancelled) {
            return None;
        }
        schedule(state, uri);
        // A commit wakes us; the timeout only guards against a lost wake-up.
        let wait = tokio::time::timeout(Duration::from_millis(500), notified);
        match woken {
            Some(woken) => {
                tokio::select! {
                    _ = wait => {}
                    _ = woken => {}
                }
            }
            None => {
                let _ = wait.await;
            }
        }
    }
}

/// A pull report for one document, as typed values (for `workspace/diagnostic`).
pub async fn report(
    state: &Arc<State>,
    uri: &Url,
    previous: Option<&str>,
) -> DocumentDiagnosticReport {
    if let Some(r) = config_file::report(state, uri, previous).await {
        return r;
    }
    match current(state, uri, None).await {
        None => empty_report(),
        Some((snap, result_id)) => build_report(state, &snap, uri, result_id, previous),
    }
}

fn unchanged(result_id: String) -> DocumentDiagnosticReport {
    DocumentDiagnosticReport::Unchanged(RelatedUnchangedDocumentDiagnosticReport {
        related_documents: None,
        unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport { result_id },
    })
}

fn empty_report() -> DocumentDiagnosticReport {
    DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
        related_documents: None,
        full_document_diagnostic_report: FullDocumentDiagnosticReport::default(),
    })
}

fn build_report(
    state: &State,
    snap: &Snapshot,
    uri: &Url,
    result_id: u64,
    previous: Option<&str>,
) -> DocumentDiagnosticReport {
    let result_id = result_id.to_string();
    if previous == Some(result_id.as_str()) {
        return unchanged(result_id);
    }
    let items = to_lsp(state, &snap.rope, uri, snap.diagnostics.sorted());
    DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
        related_documents: None,
        full_document_diagnostic_report: FullDocumentDiagnosticReport {
            result_id: Some(result_id),
            items,
        },
    })
}

async fn pull(
    state: &Arc<State>,
    id: Value,
    p: Value,
    cancel: &Arc<Cancel>,
) -> Result<Vec<u8>, Failure> {
    let p: DocumentDiagnosticParams = params(p)?;
    let uri = p.text_document.uri;
    let previous = p.previous_result_id.as_deref();
    if let Some(r) = config_file::report(state, &uri, previous).await {
        return answer(&id, &DocumentDiagnosticReportResult::Report(r));
    }
    let current = current(state, &uri, Some(cancel)).await;
    if cancel.is_cancelled() {
        return Err(Failure::cancelled());
    }
    let state = state.clone();
    let previous = p.previous_result_id;
    on_pool("textDocument/diagnostic", move || {
        let Some((snap, result_id)) = current else {
            return answer(&id, &DocumentDiagnosticReportResult::Report(empty_report()));
        };
        let result_id = result_id.to_string();
        if previous.as_deref() == Some(result_id.as_str()) {
            return answer(
                &id,
                &DocumentDiagnosticReportResult::Report(unchanged(result_id)),
            );
        }
        let settings = state.settings();
        let sorted = snap.diagnostics.sorted();
        // About what one diagnostic takes in JSON.
        let mut body = Vec::with_capacity(512 * sorted.len() + 128);
        let items = convert::DiagnosticsOut::new(
            &snap.rope,
            &uri,
            sorted,
            state.encoding(),
            settings.docs_base_url.as_deref(),
        );
        // A full report, its items written straight from the core's diagnostics.
        body.extend_from_slice(br#"{"jsonrpc":"2.0","id":"#);
        let written = serde_json::to_writer(&mut body, &id)
            .and_then(|()| {
                body.extend_from_slice(br#","result":{"kind":"full","resultId":"#);
                serde_json::to_writer(&mut body, &result_id)
            })
            .and_then(|()| {
                body.extend_from_slice(br#","items":"#);
                items.write_json(&mut body)
            });
        if let Err(e) = written {
            tracing::error!("cannot serialise diagnostics: {e}");
            return Err(Failure::internal());
        }
        body.extend_from_slice(b"}}");
        Ok(body)
    })
    .await
}
