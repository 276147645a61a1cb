//! Configuration: one serde struct, read from the workspace file (`newsls.toml` or
//! `.newsls.toml`), the client's `initializationOptions` and `workspace/didChangeConfiguration`.
//! Editor settings override the workspace file rule by rule. A bad value is reported and
//! the last good configuration is kept (the server decides how to report).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::analysis::{FileFilter, Settings};
use crate::entities::Glossary;
use crate::rules::{OptionKind, OptionValue, RuleConfig, Severity, When};

/// Names of the workspace configuration file, in the order they are looked for.
pub const FILE_NAMES: &[&str] = &["newsls.toml", ".newsls.toml"];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleLevel {
    Off,
    Error,
    Warning,
    Information,
    Hint,
}

impl RuleLevel {
    pub fn severity(self) -> Option<Severity> {
        match self {
            RuleLevel::Off => None,
            RuleLevel::Error => Some(Severity::Error),
            RuleLevel::Warning => Some(Severity::Warning),
            RuleLevel::Information => Some(Severity::Information),
            RuleLevel::Hint => Some(Severity::Hint),
        }
    }
}

/// When a rule runs, as configured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleWhen {
    /// As the writer types (the default).
    Type,
    /// Only when the article is saved (and from the command line).
    Save,
}

/// One rule's settings: a level (`"off"`, `"warning"`, …) or a table with `level`,
/// `when` and the rule's own options (`max-words = 45`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuleSetting {
    Level(RuleLevel),
    Table {
        level: Option<RuleLevel>,
        when: Option<RuleWhen>,
        options: BTreeMap<String, RawOption>,
    },
}

/// A rule option as written, before it is checked against the rule's options.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RawOption {
    Number(i64),
    Text(String),
    List(Vec<String>),
}

impl<'de> Deserialize<'de> for RawOption {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = RawOption;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                write!(f, "a number, a string or a list of strings")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<RawOption, E> {
                Ok(RawOption::Number(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<RawOption, E> {
                i64::try_from(v)
                    .map(RawOption::Number)
                    .map_err(|_| E::custom("number too large"))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RawOption, E> {
                Ok(RawOption::Text(v.to_string()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<RawOption, A::Error> {
                let mut v = Vec::new();
                while let Some(item) = seq.next_element::<String>()? {
                    v.push(item);
                }
                Ok(RawOption::List(v))
            }
        }
        d.deserialize_any(V)
    }
}

const LEVELS: &str = "off, error, warning, information (info), hint";

fn level_of<E: serde::de::Error>(v: &str) -> Result<RuleLevel, E> {
    Ok(match v.to_ascii_lowercase().as_str() {
        "off" => RuleLevel::Off,
        "error" => RuleLevel::Error,
        "warning" | "warn" => RuleLevel::Warning,
        "information" | "info" => RuleLevel::Information,
        "hint" => RuleLevel::Hint,
        _ => {
            return Err(E::custom(format!(
                "invalid level `{v}`: expected one of {LEVELS}"
            )))
        }
    })
}

impl<'de> Deserialize<'de> for RuleSetting {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = RuleSetting;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                write!(f, "a level ({LEVELS}) or a table with `level` and `when`")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RuleSetting, E> {
                level_of(v).map(RuleSetting::Level)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<RuleSetting, A::Error> {
                use serde::de::Error;
                let (mut level, mut when) = (None, None);
                let mut options = BTreeMap::new();
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "level" | "severity" => {
                            level = Some(level_of(&map.next_value::<String>()?)?)
                        }
                        "when" => {
                            let v: String = map.next_value()?;
                            when = Some(match v.as_str() {
                                "type" | "typing" => RuleWhen::Type,
                                "save" => RuleWhen::Save,
                                _ => {
                                    return Err(A::Error::custom(format!(
                                        "invalid `when` `{v}`: expected \"type\" or \"save\""
                                    )))
                                }
                            });
                        }
                        // The rule's own options; checked against the rule later.
                        other => {
                            options.insert(other.to_string(), map.next_value::<RawOption>()?);
                        }
                    }
                }
                Ok(RuleSetting::Table {
                    level,
                    when,
                    options,
                })
            }
        }
        d.deserialize_any(V)
    }
}

impl RuleSetting {
    fn level(&self) -> Option<RuleLevel> {
        match self {
            RuleSetting::Level(l) => Some(*l),
            RuleSetting::Table { level, .. } => *level,
        }
    }

