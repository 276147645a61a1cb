//! Is this text a news article at all? A cheap, pure verdict on a file's first bytes.
//!
//! Editors attach newsls to every plain-text file and `newsls check` reads every `.txt`,
//! so the server meets services lists, logs, licences and source code as well as wire
//! copy. Table rules on those files are a wall of false alarms (issue 13: 115
//! `table-tsv-cells` warnings on a system's list of network services). [`classify`] tells
//! the two apart so that the caller can stay silent on files that are not articles, and
//! says why in a short sentence a log line or the CLI can show.
//!
//! How it decides, in this order (the first that applies wins):
//!
//! 1. Nothing to judge (empty, or a line or two): an article. A writer opening a new
//!    file must get diagnostics as soon as they type.
//! 2. Genre markers that prose cannot outweigh, because the genre is prose too: licence
//!    boilerplate, a manual page's section names, a README's install sections and shell
//!    commands, a changelog's version entries, subtitle cue timings.
//! 3. Code: when a quarter of the lines or more are code, settings or comments, only
//!    prose holding most of the words makes an article (docstrings and comment blocks
//!    are prose too).
//! 4. Prose: a headline followed closely by a lede, or paragraphs of sentences (long
//!    lines of mostly words, sentence-final punctuation) holding a fair share of the
//!    words. Articles that are mostly a table, a live blog whose entries start with a
//!    time, or a one-paragraph brief pass here.
//! 5. Lines that are not prose: half or more of the lines are tab-separated, column
//!    aligned, comma separated, timestamped log lines, comments, `key=value` settings,
//!    code or symbols: not an article, named after the most common kind of line.
//! 6. No paragraph of prose at all in eight lines or more (lists, poems): not an
//!    article.
//! 7. Anything else: an article. When unsure, the verdict is "article", because a false
//!    "not an article" silently hides every diagnostic of a real story.
//!
//! Markdown files are nearly always articles here: only a licence, or a file of
//! overwhelmingly non-prose lines with no prose at all, is called something else.
//!
//! The cost is linear and bounded: the first [`HEAD_BYTES`] of the text are read, and of
//! a longer text two [`SAMPLE_BYTES`] windows from its middle and its end, so a 10 MB
//! log costs the same as a 100 KB one. No allocation per line; one lower-cased copy of
//! the sample for the licence phrases.

use super::plaintext::is_list_item;
use super::Format;
use crate::text::lines_with_offsets;

/// How much of the start of a text is read.
pub const HEAD_BYTES: usize = 64 * 1024;
/// The size of each of the two windows sampled from the rest of a longer text.
pub const SAMPLE_BYTES: usize = 8 * 1024;

/// What kind of text a file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A news article (or a file too short to tell, or one we are unsure about).
    Article,
    /// Tabular data: tab-separated, column-aligned or comma-separated rows, JSON,
    /// subtitles.
    Data,
    /// A log: lines that start with a timestamp.
    Log,
    /// Configuration: comments and `key = value` settings.
    Config,
    /// Source code or build scripts.
    Code,
    /// A licence or its boilerplate.
    Licence,
    /// Documentation that is not news: a README, a manual page, a changelog.
    Documentation,
    /// Short lines and no prose: a to-do or shopping list, a poem.
    Lines,
}

/// The verdict on a text, with a short reason a person can read
/// ("tab-separated data: 92% of lines have tabs").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub kind: Kind,
    pub reason: String,
}

impl Verdict {
    pub fn is_article(&self) -> bool {
        self.kind == Kind::Article
    }

    fn new(kind: Kind, reason: impl Into<String>) -> Verdict {
        Verdict {
            kind,
            reason: reason.into(),
        }
    }
}

/// Decides whether `text` is a news article or some other text. Pure and cheap: see the
/// module documentation for what is read and how it decides.
pub fn classify(text: &str, format: Format) -> Verdict {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut scan = Scan::default();
    for chunk in sample(text) {
        scan.chunk(chunk, format);
    }
    scan.verdict(format)
}

