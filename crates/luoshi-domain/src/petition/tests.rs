#![allow(clippy::unwrap_used, clippy::panic)]

use super::*;
use time::macros::date;
use uuid::Uuid;

mod clocks;
mod lifecycle;
mod metrics;
mod repeat;

fn unit(n: u128) -> UnitId {
    UnitId::from_uuid(Uuid::from_u128(n))
}

fn person(n: u128) -> PersonId {
    PersonId::from_uuid(Uuid::from_u128(n))
}

fn petitioner(name: &str, id: Option<&str>, phone: Option<&str>) -> Petitioner {
    Petitioner {
        name: name.into(),
        id_number: id.map(Into::into),
        phone: phone.map(Into::into),
        address: "伯阳镇某村".into(),
    }
}

fn fields(registered_on: Date) -> PetitionFields {
    PetitionFields {
        channel: Channel::Visit,
        personal: PersonalData {
            petitioners: vec![petitioner(
                "张三",
                Some("11010519491231002X"),
                Some("13900001234"),
            )],
        },
        petitioner_count: 1,
        matter: "修路占地补偿款一直没有发放到位，要求解决".into(),
        category: "土地征收".into(),
        registered_on,
    }
}

/// A case numbered `n`, registered on `on`.
fn case(n: u128, on: Date) -> PetitionCase {
    PetitionCase::register(
        PetitionId::from_uuid(Uuid::from_u128(n)),
        RegionId::from_uuid(Uuid::from_u128(1000)),
        fields(on).validate().unwrap(),
    )
}

/// `case` after each (date, action) in turn, under the default policy.
fn run(case: PetitionCase, steps: &[(Date, PetitionAction)], cal: &WorkCalendar) -> PetitionCase {
    let policy = PetitionPolicy::default();
    steps.iter().fold(case, |c, (on, a)| {
        c.after(a, *on, &policy, cal)
            .unwrap_or_else(|e| panic!("{} on {on}: {e}", a.name()))
    })
}

/// A spring-festival week as test data: Monday 16 to Friday 20 and Monday 23 February 2026 off,
/// Saturday 28 February worked instead.
fn festival() -> WorkCalendar {
    let holidays = [
        date!(2026 - 02 - 16),
        date!(2026 - 02 - 17),
        date!(2026 - 02 - 18),
        date!(2026 - 02 - 19),
        date!(2026 - 02 - 20),
        date!(2026 - 02 - 23),
    ];
    WorkCalendar::new(&holidays, &[date!(2026 - 02 - 28)]).unwrap()
}
