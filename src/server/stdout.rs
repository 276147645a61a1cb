//! Frames written to stdout as to a file, on the blocking pool.
//!
//! tokio's `Stdout` writes through the standard library's, which is line buffered: it
//! looks for the last line break in everything written to it, one pass a byte at a time
//! over each answer (1.5 MB with every keystroke's diagnostics at 10 MB, 4 MB with an
//! outline), though a JSON body has none. This writer hands a frame's header and body to
//! the blocking pool as they are, for two `write_all`s on a duplicate of the descriptor:
//! one trip to the pool per frame, and no copy of the body (copying 1.5 MB into a buffer
//! first cost a tenth of a 10 MB keystroke's answer). A client that stops reading blocks
//! a pool thread, never a worker, as with tokio's.

use std::future::{poll_fn, Future};
use std::io::Write;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{ready, Context, Poll};

use tokio::task::JoinHandle;

/// What the blocking pool hands back: the file and how the write went.
type Done = (std::fs::File, std::io::Result<()>);

enum Writer {
    Idle(std::fs::File),
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
                writer: Writer::Idle(file),
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
                Ok((file, result)) => {
                    self.error = result.err();
                    Writer::Idle(file)
                }
                Err(_) => Writer::Gone,
            };
        }
        if matches!(self.writer, Writer::Gone) {
            return Poll::Ready(Err(std::io::Error::other("stdout's writer was lost")));
        }
        Poll::Ready(self.error.take().map_or(Ok(()), Err))
    }

    /// Writes `header` then `body`, and waits until both are written. Dropped before
    /// then, the write goes on, and the next call waits for it first.
    pub async fn write_frame(
        &mut self,
        header: Vec<u8>,
        body: Arc<Vec<u8>>,
    ) -> std::io::Result<()> {
        poll_fn(|cx| self.poll_idle(cx)).await?;
        let Writer::Idle(mut file) = std::mem::replace(&mut self.writer, Writer::Gone) else {
            unreachable!("poll_idle leaves the writer idle or fails");
        };
        self.writer = Writer::Writing(tokio::task::spawn_blocking(move || {
            let result = file.write_all(&header).and_then(|()| file.write_all(&body));
            (file, result)
        }));
        poll_fn(|cx| self.poll_idle(cx)).await
    }
}
