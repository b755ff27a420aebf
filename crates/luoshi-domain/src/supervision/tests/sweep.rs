use super::{milestone, notice_id, region, task, tkey, unit};
use crate::calendar::Period;
use crate::ids::IndicatorId;
use crate::lamp::Lamp;
use crate::measure::dec;
use crate::supervision::notice::{Notice, NoticeAction, NoticeFields, NoticeSubject};
use crate::supervision::sweep::{
    Checkpoint, DeadlineItem, IndicatorObligation, ItemRef, SweepFacts, SweepOutput, TaskFacts,
    sweep,
};
use crate::supervision::{EventKind, Subject, SupervisionPolicy};
use crate::task::{Task, TaskStatus};
use time::Date;
use time::macros::date;
use uuid::Uuid;

fn facts<'a>(t: &'a Task, reports: &'a [Date], cps: &'a [Checkpoint]) -> TaskFacts<'a> {
    TaskFacts {
        task: t,
        report_dates: reports,
        last_lamp: None,
        checkpoints: cps,
    }
}

fn run_tasks(p: &SupervisionPolicy, as_of: Date, tasks: &[TaskFacts<'_>]) -> SweepOutput {
    let f = SweepFacts {
        tasks,
        ..SweepFacts::default()
    };
    sweep(p, as_of, &f)
}

/// (key, occurred_on) of the events whose kind name is `kind`.
fn of_kind(out: &SweepOutput, kind: &str) -> Vec<(String, Date)> {
    out.events
        .iter()
        .filter(|e| e.kind.name() == kind)
        .map(|e| (e.dedup_key.clone(), e.occurred_on))
        .collect()
}

fn reminders(out: &SweepOutput) -> Vec<(String, Date)> {
    let mut v = of_kind(out, "deadline_approaching");
    v.extend(of_kind(out, "overdue"));
    v
}

#[test]
fn deadline_reminders_follow_the_marks() {
    let p = SupervisionPolicy::default();
    // Deadline on the 31st of August.
    let t = task(1, date!(2026 - 01 - 01), date!(2026 - 08 - 31));
    let due = format!("{}:due:2026-08-31", tkey(1));
    let cases: [(Date, Option<(&str, Date)>); 11] = [
        (date!(2026 - 08 - 23), None),
        (
            date!(2026 - 08 - 24),
            Some(("approaching:7d", date!(2026 - 08 - 24))),
        ),
        (
            date!(2026 - 08 - 27),
            Some(("approaching:7d", date!(2026 - 08 - 24))),
        ),
        (
            date!(2026 - 08 - 28),
            Some(("approaching:3d", date!(2026 - 08 - 28))),
        ),
        (
            date!(2026 - 08 - 29),
            Some(("approaching:3d", date!(2026 - 08 - 28))),
        ),
        (
            date!(2026 - 08 - 30),
            Some(("approaching:1d", date!(2026 - 08 - 30))),
        ),
        (
            date!(2026 - 08 - 31),
            Some(("approaching:1d", date!(2026 - 08 - 30))),
        ),
        (
            date!(2026 - 09 - 01),
            Some(("overdue:1d", date!(2026 - 09 - 01))),
        ),
        (
            date!(2026 - 09 - 03),
            Some(("overdue:1d", date!(2026 - 09 - 01))),
        ),
        (
            date!(2026 - 09 - 04),
            Some(("overdue:4d", date!(2026 - 09 - 04))),
        ),
        // 30 days over: marks 1, 4, …, 28 → the 28-day mark, on 31 Aug + 28 = 28 Sep.
        (
            date!(2026 - 09 - 30),
            Some(("overdue:28d", date!(2026 - 09 - 28))),
        ),
    ];
    for (as_of, want) in cases {
        let out = run_tasks(&p, as_of, &[facts(&t, &[], &[])]);
        let want: Vec<(String, Date)> = want
            .map(|(m, d)| (format!("{due}:{m}"), d))
            .into_iter()
            .collect();
        assert_eq!(reminders(&out), want, "{as_of}");
    }
    let e = &run_tasks(&p, date!(2026 - 09 - 04), &[facts(&t, &[], &[])]).events;
    let e = e.iter().find(|e| e.kind.name() == "overdue").unwrap();
    assert_eq!(e.kind, EventKind::Overdue { days_over: 4 });
    assert_eq!(
        (e.unit, e.detail.as_str()),
        (unit(1), "deadline 2026-08-31")
    );
    assert_eq!(e.subject, Subject::Task(t.id));
}

#[test]
fn reminders_across_a_leap_day_and_by_status() {
    let p = SupervisionPolicy::default();
    let t = task(2, date!(2028 - 01 - 01), date!(2028 - 03 - 01));
    let due = format!("{}:due:2028-03-01", tkey(2));
    // 23 Feb → 1 Mar is 7 days in a leap year (29 Feb exists); 27 Feb is 3 days before.
    let cases = [
        (date!(2028 - 02 - 22), vec![]),
        (
            date!(2028 - 02 - 23),
            vec![(format!("{due}:approaching:7d"), date!(2028 - 02 - 23))],
        ),
        (
            date!(2028 - 02 - 27),
            vec![(format!("{due}:approaching:3d"), date!(2028 - 02 - 27))],
        ),
        (
            date!(2028 - 02 - 29),
            vec![(format!("{due}:approaching:1d"), date!(2028 - 02 - 29))],
        ),
        (
            date!(2028 - 03 - 02),
            vec![(format!("{due}:overdue:1d"), date!(2028 - 03 - 02))],
        ),
    ];
    for (as_of, want) in cases {
        assert_eq!(
            reminders(&run_tasks(&p, as_of, &[facts(&t, &[], &[])])),
            want,
            "{as_of}"
        );
    }
    // Only open work is reminded: not drafts, not work reported done, closed or cancelled.
    let as_of = date!(2028 - 03 - 02);
    for (status, reminded) in [
        (TaskStatus::Draft, false),
        (TaskStatus::Assigned, true),
        (TaskStatus::InProgress, true),
        (TaskStatus::ExtensionRequested, true),
        (TaskStatus::ReportedDone, false),
        (TaskStatus::Closed, false),
        (TaskStatus::Cancelled, false),
    ] {
        let mut t = t.clone();
        t.status = status;
        let n = reminders(&run_tasks(&p, as_of, &[facts(&t, &[], &[])])).len();
        assert_eq!(n, usize::from(reminded), "{status:?}");
    }
    // A deadline moved by an approved extension is a new occurrence with its own keys.
    let mut moved = t.clone();
    moved.fields.deadline = date!(2028 - 03 - 31);
    assert_eq!(
        reminders(&run_tasks(
            &p,
            date!(2028 - 03 - 28),
            &[facts(&moved, &[], &[])]
        )),
        vec![(
            format!("{}:due:2028-03-31:approaching:3d", tkey(2)),
            date!(2028 - 03 - 28)
        )]
    );
}

#[test]
fn milestones_are_reminded_until_reached() {
    let p = SupervisionPolicy::default();
    let mut t = task(3, date!(2026 - 01 - 01), date!(2026 - 12 - 31));
    t.fields.milestones = vec![
        milestone(date!(2026 - 06 - 30), "50"),
        milestone(date!(2026 - 12 - 31), "100"),
    ];
    t.progress_pct = dec("40");
    let ms = format!("{}:milestone:2026-06-30", tkey(3));
    let cases = [
        (
            date!(2026 - 06 - 28),
            "40",
            vec![(format!("{ms}:approaching:3d"), date!(2026 - 06 - 27))],
        ),
        (date!(2026 - 06 - 28), "50", vec![]),
        (
            date!(2026 - 07 - 01),
            "40",
            vec![(format!("{ms}:overdue:1d"), date!(2026 - 07 - 01))],
        ),
        (
            date!(2026 - 07 - 05),
            "49.99",
            vec![(format!("{ms}:overdue:4d"), date!(2026 - 07 - 04))],
        ),
        // The milestone on the deadline is the deadline itself: no second reminder.
        (
            date!(2026 - 12 - 30),
            "60",
            vec![(
                format!("{}:due:2026-12-31:approaching:1d", tkey(3)),
                date!(2026 - 12 - 30),
            )],
        ),
    ];
    for (as_of, progress, want) in cases {
        t.progress_pct = dec(progress);
        let out = run_tasks(&p, as_of, &[facts(&t, &[], &[])]);
        assert_eq!(reminders(&out), want, "{as_of} at {progress}%");
    }
    t.progress_pct = dec("40");
    let out = run_tasks(&p, date!(2026 - 07 - 01), &[facts(&t, &[], &[])]);
    let e = out
        .events
        .iter()
        .find(|e| e.kind.name() == "overdue")
        .unwrap();
    assert_eq!(
        e.subject,
        Subject::Milestone {
            task: t.id,
            due: date!(2026 - 06 - 30)
        }
    );
}

#[test]
fn missing_monthly_reports() {
    let p = SupervisionPolicy::default();
    let p31 = SupervisionPolicy {
        reporting_day: 31,
        ..SupervisionPolicy::default()
    };
    let year = task(4, date!(2026 - 01 - 01), date!(2026 - 12 - 31));
    let mut late_start = year.clone();
    late_start.fields.start = date!(2026 - 09 - 26);
    let leap = task(4, date!(2027 - 12 - 01), date!(2028 - 12 - 31));
    let mut closed = year.clone();
    closed.status = TaskStatus::Closed;
    let k = |period: &str| format!("{}:report-missing:{period}", tkey(4));
    type Case<'a> = (
        &'a SupervisionPolicy,
        &'a Task,
        Date,
        Vec<Date>,
        Option<(&'a str, Date)>,
    );
    let cases: Vec<Case> = vec![
        // On the reporting day itself August is still the month being checked.
        (
            &p,
            &year,
            date!(2026 - 09 - 25),
            vec![],
            Some(("2026-08", date!(2026 - 08 - 26))),
        ),
        (
            &p,
            &year,
            date!(2026 - 09 - 26),
            vec![date!(2026 - 08 - 10)],
            Some(("2026-09", date!(2026 - 09 - 26))),
        ),
        (
            &p,
            &year,
            date!(2026 - 09 - 26),
            vec![date!(2026 - 09 - 25)],
            None,
        ),
        (
            &p,
            &year,
            date!(2026 - 09 - 26),
            vec![date!(2026 - 09 - 01)],
            None,
        ),
        // A late report does not clear the event; one from the month before does not count.
        (
            &p,
            &year,
            date!(2026 - 09 - 30),
            vec![date!(2026 - 09 - 26)],
            Some(("2026-09", date!(2026 - 09 - 26))),
        ),
        (
            &p,
            &year,
            date!(2026 - 09 - 26),
            vec![date!(2026 - 08 - 31)],
            Some(("2026-09", date!(2026 - 09 - 26))),
        ),
        // Early January checks December, before the task started.
        (&p, &year, date!(2026 - 01 - 10), vec![], None),
        // Started after September's reporting day: nothing owed for September.
        (&p, &late_start, date!(2026 - 09 - 27), vec![], None),
        (
            &p,
            &late_start,
            date!(2026 - 10 - 26),
            vec![],
            Some(("2026-10", date!(2026 - 10 - 26))),
        ),
        (&p, &closed, date!(2026 - 10 - 26), vec![], None),
        // Reporting day 31: February 2028 ends on the 29th.
        (
            &p31,
            &leap,
            date!(2028 - 02 - 29),
            vec![],
            Some(("2028-01", date!(2028 - 02 - 01))),
        ),
        (
            &p31,
            &leap,
            date!(2028 - 03 - 01),
            vec![],
            Some(("2028-02", date!(2028 - 03 - 01))),
        ),
        (
            &p31,
            &leap,
            date!(2028 - 03 - 01),
            vec![date!(2028 - 02 - 29)],
            None,
        ),
    ];
    for (i, (policy, t, as_of, reports, want)) in cases.into_iter().enumerate() {
        let out = run_tasks(policy, as_of, &[facts(t, &reports, &[])]);
        let want: Vec<(String, Date)> = want.map(|(per, d)| (k(per), d)).into_iter().collect();
        assert_eq!(of_kind(&out, "report_missing"), want, "case {i}: {as_of}");
    }
    let out = run_tasks(&p, date!(2026 - 09 - 26), &[facts(&year, &[], &[])]);
    let e = out
        .events
        .iter()
        .find(|e| e.kind.name() == "report_missing")
        .unwrap();
    let sept = Period::parse("p", "2026-09").unwrap();
    assert_eq!(e.kind, EventKind::ReportMissing { period: sept });
    assert_eq!(e.detail, "monthly report for 2026-09 due 2026-09-25");
}

#[test]
fn missing_indicator_values() {
    let p = SupervisionPolicy::default();
    let ind = IndicatorId::from_uuid(Uuid::from_u128(0x11));
    let ob = |period: &str, reported_on| IndicatorObligation {
        indicator: ind,
        unit: unit(5),
        period: Period::parse("p", period).unwrap(),
        reported_on,
    };
    let key = |period: &str| format!("indicator:{ind}:unit:{}:report-missing:{period}", unit(5));
    let cases = [
        (ob("2026-09", None), date!(2026 - 10 - 25), None),
        (
            ob("2026-09", None),
            date!(2026 - 10 - 26),
            Some(("2026-09", date!(2026 - 10 - 26))),
        ),
        (
            ob("2026-09", Some(date!(2026 - 10 - 25))),
            date!(2026 - 10 - 26),
            None,
        ),
        (
            ob("2026-09", Some(date!(2026 - 10 - 27))),
            date!(2026 - 11 - 03),
            Some(("2026-09", date!(2026 - 10 - 26))),
        ),
        (
            ob("2026-12", None),
            date!(2027 - 01 - 26),
            Some(("2026-12", date!(2027 - 01 - 26))),
        ),
    ];
    for (i, (o, as_of, want)) in cases.into_iter().enumerate() {
        let obligations = [o];
        let f = SweepFacts {
            indicators: &obligations,
            ..SweepFacts::default()
        };
        let out = sweep(&p, as_of, &f);
        let want: Vec<(String, Date)> = want.map(|(per, d)| (key(per), d)).into_iter().collect();
        assert_eq!(of_kind(&out, "report_missing"), want, "case {i}");
        if let Some(e) = out.events.first() {
            assert_eq!(e.unit, unit(5));
        }
    }
}

#[test]
fn notices_and_generic_items_are_chased() {
    let p = SupervisionPolicy::default();
    let fields = NoticeFields {
        subject: NoticeSubject::Unit,
        unit: unit(6),
        requirement: "报送整改方案".into(),
        issued_on: date!(2026 - 09 - 30),
        respond_by: date!(2026 - 10 - 10),
        follows: None,
    };
    let issued = Notice::issue(notice_id(1), region(), "督办", 3, fields).unwrap();
    let answered = issued
        .after(
            &NoticeAction::Respond {
                text: "已整改".into(),
            },
            date!(2026 - 10 - 09),
        )
        .unwrap();
    let nk = format!("notice:{}:respond-by:2026-10-10", notice_id(1));
    let cases = [
        (
            &issued,
            date!(2026 - 10 - 03),
            vec![(format!("{nk}:approaching:7d"), date!(2026 - 10 - 03))],
        ),
        (
            &issued,
            date!(2026 - 10 - 11),
            vec![(format!("{nk}:overdue:1d"), date!(2026 - 10 - 11))],
        ),
        (&answered, date!(2026 - 10 - 11), vec![]),
    ];
    for (n, as_of, want) in cases {
        let notices = [n.clone()];
        let f = SweepFacts {
            notices: &notices,
            ..SweepFacts::default()
        };
        let out = sweep(&p, as_of, &f);
        assert_eq!(reminders(&out), want, "{as_of}");
        assert!(out.events.iter().all(|e| e.unit == unit(6)));
    }

    for (kind, key, ok) in [
        ("project", "p-2026.07", true),
        ("key_project2", "A_1", true),
        ("task", "x", false),
        ("Project", "x", false),
        ("", "x", false),
        ("project", "a:b", false),
        ("project", "", false),
    ] {
        assert_eq!(ItemRef::new(kind, key).is_ok(), ok, "{kind:?} {key:?}");
    }
    assert_eq!(ItemRef::new("project", "a b").unwrap_err().field, "key");
    assert_eq!(ItemRef::new("notice", "a").unwrap_err().field, "kind");
    let item = DeadlineItem {
        item: ItemRef::new("project", "p-2026.07").unwrap(),
        unit: unit(7),
        due: date!(2026 - 12 - 31),
        done: false,
        lamp: Some(Lamp::Red),
        last_lamp: Some(Lamp::Yellow),
    };
    let items = [item.clone()];
    let f = SweepFacts {
        items: &items,
        ..SweepFacts::default()
    };
    let out = sweep(&p, date!(2027 - 01 - 01), &f);
    let keys: Vec<&str> = out.events.iter().map(|e| e.dedup_key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "project:p-2026.07:due:2026-12-31:overdue:1d",
            "project:p-2026.07:lamp:yellow-red:2027-01-01"
        ]
    );
    let done = [DeadlineItem {
        done: true,
        last_lamp: Some(Lamp::Red),
        ..item
    }];
    let f = SweepFacts {
        items: &done,
        ..SweepFacts::default()
    };
    assert!(sweep(&p, date!(2027 - 01 - 01), &f).events.is_empty());
}

