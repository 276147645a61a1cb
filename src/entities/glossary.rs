//! The `[[entity]]` TOML format: the curated tables compiled into the binary and a
//! newsroom's own glossary (names, kinds, descriptions, accepted variants, spellings to
//! avoid) are both written in it.
//!
//! ```toml
//! [[entity]]
//! kind = "person"                 # see Kind::id: person, country, city, news-agency, ...
//! en = "Eva Jansen"               # canonical spellings: en, ar, or both
//! ar = "إيفا يانسن"
//! short = ["Jansen", "يانسن"]     # forms later mentions use
//! about_en = "Director of the Port of Rotterdam"
//! about_ar = "مديرة ميناء روتردام"
//! as_of = "2025-08"               # when a changing role was true
//! variants = ["يانسين"]           # accepted house-style variants
//! avoid = ["Jansenn"]             # spellings to flag
//! nisba = ["..."]                 # Arabic adjectives of a country, when not derivable
//! ```
//!
//! Invariant: one bad entry never costs the others. The text is cut at each line that
//! opens an array table (`[[...]]`) and every piece is parsed on its own, so a syntax error
//! or a missing field is reported against the line of that entry's header while the rest
//! load. (A multi-line string whose own line starts with `[[` would be cut too; glossary
//! values are one-line strings.)

use super::gazetteer::{Entry, Matcher, Source};
use super::Kind;

/// A problem with one entry of a glossary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GlossaryError {
    /// 1-based line of the entry's `[[entity]]` header (or of the stray text).
    pub line: usize,
    /// The entry's name, when it has one.
    pub entry: Option<String>,
    pub message: String,
}

impl std::fmt::Display for GlossaryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.entry {
            Some(name) => write!(f, "line {}: entry “{}”: {}", self.line, name, self.message),
            None => write!(f, "line {}: {}", self.line, self.message),
        }
    }
}

/// A newsroom's names, on top of the gazetteer: its entries win where both know a form.
#[derive(Default)]
pub struct Glossary {
    pub(crate) entries: Vec<Entry>,
    pub(crate) matcher: Matcher,
    errors: Vec<GlossaryError>,
}

impl std::fmt::Debug for Glossary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Glossary")
            .field("entries", &self.entries.len())
            .field("errors", &self.errors)
            .finish()
    }
}

impl Glossary {
    /// An empty glossary (the gazetteer alone).
    pub fn empty() -> Glossary {
        Glossary::default()
    }

