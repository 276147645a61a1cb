//! The article's outline: sections nested by heading level, each covering its heading and
//! everything up to the next heading of the same or a higher level.
//!
//! Markdown: `#` levels; the front matter `title` names the document when it has no
//! level-1 heading. Plain text: the headline is the root and section headings are its
//! children.

use crate::article::Article;
use crate::text::Span;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
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
            level: 0,
            title,
            heading: fm.span,
            span: Span::new(0, last_end.max(fm.span.end)),
            children: roots,
        }],
        _ => roots,
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

    fn check(text: &str, format: Format, expect: Expect) {
        fn render(text: &str, s: &[Section], depth: usize, out: &mut String) {
            for s in s {
                let line = |o: usize| text[..o].matches('\n').count();
                out.push_str(&format!(
                    "{}{} [{}-{}] {}\n",
                    "  ".repeat(depth),
                    s.level,
                    line(s.span.start),
                    line(s.span.end),
                    display_name(&text[s.title.range()])
                ));
                render(text, &s.children, depth + 1, out);
            }
        }
        let mut out = String::new();
        render(
            text,
            &outline(&Article::parse_str(text, format)),
            0,
            &mut out,
        );
        expect.assert_eq(&out);
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
