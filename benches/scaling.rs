//! Growth, not speed: every stage the server runs on a document — both parsers, every rule
//! on its own, the outline, folding, the table formatter, the fixes of a code action, the
//! entity index, an open and a keystroke — timed on each pathological shape of `tests/shapes` at n, 2n and
//! 4n bytes. A linear stage takes about 4× as long at 4n as at n; n log n a little more; a
//! quadratic one 16×. The ratios are printed, never asserted (the machines are shared);
//! a stage whose 4n/n ratio passes [`FLAG`] is listed at the end.
//!
//! ```sh
//! cargo bench --bench scaling                        # n = 256 KB (a few minutes)
//! cargo bench --bench scaling -- --size 1MB          # another n
//! cargo bench --bench scaling -- --filter pipe       # shapes whose name contains `pipe`
//! cargo bench --bench scaling -- --stages            # every stage of every shape
//! ```
//!
//! Under `cargo test` (no `--bench` argument) it runs once at a few kilobytes, so the
//! harness itself is tested without taking the suite's time.

#[path = "../tests/shapes/mod.rs"]
mod shapes;

use std::hint::black_box;
use std::time::{Duration, Instant};

use newsls::analysis::{entities, Settings, Snapshot, Workspace};
use newsls::article::{Article, Format};
use newsls::features::{folding, outline, table_format};
use newsls::rules::{self, RuleConfig, Run, RULES};
use newsls::text::{Span, Text};
use ropey::Rope;

/// A 4n/n ratio above this is reported as superlinear (n log n stays near 4.5–5).
const FLAG: f64 = 7.0;
/// A stage that takes longer than this at one size is not run at the next.
const BUDGET: Duration = Duration::from_secs(4);

struct Config {
    base: usize,
    filter: Option<String>,
    all_stages: bool,
    smoke: bool,
}

fn parse_size(s: &str) -> usize {
    let s = s.trim().to_ascii_uppercase();
    let (num, mult) = if let Some(n) = s.strip_suffix("MB") {
        (n, 1 << 20)
    } else if let Some(n) = s.strip_suffix("KB") {
        (n, 1 << 10)
    } else {
        (s.as_str(), 1)
    };
    num.trim().parse::<usize>().expect("a size like 256KB") * mult
}

impl Config {
    fn from_args() -> Config {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let smoke = !args.iter().any(|a| a == "--bench");
        let mut cfg = Config {
            base: if smoke { 1 << 10 } else { 256 << 10 },
            filter: None,
            all_stages: false,
            smoke,
        };
        let mut it = args.iter();
        while let Some(a) = it.next() {
            match a.as_str() {
                "--size" => cfg.base = parse_size(it.next().expect("--size N")),
                "--filter" => cfg.filter = it.next().cloned(),
                "--stages" => cfg.all_stages = true,
                _ => {}
            }
        }
        cfg
    }
}

/// Set in a smoke run: every stage runs once.
static SMOKE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// The fastest of a few runs of `f`: at least three (the fastest is the one other
/// processes disturbed least), more while they are quick, one when it is slow.
fn time(mut f: impl FnMut()) -> Duration {
    let mut best = Duration::MAX;
    let started = Instant::now();
    let mut runs = 0;
    loop {
        let t = Instant::now();
        f();
        best = best.min(t.elapsed());
        runs += 1;
        let spent = started.elapsed();
        if SMOKE.load(std::sync::atomic::Ordering::Relaxed)
            || best > Duration::from_secs(1)
            || runs >= 15
            || (runs >= 3 && spent > Duration::from_millis(300))
        {
            return best;
        }
    }
}

/// Everything computed once per text, that the stages read.
struct Input {
    text: String,
    format: Format,
    article: Article,
    rope: Rope,
}

type StageFn = fn(&Input);

fn stages() -> Vec<(String, StageFn)> {
    let mut v: Vec<(String, StageFn)> = vec![
        ("parse".into(), |i| {
            black_box(Article::parse_str(&i.text, i.format));
        }),
        ("rules (all)".into(), |i| {
            black_box(rules::check(
                &i.article,
                &i.text,
                &RuleConfig::default(),
                Run::All,
            ));
        }),
        ("outline".into(), |i| {
            black_box(outline::symbols(&i.article, &i.rope));
        }),
        ("folding".into(), |i| {
            black_box(folding::folds(&i.article));
        }),
        ("format".into(), |i| {
            black_box(table_format::format_tables(
                &i.article,
                Text::whole(&i.text),
                None,
            ));
        }),
        ("fixes".into(), |i| {
            // What a code action computes: the fixes of the first, a middle and the last
            // diagnostic.
            let settings = Settings::default();
            let diags = rules::check(&i.article, &i.text, &settings.rules, Run::All);
            let snap = Snapshot {
                rope: i.rope.clone(),
                article: i.article.clone(),
                version: 0,
                generation: 0,
                diagnostics: Default::default(),
                entities: None,
            };
            for d in [diags.first(), diags.get(diags.len() / 2), diags.last()]
                .into_iter()
                .flatten()
            {
                black_box(snap.fixes(d, &settings));
            }
        }),
        ("entities".into(), |i| {
            // The entity index and the name rules over it.
            let settings = Settings::default();
            let index = entities::index(&i.article, &i.rope, &settings.glossary);
            black_box(rules::check_entities(
                &rules::EntityCtx {
                    rope: &i.rope,
                    entities: &index,
                    config: &settings.rules,
                },
                Run::All,
            ));
        }),
        ("open".into(), |i| {
            let mut ws = Workspace::default();
            ws.open("doc", &i.text, 1, i.format);
            settle(&mut ws);
        }),
        ("keystroke".into(), |i| {
            // Setting up the document is timed too; the keystroke's share is the difference
            // from `open`, and a superlinear keystroke shows in this ratio all the same.
            let mut ws = Workspace::default();
            ws.open("doc", &i.text, 1, i.format);
            settle(&mut ws);
            let mid = i.rope.char_to_byte(i.rope.byte_to_char(i.text.len() / 2));
            ws.edit("doc", Span::new(mid, mid), "x | y\t");
            settle(&mut ws);
        }),
    ];
    macro_rules! rule_stage {
        ($($i:literal)*) => {
            $(
                if let Some(r) = RULES.get($i) {
                    v.push((format!("rule {}", r.id), |i: &Input| {
                        black_box(rules::check(
                            &i.article,
                            &i.text,
                            &RuleConfig::default(),
                            Run::Only(RULES[$i].id),
                        ));
                    }));
                }
            )*
        };
    }
    rule_stage!(0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29);
    assert!(RULES.len() <= 30, "add indices to rule_stage!");
    v
}

