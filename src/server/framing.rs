//! Our own framing between stdio and tower-lsp.
//!
//! tower-lsp 0.20 ends the session after one message it cannot decode (a body that is not
//! JSON, a bad header, a lone surrogate in a string, a body that is not a JSON-RPC
//! message): its `FramedRead` stops after the first decoder error. So every frame is read
//! and checked here first. A bad frame gets its JSON-RPC error answer (`-32700` parse
//! error, `-32600` invalid request) written between whole frames, and the stream goes on;
//! only well-formed messages reach tower-lsp, through an in-memory pipe. Lone surrogate
//! escapes become U+FFFD, which keeps the string's UTF-16 length, so positions stay right.
//!
//! Frames going out are copied whole, under the same lock as our error answers, so the
//! two never interleave.
//!
//! What is read is bounded: a header line longer than [`MAX_HEADER_LINE`] or a header block
//! of more than [`MAX_HEADER_LINES`] lines is a parse error (and the rest of the line is
//! skipped without being kept), and a body longer than the message limit is skipped in
//! pieces, never allocated, with an error answer and a log line.

use std::sync::Arc;

use serde_json::{json, Value};
use tokio::io::{
    AsyncBufRead, AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt,
};
use tokio::sync::Mutex;

/// How the input ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ended {
    /// The client sent `exit`; `after_shutdown` when a `shutdown` request came before it.
    Exit { after_shutdown: bool },
    /// The input closed (or failed).
    Eof,
}

/// How many checked messages may wait for the router while it is busy (parsing a large
/// document it was sent): enough that the reader is rarely held up, few enough that a
/// client cannot queue unbounded work.
const QUEUE: usize = 256;

/// Longest header line kept; anything longer is an error.
pub const MAX_HEADER_LINE: usize = 8 << 10;
/// Most header lines in one header block.
pub const MAX_HEADER_LINES: usize = 32;
/// Default limit on a message body, `NEWSLS_MAX_MESSAGE_BYTES` overrides it. Documents
/// of hundreds of megabytes are still accepted; a body that claims gigabytes is not.
pub const DEFAULT_MAX_MESSAGE: usize = 512 << 20;

/// Asks for a 1 MB pipe on stdin when it is one (Linux; the default is 64 KB, and an
/// unprivileged process may ask for up to `/proc/sys/fs/pipe-max-size`, 1 MB by
/// default). A 10 MB `didOpen` then arrives in ten reads instead of 160, each a trip
/// through tokio's blocking pool: 16.5–17.3 ms → 12.4–14 ms from a fast writer. Anything
/// else (a file, a socket, a smaller limit) is left as it is.
pub fn widen_stdin_pipe() {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: F_SETPIPE_SZ only resizes the pipe's buffer; on a descriptor that is not
        // a pipe, or above the limit, it fails and changes nothing.
        let got = unsafe { libc::fcntl(0, libc::F_SETPIPE_SZ, 1 << 20) };
        tracing::debug!(pipe_bytes = got, "stdin pipe");
    }
}

/// The message size limit in force.
pub fn max_message() -> usize {
    std::env::var("NEWSLS_MAX_MESSAGE_BYTES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_MAX_MESSAGE)
}

/// Where frames go: our own standard output (see `stdout`), or any writer (tests, and
/// tokio's standard output when ours cannot be had).
pub enum Out {
    Stdout(super::stdout::Stdout),
    Writer(Box<dyn AsyncWrite + Send + Unpin>),
}

impl Out {
    pub fn writer(w: impl AsyncWrite + Send + Unpin + 'static) -> Out {
        Out::Writer(Box::new(w))
    }
}

pub type SharedWriter = Arc<Mutex<Out>>;

/// Writes one frame, its body as it is: to standard output without a copy.
pub async fn write_frame(out: &SharedWriter, body: Arc<Vec<u8>>) -> std::io::Result<()> {
    let header = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    let mut w = out.lock().await;
    match &mut *w {
        Out::Stdout(s) => s.write_frame(header, body).await,
        Out::Writer(w) => {
            w.write_all(&header).await?;
            w.write_all(&body).await?;
            w.flush().await
        }
    }
}

async fn write_error(out: &SharedWriter, id: Value, code: i64, message: &str) {
    tracing::warn!(code, message, "answering a malformed message");
    let body = json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}});
    if let Err(e) = write_frame(out, Arc::new(body.to_string().into_bytes())).await {
        tracing::error!("cannot write to stdout: {e}");
    }
}

