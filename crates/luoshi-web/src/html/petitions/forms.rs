//! The petition forms: registration (the petition office), actions on a case and decisions on
//! proposed repeats. A refused form answers with its page and the error naming the field; a
//! stale version answers 409; a form without its CSRF token 403.

use super::case::build;
use crate::api::petitions::action;
use crate::dto_petition::PetitionActionIn;
use crate::error::ApiError;
use crate::html::i18n::Tr;
use crate::html::pages::unit_names;
use crate::html::views::{Choice, Chrome};
use crate::html::{PageError, Session, render};
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use luoshi_app::AppError;
use luoshi_domain::authz::{Permission, allowed};
use luoshi_domain::calendar::parse_date;
use luoshi_domain::ids::PetitionId;
use luoshi_domain::petition::{Channel, PersonalData, PetitionFields, Petitioner};
use serde::Deserialize;
use uuid::Uuid;

#[derive(Deserialize, Default, Clone)]
pub struct RegisterForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    pub channel: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub id_number: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub petitioner_count: String,
    #[serde(default)]
    pub matter: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub registered_on: String,
}

#[derive(Template)]
#[template(path = "petition_new.html")]
pub struct NewPetitionPage {
    pub tr: Tr,
    pub chrome: Chrome,
    pub form: RegisterForm,
    pub channels: Vec<Choice>,
    pub error: Option<String>,
}

async fn new_page(
    s: &AppState,
    session: &Session,
    form: RegisterForm,
    error: Option<String>,
) -> Result<NewPetitionPage, PageError> {
    let tr = session.tr();
    let units = unit_names(&s.app, &session.user.actor(), tr).await?;
    let channels = Channel::ALL
        .iter()
        .map(|c| Choice {
            value: c.as_str().to_owned(),
            label: tr.t(&format!("pet.channel.{}", c.as_str())).to_owned(),
            selected: form.channel == c.as_str(),
        })
        .collect();
    Ok(NewPetitionPage {
        tr,
        chrome: Chrome::new(session, &units, "petitions"),
        form,
        channels,
        error,
    })
}

pub async fn new_form(State(s): State<AppState>, session: Session) -> Result<Response, PageError> {
    if !allowed(&session.user.actor(), Permission::ManagePetitions) {
        return Err(PageError::App(session.tr(), AppError::Forbidden));
    }
    let form = RegisterForm {
        registered_on: s.app.today().to_string(),
        ..RegisterForm::default()
    };
    Ok(render(&new_page(&s, &session, form, None).await?)?.into_response())
}

fn opt(s: &str) -> Option<String> {
    Some(s.trim().to_owned()).filter(|s| !s.is_empty())
}

fn fields(f: &RegisterForm, today: time::Date) -> Result<PetitionFields, AppError> {
    let count = match f.petitioner_count.trim() {
        "" => 1,
        n => n.parse().map_err(|_| {
            AppError::invalid("petitioner_count", "invalid", "a whole number of people")
        })?,
    };
    Ok(PetitionFields {
        channel: Channel::parse("channel", &f.channel)?,
        personal: PersonalData {
            petitioners: vec![Petitioner {
                name: f.name.clone(),
                id_number: opt(&f.id_number),
                phone: opt(&f.phone),
                address: f.address.clone(),
            }],
        },
        petitioner_count: count,
        matter: f.matter.clone(),
        category: f.category.clone(),
        registered_on: match f.registered_on.trim() {
            "" => today,
            d => parse_date("registered_on", d)?,
        },
    })
}

pub async fn create(
    State(s): State<AppState>,
    session: Session,
    Form(f): Form<RegisterForm>,
) -> Result<Response, PageError> {
    session.check_csrf(&f.csrf)?;
    let actor = session.user.actor();
    let result = match fields(&f, s.app.today()) {
        Ok(fields) => s.app.register_petition(&actor, fields).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(v) => Ok(Redirect::to(&format!("/petitions/{}", v.case.id)).into_response()),
        Err(e @ AppError::Forbidden) => Err(PageError::App(session.tr(), e)),
        Err(e) => {
            let api = ApiError::from(e);
            let page = new_page(&s, &session, f, Some(api.with_field())).await?;
            Ok((api.status, render(&page)?).into_response())
        }
    }
}

