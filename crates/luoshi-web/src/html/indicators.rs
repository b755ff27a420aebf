//! Indicator pages: the plan's indicators, one indicator's figures (every revision), its split
//! to units, a form for units to enter monthly figures, and confirmation by the office.

use super::fmt::{lamp, num, pct, pp};
use super::pages::unit_names;
use super::views::{Choice, Chrome};
use super::{PageError, Session, render};
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use luoshi_app::{AppError, ValueInput};
use luoshi_domain::authz::{self, Permission};
use luoshi_domain::calendar::Period;
use luoshi_domain::ids::{IndicatorId, UnitId};
use luoshi_domain::indicator::DataStatus;
use luoshi_domain::measure::parse_decimal;
use serde::Deserialize;
use uuid::Uuid;

pub struct IndicatorRow {
    pub id: String,
    pub name: String,
    pub target: String,
    pub latest: String,
    pub attainment: String,
    pub expected: String,
    pub gap: String,
    pub lamp: super::fmt::LampView,
    pub status: String,
}

#[derive(Template)]
#[template(path = "indicators.html")]
pub struct IndicatorsPage {
    pub tr: super::i18n::Tr,
    pub chrome: Chrome,
    pub rows: Vec<IndicatorRow>,
}

pub struct ValueRow {
    pub period: String,
    pub scope: String,
    pub revision: i32,
    pub value: String,
    pub growth: String,
    pub status: &'static str,
    pub source: String,
    pub recorded: String,
    /// A region-wide figure the office may confirm as final: (period, value, growth).
    pub confirm: Option<(String, String, String)>,
}

pub struct SplitRow {
    pub unit: String,
    pub target: String,
}

#[derive(Template)]
#[template(path = "indicator.html")]
pub struct IndicatorPage {
    pub tr: super::i18n::Tr,
    pub chrome: Chrome,
    pub id: String,
    pub row: IndicatorRow,
    pub unit: String,
    pub values: Vec<ValueRow>,
    pub splits: Vec<SplitRow>,
    pub shortfall: Option<String>,
    pub scopes: Vec<Choice>,
    pub error: Option<String>,
}

fn status_label(tr: super::i18n::Tr, s: DataStatus) -> &'static str {
    tr.t(&format!("data.{}", s.as_str()))
}

fn row(v: &luoshi_app::IndicatorView, tr: super::i18n::Tr) -> IndicatorRow {
    let f = &v.indicator.fields;
    let e = v.evaluation.as_ref();
    let unit = f.unit.as_str();
    IndicatorRow {
        id: v.indicator.id.to_string(),
        name: f.name.clone(),
        target: match (f.target_value, f.target_growth_pct) {
            (Some(t), Some(g)) => format!("{} {unit}, +{}%", num(t, 2), num(g, 2)),
            (Some(t), None) => format!("{} {unit}", num(t, 2)),
            (None, Some(g)) => format!("+{}%", num(g, 2)),
            (None, None) => tr.t("dash.unknown").to_owned(),
        },
        latest: e.map_or_else(
            || "—".to_owned(),
            |e| format!("{} {unit} ({})", num(e.value, 2), e.period),
        ),
        attainment: pct(e.and_then(|e| e.attainment_pct)),
        expected: pct(e.and_then(|e| e.expected_pct)),
        gap: pp(e.and_then(|e| e.gap_pp), tr),
        lamp: lamp(e.and_then(|e| e.lamp), tr),
        status: v
            .latest_status
            .map_or_else(String::new, |s| status_label(tr, s).to_owned()),
    }
}

pub async fn list(State(s): State<AppState>, session: Session) -> Result<Response, PageError> {
    let tr = session.tr();
    let actor = session.user.actor();
    let units = unit_names(&s.app, &actor, tr).await?;
    let plans = s
        .app
        .list_plans(&actor)
        .await
        .map_err(|e| PageError::App(tr, e))?;
    let rows = match plans.first() {
        Some((p, _)) => s
            .app
            .list_indicators(&actor, p.id)
            .await
            .map_err(|e| PageError::App(tr, e))?
            .iter()
            .map(|v| row(v, tr))
            .collect(),
        None => vec![],
    };
    Ok(render(&IndicatorsPage {
        tr,
        chrome: Chrome::new(&session, &units, "indicators"),
        rows,
    })?
    .into_response())
}

