//! What the reader learns of a large body while it arrives.
//!
//! A 10 MB `didOpen` comes through the pipe in about 15 ms, during which the reader
//! mostly waits, and decoding it then took another 13–15 ms before the parse could
//! start: a check of its UTF-8, and serde_json reading the whole text's literal to find
//! where it ends. Both are done here instead, on each piece as it is read, while the
//! rest is still on its way: the UTF-8 is checked up to the last whole character, and
//! the string literals are followed (quotes, backslashes) so that the long ones are
//! known by the time the last byte comes. The decoder then gives serde_json the frame
//! without them (a few hundred bytes), see `super::decode`.

use std::ops::Range;

use super::decode::is_continuation;

/// Literals from this size are recorded (and left out of what serde_json reads).
pub const LONG_LITERAL: usize = 16 << 10;

/// A long string literal of the body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Literal {
    /// Its inside, without the quotes.
    pub inside: Range<usize>,
    /// Whether it holds a raw control character (below U+0020), which JSON does not
    /// allow in a string: serde_json must then read it, to report the error.
    pub control: bool,
}

/// What a whole body turned out to be.
#[derive(Debug, Default)]
pub struct Scanned {
    /// The whole body is UTF-8.
    pub utf8: bool,
    /// Its long string literals, in order.
    pub literals: Vec<Literal>,
}

/// Follows a body as it is read. Where the body is not JSON, what it finds is of no
/// use, and harmless: the decoder only trusts a literal that serde_json, reading the
/// rest of the frame, confirms is where it found it.
#[derive(Debug)]
pub struct Scan {
    /// Bytes followed so far.
    fed: usize,
    /// UTF-8 checked up to here (where a character starts), and whether it all was.
    checked: usize,
    utf8: bool,
    /// Inside a string literal, which started here (after its quote).
    string: Option<usize>,
    /// The last piece ended with a backslash inside a string: the next byte is escaped.
    escaped: bool,
    /// The literal read so far holds a control character.
    control: bool,
    literals: Vec<Literal>,
}

impl Default for Scan {
    fn default() -> Self {
        Scan::new()
    }
}

impl Scan {
    pub fn new() -> Scan {
        Scan {
            fed: 0,
            checked: 0,
            utf8: true,
            string: None,
            escaped: false,
            control: false,
            literals: Vec::new(),
        }
    }

    /// `read` is the body read so far (what was fed before, and more).
    pub fn feed(&mut self, read: &[u8]) {
        // UTF-8 up to the start of the last character, which may not have come whole.
        let from = read.len().saturating_sub(4).max(self.checked);
        let cut = (from..read.len())
            .rev()
            .find(|&k| !is_continuation(read[k]))
            .unwrap_or(read.len());
        self.check(&read[..cut.max(self.checked)]);
        self.follow(read);
    }

    /// The whole body has been fed.
    pub fn finish(mut self, body: &[u8]) -> Scanned {
        self.feed(body);
        self.check(body);
        Scanned {
            utf8: self.utf8,
            literals: self.literals,
        }
    }

    fn check(&mut self, upto: &[u8]) {
        if upto.len() > self.checked {
            self.utf8 &= simdutf8::basic::from_utf8(&upto[self.checked..]).is_ok();
            self.checked = upto.len();
        }
    }

    /// Follows the string literals through the bytes not yet followed.
    fn follow(&mut self, b: &[u8]) {
        let end = b.len();
        let mut pos = self.fed;
        while pos < end {
            let Some(start) = self.string else {
                // Outside strings, a quote can only open one.
                match memchr::memchr(b'"', &b[pos..]) {
                    Some(k) => {
                        self.string = Some(pos + k + 1);
                        self.control = false;
                        pos += k + 1;
                    }
                    None => pos = end,
                }
                continue;
            };
            if self.escaped {
                self.escaped = false;
                pos += 1;
                continue;
            }
            match memchr::memchr2(b'"', b'\\', &b[pos..]) {
                Some(k) => {
                    let at = pos + k;
                    self.control |= has_control(&b[pos..at]);
                    if b[at] == b'\\' {
                        self.escaped = true;
                    } else {
                        if at - start >= LONG_LITERAL {
                            self.literals.push(Literal {
                                inside: start..at,
                                control: self.control,
                            });
                        }
                        self.string = None;
                    }
                    pos = at + 1;
                }
                None => {
                    self.control |= has_control(&b[pos..]);
                    pos = end;
                }
            }
        }
        self.fed = end;
    }
}

