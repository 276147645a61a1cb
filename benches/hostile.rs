//! The hostile documents of issue 11, each through the real server over stdio: the time
//! from `didOpen` to its diagnostics, the time of its outline and folding requests, the
//! number of diagnostics, and the server's peak resident memory (`VmHWM`), each document
//! in a fresh process so that the peak is its own. Then the time `exit` takes while the
//! analysis of the largest document is running.
//!
//! ```sh
//! cargo bench --bench hostile              # the issue's sizes (a 5 MB line, 50 MB...)
//! cargo bench --bench hostile -- --scale 10  # a tenth of them
//! ```
//!
//! Figures are printed (a Markdown table on stderr), never asserted: the machines are
//! shared. Under `cargo test` it runs once at a hundredth of the sizes, so the harness
//! itself is tested; `tests/reliability.rs` checks the same documents' answers.

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "../tests/shapes/mod.rs"]
mod shapes;

use std::time::{Duration, Instant};

use common::*;
use serde_json::{json, Value};

fn mb(kb: u64) -> String {
    format!("{:.0} MB", kb as f64 / 1024.0)
}

fn secs(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s < 0.01 {
        format!("{:.1} ms", s * 1000.0)
    } else {
        format!("{s:.2} s")
    }
}

fn size(bytes: usize) -> String {
    if bytes >= 1 << 20 {
        format!("{:.1} MB", bytes as f64 / (1 << 20) as f64)
    } else if bytes >= 1 << 10 {
        format!("{:.0} KB", bytes as f64 / 1024.0)
    } else {
        format!("{bytes} B")
    }
}

fn open_frame(uri: &str, markdown: bool, text: &str) -> Vec<u8> {
    let language = if markdown { "markdown" } else { "plaintext" };
    frame(
        &json!({"jsonrpc": "2.0", "method": "textDocument/didOpen",
                "params": {"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}})
        .to_string(),
    )
}

/// Initializes with VS Code's capabilities, and with plain text that does not read as a
/// news article checked all the same (by default it is left alone, and most of these
/// documents are not articles).
fn every_rule_on_every_document(s: &mut Server) {
    s.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": vscode_capabilities(),
               "initializationOptions": {"files": {"articlesOnly": false}}}),
    );
    s.notify("initialized", json!({}));
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let smoke = !args.iter().any(|a| a == "--bench");
    let mut scale = if smoke { 100 } else { 1 };
    if let Some(i) = args.iter().position(|a| a == "--scale") {
        scale = args[i + 1].parse().expect("--scale N");
    }
    let docs = shapes::hostile(scale);
    eprintln!(
        "hostile documents, scale 1/{scale}: one fresh server each (VS Code's capabilities, \
         UTF-16; every document checked, articles or not)\n"
    );
    eprintln!(
        "| document | size | diagnostics | open → diagnostics | outline | folding | peak RSS |"
    );
    eprintln!("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    for d in &docs {
        let uri = format!(
            "file:///tmp/newsls-hostile/doc.{}",
            if d.markdown { "md" } else { "txt" }
        );
        let open = open_frame(&uri, d.markdown, &d.text);
        let mut s = Server::start();
        s.set_timeout(Duration::from_secs(600));
        every_rule_on_every_document(&mut s);
        let t = Instant::now();
        s.send_raw(&open);
        let diags = s.diagnostics(&uri, Some(1));
        let to_diagnostics = t.elapsed();
        let t = Instant::now();
        let outline = s.request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri}}),
        );
        let outline_time = t.elapsed();
        assert!(outline.is_array() || outline.is_null());
        let t = Instant::now();
        let folds = s.request(
            "textDocument/foldingRange",
            json!({"textDocument": {"uri": uri}}),
        );
        let folding_time = t.elapsed();
        assert!(folds.is_array());
        let peak = s.memory_kb("VmHWM");
        assert_eq!(s.shutdown_and_exit(), Some(0));
        eprintln!(
            "| {} | {} | {} | {} | {} | {} | {} |",
            d.name,
            size(d.text.len()),
            diags.len(),
            secs(to_diagnostics),
            secs(outline_time),
            secs(folding_time),
            mb(peak)
        );
    }

    // `exit` while the largest document is being analysed.
    let largest = docs.iter().max_by_key(|d| d.text.len()).unwrap();
    let uri = "file:///tmp/newsls-hostile/exit.txt";
    let mut s = Server::start();
    s.set_timeout(Duration::from_secs(600));
    every_rule_on_every_document(&mut s);
    s.send_raw(&open_frame(uri, largest.markdown, &largest.text));
    // Its text is held: its analysis has started.
    let held = s.request("newsls/documentText", json!({"textDocument": {"uri": uri}}));
    assert_eq!(held["version"], 1);
    let t = Instant::now();
    s.request("shutdown", Value::Null);
    s.notify("exit", Value::Null);
    let code = s.wait_exit();
    eprintln!(
        "\nshutdown + exit while {} ({}) is analysed: {} (status {code:?})",
        largest.name,
        size(largest.text.len()),
        secs(t.elapsed())
    );
    if smoke {
        eprintln!("(smoke run at 1/{scale}: use `cargo bench --bench hostile` for the figures)");
    }
}
