use crate::petition_world::*;
use luoshi_app::{App, AppError, PersonalStatus, PetitionFilter, PetitionKey};
use luoshi_domain::ids::{PetitionId, UnitId, UserId};
use luoshi_domain::lamp::Lamp;
use luoshi_domain::org::UnitFields;
use luoshi_domain::petition::*;
use luoshi_testkit::db_test;
use time::Date;
use time::macros::date;

fn status(v: &luoshi_app::PetitionView, kind: ClockKind) -> (ClockStatus, Date, i64) {
    let c = v.clocks.get(kind).unwrap();
    (c.status, c.due, c.days_left)
}

db_test!(a_case_runs_from_registration_to_a_declined_rereview, |t| {
    let w = world(t.db.clone()).await;
    let id = w
        .routed(
            "拖欠农民工工资三个月未发放",
            date!(2026 - 01 - 05),
            date!(2026 - 01 - 06),
        )
        .await;
    // Someone without the right cannot accept; the handling unit's manager can.
    let v = w
        .app
        .petition(&w.officer, id, "")
        .await
        .unwrap()
        .view
        .case
        .version;
    for who in [&w.viewer, &w.other_unit, &w.supervisor] {
        let e = w
            .app
            .petition_action(who, id, PetitionAction::Accept, date!(2026 - 01 - 06), v)
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::Forbidden), "{e:?}");
    }
    w.act(
        &w.handler,
        id,
        PetitionAction::Accept,
        date!(2026 - 01 - 08),
    )
    .await;
    // The case leader replies; then resolves the case.
    w.act(
        &w.leader_user,
        id,
        PetitionAction::Reply,
        date!(2026 - 03 - 01),
    )
    .await;
    w.act(
        &w.leader_user,
        id,
        PetitionAction::Resolve,
        date!(2026 - 03 - 05),
    )
    .await;
    // A stale version is refused; so is a date after today.
    let e = w
        .app
        .petition_action(
            &w.officer,
            id,
            PetitionAction::RequestReview,
            date!(2026 - 03 - 10),
            6,
        )
        .await
        .unwrap_err();
    assert_eq!((e.code(), e.field()), ("out_of_range", Some("on")));
    w.clock.set(at(date!(2026 - 03 - 10)));
    let e = w
        .app
        .petition_action(
            &w.officer,
            id,
            PetitionAction::RequestReview,
            date!(2026 - 03 - 10),
            1,
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), "version_conflict");
    w.act(
        &w.officer,
        id,
        PetitionAction::RequestReview,
        date!(2026 - 03 - 10),
    )
    .await;
    let upheld = PetitionAction::DecideReview {
        outcome: ReviewOutcome::Upheld,
    };
    w.act(&w.officer, id, upheld, date!(2026 - 03 - 20)).await;
    w.act(
        &w.officer,
        id,
        PetitionAction::RequestReReview,
        date!(2026 - 03 - 25),
    )
    .await;
    let declined = PetitionAction::DecideReReview {
        outcome: ReviewOutcome::Upheld,
    };
    w.act(&w.officer, id, declined, date!(2026 - 04 - 10)).await;
    let rate = PetitionAction::Rate {
        value: Satisfaction::Dissatisfied,
    };
    w.act(&w.handler, id, rate, date!(2026 - 04 - 11)).await;

    let d = w.app.petition(&w.officer, id, "").await.unwrap();
    let v = &d.view;
    assert_eq!(v.case.status, PetitionStatus::ReReviewed);
    assert_eq!(v.case.rereview_outcome, Some(ReviewOutcome::Upheld));
    // Hand-checked: routing 01-05 + 15 = 01-20; acceptance from receipt 01-06 + 15 = 01-21;
    // conclusion 01-08 + 60 = 03-09 (replied 03-01, 8 days early); review decision
    // 03-10 + 30 = 04-09; re-review decision 03-25 + 30 = 04-24; leader 01-06 + 3 months = 04-06.
    let cases = [
        (
            ClockKind::Routing,
            (ClockStatus::Met, date!(2026 - 01 - 20), 14),
        ),
        (
            ClockKind::Acceptance,
            (ClockStatus::Met, date!(2026 - 01 - 21), 13),
        ),
        (
            ClockKind::Conclusion,
            (ClockStatus::Met, date!(2026 - 03 - 09), 8),
        ),
        (
            ClockKind::ReviewDecision,
            (ClockStatus::Met, date!(2026 - 04 - 09), 20),
        ),
        (
            ClockKind::ReReviewDecision,
            (ClockStatus::Met, date!(2026 - 04 - 24), 14),
        ),
        (
            ClockKind::CaseLeader,
            (ClockStatus::Met, date!(2026 - 04 - 06), 32),
        ),
    ];
    for (kind, want) in cases {
        assert_eq!(status(v, kind), want, "{kind:?}");
    }
    assert_eq!(v.clocks.lamp, Lamp::Green);
    let actions: Vec<&str> = d.events.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "register",
            "route",
            "assign_leader",
            "accept",
            "reply",
            "resolve",
            "request_review",
            "decide_review",
            "request_rereview",
            "decide_rereview",
            "rate"
        ]
    );
    // The leader's list holds the case.
    let mine = w.app.my_petitions(&w.leader_user).await.unwrap();
    assert_eq!(mine.iter().map(|v| v.case.id).collect::<Vec<_>>(), [id]);
    assert!(w.app.my_petitions(&w.handler).await.unwrap().is_empty());
});

