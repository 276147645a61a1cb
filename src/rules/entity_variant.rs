//! Diagnostic: `entity-variant`.
//!
//! An established transliteration variant of a name where the house style prefers another
//! (`ترمب` for `ترامب`, `جوتيريش` for `غوتيريش`): not a typo, so a hint by default, for
//! desks that want one spelling throughout. The preferred spelling comes from the
//! newsroom glossary when it has the name, else from the gazetteer.
//!
//! Fix: use the house spelling.

use super::{Check, EntityCtx, Fix, Rule, Severity, Sink};
use crate::entities::FindingKind;
use crate::text::Edit;

pub static RULE: Rule = Rule {
    id: "entity-variant",
    default_severity: Severity::Hint,
    summary: "A name is spelt in an accepted variant the house style does not prefer",
    doc: include_str!("../../docs/rules/entity-variant.md"),
    check: Check::Entities(check),
    options: &[],
};

fn check(ctx: &EntityCtx<'_>, out: &mut Sink<'_>) {
    for f in &ctx.entities.findings {
        if f.kind != FindingKind::HouseStyle || f.span.is_empty() {
            continue;
        }
        out.report(
            f.span,
            format!("`{}` is a variant spelling; the house style writes `{}`", f.written, f.suggestion),
        )
        .fix(|| {
            Fix::alternative(
                format!("Write `{}`", f.suggestion),
                vec![Edit::new(f.span, f.suggestion.clone())],
            )
        });
    }
}
