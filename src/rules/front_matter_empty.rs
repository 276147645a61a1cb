//! Diagnostic: `front-matter-empty`.
//!
//! A front matter key with no value (`author:`, `date = ""`): the site shows an empty byline
//! or dateline, or fails to build. A key with an indented block or a list under it has a
//! value.
//!
//! No fix: the value is the writer's.

use super::structure::front_matter_keys;
use super::{Check, DocCtx, Rule, Severity, Sink};

pub static RULE: Rule = Rule {
    id: "front-matter-empty",
    default_severity: Severity::Warning,
    summary: "A front matter key has no value",
    doc: include_str!("../../docs/rules/front-matter-empty.md"),
    check: Check::Document(check),
    options: &[],
};

fn check(ctx: &DocCtx<'_>, out: &mut Sink<'_>) {
    let Some(fm) = ctx.article.front_matter() else {
        return;
    };
    for k in front_matter_keys(ctx.rope, fm) {
        if k.empty {
            out.report(k.span, format!("`{}` has no value", k.name));
        }
    }
}
