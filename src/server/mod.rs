//! The protocol edge: the only module that knows about LSP, JSON-RPC and tokio.
//!
//! `framing` guards the byte stream, `backend` holds the open documents and answers
//! requests by converting in (`convert`), calling the core, and converting out.

mod backend;
mod convert;
pub mod framing;

use std::sync::atomic::Ordering;
use std::sync::Arc;

use tokio::sync::Mutex;
use tower_lsp::{LspService, Server};

use framing::{Seen, SharedWriter};

/// Serves LSP on stdin/stdout until `exit` or the end of input. Returns the exit status:
/// 0, or 1 for an `exit` that came without `shutdown` (as the protocol asks).
pub fn run_stdio() -> anyhow::Result<i32> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let out: SharedWriter = Arc::new(Mutex::new(Box::new(tokio::io::stdout())));
        let seen = Arc::new(Seen::default());
        let (server_in, pump_in) = tokio::io::duplex(1 << 20);
        let (pump_out, server_out) = tokio::io::duplex(1 << 20);
        let input = tokio::spawn(framing::pump_input(
            tokio::io::stdin(),
            pump_in,
            out.clone(),
            seen.clone(),
        ));
        let output = tokio::spawn(framing::pump_output(pump_out, out.clone()));

        let mut builder = LspService::build(backend::Backend::new)
            .custom_method("newsls/documentText", backend::Backend::document_text);
        if std::env::var_os("NEWSLS_DEBUG_HOOKS").is_some_and(|v| v == "1") {
            builder = builder.custom_method("newsls/debug/panic", backend::Backend::debug_panic);
        }
        let (service, socket) = builder.finish();
        let state = service.inner().state();
        Server::new(server_in, server_out, socket)
            .concurrency_level(8)
            .serve(service)
            .await;
        // The service is gone: its end of the output pipe is closed, so the copier ends
        // once everything written has gone out.
        let _ = output.await;
        input.abort();
        let clean = state.shutdown_requested() || !seen.exit_notification.load(Ordering::SeqCst);
        Ok(if clean { 0 } else { 1 })
    })
}
