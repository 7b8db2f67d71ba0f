//! Import into and export from another server: `vexil import|export --address URL`.
//!
//! A Vexil server takes a whole import as one all-or-nothing request (`POST /api/v1/import`).
//! A Flipt v1 server has no such endpoint, so the documents are replayed through its REST API
//! object by object, as `flipt import` does ([`replay`]); every conflict is looked for before
//! the first write. Export reads the REST API, which both servers speak, and turns what it
//! lists into documents with the same code as a local export.

mod replay;

use std::time::Duration;

use anyhow::{bail, Context as _};
use app::{
    domain::{Flag, FlagType, Namespace, Rollout, Rule, Segment},
    url::encode_component,
};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::{
    document::{export, Document},
    eval::Source,
    service::{ImportMode, ImportSummary, Progress},
};

/// Items asked for per page when listing.
const PAGE: usize = 100;
/// A bound on pages per listing, far above any real namespace.
const MAX_PAGES: usize = 100_000;

/// A server reached over HTTP, with an optional bearer token.
pub struct Remote {
    client: reqwest::Client,
    base: String,
    token: Option<String>,
}

/// A refusal from the remote server: its status and its message.
#[derive(Debug, thiserror::Error)]
#[error("{method} {path}: {status}: {message}")]
pub struct RemoteError {
    pub method: Method,
    pub path: String,
    pub status: StatusCode,
    pub message: String,
}