/// The parts of `text` that are read: its head, and for a longer text a window from the
/// middle and one from the end, each cut to whole lines.
fn sample(text: &str) -> Vec<&str> {
    if text.len() <= HEAD_BYTES + 2 * SAMPLE_BYTES {
        return vec![text];
    }
    let head = &text[..floor_boundary(text, HEAD_BYTES)];
    // The head keeps its last line even if it is cut: a long line is still evidence.
    let mut parts = vec![head];
    for at in [text.len() / 2, text.len() - SAMPLE_BYTES] {
        let start = floor_boundary(text, at);
        let end = floor_boundary(text, (at + SAMPLE_BYTES).min(text.len()));
        let window = &text[start..end];
        // Drop the partial first and last lines of the window.
        let from = window.find(['\n', '\r']).map_or(window.len(), |i| i + 1);
        let to = if end == text.len() {
            window.len()
        } else {
            window.rfind(['\n', '\r']).unwrap_or(from).max(from)
        };
        parts.push(&window[from..to]);
    }
    parts
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

// ---------------------------------------------------------------------------------------
// Lines

/// What a single non-blank line looks like on its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LineKind {
    /// `# ...`, `// ...`, `; ...`, `/* ...`, `! ...`.
    Comment,
    /// A tab between two pieces of text.
    Tab,
    /// A timestamp first, and not a sentence (a live blog's `16:45 The minister ...` is).
    Log,
    /// Subtitle cue timing: `00:00:01,200 --> 00:00:03,900`.
    Cue,
    /// Ends like code (`{`, `;`, a call), starts with a keyword, a JSON member or a line
    /// of brackets alone.
    Code,
    /// `key = value`, `key: /path`, `[section]`.
    Setting,
    /// Two or more commas with no space after them between non-digits: a CSV row.
    Csv,
    /// A run of two or more spaces inside the line, not after a sentence: columns.
    Aligned,
    /// Mostly tokens that are not words: numbers, paths, flags, version pins.
    Symbols,
    /// A pipe-table row: a table inside an article, for the table rules to judge. It
    /// counts neither for prose nor against it.
    Pipe,
    /// A bullet, a number or a check box.
    ListItem,
    /// Anything else: possibly prose.
    Text,
}

impl LineKind {
    fn is_data(self) -> bool {
        !matches!(self, LineKind::Pipe | LineKind::ListItem | LineKind::Text)
    }
}

/// Word statistics of a line.
#[derive(Clone, Copy, Debug, Default)]
struct Words {
    tokens: usize,
    /// Tokens that are words (letters, inner `'` or `-`), punctuation around them aside.
    words: usize,
    /// Words that start with a lower-case letter or are in a script without case
    /// (Arabic): the function words of running prose are of this kind, headline lists
    /// and all-caps boilerplate are not.
    lower: usize,
    /// Sentence-final punctuation followed by a space, a closing quote or the end.
    sentence_ends: usize,
}

/// Punctuation around a word that does not make it less of a word.
const WRAPPERS: &[char] = &[
    '"', '\'', '“', '”', '‘', '’', '«', '»', '(', ')', '[', ']', ',', '.', ';', ':', '!', '?', '؟',
    '،', '؛', '…',
];

impl Words {
    fn of(line: &str) -> Words {
        let mut w = Words::default();
        for tok in line.split_whitespace() {
            w.tokens += 1;
            let core = tok.trim_matches(WRAPPERS);
            let is_word = !core.is_empty()
                && core.chars().any(char::is_alphabetic)
                && core.chars().all(|c| {
                    c.is_alphabetic() || is_mark(c) || matches!(c, '\'' | '’' | '-' | 'ـ')
                });
            if is_word {
                w.words += 1;
                let first = core.chars().next().unwrap_or(' ');
                if first.is_lowercase() || !(first.is_uppercase() || first.is_lowercase()) {
                    w.lower += 1;
                }
            }
            let end = tok.trim_end_matches(['"', '\'', '”', '’', '»', ')']);
            if end.ends_with(['.', '!', '?', '؟', '…']) {
                w.sentence_ends += 1;
            }
        }
        w
    }

    fn add(&mut self, o: Words) {
        self.tokens += o.tokens;
        self.words += o.words;
        self.lower += o.lower;
        self.sentence_ends += o.sentence_ends;
    }

    /// Reads like a sentence: mostly words, some of them lower case (or uncased).
    fn wordy(&self) -> bool {
        self.tokens > 0 && self.words * 10 >= self.tokens * 7 && self.lower * 10 >= self.words * 4
    }
}

/// Combining marks (Arabic tashkeel, accents written separately) belong to their word.
fn is_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{200C}' | '\u{200D}')
}

fn line_kind(line: &str, format: Format, words: &Words) -> LineKind {
    let t = line.trim();
    let inner = line.trim_matches(|c: char| c == ' ' || c == '\t');
    if is_comment(t, format) {
        LineKind::Comment
    } else if inner.contains('\t') {
        LineKind::Tab
    } else if t.contains(" --> ") && starts_with_time(t) {
        LineKind::Cue
    } else if starts_with_timestamp(t) && !(words.tokens >= 8 && words.wordy()) {
        LineKind::Log
    } else if t.starts_with('|') || t.ends_with('|') || t.matches('|').count() >= 2 {
        LineKind::Pipe
    } else if is_code(t) {
        LineKind::Code
    } else if is_setting(t) {
        LineKind::Setting
    } else if tight_commas(t) >= 2 {
        LineKind::Csv
    } else if is_list_item(line) || is_check_box(t) {
        LineKind::ListItem
    } else if has_column_gap(t) {
        LineKind::Aligned
    } else if words.words * 2 < words.tokens {
        LineKind::Symbols
    } else {
        LineKind::Text
    }
}

fn is_comment(t: &str, format: Format) -> bool {
    match format {
        // In Markdown `#` opens a heading, and the other markers are rare in articles.
        Format::Markdown => t.starts_with("<!--"),
        Format::PlainText => {
            t.starts_with('#')
                || t.starts_with("//")
                || t.starts_with("/*")
                || t.starts_with("*/")
                || t.starts_with("; ")
                || t == ";"
                || t.starts_with("! ")
                || t == "!"
        }
    }
}

