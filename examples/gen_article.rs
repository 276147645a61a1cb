//! Writes one of the benchmarks' generated articles to stdout, for profiling by hand:
//! `cargo run --release --example gen_article -- md-en 10MB > /tmp/a.md`.

#[path = "../benches/support/articles.rs"]
mod articles;

use articles::{Kind, Lang};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (kind, lang) = match args.first().map(String::as_str) {
        Some("md-en") => (Kind::Markdown, Lang::English),
        Some("md-ar") => (Kind::Markdown, Lang::Arabic),
        Some("txt-en") => (Kind::PlainText, Lang::English),
        Some("txt-ar") => (Kind::PlainText, Lang::Arabic),
        _ => {
            eprintln!("usage: gen_article md-en|md-ar|txt-en|txt-ar SIZE (10KB, 1MB, 10MB)");
            std::process::exit(2);
        }
    };
    let size = args.get(1).map(String::as_str).unwrap_or("1MB");
    let bytes = match size.strip_suffix("MB") {
        Some(n) => n.parse::<usize>().unwrap_or(1) << 20,
        None => size.trim_end_matches("KB").parse::<usize>().unwrap_or(10) << 10,
    };
    let text = articles::generate(lang, kind, bytes).text;
    std::io::Write::write_all(&mut std::io::stdout().lock(), text.as_bytes()).expect("stdout");
}
