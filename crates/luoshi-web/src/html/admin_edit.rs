//! Administration forms: create and edit units, people (with their posts) and users (with their
//! roles). One generic form page serves all three; each kind says which fields it has, how to
//! fill them from a record and how to turn a submitted form into a use-case call. Edits carry the
//! record's version, so a stale form is refused (409) instead of overwriting someone else's change.

use super::i18n::Tr;
use super::pages::unit_names;
use super::views::Chrome;
use super::{PageError, Session, render};
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use luoshi_app::Actor;
use luoshi_app::{AppError, NewUser, UserChanges};
use luoshi_domain::authz::{self, Grant, Permission, Role};
use luoshi_domain::ids::{PersonId, UnitId, UserId};
use luoshi_domain::org::{PersonFields, UnitFields};
use std::collections::HashMap;
use uuid::Uuid;

/// How many role rows a user form offers (a user rarely holds more than two grants).
const GRANT_ROWS: usize = 3;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Units,
    People,
    Users,
}

impl Kind {
    fn parse(s: &str, tr: Tr) -> Result<Kind, PageError> {
        match s {
            "units" => Ok(Kind::Units),
            "people" => Ok(Kind::People),
            "users" => Ok(Kind::Users),
            _ => Err(PageError::App(tr, AppError::NotFound { entity: "page" })),
        }
    }
    /// Whether the actor may open this kind's forms at all (each save is checked again by
    /// its use case, which also checks the particular record).
    fn may_open(self, actor: &Actor) -> bool {
        match self {
            Kind::Units => authz::allowed(actor, Permission::ManageUnits),
            Kind::Users => authz::allowed(actor, Permission::ManageUsers),
            Kind::People => {
                authz::allowed(actor, Permission::ManagePeople { unit: None })
                    || actor.grants.iter().any(|g| {
                        g.unit.is_some()
                            && authz::allowed(actor, Permission::ManagePeople { unit: g.unit })
                    })
            }
        }
    }

    fn path(self) -> &'static str {
        match self {
            Kind::Units => "units",
            Kind::People => "people",
            Kind::Users => "users",
        }
    }
}

/// One input of the form, already labelled and filled.
pub struct Field {
    pub name: String,
    pub label: String,
    /// `text`, `password`, `tel`, `select` or `checkbox`.
    pub input: &'static str,
    pub value: String,
    pub options: Vec<(String, String)>,
    pub required: bool,
}

impl Field {
    fn text(tr: Tr, name: &str, value: &str, required: bool) -> Field {
        Field {
            name: name.to_owned(),
            label: tr.t(&format!("field.{name}")).to_owned(),
            input: "text",
            value: value.to_owned(),
            options: vec![],
            required,
        }
    }
    fn input(mut self, input: &'static str) -> Field {
        self.input = input;
        self
    }
    fn select(mut self, options: Vec<(String, String)>) -> Field {
        self.input = "select";
        self.options = options;
        self
    }
}

#[derive(Template)]
#[template(path = "admin_edit.html")]
pub struct EditPage {
    pub tr: Tr,
    pub chrome: Chrome,
    pub heading: String,
    pub action: String,
    pub version: i64,
    pub fields: Vec<Field>,
    pub error: Option<String>,
}

type Values = HashMap<String, String>;

fn get<'a>(v: &'a Values, k: &str) -> &'a str {
    v.get(k).map_or("", |s| s.as_str())
}

fn unit_options(names: &HashMap<String, String>, tr: Tr) -> Vec<(String, String)> {
    let mut units: Vec<(String, String)> =
        names.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    units.sort_by(|a, b| a.1.cmp(&b.1));
    units.insert(0, (String::new(), tr.t("field.none").to_owned()));
    units
}