    fn when(&self) -> Option<RuleWhen> {
        match self {
            RuleSetting::Level(_) => None,
            RuleSetting::Table { when, .. } => *when,
        }
    }

    fn options(&self) -> Option<&BTreeMap<String, RawOption>> {
        match self {
            RuleSetting::Level(_) => None,
            RuleSetting::Table { options, .. } => Some(options),
        }
    }

    /// `over`'s choices, falling back to `self`'s for what `over` leaves out.
    fn overlay(&self, over: &RuleSetting) -> RuleSetting {
        let mut options = self.options().cloned().unwrap_or_default();
        options.extend(over.options().cloned().unwrap_or_default());
        RuleSetting::Table {
            level: over.level().or(self.level()),
            when: over.when().or(self.when()),
            options,
        }
    }
}

/// A written option as the value of the rule's option of that name.
fn option_value(id: &str, key: &str, raw: &RawOption) -> Result<OptionValue, String> {
    let rule = crate::rules::rule(id).ok_or_else(|| format!("unknown rule `{id}`"))?;
    let kind = rule
        .options
        .iter()
        .find(|o| o.key == key)
        .map(|o| o.kind)
        // An unknown key: `set_option` names the rule's options in its error.
        .unwrap_or(OptionKind::Count);
    let wrong = || {
        let help = rule
            .options
            .iter()
            .find(|o| o.key == key)
            .map_or("", |o| o.help);
        format!("`{key}` of rule `{id}` must be {help}")
    };
    Ok(match (kind, raw) {
        (OptionKind::Count, RawOption::Number(n)) if *n >= 0 => OptionValue::Count(*n as usize),
        (OptionKind::Pattern, RawOption::Text(p)) => OptionValue::Pattern(
            regex::Regex::new(p)
                .map_err(|e| format!("`{key}` of rule `{id}` is not a valid pattern: {e}"))?,
        ),
        (OptionKind::List, RawOption::List(l)) => OptionValue::List(l.clone()),
        (OptionKind::List, RawOption::Text(t)) => OptionValue::List(vec![t.clone()]),
        _ if rule.options.iter().all(|o| o.key != key) => OptionValue::Count(0),
        _ => return Err(wrong()),
    })
}

/// Everything a user can configure. Unknown keys are ignored (editors send their own
/// client-side settings, such as `server.path`, in the same section).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct Config {
    /// Rule id → a level (`off`, `error`, `warning`, `information` (`info`), `hint`), or
    /// `{ level = …, when = "type" | "save" }`.
    pub rules: BTreeMap<String, RuleSetting>,
    /// Where the rule pages are published (`<base>/<rule-id>` or `<base>/<rule-id>.md` as
    /// the base's own pages are named): diagnostics link to them. None by default: the
    /// pages ship inside the binary (`newsls rule ID`), and no link is better than a dead one.
    #[serde(alias = "docsBaseUrl")]
    pub docs_base_url: Option<String>,
    /// Which files newsls checks.
    pub files: FilesConfig,
    /// `[entities]`: the newsroom glossary file.
    pub entities: EntitiesConfig,
    /// `[[entity]]` entries written in the configuration itself (the glossary format).
    pub entity: Vec<toml::Table>,
    /// The configuration file's text, for the lines of its `[[entity]]` entries.
    #[serde(skip)]
    pub source: Option<String>,
}

/// `[entities]`: where the newsroom's glossary lives (a TOML file of `[[entity]]`
/// entries, inside the workspace).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct EntitiesConfig {
    pub glossary: Option<String>,
}

