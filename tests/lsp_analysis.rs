//! The analysis core through the real binary's stdio: the defects found in stage 1 stay
//! fixed (each test fails on the code before its fix), diagnostics go out pushed or
//! pulled as the client asks, and save-time rules run on save.
//!
//! Races are made deterministic with `newsls/debug/delay` (registered only under
//! `NEWSLS_DEBUG_HOOKS=1`), which holds analyses or publications back.

mod common;

use std::time::Duration;

use common::*;
use serde_json::{json, Value};

const BROKEN_MD: &str = "# Port\n\n| Terminal | Berths |\n|---|---|\n| Euromax | 8 | 3 |\n";
const CLEAN_TXT: &str = "Port\n\nNothing is wrong in this article.\n";

fn publications(msgs: &[Value], uri: &str) -> Vec<Value> {
    msgs.iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri)
        .cloned()
        .collect()
}

fn delay(s: &mut Server, analysis_ms: u64, publish_ms: u64) {
    s.request(
        "newsls/debug/delay",
        json!({"analysisMs": analysis_ms, "publishMs": publish_ms}),
    );
}

/// Defect 1: generation counters were per document, so a run for the old text of a
/// document closed and reopened at the same version (switching its language mode) could
/// commit and mark the new text clean.
#[test]
fn reopening_at_the_same_version_never_shows_the_old_texts_diagnostics() {
    let uri = "file:///tmp/newsls-analysis/reopen.md";
    let mut s = Server::start();
    s.initialize(vscode_capabilities());
    delay(&mut s, 400, 0);
    s.open(uri, "markdown", BROKEN_MD);
    // The run for the Markdown text is now waiting; switch the language mode.
    s.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "plaintext", "version": 1, "text": CLEAN_TXT}}),
    );
    let msgs = s.drain(Duration::from_millis(1500));
    let published = publications(&msgs, uri);
    let last = published
        .last()
        .expect("diagnostics for the reopened document");
    assert_eq!(last["params"]["version"], 1);
    for p in &published {
        assert_eq!(
            p["params"]["diagnostics"],
            json!([]),
            "the old text's diagnostics were published: {published:#?}"
        );
    }
    assert_eq!(s.shutdown_and_exit(), Some(0));
}

/// Defect 2: diagnostics were published after the documents lock was released, so a run
/// that committed just before `didClose` could publish after the close's empty set.
#[test]
fn a_closed_document_gets_no_diagnostics_after_its_empty_set() {
    let uri = "file:///tmp/newsls-analysis/close.md";
    let mut s = Server::start();
    s.initialize(vscode_capabilities());
    // The run computes its publication, then waits before queueing it.
    delay(&mut s, 0, 500);
    s.open(uri, "markdown", BROKEN_MD);
    std::thread::sleep(Duration::from_millis(150));
    s.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    let msgs = s.drain(Duration::from_millis(1200));
    let published = publications(&msgs, uri);
    let last = published.last().expect("the close's empty publication");
    assert_eq!(
        last["params"]["diagnostics"],
        json!([]),
        "stale diagnostics after close: {published:#?}"
    );
    assert_eq!(s.shutdown_and_exit(), Some(0));
}

/// Defect 3: `codeDescription` pointed at the source tree of the machine that built the
/// binary. Now only a configured documentation URL is linked, and the pages ship in the
/// binary.
#[test]
fn rule_pages_are_linked_only_when_published_and_ship_in_the_binary() {
    let uri = "file:///tmp/newsls-analysis/docs.md";
    let mut s = Server::start();
    s.initialize(vscode_capabilities());
    s.open(uri, "markdown", BROKEN_MD);
    let d = s.diagnostics(uri, Some(1));
    assert_eq!(d.len(), 1);
    assert!(d[0].get("codeDescription").is_none(), "{:#}", d[0]);
    assert_eq!(s.shutdown_and_exit(), Some(0));

    let mut s = Server::start();
    s.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": vscode_capabilities(),
               "initializationOptions": {"docsBaseUrl": "https://newsroom.example/newsls/rules/{id}.html"}}),
    );
    s.notify("initialized", json!({}));
    s.open(uri, "markdown", BROKEN_MD);
    let d = s.diagnostics(uri, Some(1));
    assert_eq!(
        d[0]["codeDescription"]["href"],
        "https://newsroom.example/newsls/rules/table-extra-cells.html"
    );
    assert_eq!(s.shutdown_and_exit(), Some(0));

    let bin = env!("CARGO_BIN_EXE_newsls");
    let page = std::process::Command::new(bin)
        .args(["rule", "table-extra-cells"])
        .output()
        .unwrap();
    assert!(page.status.success());
    let page = String::from_utf8(page.stdout).unwrap();
    assert!(page.starts_with("# `table-extra-cells`"), "{page}");
    let unknown = std::process::Command::new(bin)
        .args(["rule", "table-nonsense"])
        .output()
        .unwrap();
    assert!(!unknown.status.success());
    let err = String::from_utf8(unknown.stderr).unwrap();
    assert!(
        err.contains("table-nonsense") && err.contains("table-split"),
        "{err}"
    );
    let list = std::process::Command::new(bin)
        .arg("rules")
        .output()
        .unwrap();
    let list = String::from_utf8(list.stdout).unwrap();
    for r in newsls::rules::RULES {
        let line = list
            .lines()
            .find(|l| l.split_whitespace().next() == Some(r.id))
            .unwrap_or_else(|| panic!("{} not listed:\n{list}", r.id));
        assert!(line.contains(r.default_severity.name()) && line.contains(r.summary));
    }
}

