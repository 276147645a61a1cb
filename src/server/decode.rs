//! Decoding a frame's body, with a fast path for the messages that carry a document.
//!
//! Decoded as a `serde_json::Value`, a `didOpen` of 10 MB cost 36 ms before its text
//! reached the parser: a pass to fix lone surrogate escapes, serde_json's pass that checks
//! each string's UTF-8 with std (26 ms over 10 MB of Arabic) and unescapes it into a
//! scratch buffer, and a copy of that buffer into the string. For the two messages whose
//! size is their text (`didOpen`, and `didChange` with whole-document or pasted changes),
//! the fast path:
//!
//! - checks the body's UTF-8 once with `simdutf8`, at memory speed;
//! - lets serde_json check the frame's syntax and leave each text as a raw literal
//!   ([`RawValue`]);
//! - unescapes the largest text in place, eight bytes at a time, to the front of the
//!   body, whose buffer becomes the text's string: no second buffer of the document's
//!   size, nothing copied twice.
//!
//! The `Value` handed on is the one the general path gives, except that fields of these
//! messages no handler reads are dropped, as are fields whose value is `null` (the
//! protocol's types read an absent field and a `null` one alike).
//!
//! Anything else, or a body the fast path cannot read, takes the general path, which
//! reports errors as before.

use std::borrow::Cow;
use std::ops::Range;

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::framing::hex4;
use super::scan::Scanned;

/// Bodies from this size are tried on the fast path; below it the general path is as
/// fast.
const FAST_BYTES: usize = 64 << 10;

/// Decodes a frame's body (which it may overwrite). Lone surrogate escapes become U+FFFD
/// (see [`super::framing::fix_lone_surrogates`]). `scanned`: what the reader found while
/// the body arrived, when it followed it ([`super::scan`]).
pub fn body(body: &mut Vec<u8>, scanned: Option<Scanned>) -> serde_json::Result<Value> {
    if body.len() >= FAST_BYTES {
        if let Some(decoded) = text_sync(body, scanned) {
            return decoded;
        }
    }
    super::framing::fix_lone_surrogates(body);
    serde_json::from_slice(body)
}
#[derive(Deserialize)]
struct Frame<'a> {
    jsonrpc: Option<Value>,
    id: Option<Value>,
    #[serde(borrow)]
    method: Cow<'a, str>,
    #[serde(borrow)]
    params: Option<Params<'a>>,
}

#[derive(Deserialize)]
struct Params<'a> {
    #[serde(rename = "textDocument", borrow)]
    text_document: Option<Document<'a>>,
    #[serde(rename = "contentChanges", borrow)]
    content_changes: Option<Vec<Change<'a>>>,
}

#[derive(Deserialize)]
struct Document<'a> {
    uri: Option<Value>,
    #[serde(rename = "languageId")]
    language_id: Option<Value>,
    version: Option<Value>,
    #[serde(borrow)]
    text: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct Change<'a> {
    range: Option<Value>,
    #[serde(rename = "rangeLength")]
    range_length: Option<Value>,
    #[serde(borrow)]
    text: Option<&'a RawValue>,
}

/// Where a text goes in the message: the document's, or change `i`'s.
#[derive(Clone, Copy)]
enum Slot {
    Document,
    Change(usize),
}

/// Where a text's literal is: a range of the body, or a copy (of a frame the body's long
/// literals were taken out of).
enum Source {
    Body(Range<usize>),
    Copy(Vec<u8>),
}

