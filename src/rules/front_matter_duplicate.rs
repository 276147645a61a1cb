//! Diagnostic: `front-matter-duplicate`.
//!
//! The same key twice in the front matter: most parsers keep the last one silently (some
//! refuse the file), so one of the two values is lost. Related information points at the
//! first.
//!
//! No fix: which value is right is the writer's call.

use std::collections::HashMap;

use super::structure::front_matter_keys;
use super::{Check, DocCtx, Rule, Severity, Sink};

pub static RULE: Rule = Rule {
    id: "front-matter-duplicate",
    default_severity: Severity::Warning,
    summary: "A front matter key appears twice; one value is lost",
    doc: include_str!("../../docs/rules/front-matter-duplicate.md"),
    check: Check::Document(check),
    options: &[],
};

fn check(ctx: &DocCtx<'_>, out: &mut Sink<'_>) {
    let Some(fm) = ctx.article.front_matter() else {
        return;
    };
    let mut seen = HashMap::new();
    for k in front_matter_keys(ctx.rope, fm) {
        match seen.get(&k.name) {
            Some(&first) => {
                out.report(
                    k.span,
                    format!("`{}` is set twice: most sites keep only one of the values", k.name),
                )
                .related(first, "Set first here");
            }
            None => {
                seen.insert(k.name.clone(), k.span);
            }
        }
    }
}
