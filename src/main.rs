//! The `newsls` command: the language server (default), and the same analysis from the
//! command line.

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "newsls",
    version,
    about = "A language server for news articles (Markdown and plain text, Arabic and English)"
)]
struct Cli {
    /// Speak LSP over stdin/stdout (the default; editors pass it explicitly, some twice).
    #[arg(long, action = clap::ArgAction::Count)]
    stdio: u8,
    /// The editor's process id (passed by some clients; unused).
    #[arg(long = "clientProcessId", hide = true)]
    client_process_id: Option<String>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the language server over stdio.
    Serve {
        #[arg(long, action = clap::ArgAction::Count)]
        stdio: u8,
    },
    /// Print the outline of an article (its sections, nested).
    Outline {
        file: std::path::PathBuf,
        #[arg(long, value_enum, default_value_t = OutputFormat::Tree)]
        format: OutputFormat,
        /// Treat the file as this format instead of guessing from its extension.
        #[arg(long, value_enum)]
        input: Option<InputFormat>,
    },
    /// Check articles: files and directories (recursively: .md, .markdown, .txt,
    /// respecting .gitignore, .ignore and hidden files), `-` for standard input.
    ///
    /// Exit status: 0 when no problem at or above the --severity threshold is left, 1
    /// when one is (or a file could not be read or written), 2 for a usage error or a bad
    /// configuration.
    Check {
        /// Files and directories to check; `-` reads standard input.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<std::path::PathBuf>,
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
        /// The quietest severity shown, counted in the exit status, and fixed.
        #[arg(long, value_enum, value_name = "LEVEL", default_value_t = Level::Warning)]
        severity: Level,
        /// Apply the safe fixes in place (atomically), then report what is left.
        #[arg(long, conflicts_with = "diff")]
        fix: bool,
        /// Print a unified diff of what --fix would change; write nothing.
        #[arg(long)]
        diff: bool,
        /// Use this configuration file for every article instead of the nearest
        /// newsls.toml or .newsls.toml above each.
        #[arg(long, value_name = "FILE")]
        config: Option<std::path::PathBuf>,
        /// The file name standard input stands for (its format, configuration and
        /// [files] globs).
        #[arg(long, value_name = "NAME")]
        stdin_filename: Option<std::path::PathBuf>,
        /// Treat every input as this format instead of guessing from its extension
        /// (standard input without --stdin-filename: markdown).
        #[arg(long, value_enum)]
        input: Option<InputFormat>,
        /// Colour the output: auto (on a terminal, unless NO_COLOR is set), always, never.
        #[arg(long, value_enum, value_name = "WHEN", default_value_t = Color::Auto)]
        color: Color,
    },
    /// List every rule: id, default severity, summary.
    Rules,
    /// Print a rule's documentation page.
    Rule {
        /// The rule's id, e.g. `table-split`.
        id: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputFormat {
    Tree,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum CheckFormat {
    /// `path:line:column: severity[rule-id] message`, and a summary line.
    #[value(alias = "tree")]
    Text,
    /// One JSON document (schema in the README).
    Json,
    /// SARIF 2.1.0, for code-review tools.
    Sarif,
}

#[derive(Clone, Copy, ValueEnum)]
enum Level {
    Error,
    #[value(alias = "warn")]
    Warning,
    #[value(alias = "info")]
    Information,
    Hint,
}

#[derive(Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, ValueEnum)]
enum InputFormat {
    Markdown,
    Text,
}

impl InputFormat {
    fn format(self) -> newsls::article::Format {
        match self {
            InputFormat::Markdown => newsls::article::Format::Markdown,
            InputFormat::Text => newsls::article::Format::PlainText,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("NEWSLS_LOG")
                .unwrap_or_else(|_| "newsls=info".into()),
        )
        .init();
    let result = match cli.command {
        None | Some(Command::Serve { .. }) => {
            let _ = (cli.stdio, cli.client_process_id);
            newsls::server::run_stdio().map(|code| code as u8)
        }
        Some(Command::Outline {
            file,
            format,
            input,
        }) => newsls::cli::outline(
            &file,
            matches!(format, OutputFormat::Json),
            input.map(InputFormat::format),
        ),
        Some(Command::Check {
            paths,
            format,
            severity,
            fix,
            diff,
            config,
            stdin_filename,
            input,
            color,
        }) => {
            use newsls::cli::{term::ColorChoice, CheckOptions, OutputFormat as Out};
            use newsls::rules::Severity;
            newsls::cli::check(&CheckOptions {
                paths,
                format: match format {
                    CheckFormat::Text => Out::Text,
                    CheckFormat::Json => Out::Json,
                    CheckFormat::Sarif => Out::Sarif,
                },
                threshold: match severity {
                    Level::Error => Severity::Error,
                    Level::Warning => Severity::Warning,
                    Level::Information => Severity::Information,
                    Level::Hint => Severity::Hint,
                },
                fix,
                diff,
                config,
                stdin_filename,
                input: input.map(InputFormat::format),
                color: match color {
                    Color::Auto => ColorChoice::Auto,
                    Color::Always => ColorChoice::Always,
                    Color::Never => ColorChoice::Never,
                },
            })
        }
        Some(Command::Rules) => newsls::cli::list_rules(),
        Some(Command::Rule { id }) => newsls::cli::show_rule(&id),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        // The reader went away (`newsls check . | head`): it has what it wanted, and a
        // message about it would only be noise, as with grep or ripgrep.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("newsls: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
