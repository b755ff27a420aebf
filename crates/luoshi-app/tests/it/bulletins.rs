//! Bulletins: a hand-checked month and quarter for a small district, publishing, correction and
//! the scheduled publication. Every body runs on SQLite and PostgreSQL.

use luoshi_app::{App, AppError, ManualClock, ValueInput};
use luoshi_domain::authz::{Actor, Grant, Role};
use luoshi_domain::ids::{IndicatorId, PlanId, RegionId, TaskId, UnitId};
use luoshi_domain::indicator::{Accumulation, Cadence, DataStatus, Direction, IndicatorFields};
use luoshi_domain::measure::{Decimal, MeasureUnit};
use luoshi_domain::org::UnitFields;
use luoshi_domain::plan::PlanFields;
use luoshi_domain::region::{Region, RegionCode};
use luoshi_domain::supervision::BulletinPeriod;
use luoshi_domain::task::{ProgressInput, TaskAction, TaskStatus};
use luoshi_testkit::db_test;
use sha2::Digest;
use std::str::FromStr;
use std::sync::Arc;
use time::macros::{date, datetime};
use time::{Date, OffsetDateTime};

struct World {
    app: App,
    clock: Arc<ManualClock>,
    admin: Actor,
    region: RegionId,
    plan: PlanId,
    units: [UnitId; 3],
}

