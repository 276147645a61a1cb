//! Entity costs: loading the gazetteer (parsing the embedded tables and building the
//! matcher: `Gazetteer::load_fresh`, what the first use does once), and stage 1 and
//! stage 2 throughput (MB/s) on 1 MB of mixed Arabic and English news, as paragraphs and
//! as one long line.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use newsls::entities::{block_candidates, gazetteer, resolve, Glossary, Span};

const ARABIC: &str = "قمة ألاسكا بين بوتين وترامب تركزت على استعراض نتائج المفاوضات السياسية، حيث أوضح الرئيس الروسي فلاديمير بوتين أمام القيادة الروسية في الكرملين تفاصيل هذا اللقاء المهم. وفقًا لوكالة “تاس”، أكد بوتين أن موسكو تحترم موقف واشنطن، وقال وزير الري المصري هاني سويلم إن القاهرة تتابع.";
const ENGLISH: &str = "ROTTERDAM, Netherlands (Reuters) — Port director Eva Jansen said on Monday that the European Commission and President Ursula von der Leyen had approved the plan, while Jansen's deputy met officials in Bremerhaven and Foreign Minister Sergei Lavrov spoke in Moscow.";

/// About `size` bytes of paragraphs alternating Arabic and English.
fn mixed(size: usize) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut n = 0;
    while n < size {
        let p = if blocks.len() % 2 == 0 {
            ARABIC
        } else {
            ENGLISH
        };
        n += p.len() + 2;
        blocks.push(p.to_string());
    }
    blocks
}

fn load(c: &mut Criterion) {
    let mut g = c.benchmark_group("gazetteer");
    g.sample_size(10);
    g.bench_function("load", |b| {
        b.iter(newsls::entities::gazetteer::Gazetteer::load_fresh)
    });
    g.finish();
}

fn matching(c: &mut Criterion) {
    gazetteer();
    let blocks = mixed(1 << 20);
    let bytes: usize = blocks.iter().map(|b| b.len() + 2).sum();
    let mut g = c.benchmark_group("entities");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("stage1_1MB", |b| {
        b.iter(|| {
            let mut base = 0;
            blocks
                .iter()
                .map(|t| {
                    let r = block_candidates(t, base, &[] as &[Span]);
                    base += t.len() + 2;
                    r
                })
                .collect::<Vec<_>>()
        })
    });
    let mut base = 0;
    let stage1: Vec<_> = blocks
        .iter()
        .map(|t| {
            let r = block_candidates(t, base, &[]);
            base += t.len() + 2;
            r
        })
        .collect();
    let glossary = Glossary::empty();
    g.bench_function("stage2_1MB", |b| {
        b.iter(|| resolve(stage1.iter(), &glossary))
    });
    let line = blocks.join(" ");
    g.bench_function("stage1_one_1MB_line", |b| {
        b.iter(|| block_candidates(&line, 0, &[]))
    });
    g.finish();
}

criterion_group!(benches, load, matching);
criterion_main!(benches);
