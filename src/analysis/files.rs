//! Which documents newsls checks: `[files] include`/`exclude` globs, and plain-text files
//! that are not articles at all (logs, data files, licences) left alone.
//!
//! Globs are matched against the path relative to the directory the configuration
//! belongs to (the workspace root in the server, the configuration file's directory on
//! the command line), with `/` between components. A pattern without a `/` matches a file
//! name at any depth (`*.log`); one with a `/` matches from the root (`drafts/**`).
//! A file the filter leaves out still gets its outline, never diagnostics.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};

use crate::article::kind::classify;
use crate::article::Format;

#[derive(Clone, Debug)]
pub struct FileFilter {
    include: Vec<String>,
    exclude: Vec<String>,
    include_set: Option<GlobSet>,
    exclude_set: GlobSet,
    /// Plain-text files that are not articles get no diagnostics.
    pub articles_only: bool,
    /// What relative paths are relative to.
    pub root: Option<PathBuf>,
}

impl Default for FileFilter {
    fn default() -> FileFilter {
        FileFilter {
            include: Vec::new(),
            exclude: Vec::new(),
            include_set: None,
            exclude_set: GlobSet::empty(),
            articles_only: true,
            root: None,
        }
    }
}

impl PartialEq for FileFilter {
    fn eq(&self, other: &Self) -> bool {
        self.include == other.include
            && self.exclude == other.exclude
            && self.articles_only == other.articles_only
            && self.root == other.root
    }
}

fn glob(pattern: &str) -> Result<Glob, String> {
    let p = pattern.trim_start_matches("./");
    let anchored = p.contains('/');
    let p = if anchored {
        p.trim_start_matches('/').to_string()
    } else {
        format!("**/{p}")
    };
    GlobBuilder::new(&p)
        .literal_separator(true)
        .build()
        .map_err(|e| format!("invalid glob `{pattern}`: {e}"))
}

fn set(patterns: &[String]) -> Result<GlobSet, String> {
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        b.add(glob(p)?);
    }
    b.build().map_err(|e| e.to_string())
}

impl FileFilter {
    pub fn new(
        include: Vec<String>,
        exclude: Vec<String>,
        articles_only: bool,
        root: Option<PathBuf>,
    ) -> Result<FileFilter, String> {
        Ok(FileFilter {
            include_set: if include.is_empty() {
                None
            } else {
                Some(set(&include)?)
            },
            exclude_set: set(&exclude)?,
            include,
            exclude,
            articles_only,
            root,
        })
    }

    /// The path as the globs see it: relative to the root, `/`-separated.
    fn relative(&self, path: &Path) -> PathBuf {
        match &self.root {
            Some(root) => path.strip_prefix(root).unwrap_or(path).to_path_buf(),
            None => path.to_path_buf(),
        }
    }

    /// Does the configuration let newsls check this file?
    pub fn admits(&self, path: &Path) -> Result<(), String> {
        let rel = self.relative(path);
        if self.exclude_set.is_match(&rel) {
            return Err(format!(
                "{} is excluded by files.exclude in the configuration",
                rel.display()
            ));
        }
        if let Some(inc) = &self.include_set {
            if !inc.is_match(&rel) {
                return Err(format!(
                    "{} is not in files.include of the configuration",
                    rel.display()
                ));
            }
        }
        Ok(())
    }

    /// Why a document is not checked, or `None` when it is.
    pub fn skip_reason(&self, path: Option<&Path>, text: &str, format: Format) -> Option<String> {
        if let Some(p) = path {
            if let Err(why) = self.admits(p) {
                return Some(why);
            }
        }
        if self.articles_only && format == Format::PlainText {
            let v = classify(text, format);
            if !v.is_article() {
                return Some(format!("not a news article ({})", v.reason));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_from_the_root_and_at_any_depth() {
        let f = FileFilter::new(
            vec!["articles/**".into(), "*.md".into()],
            vec!["drafts/**".into(), "*.log.txt".into()],
            true,
            Some(PathBuf::from("/ws")),
        )
        .unwrap();
        assert!(f.admits(Path::new("/ws/articles/a.txt")).is_ok());
        assert!(f.admits(Path::new("/ws/other/b.md")).is_ok());
        assert!(f.admits(Path::new("/ws/other/c.txt")).is_err());
        assert!(f.admits(Path::new("/ws/drafts/d.md")).is_err());
        assert!(f.admits(Path::new("/ws/articles/x.log.txt")).is_err());
        assert!(FileFilter::new(vec!["[".into()], vec![], true, None).is_err());
    }

    #[test]
    fn plain_text_that_is_not_an_article_is_skipped_with_a_reason() {
        let f = FileFilter::default();
        let services = "ftp\t21/tcp\nssh\t22/tcp\ntelnet\t23/tcp\nsmtp\t25/tcp\ndomain\t53/tcp\nhttp\t80/tcp\npop3\t110/tcp\nntp\t123/udp\nimap\t143/tcp\nsnmp\t161/udp\n";
        let why = f.skip_reason(None, services, Format::PlainText).unwrap();
        assert!(why.starts_with("not a news article"), "{why}");
        let article = include_str!("../../examples/alaska-summit-ar.txt");
        assert_eq!(f.skip_reason(None, article, Format::PlainText), None);
        let all = FileFilter {
            articles_only: false,
            ..FileFilter::default()
        };
        assert_eq!(all.skip_reason(None, services, Format::PlainText), None);
    }
}
