use super::*;
use crate::lamp::Lamp;
use PetitionAction as A;

fn get(c: &CaseClocks, kind: ClockKind) -> &Clock {
    c.get(kind)
        .unwrap_or_else(|| panic!("no {} clock", kind.as_str()))
}

/// (due, finished, days left, status) of one clock.
fn brief(c: &Clock) -> (Date, Option<Date>, i64, ClockStatus) {
    (c.due, c.finished_on, c.days_left, c.status)
}

#[test]
fn months_are_added_with_month_ends_and_leap_years() {
    let cases = [
        (date!(2026 - 01 - 31), 3, date!(2026 - 04 - 30)),
        (date!(2026 - 03 - 15), 1, date!(2026 - 04 - 15)),
        (date!(2026 - 12 - 31), 2, date!(2027 - 02 - 28)),
        (date!(2027 - 11 - 30), 3, date!(2028 - 02 - 29)),
        (date!(2025 - 11 - 30), 3, date!(2026 - 02 - 28)),
        (date!(2028 - 02 - 29), 12, date!(2029 - 02 - 28)),
        (date!(2026 - 05 - 31), 0, date!(2026 - 05 - 31)),
    ];
    for (from, n, want) in cases {
        assert_eq!(add_months(from, n), want, "{from} + {n} months");
    }
}

#[test]
fn working_days_skip_weekends_and_holidays_and_count_make_up_days() {
    // Thursday 2 April 2026; Friday 3 and Monday 6 April as holidays; Saturday 11 April worked.
    let weekends = WorkCalendar::weekends_only();
    let holidays = [date!(2026 - 04 - 03), date!(2026 - 04 - 06)];
    let hol = WorkCalendar::new(&holidays, &[]).unwrap();
    let makeup = WorkCalendar::new(&holidays, &[date!(2026 - 04 - 11)]).unwrap();
    let cases = [
        // Fri 3, Mon 6, Tue 7, Wed 8, Thu 9.
        (&weekends, date!(2026 - 04 - 02), date!(2026 - 04 - 09)),
        // Tue 7, Wed 8, Thu 9, Fri 10, Mon 13.
        (&hol, date!(2026 - 04 - 02), date!(2026 - 04 - 13)),
        // Tue 7, Wed 8, Thu 9, Fri 10, Sat 11 (make-up).
        (&makeup, date!(2026 - 04 - 02), date!(2026 - 04 - 11)),
        // From Friday 10: Sat 11 (make-up), Mon 13, Tue 14, Wed 15, Thu 16.
        (&makeup, date!(2026 - 04 - 10), date!(2026 - 04 - 16)),
    ];
    for (cal, from, want) in cases {
        assert_eq!(cal.add_working_days(from, 5), want, "{from}");
    }
    assert_eq!(
        hol.working_days_between(date!(2026 - 04 - 02), date!(2026 - 04 - 13)),
        5
    );
    assert_eq!(
        hol.working_days_between(date!(2026 - 04 - 13), date!(2026 - 04 - 02)),
        -5
    );
    assert_eq!(
        hol.next_working_day(date!(2026 - 04 - 03)),
        date!(2026 - 04 - 07)
    );
    // Received on a Saturday in the festival week: the 5th working day is the make-up Saturday.
    assert_eq!(
        festival().add_working_days(date!(2026 - 02 - 14), 5),
        date!(2026 - 02 - 28)
    );
    let e = WorkCalendar::new(&[], &[date!(2026 - 04 - 08)]).unwrap_err();
    assert_eq!(
        (e.field.as_str(), e.code),
        ("makeup_days[0]", "not_weekend")
    );
    let e =
        WorkCalendar::new(&holidays, &[date!(2026 - 04 - 11), date!(2026 - 04 - 06)]).unwrap_err();
    assert_eq!(e.field, "makeup_days[1]");
}

/// Registered 31 January, routed 14 February, accepted 27 February 2026.
fn accepted() -> PetitionCase {
    run(
        case(1, date!(2026 - 01 - 31)),
        &[
            (date!(2026 - 02 - 14), A::Route { unit: unit(1) }),
            (date!(2026 - 02 - 27), A::Accept),
        ],
        &festival(),
    )
}

