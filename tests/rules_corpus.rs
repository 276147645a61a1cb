//! The table rules against data: per-rule fixtures with range markers, a corpus of clean
//! and broken articles with precision and recall, every quick fix applied, the
//! incremental re-check contract, and table formatting.
//!
//! Fixtures (`tests/fixtures/rules/<rule-id>.{md,txt}`) mark each expected diagnostic's
//! range with `⟦…⟧`, followed by `{other-rule}` when it belongs to another rule than the
//! file's. Everything unmarked — the good cases next to the bad ones — must stay silent.
//!
//! Run `cargo test --test rules_corpus -- --nocapture` to see the corpus figures.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use newsls::analysis::{check_text, FileFilter, Settings, Snapshot, Workspace};
use newsls::article::{Article, Format};
use newsls::config::Config;
use newsls::features::table_format::{format_table_at, format_tables};
use newsls::rules::{self, Diagnostic, Fix, RuleConfig, Run, Severity, RULES};
use newsls::text::{apply_edits as apply, Edit, Span, Text};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn readme() -> String {
    fs::read_to_string(root().join("README.md")).unwrap()
}

fn format_of(path: &Path) -> Format {
    Format::from_path(&path.to_string_lossy())
}

fn diagnostics(text: &str, format: Format) -> Vec<Diagnostic> {
    check_text(text, format, &Settings::default())
}

/// The table rules' diagnostics only (for tests about tables, on texts that need not be
/// whole articles).
fn table_diagnostics(text: &str, format: Format) -> Vec<Diagnostic> {
    diagnostics(text, format)
        .into_iter()
        .filter(|d| d.rule.starts_with("table-"))
        .collect()
}

fn check(article: &Article, text: &str, config: &RuleConfig) -> Vec<Diagnostic> {
    rules::check(article, text, config, Run::All)
}

/// The fixes of one diagnostic, as a code action asks for them.
fn fixes_for(text: &str, format: Format, d: &Diagnostic) -> Vec<Fix> {
    Snapshot::from_text(text, format).fixes(d, &Settings::default())
}

fn line_of(text: &str, offset: usize) -> usize {
    newsls::text::lines_with_offsets(text, 0)
        .take_while(|l| l.next <= offset)
        .count()
}

// ---------------------------------------------------------------------------------------
// Fixtures with range markers

/// Strips `⟦…⟧{rule}` markers; returns the text and the expected (rule, span) list.
fn parse_fixture(marked: &str, default_rule: &str) -> (String, Vec<(String, Span)>) {
    let mut text = String::with_capacity(marked.len());
    let mut open: Vec<usize> = Vec::new();
    let mut expected = Vec::new();
    let mut rest = marked;
    while let Some(c) = rest.chars().next() {
        rest = &rest[c.len_utf8()..];
        match c {
            '⟦' => open.push(text.len()),
            '⟧' => {
                let start = open.pop().expect("unbalanced ⟧");
                let mut rule = default_rule.to_string();
                if let Some(r) = rest.strip_prefix('{') {
                    let close = r.find('}').expect("unclosed {rule}");
                    rule = r[..close].to_string();
                    rest = &r[close + 1..];
                }
                expected.push((rule, Span::new(start, text.len())));
            }
            _ => text.push(c),
        }
    }
    assert!(open.is_empty(), "unbalanced ⟦");
    expected.sort_by_key(|(r, s)| (s.start, s.end, r.clone()));
    (text, expected)
}

