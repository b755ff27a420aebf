use super::*;
use crate::extract;

#[test]
fn conventional_hierarchy() {
    let x = extract(
        "一、总体要求\n（一）抓工业\n1. 招商引资。\n（1）引进项目。\n（二）抓农业\n二、保障措施\n",
    );
    assert_eq!(numbers(&x.sections), vec!["一", "二"]);
    assert_eq!(numbers(&x.sections[0].children), vec!["（一）", "（二）"]);
    assert_eq!(x.sections[0].children[0].children[0].number, "1");
    assert_eq!(x.sections[0].children[0].children[0].children[0].level, 4);
}

#[test]
fn inline_markers_at_sentence_start() {
    let x = extract("第一，抓好工业。工业是根本。第二，抓好农业。一是要稳粮。二是要增收。");
    assert_eq!(numbers(&x.sections), vec!["第一", "第二"]);
    assert_eq!(x.sections[0].title, "抓好工业");
    assert_eq!(numbers(&x.sections[1].children), vec!["一是", "二是"]);
}