fn at(d: Date) -> OffsetDateTime {
    d.with_hms(2, 0, 0).unwrap().assume_utc()
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

impl World {
    async fn new(db: luoshi_app::Db) -> Self {
        let clock = Arc::new(ManualClock::new(datetime!(2026-01-05 02:00 UTC)));
        let app = App::new(db, clock.clone());
        let region = Region::new(
            RegionId::from_uuid(uuid::Uuid::now_v7()),
            RegionCode::parse("code", "620503").unwrap(),
            "测试区",
            None,
        )
        .unwrap();
        let hash = luoshi_app::hash_password("admin-password-1").unwrap();
        let admin = app
            .bootstrap_region(region.clone(), "admin", "管理员", &hash)
            .await
            .unwrap()
            .actor();
        let mut units = Vec::new();
        for (code, name) in [("aaa", "甲局"), ("bbb", "乙局"), ("ccc", "丙局")] {
            let f = UnitFields::parse(code, name, "department", None).unwrap();
            units.push(app.create_unit(&admin, f).await.unwrap().0.id);
        }
        let (plan, _) = app
            .create_plan(
                &admin,
                PlanFields::parse(2026, "2026年工作要点", "").unwrap(),
            )
            .await
            .unwrap();
        World {
            app,
            clock,
            admin,
            region: region.id,
            plan: plan.id,
            units: [units[0], units[1], units[2]],
        }
    }

    async fn task(&self, lead: UnitId, title: &str, deadline: Date) -> TaskId {
        let new = crate::support::assigned_task(lead, title, deadline);
        let made = self.app.create_task(&self.admin, self.plan, new).await;
        made.unwrap().task.id
    }

    async fn act(&self, id: TaskId, action: TaskAction) {
        let task = self.app.get_task(&self.admin, id).await.unwrap().view.task;
        self.app
            .transition_task(&self.admin, id, action, task.version)
            .await
            .unwrap();
    }

    async fn close(&self, id: TaskId, on: Date) {
        self.clock.set(at(on));
        let task = self.app.get_task(&self.admin, id).await.unwrap().view.task;
        if task.status == TaskStatus::Assigned {
            self.act(id, TaskAction::Acknowledge).await;
        }
        self.act(id, TaskAction::ReportDone).await;
        self.act(id, TaskAction::Close).await;
    }

    async fn report(&self, id: TaskId, on: Date, pct: i64) {
        self.clock.set(at(on));
        let input = ProgressInput {
            percent: Some(Decimal::from(pct)),
            quantity_done: None,
            summary: "under way".into(),
            problems: String::new(),
            next_steps: String::new(),
        };
        self.app
            .report_progress(&self.admin, id, input)
            .await
            .unwrap();
    }

    async fn indicator(&self, name: &str, unit: MeasureUnit, target: &str) -> IndicatorId {
        let f = IndicatorFields {
            name: name.into(),
            unit,
            price_basis: None,
            direction: Direction::Increase,
            accumulation: Accumulation::Cumulative,
            cadence: Cadence::Monthly,
            baseline: None,
            baseline_growth_pct: None,
            target_value: Some(dec(target)),
            target_growth_pct: None,
            section: None,
            lead_unit: None,
            note: String::new(),
        };
        let made = self.app.create_indicator(&self.admin, self.plan, f).await;
        made.unwrap().0.id
    }

    async fn value(&self, id: IndicatorId, month: u8, value: &str, on: Date) {
        self.clock.set(at(on));
        let input = ValueInput {
            unit: None,
            period: luoshi_domain::calendar::Period::new("p", 2026, month).unwrap(),
            value: dec(value),
            growth_pct: None,
            status: DataStatus::Final,
            source: "统计局".into(),
        };
        self.app.record_value(&self.admin, id, input).await.unwrap();
    }

    async fn notice(&self, task: TaskId, on: Date, by: Date) -> luoshi_domain::supervision::Notice {
        self.clock.set(at(on));
        let input = luoshi_app::NoticeInput {
            task: Some(task),
            unit: None,
            requirement: "请说明滞后原因".into(),
            respond_by: by,
        };
        self.app.issue_notice(&self.admin, &input).await.unwrap()
    }

    /// The district of the tests, with everything up to 20 October 2026 recorded.
    async fn district(db: luoshi_app::Db) -> Self {
        let w = Self::new(db).await;
        let [a, b, c] = w.units;
        let t1 = w.task(a, "T1 roads", date!(2026 - 06 - 30)).await;
        let t2 = w.task(a, "T2 schools", date!(2026 - 12 - 31)).await;
        let t3 = w.task(b, "T3 water", date!(2026 - 08 - 31)).await;
        let t4 = w.task(b, "T4 parks", date!(2026 - 12 - 31)).await;
        let t5 = w.task(c, "T5 clinics", date!(2026 - 12 - 31)).await;
        let t6 = w.task(c, "T6 markets", date!(2026 - 10 - 31)).await;
        let gdp = w
            .indicator("地区生产总值", MeasureUnit::YiYuan, "100")
            .await;
        let revenue = w
            .indicator("一般公共预算收入", MeasureUnit::WanYuan, "5000")
            .await;
        w.close(t1, date!(2026 - 06 - 20)).await;
        w.report(t3, date!(2026 - 08 - 10), 50).await;
        let n1 = w
            .notice(t3, date!(2026 - 09 - 01), date!(2026 - 09 - 20))
            .await;
        w.report(t6, date!(2026 - 09 - 05), 30).await;
        let n2 = w
            .notice(t6, date!(2026 - 09 - 06), date!(2026 - 09 - 15))
            .await;
        w.report(t2, date!(2026 - 09 - 10), 80).await;
        w.clock.set(at(date!(2026 - 09 - 12)));
        w.app
            .respond_to_notice(&w.admin, n2.id, n2.version, "已整改")
            .await
            .unwrap();
        w.value(gdp, 8, "60", date!(2026 - 09 - 15)).await;
        w.report(t5, date!(2026 - 09 - 20), 75).await;
        let n3 = w
            .notice(t2, date!(2026 - 09 - 25), date!(2026 - 10 - 05))
            .await;
        w.report(t4, date!(2026 - 09 - 28), 50).await;
        w.value(revenue, 9, "2500", date!(2026 - 09 - 30)).await;
        // After the end of September: none of it may change September's bulletin.
        w.close(t6, date!(2026 - 10 - 10)).await;
        // bbb answers its notice late, aaa on time but outside September.
        w.clock.set(at(date!(2026 - 10 - 02)));
        for n in [n1, n3] {
            w.app
                .respond_to_notice(&w.admin, n.id, n.version, "已办理")
                .await
                .unwrap();
        }
        w.value(gdp, 9, "80", date!(2026 - 10 - 15)).await;
        w.value(gdp, 8, "62", date!(2026 - 10 - 20)).await;
        w
    }
}

/// (code, rank, tasks, completed, lagging, red, overdue, reports due, on time, rate)
type Line = (
    &'static str,
    u32,
    u32,
    u32,
    u32,
    u32,
    u32,
    u32,
    u32,
    Option<Decimal>,
);

fn lines(b: &luoshi_app::Bulletin) -> Vec<Line> {
    b.units
        .iter()
        .map(|l| {
            let r = &l.row;
            let code: &'static str = match r.unit_code.as_str() {
                "aaa" => "aaa",
                "bbb" => "bbb",
                "ccc" => "ccc",
                other => panic!("unexpected unit {other}"),
            };
            (
                code,
                r.rank,
                r.tasks,
                r.completed,
                r.lagging,
                r.red,
                r.overdue,
                r.reports_due,
                r.reports_on_time,
                r.on_time_rate,
            )
        })
        .collect()
}

fn september() -> BulletinPeriod {
    BulletinPeriod::parse("period", "2026-09").unwrap()
}

