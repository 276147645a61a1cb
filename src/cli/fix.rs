//! `newsls check --fix` and `--diff`: the safe fixes applied round by round, and the
//! rewrite of a file that never loses a byte.
//!
//! A round takes one safe fix (`Fix::safe`) for each diagnostic at or above the
//! threshold, in document order, and applies those whose edits do not overlap the edits
//! already taken; the others wait for the next round, which re-checks the new text (a
//! fix can make or unmake another problem). Rounds stop when none is left, when a round
//! changes nothing, or after [`MAX_ROUNDS`], so two fixes that undo each other cannot
//! loop.
//!
//! The file is then replaced atomically: the new text goes to a temporary file in the
//! same directory (so the rename does not cross file systems), which is given the
//! original's permissions (and owner, where allowed), flushed to disk, checked to be
//! still replacing what was read, and renamed over the original; the directory is synced
//! so the rename survives a crash. Any failure leaves the original as it was and removes
//! the temporary file. A read-only file is left alone even where the rename would succeed
//! (as root, or in a writable directory): read-only says "do not change me".

use std::fs;
use std::io::{self, Write};
use std::path::Path;

use crate::analysis::{check_whole, Settings, Snapshot};
use crate::article::Format;
use crate::rules::{Diagnostic, Severity};
use crate::text::{apply_edits, Edit, Span};

/// Rounds of fixes at most per file.
pub const MAX_ROUNDS: usize = 10;

/// The text's snapshot and its diagnostics at or above `threshold`: every rule but the
/// workspace rules (see `analysis::check_whole`).
pub fn analyse(
    text: &str,
    format: Format,
    settings: &Settings,
    threshold: Severity,
) -> (Snapshot, Vec<Diagnostic>) {
    let (snapshot, mut all) = check_whole(text, format, settings);
    // Severity orders from the loudest (error) to the quietest (hint).
    all.retain(|d| d.severity <= threshold);
    (snapshot, all)
}

/// The outcome of the fix rounds.
pub struct Fixed {
    pub text: String,
    /// Fixes applied, over all rounds.
    pub applied: usize,
    /// The final text's snapshot and diagnostics when the last round computed them (it
    /// found nothing more to fix), so they need not be computed again.
    pub last: Option<(Snapshot, Vec<Diagnostic>)>,
}

/// Do two edits touch the same text? Two insertions at one point do too: their order
/// would be a guess.
fn overlaps(a: Span, b: Span) -> bool {
    a.intersects(b) || (a.is_empty() && b.is_empty() && a.start == b.start)
}

/// Applies the safe fixes of the diagnostics at or above `threshold`, round by round.
pub fn apply_safe_fixes(
    text: &str,
    format: Format,
    settings: &Settings,
    threshold: Severity,
) -> Fixed {
    let mut current = text.to_string();
    let mut applied = 0;
    for _ in 0..MAX_ROUNDS {
        let (snapshot, diags) = analyse(&current, format, settings, threshold);
        let mut taken: Vec<Edit> = Vec::new();
        let mut fixes = 0;
        for d in &diags {
            let Some(fix) = snapshot.fixes(d, settings).into_iter().find(|f| f.safe) else {
                continue;
            };
            let in_bounds = fix.edits.iter().all(|e| {
                e.span.start <= e.span.end
                    && e.span.end <= current.len()
                    && current.is_char_boundary(e.span.start)
                    && current.is_char_boundary(e.span.end)
            });
            let clashes = fix
                .edits
                .iter()
                .any(|e| taken.iter().any(|t| overlaps(e.span, t.span)));
            if !in_bounds || clashes || fix.edits.is_empty() {
                continue;
            }
            taken.extend(fix.edits);
            fixes += 1;
        }
        if fixes == 0 {
            return Fixed {
                text: current,
                applied,
                last: Some((snapshot, diags)),
            };
        }
        let next = apply_edits(&current, &taken);
        if next == current {
            break;
        }
        current = next;
        applied += fixes;
    }
    Fixed {
        text: current,
        applied,
        last: None,
    }
}