/// Reads one line of at most [`MAX_HEADER_LINE`] bytes (its terminator included).
/// `Ok(None)` at end of input; `Ok(Some(Err(())))` for a longer line, whose rest is read
/// and dropped.
async fn read_line_bounded<R: AsyncBufRead + Unpin>(
    input: &mut R,
    line: &mut Vec<u8>,
) -> std::io::Result<Option<Result<(), ()>>> {
    line.clear();
    let mut too_long = false;
    loop {
        let buf = input.fill_buf().await?;
        if buf.is_empty() {
            return Ok(if line.is_empty() && !too_long {
                None
            } else {
                Some(Ok(()))
            });
        }
        let (take, done) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        if !too_long {
            if line.len() + take > MAX_HEADER_LINE {
                too_long = true;
                line.clear();
            } else {
                line.extend_from_slice(&buf[..take]);
            }
        }
        input.consume(take);
        if done {
            return Ok(Some(if too_long { Err(()) } else { Ok(()) }));
        }
    }
}

/// Reads one header block. `Ok(None)` at end of input; `Err(msg)` for a header block
/// without a usable `Content-Length`.
async fn read_header<R: AsyncBufRead + Unpin>(
    input: &mut R,
    resync: &mut bool,
) -> std::io::Result<Option<Result<usize, String>>> {
    let mut length: Option<Result<usize, String>> = None;
    let mut lines = 0;
    let mut raw = Vec::new();
    loop {
        match read_line_bounded(input, &mut raw).await? {
            None => return Ok(None),
            Some(Err(())) => {
                return Ok(Some(Err(format!(
                    "a header line longer than {MAX_HEADER_LINE} bytes"
                ))))
            }
            Some(Ok(())) => {}
        }
        let line = String::from_utf8_lossy(&raw);
        let mut line: &str = line.trim_end_matches(['\r', '\n']);
        // The rest of a body that was longer than its Content-Length said runs into the
        // next header: start at the header. After a bad header block, skip to the next
        // header we recognise.
        match line.to_ascii_lowercase().find("content-length:") {
            Some(i) => {
                line = &line[i..];
                *resync = false;
            }
            None if *resync => continue,
            None => {}
        }
        if line.is_empty() {
            if lines == 0 {
                continue;
            }
            return Ok(Some(
                length.unwrap_or_else(|| Err("missing Content-Length header".into())),
            ));
        }
        lines += 1;
        if lines > MAX_HEADER_LINES {
            return Ok(Some(Err(format!(
                "more than {MAX_HEADER_LINES} header lines"
            ))));
        }
        let Some((name, value)) = line.split_once(':') else {
            return Ok(Some(Err(format!("malformed header line {line:?}"))));
        };
        if name.trim().eq_ignore_ascii_case("content-length") {
            length = Some(
                value
                    .trim()
                    .parse::<usize>()
                    .map_err(|_| format!("invalid Content-Length {:?}", value.trim())),
            );
        }
    }
}

/// Reads and drops `n` bytes without keeping them.
async fn skip<R: AsyncRead + Unpin>(input: &mut R, n: usize) -> std::io::Result<()> {
    let copied = tokio::io::copy(&mut input.take(n as u64), &mut tokio::io::sink()).await?;
    if copied < n as u64 {
        return Err(std::io::ErrorKind::UnexpectedEof.into());
    }
    Ok(())
}

/// The code unit written by the four hex digits `b` starts with (a `\u` escape's).
pub(super) fn hex4(b: &[u8]) -> Option<u16> {
    let s = std::str::from_utf8(b.get(..4)?).ok()?;
    u16::from_str_radix(s, 16).ok()
}

