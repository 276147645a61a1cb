//! `newsls check` end to end: the real binary on copies of the example newsroom in
//! `tests/cli/newsroom/`:
//!
//! - `good.md`, `wire-ar.txt`: clean articles (English Markdown, Arabic plain text);
//! - `broken.md`: a repeated word, a stray right-to-left mark and a short table row (safe
//!   fixes), a placeholder (an error with no safe fix), an extra cell (a fix that is not
//!   safe), and a lede too long for the newsroom's limit (information, by configuration);
//! - `wire-1256.txt`: Arabic wire copy in Windows-1256;
//! - `data/services.txt`: plain text that is not an article; `data/votes.csv`: not an
//!   article file at all;
//! - `.hidden.md` and `ignored.md` (in `.gitignore`): never walked;
//! - `drafts/`: excluded by `newsls.toml`'s `[files] exclude`;
//! - `desk/`: a `newsls.toml` of its own that switches `placeholder` off.
//!
//! Each test copies the newsroom into a temporary directory (adding `.git/`, so that
//! `.gitignore` applies as it does in a repository, and whatever special entries it
//! needs) and runs there. Unreadable files are simulated without chmod, since the tests
//! run as root, who reads anything: a dangling symbolic link, a link loop, a FIFO, and a
//! link to `/proc/self/mem` (a regular file whose read fails with EIO even for root). The
//! write failures of `--fix` are real: a tmpfs mounted for the test, filled up (ENOSPC) or
//! remounted read-only (EROFS).

use std::fs;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use expect_test::expect;
use serde_json::Value;

struct Out {
    status: i32,
    stdout: String,
    stderr: String,
}

/// A temporary working directory holding `newsroom/`.
struct Desk {
    dir: tempfile::TempDir,
}

impl Desk {
    fn new() -> Desk {
        let dir = tempfile::tempdir().unwrap();
        copy_tree(&fixtures().join("newsroom"), &dir.path().join("newsroom"));
        fs::create_dir(dir.path().join("newsroom/.git")).unwrap();
        Desk { dir }
    }

    /// An empty working directory.
    fn empty() -> Desk {
        Desk {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn write(&self, rel: &str, text: &str) {
        let p = self.path(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }

    fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path(rel)).unwrap()
    }

    fn run(&self, args: &[&str]) -> Out {
        self.run_with(args, None, &[])
    }

    fn run_with(&self, args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> Out {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_newsls"));
        cmd.arg("check")
            .args(args)
            .current_dir(self.dir.path())
            // No global Git excludes or colour preferences from the machine running the
            // tests.
            .env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.dir.path())
            .env_remove("NO_COLOR")
            .env_remove("NEWSLS_LOG")
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().unwrap();
        if let Some(text) = stdin {
            use std::io::Write;
            let mut pipe = child.stdin.take().unwrap();
            pipe.write_all(text.as_bytes()).unwrap();
        }
        let out = child.wait_with_output().unwrap();
        Out {
            status: out.status.code().expect("exited"),
            stdout: String::from_utf8(out.stdout).unwrap(),
            stderr: String::from_utf8(out.stderr).unwrap(),
        }
    }

    fn json(&self, args: &[&str]) -> (i32, Value) {
        let mut all = vec!["--format", "json"];
        all.extend_from_slice(args);
        let out = self.run(&all);
        let v = serde_json::from_str(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}\n{}", out.stdout, out.stderr));
        (out.status, v)
    }
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli")
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &target);
        } else {
            fs::copy(e.path(), target).unwrap();
        }
    }
}

/// Files in `dir` (names), to see that no temporary file is left behind.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

const BROKEN: &str = "newsroom/broken.md";

// ---------------------------------------------------------------------------------------
// What is checked, and the text output.