fn render(text: &str, items: &[(String, Span)]) -> String {
    items
        .iter()
        .map(|(rule, s)| {
            format!(
                "{rule} line {}: {:?}",
                line_of(text, s.start) + 1,
                &text[s.range()]
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn check_fixture(name: &str) {
    let dir = root().join("tests/fixtures/rules");
    let mut seen = 0;
    let mut fired = false;
    for ext in ["md", "txt"] {
        let path = dir.join(format!("{name}.{ext}"));
        let Ok(marked) = fs::read_to_string(&path) else {
            continue;
        };
        seen += 1;
        let (text, expected) = parse_fixture(&marked, name);
        // Options some rules need (`<rule-id>.toml` beside the fixture).
        let settings = match fs::read_to_string(dir.join(format!("{name}.toml"))) {
            Ok(t) => Config::from_toml(&t).and_then(|c| c.settings()).unwrap(),
            Err(_) => Settings::default(),
        };
        let got: Vec<(String, Span)> = check_text(&text, format_of(&path), &settings)
            .into_iter()
            .map(|d| (d.rule.to_string(), d.span))
            .collect();
        assert_eq!(
            render(&text, &got),
            render(&text, &expected),
            "{}: got (left) vs marked (right)",
            path.display()
        );
        fired |= expected.iter().any(|(r, _)| r == name);
        check_every_fix(
            &path.display().to_string(),
            &text,
            format_of(&path),
            &settings,
        );
    }
    assert!(seen > 0, "no fixture for {name}");
    assert!(fired, "the fixtures of {name} must show it firing");
}

#[test]
fn table_extra_cells() {
    check_fixture("table-extra-cells");
}
#[test]
fn table_missing_cells() {
    check_fixture("table-missing-cells");
}
#[test]
fn table_delimiter_mismatch() {
    check_fixture("table-delimiter-mismatch");
}
#[test]
fn table_missing_delimiter() {
    check_fixture("table-missing-delimiter");
}
#[test]
fn table_bad_delimiter() {
    check_fixture("table-bad-delimiter");
}
#[test]
fn table_split() {
    check_fixture("table-split");
}
#[test]
fn table_tsv_cells() {
    check_fixture("table-tsv-cells");
}
#[test]
fn table_tsv() {
    check_fixture("table-tsv");
}
#[test]
fn table_flattened() {
    check_fixture("table-flattened");
}
#[test]
fn headline_missing() {
    check_fixture("headline-missing");
}
#[test]
fn headline_multiple() {
    check_fixture("headline-multiple");
}
#[test]
fn heading_level_skip() {
    check_fixture("heading-level-skip");
}
#[test]
fn section_empty() {
    check_fixture("section-empty");
}
#[test]
fn placeholder() {
    check_fixture("placeholder");
}
#[test]
fn bidi_control() {
    check_fixture("bidi-control");
}
#[test]
fn repeated_word() {
    check_fixture("repeated-word");
}
#[test]
fn quote_unbalanced() {
    check_fixture("quote-unbalanced");
}
#[test]
fn front_matter_empty() {
    check_fixture("front-matter-empty");
}
#[test]
fn front_matter_duplicate() {
    check_fixture("front-matter-duplicate");
}
#[test]
fn front_matter_required() {
    check_fixture("front-matter-required");
}
#[test]
fn dateline_format() {
    check_fixture("dateline-format");
}
#[test]
fn lede_too_long() {
    check_fixture("lede-too-long");
}

#[test]
fn every_rule_has_a_fixture_a_doc_page_and_a_kebab_case_id() {
    for r in RULES {
        assert!(
            r.id.chars().all(|c| c.is_ascii_lowercase() || c == '-')
                && !r.id.starts_with('-')
                && !r.id.ends_with('-'),
            "{}",
            r.id
        );
        // A workspace rule needs two articles: tests/lsp_entities.rs checks it.
        let fixtures = matches!(r.check, rules::Check::Workspace(_))
            || ["md", "txt"].iter().any(|e| {
                root()
                    .join(format!("tests/fixtures/rules/{}.{e}", r.id))
                    .exists()
            });
        assert!(fixtures, "no fixture for {}", r.id);
        // The page in the binary is the page in the repository.
        let doc = root().join(format!("docs/rules/{}.md", r.id));
        let page = fs::read_to_string(&doc).unwrap_or_else(|_| panic!("no {}", doc.display()));
        assert_eq!(r.doc, page, "{} is not the embedded page", doc.display());
        assert!(
            page.starts_with(&format!("# `{}`", r.id)),
            "{}: the title names the rule",
            doc.display()
        );
        assert!(
            page.contains(&format!(
                "Default severity: **{}**",
                r.default_severity.name()
            )),
            "{}: the default severity on the page is not the registry's ({})",
            doc.display(),
            r.default_severity.name()
        );
        assert!(
            readme().contains(&format!("[`{}`](docs/rules/{}.md)", r.id, r.id)),
            "the README's table of rules does not list {}",
            r.id
        );
        // The page's "Switching it off" example really switches it off.
        let section = page
            .split("## Switching it off")
            .nth(1)
            .unwrap_or_else(|| panic!("{}: no 'Switching it off' section", doc.display()));
        let toml = section
            .split("```toml")
            .nth(1)
            .and_then(|t| t.split("```").next())
            .unwrap_or_else(|| panic!("{}: no toml example", doc.display()));
        let settings = Config::from_toml(toml)
            .and_then(|c| c.settings())
            .unwrap_or_else(|e| panic!("{}: the example is not valid: {e}", doc.display()));
        assert_eq!(
            settings.rules.severity(r),
            None,
            "{}: the example does not switch the rule off",
            doc.display()
        );
    }
}

// ---------------------------------------------------------------------------------------
// The reference article

#[test]
fn reference_article_has_exactly_the_flattened_table() {
    let text = fs::read_to_string(root().join("examples/alaska-summit-ar.txt")).unwrap();
    let article = Article::parse_str(&text, Format::PlainText);
    let diags = check(&article, &text, &RuleConfig::default());
    assert_eq!(diags.len(), 1, "{diags:#?}");
    let d = &diags[0];
    let lines: Vec<_> = newsls::text::lines_with_offsets(&text, 0).collect();
    assert_eq!(d.rule, "table-flattened");
    assert_eq!(d.span, Span::new(lines[20].start, lines[24].end()));
    assert_eq!(
        d.message,
        "These 5 lines look like a table whose cell separators were lost in a copy-paste"
    );
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(d.related.len(), 1);
    assert_eq!(
        d.related[0].span,
        Span::new(lines[20].start, lines[20].end())
    );

    let fixes = fixes_for(&text, Format::PlainText, d);
    assert_eq!(fixes.len(), 1, "{fixes:#?}");
    assert!(
        fixes[0].title.starts_with("Convert to table"),
        "{}",
        fixes[0].title
    );
    let fixed = apply(&text, &fixes[0].edits);
    let fixed_lines: Vec<&str> = fixed.lines().collect();
    assert_eq!(
        fixed_lines[20], "",
        "the table gets a blank line of its own after the list"
    );
    assert_eq!(
        fixed_lines[21].split_whitespace().collect::<Vec<_>>(),
        ["|", "النقطة", "الرئيسية", "|", "التقييم", "|"]
    );
    assert!(fixed_lines[22].starts_with("| ---") && fixed_lines[22].ends_with("- |"));
    assert_eq!(
        fixed_lines[23]
            .split('|')
            .map(str::trim)
            .collect::<Vec<_>>(),
        ["", "وقت القمة", "ألكاسا، أنكوراج", ""]
    );
    assert_eq!(fixed_lines[19], lines[19].text, "the list is untouched");
    for format in [Format::PlainText, Format::Markdown] {
        assert_eq!(
            table_diagnostics(&fixed, format),
            vec![],
            "converted text in {format:?}"
        );
    }
}

#[test]
fn the_markdown_example_article() {
    let text = fs::read_to_string(root().join("examples/harbour-strike-en.md")).unwrap();
    let got: Vec<(String, usize)> = diagnostics(&text, Format::Markdown)
        .into_iter()
        .map(|d| (d.rule.to_string(), line_of(&text, d.span.start)))
        .collect();
    let want: Vec<(String, usize)> = [
        ("table-extra-cells", 29),
        ("table-missing-cells", 30),
        ("table-flattened", 38),
    ]
    .iter()
    .map(|(r, l)| (r.to_string(), *l))
    .collect();
    assert_eq!(got, want);
}

// ---------------------------------------------------------------------------------------
// Configuration

#[test]
fn rules_can_be_switched_off_and_relevelled() {
    let text = fs::read_to_string(root().join("examples/harbour-strike-en.md")).unwrap();
    let article = Article::parse_str(&text, Format::Markdown);
    let mut config = RuleConfig::default();
    config.set("table-flattened", None).unwrap();
    config
        .set("table-extra-cells", Some(Severity::Error))
        .unwrap();
    assert!(config
        .set("table-nonsense", None)
        .unwrap_err()
        .contains("table-flattened"));
    let got: Vec<_> = check(&article, &text, &config)
        .into_iter()
        .map(|d| (d.rule, d.severity))
        .collect();
    assert_eq!(
        got,
        vec![
            ("table-extra-cells", Severity::Error),
            ("table-missing-cells", Severity::Warning)
        ]
    );
}

// ---------------------------------------------------------------------------------------
// Quick fixes: each one, applied, removes its diagnostic and adds none.

/// Where `offset` (before the edits) lands after them.
fn map_offset(offset: usize, edits: &[Edit]) -> usize {
    let mut delta = 0isize;
    for e in edits {
        if e.span.end <= offset {
            delta += e.new_text.len() as isize - e.span.len() as isize;
        } else if e.span.start < offset {
            return e.span.start.wrapping_add_signed(delta);
        }
    }
    offset.wrapping_add_signed(delta)
}

/// A diagnostic by rule, message and the line its range starts on (after the edits); no
/// line when the diagnostic lies inside text a fix rewrote (a misspelt name inside a
/// table the fix rebuilds moves with its row).
fn key(fixed: &str, d: &Diagnostic, edits: &[Edit]) -> (String, Option<usize>, String) {
    let inside = edits
        .iter()
        .any(|e| e.span.start <= d.span.start && d.span.end <= e.span.end && !e.span.is_empty());
    (
        d.rule.to_string(),
        (!inside).then(|| line_of(fixed, map_offset(d.span.start, edits))),
        d.message.clone(),
    )
}

/// Applies every fix of every diagnostic of `text` and checks that the diagnostics after
/// are the ones before minus the fixed one (compared by rule, text and message).
fn check_every_fix(name: &str, text: &str, format: Format, settings: &Settings) -> usize {
    let before = check_text(text, format, settings);
    let snapshot = Snapshot::from_text(text, format);
    let mut applied = 0;
    for (i, d) in before.iter().enumerate() {
        for fix in snapshot.fixes(d, settings) {
            assert_eq!(fix.rule, d.rule);
            let fixed = apply(text, &fix.edits);
            let after = check_text(&fixed, format, settings);
            let mut edits = fix.edits.clone();
            edits.sort_by_key(|e| (e.span.start, e.span.end));
            let mut pool: Vec<_> = before
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, b)| key(&fixed, b, &edits))
                .collect();
            for a in &after {
                let k = (
                    a.rule.to_string(),
                    line_of(&fixed, a.span.start),
                    a.message.clone(),
                );
                // A fix that adds a required field writes `TK` as its value on purpose, so
                // that the `placeholder` rule keeps it in sight.
                let deliberate_tk = a.rule == "placeholder"
                    && &fixed[a.span.range()] == "TK"
                    && fix.edits.iter().any(|e| e.new_text.contains("TK"));
                if deliberate_tk {
                    continue;
                }
                let at = pool
                    .iter()
                    .position(|p| p.0 == k.0 && p.2 == k.2 && p.1.is_none_or(|l| l == k.1))
                    .unwrap_or_else(|| {
                    panic!(
                        "{name}: fix {:?} for {} on line {} left or created {:?} on line {}\n--- fixed text:\n{fixed}",
                        fix.title,
                        d.rule,
                        line_of(text, d.span.start) + 1,
                        k,
                        line_of(&fixed, a.span.start) + 1
                    )
                });
                pool.remove(at);
            }
            applied += 1;
        }
    }
    applied
}

// ---------------------------------------------------------------------------------------
// The corpus: clean articles stay silent, broken ones give what their sidecar lists.

/// The settings an article is checked with: its `name.toml` sidecar (a newsroom's
/// options for the rules that need them), or the defaults.
fn settings_for(path: &Path) -> Settings {
    match fs::read_to_string(path.with_extension("toml")) {
        Ok(t) => Config::from_toml(&t)
            .and_then(|c| c.settings())
            .unwrap_or_else(|e| panic!("{}: {e}", path.with_extension("toml").display())),
        Err(_) => Settings::default(),
    }
}

fn articles(dir: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(root().join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("md" | "txt")))
        .collect();
    v.sort();
    v
}

/// `rule line` per line (1-based line numbers, `#` comments).
fn expected_of(path: &Path) -> Vec<(String, usize)> {
    let sidecar = path.with_extension("expected");
    let text =
        fs::read_to_string(&sidecar).unwrap_or_else(|_| panic!("missing {}", sidecar.display()));
    let mut v: Vec<(String, usize)> = text
        .lines()
        .map(|l| l.split('#').next().unwrap().trim())
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (rule, line) = l.split_once(' ').expect("`rule line`");
            assert!(
                RULES.iter().any(|r| r.id == rule),
                "{}: unknown rule {rule}",
                sidecar.display()
            );
            (rule.to_string(), line.trim().parse().expect("line number"))
        })
        .collect();
    v.sort();
    v
}

