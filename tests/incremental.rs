//! The incremental re-parse must always equal a fresh parse of the same text: random
//! edit sequences on the reference article and on Markdown articles, checked after
//! every edit.

use newsls::article::{Article, Format, HeadingMarks};
use newsls::text::Span;
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use ropey::Rope;

const FRAGMENTS: &[&str] = &[
    "",
    "x",
    " ",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "#",
    "# ",
    "## Heading\n",
    "|",
    " | ",
    "|---|---|\n",
    "| a | b |\n",
    "---",
    "---\n",
    "===\n",
    "```",
    "```\n",
    "~~~\n",
    "    ",
    "> ",
    "- ",
    "• ",
    "1. ",
    "\t",
    "ألاسكا",
    "وواشنطن",
    "ً",
    "😀",
    "🇪🇬",
    "title: x\n",
    "+++\n",
    "<div>\n",
    "</div>\n",
    "Short line\n",
    "A sentence that ends.\n",
    ":",
    ".",
    "\n\nSection heading\n\nBody text here.\n",
];

#[derive(Debug, Clone)]
struct Edit {
    at: f64,
    delete: usize,
    insert: Vec<usize>,
}

fn edit_strategy() -> impl Strategy<Value = Edit> {
    (
        0.0..=1.0f64,
        prop_oneof![Just(0usize), 0usize..4, 0usize..40],
        prop::collection::vec(0..FRAGMENTS.len(), 0..3),
    )
        .prop_map(|(at, delete, insert)| Edit { at, delete, insert })
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn run(initial: &str, format: Format, edits: &[Edit]) -> Result<(), TestCaseError> {
    let mut text = initial.to_string();
    let mut rope = Rope::from_str(&text);
    let mut article = Article::parse_str(&text, format);
    for e in edits {
        let start = floor_boundary(&text, (e.at * text.len() as f64) as usize);
        let end = floor_boundary(&text, (start + e.delete).min(text.len()));
        let insert: String = e.insert.iter().map(|&i| FRAGMENTS[i]).collect();
        text.replace_range(start..end, &insert);
        let cs = rope.byte_to_char(start);
        let ce = rope.byte_to_char(end);
        rope.remove(cs..ce);
        rope.insert(cs, &insert);
        let reparsed = article.edit(&rope, Span::new(start, end), insert.len());
        let fresh = Article::parse_str(&text, format);
        prop_assert_eq!(
            &article,
            &fresh,
            "after {:?} (reparsed {:?}) text:\n{}",
            e,
            reparsed,
            text
        );
        // The headings index the structure rules read moves with the blocks.
        let headings: Vec<_> = article
            .blocks()
            .filter_map(|b| b.heading().map(|(l, _)| (l, b)))
            .collect();
        prop_assert_eq!(
            article.headings().collect::<Vec<_>>(),
            headings,
            "after {:?}",
            e
        );
        for c in article.heading_chunks() {
            let levels = c.headings().map(|(l, _)| l);
            prop_assert_eq!(c.marks, HeadingMarks::of(levels), "after {:?}", e);
        }
    }
    Ok(())
}

const REFERENCE: &str = include_str!("../examples/alaska-summit-ar.txt");
const MARKDOWN: &str = include_str!("../examples/harbour-strike-en.md");
const PLAIN_EN: &str = include_str!("../examples/budget-vote-en.txt");

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 1000,
        // Failing seeds are kept (and re-run first) in the file beside this one.
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct("tests/incremental.proptest-regressions"))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn plaintext_reference_article(edits in prop::collection::vec(edit_strategy(), 1..12)) {
        run(REFERENCE, Format::PlainText, &edits)?;
    }

    #[test]
    fn plaintext_english_article(edits in prop::collection::vec(edit_strategy(), 1..12)) {
        run(PLAIN_EN, Format::PlainText, &edits)?;
    }

    #[test]
    fn markdown_article(edits in prop::collection::vec(edit_strategy(), 1..12)) {
        run(MARKDOWN, Format::Markdown, &edits)?;
    }

    #[test]
    fn reference_article_as_markdown(edits in prop::collection::vec(edit_strategy(), 1..12)) {
        run(REFERENCE, Format::Markdown, &edits)?;
    }
}

#[test]
fn typing_in_a_paragraph_reparses_little() {
    let mut text = MARKDOWN.repeat(50);
    let mut rope = Rope::from_str(&text);
    let mut article = Article::parse_str(&text, Format::Markdown);
    let at = text.find("Thursday").unwrap() + text.len() / 2;
    let at = text[at..].find("Thursday").unwrap() + at;
    text.insert(at, 'x');
    rope.insert_char(rope.byte_to_char(at), 'x');
    let r = article.edit(&rope, Span::new(at, at), 1);
    assert!(!r.full);
    assert!(
        r.new.len() < 2000,
        "re-parsed {} bytes of {}",
        r.new.len(),
        text.len()
    );
    assert_eq!(article, Article::parse_str(&text, Format::Markdown));
}
