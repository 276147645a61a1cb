//! A language-server client over a child process's stdio, for the end-to-end benchmark
//! (`benches/lsp_e2e.rs`): any server binary, timestamps taken when a message has been
//! read off the pipe, a timeout on every wait, server-to-client requests answered at
//! once as an editor would, and the child's memory read from `/proc`.
//!
//! Three threads per server: the caller's, a writer that owns the child's stdin (so a
//! 10 MB frame being written never stops the reader from draining stdout, and the
//! reader can answer `workspace/configuration` or `workspace/diagnostic/refresh` while
//! the caller waits), and a reader that frames and decodes stdout. The server's stderr
//! goes to a log file.
//!
//! Unlike `tests/common` (which panics on the first surprise, as a test should), every
//! wait here returns a [`Failure`] so that one server that stops answering costs one
//! figure, not the run.

#![allow(dead_code)]

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// Why a wait ended without what it waited for.
#[derive(Clone, Debug, PartialEq)]
pub enum Failure {
    /// Nothing matching arrived within the client's timeout.
    Timeout,
    /// The server closed its stdout (it exited or crashed).
    Closed,
    /// The server answered with a JSON-RPC error.
    Error(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Timeout => f.write_str("timeout"),
            Failure::Closed => f.write_str("server exited"),
            Failure::Error(e) => write!(f, "error: {e}"),
        }
    }
}

/// A message from the server and the moment its last byte was read.
#[derive(Clone, Debug)]
pub struct Incoming {
    pub at: Instant,
    pub msg: Value,
}

/// A `textDocument/publishDiagnostics` notification.
#[derive(Clone, Debug)]
pub struct Publish {
    pub at: Instant,
    pub uri: String,
    pub version: Option<i64>,
    pub count: usize,
}

enum Event {
    Message(Incoming),
    Closed,
}

pub struct Client {
    child: Child,
    pub pid: u32,
    writer: Option<Sender<Vec<u8>>>,
    rx: Receiver<Event>,
    next_id: i64,
    /// How long any one wait may take.
    pub timeout: Duration,
    closed: bool,
    responses: HashMap<i64, Incoming>,
    /// Requests whose answers nobody will read (dropped when they arrive).
    ignored: HashSet<i64>,
    /// Diagnostics published since the last [`Client::take_publishes`].
    publishes: Vec<Publish>,
    /// `workspace/diagnostic/refresh` requests received (and answered) so far.
    pub refreshes: usize,
}

/// One LSP frame.
pub fn frame(v: &Value) -> Vec<u8> {
    let body = serde_json::to_vec(v).expect("JSON");
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(&body);
    out
}

/// What an editor answers to a request from the server: VS Code returns `null` for a
/// configuration section it does not know, and accepts registrations and refreshes.
fn answer(request: &Value) -> Value {
    let result = match request["method"].as_str() {
        Some("workspace/configuration") => {
            let n = request["params"]["items"].as_array().map_or(0, Vec::len);
            Value::Array(vec![Value::Null; n])
        }
        Some("workspace/workspaceFolders") => Value::Array(Vec::new()),
        _ => Value::Null,
    };
    json!({"jsonrpc": "2.0", "id": request["id"], "result": result})
}