/// `[files]`: globs of the files to check and to leave alone (relative to the workspace
/// root; a pattern without `/` matches a file name at any depth), and whether plain-text
/// files that are not news articles (logs, data, licences) are left alone.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct FilesConfig {
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    #[serde(alias = "articlesOnly")]
    pub articles_only: Option<bool>,
}

impl Config {
    pub fn from_toml(text: &str) -> Result<Config, String> {
        let mut c: Config = toml::from_str(text).map_err(|e| e.to_string())?;
        c.source = Some(text.to_string());
        Ok(c)
    }

    /// From editor settings: either `{ "newsls": { ... } }` or the section itself.
    pub fn from_json(value: &serde_json::Value) -> Result<Config, String> {
        let section = value.get("newsls").unwrap_or(value);
        if section.is_null() {
            return Ok(Config::default());
        }
        serde_json::from_value(section.clone()).map_err(|e| e.to_string())
    }

    /// `self` with `over`'s settings taking precedence, rule by rule.
    pub fn overlay(&self, over: &Config) -> Config {
        let mut rules = self.rules.clone();
        for (k, v) in &over.rules {
            let merged = match rules.get(k) {
                Some(mine) => mine.overlay(v),
                None => v.clone(),
            };
            rules.insert(k.clone(), merged);
        }
        let pick =
            |o: &Vec<String>, m: &Vec<String>| if o.is_empty() { m.clone() } else { o.clone() };
        Config {
            rules,
            docs_base_url: over.docs_base_url.clone().or(self.docs_base_url.clone()),
            files: FilesConfig {
                include: pick(&over.files.include, &self.files.include),
                exclude: pick(&over.files.exclude, &self.files.exclude),
                articles_only: over.files.articles_only.or(self.files.articles_only),
            },
            entities: EntitiesConfig {
                glossary: over
                    .entities
                    .glossary
                    .clone()
                    .or(self.entities.glossary.clone()),
            },
            // The workspace file's entries; editors do not send glossaries.
            entity: self.entity.clone(),
            source: self.source.clone(),
        }
    }

    /// The settings the analysis runs with, checked against the rule registry; file globs
    /// are relative to the working directory.
    pub fn settings(&self) -> Result<Settings, String> {
        self.settings_at(None)
    }

    /// The settings, with file globs relative to `root` (the workspace root, or the
    /// directory of the configuration file).
    pub fn settings_at(&self, root: Option<PathBuf>) -> Result<Settings, String> {
        let mut rules = RuleConfig::default();
        for (id, setting) in &self.rules {
            if let Some(level) = setting.level() {
                rules.set(id, level.severity())?;
            }
            if let Some(when) = setting.when() {
                let when = match when {
                    RuleWhen::Type => When::Type,
                    RuleWhen::Save => When::Save,
                };
                rules.set_when(id, when)?;
            }
            for (key, raw) in setting.options().into_iter().flatten() {
                rules.set_option(id, key, option_value(id, key, raw)?)?;
            }
            if setting.level().is_none() && setting.when().is_none() {
                rules.set_when(id, When::Type)?;
            }
        }
        // Editors send an empty string for an unset setting.
        let docs_base_url = self.docs_base_url.clone().filter(|u| !u.trim().is_empty());
        if let Some(url) = &docs_base_url {
            if !(url.starts_with("https://")
                || url.starts_with("http://")
                || url.starts_with("file://"))
            {
                return Err(format!(
                    "docs-base-url must be an http(s) or file URL, not {url:?}"
                ));
            }
        }
        let (glossary, glossary_warnings) = self.glossary(root.as_deref());
        let files = FileFilter::new(
            self.files.include.clone(),
            self.files.exclude.clone(),
            self.files.articles_only.unwrap_or(true),
            root,
        )?;
        Ok(Settings {
            rules,
            docs_base_url,
            files,
            glossary: std::sync::Arc::new(glossary),
            warnings: glossary_warnings,
        })
    }

