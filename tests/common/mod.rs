//! A small LSP client over the real binary's stdio, for end-to-end tests.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// How long a wait lasts before it is a hang (see [`Server::set_timeout`]).
pub const TIMEOUT: Duration = Duration::from_secs(20);

pub struct Server {
    child: Child,
    stdin: Option<ChildStdin>,
    rx: Receiver<Value>,
    next_id: i64,
    timeout: Duration,
    /// Notifications and server requests received while waiting for something else.
    pub backlog: Vec<Value>,
}

pub fn frame(body: &str) -> Vec<u8> {
    format!("Content-Length: {}\r\n\r\n{}", body.len(), body).into_bytes()
}

impl Server {
    pub fn start() -> Server {
        Server::start_with_env(&[])
    }

    /// The server with extra environment variables (a smaller message limit, say).
    pub fn start_with_env(env: &[(&str, &str)]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_newsls"))
            .arg("--stdio")
            .env("NEWSLS_LOG", "newsls=warn")
            .env("NEWSLS_DEBUG_HOOKS", "1")
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start newsls");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut len = None;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Content-Length: ") {
                        len = v.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; len.expect("Content-Length from the server")];
                if r.read_exact(&mut body).is_err() {
                    return;
                }
                let v: Value = serde_json::from_slice(&body).expect("server sent JSON");
                if tx.send(v).is_err() {
                    return;
                }
            }
        });
        let stdin = child.stdin.take();
        Server {
            child,
            stdin,
            rx,
            next_id: 1,
            timeout: TIMEOUT,
            backlog: Vec::new(),
        }
    }

    /// A longer wait before a hang is declared (a benchmark of documents of tens of
    /// megabytes).
    pub fn set_timeout(&mut self, d: Duration) {
        self.timeout = d;
    }

    pub fn send_raw(&mut self, bytes: &[u8]) {
        let w = self.stdin.as_mut().expect("stdin open");
        w.write_all(bytes).unwrap();
        w.flush().unwrap();
    }

    pub fn send(&mut self, v: &Value) {
        self.send_raw(&frame(&v.to_string()));
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    pub fn request_async(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    /// The whole response (with `result` or `error`) to request `id`.
    pub fn response(&mut self, id: i64) -> Value {
        self.wait_for(|m| m.get("id") == Some(&json!(id)) && m.get("method").is_none())
    }

    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.request_async(method, params);
        let r = self.response(id);
        if let Some(e) = r.get("error") {
            panic!("{method} failed: {e}");
        }
        r["result"].clone()
    }

    /// Waits for a message matching `pred` (answering server-to-client requests on the way).
    pub fn wait_for(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.backlog.iter().position(&pred) {
            return self.backlog.remove(i);
        }
        let deadline = Instant::now() + self.timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(m) => {
                    if pred(&m) {
                        return m;
                    }
                    if m.get("method").is_some() && m.get("id").is_some() {
                        // A request from the server (e.g. window/showMessageRequest): answer null.
                        let id = m["id"].clone();
                        self.send(&json!({"jsonrpc": "2.0", "id": id, "result": null}));
                    }
                    self.backlog.push(m);
                }
                Err(RecvTimeoutError::Timeout) => panic!("timed out; backlog: {:#?}", self.backlog),
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("server closed stdout; backlog: {:#?}", self.backlog)
                }
            }
        }
    }

    /// Every message that arrives within `d` (after the backlog), answering the server's
    /// requests on the way.
    pub fn drain(&mut self, d: Duration) -> Vec<Value> {
        let mut got = std::mem::take(&mut self.backlog);
        let deadline = Instant::now() + d;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return got;
            }
            match self.rx.recv_timeout(left) {
                Ok(m) => {
                    if m.get("method").is_some() && m.get("id").is_some() {
                        let id = m["id"].clone();
                        self.send(&json!({"jsonrpc": "2.0", "id": id, "result": null}));
                    }
                    got.push(m);
                }
                Err(RecvTimeoutError::Timeout) => return got,
                Err(RecvTimeoutError::Disconnected) => panic!("server closed stdout"),
            }
        }
    }

    /// The diagnostics of a pull request for `uri` (with `previousResultId`), and the
    /// report's kind and result id.
    pub fn pull(
        &mut self,
        uri: &str,
        previous: Option<&str>,
    ) -> (String, Option<String>, Vec<Value>) {
        let r = self.request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": uri}, "previousResultId": previous}),
        );
        (
            r["kind"].as_str().unwrap_or_default().to_string(),
            r["resultId"].as_str().map(str::to_string),
            r["items"].as_array().cloned().unwrap_or_default(),
        )
    }

    /// The next diagnostics published for `uri` (at `version` when given).
    pub fn diagnostics(&mut self, uri: &str, version: Option<i64>) -> Vec<Value> {
        let m = self.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && version.is_none_or(|v| m["params"]["version"] == v)
        });
        m["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    pub fn initialize(&mut self, capabilities: Value) -> Value {
        let r = self.request(
            "initialize",
            json!({"processId": null, "rootUri": null, "capabilities": capabilities}),
        );
        self.notify("initialized", json!({}));
        r
    }

    pub fn open(&mut self, uri: &str, language: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
        );
    }

    /// A field of the process's `/proc/<pid>/status` in kilobytes: `VmRSS` (resident
    /// now) or `VmHWM` (the peak).
    pub fn memory_kb(&self, field: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("the server's /proc status");
        status
            .lines()
            .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or_else(|| panic!("no {field} in {status}"))
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The server's threads: (thread id, name), in the order the system gave their ids.
    pub fn threads(&self) -> Vec<(u32, String)> {
        let dir = format!("/proc/{}/task", self.child.id());
        let mut threads: Vec<(u32, String)> = std::fs::read_dir(&dir)
            .expect("the server's /proc tasks")
            .filter_map(|e| {
                let e = e.ok()?;
                let tid = e.file_name().to_str()?.parse().ok()?;
                let name = std::fs::read_to_string(e.path().join("comm")).ok()?;
                Some((tid, name.trim_end().to_string()))
            })
            .collect();
        threads.sort();
        threads
    }

    /// Whether the process has ended (without waiting).
    pub fn exited(&mut self) -> Option<Option<i32>> {
        self.child.try_wait().unwrap().map(|s| s.code())
    }

    pub fn close_stdin(&mut self) {
        self.stdin.take();
    }

    /// Waits for the process to end; its exit status code.
    pub fn wait_exit(&mut self) -> Option<i32> {
        let deadline = Instant::now() + self.timeout;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("server did not exit");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn shutdown_and_exit(&mut self) -> Option<i32> {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        self.wait_exit()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// VS Code's relevant capabilities: UTF-16 only, hierarchical symbols.
pub fn vscode_capabilities() -> Value {
    json!({
        "general": {"positionEncodings": ["utf-16"]},
        "textDocument": {
            "documentSymbol": {"hierarchicalDocumentSymbolSupport": true},
            "publishDiagnostics": {"relatedInformation": true, "versionSupport": true},
            "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix", "refactor.rewrite"]}}},
            "foldingRange": {"lineFoldingOnly": true}
        }
    })
}

