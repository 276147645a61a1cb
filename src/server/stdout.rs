//! Frames written to stdout as to a file, on the blocking pool.
//!
//! tokio's `Stdout` writes through the standard library's, which is line buffered: it
//! looks for the last line break in everything written to it, one pass a byte at a time
//! over each answer (1.5 MB with every keystroke's diagnostics at 10 MB, 4 MB with an
//! outline), though a JSON body has none. This writer gathers a frame's header and body
//! and hands them to the blocking pool at the flush that ends the frame, as one
//! `write_all` on a duplicate of the descriptor: one trip to the pool per frame, where
//! tokio's made one per write (a client that stops reading blocks a pool thread, never a
//! worker, as with tokio's).

use std::future::Future;
use std::io::Write;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use tokio::io::AsyncWrite;
use tokio::task::JoinHandle;

/// The buffer's capacity kept between writes.
const KEEP: usize = 64 << 10;

/// What the blocking pool hands back: the file, the emptied buffer, how the write went.
type Done = (std::fs::File, Vec<u8>, std::io::Result<()>);

enum Writer {
    Idle(std::fs::File, Vec<u8>),
    Writing(JoinHandle<Done>),
    /// The pool lost the file (its task panicked or was cancelled).
    Gone,
}

pub struct Stdout {
    writer: Writer,
    /// A write's error, reported by the next call.
    error: Option<std::io::Error>,
}

/// Standard output, or `None` if its descriptor cannot be duplicated.
pub fn stdout() -> Option<Stdout> {
    #[cfg(unix)]
    {
        use std::os::fd::FromRawFd;
        // SAFETY: `dup` only creates a new descriptor.
        let fd = unsafe { libc::dup(1) };
        if fd >= 0 {
            // SAFETY: `fd` was just created, and nothing else owns it.
            let file = unsafe { std::fs::File::from_raw_fd(fd) };
            return Some(Stdout {
                writer: Writer::Idle(file, Vec::new()),
                error: None,
            });
        }
    }
    None
}

impl Stdout {
    /// Waits for the write under way, if any; its error, or one kept from before.
    fn poll_idle(&mut self, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        if let Writer::Writing(task) = &mut self.writer {
            self.writer = match ready!(Pin::new(task).poll(cx)) {
                Ok((file, buf, result)) => {
                    self.error = result.err();
                    Writer::Idle(file, buf)
                }
                Err(_) => Writer::Gone,
            };
        }
        if matches!(self.writer, Writer::Gone) {
            return Poll::Ready(Err(std::io::Error::other("stdout's writer was lost")));
        }
        Poll::Ready(self.error.take().map_or(Ok(()), Err))
    }
}

impl AsyncWrite for Stdout {
    /// Appends `data` to what the next flush writes.
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let me = self.get_mut();
        ready!(me.poll_idle(cx))?;
        let Writer::Idle(_, buf) = &mut me.writer else {
            unreachable!("poll_idle leaves the writer idle or fails");
        };
        buf.extend_from_slice(data);
        Poll::Ready(Ok(data.len()))
    }

    /// Writes what was appended since the last flush, in one `write_all` on the pool.
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        let me = self.get_mut();
        ready!(me.poll_idle(cx))?;
        if matches!(&me.writer, Writer::Idle(_, buf) if !buf.is_empty()) {
            let Writer::Idle(mut file, mut buf) = std::mem::replace(&mut me.writer, Writer::Gone)
            else {
                unreachable!("matched above");
            };
            me.writer = Writer::Writing(tokio::task::spawn_blocking(move || {
                let result = file.write_all(&buf);
                buf.clear();
                // The megabytes of a large answer go back to the allocator.
                if buf.capacity() > KEEP {
                    buf = Vec::new();
                }
                (file, buf, result)
            }));
            ready!(me.poll_idle(cx))?;
        }
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        self.poll_flush(cx)
    }
}
