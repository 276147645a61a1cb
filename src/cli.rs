//! The command-line face of the core: `newsls outline` and `newsls check`.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use ropey::Rope;
use serde::Serialize;

use crate::analysis::check_text;
use crate::article::{Article, Format};
use crate::config::Config;
use crate::features::outline::{display_name, symbols, EntryKind, Section};
use crate::rules::{self, Severity};
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
    String::from_utf8(bytes).with_context(|| format!("{} is not UTF-8 text", path.display()))
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

fn articles_under(path: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    if path.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(path)
            .with_context(|| format!("cannot list {}", path.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for p in entries {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if name.starts_with('.') {
                continue;
            }
            if p.is_dir()
                || name.ends_with(".md")
                || name.ends_with(".markdown")
                || name.ends_with(".txt")
            {
                articles_under(&p, out)?;
            }
        }
    } else {
        out.push(path.to_path_buf());
    }
    Ok(())
}

#[derive(Serialize)]
struct Finding<'a> {
    file: String,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    rule: &'a str,
    severity: &'static str,
    message: &'a str,
}

pub fn check(paths: &[PathBuf], json: bool) -> anyhow::Result<u8> {
    let mut files = Vec::new();
    for p in paths {
        articles_under(p, &mut files)?;
    }
    let cwd = std::env::current_dir()?;
    let config = match Config::discover(&cwd) {
        Some(p) => {
            Config::from_toml(&read(&p)?).map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?
        }
        None => Config::default(),
    };
    let settings = config.settings().map_err(anyhow::Error::msg)?;
    let mut out = std::io::stdout().lock();
    let mut errors = 0;
    let mut findings_total = 0;
    let mut all = Vec::new();
    for file in &files {
        let text = read(file)?;
        let rope = Rope::from_str(&text);
        let diags = check_text(&text, Format::from_path(&file.to_string_lossy()), &settings);
        for d in &diags {
            // Columns count characters, as terminals and most editors show them.
            let a = position_of(&rope, d.span.start, Encoding::Utf32);
            let b = position_of(&rope, d.span.end, Encoding::Utf32);
            if d.severity == Severity::Error {
                errors += 1;
            }
            findings_total += 1;
            let f = Finding {
                file: file.display().to_string(),
                line: a.line + 1,
                column: a.col + 1,
                end_line: b.line + 1,
                end_column: b.col + 1,
                rule: d.rule,
                severity: d.severity.name(),
                message: &d.message,
            };
            if json {
                all.push(serde_json::to_value(&f)?);
            } else {
                writeln!(
                    out,
                    "{}:{}:{}: {}[{}]: {}",
                    f.file, f.line, f.column, f.severity, f.rule, f.message
                )?;
            }
        }
    }
    if json {
        serde_json::to_writer_pretty(&mut out, &all)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "{} file(s) checked, {findings_total} finding(s), {errors} error(s)",
            files.len()
        )?;
    }
    Ok(u8::from(errors > 0))
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
