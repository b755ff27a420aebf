//! Backend-neutral arguments and row access.

use crate::StoreError;
use rust_decimal::Decimal;
use serde_json::Value;
use sqlx::Row;
use std::str::FromStr;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// A bound value. Decimals travel as canonical text.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Uuid(Option<Uuid>),
    Text(Option<String>),
    I64(i64),
    I32(i32),
    Date(Option<Date>),
    Ts(OffsetDateTime),
    Bool(bool),
    Json(Option<Value>),
    Bytes(Vec<u8>),
}

impl Arg {
    pub fn dec(d: Decimal) -> Self {
        Self::Text(Some(d.normalize().to_string()))
    }
    pub fn opt_dec(d: Option<Decimal>) -> Self {
        Self::Text(d.map(|d| d.normalize().to_string()))
    }
}

macro_rules! from_arg {
    ($($t:ty => |$v:ident| $e:expr),* $(,)?) => {$(
        impl From<$t> for Arg { fn from($v: $t) -> Self { $e } }
    )*};
}
from_arg! {
    Uuid => |v| Arg::Uuid(Some(v)),
    Option<Uuid> => |v| Arg::Uuid(v),
    String => |v| Arg::Text(Some(v)),
    Option<String> => |v| Arg::Text(v),
    &str => |v| Arg::Text(Some(v.to_owned())),
    i64 => |v| Arg::I64(v),
    i32 => |v| Arg::I32(v),
    Date => |v| Arg::Date(Some(v)),
    Option<Date> => |v| Arg::Date(v),
    OffsetDateTime => |v| Arg::Ts(v),
    bool => |v| Arg::Bool(v),
    Decimal => |v| Arg::dec(v),
    Option<Decimal> => |v| Arg::opt_dec(v),
}

macro_rules! id_args {
    ($($t:ident),*) => {$(
        impl From<luoshi_domain::ids::$t> for Arg { fn from(v: luoshi_domain::ids::$t) -> Self { Arg::Uuid(Some(v.as_uuid())) } }
        impl From<Option<luoshi_domain::ids::$t>> for Arg { fn from(v: Option<luoshi_domain::ids::$t>) -> Self { Arg::Uuid(v.map(|x| x.as_uuid())) } }
    )*};
}
id_args!(
    RegionId,
    UnitId,
    PersonId,
    UserId,
    PlanId,
    SectionId,
    IndicatorId,
    TaskId,
    ReportId,
    ValueId,
    NoticeId,
    ProjectId,
    ProjectIssueId,
    PetitionId
);

/// Build a `Vec<Arg>` from values of mixed types.
#[macro_export]
macro_rules! args {
    ($($x:expr),* $(,)?) => { vec![$($crate::Arg::from($x)),*] };
}

/// Read a column of the current row, on either backend.
pub trait Get {
    fn uuid_opt(&self, c: &str) -> Result<Option<Uuid>, StoreError>;
    fn text_opt(&self, c: &str) -> Result<Option<String>, StoreError>;
    fn i64(&self, c: &str) -> Result<i64, StoreError>;
    fn i32(&self, c: &str) -> Result<i32, StoreError>;
    fn i32_nullable(&self, c: &str) -> Result<Option<i32>, StoreError>;
    fn date_opt(&self, c: &str) -> Result<Option<Date>, StoreError>;
    fn ts(&self, c: &str) -> Result<OffsetDateTime, StoreError>;
    fn bool(&self, c: &str) -> Result<bool, StoreError>;
    fn json(&self, c: &str) -> Result<Option<Value>, StoreError>;
    fn bytes(&self, c: &str) -> Result<Vec<u8>, StoreError>;
}

impl dyn Get + '_ {
    pub fn uuid(&self, c: &str) -> Result<Uuid, StoreError> {
        self.uuid_opt(c)?
            .ok_or_else(|| StoreError::Corrupt(format!("{c} is null")))
    }
    pub fn id<T: From<Uuid>>(&self, c: &str) -> Result<T, StoreError> {
        self.uuid(c).map(T::from)
    }
    pub fn i32_opt(&self, c: &str) -> Result<Option<i32>, StoreError> {
        self.i32_nullable(c)
    }
    pub fn text(&self, c: &str) -> Result<String, StoreError> {
        Ok(self.text_opt(c)?.unwrap_or_default())
    }
    pub fn date(&self, c: &str) -> Result<Date, StoreError> {
        self.date_opt(c)?
            .ok_or_else(|| StoreError::Corrupt(format!("{c} is null")))
    }
    pub fn dec_opt(&self, c: &str) -> Result<Option<Decimal>, StoreError> {
        match self.text_opt(c)? {
            None => Ok(None),
            Some(s) => Decimal::from_str(&s)
                .map(Some)
                .map_err(|_| StoreError::Corrupt(format!("{c} is not a decimal: {s:?}"))),
        }
    }
    pub fn dec(&self, c: &str) -> Result<Decimal, StoreError> {
        self.dec_opt(c)?
            .ok_or_else(|| StoreError::Corrupt(format!("{c} is null")))
    }
}

macro_rules! impl_get {
    ($row:ty) => {
        impl Get for $row {
            fn uuid_opt(&self, c: &str) -> Result<Option<Uuid>, StoreError> {
                Ok(self.try_get(c)?)
            }
            fn text_opt(&self, c: &str) -> Result<Option<String>, StoreError> {
                Ok(self.try_get(c)?)
            }
            fn i64(&self, c: &str) -> Result<i64, StoreError> {
                Ok(self.try_get(c)?)
            }
            fn i32(&self, c: &str) -> Result<i32, StoreError> {
                Ok(self.try_get(c)?)
            }
            fn i32_nullable(&self, c: &str) -> Result<Option<i32>, StoreError> {
                Ok(self.try_get(c)?)
            }
            fn date_opt(&self, c: &str) -> Result<Option<Date>, StoreError> {
                Ok(self.try_get(c)?)
            }
            fn ts(&self, c: &str) -> Result<OffsetDateTime, StoreError> {
                Ok(self.try_get(c)?)
            }
            fn bool(&self, c: &str) -> Result<bool, StoreError> {
                Ok(self.try_get(c)?)
            }
            fn json(&self, c: &str) -> Result<Option<Value>, StoreError> {
                let v: Option<sqlx::types::Json<Value>> = self.try_get(c)?;
                Ok(v.map(|j| j.0))
            }
            fn bytes(&self, c: &str) -> Result<Vec<u8>, StoreError> {
                Ok(self.try_get(c)?)
            }
        }
    };
}
impl_get!(sqlx::sqlite::SqliteRow);
impl_get!(sqlx::postgres::PgRow);