    /// The newsroom glossary: `[[entity]]` entries of the configuration file, then those of
    /// the glossary file it names (inside `root`). A bad entry is a warning naming its
    /// file and line; the others load.
    pub fn glossary(&self, root: Option<&Path>) -> (Glossary, Vec<String>) {
        let mut text = String::new();
        let mut warnings = Vec::new();
        if let Some(source) = &self.source {
            text.push_str(&entity_entries(source));
        }
        let inline_lines = text.lines().count();
        if let Some(name) = &self.entities.glossary {
            match read_inside(root, name) {
                Ok(t) => {
                    text.push('\n');
                    text.push_str(&t);
                }
                Err(e) => warnings.push(format!("glossary {name}: {e}")),
            }
        }
        if text.trim().is_empty() {
            return (Glossary::empty(), warnings);
        }
        let glossary = Glossary::from_toml(&text);
        for e in glossary.errors() {
            let (file, line) = if e.line <= inline_lines {
                ("newsls.toml", e.line)
            } else {
                (
                    self.entities.glossary.as_deref().unwrap_or("glossary"),
                    e.line - inline_lines - 1,
                )
            };
            let what = e.to_string();
            let what = what
                .split_once(": ")
                .map_or(what.as_str(), |(_, rest)| rest);
            warnings.push(format!("{file}:{line}: {what}"));
        }
        (glossary, warnings)
    }

    /// Finds the workspace configuration file in `dir` or its ancestors.
    pub fn discover(dir: &Path) -> Option<PathBuf> {
        dir.ancestors()
            .flat_map(|d| FILE_NAMES.iter().map(move |n| d.join(n)))
            .find(|p| p.is_file())
    }
}

/// The keys of a `newsls.toml` text that [`Config`] does not know (and so ignores), each as
/// a dotted path (`files.inclde`, `docs-base-uri`) with the 1-based line its key is on, in
/// the order serde meets them. A rule's own table takes any key (its options are checked
/// against the rule when the settings are built), so nothing under `[rules]` is listed.
/// Empty when the text is not valid TOML: [`Config::from_toml`] reports that.
pub fn unknown_keys(text: &str) -> Vec<(String, usize)> {
    unknown_key_paths(text)
        .into_iter()
        .map(|(keys, at)| (keys.join("."), 1 + text[..at].matches('\n').count()))
        .collect()
}

/// [`unknown_keys`] as key paths, each with the byte offset of its key.
fn unknown_key_paths(text: &str) -> Vec<(Vec<String>, usize)> {
    let mut paths: Vec<Vec<String>> = Vec::new();
    let parsed: Result<Config, _> =
        serde_ignored::deserialize(toml::Deserializer::new(text), |path| {
            paths.push(path_keys(&path))
        });
    if parsed.is_err() {
        return Vec::new();
    }
    // serde reads the text without keeping where a key was; the syntax tree has spans.
    let doc = toml_edit::ImDocument::parse(text).ok();
    paths
        .into_iter()
        .map(|keys| {
            let at = doc
                .as_ref()
                .and_then(|d| key_span(d.as_item(), &keys))
                .map_or(0, |r| r.start);
            (keys, at)
        })
        .collect()
}

/// The keys from the root of the document down to an ignored value.
fn path_keys(path: &serde_ignored::Path<'_>) -> Vec<String> {
    use serde_ignored::Path;
    match path {
        Path::Root => Vec::new(),
        Path::Seq { parent, index } => {
            let mut v = path_keys(parent);
            v.push(index.to_string());
            v
        }
        Path::Map { parent, key } => {
            let mut v = path_keys(parent);
            v.push(key.clone());
            v
        }
        Path::Some { parent }
        | Path::NewtypeStruct { parent }
        | Path::NewtypeVariant { parent } => path_keys(parent),
    }
}

