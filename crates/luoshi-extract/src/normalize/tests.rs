use super::*;

#[test]
fn folds_traditional_and_full_width() {
    let doc = Doc::new("固定資產投資４０．５億元，增長３０％");
    let s: String = doc.chars.iter().collect();
    assert_eq!(s, "固定资产投资40.5亿元，增长30%");
}

#[test]
fn spans_map_back_to_original_bytes() {
    let input = "ａ億 元";
    let doc = Doc::new(input);
    assert_eq!(doc.len(), 3);
    let span = doc.span(1, 3);
    assert_eq!(span.slice(input), "億 元");
}

#[test]
fn empty_and_out_of_range_spans_are_safe() {
    let doc = Doc::new("");
    assert_eq!(doc.span(0, 5), Span { start: 0, end: 0 });
    assert_eq!(doc.work(3, 1), "");
}