#[test]
fn routing_acceptance_and_handling_clocks() {
    let p = PetitionPolicy::default();
    let cal = festival();
    let c = accepted();
    let at = |d| clocks(&c, d, &p, &cal);
    let k = at(date!(2026 - 04 - 20));
    // 31 January + 15 days = 15 February; routed on the 14th.
    assert_eq!(
        brief(get(&k, ClockKind::Routing)),
        (
            date!(2026 - 02 - 15),
            Some(date!(2026 - 02 - 14)),
            1,
            ClockStatus::Met
        )
    );
    // 14 February + 15 days = 1 March (February 2026 has 28 days).
    assert_eq!(
        brief(get(&k, ClockKind::Acceptance)),
        (
            date!(2026 - 03 - 01),
            Some(date!(2026 - 02 - 27)),
            2,
            ClockStatus::Met
        )
    );
    // Accepted without objecting: no objection window is shown.
    assert!(k.get(ClockKind::Objection).is_none());
    // 27 February + 60 days = 28 April (1 to February's end, 31 in March, 28 in April).
    let concl = get(&k, ClockKind::Conclusion);
    assert_eq!(
        brief(concl),
        (date!(2026 - 04 - 28), None, 8, ClockStatus::Running)
    );
    assert_eq!(
        concl.reminders,
        vec![date!(2026 - 04 - 25), date!(2026 - 04 - 27)]
    );
    assert_eq!(k.lamp, Lamp::Green);
    // Two days before: blue. A day after: missed, red.
    assert_eq!(at(date!(2026 - 04 - 26)).lamp, Lamp::Blue);
    let late = at(date!(2026 - 04 - 29));
    assert_eq!(
        brief(get(&late, ClockKind::Conclusion)),
        (date!(2026 - 04 - 28), None, -1, ClockStatus::Missed)
    );
    assert_eq!(late.lamp, Lamp::Red);
    // Nodes after the day asked about do not count.
    let early = at(date!(2026 - 02 - 20));
    assert_eq!(
        get(&early, ClockKind::Acceptance).status,
        ClockStatus::Running
    );
    assert!(early.get(ClockKind::Conclusion).is_none());
}

#[test]
fn routing_late_is_red() {
    let p = PetitionPolicy::default();
    let c = case(1, date!(2026 - 01 - 31));
    let k = clocks(
        &c,
        date!(2026 - 02 - 16),
        &p,
        &WorkCalendar::weekends_only(),
    );
    assert_eq!(
        brief(get(&k, ClockKind::Routing)),
        (date!(2026 - 02 - 15), None, -1, ClockStatus::Missed)
    );
    assert_eq!(k.lamp, Lamp::Red);
    assert_eq!(k.clocks.len(), 1);
    // Accepted directly by the organ that registered it: routing ends, acceptance runs from
    // registration.
    let direct = run(
        case(2, date!(2026 - 03 - 02)),
        &[(date!(2026 - 03 - 05), A::Accept)],
        &WorkCalendar::weekends_only(),
    );
    let k = clocks(
        &direct,
        date!(2026 - 03 - 10),
        &p,
        &WorkCalendar::weekends_only(),
    );
    assert_eq!(get(&k, ClockKind::Routing).status, ClockStatus::Met);
    assert_eq!(
        brief(get(&k, ClockKind::Acceptance)),
        (
            date!(2026 - 03 - 17),
            Some(date!(2026 - 03 - 05)),
            12,
            ClockStatus::Met
        )
    );
}

