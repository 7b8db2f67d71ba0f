//! Typed configuration from flags, `VEXIL_*` environment variables and a YAML file.
//!
//! Every value is parsed before anything is opened or created, and every error is one line that
//! names the setting, so a typo never half-starts a server.

use std::{
    collections::BTreeMap,
    net::SocketAddr,
    path::{Path, PathBuf},
    time::Duration,
};

use clap::Args;

/// The settings as given on the command line or in the environment (clap merges those two).
/// Defaults are applied in [`Settings::load`], after the configuration file.
#[derive(Debug, Default, Clone, Args)]
pub struct SettingArgs {
    /// Address to listen on [default: 127.0.0.1:8080]
    #[arg(long, env = "VEXIL_LISTEN", value_name = "ADDR", global = true)]
    pub listen: Option<String>,

    /// Database URL: `sqlite://PATH` (embedded, the default) or `postgres://USER@HOST/DB`
    /// (shared by several replicas) [default: sqlite://data/vexil.db]
    #[arg(long, env = "VEXIL_DATABASE_URL", value_name = "URL", global = true)]
    pub database_url: Option<String>,

    /// Largest number of pooled database connections [default: 10]
    #[arg(long, env = "VEXIL_DATABASE_MAX_CONNECTIONS", value_name = "N", global = true)]
    pub database_max_connections: Option<String>,

    /// Log filter: a level (error, warn, info, debug, trace) or tracing directives such as
    /// `info,vexil=debug` [default: info]
    #[arg(long, env = "VEXIL_LOG_LEVEL", value_name = "FILTER", global = true)]
    pub log_level: Option<String>,

    /// Log format: `text` for people, `json` for log collectors [default: text]
    #[arg(long, env = "VEXIL_LOG_FORMAT", value_name = "FORMAT", global = true)]
    pub log_format: Option<String>,

    /// Directory with the built dashboard assets (pkg/vexil.js, .wasm, .css) [default: target/site]
    #[arg(long, env = "VEXIL_SITE_ROOT", value_name = "DIR", global = true)]
    pub site_root: Option<String>,

    /// Largest accepted request body in bytes; larger requests get 413 [default: 4194304]
    #[arg(long, env = "VEXIL_BODY_LIMIT", value_name = "BYTES", global = true)]
    pub body_limit: Option<String>,

    /// How often, in milliseconds, each server compares its cached namespaces with the
    /// database; bounds how stale an evaluation on one replica can be after a write on another
    /// if a change notification is lost [default: 1000]
    #[arg(long, env = "VEXIL_CACHE_POLL_MS", value_name = "MS", global = true)]
    pub cache_poll_ms: Option<String>,

    /// Automatic snapshots kept per namespace (the newest is always kept) [default: 20]
    #[arg(long, env = "VEXIL_SNAPSHOT_KEEP", value_name = "N", global = true)]
    pub snapshot_keep: Option<String>,

    /// Days after which automatic snapshots are pruned (the newest is always kept) [default: 30]
    #[arg(long, env = "VEXIL_SNAPSHOT_MAX_AGE_DAYS", value_name = "DAYS", global = true)]
    pub snapshot_max_age_days: Option<String>,

    /// Longest wait, in milliseconds, for a database connection; past it, writes and management
    /// reads answer 503 with Retry-After and evaluations serve their last snapshot [default: 2000]
    #[arg(long, env = "VEXIL_DATABASE_ACQUIRE_TIMEOUT_MS", value_name = "MS", global = true)]
    pub database_acquire_timeout_ms: Option<String>,

    /// Milliseconds a client has to send a request's headers before its connection is closed
    /// [default: 10000]
    #[arg(long, env = "VEXIL_HTTP_HEADER_TIMEOUT_MS", value_name = "MS", global = true)]
    pub http_header_timeout_ms: Option<String>,

    /// Milliseconds a client has to send a whole request body; a slower body gets 408
    /// [default: 30000]
    #[arg(long, env = "VEXIL_HTTP_BODY_TIMEOUT_MS", value_name = "MS", global = true)]
    pub http_body_timeout_ms: Option<String>,

    /// Most client connections served at once; further ones wait to be accepted [default: 4096]
    #[arg(long, env = "VEXIL_HTTP_MAX_CONNECTIONS", value_name = "N", global = true)]
    pub http_max_connections: Option<String>,