async fn build(
    s: &AppState,
    session: &Session,
    id: IndicatorId,
    error: Option<String>,
) -> Result<IndicatorPage, PageError> {
    let tr = session.tr();
    let actor = session.user.actor();
    let app_err = |e| PageError::App(tr, e);
    let units = unit_names(&s.app, &actor, tr).await?;
    let (view, values, splits, check) = s.app.get_indicator(&actor, id).await.map_err(app_err)?;
    let region_name = tr.t("ind.region");
    let can_confirm = authz::allowed(&actor, Permission::EnterIndicatorValue { unit: None });
    let latest_rev: std::collections::HashMap<(Option<UnitId>, Period), i32> =
        values.iter().fold(Default::default(), |mut m, v| {
            let e = m.entry((v.value.unit, v.value.period)).or_insert(0);
            *e = (*e).max(v.value.revision);
            m
        });
    let mut scopes = Vec::new();
    if can_confirm {
        scopes.push(Choice {
            value: String::new(),
            label: region_name.to_owned(),
            selected: true,
        });
    }
    for (uid, name) in &units {
        if let Ok(u) = uid.parse::<UnitId>()
            && authz::allowed(&actor, Permission::EnterIndicatorValue { unit: Some(u) })
            && (!can_confirm || splits.iter().any(|x| x.unit == u))
        {
            scopes.push(Choice {
                value: uid.clone(),
                label: name.clone(),
                selected: scopes.is_empty(),
            });
        }
    }
    scopes.sort_by(|a, b| (!a.value.is_empty(), &a.label).cmp(&(!b.value.is_empty(), &b.label)));
    let unit_label = view.indicator.fields.unit.as_str().to_owned();
    Ok(IndicatorPage {
        tr,
        chrome: Chrome::new(session, &units, "indicators"),
        id: id.to_string(),
        row: row(&view, tr),
        unit: unit_label,
        values: values
            .iter()
            .rev()
            .map(|v| {
                let is_latest =
                    latest_rev.get(&(v.value.unit, v.value.period)) == Some(&v.value.revision);
                ValueRow {
                    period: v.value.period.to_string(),
                    scope: v.value.unit.map_or_else(
                        || region_name.to_owned(),
                        |u| units.get(&u.to_string()).cloned().unwrap_or_default(),
                    ),
                    revision: v.value.revision,
                    value: num(v.value.value, 4),
                    growth: v
                        .value
                        .growth_pct
                        .map_or_else(|| "—".to_owned(), |g| format!("{}%", num(g, 2))),
                    status: status_label(tr, v.value.status),
                    source: v.value.source.clone(),
                    recorded: super::task_page::local_time(v.recorded_at),
                    confirm: (can_confirm
                        && is_latest
                        && v.value.unit.is_none()
                        && v.value.status != DataStatus::Final)
                        .then(|| {
                            (
                                v.value.period.to_string(),
                                v.value.value.to_string(),
                                v.value
                                    .growth_pct
                                    .map(|g| g.to_string())
                                    .unwrap_or_default(),
                            )
                        }),
                }
            })
            .collect(),
        splits: splits
            .iter()
            .map(|x| SplitRow {
                unit: units.get(&x.unit.to_string()).cloned().unwrap_or_default(),
                target: num(x.target_value, 4),
            })
            .collect(),
        shortfall: check.and_then(|c| c.shortfall).map(|d| num(d, 4)),
        scopes,
        error,
    })
}

pub async fn show(
    State(s): State<AppState>,
    session: Session,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    Ok(render(&build(&s, &session, IndicatorId::from(id), None).await?)?.into_response())
}

#[derive(Deserialize)]
pub struct ValueForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    unit_id: String,
    period: String,
    value: String,
    #[serde(default)]
    growth_pct: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    source: String,
}

fn input(f: &ValueForm) -> Result<ValueInput, AppError> {
    Ok(ValueInput {
        unit: if f.unit_id.is_empty() {
            None
        } else {
            Some(
                f.unit_id
                    .parse::<UnitId>()
                    .map_err(|_| AppError::invalid("unit_id", "invalid", "unknown unit"))?,
            )
        },
        period: Period::parse("period", &f.period)?,
        value: parse_decimal("value", &f.value)?,
        growth_pct: if f.growth_pct.trim().is_empty() {
            None
        } else {
            Some(parse_decimal("growth_pct", &f.growth_pct)?)
        },
        status: DataStatus::parse(
            "status",
            if f.status.is_empty() {
                "flash"
            } else {
                &f.status
            },
        )?,
        source: f.source.clone(),
    })
}

/// Record a figure (also used to confirm one: the same value again, as a final revision).
pub async fn record(
    State(s): State<AppState>,
    session: Session,
    Path(id): Path<Uuid>,
    Form(f): Form<ValueForm>,
) -> Result<Response, PageError> {
    session.check_csrf(&f.csrf)?;
    let id = IndicatorId::from(id);
    let result = match input(&f) {
        Ok(i) => s
            .app
            .record_value(&session.user.actor(), id, i)
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/indicators/{id}")).into_response()),
        Err(AppError::Forbidden) => Err(PageError::App(session.tr(), AppError::Forbidden)),
        Err(e) => {
            let api = crate::error::ApiError::from(e);
            let msg = api.with_field();
            Ok((
                api.status,
                render(&build(&s, &session, id, Some(msg)).await?)?,
            )
                .into_response())
        }
    }
}