/// Defect 4: tables inside block quotes and list items were not checked. The fix keeps
/// the quote's markers on the line it inserts.
#[test]
fn a_quoted_table_is_checked_and_its_fix_keeps_the_quote() {
    let uri = "file:///tmp/newsls-analysis/quote.md";
    let text = "# Port\n\n> | Stage | Date |\n> | Final | 30 May |\n";
    let mut s = Server::start();
    s.initialize(neovim_capabilities());
    s.open(uri, "markdown", text);
    let d = s.diagnostics(uri, Some(1));
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0]["code"], "table-missing-delimiter");
    assert_eq!(d[0]["range"]["start"], json!({"line": 2, "character": 2}));
    let actions = s.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": d[0]["range"], "context": {"diagnostics": [d[0]]}}),
    );
    let edit = &actions[0]["edit"]["documentChanges"][0]["edits"][0];
    assert_eq!(edit["newText"], "| --- | --- |\n> ");
    assert_eq!(edit["range"]["start"], json!({"line": 3, "character": 2}));
    assert_eq!(s.shutdown_and_exit(), Some(0));
}

/// A client that pulls gets no pushes; an unchanged document costs an "unchanged".
#[test]
fn pull_diagnostics_with_result_ids() {
    let uri = "file:///tmp/newsls-analysis/pull.md";
    let mut s = Server::start();
    let init = s.initialize(vscode_pull_capabilities());
    assert_eq!(
        init["capabilities"]["diagnosticProvider"]["workspaceDiagnostics"],
        true
    );
    s.open(uri, "markdown", BROKEN_MD);
    let (kind, id, items) = s.pull(uri, None);
    assert_eq!((kind.as_str(), items.len()), ("full", 1));
    assert_eq!(items[0]["code"], "table-extra-cells");
    let id = id.expect("a result id");
    let (kind, again, _) = s.pull(uri, Some(&id));
    assert_eq!(
        (kind.as_str(), again.as_deref()),
        ("unchanged", Some(id.as_str()))
    );
    // A keystroke that repairs the row: the next pull waits for the analysis of it.
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 4, "character": 14}, "end": {"line": 4, "character": 18}}, "text": ""}]}),
    );
    let (kind, _, items) = s.pull(uri, Some(&id));
    assert_eq!((kind.as_str(), items.len()), ("full", 0), "{items:#?}");
    let ws = s.request("workspace/diagnostic", json!({"previousResultIds": []}));
    assert_eq!(ws["items"][0]["uri"], uri);
    let msgs = s.drain(Duration::from_millis(200));
    assert!(
        publications(&msgs, uri).is_empty(),
        "a pulling client must not get pushes too"
    );
    assert_eq!(s.shutdown_and_exit(), Some(0));
}

