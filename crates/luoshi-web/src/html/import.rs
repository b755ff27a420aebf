//! Importing a task table into a plan (upload, check, confirm), the blank template, and the
//! plan's indicators as XLSX. The checked sheet travels back with the confirmation as CSV text,
//! so the server keeps no upload between the two steps; the import checks it again anyway.

use super::i18n::Tr;
use super::pages::unit_names;
use super::views::Chrome;
use super::{PageError, Session, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Response};
use luoshi_app::{AppError, ImportOutcome, RowError};
use luoshi_domain::ids::PlanId;
use luoshi_domain::import::Column;
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use uuid::Uuid;

/// The largest upload accepted: a task table of a few thousand rows is well under this.
pub const MAX_UPLOAD: usize = 8 * 1024 * 1024;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A refused cell: its row, its column as written, and the problem in the reader's language
/// (Chinese by the error's code; English as the import worded it, which quotes the cell).
pub struct RowErrorView {
    pub row: usize,
    pub column: String,
    pub problem: String,
}

impl RowErrorView {
    pub fn new(e: &RowError, tr: Tr) -> Self {
        let problem = match tr.0 {
            super::i18n::Lang::Zh => tr
                .t_opt(&format!("rowerr.{}", e.code))
                .map_or_else(|| e.message.clone(), str::to_owned),
            super::i18n::Lang::En => e.message.clone(),
        };
        Self {
            row: e.row,
            column: e.column.clone(),
            problem,
        }
    }
}

#[derive(Template)]
#[template(path = "import.html")]
pub struct ImportPage {
    pub tr: Tr,
    pub chrome: Chrome,
    pub plan_id: String,
    pub plan_title: String,
    /// Where the forms post: the plan's task import or its key-project import.
    pub action: String,
    pub projects: bool,
    pub error: Option<String>,
    pub errors: Vec<RowErrorView>,
    pub outcome: Option<ImportOutcome>,
    /// The checked sheet as CSV, carried by the confirmation form.
    pub sheet_csv: String,
}

async fn page(
    s: &AppState,
    session: &Session,
    plan: PlanId,
    projects: bool,
) -> Result<ImportPage, PageError> {
    let tr = session.tr();
    let actor = session.user.actor();
    let units = unit_names(&s.app, &actor, tr).await?;
    let (p, _) = s
        .app
        .get_plan(&actor, plan)
        .await
        .map_err(|e| PageError::App(tr, e))?;
    Ok(ImportPage {
        tr,
        chrome: Chrome::new(session, &units, if projects { "projects" } else { "tasks" }),
        plan_id: plan.to_string(),
        plan_title: p.title,
        action: if projects {
            format!("/plans/{plan}/projects/import")
        } else {
            format!("/plans/{plan}/import")
        },
        projects,
        error: None,
        errors: vec![],
        outcome: None,
        sheet_csv: String::new(),
    })
}

pub async fn show(
    State(s): State<AppState>,
    session: Session,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    Ok(render(&page(&s, &session, PlanId::from(id), false).await?)?.into_response())
}

/// The key-project list import of a plan.
pub async fn show_projects(
    State(s): State<AppState>,
    session: Session,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    Ok(render(&page(&s, &session, PlanId::from(id), true).await?)?.into_response())
}

pub async fn submit_projects(
    State(s): State<AppState>,
    session: Session,
    Path(id): Path<Uuid>,
    mp: Multipart,
) -> Result<Response, PageError> {
    submit_kind(s, session, PlanId::from(id), mp, true).await
}

#[derive(Default)]
struct UploadForm {
    csrf: String,
    file: Option<(String, Vec<u8>)>,
    sheet: String,
    confirm: bool,
}

async fn read_form(mut mp: Multipart) -> Result<UploadForm, AppError> {
    let bad = |m: String| AppError::invalid("file", "bad_upload", m);
    let mut f = UploadForm::default();
    while let Some(field) = mp.next_field().await.map_err(|e| bad(e.body_text()))? {
        let name = field.name().unwrap_or("").to_owned();
        if name == "file" {
            let filename = field.file_name().unwrap_or("").to_owned();
            let bytes = field.bytes().await.map_err(|e| bad(e.body_text()))?;
            if !bytes.is_empty() {
                f.file = Some((filename, bytes.to_vec()));
            }
            continue;
        }
        let text = field.text().await.map_err(|e| bad(e.body_text()))?;
        match name.as_str() {
            "_csrf" => f.csrf = text,
            "sheet" => f.sheet = text,
            "confirm" => f.confirm = text == "1",
            _ => {}
        }
    }
    Ok(f)
}

/// Check an upload (a dry run) or, with `confirm`, import the carried sheet.
pub async fn submit(
    State(s): State<AppState>,
    session: Session,
    Path(id): Path<Uuid>,
    mp: Multipart,
) -> Result<Response, PageError> {
    submit_kind(s, session, PlanId::from(id), mp, false).await
}

