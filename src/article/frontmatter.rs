//! Front matter at the very top of a Markdown article: YAML between `---` lines (closed by
//! `---` or `...`) or TOML between `+++` lines. It is metadata: nothing inside it is a
//! heading, a table or a paragraph. Only its `title` is read here, for the outline.

use crate::text::{lines_with_offsets, Span};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FrontMatterSyntax {
    Yaml,
    Toml,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrontMatter {
    pub syntax: FrontMatterSyntax,
    /// From the opening fence to just past the closing fence's line break.
    pub span: Span,
    /// The lines between the fences.
    pub body: Span,
    /// The `title` value, without quotes, when it is a one-line scalar.
    pub title: Option<Span>,
}

/// The opening fence a document starts with, if any (a BOM is allowed before it).
pub fn opener(text: &str) -> Option<FrontMatterSyntax> {
    let first = lines_with_offsets(text.strip_prefix('\u{feff}').unwrap_or(text), 0).next()?;
    match first.text.trim_end() {
        "---" => Some(FrontMatterSyntax::Yaml),
        "+++" => Some(FrontMatterSyntax::Toml),
        _ => None,
    }
}

pub fn detect(text: &str) -> Option<FrontMatter> {
    let syntax = opener(text)?;
    let mut lines = lines_with_offsets(text, 0);
    let open = lines.next()?;
    for line in lines {
        let t = line.text.trim_end();
        let closes = match syntax {
            FrontMatterSyntax::Yaml => t == "---" || t == "...",
            FrontMatterSyntax::Toml => t == "+++",
        };
        if closes {
            let body = Span::new(open.next, line.start);
            return Some(FrontMatter {
                syntax,
                span: Span::new(0, line.next),
                body,
                title: title(&text[body.range()], body.start, syntax),
            });
        }
    }
    None
}

fn title(body: &str, base: usize, syntax: FrontMatterSyntax) -> Option<Span> {
    for line in lines_with_offsets(body, base) {
        let sep = match syntax {
            FrontMatterSyntax::Yaml => ':',
            FrontMatterSyntax::Toml => '=',
        };
        let Some(rest) = line.text.strip_prefix("title") else {
            continue;
        };
        let Some(value) = rest.trim_start().strip_prefix(sep) else {
            continue;
        };
        let value_start = line.end() - value.len();
        let lead = value.len() - value.trim_start().len();
        let v = value.trim();
        let mut start = value_start + lead;
        let mut end = start + v.len();
        let quoted = v.len() >= 2
            && ((v.starts_with('"') && v.ends_with('"'))
                || (v.starts_with('\'') && v.ends_with('\'')));
        if quoted {
            start += 1;
            end -= 1;
        } else if v.is_empty() || v.starts_with(['|', '>', '[', '{']) {
            return None;
        }
        return (end > start).then_some(Span::new(start, end));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_with_quoted_title() {
        let text = "---\ntitle: \"Strike at the port\"\nauthor: Jane\n---\n# Body\n";
        let fm = detect(text).unwrap();
        assert_eq!(fm.syntax, FrontMatterSyntax::Yaml);
        assert_eq!(&text[fm.title.unwrap().range()], "Strike at the port");
        assert_eq!(&text[fm.span.end..], "# Body\n");
    }

    #[test]
    fn toml_and_crlf() {
        let text = "+++\r\ntitle = 'قمة ألاسكا'\r\n+++\r\nbody";
        let fm = detect(text).unwrap();
        assert_eq!(&text[fm.title.unwrap().range()], "قمة ألاسكا");
        assert_eq!(&text[fm.span.end..], "body");
    }

    #[test]
    fn unclosed_is_not_front_matter_and_block_scalars_have_no_title() {
        assert!(detect("---\ntitle: x\n").is_none());
        assert!(detect("text\n---\n").is_none());
        let fm = detect("---\ntitle: |\n  long\n...\n").unwrap();
        assert_eq!(fm.title, None);
    }
}
