//! Working days and month arithmetic for the statutory clocks. Pure: the holidays and make-up
//! working days (调休) of each year are data given by the caller (the State Council publishes them
//! every December), never looked up here.

use crate::error::ValidationError;
use std::collections::BTreeSet;
use time::{Date, Month, Weekday};

/// Which days are working days: Monday to Friday, except listed public holidays, plus listed
/// make-up working days that fall on a weekend.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WorkCalendar {
    holidays: BTreeSet<Date>,
    makeup_days: BTreeSet<Date>,
}

impl WorkCalendar {
    /// Weekends off and nothing else.
    pub fn weekends_only() -> Self {
        Self::default()
    }

    /// A calendar with public holidays and make-up working days. A make-up day must be a
    /// Saturday or Sunday and cannot also be a holiday; errors name `makeup_days[i]`.
    pub fn new(holidays: &[Date], makeup_days: &[Date]) -> Result<Self, ValidationError> {
        let holidays: BTreeSet<Date> = holidays.iter().copied().collect();
        for (i, d) in makeup_days.iter().enumerate() {
            let field = format!("makeup_days[{i}]");
            if !is_weekend(*d) {
                return Err(ValidationError::new(
                    field,
                    "not_weekend",
                    format!("{d} is a weekday; a make-up working day falls on a weekend"),
                ));
            }
            if holidays.contains(d) {
                return Err(ValidationError::new(
                    field,
                    "conflict",
                    format!("{d} is listed both as a holiday and as a make-up working day"),
                ));
            }
        }
        Ok(Self {
            holidays,
            makeup_days: makeup_days.iter().copied().collect(),
        })
    }

    pub fn is_working_day(&self, d: Date) -> bool {
        if self.makeup_days.contains(&d) {
            return true;
        }
        !is_weekend(d) && !self.holidays.contains(&d)
    }

    /// The `n`-th working day after `start` (`start` itself is not counted, as the law counts
    /// periods from the next day). With `n` = 0, `start`.
    pub fn add_working_days(&self, start: Date, n: u32) -> Date {
        let mut d = start;
        let mut left = n;
        while left > 0 {
            let Some(next) = d.next_day() else { return d };
            d = next;
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        d
    }

    /// `d` itself when it is a working day, else the next working day.
    pub fn next_working_day(&self, d: Date) -> Date {
        let mut d = d;
        while !self.is_working_day(d) {
            let Some(next) = d.next_day() else { return d };
            d = next;
        }
        d
    }

    /// Working days after `a` up to and including `b` (negative when `b` is before `a`).
    pub fn working_days_between(&self, a: Date, b: Date) -> i64 {
        let (lo, hi, sign) = if a <= b { (a, b, 1) } else { (b, a, -1) };
        let mut d = lo;
        let mut count = 0;
        while d < hi {
            let Some(next) = d.next_day() else { break };
            d = next;
            if self.is_working_day(d) {
                count += 1;
            }
        }
        sign * count
    }
}

fn is_weekend(d: Date) -> bool {
    matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
}

/// `n` calendar months after `d`, keeping the day of the month where it exists and otherwise
/// taking the last day of the target month: 31 January + 3 months is 30 April; 30 November 2027
/// + 3 months is 29 February 2028 (a leap year) and 28 February in other years; 29 February 2028
/// + 12 months is 28 February 2029. Saturates at the last representable date.
pub fn add_months(d: Date, n: u32) -> Date {
    let index = i64::from(d.year()) * 12 + i64::from(u8::from(d.month())) - 1 + i64::from(n);
    let (Ok(year), Ok(month)) = (
        i32::try_from(index.div_euclid(12)),
        u8::try_from(index.rem_euclid(12) + 1),
    ) else {
        return Date::MAX;
    };
    let Ok(month) = Month::try_from(month) else {
        return Date::MAX;
    };
    let day = d.day().min(month.length(year));
    Date::from_calendar_date(year, month, day).unwrap_or(Date::MAX)
}
