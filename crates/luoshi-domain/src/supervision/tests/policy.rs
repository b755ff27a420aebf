use crate::calendar::Period;
use crate::measure::dec;
use crate::supervision::policy::{EscalationRule, EscalationTarget, QuietHours, SupervisionPolicy};
use time::macros::{date, datetime};

#[test]
fn defaults_follow_the_domain_notes_and_validate() {
    let p = SupervisionPolicy::default();
    assert_eq!(p.validate(), Ok(()));
    assert_eq!(p.reminder_offsets_days, vec![7, 3, 1]);
    assert_eq!(p.overdue_interval_days, 3);
    assert_eq!(p.reporting_day, 25);
    assert_eq!(
        (p.cards.yellow_points, p.cards.red_points),
        (dec("-1"), dec("-2"))
    );
    assert_eq!((p.cards.yellow_streak, p.cards.red_streak), (2, 2));
    assert_eq!(p.escalations.len(), 1);
    assert_eq!(p.escalations[0].red_streak, 3);
    assert_eq!(p.escalations[0].target, EscalationTarget::LeadOfficial);
    assert!(p.escalations[0].summons);
    assert_eq!(
        p.quiet_hours,
        Some(QuietHours {
            start_hour: 22,
            end_hour: 7
        })
    );
    assert_eq!(p.lamps, crate::lamp::LampPolicy::default());
}

#[test]
fn validation_names_the_field() {
    type Edit = fn(&mut SupervisionPolicy);
    let rule = |red_streak, level| EscalationRule {
        red_streak,
        level,
        target: EscalationTarget::PrincipalLeader,
        summons: false,
    };
    let cases: Vec<(Edit, &str, &str)> = vec![
        (
            |p| p.reminder_offsets_days = vec![7, -1],
            "reminder_offsets_days[1]",
            "out_of_range",
        ),
        (
            |p| p.reminder_offsets_days = vec![7, 3, 7],
            "reminder_offsets_days[2]",
            "duplicate",
        ),
        (
            |p| p.reminder_offsets_days = vec![367],
            "reminder_offsets_days[0]",
            "out_of_range",
        ),
        (
            |p| p.overdue_interval_days = 0,
            "overdue_interval_days",
            "out_of_range",
        ),
        (|p| p.reporting_day = 0, "reporting_day", "out_of_range"),
        (|p| p.reporting_day = 32, "reporting_day", "out_of_range"),
        (
            |p| p.indicator_report_lag_months = 4,
            "indicator_report_lag_months",
            "out_of_range",
        ),
        (
            |p| p.cards.yellow_streak = 0,
            "cards.yellow_streak",
            "out_of_range",
        ),
        (
            |p| p.cards.red_streak = 13,
            "cards.red_streak",
            "out_of_range",
        ),
        (
            |p| p.cards.yellow_points = dec("1"),
            "cards.yellow_points",
            "out_of_range",
        ),
        (
            |p| p.cards.red_points = dec("-100.5"),
            "cards.red_points",
            "out_of_range",
        ),
        (
            |p| p.escalations[0].red_streak = 0,
            "escalations[0].red_streak",
            "out_of_range",
        ),
        (
            |p| p.escalations[0].level = 0,
            "escalations[0].level",
            "out_of_range",
        ),
        (
            |p| {
                p.quiet_hours = Some(QuietHours {
                    start_hour: 24,
                    end_hour: 7,
                })
            },
            "quiet_hours.start_hour",
            "out_of_range",
        ),
        (
            |p| {
                p.quiet_hours = Some(QuietHours {
                    start_hour: 22,
                    end_hour: 30,
                })
            },
            "quiet_hours.end_hour",
            "out_of_range",
        ),
        (
            |p| {
                p.quiet_hours = Some(QuietHours {
                    start_hour: 8,
                    end_hour: 8,
                })
            },
            "quiet_hours.end_hour",
            "empty_window",
        ),
        (
            |p| p.notice_prefix = "  ".into(),
            "notice_prefix",
            "required",
        ),
        (
            |p| p.lamps.blue_within_days = 61,
            "lamps.blue_within_days",
            "out_of_range",
        ),
        (
            |p| p.lamps.yellow_behind_pp = dec("0"),
            "lamps.yellow_behind_pp",
            "out_of_range",
        ),
        (
            |p| p.lamps.red_behind_pp = dec("9.99"),
            "lamps.red_behind_pp",
            "out_of_range",
        ),
        (
            |p| p.lamps.red_behind_pp = dec("100.01"),
            "lamps.red_behind_pp",
            "out_of_range",
        ),
        (
            |p| p.lamps.growth_yellow_behind_pp = dec("-1"),
            "lamps.growth_yellow_behind_pp",
            "out_of_range",
        ),
        (
            |p| p.lamps.growth_red_behind_pp = dec("0.5"),
            "lamps.growth_red_behind_pp",
            "out_of_range",
        ),
    ];
    for (i, (edit, field, code)) in cases.into_iter().enumerate() {
        let mut p = SupervisionPolicy::default();
        edit(&mut p);
        let e = p.validate().unwrap_err();
        assert_eq!((e.field.as_str(), e.code), (field, code), "case {i}");
    }
    // Rules must rise in both streak and level.
    let mut p = SupervisionPolicy::default();
    p.escalations.push(rule(3, 2));
    let e = p.validate().unwrap_err();
    assert_eq!(
        (e.field.as_str(), e.code),
        ("escalations[1].red_streak", "out_of_range")
    );
    p.escalations[1] = rule(6, 1);
    assert_eq!(p.validate().unwrap_err().field, "escalations[1].level");
    p.escalations[1] = rule(6, 2);
    assert_eq!(p.validate(), Ok(()));
    // No reminders and no quiet hours are valid choices, and so are equal yellow and red
    // thresholds (no yellow band) and a blue lamp only on the deadline day.
    p.reminder_offsets_days.clear();
    p.quiet_hours = None;
    p.lamps.red_behind_pp = p.lamps.yellow_behind_pp;
    p.lamps.blue_within_days = 0;
    assert_eq!(p.validate(), Ok(()));
}

