use super::{notice_id, region, task_id, unit};
use crate::authz::{Actor, Grant, Role, allowed};
use crate::ids::UserId;
use crate::supervision::notice::{
    Notice, NoticeAction, NoticeError, NoticeFields, NoticeStatus, NoticeSubject, issue_permission,
    notice_number,
};
use time::Date;
use time::macros::date;
use uuid::Uuid;

fn fields() -> NoticeFields {
    NoticeFields {
        subject: NoticeSubject::Task(task_id(1)),
        unit: unit(1),
        requirement: "  限期完成道路硬化并书面报告  ".into(),
        issued_on: date!(2026 - 12 - 31),
        respond_by: date!(2027 - 01 - 10),
        follows: None,
    }
}

fn issued() -> Notice {
    Notice::issue(notice_id(1), region(), "督办", 12, fields()).unwrap()
}

fn respond(text: &str) -> NoticeAction {
    NoticeAction::Respond { text: text.into() }
}

fn follow_up(reason: &str) -> NoticeAction {
    NoticeAction::FollowUp {
        reason: reason.into(),
    }
}

#[test]
fn numbers_follow_the_official_layout() {
    let cases = [
        ("督办", 2026, 12, "督办〔2026〕12号"),
        ("督办", 2028, 1, "督办〔2028〕1号"),
        ("区督查", 2027, 105, "区督查〔2027〕105号"),
    ];
    for (prefix, year, seq, want) in cases {
        assert_eq!(notice_number(prefix, year, seq), want);
    }
    // Issued on 31 December 2026: the number carries 2026, the requirement is trimmed.
    let n = issued();
    assert_eq!(n.number, "督办〔2026〕12号");
    assert_eq!((n.year, n.sequence), (2026, 12));
    assert_eq!(n.fields.requirement, "限期完成道路硬化并书面报告");
    assert_eq!(n.status, NoticeStatus::Issued);
}

#[test]
fn issuing_validates_and_names_the_field() {
    let mut late = fields();
    late.respond_by = date!(2026 - 12 - 30);
    let mut empty = fields();
    empty.requirement = " ".into();
    let cases = [
        (
            Notice::issue(notice_id(1), region(), "督办", 0, fields()),
            "sequence",
            "out_of_range",
        ),
        (
            Notice::issue(notice_id(1), region(), "", 1, fields()),
            "prefix",
            "required",
        ),
        (
            Notice::issue(notice_id(1), region(), "督办", 1, late),
            "respond_by",
            "before_issue",
        ),
        (
            Notice::issue(notice_id(1), region(), "督办", 1, empty),
            "requirement",
            "required",
        ),
    ];
    for (result, field, code) in cases {
        let e = result.unwrap_err();
        assert_eq!((e.field.as_str(), e.code), (field, code));
    }
    // Same-day response dates are allowed.
    let mut same_day = fields();
    same_day.respond_by = same_day.issued_on;
    assert!(Notice::issue(notice_id(1), region(), "督办", 1, same_day).is_ok());
}