#[derive(Default)]
struct Tally {
    tp: usize,
    fp: usize,
    fn_: usize,
}

#[test]
fn corpus_precision_and_recall() {
    let clean = articles("tests/corpus/clean");
    let broken = articles("tests/corpus/broken");
    assert!(
        clean.len() >= 12 && broken.len() >= 12,
        "{} clean, {} broken",
        clean.len(),
        broken.len()
    );
    // Workspace rules compare open articles with each other: tests/lsp_entities.rs.
    let mut per_rule: BTreeMap<&str, Tally> = RULES
        .iter()
        .filter(|r| !matches!(r.check, rules::Check::Workspace(_)))
        .map(|r| (r.id, Tally::default()))
        .collect();
    let mut clean_fp = Vec::new();
    let mut report = Vec::new();
    let mut fixes = 0;
    for path in &clean {
        let text = fs::read_to_string(path).unwrap();
        for d in check_text(&text, format_of(path), &settings_for(path)) {
            per_rule.get_mut(d.rule).unwrap().fp += 1;
            clean_fp.push(format!(
                "{}:{} {} {}",
                path.display(),
                line_of(&text, d.span.start) + 1,
                d.rule,
                d.message
            ));
        }
    }
    for path in &broken {
        let text = fs::read_to_string(path).unwrap();
        let mut want = expected_of(path);
        let got: Vec<(String, usize)> = check_text(&text, format_of(path), &settings_for(path))
            .into_iter()
            .map(|d| (d.rule.to_string(), line_of(&text, d.span.start) + 1))
            .collect();
        for g in &got {
            let t = per_rule.get_mut(g.0.as_str()).unwrap();
            if let Some(i) = want.iter().position(|w| w == g) {
                want.remove(i);
                t.tp += 1;
            } else {
                t.fp += 1;
                report.push(format!(
                    "unexpected {}:{} {}",
                    path.file_name().unwrap().to_string_lossy(),
                    g.1,
                    g.0
                ));
            }
        }
        for w in want {
            per_rule.get_mut(w.0.as_str()).unwrap().fn_ += 1;
            report.push(format!(
                "missed {}:{} {}",
                path.file_name().unwrap().to_string_lossy(),
                w.1,
                w.0
            ));
        }
        fixes += check_every_fix(
            &path.display().to_string(),
            &text,
            format_of(path),
            &settings_for(path),
        );
    }
    let (tp, fp, fn_) = per_rule
        .values()
        .fold((0, 0, 0), |a, t| (a.0 + t.tp, a.1 + t.fp, a.2 + t.fn_));
    let ratio = |a: usize, b: usize| {
        if a + b == 0 {
            1.0
        } else {
            a as f64 / (a + b) as f64
        }
    };
    eprintln!(
        "\ntable rules on tests/corpus: {} clean articles, {} broken articles, {} fixes applied",
        clean.len(),
        broken.len(),
        fixes
    );
    eprintln!(
        "{:<26} {:>4} {:>4} {:>4} {:>9} {:>7}",
        "rule", "tp", "fp", "fn", "precision", "recall"
    );
    for (rule, t) in &per_rule {
        eprintln!(
            "{:<26} {:>4} {:>4} {:>4} {:>9.3} {:>7.3}",
            rule,
            t.tp,
            t.fp,
            t.fn_,
            ratio(t.tp, t.fp),
            ratio(t.tp, t.fn_)
        );
    }
    eprintln!(
        "{:<26} {:>4} {:>4} {:>4} {:>9.3} {:>7.3}",
        "all",
        tp,
        fp,
        fn_,
        ratio(tp, fp),
        ratio(tp, fn_)
    );
    eprintln!("false alarms on clean articles: {}", clean_fp.len());
    for r in &report {
        eprintln!("  {r}");
    }
    assert!(
        clean_fp.is_empty(),
        "false alarms on the clean corpus:\n{}",
        clean_fp.join("\n")
    );
    // Targets: precision 1.0 overall; recall at least 0.9 overall and 0.75 per rule.
    assert_eq!(fp, 0, "precision below 1.0:\n{}", report.join("\n"));
    assert!(
        ratio(tp, fn_) >= 0.9,
        "recall {:.3} below 0.9:\n{}",
        ratio(tp, fn_),
        report.join("\n")
    );
    for (rule, t) in &per_rule {
        assert!(
            t.tp + t.fn_ > 0,
            "{rule} is not exercised by the broken corpus"
        );
        assert!(
            ratio(t.tp, t.fn_) >= 0.75,
            "{rule}: recall {:.3}",
            ratio(t.tp, t.fn_)
        );
    }
}