db_test!(a_month_and_a_quarter_by_hand, |t| {
    let w = World::district(t.db.clone()).await;
    w.clock.set(datetime!(2026-10-21 02:00 UTC));
    let b = w
        .app
        .bulletin_draft(&w.admin, september(), true)
        .await
        .unwrap();
    assert_eq!(b.as_of, date!(2026 - 09 - 30));
    assert_eq!(b.region, "测试区");
    // By hand, as of 30 September (expected progress is linear from 1 January):
    // aaa: T1 closed 20 June (green, completed); T2 80% vs ~74.7% expected (green). September
    //      report owed by T2 only (T1 was closed), made 10 Sep → 1 of 1.
    // bbb: T3 past its 31 August deadline (red, overdue); T4 50% vs ~74.7% → 24.7 points behind
    //      (yellow). T3 made no September report, T4 reported on 28 Sep, after the 25th → 0 of 2.
    // ccc: T5 75% vs ~74.7% (green); T6 30% vs ~89.8% (red; its closing on 10 Oct is later).
    //      Both reported before the 25th → 2 of 2.
    // Ranking: aaa has no red; ccc and bbb have one each, ccc has fewer yellow.
    let hundred = Some(dec("100"));
    let want: Vec<Line> = vec![
        ("aaa", 1, 2, 1, 0, 0, 0, 1, 1, hundred),
        ("ccc", 2, 2, 0, 0, 1, 0, 2, 2, hundred),
        ("bbb", 3, 2, 0, 1, 1, 1, 2, 0, Some(dec("0"))),
    ];
    assert_eq!(lines(&b), want);
    assert_eq!(b.units[0].name, "甲局");
    // Notices due in September (by their respond-by day): bbb's (due 20 Sep, answered 2 Oct:
    // late) and ccc's (due 15 Sep, answered 12 Sep); aaa's is due in October.
    let notices: Vec<_> = b
        .units
        .iter()
        .map(|l| {
            (
                l.row.unit_code.as_str(),
                l.row.notices_due,
                l.row.notices_on_time,
            )
        })
        .collect();
    assert_eq!(notices, vec![("aaa", 0, 0), ("ccc", 1, 1), ("bbb", 1, 0)]);
    // Indicators as of 30 September: GDP's August figure as first recorded (60 of 100 = 60%,
    // 8/12 = 66.67% expected, 6.67 points behind: green); revenue's September figure (2500 of
    // 5000 = 50%, 9/12 = 75% expected, 25 points behind: yellow). Later figures are ignored.
    let ind: Vec<_> = b
        .indicators
        .iter()
        .map(|i| {
            (
                i.name.as_str(),
                i.period.clone(),
                i.value,
                i.attainment_pct,
                i.expected_pct,
                i.gap_pp,
                i.lamp.clone(),
            )
        })
        .collect();
    let mut ind = ind;
    ind.sort_by_key(|x| x.0);
    assert_eq!(
        ind,
        vec![
            (
                "一般公共预算收入",
                Some("2026-09".to_owned()),
                Some(dec("2500")),
                Some(dec("50")),
                Some(dec("75")),
                Some(dec("-25")),
                Some("yellow".to_owned())
            ),
            (
                "地区生产总值",
                Some("2026-08".to_owned()),
                Some(dec("60")),
                Some(dec("60")),
                Some(dec("66.67")),
                Some(dec("-6.67")),
                Some("green".to_owned())
            ),
        ]
    );
    assert!(b.standings.is_empty(), "no assessment scheme is stored");

    // The third quarter: reports owed in July, August and September. A month's report is the
    // first one made on or after the 1st; on time when by the 25th.
    // aaa: T2 reported only on 10 Sep → July late, August late, September on time: 1/3.
    // bbb: T3 (8/10) → July late, August on time, September missing; T4 (9/28) late thrice: 1/6.
    // ccc: T5 (9/20) and T6 (9/05) each: July late, August late, September on time: 2/6.
    let q3 = BulletinPeriod::parse("period", "2026-Q3").unwrap();
    let q = w.app.bulletin_draft(&w.admin, q3, false).await.unwrap();
    let rates: Vec<_> = q
        .units
        .iter()
        .map(|l| {
            (
                l.row.unit_code.clone(),
                l.row.reports_due,
                l.row.reports_on_time,
                l.row.on_time_rate,
            )
        })
        .collect();
    assert_eq!(
        rates,
        vec![
            ("aaa".to_owned(), 3, 1, Some(dec("33.33"))),
            ("ccc".to_owned(), 6, 2, Some(dec("33.33"))),
            ("bbb".to_owned(), 6, 1, Some(dec("16.67"))),
        ]
    );
});