db_test!(
    a_returning_petitioner_is_proposed_as_a_repeat_with_the_same_leader,
    |t| {
        let w = world(t.db.clone()).await;
        let first = w
            .register("拖欠农民工工资三个月未发放", date!(2026 - 01 - 05))
            .await;
        w.act(
            &w.officer,
            first,
            PetitionAction::AssignLeader { person: w.leader },
            date!(2026 - 01 - 06),
        )
        .await;
        let unrelated = w.register("小区噪音扰民", date!(2026 - 01 - 07)).await;
        let second = w
            .register("拖欠农民工工资仍未发放", date!(2026 - 02 - 10))
            .await;
        let d = w.app.petition(&w.officer, second, "").await.unwrap();
        let proposed: Vec<PetitionId> = d.candidates.iter().map(|c| c.case).collect();
        assert_eq!(proposed, [first], "not {unrelated}");
        assert_eq!(d.candidates[0].matched_by, MatchedBy::IdNumber);
        assert_eq!(d.proposed_leader, Some(w.leader));
        // Without the right to the personal data there are no proposals.
        let d = w.app.petition(&w.viewer, second, "").await.unwrap();
        assert!(d.candidates.is_empty() && d.proposed_leader.is_none());

        let v = w
            .app
            .decide_petition_repeat(&w.officer, second, first, true, date!(2026 - 02 - 10), 1)
            .await
            .unwrap();
        assert_eq!((v.case.repeat_of, v.case.version), (Some(first), 2));
        let d = w.app.petition(&w.officer, second, "").await.unwrap();
        assert!(
            d.candidates.is_empty(),
            "decided proposals are not made again"
        );
        assert_eq!(d.decisions.len(), 1);
        let e = w
            .app
            .decide_petition_repeat(
                &w.officer,
                second,
                unrelated,
                true,
                date!(2026 - 02 - 10),
                2,
            )
            .await
            .unwrap_err();
        assert_eq!(e.field(), Some("earlier_id"));
        // Handlers outside the petition office cannot decide.
        let e = w
            .app
            .decide_petition_repeat(&w.handler, second, first, false, date!(2026 - 02 - 10), 2)
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::Forbidden));
    }
);

db_test!(
    a_late_case_turns_red_and_becomes_an_overdue_deadline_item,
    |t| {
        let w = world(t.db.clone()).await;
        let id = w.register("道路施工扬尘", date!(2026 - 01 - 05)).await;
        w.act(
            &w.officer,
            id,
            PetitionAction::Route { unit: w.b },
            date!(2026 - 01 - 05),
        )
        .await;
        w.clock.set(at(date!(2026 - 01 - 18)));
        let items = w
            .app
            .petition_deadline_items(w.officer.region, date!(2026 - 01 - 18))
            .await
            .unwrap();
        let got: Vec<(String, UnitId, Date, bool, Option<Lamp>)> = items
            .iter()
            .filter(|i| !i.done)
            .map(|i| (format!("{:?}", i.item), i.unit, i.due, i.done, i.lamp))
            .collect();
        // Received 01-05: acceptance due 01-20, three days left on 01-18: blue.
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(
            (got[0].1, got[0].2, got[0].3, got[0].4),
            (w.b, date!(2026 - 01 - 20), false, Some(Lamp::Blue))
        );
        assert!(got[0].0.contains("petition_acceptance"), "{}", got[0].0);
        w.clock.set(at(date!(2026 - 01 - 25)));
        let v = w.app.petition(&w.viewer, id, "").await.unwrap().view;
        assert_eq!(v.clocks.lamp, Lamp::Red);
        assert_eq!(
            status(&v, ClockKind::Acceptance),
            (ClockStatus::Missed, date!(2026 - 01 - 20), -5)
        );
        let items = w
            .app
            .petition_deadline_items(w.officer.region, date!(2026 - 01 - 25))
            .await
            .unwrap();
        let lamps: Vec<(bool, Option<Lamp>)> = items.iter().map(|i| (i.done, i.lamp)).collect();
        // Routing (met) and acceptance (missed).
        assert_eq!(lamps, [(true, Some(Lamp::Green)), (false, Some(Lamp::Red))]);
        let m = w
            .app
            .petition_metrics(&w.officer, Some(w.b), date!(2026 - 01 - 25))
            .await
            .unwrap();
        assert_eq!(
            (
                m.timely_acceptance.numerator,
                m.timely_acceptance.denominator
            ),
            (0, 1)
        );
        let facts = w
            .app
            .petition_assessment_facts(&w.officer, date!(2026 - 01 - 25))
            .await
            .unwrap();
        assert_eq!(facts.len(), 1);
        assert_eq!(facts[0].unit, w.b);
        assert_eq!(
            facts[0].metrics[0].metric.0,
            "petitions.accepted_on_time_rate"
        );
    }
);

