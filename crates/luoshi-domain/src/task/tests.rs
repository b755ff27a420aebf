use super::*;
use crate::measure::dec;
use time::macros::date;
use uuid::Uuid;

fn unit(n: u128) -> UnitId {
    UnitId::from_uuid(Uuid::from_u128(n))
}

fn fields() -> TaskFields {
    TaskFields {
        section: None,
        external_id: None,
        title: "建成3—5个新农村示范村".into(),
        description: String::new(),
        source: TaskSource::Plan,
        lead_unit: unit(1),
        co_units: vec![unit(2)],
        lead_official: None,
        responsible_person: None,
        liaison: None,
        start: date!(2026 - 01 - 01),
        deadline: date!(2026 - 12 - 31),
        milestones: vec![],
        quantity: Some(QuantityTarget {
            min: dec("3"),
            max: Some(dec("5")),
            unit: "个".into(),
        }),
        weight: dec("10"),
    }
}

fn task(status: TaskStatus, progress: &str) -> Task {
    Task {
        id: TaskId::from_uuid(Uuid::from_u128(7)),
        region: RegionId::from_uuid(Uuid::from_u128(8)),
        plan: PlanId::from_uuid(Uuid::from_u128(9)),
        fields: fields(),
        status,
        requested_deadline: None,
        progress_pct: dec(progress),
        quantity_done: None,
        last_report_on: None,
        done_reported_on: None,
        closed_on: None,
        version: 1,
    }
}

#[test]
fn validation_names_fields() {
    let mut f = fields();
    f.deadline = date!(2025 - 12 - 31);
    assert_eq!(f.validate().unwrap_err().field, "deadline");
    let mut f = fields();
    f.co_units.push(unit(1));
    assert_eq!(f.validate().unwrap_err().field, "co_unit_ids[1]");
    let mut f = fields();
    f.co_units.push(unit(2));
    assert_eq!(f.validate().unwrap_err().field, "co_unit_ids[1]");
    let mut f = fields();
    f.milestones = vec![
        Milestone {
            title: "a".into(),
            due: date!(2026 - 03 - 31),
            target_pct: dec("40"),
        },
        Milestone {
            title: "b".into(),
            due: date!(2026 - 06 - 30),
            target_pct: dec("30"),
        },
    ];
    assert_eq!(f.validate().unwrap_err().field, "milestones[1].target_pct");
    let mut f = fields();
    f.milestones = vec![Milestone {
        title: "a".into(),
        due: date!(2027 - 03 - 31),
        target_pct: dec("40"),
    }];
    assert_eq!(f.validate().unwrap_err().field, "milestones[0].due");
    let mut f = fields();
    f.weight = dec("-1");
    assert_eq!(f.validate().unwrap_err().field, "weight");
    assert!(fields().validate().is_ok());
}

#[test]
fn expected_progress_is_linear_through_milestones() {
    let (s, d) = (date!(2026 - 01 - 01), date!(2026 - 12 - 31));
    let none: [Milestone; 0] = [];
    let cases = [
        (date!(2025 - 12 - 01), "0"),
        (date!(2026 - 01 - 01), "0"),
        (date!(2026 - 07 - 02), "50"), // 182 of 364 days
        (date!(2026 - 12 - 31), "100"),
        (date!(2027 - 02 - 01), "100"),
    ];
    for (today, want) in cases {
        assert_eq!(expected_progress(s, d, &none, today), dec(want), "{today}");
    }
    // A milestone of 80% by the end of March front-loads the expectation.
    let ms = [Milestone {
        title: "m".into(),
        due: date!(2026 - 03 - 31),
        target_pct: dec("80"),
    }];
    assert_eq!(
        expected_progress(s, d, &ms, date!(2026 - 03 - 31)),
        dec("80")
    );
    // 45 of the 89 days to the milestone: 80 × 45 / 89.
    assert_eq!(
        expected_progress(s, d, &ms, date!(2026 - 02 - 15)),
        dec("40.45")
    );
    // 137 of the 275 days from the milestone to the deadline: 80 + 20 × 137 / 275.
    assert_eq!(
        expected_progress(s, d, &ms, date!(2026 - 08 - 15)),
        dec("89.96")
    );
}

