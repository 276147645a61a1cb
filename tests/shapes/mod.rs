//! Pathological shapes of text: what a hostile (or merely unlucky) writer pastes into an
//! editor. Shared by `tests/reliability.rs` (which checks that each gets its diagnostics
//! and outline over real stdio), `benches/scaling.rs` (which times every rule, both
//! parsers, the outline, folding, the formatter and the fixes at n, 2n and 4n bytes and
//! prints the growth) and `benches/hostile.rs` (time and peak memory of the issue-11
//! documents).
//!
//! Every generator takes a size in bytes and returns a text of about that size, built
//! deterministically (no randomness), so that two runs measure the same thing.
#![allow(dead_code)]

use std::fmt::Write as _;

/// A shape that grows with its size: `gen(bytes)` is a text of about `bytes` bytes.
#[derive(Clone, Copy)]
pub struct Shape {
    pub name: &'static str,
    /// `None`: meaningful in both formats.
    pub only: Option<Only>,
    pub gen: fn(usize) -> String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Only {
    Markdown,
    PlainText,
}

/// `unit` repeated until the text is at least `bytes` long.
pub fn repeat_to(unit: &str, bytes: usize) -> String {
    unit.repeat(bytes.div_ceil(unit.len().max(1)).max(1))
}

/// Lines made by `line(i)` until the text is at least `bytes` long.
pub fn lines_to(bytes: usize, mut line: impl FnMut(usize) -> String) -> String {
    let mut s = String::with_capacity(bytes + 64);
    let mut i = 0;
    while s.len() < bytes {
        s.push_str(&line(i));
        s.push('\n');
        i += 1;
    }
    s
}

fn pipe_line(n: usize) -> String {
    repeat_to("word | ", n)
}

/// One header with `k` columns, its delimiter row, and one body row.
fn wide_table(n: usize) -> String {
    let k = (n / 12).max(2);
    let mut s = String::from("# Wide\n\n|");
    for i in 0..k {
        let _ = write!(s, " c{} |", i % 100);
    }
    s.push_str("\n|");
    s.push_str(&"---|".repeat(k));
    s.push_str("\n|");
    s.push_str(&" 1 |".repeat(k));
    s.push('\n');
    s
}

/// A one-column header over a row with many cells: the extra-cells fix adds columns.
fn wide_body_row(n: usize) -> String {
    format!(
        "# Wide\n\n| a |\n|---|\n| {}\n",
        repeat_to("x | ", n.saturating_sub(30))
    )
}

fn lone_pipes(n: usize) -> String {
    format!("# Pipes\n\n{}", repeat_to("|\n", n))
}

fn pipe_rows_no_delimiter(n: usize) -> String {
    format!("# Rows\n\n{}", repeat_to("| a | b |\n", n))
}

fn long_table_extra_cells(n: usize) -> String {
    format!(
        "# Long\n\n| a | b |\n|---|---|\n{}",
        repeat_to("| 1 | 2 | 3 |\n", n)
    )
}

fn delimiter_rows(n: usize) -> String {
    format!("# Delims\n\n| a | b |\n{}", repeat_to("|--:-|==|\n", n))
}

fn tsv_lines(n: usize) -> String {
    format!("Tabs\n\n{}", repeat_to("a\tb\tc\nd\te\n", n))
}

fn tsv_line(n: usize) -> String {
    format!("Tabs\n\n{}\n", repeat_to("a\t", n))
}

/// Runs of backticks of growing length, never closed: each opens a code span that a
/// naive cell splitter looks for to the end of the line.
fn backtick_ladder(n: usize) -> String {
    let mut s = String::from("# Ticks\n\n| a | b |\n|---|---|\n| ");
    let mut k = 1;
    while s.len() < n {
        s.push_str(&"`".repeat(k));
        s.push_str(" | ");
        k += 1;
    }
    s.push('\n');
    s
}

fn nested_quotes_line(n: usize) -> String {
    format!("# Q\n\n{}| a | b |\n", repeat_to("> ", n))
}

/// One level deeper on every line, each line a table row.
fn nested_quotes_lines(n: usize) -> String {
    let mut depth = 0;
    lines_to(n, |_| {
        depth += 1;
        format!("{}| a | b |", "> ".repeat(depth % 2000))
    })
}

fn nested_list_line(n: usize) -> String {
    format!("# L\n\n{}| a | b |\n", repeat_to("- ", n))
}

/// Each item indented under the one before: a list nested as deep as the text is long.
fn nested_list_indent(n: usize) -> String {
    let mut depth = 0;
    lines_to(n, |_| {
        depth += 1;
        format!("{}- | a | b | {depth}", "  ".repeat(depth % 2000))
    })
}

fn quotes_and_lists(n: usize) -> String {
    format!("# QL\n\n{}| a | b |\n", repeat_to("> - ", n))
}

fn sections_md(n: usize) -> String {
    format!(
        "# Title\n\n{}",
        lines_to(n, |i| format!("## Section {i}\n\nText of section {i}.\n"))
    )
}

fn sections_with_lists_md(n: usize) -> String {
    format!(
        "# Title\n\n{}",
        lines_to(n, |i| format!("## Section {i}\n\n- one\n- two\n"))
    )
}

fn sections_with_lists_txt(n: usize) -> String {
    format!(
        "Title of the story\n\n{}",
        lines_to(n, |i| format!("Section number {i}\n• one\n• two\n"))
    )
}

fn sections_txt(n: usize) -> String {
    format!(
        "Title of the story\n\n{}",
        lines_to(n, |i| format!("Section number {i}\n\nBody text of it.\n"))
    )
}

fn headlines(n: usize) -> String {
    repeat_to("# Headline\n\n", n)
}

fn level_skips(n: usize) -> String {
    repeat_to("# a\n\n### b\n\n###### c\n\n", n)
}

fn empty_sections(n: usize) -> String {
    format!("# T\n\n{}", repeat_to("## Empty\n\n", n))
}

fn many_tables(n: usize) -> String {
    format!(
        "# T\n\n{}",
        repeat_to("| a | b |\n|---|---|\n| 1 | 2 | 3 |\n\n", n)
    )
}

fn split_tables(n: usize) -> String {
    format!(
        "# T\n\n| a | b |\n|---|---|\n{}",
        repeat_to("| 1 | 2 |\n\n", n)
    )
}

fn split_by_stray_lines(n: usize) -> String {
    format!(
        "# T\n\n| a | b |\n|---|---|\n{}",
        repeat_to("| 1 | 2 |\nstray\n", n)
    )
}

/// Alternating short label and value lines: what a flattened fact box looks like.
fn flattened_pairs(n: usize) -> String {
    format!(
        "Title of the story\n\n{}",
        lines_to(n, |i| format!("Label {}\nValue {i}", i % 7))
    )
}

fn flattened_words(n: usize) -> String {
    format!(
        "Title of the story\n\nStage Date Result\n{}",
        lines_to(n, |i| format!("First {i} Qualified"))
    )
}

/// Short lines in groups of three between blank lines.
fn flattened_groups(n: usize) -> String {
    format!(
        "Title of the story\n\n{}",
        lines_to(n, |i| format!("Name {i}\nAge {i}\nTown {i}\n"))
    )
}

fn repeated_words_line(n: usize) -> String {
    format!("Title\n\n{}\n", repeat_to("the the ", n))
}

fn repeated_words_lines(n: usize) -> String {
    format!("Title\n\n{}", repeat_to("word word\n", n))
}

fn open_quotes(n: usize) -> String {
    format!("Title\n\n{}\n", repeat_to("“", n))
}

fn guillemets(n: usize) -> String {
    format!("Title\n\n{}\n", repeat_to("« x ", n))
}

fn closing_quotes_lines(n: usize) -> String {
    format!("Title\n\n{}", repeat_to("a” b\n", n))
}

fn bidi_unpaired(n: usize) -> String {
    format!("Title\n\n{}\n", repeat_to("\u{202B}x", n))
}

fn bidi_isolates(n: usize) -> String {
    format!("Title\n\n{}\n", repeat_to("\u{2067}x\u{202C}\u{2069}", n))
}

fn placeholders(n: usize) -> String {
    format!("Title\n\n{}\n", repeat_to("TK XX [[a]] ??? <INSERT> ", n))
}

fn unclosed_brackets(n: usize) -> String {
    format!("Title\n\n{}\n", repeat_to("[[ ", n))
}

fn prose_line(n: usize) -> String {
    format!("Title\n\n{}\n", repeat_to("word ", n))
}

fn prose_lines(n: usize) -> String {
    format!("Title\n\n{}", repeat_to("word\n", n))
}

fn control_chars(n: usize) -> String {
    let unit: String = (0u32..0x20)
        .chain([0x7f])
        .chain(0x80..0xa0)
        .filter_map(char::from_u32)
        .collect();
    format!("Title\n\n{}", repeat_to(&unit, n))
}

fn separators(n: usize) -> String {
    format!(
        "Title\n\n{}",
        repeat_to(
            "a\u{2028}b\u{2029}c\u{85}d\u{b}e\u{c}f\u{1c}\u{1d}\u{1e}",
            n
        )
    )
}

fn diacritics(n: usize) -> String {
    format!("عنوان\n\nب{}\n", repeat_to("\u{064E}\u{0651}", n))
}

fn whitespace(n: usize) -> String {
    repeat_to(" \t\n\u{a0}\u{3000}\n", n)
}

fn front_matter_keys(n: usize) -> String {
    format!(
        "---\n{}---\n\n# T\n",
        lines_to(n, |i| format!("key{i}: value"))
    )
}

fn front_matter_same_key(n: usize) -> String {
    format!("---\n{}---\n\n# T\n", repeat_to("key: value\n", n))
}

fn front_matter_empty_values(n: usize) -> String {
    format!("---\n{}---\n\n# T\n", lines_to(n, |i| format!("key{i}:")))
}

fn fences(n: usize) -> String {
    format!("# T\n\n{}", repeat_to("```\n| a | b |\n", n))
}

fn emphasis(n: usize) -> String {
    format!("# T\n\n{}\n", repeat_to("*a _b **c [d ![e <f `g ", n))
}

fn link_definitions(n: usize) -> String {
    format!(
        "# T\n\n{}",
        lines_to(n, |i| format!("[a{i}]: http://example.com/{i}"))
    )
}

fn html_blocks(n: usize) -> String {
    format!("# T\n\n{}", repeat_to("<div>\n| a | b |\n\n", n))
}

fn setext(n: usize) -> String {
    repeat_to("Title\n=====\n\nSub\n---\n\n", n)
}

fn thematic_breaks(n: usize) -> String {
    format!("# T\n\n{}", repeat_to("---\n\n", n))
}

fn bylines_and_datelines(n: usize) -> String {
    format!(
        "Title\n\n{}",
        repeat_to("By Jane Doe\n\nCAIRO (Reuters) —\n\n", n)
    )
}

fn end_marks(n: usize) -> String {
    format!("Title\n\n{}", repeat_to("Text.\n\n###\n\n", n))
}

fn numbered_items(n: usize) -> String {
    format!("Title\n\n{}", lines_to(n, |i| format!("{}. item", i + 1)))
}

fn lede(n: usize) -> String {
    format!("# T\n\nCAIRO (Reuters) — {}\n", repeat_to("word ", n))
}

/// A deterministic mix of table-ish lines: pipes, tabs, backticks, escapes, colons.
fn mixed(n: usize) -> String {
    const PIECES: &[&str] = &[
        "| a ", "|", "\t", "`", "``", "\\|", " :--", "-:", "===", " x ", "\n", "\n\n", "> ", "- ",
        "# ", "“", "»",
    ];
    let mut s = String::with_capacity(n + 16);
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    while s.len() < n {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        s.push_str(PIECES[(x % PIECES.len() as u64) as usize]);
    }
    s
}

/// Every shape, in both formats unless it says otherwise.
pub fn all() -> Vec<Shape> {
    use Only::*;
    let s = |name, only, gen| Shape { name, only, gen };
    vec![
        s("pipe-line", None, pipe_line as fn(usize) -> String),
        s("wide-table", None, wide_table),
        s("wide-body-row", None, wide_body_row),
        s("lone-pipes", None, lone_pipes),
        s("pipe-rows-no-delimiter", None, pipe_rows_no_delimiter),
        s("long-table-extra-cells", None, long_table_extra_cells),
        s("delimiter-rows", None, delimiter_rows),
        s("tsv-lines", None, tsv_lines),
        s("tsv-line", None, tsv_line),
        s("backtick-ladder", None, backtick_ladder),
        s("nested-quotes-line", Some(Markdown), nested_quotes_line),
        s("nested-quotes-lines", Some(Markdown), nested_quotes_lines),
        s("nested-list-line", Some(Markdown), nested_list_line),
        s("nested-list-indent", Some(Markdown), nested_list_indent),
        s("quotes-and-lists", Some(Markdown), quotes_and_lists),
        s("sections", Some(Markdown), sections_md),
        s(
            "sections-with-lists",
            Some(Markdown),
            sections_with_lists_md,
        ),
        s("sections", Some(PlainText), sections_txt),
        s(
            "sections-with-lists",
            Some(PlainText),
            sections_with_lists_txt,
        ),
        s("headlines", Some(Markdown), headlines),
        s("level-skips", Some(Markdown), level_skips),
        s("empty-sections", Some(Markdown), empty_sections),
        s("many-tables", None, many_tables),
        s("split-tables", None, split_tables),
        s("split-by-stray-lines", None, split_by_stray_lines),
        s("flattened-pairs", Some(PlainText), flattened_pairs),
        s("flattened-words", Some(PlainText), flattened_words),
        s("flattened-groups", Some(PlainText), flattened_groups),
        s("repeated-words-line", None, repeated_words_line),
        s("repeated-words-lines", None, repeated_words_lines),
        s("open-quotes", None, open_quotes),
        s("guillemets", None, guillemets),
        s("closing-quotes-lines", None, closing_quotes_lines),
        s("bidi-unpaired", None, bidi_unpaired),
        s("bidi-isolates", None, bidi_isolates),
        s("placeholders", None, placeholders),
        s("unclosed-brackets", None, unclosed_brackets),
        s("prose-line", None, prose_line),
        s("prose-lines", None, prose_lines),
        s("control-chars", None, control_chars),
        s("separators", None, separators),
        s("diacritics", None, diacritics),
        s("whitespace", None, whitespace),
        s("front-matter-keys", Some(Markdown), front_matter_keys),
        s(
            "front-matter-same-key",
            Some(Markdown),
            front_matter_same_key,
        ),
        s(
            "front-matter-empty",
            Some(Markdown),
            front_matter_empty_values,
        ),
        s("fences", Some(Markdown), fences),
        s("emphasis", Some(Markdown), emphasis),
        s("link-definitions", Some(Markdown), link_definitions),
        s("html-blocks", Some(Markdown), html_blocks),
        s("setext", Some(Markdown), setext),
        s("thematic-breaks", Some(Markdown), thematic_breaks),
        s("bylines-datelines", None, bylines_and_datelines),
        s("end-marks", None, end_marks),
        s("numbered-items", None, numbered_items),
        s("lede", None, lede),
        s("mixed", None, mixed),
    ]
}

/// A hostile document of issue 11: a fixed size, a name, and its Markdown/plain-text
/// flavour (the URI's extension).
pub struct Hostile {
    pub name: &'static str,
    pub markdown: bool,
    pub text: String,
}

/// The documents issue 11 lists. `scale` divides the big ones (1 = the issue's sizes:
/// a 5 MB line, 50 MB of text, 200,000 lines); the test suite runs them smaller, the
/// `hostile` example at full size.
pub fn hostile(scale: usize) -> Vec<Hostile> {
    let scale = scale.max(1);
    let h = |name, markdown, text| Hostile {
        name,
        markdown,
        text,
    };
    let mut table = String::from("| ");
    for i in 0..10_000 / scale {
        let _ = write!(table, "c{i} | ");
    }
    table.push('\n');
    table.push_str(&"|---".repeat(10_000 / scale));
    table.push_str("|\n");
    table.push_str(&"| 1 ".repeat(10_000 / scale + 3));
    table.push_str("|\n");
    let controls: String = (0u32..0x20)
        .chain([0x7f])
        .chain(0x80..0xa0)
        .filter_map(char::from_u32)
        .collect();
    vec![
        h(
            "5 MB single line",
            true,
            repeat_to("word | ", (5 << 20) / scale),
        ),
        h(
            "50 MB of text",
            false,
            // An article's worth of prose, sections and tables, repeated.
            repeat_to(
                "Section heading\n\nCAIRO (Reuters) — The parliament approved the budget on \
                 Friday after a long night of debate.\n\n| a | b |\n| 1 | 2 | 3 |\n\nname\tage\n\
                 Ali\t30\n\n",
                (50 << 20) / scale,
            ),
        ),
        h("table with 10,000 columns", true, table),
        // Nesting depth is what matters here, not size: never scaled down.
        h(
            "5,000 nested block quotes",
            true,
            format!("# Q\n\n{}| a | b |\n|---|\n", "> ".repeat(5_000)),
        ),
        h(
            "5,000 nested list items",
            true,
            format!("# L\n\n{}| a | b |\n|---|\n", "- ".repeat(5_000)),
        ),
        h(
            "5,000 nested list items, one per line",
            true,
            (1..=5_000 / scale)
                .map(|i| format!("{}- | a | b | {i}\n", "  ".repeat(i)))
                .collect(),
        ),
        h(
            "200,000 lines of lone pipes",
            true,
            "|\n".repeat(200_000 / scale),
        ),
        h(
            "200,000 tab-separated lines",
            false,
            "a\tb\tc\n1\t2\n".repeat(100_000 / scale),
        ),
        h(
            "NUL and every control character",
            false,
            format!("Title\n\n{}\n", controls.repeat(1000)),
        ),
        h(
            "unpaired bidi controls",
            false,
            format!(
                "Title\n\n{}\n",
                "\u{202A}\u{202B}\u{202D}\u{202E}\u{2066}\u{2067}\u{2068} x \u{202C}\u{2069}\u{2069}"
                    .repeat(2000)
            ),
        ),
        h(
            "zero-width characters inside words",
            false,
            format!(
                "Title\n\n{}\n",
                "wo\u{200B}rd \u{FEFF}the\u{200C} the\u{200D} قا\u{2060}ل | \u{200B}|\n".repeat(2000)
            ),
        ),
        h(
            "every line and paragraph separator",
            false,
            format!(
                "Title\n\n{}",
                "a\u{2028}b\u{2029}c\u{85}d\u{b}e\u{c}f\r\ng\rh\n".repeat(2000)
            ),
        ),
        h(
            "Arabic word with 500 diacritics",
            false,
            format!("عنوان\n\nكلمة ب{} أخرى\n", "\u{064E}\u{0651}".repeat(250)),
        ),
        h("only whitespace", false, " \t\n\u{a0}\n\n   \r\n".repeat(1000)),
        h("empty document", false, String::new()),
    ]
}
