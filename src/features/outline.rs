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

use crate::article::anatomy::{anatomy, PartKind};
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

    for block in article.blocks() {
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
        Some((fm, title)) if !has_top_heading => vec![Section {
            kind: EntryKind::Title,
            name: None,
            level: 0,
            title,
            heading: fm.span,
            span: Span::new(0, last_end.max(fm.span.end)),
            children: roots,
        }],
        _ => roots,
    }
}

/// The outline with the article's anatomy in it (see the module docs). Reads only the
/// text of the header zone, of the first line of each fact box and of the last block.
pub fn symbols(article: &Article, rope: &Rope) -> Vec<Section> {
    let parts = anatomy(article, rope);
    let end_marks: Vec<Span> = parts
        .iter()
        .filter(|p| p.kind == PartKind::EndMark)
        .map(|p| p.span)
        .collect();
    let mut tree = outline(article);
    // An end mark written as `###` parses as an empty heading: it is not a section.
    if !end_marks.is_empty() {
        fn drop_marks(list: &mut Vec<Section>, marks: &[Span]) {
            list.retain(|s| !marks.contains(&s.heading));
            for s in list {
                drop_marks(&mut s.children, marks);
            }
        }
        drop_marks(&mut tree, &end_marks);
    }
    for p in parts {
        let entry = Section {
            kind: EntryKind::Part(p.kind),
            name: Some(
                format!("{}: {}", p.kind.label(), p.name)
                    .trim_end_matches([':', ' '])
                    .to_string(),
            ),
            level: 0,
            title: p.span,
            heading: p.span,
            span: p.span,
            children: Vec::new(),
        };
        if p.kind == PartKind::EndMark {
            // The end of the copy, not of its last section: under the headline.
            match tree
                .iter_mut()
                .rev()
                .find(|s| s.span.start <= entry.span.start)
            {
                Some(root) => {
                    let mut entry = entry;
                    entry.level = root.level + 1;
                    root.children.push(entry);
                }
                None => tree.push(entry),
            }
        } else {
            insert(&mut tree, entry);
        }
    }
    tree
}

/// Inserts a part under the innermost section that holds it, in document order.
fn insert(list: &mut Vec<Section>, mut entry: Section) {
    let at = entry.span.start;
    // Sections are in document order and do not overlap: only those starting at or
    // before `at`, from the last one back while they still reach `at`, can hold it (a
    // binary search, not a scan: a headline has thousands of sections, and a 10 MB
    // article thousands of fact boxes). The first of them that does is the holder.
    let i = list.partition_point(|s| s.span.start <= at);
    let holder = list[..i]
        .iter()
        .enumerate()
        .rev()
        .filter(|(_, s)| !matches!(s.kind, EntryKind::Part(_)))
        .take_while(|(_, s)| at <= s.span.end)
        .filter(|(_, s)| s.heading.end <= at)
        .last()
        .map(|(j, _)| j);
    match holder.map(|j| &mut list[j]) {
        Some(s) => {
            entry.level = s.level + 1;
            insert(&mut s.children, entry)
        }
        None => {
            let i = list.partition_point(|s| s.span.start <= at);
            list.insert(i, entry);
        }
    }
}

/// A display name for a section: its title on one line, or a placeholder when empty
/// (editors reject symbols with empty names).
pub fn display_name(text: &str) -> String {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if joined.is_empty() {
        "(untitled)".to_string()
    } else {
        joined
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Format;
    use expect_test::{expect, Expect};

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
}
