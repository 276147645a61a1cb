//! Issue 11 over the real binary's stdio: the server keeps serving whatever it is sent,
//! exits when told whatever is running, and bounds what it reads.
//!
//! Faults are provoked through test-only hooks (registered only under
//! `NEWSLS_DEBUG_HOOKS=1`, which the test client sets): `newsls/debug/delay` (an analysis
//! or a read held back).
//!
//! No test here measures a duration. A test that waits does so for an outcome (a message,
//! an exit, a counter), and the client's generous timeout only stops a hang; where a
//! defect would make the server slow rather than wrong, the work is made large enough that
//! the old behaviour cannot finish before that timeout.

mod common;
#[path = "shapes/mod.rs"]
mod shapes;

use common::*;
use serde_json::{json, Value};

const BROKEN_MD: &str = "# Port\n\n| Terminal | Berths |\n|---|---|\n| Euromax | 8 | 3 |\n";

fn held_text(s: &mut Server, uri: &str) -> Value {
    s.request("newsls/documentText", json!({"textDocument": {"uri": uri}}))
}

// ---------------------------------------------------------------------------------------
// Exit: at once, whatever is running.

/// An analysis held back for ten minutes is running when the client says `exit`.
fn with_an_analysis_running() -> Server {
    let uri = "file:///tmp/newsls-reliability/running.md";
    let mut s = Server::start();
    s.initialize(vscode_capabilities());
    s.request("newsls/debug/delay", json!({"analysisMs": 600_000}));
    s.open(uri, "markdown", BROKEN_MD);
    // The document is held (so the analysis has been scheduled).
    assert_eq!(held_text(&mut s, uri)["version"], 1);
    s
}

#[test]
fn exit_ends_the_process_while_an_analysis_runs() {
    let mut s = with_an_analysis_running();
    assert_eq!(s.shutdown_and_exit(), Some(0));

    let mut s = with_an_analysis_running();
    s.notify("exit", Value::Null);
    assert_eq!(s.wait_exit(), Some(1), "exit without shutdown");

    let mut s = with_an_analysis_running();
    s.close_stdin();
    assert_eq!(s.wait_exit(), Some(0), "stdin closed");
}

/// The input loop is still applying a `didOpen` (held back ten minutes, as a document of
/// gigabytes would be) when `shutdown` and `exit` arrive behind it: the reader sees them
/// at once, and the process ends without waiting for the document.
#[test]
fn exit_ends_the_process_while_a_document_is_being_read() {
    let uri = "file:///tmp/newsls-reliability/reading.md";
    let mut s = Server::start();
    s.initialize(vscode_capabilities());
    s.request("newsls/debug/delay", json!({"syncMs": 600_000}));
    s.open(uri, "markdown", BROKEN_MD);
    s.request_async("shutdown", Value::Null);
    s.notify("exit", Value::Null);
    assert_eq!(s.wait_exit(), Some(0));

    let mut s = Server::start();
    s.initialize(vscode_capabilities());
    s.request("newsls/debug/delay", json!({"syncMs": 600_000}));
    s.open(uri, "markdown", BROKEN_MD);
    s.notify("exit", Value::Null);
    assert_eq!(s.wait_exit(), Some(1), "exit without shutdown");
}
