//! `GET /meta/config`: the running configuration in the shape of Flipt's (its top-level keys
//! `log`, `ui`, `cors`, `cache`, `server`, `storage`, `db`, `tracing`, `authentication`,
//! `audit`, `meta`, `analytics`; durations as Go writes them, in nanoseconds), with Vexil's own
//! settings beside Flipt's under `vexil`. Never a secret: the database URL's password is
//! masked, the bootstrap token and the OIDC client secret are left out, and no key is named
//! `password`.

use serde_json::{json, Value};

use super::{LogFormat, Settings};

fn nanos(d: std::time::Duration) -> u64 {
    d.as_nanos().min(u64::MAX as u128) as u64
}

/// The database URL as `/meta/config` shows it: password masked, query parameters dropped
/// (they may carry one too).
fn shown_url(settings: &Settings) -> String {
    let text = settings.database.url.to_string();
    match text.split_once('?') {
        Some((base, _)) => base.to_string(),
        None => text,
    }
}

impl Settings {
    /// This configuration as Flipt's `/meta/config` answers it.
    pub fn flipt_view(&self) -> Value {
        let access = &self.access;
        let oidc = access.oidc.as_ref().map(|o| {
            json!({
                "enabled": true,
                "providers": {
                    o.provider.clone(): {
                        "issuerURL": o.issuer,
                        "clientID": o.client_id,
                        "redirectAddress": o.redirect_url,
                        "scopes": o.scopes,
                    }
                }
            })
        });
        json!({
            "version": "1.0",
            "log": {
                "level": self.log.filter,
                "encoding": if self.log.format == LogFormat::Json { "json" } else { "console" },
            },
            "ui": {"enabled": true, "defaultTheme": "system"},
            "cors": {
                "enabled": !access.cors.allowed_origins.is_empty(),
                "allowedOrigins": access.cors.allowed_origins,
                "allowedHeaders": access.cors.allowed_headers,
            },
            // Vexil's evaluation cache is always on, derived from the database and versioned:
            // other replicas' changes are noticed within `cache_poll_ms`.
            "cache": {
                "enabled": true,
                "backend": "memory",
                "ttl": nanos(self.cache_poll),
            },
            "server": {
                "protocol": "http",
                "host": self.listen.ip().to_string(),
                "httpPort": self.listen.port(),
            },
            "storage": {"type": "database", "readOnly": false},
            "db": {
                "url": shown_url(self),
                "maxOpenConn": self.database.max_connections,
                "preparedStatementsEnabled": true,
            },
            "tracing": {"enabled": false, "exporter": "none"},
            "authentication": {
                "required": access.required,
                "session": {"tokenLifetime": nanos(access.session_lifetime)},
                "methods": {
                    "token": {"enabled": true},
                    "oidc": oidc.unwrap_or_else(|| json!({"enabled": false})),
                },
            },
            // Every change is recorded in the database's change log (History), always on.
            "audit": {
                "sinks": {"log": {"enabled": false}, "webhook": {"enabled": false}},
                "changeLog": {"enabled": true},
            },
            "meta": {"checkForUpdates": false, "telemetryEnabled": false},
            "analytics": {"enabled": false},
            "vexil": {
                "bodyLimit": self.body_limit,
                "cachePollMs": self.cache_poll.as_millis() as u64,
                "documentMaxDepth": self.document_max_depth,
                "httpHeaderTimeout": nanos(self.http.header_timeout),
                "httpBodyTimeout": nanos(self.http.body_timeout),
                "httpMaxConnections": self.http.max_connections,
                "databaseAcquireTimeout": nanos(self.database.acquire_timeout),
                "trustedOrigins": access.trusted_origins,
                "metricsPublic": access.metrics_public,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys_named(value: &Value, name: &str) -> usize {
        match value {
            Value::Object(map) => {
                map.iter().map(|(k, v)| usize::from(k == name) + keys_named(v, name)).sum()
            }
            Value::Array(items) => items.iter().map(|v| keys_named(v, name)).sum(),
            _ => 0,
        }
    }

    #[test]
    fn flipt_keys_present_and_no_secret_shown() {
        let mut settings =
            Settings::for_tests("postgres://vexil:hunter2@db.example/flags?password=x", 1024);
        settings.access.bootstrap_token = Some("bootstrap-secret-123".into());
        let view = settings.flipt_view();
        for key in [
            "log",
            "ui",
            "authentication",
            "audit",
            "cache",
            "cors",
            "server",
            "storage",
            "db",
            "tracing",
        ] {
            assert!(view[key].as_object().is_some_and(|o| !o.is_empty()), "{key}: {view}");
        }
        let text = view.to_string();
        assert!(!text.contains("hunter2") && !text.contains("password=x"), "{text}");
        assert!(!text.contains("bootstrap-secret-123"), "{text}");
        assert_eq!(view["db"]["url"], "postgres://vexil:***@db.example/flags");
        assert_eq!(keys_named(&view, "password"), 0);
    }
}
