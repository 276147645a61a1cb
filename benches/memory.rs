//! Memory held by a 10 MB document: rope + article model, measured with a counting
//! allocator. Prints bytes held and the ratio to the text size (target: ≤ 10×).

#[path = "support/articles.rs"]
mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use newsls::article::{Article, Format};
use ropey::Rope;

struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(new_size, Ordering::Relaxed);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn main() {
    for (name, format, text) in [
        ("markdown", Format::Markdown, common::markdown(10 << 20)),
        ("plaintext", Format::PlainText, common::plaintext(10 << 20)),
    ] {
        let before = LIVE.load(Ordering::Relaxed);
        let rope = Rope::from_str(&text);
        let after_rope = LIVE.load(Ordering::Relaxed);
        let article = Article::parse(&rope, format);
        let after_model = LIVE.load(Ordering::Relaxed);
        let mb = |b: usize| b as f64 / (1 << 20) as f64;
        eprintln!(
            "memory/{name}: text {:.1} MB, rope {:.1} MB, model {:.1} MB ({} blocks), total {:.2}x the text",
            mb(text.len()),
            mb(after_rope - before),
            mb(after_model - after_rope),
            article.block_count(),
            (after_model - before) as f64 / text.len() as f64
        );
        drop((rope, article));
    }
}
