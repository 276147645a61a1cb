//! The README's security section, sentence by sentence: the server writes no file (only
//! `newsls check --fix` does, atomically), runs no command, opens no connection, reads
//! configuration and glossaries only inside the workspace (no `..`, no absolute path
//! elsewhere, no symbolic link out of it), and bounds what it reads. (Bounded reads of the protocol stream are in
//! `tests/reliability.rs`; the path rules themselves are unit-tested in
//! `src/reading.rs`.)

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::*;
use serde_json::{json, Value};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The crate's own code, test modules left out (they come last in a file, after
/// `#[cfg(test)]`).
fn library_sources() -> Vec<(PathBuf, String)> {
    fn walk(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&p).unwrap();
                let code = match text.find("#[cfg(test)]") {
                    Some(i) => text[..i].to_string(),
                    None => text,
                };
                out.push((p, code));
            }
        }
    }
    let mut out = Vec::new();
    walk(&root().join("src"), &mut out);
    out
}

#[test]
fn the_program_writes_no_file_runs_no_command_and_opens_no_connection() {
    let sources = library_sources();
    assert!(sources.len() > 40, "{} files", sources.len());
    // The one writer: `newsls check --fix`, through a temporary file in the same folder
    // renamed over the original (`tempfile`'s persist), in the command line only.
    let fix = root().join("src/cli/fix.rs");
    for (path, code) in &sources {
        if *path != fix {
            for w in ["tempfile", ".persist("] {
                assert!(
                    !code.contains(w),
                    "{} uses {w}",
                    path.strip_prefix(root()).unwrap().display()
                );
            }
        }
        if path.starts_with(root().join("src/server")) {
            assert!(
                !code.contains("cli::"),
                "{} calls the command line",
                path.display()
            );
        }
    }
    let banned = [
        // Writing, creating, removing, renaming files.
        "fs::write",
        "File::create",
        ".write(true)",
        ".append(true)",
        ".create(true)",
        "create_dir",
        "remove_file",
        "remove_dir",
        "fs::rename",
        "fs::copy",
        "set_permissions",
        "hard_link",
        // Running commands.
        "process::Command",
        "Command::new",
        "libc::exec",
        "libc::system",
        // Connections.
        "TcpStream",
        "TcpListener",
        "UdpSocket",
        "UnixStream",
        "UnixListener",
        "ToSocketAddrs",
    ];
    for (path, code) in &sources {
        for b in banned {
            // The writer gives its temporary file the original's permissions.
            if *path == fix && b == "set_permissions" {
                continue;
            }
            assert!(
                !code.contains(b),
                "{} uses {b}",
                path.strip_prefix(root()).unwrap().display()
            );
        }
    }
    // Nor through a dependency that would: no HTTP client, and tokio without its
    // network, process and file-system parts.
    let manifest: toml::Table =
        toml::from_str(&std::fs::read_to_string(root().join("Cargo.toml")).unwrap()).unwrap();
    let deps = manifest["dependencies"].as_table().unwrap();
    for http in [
        "reqwest",
        "hyper",
        "ureq",
        "curl",
        "surf",
        "isahc",
        "attohttpc",
    ] {
        assert!(!deps.contains_key(http), "depends on {http}");
    }
    let tokio: Vec<&str> = deps["tokio"]["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    for f in ["net", "process", "fs", "full"] {
        assert!(!tokio.contains(&f), "tokio feature {f}");
    }
}

/// A workspace folder under the system's temporary one, with a file beside it (outside
/// it) that nothing may read.
struct Workspace {
    base: PathBuf,
    root: PathBuf,
}

