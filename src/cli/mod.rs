//! The command-line face of the core: `newsls outline`, `newsls check`, `newsls rules`
//! and `newsls rule ID`. The same analysis as the server, on files.
//!
//! `check` is the part a newsroom puts in its pipeline; it is split by concern:
//! - [`check`]: the run — options, which configuration each file gets, files checked in
//!   parallel, the exit status;
//! - [`walk`]: which files a path names (ripgrep's rules for `.gitignore`, `.ignore` and
//!   hidden files);
//! - [`input`]: reading a file, and naming the encoding of one that is not UTF-8;
//! - [`configs`]: `newsls.toml` found by walking up from each article, cached per
//!   directory;
//! - [`fix`]: safe fixes applied round by round, and the atomic rewrite of a file;
//! - [`report`]: what a run found, in the units every output needs;
//! - [`text`], [`json`], [`sarif`]: the three output formats;
//! - [`term`]: colour and the progress bar, only on a terminal.

pub mod check;
pub mod configs;
pub mod fix;
pub mod input;
pub mod json;
pub mod report;
pub mod sarif;
pub mod term;
pub mod text;
pub mod walk;

pub use check::{check, CheckOptions, OutputFormat};

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use ropey::Rope;
use serde::Serialize;

use crate::article::{Article, Format};
use crate::features::outline::{display_name, symbols, EntryKind, Section};
use crate::rules;
use crate::text::{position_of, Encoding};

#[derive(Serialize)]
struct OutlineNode {
    name: String,
    /// `headline`, `title`, `section`, or the anatomy part: `dek`, `byline`, `dateline`,
    /// `lede`, `fact box`, `end mark`.
    kind: String,
    level: u8,
    /// 1-based lines, as an editor shows them.
    line: u32,
    end_line: u32,
    children: Vec<OutlineNode>,
}

fn read(path: &Path) -> anyhow::Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    input::decode(bytes)
        .map(|d| d.text)
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

fn node(text: &str, rope: &Rope, s: &Section) -> OutlineNode {
    OutlineNode {
        name: s
            .name
            .clone()
            .unwrap_or_else(|| display_name(&text[s.title.range()])),
        kind: match s.kind {
            EntryKind::Title => "title".into(),
            EntryKind::Headline => "headline".into(),
            EntryKind::Section => "section".into(),
            EntryKind::Part(p) => p.label().to_lowercase(),
        },
        level: s.level,
        line: position_of(rope, s.span.start, Encoding::Utf8).line + 1,
        end_line: position_of(rope, s.span.end, Encoding::Utf8).line + 1,
        children: s.children.iter().map(|c| node(text, rope, c)).collect(),
    }
}

/// `newsls outline FILE`: the article's sections, nested, as a tree or as JSON.
pub fn outline(path: &Path, json: bool, format: Option<Format>) -> anyhow::Result<u8> {
    let text = read(path)?;
    let format = format.unwrap_or_else(|| Format::from_path(&path.to_string_lossy()));
    let article = Article::parse_str(&text, format);
    let rope = Rope::from_str(&text);
    let nodes: Vec<OutlineNode> = symbols(&article, &rope)
        .iter()
        .map(|s| node(&text, &rope, s))
        .collect();
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &nodes)?;
        writeln!(out)?;
    } else {
        fn tree(out: &mut impl Write, nodes: &[OutlineNode], depth: usize) -> std::io::Result<()> {
            for n in nodes {
                writeln!(out, "{}{} (line {})", "  ".repeat(depth), n.name, n.line)?;
                tree(out, &n.children, depth + 1)?;
            }
            Ok(())
        }
        tree(&mut out, &nodes, 0)?;
    }
    Ok(0)
}

/// `newsls rules`: every rule with its default severity and summary.
pub fn list_rules() -> anyhow::Result<u8> {
    let mut out = std::io::stdout().lock();
    let width = rules::RULES.iter().map(|r| r.id.len()).max().unwrap_or(0);
    for r in rules::RULES {
        writeln!(
            out,
            "{:<width$}  {:<11}  {}",
            r.id,
            r.default_severity.name(),
            r.summary
        )?;
    }
    Ok(0)
}

/// `newsls rule ID`: the rule's documentation page, from the binary. An unknown id is a
/// usage error that names the known ones.
pub fn show_rule(id: &str) -> anyhow::Result<u8> {
    match rules::rule(id) {
        Some(r) => {
            let mut out = std::io::stdout().lock();
            out.write_all(r.doc.as_bytes())?;
            if !r.doc.ends_with('\n') {
                writeln!(out)?;
            }
            Ok(0)
        }
        None => {
            let known: Vec<&str> = rules::RULES.iter().map(|r| r.id).collect();
            anyhow::bail!("unknown rule `{id}`; known rules: {}", known.join(", "))
        }
    }
}