#[test]
fn lamp_matrix() {
    let p = LampPolicy::default();
    // (status, progress, today, lamp, overdue)
    let cases = [
        (
            TaskStatus::InProgress,
            "50",
            date!(2026 - 07 - 02),
            Some(Lamp::Green),
            false,
        ),
        (
            TaskStatus::InProgress,
            "40",
            date!(2026 - 07 - 02),
            Some(Lamp::Yellow),
            false,
        ),
        (
            TaskStatus::InProgress,
            "20",
            date!(2026 - 07 - 02),
            Some(Lamp::Yellow),
            false,
        ),
        (
            TaskStatus::InProgress,
            "19",
            date!(2026 - 07 - 02),
            Some(Lamp::Red),
            false,
        ),
        (
            TaskStatus::InProgress,
            "99",
            date!(2026 - 12 - 29),
            Some(Lamp::Blue),
            false,
        ),
        (
            TaskStatus::InProgress,
            "99",
            date!(2027 - 01 - 01),
            Some(Lamp::Red),
            true,
        ),
        (
            TaskStatus::Assigned,
            "0",
            date!(2026 - 01 - 20),
            Some(Lamp::Green),
            false,
        ),
        // Not started once its planned month is over: yellow even though only 8 pp behind.
        (
            TaskStatus::Assigned,
            "0",
            date!(2026 - 02 - 01),
            Some(Lamp::Yellow),
            false,
        ),
        (
            TaskStatus::ExtensionRequested,
            "90",
            date!(2027 - 01 - 05),
            Some(Lamp::Red),
            true,
        ),
        (
            TaskStatus::ReportedDone,
            "100",
            date!(2027 - 01 - 05),
            Some(Lamp::Green),
            false,
        ),
        (
            TaskStatus::Closed,
            "100",
            date!(2027 - 01 - 05),
            Some(Lamp::Green),
            false,
        ),
        (
            TaskStatus::Cancelled,
            "10",
            date!(2027 - 01 - 05),
            None,
            false,
        ),
        (TaskStatus::Draft, "0", date!(2027 - 01 - 05), None, false),
    ];
    for (status, progress, today, lamp, overdue) in cases {
        let s = standing(&task(status, progress), today, &p);
        assert_eq!(
            (s.lamp, s.overdue),
            (lamp, overdue),
            "{status:?} {progress}% on {today}"
        );
    }
}

#[test]
fn lifecycle_transitions() {
    use TaskStatus as S;
    let d = date!(2026 - 12 - 31);
    let r = || "资金未到位".to_string();
    let ok = [
        (S::Draft, TaskAction::Assign, S::Assigned),
        (S::Assigned, TaskAction::Acknowledge, S::InProgress),
        (
            S::InProgress,
            TaskAction::RequestExtension {
                new_deadline: date!(2027 - 03 - 31),
                reason: r(),
            },
            S::ExtensionRequested,
        ),
        (
            S::ExtensionRequested,
            TaskAction::ApproveExtension,
            S::InProgress,
        ),
        (
            S::ExtensionRequested,
            TaskAction::RejectExtension { reason: r() },
            S::InProgress,
        ),
        (S::InProgress, TaskAction::ReportDone, S::ReportedDone),
        (
            S::ReportedDone,
            TaskAction::Return { reason: r() },
            S::InProgress,
        ),
        (S::ReportedDone, TaskAction::Close, S::Closed),
        (
            S::Assigned,
            TaskAction::Cancel { reason: r() },
            S::Cancelled,
        ),
    ];
    for (from, action, to) in ok {
        assert_eq!(
            apply(from, d, &action),
            Ok(to),
            "{from:?} {}",
            action.name()
        );
    }
    let refused = [
        (S::Closed, TaskAction::Return { reason: r() }),
        (S::Closed, TaskAction::Cancel { reason: r() }),
        (S::Assigned, TaskAction::ReportDone),
        (S::InProgress, TaskAction::Close),
        (S::Draft, TaskAction::Acknowledge),
        (S::Cancelled, TaskAction::Assign),
    ];
    for (from, action) in refused {
        assert!(
            matches!(
                apply(from, d, &action),
                Err(TransitionError::NotAllowed { .. })
            ),
            "{from:?} {}",
            action.name()
        );
    }
    let no_reason = apply(
        S::ReportedDone,
        d,
        &TaskAction::Return { reason: " ".into() },
    );
    assert!(matches!(no_reason, Err(TransitionError::Invalid(e)) if e.field == "reason"));
    let earlier = apply(
        S::InProgress,
        d,
        &TaskAction::RequestExtension {
            new_deadline: d,
            reason: r(),
        },
    );
    assert!(matches!(earlier, Err(TransitionError::Invalid(e)) if e.field == "new_deadline"));
}

