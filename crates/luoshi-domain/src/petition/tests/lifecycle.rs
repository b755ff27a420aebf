use super::*;
use PetitionAction as A;

#[test]
fn registration_validates_and_names_fields() {
    type Edit = fn(&mut PetitionFields);
    let cases: [(Edit, &str, &str); 7] = [
        (
            |f| f.personal.petitioners.clear(),
            "petitioners",
            "required",
        ),
        (
            |f| f.personal.petitioners[0].name = " ".into(),
            "petitioners[0].name",
            "required",
        ),
        (
            |f| {
                f.personal
                    .petitioners
                    .push(petitioner("李四", Some("110105194912310021"), None));
                f.petitioner_count = 2;
            },
            "petitioners[1].id_number",
            "invalid_id_number",
        ),
        (
            |f| f.personal.petitioners[0].phone = Some("12345".into()),
            "petitioners[0].phone",
            "invalid_phone",
        ),
        (
            |f| f.petitioner_count = 0,
            "petitioner_count",
            "out_of_range",
        ),
        (|f| f.matter = String::new(), "matter", "required"),
        (|f| f.category = String::new(), "category", "required"),
    ];
    for (edit, field, code) in cases {
        let mut f = fields(date!(2026 - 03 - 01));
        edit(&mut f);
        let e = f.validate().unwrap_err();
        assert_eq!((e.field.as_str(), e.code), (field, code), "{}", e.message);
    }
    // Normalised on the way in: a 15-digit number gains its century and check character.
    let mut f = fields(date!(2026 - 03 - 01));
    f.personal.petitioners[0].id_number = Some("110105491231002".into());
    f.personal.petitioners[0].phone = Some("+86 139-0000-1234".into());
    let f = f.validate().unwrap();
    let p = &f.personal.petitioners[0];
    assert_eq!(p.id_number.as_deref(), Some("11010519491231002X"));
    assert_eq!(p.phone.as_deref(), Some("13900001234"));
    assert_eq!(Channel::parse("channel", "來訪").unwrap(), Channel::Visit);
    assert_eq!(
        Channel::parse("channel", "网上信访").unwrap(),
        Channel::Online
    );
    assert_eq!(
        Channel::parse("channel", "pigeon").unwrap_err().field,
        "channel"
    );
    assert_eq!(
        Satisfaction::parse("rating", "基本满意").unwrap(),
        Satisfaction::BasicallySatisfied
    );
}

#[test]
fn redaction_removes_personal_data_only() {
    let c = case(1, date!(2026 - 03 - 01));
    let r = c.redacted();
    assert_eq!(r.personal, None);
    assert_eq!(
        (r.matter.as_str(), r.id, r.petitioner_count),
        (c.matter.as_str(), c.id, 1)
    );
    assert!(c.personal.is_some());
}

#[test]
fn actions_not_allowed_from_a_status() {
    let p = PetitionPolicy::default();
    let cal = WorkCalendar::weekends_only();
    let d = date!(2026 - 03 - 10);
    let registered = case(1, date!(2026 - 03 - 01));
    let routed = run(registered.clone(), &[(d, A::Route { unit: unit(1) })], &cal);
    let handling = run(routed.clone(), &[(d, A::Accept)], &cal);
    let reason = || "理由".to_owned();
    let cases = [
        (&registered, A::Reply, PetitionStatus::Registered),
        (
            &registered,
            A::Object { reason: reason() },
            PetitionStatus::Registered,
        ),
        (&registered, A::Close, PetitionStatus::Registered),
        (
            &registered,
            A::Rate {
                value: Satisfaction::Satisfied,
            },
            PetitionStatus::Registered,
        ),
        (&registered, A::Resolve, PetitionStatus::Registered),
        (&routed, A::Route { unit: unit(2) }, PetitionStatus::Routed),
        (&routed, A::RequestReview, PetitionStatus::Routed),
        (&handling, A::Accept, PetitionStatus::Handling),
        (&handling, A::Close, PetitionStatus::Handling),
        (
            &handling,
            A::DecideReview {
                outcome: ReviewOutcome::Changed,
            },
            PetitionStatus::Handling,
        ),
    ];
    for (c, a, from) in cases {
        match c.after(&a, d, &p, &cal) {
            Err(PetitionError::NotAllowed { from: f, action }) => {
                assert_eq!((f, action), (from, a.name()))
            }
            other => panic!("{}: {other:?}", a.name()),
        }
    }
    // A declined case can be closed; the decline is dated.
    let declined = run(routed, &[(d, A::Decline { reason: reason() })], &cal);
    assert_eq!(declined.dates.declined_on, Some(d));
    assert!(declined.after(&A::Close, d, &p, &cal).is_ok());
}

