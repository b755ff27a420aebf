//! Deterministic simulation of a year of work on each demo task.

use super::{District, at};
use anyhow::Result;
use luoshi_domain::measure::Decimal;
use luoshi_domain::task::{self, ProgressInput, Task, TaskAction};
use time::{Date, Duration};

/// SplitMix64: small, fast, and the same everywhere.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1).max(1) as u64) as i64
    }
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗",
];
const GIVEN: &[&str] = &[
    "建华", "志强", "秀英", "海燕", "国庆", "丽华", "永刚", "文静", "晓东", "春梅", "红军", "玉兰",
    "卫东", "淑芬", "振国", "桂英",
];

pub fn person_name(rng: &mut Rng) -> String {
    format!(
        "{}{}",
        SURNAMES[rng.below(SURNAMES.len() as u64) as usize],
        GIVEN[rng.below(GIVEN.len() as u64) as usize]
    )
}

/// Cumulative share of the annual total reached by the end of month m: a slow start and a
/// strong fourth quarter, as district figures usually show.
pub fn seasonal_share(m: u8) -> Decimal {
    const SHARE: [i64; 12] = [55, 120, 200, 280, 370, 470, 560, 650, 745, 835, 915, 1000];
    Decimal::new(SHARE[usize::from(m.clamp(1, 12)) - 1], 3)
}

const PROBLEMS: &[&str] = &[
    "资金到位滞后",
    "征地协调难度大",
    "施工队伍不足",
    "审批手续尚未办结",
    "群众意见需进一步协调",
    "",
];
const NEXT: &[&str] = &[
    "加快推进，确保按期完成",
    "协调有关部门解决资金问题",
    "倒排工期，挂图作战",
    "组织现场会集中推进",
];

/// Replay one task's year: progress reports about every quarter, with a behaviour drawn from
/// the task's own seed (on track, lagging, far behind, never started, done early, extended,
/// returned once). Returns the number of reports written.
pub async fn replay(
    d: &District,
    t: &Task,
    (today, per_month): (Date, u8),
    rng: &mut Rng,
) -> Result<usize> {
    let profile = rng.below(100);
    let offset: i64 = match profile {
        0..50 => rng.range(-4, 10),
        50..65 => -rng.range(12, 28),
        65..73 => -rng.range(32, 55),
        _ => rng.range(0, 8),
    };
    if (73..78).contains(&profile) {
        return Ok(0); // never started: stays assigned, and its lamp says so
    }
    let f = &t.fields;
    let year = f.deadline.year();
    let reporter = &d.reporter[&f.lead_unit];
    let manager = &d.manager[&f.lead_unit];
    let mut version = t.version;
    let deadline = f.deadline;
    let finishes_early = (78..92).contains(&profile);
    let finish_on = f.start + Duration::days((deadline - f.start).whole_days() * 7 / 10);
    // (month, day) of each report: the 25th of each quarter's last month, or `per_month` days
    // spread over every month, the last on the 25th.
    let slots: Vec<(u8, u8)> = if per_month == 0 {
        [3u8, 6, 9, 12].iter().map(|m| (*m, 25)).collect()
    } else {
        let n = u16::from(per_month.min(25));
        (1..=12u8)
            .flat_map(|m| (1..=n).map(move |k| (m, (25 * k / n) as u8)))
            .collect()
    };
    let mut dates: Vec<Date> = slots
        .iter()
        .filter_map(|(m, day)| {
            Date::from_calendar_date(year, time::Month::try_from(*m).ok()?, *day).ok()
        })
        .filter(|x| *x < deadline)
        .collect();
    dates.push(deadline - Duration::days(3));
    if finishes_early {
        dates.retain(|x| *x < finish_on);
        dates.push(finish_on);
    }
    let mut n = 0;
    let mut done = false;
    for (i, when) in dates.iter().enumerate() {
        if *when > today || *when < f.start {
            break;
        }
        let expected = task::expected_progress(f.start, deadline, &f.milestones, *when);
        let last = i + 1 == dates.len();
        let mut pct = (expected + Decimal::from(offset))
            .round()
            .clamp(Decimal::ZERO, Decimal::ONE_HUNDRED);
        if last && (profile < 50 || finishes_early || profile >= 96) {
            pct = Decimal::ONE_HUNDRED;
        }
        if (92..96).contains(&profile) && last {
            // Ask for more time instead of finishing (acknowledging first if nothing was reported).
            d.clock.set(at(*when, 2));
            if n == 0 {
                let v = d
                    .app
                    .transition_task(manager, t.id, TaskAction::Acknowledge, version)
                    .await?;
                version = v.task.version;
            }
            let new_deadline = deadline + Duration::days(61);
            let action = TaskAction::RequestExtension {
                new_deadline,
                reason: "征地和资金协调滞后，申请延期两个月".into(),
            };
            let v = d
                .app
                .transition_task(manager, t.id, action, version)
                .await?;
            version = v.task.version;
            d.clock.set(at(*when + Duration::days(2), 3));
            let v = d
                .app
                .transition_task(&d.supervisor, t.id, TaskAction::ApproveExtension, version)
                .await?;
            version = v.task.version;
            break;
        }
        d.clock.set(at(*when, 2));
        let quantity_done = f
            .quantity
            .as_ref()
            .map(|q| (q.min * pct / Decimal::ONE_HUNDRED).round_dp(0));
        let input = ProgressInput {
            percent: Some(pct),
            quantity_done,
            summary: format!("截至{}月底，完成计划的{}%", when.month() as u8, pct),
            problems: if pct < expected {
                PROBLEMS[rng.below(PROBLEMS.len() as u64) as usize].into()
            } else {
                String::new()
            },
            next_steps: NEXT[rng.below(NEXT.len() as u64) as usize].into(),
        };
        let (_, v) = d.app.report_progress(reporter, t.id, input).await?;
        version = v.task.version;
        n += 1;
        if pct == Decimal::ONE_HUNDRED {
            done = true;
            break;
        }
    }
    if done {
        let last = dates
            .iter()
            .filter(|x| **x <= today)
            .max()
            .copied()
            .unwrap_or(f.start);
        d.clock.set(at(last, 4));
        let v = d
            .app
            .transition_task(manager, t.id, TaskAction::ReportDone, version)
            .await?;
        version = v.task.version;
        let review = last + Duration::days(5);
        if review <= today {
            d.clock.set(at(review, 3));
            if profile >= 96 {
                let action = TaskAction::Return {
                    reason: "佐证材料不完整，请补充验收资料".into(),
                };
                d.app
                    .transition_task(&d.supervisor, t.id, action, version)
                    .await?;
            } else if rng.below(4) > 0 {
                d.app
                    .transition_task(&d.supervisor, t.id, TaskAction::Close, version)
                    .await?;
            }
        }
    }
    Ok(n)
}
