//! Parses an article repeatedly and reports throughput: a quick way to profile the
//! parsers (`cargo run --release --example parse_file -- FILE [ROUNDS]`).

use newsls::article::{Article, Format};

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: parse_file FILE [ROUNDS]");
    let rounds: usize = args
        .next()
        .map_or(5, |r| r.parse().expect("ROUNDS is a number"));
    let text = std::fs::read_to_string(&path).expect("readable UTF-8 file");
    let format = Format::from_path(&path);
    let start = std::time::Instant::now();
    let mut blocks = 0;
    for _ in 0..rounds {
        blocks = Article::parse_str(&text, format).block_count();
    }
    let secs = start.elapsed().as_secs_f64() / rounds as f64;
    eprintln!(
        "{path}: {:.1} MB, {blocks} blocks, {:.1} ms per parse, {:.0} MB/s",
        text.len() as f64 / 1e6,
        secs * 1e3,
        text.len() as f64 / 1e6 / secs
    );
}