/// Replaces `\uD800`–`\uDFFF` escapes that do not form a valid pair with `\uFFFD`.
pub fn fix_lone_surrogates(body: &mut [u8]) -> bool {
    let mut changed = false;
    let mut i = 0;
    while i + 1 < body.len() {
        if body[i] != b'\\' {
            // On to the next backslash at once.
            match memchr::memchr(b'\\', &body[i..]) {
                Some(k) => i += k,
                None => break,
            }
            continue;
        }
        if body[i + 1] != b'u' {
            i += 2;
            continue;
        }
        let Some(unit) = hex4(&body[i + 2..]) else {
            i += 2;
            continue;
        };
        if (0xD800..0xDC00).contains(&unit) {
            let low = (body.get(i + 6) == Some(&b'\\') && body.get(i + 7) == Some(&b'u'))
                .then(|| hex4(&body[i + 8..]))
                .flatten();
            if low.is_some_and(|l| (0xDC00..0xE000).contains(&l)) {
                i += 12;
                continue;
            }
        } else if !(0xDC00..0xE000).contains(&unit) {
            i += 6;
            continue;
        }
        body[i + 2..i + 6].copy_from_slice(b"FFFD");
        changed = true;
        i += 6;
    }
    changed
}

/// Checks that a JSON value is a message tower-lsp can decode. On failure: the id to
/// answer with (if it is a request) and the reason.
fn check_message(v: &Value) -> Result<(), (Option<Value>, String)> {
    let Some(obj) = v.as_object() else {
        return Err((
            Some(Value::Null),
            "a JSON-RPC message must be an object".into(),
        ));
    };
    let id = obj.get("id");
    let id_ok = match id {
        None | Some(Value::Null) | Some(Value::String(_)) => true,
        Some(Value::Number(n)) => n.is_i64(),
        _ => false,
    };
    let answer_id = if id_ok {
        id.cloned().unwrap_or(Value::Null)
    } else {
        Value::Null
    };
    if obj.get("jsonrpc").and_then(Value::as_str) != Some("2.0") {
        return Err((Some(answer_id), "\"jsonrpc\" must be \"2.0\"".into()));
    }
    if !id_ok {
        return Err((
            Some(Value::Null),
            "\"id\" must be an integer, a string or null".into(),
        ));
    }
    match obj.get("method") {
        Some(Value::String(_)) => match obj.get("params") {
            None | Some(Value::Object(_)) | Some(Value::Array(_)) | Some(Value::Null) => Ok(()),
            Some(_) => Err((
                id.map(|_| answer_id),
                "\"params\" must be an object or an array".into(),
            )),
        },
        Some(_) => Err((Some(answer_id), "\"method\" must be a string".into())),
        None if id.is_some() && (obj.contains_key("result") || obj.contains_key("error")) => Ok(()),
        // A malformed response: nobody to answer.
        None => Err((
            None,
            "neither a request, a notification nor a response".into(),
        )),
    }
}

/// Reads frames from `input` and answers bad ones on `out`. Each good message goes to
/// `route`, which handles it or gives it back to be forwarded to `to_server` (tower-lsp).
/// Returns as soon as the client sent `exit` or the input ended.
///
/// Reading and routing are two tasks: `route` applies text changes, and parsing a
/// document of many megabytes takes a while; meanwhile the reader goes on, so `exit` (or
/// the end of input) is seen at once, and the process can end whatever is running. The
/// router handles what was read before, in order, and a panic in it is a log line and a
/// dropped message, never a dead session.
///
/// `idle` is called whenever every message read so far has been routed and no more
/// input is waiting in the reader's buffer: the end of a burst. `direct`, when given,
/// reads the rest of large bodies from the same source as `input`, bypassing it.
pub async fn pump_input<R, W, F, I>(
    input: R,
    to_server: W,
    out: SharedWriter,
    limit: usize,
    direct: Option<DirectRead>,
    route: F,
    idle: I,
) -> Ended
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin + Send + 'static,
    F: FnMut(Value) -> Option<Value> + Send + 'static,
    I: FnMut() + Send + 'static,
{
    let (queue, routed) = tokio::sync::mpsc::channel(QUEUE);
    tokio::spawn(route_messages(routed, to_server, route, idle));
    read_messages(input, queue, out, limit, direct).await
}

/// Reads the rest of a large body from the reader's source without it (blocking): fills
/// `body` from the offset given, and after each read tells `progress` how far the body is
/// filled. See `super::stdin`.
pub type DirectRead =
    fn(body: &Filling, from: usize, progress: &mut dyn FnMut(usize)) -> std::io::Result<()>;

/// Bodies from this size have their rest read by the [`DirectRead`], when there is one.
const DIRECT_BYTES: usize = 64 << 10;

