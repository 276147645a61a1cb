//! The figures of the end-to-end LSP benchmark (`benches/lsp_e2e.rs`) and how they are
//! reported: what each row means, medians and nearest-rank p95, the machine line (with
//! the load average, since the machine is shared), one Markdown table per article size
//! with a newsls/rumdl ratio column, and the JSON written to `target/bench/lsp_e2e.json`.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};

/// A server binary as the report names it.
pub struct Binary {
    pub version: String,
    pub path: PathBuf,
}

/// What a run covered.
pub struct Plan {
    /// "smoke", "quick" or "full".
    pub mode: &'static str,
    pub keystrokes: usize,
    pub rounds: usize,
    pub sizes: Vec<&'static str>,
    /// Article names, and whether rumdl runs on each (it lints Markdown only).
    pub articles: Vec<(&'static str, bool)>,
    pub newsls: Binary,
    /// rumdl, or why its column is missing.
    pub rumdl: Result<Binary, String>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Metric {
    Initialize,
    OpenToDiagnostics,
    DiagnosticsAtOpen,
    KeystrokeToDiagnostics,
    DocumentSymbol,
    KeystrokeToDocumentSymbol,
    KeystrokeToFoldingRange,
    Hover,
    SemanticTokens,
    RssInitialized,
    PeakRss,
    RssAfterClose,
}

impl Metric {
    pub fn key(self) -> &'static str {
        match self {
            Metric::Initialize => "initialize",
            Metric::OpenToDiagnostics => "open_to_diagnostics",
            Metric::DiagnosticsAtOpen => "diagnostics_at_open",
            Metric::KeystrokeToDiagnostics => "keystroke_to_diagnostics",
            Metric::DocumentSymbol => "document_symbol",
            Metric::KeystrokeToDocumentSymbol => "keystroke_to_document_symbol",
            Metric::KeystrokeToFoldingRange => "keystroke_to_folding_range",
            Metric::Hover => "hover",
            Metric::SemanticTokens => "semantic_tokens_full",
            Metric::RssInitialized => "rss_after_initialize",
            Metric::PeakRss => "peak_rss",
            Metric::RssAfterClose => "rss_after_close",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Stat {
    Value,
    Median,
    P95,
}

/// The rows of each table: label, metric, which figure of it.
pub const ROWS: [(&str, Metric, Stat); 13] = [
    ("initialize", Metric::Initialize, Stat::Value),
    (
        "didOpen → first diagnostics",
        Metric::OpenToDiagnostics,
        Stat::Value,
    ),
    (
        "keystroke → diagnostics, median",
        Metric::KeystrokeToDiagnostics,
        Stat::Median,
    ),
    (
        "keystroke → diagnostics, p95",
        Metric::KeystrokeToDiagnostics,
        Stat::P95,
    ),
    (
        "documentSymbol (no edit), median",
        Metric::DocumentSymbol,
        Stat::Median,
    ),
    (
        "keystroke → documentSymbol showing it, median",
        Metric::KeystrokeToDocumentSymbol,
        Stat::Median,
    ),
    (
        "keystroke → foldingRange, median",
        Metric::KeystrokeToFoldingRange,
        Stat::Median,
    ),
    ("hover on a name, median", Metric::Hover, Stat::Median),
    (
        "semanticTokens/full, median",
        Metric::SemanticTokens,
        Stat::Median,
    ),
    (
        "diagnostics at open (count)",
        Metric::DiagnosticsAtOpen,
        Stat::Value,
    ),
    ("RSS after initialize", Metric::RssInitialized, Stat::Value),
    ("peak RSS (VmHWM)", Metric::PeakRss, Stat::Value),
    ("RSS after didClose", Metric::RssAfterClose, Stat::Value),
];

#[derive(Clone, Debug)]
pub enum Figure {
    Ms(f64),
    /// Milliseconds, one per round.
    Series(Vec<f64>),
    MiB(f64),
    Count(u64),
    /// Not measured: not advertised, timeout, server exited, …
    Missing(String),
}

pub fn sorted(v: &[f64]) -> Vec<f64> {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    v
}

pub fn median(v: &[f64]) -> f64 {
    let s = sorted(v);
    let n = s.len();
    if n % 2 == 1 {
        s[n / 2]
    } else {
        (s[n / 2 - 1] + s[n / 2]) / 2.0
    }
}

/// Nearest-rank percentile.
pub fn percentile(v: &[f64], p: f64) -> f64 {
    let s = sorted(v);
    let rank = ((p / 100.0) * s.len() as f64).ceil() as usize;
    s[rank.clamp(1, s.len()) - 1]
}

impl Figure {
    /// The number a table cell shows, if any.
    pub fn value(&self, stat: Stat) -> Option<f64> {
        match (self, stat) {
            (Figure::Ms(x) | Figure::MiB(x), _) => Some(*x),
            (Figure::Count(n), _) => Some(*n as f64),
            (Figure::Series(s), Stat::Median) => Some(median(s)),
            (Figure::Series(s), Stat::P95) => Some(percentile(s, 95.0)),
            (Figure::Series(s), Stat::Value) => Some(percentile(s, 100.0)),
            (Figure::Missing(_), _) => None,
        }
    }

    pub fn cell(&self, stat: Stat) -> String {
        match self {
            Figure::Missing(why) => why.clone(),
            Figure::MiB(x) => format!("{x:.1} MiB"),
            Figure::Count(n) => n.to_string(),
            Figure::Ms(_) | Figure::Series(_) => fmt_ms(self.value(stat).unwrap()),
        }
    }

    pub fn json(&self) -> Value {
        match self {
            Figure::Ms(x) => json!({"ms": round3(*x)}),
            Figure::Series(s) => json!({
                "n": s.len(),
                "median_ms": round3(median(s)),
                "p95_ms": round3(percentile(s, 95.0)),
                "min_ms": round3(percentile(s, 0.0)),
                "max_ms": round3(percentile(s, 100.0)),
                "samples_ms": s.iter().map(|x| round3(*x)).collect::<Vec<_>>(),
            }),
            Figure::MiB(x) => json!({"mib": round3(*x)}),
            Figure::Count(n) => json!({"count": n}),
            Figure::Missing(why) => json!({"missing": why}),
        }
    }
}

pub fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

pub fn fmt_ms(ms: f64) -> String {
    if ms >= 1000.0 {
        format!("{:.2} s", ms / 1000.0)
    } else if ms >= 100.0 {
        format!("{ms:.0} ms")
    } else if ms >= 10.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{ms:.2} ms")
    }
}

pub fn fmt_bytes(n: usize) -> String {
    if n >= 1 << 20 {
        format!("{:.2} MiB", n as f64 / (1 << 20) as f64)
    } else {
        format!("{:.1} KiB", n as f64 / 1024.0)
    }
}

/// One server on one article.
pub struct Run {
    pub server: &'static str,
    pub article: &'static str,
    pub size: &'static str,
    pub bytes: usize,
    /// "push" or "pull", from the server's capabilities.
    pub diagnostics: &'static str,
    /// "incremental" or "full", from the server's capabilities.
    pub sync: &'static str,
    /// Each figure with an optional note (a count, whether hover answered).
    pub figures: Vec<(Metric, Figure, Option<String>)>,
    pub seconds: f64,
    /// Measurements that started with the server still busy (no idle moment within
    /// the wait's limit).
    pub busy: usize,
}

impl Run {
    pub fn get(&self, m: Metric) -> Option<&Figure> {
        self.figures.iter().find(|f| f.0 == m).map(|f| &f.1)
    }
    pub fn note(&self, m: Metric) -> Option<&str> {
        self.figures
            .iter()
            .find(|f| f.0 == m)
            .and_then(|f| f.2.as_deref())
    }
    pub fn json(&self) -> Value {
        let mut metrics = serde_json::Map::new();
        for (m, f, note) in &self.figures {
            let mut v = f.json();
            if let Some(n) = note {
                v["note"] = json!(n);
            }
            metrics.insert(m.key().to_string(), v);
        }
        json!({
            "server": self.server,
            "article": self.article,
            "size": self.size,
            "bytes": self.bytes,
            "diagnostics": self.diagnostics,
            "sync": self.sync,
            "seconds": round3(self.seconds),
            "started_busy": self.busy,
            "metrics": metrics,
        })
    }
}

pub struct Machine {
    pub cpu: String,
    pub cores: usize,
    pub memory_gib: f64,
    pub kernel: String,
    pub date: String,
    /// `/proc/loadavg`'s 1, 5 and 15 minute averages when the run started and ended:
    /// the machine is shared, and a busy one slows every server down.
    pub load_start: String,
    pub load_end: String,
}

fn load_average() -> String {
    let l = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    l.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
}

impl Machine {
    pub fn read() -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu = cpuinfo
            .lines()
            .find_map(|l| l.strip_prefix("model name")?.split_once(':').map(|x| x.1))
            .unwrap_or("unknown CPU")
            .trim()
            .to_string();
        let memory_gib = super::lsp_client::status_kib_in("/proc/meminfo", "MemTotal")
            .map_or(0.0, |k| k as f64 / (1024.0 * 1024.0));
        Machine {
            cpu,
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            memory_gib,
            kernel: std::fs::read_to_string("/proc/sys/kernel/osrelease")
                .unwrap_or_default()
                .trim()
                .to_string(),
            date: utc_now(),
            load_start: load_average(),
            load_end: String::new(),
        }
    }

    /// Notes the load average at the end of the run.
    pub fn finish(&mut self) {
        self.load_end = load_average();
    }

    pub fn line(&self) -> String {
        let mut line = format!(
            "machine: {}, {} cores, {:.0} GiB, Linux {}; {}; load average {} at the start",
            self.cpu, self.cores, self.memory_gib, self.kernel, self.date, self.load_start
        );
        if !self.load_end.is_empty() {
            let _ = write!(line, ", {} at the end", self.load_end);
        }
        line
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ` from the system clock (civil-from-days, no date crate).
pub fn utc_now() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs()) as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

pub fn ratio(a: Option<f64>, b: Option<f64>) -> String {
    match (a, b) {
        (Some(a), Some(b)) if b > 0.0 => {
            let r = a / b;
            if r >= 10.0 {
                format!("{r:.0}")
            } else if r >= 0.1 {
                format!("{r:.2}")
            } else {
                format!("{r:.3}")
            }
        }
        _ => "–".into(),
    }
}

/// A column of a table.
pub enum Column {
    Server(&'static str, &'static str),
    Ratio(&'static str),
}

/// One Markdown table for one size: a row per figure; per article a newsls column and,
/// for Markdown articles with rumdl present, a rumdl column and newsls/rumdl.
pub fn table(runs: &[Run], size: &str, plan: &Plan, with_rumdl: bool) -> String {
    let mut columns = Vec::new();
    for &(a, markdown) in &plan.articles {
        columns.push(Column::Server("newsls", a));
        if markdown && with_rumdl {
            columns.push(Column::Server("rumdl", a));
            columns.push(Column::Ratio(a));
        }
    }
    let find = |server: &str, article: &str| {
        runs.iter()
            .find(|r| r.server == server && r.article == article && r.size == size)
    };
    let value = |server: &str, article: &str, m: Metric, stat: Stat| {
        find(server, article)?.get(m)?.value(stat)
    };
    let mut rows = vec![std::iter::once(String::new())
        .chain(columns.iter().map(|c| match c {
            Column::Server(s, a) => format!("{s} {a}"),
            Column::Ratio(_) => "newsls/rumdl".into(),
        }))
        .collect::<Vec<_>>()];
    for (label, m, stat) in ROWS {
        let mut row = vec![label.to_string()];
        for c in &columns {
            row.push(match *c {
                Column::Server(s, a) => match find(s, a) {
                    None => "–".into(),
                    Some(r) => {
                        let mut cell = r.get(m).map_or("–".into(), |f| f.cell(stat));
                        if m == Metric::Hover {
                            if let (Some(Figure::Series(_)), Some(n)) = (r.get(m), r.note(m)) {
                                let _ = write!(cell, " ({n})");
                            }
                        }
                        cell
                    }
                },
                Column::Ratio(_) if m == Metric::DiagnosticsAtOpen => "–".into(),
                Column::Ratio(a) => ratio(value("newsls", a, m, stat), value("rumdl", a, m, stat)),
            });
        }
        rows.push(row);
    }
    let widths: Vec<usize> = (0..rows[0].len())
        .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for (n, row) in rows.iter().enumerate() {
        for (i, cell) in row.iter().enumerate() {
            let pad = " ".repeat(widths[i] - cell.chars().count());
            if i == 0 {
                let _ = write!(out, "| {cell}{pad} ");
            } else {
                let _ = write!(out, "| {pad}{cell} ");
            }
        }
        out.push_str("|\n");
        if n == 0 {
            for (i, w) in widths.iter().enumerate() {
                let dashes = "-".repeat(w.saturating_sub(1).max(2));
                let _ = write!(out, "| {dashes}{} ", if i == 0 { "-" } else { ":" });
            }
            out.push_str("|\n");
        }
    }
    out
}

/// The report: machine and servers, then one table per size.
pub fn report(plan: &Plan, runs: &[Run], machine: &Machine) -> String {
    let mut out = String::new();
    let rumdl_line = match &plan.rumdl {
        Ok(r) => format!("rumdl: {} ({})", r.version, r.path.display()),
        Err(why) => format!("rumdl column missing: {why}"),
    };
    let _ = writeln!(out, "{}", machine.line());
    let _ = writeln!(
        out,
        "newsls: {} ({}); {rumdl_line}",
        plan.newsls.version,
        plan.newsls.path.display()
    );
    for size in &plan.sizes {
        let here: Vec<&Run> = runs.iter().filter(|r| r.size == *size).collect();
        if here.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n### {size} articles\n");
        let sizes: Vec<String> = here
            .iter()
            .filter(|r| r.server == "newsls")
            .map(|r| format!("{} {}", r.article, fmt_bytes(r.bytes)))
            .collect();
        let modes: Vec<String> = ["newsls", "rumdl"]
            .iter()
            .filter_map(|s| here.iter().find(|r| r.server == *s))
            .map(|r| {
                format!(
                    "{} {} diagnostics, {} sync",
                    r.server, r.diagnostics, r.sync
                )
            })
            .collect();
        let _ = writeln!(out, "{}; {}\n", sizes.join(", "), modes.join("; "));
        out.push_str(&table(runs, size, plan, plan.rumdl.is_ok()));
        if let Err(why) = &plan.rumdl {
            let _ = writeln!(out, "\nrumdl column missing: {why}");
        }
    }
    out
}

/// The same figures as JSON (`target/bench/lsp_e2e.json`), every sample included.
pub fn json_report(plan: &Plan, runs: &[Run], machine: &Machine) -> Value {
    json!({
        "benchmark": "lsp_e2e",
        "mode": plan.mode,
        "keystrokes": plan.keystrokes,
        "rounds": plan.rounds,
        "machine": {
            "cpu": machine.cpu, "cores": machine.cores, "memory_gib": round3(machine.memory_gib),
            "kernel": machine.kernel, "date": machine.date,
            "load_average_start": machine.load_start, "load_average_end": machine.load_end,
        },
        "servers": {
            "newsls": {"version": plan.newsls.version, "path": plan.newsls.path},
            "rumdl": match &plan.rumdl {
                Ok(r) => json!({"version": r.version, "path": r.path}),
                Err(why) => json!({"missing": why}),
            },
        },
        "runs": runs.iter().map(Run::json).collect::<Vec<_>>(),
    })
}
