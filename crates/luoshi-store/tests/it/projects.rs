use crate::fixtures::{ctx, world};
use luoshi_domain::calendar::Period;
use luoshi_domain::ids::*;
use luoshi_domain::measure::{Decimal, MeasureUnit};
use luoshi_domain::project::*;
use luoshi_store::audit::{self, AuditFilter};
use luoshi_store::projects::{self, ProjectFilter, StoredProject};
use luoshi_store::{AuditCtx, Page, StoreError};
use luoshi_testkit::db_test;
use std::str::FromStr;
use time::macros::{date, datetime};
use uuid::Uuid;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn fields(name: &str, unit: UnitId) -> ProjectFields {
    ProjectFields {
        name: name.into(),
        park: "东区产业园".into(),
        investment_unit: MeasureUnit::WanYuan,
        total_investment: d("32000"),
        year: 2026,
        annual_investment: d("12000"),
        planned_start: Period::new("p", 2026, 3).unwrap(),
        planned_completion: Some(date!(2027 - 06 - 30)),
        planned_production: None,
        stage: ProjectStage::UnderConstruction,
        started_on: Some(date!(2026 - 03 - 18)),
        completed_on: None,
        in_production_on: None,
        leader: None,
        responsible_unit: unit,
        issues: vec![ProjectIssue {
            text: "用地指标待落实".into(),
            owner: unit,
            raised_on: date!(2026 - 04 - 01),
            due: date!(2026 - 05 - 31),
            resolved_on: None,
        }],
    }
    .validate()
    .unwrap()
}

fn stored(region: RegionId, plan: Option<PlanId>, f: ProjectFields) -> StoredProject {
    let issue_ids = f
        .issues
        .iter()
        .map(|_| ProjectIssueId::from_uuid(Uuid::now_v7()))
        .collect();
    StoredProject {
        project: Project {
            id: ProjectId::from_uuid(Uuid::now_v7()),
            region,
            fields: f,
            version: 1,
        },
        plan,
        issue_ids,
    }
}

async fn audit_actions(t: &luoshi_testkit::TestDb, region: RegionId, entity: &str) -> Vec<String> {
    let log = audit::list(
        &t.db,
        region,
        &AuditFilter {
            entity: Some(entity.into()),
            ..Default::default()
        },
        Page {
            limit: 50,
            offset: 0,
        },
    )
    .await
    .unwrap();
    let mut v: Vec<String> = log.into_iter().map(|e| e.action).collect();
    v.sort();
    v
}

db_test!(projects_round_trip_with_issues_and_versions, |t| {
    let w = world(&t.db).await;
    let c = ctx(w.region);
    let a = stored(w.region, Some(w.plan), fields("新材料产业园一期", w.unit_a));
    let mut fb = fields("冷链物流中心", w.unit_b);
    fb.issues.clear();
    let b = stored(w.region, None, fb);
    let mut tx = t.db.begin().await.unwrap();
    projects::insert(&mut tx, &c, &a).await.unwrap();
    projects::insert(&mut tx, &c, &b).await.unwrap();
    tx.commit().await.unwrap();

    let got = projects::get(&t.db, w.region, a.project.id).await.unwrap();
    assert_eq!(got, a);

    // Listing: by name, and filtered by plan or by responsible unit.
    let names = |v: Vec<StoredProject>| {
        v.into_iter()
            .map(|s| s.project.fields.name)
            .collect::<Vec<_>>()
    };
    let cases: [(ProjectFilter, Vec<&str>); 4] = [
        (
            ProjectFilter::default(),
            vec!["冷链物流中心", "新材料产业园一期"],
        ),
        (
            ProjectFilter {
                plan: Some(w.plan),
                responsible_unit: None,
            },
            vec!["新材料产业园一期"],
        ),
        (
            ProjectFilter {
                plan: None,
                responsible_unit: Some(w.unit_b),
            },
            vec!["冷链物流中心"],
        ),
        (
            ProjectFilter {
                plan: Some(w.plan),
                responsible_unit: Some(w.unit_b),
            },
            vec![],
        ),
    ];
    for (filter, want) in cases {
        let got = names(projects::list(&t.db, w.region, filter).await.unwrap());
        assert_eq!(got, want, "{filter:?}");
    }
    let listed = projects::list(&t.db, w.region, ProjectFilter::default())
        .await
        .unwrap();
    assert_eq!(listed[1].project.fields.issues.len(), 1);
    assert_eq!(listed[1].issue_ids, a.issue_ids);

    // Update: the stored issues stay; a stale version is a conflict and writes nothing.
    let mut f = a.project.fields.clone();
    f.annual_investment = d("15000");
    f.issues.clear();
    let mut tx = t.db.begin().await.unwrap();
    let up = projects::update(&mut tx, &c, a.project.id, None, &f, 1)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(up.project.version, 2);
    assert_eq!(up.plan, None);
    assert_eq!(up.project.fields.issues.len(), 1);
    let mut tx = t.db.begin().await.unwrap();
    let err = projects::update(&mut tx, &c, a.project.id, None, &f, 1)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Conflict {
                expected: 1,
                current: 2,
                ..
            }
        ),
        "{err:?}"
    );
    drop(tx);
    let got = projects::get(&t.db, w.region, a.project.id).await.unwrap();
    assert_eq!(
        (got.project.fields.annual_investment, got.project.version),
        (d("15000"), 2)
    );

    // Issues: add (position after the first), resolve; each bumps the version.
    let new_issue = ProjectIssue {
        text: "施工用电需扩容".into(),
        owner: w.unit_b,
        raised_on: date!(2026 - 06 - 01),
        due: date!(2026 - 06 - 30),
        resolved_on: None,
    };
    let issue_id = ProjectIssueId::from_uuid(Uuid::now_v7());
    let mut tx = t.db.begin().await.unwrap();
    let v = projects::add_issue(&mut tx, &c, a.project.id, issue_id, &new_issue, 2)
        .await
        .unwrap();
    let v = projects::resolve_issue(
        &mut tx,
        &c,
        a.project.id,
        a.issue_ids[0],
        date!(2026 - 06 - 10),
        v,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(v, 4);
    let got = projects::get(&t.db, w.region, a.project.id).await.unwrap();
    assert_eq!(got.issue_ids, vec![a.issue_ids[0], issue_id]);
    let resolved: Vec<Option<time::Date>> = got
        .project
        .fields
        .issues
        .iter()
        .map(|i| i.resolved_on)
        .collect();
    assert_eq!(resolved, vec![Some(date!(2026 - 06 - 10)), None]);

    // Refusals: stale version on an issue write, an issue of another project, a missing project.
    let mut tx = t.db.begin().await.unwrap();
    let err = projects::add_issue(&mut tx, &c, a.project.id, issue_id, &new_issue, 3)
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Conflict { current: 4, .. }),
        "{err:?}"
    );
    drop(tx);
    let mut tx = t.db.begin().await.unwrap();
    let err = projects::resolve_issue(
        &mut tx,
        &c,
        b.project.id,
        issue_id,
        date!(2026 - 06 - 11),
        1,
    )
    .await
    .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::NotFound {
                entity: "project_issue"
            }
        ),
        "{err:?}"
    );
    drop(tx);
    let err = projects::get(&t.db, w.region, ProjectId::from_uuid(Uuid::now_v7()))
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::NotFound { entity: "project" }),
        "{err:?}"
    );

    assert_eq!(
        audit_actions(&t, w.region, "project").await,
        vec!["create", "create", "update"]
    );
    assert_eq!(
        audit_actions(&t, w.region, "project_issue").await,
        vec!["create", "create", "resolve"]
    );
});

