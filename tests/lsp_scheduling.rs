//! How the server schedules work, over the real binary's stdio (issue 12): a burst of
//! keystrokes costs one analysis, a cancelled request is answered `RequestCancelled` and
//! stops waiting, and the requests answered outside tower-lsp keep the protocol's
//! lifecycle, and what the first check needs is loaded before the first document.
//! Nothing here is timed: analyses are counted with `newsls/debug/analyses`
//! and races are held open with `newsls/debug/delay` (both only under
//! `NEWSLS_DEBUG_HOOKS=1`).

mod common;

use common::*;
use serde_json::{json, Value};

const URI: &str = "file:///tmp/newsls-scheduling/doc.md";
const BROKEN_MD: &str =
    "# Port\n\nTyping here.\n\n| Terminal | Berths |\n|---|---|\n| Euromax | 8 | 3 |\n";

fn analyses(s: &mut Server) -> u64 {
    s.request("newsls/debug/analyses", json!({}))
        .as_u64()
        .expect("a count")
}

fn keystroke(version: i64, column: usize, text: &str) -> Vec<u8> {
    let at = json!({"line": 2, "character": column});
    frame(
        &json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": URI, "version": version},
            "contentChanges": [{"range": {"start": at, "end": at}, "text": text}]}})
        .to_string(),
    )
}

/// 100 keystrokes written at once (as an editor sends them while the server is busy, or
/// a paste of many small edits): applied in order, analysed once at the final version,
/// and published once.
#[test]
fn a_burst_of_100_keystrokes_is_analysed_once() {
    let mut s = Server::start();
    s.initialize(vscode_capabilities());
    s.open(URI, "markdown", BROKEN_MD);
    assert_eq!(s.diagnostics(URI, Some(1)).len(), 1);
    let before = analyses(&mut s);

    let mut burst = Vec::new();
    for k in 0..100 {
        burst.extend(keystroke(2 + k as i64, 11 + k, "x"));
    }
    s.send_raw(&burst);
    let last = s.diagnostics(URI, Some(101));
    assert_eq!(last.len(), 1, "the broken row is still there: {last:#?}");
    assert_eq!(last[0]["range"]["start"]["line"], 6);

    assert_eq!(
        analyses(&mut s) - before,
        1,
        "one analysis for the whole burst"
    );
    let held = s.request("newsls/documentText", json!({"textDocument": {"uri": URI}}));
    assert_eq!(held["version"], 101);
    assert!(held["text"]
        .as_str()
        .unwrap()
        .contains(&format!("Typing here{}.", "x".repeat(100))));
    // No publication for a version in the middle of the burst.
    let rest = s.drain(std::time::Duration::from_millis(200));
    assert!(
        !rest
            .iter()
            .chain(&s.backlog)
            .any(|m| m["method"] == "textDocument/publishDiagnostics"),
        "{rest:#?}"
    );
    assert_eq!(s.shutdown_and_exit(), Some(0));
}

/// A single keystroke on an idle server is analysed at once, without waiting for more.
#[test]
fn one_keystroke_is_analysed_without_waiting_for_another() {
    let mut s = Server::start();
    s.initialize(vscode_capabilities());
    s.open(URI, "markdown", BROKEN_MD);
    s.diagnostics(URI, Some(1));
    let before = analyses(&mut s);
    s.send_raw(&keystroke(2, 12, "y"));
    assert_eq!(s.diagnostics(URI, Some(2)).len(), 1);
    assert_eq!(analyses(&mut s) - before, 1);
    assert_eq!(s.shutdown_and_exit(), Some(0));
}

