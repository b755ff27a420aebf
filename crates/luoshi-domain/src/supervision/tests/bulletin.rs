use super::{notice_id, region, task, unit};
use crate::calendar::Period;
use crate::lamp::Lamp;
use crate::measure::{Decimal, dec};
use crate::org::{Unit, UnitCode, UnitKind};
use crate::supervision::bulletin::{BulletinPeriod, BulletinRow, ReportFact, bulletin};
use crate::supervision::notice::{Notice, NoticeAction, NoticeFields, NoticeSubject};
use crate::task::{Task, TaskStanding, TaskStatus};
use time::Date;
use time::macros::date;

fn u(n: u128, code: &str) -> Unit {
    Unit {
        id: unit(n),
        region: region(),
        code: UnitCode::parse("code", code).unwrap(),
        name: code.into(),
        kind: UnitKind::Department,
        category: "departments".into(),
    }
}

fn t(n: u128, lead: u128, status: TaskStatus) -> Task {
    let mut t = task(100 + n, date!(2026 - 01 - 01), date!(2026 - 12 - 31));
    t.fields.lead_unit = unit(lead);
    t.status = status;
    t
}

fn st(lamp: Option<Lamp>, overdue: bool) -> TaskStanding {
    TaskStanding {
        lamp,
        expected_pct: Decimal::ZERO,
        gap_pp: Decimal::ZERO,
        overdue,
        days_left: 0,
    }
}

fn report(n: u128, due: Date, reported_on: Option<Date>) -> ReportFact {
    ReportFact {
        unit: unit(n),
        due,
        reported_on,
    }
}

fn notice(id: u128, to: u128, respond_by: Date, answered: Option<Date>) -> Notice {
    let f = NoticeFields {
        subject: NoticeSubject::Unit,
        unit: unit(to),
        requirement: "书面说明".into(),
        issued_on: date!(2026 - 09 - 01),
        respond_by,
        follows: None,
    };
    let n = Notice::issue(notice_id(id), region(), "督办", id as u32, f).unwrap();
    match answered {
        Some(d) => n
            .after(
                &NoticeAction::Respond {
                    text: "已办".into(),
                },
                d,
            )
            .unwrap(),
        None => n,
    }
}

/// (code, rank, tasks, completed, lagging, red, overdue, reports due, on time, rate,
/// notices due, answered on time)
type Line<S> = (
    S,
    u32,
    u32,
    u32,
    u32,
    u32,
    u32,
    u32,
    u32,
    Option<S>,
    u32,
    u32,
);

fn line(r: &BulletinRow) -> Line<String> {
    (
        r.unit_code.clone(),
        r.rank,
        r.tasks,
        r.completed,
        r.lagging,
        r.red,
        r.overdue,
        r.reports_due,
        r.reports_on_time,
        r.on_time_rate.map(|d| d.normalize().to_string()),
        r.notices_due,
        r.notices_on_time,
    )
}

fn owned(l: Line<&str>) -> Line<String> {
    let (c, a, b, d, e, f, g, h, i, rate, j, k) = l;
    (
        c.to_owned(),
        a,
        b,
        d,
        e,
        f,
        g,
        h,
        i,
        rate.map(str::to_owned),
        j,
        k,
    )
}

