//! End-to-end LSP benchmark: the release binary over stdio, as an editor drives it.
//! For generated Markdown articles of 100 KB, 1 MB and 10 MB it reports the time from
//! didOpen to the first diagnostics, documentSymbol latency, and the latency of a
//! keystroke (didChange → the next diagnostics, which includes the 60 ms debounce; and
//! didChange + documentSymbol round trip). Medians of repeated runs.
//!
//! `cargo bench --bench lsp_e2e`. Under `cargo test` it runs once on 100 KB as a smoke test.

#[path = "support/articles.rs"]
mod articles;
#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common::*;
use serde_json::json;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn run(label: &str, bytes: usize, rounds: usize) {
    let text = articles::markdown(bytes);
    let uri = "file:///tmp/newsls-bench/article.md";
    let mut s = Server::start();
    s.initialize(vscode_capabilities());
    let t = Instant::now();
    s.open(uri, "markdown", &text);
    s.diagnostics(uri, Some(1));
    let open = t.elapsed();

    let symbols: Vec<Duration> = (0..rounds)
        .map(|_| {
            let t = Instant::now();
            s.request(
                "textDocument/documentSymbol",
                json!({"textDocument": {"uri": uri}}),
            );
            t.elapsed()
        })
        .collect();

    let at = pos(&text, articles::middle_of_a_paragraph(&text), "utf-16");
    let mut to_diagnostics = Vec::new();
    let mut to_outline = Vec::new();
    for round in 0..rounds {
        let version = 2 + 2 * round as i64;
        let t = Instant::now();
        s.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"range": {"start": at, "end": at}, "text": "x"}]}),
        );
        s.request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri}}),
        );
        to_outline.push(t.elapsed());
        s.diagnostics(uri, Some(version));
        to_diagnostics.push(t.elapsed());
        let end = json!({"line": at["line"], "character": at["character"].as_u64().unwrap() + 1});
        s.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version + 1}, "contentChanges": [{"range": {"start": at, "end": end}, "text": ""}]}),
        );
        s.diagnostics(uri, Some(version + 1));
        s.backlog.clear();
    }
    eprintln!(
        "lsp_e2e/{label}: open→diagnostics {}, documentSymbol {}, keystroke→documentSymbol {}, keystroke→diagnostics {} (incl. 60 ms debounce)",
        ms(open),
        ms(median(symbols)),
        ms(median(to_outline)),
        ms(median(to_diagnostics)),
    );
    s.shutdown_and_exit();
}

fn main() {
    let benchmarking = std::env::args().any(|a| a == "--bench");
    if benchmarking {
        for (label, bytes) in [("100KB", 100 << 10), ("1MB", 1 << 20), ("10MB", 10 << 20)] {
            run(label, bytes, 15);
        }
    } else {
        run("100KB (smoke)", 100 << 10, 2);
    }
}