/// Rules configured `when = "save"` report only after a save, and stay until the next.
#[test]
fn save_time_rules_run_on_save() {
    let uri = "file:///tmp/newsls-analysis/save.md";
    let mut s = Server::start();
    s.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": vscode_capabilities(),
               "initializationOptions": {"rules": {"table-extra-cells": {"when": "save"}}}}),
    );
    s.notify("initialized", json!({}));
    s.open(uri, "markdown", BROKEN_MD);
    assert!(s.diagnostics(uri, Some(1)).is_empty(), "not before a save");
    s.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri}}),
    );
    let d = s.diagnostics(uri, Some(1));
    assert_eq!(d.len(), 1);
    assert_eq!(d[0]["code"], "table-extra-cells");
    // Typing elsewhere keeps it (moved), until the next save.
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "\n"}]}),
    );
    let d = s.diagnostics(uri, Some(2));
    assert_eq!(d.len(), 1);
    assert_eq!(d[0]["range"]["start"]["line"], 5);
    assert_eq!(s.shutdown_and_exit(), Some(0));
}

/// A client that pulls but cannot be told to pull again (Neovim 0.11 sends no
/// `workspace.diagnostics.refreshSupport`) gets pushes: otherwise a configuration change
/// would not show until the next keystroke.
#[test]
fn a_client_without_refresh_support_gets_pushes() {
    let uri = "file:///tmp/newsls-analysis/nvim.md";
    let mut caps = neovim_capabilities();
    caps["textDocument"]["diagnostic"] = json!({"dynamicRegistration": false});
    let mut s = Server::start();
    let init = s.initialize(caps);
    assert!(init["capabilities"].get("diagnosticProvider").is_none());
    s.open(uri, "markdown", BROKEN_MD);
    assert_eq!(s.diagnostics(uri, Some(1)).len(), 1);
    assert_eq!(s.shutdown_and_exit(), Some(0));
}

/// A pulling client is asked to pull again when diagnostics change without an edit.
#[test]
fn a_pulling_client_is_asked_to_refresh_after_a_configuration_change() {
    let uri = "file:///tmp/newsls-analysis/refresh.md";
    let mut s = Server::start();
    s.initialize(vscode_pull_capabilities());
    s.open(uri, "markdown", BROKEN_MD);
    let (_, _, items) = s.pull(uri, None);
    assert_eq!(items[0]["severity"], 2);
    s.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"newsls": {"rules": {"table-extra-cells": "error"}}}}),
    );
    s.wait_for(|m| m["method"] == "workspace/diagnostic/refresh");
    let (_, _, items) = s.pull(uri, None);
    assert_eq!(items[0]["severity"], 1);
    assert_eq!(s.shutdown_and_exit(), Some(0));
}

/// Plain-text files that are not articles (a services list, a log) get no diagnostics,
/// and `[files] exclude` leaves out what the newsroom says; the outline is still there.
#[test]
fn files_that_are_not_articles_or_are_excluded_get_no_diagnostics() {
    let services: String = (0..40)
        .map(|i| format!("svc{i}\t{}/tcp\t\t# service {i}\n", 1000 + i))
        .collect::<String>()
        + "odd\t1/tcp\textra\tcolumns\there\n";
    let uri = "file:///tmp/newsls-analysis/services.txt";
    let mut s = Server::start();
    s.initialize(vscode_capabilities());
    s.open(uri, "plaintext", &services);
    assert!(
        s.diagnostics(uri, Some(1)).is_empty(),
        "a data file is not an article"
    );
    let symbols = s.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    assert!(
        symbols.as_array().is_some_and(|a| !a.is_empty()),
        "the outline is still offered"
    );
    // The same data checked once the configuration says every file is an article.
    s.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"newsls": {"files": {"articlesOnly": false}}}}),
    );
    let d = s.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri
            && !m["params"]["diagnostics"].as_array().unwrap().is_empty()
    });
    assert_eq!(d["params"]["diagnostics"][0]["code"], "table-tsv-cells");
    // An excluded article gets nothing, whatever it holds.
    s.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"newsls": {"files": {"exclude": ["**/drafts/**"]}}}}),
    );
    let draft = "file:///tmp/newsls-analysis/drafts/port.md";
    s.open(draft, "markdown", BROKEN_MD);
    // The configuration notification and the open race (one is handled by tower-lsp, the
    // other in order by the input loop): what counts is the last word.
    let msgs = s.drain(Duration::from_millis(800));
    let last = publications(&msgs, draft)
        .pop()
        .expect("diagnostics for the draft");
    assert_eq!(last["params"]["diagnostics"], json!([]), "excluded");
    assert_eq!(s.shutdown_and_exit(), Some(0));
}

const BAD_CONFIG: &str = "[files]\ninclde = [\"*.md\"]\n\n[rules]\nplaceholder = \"loud\"\n";