#[derive(Deserialize)]
pub struct ActForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    on: String,
    #[serde(default)]
    unit_id: String,
    #[serde(default)]
    person_id: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    days: String,
    #[serde(default)]
    notice_on: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    value: String,
}

fn uuid_field(field: &str, s: &str) -> Result<Option<Uuid>, ApiError> {
    match s.trim() {
        "" => Ok(None),
        x => x
            .parse()
            .map(Some)
            .map_err(|_| ApiError::bad(field, "choose an entry")),
    }
}

fn version(s: &str) -> Result<i64, ApiError> {
    s.trim()
        .parse()
        .map_err(|_| ApiError::bad("version", "the form lost its version"))
}

/// After a form: back to the case page, or the page with the error (its status from the error).
async fn answer(
    s: &AppState,
    session: &Session,
    id: PetitionId,
    result: Result<(), ApiError>,
) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/petitions/{id}")).into_response()),
        Err(e) if e.status.as_u16() == 403 || e.status.as_u16() == 404 => Err(PageError::App(
            session.tr(),
            if e.status.as_u16() == 403 {
                AppError::Forbidden
            } else {
                AppError::NotFound { entity: "petition" }
            },
        )),
        Err(api) => {
            let page = build(s, session, id, Some(api.with_field())).await?;
            Ok((api.status, render(&page)?).into_response())
        }
    }
}

pub async fn act(
    State(s): State<AppState>,
    session: Session,
    Path(id): Path<Uuid>,
    Form(f): Form<ActForm>,
) -> Result<Response, PageError> {
    session.check_csrf(&f.csrf)?;
    let id = PetitionId::from(id);
    let today = s.app.today();
    let parsed = (|| {
        let b = PetitionActionIn {
            action: f.action.clone(),
            on: opt(&f.on),
            version: Some(version(&f.version)?),
            unit_id: uuid_field("unit_id", &f.unit_id)?,
            person_id: uuid_field("person_id", &f.person_id)?,
            reason: opt(&f.reason),
            days: match f.days.trim() {
                "" => None,
                d => Some(
                    d.parse()
                        .map_err(|_| ApiError::bad("days", "a whole number of days"))?,
                ),
            },
            notice_on: opt(&f.notice_on),
            to: opt(&f.to),
            outcome: opt(&f.outcome),
            value: opt(&f.value),
        };
        let on = match b.on.as_deref() {
            Some(d) => parse_date("on", d)?,
            None => today,
        };
        Ok::<_, ApiError>((action(&b)?, on, b.version.unwrap_or_default()))
    })();
    let result = match parsed {
        Ok((a, on, v)) => s
            .app
            .petition_action(&session.user.actor(), id, a, on, v)
            .await
            .map(|_| ())
            .map_err(ApiError::from),
        Err(e) => Err(e),
    };
    answer(&s, &session, id, result).await
}

#[derive(Deserialize)]
pub struct RepeatForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    earlier_id: String,
    #[serde(default)]
    decision: String,
}

pub async fn repeat(
    State(s): State<AppState>,
    session: Session,
    Path(id): Path<Uuid>,
    Form(f): Form<RepeatForm>,
) -> Result<Response, PageError> {
    session.check_csrf(&f.csrf)?;
    let id = PetitionId::from(id);
    let parsed = (|| {
        let earlier = uuid_field("earlier_id", &f.earlier_id)?
            .ok_or_else(|| ApiError::bad("earlier_id", "choose a case"))?;
        Ok::<_, ApiError>((earlier, version(&f.version)?))
    })();
    let result = match parsed {
        Ok((earlier, v)) => s
            .app
            .decide_petition_repeat(
                &session.user.actor(),
                id,
                PetitionId::from(earlier),
                f.decision == "confirm",
                s.app.today(),
                v,
            )
            .await
            .map(|_| ())
            .map_err(ApiError::from),
        Err(e) => Err(e),
    };
    answer(&s, &session, id, result).await
}
