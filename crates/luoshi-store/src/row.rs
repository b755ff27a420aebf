//! Backend-neutral arguments and row access.

use crate::StoreError;
use rust_decimal::Decimal;
use serde_json::Value;
use sqlx::Row;
use std::str::FromStr;
use time::format_description::well_known::Rfc3339;
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

/// Append `values` to the arguments `a` and return their `$n` marks, comma-separated (for
/// `IN (…)` lists; keep them under `db::MAX_PARAMS`).
pub(crate) fn placeholders(values: Vec<Arg>, a: &mut Vec<Arg>) -> String {
    let mut s = String::new();
    for v in values {
        a.push(v);
        if !s.is_empty() {
            s.push_str(", ");
        }
        s.push_str(&format!("${}", a.len()));
    }
    s
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

fn digits(s: &[u8]) -> Option<u32> {
    s.iter().try_fold(0u32, |n, b| {
        b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
    })
}

/// A `YYYY-MM-DD` date, parsed by hand: bulk reads parse hundreds of thousands of them, and the
/// general parser costs several times more.
pub(crate) fn parse_ymd(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = i32::try_from(digits(&b[..4])?).ok()?;
    let month = time::Month::try_from(u8::try_from(digits(&b[5..7])?).ok()?).ok()?;
    let day = u8::try_from(digits(&b[8..10])?).ok()?;
    Date::from_calendar_date(year, month, day).ok()
}

/// A timestamp stored as RFC 3339 text: `YYYY-MM-DDTHH:MM:SS[.fraction]Z` (what the app writes)
/// by hand, anything else (an offset, a space for the `T`) by the general parser.
pub(crate) fn parse_ts(s: &str) -> Option<OffsetDateTime> {
    fast_utc_ts(s).or_else(|| {
        OffsetDateTime::parse(s, &Rfc3339)
            .or_else(|_| OffsetDateTime::parse(&s.replacen(' ', "T", 1), &Rfc3339))
            .ok()
    })
}

fn fast_utc_ts(s: &str) -> Option<OffsetDateTime> {
    let b = s.as_bytes();
    if b.len() < 20 || b[10] != b'T' || b[13] != b':' || b[16] != b':' || *b.last()? != b'Z' {
        return None;
    }
    let date = parse_ymd(s.get(..10)?)?;
    let (h, m, sec) = (
        digits(&b[11..13])?,
        digits(&b[14..16])?,
        digits(&b[17..19])?,
    );
    let frac = &b[19..b.len() - 1];
    let nanos = match frac {
        [] => 0,
        [b'.', rest @ ..] if (1..=9).contains(&rest.len()) => {
            digits(rest)? * 10u32.pow(9 - rest.len() as u32)
        }
        _ => return None,
    };
    let time = time::Time::from_hms_nano(
        u8::try_from(h).ok()?,
        u8::try_from(m).ok()?,
        u8::try_from(sec).ok()?,
        nanos,
    )
    .ok()?;
    Some(date.with_time(time).assume_utc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn hand_parsers_agree_with_the_general_ones() {
        assert_eq!(parse_ymd("2026-02-28"), Some(date!(2026 - 02 - 28)));
        for bad in [
            "2026-02-30",
            "2026-13-01",
            "2026-2-01",
            "2026/02/01",
            "２０２６-02-01",
            "",
        ] {
            assert_eq!(parse_ymd(bad), None, "{bad}");
        }
        let cases = [
            ("2026-04-01T07:00:00Z", datetime!(2026-04-01 07:00 UTC)),
            (
                "2026-04-01T07:00:00.5Z",
                datetime!(2026-04-01 07:00:00.5 UTC),
            ),
            (
                "2026-04-01T07:00:00.123456789Z",
                datetime!(2026-04-01 07:00:00.123456789 UTC),
            ),
            (
                "2026-04-01T07:00:00+08:00",
                datetime!(2026-04-01 07:00 +08:00),
            ),
            (
                "2026-04-01 07:00:00+08:00",
                datetime!(2026-04-01 07:00 +08:00),
            ),
        ];
        for (s, want) in cases {
            assert_eq!(parse_ts(s), Some(want), "{s}");
            assert_eq!(parse_ts(s).map(|t| t.offset()), Some(want.offset()), "{s}");
        }
        for bad in [
            "2026-04-01T25:00:00Z",
            "2026-04-01T07:00:00.Z",
            "2026-04-01",
            "x",
        ] {
            assert_eq!(parse_ts(bad), None, "{bad}");
        }
    }
}
