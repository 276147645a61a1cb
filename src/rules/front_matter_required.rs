//! Diagnostic: `front-matter-required`.
//!
//! A front matter field the newsroom requires is missing (`fields = ["title", "date",
//! "author"]` under `[rules.front-matter-required]`; none by default, so the rule is silent
//! until configured). Markdown articles only; an article without front matter is missing
//! all of them. The range covers the front matter's opening fence (or the first line).
//!
//! Fix: add the missing keys with `TK` as their value (the `placeholder` rule then keeps
//! them visible until they are filled in).

use super::structure::{first_line, front_matter_keys};
use super::{Check, DocCtx, Fix, OptionKind, Rule, RuleOption, Severity, Sink};
use crate::article::{Format, FrontMatterSyntax};
use crate::text::{rope_slice, Edit, Span};

pub static RULE: Rule = Rule {
    id: "front-matter-required",
    default_severity: Severity::Warning,
    summary: "A front matter field the newsroom requires is missing",
    doc: include_str!("../../docs/rules/front-matter-required.md"),
    check: Check::Document(check),
    options: &[RuleOption {
        key: "fields",
        kind: OptionKind::List,
        help: "a list of front matter keys, e.g. [\"title\", \"date\", \"author\"]",
    }],
};

fn check(ctx: &DocCtx<'_>, out: &mut Sink<'_>) {
    let Some(required) = ctx.config.list(RULE.id, "fields") else {
        return;
    };
    if required.is_empty() || ctx.article.format() != Format::Markdown {
        return;
    }
    let fm = ctx.article.front_matter();
    let present: Vec<String> = fm
        .map(|fm| front_matter_keys(ctx.rope, fm).into_iter().map(|k| k.name).collect())
        .unwrap_or_default();
    let missing: Vec<&String> = required.iter().filter(|f| !present.contains(f)).collect();
    if missing.is_empty() {
        return;
    }
    let span = match (fm, ctx.article.blocks().next()) {
        (Some(fm), _) => {
            let open = rope_slice(ctx.rope, Span::new(fm.span.start, (fm.span.start + 3).min(fm.span.end)));
            Span::new(fm.span.start, fm.span.start + open.len())
        }
        (None, Some(b)) => first_line(ctx.rope, b),
        (None, None) => return,
    };
    let names: Vec<String> = missing.iter().map(|m| format!("`{m}`")).collect();
    let message = if fm.is_some() {
        format!("The front matter has no {}: the newsroom requires it", names.join(", "))
    } else {
        format!("No front matter: the newsroom requires {}", names.join(", "))
    };
    out.report(span, message).fix(|| {
        let edit = match fm {
            Some(fm) => {
                let (sep, quote) = match fm.syntax {
                    FrontMatterSyntax::Yaml => (": ", ""),
                    FrontMatterSyntax::Toml => (" = ", "\""),
                };
                let text: String = missing
                    .iter()
                    .map(|m| format!("{m}{sep}{quote}TK{quote}\n"))
                    .collect();
                Edit::insert(fm.body.end, text)
            }
            None => {
                let text: String = missing.iter().map(|m| format!("{m}: TK\n")).collect();
                Edit::insert(0, format!("---\n{text}---\n\n"))
            }
        };
        Fix::preferred(format!("Add {}", names.join(", ")), vec![edit])
    });
}
