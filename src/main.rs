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
    /// Check articles (files or directories) and print their diagnostics; exits 1 when
    /// any error-level diagnostic is found.
    Check {
        #[arg(required = true)]
        paths: Vec<std::path::PathBuf>,
        #[arg(long, value_enum, default_value_t = OutputFormat::Tree)]
        format: OutputFormat,
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
enum InputFormat {
    Markdown,
    Text,
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
            input.map(|i| match i {
                InputFormat::Markdown => newsls::article::Format::Markdown,
                InputFormat::Text => newsls::article::Format::PlainText,
            }),
        ),
        Some(Command::Check { paths, format }) => {
            newsls::cli::check(&paths, matches!(format, OutputFormat::Json))
        }
        Some(Command::Rules) => newsls::cli::list_rules(),
        Some(Command::Rule { id }) => newsls::cli::show_rule(&id),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("newsls: {e:#}");
            ExitCode::from(2)
        }
    }
}