/// The form's fields for a kind, filled from `v` (a record's values or what was submitted).
fn fields(
    kind: Kind,
    tr: Tr,
    v: &Values,
    names: &HashMap<String, String>,
    new: bool,
) -> Vec<Field> {
    match kind {
        Kind::Units => vec![
            Field::text(tr, "code", get(v, "code"), true),
            Field::text(tr, "name", get(v, "name"), true),
            Field::text(tr, "kind", get(v, "kind"), true).select(
                ["township", "street", "department"]
                    .iter()
                    .map(|k| ((*k).to_owned(), tr.t(&format!("kind.{k}")).to_owned()))
                    .collect(),
            ),
            Field::text(tr, "category", get(v, "category"), false),
        ],
        Kind::People => vec![
            Field {
                label: tr.t("field.person_name").to_owned(),
                ..Field::text(tr, "name", get(v, "name"), true)
            },
            Field::text(tr, "post", get(v, "post"), false),
            Field::text(tr, "unit_id", get(v, "unit_id"), false).select(unit_options(names, tr)),
            Field::text(tr, "phone", get(v, "phone"), false).input("tel"),
        ],
        Kind::Users => {
            let mut out = vec![];
            if new {
                out.push(Field::text(tr, "username", get(v, "username"), true));
            }
            out.push(Field::text(
                tr,
                "display_name",
                get(v, "display_name"),
                true,
            ));
            out.push(Field::text(tr, "password", "", new).input("password"));
            out.push(
                Field::text(tr, "language", get(v, "language"), true).select(vec![
                    ("zh-Hans".into(), "简体中文".into()),
                    ("en".into(), "English".into()),
                ]),
            );
            let mut roles = vec![(String::new(), tr.t("field.none").to_owned())];
            roles.extend(Role::ALL.iter().map(|r| {
                (
                    r.as_str().to_owned(),
                    tr.t(&format!("role.{}", r.as_str())).to_owned(),
                )
            }));
            for i in 0..GRANT_ROWS {
                let mut role = Field::text(tr, "role", get(v, &format!("role{i}")), i == 0)
                    .select(roles.clone());
                role.name = format!("role{i}");
                let mut unit = Field::text(tr, "unit_id", get(v, &format!("unit{i}")), false)
                    .select(unit_options(names, tr));
                unit.name = format!("unit{i}");
                out.push(role);
                out.push(unit);
            }
            if !new {
                let mut active = Field::text(tr, "active", get(v, "active"), false);
                active.input = "checkbox";
                out.push(active);
            }
            out
        }
    }
}

fn parse_unit(field: &str, s: &str) -> Result<Option<UnitId>, AppError> {
    if s.trim().is_empty() {
        return Ok(None);
    }
    s.trim()
        .parse::<UnitId>()
        .map(Some)
        .map_err(|_| AppError::invalid(field, "invalid", "unknown unit"))
}

fn grants(v: &Values) -> Result<Vec<Grant>, AppError> {
    let mut out = vec![];
    for i in 0..GRANT_ROWS {
        let role = get(v, &format!("role{i}"));
        if role.is_empty() {
            continue;
        }
        let field = format!("grants[{i}].role");
        let role = Role::parse(role)
            .ok_or_else(|| AppError::invalid(&field, "invalid", "unknown role"))?;
        out.push(Grant {
            role,
            unit: parse_unit(&format!("grants[{i}].unit_id"), get(v, &format!("unit{i}")))?,
        });
    }
    if out.is_empty() {
        return Err(AppError::invalid(
            "grants[0].role",
            "required",
            "a user needs a role",
        ));
    }
    Ok(out)
}

/// A record's current values, in the form's field names.
async fn load(
    s: &AppState,
    session: &Session,
    kind: Kind,
    id: Uuid,
) -> Result<(Values, i64), AppError> {
    let actor = session.user.actor();
    let mut v = Values::new();
    let mut put = |k: &str, x: String| {
        v.insert(k.to_owned(), x);
    };
    let version = match kind {
        Kind::Units => {
            let (u, ver) = s.app.get_unit(&actor, UnitId::from(id)).await?;
            put("code", u.code.as_str().to_owned());
            put("name", u.name);
            put("kind", u.kind.as_str().to_owned());
            put("category", u.category);
            ver
        }
        Kind::People => {
            let (p, ver) = s.app.get_person(&actor, PersonId::from(id)).await?;
            put("name", p.name);
            put("post", p.post);
            put("unit_id", p.unit.map(|u| u.to_string()).unwrap_or_default());
            put("phone", p.phone);
            ver
        }
        Kind::Users => {
            let (u, ver) = s.app.get_user(&actor, UserId::from(id)).await?;
            put("display_name", u.display_name);
            put("language", u.language);
            for (i, g) in u.grants.iter().take(GRANT_ROWS).enumerate() {
                put(&format!("role{i}"), g.role.as_str().to_owned());
                put(
                    &format!("unit{i}"),
                    g.unit.map(|x| x.to_string()).unwrap_or_default(),
                );
            }
            if u.active {
                put("active", "on".to_owned());
            }
            ver
        }
    };
    Ok((v, version))
}