    /// Parses a glossary; entries with errors are left out and reported in
    /// [`Glossary::errors`].
    pub fn from_toml(text: &str) -> Glossary {
        let (mut entries, errors) = parse_entries(text, Source::Glossary);
        for (i, e) in entries.iter_mut().enumerate() {
            e.id = super::EntryId(i as u32);
        }
        let matcher = Matcher::build(&entries, super::gazetteer::common_words());
        Glossary {
            entries,
            matcher,
            errors,
        }
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn errors(&self) -> &[GlossaryError] {
        &self.errors
    }
}

/// Parses `[[entity]]` entries; returns the good ones and one error per bad one.
pub(crate) fn parse_entries(text: &str, source: Source) -> (Vec<Entry>, Vec<GlossaryError>) {
    let mut entries = Vec::new();
    let mut errors = Vec::new();
    // (line of the header, header text, body)
    let mut pieces: Vec<(usize, &str, String)> = Vec::new();
    let mut preamble_line = None;
    for (n, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("[[") {
            pieces.push((n + 1, trimmed.trim_end(), String::new()));
        } else if let Some(last) = pieces.last_mut() {
            last.2.push_str(line);
            last.2.push('\n');
        } else if !trimmed.is_empty() && !trimmed.starts_with('#') && preamble_line.is_none() {
            preamble_line = Some(n + 1);
        }
    }
    if let Some(line) = preamble_line {
        errors.push(GlossaryError {
            line,
            entry: None,
            message: "text before the first [[entity]] is ignored".into(),
        });
    }
    for (line, header, body) in pieces {
        let header = header.split('#').next().unwrap_or("").trim();
        if header != "[[entity]]" {
            errors.push(GlossaryError {
                line,
                entry: None,
                message: format!("expected [[entity]], found {header}"),
            });
            continue;
        }
        match parse_entry(&body, source) {
            Ok(e) => entries.push(e),
            Err((entry, message)) => errors.push(GlossaryError {
                line,
                entry,
                message,
            }),
        }
    }
    (entries, errors)
}

fn parse_entry(body: &str, source: Source) -> Result<Entry, (Option<String>, String)> {
    let table: toml::Table = toml::from_str(body).map_err(|e| (None, e.message().to_string()))?;
    let string = |k: &str| -> Result<Option<Box<str>>, String> {
        match table.get(k) {
            None => Ok(None),
            Some(toml::Value::String(s)) if s.trim().is_empty() => Err(format!("`{k}` is empty")),
            Some(toml::Value::String(s)) => Ok(Some(s.trim().into())),
            Some(_) => Err(format!("`{k}` must be a string")),
        }
    };
    let name = table
        .get("en")
        .or_else(|| table.get("ar"))
        .and_then(|v| v.as_str())
        .map(String::from);
    let fail = |m: String| (name.clone(), m);
    let list = |k: &str| -> Result<Vec<Box<str>>, String> {
        match table.get(k) {
            None => Ok(Vec::new()),
            Some(toml::Value::Array(items)) => items
                .iter()
                .map(|v| match v.as_str() {
                    Some(s) if !s.trim().is_empty() => Ok(s.trim().into()),
                    _ => Err(format!("`{k}` must be a list of non-empty strings")),
                })
                .collect(),
            Some(_) => Err(format!("`{k}` must be a list of strings")),
        }
    };
    for k in table.keys() {
        if !FIELDS.contains(&k.as_str()) {
            return Err(fail(format!("unknown field `{k}`")));
        }
    }
    let kind = match string("kind").map_err(&fail)? {
        None => return Err(fail("`kind` is missing".into())),
        Some(k) => Kind::from_id(&k).ok_or_else(|| {
            let known: Vec<_> = Kind::ALL.iter().map(|k| k.id()).collect();
            fail(format!("unknown kind `{k}` (one of {})", known.join(", ")))
        })?,
    };
    let en = string("en").map_err(&fail)?;
    let ar = string("ar").map_err(&fail)?;
    if en.is_none() && ar.is_none() {
        return Err(fail("an entry needs `en` or `ar`".into()));
    }
    let as_of = string("as_of").map_err(&fail)?;
    if let Some(d) = &as_of {
        let ok = d.len() >= 4 && d.chars().all(|c| c.is_ascii_digit() || c == '-');
        if !ok {
            return Err(fail(format!(
                "`as_of` must be a date such as 2025-08, not `{d}`"
            )));
        }
    }
    Ok(Entry {
        id: super::EntryId(0),
        kind,
        en,
        ar,
        about_en: string("about_en").map_err(&fail)?,
        about_ar: string("about_ar").map_err(&fail)?,
        as_of,
        short: list("short").map_err(&fail)?,
        variants: list("variants").map_err(&fail)?,
        avoid: list("avoid").map_err(&fail)?,
        nisba: list("nisba").map_err(&fail)?,
        population: 0,
        source,
    })
}

const FIELDS: &[&str] = &[
    "kind", "en", "ar", "short", "about_en", "about_ar", "as_of", "variants", "avoid", "nisba",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_entries_name_their_line_and_the_good_ones_load() {
        let text = "# newsroom names\n\
[[entity]]\nkind = \"person\"\nen = \"Eva Jansen\"\nshort = [\"Jansen\"]\n\n\
[[entity]]\nkind = \"wizard\"\nen = \"Merlin\"\n\n\
[[entity]]\nkind = \"city\"\nen = \"Bremerhaven\n\n\
[[entity]]\nkind = \"person\"\nar = \"هاني سويلم\"\nvariants = [\"هانى سويلم\"]\n";
        let g = Glossary::from_toml(text);
        let names: Vec<_> = g
            .entries()
            .iter()
            .map(|e| e.en.as_deref().or(e.ar.as_deref()).unwrap())
            .collect();
        assert_eq!(names, ["Eva Jansen", "هاني سويلم"]);
        let errors: Vec<_> = g
            .errors()
            .iter()
            .map(|e| (e.line, e.entry.clone()))
            .collect();
        assert_eq!(errors, [(7, Some("Merlin".into())), (11, None)]);
        assert!(g.errors()[0].to_string().contains("unknown kind `wizard`"));
    }

    #[test]
    fn missing_fields_are_reported() {
        let g =
            Glossary::from_toml("[[entity]]\nen = \"X\"\n[[entity]]\nkind = \"city\"\n[[names]]\n");
        let messages: Vec<_> = g.errors().iter().map(|e| e.to_string()).collect();
        assert_eq!(
            messages,
            [
                "line 1: entry “X”: `kind` is missing",
                "line 3: an entry needs `en` or `ar`",
                "line 5: expected [[entity]], found [[names]]",
            ]
        );
    }
}
