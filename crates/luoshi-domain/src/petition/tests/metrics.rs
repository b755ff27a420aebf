use super::*;
use crate::calendar::Period;
use crate::measure::dec;
use PetitionAction as A;

fn cases() -> Vec<PetitionCase> {
    let cal = WorkCalendar::weekends_only();
    let earlier = PetitionId::from_uuid(Uuid::from_u128(99));
    let rate = |value| A::Rate { value };
    vec![
        // Accepted by 17 March (met), replied by 9 May (met), satisfied; a repeat, unit 1.
        run(
            case(1, date!(2026 - 03 - 01)),
            &[
                (date!(2026 - 03 - 02), A::Route { unit: unit(1) }),
                (date!(2026 - 03 - 10), A::Accept),
                (date!(2026 - 03 - 10), A::MarkRepeat { of: earlier }),
                (date!(2026 - 04 - 20), A::Reply),
                (date!(2026 - 04 - 25), rate(Satisfaction::Satisfied)),
            ],
            &cal,
        ),
        // Accepted 25 March, due 21 March (missed); replied 1 June, due 24 May (missed);
        // dissatisfied; a repeat, unit 1.
        run(
            case(2, date!(2026 - 03 - 05)),
            &[
                (date!(2026 - 03 - 06), A::Route { unit: unit(1) }),
                (date!(2026 - 03 - 06), A::MarkRepeat { of: earlier }),
                (date!(2026 - 03 - 25), A::Accept),
                (date!(2026 - 06 - 01), A::Reply),
                (date!(2026 - 06 - 03), rate(Satisfaction::Dissatisfied)),
            ],
            &cal,
        ),
        // Never accepted (due 18 April); led from 2 April (due 2 July), resolved 30 June.
        run(
            case(3, date!(2026 - 04 - 02)),
            &[
                (date!(2026 - 04 - 02), A::AssignLeader { person: person(1) }),
                (date!(2026 - 04 - 03), A::Route { unit: unit(2) }),
                (date!(2026 - 06 - 30), A::Resolve),
            ],
            &cal,
        ),
        // Met and met, basically satisfied, a repeat for unit 2 in May; led from 1 May (due
        // 1 August) and never resolved.
        run(
            case(4, date!(2026 - 05 - 01)),
            &[
                (date!(2026 - 05 - 01), A::AssignLeader { person: person(1) }),
                (date!(2026 - 05 - 02), A::Route { unit: unit(2) }),
                (date!(2026 - 05 - 05), A::Accept),
                (date!(2026 - 05 - 05), A::MarkRepeat { of: earlier }),
                (date!(2026 - 05 - 20), A::Reply),
                (
                    date!(2026 - 05 - 21),
                    rate(Satisfaction::BasicallySatisfied),
                ),
            ],
            &cal,
        ),
    ]
}

fn rate(m: &Rate) -> (u32, u32, Option<Decimal>) {
    (m.numerator, m.denominator, m.pct)
}

#[test]
fn metrics_as_of_two_dates() {
    let cal = WorkCalendar::weekends_only();
    let p = PetitionPolicy::default();
    let m = metrics(&cases(), date!(2026 - 08 - 15), &p, &cal);
    assert_eq!(rate(&m.timely_acceptance), (2, 4, Some(dec("50"))));
    assert_eq!(rate(&m.on_time_reply), (2, 3, Some(dec("66.67"))));
    assert_eq!(rate(&m.leader_resolution), (1, 2, Some(dec("50"))));
    assert_eq!(rate(&m.participation), (3, 3, Some(dec("100"))));
    assert_eq!(rate(&m.satisfaction), (2, 3, Some(dec("66.67"))));
    let month = |m| Period::new("p", 2026, m).unwrap();
    assert_eq!(
        m.repeats,
        vec![
            RepeatCount {
                unit: Some(unit(1)),
                period: month(3),
                count: 2
            },
            RepeatCount {
                unit: Some(unit(2)),
                period: month(5),
                count: 1
            },
        ]
    );
    let strict = PetitionPolicy {
        basically_satisfied_counts: false,
        ..PetitionPolicy::default()
    };
    let m = metrics(&cases(), date!(2026 - 08 - 15), &strict, &cal);
    assert_eq!(rate(&m.satisfaction), (1, 3, Some(dec("33.33"))));

    // On 30 April: case 2's handling and case 3's leader are still running; case 4 is not
    // registered yet.
    let m = metrics(&cases(), date!(2026 - 04 - 30), &p, &cal);
    assert_eq!(rate(&m.timely_acceptance), (1, 3, Some(dec("33.33"))));
    assert_eq!(rate(&m.on_time_reply), (1, 1, Some(dec("100"))));
    assert_eq!(rate(&m.leader_resolution), (0, 0, None));
    assert_eq!(rate(&m.participation), (1, 1, Some(dec("100"))));
    assert_eq!(rate(&m.satisfaction), (1, 1, Some(dec("100"))));
    assert_eq!(m.repeats.len(), 1);
}
