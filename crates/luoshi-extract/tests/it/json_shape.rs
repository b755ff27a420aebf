use luoshi_extract::{extract, to_json};

#[test]
fn stable_keys_and_exact_numbers() {
    let x = extract(
        "今年目标：全区生产总值49.4亿元，增长12.4%。年内创建示范村3—5个。去年全区生产总值43.95亿元。",
    );
    let v = to_json(&x);
    for key in ["targets", "baselines", "sections", "tasks", "diagnostics"] {
        assert!(v[key].is_array(), "{key}");
    }
    let t = &v["targets"][0];
    for key in [
        "indicator",
        "indicator_as_written",
        "value",
        "unit",
        "growth_pct",
        "qualifier",
        "applies_to",
        "price_basis",
        "text",
    ] {
        assert!(t.get(key).is_some(), "{key}");
    }
    assert_eq!(serde_json::to_string(&t["value"]).unwrap(), "49.4");
    assert_eq!(t["price_basis"], "comparable");
    assert_eq!(t["applies_to"], "全区");
    let task = &v["tasks"][0];
    assert_eq!(task["deadline"]["kind"], "within_year");
    assert_eq!(
        serde_json::to_string(&task["quantity"]["max"]).unwrap(),
        "5"
    );
    for key in ["text", "quantity", "deadline", "section", "mentions"] {
        assert!(task.get(key).is_some(), "{key}");
    }
    assert_eq!(
        serde_json::to_string(&v["baselines"][0]["value"]).unwrap(),
        "43.95"
    );
}