fn settle(ws: &mut Workspace) {
    while let Some(job) = ws.begin("doc") {
        let outcome = job.run(&|| false).expect("not cancelled");
        ws.commit("doc", outcome);
    }
}

fn fmt(d: Duration) -> String {
    let us = d.as_secs_f64() * 1e6;
    if us < 1000.0 {
        format!("{us:.0} µs")
    } else if us < 1e6 {
        format!("{:.1} ms", us / 1000.0)
    } else {
        format!("{:.2} s", us / 1e6)
    }
}

struct Flagged {
    what: String,
    times: Vec<Option<Duration>>,
}

fn main() {
    let cfg = Config::from_args();
    SMOKE.store(cfg.smoke, std::sync::atomic::Ordering::Relaxed);
    let stages = stages();
    let sizes = [cfg.base, cfg.base * 2, cfg.base * 4];
    let mut flagged = Vec::new();
    eprintln!(
        "scaling: n = {} KB; each cell is t(2n)/t(n), t(4n)/t(n) (linear: 2, 4); flagged above {FLAG}",
        cfg.base >> 10
    );
    for shape in shapes::all() {
        if cfg
            .filter
            .as_deref()
            .is_some_and(|f| !shape.name.contains(f))
        {
            continue;
        }
        for format in [Format::Markdown, Format::PlainText] {
            let wanted = match shape.only {
                None => true,
                Some(shapes::Only::Markdown) => format == Format::Markdown,
                Some(shapes::Only::PlainText) => format == Format::PlainText,
            };
            if !wanted {
                continue;
            }
            let tag = if format == Format::Markdown {
                "md"
            } else {
                "txt"
            };
            let mut times: Vec<Vec<Option<Duration>>> = vec![Vec::new(); stages.len()];
            for &size in &sizes {
                let text = (shape.gen)(size);
                let input = Input {
                    article: Article::parse_str(&text, format),
                    rope: Rope::from_str(&text),
                    text,
                    format,
                };
                for (k, (_, f)) in stages.iter().enumerate() {
                    let over = times[k]
                        .last()
                        .is_some_and(|t| t.is_none_or(|t| t > BUDGET));
                    times[k].push((!over).then(|| time(|| f(&input))));
                }
            }
            let mut line = format!("{:<28}", format!("{}/{tag}", shape.name));
            let mut worst = (0.0f64, String::new());
            for (k, (name, _)) in stages.iter().enumerate() {
                let t = &times[k];
                let ratio = |j: usize| match (t[0], t[j]) {
                    (Some(a), Some(b)) => Some(b.as_secs_f64() / a.as_secs_f64().max(1e-9)),
                    _ => None,
                };
                // Below a few hundred microseconds the ratio is mostly timer noise.
                let meaningful =
                    t[2].is_none() || t[2].is_some_and(|d| d > Duration::from_millis(1));
                let r4 = ratio(2).unwrap_or(f64::INFINITY);
                if meaningful && r4 > worst.0 {
                    worst = (r4, name.clone());
                }
                if meaningful && r4 > FLAG {
                    flagged.push(Flagged {
                        what: format!("{}/{tag}: {name}", shape.name),
                        times: t.clone(),
                    });
                }
                if k < 9 || cfg.all_stages {
                    let cell = match (ratio(1), ratio(2)) {
                        (Some(a), Some(b)) if meaningful => format!("{a:.1},{b:.1}"),
                        (Some(_), Some(_)) => "~".into(),
                        _ => "over".into(),
                    };
                    if cfg.all_stages {
                        line.push_str(&format!("\n    {name:<34} {cell:>10}  {}", fmt_times(t)));
                    } else {
                        line.push_str(&format!(" {:>9}", cell));
                    }
                }
            }
            if !cfg.all_stages {
                line.push_str(&format!("  worst: {} {:.1}", worst.1, worst.0));
            }
            eprintln!("{line}");
        }
    }
    if !cfg.all_stages {
        eprintln!(
            "columns: {}",
            stages
                .iter()
                .take(9)
                .map(|s| s.0.as_str())
                .collect::<Vec<_>>()
                .join(" | ")
        );
    }
    if flagged.is_empty() {
        eprintln!("no stage grew faster than {FLAG}x from n to 4n");
    } else {
        eprintln!("superlinear (t at n, 2n, 4n):");
        for f in &flagged {
            eprintln!("  {:<60} {}", f.what, fmt_times(&f.times));
        }
    }
    if cfg.smoke {
        eprintln!("(smoke run: sizes too small for the ratios to mean anything; use `cargo bench --bench scaling`)");
    }
}

fn fmt_times(t: &[Option<Duration>]) -> String {
    t.iter()
        .map(|d| d.map_or("over budget".into(), fmt))
        .collect::<Vec<_>>()
        .join(" / ")
}
