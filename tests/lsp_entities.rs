//! Named entities through the real binary's stdio: hover, references, highlights, rename,
//! semantic tokens (full, range, delta), workspace symbols, the newsroom glossary and the
//! cross-document spelling hint, in UTF-16 (VS Code) and UTF-8 (Neovim).

mod common;

use std::time::Duration;

use common::*;
use serde_json::{json, Value};

const REF_URI: &str = "file:///tmp/newsls-entities/alaska-summit-ar.txt";

fn nth(text: &str, needle: &str, n: usize) -> usize {
    text.match_indices(needle)
        .nth(n)
        .unwrap_or_else(|| panic!("{needle} #{n} not in the text"))
        .0
}

fn at(text: &str, offset: usize, enc: &str, uri: &str) -> Value {
    json!({"textDocument": {"uri": uri}, "position": pos(text, offset, enc)})
}

fn hover(s: &mut Server, text: &str, offset: usize, enc: &str, uri: &str) -> Value {
    s.request("textDocument/hover", at(text, offset, enc, uri))
}

fn hover_text(h: &Value) -> String {
    assert_eq!(h["contents"]["kind"], "markdown", "{h}");
    h["contents"]["value"].as_str().unwrap().to_string()
}

/// Byte offset of an LSP position in `enc`: the oracle for ranges the server sends.
fn offset_of(text: &str, p: &Value, enc: &str) -> usize {
    let line = p["line"].as_u64().unwrap() as usize;
    let col = p["character"].as_u64().unwrap() as usize;
    let mut start = 0;
    for _ in 0..line {
        start += text[start..].find('\n').unwrap() + 1;
    }
    let mut units = 0;
    for (i, c) in text[start..].char_indices() {
        if units >= col {
            return start + i;
        }
        units += match enc {
            "utf-8" => c.len_utf8(),
            "utf-16" => c.len_utf16(),
            _ => 1,
        };
    }
    text.len()
}

fn range_text<'a>(text: &'a str, r: &Value, enc: &str) -> &'a str {
    &text[offset_of(text, &r["start"], enc)..offset_of(text, &r["end"], enc)]
}

fn server(enc: &str) -> Server {
    let mut s = Server::start();
    let caps = if enc == "utf-8" {
        neovim_capabilities()
    } else {
        vscode_capabilities()
    };
    let init = s.initialize(caps);
    assert_eq!(init["capabilities"]["positionEncoding"], enc);
    assert_eq!(init["capabilities"]["hoverProvider"], true);
    s
}

#[test]
fn hovers_on_the_reference_article_in_utf16_and_utf8() {
    let text = reference_article();
    for enc in ["utf-16", "utf-8"] {
        let mut s = server(enc);
        s.open(REF_URI, "plaintext", &text);

        // A surname with a proclitic: the range leaves the proclitic out.
        let wa_trump = nth(&text, "وترامب", 0);
        let h = hover(&mut s, &text, wa_trump + "و".len() + 2, enc, REF_URI);
        assert_eq!(range_text(&text, &h["range"], enc), "ترامب", "{enc}");
        let md = hover_text(&h);
        assert!(md.contains("person"), "{md}");
        assert!(md.contains("Donald Trump"), "{md}");
        assert!(
            md.contains("الرئيس الأمريكي دونالد ترامب"),
            "the introduction: {md}"
        );
        assert!(md.contains("Mentioned 5 times"), "{md}");

        // The headline's Putin, before the article introduces him.
        let h = hover(&mut s, &text, nth(&text, "بوتين", 0), enc, REF_URI);
        let md = hover_text(&h);
        assert!(
            md.contains("Vladimir Putin") && md.contains("person"),
            "{md}"
        );
        assert!(md.contains("الرئيس الروسي فلاديمير بوتين"), "{md}");

        // A news agency inside quotation marks, with a proclitic before them.
        let tass = nth(&text, "تاس", 0);
        let h = hover(&mut s, &text, tass, enc, REF_URI);
        assert_eq!(range_text(&text, &h["range"], enc), "تاس");
        let md = hover_text(&h);
        assert!(
            md.contains("organisation (news agency)") && md.contains("TASS"),
            "{md}"
        );

        // A city with a proclitic.
        let h = hover(&mut s, &text, nth(&text, "وواشنطن", 0) + 4, enc, REF_URI);
        assert_eq!(range_text(&text, &h["range"], enc), "واشنطن");
        assert!(hover_text(&h).contains("place (city)"));

        // Not names.
        for word in ["القيادة", "المفاوضات", "الروسية"] {
            let h = hover(&mut s, &text, nth(&text, word, 0) + 2, enc, REF_URI);
            assert_eq!(h, Value::Null, "{word} is not a name ({enc})");
        }

        // The misspelt place says what it probably is.
        let h = hover(&mut s, &text, nth(&text, "ألكاسا", 0) + 2, enc, REF_URI);
        assert_eq!(range_text(&text, &h["range"], enc), "ألكاسا");
        assert!(hover_text(&h).contains("ألاسكا"));
    }
}