#[test]
fn lamp_changes_need_a_previous_observation() {
    let p = SupervisionPolicy::default();
    // 1 March 2026, nothing reported on a calendar-year task: expected 59/364 = 16.21% → yellow.
    let t = task(8, date!(2026 - 01 - 01), date!(2026 - 12 - 31));
    let as_of = date!(2026 - 03 - 01);
    let cases = [
        (None, None),
        (Some(Lamp::Yellow), None),
        (Some(Lamp::Green), Some("green-yellow")),
        (Some(Lamp::Red), Some("red-yellow")),
    ];
    for (last, want) in cases {
        let f = TaskFacts {
            last_lamp: last,
            ..facts(&t, &[], &[])
        };
        let out = run_tasks(&p, as_of, &[f]);
        let want: Vec<(String, Date)> = want
            .map(|c| (format!("{}:lamp:{c}:2026-03-01", tkey(8)), as_of))
            .into_iter()
            .collect();
        assert_eq!(of_kind(&out, "lamp_changed"), want, "{last:?}");
        assert_eq!(out.lamps.len(), 1);
        assert_eq!(
            (&out.lamps[0].subject, out.lamps[0].lamp),
            (&Subject::Task(t.id), Lamp::Yellow)
        );
    }
    let mut draft = t.clone();
    draft.status = TaskStatus::Draft;
    let f = TaskFacts {
        last_lamp: Some(Lamp::Red),
        ..facts(&draft, &[], &[])
    };
    let out = run_tasks(&p, as_of, &[f]);
    assert!(out.lamps.is_empty() && out.events.is_empty());
}

#[test]
fn the_regions_lamp_thresholds_decide_the_lamp() {
    // 1 March 2026, nothing reported: 16.21 points behind, yellow by the defaults (10 / 30).
    let t = task(9, date!(2026 - 01 - 01), date!(2026 - 12 - 31));
    let as_of = date!(2026 - 03 - 01);
    let lamp_with = |yellow: &str, red: &str| {
        let mut p = SupervisionPolicy::default();
        p.lamps.yellow_behind_pp = dec(yellow);
        p.lamps.red_behind_pp = dec(red);
        let f = TaskFacts {
            last_lamp: Some(Lamp::Yellow),
            ..facts(&t, &[], &[])
        };
        let out = run_tasks(&p, as_of, &[f]);
        (out.lamps[0].lamp, of_kind(&out, "lamp_changed").len())
    };
    assert_eq!(lamp_with("10", "30"), (Lamp::Yellow, 0));
    // A region that calls 15 points behind red records the change from yellow.
    assert_eq!(lamp_with("5", "15"), (Lamp::Red, 1));
}
