// VS Code client for newsls: spawns `newsls --stdio` and wires it to markdown and plaintext documents.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  State,
} from 'vscode-languageclient/node';

const SECTION = 'newsls';
const INSTALL_HINT =
  'Install it with `cargo install --path .` in the newsls repository (puts `newsls` on PATH), ' +
  'or set `newsls.server.path` to the built binary (e.g. target/release/newsls).';

let client: LanguageClient | undefined;
let output: vscode.OutputChannel;
let starting: Promise<void> | undefined;
let pathChange: NodeJS.Timeout | undefined;

/** Absolute path of the server binary, or an error message explaining how to fix it. */
export function resolveServer(): { path: string } | { error: string } {
  const configured = (vscode.workspace.getConfiguration(SECTION).get<string>('server.path') || '').trim();
  if (configured) {
    let p = configured.replace(/^~(?=$|\/)/, process.env.HOME || '~');
    if (!path.isAbsolute(p) && vscode.workspace.workspaceFolders?.length) {
      p = path.join(vscode.workspace.workspaceFolders[0].uri.fsPath, p);
    }
    if (isExecutable(p)) return { path: p };
    return { error: `newsls: the server binary set in "newsls.server.path" (${configured}) does not exist or is not executable. ${INSTALL_HINT}` };
  }
  const exe = process.platform === 'win32' ? 'newsls.exe' : 'newsls';
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, exe))) return { path: path.join(dir, exe) };
  }
  return { error: `newsls: the language server binary "newsls" was not found on PATH. ${INSTALL_HINT}` };
}

function isExecutable(p: string): boolean {
  try {
    const st = fs.statSync(p);
    if (!st.isFile()) return false;
    if (process.platform !== 'win32') fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Per rule: a severity, or `{ level, when, ...options }`. */
function rules(): Record<string, unknown> {
  return vscode.workspace.getConfiguration(SECTION).get<Record<string, unknown>>('rules') || {};
}

/** The server's settings as initializationOptions (later changes come through didChangeConfiguration). */
function serverSettings(): Record<string, unknown> {
  const cfg = vscode.workspace.getConfiguration(SECTION);
  const settings: Record<string, unknown> = { rules: rules() };
  const files = cfg.get<Record<string, unknown>>('files');
  if (files) settings.files = files;
  const docs = (cfg.get<string>('docsBaseUrl') || '').trim();
  if (docs) settings.docsBaseUrl = docs;
  return settings;
}

async function startClient(): Promise<void> {
  const server = resolveServer();
  if ('error' in server) {
    output.appendLine(server.error);
    // Not awaited: activation and restarts must not wait for the user to dismiss the message.
    void vscode.window.showErrorMessage(server.error, 'Open Settings', 'Show Output').then((choice) => {
      if (choice === 'Open Settings') {
        void vscode.commands.executeCommand('workbench.action.openSettings', 'newsls.server.path');
      } else if (choice === 'Show Output') {
        output.show(true);
      }
    });
    return;
  }
  output.appendLine(`Starting ${server.path} --stdio`);
  // No `transport` on purpose: with TransportKind.stdio the client appends its own "--stdio",
  // and newsls rejects the flag given twice. Without it the client talks over the process's
  // stdin/stdout all the same, and runs exactly `newsls --stdio`.
  const exe = { command: server.path, args: ['--stdio'] };
  const serverOptions: ServerOptions = { run: exe, debug: exe };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'markdown' },
      { scheme: 'untitled', language: 'markdown' },
      { scheme: 'file', language: 'plaintext' },
      { scheme: 'untitled', language: 'plaintext' },
      // The server's own configuration, whatever language a TOML extension gives it: the
      // server shows what is wrong with it as diagnostics on the file.
      { scheme: 'file', pattern: '**/{newsls.toml,.newsls.toml}' },
    ],
    initializationOptions: serverSettings(),
    synchronize: { configurationSection: SECTION },
    outputChannel: output,
    traceOutputChannel: output,
  };
  // The id "newsls" makes vscode-languageclient honour the "newsls.trace.server" setting.
  const c = new LanguageClient('newsls', 'newsls', serverOptions, clientOptions);
  c.onDidChangeState((e) => {
    if (e.newState === State.Stopped && client === c) output.appendLine('newsls server stopped.');
  });
  client = c;
  try {
    await c.start();
  } catch (err) {
    const msg = `newsls: failed to start ${server.path}: ${err instanceof Error ? err.message : String(err)}`;
    output.appendLine(msg);
    void vscode.window.showErrorMessage(msg, 'Show Output').then((x) => x && output.show(true));
  }
}

async function stopClient(): Promise<void> {
  const c = client;
  client = undefined;
  if (!c) return;
  try {
    if (c.isRunning()) await c.stop(5000);
  } catch (err) {
    output.appendLine(`Error while stopping the server: ${String(err)}`);
  }
  try {
    await c.dispose();
  } catch {
    /* already disposed */
  }
}

async function restart(): Promise<void> {
  // Serialise restarts: the new client re-reads newsls.server.path, so a changed path takes effect.
  const prev = starting ?? Promise.resolve();
  starting = prev.then(async () => {
    await stopClient();
    await startClient();
  });
  return starting;
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('newsls');
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('newsls.restartServer', async () => {
      output.appendLine('Restarting newsls (command)');
      await restart();
    }),
    vscode.commands.registerCommand('newsls.showOutput', () => output.show(true)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('newsls.server.path')) {
        // Debounced: let the client deliver the didChangeConfiguration it is sending right now first.
        if (pathChange) clearTimeout(pathChange);
        pathChange = setTimeout(() => {
          pathChange = undefined;
          output.appendLine('newsls.server.path changed: restarting');
          void restart();
        }, 300);
      }
    }),
  );
  await restart();
}

export async function deactivate(): Promise<void> {
  await stopClient();
}
