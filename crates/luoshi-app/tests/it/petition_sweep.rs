//! Petition clocks reach the supervision sweep: the handling unit is reminded before the
//! conclusion deadline and told when it is missed, once each. Hand-checked from the defaults:
//! accepted on 8 January, so the reply is due 60 days later, on 9 March; reminders at 7, 3 and 1
//! days before; overdue marks 1, 4, 7 … days after; the clock is blue within 3 days and red once
//! missed.

use crate::petition_world::{at, world};
use luoshi_app::Sweeper;
use luoshi_domain::petition::PetitionAction;
use luoshi_store::Page;
use luoshi_testkit::db_test;
use time::Date;
use time::macros::date;

db_test!(petition_clocks_are_swept_and_reminded_once, |t| {
    let w = world(t.db.clone()).await;
    let id = w
        .register("拖欠农民工工资三个月未发放", date!(2026 - 01 - 05))
        .await;
    let route = PetitionAction::Route { unit: w.a };
    w.act(&w.officer, id, route, date!(2026 - 01 - 06)).await;
    w.act(
        &w.handler,
        id,
        PetitionAction::Accept,
        date!(2026 - 01 - 08),
    )
    .await;
    let region = w.admin.region;
    let c = format!("petition_conclusion:{id}:due:2026-03-09");
    let days: Vec<(Date, Vec<String>)> = vec![
        // Accepted, 60 days to go: the clock is seen (green) without an event.
        (date!(2026 - 01 - 09), vec![]),
        // 6 days left: the 7-day mark (reached on 2 March).
        (date!(2026 - 03 - 03), vec![format!("{c}:approaching:7d")]),
        // 2 days left: the 3-day mark, and the clock turns blue.
        (
            date!(2026 - 03 - 07),
            vec![
                format!("{c}:approaching:3d"),
                format!("petition_conclusion:{id}:lamp:green-blue:2026-03-07"),
            ],
        ),
        // Missed: one day over, red.
        (
            date!(2026 - 03 - 10),
            vec![
                format!("{c}:overdue:1d"),
                format!("petition_conclusion:{id}:lamp:blue-red:2026-03-10"),
            ],
        ),
    ];
    for (day, want) in days {
        w.clock.set(at(day));
        let got = w.app.sweep(Sweeper::System(region), day).await.unwrap();
        let mut got: Vec<String> = got
            .into_iter()
            .map(|e| e.event.dedup_key)
            .filter(|k| k.starts_with("petition_"))
            .collect();
        got.sort();
        let mut want = want;
        want.sort();
        assert_eq!(got, want, "{day}");
        let again = w.app.sweep(Sweeper::System(region), day).await.unwrap();
        assert!(again.is_empty(), "{day}: a second sweep records nothing");
    }
    // The handling unit's manager was told, in words without personal data.
    let inbox = w
        .app
        .inbox(
            &w.handler,
            Page {
                limit: 50,
                offset: 0,
            },
        )
        .await
        .unwrap();
    let titles: Vec<&str> = inbox.messages.iter().map(|m| m.title.as_str()).collect();
    assert!(
        titles.contains(&"临近截止提醒：信访事项·办理答复"),
        "{titles:?}"
    );
    assert!(
        titles.contains(&"逾期催办：信访事项·办理答复"),
        "{titles:?}"
    );
    assert!(
        !inbox
            .messages
            .iter()
            .any(|m| m.body.contains(crate::petition_world::NAME))
    );
});