/// Where the last key of `keys` is written in the document (byte range), following
/// tables, inline tables and arrays of tables; the nearest written parent key when the
/// last one has no place of its own.
fn key_span(item: &toml_edit::Item, keys: &[String]) -> Option<std::ops::Range<usize>> {
    let (first, rest) = keys.split_first()?;
    if let Some(table) = item.as_table_like() {
        let (key, value) = table.get_key_value(first)?;
        return match rest {
            [] => key.span(),
            _ => key_span(value, rest).or(key.span()),
        };
    }
    let index: usize = first.parse().ok()?;
    if let Some(tables) = item.as_array_of_tables() {
        let table = tables.get(index)?;
        return key_span(&toml_edit::Item::Table(table.clone()), rest);
    }
    None
}

/// Something wrong with a configuration file, located in its text for an editor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Byte range in the text (a key, a value, or a line).
    pub start: usize,
    pub end: usize,
    /// `Error`: the file cannot be used (the server keeps the last good configuration,
    /// `newsls check` exits 2). `Warning`: part of it is ignored, the rest is in force.
    pub severity: Severity,
    pub message: String,
}

/// The span of 1-based `line` of `text`, without its line break.
fn line_span(text: &str, line: usize) -> (usize, usize) {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => break,
        }
    }
    let end = text[start..]
        .find(['\r', '\n'])
        .map_or(text.len(), |i| start + i);
    (start, end)
}

/// What is wrong with the text of a configuration file (`newsls.toml`), each problem
/// where it is written: the TOML syntax or a value of the wrong type (an error, at the
/// place the parser stopped), a value the settings refuse (an error, on its key: an
/// unknown rule, a bad option, glob or URL), unknown keys and bad glossary entries
/// (warnings). `root` is the directory the file's relative paths start from (its own).
/// Empty when the file is fine.
pub fn problems(text: &str, root: Option<&Path>) -> Vec<Problem> {
    let config = match toml::from_str::<Config>(text) {
        Ok(mut c) => {
            c.source = Some(text.to_string());
            c
        }
        Err(e) => {
            let (start, end) = match e.span() {
                Some(r) if r.start < r.end => (r.start, r.end),
                Some(r) => {
                    let line = 1 + text[..r.start.min(text.len())].matches('\n').count();
                    line_span(text, line)
                }
                None => line_span(text, 1),
            };
            return vec![Problem {
                start,
                end,
                severity: Severity::Error,
                message: e.message().trim_end().to_string(),
            }];
        }
    };
    let doc = toml_edit::ImDocument::parse(text).ok();
    let at = |keys: &[&str]| -> (usize, usize) {
        let keys: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
        doc.as_ref()
            .and_then(|d| key_span(d.as_item(), &keys))
            .map_or_else(|| line_span(text, 1), |r| (r.start, r.end))
    };
    let mut out = Vec::new();
    let mut error = |(start, end): (usize, usize), message: String| {
        out.push(Problem {
            start,
            end,
            severity: Severity::Error,
            message,
        })
    };
    // The settings refuse the file as a whole; each part is checked alone to say where.
    let settings = config.settings_at(root.map(Path::to_path_buf));
    if let Err(whole) = &settings {
        let mut located = false;
        for (id, setting) in &config.rules {
            let alone = Config {
                rules: BTreeMap::from([(id.clone(), setting.clone())]),
                ..Config::default()
            };
            if let Err(e) = alone.settings() {
                error(at(&["rules", id]), e);
                located = true;
            }
        }
        if let Some(url) = &config.docs_base_url {
            let alone = Config {
                docs_base_url: Some(url.clone()),
                ..Config::default()
            };
            if let Err(e) = alone.settings() {
                error(at(&["docs-base-url"]), e);
                located = true;
            }
        }
        for (key, globs) in [
            ("include", &config.files.include),
            ("exclude", &config.files.exclude),
        ] {
            for (i, glob) in globs.iter().enumerate() {
                if let Err(e) = FileFilter::new(vec![glob.clone()], Vec::new(), true, None) {
                    let place = doc
                        .as_ref()
                        .and_then(|d| d.get("files"))
                        .and_then(|f| f.get(key))
                        .and_then(|v| v.as_array())
                        .and_then(|a| a.get(i))
                        .and_then(|v| v.span())
                        .map_or_else(|| at(&["files", key]), |r| (r.start, r.end));
                    error(place, e);
                    located = true;
                }
            }
        }
        if !located {
            error(line_span(text, 1), whole.clone());
        }
    }
    for (keys, _) in unknown_key_paths(text) {
        let key = keys.join(".");
        let refs: Vec<&str> = keys.iter().map(String::as_str).collect();
        let (start, end) = at(&refs);
        out.push(Problem {
            start,
            end,
            severity: Severity::Warning,
            message: format!("unknown key `{key}` in the configuration (ignored)"),
        });
    }
    // The glossary is read once: with the settings, or alone when they were refused.
    let warnings = match settings {
        Ok(s) => s.warnings,
        Err(_) => config.glossary(root).1,
    };
    for w in warnings {
        // `newsls.toml:LINE: what` is about an entry of this file; anything else about the
        // glossary file it names, shown on its `glossary` key.
        let here = w
            .strip_prefix("newsls.toml:")
            .and_then(|rest| rest.split_once(": "))
            .and_then(|(line, what)| Some((line.parse::<usize>().ok()?, what)));
        let ((start, end), message) = match here {
            Some((line, what)) => (line_span(text, line), what.to_string()),
            None => (at(&["entities", "glossary"]), w.clone()),
        };
        out.push(Problem {
            start,
            end,
            severity: Severity::Warning,
            message,
        });
    }
    out.sort_by_key(|p| (p.start, p.end));
    out
}

