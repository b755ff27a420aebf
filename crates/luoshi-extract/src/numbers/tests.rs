use super::*;
use crate::normalize::Doc;

fn amount(s: &str) -> Amount {
    amount_at(&Doc::new(s), 0).expect("an amount")
}

#[test]
fn chinese_numerals() {
    assert_eq!(parse_chinese("三千"), Some(Decimal::from(3000)));
    assert_eq!(parse_chinese("十二"), Some(Decimal::from(12)));
    assert_eq!(parse_chinese("两"), Some(Decimal::from(2)));
    assert_eq!(parse_chinese("一万二千"), Some(Decimal::from(12000)));
    assert_eq!(parse_chinese("二〇二四"), Some(Decimal::from(2024)));
    assert_eq!(parse_chinese("三点五"), Some(Decimal::new(35, 1)));
}

#[test]
fn units_keep_their_scale_word() {
    let a = amount("1.2万亩");
    assert_eq!(a.low.value, Some(Decimal::new(12, 1)));
    assert_eq!(a.unit.as_deref(), Some("万亩"));
    let b = amount("五万亩");
    assert_eq!(b.low.value, Some(Decimal::from(5)));
    assert_eq!(b.unit.as_deref(), Some("万亩"));
}

#[test]
fn ranges() {
    for s in ["3—5个", "3-5个", "3至5个", "三至五个", "三到五个"] {
        let a = amount(s);
        assert_eq!(a.low.value, Some(Decimal::from(3)), "{s}");
        assert_eq!(
            a.high.as_ref().and_then(|h| h.value),
            Some(Decimal::from(5)),
            "{s}"
        );
        assert_eq!(a.unit.as_deref(), Some("个"), "{s}");
    }
}

#[test]
fn percent_forms() {
    let a = amount("百分之五十");
    assert_eq!(a.low.value, Some(Decimal::from(50)));
    assert_eq!(a.class, Some(UnitClass::Percent));
}

#[test]
fn masked_digits_have_bounds_but_no_value() {
    let a = amount("40.*亿元");
    assert!(a.masked());
    assert_eq!(a.low.value, None);
    assert_eq!(a.low.lo, Some(Decimal::from(40)));
    assert_eq!(a.low.hi, Some(Decimal::new(409, 1)));
    let b = amount("17*9元");
    assert!(b.masked());
    assert_eq!(b.unit.as_deref(), Some("元"));
}
