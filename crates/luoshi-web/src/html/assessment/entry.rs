//! `POST /assessment/units/{unit_id}/facts`: a leader's score for a manual (evaluation) item, the
//! office's bonus with its evidence (capped by the item), or the office's veto with its grounds
//! (it caps the unit's grade), entered from the unit's sheet.
//! A refused entry re-renders the sheet with the error naming the field.

use super::super::{PageError, Session, render};
use super::{as_of, fail, sheet_page};
use crate::state::AppState;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use luoshi_app::{AppError, FactInput, FactKind};
use luoshi_domain::ValidationError;
use luoshi_domain::calendar::parse_date;
use luoshi_domain::ids::UnitId;
use luoshi_domain::measure::parse_decimal;
use serde::Deserialize;
use uuid::Uuid;

#[derive(Deserialize)]
pub struct EntryForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    /// The sheet's date, to return to.
    #[serde(default)]
    as_of: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    item: String,
    #[serde(default)]
    points: String,
    /// The note (a score) or the evidence (a bonus).
    #[serde(default)]
    text: String,
    /// The date the entry concerns.
    #[serde(default)]
    on: String,
}

fn input(unit: UnitId, f: &EntryForm) -> Result<FactInput, AppError> {
    let kind = match f.kind.as_str() {
        "manual" => FactKind::Manual,
        "bonus" => FactKind::Bonus,
        "veto" => FactKind::Veto,
        _ => {
            return Err(AppError::Validation(ValidationError::new(
                "kind",
                "invalid",
                "only a score, a bonus or a veto can be entered here",
            )));
        }
    };
    // A veto carries no points: it caps the grade.
    let points = match kind {
        FactKind::Veto => None,
        _ => Some(parse_decimal("points", &f.points)?),
    };
    Ok(FactInput {
        kind,
        unit,
        item: f.item.clone(),
        points,
        text: f.text.clone(),
        on: parse_date("on", &f.on)?,
    })
}

pub async fn enter(
    State(s): State<AppState>,
    session: Session,
    Path(unit): Path<Uuid>,
    Form(f): Form<EntryForm>,
) -> Result<Response, PageError> {
    session.check_csrf(&f.csrf)?;
    let unit = UnitId::from(unit);
    let date = match as_of(&s, Some(&f.as_of)) {
        Ok(d) => d,
        Err(e) => return Ok(fail(&session, e)),
    };
    let actor = session.user.actor();
    let entered = match input(unit, &f) {
        Ok(i) => s.app.enter_assessment_fact(&actor, i).await,
        Err(e) => Err(e),
    };
    match entered {
        Ok(_) => Ok(Redirect::to(&format!(
            "/assessment/units/{unit}?as_of={date}#line-{}",
            f.item
        ))
        .into_response()),
        Err(e @ (AppError::Forbidden | AppError::NotFound { .. })) => Ok(fail(&session, e)),
        Err(e) => {
            let api = crate::error::ApiError::from(e);
            let status = api.status;
            match sheet_page(&s, &session, unit, date, Some(api.with_field())).await {
                Ok(p) => Ok((status, render(&p)?).into_response()),
                Err(e) => Ok(fail(&session, e)),
            }
        }
    }
}