impl Workspace {
    fn new(name: &str) -> Workspace {
        let base =
            std::env::temp_dir().join(format!("newsls-security-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let root = base.join("workspace");
        std::fs::create_dir_all(&root).unwrap();
        Workspace { base, root }
    }

    fn write(&self, path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn uri(&self, name: &str) -> String {
        format!("file://{}", self.root.join(name).display())
    }

    /// Every file under the base folder and its contents.
    fn snapshot(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        fn walk(dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
            for e in std::fs::read_dir(dir).unwrap() {
                let p = e.unwrap().path();
                let meta = std::fs::symlink_metadata(&p).unwrap();
                if meta.is_dir() {
                    walk(&p, out);
                } else if meta.file_type().is_symlink() {
                    out.insert(
                        p.clone(),
                        std::fs::read_link(&p)
                            .unwrap()
                            .into_os_string()
                            .into_encoded_bytes(),
                    );
                } else {
                    out.insert(p.clone(), std::fs::read(&p).unwrap());
                }
            }
        }
        let mut out = BTreeMap::new();
        walk(&self.base, &mut out);
        out
    }

    fn start(&self) -> Server {
        let mut s = Server::start();
        s.request(
            "initialize",
            json!({"processId": null, "rootUri": format!("file://{}", self.root.display()),
                   "capabilities": vscode_capabilities()}),
        );
        s.notify("initialized", json!({}));
        s
    }
}

impl Drop for Workspace {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.base);
    }
}

const BROKEN_MD: &str = "# Port\n\n| Terminal | Berths |\n|---|---|\n| Euromax | 8 | 3 |\n";

fn codes(diags: &[Value]) -> Vec<String> {
    diags
        .iter()
        .map(|d| d["code"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn a_glossary_outside_the_workspace_is_not_read_and_the_writer_is_told() {
    for (name, path) in [
        ("dotdot", "../secret.toml"),
        ("absolute", "ABSOLUTE"),
        ("link", "glossary-link.toml"),
        ("linked-folder", "up/secret.toml"),
    ] {
        let w = Workspace::new(name);
        let secret = w.base.join("secret.toml");
        w.write(
            &secret,
            "[[entity]]\nkind = \"person\"\nen = \"Top Secret\"\n",
        );
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&secret, w.root.join("glossary-link.toml")).unwrap();
            std::os::unix::fs::symlink(&w.base, w.root.join("up")).unwrap();
        }
        let path = path.replace("ABSOLUTE", secret.to_str().unwrap());
        w.write(
            &w.root.join("newsls.toml"),
            &format!("[entities]\nglossary = {path:?}\n"),
        );
        let mut s = w.start();
        let told = s.wait_for(|m| m["method"] == "window/showMessage");
        let message = told["params"]["message"].as_str().unwrap();
        assert!(
            message.contains("outside the workspace"),
            "{name}: {message}"
        );
        assert!(!message.contains("Top Secret"), "{message}");
        // The rest of the configuration is in force, and documents are checked.
        let uri = w.uri("story.md");
        s.open(&uri, "markdown", BROKEN_MD);
        assert_eq!(codes(&s.diagnostics(&uri, Some(1))), ["table-extra-cells"]);
        assert_eq!(s.shutdown_and_exit(), Some(0));
    }
}

/// A configuration file that is a link out of the workspace (a cloned repository's
/// `newsls.toml -> ~/something`) is not read; one that is a link inside it is.
#[cfg(unix)]
#[test]
fn a_configuration_file_linked_out_of_the_workspace_is_not_read() {
    let w = Workspace::new("config-link");
    let outside = w.base.join("elsewhere.toml");
    w.write(&outside, "[rules]\ntable-extra-cells = \"off\"\n");
    std::os::unix::fs::symlink(&outside, w.root.join("newsls.toml")).unwrap();
    let mut s = w.start();
    let uri = w.uri("story.md");
    s.open(&uri, "markdown", BROKEN_MD);
    assert_eq!(codes(&s.diagnostics(&uri, Some(1))), ["table-extra-cells"]);
    assert_eq!(s.shutdown_and_exit(), Some(0));

    let w = Workspace::new("config-link-inside");
    let inside = w.root.join("config/newsls-real.toml");
    w.write(&inside, "[rules]\ntable-extra-cells = \"off\"\n");
    std::os::unix::fs::symlink(&inside, w.root.join("newsls.toml")).unwrap();
    let mut s = w.start();
    let uri = w.uri("story.md");
    s.open(&uri, "markdown", BROKEN_MD);
    assert!(s.diagnostics(&uri, Some(1)).is_empty());
    assert_eq!(s.shutdown_and_exit(), Some(0));
}

#[test]
fn a_configuration_file_too_large_is_not_read() {
    let w = Workspace::new("config-large");
    let mut big = String::from("[rules]\ntable-extra-cells = \"off\"\n");
    while big.len() <= 1 << 20 {
        big.push_str("# padding padding padding padding padding padding padding padding\n");
    }
    w.write(&w.root.join("newsls.toml"), &big);
    let mut s = w.start();
    let told = s.wait_for(|m| m["method"] == "window/showMessage");
    let message = told["params"]["message"].as_str().unwrap();
    assert!(message.contains("larger than"), "{message}");
    let uri = w.uri("story.md");
    s.open(&uri, "markdown", BROKEN_MD);
    assert_eq!(codes(&s.diagnostics(&uri, Some(1))), ["table-extra-cells"]);
    assert_eq!(s.shutdown_and_exit(), Some(0));
}

/// A whole session in a workspace (configuration, glossary, documents, formatting, quick
/// fixes, a save, a configuration change): afterwards every file is as it was, and no
/// file was added. Edits go back to the editor as text edits; the editor applies them.
#[test]
fn a_session_leaves_the_workspace_as_it_was() {
    let w = Workspace::new("session");
    w.write(
        &w.root.join("newsls.toml"),
        "[entities]\nglossary = \"data/glossary.toml\"\n\n[rules]\ntable-split = \"error\"\n",
    );
    w.write(
        &w.root.join("data/glossary.toml"),
        "[[entity]]\nkind = \"company\"\nen = \"Maersk\"\nvariants = [\"Mærsk\"]\n",
    );
    let story = w.root.join("story.md");
    w.write(&story, BROKEN_MD);
    let before = w.snapshot();
    let mut s = w.start();
    let uri = w.uri("story.md");
    s.open(&uri, "markdown", BROKEN_MD);
    let diags = s.diagnostics(&uri, Some(1));
    assert_eq!(codes(&diags), ["table-extra-cells"]);
    let actions = s.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": diags[0]["range"],
               "context": {"diagnostics": diags}}),
    );
    assert!(!actions.as_array().unwrap().is_empty());
    let edits = s.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 4, "insertSpaces": true}}),
    );
    assert!(edits.is_array());
    s.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri}}),
    );
    s.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": w.uri("newsls.toml")}}),
    );
    s.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"newsls": {"rules": {"table-split": "off"}}}}),
    );
    s.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(s.shutdown_and_exit(), Some(0));
    assert_eq!(w.snapshot(), before, "the workspace changed");
}
