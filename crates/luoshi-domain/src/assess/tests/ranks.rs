//! Rank-based items, weighted blocks, the rounding rule and the canonical digest.

use super::*;

fn one_item_scheme(kind: ItemKind, points: &str) -> Scheme {
    Scheme {
        id: "one".into(),
        version: 1,
        name: "one item".into(),
        category: "townships".into(),
        full_points: dec(points),
        items: vec![item("m", points, kind)],
        grading: Grading::default(),
        tie_break: TieBreak::default(),
        awards: AwardRule::default(),
        policy: ScoringPolicy::default(),
    }
}

fn growth(values: &[Option<&str>]) -> (Vec<Unit>, Facts) {
    let mut f = Facts::default();
    let mut us = Vec::new();
    for (i, v) in values.iter().enumerate() {
        let n = i as u128 + 1;
        us.push(unit(n, &format!("u{n}"), "townships"));
        if let Some(v) = v {
            f.unit_mut(uid(n)).metrics.push(MetricFact {
                metric: MetricKey::new("economy.gdp_growth"),
                on: date!(2026 - 12 - 31),
                value: MetricValue::Amount(dec(v)),
            });
        }
    }
    (us, f)
}

#[test]
fn rank_methods_by_hand() {
    let fixed = RankMethod::FixedSteps { step: dec("4") };
    let prop = RankMethod::Proportional;
    // Values by unit u1..; expected points of a 10-point item, by unit.
    type Case<'a> = (RankMethod, &'a [Option<&'a str>], &'a [&'a str]);
    let cases: [Case; 4] = [
        // Ranks 1, 2, 2, 4 (ties share, the next rank skips); 10 − 3×4 < 0 → 0; no figure → 0.
        (
            fixed.clone(),
            &[Some("8.0"), Some("6.0"), Some("6.0"), Some("-1.0"), None],
            &["10", "6", "6", "0", "0"],
        ),
        // 10 × 6/8 = 7.5; a negative value earns 0.
        (
            prop.clone(),
            &[Some("8.0"), Some("6.0"), Some("6.0"), Some("-1.0"), None],
            &["10", "7.5", "7.5", "0", "0"],
        ),
        // The best is not positive: proportion is undefined, the top gets full points.
        (prop.clone(), &[Some("-1"), Some("-2")], &["10", "0"]),
        // 10 × 1/3 for the second.
        (prop, &[Some("3"), Some("1")], &["10", "3.3333"]),
    ];
    for (method, values, expected) in cases {
        let kind = ItemKind::RankBased {
            metric: MetricKey::new("economy.gdp_growth"),
            method: method.clone(),
        };
        let scheme = one_item_scheme(kind, "10");
        assert_eq!(scheme.validate(), Ok(()));
        let (us, f) = growth(values);
        let r = score(&scheme, &us, &f, date!(2026 - 12 - 31));
        for (i, want) in expected.iter().enumerate() {
            let s = r.sheet(uid(i as u128 + 1)).unwrap();
            let got = s.line("m").unwrap().points.round_dp(4).normalize();
            assert_eq!(got, dec(want), "{method:?} {values:?} unit u{}", i + 1);
        }
    }
}

#[test]
fn weighted_blocks_in_the_department_book() {
    let scheme = demo_department_scheme(2026);
    let on = date!(2026 - 12 - 31);
    let us = vec![unit(1, "x", "departments"), unit(2, "y", "departments")];
    let mut f = Facts::default();
    let x = f.unit_mut(uid(1));
    x.tasks = vec![
        task(1, "1", date!(2026 - 06 - 30), Some(date!(2026 - 07 - 30))),
        task(2, "1", date!(2026 - 06 - 30), Some(date!(2026 - 06 - 01))),
    ];
    x.metrics = vec![
        rate("reporting.on_time_rate", on, "10", "10"),
        rate("notices.answered_on_time_rate", on, "3", "4"),
    ];
    x.events = vec![
        event("card.yellow", date!(2026 - 03 - 01), "t1"),
        event("card.yellow", date!(2026 - 04 - 01), "t1"),
        event("card.red", date!(2026 - 05 - 01), "t1"),
    ];
    x.manual = vec![
        manual("evaluation.leaders", on, "45"),
        manual("evaluation.public", on, "40"),
    ];
    x.bonuses = vec![bonus(on, "10")];
    let y = f.unit_mut(uid(2));
    y.metrics = vec![rate("notices.answered_on_time_rate", on, "0", "0")];
    y.manual = vec![
        manual("evaluation.leaders", on, "50"),
        manual("evaluation.public", on, "50"),
    ];
    let r = score(&scheme, &us, &f, on);

    let sx = r.sheet(uid(1)).unwrap();
    // duties: tasks (60% late + 100% on time) / 2 × 60 = 48, reporting 10, notices 3/4 × 10 =
    // 7.5, two yellows 10 − 2 = 8, one red 10 − 2 = 8 → 81.5. evaluation: leaders 45, public
    // 40 (entered) → 85. Total 1000 × (70% × 81.5/100 + 30% × 85/100) + bonus 10
    // = 570.5 + 255 + 10 = 835.5 → 83.55% → 良好.
    assert_eq!(sx.line("duties").unwrap().points, dec("81.5"));
    assert_eq!(sx.line("evaluation").unwrap().points, dec("85"));
    assert_eq!(sx.total, dec("835.5"));
    assert_eq!(sx.percent, dec("83.55"));
    assert_eq!(
        sx.notes
            .iter()
            .map(|n| n.render(Language::En))
            .collect::<Vec<_>>(),
        vec![
            "duties: 81.5 of 100 at weight 70% of 1000".to_owned(),
            "evaluation: 85 of 100 at weight 30% of 1000".to_owned(),
        ]
    );
    // y: nothing due → tasks 60; no reporting figure → 0; notices 0/0 → 10; no cards → 20
    // → 90. evaluation 50 + 50 = 100. 1000 × (0.7 × 0.9 + 0.3 × 1) = 930 → band 优秀, but 30%
    // of two departments rounds down to no 优秀 place at all → 良好.
    let sy = r.sheet(uid(2)).unwrap();
    assert_eq!(sy.total, dec("930"));
    assert_eq!(
        (sy.rank, sy.band_grade.as_str(), sy.grade.as_str(), sy.award),
        (1, "优秀", "良好", false)
    );
    assert_eq!(
        sy.notes.last().unwrap().render(Language::En),
        "dropped from 优秀 to 良好: the quota of 优秀 is filled"
    );
}

#[test]
fn only_the_total_is_rounded_half_away_from_zero() {
    let scheme = one_item_scheme(ItemKind::Manual, "10");
    // (entered, line keeps, total)
    let cases = [
        ("8.125", "8.125", "8.13"),
        ("8.115", "8.115", "8.12"),
        ("8.124", "8.124", "8.12"),
        ("0.005", "0.005", "0.01"),
    ];
    for (entered, line, total) in cases {
        let mut f = Facts::default();
        f.unit_mut(uid(1)).manual = vec![manual("m", date!(2026 - 12 - 20), entered)];
        let r = score(&scheme, &[unit(1, "a", "townships")], &f, YEAR_END);
        let s = &r.sheets[0];
        assert_eq!(s.line("m").unwrap().points, dec(line), "{entered}");
        assert_eq!(s.total, dec(total), "{entered}");
    }
}

#[test]
fn digest_is_the_canonical_text() {
    let scheme = one_item_scheme(ItemKind::Manual, "10");
    let mut f = Facts::default();
    f.unit_mut(uid(1)).manual = vec![manual("m", date!(2026 - 12 - 20), "8.125")];
    let us = [unit(1, "a", "townships")];
    let r = score(&scheme, &us, &f, YEAR_END);
    let expected = concat!(
        "luoshi-assessment|1|\"one\"|1|\"townships\"|2026-12-31|10|\"先进单位\"\n",
        "unit|1|00000000-0000-0000-0000-000000000001|\"a\"|\"unit a\"|8.13|81.3|\"良好\"|\"良好\"|false|false\n",
        "item|\"m\"|10|8.125\n",
        "fact|manual|2026-12-20|\"张三\"|8.125\n",
    );
    assert_eq!(r.digest(), expected);
    // A correction entered later changes the result as of a later date only.
    f.unit_mut(uid(1))
        .manual
        .push(manual("m", date!(2027 - 01 - 05), "9"));
    assert_eq!(score(&scheme, &us, &f, YEAR_END).digest(), expected);
    assert_ne!(
        score(&scheme, &us, &f, date!(2027 - 01 - 05)).digest(),
        expected
    );
}
