//! Rules for files attached to progress reports: how many, how large, which kinds, and a safe name.

use crate::error::ValidationError;

/// At most this many files per report.
pub const MAX_FILES: usize = 5;
/// At most this many bytes per file (10 MiB).
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;

/// Kinds of evidence offices send: documents, spreadsheets, images, archives.
const ALLOWED: &[(&str, &str)] = &[
    ("pdf", "application/pdf"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("png", "image/png"),
    ("doc", "application/msword"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("xls", "application/vnd.ms-excel"),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("wps", "application/vnd.ms-works"),
    ("ofd", "application/ofd"),
    ("txt", "text/plain"),
    ("zip", "application/zip"),
];

/// Check one file (the `index`-th of a report) and return its safe name and content type. The
/// content type comes from the extension, never from the client.
pub fn check_file(
    index: usize,
    filename: &str,
    size: usize,
) -> Result<(String, &'static str), ValidationError> {
    let field = format!("files[{index}]");
    if index >= MAX_FILES {
        return Err(ValidationError::new(
            field,
            "too_many",
            format!("at most {MAX_FILES} files per report"),
        ));
    }
    if size == 0 {
        return Err(ValidationError::new(field, "empty", "the file is empty"));
    }
    if size > MAX_FILE_BYTES {
        return Err(ValidationError::new(
            field,
            "too_large",
            "a file may have at most 10 MiB",
        ));
    }
    // Keep only the last path component and drop control characters.
    let base = filename.rsplit(['/', '\\']).next().unwrap_or("");
    let name: String = base
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(120)
        .collect();
    let name = name.trim().trim_start_matches('.').to_owned();
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ALLOWED.iter().find(|(e, _)| *e == ext) {
        Some((_, mime)) if !name.is_empty() => Ok((name, mime)),
        _ => Err(ValidationError::new(
            field,
            "file_type",
            "allowed: pdf, jpg, png, doc(x), xls(x), wps, ofd, txt, zip",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_checked_and_named_safely() {
        assert_eq!(
            check_file(0, "验收报告.PDF", 100).unwrap(),
            ("验收报告.PDF".into(), "application/pdf")
        );
        assert_eq!(
            check_file(0, "C:\\\\照片\\\\现场.jpg", 1).unwrap().0,
            "现场.jpg"
        );
        assert_eq!(
            check_file(0, "../../etc/passwd.txt", 1).unwrap().0,
            "passwd.txt"
        );
        assert_eq!(check_file(1, "run.exe", 10).unwrap_err().field, "files[1]");
        assert_eq!(
            check_file(0, "big.pdf", MAX_FILE_BYTES + 1)
                .unwrap_err()
                .code,
            "too_large"
        );
        assert_eq!(check_file(0, "empty.pdf", 0).unwrap_err().code, "empty");
        assert_eq!(check_file(5, "a.pdf", 1).unwrap_err().code, "too_many");
        assert_eq!(check_file(0, ".pdf", 1).unwrap_err().code, "file_type");
    }
}
