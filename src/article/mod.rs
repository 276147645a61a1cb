//! The article model: one structure for Markdown and plain-text articles.
//!
//! An [`Article`] is a front matter (Markdown only) and a flat list of top-level
//! [`Block`]s with byte spans: headings (the plain-text headline is a level-1 heading,
//! its section headings level 2), paragraphs, lists, quotes, code, HTML, tables. Nesting
//! of sections is derived from heading levels by `features::outline`; rules read a
//! block's lines from the text when they need its inner structure.
//!
//! Parsing never fails: whatever the text, the result is a model. After an edit,
//! [`Article::edit`] re-parses only the blocks the edit touched (see `incremental`), and
//! the result equals a fresh parse of the new text (checked by the property tests).

pub mod anatomy;
mod blocks;
mod frontmatter;
mod incremental;
pub mod kind;
pub mod markdown;
pub mod plaintext;

use ropey::Rope;

pub use blocks::{BlockList, Derived, HeadingMarks, Slot};
pub use frontmatter::{FrontMatter, FrontMatterSyntax};

use crate::text::Span;

/// The surface format of an article.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    Markdown,
    PlainText,
}

impl Format {
    /// From an LSP `languageId` (VS Code's `plaintext`, Neovim's `text`).
    pub fn from_language_id(id: &str) -> Option<Format> {
        match id {
            "markdown" | "md" | "mdx" => Some(Format::Markdown),
            "plaintext" | "text" | "txt" => Some(Format::PlainText),
            _ => None,
        }
    }

    /// From a file name's extension: Markdown for `.md`/`.markdown`, else plain text.
    pub fn from_path(path: &str) -> Format {
        let lower = path.to_ascii_lowercase();
        if [".md", ".markdown", ".mdown", ".mkd"]
            .iter()
            .any(|e| lower.ends_with(e))
        {
            Format::Markdown
        } else {
            Format::PlainText
        }
    }
}

/// What a top-level block is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BlockKind {
    /// A heading; `title` is its text without markers (`#`, closing `#`s, setext underline).
    Heading {
        level: u8,
        title: Span,
    },
    Paragraph,
    List,
    Quote,
    Code,
    Html,
    ThematicBreak,
    /// A block the parser recognises as a table: a valid GFM table in Markdown, a run of
    /// pipe or tab-separated rows in plain text. Broken tables are found by the rules.
    Table(TableKind),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TableKind {
    Pipe,
    Tsv,
}

/// A top-level block. `span` runs from the start of its first line to the end of its
/// last line's content (line break excluded).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Block {
    pub kind: BlockKind,
    pub span: Span,
}

impl Block {
    pub fn new(kind: BlockKind, span: Span) -> Block {
        Block { kind, span }
    }

    /// The block with every offset it holds moved by `delta`.
    pub fn shifted(self, delta: isize) -> Block {
        let kind = match self.kind {
            BlockKind::Heading { level, title } => BlockKind::Heading {
                level,
                title: title.shift(delta),
            },
            other => other,
        };
        Block {
            kind,
            span: self.span.shift(delta),
        }
    }

    pub fn heading(&self) -> Option<(u8, Span)> {
        match self.kind {
            BlockKind::Heading { level, title } => Some((level, title)),
            _ => None,
        }
    }
}

/// Consecutive headings of an article and what they hold (see [`Article::heading_chunks`]).
pub struct HeadingChunk<'a> {
    pub marks: HeadingMarks,
    list: &'a BlockList,
    ci: usize,
}

impl<'a> HeadingChunk<'a> {
    /// The headings: (level, block).
    pub fn headings(&self) -> impl Iterator<Item = (u8, Block)> + 'a {
        self.list
            .chunk_headings(self.ci)
            .filter_map(|b| b.heading().map(|(l, _)| (l, b)))
    }
}

/// Articles from this size are parsed in two halves, side by side on the workers.
const PARALLEL_BYTES: usize = 1 << 20;

/// How far past the middle a place to split is looked for.
const SPLIT_SEARCH: usize = 256 << 10;

