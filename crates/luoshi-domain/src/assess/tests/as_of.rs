//! A result as of a date reads only facts dated on or before it: later facts never change it.

use super::*;

const MID_YEAR: Date = date!(2026 - 06 - 30);

#[test]
fn mid_year_standings_by_hand() {
    let r = score(&book(), &units(), &facts(), MID_YEAR);
    let got: Vec<_> = r
        .sheets
        .iter()
        .map(|s| {
            (
                s.rank,
                s.code.as_str(),
                s.total.normalize().to_string(),
                s.grade.as_str(),
            )
        })
        .collect();
    let own = |v: &[(u32, &'static str, &str, &'static str)]| -> Vec<_> {
        v.iter()
            .map(|(r, c, t, g)| (*r, *c, t.to_string(), *g))
            .collect()
    };
    assert_eq!(
        got,
        own(&[
            // a: gdp 45.0 → 4.5 (the December figure is not known yet), revenue not yet → 0;
            // tasks: only task 11 was due and it closed on time → 30; one yellow → 9. 43.5.
            (1, "a", "43.5", "一般"),
            // c: the extended task closed on time → 30; no yellow → 10; bonus of 1 April → 3;
            // the August veto has not happened yet. 43.
            (2, "c", "43", "一般"),
            // e: nothing due → 30 + 10.
            (3, "e", "40", "一般"),
            // d: no task due yet → 30; three yellows by June → 7; the July red not yet. 37.
            (4, "d", "37", "一般"),
            // b: task 21 overdue → 0; no yellow → 10; four reds by April → −6. 4.
            (5, "b", "4", "一般"),
        ])
    );
    assert!(r.sheets.iter().all(|s| !s.vetoed && !s.award));
}

#[test]
fn later_facts_do_not_change_an_earlier_result() {
    let before = score(&book(), &units(), &facts(), MID_YEAR);
    let mut later = facts();
    let a = later.unit_mut(uid(1));
    a.events
        .push(event("card.red", date!(2026 - 07 - 01), "task 12"));
    a.indicators
        .push(ind("revenue", date!(2026 - 07 - 15), "40.0"));
    a.vetoes.push(VetoFact {
        item: "veto".into(),
        on: date!(2026 - 11 - 11),
        evidence: "late veto".into(),
        entered_by: "王五".into(),
    });
    a.manual
        .push(manual("common.party", date!(2026 - 07 - 01), "7"));
    let b = later.unit_mut(uid(2));
    // Task 21 is closed in July and a new task is assigned in July.
    b.tasks[0].closed_on = Some(date!(2026 - 07 - 02));
    let mut july = task(25, "2", date!(2026 - 07 - 31), Some(date!(2026 - 07 - 20)));
    july.assigned_on = date!(2026 - 07 - 05);
    b.tasks.push(july);
    b.metrics
        .push(rate(REPORTING, date!(2026 - 07 - 01), "1", "1"));
    let d = later.unit_mut(uid(4));
    // An extension approved in July does not move the deadline as of June.
    d.tasks[0].extensions.push(DeadlineChange {
        approved_on: date!(2026 - 07 - 01),
        deadline: date!(2026 - 12 - 31),
    });
    d.bonuses.push(bonus(date!(2026 - 07 - 01), "5"));

    let after = score(&book(), &units(), &later, MID_YEAR);
    assert_eq!(after, before);
    assert_eq!(after.digest(), before.digest());
    // The same facts as of the year end do tell: a's veto now caps its grade.
    let year_end = score(&book(), &units(), &later, YEAR_END);
    assert_ne!(
        year_end.digest(),
        score(&book(), &units(), &facts(), YEAR_END).digest()
    );
    assert!(year_end.sheet(uid(1)).unwrap().vetoed);
}

#[test]
fn result_does_not_depend_on_the_order_of_units() {
    let mut reversed = units();
    reversed.reverse();
    assert_eq!(
        score(&book(), &reversed, &facts(), YEAR_END).digest(),
        score(&book(), &units(), &facts(), YEAR_END).digest()
    );
}