#[test]
fn hovers_on_an_english_markdown_article() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/harbour-strike-en.md"
    ))
    .unwrap();
    let uri = "file:///tmp/newsls-entities/harbour-strike-en.md";
    let mut s = server("utf-16");
    s.open(uri, "markdown", &text);
    let body = text.find("ROTTERDAM,").unwrap();
    let rotterdam = body + text[body..].find("Rotterdam").unwrap_or(0);
    let h = hover(&mut s, &text, rotterdam + 2, "utf-16", uri);
    let md = hover_text(&h);
    assert!(md.contains("place"), "{md}");
    // A capitalised word that only starts a sentence, and a common word: nothing.
    let thursday = nth(&text, "walked", 0);
    assert_eq!(hover(&mut s, &text, thursday, "utf-16", uri), Value::Null);
    // Front matter keys are not mentions.
    let key = nth(&text, "author", 0);
    assert_eq!(hover(&mut s, &text, key, "utf-16", uri), Value::Null);
}

#[test]
fn references_highlights_and_rename_keep_proclitics() {
    let text = reference_article();
    for enc in ["utf-16", "utf-8"] {
        let mut s = server(enc);
        s.open(REF_URI, "plaintext", &text);
        let surname = nth(&text, "وترامب", 0) + "و".len();
        let mut params = at(&text, surname, enc, REF_URI);
        params["context"] = json!({"includeDeclaration": true});
        let refs = s.request("textDocument/references", params);
        let refs = refs.as_array().expect("locations");
        assert_eq!(refs.len(), 5, "{refs:?}");
        for r in refs {
            assert_eq!(r["uri"], REF_URI);
            let t = range_text(&text, &r["range"], enc);
            assert!(t.ends_with("ترامب") && !t.starts_with('و'), "{t}");
        }
        let highlights = s.request(
            "textDocument/documentHighlight",
            at(&text, surname, enc, REF_URI),
        );
        assert_eq!(highlights.as_array().unwrap().len(), refs.len());

        let prepared = s.request(
            "textDocument/prepareRename",
            at(&text, surname, enc, REF_URI),
        );
        assert_eq!(prepared["placeholder"], "ترامب");
        // Not a name: nothing to rename.
        let none = s.request(
            "textDocument/prepareRename",
            at(&text, nth(&text, "القيادة", 0), enc, REF_URI),
        );
        assert_eq!(none, Value::Null);

        let mut params = at(&text, surname, enc, REF_URI);
        params["newName"] = json!("ترمب");
        let edit = s.request("textDocument/rename", params);
        let change = &edit["documentChanges"][0];
        assert_eq!(change["textDocument"]["version"], 1);
        let mut edits: Vec<(usize, usize, String)> = change["edits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    offset_of(&text, &e["range"]["start"], enc),
                    offset_of(&text, &e["range"]["end"], enc),
                    e["newText"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        edits.sort();
        let mut renamed = text.clone();
        for (a, b, t) in edits.iter().rev() {
            renamed.replace_range(a..b, t);
        }
        assert!(!renamed.contains("ترامب"), "every mention renamed");
        assert!(renamed.contains("وترمب"), "the proclitic stays");
        assert!(renamed.contains("دونالد ترمب"), "the first name stays");
        assert_eq!(renamed.matches("ترمب").count(), 5);

        let mut bad = at(&text, surname, enc, REF_URI);
        bad["newName"] = json!("  ");
        let id = s.request_async("textDocument/rename", bad);
        let answer = s.response(id);
        assert!(answer["error"]["message"].is_string(), "{answer}");
    }
}

/// Decodes semantic tokens into (line, start, length, type, modifiers).
fn decode(data: &[Value]) -> Vec<(u64, u64, u64, u64, u64)> {
    let n: Vec<u64> = data.iter().map(|v| v.as_u64().unwrap()).collect();
    let (mut line, mut col) = (0, 0);
    n.chunks(5)
        .map(|c| {
            if c[0] > 0 {
                col = 0;
            }
            line += c[0];
            col += c[1];
            (line, col, c[2], c[3], c[4])
        })
        .collect()
}

#[test]
fn semantic_tokens_full_range_and_delta() {
    let text = reference_article();
    for enc in ["utf-16", "utf-8"] {
        let mut s = server(enc);
        let init_legend = {
            let mut t = Server::start();
            t.initialize(vscode_capabilities())["capabilities"]["semanticTokensProvider"]["legend"]
                .clone()
        };
        assert_eq!(
            init_legend["tokenTypes"],
            json!(["variable", "namespace", "class"])
        );
        s.open(REF_URI, "plaintext", &text);
        let full = s.request(
            "textDocument/semanticTokens/full",
            json!({"textDocument": {"uri": REF_URI}}),
        );
        let tokens = decode(full["data"].as_array().unwrap());
        let name_at = |t: &(u64, u64, u64, u64, u64)| -> String {
            let start = json!({"line": t.0, "character": t.1});
            let end = json!({"line": t.0, "character": t.1 + t.2});
            range_text(&text, &json!({"start": start, "end": end}), enc).to_string()
        };
        let person = 1 << 1;
        let place = 1 << 2;
        let org = 1 << 3;
        // The headline: بوتين a person, ألاسكا a place, موسكو a place.
        let first = &tokens[0];
        assert_eq!(name_at(first), "بوتين");
        assert_eq!((first.3, first.4 & person), (0, person));
        assert!(tokens
            .iter()
            .any(|t| name_at(t) == "ألاسكا" && t.3 == 1 && t.4 & place != 0));
        assert!(tokens
            .iter()
            .any(|t| name_at(t) == "تاس" && t.3 == 2 && t.4 & org != 0));
        // The introduction is the declaration.
        let declared: Vec<String> = tokens
            .iter()
            .filter(|t| t.4 & 1 != 0)
            .map(name_at)
            .collect();
        assert!(
            declared.contains(&"فلاديمير بوتين".to_string()),
            "{declared:?}"
        );
        assert!(tokens.iter().all(|t| name_at(t) != "القيادة"));

        // Range: only the tokens of lines 2..=4.
        let range = s.request(
            "textDocument/semanticTokens/range",
            json!({"textDocument": {"uri": REF_URI},
                   "range": {"start": {"line": 2, "character": 0}, "end": {"line": 4, "character": 0}}}),
        );
        let ranged = decode(range["data"].as_array().unwrap());
        let expected: Vec<_> = tokens.iter().filter(|t| t.0 == 2).cloned().collect();
        assert_eq!(ranged, expected);

        // An edit, then a delta that turns the old tokens into the new ones.
        let previous = full["resultId"].as_str().unwrap().to_string();
        s.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": REF_URI, "version": 2},
                   "contentChanges": [{"range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 0}},
                                       "text": "قال دونالد ترامب "}]}),
        );
        let delta = s.request(
            "textDocument/semanticTokens/full/delta",
            json!({"textDocument": {"uri": REF_URI}, "previousResultId": previous}),
        );
        let edits = delta["edits"].as_array().expect("a delta");
        let mut data: Vec<Value> = full["data"].as_array().unwrap().clone();
        for e in edits.iter().rev() {
            let start = e["start"].as_u64().unwrap() as usize;
            let del = e["deleteCount"].as_u64().unwrap() as usize;
            let new: Vec<Value> = e["data"].as_array().cloned().unwrap_or_default();
            data.splice(start..start + del, new);
        }
        let now = s.request(
            "textDocument/semanticTokens/full",
            json!({"textDocument": {"uri": REF_URI}}),
        );
        assert_eq!(&data, now["data"].as_array().unwrap());
        assert!(
            decode(&data).len() > tokens.len(),
            "the new name is coloured"
        );
    }
}