#[test]
fn progress_from_percent_or_quantity() {
    let f = fields();
    let input = |p: Option<&str>, q: Option<&str>| ProgressInput {
        percent: p.map(dec),
        quantity_done: q.map(dec),
        summary: "两个村已完成规划".into(),
        problems: String::new(),
        next_steps: String::new(),
    };
    assert_eq!(
        validate_progress(&f, input(Some("40"), None))
            .unwrap()
            .percent,
        dec("40")
    );
    // 2 of at least 3 villages.
    assert_eq!(
        validate_progress(&f, input(None, Some("2")))
            .unwrap()
            .percent,
        dec("66.67")
    );
    assert_eq!(
        validate_progress(&f, input(None, Some("5")))
            .unwrap()
            .percent,
        dec("100")
    );
    assert_eq!(
        validate_progress(&f, input(Some("101"), None))
            .unwrap_err()
            .field,
        "percent"
    );
    assert_eq!(
        validate_progress(&f, input(None, None)).unwrap_err().field,
        "percent"
    );
    assert_eq!(
        validate_progress(&f, input(None, Some("-1")))
            .unwrap_err()
            .field,
        "quantity_done"
    );
    let mut blank = input(Some("1"), None);
    blank.summary = " ".into();
    assert_eq!(validate_progress(&f, blank).unwrap_err().field, "summary");
}

#[test]
fn actions_move_dates_and_deadlines() {
    let today = date!(2026 - 11 - 20);
    let t = task(TaskStatus::InProgress, "60");
    let asked = t
        .after(
            &TaskAction::RequestExtension {
                new_deadline: date!(2027 - 03 - 31),
                reason: "征地未完成".into(),
            },
            today,
        )
        .unwrap();
    assert_eq!(
        (asked.status, asked.requested_deadline),
        (TaskStatus::ExtensionRequested, Some(date!(2027 - 03 - 31)))
    );
    let approved = asked.after(&TaskAction::ApproveExtension, today).unwrap();
    assert_eq!(
        (approved.fields.deadline, approved.requested_deadline),
        (date!(2027 - 03 - 31), None)
    );
    let rejected = asked
        .after(
            &TaskAction::RejectExtension {
                reason: "理由不足".into(),
            },
            today,
        )
        .unwrap();
    assert_eq!(
        (rejected.fields.deadline, rejected.requested_deadline),
        (date!(2026 - 12 - 31), None)
    );
    let done = t.after(&TaskAction::ReportDone, today).unwrap();
    assert_eq!(done.done_reported_on, Some(today));
    let back = done
        .after(
            &TaskAction::Return {
                reason: "材料不全".into(),
            },
            today,
        )
        .unwrap();
    assert_eq!(
        (back.status, back.done_reported_on),
        (TaskStatus::InProgress, None)
    );
    let closed = done.after(&TaskAction::Close, today).unwrap();
    assert_eq!(
        (closed.status, closed.closed_on),
        (TaskStatus::Closed, Some(today))
    );
    assert_eq!(
        task(TaskStatus::Assigned, "0").progress_allowed(),
        Ok(Some(TaskAction::Acknowledge))
    );
    assert_eq!(t.progress_allowed(), Ok(None));
    assert!(closed.progress_allowed().is_err());
}

#[test]
fn actions_parse_by_name_and_need_their_permission() {
    use crate::authz::{Permission, action_permission};
    let r = || "理由".to_string();
    for a in [
        TaskAction::Assign,
        TaskAction::Close,
        TaskAction::Return { reason: r() },
        TaskAction::ReportDone,
    ] {
        assert_eq!(TaskAction::parse(a.name(), r(), None).unwrap(), a);
    }
    assert_eq!(
        TaskAction::parse("request_extension", r(), None)
            .unwrap_err()
            .field,
        "new_deadline"
    );
    assert_eq!(
        TaskAction::parse("fly", r(), None).unwrap_err().field,
        "action"
    );
    let lead = unit(1);
    assert_eq!(
        action_permission(&TaskAction::Close, lead),
        Permission::ReviewTask
    );
    assert_eq!(
        action_permission(&TaskAction::Acknowledge, lead),
        Permission::ActOnTask { lead }
    );
    assert_eq!(
        action_permission(&TaskAction::Cancel { reason: r() }, lead),
        Permission::ManagePlans
    );
}
