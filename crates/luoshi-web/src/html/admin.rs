//! Administration: units, people and their posts, users and their roles, and the audit log
//! (filterable). Lists are read here; the forms that change records are in `admin_edit`.

use super::i18n::Tr;
use super::pages::unit_names;
use super::views::Chrome;
use super::{PageError, Session, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use luoshi_app::{AppError, AuditFilter, Page};
use luoshi_domain::authz::{self, Permission};
use serde::Deserialize;

pub struct AuditRow {
    pub at: String,
    pub who: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub change: String,
}

#[derive(Template)]
#[template(path = "admin.html")]
pub struct AdminPage {
    pub tr: Tr,
    pub chrome: Chrome,
    pub units: Vec<(String, String, String, String, String)>,
    pub people: Vec<(String, String, String, String)>,
    pub users: Vec<(String, String, String, String, bool)>,
    pub audit: Vec<AuditRow>,
    pub can_audit: bool,
    pub can_users: bool,
    pub can_units: bool,
    /// May add and edit people (administrators; unit managers for their own unit).
    pub can_people: bool,
    /// A unit manager's view: only their unit's people.
    pub manager_only: bool,
    pub entity: String,
    pub action: String,
    pub page: i64,
    pub next: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct AdminQuery {
    entity: Option<String>,
    action: Option<String>,
    page: Option<i64>,
}

/// A short before → after summary of the fields that changed.
fn change(before: &Option<serde_json::Value>, after: &Option<serde_json::Value>) -> String {
    let (Some(b), Some(a)) = (
        before.as_ref().and_then(|v| v.as_object()),
        after.as_ref().and_then(|v| v.as_object()),
    ) else {
        // A creation: name the record rather than dumping it.
        let obj = after.as_ref().and_then(|v| v.as_object());
        let label = ["title", "name", "username", "summary", "period"]
            .iter()
            .find_map(|k| obj.and_then(|o| o.get(*k)).and_then(|v| v.as_str()));
        return match label {
            Some(l) => l.to_owned(),
            None => after
                .as_ref()
                .map(|v| v.to_string().chars().take(160).collect())
                .unwrap_or_default(),
        };
    };
    a.iter()
        .filter(|(k, v)| b.get(*k) != Some(*v))
        .map(|(k, v)| {
            format!(
                "{k}: {} → {v}",
                b.get(k).map_or_else(|| "—".to_owned(), |x| x.to_string())
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The units whose people the actor keeps as a unit manager.
pub(super) fn people_units(actor: &luoshi_domain::authz::Actor) -> Vec<luoshi_domain::ids::UnitId> {
    actor
        .grants
        .iter()
        .filter_map(|g| g.unit)
        .filter(|u| authz::allowed(actor, Permission::ManagePeople { unit: Some(*u) }))
        .collect()
}

pub async fn show(
    State(s): State<AppState>,
    session: Session,
    Query(q): Query<AdminQuery>,
) -> Result<Response, PageError> {
    let tr = session.tr();
    let actor = session.user.actor();
    let app_err = |e| PageError::App(tr, e);
    let can_audit = authz::allowed(&actor, Permission::ReadAudit);
    let can_users = authz::allowed(&actor, Permission::ManageUsers);
    // A unit manager keeps the roster of their own unit(s) here: only those people are shown.
    let own_units = people_units(&actor);
    let manager_only = !can_audit && !can_users;
    if manager_only && own_units.is_empty() {
        return Err(PageError::App(tr, AppError::Forbidden));
    }
    let names = unit_names(&s.app, &actor, tr).await?;
    let units = s.app.list_units(&actor).await.map_err(app_err)?;
    let mut people = s.app.list_people(&actor, None).await.map_err(app_err)?;
    if manager_only {
        people.retain(|(p, _)| p.unit.is_some_and(|u| own_units.contains(&u)));
    }
    let users = if can_users {
        s.app.list_users(&actor).await.map_err(app_err)?
    } else {
        vec![]
    };
    let page = q.page.unwrap_or(1).max(1);
    let per_page = 50;
    let filter = AuditFilter {
        entity: q.entity.clone().filter(|x| !x.is_empty()),
        action: q.action.clone().filter(|x| !x.is_empty()),
        ..Default::default()
    };
    let audit = if can_audit {
        s.app
            .audit_log(
                &actor,
                &filter,
                Page {
                    limit: per_page + 1,
                    offset: (page - 1) * per_page,
                },
            )
            .await
            .map_err(app_err)?
    } else {
        vec![]
    };
    let more = audit.len() as i64 > per_page;
    let role = |g: &luoshi_domain::authz::Grant| {
        let unit = g
            .unit
            .and_then(|u| names.get(&u.to_string()).cloned())
            .map(|n| format!(" ({n})"))
            .unwrap_or_default();
        format!("{}{unit}", tr.t(&format!("role.{}", g.role.as_str())))
    };
    let view = AdminPage {
        tr,
        chrome: Chrome::new(&session, &names, "admin"),
        units: units
            .iter()
            .map(|(u, _)| {
                (
                    u.id.to_string(),
                    u.code.as_str().to_owned(),
                    u.name.clone(),
                    tr.t(&format!("kind.{}", u.kind.as_str())).to_owned(),
                    u.category.clone(),
                )
            })
            .collect(),
        people: people
            .iter()
            .map(|(p, _)| {
                (
                    p.id.to_string(),
                    p.name.clone(),
                    p.post.clone(),
                    p.unit
                        .and_then(|u| names.get(&u.to_string()).cloned())
                        .unwrap_or_default(),
                )
            })
            .collect(),
        users: users
            .iter()
            .map(|(u, _)| {
                (
                    u.id.to_string(),
                    u.username.clone(),
                    u.display_name.clone(),
                    u.grants.iter().map(role).collect::<Vec<_>>().join("、"),
                    u.active,
                )
            })
            .collect(),
        audit: audit
            .iter()
            .take(per_page as usize)
            .map(|e| AuditRow {
                at: super::task_page::local_time(e.at),
                who: e.actor_name.clone().unwrap_or_else(|| "system".into()),
                action: e.action.clone(),
                entity: e.entity.clone(),
                entity_id: e.entity_id.chars().take(8).collect(),
                change: change(&e.before, &e.after),
            })
            .collect(),
        can_audit,
        can_users,
        can_units: authz::allowed(&actor, Permission::ManageUnits),
        can_people: authz::allowed(&actor, Permission::ManageUnits) || !own_units.is_empty(),
        manager_only,
        entity: q.entity.clone().unwrap_or_default(),
        action: q.action.clone().unwrap_or_default(),
        page,
        next: more.then(|| {
            format!(
                "/admin?entity={}&action={}&page={}",
                q.entity.clone().unwrap_or_default(),
                q.action.clone().unwrap_or_default(),
                page + 1
            )
        }),
    };
    Ok(render(&view)?.into_response())
}

#[cfg(test)]
mod tests {
    use super::change;
    use serde_json::json;

    #[test]
    fn changes_show_only_what_moved() {
        let b = Some(json!({"name": "中滩镇", "kind": "township"}));
        let a = Some(json!({"name": "中滩镇人民政府", "kind": "township"}));
        assert_eq!(change(&b, &a), "name: \"中滩镇\" → \"中滩镇人民政府\"");
        assert_eq!(change(&None, &Some(json!({"x": 1}))), "{\"x\":1}");
        assert_eq!(
            change(
                &None,
                &Some(json!({"deadline": "2026-12-31", "title": "修路"}))
            ),
            "修路"
        );
    }
}