#[test]
fn workspace_symbols_and_a_name_spelt_otherwise_in_another_article() {
    let text = reference_article();
    let other_uri = "file:///tmp/newsls-entities/briefing.txt";
    let other = "إحاطة من البيت الأبيض\n\nقال الرئيس الأمريكي دونالد ترمب إن اللقاء مع الرئيس الروسي فلاديمير بوتين كان مثمرا، وأضاف ترمب أن المحادثات ستستمر.\n";
    let mut s = server("utf-16");
    s.open(REF_URI, "plaintext", &text);
    s.open(other_uri, "plaintext", other);
    let hint = |diags: &[Value]| {
        diags
            .iter()
            .find(|d| d["code"] == "entity-spelling-elsewhere")
            .cloned()
    };
    // Both articles end up with the hint, each naming the other's spelling.
    let mut found = (None, None);
    for _ in 0..6 {
        let m = s.wait_for(|m| m["method"] == "textDocument/publishDiagnostics");
        let diags = m["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if m["params"]["uri"] == other_uri {
            found.1 = hint(&diags).or(found.1);
        } else {
            found.0 = hint(&diags).or(found.0);
        }
        if found.0.is_some() && found.1.is_some() {
            break;
        }
    }
    let (here, there) = (
        found.0.expect("hint in the reference"),
        found.1.expect("hint in the briefing"),
    );
    assert_eq!(here["severity"], 4, "a hint");
    let msg = there["message"].as_str().unwrap();
    assert!(
        msg.contains("ترامب") && msg.contains("alaska-summit-ar.txt"),
        "{msg}"
    );
    assert_eq!(range_text(other, &there["range"], "utf-16"), "دونالد ترمب");

    // Both open articles name Putin.
    let symbols = s.request("workspace/symbol", json!({"query": "Putin"}));
    let uris: Vec<&str> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["location"]["uri"].as_str().unwrap())
        .collect();
    assert!(
        uris.contains(&REF_URI) && uris.contains(&other_uri),
        "{symbols}"
    );
    assert!(symbols
        .as_array()
        .unwrap()
        .iter()
        .all(|x| x["name"] == "فلاديمير بوتين"));

    // Closing the reference article takes the hint away from the briefing. What was
    // published before the close (some of it while the request above was answered) is
    // of no interest: the briefing must get a publication without the hint, and nothing
    // published after it may bring the hint back.
    s.backlog.clear();
    s.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": REF_URI}}),
    );
    let briefing = |m: &Value| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == other_uri
    };
    s.wait_for(|m| briefing(m) && hint(m["params"]["diagnostics"].as_array().unwrap()).is_none());
    // Publications written before that one may have gone to the backlog meanwhile.
    s.backlog.clear();
    for m in s
        .drain(Duration::from_millis(300))
        .iter()
        .filter(|m| briefing(m))
    {
        assert!(
            hint(m["params"]["diagnostics"].as_array().unwrap()).is_none(),
            "the hint came back after the close: {m}"
        );
    }
}