    /// Deepest nesting of lists and maps accepted in an imported YAML or JSON document, checked
    /// before parsing [default: 64]
    #[arg(long, env = "VEXIL_DOCUMENT_MAX_DEPTH", value_name = "N", global = true)]
    pub document_max_depth: Option<String>,

    #[command(flatten)]
    pub access: access::AccessArgs,
}

/// The validated configuration.
#[derive(Debug, Clone)]
pub struct Settings {
    pub listen: SocketAddr,
    pub database: DatabaseSettings,
    pub log: LogSettings,
    pub site_root: PathBuf,
    pub body_limit: usize,
    pub cache_poll: Duration,
    pub retention: crate::service::Retention,
    pub http: HttpLimits,
    pub document_max_depth: usize,
    pub access: AccessSettings,
}

#[derive(Debug, Clone)]
pub struct DatabaseSettings {
    pub url: DatabaseUrl,
    pub max_connections: u32,
    /// How long a request waits for a pooled connection before the database counts as down.
    pub acquire_timeout: Duration,
}

/// What one client connection may cost the server.
#[derive(Debug, Clone, Copy)]
pub struct HttpLimits {
    pub header_timeout: Duration,
    pub body_timeout: Duration,
    pub max_connections: usize,
}

#[derive(Debug, Clone)]
pub struct LogSettings {
    pub filter: String,
    pub format: LogFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// The default SQLite location; its directory is the only one Vexil creates on its own.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/vexil.db";

/// A configuration problem, always naming the setting it is about.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {reason}")]
    File { path: String, reason: String },
    #[error("config file {path}: unknown setting `{key}` (known: {known})")]
    UnknownKey { path: String, key: String, known: String },
    #[error("unknown environment variable {name} (known: {known})")]
    UnknownEnv { name: String, known: String },
    #[error("invalid value {value:?} for {setting} ({env}): {reason}")]
    Invalid { setting: &'static str, env: &'static str, value: String, reason: String },
}

/// One setting's name, environment variable and default.
#[derive(Clone, Copy)]
struct Spec {
    key: &'static str,
    env: &'static str,
    default: &'static str,
}

const BASE_SPECS: &[Spec] = &[
    Spec { key: "listen", env: "VEXIL_LISTEN", default: "127.0.0.1:8080" },
    Spec { key: "database_url", env: "VEXIL_DATABASE_URL", default: DEFAULT_DATABASE_URL },
    Spec { key: "database_max_connections", env: "VEXIL_DATABASE_MAX_CONNECTIONS", default: "10" },
    Spec { key: "log_level", env: "VEXIL_LOG_LEVEL", default: "info" },
    Spec { key: "log_format", env: "VEXIL_LOG_FORMAT", default: "text" },
    Spec { key: "site_root", env: "VEXIL_SITE_ROOT", default: "target/site" },
    Spec { key: "body_limit", env: "VEXIL_BODY_LIMIT", default: "4194304" },
    Spec { key: "cache_poll_ms", env: "VEXIL_CACHE_POLL_MS", default: "1000" },
    Spec { key: "snapshot_keep", env: "VEXIL_SNAPSHOT_KEEP", default: "20" },
    Spec { key: "snapshot_max_age_days", env: "VEXIL_SNAPSHOT_MAX_AGE_DAYS", default: "30" },
    Spec {
        key: "database_acquire_timeout_ms",
        env: "VEXIL_DATABASE_ACQUIRE_TIMEOUT_MS",
        default: "2000",
    },
    Spec { key: "http_header_timeout_ms", env: "VEXIL_HTTP_HEADER_TIMEOUT_MS", default: "10000" },
    Spec { key: "http_body_timeout_ms", env: "VEXIL_HTTP_BODY_TIMEOUT_MS", default: "30000" },
    Spec { key: "http_max_connections", env: "VEXIL_HTTP_MAX_CONNECTIONS", default: "4096" },
    Spec { key: "document_max_depth", env: "VEXIL_DOCUMENT_MAX_DEPTH", default: "64" },
];

/// Where the access settings start in [`SPECS`].
const ACCESS: usize = 15;

/// Every setting: the base table, then the access settings in `AccessArgs` order.
static SPECS: std::sync::LazyLock<Vec<Spec>> = std::sync::LazyLock::new(|| {
    let access = access::DEFAULTS.iter().map(|&(key, env, default)| Spec { key, env, default });
    BASE_SPECS.iter().copied().chain(access).collect()
});

