#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use time::macros::{date, datetime};
use uuid::Uuid;

fn outcome(n: u128, assigned: Date, closed: Option<Date>, cancelled: Option<Date>) -> TaskOutcome {
    TaskOutcome {
        task: TaskId::from_uuid(Uuid::from_u128(n)),
        title: format!("task {n}"),
        weight: Decimal::ONE,
        assigned_on: assigned,
        deadline: date!(2026 - 12 - 31),
        extensions: vec![],
        closed_on: closed,
        cancelled_on: cancelled,
    }
}

fn rate(v: MetricValue) -> (Decimal, Decimal) {
    match v {
        MetricValue::Rate {
            numerator,
            denominator,
        } => (numerator, denominator),
        MetricValue::Amount(_) => panic!("not a rate"),
    }
}

#[test]
fn reporting_rate_counts_each_month_a_report_was_owed() {
    let t1 = outcome(1, date!(2026 - 01 - 05), None, None);
    // Assigned on 2 Feb: owes nothing for February (not assigned by the 1st), from March on.
    let t2 = outcome(2, date!(2026 - 02 - 02), None, None);
    // Closed on 20 March: owes nothing from March on.
    let t3 = outcome(3, date!(2026 - 01 - 01), Some(date!(2026 - 03 - 20)), None);
    let day = |n: u128| TaskId::from_uuid(Uuid::from_u128(n));
    let mut reports: HashMap<TaskId, Vec<Date>> = HashMap::new();
    // t1: January on time, February late (26th), March on time.
    reports.insert(
        day(1),
        vec![
            date!(2026 - 01 - 20),
            date!(2026 - 02 - 26),
            date!(2026 - 03 - 25),
        ],
    );
    // t2: March on time.
    reports.insert(day(2), vec![date!(2026 - 03 - 10)]);
    // t3: January on time, nothing in February.
    reports.insert(day(3), vec![date!(2026 - 01 - 25)]);
    let tasks = [t1, t2, t3];
    let reports: HashMap<TaskId, &[Date]> =
        reports.iter().map(|(t, d)| (*t, d.as_slice())).collect();
    let deadline =
        |p: Period| Date::from_calendar_date(p.year(), p.month().try_into().unwrap(), 25).unwrap();
    // (as of, on time, due) worked out by hand; t1 was assigned on 5 January, so it owes its
    // first report in February:
    // Jan 25: t3 yes → 1 / 1.
    // Feb 25: + t1 no (26th), t3 no (none) → 1 / 3.
    // Mar 25: + t1 yes, t2 yes (t3 closed on the 20th) → 3 / 5.
    let cases = [
        (date!(2026 - 01 - 24), 0, 0),
        (date!(2026 - 01 - 25), 1, 1),
        (date!(2026 - 02 - 28), 1, 3),
        (date!(2026 - 03 - 25), 3, 5),
        (date!(2026 - 04 - 24), 3, 5),
    ];
    for (as_of, on_time, due) in cases {
        let got = rate(reporting_rate(&tasks, &reports, deadline, as_of));
        assert_eq!(
            got,
            (Decimal::from(on_time), Decimal::from(due)),
            "as of {as_of}"
        );
    }
}

fn task(status: TaskStatus, start: Date, deadline: Date, closed_on: Option<Date>) -> TaskOutline {
    TaskOutline {
        id: TaskId::from_uuid(Uuid::from_u128(7)),
        lead_unit: UnitId::from_uuid(Uuid::from_u128(3)),
        title: "paving".into(),
        weight: Decimal::from(2),
        status,
        deadline,
        closed_on,
        created_at: start.midnight().assume_utc(),
        first_report_days: vec![],
    }
}

fn ev(at: OffsetDateTime, from: TaskStatus, to: TaskStatus, deadline_after: Date) -> HistoryEvent {
    HistoryEvent {
        task: TaskId::from_uuid(Uuid::from_u128(7)),
        at,
        from,
        to,
        deadline_after,
    }
}

