//! The article's outline: sections nested by heading level, each covering its heading and
//! everything up to the next heading of the same or a higher level; and, for editors, the
//! same tree with the article's anatomy in it ([`symbols`]): dek, byline, dateline and
//! lede as named children of the headline, fact boxes under their section, the end mark
//! last. Bylines and datelines are never sections.
//!
//! Markdown: `#` levels; the front matter `title` names the document when it has no
//! level-1 heading. Plain text: the headline is the root and section headings are its
//! children.

use ropey::Rope;

use crate::article::anatomy::{end_mark_part, fact_box, header_parts, Part, PartKind};
use crate::article::Article;
use crate::text::Span;

/// What an outline entry is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    /// The front matter `title`, naming a document without a `#` headline.
    Title,
    /// The headline (`#`, or a plain-text article's first line).
    Headline,
    /// A section heading.
    Section,
    /// A part of the article's anatomy.
    Part(PartKind),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    pub kind: EntryKind,
    /// The name to show, when it is not the text of `title` (anatomy parts).
    pub name: Option<String>,
    pub level: u8,
    /// The heading text without markers (what an editor selects and names).
    pub title: Span,
    /// The heading line(s).
    pub heading: Span,
    /// From the heading to the end of the section's last block.
    pub span: Span,
    pub children: Vec<Section>,
}

/// The outline as a forest of sections (usually one root).
pub fn outline(article: &Article) -> Vec<Section> {
    build(article, None)
}

/// The outline; with fact boxes under the innermost section that holds them when the
/// text is given. Every list is in document order: sections are pushed when they close,
/// fact boxes when they come, and a section's blocks all come before it closes.
fn build(article: &Article, rope: Option<&Rope>) -> Vec<Section> {
    let mut roots: Vec<Section> = Vec::new();
    // Open sections, outermost first.
    let mut stack: Vec<Section> = Vec::new();
    let mut last_end = 0;

    fn close(stack: &mut Vec<Section>, roots: &mut Vec<Section>, end: usize) {
        let mut s = stack.pop().expect("close on an empty stack");
        s.span.end = end.max(s.heading.end);
        match stack.last_mut() {
            Some(parent) => parent.children.push(s),
            None => roots.push(s),
        }
    }

    for (block, slot) in article.blocks_with_slots() {
        if let Some((level, title)) = block.heading() {
            while stack.last().is_some_and(|s| s.level >= level) {
                close(&mut stack, &mut roots, last_end);
            }
            stack.push(Section {
                kind: if level == 1 {
                    EntryKind::Headline
                } else {
                    EntryKind::Section
                },
                name: None,
                level,
                title,
                heading: block.span,
                span: block.span,
                children: Vec::new(),
            });
        } else if let Some(name) = rope.and_then(|rope| fact_box(rope, block, slot)) {
            let entry = Section {
                kind: EntryKind::Part(PartKind::FactBox),
                name: Some(part_name(PartKind::FactBox.label(), &name)),
                level: stack.last().map_or(0, |s| s.level + 1),
                title: block.span,
                heading: block.span,
                span: block.span,
                children: Vec::new(),
            };
            match stack.last_mut() {
                Some(s) => s.children.push(entry),
                None => roots.push(entry),
            }
        }
        last_end = block.span.end;
    }
    while !stack.is_empty() {
        close(&mut stack, &mut roots, last_end);
    }

    let has_top_heading = roots.iter().any(|s| s.level == 1);
    match article
        .front_matter()
        .and_then(|fm| fm.title.map(|t| (fm, t)))
    {
        Some((fm, title)) if !has_top_heading => {
            // Parts before the first section are under the title.
            for s in &mut roots {
                if matches!(s.kind, EntryKind::Part(_)) {
                    s.level = 1;
                }
            }
            vec![Section {
                kind: EntryKind::Title,
                name: None,
                level: 0,
                title,
                heading: fm.span,
                span: Span::new(0, last_end.max(fm.span.end)),
                children: roots,
            }]
        }
        _ => roots,
    }
}

