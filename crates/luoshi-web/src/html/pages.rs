//! Dashboard, task list and "my work".

use super::fmt::{self, lamp, num, opt_num, pct, pp};
use super::i18n::Tr;
use super::views::*;
use super::{PageError, Session, render};
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use luoshi_app::{Actor, App, Snapshot, TaskQuery, TaskSort};
use luoshi_domain::ids::{PersonId, PlanId, SectionId, UnitId};
use luoshi_domain::lamp::Lamp;
use luoshi_domain::task::TaskStatus;
use serde::Deserialize;
use serde_json::json;
use std::collections::HashMap;
use std::sync::Arc;

/// The actor's region as of now (one query for its data version; the rest from memory).
pub(super) async fn snapshot(app: &App, actor: &Actor, tr: Tr) -> Result<Arc<Snapshot>, PageError> {
    app.snapshot(actor).await.map_err(|e| PageError::App(tr, e))
}

/// Unit id → name, for labels.
pub(super) fn names_of(snap: &Snapshot) -> &HashMap<String, String> {
    &snap.unit_labels
}

/// Unit id → name, for labels.
pub(super) async fn unit_names(
    app: &App,
    actor: &Actor,
    tr: Tr,
) -> Result<HashMap<String, String>, PageError> {
    let snap = snapshot(app, actor, tr).await?;
    Ok(names_of(&snap).clone())
}

/// The plan a list asks for, or the newest.
fn requested_plan(snap: &Snapshot, asked: &Option<String>) -> Option<PlanId> {
    parse_id::<PlanId>(asked).or_else(|| snap.plans.first().map(|(p, _)| p.id))
}

fn f64_of(d: luoshi_domain::measure::Decimal) -> f64 {
    // Charts only: the model itself never leaves Decimal.
    d.to_string().parse().unwrap_or(0.0)
}

fn heat_class(count: u32, lamp: Lamp) -> &'static str {
    match (count, lamp) {
        (0, _) => "heat-0",
        (_, Lamp::Red) => "heat-red",
        (_, Lamp::Yellow) => "heat-yellow",
        (_, Lamp::Blue) => "heat-blue",
        (_, Lamp::Green) => "heat-green",
    }
}

fn heat_row(name: String, base: String, counts: &luoshi_app::Counts) -> HeatRow {
    let cells = [Lamp::Red, Lamp::Yellow, Lamp::Blue, Lamp::Green]
        .into_iter()
        .map(|l| {
            let count = counts.by_lamp.get(l.as_str()).copied().unwrap_or(0);
            HeatCell {
                count,
                class: heat_class(count, l),
                href: format!("{base}&lamp={}", l.as_str()),
            }
        })
        .collect();
    HeatRow {
        name,
        href: base,
        cells,
        total: counts.total,
        overdue: counts.overdue,
    }
}