db_test!(publish_is_frozen_and_a_correction_keeps_both, |t| {
    let w = World::district(t.db.clone()).await;
    w.clock.set(datetime!(2026-10-21 02:00 UTC));
    let first = w
        .app
        .publish_bulletin(&w.admin, september(), false)
        .await
        .unwrap();
    let s = &first.stored;
    assert_eq!((s.version, s.number.as_str()), (1, "通报〔2026〕1号"));
    assert_eq!(s.published_by, Some(w.admin.user));
    let hex: String = sha2::Sha256::digest(s.body.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(s.digest, hex);
    let (read, versions) = w.app.bulletin(&w.admin, s.id).await.unwrap();
    assert_eq!(
        read, first,
        "the stored body reads back as the same bulletin"
    );
    assert_eq!(versions.len(), 1);

    // Publishing the same month again is refused; it is corrected instead.
    let again = w.app.publish_bulletin(&w.admin, september(), false).await;
    assert!(
        matches!(
            again,
            Err(AppError::Conflict {
                code: "already_published",
                ..
            })
        ),
        "{again:?}"
    );
    let empty = w.app.correct_bulletin(&w.admin, s.id, " ", false).await;
    assert!(
        matches!(&empty, Err(AppError::Validation(v)) if v.field == "reason"),
        "{empty:?}"
    );
    let second = w
        .app
        .correct_bulletin(&w.admin, s.id, "T4's report date was wrong", false)
        .await
        .unwrap();
    let s2 = &second.stored;
    assert_eq!((s2.version, s2.number.as_str()), (2, "通报〔2026〕1号"));
    assert_eq!(s2.supersedes, Some(s.id));
    assert_eq!(s2.reason, "T4's report date was wrong");
    // Correcting version 1 again corrects the latest version (a chain, never a fork).
    let third = w
        .app
        .correct_bulletin(&w.admin, s.id, "once more", false)
        .await
        .unwrap();
    assert_eq!(third.stored.supersedes, Some(s2.id));
    let all = w.app.bulletins(&w.admin).await.unwrap();
    assert_eq!(all.len(), 3, "every version stays");
    let (_, versions) = w.app.bulletin(&w.admin, s.id).await.unwrap();
    let v: Vec<i32> = versions.iter().map(|x| x.version).collect();
    assert_eq!(v, vec![1, 2, 3]);

    // A unit's reporter reads published bulletins but cannot draft or publish.
    let reporter = Actor {
        user: w.admin.user,
        region: w.region,
        grants: vec![Grant::new(Role::Reporter, Some(w.units[0])).unwrap()],
    };
    assert_eq!(w.app.bulletins(&reporter).await.unwrap().len(), 3);
    for r in [
        w.app
            .bulletin_draft(&reporter, september(), false)
            .await
            .err(),
        w.app
            .publish_bulletin(&reporter, september(), false)
            .await
            .err(),
    ] {
        assert!(matches!(r, Some(AppError::Forbidden)), "{r:?}");
    }
});

db_test!(scheduled_publishing_happens_once, |t| {
    let w = World::district(t.db.clone()).await;
    // Before October's reporting day nothing is due.
    let none = w
        .app
        .publish_scheduled_bulletins(w.region, date!(2026 - 10 - 24))
        .await
        .unwrap();
    assert!(none.is_empty());
    // On the 25th: September's bulletin and, October opening a quarter, the third quarter's.
    // Two servers' sweepers run at the same moment: each bulletin is published once.
    w.clock.set(datetime!(2026-10-25 01:00 UTC));
    let day = date!(2026 - 10 - 25);
    let other = App::new(t.db.clone(), w.clock.clone());
    let (one, two) = tokio::join!(
        w.app.publish_scheduled_bulletins(w.region, day),
        other.publish_scheduled_bulletins(w.region, day)
    );
    let mut got: Vec<_> = one
        .unwrap()
        .into_iter()
        .chain(two.unwrap())
        .map(|p| {
            (
                p.stored.period.clone(),
                p.stored.version,
                p.stored.published_by,
            )
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        vec![
            ("2026-09".to_owned(), 1, None),
            ("2026-Q3".to_owned(), 1, None),
        ]
    );
    let mut numbers: Vec<String> = w
        .app
        .bulletins(&w.admin)
        .await
        .unwrap()
        .into_iter()
        .map(|b| b.number)
        .collect();
    numbers.sort();
    assert_eq!(numbers, vec!["通报〔2026〕1号", "通报〔2026〕2号"]);
    // The sweeper runs again (and the next day): nothing new.
    for d in [day, date!(2026 - 10 - 26)] {
        let again = w
            .app
            .publish_scheduled_bulletins(w.region, d)
            .await
            .unwrap();
        assert!(again.is_empty(), "{d}");
    }
    assert_eq!(w.app.bulletins(&w.admin).await.unwrap().len(), 2);
});
