//! Reading an input as text: UTF-8 (with or without a byte-order mark), or the reason it
//! is not, with a guess at the encoding it is in.
//!
//! Wire copy still arrives in legacy code pages: Arabic desks get Windows-1256 (and now and
//! then ISO-8859-6) from older systems. Such a file is not checked — every offset would be
//! wrong, and `--fix` would have to write it back in an encoding the newsroom did not ask
//! for — but the message names the encoding `chardetng` guesses and the `iconv` command
//! that converts it, so the writer knows what to do next.

use std::fmt;

/// A text read from an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, without the byte-order mark (positions count from the first character
    /// a writer sees, as editors do).
    pub text: String,
    /// The input began with a UTF-8 byte-order mark: `--fix` writes it back.
    pub bom: bool,
}

/// An input that is not UTF-8.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotUtf8 {
    /// The encoding it most likely is in (`windows-1256`), by its WHATWG name, which
    /// `iconv` accepts too.
    pub guess: Option<&'static str>,
    /// The 1-based line of the first byte that is not UTF-8.
    pub line: usize,
}

impl fmt::Display for NotUtf8 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.guess {
            Some(enc) => write!(
                f,
                "is not UTF-8 (it looks like {enc}): convert it with iconv -f {enc} -t utf-8"
            ),
            None => write!(
                f,
                "is not UTF-8 (line {} has a byte that is not UTF-8) and its encoding could not be guessed",
                self.line
            ),
        }
    }
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// `bytes` as text, or why they are not UTF-8.
pub fn decode(bytes: Vec<u8>) -> Result<Decoded, NotUtf8> {
    let bom = bytes.starts_with(UTF8_BOM);
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if bom {
                text.drain(..UTF8_BOM.len());
            }
            Ok(Decoded { text, bom })
        }
        Err(e) => {
            let bytes = e.as_bytes();
            let bad = e.utf8_error().valid_up_to();
            let line = 1 + bytes[..bad].iter().filter(|&&b| b == b'\n').count();
            Err(NotUtf8 {
                guess: guess(bytes),
                line,
            })
        }
    }
}

/// The encoding `bytes` are most likely in. A UTF-16 byte-order mark settles it; otherwise
/// `chardetng` (Firefox's detector) judges the byte frequencies, UTF-8 excluded since the
/// bytes are known not to be.
fn guess(bytes: &[u8]) -> Option<&'static str> {
    if let Some((enc, _)) = encoding_rs::Encoding::for_bom(bytes) {
        return Some(enc.name());
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let enc = detector.guess(None, false);
    // The detector always answers; for bytes that are not text at all its answer says
    // nothing, so only an encoding that decodes the whole input without error is named.
    let (_, had_errors) = enc.decode_without_bom_handling(bytes);
    (!had_errors).then(|| enc.name())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_a_byte_order_mark_is_read_without_it() {
        let d = decode(b"\xEF\xBB\xBF# Title\n".to_vec()).unwrap();
        assert_eq!(d.text, "# Title\n");
        assert!(d.bom);
        assert!(!decode(b"# Title\n".to_vec()).unwrap().bom);
    }

    #[test]
    fn arabic_in_windows_1256_is_named() {
        let text = "القاهرة - (أ ف ب) - أعلنت الحكومة المصرية اليوم عن خطة جديدة لدعم الاقتصاد.\nوقال وزير المالية إن الخطة ستبدأ الشهر المقبل.\n";
        let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode(text);
        let e = decode(bytes.into_owned()).unwrap_err();
        assert_eq!(e.guess, Some("windows-1256"));
        assert_eq!(e.line, 1);
        assert_eq!(
            e.to_string(),
            "is not UTF-8 (it looks like windows-1256): convert it with iconv -f windows-1256 -t utf-8"
        );
    }

    #[test]
    fn utf16_is_named_from_its_byte_order_mark() {
        let e = decode(b"\xFF\xFE#\x00 \x00T\x00\n\x00".to_vec()).unwrap_err();
        assert_eq!(e.guess, Some("UTF-16LE"));
    }

    #[test]
    fn the_line_of_the_first_bad_byte_is_counted() {
        let e = decode(b"ok\nok\n\xFF\xFE\xFD\x80\x81".to_vec()).unwrap_err();
        assert_eq!(e.line, 3);
    }
}
