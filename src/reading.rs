//! What newsls reads from disk besides the documents an editor sends it: its
//! configuration file and the newsroom glossary. A workspace may be someone else's (a
//! repository just cloned), so a path written in it is never trusted to stay in it.
//!
//! - [`resolve_inside`]: a configured path is resolved against the workspace root with
//!   every symbolic link followed, and refused unless the result is inside the root
//!   (no `..` out of it, no absolute path elsewhere, no link that leads out).
//! - [`read_bounded`]: only a regular file is read (not a FIFO, which would block, nor a
//!   device, which may never end), and never more than a limit.

use std::io::Read;
use std::path::{Path, PathBuf};

/// Largest configuration file read (a `newsls.toml` is a few hundred bytes).
pub const MAX_CONFIG_BYTES: u64 = 1 << 20;
/// Largest glossary read.
pub const MAX_GLOSSARY_BYTES: u64 = 16 << 20;

/// The real path of `name` (relative to `root`, or absolute), when it is inside `root`
/// once every symbolic link on the way is followed. The error says why not, in words for
/// the writer.
pub fn resolve_inside(root: &Path, name: &str) -> Result<PathBuf, String> {
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
    Ok(path)
}

/// The text of a regular file of at most `max` bytes. Reads at most `max + 1` bytes
/// whatever the file claims, so a file that grows meanwhile is refused, not swallowed.
pub fn read_bounded(path: &Path, max: u64) -> Result<String, String> {
    let not_regular = || Err("it is not a regular file".to_string());
    if !std::fs::metadata(path)
        .map_err(|e| format!("cannot read it: {e}"))?
        .is_file()
    {
        return not_regular();
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    // Should the file become a FIFO between the look and the open, the open returns at
    // once instead of waiting for a writer; what was opened is looked at again.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = options
        .open(path)
        .map_err(|e| format!("cannot read it: {e}"))?;
    if !file
        .metadata()
        .map_err(|e| format!("cannot read it: {e}"))?
        .is_file()
    {
        return not_regular();
    }
    let mut bytes = Vec::new();
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read it: {e}"))?;
    if bytes.len() as u64 > max {
        return Err(format!("it is larger than {max} bytes"));
    }
    String::from_utf8(bytes).map_err(|_| "it is not UTF-8 text".into())
}

/// A workspace file named in the configuration: [`resolve_inside`], then
/// [`read_bounded`].
pub fn read_inside(root: Option<&Path>, name: &str, max: u64) -> Result<String, String> {
    let root = root.ok_or("no workspace folder to read it from")?;
    read_bounded(&resolve_inside(root, name)?, max)
}

/// Whether the configuration file found at `path` may be read for a workspace at `root`:
/// a regular file, or a symbolic link that leads inside the workspace. (The file is looked
/// for in the root and above it, as `.editorconfig` is: a parent folder is the writer's
/// own; a link is what a cloned repository could use to point anywhere.)
pub fn config_file_allowed(path: &Path, root: &Path) -> bool {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return false;
    };
    if meta.file_type().is_symlink() {
        let (Ok(target), Ok(root)) = (path.canonicalize(), root.canonicalize()) else {
            return false;
        };
        return target.starts_with(root) && target.is_file();
    }
    meta.is_file()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh directory under the system's temporary one.
    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("newsls-reading-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn paths_out_of_the_workspace_are_refused() {
        let base = scratch("resolve");
        let root = base.join("workspace");
        std::fs::create_dir_all(root.join("data")).unwrap();
        std::fs::write(root.join("data/glossary.toml"), "x").unwrap();
        std::fs::write(base.join("secret.toml"), "secret").unwrap();
        let inside = resolve_inside(&root, "data/glossary.toml").unwrap();
        assert!(inside.ends_with("data/glossary.toml"));
        assert!(resolve_inside(&root, "./data/../data/glossary.toml").is_ok());
        for out in [
            "../secret.toml",
            "data/../../secret.toml",
            base.join("secret.toml").to_str().unwrap(),
            "/etc/passwd",
        ] {
            let e = resolve_inside(&root, out).unwrap_err();
            assert!(e.contains("outside the workspace"), "{out}: {e}");
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::symlink;
            // A link that leads out, directly or through a linked folder.
            symlink(base.join("secret.toml"), root.join("link.toml")).unwrap();
            symlink(&base, root.join("up")).unwrap();
            for out in ["link.toml", "up/secret.toml"] {
                assert!(resolve_inside(&root, out).is_err(), "{out}");
            }
            // A link that stays inside is followed.
            symlink(root.join("data/glossary.toml"), root.join("g.toml")).unwrap();
            assert_eq!(resolve_inside(&root, "g.toml").unwrap(), inside);
            // The configuration file: a link out of the workspace is not read, one
            // inside is, a plain file anywhere up the tree is.
            assert!(!config_file_allowed(&root.join("link.toml"), &root));
            assert!(config_file_allowed(&root.join("g.toml"), &root));
            assert!(config_file_allowed(&base.join("secret.toml"), &root));
            assert!(!config_file_allowed(&root.join("data"), &root));
        }
        assert!(resolve_inside(&root, "missing.toml").is_err());
        std::fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn reads_are_bounded_and_only_of_regular_files() {
        let dir = scratch("bounded");
        let f = dir.join("f.toml");
        std::fs::write(&f, "0123456789").unwrap();
        assert_eq!(read_bounded(&f, 10).unwrap(), "0123456789");
        assert!(read_bounded(&f, 9)
            .unwrap_err()
            .contains("larger than 9 bytes"));
        assert!(read_bounded(&dir, 100).is_err());
        std::fs::write(&f, [0xff, 0xfe]).unwrap();
        assert!(read_bounded(&f, 100).unwrap_err().contains("UTF-8"));
        #[cfg(target_os = "linux")]
        {
            // A device that never ends is not read at all.
            let e = read_bounded(Path::new("/dev/zero"), 100).unwrap_err();
            assert!(e.contains("not a regular file"), "{e}");
        }
        #[cfg(unix)]
        {
            // A FIFO would block the reader until someone writes to it.
            let fifo = dir.join("fifo.toml");
            let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
            // SAFETY: a valid, NUL-terminated path.
            assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
            let e = read_bounded(&fifo, 100).unwrap_err();
            assert!(e.contains("not a regular file"), "{e}");
        }
        assert!(read_inside(Some(&dir), "../x", 10).is_err());
        assert!(read_inside(None, "f.toml", 10).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