// ---------------------------------------------------------------------------------------
// Incremental: the analysis core, driven as the server drives it (edits applied to a
// document, which re-parses with `Article::edit` and marks what it re-parsed dirty; jobs
// re-check the windows around dirty regions), always ends with exactly the diagnostics
// of a full check of the text.

/// One step of a random session: a batch of edits (several at once, as multi-cursor and
/// replace-all send them), applied before, during or after an analysis.
#[derive(Clone, Debug)]
struct Step {
    edits: Vec<(f64, usize, Vec<usize>)>,
    /// Apply the batch while a job taken before it is running.
    during_job: bool,
}

fn step_strategy() -> impl Strategy<Value = Step> {
    (
        proptest::collection::vec(
            (
                0.0f64..1.0,
                0usize..40,
                proptest::collection::vec(0usize..PIECES.len(), 0..3),
            ),
            1..4,
        ),
        any::<bool>(),
    )
        .prop_map(|(edits, during_job)| Step { edits, during_job })
}

fn run_session(seed: &str, format: Format, steps: &[Step]) -> Result<(), TestCaseError> {
    // Fixtures are not all whole articles: check every document, as `check_text` does.
    let mut ws = Workspace::new(Settings {
        files: FileFilter::new(vec![], vec![], false, None).unwrap(),
        ..Settings::default()
    });
    ws.open("doc", seed, 1, format);
    settle(&mut ws);
    let mut text = seed.to_string();
    for step in steps {
        let job = if step.during_job {
            ws.begin("doc")
        } else {
            None
        };
        for (at, del, pieces) in &step.edits {
            let start = floor_char(&text, (at * text.len() as f64) as usize);
            let end = floor_char(&text, start + del).max(start);
            let insert: String = pieces.iter().map(|&i| PIECES[i]).collect();
            ws.edit("doc", Span::new(start, end), &insert);
            text.replace_range(start..end, &insert);
        }
        if let Some(job) = job {
            let outcome = job.run(&|| false).unwrap();
            ws.commit("doc", outcome);
        }
        settle(&mut ws);
        let doc = ws.get("doc").unwrap();
        prop_assert_eq!(doc.rope().to_string(), text.clone());
        let full = diagnostics(&text, format);
        let got = doc.diagnostics().all();
        let spans = |v: &[Diagnostic]| v.iter().map(|d| (d.rule, d.span)).collect::<Vec<_>>();
        prop_assert_eq!(spans(&got), spans(&full), "after {:?}\n{}", step, text);
        prop_assert_eq!(got, full);
    }
    Ok(())
}

