//! The demo's indicators: the speech's figures, last year's monthly profile and this year's
//! figures so far.

use super::*;

/// An indicator the townships' assessment scores: its id, cadence and this year's target.
pub(super) struct SplitIndicator {
    pub id: luoshi_domain::ids::IndicatorId,
    pub name: &'static str,
    pub cadence: Cadence,
    pub target: Decimal,
}

/// The speech's indicators with last year's monthly profile and this year's figures so far.
/// Returns those the townships' assessment book scores (see `assess::township_figures`).
pub(super) async fn indicators(d: &District, opts: &DemoOptions) -> Result<Vec<SplitIndicator>> {
    let mut scored = Vec::new();
    let year = opts.today.year();
    let fiscal_code = "czj";
    let stat = unit_by_code(d, "tjj");
    let money = |s: &str| -> Result<Decimal> { Ok(s.parse::<Decimal>()?) };
    // (name, unit, basis, cadence, baseline, baseline growth, target, target growth, lead, this year's performance, reported growth, note)
    type Spec<'a> = (
        &'a str,
        MeasureUnit,
        Option<PriceBasis>,
        Cadence,
        Option<&'a str>,
        Option<&'a str>,
        Option<&'a str>,
        Option<&'a str>,
        Option<UnitId>,
        &'a str,
        Option<&'a str>,
        &'a str,
    );
    let specs: Vec<Spec> = vec![
        (
            "地区生产总值",
            MeasureUnit::YiYuan,
            Some(PriceBasis::Comparable),
            Cadence::Quarterly,
            Some("43.95"),
            Some("13.5"),
            Some("49.4"),
            Some("12.4"),
            stat,
            "0.99",
            Some("11.9"),
            "",
        ),
        (
            "大口径财政收入",
            MeasureUnit::YiYuan,
            Some(PriceBasis::Current),
            Cadence::Monthly,
            Some("2.63"),
            Some("30.7"),
            Some("3"),
            Some("14.1"),
            unit_by_code(d, fiscal_code),
            "0.985",
            None,
            "",
        ),
        (
            "固定资产投资",
            MeasureUnit::YiYuan,
            Some(PriceBasis::Current),
            Cadence::MonthlyFromFebruary,
            Some("31.36"),
            Some("39.4"),
            None,
            Some("30"),
            unit_by_code(d, "fgj"),
            "0.93",
            None,
            "目标值在讲话稿中被遮挡为“40.*亿元”，按原文记为未知",
        ),
        (
            "城镇居民人均可支配收入",
            MeasureUnit::Yuan,
            None,
            Cadence::Quarterly,
            None,
            None,
            Some("7274"),
            None,
            stat,
            "0.97",
            None,
            "",
        ),
        (
            "农村居民人均可支配收入",
            MeasureUnit::Yuan,
            None,
            Cadence::Quarterly,
            None,
            None,
            None,
            None,
            stat,
            "1",
            None,
            "原“农民人均纯收入”；目标值在讲话稿中被遮挡为“17*9元”",
        ),
    ];
    d.clock.set(at(
        Date::from_calendar_date(year, time::Month::January, 6)?,
        2,
    ));
    for (
        name,
        unit,
        basis,
        cadence,
        base,
        base_g,
        target,
        target_g,
        lead,
        perf,
        reported_g,
        note,
    ) in specs
    {
        let fields = IndicatorFields {
            name: name.into(),
            unit,
            price_basis: basis,
            direction: Direction::Increase,
            accumulation: Accumulation::Cumulative,
            cadence,
            baseline: base.map(money).transpose()?,
            baseline_growth_pct: base_g.map(money).transpose()?,
            target_value: target.map(money).transpose()?,
            target_growth_pct: target_g.map(money).transpose()?,
            section: d.sections.get("一").copied(),
            lead_unit: lead,
            note: note.into(),
        };
        d.clock.set(at(
            Date::from_calendar_date(year, time::Month::January, 6)?,
            2,
        ));
        let (ind, _) = d
            .app
            .create_indicator(&d.admin, d.plan, fields.clone())
            .await?;
        // Last year's annual total: the baseline, or for incomes a plausible level.
        let last_total = fields.baseline.unwrap_or_else(|| {
            fields
                .target_value
                .map_or(Decimal::from(1750), |t| t * Decimal::new(89, 2))
        });
        let this_total = fields.target_value.unwrap_or_else(|| {
            last_total
                * (Decimal::ONE
                    + fields.target_growth_pct.unwrap_or(Decimal::TEN) / Decimal::ONE_HUNDRED)
        });
        let perf = money(perf)?;
        for m in 1..=12u8 {
            if !cadence.expects(m) {
                continue;
            }
            let share = sim::seasonal_share(m);
            // Last year's figures, entered at the start of this year as the seasonal profile.
            let last = (last_total * share).round_dp(2);
            let input = ValueInput {
                unit: None,
                period: Period::new("period", year - 1, m)?,
                value: last,
                growth_pct: None,
                status: DataStatus::Final,
                source: "统计年鉴".into(),
            };
            d.app.record_value(&d.supervisor, ind.id, input).await?;
            // This year's cumulative figure, published mid-month after the period.
            let published = month_end(year, m)
                .next_day()
                .and_then(|x| x.replace_day(15).ok());
            if published.is_none_or(|p| p > opts.today) {
                continue;
            }
            if let Some(p) = published {
                d.clock.set(at(p, 3));
            }
            let value = (this_total * share * perf).round_dp(2);
            let growth = reported_g.map(money).transpose()?;
            let input = ValueInput {
                unit: None,
                period: Period::new("period", year, m)?,
                value,
                growth_pct: growth,
                status: DataStatus::Flash,
                source: "区统计局".into(),
            };
            d.app.record_value(&d.supervisor, ind.id, input).await?;
        }
        d.clock.set(at(
            Date::from_calendar_date(year, time::Month::January, 6)?,
            2,
        ));
        if let (Some(scored_name), Some(target)) = (
            [
                luoshi_domain::assess::DEMO_GDP,
                luoshi_domain::assess::DEMO_FISCAL_REVENUE,
            ]
            .into_iter()
            .find(|n| *n == name),
            fields.target_value,
        ) {
            scored.push(SplitIndicator {
                id: ind.id,
                name: scored_name,
                cadence,
                target,
            });
        }
        if name == "大口径财政收入" {
            // Decomposed to the townships; the shares deliberately fall 0.1 亿元 short.
            let n = Decimal::from(data::TOWNSHIPS.len() as u32);
            let share = (Decimal::new(29, 1) / n).round_dp(4);
            for (u, _) in d.units.iter().take(data::TOWNSHIPS.len()) {
                d.app.put_split(&d.admin, ind.id, *u, share, None).await?;
            }
        }
    }
    Ok(scored)
}