#[test]
fn reporting_deadlines_clamp_to_month_ends() {
    let p25 = SupervisionPolicy::default();
    let p31 = SupervisionPolicy {
        reporting_day: 31,
        ..SupervisionPolicy::default()
    };
    let p30 = SupervisionPolicy {
        reporting_day: 30,
        ..SupervisionPolicy::default()
    };
    let per = |s| Period::parse("p", s).unwrap();
    let cases = [
        (&p25, "2026-09", date!(2026 - 09 - 25)),
        (&p25, "2026-02", date!(2026 - 02 - 25)),
        (&p31, "2026-02", date!(2026 - 02 - 28)),
        (&p31, "2028-02", date!(2028 - 02 - 29)),
        (&p30, "2028-02", date!(2028 - 02 - 29)),
        (&p31, "2026-04", date!(2026 - 04 - 30)),
        (&p31, "2026-12", date!(2026 - 12 - 31)),
        (&p30, "2026-12", date!(2026 - 12 - 30)),
    ];
    for (p, period, want) in cases {
        assert_eq!(p.reporting_deadline(per(period)), want, "{period}");
    }
}

#[test]
fn indicator_values_are_due_after_their_period() {
    let per = |s| Period::parse("p", s).unwrap();
    let lag = |months, day| SupervisionPolicy {
        indicator_report_lag_months: months,
        reporting_day: day,
        ..SupervisionPolicy::default()
    };
    let cases = [
        (lag(1, 25), "2026-09", date!(2026 - 10 - 25)),
        (lag(1, 25), "2026-12", date!(2027 - 01 - 25)),
        (lag(0, 25), "2026-12", date!(2026 - 12 - 25)),
        (lag(2, 31), "2027-12", date!(2028 - 02 - 29)),
        (lag(3, 31), "2026-11", date!(2027 - 02 - 28)),
    ];
    for (p, period, want) in cases {
        assert_eq!(p.indicator_report_due(per(period)), want, "{period}");
    }
}

