//! The demo district's assessment: the two books (townships, departments) stored at the start
//! of the year, and the evaluations entered on the pinned "today", so `luoshi assess` gives a
//! full standing of every unit.

use super::{DemoOptions, District, at};
use anyhow::Result;
use luoshi_app::{FactInput, FactKind, print_scheme};
use luoshi_domain::assess::{demo_department_scheme, demo_township_scheme};
use luoshi_domain::measure::Decimal;
use time::Date;

pub(super) async fn assessment(d: &District, opts: &DemoOptions) -> Result<()> {
    let year = opts.today.year();
    d.clock.set(at(
        Date::from_calendar_date(year, time::Month::January, 4)?,
        2,
    ));
    for scheme in [demo_township_scheme(year), demo_department_scheme(year)] {
        d.app
            .store_scheme(&d.supervisor, &print_scheme(&scheme))
            .await?;
    }
    d.clock.set(at(opts.today, 2));
    let townships = super::data::TOWNSHIPS.len();
    for (i, (unit, _)) in d.units.iter().enumerate() {
        // Deterministic, varied evaluations: townships are rated out of 60 (leaders) and 100
        // (party building), departments out of 50 (leaders).
        let n = i64::try_from(i).unwrap_or(0);
        let mut scores = vec![("evaluation.leaders", 60 - (n * 7) % 13)];
        if i < townships {
            scores.push(("common.party-building", 100 - (n * 5) % 17));
        } else if let Some((_, points)) = scores.first_mut() {
            *points = 50 - (n * 3) % 11;
        }
        for (item, points) in scores {
            let input = FactInput {
                kind: FactKind::Manual,
                unit: *unit,
                item: item.to_owned(),
                points: Some(Decimal::from(points)),
                text: "年终考评".to_owned(),
                on: opts.today,
            };
            d.app.enter_assessment_fact(&d.supervisor, input).await?;
        }
    }
    Ok(())
}
