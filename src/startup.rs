//! Wiring: database, migrations, state, the router, and serving with graceful shutdown.

use std::sync::Arc;

use anyhow::Context as _;
use app::{port::Port, shell, App};
use axum::{
    extract::FromRef,
    http::{header, HeaderValue, Request},
    Router,
};
use leptos::prelude::{provide_context, use_context, LeptosOptions};
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower::Layer;
use tower_http::{
    normalize_path::{NormalizePath, NormalizePathLayer},
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer},
    trace::{DefaultOnResponse, TraceLayer},
};
use tracing::Level;

use crate::{
    auth,
    config::Settings,
    service::{scoped_port::Scoped, Service},
    store::Store,
};

/// Everything a request handler can reach.
#[derive(Clone, Debug, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub service: Arc<Service>,
}

/// The bundle name, baked in at compile time (see `.cargo/config.toml`).
pub const OUTPUT_NAME: &str = env!("LEPTOS_OUTPUT_NAME");

/// Leptos options for a site directory and listen address.
pub fn leptos_options(settings: &Settings) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name(OUTPUT_NAME)
        .site_root(settings.site_root.to_string_lossy().as_ref())
        .site_pkg_dir("pkg")
        .site_addr(settings.listen)
        .build()
}

/// The whole application: REST API, server functions, server-rendered pages, static files.
/// Tests build exactly this router.
pub fn router(state: AppState, settings: &Settings) -> Router {
    let service = state.service.clone();
    // Per request: the port runs as the request's principal, and the page's CSP names the
    // nonce its inline hydration scripts carry.
    let context = move || {
        let principal = auth::current();
        provide_context(crate::service::viewer_of(&principal));
        let port: Port = Arc::new(Scoped { service: service.clone(), principal });
        provide_context(port);
        leptos::nonce::provide_nonce();
        if let (Some(nonce), Some(response)) =
            (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>())
        {
            if let Ok(value) = HeaderValue::from_str(&access::dashboard_csp(&nonce.to_string())) {
                response.insert_header(header::CONTENT_SECURITY_POLICY, value);
            }
        }
    };
    let routes = generate_route_list(App);
    let options = state.leptos_options.clone();
    let router = Router::new()
        .leptos_routes_with_context(&state, routes, context.clone(), move || shell(options.clone()))
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(context, shell))
        .with_state(state.clone())
        .merge(crate::api::router(state.service.clone(), settings.cache_poll.as_millis() as u64))
        .layer(axum::middleware::map_response(refused_arguments_are_400))
        .layer(axum::middleware::from_fn(stale_answers_are_marked));
    access::guarded(router, &state.service, settings)
        // Every route that reads a body (REST, uploads, server functions) has the same size
        // and time limits, refused with Flipt's JSON body however the handler took it.
        // axum's own 2 MiB default for extractors would undercut `body_limit`.
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(axum::middleware::from_fn_with_state(
            body::BodyLimits {
                max_bytes: settings.body_limit,
                deadline: settings.http.body_timeout,
            },
            body::guard,
        ))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request<_>| {
                    let id = request
                        .extensions()
                        .get::<RequestId>()
                        .and_then(|id| id.header_value().to_str().ok())
                        .unwrap_or("-");
                    tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id = %id)
                })
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}

/// A server function whose arguments do not parse is refused by the framework before our code
/// runs, always with 500; the body says `Invalid` (see `AppError`), so it becomes the 400 it is.
async fn refused_arguments_are_400(response: axum::response::Response) -> axum::response::Response {
    if response.status() != axum::http::StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key("serverfnerror")
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, 64 * 1024).await.unwrap_or_default();
    if bytes.starts_with(b"{\"Invalid\"") {
        parts.status = axum::http::StatusCode::BAD_REQUEST;
    }
    axum::response::Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// The response header that carries, in milliseconds, how long ago the database last confirmed
/// the snapshot an answer came from; present only on answers given in degraded mode.
pub const STALE_HEADER: &str = "x-vexil-stale-ms";

async fn stale_answers_are_marked(
    request: Request<axum::body::Body>,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let (mut response, stale) = crate::cache::stale::tracked(next.run(request)).await;
    if let Some(age) = stale {
        response
            .headers_mut()
            .insert(STALE_HEADER, axum::http::HeaderValue::from(age.as_millis() as u64));
    }
    response
}

