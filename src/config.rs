//! Configuration: one serde struct, read from the workspace file (`newsls.toml` or
//! `.newsls.toml`), the client's `initializationOptions` and `workspace/didChangeConfiguration`.
//! Editor settings override the workspace file rule by rule. A bad value is reported and
//! the last good configuration is kept (the server decides how to report).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::rules::{RuleConfig, Severity};

/// Names of the workspace configuration file, in the order they are looked for.
pub const FILE_NAMES: &[&str] = &["newsls.toml", ".newsls.toml"];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleLevel {
    Off,
    Error,
    Warning,
    #[serde(alias = "info")]
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

/// Everything a user can configure. Unknown keys are ignored (editors send their own
/// client-side settings, such as `server.path`, in the same section).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Config {
    /// Rule id → `off`, `error`, `warning`, `information` (`info`) or `hint`.
    pub rules: BTreeMap<String, RuleLevel>,
}

impl Config {
    pub fn from_toml(text: &str) -> Result<Config, String> {
        toml::from_str(text).map_err(|e| e.to_string())
    }

    /// From editor settings: either `{ "newsls": { ... } }` or the section itself.
    pub fn from_json(value: &serde_json::Value) -> Result<Config, String> {
        let section = value.get("newsls").unwrap_or(value);
        if section.is_null() {
            return Ok(Config::default());
        }
        serde_json::from_value(section.clone()).map_err(|e| e.to_string())
    }

    /// `self` with `over`'s rule settings taking precedence.
    pub fn overlay(&self, over: &Config) -> Config {
        let mut rules = self.rules.clone();
        rules.extend(over.rules.iter().map(|(k, v)| (k.clone(), *v)));
        Config { rules }
    }

    /// The rule settings, checked against the rule registry.
    pub fn rule_config(&self) -> Result<RuleConfig, String> {
        let mut rc = RuleConfig::default();
        for (id, level) in &self.rules {
            rc.set(id, level.severity())?;
        }
        Ok(rc)
    }

    /// Finds the workspace configuration file in `dir` or its ancestors.
    pub fn discover(dir: &Path) -> Option<PathBuf> {
        dir.ancestors()
            .flat_map(|d| FILE_NAMES.iter().map(move |n| d.join(n)))
            .find(|p| p.is_file())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(merged.rules["table-flattened"], RuleLevel::Off);
        assert_eq!(merged.rules["table-split"], RuleLevel::Hint);
        assert!(merged.rule_config().is_ok());
    }

    #[test]
    fn bad_values_are_errors() {
        assert!(Config::from_toml("[rules]\ntable-split = \"loud\"\n").is_err());
        let unknown = Config::from_toml("[rules]\nno-such-rule = \"off\"\n").unwrap();
        assert!(unknown.rule_config().unwrap_err().contains("no-such-rule"));
    }
}