/// The blocks of the body (the text from `body_start`), in one pass.
fn parse_body(text: &str, body_start: usize, format: Format) -> Vec<Block> {
    match format {
        Format::Markdown => markdown::parse(&text[body_start..], body_start),
        Format::PlainText => plaintext::parse(text, 0, false, None),
    }
}

/// Where a long body can be split into halves parsed apart: a line start past the middle
/// that follows a blank line and starts with a letter, a digit or `#` (the start of a
/// paragraph or a heading, not the continuation of a list, quote or code block). The
/// same points the incremental parser restarts from (see `incremental`).
fn split_point(text: &str, body_start: usize, format: Format) -> Option<usize> {
    let body = text.len() - body_start;
    if body < PARALLEL_BYTES {
        return None;
    }
    let from = body_start + body / 2;
    restart_point(text, from, (from + SPLIT_SEARCH).min(text.len()), format)
}

/// The first line that starts after `from` and before `until`, follows a blank line and
/// starts with a letter, a digit or (in Markdown) `#`: where a paragraph or a heading
/// starts that owes nothing to the lines above it, unless an open block swallows it
/// (which the callers check).
fn restart_point(text: &str, from: usize, until: usize, format: Format) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut line_start = from + memchr::memchr(b'\n', &bytes[from..until])? + 1;
    let mut prev_blank = false;
    while line_start < until {
        let end = memchr::memchr(b'\n', &bytes[line_start..until]).map(|k| line_start + k)?;
        let line = &text[line_start..end];
        let blank = line.trim_matches([' ', '\t', '\r']).is_empty();
        if prev_blank && !blank {
            let first = line.chars().next()?;
            if first.is_alphanumeric() || (first == '#' && format == Format::Markdown) {
                return Some(line_start);
            }
        }
        prev_blank = blank;
        line_start = end + 1;
    }
    None
}

/// Parses the body in two halves side by side, split at `at` (see [`split_point`]).
///
/// - **Plain text**: `at` starts a group, the parser's unit; the first half is told
///   what follows it (the next group decides whether its last lone line is a heading) and
///   the second whether any text precedes it (or its first line is the headline).
/// - **Markdown**: a block that starts after a blank line owes nothing to what precedes
///   it, unless what precedes swallows it (an open fence or HTML block, a list it
///   continues). The first half is parsed through the line at `at`, and its blocks are
///   kept up to `at` only when a top-level block starts there; otherwise the body is
///   parsed in one pass after all.
///
/// Each thread also cuts its blocks into the list's chunks, and the lists are joined.
fn parse_halves(text: &str, body_start: usize, at: usize, format: Format) -> BlockList {
    parse_halves_with(text, body_start, at, format, |_| ()).0
}

/// [`parse_halves`], running `side` on each half of the text (`text[..at]`, `text[at..]`)
/// on the thread that parses it.
fn parse_halves_with<R: Send>(
    text: &str,
    body_start: usize,
    at: usize,
    format: Format,
    side: impl Fn(&str) -> R + Sync,
) -> (BlockList, R, R) {
    let bytes = text.as_bytes();
    let line_end =
        |from: usize| memchr::memchr(b'\n', &bytes[from..]).map_or(text.len(), |k| from + k + 1);
    let side = &side;
    let ((first, side_first), (second, side_second)) = rayon::join(
        || {
            let first = match format {
                Format::Markdown => markdown::blocks_before(
                    &text[body_start..],
                    body_start,
                    at - body_start,
                    markdown::parse,
                ),
                Format::PlainText => {
                    let lookahead = &text[at..line_end(line_end(at))];
                    Some(plaintext::parse(&text[..at], 0, false, Some(lookahead)))
                }
            };
            (first.map(BlockList::from_vec), side(&text[..at]))
        },
        || {
            let blocks = match format {
                Format::Markdown => markdown::parse(&text[at..], at),
                Format::PlainText => {
                    let seen_before = !text[..at].trim_start().is_empty();
                    plaintext::parse(&text[at..], at, seen_before, None)
                }
            };
            (BlockList::from_vec(blocks), side(&text[at..]))
        },
    );
    let Some(mut first) = first else {
        return (
            BlockList::from_vec(parse_body(text, body_start, format)),
            side_first,
            side_second,
        );
    };
    first.append(second);
    (first, side_first, side_second)
}

