//! The demo district: built through the same use cases as real work, replaying the year up to a
//! pinned "today" with a manual clock, so every record has its true history and audit trail.
//! Deterministic: the same options give the same district (identifiers aside).

mod assess;
mod data;
mod indicators;
mod petitions;
mod projects;
mod sim;

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use luoshi_app::{Actor, App, ManualClock, NewTask, NewUser, ValueInput};
use luoshi_domain::authz::{Grant, Role};
use luoshi_domain::calendar::{Period, month_end};
use luoshi_domain::ids::{PersonId, PlanId, RegionId, SectionId, UnitId};
use luoshi_domain::indicator::{
    Accumulation, Cadence, DataStatus, Direction, IndicatorFields, PriceBasis,
};
use luoshi_domain::measure::{Decimal, MeasureUnit};
use luoshi_domain::org::{PersonFields, UnitFields};
use luoshi_domain::plan::{PlanFields, SectionFields};
use luoshi_domain::region::{Region, RegionCode};
use luoshi_domain::task::{Milestone, QuantityTarget, TaskFields, TaskSource};
use luoshi_store::Db;
use sim::Rng;
use std::collections::HashMap;
use std::sync::Arc;
use time::{Date, OffsetDateTime, Time};

#[derive(Debug, Clone)]
pub struct DemoOptions {
    pub scale: u32,
    pub districts: u32,
    pub today: Date,
    /// Progress reports per month and task (0: about one a quarter, as a district really reports;
    /// more fill a province-sized benchmark with millions of reports).
    pub reports_per_month: u8,
    /// Seals the demo petitioners' personal data; without it the demo has no petition cases.
    pub petition_key: Option<luoshi_app::PetitionKey>,
}

/// What the demo printed at start-up: the accounts to try.
#[derive(Debug, Clone)]
pub struct DemoInfo {
    pub accounts: Vec<(String, String)>,
    pub tasks: usize,
    pub reports: usize,
}

pub const DEMO_PASSWORD: &str = "demo";

/// Morning, Beijing time (01:00 UTC), on a date.
pub fn at(d: Date, hour_utc: u8) -> OffsetDateTime {
    d.with_time(Time::from_hms(hour_utc.min(15), 0, 0).unwrap_or(Time::MIDNIGHT))
        .assume_utc()
}

struct District {
    app: App,
    clock: Arc<ManualClock>,
    admin: Actor,
    supervisor: Actor,
    units: Vec<(UnitId, String)>,
    reporter: HashMap<UnitId, Actor>,
    manager: HashMap<UnitId, Actor>,
    leaders: Vec<PersonId>,
    plan: PlanId,
    sections: HashMap<String, SectionId>,
}