db_test!(
    personal_data_are_sealed_hidden_and_every_read_is_logged,
    |t| {
        let w = world(t.db.clone()).await;
        let id = w
            .routed(
                "拖欠农民工工资三个月未发放",
                date!(2026 - 01 - 05),
                date!(2026 - 01 - 06),
            )
            .await;
        // The raw column, the audit log and the events hold no plaintext.
        let region = w.officer.region;
        let blobs =
            t.db.fetch(
                "SELECT sealed FROM petition_personal WHERE region_id = $1",
                luoshi_store::args![region],
                |r| r.bytes("sealed"),
            )
            .await
            .unwrap();
        assert_eq!(blobs.len(), 1);
        let texts =
            t.db.fetch(
                "SELECT after_json FROM audit_log WHERE region_id = $1 AND entity = 'petition'",
                luoshi_store::args![region],
                |r| {
                    Ok(r.json("after_json")?
                        .map(|v| v.to_string())
                        .unwrap_or_default())
                },
            )
            .await
            .unwrap();
        assert!(texts.len() >= 3);
        for secret in [NAME, ID_NUMBER, PHONE, ADDRESS] {
            assert!(
                !String::from_utf8_lossy(&blobs[0]).contains(secret),
                "{secret} in blob"
            );
            for t in &texts {
                assert!(!t.contains(secret), "{secret} in audit");
            }
        }
        // Who sees what.
        let cases = [
            (&w.officer, PersonalStatus::Shown, "officer"),
            (&w.handler, PersonalStatus::Shown, "handler"),
            (&w.leader_user, PersonalStatus::Shown, "leader"),
            (&w.other_unit, PersonalStatus::NotAllowed, "other"),
            (&w.viewer, PersonalStatus::NotAllowed, "viewer"),
            (&w.supervisor, PersonalStatus::NotAllowed, "supervisor"),
            (&w.admin, PersonalStatus::NotAllowed, "admin"),
        ];
        for (who, want, route) in cases {
            let d = w.app.petition(who, id, route).await.unwrap();
            assert_eq!(d.view.personal, want, "{route}");
            let name = d
                .view
                .case
                .personal
                .as_ref()
                .map(|p| p.petitioners[0].name.as_str());
            assert_eq!(
                name,
                (want == PersonalStatus::Shown).then_some(NAME),
                "{route}"
            );
            let listed = w
                .app
                .list_petitions(who, &PetitionFilter::default(), Some("list"))
                .await
                .unwrap();
            assert_eq!(listed[0].personal, want, "{route} list");
        }
        let plain = w
            .app
            .list_petitions(&w.officer, &PetitionFilter::default(), None)
            .await
            .unwrap();
        assert!(plain[0].case.personal.is_none());
        // Exactly the reads that showed the data, in order.
        let reads = w.app.petition_reads(&w.officer, Some(id)).await.unwrap();
        let got: Vec<(UserId, &str)> = reads.iter().map(|r| (r.user, r.route.as_str())).collect();
        assert_eq!(
            got,
            [
                (w.officer.user, "officer"),
                (w.officer.user, "list"),
                (w.handler.user, "handler"),
                (w.handler.user, "list"),
                (w.leader_user.user, "leader"),
                (w.leader_user.user, "list"),
            ]
        );
        assert!(matches!(
            w.app.petition_reads(&w.viewer, None).await.unwrap_err(),
            AppError::Forbidden
        ));

        // Without a key: nothing personal is written or read, everything else works.
        let nokey = App::new(t.db.clone(), w.clock.clone());
        let e = nokey
            .register_petition(&w.officer, fields("另一件事", date!(2026 - 01 - 06)))
            .await
            .unwrap_err();
        assert_eq!(e.code(), "petition_key_missing");
        let d = nokey.petition(&w.officer, id, "nokey").await.unwrap();
        assert_eq!(
            (d.view.personal, d.view.case.personal.is_none()),
            (PersonalStatus::NoKey, true)
        );
        // A wrong key does not open the data.
        let wrong = App::new(t.db.clone(), w.clock.clone())
            .with_petition_key(Some(PetitionKey::parse(&"01".repeat(32)).unwrap()));
        assert!(wrong.petition(&w.officer, id, "wrong").await.is_err());
        assert_eq!(
            w.app
                .petition_reads(&w.officer, Some(id))
                .await
                .unwrap()
                .len(),
            6
        );
    }
);