/// The outline with the article's anatomy in it (see the module docs). Reads only the
/// text of the header zone, of the first line of each fact box and of the last block.
pub fn symbols(article: &Article, rope: &Rope) -> Vec<Section> {
    let end_mark = end_mark_part(article, rope);
    let mut tree = build(article, Some(rope));
    // An end mark written as `###` parses as an empty heading: it is not a section.
    if let Some(mark) = &end_mark {
        fn drop_mark(list: &mut Vec<Section>, mark: Span) {
            list.retain(|s| s.heading != mark);
            for s in list {
                drop_mark(&mut s.children, mark);
            }
        }
        drop_mark(&mut tree, mark.span);
    }
    for p in header_parts(article, rope) {
        insert(&mut tree, part_entry(p));
    }
    if let Some(mark) = end_mark {
        let mut entry = part_entry(mark);
        // The end of the copy, not of its last section: under the headline.
        match tree
            .iter_mut()
            .rev()
            .find(|s| s.span.start <= entry.span.start)
        {
            Some(root) => {
                entry.level = root.level + 1;
                root.children.push(entry);
            }
            None => tree.push(entry),
        }
    }
    tree
}

/// A part as an outline entry, at the top until placed.
fn part_entry(p: Part) -> Section {
    Section {
        kind: EntryKind::Part(p.kind),
        name: Some(part_name(p.kind.label(), &p.name)),
        level: 0,
        title: p.span,
        heading: p.span,
        span: p.span,
        children: Vec::new(),
    }
}

/// `label: name` without trailing colons and spaces, in one allocation (an outline of a
/// long article names thousands of parts after every edit).
fn part_name(label: &str, name: &str) -> String {
    let mut out = String::with_capacity(label.len() + 2 + name.len());
    out.push_str(label);
    out.push_str(": ");
    out.push_str(name);
    let kept = out.trim_end_matches([':', ' ']).len();
    out.truncate(kept);
    out
}

/// Inserts a part under the innermost section that holds it, in document order (every
/// list is in document order): the only section that can hold it is the last one
/// starting at or before it, found by bisection. (Searching every section for every
/// part, and sorting every list afterwards, cost more than building the outline.)
fn insert(list: &mut Vec<Section>, mut entry: Section) {
    let at = entry.span.start;
    let after = list.partition_point(|s| s.span.start <= at);
    let holder = list[..after]
        .iter()
        .rposition(|s| !matches!(s.kind, EntryKind::Part(_)))
        .filter(|&j| at <= list[j].span.end && list[j].heading.end <= at);
    match holder {
        Some(j) => {
            entry.level = list[j].level + 1;
            insert(&mut list[j].children, entry)
        }
        None => list.insert(after, entry),
    }
}

/// Longest name shown, in characters: a headline of a megabyte (a plain-text document
/// that is one long line) would otherwise be a name of a megabyte in every outline.
pub const MAX_NAME_CHARS: usize = 200;

/// A display name for a section: its title on one line (cut at [`MAX_NAME_CHARS`] with
/// an ellipsis), or a placeholder when empty (editors reject symbols with empty names).
pub fn display_name(text: &str) -> String {
    let mut joined = String::new();
    for (i, word) in text.split_whitespace().enumerate() {
        if i > 0 {
            joined.push(' ');
        }
        joined.push_str(word);
        if joined.len() > 4 * MAX_NAME_CHARS {
            break;
        }
    }
    if joined.is_empty() {
        return "(untitled)".to_string();
    }
    match joined.char_indices().nth(MAX_NAME_CHARS) {
        Some((cut, _)) => format!("{}…", joined[..cut].trim_end()),
        None => joined,
    }
}

