//! Parsing and editing costs: full parse throughput (MB/s) on 1 MB and 10 MB articles,
//! and the cost of one keystroke (edit + incremental re-parse [+ outline] [+ table
//! diagnostics for the touched region]) on 100 KB, 1 MB and 10 MB. The keystroke figures
//! are meant to be compared as ratios within one run.

#[path = "support/articles.rs"]
mod common;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use newsls::analysis::Workspace;
use newsls::article::{Article, Format};
use newsls::features::outline::outline;
use newsls::rules::{self, RuleConfig, Run};
use newsls::text::Span;
use ropey::Rope;

fn full_parse(c: &mut Criterion) {
    let mut g = c.benchmark_group("full_parse");
    g.sample_size(10);
    for (name, format, gen) in [
        (
            "markdown",
            Format::Markdown,
            common::markdown as fn(usize) -> String,
        ),
        ("plaintext", Format::PlainText, common::plaintext),
    ] {
        for mb in [1usize, 10] {
            let text = gen(mb << 20);
            g.throughput(Throughput::Bytes(text.len() as u64));
            g.bench_with_input(BenchmarkId::new(name, format!("{mb}MB")), &text, |b, t| {
                b.iter(|| Article::parse_str(t, format))
            });
        }
    }
    g.finish();
}

/// Insert a character in a paragraph and delete it again: two keystrokes per iteration.
fn keystroke(c: &mut Criterion) {
    let mut g = c.benchmark_group("keystroke");
    for (name, format, gen) in [
        (
            "markdown",
            Format::Markdown,
            common::markdown as fn(usize) -> String,
        ),
        ("plaintext", Format::PlainText, common::plaintext),
    ] {
        for (label, size) in [
            ("100KB", 100usize << 10),
            ("1MB", 1 << 20),
            ("10MB", 10 << 20),
        ] {
            let text = gen(size);
            let at = common::middle_of_a_paragraph(&text);
            let mut rope = Rope::from_str(&text);
            let mut article = Article::parse_str(&text, format);
            let ch = rope.byte_to_char(at);
            g.bench_function(
                BenchmarkId::new(format!("{name}/edit+reparse"), label),
                |b| {
                    b.iter(|| {
                        rope.insert_char(ch, 'x');
                        article.edit(&rope, Span::new(at, at), 1);
                        rope.remove(ch..ch + 1);
                        article.edit(&rope, Span::new(at, at + 1), 0);
                    })
                },
            );
            g.bench_function(
                BenchmarkId::new(format!("{name}/edit+reparse+outline"), label),
                |b| {
                    b.iter(|| {
                        rope.insert_char(ch, 'x');
                        article.edit(&rope, Span::new(at, at), 1);
                        let o = outline(&article);
                        rope.remove(ch..ch + 1);
                        article.edit(&rope, Span::new(at, at + 1), 0);
                        o
                    })
                },
            );
            // The analysis core as the server drives it: edit, re-parse, re-check the
            // neighbourhood, merge into the document's diagnostics.
            let mut ws = Workspace::default();
            ws.open("doc", &text, 1, format);
            while let Some(job) = ws.begin("doc") {
                let outcome = job.run(&|| false).unwrap();
                ws.commit("doc", outcome);
            }
            let mut keystroke = |span: Span, insert: &str| {
                ws.edit("doc", span, insert);
                let job = ws.begin("doc").unwrap();
                let outcome = job.run(&|| false).unwrap();
                ws.commit("doc", outcome)
            };
            g.bench_function(
                BenchmarkId::new(format!("{name}/edit+reparse+diagnostics"), label),
                |b| {
                    b.iter(|| {
                        keystroke(Span::new(at, at), "x");
                        keystroke(Span::new(at, at + 1), "")
                    })
                },
            );
        }
    }
    g.finish();
}

fn table_diagnostics_full(c: &mut Criterion) {
    let mut g = c.benchmark_group("table_diagnostics_full");
    g.sample_size(10);
    for (label, size) in [("100KB", 100usize << 10), ("10MB", 10 << 20)] {
        let text = common::markdown(size);
        let article = Article::parse_str(&text, Format::Markdown);
        let config = RuleConfig::default();
        g.bench_function(label, |b| {
            b.iter(|| rules::check(&article, &text, &config, Run::Typing))
        });
    }
    g.finish();
}

criterion_group!(benches, full_parse, keystroke, table_diagnostics_full);
criterion_main!(benches);