/// Petition rates and confirmed repeats as scheme items: 10 each, the rest entered by hand.
const PETITION_BOOK: &str = r#"
id = "2026-townships"
version = 1
name = "Township book"
category = "townships"
full_points = 100

[[items]]
key = "accepted"
title = "Cases accepted on time"
points = 10
kind = "rate_times_points"
metric = "petitions.accepted_on_time_rate"

[[items]]
key = "replies"
title = "Replies on time"
points = 10
kind = "rate_times_points"
metric = "petitions.reply_on_time_rate"

[[items]]
key = "repeats"
title = "Repeat petitions"
points = 10
kind = "deduction_per_event"
event_kind = "petition.repeat"
per_event = 2
floor = 0

[[items]]
key = "rest"
title = "Everything else"
points = 70
kind = "manual"
"#;

db_test!(
    the_assessment_scores_petition_rates_and_repeats_from_the_cases,
    |t| {
        let w = world(t.db.clone()).await;
        w.app.store_scheme(&w.admin, PETITION_BOOK).await.unwrap();
        let fields = UnitFields::parse("ccc", "丙镇", "township", None).unwrap();
        let (c, _) = w.app.create_unit(&w.admin, fields).await.unwrap();
        // Unit A accepts its case in time; the same petitioner returns on 10 February, the
        // office confirms the repeat and A accepts that case in time too. Unit B never accepts its case (due 20 January).
        let first = w
            .routed(
                "拖欠农民工工资三个月未发放",
                date!(2026 - 01 - 05),
                date!(2026 - 01 - 06),
            )
            .await;
        w.act(
            &w.handler,
            first,
            PetitionAction::Accept,
            date!(2026 - 01 - 08),
        )
        .await;
        let late = w.register("道路施工扬尘", date!(2026 - 01 - 05)).await;
        w.act(
            &w.officer,
            late,
            PetitionAction::Route { unit: w.b },
            date!(2026 - 01 - 05),
        )
        .await;
        let second = w
            .register("拖欠农民工工资仍未发放", date!(2026 - 02 - 10))
            .await;
        w.act(
            &w.officer,
            second,
            PetitionAction::Route { unit: w.a },
            date!(2026 - 02 - 10),
        )
        .await;
        let v = w.app.petition(&w.officer, second, "").await.unwrap().view;
        w.app
            .decide_petition_repeat(
                &w.officer,
                second,
                first,
                true,
                date!(2026 - 02 - 10),
                v.case.version,
            )
            .await
            .unwrap();
        w.act(
            &w.handler,
            second,
            PetitionAction::Accept,
            date!(2026 - 02 - 12),
        )
        .await;

        let points = |sets: &[luoshi_domain::assess::ResultSet], unit: UnitId| {
            let sheet = sets[0].sheet(unit).unwrap();
            ["accepted", "replies", "repeats"]
                .map(|k| sheet.line(k).unwrap().points.normalize().to_string())
        };
        let feb = w
            .app
            .assess(&w.supervisor, date!(2026 - 02 - 28))
            .await
            .unwrap();
        // A: 2 of 2 accepted in time; no reply due yet (nothing due: full points); one repeat.
        assert_eq!(points(&feb, w.a), ["10", "10", "8"]);
        // B: 0 of 1 accepted in time.
        assert_eq!(points(&feb, w.b), ["0", "10", "10"]);
        // C handles no case: nothing is due on any rate.
        assert_eq!(points(&feb, c.id), ["10", "10", "10"]);
        let sheet = feb[0].sheet(w.b).unwrap();
        let line = sheet.line("accepted").unwrap();
        let why: Vec<String> = line
            .explanations
            .iter()
            .map(|e| e.reason.render(luoshi_domain::assess::Language::En))
            .collect();
        assert!(why.iter().any(|e| e.contains("0 of 1")), "{why:?}");

        // As of 10 January neither the repeat nor B's missed acceptance had happened.
        let jan = w
            .app
            .assess(&w.supervisor, date!(2026 - 01 - 10))
            .await
            .unwrap();
        assert_eq!(points(&jan, w.a), ["10", "10", "10"]);
        assert_eq!(points(&jan, w.b), ["10", "10", "10"]);
    }
);
