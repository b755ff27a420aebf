use super::*;

fn names(s: &str) -> Vec<&'static str> {
    let doc = Doc::new(s);
    mentions_in(&doc, 0, doc.len())
        .iter()
        .flat_map(|m| m.indicators.iter().map(|r| r.canonical))
        .collect()
}

#[test]
fn longest_alias_wins() {
    assert_eq!(names("人均生产总值"), vec!["人均地区生产总值"]);
    assert_eq!(names("全区生產總值"), vec!["地区生产总值"]);
    assert_eq!(names("规上工业增加值"), vec!["规模以上工业增加值"]);
}

#[test]
fn pairs_expand_and_renames_are_noted() {
    assert_eq!(
        names("城乡居民人均可支配收入"),
        vec!["城镇居民人均可支配收入", "农村居民人均可支配收入"]
    );
    let doc = Doc::new("農民人均純收入");
    let m = mention_at(&doc, 0).expect("mention");
    assert_eq!(m.indicators[0].renamed_from, Some("农民人均纯收入"));
}

#[test]
fn the_table_is_sizeable() {
    assert!(canonical_count() >= 40);
}
