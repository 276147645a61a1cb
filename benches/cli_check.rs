//! Throughput of `newsls check` on a directory of generated articles, against
//! `rumdl check` on the same directory in the same run.
//!
//! 1,000 Markdown articles (`support/articles.rs`: half English, half Arabic, 4 to 16 KB,
//! front matter, sections, lists, quotes and tables, every other table broken on purpose)
//! are written to a temporary directory. Markdown only, so that both tools read every
//! file (rumdl does not read `.txt`). Each round runs, one after the other so the shared
//! machine's load falls on all alike:
//!
//! - `newsls check DIR` (every core; output to a pipe that is drained and dropped),
//! - `newsls check DIR` with `RAYON_NUM_THREADS=1` (one core: the parallel speed-up),
//! - `newsls check --config names-off.toml DIR` (entity-misspelling and entity-variant
//!   off: the entity index is most of the work, and this shows what the rest costs),
//! - `rumdl check --no-cache --no-config DIR` (its defaults, without its result cache,
//!   which would otherwise answer later rounds without linting),
//!
//! and the median wall time of the rounds gives articles per second. Printed as a table
//! with the ratio and the machine's load average, and written to
//! `target/bench/cli_check.md`.
//!
//! ```sh
//! scripts/bench/setup.sh                      # installs rumdl 0.3.0 into .cache/bench/venv
//! cargo bench --bench cli_check -- [--articles 1000] [--rounds 5] [--dir DIR]
//! ```
//!
//! `--dir DIR` writes the articles to `DIR/articles` and keeps them, for profiling.
//! `NEWSLS_BIN` and `RUMDL_BIN` choose the binaries (default: this build of newsls and
//! `.cache/bench/venv/bin/rumdl`); without rumdl, newsls is measured alone and the table
//! says so. Under `cargo test` this is a smoke test: 20 articles, one round, failing if
//! newsls does not check them all.

#[path = "support/articles.rs"]
mod articles;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use articles::{generate, Kind, Lang};

struct Config {
    articles: usize,
    rounds: usize,
    /// `--dir DIR`: generate the articles there and keep them (to profile a run).
    dir: Option<PathBuf>,
}

impl Config {
    fn from_args() -> Config {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let benchmarking = args.iter().any(|a| a == "--bench");
        let mut cfg = if benchmarking {
            Config {
                articles: 1000,
                rounds: 5,
                dir: None,
            }
        } else {
            Config {
                articles: 20,
                rounds: 1,
                dir: None,
            }
        };
        let mut it = args.iter();
        while let Some(a) = it.next() {
            if a == "--dir" {
                cfg.dir = it.next().map(PathBuf::from);
                continue;
            }
            let mut value = || {
                it.next()
                    .and_then(|v| v.parse().ok())
                    .unwrap_or_else(|| panic!("{a} takes a number"))
            };
            match a.as_str() {
                "--articles" => cfg.articles = value(),
                "--rounds" => cfg.rounds = value(),
                _ => {}
            }
        }
        cfg
    }
}

/// Writes the articles; returns their total size in bytes.
fn write_articles(dir: &Path, n: usize) -> usize {
    let mut total = 0;
    for i in 0..n {
        let lang = if i % 2 == 0 {
            Lang::English
        } else {
            Lang::Arabic
        };
        // Sizes spread over 4–16 KB, the length of most news stories.
        let size = 4_000 + (i * 7_919) % 12_000;
        let a = generate(lang, Kind::Markdown, size);
        let sub = dir.join(format!("desk-{:02}", i % 10));
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(sub.join(format!("story-{i:04}.md")), &a.text).unwrap();
        total += a.text.len();
    }
    total
}

fn rumdl() -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os("RUMDL_BIN") {
        return Ok(PathBuf::from(p));
    }
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join(".cache/bench/venv/bin/rumdl");
    if venv.exists() {
        Ok(venv)
    } else {
        Err(format!(
            "RUMDL_BIN is not set and {} does not exist (scripts/bench/setup.sh installs it)",
            venv.display()
        ))
    }
}

/// One tool's command line.
struct Tool {
    name: &'static str,
    program: PathBuf,
    args: Vec<String>,
    env: Vec<(&'static str, &'static str)>,
    times: Vec<Duration>,
    status: Option<i32>,
}

