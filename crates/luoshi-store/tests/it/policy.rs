//! The supervision policy's versions as stored: each save is the next version, and every field
//! (the lamp thresholds included) reads back as saved.

use crate::fixtures::{ctx, world};
use luoshi_domain::lamp::{ExpectedBasis, LampPolicy};
use luoshi_domain::measure::Decimal;
use luoshi_domain::supervision::*;
use luoshi_store::supervision as sv;
use luoshi_testkit::db_test;

db_test!(policy_versions_round_trip, |t| {
    let w = world(&t.db).await;
    assert!(sv::current_policy(&t.db, w.region).await.unwrap().is_none());
    let mut tx = t.db.begin().await.unwrap();
    assert_eq!(
        sv::save_policy(&mut tx, &ctx(w.region), &SupervisionPolicy::default())
            .await
            .unwrap(),
        1
    );
    let changed = SupervisionPolicy {
        reminder_offsets_days: vec![10, 2],
        reporting_day: 20,
        quiet_hours: None,
        cards: CardRules {
            red_points: Decimal::new(-25, 1),
            ..CardRules::default()
        },
        escalations: vec![
            EscalationRule {
                red_streak: 3,
                level: 1,
                target: EscalationTarget::LeadOfficial,
                summons: false,
            },
            EscalationRule {
                red_streak: 5,
                level: 2,
                target: EscalationTarget::PrincipalLeader,
                summons: true,
            },
        ],
        lamps: LampPolicy {
            blue_within_days: 5,
            yellow_behind_pp: Decimal::new(75, 1),
            red_behind_pp: Decimal::from(20),
            growth_yellow_behind_pp: Decimal::new(5, 1),
            growth_red_behind_pp: Decimal::new(25, 1),
            expected_basis: ExpectedBasis::DayShare,
            seasonal_profile: false,
        },
        ..SupervisionPolicy::default()
    };
    assert_eq!(
        sv::save_policy(&mut tx, &ctx(w.region), &changed)
            .await
            .unwrap(),
        2
    );
    tx.commit().await.unwrap();
    let (v, p) = sv::current_policy(&t.db, w.region).await.unwrap().unwrap();
    assert_eq!(v, 2);
    assert_eq!(p, changed);
    // A version saved before lamp thresholds were part of the policy reads as the defaults.
    let mut old = sv::policy_to_json(&changed);
    old.as_object_mut().unwrap().remove("lamps");
    let read = sv::policy_from_json(&old).unwrap();
    assert_eq!(read.lamps, LampPolicy::default());
    assert_eq!(read.reporting_day, 20);
});