impl Client {
    /// Starts `program args…` in `cwd`, its stderr appended to `stderr_log`; every wait
    /// gives up after `timeout`.
    pub fn start(
        program: &Path,
        args: &[&str],
        cwd: &Path,
        stderr_log: &Path,
        timeout: Duration,
    ) -> std::io::Result<Client> {
        let log = File::options().create(true).append(true).open(stderr_log)?;
        let mut child = Command::new(program)
            .args(args)
            .current_dir(cwd)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log))
            .spawn()?;
        let pid = child.id();
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");

        let (wtx, wrx) = channel::<Vec<u8>>();
        std::thread::spawn(move || {
            let mut stdin = stdin;
            for bytes in wrx {
                if stdin.write_all(&bytes).and_then(|_| stdin.flush()).is_err() {
                    return;
                }
            }
        });

        let (tx, rx) = channel();
        let answers = wtx.clone();
        std::thread::spawn(move || {
            let mut r = BufReader::with_capacity(1 << 16, stdout);
            let closed = |tx: &Sender<Event>| {
                let _ = tx.send(Event::Closed);
            };
            loop {
                let mut len = None;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return closed(&tx);
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some((k, v)) = line.split_once(':') {
                        if k.eq_ignore_ascii_case("content-length") {
                            len = v.trim().parse::<usize>().ok();
                        }
                    }
                }
                let Some(len) = len else {
                    return closed(&tx);
                };
                let mut body = vec![0; len];
                if r.read_exact(&mut body).is_err() {
                    return closed(&tx);
                }
                let at = Instant::now();
                let Ok(msg) = serde_json::from_slice::<Value>(&body) else {
                    return closed(&tx);
                };
                if msg.get("method").is_some() && msg.get("id").is_some() {
                    let _ = answers.send(frame(&answer(&msg)));
                }
                if tx.send(Event::Message(Incoming { at, msg })).is_err() {
                    return;
                }
            }
        });

        Ok(Client {
            child,
            pid,
            writer: Some(wtx),
            rx,
            next_id: 1,
            timeout,
            closed: false,
            responses: HashMap::new(),
            ignored: HashSet::new(),
            publishes: Vec::new(),
            refreshes: 0,
        })
    }

    /// Queues a frame for the writer thread (in order with every other frame).
    pub fn send_frame(&mut self, bytes: Vec<u8>) {
        if let Some(w) = &self.writer {
            let _ = w.send(bytes);
        }
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send_frame(frame(&Self::notification(method, params)));
    }

    pub fn notification(method: &str, params: Value) -> Value {
        json!({"jsonrpc": "2.0", "method": method, "params": params})
    }

    /// A request's id and frame, to be sent later with [`Client::send_frame`] (so that a
    /// timer can start after the serialisation of a large message).
    pub fn prepare(&mut self, method: &str, params: Value) -> (i64, Vec<u8>) {
        let id = self.next_id;
        self.next_id += 1;
        let v = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        (id, frame(&v))
    }

    /// Sends a request; its id.
    pub fn request(&mut self, method: &str, params: Value) -> i64 {
        let (id, bytes) = self.prepare(method, params);
        self.send_frame(bytes);
        id
    }

    /// Files one message (waiting until `deadline` at most); false on timeout.
    fn pump(&mut self, deadline: Instant) -> Result<bool, Failure> {
        if self.closed {
            return Err(Failure::Closed);
        }
        let left = deadline.saturating_duration_since(Instant::now());
        match self.rx.recv_timeout(left) {
            Ok(Event::Message(m)) => {
                self.file(m);
                Ok(true)
            }
            Ok(Event::Closed) | Err(RecvTimeoutError::Disconnected) => {
                self.closed = true;
                Err(Failure::Closed)
            }
            Err(RecvTimeoutError::Timeout) => Ok(false),
        }
    }

    fn file(&mut self, m: Incoming) {
        let method = m.msg.get("method").and_then(Value::as_str);
        match (method, m.msg.get("id").and_then(Value::as_i64)) {
            (None, Some(id)) if !self.ignored.remove(&id) => {
                self.responses.insert(id, m);
            }
            (Some("workspace/diagnostic/refresh"), _) => self.refreshes += 1,
            (Some("textDocument/publishDiagnostics"), _) => {
                let p = &m.msg["params"];
                self.publishes.push(Publish {
                    at: m.at,
                    uri: p["uri"].as_str().unwrap_or_default().to_string(),
                    version: p["version"].as_i64(),
                    count: p["diagnostics"].as_array().map_or(0, Vec::len),
                });
            }
            _ => {}
        }
    }

    /// Waits until `check` finds what it looks for (it may send messages itself).
    pub fn wait<T>(
        &mut self,
        mut check: impl FnMut(&mut Client) -> Result<Option<T>, Failure>,
    ) -> Result<T, Failure> {
        let deadline = Instant::now() + self.timeout;
        loop {
            if let Some(t) = check(self)? {
                return Ok(t);
            }
            if !self.pump(deadline)? && Instant::now() >= deadline {
                return Err(Failure::Timeout);
            }
        }
    }

    /// Takes the answer to request `id` if it has arrived.
    pub fn take_response(&mut self, id: i64) -> Option<Incoming> {
        self.responses.remove(&id)
    }

    /// Drops the answer to request `id`, now or when it comes.
    pub fn ignore(&mut self, id: i64) {
        if self.responses.remove(&id).is_none() {
            self.ignored.insert(id);
        }
    }

    /// The answer to request `id` (result or error).
    pub fn response(&mut self, id: i64) -> Result<Incoming, Failure> {
        self.wait(|c| Ok(c.take_response(id)))
    }

    /// The result of request `id`; a JSON-RPC error becomes [`Failure::Error`].
    pub fn result(&mut self, id: i64) -> Result<Incoming, Failure> {
        let r = self.response(id)?;
        match r.msg.get("error") {
            Some(e) => Err(Failure::Error(e.to_string())),
            None => Ok(r),
        }
    }

    /// Publishes received since the last call.
    pub fn take_publishes(&mut self) -> Vec<Publish> {
        std::mem::take(&mut self.publishes)
    }

    pub fn publishes(&self) -> &[Publish] {
        &self.publishes
    }

    /// Reads messages until none has come for `quiet` (at most `max`): lets a server
    /// finish what an edit set off before the next measurement.
    pub fn settle(&mut self, quiet: Duration, max: Duration) -> Result<(), Failure> {
        let end = Instant::now() + max;
        loop {
            let now = Instant::now();
            if now >= end {
                return Ok(());
            }
            if !self.pump((now + quiet).min(end))? {
                return Ok(());
            }
        }
    }

    /// Reads messages until the server has used no CPU for `window` (its CPU time in
    /// `/proc/<pid>/stat` has not moved), at most `max`; whether it got there. Quiet on
    /// the pipe is not enough: a server may still be working on the last edit (or on a
    /// workspace scan) without a word, and the next measurement would pay for it.
    pub fn wait_idle(&mut self, window: Duration, max: Duration) -> Result<bool, Failure> {
        let end = Instant::now() + max;
        loop {
            let before = cpu_ticks(self.pid);
            let until = (Instant::now() + window).min(end);
            while Instant::now() < until {
                self.pump(until)?;
            }
            if before.is_some() && cpu_ticks(self.pid) == before {
                return Ok(true);
            }
            if Instant::now() >= end {
                return Ok(false);
            }
        }
    }

    /// `shutdown`, `exit`, and a kill if the process has not ended within `grace`.
    pub fn stop(&mut self, grace: Duration) {
        if !self.closed {
            let saved = self.timeout;
            self.timeout = grace;
            let id = self.request("shutdown", Value::Null);
            let _ = self.response(id);
            self.notify("exit", Value::Null);
            self.timeout = saved;
        }
        self.writer.take();
        let deadline = Instant::now() + grace;
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// A field of `/proc/<pid>/status` in KiB (`VmHWM`, `VmRSS`).
    pub fn status_kib(&self, field: &str) -> Option<u64> {
        status_kib(self.pid, field)
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// CPU time used by a process (user and system, all threads), in clock ticks.
pub fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // After "pid (comm) ": state, ppid, … utime and stime are fields 14 and 15.
    let fields: Vec<&str> = stat[stat.rfind(')')? + 1..].split_whitespace().collect();
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}

/// A field of `/proc/<pid>/status` in KiB.
pub fn status_kib(pid: u32, field: &str) -> Option<u64> {
    status_kib_in(&format!("/proc/{pid}/status"), field)
}

/// A `Field:   123 kB` line of a `/proc` file (`status`, `meminfo`), in KiB.
pub fn status_kib_in(path: &str, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(path).ok()?;
    status.lines().find_map(|l| {
        let rest = l.strip_prefix(field)?.strip_prefix(':')?;
        rest.trim().strip_suffix("kB")?.trim().parse().ok()
    })
}

/// The client capabilities VS Code 1.9x sends with vscode-languageclient 9 (the parts
/// that change what a server does): UTF-16 only, hierarchical document symbols, pull
/// diagnostics with related documents and refresh, versioned published diagnostics,
/// semantic tokens, Markdown hover, workspace configuration and folders, dynamic
/// registration of watched files.
pub fn vscode_capabilities() -> Value {
    json!({
        "general": {
            "positionEncodings": ["utf-16"],
            "staleRequestSupport": {"cancel": true, "retryOnContentModified": [
                "textDocument/semanticTokens/full", "textDocument/semanticTokens/range",
                "textDocument/semanticTokens/full/delta"]},
            "markdown": {"parser": "marked", "version": "1.1.0"},
            "regularExpressions": {"engine": "ECMAScript", "version": "ES2020"}
        },
        "workspace": {
            "applyEdit": true,
            "workspaceEdit": {"documentChanges": true, "resourceOperations": ["create", "rename", "delete"]},
            "didChangeConfiguration": {"dynamicRegistration": true},
            "didChangeWatchedFiles": {"dynamicRegistration": true, "relativePatternSupport": true},
            "configuration": true,
            "workspaceFolders": true,
            "semanticTokens": {"refreshSupport": true},
            "diagnostics": {"refreshSupport": true},
            "foldingRange": {"refreshSupport": true},
            "codeLens": {"refreshSupport": true},
            "inlayHint": {"refreshSupport": true}
        },
        "textDocument": {
            "synchronization": {"dynamicRegistration": true, "willSave": true, "willSaveWaitUntil": true, "didSave": true},
            "publishDiagnostics": {
                "relatedInformation": true, "versionSupport": true,
                "tagSupport": {"valueSet": [1, 2]}, "codeDescriptionSupport": true, "dataSupport": true
            },
            "diagnostic": {"dynamicRegistration": true, "relatedDocumentSupport": true},
            "documentSymbol": {
                "dynamicRegistration": true,
                "symbolKind": {"valueSet": (1..=26).collect::<Vec<u32>>()},
                "hierarchicalDocumentSymbolSupport": true,
                "tagSupport": {"valueSet": [1]},
                "labelSupport": true
            },
            "foldingRange": {
                "dynamicRegistration": true, "rangeLimit": 5000, "lineFoldingOnly": true,
                "foldingRangeKind": {"valueSet": ["comment", "imports", "region"]},
                "foldingRange": {"collapsedText": false}
            },
            "hover": {"dynamicRegistration": true, "contentFormat": ["markdown", "plaintext"]},
            "semanticTokens": {
                "dynamicRegistration": true,
                "tokenTypes": ["namespace", "type", "class", "enum", "interface", "struct",
                    "typeParameter", "parameter", "variable", "property", "enumMember", "event",
                    "function", "method", "macro", "keyword", "modifier", "comment", "string",
                    "number", "regexp", "operator", "decorator"],
                "tokenModifiers": ["declaration", "definition", "readonly", "static",
                    "deprecated", "abstract", "async", "modification", "documentation",
                    "defaultLibrary"],
                "formats": ["relative"],
                "requests": {"range": true, "full": {"delta": true}},
                "multilineTokenSupport": false,
                "overlappingTokenSupport": false,
                "serverCancelSupport": true,
                "augmentsSyntaxTokens": true
            },
            "codeAction": {
                "dynamicRegistration": true, "isPreferredSupport": true, "disabledSupport": true,
                "dataSupport": true, "resolveSupport": {"properties": ["edit"]},
                "codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["", "quickfix",
                    "refactor", "refactor.extract", "refactor.inline", "refactor.rewrite",
                    "source", "source.organizeImports"]}},
                "honorsChangeAnnotations": true
            },
            "formatting": {"dynamicRegistration": true},
            "rangeFormatting": {"dynamicRegistration": true, "rangesSupport": true}
        },
        "window": {
            "showMessage": {"messageActionItem": {"additionalPropertiesSupport": true}},
            "showDocument": {"support": true},
            "workDoneProgress": true
        }
    })
}