#[test]
fn inputs_and_dates_are_checked() {
    let p = PetitionPolicy::default();
    let cal = WorkCalendar::weekends_only();
    let handling = run(
        case(1, date!(2026 - 03 - 01)),
        &[
            (date!(2026 - 03 - 02), A::Route { unit: unit(1) }),
            (date!(2026 - 03 - 05), A::Accept),
        ],
        &cal,
    );
    let field = |r: Result<PetitionCase, PetitionError>| match r {
        Err(PetitionError::Invalid(e)) => (e.field, e.code),
        other => panic!("{other:?}"),
    };
    let on = date!(2026 - 03 - 20);
    assert_eq!(
        field(handling.after(&A::Reply, date!(2026 - 03 - 04), &p, &cal)),
        ("date".into(), "out_of_order")
    );
    let extend = |days, notice_on, reason: &str| A::Extend {
        days,
        notice_on,
        reason: reason.into(),
    };
    assert_eq!(
        field(handling.after(&extend(10, on, " "), on, &p, &cal)),
        ("reason".into(), "required")
    );
    assert_eq!(
        field(handling.after(&extend(31, on, "r"), on, &p, &cal)),
        ("days".into(), "out_of_range")
    );
    assert_eq!(
        field(handling.after(&extend(0, on, "r"), on, &p, &cal)),
        ("days".into(), "out_of_range")
    );
    assert_eq!(
        field(handling.after(&extend(10, date!(2026 - 03 - 19), "r"), on, &p, &cal)),
        ("notice_on".into(), "out_of_order")
    );
    // Accepted 5 March: the period ends 4 May; an extension approved on 5 May is too late.
    assert_eq!(
        field(handling.after(
            &extend(10, date!(2026 - 05 - 05), "r"),
            date!(2026 - 05 - 05),
            &p,
            &cal
        )),
        ("date".into(), "too_late")
    );
    let extended = run(handling.clone(), &[(on, extend(30, on, "r"))], &cal);
    assert_eq!(extended.status, PetitionStatus::Handling);
    assert_eq!(
        field(extended.after(&extend(5, on, "r"), on, &p, &cal)),
        ("days".into(), "already_extended")
    );
    let of_self = A::MarkRepeat { of: handling.id };
    assert_eq!(
        field(handling.after(&of_self, on, &p, &cal)),
        ("of".into(), "invalid")
    );
    let earlier = PetitionId::from_uuid(Uuid::from_u128(77));
    let marked = run(
        handling.clone(),
        &[(on, A::MarkRepeat { of: earlier })],
        &cal,
    );
    assert_eq!(marked.repeat_of, Some(earlier));
    // The rating comes after the reply.
    let rated = run(
        handling,
        &[
            (on, A::Reply),
            (
                date!(2026 - 03 - 25),
                A::Rate {
                    value: Satisfaction::Satisfied,
                },
            ),
        ],
        &cal,
    );
    assert_eq!(
        rated.rating,
        Some(Rating {
            value: Satisfaction::Satisfied,
            rated_on: date!(2026 - 03 - 25)
        })
    );
    assert!(rated.status.is_replied());
}

#[test]
fn a_leader_can_be_handed_over_but_not_after_closing() {
    let p = PetitionPolicy::default();
    let cal = WorkCalendar::weekends_only();
    let c = run(
        case(1, date!(2026 - 03 - 01)),
        &[
            (date!(2026 - 03 - 01), A::AssignLeader { person: person(1) }),
            (date!(2026 - 03 - 10), A::AssignLeader { person: person(2) }),
        ],
        &cal,
    );
    let l = c.leader.clone().unwrap();
    assert_eq!(
        (l.person, l.assigned_on),
        (person(2), date!(2026 - 03 - 01))
    );
    let resolved = run(c, &[(date!(2026 - 03 - 20), A::Resolve)], &cal);
    assert!(
        resolved
            .after(&A::Resolve, date!(2026 - 03 - 21), &p, &cal)
            .is_err()
    );
    assert!(
        resolved
            .after(
                &A::AssignLeader { person: person(3) },
                date!(2026 - 03 - 21),
                &p,
                &cal
            )
            .is_err()
    );
    let closed = run(
        case(2, date!(2026 - 03 - 01)),
        &[
            (date!(2026 - 03 - 02), A::Decline { reason: "r".into() }),
            (date!(2026 - 03 - 03), A::Close),
        ],
        &cal,
    );
    assert!(
        closed
            .after(
                &A::AssignLeader { person: person(1) },
                date!(2026 - 03 - 04),
                &p,
                &cal
            )
            .is_err()
    );
}