/// What an edit re-parsed: the blocks that started in `old` (pre-edit offsets) were
/// replaced by the blocks in `new` (post-edit offsets). Everything outside was only moved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reparsed {
    pub old: Span,
    pub new: Span,
    /// True when the edit forced a parse of the whole document.
    pub full: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Article {
    format: Format,
    front_matter: Option<FrontMatter>,
    blocks: BlockList,
    /// Length of the text in bytes.
    len: usize,
}

impl Article {
    pub fn parse_str(text: &str, format: Format) -> Article {
        let front_matter = match format {
            Format::Markdown => frontmatter::detect(text),
            Format::PlainText => None,
        };
        let body_start = front_matter.as_ref().map_or(0, |f| f.span.end);
        let blocks = match split_point(text, body_start, format) {
            Some(at) => parse_halves(text, body_start, at, format),
            None => BlockList::from_vec(parse_body(text, body_start, format)),
        };
        Article {
            format,
            front_matter,
            blocks,
            len: text.len(),
        }
    }

    /// The article and its rope, for a document just opened. From [`PARALLEL_BYTES`],
    /// on two threads: each parses half of the text and builds half of the rope, and
    /// the halves of the rope are joined (in logarithmic time).
    pub fn parse_str_with_rope(text: &str, format: Format) -> (Article, Rope) {
        let front_matter = match format {
            Format::Markdown => frontmatter::detect(text),
            Format::PlainText => None,
        };
        let body_start = front_matter.as_ref().map_or(0, |f| f.span.end);
        let (blocks, rope) = match split_point(text, body_start, format) {
            Some(at) => {
                let (blocks, mut rope, second) =
                    parse_halves_with(text, body_start, at, format, Rope::from_str);
                rope.append(second);
                (blocks, rope)
            }
            None if text.len() >= PARALLEL_BYTES => rayon::join(
                || BlockList::from_vec(parse_body(text, body_start, format)),
                || Rope::from_str(text),
            ),
            None => (
                BlockList::from_vec(parse_body(text, body_start, format)),
                Rope::from_str(text),
            ),
        };
        let article = Article {
            format,
            front_matter,
            blocks,
            len: text.len(),
        };
        (article, rope)
    }

    pub fn parse(rope: &Rope, format: Format) -> Article {
        let text: String = rope.to_string();
        Article::parse_str(&text, format)
    }

    pub fn format(&self) -> Format {
        self.format
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn front_matter(&self) -> Option<&FrontMatter> {
        self.front_matter.as_ref()
    }

    /// All top-level blocks in document order.
    pub fn blocks(&self) -> impl DoubleEndedIterator<Item = Block> + '_ {
        self.blocks.iter()
    }

