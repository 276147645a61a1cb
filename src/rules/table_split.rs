//! Diagnostic: `table-split`.
//!
//! Rows that continue the table above — the same number of cells, no header or
//! delimiter row of their own — cut off from it by a blank line or by a stray line
//! (a source note, a caption pasted in the wrong place). In Markdown they render as a
//! paragraph of pipes under the table. The range covers the cut-off rows; related
//! information points at the table's header and at the stray line.
//!
//! Fix: when only blank lines separate the parts, remove them. With a stray line there is
//! no fix: where that line belongs is the editor's call.

use super::candidates::pipe_table;
use super::table::{is_delimiter_like, line_break_at, split_row, Row};
use super::{BlockCtx, Check, Fix, Rule, Severity, Sink};
use crate::article::{Block, BlockKind, Format};
use crate::text::{lines_with_offsets, Edit, Span};

pub static RULE: Rule = Rule {
    id: "table-split",
    default_severity: Severity::Warning,
    summary: "A table is split by a blank line or a stray line; the rows after it are cut off",
    doc: include_str!("../../docs/rules/table-split.md"),
    check: Check::Block(check),
    options: &[],
};

pub(crate) struct Split {
    header: Span,
    columns: usize,
    rows: Vec<Row>,
    stray: Option<Span>,
    /// The blank lines between the table and the rows, when nothing else separates them.
    blank_gap: Option<(Span, &'static str)>,
}

/// The table a block holds, with its column count, if it has a delimiter row (a
/// malformed one counts: `table-bad-delimiter` reports it, and the split is still a split).
fn table_of(ctx: &BlockCtx<'_>, b: Block) -> Option<(Span, usize)> {
    let t = pipe_table(ctx, b)?;
    (matches!(b.kind, BlockKind::Table(_)) && t.delimiter.is_some() && t.columns() >= 2)
        .then(|| (t.header.span, t.columns()))
}

/// One short line without pipes: a source note or a caption in the wrong place.
fn is_stray_line(s: &str) -> bool {
    let t = s.trim();
    !t.is_empty() && t.chars().count() <= 120 && !t.contains(['|', '\n', '\r'])
}

/// Is the owner block the cut-off part of a table above it?
pub(crate) fn find(ctx: &BlockCtx<'_>) -> Option<Split> {
    let b = ctx.block();
    if !matches!(b.kind, BlockKind::Paragraph | BlockKind::Table(_))
        || memchr::memchr(b'|', ctx.text[b.span.range()].as_bytes()).is_none()
    {
        return None;
    }
    // A table the Markdown parser drew has for its second line a delimiter row GFM accepts
    // (any other is read again as a paragraph): the rows below would stop at it, as
    // would a header of fewer than two cells. Its rows are not split again to learn so.
    if ctx.format == Format::Markdown && matches!(b.kind, BlockKind::Table(_)) {
        return None;
    }
    find_rows(ctx, b)
}

/// [`find`] for a block that may be a table's rows cut off from it.
fn find_rows(ctx: &BlockCtx<'_>, b: Block) -> Option<Split> {
    // Lines are read as needed: a table's own delimiter row ends the search at its second.
    let mut lines = lines_with_offsets(ctx.text.slice(b.span), b.span.start).peekable();
    let first = lines.next()?;
    let stray_in_block = (lines.peek().is_some() && !first.text.contains('|')).then(|| {
        Span::new(
            first.start + (first.text.len() - first.text.trim_start().len()),
            first.end(),
        )
    });
    if let Some(s) = stray_in_block {
        if !is_stray_line(&ctx.text[s.range()]) {
            return None;
        }
    }
    let row_lines = stray_in_block.is_none().then_some(first).into_iter().chain(lines);
    // Every row strong, of the first row's two or more cells, none a delimiter row. Rows
    // are split one by one.
    let mut rows: Vec<Row> = Vec::new();
    for l in row_lines {
        let r = split_row(l.text, l.start);
        let columns = rows.first().map_or(r.len(), Row::len);
        if columns < 2 || !r.is_strong() || r.len() != columns || is_delimiter_like(ctx.text, &r)
        {
            return None;
        }
        rows.push(r);
    }
    let columns = rows.first()?.len();
    let p1 = ctx.prev(1)?;
    let (header, cols, stray, blank_gap) = if let Some((h, c)) = table_of(ctx, p1) {
        let gap = ctx.gap(p1, b);
        let blank = stray_in_block.is_none() && gap.trim().is_empty();
        (
            h,
            c,
            stray_in_block,
            blank.then(|| {
                (
                    Span::new(p1.span.end, b.span.start),
                    line_break_at(ctx.text, p1.span.end),
                )
            }),
        )
    } else {
        // A one-line paragraph between the table and the rows.
        if stray_in_block.is_some()
            || p1.kind != BlockKind::Paragraph
            || !is_stray_line(&ctx.text[p1.span.range()])
        {
            return None;
        }
        let p2 = ctx.prev(2)?;
        let (h, c) = table_of(ctx, p2)?;
        let s = ctx.text[p1.span.range()].trim();
        let start = p1.span.start + ctx.text[p1.span.range()].find(s).unwrap_or(0);
        (h, c, Some(Span::new(start, start + s.len())), None)
    };
    (cols == columns).then_some(Split {
        header,
        columns,
        rows,
        stray,
        blank_gap,
    })
}

fn check(ctx: &BlockCtx<'_>, out: &mut Sink<'_>) {
    let Some(s) = ctx.split() else { return };
    let span = Span::new(s.rows[0].span.start, s.rows[s.rows.len() - 1].span.end);
    let n = s.rows.len();
    let these = if n == 1 {
        "This row continues".to_string()
    } else {
        format!("These {n} rows continue")
    };
    let by = if s.stray.is_some() {
        "a stray line interrupts it"
    } else {
        "a blank line cuts them off"
    };
    let consequence = match ctx.format {
        Format::Markdown => ", so they render as a separate paragraph of pipes",
        Format::PlainText => "",
    };
    let message = format!(
        "{these} the table above ({} columns), but {by}{consequence}",
        s.columns
    );
    let mut report = out
        .report(span, message)
        .related(s.header, "The table's header row");
    if let Some(stray) = s.stray {
        report = report.related(stray, "The line that interrupts the table");
    }
    if let Some((gap, brk)) = s.blank_gap {
        report.fix(|| {
            Fix::safe(
                "Remove the blank line to join the table",
                vec![Edit::new(gap, brk)],
            )
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::article::{Article, BlockKind, Format};
    use crate::rules::{check, BlockCtx, RuleConfig, Run};
    use crate::text::Text;

    /// Every table the Markdown parser draws, in the rule fixtures and the test corpus
    /// (broken tables of every kind, split ones among them), is one the long way finds
    /// no split in: what `find` assumes without reading its rows.
    #[test]
    fn markdown_tables_are_never_split_rows() {
        let root = env!("CARGO_MANIFEST_DIR");
        let mut texts: Vec<String> = Vec::new();
        let mut dirs = vec![
            std::path::PathBuf::from(root).join("tests/fixtures/rules"),
            std::path::PathBuf::from(root).join("tests/corpus"),
        ];
        while let Some(dir) = dirs.pop() {
            for p in std::fs::read_dir(dir).expect("directory").map(|e| e.expect("entry").path()) {
                if p.is_dir() {
                    dirs.push(p);
                } else if p.extension().is_some_and(|x| x == "md") {
                    texts.push(std::fs::read_to_string(p).expect("article"));
                }
            }
        }
        // Tables right under tables, of the same width and not, with and without outer
        // pipes, after a stray line: where a split would be looked for.
        let shapes = [
            "| a | b |\n|---|---|\n| 1 | 2 |\n",
            "a | b\n--- | ---\n1 | 2\n",
            "| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n",
            "| x | `a|b` |\n| --- | --- |\n| \\| | 2 |\n",
        ];
        for first in shapes {
            for second in shapes {
                for between in ["\n", "\nSource: agency\n\n", "\n\n"] {
                    texts.push(format!("# T\n\n{first}{between}{second}"));
                }
            }
        }
        let config = RuleConfig::default();
        let mut tables = 0;
        for text in &texts {
            let article = Article::parse_str(text, Format::Markdown);
            let blocks: Vec<_> = article.blocks().collect();
            for (i, b) in blocks.iter().enumerate() {
                if matches!(b.kind, BlockKind::Table(_)) {
                    let ctx = BlockCtx::new(Text::whole(text), Format::Markdown, &blocks, i, &config, 0);
                    assert!(super::find_rows(&ctx, *b).is_none(), "{}", &text[b.span.range()]);
                    tables += 1;
                }
            }
        }
        assert!(tables > 100, "{tables} tables");
    }

    /// The cut-off rows' text, and the related spans' texts, for each `table-split`.
    fn splits(text: &str) -> Vec<(String, Vec<String>)> {
        let article = Article::parse_str(text, Format::Markdown);
        check(&article, text, &RuleConfig::default(), Run::Typing)
            .into_iter()
            .filter(|d| d.rule == "table-split")
            .map(|d| {
                let related = d.related.iter().map(|r| text[r.span.range()].to_string());
                (text[d.span.range()].to_string(), related.collect())
            })
            .collect()
    }

    #[test]
    fn rows_cut_off_by_a_blank_line_or_a_stray_line() {
        let table = "| a | b |\n|---|---|\n| 1 | 2 |\n\n";
        // After a blank line.
        let got = splits(&format!("{table}| 3 | 4 |\n| 5 | 6 |\n"));
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, "| 3 | 4 |\n| 5 | 6 |");
        // After a stray line, in the same paragraph as the rows.
        let got = splits(&format!("{table}Source: the ministry\n| 3 | 4 |\n| 5 | 6 |\n"));
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, "| 3 | 4 |\n| 5 | 6 |");
        assert!(got[0].1.contains(&"Source: the ministry".to_string()), "{got:?}");
        // A paragraph with a pipe in its first line is no stray line over rows; nor is
        // one line of prose alone, nor rows of another width.
        for after in [
            "Prose | with a pipe\n| 3 | 4 |\n",
            "Source: the ministry\n",
            "| 3 | 4 | 5 |\n| 6 | 7 | 8 |\n",
        ] {
            assert!(splits(&format!("{table}{after}")).is_empty(), "{after:?}");
        }
    }
}