/// The gazetteer (30–45 ms to load) is loaded once the editor says it is initialised,
/// before any document is opened, so that the first check does not wait for it.
#[test]
fn the_gazetteer_is_loaded_before_the_first_document() {
    let mut s = Server::start();
    s.initialize(vscode_capabilities());
    let deadline = std::time::Instant::now() + TIMEOUT;
    loop {
        let c = s.request("newsls/debug/counters", json!({}));
        if c["prepared"].as_bool().expect("a prepared flag") {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the gazetteer was never loaded ahead of a document: {c}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(s.shutdown_and_exit(), Some(0));
}

/// Folding ranges after edits (their lines kept from the answer before and moved through
/// the edits) are what a server that opens the edited text answers.
#[test]
fn folding_ranges_follow_every_change() {
    let uri = "file:///tmp/newsls-scheduling/folds.md";
    let section = |i: usize| format!("## Section {i}\n\nText {i}.\n\n- a\n- b\n\n");
    let mut text: String = (0..40).map(section).collect();
    let folds = |s: &mut Server| {
        s.request(
            "textDocument/foldingRange",
            json!({"textDocument": {"uri": uri}}),
        )
    };
    let mut s = Server::start();
    s.initialize(vscode_capabilities());
    s.open(uri, "markdown", &text);
    folds(&mut s);
    // (line, column, lines removed, inserted), on lines and columns that exist: lines
    // added above sections, a heading typed into, a section's lines removed, a line
    // split by a new section, a headline above everything.
    // The first inserts as many bytes as a section of two-digit number holds, in fewer
    // lines: every later fold end then falls on an offset one held before the edit, on
    // another line.
    let filler = format!("{}\n\n", "x".repeat(section(10).len() - 2));
    let edits: [(usize, usize, usize, &str); 6] = [
        (140, 0, 0, filler.as_str()),
        (8, 0, 0, "New paragraph.\n\n"),
        (46, 5, 0, "typed "),
        (74, 0, 7, ""),
        (2, 2, 0, "\n\n## Split\n"),
        (0, 0, 0, "# Headline\n\n"),
    ];
    for (version, (line, col, removed, insert)) in edits.into_iter().enumerate() {
        s.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version + 2},
                   "contentChanges": [{"range": {"start": {"line": line, "character": col},
                                                 "end": {"line": line + removed, "character": if removed > 0 { 0 } else { col }}},
                                       "text": insert}]}),
        );
        let start = text
            .split_inclusive('\n')
            .take(line)
            .map(str::len)
            .sum::<usize>()
            + col;
        let end = if removed > 0 {
            text.split_inclusive('\n')
                .take(line + removed)
                .map(str::len)
                .sum::<usize>()
        } else {
            start
        };
        text.replace_range(start..end, insert);
        let got = folds(&mut s);
        let mut fresh = Server::start();
        fresh.initialize(vscode_capabilities());
        fresh.open(uri, "markdown", &text);
        let want = folds(&mut fresh);
        assert_eq!(fresh.shutdown_and_exit(), Some(0));
        assert!(want.as_array().is_some_and(|a| !a.is_empty()), "{want}");
        assert_eq!(got, want, "after edit {version}");
    }
    assert_eq!(s.shutdown_and_exit(), Some(0));
}

/// A pull that waits for an analysis, then cancelled: answered `RequestCancelled`
/// (-32800) without waiting for the analysis, and the session goes on.
#[test]
fn a_cancelled_pull_is_answered_request_cancelled() {
    let mut s = Server::start();
    s.initialize(vscode_pull_capabilities());
    s.open(URI, "markdown", BROKEN_MD);
    let (kind, _, items) = s.pull(URI, None);
    assert_eq!((kind.as_str(), items.len()), ("full", 1));

    // Every analysis now waits two seconds first: the next pull has to wait for one.
    s.request(
        "newsls/debug/delay",
        json!({"analysisMs": 2000, "publishMs": 0}),
    );
    s.send_raw(&keystroke(2, 12, "z"));
    let id = s.request_async(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": URI}}),
    );
    s.notify("$/cancelRequest", json!({"id": id}));
    let answer = s.response(id);
    assert_eq!(answer["error"]["code"], -32800, "{answer}");
    // The analysis was not stopped by the cancelled pull: the next pull gets it.
    let before = s.request("newsls/documentText", json!({"textDocument": {"uri": URI}}));
    assert_eq!(before["version"], 2);
    s.request(
        "newsls/debug/delay",
        json!({"analysisMs": 0, "publishMs": 0}),
    );
    let (kind, _, items) = s.pull(URI, None);
    assert_eq!((kind.as_str(), items.len()), ("full", 1));
    assert_eq!(s.shutdown_and_exit(), Some(0));
}

