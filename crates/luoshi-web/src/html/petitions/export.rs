//! The petition register as XLSX. The personal-data columns are filled per row, only for the
//! rows whose personal data the exporter may read, and each such row is logged as a read with
//! the route `export`; without the right for any row the columns are left out altogether.

use super::{ListQuery, PetitionRow, row};
use crate::html::i18n::Tr;
use crate::html::pages::unit_names;
use crate::html::{PageError, Session};
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// The route written to the read log for exported rows.
pub const EXPORT_ROUTE: &str = "export";

fn workbook(rows: &[PetitionRow], tr: Tr) -> Result<Vec<u8>, XlsxError> {
    let personal = rows.iter().any(|r| r.petitioners.is_some());
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(tr.t("pet.title.list"))?;
    let bold = Format::new().set_bold();
    let mut heads = vec![
        "pet.registered",
        "pet.channel",
        "pet.category",
        "pet.matter",
        "pet.status",
        "pet.unit",
        "tasks.lamp",
        "pet.urgent",
    ];
    if personal {
        heads.extend(["pet.name", "pet.id_number", "pet.phone", "pet.address"]);
    }
    for (c, h) in heads.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, tr.t(h), &bold)?;
    }
    for (i, r) in rows.iter().enumerate() {
        let n = (i + 1) as u32;
        let mut cells = vec![
            r.registered.clone(),
            r.channel.to_owned(),
            r.category.clone(),
            r.matter.clone(),
            r.status.to_owned(),
            r.unit.clone(),
            format!("{} {}", r.lamp.symbol, r.lamp.label),
            r.urgent.clone(),
        ];
        if personal {
            let join = |f: &dyn Fn(&super::PetitionerView) -> String| {
                r.petitioners.as_ref().map_or_else(String::new, |ps| {
                    ps.iter().map(f).collect::<Vec<_>>().join("；")
                })
            };
            cells.push(join(&|p| p.name.clone()));
            cells.push(join(&|p| p.id_number.clone()));
            cells.push(join(&|p| p.phone.clone()));
            cells.push(join(&|p| p.address.clone()));
        }
        for (c, v) in cells.iter().enumerate() {
            sheet.write_string(n, c as u16, v)?;
        }
    }
    book.save_to_buffer()
}

pub async fn register_xlsx(
    State(s): State<AppState>,
    session: Session,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let tr = session.tr();
    let actor = session.user.actor();
    let units = unit_names(&s.app, &actor, tr).await?;
    let views = s
        .app
        .list_petitions_shown(&actor, &q.filter(), |v| q.keep(v), EXPORT_ROUTE)
        .await
        .map_err(|e| PageError::App(tr, e))?;
    let rows: Vec<PetitionRow> = views.iter().map(|v| row(v, &units, &s, tr)).collect();
    let bytes = workbook(&rows, tr).map_err(|e| {
        tracing::error!(error = %e, "xlsx export failed");
        PageError::Render
    })?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"petitions.xlsx\"",
            ),
        ],
        bytes,
    )
        .into_response())
}
