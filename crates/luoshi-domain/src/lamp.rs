//! Warning lamps (亮灯) and the policy that derives them. Lamps are never set by hand.

use crate::error::ValidationError;
use crate::measure::Decimal;

/// The colour of a lamp, ordered by severity so that `max` picks the worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lamp {
    /// On track (or done).
    Green,
    /// Deadline near and not yet done.
    Blue,
    /// Lagging: behind expected progress by the yellow band, or not started in its planned month.
    Yellow,
    /// Overdue, or far behind.
    Red,
}

impl Lamp {
    pub const ALL: [Lamp; 4] = [Lamp::Green, Lamp::Blue, Lamp::Yellow, Lamp::Red];

    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Green => "green",
            Self::Blue => "blue",
            Self::Yellow => "yellow",
            Self::Red => "red",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

/// How 序时进度 (time-proportional expected progress) of an indicator is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpectedBasis {
    /// m/12 at the end of month m.
    MonthShare,
    /// Elapsed days / days in the year, at the period's last day.
    DayShare,
}

impl ExpectedBasis {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::MonthShare => "month_share",
            Self::DayShare => "day_share",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::MonthShare, Self::DayShare]
            .into_iter()
            .find(|b| b.as_str() == s)
    }
}

/// Thresholds for lamps. Every number is policy: a region configures its own; the defaults
/// follow the domain notes.
#[derive(Debug, Clone, PartialEq)]
pub struct LampPolicy {
    /// Blue when the deadline is at most this many days away and the task is not done.
    pub blue_within_days: i64,
    /// Yellow when behind expected progress by at least this many percentage points.
    pub yellow_behind_pp: Decimal,
    /// Red when behind expected progress by more than this many percentage points.
    pub red_behind_pp: Decimal,
    /// For growth-rate targets: yellow when actual growth is this many points below the target.
    pub growth_yellow_behind_pp: Decimal,
    /// For growth-rate targets: red when actual growth is more than this many points below.
    pub growth_red_behind_pp: Decimal,
    pub expected_basis: ExpectedBasis,
    /// Use last year's seasonal profile for indicators when its monthly data exist.
    pub seasonal_profile: bool,
}

impl Default for LampPolicy {
    fn default() -> Self {
        Self {
            blue_within_days: 3,
            yellow_behind_pp: Decimal::from(10),
            red_behind_pp: Decimal::from(30),
            growth_yellow_behind_pp: Decimal::from(1),
            growth_red_behind_pp: Decimal::from(3),
            expected_basis: ExpectedBasis::MonthShare,
            seasonal_profile: true,
        }
    }
}

impl LampPolicy {
    /// Check every threshold; the error names the field as a region's supervision policy holds
    /// it (`lamps.red_behind_pp`).
    pub fn validate(&self) -> Result<(), ValidationError> {
        let out = |field: &str, message: &str| {
            ValidationError::new(format!("lamps.{field}"), "out_of_range", message)
        };
        if !(0..=60).contains(&self.blue_within_days) {
            return Err(out(
                "blue_within_days",
                "the blue lamp starts 0 to 60 days before a deadline",
            ));
        }
        let hundred = Decimal::ONE_HUNDRED;
        for (yellow, red, y, r) in [
            (
                self.yellow_behind_pp,
                self.red_behind_pp,
                "yellow_behind_pp",
                "red_behind_pp",
            ),
            (
                self.growth_yellow_behind_pp,
                self.growth_red_behind_pp,
                "growth_yellow_behind_pp",
                "growth_red_behind_pp",
            ),
        ] {
            if yellow <= Decimal::ZERO || yellow > hundred {
                return Err(out(
                    y,
                    "a yellow threshold is above 0 and at most 100 points",
                ));
            }
            if red < yellow || red > hundred {
                return Err(out(
                    r,
                    "a red threshold is at least the yellow one and at most 100 points",
                ));
            }
        }
        Ok(())
    }

    /// The lamp for a schedule gap (actual − expected, in percentage points).
    pub fn schedule_lamp(&self, gap_pp: Decimal) -> Lamp {
        band(-gap_pp, self.yellow_behind_pp, self.red_behind_pp)
    }

    /// The lamp for a growth gap (actual growth − target growth, in percentage points).
    pub fn growth_lamp(&self, gap_pp: Decimal) -> Lamp {
        band(
            -gap_pp,
            self.growth_yellow_behind_pp,
            self.growth_red_behind_pp,
        )
    }
}

fn band(behind: Decimal, yellow: Decimal, red: Decimal) -> Lamp {
    if behind > red {
        Lamp::Red
    } else if behind >= yellow {
        Lamp::Yellow
    } else {
        Lamp::Green
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::dec;

    #[test]
    fn schedule_bands_follow_policy() {
        let p = LampPolicy::default();
        let cases = [
            ("5", Lamp::Green),
            ("0", Lamp::Green),
            ("-9.99", Lamp::Green),
            ("-10", Lamp::Yellow),
            ("-30", Lamp::Yellow),
            ("-30.01", Lamp::Red),
        ];
        for (gap, lamp) in cases {
            assert_eq!(p.schedule_lamp(dec(gap)), lamp, "gap {gap}");
        }
        let strict = LampPolicy {
            yellow_behind_pp: dec("5"),
            red_behind_pp: dec("15"),
            ..LampPolicy::default()
        };
        assert_eq!(strict.schedule_lamp(dec("-6")), Lamp::Yellow);
        assert_eq!(strict.schedule_lamp(dec("-16")), Lamp::Red);
    }

    #[test]
    fn growth_bands_and_ordering() {
        let p = LampPolicy::default();
        assert_eq!(p.growth_lamp(dec("-0.5")), Lamp::Green);
        assert_eq!(p.growth_lamp(dec("-1.5")), Lamp::Yellow);
        assert_eq!(p.growth_lamp(dec("-3.1")), Lamp::Red);
        assert_eq!(Lamp::Blue.max(Lamp::Yellow), Lamp::Yellow);
        assert_eq!(Lamp::parse("red"), Some(Lamp::Red));
        assert_eq!(Lamp::parse("purple"), None);
    }
}
