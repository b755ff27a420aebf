//! Delivery rules beyond the inbox: the chat robot platforms, when a queued message may go out
//! (quiet hours in China Standard Time) and how failed sends are retried.

use super::SupervisionPolicy;
use crate::ValidationError;
use time::{Duration, OffsetDateTime, PrimitiveDateTime, UtcOffset};

/// China Standard Time (UTC+8, no daylight saving): quiet hours are read in it.
pub const CHINA_STANDARD_TIME: UtcOffset = match UtcOffset::from_hms(8, 0, 0) {
    Ok(o) => o,
    Err(_) => UtcOffset::UTC,
};

/// A chat group robot's platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RobotPlatform {
    /// DingTalk custom robot (optionally signed: `timestamp` ms and `sign` in the URL).
    DingTalk,
    /// WeCom (企业微信) group robot (the key is in the URL; no signing).
    WeCom,
    /// Feishu custom bot (optionally signed: `timestamp` s and `sign` in the body).
    Feishu,
}

impl RobotPlatform {
    pub const ALL: [RobotPlatform; 3] = [Self::DingTalk, Self::WeCom, Self::Feishu];

    /// The stored name, also the delivery's channel.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::DingTalk => "dingtalk",
            Self::WeCom => "wecom",
            Self::Feishu => "feishu",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// The Chinese product name.
    pub fn label(&self) -> &'static str {
        match self {
            Self::DingTalk => "钉钉",
            Self::WeCom => "企业微信",
            Self::Feishu => "飞书",
        }
    }
}

/// When a delivery queued at `at` may first be sent: at once, or at the end of the policy's
/// quiet hours (read in China Standard Time). In-app messages never wait.
pub fn not_before(policy: &SupervisionPolicy, at: OffsetDateTime) -> OffsetDateTime {
    let local = at.to_offset(CHINA_STANDARD_TIME);
    let next = policy.next_send_time(PrimitiveDateTime::new(local.date(), local.time()));
    next.assume_offset(CHINA_STANDARD_TIME)
        .to_offset(UtcOffset::UTC)
}

/// How failed sends are retried. Every number is policy; the defaults are documented per field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included, before a delivery is given up as `failed` (default 5).
    pub max_attempts: u32,
    /// The wait after the first failure (default 60 s); each further failure doubles it.
    pub first_delay_seconds: i64,
    /// The longest wait between two attempts (default 1 hour).
    pub max_delay_seconds: i64,
    /// How long a sender's claim on a delivery lasts before another sender may take it over
    /// (default 120 s; longer than any send's timeout).
    pub lease_seconds: i64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 5,
            first_delay_seconds: 60,
            max_delay_seconds: 3600,
            lease_seconds: 120,
        }
    }
}

