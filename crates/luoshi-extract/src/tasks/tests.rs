use crate::extract;
use crate::model::DeadlineKind;
use rust_decimal::Decimal;

#[test]
fn quantity_deadline_and_of() {
    let x = extract("要在五年内实现100%的乡镇、50%的行政村通油路。");
    assert_eq!(x.tasks.len(), 1);
    let t = &x.tasks[0];
    assert_eq!(
        t.deadline.as_ref().map(|d| d.kind.clone()),
        Some(DeadlineKind::WithinYears { years: 5 })
    );
    assert_eq!(t.quantities.len(), 2);
    assert_eq!(t.quantities[0].of.as_deref(), Some("乡镇"));
    assert_eq!(t.quantities[1].min, Some(Decimal::from(50)));
}

#[test]
fn month_and_date_deadlines() {
    let x = extract("6月底前完成南街改造工程。9月1日前新建幼儿园2所。");
    let kinds: Vec<_> = x
        .tasks
        .iter()
        .filter_map(|t| t.deadline.as_ref().map(|d| d.kind.clone()))
        .collect();
    assert_eq!(
        kinds,
        vec![
            DeadlineKind::ByMonth { month: 6 },
            DeadlineKind::ByDate { month: 9, day: 1 }
        ]
    );
}

#[test]
fn exhortations_and_past_results_are_not_tasks() {
    let x = extract("要认真落实各项惠民政策。去年新建农村公路215公里。");
    assert!(x.tasks.is_empty(), "{:?}", x.tasks);
}

#[test]
fn attribute_lines_give_their_deadline_to_the_item_above() {
    let text = "（一）托育工程\n新增普惠性托位1500个。\n完成时限：年底前。\n牵头单位：市卫健委\n（二）助餐工程\n新建老年助餐点60个，10月底前建成。\n完成时限：三季度。";
    let x = extract(text);
    let got: Vec<_> = x
        .tasks
        .iter()
        .map(|t| (t.text.as_str(), t.deadline.as_ref().map(|d| d.kind.clone())))
        .collect();
    assert_eq!(
        got,
        vec![
            ("新增普惠性托位1500个。", Some(DeadlineKind::ByYearEnd)),
            // Its own deadline wins over the attribute line.
            (
                "新建老年助餐点60个，10月底前建成。",
                Some(DeadlineKind::ByMonth { month: 10 })
            ),
        ]
    );
}

#[test]
fn an_attribute_line_far_from_any_task_is_dropped() {
    let x = extract("完成时限：年底前。");
    assert!(x.tasks.is_empty(), "{:?}", x.tasks);
}

#[test]
fn list_announcements_and_periods_as_objects_are_not_tasks() {
    let cases: &[(&str, usize)] = &[
        ("今年集中力量办好以下十件民生实事。", 0),
        ("现将今年拟办的实事公示如下。", 0),
        ("各部门要全力以赴冲刺四季度。", 0),
        // A limit written with 以下 is not an announcement; a quarter as deadline counts.
        ("为65周岁以下残疾人免费配发辅具300件。", 1),
        ("力争四季度新增规模以上工业企业50家。", 1),
        ("健康体检三季度完成。", 1),
    ];
    for (text, want) in cases {
        assert_eq!(extract(text).tasks.len(), *want, "{text}");
    }
}

#[test]
fn a_year_before_a_completion_verb_is_a_deadline() {
    let cases: &[(&str, Option<DeadlineKind>)] = &[
        (
            "加快推进地铁3号线建设，力争2028年建成通车。",
            Some(DeadlineKind::ByYear { year: 2028 }),
        ),
        (
            "确保2027年底前完成全部改造。",
            Some(DeadlineKind::ByYear { year: 2027 }),
        ),
        // A year that only dates the sentence is not a deadline.
        ("要在2026年加快推进地铁3号线建设。", None),
    ];
    for (text, want) in cases {
        let x = extract(text);
        let got = x
            .tasks
            .first()
            .and_then(|t| t.deadline.as_ref())
            .map(|d| d.kind.clone());
        assert_eq!(got, *want, "{text}");
    }
}
