//! End-to-end LSP benchmark (issue 12): newsls and rumdl's `rumdl server`, side by side
//! in one run, each driven over real stdio pipes as VS Code drives a server.
//!
//! For generated news articles (`support/articles.rs`: English and Arabic Markdown with
//! some tables broken on purpose, and plain text for newsls alone) of 10 KB, 1 MB and
//! 10 MB, each server is started afresh and measured on:
//!
//! - `initialize`: the request's round trip;
//! - `didOpen` → the first diagnostics: push servers (no `diagnosticProvider`) until the
//!   first `publishDiagnostics` for the document; pull servers until the first
//!   `textDocument/diagnostic` answer of kind `full` (requested right after `didOpen`
//!   and again on each `workspace/diagnostic/refresh`);
//! - keystroke → fresh diagnostics, median and p95 over 50 one-character insertions
//!   spread over the document's paragraphs: push, until `publishDiagnostics` carries the
//!   edit's version; pull, `textDocument/diagnostic` sent right after `didChange` (as
//!   VS Code does) until its answer;
//! - `documentSymbol` without an edit, and keystroke → a `documentSymbol` answer that
//!   shows the edit (a character typed into a heading; re-requested until a symbol's
//!   name contains it);
//! - keystroke → `foldingRange` (VS Code asks after every edit);
//! - `hover` on a person's name (and whether the answer was non-null);
//! - `semanticTokens/full` when the server advertises it;
//! - RSS after `initialize`, peak RSS (`VmHWM`) after all of the above, and RSS one
//!   second after `didClose`.
//!
//! Each edit is sent the way the server asked for (`textDocumentSync` incremental or
//! full); after each measured edit the bench waits for that edit's diagnostics, and
//! before each measurement until the server has used no CPU for 30 ms (from
//! `/proc/<pid>/stat`): every figure is taken on an idle server. Both servers stay up
//! for an article and take turns round by round, so that the shared machine's load
//! falls on both alike. Every wait has a timeout: a server that
//! never answers gets "timeout" in its cell, and after two timeouts the rest of its run
//! is skipped. Servers' stderr goes to `target/bench/lsp_e2e.<server>.stderr.log`.
//!
//! Prints one table per size (newsls, rumdl, newsls/rumdl) and a machine line, and
//! writes the same figures to `target/bench/lsp_e2e.json` (and the tables to
//! `target/bench/lsp_e2e.md`). Compare figures as ratios within one run: the machine is
//! shared. This file is the scenario; `support/lsp_client.rs` is the stdio client and
//! `support/lsp_report.rs` the figures and tables. The method and the latest figures are
//! in `docs/performance.md`.
//!
//! ```sh
//! scripts/bench/lsp.sh [--quick]            # installs rumdl, builds, runs (documented way)
//! cargo bench --bench lsp_e2e -- [--quick] [--sizes 10KB,1MB,10MB]
//!     [--articles md-en,md-ar,txt-en,txt-ar] [--keystrokes 50] [--rounds 10]
//! ```
//!
//! `NEWSLS_BIN` and `RUMDL_BIN` choose the binaries (default: the bench's own build of
//! newsls, and `.cache/bench/venv/bin/rumdl` from `scripts/bench/setup.sh`);
//! `RUMDL_UNAVAILABLE` (set by `lsp.sh` when the install failed) says why rumdl is
//! missing; `LSP_BENCH_TIMEOUT` (seconds) overrides the per-wait timeout. Under
//! `cargo test` this runs as a smoke test: the 10 KB English article, a few rounds,
//! failing if newsls does not answer something it advertises.

#[path = "support/articles.rs"]
mod articles;
#[path = "support/lsp_client.rs"]
mod lsp_client;
#[path = "support/lsp_report.rs"]
mod lsp_report;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use articles::{Article, Kind, Lang};
use lsp_client::{Client, Failure};
use lsp_report::{Binary, Figure, Machine, Metric, Plan, Run, ROWS};
use serde_json::{json, Value};

// ---------------------------------------------------------------------------------
// What to run

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Mode {
    /// `cargo test`: one small article, a few rounds, newsls must answer everything.
    Smoke,
    /// `--quick`: every article at 10 KB, full rounds.
    Quick,
    Full,
}

struct Config {
    mode: Mode,
    sizes: Vec<(&'static str, usize)>,
    articles: Vec<(Lang, Kind)>,
    keystrokes: usize,
    rounds: usize,
    /// How long after `didClose` the RSS is read.
    after_close: Duration,
    timeout_override: Option<Duration>,
}

const SIZES: [(&str, usize); 3] = [("10KB", 10 << 10), ("1MB", 1 << 20), ("10MB", 10 << 20)];
const ARTICLES: [(Lang, Kind); 4] = [
    (Lang::English, Kind::Markdown),
    (Lang::Arabic, Kind::Markdown),
    (Lang::English, Kind::PlainText),
    (Lang::Arabic, Kind::PlainText),
];

fn article_name(lang: Lang, kind: Kind) -> &'static str {
    match (kind, lang) {
        (Kind::Markdown, Lang::English) => "md-en",
        (Kind::Markdown, Lang::Arabic) => "md-ar",
        (Kind::PlainText, Lang::English) => "txt-en",
        (Kind::PlainText, Lang::Arabic) => "txt-ar",
    }
}

