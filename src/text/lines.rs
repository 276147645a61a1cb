//! Lines of a `&str` with their byte offsets, broken as LSP breaks them.

/// One line of text: `span` covers its content, `end_with_break` also its terminator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Line<'a> {
    pub text: &'a str,
    /// Offset of the first byte of the line, relative to the start of the iterated text
    /// plus the `base` given to [`lines_with_offsets`].
    pub start: usize,
    /// Offset just past the line terminator (equal to `start + text.len()` on the last line
    /// when it has none).
    pub next: usize,
}

impl Line<'_> {
    pub fn end(&self) -> usize {
        self.start + self.text.len()
    }
    pub fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }
}

/// Length of the line break starting at `bytes[i]` (0 when there is none).
pub fn line_break_len(bytes: &[u8], i: usize) -> usize {
    match bytes.get(i) {
        Some(b'\n') => 1,
        Some(b'\r') if bytes.get(i + 1) == Some(&b'\n') => 2,
        Some(b'\r') => 1,
        _ => 0,
    }
}

/// Iterates the lines of `text`, offsets shifted by `base`. A text ending in a line break
/// yields no empty line after it; an empty text yields nothing.
pub fn lines_with_offsets(text: &str, base: usize) -> impl Iterator<Item = Line<'_>> {
    let bytes = text.as_bytes();
    let mut pos = 0;
    std::iter::from_fn(move || {
        if pos >= bytes.len() {
            return None;
        }
        let start = pos;
        let i = memchr::memchr2(b'\n', b'\r', &bytes[pos..]).map_or(bytes.len(), |k| pos + k);
        let brk = line_break_len(bytes, i);
        pos = i + brk;
        Some(Line {
            text: &text[start..i],
            start: base + start,
            next: base + pos,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_lf_crlf_and_lone_cr_only() {
        let text = "a\nb\r\nc\rd\u{2028}e";
        let got: Vec<_> = lines_with_offsets(text, 10)
            .map(|l| (l.text, l.start, l.next))
            .collect();
        assert_eq!(
            got,
            vec![
                ("a", 10, 12),
                ("b", 12, 15),
                ("c", 15, 17),
                ("d\u{2028}e", 17, 22)
            ]
        );
    }

    #[test]
    fn trailing_break_gives_no_extra_line() {
        assert_eq!(lines_with_offsets("x\n", 0).count(), 1);
        assert_eq!(lines_with_offsets("", 0).count(), 0);
        assert_eq!(lines_with_offsets("\n\n", 0).count(), 2);
    }
}
