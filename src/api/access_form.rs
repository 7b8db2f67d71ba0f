//! `POST /ui/access/tokens/create`: Settings → Access's token form. A plain form post (with
//! or without JavaScript); the answer is a redirect back to the page, which shows the secret
//! once from a short-lived cookie scoped to that page, so the secret never travels in a URL.

use std::sync::Arc;

use app::{domain::TokenInput, error::AppError, server_fns::NEW_TOKEN_COOKIE};
use axum::{
    extract::{Form, State},
    http::{header, HeaderValue},
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;

use crate::service::Service;

#[derive(Debug, Deserialize)]
pub struct NewTokenForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    namespace: String,
    #[serde(default)]
    expires_in_days: String,
}

fn back_with_error(message: &str) -> Response {
    let encoded = app::url::encode_component(message);
    Redirect::to(&format!("/settings/access?token_error={encoded}")).into_response()
}

pub async fn create(
    State(service): State<Arc<Service>>,
    Form(form): Form<NewTokenForm>,
) -> Response {
    let days = match form.expires_in_days.trim() {
        "" => None,
        text => match text.parse::<u32>() {
            Ok(days) if days <= 3650 => Some(days),
            _ => {
                return back_with_error(
                    "invalid field expires_in_days: a whole number of days up to 3650",
                )
            }
        },
    };
    let input = TokenInput {
        name: form.name,
        description: form.description,
        role: form.role,
        namespace: form.namespace,
        expires_in_days: days,
    };
    match service.create_token_from(input).await {
        Ok(created) => {
            let mut response = Redirect::to("/settings/access").into_response();
            let cookie = format!(
                "{NEW_TOKEN_COOKIE}={}.{}; Path=/settings/access; Max-Age=120; HttpOnly; SameSite=Strict",
                created.token.id, created.secret
            );
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                response.headers_mut().append(header::SET_COOKIE, value);
            }
            response
        }
        Err(
            error @ (AppError::Unavailable(_) | AppError::StorageFull(_) | AppError::Internal(_)),
        ) => super::ApiError(error).into_response(),
        Err(error) => back_with_error(&error.to_string()),
    }
}