#[test]
fn the_newsroom_glossary_is_read_and_reloaded() {
    let dir = std::env::temp_dir().join(format!("newsls-glossary-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("newsls.toml"),
        "[entities]\nglossary = \"names.toml\"\n",
    )
    .unwrap();
    let glossary = |about: &str| {
        format!(
            "[[entity]]\nkind = \"person\"\nen = \"Eva Jansen\"\nshort = [\"Jansen\"]\nabout_en = \"{about}\"\n"
        )
    };
    std::fs::write(
        dir.join("names.toml"),
        glossary("Spokeswoman for FNV Havens"),
    )
    .unwrap();
    let root = format!("file://{}", dir.display());
    let uri = format!("{root}/strike.md");
    let text = "# Strike\n\nEva Jansen said the union would hold out. Jansen spoke at the gate.\n";
    let mut s = Server::start();
    s.request(
        "initialize",
        json!({"processId": null, "rootUri": root, "capabilities": vscode_capabilities()}),
    );
    s.notify("initialized", json!({}));
    s.open(&uri, "markdown", text);
    let surname = nth(text, "Jansen", 1);
    let h = hover(&mut s, text, surname, "utf-16", &uri);
    let md = hover_text(&h);
    assert!(
        md.contains("Spokeswoman for FNV Havens") && md.contains("person"),
        "{md}"
    );

    std::fs::write(
        dir.join("names.toml"),
        glossary("Chair of the FNV port section"),
    )
    .unwrap();
    s.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": format!("{root}/names.toml"), "type": 2}]}),
    );
    let mut md = String::new();
    for _ in 0..50 {
        md = hover_text(&hover(&mut s, text, surname, "utf-16", &uri));
        if md.contains("Chair of the FNV port section") {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(
        md.contains("Chair of the FNV port section"),
        "reloaded: {md}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A long article builds its entity index when the writer pauses, or at once when a
/// request needs it: hover works on it, and its misspellings are reported after a pause.
#[test]
fn a_long_article_gets_its_names_when_asked_and_after_a_pause() {
    let article = reference_article();
    // One misspelling in 400 KB: a spelling repeated throughout is deliberate.
    let mut text = String::new();
    while text.len() < 400 << 10 {
        text.push_str(&article.replace("ألكاسا", "ألاسكا"));
        text.push_str("\n\n");
    }
    text.push_str(&article);
    let uri = "file:///tmp/newsls-entities/long.txt";
    let mut s = server("utf-16");
    s.open(uri, "plaintext", &text);
    // After a pause, the misspelling diagnostics arrive without any request.
    let m = s.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri
            && m["params"]["diagnostics"]
                .as_array()
                .is_some_and(|d| d.iter().any(|d| d["code"] == "entity-misspelling"))
    });
    assert_eq!(m["params"]["version"], 1);
    // A keystroke makes the index stale; a hover does not wait for the pause.
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
               "contentChanges": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "x"}]}),
    );
    let edited = format!("x{text}");
    let last = edited.rfind("بوتين").unwrap();
    let h = hover(&mut s, &edited, last, "utf-16", uri);
    assert!(hover_text(&h).contains("Vladimir Putin"), "{h}");
}
