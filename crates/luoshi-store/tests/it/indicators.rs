use crate::fixtures::{ctx, world};
use luoshi_domain::calendar::Period;
use luoshi_domain::ids::*;
use luoshi_domain::indicator::*;
use luoshi_domain::measure::{Decimal, MeasureUnit};
use luoshi_store::{AuditCtx, indicators};
use luoshi_testkit::db_test;
use std::str::FromStr;
use time::macros::datetime;
use uuid::Uuid;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

db_test!(values_are_revisions_readable_as_of, |t| {
    let w = world(&t.db).await;
    let fields = IndicatorFields {
        name: "地区生产总值".into(),
        unit: MeasureUnit::YiYuan,
        price_basis: Some(PriceBasis::Comparable),
        direction: Direction::Increase,
        accumulation: Accumulation::Cumulative,
        cadence: Cadence::Quarterly,
        baseline: Some(d("43.95")),
        baseline_growth_pct: Some(d("13.5")),
        target_value: Some(d("49.4")),
        target_growth_pct: Some(d("12.4")),
        section: None,
        lead_unit: None,
        note: String::new(),
    }
    .validate()
    .unwrap();
    let ind = Indicator {
        id: IndicatorId::from_uuid(Uuid::now_v7()),
        region: w.region,
        plan: w.plan,
        fields,
    };
    let mut tx = t.db.begin().await.unwrap();
    indicators::insert(&mut tx, &ctx(w.region), &ind, 0)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let q2 = Period::new("p", 2026, 6).unwrap();
    let times = [
        datetime!(2026-07-10 9:00 UTC),
        datetime!(2026-08-10 9:00 UTC),
    ];
    for (i, (v, at)) in [("24.1", times[0]), ("24.3", times[1])]
        .into_iter()
        .enumerate()
    {
        let val = IndicatorValue {
            indicator: ind.id,
            unit: None,
            period: q2,
            value: d(v),
            growth_pct: Some(d("12.1")),
            status: if i == 0 {
                DataStatus::Flash
            } else {
                DataStatus::Final
            },
            source: "统计局".into(),
            revision: 0,
        };
        let c = AuditCtx {
            at,
            ..ctx(w.region)
        };
        let mut tx = t.db.begin().await.unwrap();
        let rev = indicators::append_value(&mut tx, &c, ValueId::from_uuid(Uuid::now_v7()), &val)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(rev, i as i32 + 1);
    }
    // A unit's share is a separate series.
    let share = IndicatorValue {
        indicator: ind.id,
        unit: Some(w.unit_a),
        period: q2,
        value: d("5"),
        growth_pct: None,
        status: DataStatus::Flash,
        source: String::new(),
        revision: 0,
    };
    let mut tx = t.db.begin().await.unwrap();
    assert_eq!(
        indicators::append_value(
            &mut tx,
            &ctx(w.region),
            ValueId::from_uuid(Uuid::now_v7()),
            &share
        )
        .await
        .unwrap(),
        1
    );
    tx.commit().await.unwrap();

    let all = indicators::values(&t.db, w.region, &[ind.id])
        .await
        .unwrap();
    assert_eq!(all.len(), 3);
    let now: Vec<_> = indicators::current_values(&all, None)
        .into_iter()
        .filter(|v| v.value.unit.is_none())
        .collect();
    assert_eq!(
        (now.len(), now[0].value.value, now[0].value.status),
        (1, d("24.3"), DataStatus::Final)
    );
    let then: Vec<_> = indicators::current_values(&all, Some(datetime!(2026-07-31 0:00 UTC)))
        .into_iter()
        .filter(|v| v.value.unit.is_none())
        .collect();
    assert_eq!(then[0].value.value, d("24.1"));

    let mut tx = t.db.begin().await.unwrap();
    let v = indicators::put_split(&mut tx, &ctx(w.region), ind.id, w.unit_a, d("20"), None)
        .await
        .unwrap();
    assert_eq!(v, 1);
    let err = indicators::put_split(&mut tx, &ctx(w.region), ind.id, w.unit_a, d("21"), Some(5))
        .await
        .unwrap_err();
    assert!(matches!(err, luoshi_store::StoreError::Conflict { .. }));
    assert_eq!(
        indicators::put_split(&mut tx, &ctx(w.region), ind.id, w.unit_a, d("21"), Some(1))
            .await
            .unwrap(),
        2
    );
    tx.commit().await.unwrap();
    assert_eq!(
        indicators::splits(&t.db, w.region, ind.id).await.unwrap()[0].target_value,
        d("21")
    );
});