pub async fn build(db: &Db, opts: &DemoOptions) -> Result<DemoInfo> {
    let hash = luoshi_app::hash_password(DEMO_PASSWORD).context("hash demo password")?;
    let per_district = data::TASKS.len() * opts.scale as usize;
    let bar = ProgressBar::new((per_district * opts.districts as usize) as u64);
    bar.set_style(
        ProgressStyle::with_template("{msg:24} [{bar:40}] {pos}/{len} tasks ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut info = DemoInfo {
        accounts: vec![],
        tasks: 0,
        reports: 0,
    };
    for k in 0..opts.districts {
        bar.set_message(format!("district {}/{}", k + 1, opts.districts));
        let d = setup(db, opts, k, &hash, &mut info).await?;
        let (tasks, reports) = simulate(&d, opts, k, &bar).await?;
        info.tasks += tasks;
        info.reports += reports;
        let scored = indicators::indicators(&d, opts).await?;
        assess::township_figures(&d, opts, &scored).await?;
        assess::supervise(&d, opts).await?;
        assess::assessment(&d, opts).await?;
        projects::build(&d, opts).await?;
        let accounts = petitions::build(&d, opts.today, &suffix(k), &hash).await?;
        if let (0, Some(a)) = (k, accounts) {
            info.accounts
                .push((a.officer, "信访局 petition office".into()));
            info.accounts
                .push((a.leader, "孙丽娟 case leader (包案)".into()));
        }
    }
    bar.finish_and_clear();
    db.analyze().await?;
    Ok(info)
}

fn suffix(k: u32) -> String {
    if k == 0 {
        String::new()
    } else {
        format!("-{}", k + 1)
    }
}

fn region_code(k: u32) -> String {
    // Province 62, cities 05.., counties 01..90: unique for thousands of districts.
    let city = 5 + k / 90;
    let county = 1 + k % 90;
    format!("62{city:02}{county:02}")
}

async fn setup(
    db: &Db,
    opts: &DemoOptions,
    k: u32,
    hash: &str,
    info: &mut DemoInfo,
) -> Result<District> {
    let year = opts.today.year();
    let clock = Arc::new(ManualClock::new(at(
        Date::from_calendar_date(year, time::Month::January, 4)?,
        1,
    )));
    let app = App::new(db.clone(), clock.clone()).with_petition_key(opts.petition_key.clone());
    let s = suffix(k);
    let name = if k == 0 {
        "示范区".to_owned()
    } else {
        format!("示范区{}", k + 1)
    };
    let region = Region::new(
        RegionId::from_uuid(uuid::Uuid::now_v7()),
        RegionCode::parse("code", &region_code(k))?,
        &name,
        None,
    )?;
    let admin = app
        .bootstrap_region(region, &format!("admin{s}"), "系统管理员", hash)
        .await?
        .actor();

    let mut units = Vec::new();
    for (code, name, kind) in data::TOWNSHIPS {
        let (u, _) = app
            .create_unit(&admin, UnitFields::parse(code, name, kind, None)?)
            .await?;
        units.push((u.id, u.name));
    }
    for (code, name) in data::DEPARTMENTS {
        let (u, _) = app
            .create_unit(&admin, UnitFields::parse(code, name, "department", None)?)
            .await?;
        units.push((u.id, u.name));
    }
    let mut leaders = Vec::new();
    for (name, post) in data::LEADERS {
        let (p, _) = app
            .create_person(&admin, PersonFields::parse(name, post, None, "")?)
            .await?;
        leaders.push(p.id);
    }
    let mut rng = Rng::new(u64::from(k) + 7);
    for (i, (u, _)) in units.iter().enumerate() {
        let post = if i < data::TOWNSHIPS.len() {
            "党委书记"
        } else {
            "主要负责人"
        };
        let phone = format!("138{:08}", rng.below(100_000_000));
        app.create_person(
            &admin,
            PersonFields::parse(&sim::person_name(&mut rng), post, Some(*u), &phone)?,
        )
        .await?;
    }

    let user = |username: String, display: &str, role: Role, unit: Option<UnitId>| NewUser {
        username,
        display_name: display.to_owned(),
        password: String::new(),
        language: "zh-Hans".into(),
        grants: vec![Grant { role, unit }],
    };
    let (sup, _) = app
        .insert_user(
            &admin,
            user(format!("supervisor{s}"), "督查室", Role::Supervisor, None),
            hash,
        )
        .await?;
    app.insert_user(
        &admin,
        user(format!("leader{s}"), "区领导", Role::Leader, None),
        hash,
    )
    .await?;
    let mut reporter = HashMap::new();
    let mut manager = HashMap::new();
    let codes = data::TOWNSHIPS
        .iter()
        .map(|t| t.0)
        .chain(data::DEPARTMENTS.iter().map(|d| d.0));
    for ((u, uname), code) in units.iter().zip(codes) {
        let (r, _) = app
            .insert_user(
                &admin,
                user(
                    format!("{code}{s}"),
                    &format!("{uname}联络员"),
                    Role::Reporter,
                    Some(*u),
                ),
                hash,
            )
            .await?;
        let (m, _) = app
            .insert_user(
                &admin,
                user(
                    format!("{code}-head{s}"),
                    &format!("{uname}负责人"),
                    Role::UnitManager,
                    Some(*u),
                ),
                hash,
            )
            .await?;
        // Demo addresses (example.org never receives mail; nothing is sent without --smtp-url).
        for (who, mailbox) in [(&r, code.to_owned()), (&m, format!("{code}-head"))] {
            app.save_my_contact(
                &who.actor(),
                Some(format!("{mailbox}{s}@example.org")),
                true,
                0,
            )
            .await?;
        }
        reporter.insert(*u, r.actor());
        manager.insert(*u, m.actor());
    }
    // One robot per platform for the first township, disabled and pointing at a reserved
    // (never resolvable) host, so the robot page has something to show.
    if let Some((first, _)) = units.first() {
        for platform in luoshi_domain::supervision::RobotPlatform::ALL {
            let input = luoshi_app::RobotInput {
                platform,
                name: format!("{}工作群", platform.label()),
                url: format!("https://robot.invalid/{}/send?key=demo", platform.as_str()),
                secret: None,
                enabled: false,
            };
            app.add_robot(&admin, *first, &input).await?;
        }
    }
    if k == 0 {
        for (u, r) in [
            ("admin", "管理员 admin"),
            ("supervisor", "督查室 supervisor"),
            ("leader", "区领导 leader"),
        ] {
            info.accounts.push((u.into(), r.into()));
        }
        info.accounts.push((
            "zhongtan".into(),
            "中滩镇联络员 reporter (one per unit: the unit code, e.g. jsj = 建设局)".into(),
        ));
        info.accounts.push((
            "zhongtan-head".into(),
            "中滩镇负责人 unit manager (unit code + -head)".into(),
        ));
    }

    let (plan, _) = app
        .create_plan(
            &admin,
            PlanFields::parse(
                year,
                &format!("{year}年全区经济社会发展目标任务"),
                "全区工作会议讲话（区委书记）",
            )?,
        )
        .await?;
    let mut sections = HashMap::new();
    for (i, (num, title, children)) in data::SECTIONS.iter().enumerate() {
        let (top, _) = app
            .create_section(
                &admin,
                plan.id,
                SectionFields::parse(None, num, title, i as i32)?,
            )
            .await?;
        sections.insert((*num).to_owned(), top.id);
        for (j, (cn, ct)) in children.iter().enumerate() {
            let (c, _) = app
                .create_section(
                    &admin,
                    plan.id,
                    SectionFields::parse(Some(top.id), cn, ct, j as i32)?,
                )
                .await?;
            sections.insert(format!("{num}/{cn}"), c.id);
        }
    }
    Ok(District {
        app,
        clock,
        admin,
        supervisor: sup.actor(),
        units,
        reporter,
        manager,
        leaders,
        plan: plan.id,
        sections,
    })
}

fn unit_by_code(d: &District, code: &str) -> Option<UnitId> {
    let idx = data::TOWNSHIPS
        .iter()
        .position(|t| t.0 == code)
        .or_else(|| {
            data::DEPARTMENTS
                .iter()
                .position(|x| x.0 == code)
                .map(|i| i + data::TOWNSHIPS.len())
        })?;
    d.units.get(idx).map(|u| u.0)
}

/// Create the tasks and replay their year.
async fn simulate(
    d: &District,
    opts: &DemoOptions,
    k: u32,
    bar: &ProgressBar,
) -> Result<(usize, usize)> {
    let year = opts.today.year();
    let mut rng = Rng::new(1000 + u64::from(k));
    let mut created = Vec::new();
    for rep in 0..opts.scale {
        let mut batch = Vec::new();
        for (i, row) in data::TASKS.iter().enumerate() {
            let (sec, title, lead, co, (m, day), qty, weight, official) = *row;
            let lead_id = if rep == 0 {
                unit_by_code(d, lead).with_context(|| format!("unknown unit {lead}"))?
            } else {
                d.units[rng.below(d.units.len() as u64) as usize].0
            };
            let co_units: Vec<UnitId> = co
                .iter()
                .filter_map(|c| unit_by_code(d, c))
                .filter(|u| *u != lead_id)
                .collect();
            let deadline = Date::from_calendar_date(year, time::Month::try_from(m)?, day)?;
            let start = Date::from_calendar_date(year, time::Month::January, 1)?;
            let milestones = if m >= 9 {
                vec![Milestone {
                    title: "上半年过半".into(),
                    due: month_end(year, 6),
                    target_pct: Decimal::from(50),
                }]
            } else {
                vec![]
            };
            let title = if rep == 0 {
                title.to_owned()
            } else {
                format!("{title}（第{}批）", rep + 1)
            };
            batch.push((
                i,
                NewTask {
                    fields: TaskFields {
                        section: d.sections.get(sec).copied(),
                        external_id: Some(format!("{}-{}", rep + 1, i + 1)),
                        title,
                        description: String::new(),
                        source: TaskSource::Plan,
                        lead_unit: lead_id,
                        co_units,
                        lead_official: d.leaders.get(official).copied(),
                        responsible_person: None,
                        liaison: None,
                        start,
                        deadline,
                        milestones,
                        quantity: qty.map(|(min, max, unit)| QuantityTarget {
                            min: Decimal::from(min),
                            max: max.map(Decimal::from),
                            unit: unit.into(),
                        }),
                        weight: Decimal::from(weight),
                    },
                    assign: true,
                },
            ));
        }
        d.clock.set(at(
            Date::from_calendar_date(year, time::Month::January, 5)?,
            2,
        ));
        let views = d
            .app
            .create_tasks(
                &d.admin,
                d.plan,
                batch.iter().map(|(_, n)| n.clone()).collect(),
            )
            .await
            .map_err(|(i, e)| anyhow::anyhow!("demo task {i}: {e}"))?;
        created.extend(views.into_iter().map(|v| v.task));
    }
    let mut reports = 0;
    for (n, task) in created.iter().enumerate() {
        reports += sim::replay(
            d,
            task,
            (opts.today, opts.reports_per_month),
            &mut Rng::new(n as u64 * 31 + u64::from(k)),
        )
        .await?;
        bar.inc(1);
    }
    Ok((created.len(), reports))
}