pub async fn dashboard(State(s): State<AppState>, session: Session) -> Result<Response, PageError> {
    let tr = session.tr();
    let actor = session.user.actor();
    let snap = snapshot(&s.app, &actor, tr).await?;
    let units = names_of(&snap);
    let chrome = Chrome::new(&session, units, "dashboard");
    let lamp_heads = [Lamp::Red, Lamp::Yellow, Lamp::Blue, Lamp::Green]
        .into_iter()
        .map(|l| lamp(Some(l), tr))
        .collect();
    let Some(plan) = requested_plan(&snap, &None) else {
        let page = DashboardPage {
            tr,
            heads: SortHeads::default(),
            chrome,
            plan_title: tr.t("dash.no_plan").into(),
            as_of: String::new(),
            urgent: vec![],
            cards: vec![],
            lamp_heads,
            unit_rows: vec![],
            section_rows: vec![],
        };
        return Ok(render(&page)?.into_response());
    };
    let app_err = |e| PageError::App(tr, e);
    let summary = s
        .app
        .plan_summary_in(&actor, &snap, plan)
        .await
        .map_err(app_err)?;
    let series = s
        .app
        .indicator_series_in(&actor, &snap, plan)
        .await
        .map_err(app_err)?;
    let mut cards = Vec::new();
    for v in &summary.indicators {
        let f = &v.indicator.fields;
        let unit = f.unit.as_str();
        let target = match (f.target_value, f.target_growth_pct) {
            (Some(t), Some(g)) => format!("{} {unit}, +{}%", num(t, 2), num(g, 2)),
            (Some(t), None) => format!("{} {unit}", num(t, 2)),
            (None, Some(g)) => format!("{} ({}), +{}%", tr.t("dash.unknown"), unit, num(g, 2)),
            (None, None) => tr.t("dash.unknown").to_owned(),
        };
        let e = v.evaluation.as_ref();
        let sr = series.iter().find(|x| x.indicator == v.indicator.id);
        let actual: Vec<f64> = sr
            .map(|x| x.actual.iter().map(|(_, d)| f64_of(*d)).collect())
            .unwrap_or_default();
        let chart = sr.map(|x| {
            let months: Vec<String> = (1..=12).map(|m| format!("{m}")).collect();
            let at = |pts: &Vec<(u8, luoshi_domain::measure::Decimal)>| -> Vec<serde_json::Value> {
                (1..=12u8)
                    .map(|m| {
                        pts.iter()
                            .find(|(pm, _)| *pm == m)
                            .map_or(serde_json::Value::Null, |(_, d)| json!(f64_of(*d)))
                    })
                    .collect()
            };
            json!({"labels": months, "unit": unit, "series": [
                {"name": tr.t("dash.chart_actual"), "data": at(&x.actual)},
                {"name": tr.t("dash.chart_expected"), "data": at(&x.expected), "dashed": true},
            ]})
            .to_string()
        });
        cards.push(Card {
            name: f.name.clone(),
            target,
            latest: e.map_or_else(
                || "—".to_owned(),
                |e| format!("{} {unit}", opt_num(Some(e.value), 2, tr)),
            ),
            period: e.map_or_else(String::new, |e| e.period.to_string()),
            attainment: pct(e.and_then(|e| e.attainment_pct)),
            expected: pct(e.and_then(|e| e.expected_pct)),
            gap: pp(e.and_then(|e| e.gap_pp), tr),
            growth: e
                .and_then(|e| e.growth_pct)
                .map_or_else(|| "—".to_owned(), |g| format!("{}%", num(g, 2))),
            lamp: lamp(e.and_then(|e| e.lamp), tr),
            spark: json!({"data": actual}).to_string(),
            chart: chart.unwrap_or_default(),
        });
    }
    let unit_rows = summary
        .by_unit
        .iter()
        .map(|r| {
            heat_row(
                r.name.clone(),
                format!("/tasks?plan_id={plan}&unit_id={}", r.key),
                &r.counts,
            )
        })
        .collect();
    let section_rows = summary
        .by_section
        .iter()
        .map(|r| {
            let name = if r.name.is_empty() {
                "—".to_owned()
            } else {
                r.name.clone()
            };
            let base = match r.key {
                Some(k) => format!("/tasks?plan_id={plan}&section_id={k}"),
                None => format!("/tasks?plan_id={plan}"),
            };
            heat_row(name, base, &r.counts)
        })
        .collect();
    let page = DashboardPage {
        tr,
        heads: SortHeads::default(),
        chrome,
        plan_title: summary.plan.title.clone(),
        as_of: summary.as_of.to_string(),
        urgent: summary
            .urgent
            .iter()
            .map(|v| TaskRow::new(v, units, tr))
            .collect(),
        cards,
        lamp_heads,
        unit_rows,
        section_rows,
    };
    Ok(render(&page)?.into_response())
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    plan_id: Option<String>,
    unit_id: Option<String>,
    section_id: Option<String>,
    status: Option<String>,
    lamp: Option<String>,
    lead_official_id: Option<String>,
    deadline_from: Option<String>,
    deadline_to: Option<String>,
    overdue: Option<String>,
    sort: Option<String>,
    page: Option<i64>,
}

fn parse_id<T: std::str::FromStr>(s: &Option<String>) -> Option<T> {
    s.as_deref()
        .filter(|x| !x.is_empty())
        .and_then(|x| x.parse().ok())
}

fn choices(all: Vec<(String, String)>, selected: &Option<String>, tr: Tr) -> Vec<Choice> {
    let sel = selected.clone().unwrap_or_default();
    let mut out = vec![Choice {
        value: String::new(),
        label: tr.t("tasks.all").into(),
        selected: sel.is_empty(),
    }];
    out.extend(all.into_iter().map(|(value, label)| Choice {
        selected: value == sel,
        value,
        label,
    }));
    out
}