#[test]
fn a_task_outcome_reads_history_as_of_the_date() {
    use TaskStatus as S;
    let june = date!(2026 - 06 - 30);
    let sept = date!(2026 - 09 - 30);
    // Today the task is closed on 10 October after an extension approved on 1 July.
    let now = task(
        S::Closed,
        date!(2026 - 01 - 01),
        sept,
        Some(date!(2026 - 10 - 10)),
    );
    let history = [
        ev(datetime!(2026-01-05 09:00 UTC), S::Draft, S::Assigned, june),
        ev(
            datetime!(2026-01-06 09:00 UTC),
            S::Assigned,
            S::InProgress,
            june,
        ),
        ev(
            datetime!(2026-06-20 09:00 UTC),
            S::InProgress,
            S::ExtensionRequested,
            june,
        ),
        ev(
            datetime!(2026-07-01 09:00 UTC),
            S::ExtensionRequested,
            S::InProgress,
            sept,
        ),
        ev(
            datetime!(2026-10-08 09:00 UTC),
            S::InProgress,
            S::ReportedDone,
            sept,
        ),
        ev(
            datetime!(2026-10-10 09:00 UTC),
            S::ReportedDone,
            S::Closed,
            sept,
        ),
    ];
    let refs: Vec<&HistoryEvent> = history.iter().collect();
    // (as of, exists, deadline in force, closed on)
    let cases = [
        (date!(2026 - 01 - 04), false, june, None),
        (date!(2026 - 01 - 05), true, june, None),
        (date!(2026 - 06 - 30), true, june, None),
        (date!(2026 - 07 - 01), true, sept, None),
        (date!(2026 - 10 - 09), true, sept, None),
        (
            date!(2026 - 12 - 31),
            true,
            sept,
            Some(date!(2026 - 10 - 10)),
        ),
    ];
    for (as_of, exists, deadline, closed) in cases {
        let got = task_outcome(&now, date!(2026 - 01 - 02), &refs, as_of);
        assert_eq!(got.is_some(), exists, "as of {as_of}");
        let Some(o) = got else { continue };
        assert_eq!(o.assigned_on, date!(2026 - 01 - 05));
        assert_eq!(o.deadline, june, "the original deadline");
        assert_eq!(o.deadline_as_of(as_of), deadline, "as of {as_of}");
        assert_eq!(o.closed_on, closed, "as of {as_of}");
        assert_eq!(o.weight, Decimal::from(2));
    }
    // Cancelled: counts from the cancellation's day.
    let cancelled = [
        ev(datetime!(2026-01-05 09:00 UTC), S::Draft, S::Assigned, june),
        ev(
            datetime!(2026-03-02 23:59 UTC),
            S::Assigned,
            S::Cancelled,
            june,
        ),
    ];
    let refs: Vec<&HistoryEvent> = cancelled.iter().collect();
    let o = task_outcome(&now, date!(2026 - 01 - 02), &refs, date!(2026 - 03 - 02)).unwrap();
    assert_eq!(o.cancelled_on, Some(date!(2026 - 03 - 02)));
    let o = task_outcome(&now, date!(2026 - 01 - 02), &refs, date!(2026 - 03 - 01)).unwrap();
    assert_eq!(o.cancelled_on, None);
    // Created already assigned (no event leaves draft): counts from its creation.
    let direct = [ev(
        datetime!(2026-02-03 09:00 UTC),
        S::Assigned,
        S::InProgress,
        june,
    )];
    let refs: Vec<&HistoryEvent> = direct.iter().collect();
    let made = date!(2026 - 02 - 01);
    assert_eq!(task_outcome(&now, made, &refs, date!(2026 - 01 - 31)), None);
    let o = task_outcome(&now, made, &refs, date!(2026 - 02 - 01)).unwrap();
    assert_eq!(o.assigned_on, made);
    // A draft never assigned does not exist for the assessment.
    let draft = task(S::Draft, date!(2026 - 01 - 01), june, None);
    assert_eq!(task_outcome(&draft, made, &[], date!(2026 - 12 - 31)), None);
}

fn notice(issued: Date, respond_by: Date, responded: Option<Date>) -> Notice {
    use luoshi_domain::supervision::notice::Response;
    use luoshi_domain::supervision::{NoticeFields, NoticeStatus, NoticeSubject};
    Notice {
        id: luoshi_domain::ids::NoticeId::from_uuid(Uuid::now_v7()),
        region: luoshi_domain::ids::RegionId::from_uuid(Uuid::from_u128(9)),
        year: 2026,
        sequence: 1,
        number: "督办〔2026〕1号".into(),
        fields: NoticeFields {
            subject: NoticeSubject::Unit,
            unit: UnitId::from_uuid(Uuid::from_u128(1)),
            requirement: "加快进度".into(),
            issued_on: issued,
            respond_by,
            follows: None,
        },
        status: if responded.is_some() {
            NoticeStatus::Responded
        } else {
            NoticeStatus::Issued
        },
        response: responded.map(|d| Response {
            text: "已整改".into(),
            responded_on: d,
        }),
        decided_on: None,
        version: 1,
    }
}

