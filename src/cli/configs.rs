//! Which configuration each article is checked with.
//!
//! The nearest `newsls.toml` (or `.newsls.toml`) in the article's directory or above it
//! governs the article, so a desk's subtree can re-level a rule for its own copy. The
//! nearest file wins whole: files are not merged. `--config FILE` governs every article.
//! `[files]` globs are relative to the directory of the file that holds them.
//!
//! Lookups are cached per directory (each directory is looked at once, however many
//! articles it holds) and each file is read and validated once. A file that is not valid
//! TOML, or holds a value that is not valid, is an error that stops the run (exit 2): a
//! check under a configuration other than the one the newsroom wrote would be a check of
//! something else. Unknown keys and bad glossary entries are warnings, with their file and
//! line.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use crate::analysis::Settings;
use crate::config::{problems, unknown_keys, Config, FILE_NAMES};
use crate::rules::{Severity, RULES};

/// A configuration file, read and checked.
#[derive(Debug)]
pub struct Resolved {
    /// The file, as shown (relative to the working directory when under it); `None` for
    /// the built-in defaults.
    pub file: Option<PathBuf>,
    pub settings: Settings,
}

/// Something a configuration file got wrong without being unusable: a key the
/// configuration does not know, or a bad entry in the newsroom glossary. Reported, and the
/// rest of the file is in force.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigWarning {
    /// The file it is about (the configuration, or the glossary it names), as shown.
    pub file: PathBuf,
    /// 1-based, when the warning is about one line.
    pub line: Option<usize>,
    /// For an unknown key: the key, dotted (`files.inclde`).
    pub key: Option<String>,
    /// What is wrong, without the file and line.
    pub what: String,
}

impl ConfigWarning {
    fn unknown_key(file: PathBuf, line: usize, key: String) -> ConfigWarning {
        ConfigWarning {
            what: format!("unknown key `{key}` in the configuration (ignored)"),
            file,
            line: Some(line),
            key: Some(key),
        }
    }

    /// A stable name for the kind of warning (SARIF's notification descriptor).
    pub fn kind(&self) -> &'static str {
        if self.key.is_some() {
            "unknown-key"
        } else {
            "glossary"
        }
    }

    /// `file:line: what`.
    pub fn message(&self) -> String {
        match self.line {
            Some(line) => format!("{}:{line}: {}", self.file.display(), self.what),
            None => format!("{}: {}", self.file.display(), self.what),
        }
    }
}

/// A glossary warning of the settings (`newsls.toml:LINE: …` for an `[[entity]]` entry of
/// the configuration file, `GLOSSARY:LINE: …` for one of the glossary file, `glossary
/// NAME: …` for a glossary that cannot be read) about the file `config` (as shown), whose
/// `[entities] glossary` is `glossary`.
fn glossary_warning(config: &Path, glossary: Option<&str>, w: &str) -> ConfigWarning {
    let with_line = |rest: &str| -> Option<(usize, String)> {
        let (line, what) = rest.split_once(": ")?;
        Some((line.parse().ok()?, what.to_string()))
    };
    let dir = config.parent().unwrap_or(Path::new(""));
    let located = w
        .strip_prefix("newsls.toml:")
        .and_then(with_line)
        .map(|l| (config.to_path_buf(), l))
        .or_else(|| {
            let g = glossary?;
            let rest = w.strip_prefix(g)?.strip_prefix(':')?;
            with_line(rest).map(|l| (dir.join(g), l))
        });
    match located {
        Some((file, (line, what))) => ConfigWarning {
            file,
            line: Some(line),
            key: None,
            what,
        },
        None => ConfigWarning {
            file: config.to_path_buf(),
            line: None,
            key: None,
            what: w.to_string(),
        },
    }
}

