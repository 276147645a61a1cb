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

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use serde_json::{json, Value};
use tokio::io::{
    AsyncBufRead, AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt,
};
use tokio::sync::Mutex;

/// What the input side saw, for the exit status.
#[derive(Default)]
pub struct Seen {
    pub exit_notification: AtomicBool,
}

pub type SharedWriter = Arc<Mutex<Box<dyn AsyncWrite + Send + Unpin>>>;

pub async fn write_frame(out: &SharedWriter, body: &[u8]) -> std::io::Result<()> {
    let mut w = out.lock().await;
    w.write_all(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes())
        .await?;
    w.write_all(body).await?;
    w.flush().await
}

async fn write_error(out: &SharedWriter, id: Value, code: i64, message: &str) {
    tracing::warn!(code, message, "answering a malformed message");
    let body = json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}});
    if let Err(e) = write_frame(out, body.to_string().as_bytes()).await {
        tracing::error!("cannot write to stdout: {e}");
    }
}

/// Reads one header block. `Ok(None)` at end of input; `Err(msg)` for a header block
/// without a usable `Content-Length`.
async fn read_header<R: AsyncBufRead + Unpin>(
    input: &mut R,
    resync: &mut bool,
) -> std::io::Result<Option<Result<usize, String>>> {
    let mut length: Option<Result<usize, String>> = None;
    let mut saw_any = false;
    loop {
        let mut raw = Vec::new();
        if input.read_until(b'\n', &mut raw).await? == 0 {
            return Ok(None);
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
            if !saw_any {
                continue;
            }
            return Ok(Some(
                length.unwrap_or_else(|| Err("missing Content-Length header".into())),
            ));
        }
        saw_any = true;
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

/// Replaces `\uD800`–`\uDFFF` escapes that do not form a valid pair with `\uFFFD`.
pub fn fix_lone_surrogates(body: &mut [u8]) -> bool {
    fn hex4(b: &[u8]) -> Option<u16> {
        let s = std::str::from_utf8(b.get(..4)?).ok()?;
        u16::from_str_radix(s, 16).ok()
    }
    let mut changed = false;
    let mut i = 0;
    while i + 1 < body.len() {
        if body[i] != b'\\' {
            i += 1;
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

/// Reads frames from `input`; forwards good ones to `to_server`, answers bad ones on `out`.
pub async fn pump_input<R, W>(input: R, mut to_server: W, out: SharedWriter, seen: Arc<Seen>)
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut input = tokio::io::BufReader::with_capacity(1 << 16, input);
    let mut resync = false;
    loop {
        let length = match read_header(&mut input, &mut resync).await {
            Ok(None) => break,
            Ok(Some(Ok(n))) => n,
            Ok(Some(Err(msg))) => {
                write_error(&out, Value::Null, -32700, &format!("Parse error: {msg}")).await;
                resync = true;
                continue;
            }
            Err(e) => {
                tracing::error!("cannot read stdin: {e}");
                break;
            }
        };
        let mut body = vec![0; length];
        if let Err(e) = input.read_exact(&mut body).await {
            tracing::warn!("input ended inside a message body: {e}");
            break;
        }
        fix_lone_surrogates(&mut body);
        let mut value: Value = match serde_json::from_slice(&body) {
            Ok(v) => v,
            Err(e) => {
                write_error(&out, Value::Null, -32700, &format!("Parse error: {e}")).await;
                continue;
            }
        };
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
        let exit = value.get("method").and_then(Value::as_str) == Some("exit");
        let body = value.to_string();
        let frame = format!("Content-Length: {}\r\n\r\n{}", body.len(), body);
        if to_server.write_all(frame.as_bytes()).await.is_err() {
            break; // the server has stopped
        }
        if exit {
            // Nothing after `exit` is read: closing the pipe lets tower-lsp finish.
            seen.exit_notification.store(true, Ordering::SeqCst);
            break;
        }
    }
    let _ = to_server.shutdown().await;
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
        if let Err(e) = write_frame(&out, &body).await {
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