fn settle(ws: &mut Workspace) {
    while let Some(job) = ws.begin("doc") {
        let outcome = job.run(&|| false).unwrap();
        ws.commit("doc", outcome);
    }
}

const PIECES: &[&str] = &[
    "\n",
    "\n\n",
    "| a | b |\n",
    "|---|---|\n",
    "| 1 | 2 | 3 |\n",
    "| x |\n",
    "|--:-|==|\n",
    "Stage Date Result\n",
    "First round 12 May Qualified\n",
    "Final 30 May Runner-up\n",
    "وقت القمة ألكاسا، أنكوراج\n",
    "  • بند في قائمة\n",
    "- item\n",
    "A sentence of prose.\n",
    "Heading line\n",
    "a\tb\tc\n",
    "1\t2\n",
    "```\n",
    "# Title\n",
    "Source: x\n",
    "|",
    "\t",
    " ",
    ":",
];

fn seed_articles() -> Vec<(String, Format)> {
    let mut v = Vec::new();
    for dir in [
        "tests/corpus/broken",
        "tests/corpus/clean",
        "tests/fixtures/rules",
    ] {
        for p in articles(dir) {
            let text = fs::read_to_string(&p).unwrap().replace(['⟦', '⟧'], "");
            if text.len() < 6000 {
                v.push((text, format_of(&p)));
            }
        }
    }
    v.push((
        fs::read_to_string(root().join("examples/alaska-summit-ar.txt")).unwrap(),
        Format::PlainText,
    ));
    v.push((
        fs::read_to_string(root().join("examples/harbour-strike-en.md")).unwrap(),
        Format::Markdown,
    ));
    v
}