impl Config {
    fn from_args() -> Config {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let benchmarking = args.iter().any(|a| a == "--bench");
        let mut cfg = Config {
            mode: if benchmarking {
                Mode::Full
            } else {
                Mode::Smoke
            },
            sizes: SIZES.to_vec(),
            articles: ARTICLES.to_vec(),
            keystrokes: 50,
            rounds: 10,
            after_close: Duration::from_secs(1),
            timeout_override: std::env::var("LSP_BENCH_TIMEOUT")
                .ok()
                .and_then(|s| s.parse().ok())
                .map(Duration::from_secs_f64),
        };
        if cfg.mode == Mode::Smoke {
            cfg.sizes = vec![SIZES[0]];
            cfg.articles = vec![ARTICLES[0]];
            cfg.keystrokes = 5;
            cfg.rounds = 2;
            cfg.after_close = Duration::from_millis(200);
            return cfg;
        }
        let mut it = args.iter();
        while let Some(a) = it.next() {
            let mut value = || it.next().cloned().unwrap_or_default();
            match a.as_str() {
                "--bench" => {}
                "--quick" => {
                    cfg.mode = Mode::Quick;
                    cfg.sizes = vec![SIZES[0]];
                }
                "--sizes" => {
                    let want = value();
                    cfg.sizes = SIZES
                        .iter()
                        .copied()
                        .filter(|(l, _)| want.split(',').any(|w| w.eq_ignore_ascii_case(l)))
                        .collect();
                }
                "--articles" => {
                    let want = value();
                    cfg.articles = ARTICLES
                        .iter()
                        .copied()
                        .filter(|&(l, k)| want.split(',').any(|w| w == article_name(l, k)))
                        .collect();
                }
                "--keystrokes" => cfg.keystrokes = value().parse().unwrap_or(50).max(1),
                "--rounds" => cfg.rounds = value().parse().unwrap_or(10).max(1),
                other => eprintln!("lsp_e2e: ignoring argument {other:?}"),
            }
        }
        assert!(
            !cfg.sizes.is_empty() && !cfg.articles.is_empty(),
            "lsp_e2e: nothing to run (--sizes takes 10KB,1MB,10MB; --articles md-en,md-ar,txt-en,txt-ar)"
        );
        cfg
    }

    /// The longest any one wait may take: generous, since a timeout means "no answer".
    fn timeout(&self, bytes: usize) -> Duration {
        self.timeout_override
            .unwrap_or(Duration::from_secs(10) + Duration::from_secs(4) * (bytes >> 20) as u32)
    }
}

/// A server under test.
struct Server {
    name: &'static str,
    program: PathBuf,
    args: Vec<&'static str>,
    version: String,
    /// rumdl lints Markdown only.
    markdown_only: bool,
}

/// rumdl, or why it is missing.
fn find_rumdl() -> Result<PathBuf, String> {
    if let Ok(p) = std::env::var("RUMDL_BIN") {
        if !p.is_empty() {
            return Ok(PathBuf::from(p));
        }
    }
    if let Ok(why) = std::env::var("RUMDL_UNAVAILABLE") {
        if !why.is_empty() {
            return Err(why);
        }
    }
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join(".cache/bench/venv/bin/rumdl");
    if venv.is_file() {
        Ok(venv)
    } else {
        Err(format!(
            "RUMDL_BIN is not set and {} does not exist (scripts/bench/setup.sh installs it)",
            venv.display()
        ))
    }
}