#[test]
fn an_extension_moves_the_handling_clock() {
    let p = PetitionPolicy::default();
    let cal = festival();
    let extend = A::Extend {
        days: 30,
        notice_on: date!(2026 - 04 - 21),
        reason: "需要多部门会商".into(),
    };
    let c = run(accepted(), &[(date!(2026 - 04 - 20), extend)], &cal);
    let k = clocks(&c, date!(2026 - 04 - 29), &p, &cal);
    // 28 April + 30 days = 28 May.
    assert_eq!(
        brief(get(&k, ClockKind::Conclusion)),
        (date!(2026 - 05 - 28), None, 29, ClockStatus::Running)
    );
    assert_eq!(k.lamp, Lamp::Green);
    // Before the approval the clock still ends on 28 April.
    let k = clocks(&c, date!(2026 - 04 - 19), &p, &cal);
    assert_eq!(get(&k, ClockKind::Conclusion).due, date!(2026 - 04 - 28));
    let replied = run(c, &[(date!(2026 - 05 - 25), A::Reply)], &cal);
    let k = clocks(&replied, date!(2026 - 05 - 30), &p, &cal);
    assert_eq!(
        brief(get(&k, ClockKind::Conclusion)),
        (
            date!(2026 - 05 - 28),
            Some(date!(2026 - 05 - 25)),
            3,
            ClockStatus::Met
        )
    );
    // The petitioner's review window runs from the reply: 25 May + 30 = 24 June.
    assert_eq!(
        brief(get(&k, ClockKind::ReviewRequest)),
        (date!(2026 - 06 - 24), None, 25, ClockStatus::Running)
    );
    assert!(get(&k, ClockKind::ReviewRequest).reminders.is_empty());
}

#[test]
fn review_and_re_review_clocks() {
    let p = PetitionPolicy::default();
    let cal = WorkCalendar::weekends_only();
    let replied = run(accepted(), &[(date!(2026 - 04 - 20), A::Reply)], &cal);
    // The window closes on 20 May: a request that day is accepted, the next day refused.
    let late = replied.after(&A::RequestReview, date!(2026 - 05 - 21), &p, &cal);
    match late {
        Err(PetitionError::Invalid(e)) => {
            assert_eq!((e.field.as_str(), e.code), ("date", "too_late"))
        }
        other => panic!("{other:?}"),
    }
    let c = run(
        replied,
        &[
            (date!(2026 - 05 - 20), A::RequestReview),
            (
                date!(2026 - 06 - 15),
                A::DecideReview {
                    outcome: ReviewOutcome::Upheld,
                },
            ),
            (date!(2026 - 07 - 10), A::RequestReReview),
            (
                date!(2026 - 08 - 10),
                A::DecideReReview {
                    outcome: ReviewOutcome::Upheld,
                },
            ),
        ],
        &cal,
    );
    assert_eq!(c.status, PetitionStatus::ReReviewed);
    assert_eq!(c.rereview_outcome, Some(ReviewOutcome::Upheld));
    let k = clocks(&c, date!(2026 - 08 - 20), &p, &cal);
    let rows = [
        (
            ClockKind::ReviewRequest,
            date!(2026 - 05 - 20),
            0,
            ClockStatus::Met,
        ),
        (
            ClockKind::ReviewDecision,
            date!(2026 - 06 - 19),
            4,
            ClockStatus::Met,
        ),
        (
            ClockKind::ReReviewRequest,
            date!(2026 - 07 - 15),
            5,
            ClockStatus::Met,
        ),
        // Requested 10 July, due 9 August, decided the 10th: a day late.
        (
            ClockKind::ReReviewDecision,
            date!(2026 - 08 - 09),
            -1,
            ClockStatus::Missed,
        ),
    ];
    for (kind, due, left, status) in rows {
        let clock = get(&k, kind);
        assert_eq!(
            (clock.due, clock.days_left, clock.status),
            (due, left, status),
            "{}",
            kind.as_str()
        );
    }
    assert_eq!(k.lamp, Lamp::Red);
    // After the re-review nothing more is requested: the matter is not accepted again.
    for a in [A::RequestReReview, A::RequestReview] {
        assert!(matches!(
            c.after(&a, date!(2026 - 08 - 20), &p, &cal),
            Err(PetitionError::NotAllowed {
                from: PetitionStatus::ReReviewed,
                ..
            })
        ));
    }
    let closed = run(c, &[(date!(2026 - 08 - 21), A::Close)], &cal);
    assert_eq!(closed.status, PetitionStatus::Closed);
}