/// Environment variables that are not settings but are still ours to read.
const OTHER_ENV: &[&str] = &["VEXIL_CONFIG", "VEXIL_TOKEN"];

impl Settings {
    /// Merges flags and environment (`args`) over the file over the defaults, then parses.
    pub fn load(file: Option<&Path>, args: &SettingArgs) -> Result<Self, ConfigError> {
        check_environment(std::env::vars_os().filter_map(|(k, _)| k.into_string().ok()))?;
        let from_file = match file {
            Some(path) => read_file(path)?,
            None => BTreeMap::new(),
        };
        let given = [
            &args.listen,
            &args.database_url,
            &args.database_max_connections,
            &args.log_level,
            &args.log_format,
            &args.site_root,
            &args.body_limit,
            &args.cache_poll_ms,
            &args.snapshot_keep,
            &args.snapshot_max_age_days,
            &args.database_acquire_timeout_ms,
            &args.http_header_timeout_ms,
            &args.http_body_timeout_ms,
            &args.http_max_connections,
            &args.document_max_depth,
        ]
        .into_iter()
        .chain(args.access.given());
        let raw: Vec<String> = SPECS
            .iter()
            .zip(given)
            .map(|(spec, given): (&Spec, &Option<String>)| {
                given
                    .clone()
                    .or_else(|| from_file.get(spec.key).cloned())
                    .unwrap_or_else(|| spec.default.to_string())
            })
            .collect();
        Self::parse(&raw)
    }

    /// The defaults with another database URL and body limit (tests only).
    #[cfg(test)]
    pub(crate) fn for_tests(database_url: &str, body_limit: usize) -> Self {
        let mut raw: Vec<String> = SPECS.iter().map(|s| s.default.to_string()).collect();
        raw[0] = "127.0.0.1:0".into();
        raw[1] = database_url.into();
        raw[2] = "5".into();
        raw[6] = body_limit.to_string();
        Self::parse(&raw).expect("valid test settings")
    }

    fn parse(raw: &[String]) -> Result<Self, ConfigError> {
        let invalid = |index: usize, reason: String| {
            let spec = &SPECS[index];
            ConfigError::Invalid {
                setting: spec.key,
                env: spec.env,
                value: raw[index].clone(),
                reason,
            }
        };
        let listen = raw[0].parse::<SocketAddr>().map_err(|e| invalid(0, e.to_string()))?;
        let url = parse_database_url(&raw[1]).map_err(|reason| invalid(1, reason))?;
        let max_connections = match raw[2].parse::<u32>() {
            Ok(n) if n > 0 => n,
            Ok(_) => return Err(invalid(2, "must be at least 1".into())),
            Err(e) => return Err(invalid(2, e.to_string())),
        };
        let filter = raw[3].clone();
        tracing_subscriber::EnvFilter::try_new(&filter).map_err(|e| invalid(3, e.to_string()))?;
        let format = match raw[4].as_str() {
            "text" => LogFormat::Text,
            "json" => LogFormat::Json,
            _ => return Err(invalid(4, "expected `text` or `json`".into())),
        };
        if raw[5].trim().is_empty() {
            return Err(invalid(5, "must not be empty".into()));
        }
        let body_limit = match raw[6].parse::<usize>() {
            Ok(n) if n >= 1024 => n,
            Ok(_) => return Err(invalid(6, "must be at least 1024".into())),
            Err(e) => return Err(invalid(6, e.to_string())),
        };
        // A whole number within `range`, or an error naming setting `index`.
        let within =
            |index: usize, range: std::ops::RangeInclusive<u64>| match raw[index].parse::<u64>() {
                Ok(n) if range.contains(&n) => Ok(n),
                Ok(_) => Err(invalid(
                    index,
                    format!("must be between {} and {}", range.start(), range.end()),
                )),
                Err(e) => Err(invalid(index, e.to_string())),
            };
        let cache_poll = Duration::from_millis(within(7, 50..=60_000)?);
        let acquire_timeout = Duration::from_millis(within(10, 50..=600_000)?);
        let http = HttpLimits {
            header_timeout: Duration::from_millis(within(11, 100..=600_000)?),
            body_timeout: Duration::from_millis(within(12, 100..=3_600_000)?),
            max_connections: within(13, 1..=1_000_000)? as usize,
        };
        let document_max_depth = within(14, 4..=10_000)? as usize;
        let keep = match raw[8].parse::<i64>() {
            Ok(n) if n >= 1 => n,
            Ok(_) => return Err(invalid(8, "must be at least 1".into())),
            Err(e) => return Err(invalid(8, e.to_string())),
        };
        let days = match raw[9].parse::<u64>() {
            Ok(n) if n >= 1 => n,
            Ok(_) => return Err(invalid(9, "must be at least 1".into())),
            Err(e) => return Err(invalid(9, e.to_string())),
        };
        let mut access = access::parse(&raw[ACCESS..])
            .map_err(|(index, reason)| invalid(ACCESS + index, reason))?;
        if let Some(oidc) = &mut access.oidc {
            if oidc.redirect_url.is_empty() {
                oidc.redirect_url =
                    format!("http://{listen}/auth/v1/method/oidc/{}/callback", oidc.provider);
            }
        }
        let retention =
            crate::service::Retention { keep, max_age: Duration::from_secs(days * 24 * 3600) };
        Ok(Settings {
            listen,
            database: DatabaseSettings { url, max_connections, acquire_timeout },
            log: LogSettings { filter, format },
            site_root: PathBuf::from(&raw[5]),
            body_limit,
            cache_poll,
            retention,
            http,
            document_max_depth,
            access,
        })
    }
}

