//! Command line: `vexil [serve]` and `vexil migrate`, with every setting as a flag or `VEXIL_*`.

use std::{path::PathBuf, process::ExitCode};

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::config::{SettingArgs, Settings};

/// Vexil: a feature-flag server and dashboard that speaks Flipt's API.
///
/// Every setting can be given as a flag, as a `VEXIL_*` environment variable, or as a key of
/// the YAML file named by --config; that is also the order of precedence. Unknown keys and
/// unknown VEXIL_* variables are errors.
#[derive(Debug, Parser)]
#[command(name = "vexil", version, about, long_about)]
pub struct Cli {
    /// YAML configuration file whose keys are the setting names below (e.g. `listen:`).
    #[arg(long, short = 'c', env = "VEXIL_CONFIG", value_name = "FILE", global = true)]
    pub config: Option<PathBuf>,

    #[command(flatten)]
    pub settings: SettingArgs,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply pending migrations, then serve the API and the dashboard (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Write namespaces as Flipt documents (YAML, one document per namespace).
    Export(ExportArgs),
    /// Read Flipt documents into the database, all or nothing.
    Import(ImportArgs),
    /// Save a namespace as a restorable snapshot now; prints its id.
    Snapshot {
        /// The namespace to save
        namespace: String,
        /// Why, shown in the snapshot list
        #[arg(long, default_value = "on demand")]
        reason: String,
    },
    /// Check the database: SQLite's integrity and foreign-key checks, and rows whose parent is
    /// gone (both databases). Prints the problems; exits 1 if there are any.
    Check,
    /// Make a namespace exactly what a snapshot saved (after snapshotting its current state).
    Restore {
        /// The snapshot's id (from the snapshot list or `vexil snapshot`)
        id: String,
    },
}

/// Flipt's `import` options, plus `--replace` and `--dry-run`.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// File to import (`.json` is read as JSON, anything else as YAML)
    #[arg(required_unless_present = "stdin", conflicts_with = "stdin")]
    pub file: Option<PathBuf>,
    /// Read YAML from standard input
    #[arg(long)]
    pub stdin: bool,
    /// Leave flags and segments whose key exists as they are (default: such keys are errors)
    #[arg(long, conflicts_with = "replace")]
    pub skip_existing: bool,
    /// Remove each namespace's flags and segments before importing it
    #[arg(long)]
    pub replace: bool,
    /// Check the documents and print what would change, changing nothing
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub remote: RemoteArgs,
}

/// Another server to import into or export from, instead of the local database.
#[derive(Debug, clap::Args)]
pub struct RemoteArgs {
    /// Base URL of a Vexil or Flipt server (e.g. http://flipt.internal:8080); without it the
    /// local database (--database-url) is used
    #[arg(long, value_name = "URL")]
    pub address: Option<String>,
    /// Bearer token for --address (Flipt's client token)
    #[arg(long, env = "VEXIL_TOKEN", hide_env_values = true, requires = "address")]
    pub token: Option<String>,
}

/// Flipt's `export` options.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// Namespaces to export, comma-separated [default: default]
    #[arg(long, value_delimiter = ',', conflicts_with = "all_namespaces")]
    pub namespaces: Vec<String>,
    /// Export every namespace
    #[arg(long)]
    pub all_namespaces: bool,
    /// Order flags and segments by key, for stable diffs
    #[arg(long)]
    pub sort_by_key: bool,
    /// Write to this file instead of standard output
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub remote: RemoteArgs,
}

/// Parses the command line and runs the chosen command; errors are one line on stderr.
pub fn main() -> ExitCode {
    let matches = Cli::command().get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(error) => error.exit(),
    };
    let settings = match Settings::load(cli.config.as_deref(), &cli.settings) {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("vexil: configuration error: {error}");
            return ExitCode::from(2);
        }
    };
    if let Err(error) = crate::telemetry::init(&settings.log) {
        eprintln!("vexil: configuration error: {error}");
        return ExitCode::from(2);
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("vexil: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    // The commands below act on their own database, as its owner; `serve` puts every request
    // in its own principal's scope instead.
    let system = std::sync::Arc::new(crate::auth::Principal::system());
    let result = runtime.block_on(async move {
        match cli.command.unwrap_or(Command::Serve) {
            Command::Serve => crate::startup::serve(settings).await,
            Command::Migrate => crate::startup::migrate_only(settings).await,
            Command::Export(args) => {
                crate::auth::scope(system, crate::commands::export(settings, args)).await
            }
            Command::Import(args) => {
                crate::auth::scope(system, crate::commands::import(settings, args)).await
            }
            Command::Snapshot { namespace, reason } => {
                crate::auth::scope(system, crate::commands::snapshot(settings, &namespace, &reason))
                    .await
            }
            Command::Restore { id } => {
                crate::auth::scope(system, crate::commands::restore(settings, &id)).await
            }
            Command::Check => crate::auth::scope(system, crate::commands::check(settings)).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // One line, in the configured log format.
            tracing::error!("vexil stopped: {error:#}");
            ExitCode::FAILURE
        }
    }
}
