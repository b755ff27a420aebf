//! One mapping from errors to HTTP responses: `{"error":{"code","message","field"}}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use luoshi_app::AppError;
use serde::Serialize;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: String,
    pub message: String,
    pub field: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code (translated by user interfaces).
    pub code: String,
    pub message: String,
    /// The input field at fault, if any (e.g. `deadline`, `milestones[1].due`).
    pub field: Option<String>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        Self {
            status,
            code: code.into(),
            message: message.into(),
            field: None,
        }
    }

    pub fn field(status: StatusCode, code: &str, field: &str, message: impl Into<String>) -> Self {
        Self {
            status,
            code: code.into(),
            message: message.into(),
            field: Some(field.into()),
        }
    }

    /// The message for a person, naming the field at fault: "deadline: …".
    pub fn with_field(&self) -> String {
        match &self.field {
            Some(field) => format!("{field}: {}", self.message),
            None => self.message.clone(),
        }
    }

    pub fn bad(field: &str, message: impl Into<String>) -> Self {
        Self::field(StatusCode::BAD_REQUEST, "invalid", field, message)
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        use luoshi_domain::task::TransitionError;
        let status = match &e {
            AppError::Validation(_) | AppError::Transition(TransitionError::Invalid(_)) => {
                StatusCode::BAD_REQUEST
            }
            AppError::Unauthenticated | AppError::BadCredentials => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::NotFound { .. } => StatusCode::NOT_FOUND,
            AppError::Conflict { .. }
            | AppError::Transition(TransitionError::NotAllowed { .. }) => StatusCode::CONFLICT,
            AppError::Store(_) | AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        if status == StatusCode::INTERNAL_SERVER_ERROR {
            // Log the whole cause chain once, here at the boundary; the client gets no internals.
            let mut chain = e.to_string();
            let mut src = std::error::Error::source(&e);
            while let Some(s) = src {
                chain.push_str(": ");
                chain.push_str(&s.to_string());
                src = s.source();
            }
            tracing::error!(error = %chain, "request failed");
            return Self::new(
                status,
                "internal",
                "an internal error occurred; it has been logged",
            );
        }
        let field = e.field().filter(|f| !f.is_empty()).map(str::to_owned);
        Self {
            status,
            code: e.code().to_owned(),
            message: e.to_string(),
            field,
        }
    }
}

impl From<luoshi_domain::ValidationError> for ApiError {
    fn from(e: luoshi_domain::ValidationError) -> Self {
        AppError::Validation(e).into()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code,
                message: self.message,
                field: self.field,
            },
        };
        (self.status, axum::Json(body)).into_response()
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
