use super::{task, tkey};
use crate::calendar::Period;
use crate::lamp::Lamp;
use crate::measure::dec;
use crate::supervision::sweep::{Checkpoint, SweepFacts, SweepOutput, TaskFacts, sweep};
use crate::supervision::{
    CardColour, EscalationRule, EscalationTarget, EventKind, SupervisionPolicy,
};
use crate::task::TaskStatus;
use time::Date;
use time::macros::date;

fn month(m: u8) -> Period {
    Period::new("p", 2026, m).unwrap()
}

/// History from a string of lamps for consecutive months starting at `first`: G, Y, R, or `-`
/// for a month with no checkpoint.
fn history(first: u8, lamps: &str) -> Vec<Checkpoint> {
    lamps
        .chars()
        .enumerate()
        .filter_map(|(i, c)| {
            let lamp = match c {
                'G' => Lamp::Green,
                'Y' => Lamp::Yellow,
                'R' => Lamp::Red,
                _ => return None,
            };
            Some(Checkpoint {
                period: month(first + i as u8),
                lamp,
            })
        })
        .collect()
}

fn run(p: &SupervisionPolicy, as_of: Date, progress: &str, cps: &[Checkpoint]) -> SweepOutput {
    let mut t = task(9, date!(2026 - 01 - 01), date!(2026 - 12 - 31));
    t.progress_pct = dec(progress);
    let tasks = [TaskFacts {
        task: &t,
        report_dates: &[],
        last_lamp: None,
        checkpoints: cps,
    }];
    let f = SweepFacts {
        tasks: &tasks,
        ..SweepFacts::default()
    };
    sweep(p, as_of, &f)
}

/// Card and escalation keys (without the task prefix).
fn outcome(out: &SweepOutput) -> Vec<String> {
    let prefix = format!("{}:", tkey(9));
    out.events
        .iter()
        .filter(|e| matches!(e.kind.name(), "card_issued" | "escalated"))
        .map(|e| e.dedup_key.trim_start_matches(&prefix).to_owned())
        .collect()
}

#[test]
fn cards_and_escalation_follow_streaks() {
    let p = SupervisionPolicy::default();
    let mut six = SupervisionPolicy::default();
    six.escalations.push(EscalationRule {
        red_streak: 6,
        level: 2,
        target: EscalationTarget::PrincipalLeader,
        summons: true,
    });
    // On 30 June a calendar-year task is expected at 180/364 = 49.45%: 0% → red (more than
    // 30 points behind), 30% → yellow (19.45 behind), 50% → green.
    let (red, yellow, green) = ("0", "30", "50");
    let june = date!(2026 - 06 - 30);
    let cases: Vec<(&SupervisionPolicy, &str, &str, Vec<&str>)> = vec![
        // (policy, lamps Jan–May, progress giving June's lamp, expected)
        (&p, "", red, vec![]),
        (&p, "----R", red, vec!["card:red:2026-06"]),
        (&p, "---RR", red, vec!["escalated:1:2026-06"]),
        (&p, "--RRR", red, vec!["card:red:2026-06"]),
        (&p, "----Y", yellow, vec!["card:yellow:2026-06"]),
        (&p, "---YY", yellow, vec![]),
        (&p, "--YYY", yellow, vec!["card:yellow:2026-06"]),
        (&p, "----Y", red, vec![]),
        (&p, "----R", yellow, vec![]),
        (&p, "---RR", yellow, vec![]),
        (&p, "---YG", yellow, vec![]),
        // A month without a checkpoint breaks the streak.
        (&p, "--RR-", red, vec![]),
        (&p, "RRRRR", red, vec!["card:red:2026-06"]),
        (
            &six,
            "RRRRR",
            red,
            vec!["card:red:2026-06", "escalated:2:2026-06"],
        ),
        (&six, "--RRR", red, vec!["card:red:2026-06"]),
        (&p, "----R", green, vec![]),
    ];
    for (i, (policy, before, progress, want)) in cases.into_iter().enumerate() {
        let cps = history(1, before);
        let out = run(policy, june, progress, &cps);
        assert_eq!(outcome(&out), want, "case {i}: {before} then {progress}%");
        assert_eq!(out.checkpoints.len(), 1, "case {i}");
        assert_eq!(out.checkpoints[0].1.period, month(6));
    }
    let out = run(&p, june, red, &history(5, "R"));
    let card = &out
        .events
        .iter()
        .find(|e| e.kind.name() == "card_issued")
        .unwrap();
    assert_eq!(
        card.kind,
        EventKind::CardIssued {
            colour: CardColour::Red,
            points: dec("-2")
        }
    );
    assert_eq!(card.occurred_on, june);
    let out = run(&p, june, yellow, &history(5, "Y"));
    let card = &out
        .events
        .iter()
        .find(|e| e.kind.name() == "card_issued")
        .unwrap();
    assert_eq!(
        card.kind,
        EventKind::CardIssued {
            colour: CardColour::Yellow,
            points: dec("-1")
        }
    );
    let out = run(&p, june, red, &history(4, "RR"));
    let esc = &out
        .events
        .iter()
        .find(|e| e.kind.name() == "escalated")
        .unwrap();
    assert_eq!(
        esc.kind,
        EventKind::Escalated {
            level: 1,
            target: EscalationTarget::LeadOfficial,
            summons: true
        }
    );
    assert_eq!(
        esc.detail,
        "lamp red at 3 consecutive monthly checkpoints; to lead_official"
    );
}