/// A body's buffer while one thread reads into it and another reads what has come: the
/// first writes only past the length it last published, the second reads only up to it.
pub struct Filling {
    ptr: *mut u8,
    len: usize,
}

// SAFETY: `Filling` is a pointer to a buffer that outlives it (see `read_body`), and its
// two accessors hand out disjoint parts of it under the contract they state.
unsafe impl Send for Filling {}
unsafe impl Sync for Filling {}

impl Filling {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The buffer from `from` on, to write into.
    ///
    /// # Safety
    /// No other reference to `from..` may live meanwhile: `from` is at least the length
    /// last published to the follower (which reads only below it).
    #[allow(clippy::mut_from_ref)] // disjoint from what `head` hands out: see above
    pub unsafe fn tail(&self, from: usize) -> &mut [u8] {
        assert!(from <= self.len);
        // SAFETY: in bounds (above); exclusive by the caller's contract.
        unsafe { std::slice::from_raw_parts_mut(self.ptr.add(from), self.len - from) }
    }

    /// The buffer's first `to` bytes, to read.
    ///
    /// # Safety
    /// They must have been written, and published (with `Release`, read here after an
    /// `Acquire`): the writer no longer touches them.
    unsafe fn head(&self, to: usize) -> &[u8] {
        assert!(to <= self.len);
        // SAFETY: in bounds; written and no longer written, by the caller's contract.
        unsafe { std::slice::from_raw_parts(self.ptr, to) }
    }
}

/// A body of `length` bytes: what the reader's buffer holds of it, then the rest from
/// `input`, or for a large body from `direct` on the blocking pool. A large body is also
/// followed as it comes ([`super::scan`]), on a thread of its own, which first maps the
/// buffer's pages ([`populate`]): both then cost the reader nothing, and the pipe (which
/// the client fills no faster than the reader empties it) goes at its own speed.
async fn read_body<R: AsyncRead + Unpin>(
    input: &mut tokio::io::BufReader<R>,
    length: usize,
    direct: Option<DirectRead>,
) -> std::io::Result<(Vec<u8>, Option<super::scan::Scanned>)> {
    let mut body = vec![0; length];
    let Some(direct) = direct.filter(|_| length >= DIRECT_BYTES) else {
        input.read_exact(&mut body).await?;
        return Ok((body, None));
    };
    let buffered = input.buffer();
    let n = buffered.len().min(length);
    body[..n].copy_from_slice(&buffered[..n]);
    std::pin::Pin::new(&mut *input).consume(n);
    tokio::task::spawn_blocking(move || {
        let filling = Filling {
            ptr: body.as_mut_ptr(),
            len: body.len(),
        };
        let filled = std::sync::atomic::AtomicUsize::new(n);
        let done = std::sync::atomic::AtomicBool::new(false);
        let (read, scan) = std::thread::scope(|scope| {
            // Without a thread for it (the system refuses one), the body is read alone
            // and decoded the general way; a follower that failed is dropped likewise.
            let follower = std::thread::Builder::new()
                .name("newsls-follow".into())
                .spawn_scoped(scope, || {
                    use std::sync::atomic::Ordering::Acquire;
                    populate(filling.ptr, filling.len);
                    let mut scan = super::scan::Scan::new();
                    let mut seen = 0;
                    while !done.load(Acquire) {
                        let to = filled.load(Acquire);
                        if to > seen {
                            // SAFETY: the reader published `to` after writing below it.
                            scan.feed(unsafe { filling.head(to) });
                            seen = to;
                        } else {
                            std::thread::park_timeout(std::time::Duration::from_millis(1));
                        }
                    }
                    scan
                })
                .map_err(|e| tracing::warn!("reading a large message without a follower: {e}"))
                .ok();
            let wake = follower.as_ref().map(|f| f.thread().clone());
            let read = direct(&filling, n, &mut |to| {
                filled.store(to, std::sync::atomic::Ordering::Release);
                if let Some(wake) = &wake {
                    wake.unpark();
                }
            });
            done.store(true, std::sync::atomic::Ordering::Release);
            if let Some(wake) = &wake {
                wake.unpark();
            }
            let scan = follower.and_then(|f| {
                f.join()
                    .map_err(|_| tracing::error!("following a large message panicked"))
                    .ok()
            });
            (read, scan)
        });
        read?;
        // The rest, if the reader finished first.
        let scanned = scan.map(|scan| scan.finish(&body));
        Ok((body, scanned))
    })
    .await
    .map_err(std::io::Error::other)?
}

