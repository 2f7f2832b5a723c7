//! Form feedback: the error of the last submission, whether it came back through a server
//! function (with JavaScript) or through `?error=KEY` in the address (without).

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::error::AppError;

/// The error to show for a form: the action's latest error, else the one in the address.
pub fn form_error<T>(
    latest: impl Fn() -> Option<Result<T, AppError>> + Send + Sync + 'static,
) -> Signal<Option<AppError>> {
    let query = use_query_map();
    Signal::derive(move || match latest() {
        Some(Err(error)) => Some(error),
        Some(Ok(_)) => None,
        None => query.read().get("error").and_then(|key| AppError::from_key(&key)),
    })
}

/// A value the person typed, sent back in the address after a form error without JavaScript.
pub fn kept_value(name: &'static str) -> Signal<String> {
    let query = use_query_map();
    Signal::derive(move || query.read().get(name).unwrap_or_default())
}

/// The summary at the top of a form, announced to screen readers.
#[component]
pub fn ErrorSummary(error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        error.get().map(|error| {
            view! {
                <div class="error-summary" role="alert" data-testid="form-error" data-error-key=error.key().to_owned()>
                    <p>{error.to_string()}</p>
                </div>
            }
        })
    }
}

/// The message under one field, if the error is about that field.
#[component]
pub fn FieldError(error: Signal<Option<AppError>>, field: &'static str) -> impl IntoView {
    move || {
        error.get().filter(|e| e.field() == Some(field)).map(|error| {
            view! {
                <p class="field-error" id=format!("{field}-error")>
                    {error.to_string()}
                </p>
            }
        })
    }
}

/// Whether the error is about `field` (for `aria-invalid`).
pub fn invalid(error: Signal<Option<AppError>>, field: &'static str) -> impl Fn() -> &'static str + Send + Sync + Copy {
    move || {
        if error.get().is_some_and(|e| e.field() == Some(field)) { "true" } else { "false" }
    }
}