fn is_check_box(t: &str) -> bool {
    let t = t.strip_prefix("- ").unwrap_or(t);
    ["[ ]", "[x]", "[X]"].iter().any(|b| t.starts_with(b))
}

/// `2026-03-04...`, `[2026-...`, `16:45`, `03/04/2026`, `Mar  4 10:15:01`.
fn starts_with_timestamp(t: &str) -> bool {
    let t = t.strip_prefix('[').unwrap_or(t);
    let b = t.as_bytes();
    let digits = |from: usize, n: usize| {
        b.len() >= from + n && b[from..from + n].iter().all(u8::is_ascii_digit)
    };
    if digits(0, 4) && b.get(4) == Some(&b'-') && digits(5, 2) && b.get(7) == Some(&b'-') {
        return true;
    }
    if digits(0, 2) && matches!(b.get(2), Some(b'/' | b'.')) && digits(3, 2) {
        return true;
    }
    if starts_with_time(t) {
        return true;
    }
    const MONTHS: [&str; 12] = [
        "Jan ", "Feb ", "Mar ", "Apr ", "May ", "Jun ", "Jul ", "Aug ", "Sep ", "Oct ", "Nov ",
        "Dec ",
    ];
    if MONTHS.iter().any(|m| t.starts_with(m)) {
        // Syslog: the month, the day, then a time.
        let rest = t[4..].trim_start();
        let day_len = rest.bytes().take_while(u8::is_ascii_digit).count();
        return (1..=2).contains(&day_len) && starts_with_time(rest[day_len..].trim_start());
    }
    false
}

/// `16:45`, `9:05`, `00:00:01,200`.
fn starts_with_time(t: &str) -> bool {
    let b = t.as_bytes();
    let h = b.iter().take_while(|c| c.is_ascii_digit()).count();
    (1..=2).contains(&h)
        && b.get(h) == Some(&b':')
        && b.len() >= h + 3
        && b[h + 1..h + 3].iter().all(u8::is_ascii_digit)
        && b.get(h + 3).is_none_or(|c| !c.is_ascii_digit())
}

fn is_code(t: &str) -> bool {
    const KEYWORDS: [&str; 22] = [
        "def ",
        "class ",
        "import ",
        "from ",
        "return",
        "fn ",
        "let ",
        "pub ",
        "use ",
        "const ",
        "var ",
        "function ",
        "if (",
        "for (",
        "while (",
        "} else",
        "#include",
        "#!",
        "elif ",
        "try:",
        "except",
        "package ",
    ];
    if t.is_empty() {
        return false;
    }
    // A line of brackets and commas alone: `{`, `},`, `]);`.
    if t.chars().all(|c| "{}[]()<>;,".contains(c)) {
        return true;
    }
    // A JSON member: `"key": value`.
    if t.starts_with('"') && t.contains("\":") {
        return true;
    }
    // A line of markup: `<tag ...>`, `</tag>`, `<!-- -->`.
    if t.starts_with('<') && t.ends_with('>') {
        return true;
    }
    let call = t.char_indices().any(|(i, c)| {
        c == '('
            && t[..i]
                .chars()
                .last()
                .is_some_and(|p| p.is_alphanumeric() || p == '_')
    });
    let ends_code = t.ends_with(['{', '}', ';', '('])
        || t.ends_with("):")
        || t.ends_with("=>")
        || (call && t.ends_with([')', ':']));
    // `from x import y` is code, "from our correspondent" is not.
    let keyword = KEYWORDS.iter().any(|k| {
        t.starts_with(k)
            && match *k {
                "from " => t.contains(" import "),
                "return" => t == "return" || t.starts_with("return ") && !t.ends_with('.'),
                "use " | "let " | "const " | "var " | "pub " | "class " | "def " | "fn " => {
                    !t.ends_with('.') && t.chars().any(|c| "(){}=:;<".contains(c))
                }
                "import " => !t.ends_with('.'),
                _ => true,
            }
    });
    ends_code || keyword
}

/// `key = value`, `key=value`, `[section]`, `Key: /path` or `key-name: value`.
fn is_setting(t: &str) -> bool {
    if t.starts_with('[') && t.ends_with(']') && !t.contains(' ') {
        return true;
    }
    let key_len = t
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
        .count();
    if key_len == 0 {
        return false;
    }
    let key = &t[..key_len];
    let rest = t[key_len..].trim_start();
    if let Some(v) = rest.strip_prefix('=') {
        // `a = b` but not `==` comparisons or prose such as "x = y means".
        return !v.starts_with('=') && !v.trim().is_empty();
    }
    if let Some(v) = rest.strip_prefix(':') {
        let v = v.trim();
        let Some(first) = v.split_whitespace().next() else {
            return false;
        };
        // "Source: Reuters" and "Population: 8.9 million" are article lines; a key in
        // code style, or a value that is a path, a URL, a flag or a wildcard, is not.
        let code_key =
            key.contains(['_', '.']) || key.starts_with(|c: char| c.is_ascii_lowercase());
        let symbolic_value =
            first.starts_with(['/', '*', '-', '$', '~', '<', '{', '[']) || first.contains("://");
        return code_key || symbolic_value;
    }
    false
}

