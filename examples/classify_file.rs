//! Says whether each file is a news article, and why, as `article::kind::classify` sees
//! it: a quick way to try the classifier on real files
//! (`cargo run --release --example classify_file -- FILE...`).

use newsls::article::kind::classify;
use newsls::article::Format;

fn main() {
    for path in std::env::args().skip(1) {
        match std::fs::read(&path) {
            Ok(bytes) => {
                let text = String::from_utf8_lossy(&bytes);
                let v = classify(&text, Format::from_path(&path));
                eprintln!("{path}: {:?}: {}", v.kind, v.reason);
            }
            Err(e) => eprintln!("{path}: {e}"),
        }
    }
}