/// The router as served: trailing slashes are stripped before routing, as Flipt does.
pub fn normalized(router: Router) -> NormalizePath<Router> {
    NormalizePathLayer::trim_trailing_slash().layer(router)
}

/// Connects and migrates; errors name the setting to fix.
pub(crate) async fn open_store(settings: &Settings) -> anyhow::Result<Store> {
    let url = &settings.database.url;
    let store = Store::connect(&settings.database)
        .await
        .with_context(|| format!("database_url (VEXIL_DATABASE_URL) {url}"))?;
    store.migrate().await.with_context(|| format!("migrating {url}"))?;
    Ok(store)
}

/// `vexil migrate`.
pub async fn migrate_only(settings: Settings) -> anyhow::Result<()> {
    let store = open_store(&settings).await?;
    tracing::info!(database = %settings.database.url, "migrations applied");
    store.close().await;
    Ok(())
}

/// `vexil serve`: runs until SIGINT or SIGTERM, then drains in-flight requests.
pub async fn serve(settings: Settings) -> anyhow::Result<()> {
    let store = open_store(&settings).await?;
    let stream_key = shared_stream_key(&store).await?;
    let service = Arc::new(
        Service::new(store.clone())
            .with_stream_key(stream_key)
            .with_retention(settings.retention)
            .with_document_max_depth(settings.document_max_depth)
            .with_public_config(settings.flipt_view())
            .with_access_policy(crate::service::AccessPolicy {
                required: settings.access.required,
                session_lifetime: settings.access.session_lifetime,
                metrics_public: settings.access.metrics_public,
            })
            .with_oidc(settings.access.oidc.clone().map(crate::auth::oidc::Oidc::new))
            .with_workload(
                match settings.access.jwt.clone() {
                    Some(jwt) => Some(
                        crate::auth::workload::JwtVerifier::load(jwt)
                            .map_err(|e| anyhow::anyhow!("auth_jwt_public_key_file: {e}"))?,
                    ),
                    None => None,
                },
                settings
                    .access
                    .kubernetes
                    .clone()
                    .map(crate::auth::workload::KubernetesVerifier::new),
            ),
    );
    service.access().refresh().await.context("reading the access version")?;
    access::spawn_housekeeping(service.clone());
    let postgres_url =
        settings.database.url.is_postgres().then(|| settings.database.url.expose().to_string());
    crate::cache::replicas::spawn(
        service.cache().clone(),
        service.access().clone(),
        store.clone(),
        postgres_url,
        settings.cache_poll,
    );
    let state = AppState { leptos_options: leptos_options(&settings), service: service.clone() };
    let app = normalized(router(state, &settings));
    let listener = tokio::net::TcpListener::bind(settings.listen)
        .await
        .with_context(|| format!("listen (VEXIL_LISTEN) {}", settings.listen))?;
    let address = listener.local_addr()?;
    access::bootstrap(&service, &settings, address).await?;
    tracing::info!(%address, database = %settings.database.url, site_root = %settings.site_root.display(), "vexil listening");
    let closing = service.clone();
    let shutdown = async move {
        shutdown_signal().await;
        closing.close_streams();
    };
    http::serve(listener, app, settings.http, shutdown).await;
    store.close().await;
    tracing::info!("vexil stopped cleanly");
    Ok(())
}

/// The key that signs OFREP's change-event credentials, the same on every replica: created by
/// the first server to start, read by the others.
async fn shared_stream_key(store: &Store) -> anyhow::Result<crate::auth::stream_key::StreamKey> {
    use crate::auth::stream_key::StreamKey;
    let candidate = StreamKey::random().to_hex();
    let stored = crate::store::access::server_key(store, "ofrep-stream", &candidate)
        .await
        .context("reading the shared stream key")?;
    StreamKey::from_hex(&stored).context("server_keys 'ofrep-stream' is not a 32-byte hex key")
}

async fn shutdown_signal() {
    let interrupt = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for SIGINT");
            std::future::pending::<()>().await;
        }
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    tokio::select! {
        () = interrupt => tracing::info!("SIGINT received, shutting down"),
        () = terminate => tracing::info!("SIGTERM received, shutting down"),
    }
}

mod access;
mod body;
mod http;

#[cfg(test)]
mod tests;