#[test]
fn a_month_ranked_with_ties() {
    use TaskStatus as S;
    let (y, r, g) = (Some(Lamp::Yellow), Some(Lamp::Red), Some(Lamp::Green));
    let units = [
        u(1, "zhongtan"),
        u(2, "boyang"),
        u(3, "jsj"),
        u(4, "fgj"),
        u(5, "czj"),
    ];
    let tasks = [
        (t(1, 1, S::InProgress), st(r, true)),
        (t(2, 1, S::InProgress), st(y, false)),
        (t(3, 1, S::Closed), st(g, false)),
        (t(4, 2, S::InProgress), st(y, false)),
        (t(5, 2, S::InProgress), st(Some(Lamp::Blue), false)),
        (t(6, 3, S::ExtensionRequested), st(y, false)),
        (t(7, 3, S::ReportedDone), st(g, false)),
        (t(8, 4, S::InProgress), st(y, false)),
        (t(9, 4, S::Closed), st(g, false)),
        // Draft and cancelled tasks carry no lamp and are not counted.
        (t(10, 5, S::Draft), st(None, false)),
        (t(11, 5, S::Cancelled), st(None, false)),
        // A unit outside the bulletin.
        (t(12, 9, S::InProgress), st(r, true)),
    ];
    let tasks: Vec<(&Task, TaskStanding)> = tasks.iter().map(|(t, s)| (t, s.clone())).collect();
    let sept25 = date!(2026 - 09 - 25);
    let reports = [
        report(1, sept25, Some(date!(2026 - 09 - 26))),
        // Due in October: outside September's bulletin.
        report(1, date!(2026 - 10 - 25), None),
        report(2, sept25, Some(sept25)),
        report(2, sept25, Some(date!(2026 - 09 - 02))),
        report(2, date!(2026 - 09 - 30), None),
        report(3, sept25, Some(sept25)),
        report(3, date!(2026 - 09 - 01), Some(date!(2026 - 08 - 31))),
    ];
    let notices = [
        notice(1, 1, date!(2026 - 09 - 20), Some(date!(2026 - 09 - 19))),
        notice(2, 1, date!(2026 - 09 - 28), None),
        notice(3, 1, date!(2026 - 10 - 05), None),
        notice(4, 2, date!(2026 - 09 - 30), Some(date!(2026 - 09 - 30))),
        notice(5, 3, date!(2026 - 09 - 10), Some(date!(2026 - 09 - 11))),
    ];
    let sept = BulletinPeriod::Month(Period::parse("p", "2026-09").unwrap());
    let rows = bulletin(sept, &units, &tasks, &reports, &notices);
    let got: Vec<Line<String>> = rows.iter().map(line).collect();
    // czj: nothing lagging, nothing due → first. fgj and jsj tie on every criterion (no red,
    // one yellow, 100% — fgj had nothing due — and one completed): both 2nd, fgj first by
    // code. boyang: one yellow, 2 of 3 on time = 66.67% → 4th. zhongtan: a red → last.
    let want: Vec<Line<&str>> = vec![
        ("czj", 1, 0, 0, 0, 0, 0, 0, 0, None, 0, 0),
        ("fgj", 2, 2, 1, 1, 0, 0, 0, 0, None, 0, 0),
        ("jsj", 2, 2, 1, 1, 0, 0, 2, 2, Some("100"), 1, 0),
        ("boyang", 4, 2, 0, 1, 0, 0, 3, 2, Some("66.67"), 1, 1),
        ("zhongtan", 5, 3, 1, 1, 1, 1, 1, 0, Some("0"), 2, 1),
    ];
    assert_eq!(got, want.into_iter().map(owned).collect::<Vec<_>>());
    assert_eq!(rows[0].unit, unit(5));
    // Input order does not change the result.
    let mut reversed = units.clone();
    reversed.reverse();
    assert_eq!(bulletin(sept, &reversed, &tasks, &reports, &notices), rows);
}

#[test]
fn ranking_criteria_in_order() {
    // Each pair differs in one criterion only; the first of each pair ranks better.
    let units = [u(1, "b"), u(2, "a")];
    let none: [(&Task, TaskStanding); 0] = [];
    let month = BulletinPeriod::Month(Period::parse("p", "2026-03").unwrap());
    let on = date!(2026 - 03 - 25);
    // Rate: unit 1 on time, unit 2 late → unit 1 ("b") ahead of "a" despite its code.
    let reports = [
        report(1, on, Some(on)),
        report(2, on, Some(date!(2026 - 03 - 26))),
    ];
    let rows = bulletin(month, &units, &none, &reports, &[]);
    let order: Vec<(&str, u32)> = rows
        .iter()
        .map(|r| (r.unit_code.as_str(), r.rank))
        .collect();
    assert_eq!(order, [("b", 1), ("a", 2)]);
    // All equal: one rank, listed by code.
    let rows = bulletin(month, &units, &none, &[], &[]);
    let order: Vec<(&str, u32)> = rows
        .iter()
        .map(|r| (r.unit_code.as_str(), r.rank))
        .collect();
    assert_eq!(order, [("a", 1), ("b", 1)]);
    // Completed work breaks a tie on everything else.
    let done = t(1, 1, TaskStatus::Closed);
    let tasks = [(&done, st(Some(Lamp::Green), false))];
    let rows = bulletin(month, &units, &tasks, &[], &[]);
    let order: Vec<(&str, u32)> = rows
        .iter()
        .map(|r| (r.unit_code.as_str(), r.rank))
        .collect();
    assert_eq!(order, [("b", 1), ("a", 2)]);
    // Fewer lagging beats a better rate.
    let lag = t(2, 1, TaskStatus::InProgress);
    let tasks = [(&lag, st(Some(Lamp::Yellow), false))];
    let rows = bulletin(month, &units, &tasks, &reports, &[]);
    let order: Vec<(&str, u32)> = rows
        .iter()
        .map(|r| (r.unit_code.as_str(), r.rank))
        .collect();
    assert_eq!(order, [("a", 1), ("b", 2)]);
    assert_eq!(rows[1].on_time_rate, Some(dec("100")));
    assert_eq!(rows[0].on_time_rate, Some(dec("0")));
}

