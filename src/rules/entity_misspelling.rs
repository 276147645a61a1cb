//! Diagnostic: `entity-misspelling`.
//!
//! A name spelt in a way that is close to, but not, a name the article uses elsewhere or a
//! known name (the gazetteer, the newsroom glossary), and not an accepted variant:
//! `ألكاسا` for `ألاسكا`, `Gutteres` for `Guterres`. A spelling the glossary lists to avoid
//! is flagged too. Closeness: Jaro–Winkler ≥ 0.90, or at most one edit (two from six
//! letters up), or the same letters reordered; everyday words are never compared.
//!
//! Fix: replace the word with the usual spelling (only the misspelt word; a proclitic
//! attached to it stays).

use super::{Check, EntityCtx, Fix, Rule, Severity, Sink};
use crate::entities::FindingKind;
use crate::text::Edit;

pub static RULE: Rule = Rule {
    id: "entity-misspelling",
    default_severity: Severity::Warning,
    summary: "A name looks misspelt: close to a name the article or the gazetteer knows",
    doc: include_str!("../../docs/rules/entity-misspelling.md"),
    check: Check::Entities(check),
    options: &[],
};

fn check(ctx: &EntityCtx<'_>, out: &mut Sink<'_>) {
    for f in &ctx.entities.findings {
        if f.kind != FindingKind::Misspelling || f.span.is_empty() {
            continue;
        }
        out.report(
            f.span,
            format!("`{}` looks like a misspelling of `{}`", f.written, f.suggestion),
        )
        .fix(|| {
            Fix::preferred(
                format!("Replace with `{}`", f.suggestion),
                vec![Edit::new(f.span, f.suggestion.clone())],
            )
        });
    }
}