/// `newsls.toml` open in the editor is not an article: it gets the problems of its text
/// as diagnostics (an unknown key a warning on the key, a bad value an error on the
/// value), as the writer types, whatever language the client says it is in; pushed to a
/// client that takes pushes.
#[test]
fn an_open_configuration_file_shows_its_problems_pushed() {
    let uri = "file:///tmp/newsls-analysis/desk/newsls.toml";
    let mut s = Server::start();
    s.initialize(vscode_capabilities());
    // VS Code without a TOML extension calls it plain text.
    s.open(uri, "plaintext", BAD_CONFIG);
    let d = s.diagnostics(uri, Some(1));
    let summary: Vec<(u64, u64, u64, String)> = d
        .iter()
        .map(|x| {
            (
                x["severity"].as_u64().unwrap(),
                x["range"]["start"]["line"].as_u64().unwrap(),
                x["range"]["start"]["character"].as_u64().unwrap(),
                x["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    // The type error stops the parse, so only it is reported until it is mended.
    assert_eq!(summary, [(1, 4, 14, "configuration".to_string())], "{d:#?}");
    assert!(d[0]["message"].as_str().unwrap().contains("loud"), "{d:#?}");
    // Mend the value: the unknown key shows, on its key, as a warning.
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 4, "character": 14}, "end": {"line": 4, "character": 20}}, "text": "\"error\""}]}),
    );
    let d = s.diagnostics(uri, Some(2));
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0]["severity"], 2);
    assert_eq!(
        d[0]["range"],
        json!({"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 6}})
    );
    assert_eq!(
        d[0]["message"],
        "unknown key `files.inclde` in the configuration (ignored)"
    );
    // It is not an article: no outline, no article rules.
    let symbols = s.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    assert!(symbols.is_null(), "{symbols}");
    s.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    assert!(s.diagnostics(uri, None).is_empty());
    assert_eq!(s.shutdown_and_exit(), Some(0));
}

/// The same for a pulling client: a full report with a result id, "unchanged" while the
/// text is, and the file among the workspace's reports; never a push.
#[test]
fn an_open_configuration_file_shows_its_problems_pulled() {
    let uri = "file:///tmp/newsls-analysis/pulled/.newsls.toml";
    let mut s = Server::start();
    s.initialize(vscode_pull_capabilities());
    s.open(uri, "toml", "[rules]\nno-such-rule = \"off\"\n");
    let (kind, id, items) = s.pull(uri, None);
    assert_eq!((kind.as_str(), items.len()), ("full", 1), "{items:#?}");
    assert_eq!(items[0]["severity"], 1);
    assert_eq!(
        items[0]["range"],
        json!({"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 12}})
    );
    let id = id.expect("a result id");
    let (kind, _, _) = s.pull(uri, Some(&id));
    assert_eq!(kind, "unchanged");
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [
            {"text": "[rules]\ntable-split = \"off\"\n"}]}),
    );
    let (kind, _, items) = s.pull(uri, Some(&id));
    assert_eq!((kind.as_str(), items.len()), ("full", 0), "{items:#?}");
    let ws = s.request("workspace/diagnostic", json!({"previousResultIds": []}));
    assert_eq!(ws["items"][0]["uri"], uri, "{ws}");
    let msgs = s.drain(Duration::from_millis(200));
    assert!(
        publications(&msgs, uri).is_empty(),
        "no pushes to a pulling client"
    );
    assert_eq!(s.shutdown_and_exit(), Some(0));
}

/// When newsls.toml is not open, what the server ignores in it is still said: each
/// unknown key is logged (stderr, the editor's output channel) with its file and line.
#[test]
fn unknown_keys_of_the_workspace_file_are_logged() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("newsls.toml"),
        "unknwn = 1\n\n[rules]\ntable-split = \"off\"\n",
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_newsls"))
        .arg("--stdio")
        .env("NEWSLS_LOG", "newsls=warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let root = format!("file://{}", dir.path().display());
    let mut stdin = child.stdin.take().unwrap();
    let send = |stdin: &mut std::process::ChildStdin, msg: Value| {
        stdin.write_all(&frame(&msg.to_string())).unwrap();
        stdin.flush().unwrap();
    };
    send(
        &mut stdin,
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
               "params": {"processId": null, "rootUri": root, "capabilities": {}}}),
    );
    // The configuration is read before initialize is answered: wait for the answer.
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    loop {
        let mut len = 0;
        loop {
            let mut line = String::new();
            let n = std::io::BufRead::read_line(&mut stdout, &mut line).unwrap();
            assert!(n > 0, "the server ended before answering initialize");
            match line.trim_end().strip_prefix("Content-Length: ") {
                Some(v) => len = v.parse().unwrap(),
                None if line.trim_end().is_empty() => break,
                None => {}
            }
        }
        let mut body = vec![0; len];
        std::io::Read::read_exact(&mut stdout, &mut body).unwrap();
        let v: Value = serde_json::from_slice(&body).unwrap();
        if v["id"] == 1 {
            break;
        }
    }
    send(
        &mut stdin,
        json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}),
    );
    send(&mut stdin, json!({"jsonrpc": "2.0", "method": "exit"}));
    drop(stdin);
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let want = format!(
        "{}:1: unknown key `unknwn` in the configuration (ignored)",
        dir.path().join("newsls.toml").display()
    );
    assert!(stderr.contains(&want), "{stderr}");
}