/// The requests answered outside tower-lsp keep the lifecycle: an error before
/// `initialize` and after `shutdown`, `null` for a document that is not open, an error
/// for invalid params, and a cancellation of some other request still reaches
/// tower-lsp.
#[test]
fn direct_answers_keep_the_lifecycle() {
    let mut s = Server::start();
    for method in [
        "textDocument/documentSymbol",
        "textDocument/foldingRange",
        "textDocument/diagnostic",
    ] {
        let id = s.request_async(method, json!({"textDocument": {"uri": URI}}));
        assert_eq!(s.response(id)["error"]["code"], -32002, "{method}");
    }
    s.initialize(vscode_pull_capabilities());
    for method in ["textDocument/documentSymbol", "textDocument/foldingRange"] {
        let r = s.request(method, json!({"textDocument": {"uri": URI}}));
        assert_eq!(r, Value::Null, "{method}");
        let id = s.request_async(method, json!({"textDocument": 7}));
        assert_eq!(s.response(id)["error"]["code"], -32602, "{method}");
    }
    s.open(URI, "markdown", BROKEN_MD);
    let symbols = s.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    );
    assert_eq!(symbols[0]["name"], "Port");
    let folds = s.request(
        "textDocument/foldingRange",
        json!({"textDocument": {"uri": URI}}),
    );
    assert_eq!(folds.as_array().map(Vec::len), Some(2), "{folds}");
    // A cancellation for an id nobody knows is dropped quietly.
    s.notify("$/cancelRequest", json!({"id": 9999}));
    s.request("shutdown", Value::Null);
    let id = s.request_async(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    );
    assert_eq!(s.response(id)["error"]["code"], -32600);
    s.notify("exit", Value::Null);
    assert_eq!(s.wait_exit(), Some(0));
}

fn outline_names(s: &mut Server, uri: &str) -> Vec<String> {
    fn walk(v: &Value, out: &mut Vec<String>) {
        for e in v.as_array().into_iter().flatten() {
            out.push(e["name"].as_str().unwrap_or_default().to_string());
            walk(&e["children"], out);
        }
    }
    let r = s.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    let mut out = Vec::new();
    walk(&r, &mut out);
    out
}

/// The outline is sent again unchanged while its document is, and never outlives an edit,
/// a close or a reopening with the same version and other text.
#[test]
fn an_outline_asked_again_is_the_same_and_follows_every_change() {
    let mut s = Server::start();
    s.initialize(vscode_capabilities());
    let uri = "file:///tmp/newsls-scheduling/outline.md";
    let text = "# Summit\n\n## Talks\n\nBody.\n";
    s.open(uri, "markdown", text);
    let first = outline_names(&mut s, uri);
    assert_eq!(first, ["Summit", "Talks"]);
    assert_eq!(outline_names(&mut s, uri), first);
    // An edit to the heading ("Talks" -> "Talks end").
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
               "contentChanges": [{"range": {"start": {"line": 2, "character": 8},
                                             "end": {"line": 2, "character": 8}},
                                   "text": " end"}]}),
    );
    assert_eq!(outline_names(&mut s, uri), ["Summit", "Talks end"]);
    assert_eq!(outline_names(&mut s, uri), ["Summit", "Talks end"]);
    // Closed and opened again at version 1 with other text.
    s.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    s.open(uri, "markdown", "# Summit\n\n## Press\n\nBody.\n");
    assert_eq!(outline_names(&mut s, uri), ["Summit", "Press"]);
    assert_eq!(s.shutdown_and_exit(), Some(0));
}