/// Commas followed directly by a character other than a space, not between two digits.
fn tight_commas(t: &str) -> usize {
    let b = t.as_bytes();
    (1..b.len().saturating_sub(1))
        .filter(|&i| {
            b[i] == b','
                && !b[i + 1].is_ascii_whitespace()
                && !(b[i - 1].is_ascii_digit() && b[i + 1].is_ascii_digit())
        })
        .count()
}

/// A run of two or more spaces inside the line that does not follow a sentence (some
/// writers put two spaces after a full stop).
fn has_column_gap(t: &str) -> bool {
    let b = t.as_bytes();
    let mut i = 1;
    while i + 2 < b.len() {
        if b[i] == b' ' && b[i + 1] == b' ' && b[i - 1] != b' ' {
            if !matches!(b[i - 1], b'.' | b'!' | b'?' | b':' | b';' | b'"' | b'\'') {
                return true;
            }
            i += 2;
        } else {
            i += 1;
        }
    }
    false
}

// ---------------------------------------------------------------------------------------
// The scan

#[derive(Default)]
struct Scan {
    /// Non-blank lines, and how many of each kind.
    lines: usize,
    counts: [usize; 12],
    tokens: usize,
    /// Paragraphs of prose and the tokens they hold.
    prose_paragraphs: usize,
    prose_tokens: usize,
    /// The current paragraph (consecutive non-blank lines), its text lines only.
    para: Words,
    para_lines: usize,
    para_longest: usize,
    /// The first non-blank line is headline-shaped, and the non-blank line index at
    /// which the first prose paragraph started (with its size).
    headline: Option<bool>,
    first_prose_at: Option<(usize, usize)>,
    para_started_at: usize,
    /// Genre markers.
    man_sections: Vec<&'static str>,
    doc_sections: Vec<&'static str>,
    shell_commands: usize,
    underlines: usize,
    versions: usize,
    control_chars: usize,
    chars: usize,
    /// Lower-cased sample with whitespace runs collapsed, for the licence phrases.
    folded: String,
}

const KINDS: [LineKind; 12] = [
    LineKind::Comment,
    LineKind::Tab,
    LineKind::Log,
    LineKind::Cue,
    LineKind::Code,
    LineKind::Setting,
    LineKind::Csv,
    LineKind::Aligned,
    LineKind::Symbols,
    LineKind::Pipe,
    LineKind::ListItem,
    LineKind::Text,
];

fn index(k: LineKind) -> usize {
    KINDS
        .iter()
        .position(|&x| x == k)
        .unwrap_or(KINDS.len() - 1)
}

const MAN_SECTIONS: [&str; 12] = [
    "NAME",
    "SYNOPSIS",
    "DESCRIPTION",
    "OPTIONS",
    "EXIT STATUS",
    "RETURN VALUE",
    "ENVIRONMENT",
    "FILES",
    "EXAMPLES",
    "SEE ALSO",
    "BUGS",
    "AUTHORS",
];

const DOC_SECTIONS: [&str; 14] = [
    "installation",
    "install",
    "installing",
    "usage",
    "building",
    "build",
    "requirements",
    "dependencies",
    "getting started",
    "configuration",
    "contributing",
    "reporting bugs",
    "licence",
    "license",
];

const LICENCE_PHRASES: [&str; 19] = [
    "permission is hereby granted",
    "without warranty",
    "warranties of merchantability",
    "fitness for a particular purpose",
    "licensed under the",
    "redistribution and use in source and binary forms",
    "gnu general public license",
    "terms and conditions for use, reproduction",
    "this program is free software",
    "in no event shall the",
    "provided \"as is\"",
    "limitation of liability",
    "gnu lesser general public license",
    "gnu free documentation license",
    "free software foundation",
    "everyone is permitted to copy and distribute verbatim copies",
    "creative commons",
    "mozilla public license",
    "the above copyright notice and this permission notice",
];

impl Scan {
    fn chunk(&mut self, chunk: &str, format: Format) {
        self.folded.reserve(chunk.len());
        for line in lines_with_offsets(chunk, 0) {
            let text = line.text;
            self.fold(text);
            if line.is_blank() {
                self.end_paragraph();
                continue;
            }
            self.chars += text.len();
            self.control_chars += text.bytes().filter(|&b| b < 0x20 && b != b'\t').count();
            let words = Words::of(text);
            let kind = line_kind(text, format, &words);
            self.counts[index(kind)] += 1;
            self.tokens += words.tokens;
            if self.headline.is_none() {
                self.headline = Some(
                    kind == LineKind::Text
                        && (1..=20).contains(&words.tokens)
                        && words.words * 10 >= words.tokens * 6
                        && !text.trim_end().ends_with(['.', ':', ';', ',']),
                );
            }
            self.markers(text, format);
            self.lines += 1;
            if kind != LineKind::Text {
                // A data line, a table row or a list item ends the prose run it
                // interrupts.
                self.end_paragraph();
            } else {
                if self.para_lines == 0 {
                    self.para_started_at = self.lines - 1;
                }
                self.para.add(words);
                self.para_lines += 1;
                self.para_longest = self.para_longest.max(words.tokens);
            }
        }
        self.end_paragraph();
    }

