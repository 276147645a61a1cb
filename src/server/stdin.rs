//! Large message bodies read straight from stdin into their buffer.
//!
//! tokio's `Stdin` reads on its blocking pool into a buffer of its own, at most 2 MB at a
//! time, and copies from there: a 10 MB `didOpen` went back and forth between threads at
//! every read of the pipe, and was copied twice. The reader hands the rest of a large
//! body to [`read_body`] instead: one trip to the blocking pool, reads straight into the
//! body's buffer.
//!
//! Both read through the standard library's `Stdin` (tokio's wraps it), so whatever
//! either reads ahead stays in that one buffer for the other. tokio keeps nothing of its
//! own between reads: it never asks for more than the reader's buffer can take, and hands
//! over all it got.

use std::io::Read;

/// Fills `buf` from stdin, blocking. For the blocking pool.
pub fn read_body(buf: &mut [u8]) -> std::io::Result<()> {
    std::io::stdin().lock().read_exact(buf)
}