/// VS Code's, with pull diagnostics (`textDocument/diagnostic`) as VS Code really offers.
pub fn vscode_pull_capabilities() -> Value {
    let mut caps = vscode_capabilities();
    caps["textDocument"]["diagnostic"] =
        json!({"dynamicRegistration": true, "relatedDocumentSupport": false});
    // `diagnostics`, plural, as the specification and VS Code spell it.
    caps["workspace"] = json!({"diagnostics": {"refreshSupport": true}});
    caps
}

/// Neovim 0.11's: offers UTF-8 first, hierarchical symbols.
pub fn neovim_capabilities() -> Value {
    json!({
        "general": {"positionEncodings": ["utf-8", "utf-16", "utf-32"]},
        "textDocument": {
            "documentSymbol": {"hierarchicalDocumentSymbolSupport": true},
            "foldingRange": {"lineFoldingOnly": true}
        }
    })
}

pub fn reference_article() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/alaska-summit-ar.txt"
    ))
    .unwrap()
}

/// Byte offset → LSP position in `enc` ("utf-8", "utf-16", "utf-32"), computed directly
/// from the string: an oracle independent of the server's conversion code.
pub fn pos(text: &str, offset: usize, enc: &str) -> Value {
    let before = &text[..offset];
    let line_start = before.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let line = before.matches('\n').count() + before.matches('\r').count()
        - before.matches("\r\n").count();
    let col_text = &text[line_start..offset];
    let col = match enc {
        "utf-8" => col_text.len(),
        "utf-16" => col_text.encode_utf16().count(),
        _ => col_text.chars().count(),
    };
    json!({"line": line, "character": col})
}
