//! Static files, embedded in the binary: no CDN, no build step. Vendored files are checked against
//! `assets/vendor/SHA256SUMS` by `cargo xtask tidy`.

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

const FILES: &[(&str, &str, &[u8])] = &[
    (
        "app.css",
        "text/css; charset=utf-8",
        include_bytes!("../../assets/app.css"),
    ),
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/app.js"),
    ),
    (
        "htmx.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/vendor/htmx-2.0.11.min.js"),
    ),
    (
        "echarts.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/vendor/echarts-6.1.0.simple.min.js"),
    ),
];

pub async fn serve(Path(file): Path<String>) -> Response {
    match FILES.iter().find(|(name, _, _)| *name == file) {
        Some((_, mime, body)) => {
            let mut r = (StatusCode::OK, *body).into_response();
            r.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
            r.headers_mut().insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            );
            r
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
