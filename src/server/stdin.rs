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

use super::framing::Filling;

/// Fills `body` from `from` on, from stdin, blocking; after each read, tells `progress`
/// how far it is filled. For the blocking pool.
pub fn read_body(
    body: &Filling,
    from: usize,
    progress: &mut dyn FnMut(usize),
) -> std::io::Result<()> {
    let mut stdin = std::io::stdin().lock();
    let mut filled = from;
    while filled < body.len() {
        // SAFETY: `filled` is what was last published: the follower reads only below it.
        let tail = unsafe { body.tail(filled) };
        match stdin.read(tail) {
            Ok(0) => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => {
                filled += n;
                progress(filled);
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}