/// The `[[entity]]` tables of a configuration file, every other line blanked so that line
/// numbers stay those of the file.
fn entity_entries(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut inside = false;
    for line in source.lines() {
        let t = line.trim_start();
        if t.starts_with('[') {
            inside = t.starts_with("[[entity]]");
        }
        if inside {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

/// Largest glossary read.
const MAX_GLOSSARY_BYTES: u64 = 16 << 20;

/// Reads a file named relative to `root`, refusing anything outside it (`..`, an absolute
/// path elsewhere, a symbolic link that leads out) and anything too large.
fn read_inside(root: Option<&Path>, name: &str) -> Result<String, String> {
    let root = root.ok_or("no workspace folder to read it from")?;
    let root = root
        .canonicalize()
        .map_err(|e| format!("cannot resolve the workspace folder: {e}"))?;
    let path = root
        .join(name)
        .canonicalize()
        .map_err(|e| format!("cannot read it: {e}"))?;
    if !path.starts_with(&root) {
        return Err("it is outside the workspace; only files inside it are read".into());
    }
    let meta = std::fs::metadata(&path).map_err(|e| format!("cannot read it: {e}"))?;
    if meta.len() > MAX_GLOSSARY_BYTES {
        return Err(format!("it is larger than {MAX_GLOSSARY_BYTES} bytes"));
    }
    std::fs::read_to_string(&path).map_err(|e| format!("cannot read it: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_can_be_deferred_to_save_and_relevelled_separately() {
        let file =
            Config::from_toml("[rules]\ntable-split = { level = \"error\", when = \"save\" }\n")
                .unwrap();
        let editor =
            Config::from_json(&serde_json::json!({"rules": {"table-split": "hint"}})).unwrap();
        let s = file.overlay(&editor).settings().unwrap();
        let r = crate::rules::rule("table-split").unwrap();
        assert_eq!(s.rules.severity(r), Some(Severity::Hint));
        assert_eq!(s.rules.when(r), When::Save);
        assert!(Config::from_toml("[rules]\ntable-split = { when = \"later\" }\n").is_err());
    }

    #[test]
    fn toml_and_json_and_overlay() {
        let file =
            Config::from_toml("[rules]\ntable-flattened = \"off\"\ntable-split = \"error\"\n")
                .unwrap();
        let editor = Config::from_json(&serde_json::json!({
            "newsls": {"server": {"path": "/x"}, "rules": {"table-split": "hint"}}
        }))
        .unwrap();
        let merged = file.overlay(&editor);
        assert_eq!(
            merged.rules["table-flattened"].level(),
            Some(RuleLevel::Off)
        );
        assert_eq!(merged.rules["table-split"].level(), Some(RuleLevel::Hint));
        assert!(merged.settings().is_ok());
    }

    #[test]
    fn bad_values_are_errors() {
        assert!(Config::from_toml("[rules]\ntable-split = \"loud\"\n").is_err());
        let unknown = Config::from_toml("[rules]\nno-such-rule = \"off\"\n").unwrap();
        assert!(unknown.settings().unwrap_err().contains("no-such-rule"));
        assert!(Config::from_toml("docs-base-url = \"docs/rules\"\n")
            .unwrap()
            .settings()
            .is_err());
    }

    /// `problems(text)` as `(severity, the text it points at, message)`.
    fn located(text: &str) -> Vec<(Severity, &str, String)> {
        problems(text, None)
            .into_iter()
            .map(|p| (p.severity, &text[p.start..p.end], p.message))
            .collect()
    }

    #[test]
    fn problems_point_at_what_is_wrong() {
        assert!(located("[rules]\ntable-split = \"off\"\n").is_empty());
        // The parser's own place for syntax and type errors.
        let syntax = located("docs-base-url = \"x\"\n[rules\n");
        assert_eq!(syntax.len(), 1);
        assert_eq!(syntax[0].0, Severity::Error);
        let level = located("[rules]\nplaceholder = \"loud\"\n");
        assert_eq!(level[0].1, "\"loud\"", "{level:?}");
        assert!(level[0].2.contains("loud"), "{level:?}");
        // What only the settings refuse: on the key, or the glob, that is wrong.
        let rule = located("[rules]\ntable-split = \"off\"\nno-such-rule = \"off\"\n");
        assert_eq!(
            (rule.len(), rule[0].0, rule[0].1),
            (1, Severity::Error, "no-such-rule")
        );
        assert!(rule[0].2.contains("no-such-rule"), "{rule:?}");
        let glob = located("[files]\nexclude = [\"drafts/**\", \"[\"]\n");
        assert_eq!(
            (glob[0].0, glob[0].1),
            (Severity::Error, "\"[\""),
            "{glob:?}"
        );
        let option = located("[rules.lede-too-long]\nmax-words = \"many\"\n");
        assert_eq!(option[0].1, "lede-too-long", "{option:?}");
        let url = located("docs-base-url = \"docs/rules\"\n");
        assert_eq!(url[0].1, "docs-base-url", "{url:?}");
        // Unknown keys and bad glossary entries are warnings where they are written.
        let warnings = located(
            "[files]\ninclde = [\"a\"]\n\n[[entity]]\nkind = \"wizard\"\nen = \"Merlin\"\n",
        );
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert_eq!(
            (warnings[0].0, warnings[0].1),
            (Severity::Warning, "inclde")
        );
        assert_eq!(
            (warnings[1].0, warnings[1].1),
            (Severity::Warning, "[[entity]]")
        );
        assert!(warnings[1].2.contains("wizard"), "{warnings:?}");
    }

    #[test]
    fn unknown_keys_are_named_with_their_line() {
        let text = "docs-base-uri = \"x\"\n\n[files]\ninclude = [\"*.md\"]\ninclde = [\"a\"]\n\n[rules]\nplaceholder = { level = \"error\", max-words = 3 }\n";
        assert_eq!(
            unknown_keys(text),
            vec![
                ("docs-base-uri".to_string(), 1),
                ("files.inclde".to_string(), 5)
            ]
        );
        let inline = "files = { articles-only = true, exclud = [] }\n";
        assert_eq!(unknown_keys(inline), vec![("files.exclud".to_string(), 1)]);
        assert!(unknown_keys("[rules]\ntable-split = \"off\"\n").is_empty());
        assert!(unknown_keys("not toml = = =").is_empty());
    }
}
