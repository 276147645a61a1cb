//! Diagnostic: `entity-spelling-elsewhere`.
//!
//! A known name (gazetteer or glossary) spelt one way in this article and another way in
//! another article open in the same workspace: `ترامب` here, `ترمب` there. A hint on the
//! first mention of the name here, naming the other spelling and where it is used. Names
//! the articles introduce themselves are not compared (two articles may well mean two
//! people), nor are Arabic and English spellings of the same name.
//!
//! No fix: which article has it right is the desk's call (`entity-variant` and the
//! glossary say which spelling the house prefers).

use super::{Check, Rule, Severity, Sink, WorkspaceCtx};
use crate::features::names::other_spellings;

pub static RULE: Rule = Rule {
    id: "entity-spelling-elsewhere",
    default_severity: Severity::Hint,
    summary: "A name is spelt differently in another open article",
    doc: include_str!("../../docs/rules/entity-spelling-elsewhere.md"),
    check: Check::Workspace(check),
    options: &[],
};

fn check(ctx: &WorkspaceCtx<'_>, out: &mut Sink<'_>) {
    let others: Vec<&crate::features::names::Spellings> =
        ctx.others.iter().map(|o| o.spellings).collect();
    for f in other_spellings(ctx.entities, ctx.spellings, &others) {
        let other = &ctx.others[f.other];
        out.report(
            f.span,
            format!(
                "`{}` is spelt `{}` in {} (line {})",
                f.here,
                f.there,
                other.name,
                (other.line_of)(f.at.start) + 1
            ),
        );
    }
}