    /// Appends the line to the folded copy: ASCII lower case, one space between words.
    fn fold(&mut self, text: &str) {
        for w in text.split_whitespace() {
            if !self.folded.is_empty() {
                self.folded.push(' ');
            }
            for c in w.chars() {
                self.folded.push(c.to_ascii_lowercase());
            }
        }
    }

    fn markers(&mut self, text: &str, format: Format) {
        let t = text.trim();
        if let Some(s) = MAN_SECTIONS.iter().find(|s| text == **s) {
            if !self.man_sections.contains(s) {
                self.man_sections.push(s);
            }
        }
        let title = t.trim_start_matches('#').trim().trim_end_matches(':');
        if t.len() <= 40 {
            if let Some(s) = DOC_SECTIONS.iter().find(|s| title.eq_ignore_ascii_case(s)) {
                if !self.doc_sections.contains(s) {
                    self.doc_sections.push(s);
                }
            }
        }
        if t.len() >= 3 && (t.bytes().all(|b| b == b'=') || t.bytes().all(|b| b == b'-')) {
            self.underlines += 1;
        }
        let cmd = t
            .strip_prefix("$ ")
            .or_else(|| (format == Format::PlainText && text.starts_with("    ")).then_some(t));
        if let Some(c) = cmd {
            const COMMANDS: [&str; 12] = [
                "./", "make", "sudo ", "cd ", "git ", "pip ", "npm ", "cargo ", "cmake ", "apt",
                "brew ", "docker ",
            ];
            if t.starts_with("$ ") || COMMANDS.iter().any(|k| c.starts_with(k)) {
                self.shell_commands += 1;
            }
        }
        if is_version_line(t) {
            self.versions += 1;
        }
    }

    fn end_paragraph(&mut self) {
        if let Some(mean) = self.para.tokens.checked_div(self.para_lines) {
            let p = self.para;
            // Prose: enough words, mostly words and some lower case, a sentence ends
            // somewhere, and lines as long as prose lines are (verse and lists have
            // short lines even when they end in full stops).
            let prose = p.tokens >= 15
                && p.wordy()
                && p.sentence_ends >= 1
                && (self.para_longest >= 10
                    || (p.tokens >= 40 && mean >= 7 && p.sentence_ends >= 2));
            if prose {
                self.prose_paragraphs += 1;
                self.prose_tokens += p.tokens;
                if self.first_prose_at.is_none() {
                    self.first_prose_at = Some((self.para_started_at, p.tokens));
                }
            }
        }
        self.para = Words::default();
        self.para_lines = 0;
        self.para_longest = 0;
    }

    fn count(&self, k: LineKind) -> usize {
        self.counts[index(k)]
    }

    fn pct(&self, n: usize) -> usize {
        (n * 100 + self.lines / 2) / self.lines.max(1)
    }