#[test]
fn a_re_review_requested_too_late_is_declined() {
    let p = PetitionPolicy::default();
    let cal = WorkCalendar::weekends_only();
    let reviewed = run(
        accepted(),
        &[
            (date!(2026 - 04 - 20), A::Reply),
            (date!(2026 - 05 - 10), A::RequestReview),
            (
                date!(2026 - 06 - 01),
                A::DecideReview {
                    outcome: ReviewOutcome::Upheld,
                },
            ),
        ],
        &cal,
    );
    // 1 June + 30 days = 1 July.
    assert!(
        reviewed
            .after(&A::RequestReReview, date!(2026 - 07 - 01), &p, &cal)
            .is_ok()
    );
    let e = reviewed.after(&A::RequestReReview, date!(2026 - 07 - 02), &p, &cal);
    assert!(
        matches!(e, Err(PetitionError::Invalid(ref v)) if v.code == "too_late"),
        "{e:?}"
    );
    // The unused window lapses (no one's fault) and the case can be closed.
    let k = clocks(&reviewed, date!(2026 - 07 - 05), &p, &cal);
    assert_eq!(
        get(&k, ClockKind::ReReviewRequest).status,
        ClockStatus::Lapsed
    );
    assert_eq!(k.lamp, Lamp::Green);
    let closed = run(reviewed, &[(date!(2026 - 06 - 10), A::Close)], &cal);
    let k = clocks(&closed, date!(2026 - 07 - 05), &p, &cal);
    let w = get(&k, ClockKind::ReReviewRequest);
    assert_eq!((w.status, w.days_left), (ClockStatus::Lapsed, 21));
}

#[test]
fn objection_window_in_working_days() {
    let p = PetitionPolicy::default();
    let cal = festival();
    // Routed on Saturday 14 February: the window ends on the make-up Saturday, 28 February.
    let routed = run(
        case(1, date!(2026 - 02 - 10)),
        &[(date!(2026 - 02 - 14), A::Route { unit: unit(1) })],
        &cal,
    );
    let k = clocks(&routed, date!(2026 - 02 - 26), &p, &cal);
    assert_eq!(
        brief(get(&k, ClockKind::Objection)),
        (date!(2026 - 02 - 28), None, 2, ClockStatus::Running)
    );
    // Not used by then: it lapses; acceptance (due 1 March) is still running on its last day.
    let k = clocks(&routed, date!(2026 - 03 - 01), &p, &cal);
    assert_eq!(get(&k, ClockKind::Objection).status, ClockStatus::Lapsed);
    assert_eq!(get(&k, ClockKind::Acceptance).days_left, 0);
    assert_eq!(k.lamp, Lamp::Blue);
    assert_eq!(
        clocks(&routed, date!(2026 - 03 - 02), &p, &cal).lamp,
        Lamp::Red
    );

    let reason = || "不属于本单位职责".to_owned();
    let on_time = run(
        routed.clone(),
        &[(date!(2026 - 02 - 28), A::Object { reason: reason() })],
        &cal,
    );
    let k = clocks(&on_time, date!(2026 - 03 - 02), &p, &cal);
    assert_eq!(get(&k, ClockKind::Objection).status, ClockStatus::Met);
    assert_eq!(get(&k, ClockKind::Acceptance).status, ClockStatus::Met);
    assert_eq!(k.lamp, Lamp::Green);
    let late = run(
        routed,
        &[(date!(2026 - 03 - 01), A::Object { reason: reason() })],
        &cal,
    );
    let k = clocks(&late, date!(2026 - 03 - 02), &p, &cal);
    assert_eq!(get(&k, ClockKind::Objection).days_left, -1);
    assert_eq!(k.lamp, Lamp::Red);
    // Routed again to another organ: acceptance and objection start over from the new receipt.
    let rerouted = run(
        on_time,
        &[(date!(2026 - 03 - 03), A::Route { unit: unit(2) })],
        &cal,
    );
    assert_eq!(rerouted.handling_unit, Some(unit(2)));
    assert_eq!(rerouted.dates.routed_on, Some(date!(2026 - 02 - 14)));
    let k = clocks(&rerouted, date!(2026 - 03 - 04), &p, &cal);
    assert_eq!(get(&k, ClockKind::Acceptance).due, date!(2026 - 03 - 18));
    // Tuesday 3 March + 5 working days = Tuesday 10 March.
    assert_eq!(
        brief(get(&k, ClockKind::Objection)),
        (date!(2026 - 03 - 10), None, 6, ClockStatus::Running)
    );
}