/// A `didOpen` or `didChange` notification, decoded with each text unescaped once; `None`
/// for anything else or anything unexpected, `body` left as it was. Once the body is being
/// overwritten there is no going back: a failure then (which the checks of the literals
/// rule out) is an error, not the general path on a half-written body.
///
/// When the reader followed the body's literals as it came (`scanned`), serde_json reads
/// the frame without its long literals, and a literal is taken for a text only where
/// serde_json finds that text's (then empty) literal where the long one was.
fn text_sync(body: &mut Vec<u8>, scanned: Option<Scanned>) -> Option<serde_json::Result<Value>> {
    let (mut msg, mut texts) = match scanned {
        Some(scanned) if !scanned.literals.is_empty() => {
            if !scanned.utf8 || scanned.literals.iter().any(|l| l.control) {
                // serde_json is to say what is wrong.
                return None;
            }
            // The frame without the long literals' insides, and where each one's opening
            // quote is in it.
            let mut frame = Vec::new();
            let mut quotes = Vec::with_capacity(scanned.literals.len());
            let mut last = 0;
            for l in &scanned.literals {
                frame.extend_from_slice(&body[last..l.inside.start]);
                quotes.push(frame.len() - 1);
                last = l.inside.end;
            }
            frame.extend_from_slice(&body[last..]);
            // Cut next to quotes (ASCII) out of UTF-8: UTF-8.
            let s = std::str::from_utf8(&frame).ok()?;
            let (msg, texts) = frame_texts(s)?;
            let mut claimed = vec![false; quotes.len()];
            let texts: Vec<(Slot, Source)> = texts
                .into_iter()
                .map(|(slot, r)| {
                    let long = quotes
                        .iter()
                        .position(|&q| r.is_empty() && r.start == q + 1);
                    match long {
                        Some(j) => {
                            claimed[j] = true;
                            (slot, Source::Body(scanned.literals[j].inside.clone()))
                        }
                        None => (slot, Source::Copy(frame[r].to_vec())),
                    }
                })
                .collect();
            if claimed.contains(&false) {
                // A long literal that is no text: the general path.
                return None;
            }
            (msg, texts)
        }
        _ => {
            let s = utf8(body)?;
            let (msg, texts) = frame_texts(s)?;
            let texts = texts
                .into_iter()
                .map(|(slot, r)| (slot, Source::Body(r)))
                .collect();
            (msg, texts)
        }
    };
    // Every text but the longest in the body is copied out first; that one is then
    // unescaped to the front of the body, over what was read already.
    let largest = (0..texts.len())
        .filter(|&i| matches!(texts[i].1, Source::Body(_)))
        .max_by_key(|&i| match &texts[i].1 {
            Source::Body(r) => r.len(),
            Source::Copy(_) => 0,
        });
    let mut strings: Vec<(Slot, String)> = Vec::with_capacity(texts.len());
    for (i, (slot, source)) in texts.iter_mut().enumerate() {
        if Some(i) == largest {
            continue;
        }
        let mut v = match source {
            Source::Body(range) => body[range.clone()].to_vec(),
            Source::Copy(v) => std::mem::take(v),
        };
        let len = v.len();
        let n = unescape_in_place(&mut v, 0..len, 0)?;
        v.truncate(n);
        strings.push((*slot, into_string(v)?));
    }
    let mut finish = || -> Option<Value> {
        if let Some(i) = largest {
            let (slot, Source::Body(range)) = &texts[i] else {
                return None;
            };
            let n = unescape_halves(body, range.clone(), PARALLEL_BYTES)?;
            body.truncate(n);
            strings.push((*slot, into_string(std::mem::take(body))?));
        }
        let params = msg.get_mut("params")?;
        for (slot, text) in strings.drain(..) {
            let target = match slot {
                Slot::Document => params.get_mut("textDocument")?,
                Slot::Change(i) => params.get_mut("contentChanges")?.get_mut(i)?,
            };
            target
                .as_object_mut()?
                .insert("text".into(), Value::String(text));
        }
        Some(Value::Object(std::mem::take(&mut msg)))
    };
    Some(finish().ok_or_else(|| {
        <serde_json::Error as serde::de::Error>::custom("a document's text could not be read")
    }))
}

/// A message without its texts, and where each text's literal is (without its quotes).
type FrameTexts = (Map<String, Value>, Vec<(Slot, Range<usize>)>);

