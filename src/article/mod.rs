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

pub use blocks::{BlockList, Derived, Slot};
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
        let blocks = match format {
            Format::Markdown => markdown::parse(&text[body_start..], body_start),
            Format::PlainText => plaintext::parse(text, 0, false, None),
        };
        Article {
            format,
            front_matter,
            blocks: BlockList::from_vec(blocks),
            len: text.len(),
        }
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

    /// All blocks with their derived-data slots (see `blocks`).
    pub fn blocks_with_slots(&self) -> impl Iterator<Item = (Block, &Slot)> + '_ {
        self.blocks.iter_slots()
    }

    /// Blocks that end at or after `offset`, in order.
    pub fn blocks_from(&self, offset: usize) -> impl Iterator<Item = Block> + '_ {
        self.blocks.iter_from(offset)
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