async fn submit_kind(
    s: AppState,
    session: Session,
    plan: PlanId,
    mp: Multipart,
    projects: bool,
) -> Result<Response, PageError> {
    let tr = session.tr();
    let mut view = page(&s, &session, plan, projects).await?;
    let form = match read_form(mp).await {
        Ok(f) => f,
        Err(e) => {
            view.error = Some(crate::error::ApiError::from(e).message);
            return Ok(render(&view)?.into_response());
        }
    };
    session.check_csrf(&form.csrf)?;
    let sheet = match (&form.file, form.sheet.is_empty()) {
        (Some((name, bytes)), _) => luoshi_app::read_sheet(name, bytes),
        (None, false) => Ok(luoshi_app::read_csv(&form.sheet)),
        (None, true) => Err(luoshi_domain::ValidationError::required("file")),
    };
    let sheet = match sheet {
        Ok(x) => x,
        Err(e) => {
            view.error = Some(e.message);
            return Ok(render(&view)?.into_response());
        }
    };
    let actor = session.user.actor();
    let out = if projects {
        s.app
            .import_projects(&actor, plan, &sheet, !form.confirm)
            .await
    } else {
        s.app
            .import_tasks(&actor, plan, &sheet, !form.confirm)
            .await
    }
    .map_err(|e| PageError::App(tr, e))?;
    if out.is_ok() && out.dry_run {
        view.sheet_csv = luoshi_app::write_csv(&sheet);
    }
    view.errors = out
        .errors
        .iter()
        .map(|e| RowErrorView::new(e, tr))
        .collect();
    view.outcome = Some(out);
    Ok(render(&view)?.into_response())
}

fn xlsx_response(bytes: Vec<u8>, ascii_name: &str, utf8_name: &str) -> Response {
    let disposition =
        format!("attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{utf8_name}");
    (
        [
            (axum::http::header::CONTENT_TYPE, XLSX.to_owned()),
            (axum::http::header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response()
}

fn xlsx_failed(e: XlsxError) -> PageError {
    tracing::error!(error = %e, "xlsx export failed");
    PageError::Render
}

/// The blank task table: luoshi's headers and one example row.
pub fn template_workbook(tr: Tr) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(tr.t("import.sheet"))?;
    let bold = Format::new().set_bold();
    let cols = [
        Column::Number,
        Column::Section,
        Column::Title,
        Column::LeadUnit,
        Column::CoUnits,
        Column::LeadOfficial,
        Column::ResponsiblePerson,
        Column::Deadline,
        Column::Weight,
        Column::Remarks,
    ];
    let example = [
        "1",
        "",
        tr.t("import.example_task"),
        tr.t("import.example_unit"),
        "",
        "",
        "",
        "2026-06-30",
        "5",
        tr.t("import.example_note"),
    ];
    for (c, (col, ex)) in cols.iter().zip(example).enumerate() {
        let c = c as u16;
        sheet.write_string_with_format(0, c, col.header(), &bold)?;
        // Text cells throughout, so 序号 and dates stay as typed.
        sheet.write_string(1, c, ex)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.set_column_width(2, 40)?;
    sheet.set_column_width(3, 16)?;
    sheet.set_column_width(4, 24)?;
    sheet.set_column_width(7, 14)?;
    sheet.set_column_width(9, 24)?;
    book.save_to_buffer()
}

pub async fn template(session: Session) -> Result<Response, PageError> {
    let bytes = template_workbook(session.tr()).map_err(xlsx_failed)?;
    // 任务导入模板.xlsx
    Ok(xlsx_response(
        bytes,
        "task-template.xlsx",
        "%E4%BB%BB%E5%8A%A1%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx",
    ))
}

/// The plan's indicators with their targets and latest evaluation.
pub async fn indicators_xlsx(
    State(s): State<AppState>,
    session: Session,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    let tr = session.tr();
    let views = s
        .app
        .list_indicators(&session.user.actor(), PlanId::from(id))
        .await
        .map_err(|e| PageError::App(tr, e))?;
    let bytes = super::export::indicators_workbook(&views, tr).map_err(xlsx_failed)?;
    // 主要指标.xlsx
    Ok(xlsx_response(
        bytes,
        "indicators.xlsx",
        "%E4%B8%BB%E8%A6%81%E6%8C%87%E6%A0%87.xlsx",
    ))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::html::i18n::Lang;
    use luoshi_domain::import::{ImportPolicy, match_headers};

    #[test]
    fn the_template_reads_back_with_every_column_recognised() {
        for lang in [Lang::Zh, Lang::En] {
            let bytes = template_workbook(Tr(lang)).unwrap();
            let sheet = luoshi_app::read_sheet("template.xlsx", &bytes).unwrap();
            assert_eq!(sheet.rows.len(), 2);
            assert_eq!(sheet.rows[0][0], "序号");
            assert_eq!(sheet.rows[1][7], "2026-06-30");
            let h = match_headers(&sheet, &ImportPolicy::default()).unwrap();
            assert_eq!(h.columns().count(), 10);
            assert_eq!(h.index(Column::Deadline), Some(7));
        }
    }
}
