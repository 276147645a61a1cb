//! The protocol edge: the only module that knows about LSP, JSON-RPC and tokio. It
//! converts and schedules; everything it answers is computed by the core.
//!
//! - `framing` reads and checks every frame (bounded), answers bad ones, and hands good
//!   ones to the router below;
//! - `sync` applies text synchronisation in the input loop itself, in order;
//! - `backend` is tower-lsp's `LanguageServer`: lifecycle, configuration and requests;
//! - `state` holds the analysis workspace and schedules analyses and their diagnostics;
//! - `direct` answers the requests with large answers (pulled diagnostics, outline,
//!   folding) itself, serialised straight from typed values, and their cancellations;
//! - `config_file` checks `newsls.toml` as it is edited, apart from the articles;
//! - `convert` converts between protocol and core types.

mod backend;
mod config_file;
mod convert;
mod decode;
mod direct;
pub mod framing;
mod memory;
mod scan;
mod state;
mod stdin;
mod stdout;
mod symbols;
mod sync;

use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use serde_json::Value;
use tokio::sync::Mutex;
use tower_lsp::{jsonrpc, LspService, Server};
use tower_service::Service;

use framing::{Ended, SharedWriter};
use state::State;

/// How long output already on its way gets to reach stdout once the input has ended.
const DRAIN: Duration = Duration::from_millis(300);

/// Panics caught since the process started (in a request or notification handler, an
/// analysis, or text synchronisation), for `newsls/debug/counters`: a test sees that the
/// fault it provoked happened and was survived.
static PANICS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Counts a caught panic (the caller logs it).
pub(crate) fn note_panic() {
    PANICS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
}

pub(crate) fn trims() -> u64 {
    memory::trims()
}

pub(crate) fn heap_in_use() -> Option<u64> {
    memory::heap_in_use()
}

pub(crate) fn panics() -> u64 {
    PANICS.load(std::sync::atomic::Ordering::SeqCst)
}

/// Serves LSP on stdin/stdout until `exit` or the end of input. Returns the exit status:
/// 0, or 1 for an `exit` that came without `shutdown` (as the protocol asks). Returns
/// promptly whatever is still running: analyses are abandoned, not awaited.
pub fn run_stdio() -> anyhow::Result<i32> {
    memory::tune_allocator();
    memory::start_workers();
    framing::widen_stdin_pipe();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        // Idle blocking threads end after a second rather than ten: what they hold goes
        // back to the allocator before `memory` trims it.
        .thread_keep_alive(Duration::from_secs(1))
        .enable_all()
        .build()?;
    let code = runtime.block_on(serve());
    runtime.shutdown_background();
    Ok(code)
}

/// Where the frames go: standard output (see `stdout`), or tokio's if its descriptor
/// cannot be duplicated.
fn stdout() -> framing::Out {
    match stdout::stdout() {
        Some(out) => framing::Out::Stdout(out),
        None => framing::Out::writer(tokio::io::stdout()),
    }
}