/// A unified diff of `old` → `new`, with `a/` and `b/` headers as `git diff` writes them.
pub fn unified_diff(old: &str, new: &str, path: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

/// Why a file was not rewritten.
#[derive(Debug)]
pub enum WriteError {
    /// The file has no write permission: left alone on purpose.
    ReadOnly,
    /// The file no longer holds what was checked (someone saved it meanwhile).
    Changed,
    /// Creating, writing, syncing or renaming the temporary file failed.
    Io(io::Error),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::ReadOnly => write!(f, "it is read-only"),
            WriteError::Changed => write!(f, "it changed while newsls was checking it"),
            WriteError::Io(e) => write!(f, "{}", super::report::io_message(e)),
        }
    }
}

impl From<io::Error> for WriteError {
    fn from(e: io::Error) -> WriteError {
        WriteError::Io(e)
    }
}

/// Replaces the contents of `path` (which held `expected` when it was read) with `new`,
/// atomically; see the module documentation. A symbolic link stays a link: its target is
/// rewritten.
pub fn write_atomically(path: &Path, expected: &[u8], new: &[u8]) -> Result<(), WriteError> {
    let target = fs::canonicalize(path)?;
    let meta = fs::metadata(&target)?;
    if meta.permissions().readonly() {
        return Err(WriteError::ReadOnly);
    }
    let dir = target.parent().unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".newsls-tmp")
        .tempfile_in(dir)?;
    tmp.write_all(new)?;
    tmp.as_file().set_permissions(meta.permissions())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // Keep the owner when we may (root fixing a writer's file); otherwise the file
        // becomes ours, as with any editor's save.
        let _ = std::os::unix::fs::fchown(tmp.as_file(), Some(meta.uid()), Some(meta.gid()));
    }
    tmp.as_file().sync_all()?;
    if fs::read(&target)? != expected {
        return Err(WriteError::Changed);
    }
    tmp.persist(&target).map_err(|e| WriteError::Io(e.error))?;
    // The rename is durable only once the directory is; a failure here changes nothing
    // that was written.
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(text: &str, format: Format) -> Fixed {
        apply_safe_fixes(text, format, &Settings::default(), Severity::Hint)
    }

    #[test]
    fn safe_fixes_repeat_until_none_is_left() {
        // Every safe fix is applied, and the new text checked again until none is left.
        let out = fix(
            "# Title\n\nThe the the the strike went on.\n",
            Format::Markdown,
        );
        assert_eq!(out.text, "# Title\n\nThe strike went on.\n");
        assert_eq!(out.applied, 3);
        let (_, left) = out.last.expect("the last round found nothing to fix");
        assert!(left.iter().all(|d| d.rule != "repeated-word"), "{left:?}");
    }

    #[test]
    fn fixes_that_are_not_safe_are_left_for_a_person() {
        // A placeholder has no safe fix: it is reported, not guessed at.
        let text = "# Title\n\nThe minister said TK.\n";
        let out = fix(text, Format::Markdown);
        assert_eq!(out.text, text);
        assert_eq!(out.applied, 0);
    }

    #[test]
    fn the_threshold_limits_what_is_fixed() {
        let text = "# Title\n\nThe the strike went on.\n";
        let out = apply_safe_fixes(
            text,
            Format::Markdown,
            &Settings::default(),
            Severity::Error,
        );
        assert_eq!(out.text, text, "repeated-word is a warning");
    }

    #[test]
    fn insertions_at_one_point_overlap() {
        assert!(overlaps(Span::new(3, 3), Span::new(3, 3)));
        assert!(overlaps(Span::new(3, 3), Span::new(2, 5)));
        assert!(!overlaps(Span::new(1, 3), Span::new(3, 5)));
    }

    #[test]
    fn the_diff_has_git_headers() {
        let d = unified_diff("a\nb\n", "a\nc\n", "x.md");
        assert!(d.starts_with("--- a/x.md\n+++ b/x.md\n@@"), "{d}");
        assert!(d.contains("-b\n+c\n"), "{d}");
    }

    #[cfg(unix)]
    #[test]
    fn an_atomic_write_keeps_permissions_and_leaves_no_temporary_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.md");
        fs::write(&p, "old").unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(0o640)).unwrap();
        write_atomically(&p, b"old", b"new").unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "new");
        assert_eq!(
            fs::metadata(&p).unwrap().permissions().mode() & 0o777,
            0o640
        );
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
        // Changed behind our back: nothing is written.
        assert!(matches!(
            write_atomically(&p, b"old", b"newer"),
            Err(WriteError::Changed)
        ));
        assert_eq!(fs::read_to_string(&p).unwrap(), "new");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
