//! How much the server takes on: the size above which a document is only outlined, not
//! checked (`[limits] max-document-size`), and how sizes are written in the configuration.
//!
//! A language server reads whatever the editor opens: a log of gigabytes, a database
//! dump, a minified table pasted whole. Its outline stays cheap at any size (a walk over
//! the blocks), but the rules, their diagnostics and the protocol messages that carry them
//! grow with the text; above the limit they are not computed, and the server says so.

use serde::Deserialize;

/// The default `max-document-size`: far above any article (the longest wire stories are
/// a few hundred kilobytes) and below what makes the diagnostics of a hostile text cost
/// gigabytes.
pub const DEFAULT_MAX_DOCUMENT_SIZE: usize = 64 << 20;

/// Most outline entries sent for one document (the first ones, in document order): an
/// outline of a hundred thousand entries helps nobody, and its protocol message costs
/// hundreds of megabytes to build.
pub const MAX_OUTLINE_ENTRIES: usize = 50_000;

/// Most folding ranges sent for one document, when the editor asks for no fewer
/// (`foldingRange.rangeLimit`; VS Code asks for 5,000).
pub const MAX_FOLDING_RANGES: usize = 10_000;

/// The limits the analysis runs with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// A document longer than this (in bytes) gets its outline and no diagnostics.
    pub max_document_size: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_document_size: DEFAULT_MAX_DOCUMENT_SIZE,
        }
    }
}

impl Limits {
    /// Why a document of `len` bytes is not checked, if it is too large.
    pub fn too_large(&self, len: usize) -> Option<String> {
        (len > self.max_document_size).then(|| {
            format!(
                "the document is {} and the limit is {} ([limits] max-document-size): only its outline is kept",
                show_size(len),
                show_size(self.max_document_size)
            )
        })
    }
}

/// `[limits]` as written in `newsls.toml`, or `limits` in the editor's settings
/// (`maxDocumentSize`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct LimitsConfig {
    #[serde(alias = "maxDocumentSize")]
    pub max_document_size: Option<Size>,
}

impl LimitsConfig {
    /// `self` with `over`'s settings taking precedence.
    pub fn overlay(&self, over: &LimitsConfig) -> LimitsConfig {
        LimitsConfig {
            max_document_size: over
                .max_document_size
                .filter(|s| s.0.is_some())
                .or(self.max_document_size),
        }
    }

    pub fn limits(&self) -> Limits {
        Limits {
            max_document_size: self
                .max_document_size
                .and_then(|s| s.0)
                .unwrap_or(DEFAULT_MAX_DOCUMENT_SIZE),
        }
    }
}

/// A size in bytes, written as a number of bytes or with a unit: `"20MB"`, `"512 KB"`,
/// `"1GB"` (units are powers of 1024; `KiB`, `MiB`, `GiB` and a lone `K`/`M`/`G` are
/// accepted too). An empty string (what an editor sends for an unset setting) is `None`:
/// the default applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Size(pub Option<usize>);

impl Size {
    pub fn parse(s: &str) -> Result<Size, String> {
        let t = s.trim();
        if t.is_empty() {
            return Ok(Size(None));
        }
        let digits = t
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(t.len());
        let (number, unit) = t.split_at(digits);
        let unit = unit.trim().to_ascii_uppercase();
        let multiplier: u64 = match unit.as_str() {
            "" | "B" => 1,
            "K" | "KB" | "KIB" => 1 << 10,
            "M" | "MB" | "MIB" => 1 << 20,
            "G" | "GB" | "GIB" => 1 << 30,
            _ => {
                return Err(format!(
                    "invalid size {s:?}: expected a number of bytes or a number with KB, MB or GB"
                ))
            }
        };
        let value: f64 = number
            .parse()
            .map_err(|_| format!("invalid size {s:?}: expected a number before the unit"))?;
        let bytes = value * multiplier as f64;
        if !(bytes.is_finite() && bytes >= 1.0 && bytes <= usize::MAX as f64) {
            return Err(format!("invalid size {s:?}: must be at least one byte"));
        }
        Ok(Size(Some(bytes as usize)))
    }
}

impl<'de> Deserialize<'de> for Size {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Size;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                write!(f, "a size such as \"20MB\" or a number of bytes")
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Size, E> {
                Size::parse(&v.to_string()).map_err(E::custom)
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Size, E> {
                Size::parse(&v.to_string()).map_err(E::custom)
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Size, E> {
                Size::parse(&v.to_string()).map_err(E::custom)
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Size, E> {
                Size::parse(v).map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

/// A size for people: `64 MB`, `1.5 MB`, `300 KB`, `12 bytes`.
pub fn show_size(bytes: usize) -> String {
    let b = bytes as f64;
    if bytes >= 1 << 20 {
        let mb = b / (1 << 20) as f64;
        if mb.fract() == 0.0 {
            format!("{mb:.0} MB")
        } else {
            format!("{mb:.1} MB")
        }
    } else if bytes >= 1 << 10 {
        format!("{:.0} KB", b / (1 << 10) as f64)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_with_and_without_units() {
        assert_eq!(Size::parse("20MB"), Ok(Size(Some(20 << 20))));
        assert_eq!(Size::parse(" 512 kb "), Ok(Size(Some(512 << 10))));
        assert_eq!(Size::parse("1GiB"), Ok(Size(Some(1 << 30))));
        assert_eq!(Size::parse("1.5M"), Ok(Size(Some(3 << 19))));
        assert_eq!(Size::parse("1000"), Ok(Size(Some(1000))));
        assert_eq!(Size::parse(""), Ok(Size(None)));
        for bad in ["20 parsecs", "MB", "-1MB", "0", "1e400"] {
            assert!(Size::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(show_size(64 << 20), "64 MB");
        assert_eq!(show_size(3 << 19), "1.5 MB");
        assert_eq!(show_size(300 << 10), "300 KB");
    }

    #[test]
    fn from_toml_and_overlay() {
        let file: LimitsConfig = toml::from_str("max-document-size = \"20MB\"").unwrap();
        assert_eq!(file.limits().max_document_size, 20 << 20);
        let editor: LimitsConfig = toml::from_str("maxDocumentSize = 1000").unwrap();
        assert_eq!(file.overlay(&editor).limits().max_document_size, 1000);
        // An editor's empty string leaves the file's value in force.
        let unset: LimitsConfig = toml::from_str("maxDocumentSize = \"\"").unwrap();
        assert_eq!(file.overlay(&unset).limits().max_document_size, 20 << 20);
        assert_eq!(
            LimitsConfig::default().limits().max_document_size,
            DEFAULT_MAX_DOCUMENT_SIZE
        );
        assert!(toml::from_str::<LimitsConfig>("max-document-size = \"big\"").is_err());
        let limits = Limits {
            max_document_size: 10,
        };
        assert!(limits.too_large(10).is_none());
        assert!(limits.too_large(11).unwrap().contains("only its outline"));
    }
}