/// The configurations met so far.
pub struct Configs {
    cwd: PathBuf,
    forced: Option<Arc<Resolved>>,
    /// Directory → the configuration file that governs it (`None`: the defaults).
    dirs: HashMap<PathBuf, Option<PathBuf>>,
    loaded: HashMap<PathBuf, Arc<Resolved>>,
    defaults: Arc<Resolved>,
    /// `--severity`: rules quieter than this are switched off in every configuration.
    threshold: Severity,
    /// Warnings about every file read, in the order the files were read.
    pub warnings: Vec<ConfigWarning>,
}

/// `settings` with every rule quieter than `threshold` switched off: what such a rule
/// finds is never shown, counted or fixed, so it is not run (`--severity error` in a
/// pre-commit hook skips the entity index, most of a check's time, with the warnings).
fn at_threshold(mut settings: Settings, threshold: Severity) -> Settings {
    for r in RULES {
        if settings.rules.severity(r).is_some_and(|s| s > threshold) {
            settings
                .rules
                .set(r.id, None)
                .expect("a rule of the registry");
        }
    }
    settings
}

impl Configs {
    /// `forced` is `--config FILE`: read now, so that a bad one stops the run at once.
    /// `threshold` is `--severity`.
    pub fn new(cwd: &Path, forced: Option<&Path>, threshold: Severity) -> Result<Configs, String> {
        let mut configs = Configs {
            cwd: cwd.to_path_buf(),
            forced: None,
            dirs: HashMap::new(),
            loaded: HashMap::new(),
            defaults: Arc::new(Resolved {
                file: None,
                settings: at_threshold(Config::default().settings_at(None)?, threshold),
            }),
            threshold,
            warnings: Vec::new(),
        };
        if let Some(file) = forced {
            let abs = absolute(cwd, file);
            if !abs.is_file() {
                return Err(format!(
                    "--config {}: no such configuration file",
                    file.display()
                ));
            }
            configs.forced = Some(configs.load(&abs)?);
        }
        Ok(configs)
    }

    /// The configuration for an article in directory `dir` (absolute, normalised).
    pub fn for_dir(&mut self, dir: &Path) -> Result<Arc<Resolved>, String> {
        if let Some(forced) = &self.forced {
            return Ok(forced.clone());
        }
        match self.governing(dir) {
            Some(file) => self.load(&file),
            None => Ok(self.defaults.clone()),
        }
    }

    /// The configuration file for `dir`: in it, or the one for its parent.
    fn governing(&mut self, dir: &Path) -> Option<PathBuf> {
        if let Some(hit) = self.dirs.get(dir) {
            return hit.clone();
        }
        let here = FILE_NAMES.iter().map(|n| dir.join(n)).find(|p| p.is_file());
        let found = match here {
            Some(p) => Some(p),
            None => dir.parent().and_then(|parent| self.governing(parent)),
        };
        self.dirs.insert(dir.to_path_buf(), found.clone());
        found
    }

    fn load(&mut self, file: &Path) -> Result<Arc<Resolved>, String> {
        if let Some(r) = self.loaded.get(file) {
            return Ok(r.clone());
        }
        let shown = self.shown(file);
        let text = std::fs::read_to_string(file)
            .map_err(|e| format!("cannot read {}: {e}", shown.display()))?;
        let root = file.parent().map(Path::to_path_buf);
        let settings = Config::from_toml(&text)
            .and_then(|config| Ok((config.settings_at(root.clone())?, config)))
            .map_err(|e| invalid(&shown, &text, root.as_deref(), &e))?;
        let (settings, config) = settings;
        self.warnings.extend(
            unknown_keys(&text)
                .into_iter()
                .map(|(key, line)| ConfigWarning::unknown_key(shown.clone(), line, key)),
        );
        self.warnings.extend(
            settings
                .warnings
                .iter()
                .map(|w| glossary_warning(&shown, config.entities.glossary.as_deref(), w)),
        );
        let resolved = Arc::new(Resolved {
            file: Some(shown),
            settings: at_threshold(settings, self.threshold),
        });
        self.loaded.insert(file.to_path_buf(), resolved.clone());
        Ok(resolved)
    }