fn version_of(program: &Path) -> Result<String, String> {
    let out = Command::new(program)
        .arg("--version")
        .output()
        .map_err(|e| format!("cannot run {}: {e}", program.display()))?;
    if !out.status.success() {
        return Err(format!("{} --version failed", program.display()));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Milliseconds, as the figures are kept.
fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

// ---------------------------------------------------------------------------------
// The document as the client edits it

/// The text the client holds, its version, and where the generator put headings,
/// paragraphs and names (mapped through the insertions made since).
struct Doc {
    article: Article,
    text: String,
    version: i64,
    uri: String,
    language: &'static str,
    /// Insertions made so far, in order: (offset at the time, bytes).
    inserts: Vec<(usize, usize)>,
    typed: usize,
}

impl Doc {
    fn new(article: Article, uri: String) -> Doc {
        Doc {
            text: article.text.clone(),
            language: match article.kind {
                Kind::Markdown => "markdown",
                Kind::PlainText => "plaintext",
            },
            article,
            version: 1,
            uri,
            inserts: Vec::new(),
            typed: 0,
        }
    }

    /// An offset of the generated text, in the current text.
    fn map(&self, mut off: usize) -> usize {
        for &(at, n) in &self.inserts {
            if at <= off {
                off += n;
            }
        }
        off
    }

    fn range(&self, r: &std::ops::Range<usize>) -> std::ops::Range<usize> {
        self.map(r.start)..self.map(r.end)
    }

    /// The next character a writer types (letters of a word, in the article's script).
    fn next_char(&mut self) -> char {
        let word: &[char] = match self.article.lang {
            Lang::English => &['n', 'e', 'w', 's'],
            Lang::Arabic => &['خ', 'ب', 'ر'],
        };
        self.typed += 1;
        word[self.typed % word.len()]
    }

    /// The end of a word at about `fraction` of the way through `range` (before the next
    /// space, or the end of the range): where a keystroke goes.
    fn word_end(&self, range: std::ops::Range<usize>, fraction: f64) -> usize {
        let mut at = range.start + ((range.len() as f64 * fraction) as usize).min(range.len());
        while !self.text.is_char_boundary(at) {
            at += 1;
        }
        self.text[at..range.end]
            .find(' ')
            .map_or(range.end, |i| at + i)
    }

    fn insert(&mut self, at: usize, c: char) {
        self.text.insert(at, c);
        self.inserts.push((at, c.len_utf8()));
        self.version += 1;
    }

    /// The LSP position (UTF-16 columns) of a byte offset. The articles break lines
    /// with `\n` only.
    fn position(&self, off: usize) -> Value {
        let bytes = &self.text.as_bytes()[..off];
        let line = memchr::memchr_iter(b'\n', bytes).count();
        let start = memchr::memrchr(b'\n', bytes).map_or(0, |i| i + 1);
        let character = self.text[start..off].encode_utf16().count();
        json!({"line": line, "character": character})
    }

    fn id(&self) -> Value {
        json!({"uri": self.uri})
    }
}

// ---------------------------------------------------------------------------------
// One server on one article

/// What the server said it does, from its `initialize` answer.
#[derive(Default)]
struct Caps {
    pull: bool,
    /// `diagnosticProvider.identifier`, which VS Code sends back with each pull.
    pull_identifier: Option<String>,
    /// 1 full, 2 incremental, 0 none.
    sync: u64,
    symbols: bool,
    folding: bool,
    hover: bool,
    semantic_tokens: bool,
}

impl Caps {
    fn of(c: &Value) -> Caps {
        let on = |v: &Value| !v.is_null() && *v != json!(false);
        let sync = &c["textDocumentSync"];
        Caps {
            pull: on(&c["diagnosticProvider"]),
            pull_identifier: c["diagnosticProvider"]["identifier"]
                .as_str()
                .map(String::from),
            sync: sync
                .as_u64()
                .or_else(|| sync["change"].as_u64())
                .unwrap_or(0),
            symbols: on(&c["documentSymbolProvider"]),
            folding: on(&c["foldingRangeProvider"]),
            hover: on(&c["hoverProvider"]),
            semantic_tokens: on(&c["semanticTokensProvider"]["full"]),
        }
    }
}

/// One server on one article: its client, its copy of the document, what it advertised,
/// and its figures so far.
struct Session {
    /// How long after `didClose` the RSS is read.
    after_close: Duration,
    c: Client,
    doc: Doc,
    caps: Caps,
    run: Run,
    /// Why the rest of the run is skipped, once the server stopped answering.
    dead: Option<String>,
    timeouts: usize,
    workspace: String,
    /// How many diagnostics the first answer after `didOpen` had.
    at_open: Option<u64>,
    /// What the rounds of the current series counted, for its note.
    count: usize,
    answered: usize,
}

/// Before each measurement the server must have used no CPU for this long…
const IDLE_WINDOW: Duration = Duration::from_millis(30);
/// …waiting at most this long for it.
const IDLE_MAX: Duration = Duration::from_secs(2);

/// A measurement made once: its figure and a note.
type Once = fn(&mut Session) -> Result<(Figure, Option<String>), Failure>;

fn not_advertised() -> Figure {
    Figure::Missing("not advertised".into())
}

impl Session {
    /// Starts `server` on `file` (the article, on disk in the workspace `dir`); a run
    /// of missing figures if it cannot be started.
    fn start(
        cfg: &Config,
        server: &Server,
        article: &Article,
        size: &'static str,
        file: &Path,
        log: &Path,
    ) -> Result<Session, Box<Run>> {
        let mut run = Run {
            server: server.name,
            article: article_name(article.lang, article.kind),
            size,
            bytes: article.text.len(),
            diagnostics: "?",
            sync: "?",
            figures: Vec::new(),
            seconds: 0.0,
            busy: 0,
        };
        let dir = file.parent().expect("the workspace");
        let header = format!(
            "\n==== lsp_e2e: {} on {} {size} ({} bytes)\n",
            server.name,
            run.article,
            article.text.len()
        );
        let started = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .and_then(|mut f| std::io::Write::write_all(&mut f, header.as_bytes()))
            .and_then(|_| {
                let timeout = cfg.timeout(article.text.len());
                Client::start(&server.program, &server.args, dir, log, timeout)
            });
        match started {
            Ok(c) => Ok(Session {
                after_close: cfg.after_close,
                c,
                doc: Doc::new(article.clone(), format!("file://{}", file.display())),
                caps: Caps::default(),
                run,
                dead: None,
                timeouts: 0,
                workspace: format!("file://{}", dir.display()),
                at_open: None,
                count: 0,
                answered: 0,
            }),
            Err(e) => {
                for (_, m, _) in ROWS {
                    if run.get(m).is_none() {
                        let why = format!("could not start: {e}");
                        run.figures.push((m, Figure::Missing(why), None));
                    }
                }
                Err(Box::new(run))
            }
        }
    }

    /// The figure of a measurement that failed; after the server exits or times out
    /// twice, the rest of its run is skipped.
    fn fail(&mut self, metric: Metric, e: &Failure) -> Figure {
        match e {
            Failure::Closed => self.dead = Some("server exited".into()),
            Failure::Timeout => {
                self.timeouts += 1;
                if self.timeouts >= 2 {
                    self.dead = Some("server stopped answering".into());
                }
            }
            Failure::Error(_) => {}
        }
        eprintln!(
            "lsp_e2e:   {} {} {}: {} {e}",
            self.run.server,
            self.run.article,
            self.run.size,
            metric.key()
        );
        Figure::Missing(e.to_string())
    }

    /// The figure of a measurement not made: the server is gone, or did not offer it.
    fn skipped(&self) -> Figure {
        match &self.dead {
            Some(why) => Figure::Missing(format!("not run ({why})")),
            None => not_advertised(),
        }
    }

    /// Waits until the server is idle (see [`Client::wait_idle`]); counts the times it
    /// was still busy after [`IDLE_MAX`].
    fn idle(&mut self) -> Result<(), Failure> {
        if !self.c.wait_idle(IDLE_WINDOW, IDLE_MAX)? {
            self.run.busy += 1;
        }
        Ok(())
    }

    /// Runs a one-off measurement, on an idle server, unless the server is gone; files
    /// its figure.
    fn measure(&mut self, metric: Metric, f: Once) {
        let (figure, note) = match &self.dead {
            Some(_) => (self.skipped(), None),
            None => match self.idle().and_then(|_| f(self)) {
                Ok(r) => r,
                Err(e) => (self.fail(metric, &e), None),
            },
        };
        self.run.figures.push((metric, figure, note));
    }

    fn initialize(&mut self) -> Result<(Figure, Option<String>), Failure> {
        let params = json!({
            "processId": std::process::id(),
            "clientInfo": {"name": "lsp_e2e (VS Code-like)", "version": "1.0"},
            "locale": "en",
            "rootPath": self.workspace.trim_start_matches("file://"),
            "rootUri": self.workspace,
            "workspaceFolders": [{"uri": self.workspace, "name": "bench"}],
            "capabilities": lsp_client::vscode_capabilities(),
            "trace": "off",
        });
        let (id, frame) = self.c.prepare("initialize", params);
        let t = Instant::now();
        self.c.send_frame(frame);
        let r = self.c.result(id)?;
        let took = r.at - t;
        self.caps = Caps::of(&r.msg["result"]["capabilities"]);
        self.run.diagnostics = if self.caps.pull { "pull" } else { "push" };
        self.run.sync = match self.caps.sync {
            2 => "incremental",
            1 => "full",
            _ => "none",
        };
        self.c.notify("initialized", json!({}));
        self.c
            .settle(Duration::from_millis(50), Duration::from_secs(1))?;
        Ok((Figure::Ms(ms(took)), None))
    }

    fn pull_params(&self) -> Value {
        let mut params = json!({"textDocument": self.doc.id()});
        if let Some(id) = &self.caps.pull_identifier {
            params["identifier"] = json!(id);
        }
        params
    }

    /// The diagnostics for the document's current version: the moment they arrived and
    /// how many there were. Push: the `publishDiagnostics` carrying the version (or the
    /// first one after `since` from a server that does not version them). Pull: the first
    /// `kind: "full"` answer to `pending` or to a request sent again after a refresh or
    /// a cancellation.
    fn diagnostics(
        &mut self,
        since: Instant,
        mut pending: Vec<i64>,
    ) -> Result<(Instant, usize), Failure> {
        let (uri, version) = (self.doc.uri.clone(), self.doc.version);
        if !self.caps.pull {
            let found = self.c.wait(|c| {
                Ok(c.publishes()
                    .iter()
                    .find(|p| {
                        p.uri == uri && p.at >= since && p.version.is_none_or(|v| v == version)
                    })
                    .map(|p| (p.at, p.count)))
            });
            self.c.take_publishes();
            return found;
        }
        let params = self.pull_params();
        if pending.is_empty() {
            pending.push(self.c.request("textDocument/diagnostic", params.clone()));
        }
        let mut refreshes = self.c.refreshes;
        let found = self.c.wait(|c| {
            if c.refreshes > refreshes {
                refreshes = c.refreshes;
                pending.push(c.request("textDocument/diagnostic", params.clone()));
            }
            for i in 0..pending.len() {
                let Some(r) = c.take_response(pending[i]) else {
                    continue;
                };
                pending.remove(i);
                if let Some(e) = r.msg.get("error") {
                    // ContentModified / ServerCancelled: VS Code asks again.
                    if matches!(e["code"].as_i64(), Some(-32801 | -32802)) {
                        pending.push(c.request("textDocument/diagnostic", params.clone()));
                        return Ok(None);
                    }
                    return Err(Failure::Error(e.to_string()));
                }
                let result = &r.msg["result"];
                if result["kind"] == "full" {
                    let n = result["items"].as_array().map_or(0, Vec::len);
                    return Ok(Some((r.at, n)));
                }
                pending.push(c.request("textDocument/diagnostic", params.clone()));
                return Ok(None);
            }
            Ok(None)
        });
        for id in pending {
            self.c.ignore(id);
        }
        self.c.take_publishes();
        found
    }

    /// After an edit whose effect on something else was measured: wait for its
    /// diagnostics (a pull server is asked, as VS Code would), so that every version
    /// gets its diagnostics and the next measurement does not pay for this one.
    fn catch_up(&mut self, since: Instant) -> Result<(), Failure> {
        self.diagnostics(since, Vec::new()).map(|_| ())
    }

    fn open(&mut self) -> Result<(Figure, Option<String>), Failure> {
        let frame = lsp_client::frame(&Client::notification(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": self.doc.uri, "languageId": self.doc.language,
                "version": self.doc.version, "text": self.doc.text}}),
        ));
        let pull = self.caps.pull.then(|| {
            self.c
                .prepare("textDocument/diagnostic", self.pull_params())
        });
        self.c.take_publishes();
        let t = Instant::now();
        self.c.send_frame(frame);
        let pending = match pull {
            Some((id, f)) => {
                self.c.send_frame(f);
                vec![id]
            }
            None => Vec::new(),
        };
        let (at, count) = self.diagnostics(t, pending)?;
        self.at_open = Some(count as u64);
        Ok((Figure::Ms(ms(at - t)), None))
    }

    /// Types one character at `at`; the `didChange` frame, in the server's sync kind.
    fn type_at(&mut self, at: usize) -> Vec<u8> {
        let pos = self.doc.position(at);
        let c = self.doc.next_char();
        self.doc.insert(at, c);
        let change = if self.caps.sync == 2 {
            json!({"range": {"start": pos, "end": pos}, "text": c.to_string()})
        } else {
            json!({"text": self.doc.text})
        };
        lsp_client::frame(&Client::notification(
            "textDocument/didChange",
            json!({"textDocument": {"uri": self.doc.uri, "version": self.doc.version},
                "contentChanges": [change]}),
        ))
    }

    /// Where keystroke `k` of `n` goes: paragraphs spread over the document, at
    /// different places within each.
    fn keystroke_offset(&self, k: usize, n: usize, salt: usize) -> usize {
        let ps = &self.doc.article.paragraphs;
        let p = &ps[((2 * k + 1) * ps.len() / (2 * n) + salt) % ps.len()];
        let fraction = ((k * 37 + salt * 11) % 89 + 5) as f64 / 100.0;
        self.doc.word_end(self.doc.range(p), fraction)
    }

    fn can_type(&self) -> bool {
        self.caps.sync != 0
    }

    /// Keystroke `k` of `n` into a paragraph → the diagnostics of that version.
    fn keystroke(&mut self, k: usize, n: usize) -> Result<f64, Failure> {
        let at = self.keystroke_offset(k, n, 0);
        let change = self.type_at(at);
        let pull = self.caps.pull.then(|| {
            self.c
                .prepare("textDocument/diagnostic", self.pull_params())
        });
        self.c.take_publishes();
        let t = Instant::now();
        self.c.send_frame(change);
        let pending = match pull {
            Some((id, f)) => {
                self.c.send_frame(f);
                vec![id]
            }
            None => Vec::new(),
        };
        let (got, count) = self.diagnostics(t, pending)?;
        self.count = count;
        Ok(ms(got - t))
    }

    /// `documentSymbol` with no edit before it.
    fn symbols(&mut self, _: usize, _: usize) -> Result<f64, Failure> {
        let (id, f) = self.c.prepare(
            "textDocument/documentSymbol",
            json!({"textDocument": self.doc.id()}),
        );
        let t = Instant::now();
        self.c.send_frame(f);
        let r = self.c.result(id)?;
        self.count = count_symbols(&r.msg["result"]);
        Ok(ms(r.at - t))
    }

    /// A character typed into heading `k` of `n` → the first `documentSymbol` answer
    /// whose symbols show it (asked again at once while they do not).
    fn symbols_after_edit(&mut self, k: usize, n: usize) -> Result<f64, Failure> {
        let hs = &self.doc.article.headings;
        let heading = hs[(2 * k + 1) * hs.len() / (2 * n)].clone();
        let at = self.doc.word_end(self.doc.range(&heading), 0.4);
        let change = self.type_at(at);
        // What the heading now reads around the new character.
        let h = self.doc.range(&heading);
        let lo = floor_boundary(&self.doc.text, at.saturating_sub(8).max(h.start));
        let hi = ceil_boundary(&self.doc.text, (at + 12).min(h.end));
        let expect = self.doc.text[lo..hi].to_string();
        let params = json!({"textDocument": self.doc.id()});
        self.c.take_publishes();
        let t = Instant::now();
        self.c.send_frame(change);
        let mut pending = None;
        let mut requests = 0;
        let got = self.c.wait(|c| {
            let id = *pending.get_or_insert_with(|| {
                requests += 1;
                c.request("textDocument/documentSymbol", params.clone())
            });
            let Some(r) = c.take_response(id) else {
                return Ok(None);
            };
            if let Some(e) = r.msg.get("error") {
                return Err(Failure::Error(e.to_string()));
            }
            if symbol_named(&r.msg["result"], &expect) {
                pending = None;
                return Ok(Some(r.at));
            }
            requests += 1;
            pending = Some(c.request("textDocument/documentSymbol", params.clone()));
            Ok(None)
        });
        if let Some(id) = pending {
            self.c.ignore(id);
        }
        self.count += requests;
        let took = ms(got? - t);
        self.catch_up(t)?;
        Ok(took)
    }

    /// A keystroke into a paragraph, then `foldingRange` at once (VS Code asks after
    /// every edit).
    fn folding_after_edit(&mut self, k: usize, n: usize) -> Result<f64, Failure> {
        let at = self.keystroke_offset(k, n, 3);
        let change = self.type_at(at);
        let (id, f) = self.c.prepare(
            "textDocument/foldingRange",
            json!({"textDocument": self.doc.id()}),
        );
        self.c.take_publishes();
        let t = Instant::now();
        self.c.send_frame(change);
        self.c.send_frame(f);
        let r = self.c.result(id)?;
        self.count = r.msg["result"].as_array().map_or(0, Vec::len);
        self.catch_up(t)?;
        Ok(ms(r.at - t))
    }

    /// `hover` on the middle of the name of person `k` of `n` (spread over the text).
    fn hover(&mut self, k: usize, n: usize) -> Result<f64, Failure> {
        let people = &self.doc.article.people;
        let name = self
            .doc
            .range(&people[(2 * k + 1) * people.len() / (2 * n)]);
        let mid = ceil_boundary(&self.doc.text, name.start + name.len() / 2);
        let params = json!({"textDocument": self.doc.id(), "position": self.doc.position(mid)});
        let (id, f) = self.c.prepare("textDocument/hover", params);
        let t = Instant::now();
        self.c.send_frame(f);
        let r = self.c.result(id)?;
        if !r.msg["result"].is_null() {
            self.answered += 1;
        }
        Ok(ms(r.at - t))
    }

    fn semantic_tokens(&mut self, _: usize, _: usize) -> Result<f64, Failure> {
        let (id, f) = self.c.prepare(
            "textDocument/semanticTokens/full",
            json!({"textDocument": self.doc.id()}),
        );
        let t = Instant::now();
        self.c.send_frame(f);
        let r = self.c.result(id)?;
        self.count = r.msg["result"]["data"].as_array().map_or(0, Vec::len) / 5;
        Ok(ms(r.at - t))
    }

    fn rss(&self, field: &str) -> Result<(Figure, Option<String>), Failure> {
        match self.c.status_kib(field) {
            Some(kib) => Ok((Figure::MiB(kib as f64 / 1024.0), None)),
            None => Err(Failure::Closed),
        }
    }

    fn close(&mut self) -> Result<(Figure, Option<String>), Failure> {
        let before = self.c.status_kib("VmRSS").unwrap_or(0);
        self.c.notify(
            "textDocument/didClose",
            json!({"textDocument": self.doc.id()}),
        );
        let t = Instant::now();
        self.c.settle(self.after_close, self.after_close)?;
        if let Some(left) = self.after_close.checked_sub(t.elapsed()) {
            std::thread::sleep(left);
        }
        let (figure, _) = self.rss("VmRSS")?;
        Ok((
            figure,
            Some(format!("{:.1} MiB before didClose", before as f64 / 1024.0)),
        ))
    }
}