/// Whether `b` holds a byte below 0x20, written so that the compiler reads it many bytes
/// at a time.
fn has_control(b: &[u8]) -> bool {
    b.chunks(64)
        .any(|c| c.iter().fold(false, |found, &x| found | (x < 0x20)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every string literal of a JSON body, as serde_json would find them: the insides of
    /// all strings (keys included), from a tokenizer that reads the body whole.
    fn literals_whole(b: &[u8]) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'"' {
                let start = i + 1;
                let mut j = start;
                while b[j] != b'"' {
                    j += if b[j] == b'\\' { 2 } else { 1 };
                }
                out.push(start..j);
                i = j + 1;
            } else {
                i += 1;
            }
        }
        out
    }

    fn scan_in_pieces(body: &[u8], cuts: &[usize]) -> Scanned {
        let mut scan = Scan::new();
        let mut cuts: Vec<usize> = cuts.iter().map(|&c| c % (body.len() + 1)).collect();
        cuts.sort_unstable();
        for c in cuts {
            scan.feed(&body[..c]);
        }
        scan.finish(body)
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            rng_seed: proptest::test_runner::RngSeed::Fixed(0x7363_616e),
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        /// Read in any pieces, a body's long literals and its UTF-8 are what reading it
        /// whole finds.
        #[test]
        fn pieces_find_what_the_whole_finds(
            texts in proptest::collection::vec(
                "[a-z \"\\\\/\u{0}-\u{1f}ءا-ي😀é]{0,40}", 1..4),
            repeat in proptest::collection::vec(0usize..700, 1..4),
            cuts in proptest::collection::vec(any::<usize>(), 0..12),
            bad in proptest::option::of(any::<usize>()),
        ) {
            let fields: Vec<(String, String)> = texts
                .iter()
                .zip(repeat.iter().cycle())
                .enumerate()
                .map(|(i, (t, &n))| (format!("k\"{i}"), t.repeat(n)))
                .collect();
            let map: serde_json::Map<String, serde_json::Value> = fields
                .iter()
                .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
                .collect();
            let mut body = serde_json::to_vec(&map).unwrap();
            if let Some(at) = bad {
                // A byte that is not UTF-8 (JSON syntax aside).
                let at = at % body.len();
                body[at] = 0xFF;
            }
            let got = scan_in_pieces(&body, &cuts);
            prop_assert_eq!(got.utf8, std::str::from_utf8(&body).is_ok());
            if bad.is_none() {
                let want: Vec<Literal> = literals_whole(&body)
                    .into_iter()
                    .filter(|r| r.len() >= LONG_LITERAL)
                    .map(|r| Literal { control: body[r.clone()].iter().any(|&b| b < 0x20), inside: r })
                    .collect();
                prop_assert_eq!(got.literals, want);
            }
        }
    }

    #[test]
    fn control_characters_are_found_anywhere_in_a_literal() {
        let text = "a".repeat(LONG_LITERAL * 2);
        for at in [0, 63, 64, 65, LONG_LITERAL, text.len() - 1] {
            let mut t = text.clone().into_bytes();
            t[at] = b'\t';
            let mut body = b"{\"text\":\"".to_vec();
            body.extend_from_slice(&t);
            body.extend_from_slice(b"\"}");
            let got = scan_in_pieces(&body, &[5, 9, 10, 4000, 70_000]);
            assert_eq!(got.literals.len(), 1);
            assert!(got.literals[0].control, "{at}");
        }
    }
}