    fn verdict(self, format: Format) -> Verdict {
        use Kind::*;
        if self.lines == 0 {
            return Verdict::new(Article, "empty: treated as an article");
        }
        if self.control_chars * 100 > self.chars.max(1) {
            return Verdict::new(Data, "binary: control characters in the text");
        }
        let licence: Vec<&str> = LICENCE_PHRASES
            .iter()
            .filter(|p| self.folded.contains(**p))
            .copied()
            .collect();
        if licence.len() >= 2 {
            return Verdict::new(
                Licence,
                format!("licence text: \"{}\", \"{}\"", licence[0], licence[1]),
            );
        }
        let data_lines: usize = KINDS
            .iter()
            .filter(|k| k.is_data())
            .map(|&k| self.count(k))
            .sum();
        let prose = self.prose_paragraphs;
        let prose_share = self.prose_tokens * 100 / self.tokens.max(1);
        if format == Format::Markdown {
            // Almost always an article: only a file with no prose at all, made of lines
            // that are overwhelmingly data, is called something else.
            if prose == 0 && self.lines >= 10 && data_lines * 10 >= self.lines * 9 {
                return self.data_verdict(data_lines);
            }
            return Verdict::new(Article, "Markdown: treated as an article");
        }
        if self.lines <= 2 && self.tokens < 40 && prose == 0 {
            return Verdict::new(Article, "too short to judge: treated as an article");
        }
        if self.man_sections.len() >= 3 {
            return Verdict::new(
                Documentation,
                format!(
                    "manual page: sections {}",
                    self.man_sections[..3].join(", ")
                ),
            );
        }
        if self.doc_sections.len() >= 2 && (self.shell_commands >= 1 || self.underlines >= 2) {
            return Verdict::new(
                Documentation,
                format!(
                    "README: sections {} and {}{}",
                    title_case(self.doc_sections[0]),
                    title_case(self.doc_sections[1]),
                    if self.shell_commands > 0 {
                        format!(", {} shell commands", self.shell_commands)
                    } else {
                        String::new()
                    }
                ),
            );
        }
        let cues = self.count(LineKind::Cue);
        if cues >= 3 && cues * 7 >= self.lines {
            return Verdict::new(Data, format!("subtitles: {cues} cue timings"));
        }
        if self.versions >= 2 && prose == 0 {
            return Verdict::new(
                Documentation,
                format!("changelog: {} version entries", self.versions),
            );
        }
        // Code with its comments and docstrings is prose in places, but its lines
        // say what it is; an article has none of them.
        let code = self.count(LineKind::Code)
            + self.count(LineKind::Setting)
            + self.count(LineKind::Comment);
        if code * 4 >= self.lines && prose_share < 60 {
            return self.data_verdict(data_lines);
        }
        // A headline and, within the next few lines (bylines and datelines sit between),
        // a lede of some length: the shape of every news story, whatever follows it.
        if let (Some(true), Some((at, tokens))) = (self.headline, self.first_prose_at) {
            if at <= 5 && tokens >= 15 {
                return Verdict::new(
                    Article,
                    format!(
                        "article: a headline, a lede, {prose} paragraph(s) of prose ({prose_share}% of words)"
                    ),
                );
            }
        }
        if (prose >= 2 && prose_share >= 20) || (prose >= 1 && prose_share >= 50) {
            return Verdict::new(
                Article,
                format!("article: {prose} paragraph(s) of prose ({prose_share}% of words)"),
            );
        }
        if data_lines * 2 >= self.lines {
            return self.data_verdict(data_lines);
        }
        // Eight lines: a headline, a dek and a byline stack of a story still being
        // written are not yet a list.
        if prose == 0 && self.lines >= 8 {
            return Verdict::new(
                Lines,
                format!(
                    "no prose: {} lines, none in a paragraph of sentences",
                    self.lines
                ),
            );
        }
        Verdict::new(
            Article,
            format!("unsure ({prose} paragraph(s) of prose): treated as an article"),
        )
    }

    /// Names the most common kind of non-prose line.
    fn data_verdict(&self, data_lines: usize) -> Verdict {
        let (kind, n) = KINDS
            .iter()
            .filter(|k| k.is_data())
            .map(|&k| (k, self.count(k)))
            .max_by_key(|&(_, n)| n)
            .unwrap_or((LineKind::Symbols, 0));
        let pct = self.pct(n);
        let all = self.pct(data_lines);
        let (verdict_kind, what) = match kind {
            LineKind::Tab => (
                Kind::Data,
                format!("tab-separated data: {pct}% of lines have tabs"),
            ),
            LineKind::Csv => (
                Kind::Data,
                format!("comma-separated data: {pct}% of lines are CSV rows"),
            ),
            LineKind::Aligned => (
                Kind::Data,
                format!("column-aligned data: {pct}% of lines have columns"),
            ),
            LineKind::Symbols => (
                Kind::Data,
                format!("data: {pct}% of lines are mostly numbers, paths or symbols"),
            ),
            LineKind::Cue => (
                Kind::Data,
                format!("subtitles: {pct}% of lines are cue timings"),
            ),
            LineKind::Log => (
                Kind::Log,
                format!("log: {pct}% of lines start with a timestamp"),
            ),
            LineKind::Comment => (
                Kind::Config,
                format!("configuration: {pct}% of lines are comments"),
            ),
            LineKind::Setting => (
                Kind::Config,
                format!("configuration: {pct}% of lines are settings"),
            ),
            LineKind::Code | LineKind::Pipe | LineKind::ListItem | LineKind::Text => {
                (Kind::Code, format!("source code: {pct}% of lines are code"))
            }
        };
        if all > pct {
            Verdict::new(verdict_kind, format!("{what} ({all}% are not prose)"))
        } else {
            Verdict::new(verdict_kind, what)
        }
    }
}

