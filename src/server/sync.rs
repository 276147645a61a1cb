//! Text synchronisation: `didOpen`, `didChange`, `didClose` and `didSave`, applied by the
//! input loop itself, one message after the other, before anything later is read.
//!
//! tower-lsp runs handlers concurrently, and two changes are applied in order only as
//! long as each handler happens to apply its edit before its first `.await` (ENGINEERING.md,
//! tower-lsp issue 284). Applying them here, where frames arrive one at a time, makes the
//! order a property of the design, as rust-analyzer's main loop does; requests that follow
//! a change always see it.
//!
//! A configuration file (`newsls.toml`) is not an article: its notifications go to
//! `config_file`, whatever language the client gives it.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use serde_json::Value;
use tower_lsp::lsp_types::{
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    DidSaveTextDocumentParams, MessageType, ShowMessageParams, Url,
};

use super::state::{free_later, lock, pause, State};
use super::{config_file, convert};
use crate::analysis::Document;
use crate::article::Format;
use crate::text::Span;

/// The notifications handled here.
pub fn is_sync(method: &str) -> bool {
    matches!(
        method,
        "textDocument/didOpen"
            | "textDocument/didChange"
            | "textDocument/didClose"
            | "textDocument/didSave"
    )
}

/// Applies one text synchronisation notification.
pub fn handle(state: &Arc<State>, method: &str, params: Value) {
    if !state.initialized.load(Ordering::SeqCst) {
        tracing::warn!(method, "notification before initialization; dropped");
        return;
    }
    tokio::task::block_in_place(|| pause(&state.delays.sync_ms));
    if state.faults.panic_sync.swap(false, Ordering::SeqCst) {
        panic!("newsls/debug/fault: a panic inside {method}");
    }
    let result = match method {
        "textDocument/didOpen" => serde_json::from_value(params).map(|p| did_open(state, p)),
        "textDocument/didChange" => serde_json::from_value(params).map(|p| did_change(state, p)),
        "textDocument/didClose" => {
            serde_json::from_value(params).map(|p: DidCloseTextDocumentParams| {
                let uri = p.text_document.uri;
                if config_file::is_config_file(&uri) {
                    config_file::close(state, &uri);
                } else {
                    state.close(&uri);
                }
            })
        }
        "textDocument/didSave" => serde_json::from_value(params).map(|p| did_save(state, p)),
        _ => Ok(()),
    };
    if let Err(e) = result {
        tracing::warn!(method, "ignoring a notification with invalid params: {e}");
    }
}

fn format_of(language_id: &str, uri: &Url) -> Format {
    Format::from_language_id(language_id).unwrap_or_else(|| Format::from_path(uri.path()))
}

fn did_open(state: &Arc<State>, p: DidOpenTextDocumentParams) {
    let doc = p.text_document;
    if config_file::is_config_file(&doc.uri) {
        config_file::open(state, &doc.uri, &doc.text, doc.version);
        return;
    }
    let format = format_of(&doc.language_id, &doc.uri);
    // Parsing a document of many megabytes takes a while: let the runtime move its other
    // tasks off this thread meanwhile.
    let path = doc.uri.to_file_path().ok();
    let started = std::time::Instant::now();
    let document = tokio::task::block_in_place(|| {
        Document::new(&doc.text, doc.version, format, 0).with_path(path)
    });
    tracing::debug!(elapsed_us = started.elapsed().as_micros() as u64, "parsed");
    let len = doc.text.len();
    // Megabytes freed (unmapped) off the input loop, while the analysis starts.
    free_later(doc.text);
    state.opened(doc.uri.as_str());
    let limits = {
        let mut ws = lock(&state.ws);
        ws.insert(doc.uri.as_str(), document);
        ws.settings().limits
    };
    if let Some(why) = limits.too_large(len) {
        say_too_large(state, &doc.uri, &why);
    }
    state.analyse_soon(&doc.uri);
}

/// Tells the writer (and the log) that a document is too large to be checked.
fn say_too_large(state: &State, uri: &Url, why: &str) {
    tracing::warn!(%uri, "{why}");
    let name = uri
        .path_segments()
        .and_then(|mut s| s.next_back())
        .unwrap_or("");
    let message = format!("newsls: not checking {name}: {why}");
    state.send(state.notification(
        "window/showMessage",
        ShowMessageParams {
            typ: MessageType::WARNING,
            message,
        },
    ));
}

fn did_change(state: &Arc<State>, p: DidChangeTextDocumentParams) {
    let uri = p.text_document.uri;
    if config_file::is_config_file(&uri) {
        config_file::change(state, &uri, p.content_changes, p.text_document.version);
        return;
    }
    let enc = state.encoding();
    let grew_too_large = {
        let mut ws = lock(&state.ws);
        let Some(before) = ws.get(uri.as_str()).map(|d| d.rope().len_bytes()) else {
            tracing::warn!(%uri, "change for a document that is not open");
            return;
        };
        for change in p.content_changes {
            let rope = ws.get(uri.as_str()).expect("checked above").rope();
            let span = match change.range {
                Some(r) => convert::span(rope, r, enc),
                None => Span::new(0, rope.len_bytes()),
            };
            ws.edit(uri.as_str(), span, &change.text);
        }
        ws.set_version(uri.as_str(), p.text_document.version);
        // The outline kept for the text before is of no more use: its megabytes go now,
        // not when the next one is kept.
        lock(&state.outlines).remove(uri.as_str());
        let after = ws.get(uri.as_str()).map_or(0, |d| d.rope().len_bytes());
        let limits = ws.settings().limits;
        limits
            .too_large(after)
            .filter(|_| limits.too_large(before).is_none())
    };
    if let Some(why) = grew_too_large {
        say_too_large(state, &uri, &why);
    }
    state.analyse_soon(&uri);
}

fn did_save(state: &Arc<State>, p: DidSaveTextDocumentParams) {
    let uri = p.text_document.uri;
    if lock(&state.ws).saved(uri.as_str()) {
        state.expect_refresh();
        state.analyse_soon(&uri);
    }
}