#[test]
fn checkpoints_are_recorded_once_and_caught_up() {
    let p = SupervisionPolicy::default();
    let cps = history(4, "RR");
    // Already recorded: no new checkpoint, no card or escalation again.
    let mut with_june = cps.clone();
    with_june.push(Checkpoint {
        period: month(6),
        lamp: Lamp::Red,
    });
    let out = run(&p, date!(2026 - 07 - 03), "0", &with_june);
    assert!(out.checkpoints.is_empty());
    assert_eq!(outcome(&out), Vec::<String>::new());
    // A sweeper that missed 30 June records it on 3 July, dated 30 June.
    let out = run(&p, date!(2026 - 07 - 03), "0", &cps);
    assert_eq!(out.checkpoints.len(), 1);
    assert_eq!(
        out.checkpoints[0].1,
        Checkpoint {
            period: month(6),
            lamp: Lamp::Red
        }
    );
    assert_eq!(outcome(&out), ["escalated:1:2026-06"]);
    assert_eq!(
        out.events
            .iter()
            .find(|e| e.kind.name() == "escalated")
            .unwrap()
            .occurred_on,
        date!(2026 - 06 - 30)
    );
    // The day before a month end the checkpoint due is the previous month's.
    let out = run(&p, date!(2026 - 06 - 29), "0", &history(4, "R"));
    assert_eq!(out.checkpoints[0].1.period, month(5));
    // February 2028 ends on the 29th.
    let mut t = task(9, date!(2028 - 01 - 01), date!(2028 - 12 - 31));
    t.progress_pct = dec("0");
    for (as_of, want) in [
        (date!(2028 - 02 - 28), "2028-01"),
        (date!(2028 - 02 - 29), "2028-02"),
    ] {
        let tasks = [TaskFacts {
            task: &t,
            report_dates: &[],
            last_lamp: None,
            checkpoints: &[],
        }];
        let f = SweepFacts {
            tasks: &tasks,
            ..SweepFacts::default()
        };
        let out = sweep(&p, as_of, &f);
        assert_eq!(out.checkpoints[0].1.period.to_string(), want, "{as_of}");
    }
    // Closed tasks and tasks not yet started keep no checkpoints.
    let mut closed = task(9, date!(2026 - 01 - 01), date!(2026 - 12 - 31));
    closed.status = TaskStatus::Closed;
    let not_started = task(9, date!(2026 - 07 - 01), date!(2026 - 12 - 31));
    for t in [&closed, &not_started] {
        let tasks = [TaskFacts {
            task: t,
            report_dates: &[],
            last_lamp: None,
            checkpoints: &[],
        }];
        let f = SweepFacts {
            tasks: &tasks,
            ..SweepFacts::default()
        };
        assert!(sweep(&p, date!(2026 - 07 - 10), &f).checkpoints.is_empty());
    }
}

#[test]
fn sweeps_are_deterministic_and_order_free() {
    let p = SupervisionPolicy::default();
    let a = task(21, date!(2026 - 01 - 01), date!(2026 - 06 - 30));
    let mut b = task(22, date!(2026 - 01 - 01), date!(2026 - 07 - 02));
    b.fields.lead_unit = super::unit(2);
    let cps = history(4, "RR");
    let fa = TaskFacts {
        task: &a,
        report_dates: &[],
        last_lamp: Some(Lamp::Yellow),
        checkpoints: &cps,
    };
    let fb = TaskFacts {
        task: &b,
        report_dates: &[],
        last_lamp: None,
        checkpoints: &[],
    };
    let as_of = date!(2026 - 06 - 30);
    let run = |tasks: &[TaskFacts<'_>]| {
        let f = SweepFacts {
            tasks,
            ..SweepFacts::default()
        };
        sweep(&p, as_of, &f)
    };
    let first = run(&[fa, fb]);
    assert_eq!(run(&[fa, fb]), first);
    assert_eq!(run(&[fb, fa]).events, first.events);
    let keys: Vec<&str> = first.events.iter().map(|e| e.dedup_key.as_str()).collect();
    let mut unique = keys.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), keys.len());
    // Sorted by day, then key. b's deadline is 2 days away: the 3-day mark, dated 29 June.
    let days: Vec<Date> = first.events.iter().map(|e| e.occurred_on).collect();
    let mut sorted = days.clone();
    sorted.sort();
    assert_eq!(days, sorted);
    assert!(keys.contains(&format!("{}:due:2026-07-02:approaching:3d", tkey(22)).as_str()));
    assert!(keys.contains(&format!("{}:escalated:1:2026-06", tkey(21)).as_str()));
}