impl Tool {
    fn run(&mut self, dir: &Path) {
        let started = Instant::now();
        let out = Command::new(&self.program)
            .args(&self.args)
            .envs(self.env.iter().copied())
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .output()
            .unwrap_or_else(|e| panic!("{}: {e}", self.program.display()));
        self.times.push(started.elapsed());
        self.status = out.status.code();
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{} failed: {}",
            self.name,
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn median(&self) -> Duration {
        let mut t = self.times.clone();
        t.sort();
        t[t.len() / 2]
    }
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

fn main() {
    let cfg = Config::from_args();
    let temp = tempfile::tempdir().unwrap();
    let dir = cfg.dir.clone().unwrap_or_else(|| temp.path().to_path_buf());
    let root = dir.join("articles");
    let bytes = write_articles(&root, cfg.articles);
    let newsls = std::env::var_os("NEWSLS_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_newsls")));
    let check = vec!["check".to_string(), "articles".to_string()];
    let mut tools = vec![
        Tool {
            name: "newsls check",
            program: newsls.clone(),
            args: check.clone(),
            env: vec![],
            times: vec![],
            status: None,
        },
        Tool {
            name: "newsls check, 1 thread",
            program: newsls.clone(),
            args: check,
            env: vec![("RAYON_NUM_THREADS", "1")],
            times: vec![],
            status: None,
        },
        // The entity index (names) is most of the work: what the other rules cost alone.
        Tool {
            name: "newsls check, name rules off",
            program: newsls,
            args: ["check", "--config", "names-off.toml", "articles"]
                .map(String::from)
                .to_vec(),
            env: vec![],
            times: vec![],
            status: None,
        },
    ];
    std::fs::write(
        dir.join("names-off.toml"),
        "[rules]\nentity-misspelling = \"off\"\nentity-variant = \"off\"\n",
    )
    .unwrap();
    let rumdl = rumdl();
    if let Ok(bin) = &rumdl {
        tools.push(Tool {
            name: "rumdl check",
            program: bin.clone(),
            args: ["check", "--no-cache", "--no-config", "articles"]
                .map(String::from)
                .to_vec(),
            env: vec![],
            times: vec![],
            status: None,
        });
    }

    // Smoke test: every article is checked, and the broken tables are found.
    let smoke = Command::new(&tools[0].program)
        .args(["check", "--format", "json", "articles"])
        .current_dir(&dir)
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&smoke.stdout).unwrap();
    assert_eq!(
        doc["summary"]["checked"], cfg.articles,
        "{}",
        doc["summary"]
    );
    assert!(doc["summary"]["warnings"].as_u64().unwrap() > 0);

    let load_before = load_average();
    for _ in 0..cfg.rounds {
        for t in &mut tools {
            t.run(&dir);
        }
    }
    let load_after = load_average();

    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut md = format!(
        "`newsls check` vs `rumdl check`: {} generated Markdown articles (English and Arabic, \
         4–16 KB, {:.1} MB), median of {} round(s)\n\n\
         | tool | wall time | articles/s | exit |\n| --- | ---: | ---: | ---: |\n",
        cfg.articles,
        bytes as f64 / 1e6,
        cfg.rounds
    );
    let rate = |t: &Tool| cfg.articles as f64 / t.median().as_secs_f64();
    for t in &tools {
        md.push_str(&format!(
            "| {} | {:.0} ms | {:.0} | {} |\n",
            t.name,
            t.median().as_secs_f64() * 1e3,
            rate(t),
            t.status.map_or("?".into(), |s| s.to_string())
        ));
    }
    match &rumdl {
        Ok(_) => md.push_str(&format!(
            "\nnewsls/rumdl, articles per second: {:.2} (all cores), {:.2} (newsls on one core), \
             {:.2} (name rules off)\n",
            rate(&tools[0]) / rate(&tools[3]),
            rate(&tools[1]) / rate(&tools[3]),
            rate(&tools[2]) / rate(&tools[3]),
        )),
        Err(why) => md.push_str(&format!("\nrumdl not measured: {why}\n")),
    }
    md.push_str(&format!(
        "\nmachine: {cores} cores, load average {load_before} before and {load_after} after \
         (1, 5 and 15 minutes)\n"
    ));
    eprintln!("\n{md}");
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    if std::fs::create_dir_all(&out).is_ok() {
        let _ = std::fs::write(out.join("cli_check.md"), &md);
    }
}