/// A measurement repeated over rounds.
struct Series {
    metric: Metric,
    rounds: usize,
    /// Whether the server offers what is measured.
    offered: fn(&Session) -> bool,
    /// Round `k` of `n`: milliseconds.
    round: fn(&mut Session, usize, usize) -> Result<f64, Failure>,
    /// What the rounds counted, for the record.
    note: fn(&Session, usize) -> String,
}

/// Runs a series on every server, the servers taking turns round by round: a change in
/// the shared machine's load then falls on all of them alike, and their ratio holds
/// still from run to run. A server that fails a round leaves the series.
fn series(sessions: &mut [Session], s: Series) {
    let live: Vec<bool> = sessions
        .iter()
        .map(|x| x.dead.is_none() && (s.offered)(x))
        .collect();
    let mut samples = vec![Vec::new(); sessions.len()];
    let mut failed: Vec<Option<Failure>> = vec![None; sessions.len()];
    for x in sessions.iter_mut() {
        x.count = 0;
        x.answered = 0;
    }
    for k in 0..s.rounds {
        for (i, x) in sessions.iter_mut().enumerate() {
            if live[i] && failed[i].is_none() {
                match x.idle().and_then(|_| (s.round)(x, k, s.rounds)) {
                    Ok(t) => samples[i].push(t),
                    Err(e) => failed[i] = Some(e),
                }
            }
        }
    }
    for (i, x) in sessions.iter_mut().enumerate() {
        let (figure, note) = match &failed[i] {
            Some(e) => (x.fail(s.metric, e), None),
            None if live[i] => (
                Figure::Series(std::mem::take(&mut samples[i])),
                Some((s.note)(x, s.rounds)),
            ),
            None => (x.skipped(), None),
        };
        x.run.figures.push((s.metric, figure, note));
    }
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Whether a `documentSymbol` answer (nested `DocumentSymbol`s or flat
/// `SymbolInformation`s) has a symbol whose name contains `text`.
fn symbol_named(v: &Value, text: &str) -> bool {
    match v {
        Value::Array(xs) => xs.iter().any(|x| symbol_named(x, text)),
        Value::Object(o) => {
            o.get("name")
                .and_then(Value::as_str)
                .is_some_and(|n| n.contains(text))
                || o.get("children").is_some_and(|c| symbol_named(c, text))
        }
        _ => false,
    }
}

fn count_symbols(v: &Value) -> usize {
    match v {
        Value::Array(xs) => xs.iter().map(count_symbols).sum(),
        Value::Object(o) => 1 + o.get("children").map_or(0, count_symbols),
        _ => 0,
    }
}

/// Every server (that handles the article's format) on one article, side by side: each
/// one-off measurement server after server, each series round by round.
fn run_article(
    cfg: &Config,
    servers: &[&Server],
    article: &Article,
    size: &'static str,
    dir: &Path,
    log_of: &dyn Fn(&Server) -> PathBuf,
) -> Vec<Run> {
    let started = Instant::now();
    let name = article_name(article.lang, article.kind);
    let ext = match article.kind {
        Kind::Markdown => "md",
        Kind::PlainText => "txt",
    };
    // On disk too, as in an editor's workspace (rumdl reads the workspace's files).
    let file = dir.join(format!("{name}-{size}.{ext}"));
    std::fs::write(&file, &article.text).expect("the article in the workspace");

    let mut runs = Vec::new();
    let mut sessions = Vec::new();
    for server in servers {
        if server.markdown_only && article.kind != Kind::Markdown {
            continue;
        }
        match Session::start(cfg, server, article, size, &file, &log_of(server)) {
            Ok(s) => sessions.push(s),
            Err(run) => runs.push(*run),
        }
    }
    for s in &mut sessions {
        s.measure(Metric::Initialize, Session::initialize);
        if matches!(s.run.get(Metric::Initialize), Some(Figure::Missing(_))) {
            s.dead.get_or_insert_with(|| "initialize failed".into());
        }
        s.measure(Metric::RssInitialized, |s| s.rss("VmRSS"));
    }
    for s in &mut sessions {
        s.measure(Metric::OpenToDiagnostics, Session::open);
        let at_open = s.at_open.map_or(Figure::Missing("–".into()), Figure::Count);
        s.run
            .figures
            .push((Metric::DiagnosticsAtOpen, at_open, None));
    }
    let rounds = cfg.rounds;
    series(
        &mut sessions,
        Series {
            metric: Metric::KeystrokeToDiagnostics,
            rounds: cfg.keystrokes,
            offered: Session::can_type,
            round: Session::keystroke,
            note: |s, _| format!("{} diagnostics after the last keystroke", s.count),
        },
    );
    series(
        &mut sessions,
        Series {
            metric: Metric::DocumentSymbol,
            rounds,
            offered: |s| s.caps.symbols,
            round: Session::symbols,
            note: |s, _| format!("{} symbols", s.count),
        },
    );
    series(
        &mut sessions,
        Series {
            metric: Metric::KeystrokeToDocumentSymbol,
            rounds,
            offered: |s| s.caps.symbols && s.can_type(),
            round: Session::symbols_after_edit,
            note: |s, n| format!("{} requests for {n} edits", s.count),
        },
    );
    series(
        &mut sessions,
        Series {
            metric: Metric::KeystrokeToFoldingRange,
            rounds,
            offered: |s| s.caps.folding && s.can_type(),
            round: Session::folding_after_edit,
            note: |s, _| format!("{} ranges", s.count),
        },
    );
    series(
        &mut sessions,
        Series {
            metric: Metric::Hover,
            rounds,
            offered: |s| s.caps.hover,
            round: Session::hover,
            note: |s, n| match s.answered {
                0 => "null".into(),
                k => format!("non-null {k}/{n}"),
            },
        },
    );
    series(
        &mut sessions,
        Series {
            metric: Metric::SemanticTokens,
            rounds: rounds.min(5),
            offered: |s| s.caps.semantic_tokens,
            round: Session::semantic_tokens,
            note: |s, _| format!("{} tokens", s.count),
        },
    );
    for s in &mut sessions {
        s.measure(Metric::PeakRss, |s| s.rss("VmHWM"));
    }
    for s in &mut sessions {
        s.measure(Metric::RssAfterClose, Session::close);
    }
    let seconds = started.elapsed().as_secs_f64();
    for mut s in sessions {
        s.c.stop(Duration::from_secs(2));
        s.run.seconds = seconds;
        runs.push(s.run);
    }
    let _ = std::fs::remove_file(&file);
    runs
}

// ---------------------------------------------------------------------------------

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
        .join("bench")
}

/// Checks the generator's promises: deterministic, at least the size asked for, tables
/// broken on purpose, names to hover on.
fn check_generator() {
    for (lang, kind) in ARTICLES {
        let a = articles::generate(lang, kind, 10 << 10);
        assert_eq!(a, articles::generate(lang, kind, 10 << 10), "deterministic");
        assert!(
            a.text.len() >= 10 << 10 && a.text.len() < 16 << 10,
            "{}",
            a.text.len()
        );
        assert!(
            a.broken_tables >= 2,
            "{lang:?} {kind:?}: {} broken",
            a.broken_tables
        );
        assert!(!a.people.is_empty() && !a.headings.is_empty() && a.paragraphs.len() > 10);
        for r in a.headings.iter().chain(&a.paragraphs).chain(&a.people) {
            assert!(!a.text[r.clone()].contains('\n'));
        }
    }
}

fn main() {
    let cfg = Config::from_args();
    if cfg.mode == Mode::Smoke {
        check_generator();
    }
    let out_dir = target_dir();
    std::fs::create_dir_all(&out_dir).expect("target/bench");
    let workspace = std::env::temp_dir().join(format!("newsls-lsp-bench-{}", std::process::id()));
    std::fs::create_dir_all(&workspace).expect("a workspace directory");

    let newsls_bin = std::env::var_os("NEWSLS_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_newsls")));
    let newsls = Server {
        name: "newsls",
        version: version_of(&newsls_bin).expect("newsls runs"),
        program: newsls_bin,
        args: vec!["--stdio"],
        markdown_only: false,
    };
    let rumdl = find_rumdl().and_then(|program| {
        Ok(Server {
            name: "rumdl",
            version: version_of(&program)?,
            program,
            args: vec!["server"],
            markdown_only: true,
        })
    });
    let mut machine = Machine::read();
    eprintln!("lsp_e2e: {}", machine.line());
    if let Err(why) = &rumdl {
        eprintln!("lsp_e2e: rumdl column missing: {why}");
    }
    let mut servers = vec![&newsls];
    if let Ok(r) = &rumdl {
        servers.push(r);
    }
    let stem = if cfg.mode == Mode::Smoke {
        "lsp_e2e-smoke"
    } else {
        "lsp_e2e"
    };
    let log_of = |s: &Server| out_dir.join(format!("{stem}.{}.stderr.log", s.name));
    for s in &servers {
        let _ = std::fs::write(log_of(s), "");
    }

    let mut runs = Vec::new();
    for &(size, bytes) in &cfg.sizes {
        for &(lang, kind) in &cfg.articles {
            let article = articles::generate(lang, kind, bytes);
            let here = run_article(&cfg, &servers, &article, size, &workspace, &log_of);
            let who: Vec<&str> = here.iter().map(|r| r.server).collect();
            let seconds = here.first().map_or(0.0, |r| r.seconds);
            eprintln!(
                "lsp_e2e: {} {size}: {} in {seconds:.1} s",
                article_name(lang, kind),
                who.join(" and ")
            );
            runs.extend(here);
        }
    }
    let _ = std::fs::remove_dir_all(&workspace);

    machine.finish();

    let binary = |s: &Server| Binary {
        version: s.version.clone(),
        path: s.program.clone(),
    };
    let plan = Plan {
        mode: match cfg.mode {
            Mode::Smoke => "smoke",
            Mode::Quick => "quick",
            Mode::Full => "full",
        },
        keystrokes: cfg.keystrokes,
        rounds: cfg.rounds,
        sizes: cfg.sizes.iter().map(|s| s.0).collect(),
        articles: cfg
            .articles
            .iter()
            .map(|&(l, k)| (article_name(l, k), k == Kind::Markdown))
            .collect(),
        newsls: binary(&newsls),
        rumdl: rumdl.as_ref().map(binary).map_err(Clone::clone),
    };
    let text = lsp_report::report(&plan, &runs, &machine);
    eprintln!("\n{text}");
    let json = lsp_report::json_report(&plan, &runs, &machine);
    let json_path = out_dir.join(format!("{stem}.json"));
    std::fs::write(&json_path, serde_json::to_string_pretty(&json).unwrap()).expect("JSON");
    std::fs::write(out_dir.join(format!("{stem}.md")), &text).expect("tables");
    eprintln!("lsp_e2e: wrote {}", json_path.display());

    if cfg.mode == Mode::Smoke {
        // A smoke test that can fail: newsls answers everything it advertises.
        let bad: Vec<String> = runs
            .iter()
            .filter(|r| r.server == "newsls")
            .flat_map(|r| &r.figures)
            .filter_map(|(m, f, _)| match f {
                Figure::Missing(why) if why != "not advertised" => {
                    Some(format!("{}: {why}", m.key()))
                }
                _ => None,
            })
            .collect();
        assert!(bad.is_empty(), "newsls did not answer: {bad:?}");
    }
}