async fn serve() -> i32 {
    let out: SharedWriter = Arc::new(Mutex::new(stdout()));
    let (state, queue) = State::new();
    let queued = tokio::spawn(framing::write_queued(queue, out.clone()));
    let (server_in, pump_in) = tokio::io::duplex(1 << 20);
    let (pump_out, server_out) = tokio::io::duplex(1 << 20);
    let output = tokio::spawn(framing::pump_output(pump_out, out.clone()));

    let router = state.clone();
    let direct = direct::Direct::new(state.clone());
    let idle = state.clone();
    let input = tokio::spawn(framing::pump_input(
        tokio::io::stdin(),
        pump_in,
        out.clone(),
        framing::max_message(),
        Some(stdin::read_body),
        move |msg| route(&router, &direct, msg),
        move || state::analyse_pending(&idle),
    ));

    let backend_state = state.clone();
    let mut builder = LspService::build(move |client| backend::Backend::new(client, backend_state))
        .custom_method("newsls/documentText", backend::Backend::document_text);
    if std::env::var_os("NEWSLS_DEBUG_HOOKS").is_some_and(|v| v == "1") {
        builder = builder
            .custom_method("newsls/debug/panic", backend::Backend::debug_panic)
            .custom_method("newsls/debug/delay", backend::Backend::debug_delay)
            .custom_method("newsls/debug/fault", backend::Backend::debug_fault)
            .custom_method(
                "newsls/debug/panicNotification",
                backend::Backend::debug_panic_notification,
            )
            .custom_method("newsls/debug/slow", backend::Backend::debug_slow)
            .custom_method("newsls/debug/counters", backend::Backend::debug_counters)
            .custom_method("newsls/debug/analyses", backend::Backend::debug_analyses);
    }
    let (service, socket) = builder.finish();
    let server = tokio::spawn(
        Server::new(server_in, server_out, socket)
            .concurrency_level(8)
            .serve(CatchPanics(service)),
    );

    let ended = input.await.unwrap_or(Ended::Eof);
    // Answers and notifications already computed still go out; nothing is waited for.
    let _ = tokio::time::timeout(DRAIN, async {
        let _ = server.await;
        let _ = output.await;
    })
    .await;
    queued.abort();
    match ended {
        Ended::Exit { after_shutdown } if !(after_shutdown || state.shutdown_requested()) => 1,
        _ => 0,
    }
}

/// Handles text synchronisation here, in order, and the requests `direct` answers; gives
/// everything else back for tower-lsp.
fn route(state: &Arc<State>, direct: &direct::Direct, msg: Value) -> Option<Value> {
    let mut msg = direct.take(msg)?;
    let is_notification = msg.get("id").is_none();
    let method = match msg.get("method").and_then(Value::as_str) {
        Some(m) if is_notification && sync::is_sync(m) => m,
        Some("initialize") => {
            state.note_raw_capabilities(&msg["params"]["capabilities"]);
            return Some(msg);
        }
        _ => return Some(msg),
    };
    let method = method.to_string();
    // didSave also reaches tower-lsp, which reloads the configuration when it is the
    // configuration file that was saved.
    let forward = (method == "textDocument/didSave").then(|| msg.clone());
    let params = msg.get_mut("params").map(Value::take).unwrap_or_default();
    let started = std::time::Instant::now();
    sync::handle(state, &method, params);
    tracing::debug!(
        method,
        elapsed_us = started.elapsed().as_micros() as u64,
        "applied"
    );
    forward
}

/// tower-lsp polls its handlers' futures inside its own serve loop, so one panic in a
/// handler (outside the blocking pool, where requests already catch theirs) would end the
/// whole session. This wrapper catches it: a request is answered with an internal error,
/// a notification is logged and dropped, and the session goes on.
struct CatchPanics<S>(S);

type Answer<E> = Result<Option<jsonrpc::Response>, E>;

impl<S> Service<jsonrpc::Request> for CatchPanics<S>
where
    S: Service<jsonrpc::Request, Response = Option<jsonrpc::Response>>,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
{
    type Response = Option<jsonrpc::Response>;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Answer<S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, req: jsonrpc::Request) -> Self::Future {
        let id = req.id().cloned();
        let method = req.method().to_string();
        let failed = move || {
            note_panic();
            match id.clone() {
                Some(id) => {
                    tracing::error!(
                        method,
                        "a request handler panicked; answering with an internal error"
                    );
                    Ok(Some(jsonrpc::Response::from_error(
                        id,
                        jsonrpc::Error::internal_error(),
                    )))
                }
                None => {
                    tracing::error!(
                        method,
                        "a notification handler panicked; the notification is dropped"
                    );
                    Ok(None)
                }
            }
        };
        match catch_unwind(AssertUnwindSafe(|| self.0.call(req))) {
            Ok(fut) => {
                let mut fut = Box::pin(fut);
                Box::pin(std::future::poll_fn(move |cx| {
                    match catch_unwind(AssertUnwindSafe(|| fut.as_mut().poll(cx))) {
                        Ok(poll) => poll,
                        Err(_) => Poll::Ready(failed()),
                    }
                }))
            }
            Err(_) => Box::pin(std::future::ready(failed())),
        }
    }
}
