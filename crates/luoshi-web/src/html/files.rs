//! Progress reports with attached files (multipart form), and downloads.

use super::task_page::error_page;
use super::{PageError, Session};
use crate::state::AppState;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use luoshi_app::{AppError, NewFile};
use luoshi_domain::ids::TaskId;
use luoshi_domain::measure::parse_decimal;
use luoshi_domain::task::ProgressInput;
use uuid::Uuid;

/// The largest progress form accepted: five files of 10 MiB and the text fields.
pub const MAX_FORM: usize =
    luoshi_domain::attachment::MAX_FILES * luoshi_domain::attachment::MAX_FILE_BYTES + 1024 * 1024;

#[derive(Default)]
struct ProgressForm {
    csrf: String,
    percent: String,
    quantity_done: String,
    summary: String,
    problems: String,
    next_steps: String,
    files: Vec<NewFile>,
}

async fn read_form(mut mp: Multipart) -> Result<ProgressForm, AppError> {
    let bad = |m: String| AppError::invalid("files", "bad_upload", m);
    let mut f = ProgressForm::default();
    while let Some(field) = mp.next_field().await.map_err(|e| bad(e.body_text()))? {
        let name = field.name().unwrap_or("").to_owned();
        if name == "files" {
            let filename = field.file_name().unwrap_or("").to_owned();
            let bytes = field.bytes().await.map_err(|e| bad(e.body_text()))?;
            if filename.is_empty() && bytes.is_empty() {
                continue; // the file input was left empty
            }
            f.files.push(NewFile {
                filename,
                bytes: bytes.to_vec(),
            });
            continue;
        }
        let text = field.text().await.map_err(|e| bad(e.body_text()))?;
        match name.as_str() {
            "_csrf" => f.csrf = text,
            "percent" => f.percent = text,
            "quantity_done" => f.quantity_done = text,
            "summary" => f.summary = text,
            "problems" => f.problems = text,
            "next_steps" => f.next_steps = text,
            _ => {}
        }
    }
    Ok(f)
}

fn opt_dec(field: &str, s: &str) -> Result<Option<luoshi_domain::measure::Decimal>, AppError> {
    if s.trim().is_empty() {
        Ok(None)
    } else {
        parse_decimal(field, s).map(Some).map_err(AppError::from)
    }
}

pub async fn progress(
    State(s): State<AppState>,
    session: Session,
    Path(id): Path<Uuid>,
    mp: Multipart,
) -> Result<Response, PageError> {
    let id = TaskId::from(id);
    let form = match read_form(mp).await {
        Ok(f) => f,
        Err(e) => return error_page(&s, &session, id, e).await,
    };
    session.check_csrf(&form.csrf)?;
    let result = async {
        let input = ProgressInput {
            percent: opt_dec("percent", &form.percent)?,
            quantity_done: opt_dec("quantity_done", &form.quantity_done)?,
            summary: form.summary,
            problems: form.problems,
            next_steps: form.next_steps,
        };
        s.app
            .report_progress_with_files(&session.user.actor(), id, input, form.files)
            .await
    }
    .await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/tasks/{id}?saved=1")).into_response()),
        Err(e) => error_page(&s, &session, id, e).await,
    }
}

/// RFC 5987 encoding of a UTF-8 file name for Content-Disposition.
fn encode_filename(name: &str) -> String {
    name.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

pub async fn download(
    State(s): State<AppState>,
    session: Session,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    let tr = session.tr();
    let (meta, bytes) = s
        .app
        .get_attachment(&session.user.actor(), id)
        .await
        .map_err(|e| PageError::App(tr, e))?;
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&meta.content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    let disposition = format!(
        "attachment; filename=\"file\"; filename*=UTF-8''{}",
        encode_filename(&meta.filename)
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(r)
}

#[cfg(test)]
mod tests {
    #[test]
    fn file_names_are_encoded_for_headers() {
        assert_eq!(super::encode_filename("验收.pdf"), "%E9%AA%8C%E6%94%B6.pdf");
        assert_eq!(super::encode_filename("a b\"c.txt"), "a%20b%22c.txt");
    }
}
