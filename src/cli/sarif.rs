//! The SARIF 2.1.0 output (`--format sarif`), which code-review tools (GitHub code
//! scanning, Azure DevOps, SARIF viewers) show inline on the changed lines.
//!
//! One run. `tool.driver.rules` lists every rule of the registry, in its order, with the
//! summary as `shortDescription`, the first paragraph of the rule's page as
//! `fullDescription`, the whole page (Markdown, embedded in the binary) as `help`, the
//! default level, and `helpUri` only when `docs-base-url` says where the pages are
//! published. Results point at files by URI relative to the working directory
//! (`uriBaseId` `%SRCROOT%`, resolved by `originalUriBaseIds`), with 1-based regions whose
//! columns count characters (`columnKind` `unicodeCodePoints`); related locations and,
//! for safe fixes, `fixes` with `artifactChanges`. Files skipped or unreadable are
//! `toolExecutionNotifications`, unknown configuration keys and bad glossary
//! entries `toolConfigurationNotifications`. `tests/cli_check.rs` validates the output against
//! the OASIS schema.

use std::path::Path;

use serde_json::{json, Map, Value};

use super::configs::{absolute, ConfigWarning};
use super::report::{FileReport, Finding, Range};
use crate::rules::{Severity, RULES};

/// The schema the document declares (the OASIS errata 01 schema's own id).
pub const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

const SRCROOT: &str = "%SRCROOT%";

/// SARIF's `level` for a severity: it has no "information" or "hint", only `note`.
fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Information | Severity::Hint => "note",
    }
}

