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

fn task(status: TaskStatus, start: Date, deadline: Date, closed_on: Option<Date>) -> Task {
    use luoshi_domain::task::{TaskFields, TaskSource};
    let id = |n| Uuid::from_u128(n);
    Task {
        id: TaskId::from_uuid(id(7)),
        region: luoshi_domain::ids::RegionId::from_uuid(id(1)),
        plan: luoshi_domain::ids::PlanId::from_uuid(id(2)),
        fields: TaskFields {
            section: None,
            external_id: None,
            title: "paving".into(),
            description: String::new(),
            source: TaskSource::Plan,
            lead_unit: UnitId::from_uuid(id(3)),
            co_units: vec![],
            lead_official: None,
            responsible_person: None,
            liaison: None,
            start,
            deadline,
            milestones: vec![],
            quantity: None,
            weight: Decimal::from(2),
        },
        status,
        requested_deadline: None,
        progress_pct: Decimal::ZERO,
        quantity_done: None,
        last_report_on: None,
        done_reported_on: None,
        closed_on,
        version: 1,
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