const PER_PAGE: i64 = 50;

/// The task query a list page (or its export) asks for.
fn task_query(q: &ListQuery, plan: Option<PlanId>, page: i64) -> TaskQuery {
    let date = |field: &str, v: &Option<String>| {
        v.as_deref()
            .and_then(|d| luoshi_domain::calendar::parse_date(field, d).ok())
    };
    TaskQuery {
        plan,
        lead_unit: parse_id::<UnitId>(&q.unit_id),
        section: parse_id::<SectionId>(&q.section_id),
        statuses: q
            .status
            .as_deref()
            .and_then(TaskStatus::parse)
            .into_iter()
            .collect(),
        lamps: q
            .lamp
            .as_deref()
            .and_then(Lamp::parse)
            .into_iter()
            .collect(),
        overdue: q.overdue.as_deref() == Some("1"),
        deadline_from: date("deadline_from", &q.deadline_from),
        deadline_to: date("deadline_to", &q.deadline_to),
        lead_official: parse_id::<PersonId>(&q.lead_official_id),
        sort: match q.sort.as_deref() {
            Some("title") => TaskSort::Title,
            Some("progress") => TaskSort::Progress,
            Some("progress_desc") => TaskSort::ProgressDesc,
            Some("deadline_desc") => TaskSort::DeadlineDesc,
            _ => TaskSort::Deadline,
        },
        limit: PER_PAGE,
        offset: (page - 1) * PER_PAGE,
    }
}

/// The filtered task list as an XLSX workbook (all matching tasks, not just one page).
pub async fn tasks_xlsx(
    State(s): State<AppState>,
    session: Session,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let tr = session.tr();
    let actor = session.user.actor();
    let app_err = |e| PageError::App(tr, e);
    let snap = snapshot(&s.app, &actor, tr).await?;
    let units = names_of(&snap);
    let plan = requested_plan(&snap, &q.plan_id);
    let tasks = s
        .app
        .export_tasks(&actor, &task_query(&q, plan, 1))
        .await
        .map_err(app_err)?;
    let people = snap.people_for(&actor);
    let names: HashMap<String, String> = people
        .into_iter()
        .map(|(p, _)| (p.id.to_string(), format!("{} {}", p.name, p.post)))
        .collect();
    let bytes = super::export::tasks_workbook(&tasks, units, &names, tr).map_err(|e| {
        tracing::error!(error = %e, "xlsx export failed");
        PageError::Render
    })?;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (axum::http::header::CONTENT_DISPOSITION, "attachment; filename=\"tasks.xlsx\"; filename*=UTF-8''%E4%BB%BB%E5%8A%A1%E6%B8%85%E5%8D%95.xlsx"),
        ],
        bytes,
    )
        .into_response())
}