/// Characters a URI path keeps as they are (RFC 3986 unreserved, and `/`).
fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `path` as a `/`-separated string.
fn slashed(path: &Path) -> String {
    path.components()
        .filter_map(|c| match c {
            std::path::Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The artifact location of a file: relative to the working directory when under it.
fn artifact(cwd: &Path, shown: &Path) -> Value {
    if shown.as_os_str() == "-" {
        return json!({ "uri": "stdin" });
    }
    let abs = absolute(cwd, shown);
    match abs.strip_prefix(cwd) {
        Ok(rel) => json!({ "uri": percent_encode(&slashed(rel)), "uriBaseId": SRCROOT }),
        Err(_) => json!({ "uri": format!("file:///{}", percent_encode(&slashed(&abs))) }),
    }
}

fn region(r: &Range) -> Value {
    json!({
        "startLine": r.start.line + 1,
        "startColumn": r.start.chars + 1,
        "endLine": r.end.line + 1,
        "endColumn": r.end.chars + 1,
    })
}

/// The first paragraph of prose of a rule's page (after its title and severity line).
fn first_paragraph(doc: &str) -> String {
    doc.split("\n\n")
        .map(str::trim)
        .find(|p| !p.is_empty() && !p.starts_with('#') && !p.starts_with("Default severity"))
        .unwrap_or("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The link to a rule's page, as the server builds it: `{id}` replaced, or the id
/// appended after a `/`.
fn help_uri(base: &str, id: &str) -> String {
    if base.contains("{id}") {
        base.replace("{id}", id)
    } else {
        format!("{}/{id}", base.trim_end_matches('/'))
    }
}

fn rules(docs_base_url: Option<&str>) -> Vec<Value> {
    RULES
        .iter()
        .map(|r| {
            let mut rule = json!({
                "id": r.id,
                "shortDescription": { "text": r.summary },
                "fullDescription": { "text": first_paragraph(r.doc) },
                "help": { "text": r.doc, "markdown": r.doc },
                "defaultConfiguration": { "level": level(r.default_severity) },
            });
            if let Some(base) = docs_base_url {
                rule["helpUri"] = json!(help_uri(base, r.id));
            }
            rule
        })
        .collect()
}

fn result(cwd: &Path, report: &FileReport, f: &Finding) -> Value {
    let location = artifact(cwd, &report.path);
    let mut result = json!({
        "ruleId": f.rule,
        "ruleIndex": RULES.iter().position(|r| r.id == f.rule).unwrap_or(0),
        "level": level(f.severity),
        "message": { "text": f.message },
        "locations": [{
            "physicalLocation": { "artifactLocation": location, "region": region(&f.range) }
        }],
    });
    if !f.related.is_empty() {
        result["relatedLocations"] = f
            .related
            .iter()
            .enumerate()
            .map(|(i, (r, message))| {
                json!({
                    "id": i,
                    "physicalLocation": { "artifactLocation": location, "region": region(r) },
                    "message": { "text": message },
                })
            })
            .collect();
    }
    let fixes: Vec<Value> = f
        .fixes
        .iter()
        .filter(|x| x.safe && !x.edits.is_empty())
        .map(|x| {
            let replacements: Vec<Value> = x
                .edits
                .iter()
                .map(|(r, text)| {
                    let mut rep = json!({ "deletedRegion": region(r) });
                    if !text.is_empty() {
                        rep["insertedContent"] = json!({ "text": text });
                    }
                    rep
                })
                .collect();
            json!({
                "description": { "text": x.title },
                "artifactChanges": [{ "artifactLocation": location, "replacements": replacements }],
            })
        })
        .collect();
    if !fixes.is_empty() {
        result["fixes"] = Value::Array(fixes);
    }
    result
}

/// The whole SARIF log.
pub fn document(
    cwd: &Path,
    reports: &[FileReport],
    warnings: &[ConfigWarning],
    docs_base_url: Option<&str>,
) -> Value {
    let mut results = Vec::new();
    let mut execution = Vec::new();
    for r in reports {
        results.extend(r.findings.iter().map(|f| result(cwd, r, f)));
        for n in &r.notices {
            execution.push(json!({
                "descriptor": { "id": n.kind.name() },
                "level": n.kind.level(),
                "message": { "text": n.message(&r.shown()) },
                "locations": [{ "physicalLocation": { "artifactLocation": artifact(cwd, &r.path) } }],
            }));
        }
    }
    let configuration: Vec<Value> = warnings
        .iter()
        .map(|w| {
            let mut location = json!({ "artifactLocation": artifact(cwd, &w.file) });
            if let Some(line) = w.line {
                location["region"] = json!({ "startLine": line });
            }
            json!({
                "descriptor": { "id": w.kind() },
                "level": "warning",
                "message": { "text": w.message() },
                "locations": [{ "physicalLocation": location }],
            })
        })
        .collect();
    let mut base = Map::new();
    let root = slashed(cwd);
    let root_uri = if root.is_empty() {
        "file:///".to_string()
    } else {
        format!("file:///{}/", percent_encode(&root))
    };
    base.insert(SRCROOT.into(), json!({ "uri": root_uri }));
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "newsls",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules(docs_base_url),
            } },
            "invocations": [{
                "executionSuccessful": true,
                "toolExecutionNotifications": execution,
                "toolConfigurationNotifications": configuration,
            }],
            "originalUriBaseIds": base,
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_and_percent_encoded() {
        let cwd = Path::new("/news");
        assert_eq!(
            artifact(cwd, Path::new("desk/a b.md")),
            json!({ "uri": "desk/a%20b.md", "uriBaseId": "%SRCROOT%" })
        );
        assert_eq!(
            artifact(cwd, Path::new("/elsewhere/خبر.md"))["uri"],
            json!("file:///elsewhere/%D8%AE%D8%A8%D8%B1.md")
        );
    }

    #[test]
    fn a_rule_page_gives_its_first_paragraph() {
        let doc = "# `x`\n\nDefault severity: **warning**.\n\n**The same word** twice\nin a row.\n\n## Why\n";
        assert_eq!(first_paragraph(doc), "**The same word** twice in a row.");
        assert_eq!(
            help_uri("https://e.org/rules/{id}.md", "x"),
            "https://e.org/rules/x.md"
        );
        assert_eq!(
            help_uri("https://e.org/rules/", "x"),
            "https://e.org/rules/x"
        );
    }
}