#[test]
fn lifecycle_transitions() {
    use NoticeStatus as S;
    let on_time = date!(2027 - 01 - 10);
    let late = date!(2027 - 01 - 11);
    let at = |status: S| {
        let mut n = issued();
        n.status = status;
        n
    };
    let cases: Vec<(S, NoticeAction, Date, Option<S>)> = vec![
        (S::Issued, respond("已完成"), on_time, Some(S::Responded)),
        (S::Issued, NoticeAction::Accept, on_time, None),
        (S::Issued, follow_up("逾期未复"), on_time, None),
        (S::Issued, follow_up("逾期未复"), late, Some(S::FollowedUp)),
        (S::Responded, NoticeAction::Accept, late, Some(S::Accepted)),
        (
            S::Responded,
            follow_up("整改不到位"),
            late,
            Some(S::FollowedUp),
        ),
        (S::Responded, respond("补充"), late, None),
        (S::Accepted, respond("补充"), late, None),
        (S::Accepted, NoticeAction::Accept, late, None),
        (S::Accepted, follow_up("再督"), late, None),
        (S::FollowedUp, respond("补充"), late, None),
        (S::FollowedUp, NoticeAction::Accept, late, None),
    ];
    for (i, (from, action, today, want)) in cases.into_iter().enumerate() {
        let got = at(from).after(&action, today);
        match want {
            Some(to) => assert_eq!(got.unwrap().status, to, "case {i}"),
            None => assert_eq!(
                got.unwrap_err(),
                NoticeError::NotAllowed {
                    from,
                    action: action.name()
                },
                "case {i}"
            ),
        }
    }
    let r = issued().after(&respond(" 已完成 "), on_time).unwrap();
    let resp = r.response.clone().unwrap();
    assert_eq!((resp.text.as_str(), resp.responded_on), ("已完成", on_time));
    let a = r.after(&NoticeAction::Accept, late).unwrap();
    assert_eq!(a.decided_on, Some(late));
    let invalid = [
        (issued().after(&respond(" "), on_time), "text"),
        (issued().after(&follow_up(""), late), "reason"),
        (
            issued().after(&respond("已完成"), date!(2026 - 12 - 30)),
            "responded_on",
        ),
    ];
    for (got, field) in invalid {
        match got.unwrap_err() {
            NoticeError::Invalid(e) => assert_eq!(e.field, field),
            e => panic!("expected an invalid {field}, got {e}"),
        }
    }
    // A further notice follows the previous one on the same subject and unit.
    let f = r.follow_up("再次督办", late, date!(2027 - 01 - 20));
    let next = Notice::issue(notice_id(2), region(), "督办", 1, f).unwrap();
    assert_eq!(next.fields.follows, Some(notice_id(1)));
    assert_eq!(next.fields.subject, NoticeSubject::Task(task_id(1)));
    assert_eq!(
        (next.fields.unit, next.number.as_str()),
        (unit(1), "督办〔2027〕1号")
    );
}

#[test]
fn who_may_act_on_a_notice() {
    let actor = |role, u: Option<u128>| Actor {
        user: UserId::from_uuid(Uuid::from_u128(99)),
        region: region(),
        grants: vec![Grant::new(role, u.map(unit)).unwrap()],
    };
    let n = issued();
    let cases = [
        (actor(Role::UnitManager, Some(1)), respond("x"), true),
        (actor(Role::UnitManager, Some(2)), respond("x"), false),
        (actor(Role::Reporter, Some(1)), respond("x"), false),
        (actor(Role::Supervisor, None), NoticeAction::Accept, true),
        (actor(Role::Supervisor, None), follow_up("x"), true),
        (
            actor(Role::UnitManager, Some(1)),
            NoticeAction::Accept,
            false,
        ),
        (actor(Role::Leader, None), follow_up("x"), false),
    ];
    for (i, (a, action, want)) in cases.into_iter().enumerate() {
        assert_eq!(
            allowed(&a, action.permission(n.fields.unit)),
            want,
            "case {i}"
        );
    }
    assert!(allowed(&actor(Role::Supervisor, None), issue_permission()));
    assert!(!allowed(
        &actor(Role::UnitManager, Some(1)),
        issue_permission()
    ));
}

#[test]
fn overdue_responses_and_on_time_answers() {
    // Due 10 January 2027.
    let n = issued();
    let cases = [
        (date!(2027 - 01 - 10), None),
        (date!(2027 - 01 - 11), Some(1)),
        (date!(2027 - 02 - 09), Some(30)),
    ];
    for (today, want) in cases {
        assert_eq!(n.response_overdue_days(today), want, "{today}");
    }
    let answered = |on| n.after(&respond("已完成"), on).unwrap();
    assert_eq!(
        answered(date!(2027 - 01 - 12)).response_overdue_days(date!(2027 - 01 - 20)),
        None
    );
    let cases = [
        (
            answered(date!(2027 - 01 - 10)),
            date!(2027 - 03 - 01),
            Some(true),
        ),
        (
            answered(date!(2027 - 01 - 11)),
            date!(2027 - 03 - 01),
            Some(false),
        ),
        (n.clone(), date!(2027 - 01 - 10), None),
        (n.clone(), date!(2027 - 01 - 11), Some(false)),
        (
            n.after(&follow_up("逾期"), date!(2027 - 01 - 15)).unwrap(),
            date!(2027 - 01 - 15),
            Some(false),
        ),
    ];
    for (i, (notice, today, want)) in cases.into_iter().enumerate() {
        assert_eq!(notice.answered_on_time(today), want, "case {i}");
    }
}
