//! The supervision policy of a region: every threshold of reminders, reporting, cards, escalation
//! and quiet hours. The store versions it per region; here it is a plain value with the domain
//! notes' defaults and a validation that names the field at fault.

use crate::calendar::{Period, month_end};
use crate::error::{ValidationError, required_text};
use crate::lamp::LampPolicy;
use crate::measure::Decimal;
use time::{Date, Duration, PrimitiveDateTime, Time};

/// Who an escalation goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EscalationTarget {
    /// The task's lead official (分管领导).
    LeadOfficial,
    /// The region's principal leader (主要领导).
    PrincipalLeader,
}

impl EscalationTarget {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::LeadOfficial => "lead_official",
            Self::PrincipalLeader => "principal_leader",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::LeadOfficial, Self::PrincipalLeader]
            .into_iter()
            .find(|t| t.as_str() == s)
    }
}

/// Card rules (红黄牌), applied at each monthly checkpoint (a month's last day).
///
/// A *red streak* counts consecutive checkpoints (ending at the current one) with a red lamp, a
/// *yellow streak* those with a yellow lamp; any other lamp, or a month without a checkpoint,
/// ends a streak. A red card is issued when the red streak is a positive multiple of
/// `red_streak`, a yellow card when the yellow streak is a positive multiple of `yellow_streak`
/// (so a long streak earns a card every `N` months). A checkpoint has one lamp, so at most one
/// card. Escalation after long red streaks is separate ([`EscalationRule`]).
#[derive(Debug, Clone, PartialEq)]
pub struct CardRules {
    /// Consecutive yellow checkpoints that earn a yellow card (default 2).
    pub yellow_streak: u32,
    /// What a yellow card costs in the assessment (default −1).
    pub yellow_points: Decimal,
    /// Consecutive red checkpoints that earn a red card (default 2).
    pub red_streak: u32,
    /// What a red card costs in the assessment (default −2).
    pub red_points: Decimal,
}

impl Default for CardRules {
    fn default() -> Self {
        Self {
            yellow_streak: 2,
            yellow_points: Decimal::from(-1),
            red_streak: 2,
            red_points: Decimal::from(-2),
        }
    }
}

/// Escalate when the red streak reaches exactly `red_streak` checkpoints (once per streak).
#[derive(Debug, Clone, PartialEq)]
pub struct EscalationRule {
    pub red_streak: u32,
    /// 1 for the first escalation, rising with each further rule.
    pub level: u8,
    pub target: EscalationTarget,
    /// Whether a summons talk (约谈) with the unit's head is ordered.
    pub summons: bool,
}

/// Hours in which no message is delivered, in the region's local time. `start_hour` ≤ hour <
/// `end_hour`; the window wraps midnight when `start_hour` > `end_hour` (22 → 7 by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuietHours {
    pub start_hour: u8,
    pub end_hour: u8,
}

/// The supervision policy. Every number is policy *(domain notes)*; the defaults follow them.
#[derive(Debug, Clone, PartialEq)]
pub struct SupervisionPolicy {
    /// Reminder marks in days before a deadline (default 7, 3 and 1). On the deadline day itself
    /// the smallest mark applies.
    pub reminder_offsets_days: Vec<i64>,
    /// After the deadline, a reminder on day 1 and then every this many days (default 3).
    pub overdue_interval_days: i64,
    /// Monthly progress reports are due by this day of the month (default the 25th); in a month
    /// shorter than that, by its last day.
    pub reporting_day: u8,
    /// An indicator's value for month m is due by the reporting day of month m + this lag
    /// (default 1: statistics for September are due by 25 October).
    pub indicator_report_lag_months: u8,
    pub cards: CardRules,
    /// Escalation rules, in rising order of streak and level (default: 3 consecutive red
    /// checkpoints → level 1, to the lead official, with a summons talk).
    pub escalations: Vec<EscalationRule>,
    /// `None`: deliver at any hour.
    pub quiet_hours: Option<QuietHours>,
    /// The word before the year in a notice's number (default 督办, giving 督办〔2026〕12号).
    pub notice_prefix: String,
    /// The region's lamp thresholds (亮灯), which every page, bulletin and sweep of the region
    /// applies.
    pub lamps: LampPolicy,
}

impl Default for SupervisionPolicy {
    fn default() -> Self {
        Self {
            reminder_offsets_days: vec![7, 3, 1],
            overdue_interval_days: 3,
            reporting_day: 25,
            indicator_report_lag_months: 1,
            cards: CardRules::default(),
            escalations: vec![EscalationRule {
                red_streak: 3,
                level: 1,
                target: EscalationTarget::LeadOfficial,
                summons: true,
            }],
            quiet_hours: Some(QuietHours {
                start_hour: 22,
                end_hour: 7,
            }),
            notice_prefix: "督办".into(),
            lamps: LampPolicy::default(),
        }
    }
}

fn out_of_range(field: impl Into<String>, message: &str) -> ValidationError {
    ValidationError::new(field, "out_of_range", message)
}