fn parse_database_url(raw: &str) -> Result<DatabaseUrl, String> {
    let known = ["sqlite:", "postgres://", "postgresql://"];
    if !known.iter().any(|prefix| raw.starts_with(prefix)) {
        return Err("expected a sqlite://PATH or postgres://… URL".into());
    }
    if raw.starts_with("sqlite:") && raw.trim_start_matches("sqlite:").trim_matches('/').is_empty()
    {
        return Err("the SQLite URL names no file".into());
    }
    Ok(DatabaseUrl(raw.to_string()))
}

/// Rejects `VEXIL_*` variables that no setting reads: a typo must not be silently ignored.
fn check_environment(names: impl Iterator<Item = String>) -> Result<(), ConfigError> {
    for name in names.filter(|n| n.starts_with("VEXIL_")) {
        let known = SPECS.iter().any(|s| s.env == name) || OTHER_ENV.contains(&name.as_str());
        if !known {
            return Err(ConfigError::UnknownEnv { name, known: known_env() });
        }
    }
    Ok(())
}

fn known_env() -> String {
    SPECS.iter().map(|s| s.env).chain(OTHER_ENV.iter().copied()).collect::<Vec<_>>().join(", ")
}

/// Reads the YAML file into setting → raw string, rejecting unknown keys and non-scalars.
fn read_file(path: &Path) -> Result<BTreeMap<String, String>, ConfigError> {
    let shown = path.display().to_string();
    let file_error = |reason: String| ConfigError::File { path: shown.clone(), reason };
    let text = std::fs::read_to_string(path).map_err(|e| file_error(e.to_string()))?;
    let parsed = serde_yaml::from_str::<Option<BTreeMap<String, serde_yaml::Value>>>(&text);
    let doc = match parsed {
        Ok(Some(doc)) => doc,
        Ok(None) => BTreeMap::new(),
        Err(e) => return Err(file_error(e.to_string())),
    };
    let mut out = BTreeMap::new();
    for (key, value) in doc {
        let Some(spec) = SPECS.iter().find(|s| s.key == key) else {
            let known = SPECS.iter().map(|s| s.key).collect::<Vec<_>>().join(", ");
            return Err(ConfigError::UnknownKey { path: shown, key, known });
        };
        let text = match value {
            serde_yaml::Value::String(s) => s,
            serde_yaml::Value::Number(n) => n.to_string(),
            serde_yaml::Value::Bool(b) => b.to_string(),
            _ => {
                return Err(ConfigError::Invalid {
                    setting: spec.key,
                    env: spec.env,
                    value: format!("{value:?}"),
                    reason: "expected a single value".into(),
                })
            }
        };
        out.insert(key, text);
    }
    Ok(out)
}

pub mod access;
mod flipt_view;
mod url;

pub use access::AccessSettings;
pub use url::DatabaseUrl;

#[cfg(test)]
mod tests;