#[test]
fn notices_answered_on_time_as_of_a_date() {
    let list = [
        // Answered on time (10 March for 15 March).
        notice(
            date!(2026 - 03 - 01),
            date!(2026 - 03 - 15),
            Some(date!(2026 - 03 - 10)),
        ),
        // Answered late (20 April for 15 April).
        notice(
            date!(2026 - 04 - 01),
            date!(2026 - 04 - 15),
            Some(date!(2026 - 04 - 20)),
        ),
        // Never answered, due 15 May.
        notice(date!(2026 - 05 - 01), date!(2026 - 05 - 15), None),
        // Issued 1 August: does not exist before.
        notice(
            date!(2026 - 08 - 01),
            date!(2026 - 08 - 15),
            Some(date!(2026 - 08 - 02)),
        ),
    ];
    let cases = [
        // Nothing issued yet.
        (date!(2026 - 02 - 28), (0, 0)),
        // The first not yet answered and not yet due: nothing due.
        (date!(2026 - 03 - 05), (0, 0)),
        (date!(2026 - 03 - 31), (1, 1)),
        // 16 April: the second is past its date, unanswered (its late answer is not known yet).
        (date!(2026 - 04 - 16), (1, 2)),
        (date!(2026 - 04 - 30), (1, 2)),
        (date!(2026 - 05 - 16), (1, 3)),
        (date!(2026 - 12 - 31), (2, 4)),
    ];
    for (as_of, (on_time, due)) in cases {
        assert_eq!(
            rate(notices_rate(list.iter(), as_of)),
            (Decimal::from(on_time), Decimal::from(due)),
            "{as_of}"
        );
    }
}

#[test]
fn card_events_become_facts_once_known() {
    let event = |kind: &str, colour: &str, occurred: Date, recorded: OffsetDateTime| StoredEvent {
        id: Uuid::from_u128(5),
        dedup_key: "k".into(),
        kind: kind.into(),
        subject: "task:x".into(),
        unit: UnitId::from_uuid(Uuid::from_u128(1)),
        occurred_on: occurred,
        detail: serde_json::json!({ "text": "lamp red", "params": { "colour": colour } }),
        recorded_at: recorded,
    };
    let red = event(
        "card_issued",
        "red",
        date!(2026 - 04 - 30),
        datetime!(2026-05-02 01:00 UTC),
    );
    // Before it was recorded it is not known; after, it is a card for its day.
    assert_eq!(card_fact(&red, Some("修路"), date!(2026 - 05 - 01)), None);
    assert_eq!(
        card_fact(&red, Some("修路"), date!(2026 - 05 - 02)),
        Some(EventFact {
            kind: "card.red".into(),
            on: date!(2026 - 04 - 30),
            subject: "task:x".into(),
            description: "修路".into(),
        })
    );
    let yellow = event(
        "card_issued",
        "yellow",
        date!(2026 - 03 - 31),
        datetime!(2026-03-31 02:00 UTC),
    );
    assert_eq!(
        card_fact(&yellow, None, date!(2026 - 03 - 31)).map(|f| (f.kind, f.description)),
        Some(("card.yellow".into(), "task:x".into()))
    );
    let overdue = event(
        "overdue",
        "",
        date!(2026 - 03 - 31),
        datetime!(2026-03-31 02:00 UTC),
    );
    assert_eq!(card_fact(&overdue, None, date!(2026 - 12 - 31)), None);
}

#[test]
fn investment_completion_in_wan_yuan_as_of_a_date() {
    let p = |y: i32, m: u8| Period::new("period", y, m).unwrap();
    let yi = MeasureUnit::YiYuan;
    let wan = MeasureUnit::WanYuan;
    let projects = [
        // 1 亿元 planned = 10000 万元; 0.3 亿元 by March, revised to 0.4 on 20 May.
        ProjectInvestment {
            unit: &yi,
            year: 2026,
            annual: Decimal::ONE,
            values: vec![
                (p(2026, 3), 1, Decimal::new(3, 1), date!(2026 - 04 - 10)),
                (p(2026, 3), 2, Decimal::new(4, 1), date!(2026 - 05 - 20)),
            ],
        },
        // 5000 万元 planned; 2000 by April, recorded 12 May.
        ProjectInvestment {
            unit: &wan,
            year: 2026,
            annual: Decimal::from(5000),
            values: vec![(p(2026, 4), 1, Decimal::from(2000), date!(2026 - 05 - 12))],
        },
        // Another year's project does not count.
        ProjectInvestment {
            unit: &wan,
            year: 2025,
            annual: Decimal::from(9000),
            values: vec![],
        },
    ];
    let cases = [
        (date!(2026 - 03 - 31), (0, 15000)),
        (date!(2026 - 04 - 30), (3000, 15000)),
        (date!(2026 - 05 - 15), (5000, 15000)),
        (date!(2026 - 05 - 31), (6000, 15000)),
    ];
    for (as_of, (done, planned)) in cases {
        let (n, d) = rate(investment_rate(&projects, as_of));
        assert_eq!(
            (n.normalize(), d.normalize()),
            (Decimal::from(done), Decimal::from(planned)),
            "{as_of}"
        );
    }
}