#[test]
fn the_newsroom_is_walked_as_ripgrep_would_and_every_file_gets_its_configuration() {
    let desk = Desk::new();
    let out = desk.run(&["newsroom"]);
    assert_eq!(out.status, 1);
    // Hidden and gitignored files are not walked; drafts/ is excluded by the newsroom's
    // configuration; desk/story.md's `TK` is allowed by the desk's own configuration; the
    // lede of broken.md is over the newsroom's 20 words, but that is information, below
    // the default threshold.
    expect![[r#"
        newsroom/broken.md:3:35: warning[repeated-word] `the` twice in a row
        newsroom/broken.md:5:16: error[placeholder] Placeholder `TK` left in the copy: a fact still to come
        newsroom/broken.md:11:16: warning[table-extra-cells] This row has 3 cells but the header has 2: the last cell is dropped when the table is rendered
          newsroom/broken.md:9:1: note: The header row has 2 cells
        newsroom/broken.md:12:1: warning[table-missing-cells] This row has 1 of the header's 2 cells: one cell is missing
          newsroom/broken.md:9:1: note: The header row has 2 cells
        newsroom/broken.md:14:29: warning[bidi-control] Invisible right-to-left mark (U+200F) acts on nothing here: it can garble how the line is displayed
        4 files checked, 2 skipped, 1 unreadable: 1 error, 4 warnings
    "#]]
    .assert_eq(&out.stdout);
    expect![[r#"
        newsls: note: skipped newsroom/data/services.txt: not a news article (tab-separated data: 100% of lines have tabs)
        newsls: error: newsroom/wire-1256.txt is not UTF-8 (it looks like windows-1256): convert it with iconv -f windows-1256 -t utf-8
    "#]]
    .assert_eq(&out.stderr);
    // The same run again gives the same bytes (files are checked in parallel, reported
    // in order).
    let again = desk.run(&["newsroom"]);
    assert_eq!((again.stdout, again.stderr), (out.stdout, out.stderr));
}

#[test]
fn clean_articles_exit_0() {
    let desk = Desk::new();
    let out = desk.run(&["newsroom/good.md", "newsroom/wire-ar.txt", "newsroom/desk"]);
    assert_eq!(out.status, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(out.stdout, "3 files checked: no problems\n");
    assert_eq!(out.stderr, "");
}

#[test]
fn a_file_named_on_the_command_line_is_checked_even_if_gitignored_or_hidden() {
    let desk = Desk::new();
    let out = desk.run(&["newsroom/ignored.md", "newsroom/.hidden.md"]);
    assert_eq!(out.status, 1);
    assert!(
        out.stdout
            .contains("newsroom/ignored.md:3:5: warning[repeated-word]"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("newsroom/.hidden.md:3:5: warning[repeated-word]"),
        "{}",
        out.stdout
    );
    // Named twice, or named and found under a directory: checked once.
    let twice = desk.run(&[BROKEN, "newsroom/./broken.md", "newsroom"]);
    assert_eq!(
        twice.stdout.matches("repeated-word").count(),
        1,
        "{}",
        twice.stdout
    );
}

#[test]
fn many_files_are_checked_in_parallel_and_reported_in_path_order() {
    let desk = Desk::empty();
    let broken = fs::read_to_string(fixtures().join("newsroom/broken.md")).unwrap();
    // Names whose order differs from creation order and from directory order.
    for i in (0..60).rev() {
        desk.write(&format!("wire/{:02}/story-{}.md", i % 7, 59 - i), &broken);
    }
    let out = desk.run(&["--severity", "error", "wire"]);
    assert_eq!(out.status, 1);
    let paths: Vec<&str> = out
        .stdout
        .lines()
        .filter_map(|l| l.split(':').next().filter(|p| p.ends_with(".md")))
        .collect();
    assert_eq!(paths.len(), 60);
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
    assert!(
        out.stdout.ends_with("60 files checked: 60 errors\n"),
        "{}",
        out.stdout
    );
}

#[test]
fn the_severity_threshold_sets_what_is_shown_counted_and_fails() {
    let desk = Desk::new();
    let errors = desk.run(&["--severity", "error", BROKEN]);
    assert_eq!(errors.status, 1);
    expect![[r#"
        newsroom/broken.md:5:16: error[placeholder] Placeholder `TK` left in the copy: a fact still to come
        1 file checked: 1 error
    "#]]
    .assert_eq(&errors.stdout);
    let info = desk.run(&["--severity", "information", BROKEN]);
    assert!(
        info.stdout.contains("newsroom/broken.md:3:1: information[lede-too-long] The lede runs to 23 words; the desk's limit is 20"),
        "{}",
        info.stdout
    );
    assert!(
        info.stdout
            .ends_with(": 1 error, 4 warnings, 1 information\n"),
        "{}",
        info.stdout
    );
    // Only warnings in a file: they fail the default threshold, not `error`.
    desk.write("w.md", "# Title\n\nThe the strike is over.\n");
    assert_eq!(desk.run(&["w.md"]).status, 1);
    let quiet = desk.run(&["--severity", "error", "w.md"]);
    assert_eq!(
        (quiet.status, quiet.stdout.as_str()),
        (0, "1 file checked: no problems\n")
    );
}

// ---------------------------------------------------------------------------------------
// Files that cannot be checked.

#[test]
fn a_bad_file_among_good_ones_is_reported_and_the_others_are_still_checked() {
    let desk = Desk::new();
    let nr = desk.path("newsroom");
    symlink(nr.join("no-such-story.md"), nr.join("gone.md")).unwrap();
    symlink(nr.join("loop.md"), nr.join("loop.md")).unwrap();
    symlink("/proc/self/mem", nr.join("io-error.md")).unwrap();
    let fifo = Command::new("mkfifo")
        .arg(nr.join("pipe.md"))
        .status()
        .unwrap();
    assert!(fifo.success());
    let out = desk.run(&["newsroom", "newsroom/missing.md"]);
    assert_eq!(out.status, 1);
    // Every good file is still checked.
    assert!(
        out.stdout
            .ends_with("4 files checked, 2 skipped, 6 unreadable: 1 error, 4 warnings\n"),
        "{}",
        out.stdout
    );
    let stderr: Vec<&str> = out.stderr.lines().collect();
    expect![[r#"
        [
            "newsls: note: skipped newsroom/data/services.txt: not a news article (tab-separated data: 100% of lines have tabs)",
            "newsls: error: cannot read newsroom/gone.md: a symbolic link whose target cannot be read: No such file or directory",
            "newsls: error: cannot read newsroom/io-error.md: Input/output error",
            "newsls: error: cannot read newsroom/loop.md: a symbolic link whose target cannot be read: Too many levels of symbolic links",
            "newsls: error: cannot read newsroom/missing.md: No such file or directory",
            "newsls: error: cannot read newsroom/pipe.md: a named pipe, not an article file: not read",
            "newsls: error: newsroom/wire-1256.txt is not UTF-8 (it looks like windows-1256): convert it with iconv -f windows-1256 -t utf-8",
        ]
    "#]]
    .assert_debug_eq(&stderr);
    // JSON lists them as notices, with a kind a script can test.
    let (_, v) = desk.json(&["newsroom"]);
    let kinds: Vec<(String, String)> = v["notices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["path"].as_str().unwrap().to_string(),
                n["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    expect![[r#"
        [
            (
                "newsroom/data/services.txt",
                "not-an-article",
            ),
            (
                "newsroom/drafts/draft.md",
                "excluded",
            ),
            (
                "newsroom/gone.md",
                "unreadable",
            ),
            (
                "newsroom/io-error.md",
                "unreadable",
            ),
            (
                "newsroom/loop.md",
                "unreadable",
            ),
            (
                "newsroom/pipe.md",
                "not-a-file",
            ),
            (
                "newsroom/wire-1256.txt",
                "not-utf8",
            ),
        ]
    "#]]
    .assert_debug_eq(&kinds);
    // An excluded path is left alone even when it could not be read: the newsroom said
    // so. (Reading first would fail a pipeline over a broken link in `drafts/`.)
    symlink(nr.join("nowhere.md"), nr.join("drafts/gone.md")).unwrap();
    let (status, v) = desk.json(&["newsroom/drafts"]);
    assert_eq!(status, 0, "{v}");
    let kinds: Vec<&str> = v["notices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["excluded", "excluded"], "{v}");
    assert_eq!(v["summary"]["unreadable"], 0, "{v}");
    let (_, v) = desk.json(&["newsroom"]);
    let wire = v["notices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["kind"] == "not-utf8")
        .unwrap();
    assert_eq!(wire["encoding"], "windows-1256");
    assert_eq!(wire["level"], "error");
}

#[test]
fn plain_text_that_is_not_an_article_is_checked_when_articles_only_is_off() {
    let desk = Desk::new();
    desk.write("all.toml", "[files]\narticles-only = false\n");
    let out = desk.run(&["--config", "all.toml", "newsroom/data/services.txt"]);
    assert_eq!(out.stderr, "");
    assert!(out.stdout.starts_with("1 file checked"), "{}", out.stdout);
}

// ---------------------------------------------------------------------------------------
// Configuration.

#[test]
fn the_nearest_configuration_governs_and_config_overrides_it_for_all() {
    let desk = Desk::new();
    let story = "newsroom/desk/story.md";
    // The desk's newsls.toml switches placeholder off (and replaces the newsroom's whole).
    let own = desk.run(&["--severity", "hint", story]);
    assert_eq!(own.status, 0, "{}", own.stdout);
    // --config puts the newsroom's rules on it: the placeholder is an error, the lede is
    // over 20 words.
    let forced = desk.run(&[
        "--severity",
        "hint",
        "--config",
        "newsroom/newsls.toml",
        story,
    ]);
    assert_eq!(forced.status, 1);
    assert!(
        forced.stdout.contains("error[placeholder]"),
        "{}",
        forced.stdout
    );
    assert!(
        forced.stdout.contains("information[lede-too-long]"),
        "{}",
        forced.stdout
    );
    // [files] globs are relative to the file that holds them, wherever check runs from.
    let from_inside = Command::new(env!("CARGO_BIN_EXE_newsls"))
        .args(["check", "--format", "json", "."])
        .current_dir(desk.path("newsroom/drafts"))
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&from_inside.stdout).unwrap();
    assert_eq!(v["notices"][0]["kind"], "excluded", "{v}");
    assert_eq!(v["summary"]["checked"], 0);
}

#[test]
fn unknown_keys_are_warnings_with_file_and_line() {
    let desk = Desk::empty();
    desk.write(
        "newsls.toml",
        "# house style\ndocs-base-uri = \"https://example.org\"\n\n[files]\ninclde = [\"*.md\"]\n\n[rules]\nrepeated-word = \"error\"\n",
    );
    desk.write("a.md", "# Title\n\nThe the end.\n");
    let out = desk.run(&["a.md"]);
    assert_eq!(out.status, 1);
    expect![[r#"
        newsls: warning: newsls.toml:2: unknown key `docs-base-uri` in the configuration (ignored)
        newsls: warning: newsls.toml:5: unknown key `files.inclde` in the configuration (ignored)
    "#]]
    .assert_eq(&out.stderr);
    // The rest of the file is in force.
    assert!(
        out.stdout.contains("error[repeated-word]"),
        "{}",
        out.stdout
    );
    let (_, v) = desk.json(&["a.md"]);
    assert_eq!(v["configurationWarnings"][1]["key"], "files.inclde");
    assert_eq!(v["configurationWarnings"][1]["line"], 5);
    assert_eq!(v["configurationWarnings"][1]["path"], "newsls.toml");
}

#[test]
fn names_are_checked_with_the_newsrooms_glossary_and_its_bad_entries_are_warnings() {
    let desk = Desk::empty();
    desk.write(
        "newsls.toml",
        "[rules]\nentity-variant = \"warning\"\n\n[[entity]]\nkind = \"person\"\nen = \"Eva Jansen\"\navoid = [\"Jansenn\"]\n\n[[entity]]\nkind = \"wizard\"\nen = \"Merlin\"\n\n[entities]\nglossary = \"names.toml\"\n",
    );
    desk.write(
        "names.toml",
        "# the desk's names\n[[entity]]\nkind = \"city\"\n",
    );
    desk.write(
        "port.md",
        "# Port reopens\n\nEva Jansen said the port was open again. Jansenn added that ships were waiting.\n",
    );
    // A known name misspelt (the gazetteer), and a variant the house style does not use
    // (re-levelled to warning above).
    desk.write(
        "un.md",
        "# UN chief calls for ceasefire\n\nUN Secretary-General António Guterres said on Monday that both sides must stop fighting.\n\nGutteres added that aid convoys were waiting at the border.\n\nRegion by region, the figures were worse than expected, Guterres said.\n",
    );
    desk.write(
        "summit.txt",
        "ترامب يلتقي بوتين في ألاسكا\n\nالتقى الرئيس الأمريكي دونالد ترمب الرئيس الروسي فلاديمير بوتين في ألاسكا يوم الجمعة.\n\nوقال بوتين إن المباحثات كانت صريحة.\n",
    );
    let out = desk.run(&["."]);
    assert_eq!(out.status, 1);
    let codes: Vec<&str> = out
        .stdout
        .lines()
        .filter_map(|l| l.split_once('[')?.1.split_once(']').map(|(c, _)| c))
        .collect();
    assert_eq!(
        codes,
        ["entity-misspelling", "entity-variant", "entity-misspelling"],
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("./port.md:3:42: warning[entity-misspelling] `Jansenn`"),
        "{}",
        out.stdout
    );
    // Bad entries cost only themselves, and are named with their file and line.
    expect![[r#"
        newsls: warning: newsls.toml:9: entry “Merlin”: unknown kind `wizard` (one of person, country, city, region, place, news-agency, government-body, company, party, international-organisation, organisation)
        newsls: warning: names.toml:2: an entry needs `en` or `ar`
    "#]]
    .assert_eq(&out.stderr);
    let (_, v) = desk.json(&["."]);
    let w = &v["configurationWarnings"];
    assert_eq!(
        (w[0]["path"].as_str(), w[0]["line"].as_u64()),
        (Some("newsls.toml"), Some(9))
    );
    assert_eq!(
        (w[1]["path"].as_str(), w[1]["line"].as_u64()),
        (Some("names.toml"), Some(2))
    );
    assert!(w[0].get("key").is_none(), "{w}");
    // The names' fixes are not safe (a person decides): --fix leaves them.
    let fixes = &v["findings"][0]["fixes"];
    assert_eq!(fixes[0]["safe"], false, "{fixes}");
    let before = desk.read("un.md");
    desk.run(&["--fix", "."]);
    assert_eq!(desk.read("un.md"), before);
    // SARIF carries them as configuration notifications, and stays valid.
    let sarif = desk.run(&["--format", "sarif", "."]);
    let v: Value = serde_json::from_str(&sarif.stdout).unwrap();
    assert_valid_sarif(&v);
    let notes = &v["runs"][0]["invocations"][0]["toolConfigurationNotifications"];
    assert_eq!(notes[1]["descriptor"]["id"], "glossary", "{notes}");
}

#[test]
fn the_comparison_of_open_articles_is_the_editors_alone() {
    // Two articles spelling one known name two ways: the language server hints at it
    // across open articles (entity-spelling-elsewhere); the command line checks each
    // file on its own, so its findings never depend on which other files were named.
    let desk = Desk::empty();
    desk.write(
        "newsls.toml",
        "[rules]\nentity-spelling-elsewhere = \"error\"\n",
    );
    desk.write(
        "a.txt",
        "ترامب يلتقي بوتين\n\nالتقى الرئيس الأمريكي دونالد ترامب الرئيس الروسي فلاديمير بوتين يوم الجمعة.\n",
    );
    desk.write(
        "b.txt",
        "ترمب يلتقي بوتين\n\nالتقى الرئيس الأمريكي دونالد ترمب الرئيس الروسي فلاديمير بوتين يوم الجمعة.\n",
    );
    let both = desk.run(&["--severity", "hint", "a.txt", "b.txt"]);
    assert!(
        !both.stdout.contains("entity-spelling-elsewhere"),
        "{}",
        both.stdout
    );
    let alone = desk.run(&["--severity", "hint", "b.txt"]);
    let findings = |s: &str| s.lines().filter(|l| l.starts_with("b.txt:")).count();
    assert_eq!(
        findings(&both.stdout),
        findings(&alone.stdout),
        "{}",
        both.stdout
    );
}

#[test]
fn a_bad_configuration_exits_2_before_anything_is_checked() {
    // Each error where it is written (line and column), as the editor shows it.
    for (toml, says) in [
        (
            "[rules]\nplaceholder = \"loud\"\n",
            "desk/newsls.toml:2:15: invalid configuration: invalid level `loud`",
        ),
        (
            "[rules]\nno-such-rule = \"off\"\n",
            "desk/newsls.toml:2:1: invalid configuration: unknown rule `no-such-rule`",
        ),
        (
            "[rules.lede-too-long]\nmax-words = \"many\"\n",
            "desk/newsls.toml:1:8: invalid configuration: ",
        ),
        (
            "[files]\nexclude = [\"[\"]\n",
            "desk/newsls.toml:2:12: invalid configuration: invalid glob",
        ),
        ("[rules\n", "desk/newsls.toml:1:7: invalid configuration"),
    ] {
        let desk = Desk::empty();
        desk.write("desk/newsls.toml", toml);
        desk.write("desk/a.md", "# Title\n\nFine.\n");
        let out = desk.run(&["desk"]);
        assert_eq!(out.status, 2, "{toml}: {}", out.stderr);
        assert_eq!(out.stdout, "", "{toml}");
        assert!(
            out.stderr.contains("desk/newsls.toml"),
            "{toml}: {}",
            out.stderr
        );
        assert!(out.stderr.contains(says), "{toml}: {}", out.stderr);
    }
    let desk = Desk::empty();
    desk.write("a.md", "# Title\n\nFine.\n");
    let missing = desk.run(&["--config", "nope.toml", "a.md"]);
    assert_eq!(missing.status, 2);
    assert!(
        missing.stderr.contains("--config nope.toml"),
        "{}",
        missing.stderr
    );
}

#[test]
fn usage_errors_exit_2() {
    let desk = Desk::new();
    for args in [
        vec!["--severity", "loud", BROKEN],
        vec!["--format", "xml", BROKEN],
        vec!["--fix", "--diff", BROKEN],
        vec!["--fix", "-"],
        vec!["--diff", "--format", "json", BROKEN],
        vec![],
    ] {
        let out = desk.run(&args);
        assert_eq!(out.status, 2, "{args:?}: {}", out.stderr);
        assert_eq!(out.stdout, "", "{args:?}");
        assert!(!out.stderr.is_empty(), "{args:?}");
    }
    assert_eq!(
        desk.read(BROKEN),
        fs::read_to_string(fixtures().join("newsroom/broken.md")).unwrap()
    );
}

// ---------------------------------------------------------------------------------------
// Standard input.

#[test]
fn standard_input_is_checked_under_the_name_it_is_given() {
    let desk = Desk::new();
    let text = "# Title\n\nThe minister said TK.\n";
    let plain = desk.run_with(&["-"], Some(text), &[]);
    assert_eq!(plain.status, 1);
    assert!(
        plain.stdout.starts_with("-:3:19: error[placeholder]"),
        "{}",
        plain.stdout
    );
    // The name chooses the configuration (the desk allows TK) and the format.
    let named = desk.run_with(
        &["--stdin-filename", "newsroom/desk/new.md", "-"],
        Some(text),
        &[],
    );
    assert_eq!(
        (named.status, named.stdout.as_str()),
        (0, "1 file checked: no problems\n")
    );
    let services = fs::read_to_string(fixtures().join("newsroom/data/services.txt")).unwrap();
    let data = desk.run_with(&["--input", "text", "-"], Some(&services), &[]);
    assert_eq!(data.status, 0);
    assert!(
        data.stderr.contains("skipped -: not a news article"),
        "{}",
        data.stderr
    );
    let diff = desk.run_with(
        &["--diff", "--stdin-filename", "x.md", "-"],
        Some("# T\n\nThe the end.\n"),
        &[],
    );
    assert!(
        diff.stdout.contains("--- a/x.md\n+++ b/x.md\n"),
        "{}",
        diff.stdout
    );
}

// ---------------------------------------------------------------------------------------
// JSON and SARIF.

#[test]
fn json_gives_lsp_ranges_and_compiler_positions_fixes_and_a_summary() {
    let desk = Desk::empty();
    // Emoji before the problem: UTF-16 columns (LSP) and characters differ by one each.
    desk.write(
        "fans.md",
        "# Cup final\n\nFans 🎉🎉 cheered the the team home.\n",
    );
    let (status, v) = desk.json(&["fans.md"]);
    assert_eq!(status, 1);
    let f = &v["findings"][0];
    assert_eq!(f["path"], "fans.md");
    assert_eq!(f["code"], "repeated-word");
    assert_eq!(f["severity"], "warning");
    // "Fans 🎉🎉 cheered the the": the second `the` is the 21st to 23rd characters, and
    // UTF-16 code units 22 to 24 (each emoji is a surrogate pair).
    assert_eq!(
        f["range"]["start"],
        serde_json::json!({"line": 2, "character": 22})
    );
    assert_eq!(
        f["range"]["end"],
        serde_json::json!({"line": 2, "character": 25})
    );
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(3), Some(21))
    );
    assert_eq!(
        (f["endLine"].as_u64(), f["endColumn"].as_u64()),
        (Some(3), Some(24))
    );
    expect![[r#"
        [
          {
            "edits": [
              {
                "newText": "",
                "range": {
                  "end": {
                    "character": 25,
                    "line": 2
                  },
                  "start": {
                    "character": 21,
                    "line": 2
                  }
                }
              }
            ],
            "preferred": true,
            "safe": true,
            "title": "Remove the second `the`"
          }
        ]"#]]
    .assert_eq(&serde_json::to_string_pretty(&f["fixes"]).unwrap());
    expect![[r#"
        {
          "checked": 1,
          "errors": 0,
          "exitStatus": 1,
          "files": 1,
          "fixed": 0,
          "hints": 0,
          "information": 0,
          "skipped": 0,
          "unreadable": 0,
          "warnings": 1,
          "writeFailures": 0
        }"#]]
    .assert_eq(&serde_json::to_string_pretty(&v["summary"]).unwrap());
    assert_eq!(v["version"], 1);
    assert_eq!(v["threshold"], "warning");
    // Related locations carry both forms too.
    let desk = Desk::new();
    let (_, v) = desk.json(&[BROKEN]);
    let extra = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "table-extra-cells")
        .unwrap();
    assert_eq!(extra["related"][0]["line"], 9);
    assert_eq!(extra["related"][0]["range"]["start"]["line"], 8);
    assert_eq!(extra["related"][0]["message"], "The header row has 2 cells");
    assert_eq!(extra["fixes"][0]["safe"], false);
}

fn sarif_validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(
        &fs::read_to_string(fixtures().join("sarif/sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    jsonschema::draft4::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles offline")
}

fn assert_valid_sarif(v: &Value) {
    let validator = sarif_validator();
    let errors: Vec<String> = validator
        .iter_errors(v)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[test]
fn the_schema_check_catches_invalid_sarif() {
    // The validator is not a rubber stamp: a level SARIF does not have, a missing
    // version, a region with line 0.
    let mut bad = serde_json::json!({
        "version": "2.1.0",
        "runs": [{ "tool": { "driver": { "name": "newsls" } }, "results": [{
            "message": { "text": "x" }, "level": "information",
            "locations": [{ "physicalLocation": {
                "artifactLocation": { "uri": "a.md" }, "region": { "startLine": 0 } } }]
        }] }]
    });
    assert_eq!(sarif_validator().iter_errors(&bad).count(), 2);
    bad.as_object_mut().unwrap().remove("version");
    assert_eq!(sarif_validator().iter_errors(&bad).count(), 3);
}

#[test]
fn sarif_is_valid_and_carries_rules_results_fixes_and_notifications() {
    let desk = Desk::new();
    let nr = desk.path("newsroom");
    symlink(nr.join("no-such-story.md"), nr.join("gone.md")).unwrap();
    desk.write("newsroom/desk/خبر عاجل.md", "# Title\n\nThe the end.\n");
    desk.write(
        "newsroom/newsls.toml",
        &format!(
            "docs-base-url = \"https://news.example.org/newsls/rules/{{id}}.html\"\nunknwn = 1\n{}",
            fs::read_to_string(fixtures().join("newsroom/newsls.toml")).unwrap()
        ),
    );
    let out = Command::new(env!("CARGO_BIN_EXE_newsls"))
        .args([
            "check",
            "--format",
            "sarif",
            "--severity",
            "hint",
            "--config",
            "newsls.toml",
            ".",
        ])
        .current_dir(&nr)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_valid_sarif(&v);
    let run = &v["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), newsls::rules::RULES.len());
    let placeholder = rules.iter().find(|r| r["id"] == "placeholder").unwrap();
    assert_eq!(placeholder["defaultConfiguration"]["level"], "error");
    assert_eq!(
        placeholder["helpUri"],
        "https://news.example.org/newsls/rules/placeholder.html"
    );
    assert!(placeholder["help"]["markdown"]
        .as_str()
        .unwrap()
        .starts_with("# `placeholder`"));
    assert!(!placeholder["fullDescription"]["text"]
        .as_str()
        .unwrap()
        .is_empty());
    let results = run["results"].as_array().unwrap();
    let repeated = results
        .iter()
        .find(|r| {
            r["ruleId"] == "repeated-word"
                && r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "broken.md"
        })
        .unwrap();
    expect![[r#"
        {
          "fixes": [
            {
              "artifactChanges": [
                {
                  "artifactLocation": {
                    "uri": "broken.md",
                    "uriBaseId": "%SRCROOT%"
                  },
                  "replacements": [
                    {
                      "deletedRegion": {
                        "endColumn": 38,
                        "endLine": 3,
                        "startColumn": 34,
                        "startLine": 3
                      }
                    }
                  ]
                }
              ],
              "description": {
                "text": "Remove the second `the`"
              }
            }
          ],
          "level": "warning",
          "locations": [
            {
              "physicalLocation": {
                "artifactLocation": {
                  "uri": "broken.md",
                  "uriBaseId": "%SRCROOT%"
                },
                "region": {
                  "endColumn": 38,
                  "endLine": 3,
                  "startColumn": 35,
                  "startLine": 3
                }
              }
            }
          ],
          "message": {
            "text": "`the` twice in a row"
          },
          "ruleId": "repeated-word",
          "ruleIndex": 15
        }"#]]
    .assert_eq(&serde_json::to_string_pretty(repeated).unwrap());
    // Information is a note; related locations; a fix that is not safe is left out.
    let lede = results
        .iter()
        .find(|r| r["ruleId"] == "lede-too-long")
        .unwrap();
    assert_eq!(lede["level"], "note");
    let extra = results
        .iter()
        .find(|r| r["ruleId"] == "table-extra-cells")
        .unwrap();
    assert_eq!(
        extra["relatedLocations"][0]["physicalLocation"]["region"]["startLine"],
        9
    );
    assert!(extra.get("fixes").is_none());
    // A file name with a space and Arabic letters is percent-encoded.
    assert!(results.iter().any(
        |r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            == "desk/%D8%AE%D8%A8%D8%B1%20%D8%B9%D8%A7%D8%AC%D9%84.md"
    ));
    let invocation = &run["invocations"][0];
    let notes: Vec<(&str, &str)> = invocation["toolExecutionNotifications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["descriptor"]["id"].as_str().unwrap(),
                n["level"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(notes.contains(&("unreadable", "error")), "{notes:?}");
    assert!(notes.contains(&("not-utf8", "error")), "{notes:?}");
    assert!(notes.contains(&("not-an-article", "note")), "{notes:?}");
    let config = &invocation["toolConfigurationNotifications"][0];
    assert_eq!(
        config["locations"][0]["physicalLocation"]["region"]["startLine"],
        2
    );
    assert!(config["message"]["text"]
        .as_str()
        .unwrap()
        .contains("`unknwn`"));
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    // Without docs-base-url, no rule links anywhere.
    let plain = desk.run(&["--format", "sarif", BROKEN]);
    let v: Value = serde_json::from_str(&plain.stdout).unwrap();
    assert_valid_sarif(&v);
    assert!(!plain.stdout.contains("helpUri"));
}

// ---------------------------------------------------------------------------------------
// --fix and --diff.

const FIXED: &str = "# Council approves the budget

LONDON — The council approved the budget on Tuesday after a long debate that ran late into the night over parks, roads and schools.

The mayor said TK.

## Spending

| Item | Amount |
| --- | --- |
| Roads | 4m | extra |
| Parks |  |

Residents have until Friday  to comment.
";

#[test]
fn fix_applies_the_safe_fixes_in_place_and_reports_what_is_left() {
    let desk = Desk::new();
    let path = desk.path(BROKEN);
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
    let out = desk.run(&["--fix", "newsroom"]);
    assert_eq!(out.status, 1, "the placeholder and the extra cell are left");
    expect![[r#"
        newsroom/broken.md:5:16: error[placeholder] Placeholder `TK` left in the copy: a fact still to come
        newsroom/broken.md:11:16: warning[table-extra-cells] This row has 3 cells but the header has 2: the last cell is dropped when the table is rendered
          newsroom/broken.md:9:1: note: The header row has 2 cells
        4 files checked, 2 skipped, 1 unreadable: 1 error, 1 warning (3 fixed)
    "#]]
    .assert_eq(&out.stdout);
    assert_eq!(desk.read(BROKEN), FIXED);
    assert_eq!(
        fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o640
    );
    // No temporary file is left beside it; files that were not fixed are untouched.
    let mut expected = names(&fixtures().join("newsroom"));
    expected.push(".git".into());
    expected.sort();
    assert_eq!(names(&desk.path("newsroom")), expected);
    for f in [
        "good.md",
        "wire-ar.txt",
        "desk/story.md",
        "drafts/draft.md",
        "ignored.md",
    ] {
        assert_eq!(
            fs::read(desk.path(&format!("newsroom/{f}"))).unwrap(),
            fs::read(fixtures().join("newsroom").join(f)).unwrap(),
            "{f}"
        );
    }
    // Nothing left to fix: a second run changes nothing.
    let again = desk.run(&["--fix", BROKEN]);
    assert!(
        again
            .stdout
            .ends_with("1 file checked: 1 error, 1 warning (0 fixed)\n"),
        "{}",
        again.stdout
    );
    assert_eq!(desk.read(BROKEN), FIXED);
}

#[test]
fn fix_keeps_a_byte_order_mark_and_a_symbolic_link() {
    let desk = Desk::empty();
    fs::write(desk.path("bom.md"), "\u{feff}# Title\n\nThe the end.\n").unwrap();
    symlink("bom.md", desk.path("link.md")).unwrap();
    let out = desk.run(&["--fix", "link.md"]);
    assert_eq!(out.status, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(desk.read("bom.md"), "\u{feff}# Title\n\nThe end.\n");
    assert!(fs::symlink_metadata(desk.path("link.md"))
        .unwrap()
        .file_type()
        .is_symlink());
}

#[test]
fn diff_shows_what_fix_would_change_and_writes_nothing() {
    let desk = Desk::new();
    let before = fs::read(desk.path(BROKEN)).unwrap();
    let out = desk.run(&["--diff", "newsroom"]);
    assert_eq!(out.status, 1);
    expect![[r#"
        --- a/newsroom/broken.md
        +++ b/newsroom/broken.md
        @@ -1,6 +1,6 @@
         # Council approves the budget
         
        -LONDON — The council approved the the budget on Tuesday after a long debate that ran late into the night over parks, roads and schools.
        +LONDON — The council approved the budget on Tuesday after a long debate that ran late into the night over parks, roads and schools.
         
         The mayor said TK.
         
        @@ -9,6 +9,6 @@
         | Item | Amount |
         | --- | --- |
         | Roads | 4m | extra |
        -| Parks |
        +| Parks |  |
         
        -Residents have until Friday ‏ to comment.
        +Residents have until Friday  to comment.
    "#]]
    .assert_eq(&out.stdout);
    assert!(
        out.stderr
            .ends_with("newsls: --diff: 3 fixes would change 1 file; nothing was written\n"),
        "{}",
        out.stderr
    );
    assert_eq!(fs::read(desk.path(BROKEN)).unwrap(), before);
    // The diff applies: patch turns the file into what --fix writes.
    let patch = Command::new("patch")
        .args(["-p1", "--quiet"])
        .current_dir(desk.dir.path())
        .stdin(Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin.take().unwrap().write_all(out.stdout.as_bytes())?;
            c.wait()
        });
    if let Ok(status) = patch {
        assert!(status.success());
        assert_eq!(desk.read(BROKEN), FIXED);
    }
}

#[test]
fn fix_leaves_a_read_only_file_alone() {
    let desk = Desk::new();
    let path = desk.path(BROKEN);
    fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
    let before = fs::read(&path).unwrap();
    let out = desk.run(&["--fix", BROKEN]);
    assert_eq!(out.status, 1);
    assert_eq!(
        out.stderr,
        "newsls: warning: did not fix newsroom/broken.md: it is read-only\n"
    );
    assert!(
        out.stdout
            .ends_with("1 file checked: 1 error, 4 warnings (0 fixed)\n"),
        "{}",
        out.stdout
    );
    assert_eq!(fs::read(&path).unwrap(), before);
    assert_eq!(
        fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o444
    );
}

/// A tmpfs mounted on a directory for one test, unmounted when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(dir: &Path, size: &str) -> Tmpfs {
        fs::create_dir_all(dir).unwrap();
        let ok = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size},mode=0755"),
                "tmpfs",
            ])
            .arg(dir)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        assert!(
            ok,
            "cannot mount a tmpfs on {}: these tests need root (as CI runs them) to make real write failures",
            dir.display()
        );
        Tmpfs(dir.to_path_buf())
    }

    fn remount_read_only(&self) {
        let ok = Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(&self.0)
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(ok.success());
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount")
            .arg("-l")
            .arg(&self.0)
            .stderr(Stdio::null())
            .status();
    }
}

#[test]
fn fix_on_a_full_disk_loses_nothing() {
    let desk = Desk::empty();
    let disk = Tmpfs::mount(&desk.path("full"), "64k");
    let broken = fs::read(fixtures().join("newsroom/broken.md")).unwrap();
    fs::write(desk.path("full/broken.md"), &broken).unwrap();
    // Fill what is left, so the temporary file cannot get a single page.
    let mut filler = fs::File::create(desk.path("full/filler")).unwrap();
    let chunk = vec![b'x'; 4096];
    loop {
        use std::io::Write;
        if filler
            .write_all(&chunk)
            .and_then(|_| filler.sync_all())
            .is_err()
        {
            break;
        }
    }
    let out = desk.run(&["--fix", "full/broken.md"]);
    assert_eq!(out.status, 1);
    assert!(
        out.stderr.starts_with("newsls: error: could not write the fixes to full/broken.md (it is unchanged): No space left on device"),
        "{}",
        out.stderr
    );
    assert!(
        out.stdout
            .ends_with("1 file checked: 1 error, 4 warnings (0 fixed), 1 file not written\n"),
        "{}",
        out.stdout
    );
    assert_eq!(fs::read(desk.path("full/broken.md")).unwrap(), broken);
    assert_eq!(names(&desk.path("full")), ["broken.md", "filler"]);
    drop(disk);
}

#[test]
fn fix_on_a_read_only_file_system_loses_nothing() {
    let desk = Desk::empty();
    let disk = Tmpfs::mount(&desk.path("ro"), "1m");
    let broken = fs::read(fixtures().join("newsroom/broken.md")).unwrap();
    fs::write(desk.path("ro/broken.md"), &broken).unwrap();
    disk.remount_read_only();
    let out = desk.run(&["--fix", "ro/broken.md"]);
    assert_eq!(out.status, 1);
    assert!(
        out.stderr.starts_with("newsls: error: could not write the fixes to ro/broken.md (it is unchanged): Read-only file system"),
        "{}",
        out.stderr
    );
    assert_eq!(fs::read(desk.path("ro/broken.md")).unwrap(), broken);
    assert_eq!(names(&desk.path("ro")), ["broken.md"]);
}

// ---------------------------------------------------------------------------------------
// Terminal niceties stay out of pipes.

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let desk = Desk::new();
    let piped = desk.run(&["newsroom"]);
    assert!(!piped.stdout.contains('\x1b') && !piped.stderr.contains('\x1b'));
    // No progress bar either: it would need carriage returns.
    assert!(!piped.stderr.contains('\r'));
    let always = desk.run(&["--color", "always", BROKEN]);
    assert!(
        always.stdout.contains("\x1b[1;31merror\x1b[0m"),
        "{:?}",
        always.stdout
    );
    let never = desk.run_with(&["--color", "auto", BROKEN], None, &[("NO_COLOR", "1")]);
    assert!(!never.stdout.contains('\x1b'));
}

/// A reader that stops early (`newsls check . | head`) gets what it read, and no message
/// about the pipe it closed: the report's writes fail, and newsls exits quietly.
#[test]
fn a_reader_that_stops_early_gets_no_broken_pipe_message() {
    let article = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/alaska-summit-ar.txt");
    for args in [
        vec!["check".to_string(), article.display().to_string()],
        vec!["outline".to_string(), article.display().to_string()],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_newsls"))
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The reader is gone before the first line is written.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("Broken pipe"), "{args:?}: {stderr}");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
    }
}