/// A `didOpen` or `didChange` notification's frame: the message without its texts, and
/// where each text's literal is in `s`. `None` for anything else.
fn frame_texts(s: &str) -> Option<FrameTexts> {
    let frame: Frame<'_> = serde_json::from_str(s).ok()?;
    if !matches!(
        &*frame.method,
        "textDocument/didOpen" | "textDocument/didChange"
    ) || frame.id.is_some()
    {
        return None;
    }
    // Each text's literal, as a range of `s` without its quotes.
    let inside = |raw: &RawValue| -> Option<Range<usize>> {
        let r = raw.get();
        let start = r.as_ptr() as usize - s.as_ptr() as usize;
        (r.len() >= 2 && r.starts_with('"') && r.ends_with('"'))
            .then(|| start + 1..start + r.len() - 1)
    };
    let mut texts: Vec<(Slot, Range<usize>)> = Vec::new();
    let mut params = Map::new();
    let p = frame.params?;
    if let Some(d) = p.text_document {
        let mut m = Map::new();
        put(&mut m, "uri", d.uri);
        put(&mut m, "languageId", d.language_id);
        put(&mut m, "version", d.version);
        if let Some(raw) = d.text {
            texts.push((Slot::Document, inside(raw)?));
        }
        params.insert("textDocument".into(), Value::Object(m));
    }
    if let Some(changes) = p.content_changes {
        let mut out = Vec::with_capacity(changes.len());
        for (i, c) in changes.into_iter().enumerate() {
            let mut m = Map::new();
            put(&mut m, "range", c.range);
            put(&mut m, "rangeLength", c.range_length);
            if let Some(raw) = c.text {
                texts.push((Slot::Change(i), inside(raw)?));
            }
            out.push(Value::Object(m));
        }
        params.insert("contentChanges".into(), Value::Array(out));
    }
    let mut msg = Map::new();
    put(&mut msg, "jsonrpc", frame.jsonrpc);
    msg.insert("method".into(), Value::String(frame.method.into_owned()));
    msg.insert("params".into(), Value::Object(params));
    Some((msg, texts))
}

fn put(m: &mut Map<String, Value>, key: &str, v: Option<Value>) {
    if let Some(v) = v {
        m.insert(key.into(), v);
    }
}

/// `v` as a string, its UTF-8 checked at memory speed.
fn into_string(v: Vec<u8>) -> Option<String> {
    utf8(&v)?;
    // SAFETY: `utf8` has just checked that `v` is UTF-8.
    Some(unsafe { String::from_utf8_unchecked(v) })
}

/// `b` as a `str` if it is UTF-8, checked by `simdutf8`; from [`PARALLEL_BYTES`] in two
/// halves side by side, cut where a character starts (both halves are UTF-8 exactly when
/// the whole is).
fn utf8(b: &[u8]) -> Option<&str> {
    let cut = (b.len() >= PARALLEL_BYTES)
        .then(|| {
            (b.len() / 2..b.len())
                .take(4)
                .find(|&k| !is_continuation(b[k]))
        })
        .flatten();
    if let Some(cut) = cut {
        let (front, back) = b.split_at(cut);
        let (first, second) = rayon::join(
            || simdutf8::basic::from_utf8(front).is_ok(),
            || simdutf8::basic::from_utf8(back).is_ok(),
        );
        if !(first && second) {
            return None;
        }
        // SAFETY: both halves, which make up `b`, have just been checked to be UTF-8,
        // cut before a byte that starts a character.
        return Some(unsafe { std::str::from_utf8_unchecked(b) });
    }
    simdutf8::basic::from_utf8(b).ok()
}

/// A UTF-8 continuation byte (`10xxxxxx`), which never starts a character.
pub(super) fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

/// A text from this size is unescaped in two halves, side by side on the workers.
const PARALLEL_BYTES: usize = 1 << 20;

