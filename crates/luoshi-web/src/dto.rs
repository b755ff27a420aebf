//! JSON shapes of the API and their conversion to and from domain types. Decimals travel as
//! strings (`"49.4"`) so no precision is lost; numbers are accepted on input too. Dates are ISO
//! strings (`"2026-06-30"`), periods `"2026-06"`.

use crate::error::ApiError;
use luoshi_domain::calendar::parse_date;
use luoshi_domain::measure::{Decimal, parse_decimal};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;
use time::Date;
use utoipa::ToSchema;
use uuid::Uuid;

/// A decimal given as a string or a JSON number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dec(pub Decimal);

impl Serialize for Dec {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&dec(self.0))
    }
}

impl<'de> Deserialize<'de> for Dec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Dec;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a decimal number, as a string like \"49.4\" or a number")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Dec, E> {
                parse_decimal("", s)
                    .map(Dec)
                    .map_err(|_| E::custom(format!("not a decimal number: {s:?}")))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Dec, E> {
                Ok(Dec(Decimal::from(v)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Dec, E> {
                Ok(Dec(Decimal::from(v)))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Dec, E> {
                // The shortest representation that round-trips, e.g. 49.4 → "49.4".
                self.visit_str(&format!("{v}"))
            }
        }
        d.deserialize_any(V)
    }
}

pub fn dec(d: Decimal) -> String {
    d.normalize().to_string()
}

pub fn opt_dec(d: Option<Decimal>) -> Option<String> {
    d.map(dec)
}

pub fn date_in(field: &str, s: &str) -> Result<Date, ApiError> {
    Ok(parse_date(field, s)?)
}

pub fn opt_date_in(field: &str, s: &Option<String>) -> Result<Option<Date>, ApiError> {
    s.as_deref()
        .filter(|s| !s.trim().is_empty())
        .map(|s| date_in(field, s))
        .transpose()
}

pub fn ids<T: From<Uuid>>(v: &[Uuid]) -> Vec<T> {
    v.iter().map(|u| T::from(*u)).collect()
}

/// `{"items": [...]}`
#[derive(Serialize, ToSchema)]
pub struct Items<T: ToSchema> {
    pub items: Vec<T>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginIn {
    pub username: String,
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct LoginOut {
    /// Bearer token for `Authorization: Bearer …` (valid 30 days).
    pub token: String,
    pub user: UserOut,
}

#[derive(Serialize, ToSchema)]
pub struct GrantDto {
    pub role: String,
    pub unit_id: Option<Uuid>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GrantIn {
    /// admin, leader, supervisor, unit_manager, reporter or viewer
    pub role: String,
    pub unit_id: Option<Uuid>,
}

#[derive(Serialize, ToSchema)]
pub struct UserOut {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub language: String,
    pub active: bool,
    pub grants: Vec<GrantDto>,
    pub version: i64,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserIn {
    pub username: String,
    pub display_name: String,
    pub password: String,
    #[serde(default = "default_language")]
    pub language: String,
    pub grants: Vec<GrantIn>,
}

fn default_language() -> String {
    "zh-Hans".into()
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    pub version: i64,
    pub display_name: Option<String>,
    pub password: Option<String>,
    pub language: Option<String>,
    pub active: Option<bool>,
    pub grants: Option<Vec<GrantIn>>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct UnitOut {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    /// township, street or department
    pub kind: String,
    pub category: String,
    pub version: i64,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitIn {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub category: Option<String>,
    /// Required on update: the version you read.
    pub version: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct PersonOut {
    pub id: Uuid,
    pub name: String,
    pub post: String,
    pub unit_id: Option<Uuid>,
    /// Empty unless you may read the unit's contacts.
    pub phone: String,
    pub version: i64,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonIn {
    pub name: String,
    #[serde(default)]
    pub post: String,
    pub unit_id: Option<Uuid>,
    #[serde(default)]
    pub phone: String,
    pub version: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct PlanOut {
    pub id: Uuid,
    pub year: i32,
    pub title: String,
    pub source: String,
    pub version: i64,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanIn {
    pub year: i32,
    pub title: String,
    #[serde(default)]
    pub source: String,
    pub version: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct SectionOut {
    pub id: Uuid,
    pub plan_id: Uuid,
    pub parent_id: Option<Uuid>,
    pub number: String,
    pub title: String,
    pub position: i32,
    pub version: i64,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SectionIn {
    pub parent_id: Option<Uuid>,
    #[serde(default)]
    pub number: String,
    pub title: String,
    #[serde(default)]
    pub position: i32,
    pub version: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditOutList {
    pub items: Vec<crate::dto_work::AuditOut>,
}