    /// The headings in document order: (level, block).
    pub fn headings(&self) -> impl Iterator<Item = (u8, Block)> + '_ {
        self.heading_chunks().flat_map(|c| c.headings())
    }

    /// The chunks of blocks that hold headings, in order, each with its [`HeadingMarks`]:
    /// a pass over the outline reads the marks and the headings of only the chunks they
    /// say it needs.
    pub fn heading_chunks(&self) -> impl Iterator<Item = HeadingChunk<'_>> + '_ {
        self.blocks
            .heading_marks()
            .filter(|(_, m)| m.levels != 0)
            .map(|(ci, marks)| HeadingChunk {
                marks,
                list: &self.blocks,
                ci,
            })
    }

    /// All blocks with their derived-data slots (see `blocks`).
    pub fn blocks_with_slots(&self) -> impl Iterator<Item = (Block, &Slot)> + '_ {
        self.blocks.iter_slots()
    }

    /// Blocks that end at or after `offset`, in order.
    pub fn blocks_from(&self, offset: usize) -> impl Iterator<Item = Block> + '_ {
        self.blocks.iter_from(offset)
    }

    /// [`blocks_from`](Self::blocks_from) `offset`, through the `extra`-th block that
    /// starts after `end` (see [`BlockList::collect_from`]).
    pub fn collect_blocks_from(&self, offset: usize, end: usize, extra: usize) -> Vec<Block> {
        self.blocks.collect_from(offset, end, extra)
    }

    /// Blocks that start before `offset`, nearest first.
    pub fn blocks_before(&self, offset: usize) -> impl Iterator<Item = Block> + '_ {
        self.blocks.iter_before(offset)
    }

    /// Blocks overlapping `span` (touching counts), in order.
    pub fn blocks_in(&self, span: Span) -> impl Iterator<Item = Block> + '_ {
        self.blocks
            .iter_from(span.start)
            .take_while(move |b| b.span.start <= span.end)
    }

    pub fn block_count(&self) -> usize {
        self.blocks.len()
    }

    /// Brings the model up to date after `old` (pre-edit byte range) was replaced by
    /// `new_len` bytes; `rope` is the text after the edit.
    pub fn edit(&mut self, rope: &Rope, old: Span, new_len: usize) -> Reparsed {
        incremental::edit(self, rope, old, new_len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Pieces of articles that make a split point tricky: fences and HTML blocks left
    /// open, lists and quotes a paragraph may continue, setext underlines, tables, lines
    /// blank but for spaces, CRLF and lone CR line breaks, Arabic.
    pub(super) const PIECES: &[&str] = &[
        "Paragraph of prose that runs on.\n\n",
        "# Heading\n\n",
        "Title\n=====\n\n",
        "```\n",
        "~~~\ncode\n\nmore code\n~~~\n\n",
        "<div>\n\nstill html?\n</div>\n\n",
        "<!-- comment\n\nNot yet closed\n",
        "-->\n\n",
        "- item\n\n- item after a blank\n\n",
        "1. first\n\n2. second\n\n",
        "> quoted\n\n",
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n",
        "    indented code\n\n",
        "  \t\nText after spaces\n",
        "Line\r\n\r\nCRLF paragraph\r\n",
        "Lone\rCR\r\rbreaks\n\n",
        "عنوان القسم\n\nفقرة عربية قصيرة.\n\n",
        "2024 in numbers\n\n",
        "Headline shaped line\n\n",
        "a\tb\n1\t2\n\n",
        "#5 is not a heading\n\n",
        "####### nor is this\n\n",
        "## Closed ##   \nText right after a heading\n",
        "#\n",
        "Intro line\n| a | b |\n|---|---|\n\n",
        "Two | cells\n--- | ---\n\n",
        "Text then\n---\n\n",
        "Text then\n- a list\n1. and another\n> and a quote\n\n",
        "Text then\n```\n",
        "Text then\n<div>\n\n",
        "Lazy\n    indented continuation\n\n",
        "\u{feff}After a byte order mark\n\n",
        "\u{a0}\n\n",
        "[ref]: /url\n\n",
        "Trailing spaces   \n \t \n",
        "\u{201c}Quoted,\u{201d} she said.\nAnd (went) on.\n\n",
        "<!--\n",
        // Tables of the shape read without pulldown-cmark, and near misses.
        "| a | b |\n| :--- | ---: |\n| 1 | 2 | 3 |\n| x |\n| \\| |\n\n",
        "| a | b |\n|---|\n| 1 | 2 |\n\n",
        "| a \\| b | `c | d` |\n|---|---|---|\n| e \\\\| f |\n\n",
        "| a | b |\n|---|---|\n| 1 | 2 |\n> a quote right after\n\n",
        "| a | b |\n|---|---|\n|\n| after a lone pipe |\n\n",
        "| a | b |\n|---|---|\n|  \t\n\n",
        "| h |\n| - |\n\n",
        "| a | b |\r\n|---|---|\r\n| 1 | 2 |\r\n\r\n",
        "| a | b |\n|--:-|---|\n| 1 | 2 |\n\n",
        "| a | b |\n| --- | --- |\nA row without a pipe\n\n",
        "| a | b |  \n|---|---|\t\n| 1 | 2 |   \n\n",
        "| a | b |\n|---|--- \n\n",
        "| a | b\n|---|---|\n| 1\n    | indented |\n\n",
        "|a|b|\n|-|-|\n|1|2|",
        "| one \\| cell |\n|---|---|\n| 1 | 2 |\n\n",
        // Lists and quotes of the shape read without pulldown-cmark, and near misses.
        "- one\n- two\n- three\n\n",
        "* one\n* two\n\n",
        "+ one\n+ two\n",
        "- one\n* other bullet\n\n",
        "- one\n- - -\n\n",
        "* a\n* * *\n\n",
        "- ---\n\n",
        "- one\n  continued\n\n",
        "- one\nlazy line\n\n",
        "- one\n  - nested\n\n",
        "-\n- empty item above\n\n",
        "-\tafter a tab\n\n",
        "-  two spaces\n\n",
        "- one\n\n  indented after a blank\n\n",
        "- ```\n- code in an item\n\n",
        "- > quote in an item\n- # heading in an item\n\n",
        "1. one\n2. two\n10. ten\n\n",
        "1) one\n2) two\n\n",
        "1. one\n2) other delimiter\n\n",
        "3. starts at three\n4. four\n\n",
        "1234567890. too many digits\n\n",
        "2.\n\n",
        "> one\n> two\n>\n> three\n\n",
        "> one\nlazy\n\n",
        ">no space\n> ```\n> code\n\n",
        "> a\r\n> b\r\n\r\n",
        "- a\r- b\r\r",
        "- item\n\n- item",
        "- البند الأول\n- البند الثاني\n\n",
    ];

    fn article(pieces: &[usize], front: bool) -> String {
        let mut t = String::new();
        if front {
            t.push_str("---\ntitle: x\n---\n");
        }
        while t.len() < PARALLEL_BYTES + 4096 {
            for &i in pieces {
                t.push_str(PIECES[i % PIECES.len()]);
            }
        }
        t
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 24,
            rng_seed: proptest::test_runner::RngSeed::Fixed(0x6861_6c76_6573),
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        /// A long article parsed in two halves is the article parsed in one pass, in
        /// both formats, wherever the split falls and whatever is open across it.
        #[test]
        fn halves_make_the_whole(
            pieces in proptest::collection::vec(0..PIECES.len(), 1..24),
            front in any::<bool>(),
        ) {
            let text = article(&pieces, front);
            for format in [Format::Markdown, Format::PlainText] {
                let whole = Article::parse_str(&text, format);
                let body_start = whole.front_matter().map_or(0, |f| f.span.end);
                let one_pass = match format {
                    Format::Markdown => markdown::parse_one_pass(&text[body_start..], body_start),
                    Format::PlainText => parse_body(&text, body_start, format),
                };
                if let Some(at) = split_point(&text, body_start, format) {
                    prop_assert_eq!(&parse_halves(&text, body_start, at, format).iter().collect::<Vec<_>>(), &one_pass);
                }
                prop_assert_eq!(whole.blocks().collect::<Vec<_>>(), one_pass);
                let (article, rope) = Article::parse_str_with_rope(&text, format);
                prop_assert_eq!(&article, &whole);
                prop_assert_eq!(rope.len_lines(), Rope::from_str(&text).len_lines());
                prop_assert!(rope == text.as_str());
            }
        }
    }

    #[test]
    fn long_articles_find_a_split_point() {
        for format in [Format::Markdown, Format::PlainText] {
            let text = article(&[0, 1, 16], false);
            let at = split_point(&text, 0, format).expect("a split point");
            assert!(at >= text.len() / 2 && text[..at].ends_with("\n\n"));
            assert!(split_point(&text[..PARALLEL_BYTES - 1], 0, format).is_none());
        }
    }
}