/// [`unescape_in_place`] of `buf[from]` to the front of `buf`; a literal of `parallel`
/// bytes or more in two halves side by side, the second then moved after the first.
///
/// The halves meet after six bytes without a backslash: every escape (`\u` and four hex
/// digits at most; the second half of a surrogate pair is an escape of its own, which
/// the first half looks for and does not find, exactly as one pass would) ends before
/// them, so each half reads whole escapes only.
fn unescape_halves(buf: &mut [u8], from: Range<usize>, parallel: usize) -> Option<usize> {
    let len = from.len();
    let middle = from.start + len / 2;
    let at = (len >= parallel)
        .then(|| {
            // Looked for near the middle only: a text of backslashes has no such place.
            let until = from.end.saturating_sub(6).min(middle + (64 << 10));
            (middle..until).find(|&k| !buf[k..k + 6].contains(&b'\\'))
        })
        .flatten();
    let Some(at) = at.map(|k| k + 6) else {
        return unescape_in_place(buf, from, 0);
    };
    let (front, back) = buf.split_at_mut(at);
    let (first, second) = rayon::join(
        || unescape_in_place(front, from.start..at, 0),
        || unescape_in_place(back, 0..from.end - at, 0),
    );
    let (first, second) = (first?, second?);
    buf.copy_within(at..at + second, first);
    Some(first + second)
}

/// Unescapes the inside of a JSON string literal, `buf[from]` (UTF-8, its escapes checked
/// by serde_json), writing the string it stands for at `buf[to..]`, `to <= from.start`;
/// returns its length. A `\u` escape of a lone surrogate becomes U+FFFD, as on the
/// general path. `None` for a malformed escape.
///
/// Output never outruns input (every escape is at least as long as what it stands for),
/// so copying forward in place is safe. The backslashes of each stretch of 64 KB are found
/// first (memchr), then the runs between them are moved whole.
fn unescape_in_place(buf: &mut [u8], from: Range<usize>, to: usize) -> Option<usize> {
    const STRETCH: usize = 64 << 10;
    debug_assert!(to <= from.start && from.end <= buf.len());
    let end = from.end;
    let (mut r, mut w) = (from.start, to);
    let mut backslashes = Vec::new();
    while r < end {
        let stretch = (r + STRETCH).min(end);
        backslashes.clear();
        backslashes.extend(memchr::memchr_iter(b'\\', &buf[r..stretch]).map(|k| r + k));
        for &at in &backslashes {
            if at < r {
                continue; // the escaped half of `\\`
            }
            buf.copy_within(r..at, w);
            w += at - r;
            r = at;
            (r, w) = escape(buf, r, w, end)?;
        }
        if r < stretch {
            buf.copy_within(r..stretch, w);
            w += stretch - r;
            r = stretch;
        }
    }
    Some(w)
}