impl Remote {
    /// `address` is the server's base URL (`http://host:8080`).
    pub fn new(address: &str, token: Option<String>) -> anyhow::Result<Self> {
        let base = address.trim_end_matches('/').to_string();
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            bail!("--address must be an http:// or https:// URL, got {address:?}");
        }
        let client = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(300))
            .user_agent(concat!("vexil/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Remote { client, base, token: token.filter(|t| !t.is_empty()) })
    }

    fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        let request = self.client.request(method, format!("{}{path}", self.base));
        match &self.token {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
    }

    async fn answer(
        &self,
        method: Method,
        path: &str,
        response: reqwest::Response,
    ) -> anyhow::Result<Value> {
        let status = response.status();
        let text = response
            .text()
            .await
            .with_context(|| format!("{method} {path}: reading the answer"))?;
        if status.is_success() {
            return serde_json::from_str(&text)
                .with_context(|| format!("{method} {path}: the answer is not JSON"));
        }
        let message = serde_json::from_str::<Value>(&text)
            .ok()
            .and_then(|v| v["message"].as_str().map(str::to_string))
            .unwrap_or_else(|| text.trim().chars().take(200).collect());
        Err(RemoteError { method, path: path.to_string(), status, message }.into())
    }

    /// Sends JSON (or nothing) and returns the JSON answer; a non-2xx answer is a [`RemoteError`].
    pub(crate) async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> anyhow::Result<Value> {
        let mut request = self.request(method.clone(), path);
        if let Some(body) = body {
            request = request.json(body);
        }
        let response =
            request.send().await.with_context(|| format!("{method} {}{path}", self.base))?;
        self.answer(method, path, response).await
    }

    /// `GET path` decoded as `T`, or `None` when the server answers 404.
    pub(crate) async fn find<T: DeserializeOwned>(&self, path: &str) -> anyhow::Result<Option<T>> {
        match self.send(Method::GET, path, None).await {
            Ok(value) => {
                Ok(Some(serde_json::from_value(value).with_context(|| format!("GET {path}"))?))
            }
            Err(error) if status_of(&error) == Some(StatusCode::NOT_FOUND) => Ok(None),
            Err(error) => Err(error),
        }
    }

    /// Every item of a paginated listing (`field` names the array in each page).
    pub(crate) async fn list<T: DeserializeOwned>(
        &self,
        path: &str,
        field: &str,
    ) -> anyhow::Result<Vec<T>> {
        let mut items = Vec::new();
        let mut token = String::new();
        for _ in 0..MAX_PAGES {
            let separator = if path.contains('?') { '&' } else { '?' };
            let page = self
                .send(
                    Method::GET,
                    &format!("{path}{separator}limit={PAGE}&pageToken={token}"),
                    None,
                )
                .await?;
            let batch: Vec<T> = serde_json::from_value(page[field].clone())
                .with_context(|| format!("GET {path}: reading {field}"))?;
            let next = page["nextPageToken"].as_str().unwrap_or_default().to_string();
            let done = batch.is_empty() || next.is_empty() || next == token;
            items.extend(batch);
            if done {
                return Ok(items);
            }
            token = next;
        }
        bail!("GET {path}: more than {MAX_PAGES} pages")
    }

    /// Whether the server is Vexil: only Vexil answers an empty dry-run import.
    pub async fn is_vexil(&self) -> anyhow::Result<bool> {
        let path = "/api/v1/import?dryRun=true";
        let response = self
            .request(Method::POST, path)
            .body("")
            .send()
            .await
            .with_context(|| format!("POST {}{path}", self.base))?;
        match response.status() {
            StatusCode::NOT_FOUND
            | StatusCode::METHOD_NOT_ALLOWED
            | StatusCode::NOT_IMPLEMENTED => Ok(false),
            // The empty probe is refused as holding no document: only Vexil has this route.
            StatusCode::BAD_REQUEST => Ok(true),
            _ => self.answer(Method::POST, path, response).await.map(|_| true),
        }
    }

    /// Imports `documents` (parsed from `text`): in one request on Vexil, replayed on Flipt.
    pub async fn import(
        &self,
        text: &str,
        json: bool,
        documents: &[Document],
        mode: ImportMode,
        dry_run: bool,
        progress: &Progress<'_>,
    ) -> anyhow::Result<Vec<ImportSummary>> {
        if !self.is_vexil().await? {
            return replay::replay(self, documents, mode, dry_run, progress).await;
        }
        let mode = match mode {
            ImportMode::CreateOnly => "create-only",
            ImportMode::SkipExisting => "skip-existing",
            ImportMode::Replace => "replace",
        };
        let format = if json { "json" } else { "yaml" };
        let path = format!("/api/v1/import?mode={mode}&dryRun={dry_run}&format={format}");
        let response = self
            .request(Method::POST, &path)
            .body(text.to_string())
            .send()
            .await
            .with_context(|| format!("POST {}{path}", self.base))?;
        let answer = self.answer(Method::POST, &path, response).await?;
        progress(crate::service::objects_in(documents));
        serde_json::from_value(answer["namespaces"].clone()).context("reading the import summary")
    }

    /// The named namespaces (or all) as documents, read through the REST API.
    pub async fn export(
        &self,
        namespaces: Option<&[String]>,
        sort_by_key: bool,
    ) -> anyhow::Result<Vec<Document>> {
        let selected: Vec<Namespace> = match namespaces {
            Some(keys) => {
                let mut found = Vec::with_capacity(keys.len());
                for key in keys {
                    match self
                        .find(&format!("/api/v1/namespaces/{}", encode_component(key)))
                        .await?
                    {
                        Some(namespace) => found.push(namespace),
                        None => bail!("namespace \"{key}\" not found on {}", self.base),
                    }
                }
                found
            }
            None => self.list("/api/v1/namespaces", "namespaces").await?,
        };
        let mut documents = Vec::with_capacity(selected.len());
        for namespace in selected {
            let base = format!("/api/v1/namespaces/{}", encode_component(&namespace.key));
            let flags: Vec<Flag> = self.list(&format!("{base}/flags"), "flags").await?;
            let segments: Vec<Segment> = self.list(&format!("{base}/segments"), "segments").await?;
            let (mut rules, mut rollouts) = (Vec::new(), Vec::new());
            for flag in &flags {
                let path = format!("{base}/flags/{}", encode_component(&flag.key));
                match flag.flag_type {
                    FlagType::Variant => {
                        let mut listed: Vec<Rule> =
                            self.list(&format!("{path}/rules"), "rules").await?;
                        listed.sort_by_key(|r| r.rank);
                        rules.extend(listed);
                    }
                    FlagType::Boolean => {
                        let mut listed: Vec<Rollout> =
                            self.list(&format!("{path}/rollouts"), "rules").await?;
                        listed.sort_by_key(|r| r.rank);
                        rollouts.extend(listed);
                    }
                }
            }
            let source = Source { flags, segments, rules, rollouts };
            documents.push(export(&namespace, &source, sort_by_key));
        }
        Ok(documents)
    }
}

/// The HTTP status of a [`RemoteError`].
pub(crate) fn status_of(error: &anyhow::Error) -> Option<StatusCode> {
    error.downcast_ref::<RemoteError>().map(|e| e.status)
}

#[cfg(test)]
mod tests;
