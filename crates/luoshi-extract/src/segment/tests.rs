use super::*;

#[test]
fn boilerplate_and_soft_breaks() {
    let input =
        "标题行\n时间：2024-01-01\n全区经济运行稳中向好，主要指标完成\n情况良好。\n分享到：微信\n";
    let mut doc = Doc::new(input);
    let diags = clean(&mut doc);
    assert_eq!(diags.len(), 3);
    let s = sentences(&doc);
    assert_eq!(s.len(), 1);
    assert_eq!(
        doc.work(s[0].start, s[0].end),
        "全区经济运行稳中向好，主要指标完成情况良好。"
    );
}