/// Diagnostics remember their positions between answers and move them through edits
/// (only what an edit touched is converted again). After every edit of a sequence that
/// splits and joins lines (`\n`, `\r\n`, `\r` included) above, inside and below broken
/// tables, the pulled diagnostics are exactly those of the same text opened afresh, and
/// so is the outline (which keeps its positions the same way).
#[test]
fn remembered_positions_equal_a_fresh_documents_after_every_edit() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/broken/");
    let mut text = String::new();
    for name in [
        "ar-clinic-fees-flattened.md",
        "ar-currency-delimiters.md",
        "ar-election-results.md",
    ] {
        text.push_str(&std::fs::read_to_string(format!("{dir}{name}")).unwrap());
        text.push('\n');
    }
    let uri = "file:///tmp/newsls-analysis/memo.md";
    let mut s = Server::start();
    s.initialize(vscode_pull_capabilities());
    s.open(uri, "markdown", &text);
    let (_, _, first) = s.pull(uri, None);
    assert!(first.len() >= 3, "the articles' broken tables: {first:#?}");
    // Every field, related locations included (their document's URI set aside).
    let key = |items: &[Value], uri: &str| -> Vec<String> {
        let mut v: Vec<String> = items
            .iter()
            .map(|d| d.to_string().replace(uri, "URI"))
            .collect();
        v.sort();
        v
    };
    const INSERTS: [&str; 7] = ["x", "\n", "\r\n", "\r", "| a | b |\n", "\n\n", ""];
    let mut seed: u64 = 0x5eed;
    let mut next = |n: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize % n.max(1)
    };
    let boundary = |t: &str, mut i: usize| {
        while !t.is_char_boundary(i)
            || (i > 0 && t.as_bytes()[i - 1] == b'\r' && t.as_bytes().get(i) == Some(&b'\n'))
        {
            i -= 1;
        }
        i
    };
    for version in 2..32 {
        let start = boundary(&text, next(text.len()));
        let end = boundary(&text, (start + [0, 1, 3, 40][next(4)]).min(text.len()));
        let insert = INSERTS[next(INSERTS.len())];
        let range = json!({"start": pos(&text, start, "utf-16"), "end": pos(&text, end, "utf-16")});
        text.replace_range(start..end, insert);
        s.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version},
                   "contentChanges": [{"range": range, "text": insert}]}),
        );
        let (_, _, edited) = s.pull(uri, None);
        let fresh_uri = format!("file:///tmp/newsls-analysis/memo-{version}.md");
        s.open(&fresh_uri, "markdown", &text);
        let (_, _, fresh) = s.pull(&fresh_uri, None);
        assert_eq!(
            key(&edited, uri),
            key(&fresh, &fresh_uri),
            "after replacing {start}..{end} with {insert:?} (version {version})"
        );
        // The outline keeps its positions too, moved through the edits since it was
        // last asked for (one edit, or several).
        if version % 3 != 1 {
            let outline = |s: &mut Server, uri: &str| {
                s.request(
                    "textDocument/documentSymbol",
                    json!({"textDocument": {"uri": uri}}),
                )
            };
            let edited = outline(&mut s, uri);
            assert!(edited.as_array().is_some_and(|a| !a.is_empty()));
            assert_eq!(
                edited,
                outline(&mut s, &fresh_uri),
                "outline, version {version}"
            );
        }
        s.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": fresh_uri}}),
        );
    }
    assert_eq!(s.shutdown_and_exit(), Some(0));
}