/// Unescapes the escape at `buf[r]` (a backslash) to `buf[w..]`; where reading and
/// writing go on.
fn escape(buf: &mut [u8], mut r: usize, w: usize, end: usize) -> Option<(usize, usize)> {
    // At a backslash.
    let simple = match *buf.get(r + 1).filter(|_| r + 1 < end)? {
        b'"' => b'"',
        b'\\' => b'\\',
        b'/' => b'/',
        b'b' => 0x08,
        b'f' => 0x0c,
        b'n' => b'\n',
        b'r' => b'\r',
        b't' => b'\t',
        b'u' => 0,
        _ => return None,
    };
    if simple != 0 {
        buf[w] = simple;
        return Some((r + 2, w + 1));
    }
    let unit = hex4(buf.get(r + 2..r + 6).filter(|_| r + 6 <= end)?)?;
    r += 6;
    let c = match unit {
        0xD800..=0xDBFF => {
            let low = (r + 6 <= end && buf[r..r + 2] == *b"\\u")
                .then(|| hex4(&buf[r + 2..r + 6]))
                .flatten()
                .filter(|l| (0xDC00..0xE000).contains(l));
            match low {
                Some(low) => {
                    r += 6;
                    let c =
                        0x10000 + ((u32::from(unit) - 0xD800) << 10) + (u32::from(low) - 0xDC00);
                    char::from_u32(c)?
                }
                None => '\u{FFFD}',
            }
        }
        0xDC00..=0xDFFF => '\u{FFFD}',
        u => char::from_u32(u32::from(u))?,
    };
    Some((r, w + c.encode_utf8(&mut buf[w..]).len()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The general path, whatever the size.
    fn general(body: &[u8]) -> Option<Value> {
        let mut b = body.to_vec();
        super::super::framing::fix_lone_surrogates(&mut b);
        serde_json::from_slice(&b).ok()
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            rng_seed: proptest::test_runner::RngSeed::Fixed(0x6465_636f_6465),
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        /// Any string, written as a JSON literal with any mix of escapes (including
        /// `\u` escapes of every unit and lone surrogates), reads back as the general
        /// path reads it.
        #[test]
        fn unescape_reads_literals_as_serde_json_does(
            parts in proptest::collection::vec(prop_oneof![
                "[a-z \"\\\\/\u{0}-\u{1f}ءا-ي😀é]{0,8}".prop_map(|s| serde_json::to_string(&s).unwrap()),
                any::<u16>().prop_map(|u| format!("\"\\u{u:04x}\"")),
                any::<u16>().prop_map(|u| format!("\"\\u{u:04X}\"")),
                Just("\"\\/\\b\\f\"".to_string()),
            ], 0..12)
        ) {
            // Join the literals' insides into one literal.
            let inner: String = parts.iter().map(|p| &p[1..p.len() - 1]).collect();
            let raw = format!("\"{inner}\"");
            let want = general(raw.as_bytes());
            let mut buf = raw.clone().into_bytes();
            let got = unescape_in_place(&mut buf, 1..raw.len() - 1, 0).map(|n| {
                buf.truncate(n);
                Value::String(String::from_utf8(buf).unwrap())
            });
            prop_assert_eq!(&got, &want, "{}", raw);
            // In halves (split wherever six bytes without a backslash allow), the same.
            let mut buf = raw.clone().into_bytes();
            let halves = unescape_halves(&mut buf, 1..raw.len() - 1, 0).map(|n| {
                buf.truncate(n);
                Value::String(String::from_utf8(buf).unwrap())
            });
            prop_assert_eq!(halves, want, "{}", raw);
        }
    }

    fn big(text: &str) -> String {
        let mut t = text.to_string();
        while t.len() < FAST_BYTES {
            t.push_str("Lorem ipsum \"dolor\"\tsit\r\namet, \\ صباح الخير 😀\n");
        }
        t
    }

    #[test]
    fn big_text_sync_messages_decode_as_the_general_path_does() {
        let text = big("# Title\n");
        let messages = [
            serde_json::json!({"jsonrpc": "2.0", "method": "textDocument/didOpen",
                "params": {"textDocument": {"uri": "file:///a.md", "languageId": "markdown",
                    "version": 3, "text": text}}}),
            serde_json::json!({"jsonrpc": "2.0", "method": "textDocument/didChange",
                "params": {"textDocument": {"uri": "file:///a.md", "version": 4},
                    "contentChanges": [
                        {"range": {"start": {"line": 0, "character": 1},
                            "end": {"line": 0, "character": 2}}, "rangeLength": 1, "text": "x"},
                        {"text": text}]}}),
        ];
        for m in messages {
            let body = serde_json::to_vec(&m).unwrap();
            let fast = text_sync(&mut body.clone(), None)
                .expect("fast path taken")
                .unwrap();
            assert_eq!(Some(&fast), general(&body).as_ref());
            assert_eq!(fast, m);
            // Followed as it was read, in pieces: the same.
            let scanned = scanned_in_pieces(&body, 3001);
            assert!(!scanned.literals.is_empty());
            let followed = text_sync(&mut body.clone(), Some(scanned))
                .expect("fast path taken")
                .unwrap();
            assert_eq!(followed, m);
        }
        // A lone surrogate escape in the text: U+FFFD, as on the general path.
        let body = format!(
            r#"{{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{{"textDocument":{{"uri":"file:///a.md","languageId":"markdown","version":1,"text":"a\ud800b{}"}}}}}}"#,
            big("")
                .replace('\\', "\\\\")
                .replace('"', "\\\"")
                .replace('\n', "\\n")
                .replace('\r', "\\r")
                .replace('\t', "\\t")
        );
        let fast = text_sync(&mut body.clone().into_bytes(), None)
            .expect("fast path taken")
            .unwrap();
        let followed = text_sync(
            &mut body.clone().into_bytes(),
            Some(scanned_in_pieces(body.as_bytes(), 777)),
        )
        .expect("fast path taken")
        .unwrap();
        assert_eq!(followed, fast);
        assert_eq!(Some(&fast), general(body.as_bytes()).as_ref());
        assert!(fast["params"]["textDocument"]["text"]
            .as_str()
            .unwrap()
            .starts_with("a\u{FFFD}b"));
    }

    #[test]
    fn other_messages_and_bad_bodies_take_the_general_path() {
        let text = big("");
        for m in [
            serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": "textDocument/didOpen",
                "params": {"textDocument": {"uri": "file:///a.md", "text": text}}}),
            serde_json::json!({"jsonrpc": "2.0", "method": "workspace/didChangeConfiguration",
                "params": {"settings": {"text": text}}}),
        ] {
            let body = serde_json::to_vec(&m).unwrap();
            let mut b = body.clone();
            assert!(text_sync(&mut b, None).is_none());
            assert_eq!(b, body, "left as it was");
            // A long literal that is no document's text, found as the body came.
            assert!(text_sync(&mut b, Some(scanned_in_pieces(&body, 5000))).is_none());
            assert_eq!(b, body, "left as it was");
            assert_eq!(body_of(&body), general(&body));
        }
        let mut bad = serde_json::to_vec(&serde_json::json!({"jsonrpc": "2.0",
            "method": "textDocument/didOpen", "params": {"textDocument": {"text": text}}}))
        .unwrap();
        bad.pop();
        assert!(text_sync(&mut bad.clone(), None).is_none());
        assert!(body(&mut bad.clone(), Some(scanned_in_pieces(&bad, 999))).is_err());
        assert!(body(&mut bad, None).is_err());
        // A raw control character in a text is an error, found by serde_json, however the
        // body was read.
        let mut raw = serde_json::to_vec(&serde_json::json!({"jsonrpc": "2.0",
            "method": "textDocument/didOpen", "params": {"textDocument": {"uri": "file:///a.md",
            "languageId": "markdown", "version": 1, "text": text}}}))
        .unwrap();
        let at = raw.len() - 100;
        raw[at] = 0x01;
        let scanned = scanned_in_pieces(&raw, 4096);
        assert!(scanned.literals[0].control);
        let err = body(&mut raw.clone(), Some(scanned)).unwrap_err();
        assert!(err.to_string().contains("control character"), "{err}");
        // A long literal in the frame besides the text (a second document's text in a
        // key's place): only the texts' literals are taken.
        let two = format!(
            r#"{{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{{"textDocument":{{"uri":"file:///a.md","languageId":"markdown","version":1,"text":{t}}}}},"x":{t}}}"#,
            t = serde_json::to_string(&text).unwrap()
        );
        let mut b = two.clone().into_bytes();
        assert!(text_sync(&mut b, Some(scanned_in_pieces(two.as_bytes(), 10_000))).is_none());
        assert!(b == two.as_bytes(), "left as it was");
    }

    /// What the reader finds following `body` read `piece` bytes at a time.
    fn scanned_in_pieces(body: &[u8], piece: usize) -> Scanned {
        let mut scan = super::super::scan::Scan::new();
        let mut at = 0;
        while at < body.len() {
            at = (at + piece).min(body.len());
            scan.feed(&body[..at]);
        }
        scan.finish(body)
    }

    #[test]
    fn utf8_in_halves_is_utf8_whole() {
        let mut text = String::new();
        while text.len() < PARALLEL_BYTES + 64 {
            text.push_str("a ب 😀 é\n");
        }
        for len in text.len() - 24..text.len() {
            let b = &text.as_bytes()[..len];
            assert_eq!(utf8(b), std::str::from_utf8(b).ok(), "{len}");
            // A stray byte anywhere near the cut, or a character cut short there.
            for at in len / 2 - 6..len / 2 + 6 {
                for bad in [0xFF, 0x80, 0xF0] {
                    let mut v = b.to_vec();
                    v[at] = bad;
                    assert_eq!(
                        utf8(&v).is_some(),
                        std::str::from_utf8(&v).is_ok(),
                        "{len} {at}"
                    );
                }
            }
        }
    }

    fn body_of(b: &[u8]) -> Option<Value> {
        body(&mut b.to_vec(), None).ok()
    }
}
