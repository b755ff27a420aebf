//! A year of one task, swept every night, against a store that keeps events by dedup key, the
//! last observed lamp and the monthly checkpoints.
//!
//! The task runs from 1 January to 30 June 2026 (180 days, so expected progress on day n after
//! the start is n × 5/9 %), with nothing done until a report of 10% on 20 February, 50% on
//! 10 May, reported done on 8 July and closed on 15 July. Hand-worked lamps (yellow when at least
//! 10 points behind, red when more than 30 behind, red when overdue):
//! - 1–18 Jan green; 19 Jan (n = 18, expected 10.00) yellow;
//! - 20 Feb at 10%: still yellow (n = 50, 27.78); 14 Mar (n = 72, 40.00, 30 behind) yellow;
//!   15 Mar (n = 73, 40.56) red;
//! - 10 May at 50% (n = 129, 71.67) yellow; 25 May (n = 144, 80.00) yellow; 26 May (n = 145,
//!   80.56) red; red through the deadline and while overdue; 8 July reported done → green.
//!
//! Checkpoints (month ends): Jan 31 (16.67, 0%) yellow; Feb 28 (32.22, 10%) yellow → two
//! yellows: yellow card; Mar 31 (49.44) red; Apr 30 (66.11) red → two reds: red card; May 31
//! (83.33, 50%) red → three reds: escalation; Jun 30 (100) red → four reds: red card. July's
//! checkpoint is not taken: the task is closed.

use super::{task, tkey};
use crate::lamp::Lamp;
use crate::measure::dec;
use crate::supervision::sweep::{Checkpoint, SweepFacts, TaskFacts, sweep};
use crate::supervision::{SupervisionEvent, SupervisionPolicy};
use crate::task::TaskAction;
use std::collections::BTreeMap;
use time::Date;
use time::macros::date;

/// (first recorded on, dedup key without the task prefix, occurred on).
type Log = Vec<(Date, String, Date)>;

fn simulate(asleep: impl Fn(Date) -> bool) -> (Log, Vec<Checkpoint>) {
    let policy = SupervisionPolicy::default();
    let mut t = task(1, date!(2026 - 01 - 01), date!(2026 - 06 - 30));
    let mut reports: Vec<Date> = vec![];
    let mut stored: BTreeMap<String, SupervisionEvent> = BTreeMap::new();
    let mut last_lamp: Option<Lamp> = None;
    let mut checkpoints: Vec<Checkpoint> = vec![];
    let mut log = Log::new();
    let prefix = format!("{}:", tkey(1));
    let mut day = date!(2026 - 01 - 01);
    while day <= date!(2026 - 12 - 31) {
        // The day's work, before the night's sweep.
        if day == date!(2026 - 02 - 20) {
            t.progress_pct = dec("10");
            reports.push(day);
        } else if day == date!(2026 - 05 - 10) {
            t.progress_pct = dec("50");
            reports.push(day);
        } else if day == date!(2026 - 07 - 08) {
            t = t.after(&TaskAction::ReportDone, day).unwrap();
            t.progress_pct = dec("100");
            reports.push(day);
        } else if day == date!(2026 - 07 - 15) {
            t = t.after(&TaskAction::Close, day).unwrap();
        }
        if !asleep(day) {
            let run = |last_lamp: Option<Lamp>, cps: &[Checkpoint]| {
                let tasks = [TaskFacts {
                    task: &t,
                    report_dates: &reports,
                    last_lamp,
                    checkpoints: cps,
                }];
                let f = SweepFacts {
                    tasks: &tasks,
                    ..SweepFacts::default()
                };
                sweep(&policy, day, &f)
            };
            let out = run(last_lamp, &checkpoints);
            // A second server reading the same state says exactly the same.
            assert_eq!(run(last_lamp, &checkpoints), out, "{day}");
            for e in &out.events {
                match stored.get(&e.dedup_key) {
                    // A re-emitted event is the stored one, field for field.
                    Some(old) => assert_eq!(old, e, "{day}"),
                    None => {
                        let key = e.dedup_key.trim_start_matches(&prefix).to_owned();
                        log.push((day, key, e.occurred_on));
                        stored.insert(e.dedup_key.clone(), e.clone());
                    }
                }
            }
            last_lamp = out.lamps.first().map(|o| o.lamp).or(last_lamp);
            checkpoints.extend(out.checkpoints.iter().map(|(_, c)| *c));
            // After a restart the sweep finds nothing new.
            let again = run(last_lamp, &checkpoints);
            assert!(again.checkpoints.is_empty(), "{day}");
            for e in &again.events {
                assert_eq!(stored.get(&e.dedup_key), Some(e), "{day}");
            }
        }
        day = day.next_day().unwrap();
    }
    (log, checkpoints)
}

