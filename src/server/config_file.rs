//! `newsls.toml` (or `.newsls.toml`) open in the editor: what is wrong with it, as
//! diagnostics on the file itself, as the writer types.
//!
//! The file is not an article: it is kept apart from the analysis workspace (no outline,
//! no article rules, whatever language the client says it is in), and its text is
//! checked whole on every change by `config::problems` (configuration files are small).
//! Unknown keys and bad glossary entries are warnings, a value the configuration refuses
//! an error on the key or value at fault. The configuration in force is still the one
//! read from disk when the file is saved (see `backend`); these diagnostics say what that
//! reading will find.
//!
//! Diagnostics are pushed or pulled like an article's, never both: a pulling client
//! gets them from `textDocument/diagnostic`, with the document's generation as result id.

use std::collections::HashMap;
use std::sync::Arc;

use ropey::Rope;
use tower_lsp::lsp_types::{self as lsp, TextDocumentContentChangeEvent, Url};

use super::convert;
use super::state::{lock, State};
use crate::config::{problems, FILE_NAMES};
use crate::rules::Diagnostic;
use crate::text::Span;

/// The code the diagnostics on a configuration file carry.
pub const CODE: &str = "configuration";

/// Is `uri` a configuration file (by its name)?
pub fn is_config_file(uri: &Url) -> bool {
    uri.path_segments()
        .and_then(|mut s| s.next_back())
        .is_some_and(|name| FILE_NAMES.contains(&name))
}

struct ConfigDoc {
    rope: Rope,
    version: i32,
    /// Changes with every edit: the pull result id, and what a push is checked against.
    generation: u64,
}

/// The configuration files open in the editor.
#[derive(Default)]
pub struct ConfigDocs {
    docs: HashMap<String, ConfigDoc>,
    generation: u64,
}

impl ConfigDocs {
    fn next(&mut self) -> u64 {
        self.generation += 1;
        self.generation
    }

    pub fn uris(&self) -> Vec<Url> {
        self.docs
            .keys()
            .filter_map(|k| Url::parse(k).ok())
            .collect()
    }
}

pub fn open(state: &Arc<State>, uri: &Url, text: &str, version: i32) {
    {
        let mut docs = lock(&state.config_docs);
        let generation = docs.next();
        docs.docs.insert(
            uri.to_string(),
            ConfigDoc {
                rope: Rope::from_str(text),
                version,
                generation,
            },
        );
    }
    publish(state, uri);
}

pub fn change(
    state: &Arc<State>,
    uri: &Url,
    changes: Vec<TextDocumentContentChangeEvent>,
    version: i32,
) {
    let enc = state.encoding();
    {
        let mut docs = lock(&state.config_docs);
        let generation = docs.next();
        let Some(doc) = docs.docs.get_mut(uri.as_str()) else {
            tracing::warn!(%uri, "change for a configuration file that is not open");
            return;
        };
        for change in changes {
            let span = match change.range {
                Some(r) => convert::span(&doc.rope, r, enc),
                None => Span::new(0, doc.rope.len_bytes()),
            };
            let start = doc.rope.byte_to_char(span.start);
            let end = doc.rope.byte_to_char(span.end);
            doc.rope.remove(start..end);
            doc.rope.insert(start, &change.text);
        }
        doc.version = version;
        doc.generation = generation;
    }
    publish(state, uri);
}

/// Forgets the file; a pushing client gets its empty set of diagnostics.
pub fn close(state: &Arc<State>, uri: &Url) {
    let docs = lock(&state.config_docs).docs.remove(uri.as_str());
    if docs.is_some() && !state.caps().pull_diagnostics {
        let body = state.notification(
            "textDocument/publishDiagnostics",
            lsp::PublishDiagnosticsParams::new(uri.clone(), Vec::new(), None),
        );
        state.send(body);
    }
}

/// The file's diagnostics now: its rope, version and generation, and the diagnostics.
fn compute(state: &State, uri: &Url) -> Option<(i32, u64, Vec<lsp::Diagnostic>)> {
    let (rope, version, generation) = {
        let docs = lock(&state.config_docs);
        let doc = docs.docs.get(uri.as_str())?;
        (doc.rope.clone(), doc.version, doc.generation)
    };
    let text = rope.to_string();
    let path = uri.to_file_path().ok();
    let root = path.as_deref().and_then(std::path::Path::parent);
    let enc = state.encoding();
    let items = problems(&text, root)
        .into_iter()
        .map(|p| {
            let d = Diagnostic {
                rule: CODE,
                severity: p.severity,
                span: Span::new(p.start, p.end),
                message: p.message,
                related: Vec::new(),
                positions: Default::default(),
                rendered: Default::default(),
            };
            convert::diagnostic(&rope, uri, &d, enc, None)
        })
        .collect();
    Some((version, generation, items))
}

/// Pushes the file's diagnostics (off the input loop), unless the client pulls them.
fn publish(state: &Arc<State>, uri: &Url) {
    if state.caps().pull_diagnostics {
        return;
    }
    let state = state.clone();
    let uri = uri.clone();
    tokio::task::spawn_blocking(move || {
        let Some((version, generation, items)) = compute(&state, &uri) else {
            return;
        };
        let body = state.notification(
            "textDocument/publishDiagnostics",
            lsp::PublishDiagnosticsParams::new(uri.clone(), items, Some(version)),
        );
        // Queued under the lock, and only if nothing changed meanwhile: a later edit has
        // its own publication, and a closed file has had its empty set.
        let docs = lock(&state.config_docs);
        if docs
            .docs
            .get(uri.as_str())
            .is_some_and(|d| d.generation == generation)
        {
            state.send(body);
        }
    });
}

/// A pull report for an open configuration file; `None` when `uri` is not one.
pub async fn report(
    state: &Arc<State>,
    uri: &Url,
    previous: Option<&str>,
) -> Option<lsp::DocumentDiagnosticReport> {
    let current = lock(&state.config_docs)
        .docs
        .get(uri.as_str())?
        .generation
        .to_string();
    if previous == Some(current.as_str()) {
        return Some(lsp::DocumentDiagnosticReport::Unchanged(
            lsp::RelatedUnchangedDocumentDiagnosticReport {
                related_documents: None,
                unchanged_document_diagnostic_report: lsp::UnchangedDocumentDiagnosticReport {
                    result_id: current,
                },
            },
        ));
    }
    let state = state.clone();
    let uri = uri.clone();
    let (_, generation, items) = tokio::task::spawn_blocking(move || compute(&state, &uri))
        .await
        .ok()??;
    Some(lsp::DocumentDiagnosticReport::Full(
        lsp::RelatedFullDocumentDiagnosticReport {
            related_documents: None,
            full_document_diagnostic_report: lsp::FullDocumentDiagnosticReport {
                result_id: Some(generation.to_string()),
                items,
            },
        },
    ))
}