#[test]
fn periods_months_and_quarters() {
    let q = |y, n| BulletinPeriod::quarter("period", y, n).unwrap();
    let m = |s| BulletinPeriod::Month(Period::parse("period", s).unwrap());
    let cases = [
        (
            q(2026, 3),
            date!(2026 - 07 - 01),
            date!(2026 - 09 - 30),
            "2026-Q3",
        ),
        (
            q(2026, 4),
            date!(2026 - 10 - 01),
            date!(2026 - 12 - 31),
            "2026-Q4",
        ),
        (
            q(2028, 1),
            date!(2028 - 01 - 01),
            date!(2028 - 03 - 31),
            "2028-Q1",
        ),
        (
            m("2028-02"),
            date!(2028 - 02 - 01),
            date!(2028 - 02 - 29),
            "2028-02",
        ),
        (
            m("2026-02"),
            date!(2026 - 02 - 01),
            date!(2026 - 02 - 28),
            "2026-02",
        ),
    ];
    for (p, first, last, label) in cases {
        assert_eq!(
            (p.first_day(), p.last_day(), p.label().as_str()),
            (first, last, label)
        );
    }
    for (year, n) in [(2026, 0), (2026, 5), (1800, 1)] {
        assert_eq!(
            BulletinPeriod::quarter("period", year, n)
                .unwrap_err()
                .field,
            "period"
        );
    }
    // A quarter counts every report due in its three months.
    let units = [u(1, "a")];
    let reports = [
        report(1, date!(2026 - 06 - 30), None),
        report(1, date!(2026 - 07 - 01), Some(date!(2026 - 07 - 01))),
        report(1, date!(2026 - 08 - 25), None),
        report(1, date!(2026 - 09 - 30), Some(date!(2026 - 09 - 29))),
        report(1, date!(2026 - 10 - 01), None),
    ];
    let rows = bulletin(q(2026, 3), &units, &[], &reports, &[]);
    assert_eq!((rows[0].reports_due, rows[0].reports_on_time), (3, 2));
    assert_eq!(rows[0].on_time_rate, Some(dec("66.67")));
}

#[test]
fn periods_parse_and_step_back() {
    let m = |y, mo| BulletinPeriod::Month(Period::new("p", y, mo).unwrap());
    let q = |y, n| BulletinPeriod::quarter("p", y, n).unwrap();
    let ok = [
        ("2026-09", m(2026, 9)),
        ("2026-Q3", q(2026, 3)),
        (" 2026-q1 ", q(2026, 1)),
    ];
    for (text, want) in ok {
        assert_eq!(
            BulletinPeriod::parse("period", text).unwrap(),
            want,
            "{text}"
        );
        assert_eq!(
            BulletinPeriod::parse("period", &want.label()).unwrap(),
            want
        );
    }
    for bad in ["2026-Q5", "2026-Q0", "2026Q3", "2026-13", "", "Q3"] {
        let e = BulletinPeriod::parse("period", bad).unwrap_err();
        assert_eq!(e.field, "period", "{bad}");
    }
    assert_eq!(
        q(2026, 3).months(),
        vec![
            Period::new("p", 2026, 7).unwrap(),
            Period::new("p", 2026, 8).unwrap(),
            Period::new("p", 2026, 9).unwrap()
        ]
    );
    assert_eq!(q(2026, 4).first_day(), date!(2026 - 10 - 01));
    assert_eq!(q(2026, 4).last_day(), date!(2026 - 12 - 31));
    // (day, month before, quarter before)
    let steps = [
        (date!(2026 - 01 - 25), m(2025, 12), q(2025, 4)),
        (date!(2026 - 04 - 01), m(2026, 3), q(2026, 1)),
        (date!(2026 - 09 - 30), m(2026, 8), q(2026, 2)),
        (date!(2026 - 12 - 31), m(2026, 11), q(2026, 3)),
    ];
    for (day, month, quarter) in steps {
        assert_eq!(BulletinPeriod::month_before(day), Some(month), "{day}");
        assert_eq!(BulletinPeriod::quarter_before(day), Some(quarter), "{day}");
    }
}