impl SupervisionPolicy {
    /// Check every field; the error names the first field at fault.
    pub fn validate(&self) -> Result<(), ValidationError> {
        for (i, d) in self.reminder_offsets_days.iter().enumerate() {
            let field = format!("reminder_offsets_days[{i}]");
            if !(0..=366).contains(d) {
                return Err(out_of_range(field, "a reminder offset is 0 to 366 days"));
            }
            if self.reminder_offsets_days[..i].contains(d) {
                return Err(ValidationError::new(
                    field,
                    "duplicate",
                    "a reminder offset is listed twice",
                ));
            }
        }
        if !(1..=366).contains(&self.overdue_interval_days) {
            return Err(out_of_range(
                "overdue_interval_days",
                "the overdue reminder interval is 1 to 366 days",
            ));
        }
        if !(1..=31).contains(&self.reporting_day) {
            return Err(out_of_range(
                "reporting_day",
                "the reporting day is 1 to 31",
            ));
        }
        if self.indicator_report_lag_months > 3 {
            return Err(out_of_range(
                "indicator_report_lag_months",
                "indicator values are due at most 3 months after their period",
            ));
        }
        let c = &self.cards;
        for (field, streak) in [
            ("cards.yellow_streak", c.yellow_streak),
            ("cards.red_streak", c.red_streak),
        ] {
            if !(1..=12).contains(&streak) {
                return Err(out_of_range(field, "a card streak is 1 to 12 checkpoints"));
            }
        }
        for (field, points) in [
            ("cards.yellow_points", c.yellow_points),
            ("cards.red_points", c.red_points),
        ] {
            if points > Decimal::ZERO || points < Decimal::from(-100) {
                return Err(out_of_range(field, "a card costs 0 to 100 points (≤ 0)"));
            }
        }
        let mut prev: Option<&EscalationRule> = None;
        for (i, r) in self.escalations.iter().enumerate() {
            let at = format!("escalations[{i}]");
            if !(1..=36).contains(&r.red_streak) {
                return Err(out_of_range(
                    format!("{at}.red_streak"),
                    "an escalation streak is 1 to 36 checkpoints",
                ));
            }
            if r.level == 0 {
                return Err(out_of_range(format!("{at}.level"), "levels start at 1"));
            }
            if let Some(p) = prev {
                if r.red_streak <= p.red_streak {
                    return Err(out_of_range(
                        format!("{at}.red_streak"),
                        "escalation streaks rise from rule to rule",
                    ));
                }
                if r.level <= p.level {
                    return Err(out_of_range(
                        format!("{at}.level"),
                        "escalation levels rise from rule to rule",
                    ));
                }
            }
            prev = Some(r);
        }
        if let Some(q) = self.quiet_hours {
            for (field, h) in [
                ("quiet_hours.start_hour", q.start_hour),
                ("quiet_hours.end_hour", q.end_hour),
            ] {
                if h > 23 {
                    return Err(out_of_range(field, "an hour is 0 to 23"));
                }
            }
            if q.start_hour == q.end_hour {
                return Err(ValidationError::new(
                    "quiet_hours.end_hour",
                    "empty_window",
                    "quiet hours end when they start; leave them unset instead",
                ));
            }
        }
        required_text("notice_prefix", &self.notice_prefix, 20)?;
        self.lamps.validate()
    }

    /// The last day on which the monthly report for `period` counts as on time.
    pub fn reporting_deadline(&self, period: Period) -> Date {
        clamped_day(period.year(), period.month(), self.reporting_day)
    }

    /// The last day on which an indicator value for `period` counts as on time.
    pub fn indicator_report_due(&self, period: Period) -> Date {
        let index = period.year() * 12 + i32::from(period.month()) - 1
            + i32::from(self.indicator_report_lag_months);
        let (year, month) = (index.div_euclid(12), (index.rem_euclid(12) + 1) as u8);
        clamped_day(year, month, self.reporting_day)
    }

    /// The reminder mark in force when `days_left` days remain (0 = the deadline is today): the
    /// smallest offset ≥ `days_left`. `None` when no mark has been reached yet or it is past.
    pub fn approaching_mark(&self, days_left: i64) -> Option<i64> {
        if days_left < 0 {
            return None;
        }
        self.reminder_offsets_days
            .iter()
            .copied()
            .filter(|o| *o >= days_left)
            .min()
    }

    /// The overdue mark in force `days_over` days after the deadline (≥ 1): 1, 1 + interval, …
    pub fn overdue_mark(&self, days_over: i64) -> Option<i64> {
        if days_over < 1 {
            return None;
        }
        let interval = self.overdue_interval_days.max(1);
        Some(1 + (days_over - 1) / interval * interval)
    }

    /// The earliest moment at or after `at` (local time) outside quiet hours: a delivery due in
    /// quiet hours is deferred to their end.
    pub fn next_send_time(&self, at: PrimitiveDateTime) -> PrimitiveDateTime {
        let Some(q) = self.quiet_hours else {
            return at;
        };
        let hour = at.hour();
        let (quiet, next_day) = if q.start_hour < q.end_hour {
            (q.start_hour <= hour && hour < q.end_hour, false)
        } else if hour >= q.start_hour {
            (true, true)
        } else {
            (hour < q.end_hour, false)
        };
        if !quiet {
            return at;
        }
        let Ok(end) = Time::from_hms(q.end_hour, 0, 0) else {
            return at;
        };
        let day = if next_day {
            at.date().checked_add(Duration::DAY)
        } else {
            Some(at.date())
        };
        day.map_or(at, |d| PrimitiveDateTime::new(d, end))
    }
}

/// `day` of the month, or the month's last day when the month is shorter.
fn clamped_day(year: i32, month: u8, day: u8) -> Date {
    let end = month_end(year, month);
    if day >= end.day() {
        end
    } else {
        end.replace_day(day).unwrap_or(end)
    }
}