fn on_time(entries: &[(Date, &str)]) -> Log {
    entries
        .iter()
        .map(|(d, k)| (*d, (*k).to_owned(), *d))
        .collect()
}

#[test]
fn a_year_day_by_day_records_each_event_once() {
    let (log, checkpoints) = simulate(|_| false);
    let want = on_time(&[
        (date!(2026 - 01 - 19), "lamp:green-yellow:2026-01-19"),
        (date!(2026 - 01 - 26), "report-missing:2026-01"),
        (date!(2026 - 02 - 28), "card:yellow:2026-02"),
        (date!(2026 - 03 - 15), "lamp:yellow-red:2026-03-15"),
        (date!(2026 - 03 - 26), "report-missing:2026-03"),
        (date!(2026 - 04 - 26), "report-missing:2026-04"),
        (date!(2026 - 04 - 30), "card:red:2026-04"),
        (date!(2026 - 05 - 10), "lamp:red-yellow:2026-05-10"),
        (date!(2026 - 05 - 26), "lamp:yellow-red:2026-05-26"),
        (date!(2026 - 05 - 31), "escalated:1:2026-05"),
        (date!(2026 - 06 - 23), "due:2026-06-30:approaching:7d"),
        (date!(2026 - 06 - 26), "report-missing:2026-06"),
        (date!(2026 - 06 - 27), "due:2026-06-30:approaching:3d"),
        (date!(2026 - 06 - 29), "due:2026-06-30:approaching:1d"),
        (date!(2026 - 06 - 30), "card:red:2026-06"),
        (date!(2026 - 07 - 01), "due:2026-06-30:overdue:1d"),
        (date!(2026 - 07 - 04), "due:2026-06-30:overdue:4d"),
        (date!(2026 - 07 - 07), "due:2026-06-30:overdue:7d"),
        (date!(2026 - 07 - 08), "lamp:red-green:2026-07-08"),
    ]);
    assert_eq!(log, want);
    let lamps: Vec<(String, Lamp)> = checkpoints
        .iter()
        .map(|c| (c.period.to_string(), c.lamp))
        .collect();
    let y = Lamp::Yellow;
    let r = Lamp::Red;
    let want: Vec<(String, Lamp)> = [
        ("2026-01", y),
        ("2026-02", y),
        ("2026-03", r),
        ("2026-04", r),
        ("2026-05", r),
        ("2026-06", r),
    ]
    .iter()
    .map(|(p, l)| ((*p).to_owned(), *l))
    .collect();
    assert_eq!(lamps, want);
}

#[test]
fn a_sweeper_back_from_downtime_catches_up() {
    // Down from 22 to 27 June: on the 28th the 3-day mark (due on the 27th) and June's missing
    // report (due on the 26th) are recorded with their own dates; the 7-day mark, superseded by
    // the 3-day one, is not sent late.
    let (log, _) = simulate(|d| (date!(2026 - 06 - 22)..=date!(2026 - 06 - 27)).contains(&d));
    let june: Log = log
        .iter()
        .filter(|(d, _, _)| (date!(2026 - 06 - 20)..=date!(2026 - 06 - 29)).contains(d))
        .cloned()
        .collect();
    let at = date!(2026 - 06 - 28);
    assert_eq!(
        june,
        vec![
            (
                at,
                "report-missing:2026-06".to_owned(),
                date!(2026 - 06 - 26)
            ),
            (
                at,
                "due:2026-06-30:approaching:3d".to_owned(),
                date!(2026 - 06 - 27)
            ),
            (
                date!(2026 - 06 - 29),
                "due:2026-06-30:approaching:1d".to_owned(),
                date!(2026 - 06 - 29)
            ),
        ]
    );
    assert_eq!(log.len(), 18);
}