fn floor_char(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 400,
        // Failing seeds are kept (and re-run first) in the file beside this one.
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct("tests/rules_corpus.proptest-regressions"))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn incremental_analysis_matches_a_full_check(
        which in 0usize..1000,
        steps in proptest::collection::vec(step_strategy(), 1..4),
    ) {
        let seeds = seed_articles();
        let (text, format) = &seeds[which % seeds.len()];
        run_session(text, *format, &steps)?;
    }
}

// ---------------------------------------------------------------------------------------
// Formatting

fn format_all(text: &str, format: Format) -> String {
    let article = Article::parse_str(text, format);
    apply(text, &format_tables(&article, Text::whole(text), None))
}

#[test]
fn formatting_aligns_by_display_width_and_keeps_alignment_markers() {
    let text = "Intro paragraph | not a table.\n\n| Name | 国 | Votes |\n|:--|:-:|--:|\n| 中华人民共和国 | 🇨🇳 | 12 |\n| بوتين | روسيا | 1234 |\n| é | a\u{301} | 5 |\n\nAfter | this.\n";
    let got = format_all(text, Format::Markdown);
    expect_test::expect![[r#"
        Intro paragraph | not a table.

        | Name           |  国   | Votes |
        | :------------- | :---: | ----: |
        | 中华人民共和国 |  🇨🇳   |    12 |
        | بوتين          | روسيا |  1234 |
        | é              |   á   |     5 |

        After | this.
    "#]]
    .assert_eq(&got);
    assert_eq!(format_all(&got, Format::Markdown), got, "idempotent");
    assert_eq!(table_diagnostics(&got, Format::Markdown), vec![]);
}

#[test]
fn formatting_touches_only_valid_tables_and_is_idempotent_on_the_corpus() {
    for dir in ["tests/corpus/clean", "tests/corpus/broken"] {
        for p in articles(dir) {
            let text = fs::read_to_string(&p).unwrap();
            let format = format_of(&p);
            let once = format_all(&text, format);
            assert_eq!(format_all(&once, format), once, "{}", p.display());
            // Outside tables nothing changes: the same number of lines, and the same
            // diagnostics (formatting neither repairs nor breaks a table).
            assert_eq!(
                once.lines().count(),
                text.lines().count(),
                "{}",
                p.display()
            );
            let rules = |t: &str| {
                diagnostics(t, format)
                    .into_iter()
                    .map(|d| d.rule)
                    .collect::<Vec<_>>()
            };
            assert_eq!(rules(&once), rules(&text), "{}", p.display());
        }
    }
}

#[test]
fn format_table_at_offers_only_unformatted_tables() {
    let text = "# T\n\n|a|b|\n|-|-|\n|1|2|\n\nText.\n";
    let article = Article::parse_str(text, Format::Markdown);
    let at = text.find("|1|").unwrap();
    let edit = format_table_at(&article, Text::whole(text), at).expect("a table under the cursor");
    assert_eq!(edit.new_text, "| a   | b   |\n| --- | --- |\n| 1   | 2   |");
    assert_eq!(format_table_at(&article, Text::whole(text), 1), None);
    let formatted = apply(text, &[edit]);
    let article = Article::parse_str(&formatted, Format::Markdown);
    assert_eq!(
        format_table_at(
            &article,
            Text::whole(&formatted),
            formatted.find("| 1").unwrap()
        ),
        None
    );
}

// ---------------------------------------------------------------------------------------
// Line endings and size

#[test]
fn crlf_articles_give_the_same_diagnostics_and_fixes_keep_crlf() {
    for p in articles("tests/corpus/broken") {
        let lf = fs::read_to_string(&p).unwrap();
        let crlf = lf.replace('\n', "\r\n");
        let format = format_of(&p);
        let lines = |t: &str| {
            diagnostics(t, format)
                .into_iter()
                .map(|d| (d.rule, line_of(t, d.span.start)))
                .collect::<Vec<_>>()
        };
        assert_eq!(lines(&crlf), lines(&lf), "{}", p.display());
        check_every_fix(&p.display().to_string(), &crlf, format, &settings_for(&p));
        for d in diagnostics(&crlf, format) {
            for f in fixes_for(&crlf, format, &d) {
                let fixed = apply(&crlf, &f.edits);
                assert!(
                    !fixed.replace("\r\n", "").contains('\n'),
                    "{}: {} left a bare LF",
                    p.display(),
                    f.title
                );
            }
        }
    }
}

#[test]
fn typing_in_a_paragraph_of_a_large_article_rechecks_only_its_neighbourhood() {
    let mut text = String::new();
    let unit = fs::read_to_string(root().join("tests/corpus/broken/en-port-strike.md")).unwrap();
    let body = &unit[unit.find("# Dock").unwrap()..];
    while text.len() < 10_000_000 {
        text.push_str(body);
        text.push_str("\n\n");
    }
    let mut ws = Workspace::default();
    let t = std::time::Instant::now();
    ws.open("doc", &text, 1, Format::Markdown);
    settle(&mut ws);
    let open_time = t.elapsed();
    let before = ws.get("doc").unwrap().diagnostics().len();
    // A keystroke in a paragraph in the middle: the re-parsed region is that paragraph.
    let article = Article::parse_str(&text, Format::Markdown);
    let para = article
        .blocks_from(text.len() / 2)
        .find(|b| b.kind == newsls::article::BlockKind::Paragraph)
        .unwrap();
    let at = para.span.start + 1;
    let t = std::time::Instant::now();
    ws.edit("doc", Span::new(at, at), "x");
    let job = ws.begin("doc").unwrap();
    let affected: usize = job.windows().iter().map(|w| w.affected.len()).sum();
    let outcome = job.run(&|| false).unwrap();
    ws.commit("doc", outcome);
    let keystroke_time = t.elapsed();
    text.insert(at, 'x');
    let doc = ws.get("doc").unwrap();
    eprintln!(
        "10 MB Markdown article ({} blocks, {before} diagnostics): open and full check {open_time:?}, keystroke in a paragraph: edit + re-parse + re-check {keystroke_time:?} ({affected} bytes re-checked)",
        article.block_count(),
    );
    assert!(affected < 2_000, "affected {affected} bytes");
    assert!(doc.is_current());
    assert_eq!(
        doc.diagnostics().all(),
        diagnostics(&text, Format::Markdown)
    );
}

// ---------------------------------------------------------------------------------------
// Messages as an editor shows them, and the pure-core boundary

fn summary(text: &str, format: Format) -> String {
    let article = Article::parse_str(text, format);
    let mut out = String::new();
    for d in check(&article, text, &RuleConfig::default()) {
        out.push_str(&format!(
            "{}:{} {:?} {}: {}\n",
            line_of(text, d.span.start) + 1,
            d.rule,
            d.severity,
            &text[d.span.range()].lines().next().unwrap_or(""),
            d.message
        ));
        for r in &d.related {
            out.push_str(&format!(
                "  related {}: {}\n",
                line_of(text, r.span.start) + 1,
                r.message
            ));
        }
        for f in fixes_for(text, format, &d) {
            out.push_str(&format!(
                "  fix{}: {}\n",
                if f.preferred { " (preferred)" } else { "" },
                f.title
            ));
        }
    }
    out
}

#[test]
fn messages_on_the_example_articles() {
    let md = fs::read_to_string(root().join("examples/harbour-strike-en.md")).unwrap();
    expect_test::expect![[r#"
        30:table-extra-cells Warning 3: This row has 4 cells but the header has 3: the last cell is dropped when the table is rendered
          related 27: The header row has 3 cells
          fix: Drop the extra cells
          fix: Add a column to the header
        31:table-missing-cells Warning | Delta | ECT |: This row has 2 of the header's 3 cells: one cell is missing
          related 27: The header row has 3 cells
          fix (preferred): Pad the row with empty cells
        39:table-flattened Warning Stage Date Result: These 4 lines look like a table whose cell separators were lost in a copy-paste
          related 39: Likely header row
    "#]]
    .assert_eq(&summary(&md, Format::Markdown));
    let ar = fs::read_to_string(root().join("examples/alaska-summit-ar.txt")).unwrap();
    expect_test::expect![[r#"
        21:table-flattened Warning النقطة الرئيسية التقييم: These 5 lines look like a table whose cell separators were lost in a copy-paste
          related 21: Likely header row
          fix (preferred): Convert to table (2 columns; check the split)
    "#]]
    .assert_eq(&summary(&ar, Format::PlainText));
}

/// Every Rust file under `dir`.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn only_the_server_and_the_command_line_know_the_protocol() {
    let src = root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let edge = |p: &Path| {
        p.starts_with(src.join("server"))
            || p == src.join("main.rs")
            || p == src.join("cli.rs")
            || p.starts_with(src.join("cli"))
    };
    let core: Vec<&PathBuf> = files.iter().filter(|p| !edge(p)).collect();
    for must in [
        "analysis/mod.rs",
        "analysis/document.rs",
        "rules/mod.rs",
        "article/mod.rs",
    ] {
        assert!(
            core.iter().any(|p| p.ends_with(must)),
            "{must} is not among the checked files"
        );
    }
    for f in core {
        let text = fs::read_to_string(f).unwrap();
        for banned in ["tower_lsp", "lsp_types", "tokio::", "jsonrpc", "async fn"] {
            assert!(!text.contains(banned), "{} uses {banned}", f.display());
        }
        // Only the configuration reads JSON (the editor's settings).
        if !f.ends_with("config.rs") {
            assert!(
                !text.contains("serde_json"),
                "{} uses serde_json",
                f.display()
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// Any text: no panic, spans non-empty and on character boundaries, fixes well formed.

fn arbitrary_article() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        proptest::sample::select(PIECES.to_vec()).prop_map(str::to_string),
        "[a-z|:\\-= \t`\\\\]{0,12}",
        proptest::sample::select(vec![
            "é", "\u{301}", "🇨🇳", "中", "ـ", "ً", "\r\n", "\r", "---\n", "> ", "    ", "<div>\n"
        ])
        .prop_map(str::to_string),
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 600,
        // Failing seeds are kept (and re-run first) in the file beside this one.
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct("tests/rules_corpus.proptest-regressions"))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_text_gives_well_formed_diagnostics_and_fixes(text in arbitrary_article(), md in any::<bool>()) {
        let format = if md { Format::Markdown } else { Format::PlainText };
        let article = Article::parse_str(&text, format);
        let diags = diagnostics(&text, format);
        for d in &diags {
            prop_assert!(!d.span.is_empty() && d.span.end <= text.len(), "{d:?}");
            prop_assert!(text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end), "{d:?}");
            for r in &d.related {
                prop_assert!(text.is_char_boundary(r.span.start) && text.is_char_boundary(r.span.end) && r.span.end <= text.len());
            }
            for f in fixes_for(&text, format, d) {
                let mut spans: Vec<Span> = f.edits.iter().map(|e| e.span).collect();
                spans.sort();
                for w in spans.windows(2) {
                    prop_assert!(w[0].end <= w[1].start, "overlapping edits in {:?}", f.title);
                }
                for s in &spans {
                    prop_assert!(s.end <= text.len() && text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
                }
                let fixed = apply(&text, &f.edits);
                let _ = diagnostics(&fixed, format);
            }
        }
        let formatted = apply(&text, &format_tables(&article, Text::whole(&text), None));
        prop_assert_eq!(format_all(&formatted, format), formatted.clone());
    }
}

// ---------------------------------------------------------------------------------------
// Outlines: `name.outline` beside a corpus article lists its sections as `newsls outline`
// prints them (anatomy parts left out): bylines and datelines are never sections.

fn render_sections(
    text: &str,
    sections: &[newsls::features::outline::Section],
    depth: usize,
    out: &mut String,
) {
    for s in sections {
        out.push_str(&format!(
            "{}{} (line {})\n",
            "  ".repeat(depth),
            newsls::features::outline::display_name(&text[s.title.range()]),
            line_of(text, s.span.start) + 1
        ));
        render_sections(text, &s.children, depth + 1, out);
    }
}

/// Outlines known to be wrong, and why (kept visible rather than edited to match).
const KNOWN_OUTLINE_MISSES: &[(&str, &str)] = &[(
    "ar-sudan-correspondent.txt",
    "a credit written `place: name` (بورتسودان: محمد عثمان) reads as a heading: nothing in \
     the line tells a correspondent's name from a topic (غزة: ماذا بعد)",
)];

#[test]
fn outlines_of_the_corpus_match_their_sidecars() {
    let mut checked = 0;
    let mut known = 0;
    for dir in ["tests/corpus/clean", "tests/corpus/broken"] {
        for path in articles(dir) {
            let Ok(want) = fs::read_to_string(path.with_extension("outline")) else {
                continue;
            };
            let text = fs::read_to_string(&path).unwrap();
            let article = Article::parse_str(&text, format_of(&path));
            let mut got = String::new();
            render_sections(
                &text,
                &newsls::features::outline::outline(&article),
                0,
                &mut got,
            );
            let name = path.file_name().unwrap().to_string_lossy();
            if let Some((_, why)) = KNOWN_OUTLINE_MISSES.iter().find(|(f, _)| *f == name) {
                assert_ne!(
                    got.trim_end(),
                    want.trim_end(),
                    "{name} is fixed: drop it from the known misses"
                );
                eprintln!("known outline miss {name}: {why}");
                known += 1;
                continue;
            }
            assert_eq!(got.trim_end(), want.trim_end(), "{}", path.display());
            checked += 1;
        }
    }
    assert!(checked >= 6, "{checked} outlines checked");
    assert_eq!(known, KNOWN_OUTLINE_MISSES.len());
}
