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
