//! Parsing and editing costs: full parse throughput (MB/s) on 1 MB and 10 MB articles,
//! the cost of one keystroke (edit + incremental re-parse [+ outline] [+ table
//! diagnostics for the touched region]) on 100 KB, 1 MB and 10 MB, table diagnostics over
//! a whole article, and offset ⇄ position conversion (UTF-8, UTF-16, UTF-32) on a 10 MB
//! rope of Arabic with emoji. `floor_10MB` is the reference: one memchr pass counting
//! `\n` over 10 MB, the least any stage that reads the whole text can cost; report a
//! stage as a multiple of it (`scripts/bench/floor.py` does, from criterion's output).
//! Compare figures as ratios within one run: the machines are shared.
//!
//! `cargo bench --bench parse` (all, several minutes), or a filter:
//! `cargo bench --bench parse -- 'floor|positions|full_parse'`.

#[path = "support/articles.rs"]
mod common;

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use newsls::analysis::Workspace;
use newsls::article::{Article, Format};
use newsls::features::outline::outline;
use newsls::rules::{self, RuleConfig, Run};
use newsls::text::{offset_of, position_of, Encoding, LineCol, Span};
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

/// The floor: one pass over 10 MB counting line breaks with memchr, over one string and
/// over a rope's chunks (what a stage that reads the rope at least pays).
fn floor(c: &mut Criterion) {
    let text = common::markdown(10 << 20);
    let rope = Rope::from_str(&text);
    let mut g = c.benchmark_group("floor_10MB");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("memchr_newlines", |b| {
        b.iter(|| memchr::memchr_iter(b'\n', black_box(text.as_bytes())).count())
    });
    g.bench_function("memchr_newlines_rope_chunks", |b| {
        b.iter(|| {
            black_box(&rope)
                .chunks()
                .map(|c| memchr::memchr_iter(b'\n', c.as_bytes()).count())
                .sum::<usize>()
        })
    });
    g.finish();
}

/// Offset ⇄ position on a 10 MB rope of Arabic Markdown (with emoji in its quotes): 1,000
/// offsets per iteration, 900 spread over the document and 100 just after an emoji (a
/// surrogate pair in UTF-16), converted in each encoding; then the same positions back.
fn positions(c: &mut Criterion) {
    let text = common::generate(common::Lang::Arabic, common::Kind::Markdown, 10 << 20).text;
    let rope = Rope::from_str(&text);
    let boundary = |mut i: usize| {
        while !text.is_char_boundary(i) {
            i += 1;
        }
        i
    };
    let mut offsets: Vec<usize> = (0..900)
        .map(|i| boundary(i * text.len() / 900 + 7))
        .collect();
    let after_emoji: Vec<usize> = text
        .char_indices()
        .filter(|(_, c)| *c as u32 >= 0x1f000)
        .map(|(i, c)| i + c.len_utf8())
        .collect();
    assert!(after_emoji.len() >= 100, "the article quotes emoji");
    let step = after_emoji.len() / 100;
    offsets.extend(after_emoji.iter().step_by(step).take(100));

    let mut g = c.benchmark_group("positions_10MB");
    g.throughput(Throughput::Elements(offsets.len() as u64));
    for (name, enc) in [
        ("utf8", Encoding::Utf8),
        ("utf16", Encoding::Utf16),
        ("utf32", Encoding::Utf32),
    ] {
        let positions: Vec<LineCol> = offsets
            .iter()
            .map(|&o| position_of(&rope, o, enc))
            .collect();
        for (&o, &p) in offsets.iter().zip(&positions) {
            assert_eq!(offset_of(&rope, p, enc), o, "round trip at {o} in {name}");
        }
        g.bench_function(BenchmarkId::new("offset_to_position", name), |b| {
            b.iter(|| {
                offsets
                    .iter()
                    .map(|&o| position_of(&rope, o, enc).col)
                    .sum::<u32>()
            })
        });
        g.bench_function(BenchmarkId::new("position_to_offset", name), |b| {
            b.iter(|| {
                positions
                    .iter()
                    .map(|&p| offset_of(&rope, p, enc))
                    .sum::<usize>()
            })
        });
    }
    g.finish();
}

criterion_group!(
    benches,
    floor,
    full_parse,
    keystroke,
    table_diagnostics_full,
    positions
);
criterion_main!(benches);