#[test]
fn leap_years_and_rest_day_roll_over() {
    let cal = WorkCalendar::weekends_only();
    let p = PetitionPolicy::default();
    let due_after = |accepted: Date, p: &PetitionPolicy, cal: &WorkCalendar| {
        let c = run(case(1, accepted), &[(accepted, A::Accept)], cal);
        get(&clocks(&c, accepted, p, cal), ClockKind::Conclusion).due
    };
    // 15 January + 60 days: 15 March in a leap year, 16 March otherwise.
    assert_eq!(
        due_after(date!(2028 - 01 - 15), &p, &cal),
        date!(2028 - 03 - 15)
    );
    assert_eq!(
        due_after(date!(2027 - 01 - 15), &p, &cal),
        date!(2027 - 03 - 16)
    );
    // 3 March 2026 + 60 days = Saturday 2 May.
    assert_eq!(
        due_after(date!(2026 - 03 - 03), &p, &cal),
        date!(2026 - 05 - 02)
    );
    let roll = PetitionPolicy {
        roll_due_past_rest_days: true,
        ..PetitionPolicy::default()
    };
    assert_eq!(
        due_after(date!(2026 - 03 - 03), &roll, &cal),
        date!(2026 - 05 - 04)
    );
    let may_day: Vec<Date> = (1..=5)
        .map(|d| Date::from_calendar_date(2026, time::Month::May, d).unwrap())
        .collect();
    let may = WorkCalendar::new(&may_day, &[]).unwrap();
    assert_eq!(
        due_after(date!(2026 - 03 - 03), &roll, &may),
        date!(2026 - 05 - 06)
    );
}

#[test]
fn case_leader_clock_and_its_one_extension() {
    let p = PetitionPolicy::default();
    let cal = WorkCalendar::weekends_only();
    let led = run(
        case(1, date!(2026 - 01 - 31)),
        &[(date!(2026 - 01 - 31), A::AssignLeader { person: person(7) })],
        &cal,
    );
    let k = clocks(&led, date!(2026 - 04 - 01), &p, &cal);
    // 31 January + 3 months = 30 April.
    assert_eq!(get(&k, ClockKind::CaseLeader).due, date!(2026 - 04 - 30));
    let ext = |to| A::ExtendLeader {
        to,
        reason: "涉及历史遗留问题".into(),
    };
    for bad in [date!(2026 - 04 - 30), date!(2026 - 05 - 31)] {
        let e = led.after(&ext(bad), date!(2026 - 04 - 20), &p, &cal);
        assert!(
            matches!(e, Err(PetitionError::Invalid(ref v)) if v.field == "to"),
            "{bad}: {e:?}"
        );
    }
    let late = led.after(&ext(date!(2026 - 05 - 30)), date!(2026 - 05 - 01), &p, &cal);
    assert!(matches!(late, Err(PetitionError::Invalid(ref v)) if v.code == "too_late"));
    let extended = run(
        led.clone(),
        &[(date!(2026 - 04 - 20), ext(date!(2026 - 05 - 30)))],
        &cal,
    );
    let again = extended.after(&ext(date!(2026 - 05 - 30)), date!(2026 - 04 - 21), &p, &cal);
    assert!(matches!(again, Err(PetitionError::Invalid(ref v)) if v.code == "already_extended"));
    let resolved = run(extended, &[(date!(2026 - 05 - 29), A::Resolve)], &cal);
    let k = clocks(&resolved, date!(2026 - 06 - 10), &p, &cal);
    assert_eq!(
        brief(get(&k, ClockKind::CaseLeader)),
        (
            date!(2026 - 05 - 30),
            Some(date!(2026 - 05 - 29)),
            1,
            ClockStatus::Met
        )
    );
    // Without the extension the same resolution is late.
    let unextended = run(led, &[(date!(2026 - 05 - 29), A::Resolve)], &cal);
    let k = clocks(&unextended, date!(2026 - 06 - 10), &p, &cal);
    assert_eq!(get(&k, ClockKind::CaseLeader).status, ClockStatus::Missed);
    // Taken on 30 November 2027: due on 29 February 2028.
    let leap = run(
        case(2, date!(2027 - 11 - 30)),
        &[(date!(2027 - 11 - 30), A::AssignLeader { person: person(7) })],
        &cal,
    );
    let k = clocks(&leap, date!(2027 - 12 - 01), &p, &cal);
    assert_eq!(get(&k, ClockKind::CaseLeader).due, date!(2028 - 02 - 29));
}