/// A changelog entry's first line: `pkg (1.2-3) unstable; urgency=low`,
/// `## [1.4.0] - 2026-01-02`, `v2.3.1 (2025-10-06)`, `Version 2.4`.
fn is_version_line(t: &str) -> bool {
    let t = t.trim_start_matches('#').trim();
    // Data rows are not entries (hosts files start lines with dotted addresses).
    if t.contains('\t') {
        return false;
    }
    let tokens = t.split_whitespace().count();
    if tokens == 0 || tokens > 8 {
        return false;
    }
    let is_version = |s: &str| {
        let s = s.trim_matches(|c| matches!(c, '[' | ']' | '(' | ')'));
        let s = s
            .strip_prefix('v')
            .or_else(|| s.strip_prefix('V'))
            .unwrap_or(s);
        let mut parts = s.split('.');
        let major = parts.next().unwrap_or("");
        let minor = parts.next().unwrap_or("");
        !major.is_empty()
            && major.bytes().all(|b| b.is_ascii_digit())
            && minor.bytes().next().is_some_and(|b| b.is_ascii_digit())
    };
    let mut toks = t.split_whitespace();
    let first = toks.next().unwrap_or("");
    // A bare `2.3` opens sentences ("2.3 million people ..."): alone it must be marked as
    // a version (`v2.3`, `[2.3]`) or have a second dot (`2.3.1`), and the line must not
    // read as a sentence.
    let dots = first.matches('.').count();
    let marked = first.starts_with(['v', 'V', '[', '(']) || dots == 2;
    if is_version(first) && marked && !t.ends_with('.') {
        return true;
    }
    let second = toks.next().unwrap_or("");
    // `Version 2.4`, or a Debian entry: `name (version) distribution; urgency=...`.
    (first.eq_ignore_ascii_case("version") && is_version(second))
        || (second.starts_with('(') && is_version(second) && t.contains("urgency="))
}