pub async fn tasks(
    State(s): State<AppState>,
    session: Session,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let tr = session.tr();
    let actor = session.user.actor();
    let app_err = |e| PageError::App(tr, e);
    let snap = snapshot(&s.app, &actor, tr).await?;
    let units = names_of(&snap);
    let plan = requested_plan(&snap, &q.plan_id);
    let page = q.page.unwrap_or(1).max(1);
    let query = task_query(&q, plan, page);
    let sort = query.sort;
    let listing = s
        .app
        .list_tasks_in(&actor, &snap, &query)
        .await
        .map_err(app_err)?;
    let sections = match plan {
        Some(p) => s.app.sections_in(&actor, &snap, p).await.map_err(app_err)?,
        None => Arc::default(),
    };
    let mut unit_list: Vec<(String, String)> =
        units.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    unit_list.sort_by(|a, b| a.1.cmp(&b.1));
    let keep = |skip: &str| -> String {
        let pairs = [
            ("plan_id", plan.map(|p| p.to_string())),
            ("unit_id", q.unit_id.clone()),
            ("section_id", q.section_id.clone()),
            ("status", q.status.clone()),
            ("lamp", q.lamp.clone()),
            ("lead_official_id", q.lead_official_id.clone()),
            ("deadline_from", q.deadline_from.clone()),
            ("deadline_to", q.deadline_to.clone()),
            ("overdue", q.overdue.clone()),
            ("sort", q.sort.clone()),
        ];
        pairs
            .iter()
            .filter(|(k, v)| *k != skip && v.as_deref().is_some_and(|v| !v.is_empty()))
            .map(|(k, v)| format!("{k}={}", v.as_deref().unwrap_or("")))
            .collect::<Vec<_>>()
            .join("&")
    };
    let base = keep("page");
    let heads = SortHeads::new(
        &base
            .split('&')
            .filter(|p| !p.starts_with("sort="))
            .collect::<Vec<_>>()
            .join("&"),
        sort,
    );
    let export = format!("/tasks.xlsx?{base}");
    let page_href = |p: i64| format!("/tasks?{base}&page={p}");
    let view = TasksPage {
        tr,
        heads,
        plan_id: plan.map(|p| p.to_string()).unwrap_or_default(),
        chrome: Chrome::new(&session, units, "tasks"),
        units: choices(unit_list, &q.unit_id, tr),
        sections: choices(
            sections
                .iter()
                .map(|(x, _)| {
                    (
                        x.id.to_string(),
                        format!("{} {}", x.number, x.title).trim().to_owned(),
                    )
                })
                .collect(),
            &q.section_id,
            tr,
        ),
        statuses: choices(
            TaskStatus::ALL
                .iter()
                .map(|x| {
                    (
                        x.as_str().to_owned(),
                        tr.t(&format!("status.{}", x.as_str())).to_owned(),
                    )
                })
                .collect(),
            &q.status,
            tr,
        ),
        lamps: choices(
            [Lamp::Red, Lamp::Yellow, Lamp::Blue, Lamp::Green]
                .iter()
                .map(|l| {
                    (
                        l.as_str().to_owned(),
                        fmt::lamp(Some(*l), tr).label.to_owned(),
                    )
                })
                .collect(),
            &q.lamp,
            tr,
        ),
        officials: choices(
            snap.officials
                .iter()
                .map(|(id, label)| (id.to_string(), label.clone()))
                .collect(),
            &q.lead_official_id,
            tr,
        ),
        sorts: vec![
            Choice {
                value: "deadline".into(),
                label: tr.t("tasks.sort_deadline").into(),
                selected: sort == TaskSort::Deadline,
            },
            Choice {
                value: "title".into(),
                label: tr.t("tasks.sort_title").into(),
                selected: sort == TaskSort::Title,
            },
            Choice {
                value: "progress".into(),
                label: tr.t("tasks.sort_progress").into(),
                selected: sort == TaskSort::Progress,
            },
            Choice {
                value: "deadline_desc".into(),
                label: tr.t("tasks.sort_deadline_desc").into(),
                selected: sort == TaskSort::DeadlineDesc,
            },
            Choice {
                value: "progress_desc".into(),
                label: tr.t("tasks.sort_progress_desc").into(),
                selected: sort == TaskSort::ProgressDesc,
            },
        ],
        deadline_from: q.deadline_from.clone().unwrap_or_default(),
        deadline_to: q.deadline_to.clone().unwrap_or_default(),
        overdue: query.overdue,
        rows: listing
            .items
            .iter()
            .map(|v| TaskRow::new(v, units, tr))
            .collect(),
        total: listing.total,
        page,
        export,
        prev: (page > 1).then(|| page_href(page - 1)),
        next: (page * PER_PAGE < listing.total).then(|| page_href(page + 1)),
    };
    Ok(render(&view)?.into_response())
}

pub async fn my(State(s): State<AppState>, session: Session) -> Result<Response, PageError> {
    let tr = session.tr();
    let actor = session.user.actor();
    let units = unit_names(&s.app, &actor, tr).await?;
    let work = s
        .app
        .my_work(&actor)
        .await
        .map_err(|e| PageError::App(tr, e))?;
    let rows =
        |v: &Vec<luoshi_app::TaskView>| v.iter().map(|t| TaskRow::new(t, &units, tr)).collect();
    let page = MyPage {
        tr,
        heads: SortHeads::default(),
        chrome: Chrome::new(&session, &units, "my"),
        to_acknowledge: rows(&work.to_acknowledge),
        reports_due: rows(&work.reports_due),
        returned: rows(&work.returned),
    };
    Ok(render(&page)?.into_response())
}