/// Keeps at most `max` entries of an outline, in document order (a parent before its
/// children), and drops the rest; returns how many were dropped. Headings come first: if
/// the headlines and sections alone fit, they are all kept and the parts (fact boxes,
/// datelines…) fill what is left, in document order; otherwise the first `max` headings
/// are kept. A live blog of ten thousand sections keeps its last section in the outline
/// (the writer navigates by headings); an outline of hundreds of thousands of entries,
/// whose protocol message would grow to gigabytes, is cut.
pub fn truncate(sections: &mut Vec<Section>, max: usize) -> usize {
    fn is_part(s: &Section) -> bool {
        matches!(s.kind, EntryKind::Part(_))
    }
    fn count(s: &[Section], part: bool) -> usize {
        s.iter()
            .map(|s| usize::from(is_part(s) == part) + count(&s.children, part))
            .sum()
    }
    fn keep(list: &mut Vec<Section>, headings: &mut usize, parts: &mut usize) {
        for mut s in std::mem::take(list) {
            let budget = if is_part(&s) {
                &mut *parts
            } else {
                &mut *headings
            };
            if *budget > 0 {
                *budget -= 1;
                keep(&mut s.children, headings, parts);
                list.push(s);
            }
        }
    }
    let (all_headings, all_parts) = (count(sections, false), count(sections, true));
    if all_headings + all_parts <= max {
        return 0;
    }
    let mut headings = all_headings.min(max);
    let mut parts = max - headings;
    keep(sections, &mut headings, &mut parts);
    all_headings + all_parts - count(sections, false) - count(sections, true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Format;
    use expect_test::{expect, Expect};

    /// Every entry's name, parents before children.
    fn entry_names(text: &str, s: &[Section]) -> Vec<String> {
        fn walk(text: &str, s: &[Section], out: &mut Vec<String>) {
            for s in s {
                out.push(display_name(&text[s.title.range()]));
                walk(text, &s.children, out);
            }
        }
        let mut out = Vec::new();
        walk(text, s, &mut out);
        out
    }

    fn render(text: &str, s: &[Section], depth: usize, out: &mut String) {
        for s in s {
            let line = |o: usize| text[..o].matches('\n').count();
            out.push_str(&format!(
                "{}{} [{}-{}] {}\n",
                "  ".repeat(depth),
                s.level,
                line(s.span.start),
                line(s.span.end),
                s.name
                    .clone()
                    .unwrap_or_else(|| display_name(&text[s.title.range()]))
            ));
            render(text, &s.children, depth + 1, out);
        }
    }

    fn check(text: &str, format: Format, expect: Expect) {
        let mut out = String::new();
        render(
            text,
            &outline(&Article::parse_str(text, format)),
            0,
            &mut out,
        );
        expect.assert_eq(&out);
    }

    fn check_symbols(text: &str, format: Format, expect: Expect) {
        let mut out = String::new();
        let article = Article::parse_str(text, format);
        render(text, &symbols(&article, &Rope::from_str(text)), 0, &mut out);
        expect.assert_eq(&out);
    }

    #[test]
    fn anatomy_in_the_outline_and_datelines_never_sections() {
        check_symbols(
            "Egypt opens metro line\n\nBy Nadia Farouk\n\nCAIRO (AP) —\n\nEgypt on Sunday opened the first metro line.\n\nA costly bet\n\nThe line cost billions.\n\n###\n",
            Format::PlainText,
            expect![[r#"
                1 [0-12] Egypt opens metro line
                  2 [2-2] Byline: Nadia Farouk
                  2 [4-4] Dateline: CAIRO (AP)
                  2 [6-6] Lede: Egypt on Sunday opened the first metro line.
                  2 [8-12] A costly bet
                  2 [12-12] End mark: ###
            "#]],
        );
        check_symbols(
            "# Strike\n\nBy Jane Doe\n\nROTTERDAM (Reuters) — Dockworkers walked out.\n\n## Terminals\n\n- Euromax\n- Delta\n\n###\n",
            Format::Markdown,
            expect![[r#"
                1 [0-11] Strike
                  2 [2-2] Byline: Jane Doe
                  2 [4-4] Dateline: ROTTERDAM (Reuters)
                  2 [4-4] Lede: Dockworkers walked out.
                  2 [6-11] Terminals
                    3 [8-9] Fact box: Euromax
                  2 [11-11] End mark: ###
            "#]],
        );
    }

    #[test]
    fn reference_article() {
        check(
            include_str!("../../examples/alaska-summit-ar.txt"),
            Format::PlainText,
            expect![[r#"
                1 [0-26] تنويه رسمي.. بوتين يطلع القيادة الروسية على نتائج قمة ألاسكا المثيرة بين موسكو وواشنطن
                  2 [4-6] بوتين يطلع القيادة الروسية على نتائج قمة ألاسكا وأهمية تسوية الأزمة الأوكرانية
                  2 [8-10] تفاصيل الحوار الصريح بين بوتين وترامب وتأثيره على الموقف الروسي الأمريكي
                  2 [12-26] تقييم استراتيجي لنتائج قمة ألاسكا وأثرها على الأزمة في أوكرانيا
            "#]],
        );
    }

    #[test]
    fn markdown_levels_and_front_matter() {
        check(
            include_str!("../../examples/harbour-strike-en.md"),
            Format::Markdown,
            expect![[r#"
                1 [10-44] Dockworkers strike shuts Rotterdam terminals
                  2 [15-22] What the union wants
                  2 [24-34] Terminals affected
                  2 [36-44] Timeline
            "#]],
        );
        check(
            "---\ntitle: From front matter\n---\n\n## A\n\ntext\n\n### A.1\n\n## B\n",
            Format::Markdown,
            expect![[r#"
                0 [0-10] From front matter
                  2 [4-8] A
                    3 [8-8] A.1
                  2 [10-10] B
            "#]],
        );
    }

    #[test]
    fn long_names_are_cut_and_outlines_truncated_in_document_order() {
        let long = "word ".repeat(100_000);
        let name = display_name(&long);
        assert_eq!(name.chars().count(), MAX_NAME_CHARS);
        assert!(name.ends_with('…'));
        assert_eq!(display_name("  a \n b  "), "a b");
        assert_eq!(display_name(" \t"), "(untitled)");
        let arabic = "كلمة ".repeat(100);
        assert!(display_name(&arabic).chars().count() <= MAX_NAME_CHARS);

        let text = "# T\n\n## A\n\n### A1\n\n### A2\n\n## B\n\n### B1\n";
        let article = Article::parse_str(text, Format::Markdown);
        let full = outline(&article);
        let names = |s: &[Section]| entry_names(text, s);
        assert_eq!(names(&full), ["T", "A", "A1", "A2", "B", "B1"]);
        for max in 0..=7 {
            let mut cut = full.clone();
            let dropped = truncate(&mut cut, max);
            assert_eq!(names(&cut), names(&full)[..max.min(6)], "max {max}");
            assert_eq!(dropped, 6 - max.min(6));
        }

        // Headings before parts: with room for the headings only, every heading stays
        // (the last one too) and the parts go.
        let text =
            "# T\n\nBy Jane Doe\n\n## A\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n## B\n\nlast\n";
        let article = Article::parse_str(text, Format::Markdown);
        let full = symbols(&article, &Rope::from_str(text));
        let names = |s: &[Section]| entry_names(text, s);
        let parts = |s: &[Section]| {
            fn walk(s: &[Section]) -> usize {
                s.iter()
                    .map(|s| usize::from(matches!(s.kind, EntryKind::Part(_))) + walk(&s.children))
                    .sum()
            }
            walk(s)
        };
        let all = names(&full);
        assert!(parts(&full) > 0, "{all:?}");
        let mut cut = full.clone();
        assert_eq!(truncate(&mut cut, 3), parts(&full));
        assert_eq!(names(&cut), ["T", "A", "B"]);
        let mut cut = full.clone();
        assert_eq!(truncate(&mut cut, all.len()), 0);
        assert_eq!(names(&cut), all);
    }
}