db_test!(investments_are_append_only_revisions, |t| {
    let w = world(&t.db).await;
    let a = stored(w.region, Some(w.plan), fields("新材料产业园一期", w.unit_a));
    let mut fb = fields("冷链物流中心", w.unit_b);
    fb.issues.clear();
    let b = stored(w.region, None, fb);
    let mut tx = t.db.begin().await.unwrap();
    projects::insert(&mut tx, &ctx(w.region), &a).await.unwrap();
    projects::insert(&mut tx, &ctx(w.region), &b).await.unwrap();
    tx.commit().await.unwrap();

    let p = |m| Period::new("p", 2026, m).unwrap();
    // (project, month, value, revision written)
    let rows = [
        (a.project.id, 4, "2100", 1),
        (a.project.id, 5, "3900", 1),
        (a.project.id, 5, "4050", 2),
        (b.project.id, 5, "800", 1),
    ];
    for (n, (project, month, value, want)) in rows.into_iter().enumerate() {
        let c = AuditCtx {
            at: datetime!(2026-06-05 09:00 UTC) + time::Duration::hours(n as i64),
            ..ctx(w.region)
        };
        let v = InvestmentValue {
            project,
            period: p(month),
            value: d(value),
            source: "项目单位报送".into(),
            revision: 0,
        };
        let mut tx = t.db.begin().await.unwrap();
        let rev = projects::append_investment(&mut tx, &c, ValueId::from_uuid(Uuid::now_v7()), &v)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(rev, want, "row {n}");
    }
    let all = projects::investments(&t.db, w.region, Some(&[a.project.id]))
        .await
        .unwrap();
    let got: Vec<(u8, String, i32)> = all
        .iter()
        .map(|s| {
            (
                s.value.period.month(),
                s.value.value.to_string(),
                s.value.revision,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (4, "2100".to_owned(), 1),
            (5, "3900".to_owned(), 1),
            (5, "4050".to_owned(), 2)
        ]
    );
    assert_eq!(all[2].recorded_at, datetime!(2026-06-05 11:00 UTC));
    let values: Vec<InvestmentValue> = all.into_iter().map(|s| s.value).collect();
    let current = current_values(&values);
    assert_eq!(current.get(&p(5)), Some(&d("4050")));

    let everything = projects::investments(&t.db, w.region, None).await.unwrap();
    assert_eq!(everything.len(), 4);
    let none = projects::investments(&t.db, w.region, Some(&[]))
        .await
        .unwrap();
    assert!(none.is_empty());
    assert_eq!(
        audit_actions(&t, w.region, "project_investment").await,
        vec!["append"; 4]
    );
});
