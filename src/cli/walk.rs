//! Which files the paths on the command line name.
//!
//! A directory is walked with the `ignore` crate, ripgrep's own walker, with ripgrep's
//! defaults: `.gitignore` (inside a Git repository), `.ignore`, `.git/info/exclude` and
//! the global Git excludes are respected, hidden files and directories are left out, and
//! symbolic links to directories are not followed. Of what remains, files ending in
//! `.md`, `.markdown` or `.txt` are articles. A symbolic link to a file is checked as the
//! file; one whose target is gone is reported, as is an entry that is not a regular file
//! (a FIFO would block the reader forever).
//!
//! A file named on the command line is always checked, whatever its extension and
//! whatever `.gitignore` says (as with ripgrep, and as pre-commit expects: it passes the
//! files it wants checked). `-` is standard input.

use std::path::{Path, PathBuf};

use super::report::{io_message, Notice, NoticeKind};

/// Extensions of the files a walk picks up (compared without regard to case).
pub const EXTENSIONS: &[&str] = &["md", "markdown", "txt"];

/// One input to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// A file, as it is to be shown (the path given, or found under it).
    File(PathBuf),
    /// Standard input (`-`).
    Stdin,
    /// A path that cannot be checked, and why.
    Broken(PathBuf, Notice),
}

fn is_article_name(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

/// Every input the command-line paths name, in the order found.
pub fn collect(paths: &[PathBuf]) -> Vec<Entry> {
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(Entry::Stdin);
            continue;
        }
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => walk(p, &mut out),
            Ok(_) => out.push(Entry::File(p.clone())),
            Err(e) => out.push(Entry::Broken(
                p.clone(),
                Notice::new(NoticeKind::Unreadable, io_message(&e)),
            )),
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<Entry>) {
    let walker = ignore::WalkBuilder::new(dir)
        .standard_filters(true)
        .follow_links(false)
        .build();
    for result in walker {
        let entry = match result {
            Ok(entry) => entry,
            Err(e) => {
                // An entry that vanished mid-walk, a directory that cannot be listed, a
                // broken ignore file: report it with its path and carry on.
                let path = error_path(&e).unwrap_or(dir).to_path_buf();
                out.push(Entry::Broken(
                    path,
                    Notice::new(NoticeKind::Unreadable, error_message(&e)),
                ));
                continue;
            }
        };
        let Some(ft) = entry.file_type() else {
            continue;
        };
        if ft.is_dir() || !is_article_name(entry.path()) {
            continue;
        }
        let path = entry.into_path();
        if ft.is_file() {
            out.push(Entry::File(path));
        } else if ft.is_symlink() {
            match std::fs::metadata(&path) {
                Ok(m) if m.is_file() => out.push(Entry::File(path)),
                // A link to a directory that happens to end in `.md`: not followed.
                Ok(m) if m.is_dir() => {}
                Ok(m) => out.push(Entry::Broken(path, not_a_file(&m.file_type()))),
                Err(e) => out.push(Entry::Broken(
                    path,
                    Notice::new(
                        NoticeKind::Unreadable,
                        format!(
                            "a symbolic link whose target cannot be read: {}",
                            io_message(&e)
                        ),
                    ),
                )),
            }
        } else {
            out.push(Entry::Broken(path, not_a_file(&ft)));
        }
    }
}

fn not_a_file(ft: &std::fs::FileType) -> Notice {
    #[cfg(unix)]
    let what = {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            "a named pipe"
        } else if ft.is_socket() {
            "a socket"
        } else if ft.is_block_device() || ft.is_char_device() {
            "a device"
        } else {
            "not a regular file"
        }
    };
    #[cfg(not(unix))]
    let what = {
        let _ = ft;
        "not a regular file"
    };
    Notice::new(
        NoticeKind::NotAFile,
        format!("{what}, not an article file: not read"),
    )
}

/// The path an `ignore` error is about, when it names one.
fn error_path(e: &ignore::Error) -> Option<&Path> {
    match e {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child),
        ignore::Error::Partial(errs) => errs.iter().find_map(error_path),
        _ => None,
    }
}

/// The error without the path, which the report puts first.
fn error_message(e: &ignore::Error) -> String {
    match e {
        ignore::Error::WithPath { err, .. } | ignore::Error::WithDepth { err, .. } => {
            error_message(err)
        }
        ignore::Error::Io(e) => io_message(e),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_extensions_ignore_case() {
        assert!(is_article_name(Path::new("a/B.MD")));
        assert!(is_article_name(Path::new("wire.Txt")));
        assert!(is_article_name(Path::new("x.markdown")));
        assert!(!is_article_name(Path::new("data.csv")));
        assert!(!is_article_name(Path::new("md")));
    }
}