impl RetryPolicy {
    /// Check every field; the error names the first field at fault.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let checks = [
            ("max_attempts", i64::from(self.max_attempts), 1, 100),
            ("first_delay_seconds", self.first_delay_seconds, 0, 86_400),
            ("max_delay_seconds", self.max_delay_seconds, 0, 7 * 86_400),
            ("lease_seconds", self.lease_seconds, 1, 86_400),
        ];
        for (field, v, lo, hi) in checks {
            if v < lo || v > hi {
                return Err(ValidationError::new(
                    field,
                    "out_of_range",
                    format!("must be between {lo} and {hi}"),
                ));
            }
        }
        Ok(())
    }

    /// After the `attempts`-th failed attempt (1 for the first) at `at`: the next attempt's
    /// time, or `None` when the delivery is given up.
    pub fn retry_at(&self, attempts: u32, at: OffsetDateTime) -> Option<OffsetDateTime> {
        if attempts >= self.max_attempts {
            return None;
        }
        let doublings = attempts.saturating_sub(1).min(30);
        let delay = self
            .first_delay_seconds
            .saturating_mul(1_i64 << doublings)
            .min(self.max_delay_seconds);
        Some(at + Duration::seconds(delay))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::supervision::QuietHours;
    use time::macros::datetime;

    #[test]
    fn quiet_hours_are_read_in_china_standard_time() {
        let p = SupervisionPolicy::default(); // 22:00 → 07:00
        let none = SupervisionPolicy {
            quiet_hours: None,
            ..SupervisionPolicy::default()
        };
        let day = SupervisionPolicy {
            quiet_hours: Some(QuietHours {
                start_hour: 12,
                end_hour: 14,
            }),
            ..SupervisionPolicy::default()
        };
        let cases = [
            // 10:00 CST: not quiet.
            (
                &p,
                datetime!(2026-10-01 02:00 UTC),
                datetime!(2026-10-01 02:00 UTC),
            ),
            // 21:59 CST: not quiet yet.
            (
                &p,
                datetime!(2026-10-01 13:59 UTC),
                datetime!(2026-10-01 13:59 UTC),
            ),
            // 22:00 CST: quiet until 07:00 CST the next day = 23:00 UTC the same day.
            (
                &p,
                datetime!(2026-10-01 14:00 UTC),
                datetime!(2026-10-01 23:00 UTC),
            ),
            // 03:30 CST on 2 Oct (19:30 UTC on 1 Oct): until 07:00 CST on 2 Oct.
            (
                &p,
                datetime!(2026-10-01 19:30 UTC),
                datetime!(2026-10-01 23:00 UTC),
            ),
            // 07:00 CST: quiet hours are over.
            (
                &p,
                datetime!(2026-10-01 23:00 UTC),
                datetime!(2026-10-01 23:00 UTC),
            ),
            // Given in CST already: 23:15 CST → 07:00 CST.
            (
                &p,
                datetime!(2026-10-01 23:15 +8),
                datetime!(2026-10-01 23:00 UTC),
            ),
            (
                &none,
                datetime!(2026-10-01 15:00 UTC),
                datetime!(2026-10-01 15:00 UTC),
            ),
            // 12:30 CST within a midday window → 14:00 CST.
            (
                &day,
                datetime!(2026-10-01 04:30 UTC),
                datetime!(2026-10-01 06:00 UTC),
            ),
        ];
        for (policy, at, want) in cases {
            let got = not_before(policy, at);
            assert_eq!(got, want, "at {at}");
            assert_eq!(got.offset(), UtcOffset::UTC, "at {at}");
        }
    }

    #[test]
    fn retries_back_off_exponentially_then_give_up() {
        let p = RetryPolicy::default();
        let at = datetime!(2026-10-01 00:00 UTC);
        let cases = [
            (1, Some(datetime!(2026-10-01 00:01 UTC))),
            (2, Some(datetime!(2026-10-01 00:02 UTC))),
            (3, Some(datetime!(2026-10-01 00:04 UTC))),
            (4, Some(datetime!(2026-10-01 00:08 UTC))),
            (5, None),
            (9, None),
        ];
        for (attempts, want) in cases {
            assert_eq!(p.retry_at(attempts, at), want, "after attempt {attempts}");
        }
        let capped = RetryPolicy {
            max_attempts: 40,
            first_delay_seconds: 600,
            ..p
        };
        assert_eq!(
            capped.retry_at(4, at),
            Some(datetime!(2026-10-01 01:00 UTC)),
            "4800 s is capped at 3600 s"
        );
        assert_eq!(
            capped.retry_at(35, at),
            Some(datetime!(2026-10-01 01:00 UTC))
        );
    }

    #[test]
    fn retry_policy_validation_names_the_field() {
        let cases = [
            (RetryPolicy::default(), None),
            (
                RetryPolicy {
                    max_attempts: 0,
                    ..RetryPolicy::default()
                },
                Some("max_attempts"),
            ),
            (
                RetryPolicy {
                    lease_seconds: 0,
                    ..RetryPolicy::default()
                },
                Some("lease_seconds"),
            ),
            (
                RetryPolicy {
                    first_delay_seconds: -1,
                    ..RetryPolicy::default()
                },
                Some("first_delay_seconds"),
            ),
        ];
        for (p, want) in cases {
            assert_eq!(p.validate().err().map(|e| e.field), want.map(String::from));
        }
    }

    #[test]
    fn platforms_round_trip_by_name() {
        for (p, name) in [
            (RobotPlatform::DingTalk, "dingtalk"),
            (RobotPlatform::WeCom, "wecom"),
            (RobotPlatform::Feishu, "feishu"),
        ] {
            assert_eq!(p.as_str(), name);
            assert_eq!(RobotPlatform::parse(name), Some(p));
        }
        assert_eq!(RobotPlatform::parse("slack"), None);
    }
}
