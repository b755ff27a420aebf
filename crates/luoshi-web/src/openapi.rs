//! The OpenAPI document, served at `/api/v1/openapi.json`.

use crate::api;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(title = "luoshi API", version = "1", description = "Plans, indicators, tasks and progress for a district's annual work plan. \
        Decimals are strings; dates are ISO (YYYY-MM-DD); periods are YYYY-MM. Errors are {\"error\":{\"code\",\"message\",\"field\"}}. \
        Writes to existing records need the `version` you read; a stale version gets 409."),
    paths(
        api::auth::login, api::auth::logout, api::auth::me, api::auth::update_me,
        api::admin::list_users, api::admin::create_user, api::admin::get_user, api::admin::update_user, api::admin::audit,
        api::org::list_units, api::org::create_unit, api::org::get_unit, api::org::update_unit,
        api::org::list_people, api::org::create_person, api::org::get_person, api::org::update_person,
        api::plans::list_plans, api::plans::create_plan, api::plans::get_plan, api::plans::update_plan, api::plans::summary,
        api::plans::list_sections, api::plans::create_section, api::plans::update_section,
        api::indicators::list, api::indicators::create, api::indicators::get_one, api::indicators::update,
        api::indicators::record_value, api::indicators::put_split,
        api::petitions::list, api::petitions::create, api::petitions::get_one, api::petitions::act,
        api::petitions::decide_repeat,
        api::projects::list, api::projects::create, api::projects::get_one, api::projects::update,
        api::projects::record_investment, api::projects::add_issue, api::projects::resolve_issue, api::projects::rollup,
        api::channels::get_contact, api::channels::put_contact, api::channels::list_robots,
        api::channels::add_robot, api::channels::update_robot, api::channels::deliveries,
        api::policy::get_policy, api::policy::put_policy,
        api::tasks::list, api::tasks::create, api::tasks::get_one, api::tasks::update, api::tasks::transition, api::tasks::progress,
    ),
    modifiers(&BearerAuth),
    security(("bearer" = []))
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}
