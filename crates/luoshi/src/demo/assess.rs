//! The demo district's assessment: the two books (townships, departments) stored at the start
//! of the year, the facts they score (each township's share of GDP and fiscal revenue and its
//! figures, supervision notices answered on time or late, the supervision sweep run at every
//! month end so red and yellow cards exist), and the evaluations, bonuses and a veto entered on
//! the pinned "today", so `luoshi assess` and `/assessment` show a full standing of every unit.
//!
//! The sweeps run after the year's replay, so a checkpoint's lamp is the task's standing on that
//! month end computed from its progress as it stands today (closed tasks are green): close to
//! what a live server would have recorded, and deterministic.

use super::indicators::SplitIndicator;
use super::{DemoOptions, District, at, data, sim};
use anyhow::Result;
use luoshi_app::{FactInput, FactKind, NoticeInput, Sweeper, ValueInput, print_scheme};
use luoshi_domain::assess::{DEMO_GDP, demo_department_scheme, demo_township_scheme};
use luoshi_domain::calendar::{Period, month_end};
use luoshi_domain::indicator::DataStatus;
use luoshi_domain::measure::Decimal;
use time::{Date, Duration};

/// A township's performance against its share, in percent of the plan's pace: 90 … 120.
fn township_pace(i: usize) -> Decimal {
    Decimal::from(90 + 5 * ((i * 3) % 7) as i64) / Decimal::ONE_HUNDRED
}

/// Split GDP among the townships (fiscal revenue is split with the indicators) and record each
/// township's cumulative figures, published mid-month after each period up to "today".
pub(super) async fn township_figures(
    d: &District,
    opts: &DemoOptions,
    scored: &[SplitIndicator],
) -> Result<()> {
    let year = opts.today.year();
    let n = data::TOWNSHIPS.len();
    let townships = d.units.get(..n).unwrap_or(&d.units);
    let count = Decimal::from(n as u64);
    for ind in scored {
        let share = if ind.name == DEMO_GDP {
            // The townships produce about 60% of the district's GDP.
            (ind.target * Decimal::new(6, 1) / count).round_dp(4)
        } else {
            (Decimal::new(29, 1) / count).round_dp(4)
        };
        if ind.name == DEMO_GDP {
            d.clock.set(at(
                Date::from_calendar_date(year, time::Month::January, 6)?,
                2,
            ));
            for (u, _) in townships {
                d.app.put_split(&d.admin, ind.id, *u, share, None).await?;
            }
        }
        for m in 1..=12u8 {
            if !ind.cadence.expects(m) {
                continue;
            }
            let Some(published) = month_end(year, m)
                .next_day()
                .and_then(|x| x.replace_day(15).ok())
                .filter(|p| *p <= opts.today)
            else {
                continue;
            };
            d.clock.set(at(published, 4));
            for (i, (u, _)) in townships.iter().enumerate() {
                let value = (share * sim::seasonal_share(m) * township_pace(i)).round_dp(4);
                let input = ValueInput {
                    unit: Some(*u),
                    period: Period::new("period", year, m)?,
                    value,
                    growth_pct: None,
                    status: DataStatus::Flash,
                    source: "乡镇统计站".into(),
                };
                d.app.record_value(&d.supervisor, ind.id, input).await?;
            }
        }
    }
    Ok(())
}

/// Supervision notices to some townships (answered on time, late or not at all), then the sweep
/// at every month end before "today", which records the monthly checkpoints and the cards.
pub(super) async fn supervise(d: &District, opts: &DemoOptions) -> Result<()> {
    let year = opts.today.year();
    let first = Date::from_calendar_date(year, time::Month::May, 11)?;
    for (k, i) in [1usize, 3, 5, 7, 9, 11].into_iter().enumerate() {
        let Some((unit, _)) = d.units.get(i) else {
            continue;
        };
        let issued = first + Duration::days(20 * k as i64);
        let respond_by = issued + Duration::days(10);
        if respond_by >= opts.today {
            break;
        }
        d.clock.set(at(issued, 2));
        let notice = d
            .app
            .issue_notice(
                &d.supervisor,
                &NoticeInput {
                    task: None,
                    unit: Some(*unit),
                    requirement: "请就重点任务推进滞后问题说明原因并提出整改措施".into(),
                    respond_by,
                },
            )
            .await?;
        let answered = match k % 3 {
            0 => Some(issued + Duration::days(5)),
            1 => Some(respond_by + Duration::days(4)),
            _ => None,
        };
        if let (Some(day), Some(manager)) = (answered, d.manager.get(unit)) {
            d.clock.set(at(day, 3));
            d.app
                .respond_to_notice(
                    manager,
                    notice.id,
                    notice.version,
                    "已召开专题会议研究，整改措施已落实",
                )
                .await?;
        }
    }
    for m in 1..=12u8 {
        let end = month_end(year, m);
        if end >= opts.today {
            break;
        }
        d.clock.set(at(end, 14));
        d.app.sweep(Sweeper::Actor(&d.supervisor), end).await?;
    }
    Ok(())
}

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
    let townships = data::TOWNSHIPS.len();
    let enter = |kind, unit, item: &str, points: Option<i64>, text: &str, on| FactInput {
        kind,
        unit,
        item: item.to_owned(),
        points: points.map(Decimal::from),
        text: text.to_owned(),
        on,
    };
    for (i, (unit, _)) in d.units.iter().enumerate() {
        // Deterministic, varied evaluations: townships are rated out of 60 (leaders), 100 (party
        // building) and 40 (the public); departments out of 50 twice. Petition work is scored
        // from the cases.
        let n = i64::try_from(i).unwrap_or(0);
        let scores = if i < townships {
            vec![
                ("evaluation.leaders", 60 - (n * 7) % 13),
                ("common.party-building", 100 - (n * 5) % 17),
                ("evaluation.public", 40 - (n * 2) % 5),
            ]
        } else {
            vec![
                ("evaluation.leaders", 50 - (n * 3) % 11),
                ("evaluation.public", 50 - (n * 5) % 9),
            ]
        };
        for (item, points) in scores {
            let input = enter(
                FactKind::Manual,
                *unit,
                item,
                Some(points),
                "年终考评",
                opts.today,
            );
            d.app.enter_assessment_fact(&d.supervisor, input).await?;
        }
    }
    // Bonuses with their evidence for a few units, and one veto.
    let on = |month| Date::from_calendar_date(year, month, 18);
    let extras = [
        (
            0,
            FactKind::Bonus,
            Some(12),
            "获评省级乡村振兴示范镇",
            on(time::Month::June)?,
        ),
        (
            4,
            FactKind::Bonus,
            Some(8),
            "招商引资项目获市级表彰",
            on(time::Month::July)?,
        ),
        (
            4,
            FactKind::Bonus,
            Some(15),
            "承办全省现场观摩会",
            on(time::Month::September)?,
        ),
        (
            townships,
            FactKind::Bonus,
            Some(10),
            "牵头改革试点经验获全省推广",
            on(time::Month::August)?,
        ),
        (
            12,
            FactKind::Veto,
            None,
            "辖区发生较大生产安全事故",
            on(time::Month::August)?,
        ),
    ];
    for (i, kind, points, evidence, day) in extras {
        let Some((unit, _)) = d.units.get(i) else {
            continue;
        };
        if day > opts.today {
            continue;
        }
        let item = if kind == FactKind::Veto {
            "veto"
        } else {
            "bonus"
        };
        let input = enter(kind, *unit, item, points, evidence, day);
        d.app.enter_assessment_fact(&d.supervisor, input).await?;
    }
    Ok(())
}
