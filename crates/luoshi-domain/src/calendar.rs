//! Periods and day arithmetic. The clock is never read here: every function takes its dates.

use crate::error::ValidationError;
use time::{Date, Month};

/// A reporting period: a calendar month of a year. Cumulative indicator values cover
/// January to this month (1–m月).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Period {
    year: i32,
    month: u8,
}

impl Period {
    pub fn new(field: &str, year: i32, month: u8) -> Result<Self, ValidationError> {
        if !(1..=12).contains(&month) {
            return Err(ValidationError::new(
                field,
                "invalid_period",
                "month must be between 1 and 12",
            ));
        }
        if !(1900..=2999).contains(&year) {
            return Err(ValidationError::new(
                field,
                "invalid_period",
                "year is out of range",
            ));
        }
        Ok(Self { year, month })
    }

    /// Parse `YYYY-MM`.
    pub fn parse(field: &str, s: &str) -> Result<Self, ValidationError> {
        let bad = || {
            ValidationError::new(
                field,
                "invalid_period",
                format!("{field} must look like 2026-06, got {s:?}"),
            )
        };
        let (y, m) = s.trim().split_once('-').ok_or_else(bad)?;
        let year: i32 = y.parse().map_err(|_| bad())?;
        let month: u8 = m.parse().map_err(|_| bad())?;
        Self::new(field, year, month)
    }

    pub fn year(&self) -> i32 {
        self.year
    }

    pub fn month(&self) -> u8 {
        self.month
    }

    /// The same month one year earlier.
    pub fn previous_year(&self) -> Self {
        Self {
            year: self.year - 1,
            month: self.month,
        }
    }

    /// The last day of the period.
    pub fn last_day(&self) -> Date {
        month_end(self.year, self.month)
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

fn month_of(m: u8) -> Month {
    Month::try_from(m.clamp(1, 12)).unwrap_or(Month::January)
}

/// The last day of a month.
pub fn month_end(year: i32, month: u8) -> Date {
    let m = month_of(month);
    let days = m.length(year);
    Date::from_calendar_date(year, m, days).unwrap_or(Date::MIN)
}

/// The first day of a month.
pub fn month_start(year: i32, month: u8) -> Date {
    Date::from_calendar_date(year, month_of(month), 1).unwrap_or(Date::MIN)
}

/// Whole days from `a` to `b` (negative when `b` is before `a`).
pub fn days_between(a: Date, b: Date) -> i64 {
    (b - a).whole_days()
}

/// Parse an ISO date `YYYY-MM-DD`.
pub fn parse_date(field: &str, s: &str) -> Result<Date, ValidationError> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s.trim(), &fmt).map_err(|_| {
        ValidationError::new(
            field,
            "invalid_date",
            format!("{field} must be a date like 2026-06-30, got {s:?}"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn month_ends_include_leap_years() {
        assert_eq!(month_end(2024, 2), date!(2024 - 02 - 29));
        assert_eq!(month_end(2026, 2), date!(2026 - 02 - 28));
        assert_eq!(month_end(2026, 12), date!(2026 - 12 - 31));
        assert_eq!(month_start(2026, 6), date!(2026 - 06 - 01));
    }

    #[test]
    fn periods_parse_and_validate() {
        let p = Period::parse("period", "2026-06").unwrap();
        assert_eq!((p.year(), p.month()), (2026, 6));
        assert_eq!(p.to_string(), "2026-06");
        assert_eq!(p.previous_year().to_string(), "2025-06");
        assert_eq!(p.last_day(), date!(2026 - 06 - 30));
        for bad in ["2026-13", "2026-0", "2026", "June", "2026-06-01"] {
            assert_eq!(
                Period::parse("period", bad).unwrap_err().field,
                "period",
                "{bad}"
            );
        }
    }

    #[test]
    fn parses_dates() {
        assert_eq!(
            parse_date("deadline", "2026-06-30").unwrap(),
            date!(2026 - 06 - 30)
        );
        let e = parse_date("deadline", "2026-02-30").unwrap_err();
        assert_eq!((e.field.as_str(), e.code), ("deadline", "invalid_date"));
        assert_eq!(
            days_between(date!(2026 - 01 - 01), date!(2026 - 12 - 31)),
            364
        );
    }
}