fn title_case(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::path::{Path, PathBuf};

    fn files(dir: &str, articles_only: bool) -> Vec<PathBuf> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        let mut v: Vec<PathBuf> = fs::read_dir(&root)
            .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
            .map(|e| e.unwrap().path())
            .filter(|p| {
                !articles_only
                    || matches!(p.extension().and_then(|e| e.to_str()), Some("md" | "txt"))
            })
            .collect();
        v.sort();
        v
    }

    fn verdict_of(path: &Path) -> Verdict {
        let text = fs::read_to_string(path).unwrap();
        classify(&text, Format::from_path(&path.to_string_lossy()))
    }

    /// Every file, with its verdict, so that one run shows every mistake at once.
    fn mistakes(paths: &[PathBuf], want_article: bool) -> Vec<String> {
        paths
            .iter()
            .filter_map(|p| {
                let v = verdict_of(p);
                (v.is_article() != want_article)
                    .then(|| format!("{}: {:?} ({})", p.display(), v.kind, v.reason))
            })
            .collect()
    }

    #[test]
    fn every_file_in_not_articles_is_not_an_article() {
        let paths = files("tests/corpus/not-articles", false);
        assert!(paths.len() >= 20, "{} files", paths.len());
        let bad = mistakes(&paths, false);
        assert!(bad.is_empty(), "called articles:\n{}", bad.join("\n"));
    }

    #[test]
    fn every_article_of_the_corpus_and_the_examples_is_an_article() {
        let mut paths = files("tests/corpus/clean", true);
        paths.extend(files("tests/corpus/broken", true));
        paths.extend(files("examples", true));
        assert!(paths.len() >= 60, "{} files", paths.len());
        let bad = mistakes(&paths, true);
        assert!(bad.is_empty(), "called not articles:\n{}", bad.join("\n"));
        // The same articles with Windows line endings.
        let crlf: Vec<String> = paths
            .iter()
            .filter_map(|p| {
                let text = fs::read_to_string(p).unwrap().replace('\n', "\r\n");
                let v = classify(&text, Format::from_path(&p.to_string_lossy()));
                (!v.is_article()).then(|| format!("{} (CRLF): {}", p.display(), v.reason))
            })
            .collect();
        assert!(crlf.is_empty(), "{}", crlf.join("\n"));
    }

    /// A writer reopening a half-written story must not lose its diagnostics: every
    /// prefix of every article, cut at a paragraph break, is still an article.
    #[test]
    fn an_article_being_written_is_an_article_at_every_paragraph() {
        let mut paths = files("tests/corpus/clean", true);
        paths.extend(files("tests/corpus/broken", true));
        let mut bad = Vec::new();
        for p in &paths {
            let text = fs::read_to_string(p).unwrap();
            let format = Format::from_path(&p.to_string_lossy());
            for (cut, _) in text.match_indices("\n\n") {
                let v = classify(&text[..cut], format);
                if !v.is_article() {
                    let line = text[..cut].matches('\n').count() + 1;
                    bad.push(format!("{} up to line {line}: {}", p.display(), v.reason));
                }
            }
        }
        assert!(bad.is_empty(), "{}", bad.join("\n"));
    }

    #[test]
    fn the_reasons_name_the_evidence() {
        let reason = |name: &str| {
            verdict_of(
                &Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("tests/corpus/not-articles")
                    .join(name),
            )
        };
        let v = reason("services.txt");
        assert_eq!(v.kind, Kind::Data);
        assert!(v.reason.starts_with("tab-separated data: "), "{}", v.reason);
        assert_eq!(reason("wirefeed-log.txt").kind, Kind::Log);
        assert_eq!(reason("licence-permissive.txt").kind, Kind::Licence);
        assert_eq!(reason("ingest-script-py.txt").kind, Kind::Code);
        assert_eq!(reason("spoolgrep-manpage.txt").kind, Kind::Documentation);
        assert_eq!(reason("shopping-list.txt").kind, Kind::Lines);
    }

    #[test]
    fn edge_cases() {
        let article = |t: &str| classify(t, Format::PlainText);
        // Nothing to judge yet: a new file the writer is about to type into.
        assert!(article("").is_article());
        assert!(article("\n\n  \n").is_article());
        assert!(article("\u{feff}").is_article());
        assert!(article("Headline only").is_article());
        // A one-line brief, with LF, CRLF and lone CR.
        let brief = "Bridge reopens after repairs\n\nThe A82 reopened to traffic on Saturday after a landslip closed it for ten days, Transport Scotland said, adding that a speed limit would stay in place while engineers watch the slope.\n";
        for t in [
            brief.to_string(),
            brief.replace('\n', "\r\n"),
            brief.replace('\n', "\r"),
        ] {
            assert!(article(&t).is_article(), "{t:?}");
        }
        // Arabic only, one paragraph and no full stop at its end.
        let ar = "افتتاح جسر جديد في الرباط\n\nافتتح المغرب يوم الجمعة جسرا معلقا جديدا فوق وادي أبي رقراق يربط العاصمة الرباط بمدينة سلا بعد أربع سنوات من الأشغال شارك فيها أكثر من ألفي عامل ومهندس\n";
        assert!(article(ar).is_article());
        // Markdown is an article unless it is overwhelmingly data with no prose.
        assert!(classify("# Notes\n\n- a\n- b\n", Format::Markdown).is_article());
        let tsv: String = (0..40)
            .map(|i| format!("{i}\tname {i}\t{}\n", i * 3))
            .collect();
        assert!(!classify(&tsv, Format::Markdown).is_article());
        assert_eq!(article(&tsv).kind, Kind::Data);
        // Binary junk.
        assert_eq!(article("\u{0}\u{1}\u{2}abc\u{0}\u{0}\n").kind, Kind::Data);
    }

    #[test]
    fn a_large_log_is_read_only_in_part() {
        let line = "2026-03-04T06:58:17.970Z INFO  wirefeed::router: story slug=UK-RETAIL priority=3 -> desk=world\n";
        let big = line.repeat(200_000); // about 20 MB
        let parts = sample(&big);
        let read: usize = parts.iter().map(|p| p.len()).sum();
        assert!(read <= HEAD_BYTES + 2 * SAMPLE_BYTES, "{read}");
        assert!(parts
            .iter()
            .all(|p| p.is_empty() || p.ends_with('\n') || p.len() <= HEAD_BYTES));
        let t = std::time::Instant::now();
        let v = classify(&big, Format::PlainText);
        assert_eq!(v.kind, Kind::Log, "{}", v.reason);
        assert!(
            t.elapsed() < std::time::Duration::from_millis(500),
            "{:?}",
            t.elapsed()
        );
        // An article with a long tail is read the same way, and stays an article.
        let text = fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/alaska-summit-ar.txt"),
        )
        .unwrap();
        let long = text.repeat(40);
        assert!(long.len() > HEAD_BYTES + 2 * SAMPLE_BYTES);
        assert!(classify(&long, Format::PlainText).is_article());
    }

    #[test]
    fn line_shapes() {
        assert!(starts_with_timestamp("2026-03-04T06:58:17Z INFO x"));
        assert!(starts_with_timestamp("Mar  4 00:00:07 host cron[1]: x"));
        assert!(starts_with_timestamp("16:45 That is where we leave it."));
        assert!(!starts_with_timestamp("2026 was a year of floods."));
        assert!(!starts_with_timestamp("May 4 was a Sunday."));
        assert!(is_setting("spool_dir = /var/spool/wirefeed"));
        assert!(is_setting("Disallow: /search"));
        assert!(is_setting("[general]"));
        assert!(!is_setting("Source: Reuters"));
        assert!(!is_setting("Population: 8.9 million"));
        assert_eq!(tight_commas("E0501,Abbey,\"Okafor, Grace\",Labour,2114"), 4);
        assert_eq!(tight_commas("£40,001 to £52,000, the council said"), 0);
        assert!(has_column_gap("SPOOLGREP(1)      User Commands"));
        assert!(!has_column_gap("He left.  Then he came back."));
        assert!(is_code("for path in sorted(args.spool.rglob(\"*.xml\")):"));
        assert!(is_code("\"headline\": \"UK retail sales fall\","));
        assert!(!is_code(
            "(Reporting by Tom Wilson; Editing by Catherine Evans)"
        ));
        assert!(!is_code("From our correspondent in Nairobi"));
        assert!(is_version_line(
            "wirefeed (2.4.1-1) unstable; urgency=medium"
        ));
        assert!(is_version_line("## [1.4.0] - 2026-01-02"));
        assert!(!is_version_line("2.3 million people live in the city."));
        assert!(!is_version_line("10.20.1.10\tcms.internal.example\tcms"));
        assert!(!is_version_line("10.20.1.10 cms.internal.example cms"));
        assert!(is_version_line("2.4.1 (2026-03-04)"));
    }
}