    /// A path as shown: relative to the working directory when under it.
    fn shown(&self, path: &Path) -> PathBuf {
        path.strip_prefix(&self.cwd)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| path.to_path_buf())
    }
}

/// Why a configuration file cannot be used: each error where it is written
/// (`desk/newsls.toml:5:15: invalid configuration: …`), as the editor shows it on the file;
/// `fallback` when it cannot be placed.
fn invalid(shown: &Path, text: &str, root: Option<&Path>, fallback: &str) -> String {
    let errors: Vec<String> = problems(text, root)
        .into_iter()
        .filter(|p| p.severity == Severity::Error)
        .map(|p| {
            let before = &text[..p.start];
            let line = 1 + before.matches('\n').count();
            let column = 1 + before[before.rfind('\n').map_or(0, |i| i + 1)..]
                .chars()
                .count();
            format!(
                "{}:{line}:{column}: invalid configuration: {}",
                shown.display(),
                p.message
            )
        })
        .collect();
    if errors.is_empty() {
        format!(
            "{}: invalid configuration: {}",
            shown.display(),
            fallback.trim_end()
        )
    } else {
        // One error a line, each introduced as the first is.
        errors.join("\nnewsls: ")
    }
}

/// `path` made absolute against `cwd`, with `.` and `..` resolved lexically (without
/// following links, so a path through a symbolic link stays the path the user gave, and
/// `[files]` globs see it as they would see it written).
pub fn absolute(cwd: &Path, path: &Path) -> PathBuf {
    let joined = cwd.join(path);
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glossary_warnings_name_the_file_they_are_about() {
        let config = Path::new("desk/newsls.toml");
        let w = |text| glossary_warning(config, Some("names/glossary.toml"), text).message();
        assert_eq!(
            w("newsls.toml:7: an entry needs `en` or `ar`"),
            "desk/newsls.toml:7: an entry needs `en` or `ar`"
        );
        assert_eq!(
            w("names/glossary.toml:3: bad kind `x`"),
            "desk/names/glossary.toml:3: bad kind `x`"
        );
        assert_eq!(
            w("glossary names/glossary.toml: cannot read it: No such file or directory"),
            "desk/newsls.toml: glossary names/glossary.toml: cannot read it: No such file or directory"
        );
    }

    #[test]
    fn rules_quieter_than_the_threshold_are_not_run() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("newsls.toml"),
            "[rules]\nrepeated-word = \"error\"\n",
        )
        .unwrap();
        let mut configs = Configs::new(dir.path(), None, Severity::Error).unwrap();
        let rules = &configs.for_dir(dir.path()).unwrap().settings.rules;
        let level = |id| rules.severity(crate::rules::rule(id).unwrap());
        assert_eq!(level("repeated-word"), Some(Severity::Error), "re-levelled");
        assert_eq!(level("placeholder"), Some(Severity::Error));
        assert_eq!(level("entity-misspelling"), None, "a warning");
        assert_eq!(level("entity-variant"), None, "a hint");
        let mut all = Configs::new(dir.path(), None, Severity::Hint).unwrap();
        let rules = &all.for_dir(dir.path()).unwrap().settings.rules;
        assert_eq!(
            rules.severity(crate::rules::rule("entity-variant").unwrap()),
            Some(Severity::Hint)
        );
    }

    #[test]
    fn paths_are_made_absolute_lexically() {
        let cwd = Path::new("/news/desk");
        assert_eq!(
            absolute(cwd, Path::new("./a/../b/c.md")),
            PathBuf::from("/news/desk/b/c.md")
        );
        assert_eq!(
            absolute(cwd, Path::new("../x.md")),
            PathBuf::from("/news/x.md")
        );
        assert_eq!(
            absolute(cwd, Path::new("/abs/y.md")),
            PathBuf::from("/abs/y.md")
        );
    }
}