#[test]
fn reminder_and_overdue_marks() {
    let p = SupervisionPolicy::default();
    let approaching = [
        (8, None),
        (7, Some(7)),
        (5, Some(7)),
        (4, Some(7)),
        (3, Some(3)),
        (2, Some(3)),
        (1, Some(1)),
        (0, Some(1)),
        (-1, None),
    ];
    for (left, want) in approaching {
        assert_eq!(p.approaching_mark(left), want, "{left} days left");
    }
    let on_the_day = SupervisionPolicy {
        reminder_offsets_days: vec![0, 7],
        ..SupervisionPolicy::default()
    };
    assert_eq!(on_the_day.approaching_mark(0), Some(0));
    assert_eq!(on_the_day.approaching_mark(1), Some(7));
    let overdue = [
        (0, None),
        (1, Some(1)),
        (2, Some(1)),
        (3, Some(1)),
        (4, Some(4)),
        (6, Some(4)),
        (7, Some(7)),
        (10, Some(10)),
        (12, Some(10)),
    ];
    for (over, want) in overdue {
        assert_eq!(p.overdue_mark(over), want, "{over} days over");
    }
    let daily = SupervisionPolicy {
        overdue_interval_days: 1,
        ..SupervisionPolicy::default()
    };
    assert_eq!(daily.overdue_mark(5), Some(5));
}

#[test]
fn quiet_hours_defer_to_their_end() {
    let default = SupervisionPolicy::default();
    let lunch = SupervisionPolicy {
        quiet_hours: Some(QuietHours {
            start_hour: 12,
            end_hour: 14,
        }),
        ..SupervisionPolicy::default()
    };
    let to_midnight = SupervisionPolicy {
        quiet_hours: Some(QuietHours {
            start_hour: 22,
            end_hour: 0,
        }),
        ..SupervisionPolicy::default()
    };
    let none = SupervisionPolicy {
        quiet_hours: None,
        ..SupervisionPolicy::default()
    };
    let cases = [
        (
            &default,
            datetime!(2026-09-30 21:59:59),
            datetime!(2026-09-30 21:59:59),
        ),
        (
            &default,
            datetime!(2026-09-30 22:00),
            datetime!(2026-10-01 07:00),
        ),
        (
            &default,
            datetime!(2028-02-28 23:30),
            datetime!(2028-02-29 07:00),
        ),
        (
            &default,
            datetime!(2026-12-31 23:00),
            datetime!(2027-01-01 07:00),
        ),
        (
            &default,
            datetime!(2026-03-01 03:15),
            datetime!(2026-03-01 07:00),
        ),
        (
            &default,
            datetime!(2026-03-01 06:59:59),
            datetime!(2026-03-01 07:00),
        ),
        (
            &default,
            datetime!(2026-03-01 07:00),
            datetime!(2026-03-01 07:00),
        ),
        (
            &lunch,
            datetime!(2026-05-08 12:30),
            datetime!(2026-05-08 14:00),
        ),
        (
            &lunch,
            datetime!(2026-05-08 11:59),
            datetime!(2026-05-08 11:59),
        ),
        (
            &lunch,
            datetime!(2026-05-08 14:00),
            datetime!(2026-05-08 14:00),
        ),
        (
            &lunch,
            datetime!(2026-05-08 23:00),
            datetime!(2026-05-08 23:00),
        ),
        (
            &to_midnight,
            datetime!(2026-05-31 23:10),
            datetime!(2026-06-01 00:00),
        ),
        (
            &to_midnight,
            datetime!(2026-05-31 00:10),
            datetime!(2026-05-31 00:10),
        ),
        (
            &none,
            datetime!(2026-05-31 23:10),
            datetime!(2026-05-31 23:10),
        ),
    ];
    for (i, (p, at, want)) in cases.into_iter().enumerate() {
        assert_eq!(p.next_send_time(at), want, "case {i}: {at}");
    }
}