/// Maps the pages of a fresh buffer of many pages in one call (`MADV_POPULATE_WRITE`,
/// Linux 5.14 and later), rather than one page fault at a time as a read fills it: a
/// 10 MB body was 2,600 faults, about half of the reader's time while the message came
/// in. Pages already mapped (the reader may get there first) are left alone. Elsewhere,
/// or when the kernel refuses, nothing changes.
fn populate(ptr: *mut u8, len: usize) {
    #[cfg(target_os = "linux")]
    {
        const PAGE: usize = 4096;
        let start = ptr as usize;
        let first = start.next_multiple_of(PAGE);
        let end = (start + len) / PAGE * PAGE;
        if end > first {
            // SAFETY: the range lies inside the buffer, which is allocated;
            // MADV_POPULATE_WRITE only maps its pages (as a write to them would) and
            // changes no byte, whoever is writing to them.
            unsafe {
                libc::madvise(
                    first as *mut libc::c_void,
                    end - first,
                    libc::MADV_POPULATE_WRITE,
                );
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (ptr, len);
}

/// A message read, and whether more input was already buffered behind it (then it is not
/// the end of a burst).
type Read = (Value, bool);

/// The reader: checks frames, answers bad ones, queues good ones for the router.
async fn read_messages<R: AsyncRead + Unpin>(
    input: R,
    queue: tokio::sync::mpsc::Sender<Read>,
    out: SharedWriter,
    limit: usize,
    direct: Option<DirectRead>,
) -> Ended {
    let mut input = tokio::io::BufReader::with_capacity(1 << 16, input);
    let mut resync = false;
    let mut shutdown = false;
    loop {
        let length = match read_header(&mut input, &mut resync).await {
            Ok(None) => return Ended::Eof,
            Ok(Some(Ok(n))) => n,
            Ok(Some(Err(msg))) => {
                write_error(&out, Value::Null, -32700, &format!("Parse error: {msg}")).await;
                resync = true;
                continue;
            }
            Err(e) => {
                tracing::error!("cannot read stdin: {e}");
                return Ended::Eof;
            }
        };
        if length > limit {
            tracing::error!(length, limit, "message larger than the limit; skipping it");
            let msg = format!(
                "Parse error: a message of {length} bytes is larger than the limit of {limit} bytes"
            );
            write_error(&out, Value::Null, -32700, &msg).await;
            if skip(&mut input, length).await.is_err() {
                return Ended::Eof;
            }
            continue;
        }
        let started = std::time::Instant::now();
        let (mut body, scanned) = match read_body(&mut input, length, direct).await {
            Ok(read) => read,
            Err(e) => {
                tracing::warn!("input ended inside a message body: {e}");
                return Ended::Eof;
            }
        };
        let read = started.elapsed();
        let mut value: Value = match super::decode::body(&mut body, scanned) {
            Ok(v) => v,
            Err(e) => {
                write_error(&out, Value::Null, -32700, &format!("Parse error: {e}")).await;
                continue;
            }
        };
        drop(body);
        if length >= 1 << 20 {
            tracing::debug!(
                bytes = length,
                read_us = read.as_micros() as u64,
                decoded_us = (started.elapsed() - read).as_micros() as u64,
                "received"
            );
        }
        if let Err((id, msg)) = check_message(&value) {
            match id {
                Some(id) => write_error(&out, id, -32600, &format!("Invalid request: {msg}")).await,
                None => tracing::warn!("dropping a malformed message: {msg}"),
            }
            continue;
        }
        // `"params": null` (which some clients send for `shutdown` and `exit`) means no
        // params; tower-lsp would refuse it.
        if let Some(obj) = value.as_object_mut() {
            if obj.get("params").is_some_and(Value::is_null) {
                obj.remove("params");
            }
        }
        match value.get("method").and_then(Value::as_str) {
            Some("exit") => {
                return Ended::Exit {
                    after_shutdown: shutdown,
                }
            }
            Some("shutdown") if value.get("id").is_some() => shutdown = true,
            _ => {}
        }
        let more = !input.buffer().is_empty();
        if queue.send((value, more)).await.is_err() {
            // The router has stopped (the server ended); nothing more can be served.
            return Ended::Eof;
        }
    }
}

/// The router: hands each message to `route`, in order, forwards what it gives back, and
/// calls `idle` at the end of each burst.
async fn route_messages<W, F, I>(
    mut messages: tokio::sync::mpsc::Receiver<Read>,
    mut to_server: W,
    mut route: F,
    mut idle: I,
) where
    W: AsyncWrite + Unpin,
    F: FnMut(Value) -> Option<Value>,
    I: FnMut(),
{
    while let Some((value, more)) = messages.recv().await {
        let method = value
            .get("method")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let routed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| route(value)));
        let forward = match routed {
            Ok(forward) => forward,
            Err(_) => {
                super::note_panic();
                tracing::error!(method, "handling a notification panicked; it is dropped");
                None
            }
        };
        if let Some(value) = forward {
            let body = value.to_string();
            let frame = format!("Content-Length: {}\r\n\r\n{}", body.len(), body);
            if to_server.write_all(frame.as_bytes()).await.is_err() {
                break; // the server has stopped
            }
        }
        if !more && messages.is_empty() {
            let idled = std::panic::catch_unwind(std::panic::AssertUnwindSafe(&mut idle));
            if idled.is_err() {
                super::note_panic();
                tracing::error!("starting the analyses of a burst panicked");
            }
        }
    }
    let _ = to_server.shutdown().await;
}

/// Writes the frames queued by the server's own notifications (see `state`), in order.
pub async fn write_queued(
    mut queue: tokio::sync::mpsc::UnboundedReceiver<Arc<Vec<u8>>>,
    out: SharedWriter,
) {
    while let Some(body) = queue.recv().await {
        let started = std::time::Instant::now();
        let bytes = body.len();
        if let Err(e) = write_frame(&out, body).await {
            tracing::error!("cannot write to stdout: {e}");
            break;
        }
        if bytes >= 1 << 20 {
            tracing::debug!(
                bytes,
                elapsed_us = started.elapsed().as_micros() as u64,
                "written"
            );
        }
    }
}

/// Copies the server's frames to `out`, one whole frame at a time.
pub async fn pump_output<R: AsyncRead + Unpin>(from_server: R, out: SharedWriter) {
    let mut input = tokio::io::BufReader::new(from_server);
    let mut resync = false;
    loop {
        let length = match read_header(&mut input, &mut resync).await {
            Ok(Some(Ok(n))) => n,
            Ok(Some(Err(msg))) => {
                tracing::error!("bad frame from the server: {msg}");
                resync = true;
                continue;
            }
            Ok(None) | Err(_) => break,
        };
        let mut body = vec![0; length];
        if input.read_exact(&mut body).await.is_err() {
            break;
        }
        if let Err(e) = write_frame(&out, Arc::new(body)).await {
            tracing::error!("cannot write to stdout: {e}");
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lone_surrogates_become_replacement_characters() {
        let mut b = br#"{"a":"x\ud800y\\ud800\udc00\ude00\ud83d\ude00"}"#.to_vec();
        assert!(fix_lone_surrogates(&mut b));
        assert_eq!(
            String::from_utf8(b).unwrap(),
            r#"{"a":"x\uFFFDy\\ud800\uFFFD\uFFFD\ud83d\ude00"}"#
        );
    }

    #[test]
    fn message_shapes() {
        assert!(check_message(&json!({"jsonrpc":"2.0","method":"x"})).is_ok());
        assert!(check_message(&json!({"jsonrpc":"2.0","id":1,"result":null})).is_ok());
        assert_eq!(
            check_message(&json!({"jsonrpc":"2.0","id":1.5,"method":"x"}))
                .unwrap_err()
                .0,
            Some(Value::Null)
        );
        assert_eq!(
            check_message(&json!({"jsonrpc":"1.0","id":3,"method":"x"}))
                .unwrap_err()
                .0,
            Some(json!(3))
        );
        assert!(check_message(&json!([1, 2])).is_err());
        assert_eq!(
            check_message(&json!({"jsonrpc":"2.0","id":2}))
                .unwrap_err()
                .0,
            None
        );
    }
}