/// Call the use case for a submitted form; `id` and `version` are set for an edit.
async fn save(
    s: &AppState,
    session: &Session,
    kind: Kind,
    edit: Option<(Uuid, i64)>,
    v: &Values,
) -> Result<(), AppError> {
    let actor = session.user.actor();
    match kind {
        Kind::Units => {
            let category = Some(get(v, "category")).filter(|c| !c.trim().is_empty());
            let f = UnitFields::parse(get(v, "code"), get(v, "name"), get(v, "kind"), category)?;
            match edit {
                Some((id, ver)) => s
                    .app
                    .update_unit(&actor, UnitId::from(id), f, ver)
                    .await
                    .map(drop),
                None => s.app.create_unit(&actor, f).await.map(drop),
            }
        }
        Kind::People => {
            let unit = parse_unit("unit_id", get(v, "unit_id"))?;
            let f = PersonFields::parse(get(v, "name"), get(v, "post"), unit, get(v, "phone"))?;
            match edit {
                Some((id, ver)) => s
                    .app
                    .update_person(&actor, PersonId::from(id), f, ver)
                    .await
                    .map(drop),
                None => s.app.create_person(&actor, f).await.map(drop),
            }
        }
        Kind::Users => {
            let grants = grants(v)?;
            let language = get(v, "language").to_owned();
            match edit {
                Some((id, ver)) => {
                    let password = get(v, "password");
                    let changes = UserChanges {
                        display_name: Some(get(v, "display_name").to_owned()),
                        password: (!password.is_empty()).then(|| password.to_owned()),
                        language: Some(language),
                        active: Some(!get(v, "active").is_empty()),
                        grants: Some(grants),
                    };
                    s.app
                        .update_user(&actor, UserId::from(id), changes, ver)
                        .await
                        .map(drop)
                }
                None => {
                    let new = NewUser {
                        username: get(v, "username").to_owned(),
                        display_name: get(v, "display_name").to_owned(),
                        password: get(v, "password").to_owned(),
                        language,
                        grants,
                    };
                    s.app.create_user(&actor, new).await.map(drop)
                }
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn page(
    s: &AppState,
    session: &Session,
    kind: Kind,
    id: Option<Uuid>,
    values: &Values,
    version: i64,
    error: Option<String>,
) -> Result<EditPage, PageError> {
    let tr = session.tr();
    let names = unit_names(&s.app, &session.user.actor(), tr).await?;
    let what = tr.t(&format!("admin.{}", kind.path()));
    let heading = match id {
        Some(_) => format!("{} · {what}", tr.t("admin.edit")),
        None => format!("{} · {what}", tr.t("admin.new")),
    };
    let action = match id {
        Some(id) => format!("/admin/{}/{id}", kind.path()),
        None => format!("/admin/{}", kind.path()),
    };
    Ok(EditPage {
        tr,
        chrome: Chrome::new(session, &names, "admin"),
        heading,
        action,
        version,
        fields: fields(kind, tr, values, &names, id.is_none()),
        error,
    })
}

pub async fn new_form(
    State(s): State<AppState>,
    session: Session,
    Path(kind): Path<String>,
) -> Result<Response, PageError> {
    let tr = session.tr();
    let kind = Kind::parse(&kind, tr)?;
    if !kind.may_open(&session.user.actor()) {
        return Err(PageError::App(tr, AppError::Forbidden));
    }
    let mut v = Values::new();
    if kind == Kind::Users {
        v.insert("language".into(), "zh-Hans".into());
    }
    Ok(render(&page(&s, &session, kind, None, &v, 0, None).await?)?.into_response())
}

pub async fn edit_form(
    State(s): State<AppState>,
    session: Session,
    Path((kind, id)): Path<(String, Uuid)>,
) -> Result<Response, PageError> {
    let tr = session.tr();
    let kind = Kind::parse(&kind, tr)?;
    if !kind.may_open(&session.user.actor()) {
        return Err(PageError::App(tr, AppError::Forbidden));
    }
    let (v, version) = load(&s, &session, kind, id)
        .await
        .map_err(|e| PageError::App(tr, e))?;
    Ok(render(&page(&s, &session, kind, Some(id), &v, version, None).await?)?.into_response())
}

async fn submit(
    s: AppState,
    session: Session,
    kind: &str,
    id: Option<Uuid>,
    v: Values,
) -> Result<Response, PageError> {
    session.check_csrf(get(&v, "_csrf"))?;
    let tr = session.tr();
    let kind = Kind::parse(kind, tr)?;
    let version = get(&v, "_version").parse::<i64>().unwrap_or(0);
    match save(&s, &session, kind, id.map(|i| (i, version)), &v).await {
        Ok(()) => Ok(Redirect::to(&format!("/admin#{}", kind.path())).into_response()),
        Err(e @ (AppError::Forbidden | AppError::NotFound { .. })) => Err(PageError::App(tr, e)),
        Err(e) => {
            let api = crate::error::ApiError::from(e);
            let status: StatusCode = api.status;
            let view = page(&s, &session, kind, id, &v, version, Some(api.with_field())).await?;
            Ok((status, render(&view)?).into_response())
        }
    }
}

pub async fn create(
    State(s): State<AppState>,
    session: Session,
    Path(kind): Path<String>,
    Form(v): Form<Values>,
) -> Result<Response, PageError> {
    submit(s, session, &kind, None, v).await
}

pub async fn update(
    State(s): State<AppState>,
    session: Session,
    Path((kind, id)): Path<(String, Uuid)>,
    Form(v): Form<Values>,
) -> Result<Response, PageError> {
    submit(s, session, &kind, Some(id), v).await
}
