//! Reading a parsed TOML table into a [`Scheme`], every error named by its place.

use luoshi_domain::ValidationError;
use luoshi_domain::assess::{
    AwardRule, GradeBand, Grading, Item, ItemKind, LateRule, MetricKey, Quota, RankMethod, Scheme,
    ScoringPolicy, TieBreak,
};
use luoshi_domain::measure::Decimal;
use std::str::FromStr;
use toml::{Table, Value};

/// Reads a parsed TOML table into a scheme, collecting errors instead of stopping at the first.
#[derive(Default)]
pub(super) struct Reader {
    pub(super) errors: Vec<ValidationError>,
}

/// Which fields a table may hold, for refusing unknown (misspelt) ones.
const HEADER_FIELDS: &[&str] = &[
    "id",
    "version",
    "name",
    "category",
    "full_points",
    "items",
    "grading",
    "tie_break",
    "awards",
    "policy",
];

impl Reader {
    fn err(&mut self, field: impl Into<String>, code: &'static str, message: impl Into<String>) {
        self.errors.push(ValidationError::new(field, code, message));
    }

    pub(super) fn scheme(&mut self, t: &Table) -> Scheme {
        self.known(t, "", HEADER_FIELDS);
        let id = self.text(t, "", "id");
        let version = self.count(t, "", "version").unwrap_or(0);
        let name = self.text(t, "", "name");
        let category = self.text(t, "", "category");
        let full_points = self.decimal(t, "", "full_points").unwrap_or_default();
        let items = match t.get("items") {
            None => Vec::new(),
            Some(v) => self.items(v, "", "items"),
        };
        let grading = match self.table(t, "", "grading") {
            None => Grading::default(),
            Some(g) => self.grading(g),
        };
        let tie_break = match self.table(t, "", "tie_break") {
            None => TieBreak::default(),
            Some(tb) => {
                self.known(tb, "tie_break.", &["items"]);
                TieBreak {
                    items: self.text_list(tb, "tie_break.", "items"),
                }
            }
        };
        let awards = match self.table(t, "", "awards") {
            None => AwardRule::default(),
            Some(a) => self.awards(a),
        };
        let policy = match self.table(t, "", "policy") {
            None => ScoringPolicy::default(),
            Some(p) => self.policy(p),
        };
        Scheme {
            id,
            version,
            name,
            category,
            full_points,
            items,
            grading,
            tie_break,
            awards,
            policy,
        }
    }

    fn grading(&mut self, g: &Table) -> Grading {
        self.known(g, "grading.", &["bands"]);
        let Some(Value::Array(bands)) = g.get("bands") else {
            if g.contains_key("bands") {
                self.err("grading.bands", "invalid", "bands is a list of tables");
            }
            return Grading::default();
        };
        let mut out = Vec::new();
        for (i, b) in bands.iter().enumerate() {
            let p = format!("grading.bands[{i}].");
            let Value::Table(b) = b else {
                self.err(
                    format!("grading.bands[{i}]"),
                    "invalid",
                    "a band is a table",
                );
                continue;
            };
            self.known(b, &p, &["name", "min_pct", "quota", "quota_pct"]);
            let quota = match (b.contains_key("quota"), b.contains_key("quota_pct")) {
                (true, true) => {
                    self.err(
                        format!("{p}quota"),
                        "invalid",
                        "give either quota or quota_pct, not both",
                    );
                    None
                }
                (true, false) => self.count(b, &p, "quota").map(Quota::Count),
                (false, true) => self.decimal(b, &p, "quota_pct").map(Quota::PercentOfUnits),
                (false, false) => None,
            };
            out.push(GradeBand {
                name: self.text(b, &p, "name"),
                min_pct: self.decimal(b, &p, "min_pct").unwrap_or_default(),
                quota,
            });
        }
        Grading { bands: out }
    }

    fn awards(&mut self, a: &Table) -> AwardRule {
        let p = "awards.";
        self.known(a, p, &["name", "min_grade", "top_n", "exclude_vetoed"]);
        AwardRule {
            name: self.text(a, p, "name"),
            min_grade: a
                .contains_key("min_grade")
                .then(|| self.text(a, p, "min_grade")),
            top_n: if a.contains_key("top_n") {
                self.count(a, p, "top_n")
            } else {
                None
            },
            exclude_vetoed: match a.get("exclude_vetoed") {
                None => AwardRule::default().exclude_vetoed,
                Some(Value::Boolean(b)) => *b,
                Some(_) => {
                    self.err("awards.exclude_vetoed", "invalid", "true or false");
                    false
                }
            },
        }
    }

    fn policy(&mut self, t: &Table) -> ScoringPolicy {
        let p = "policy.";
        self.known(t, p, &["nothing_due_pct", "total_dp"]);
        let d = ScoringPolicy::default();
        ScoringPolicy {
            nothing_due_pct: if t.contains_key("nothing_due_pct") {
                self.decimal(t, p, "nothing_due_pct")
                    .unwrap_or(d.nothing_due_pct)
            } else {
                d.nothing_due_pct
            },
            total_dp: if t.contains_key("total_dp") {
                self.count(t, p, "total_dp").unwrap_or(d.total_dp)
            } else {
                d.total_dp
            },
        }
    }

    fn items(&mut self, v: &Value, parent: &str, field: &str) -> Vec<Item> {
        let Value::Array(list) = v else {
            let at = if parent.is_empty() {
                field.to_owned()
            } else {
                format!("items[{parent}].{field}")
            };
            self.err(at, "invalid", "items are a list of tables ([[items]])");
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, entry) in list.iter().enumerate() {
            let Value::Table(t) = entry else {
                self.err(
                    format!("items[{parent}#{i}]"),
                    "invalid",
                    "an item is a table",
                );
                continue;
            };
            out.push(self.item(t, parent, i));
        }
        out
    }

    fn item(&mut self, t: &Table, parent: &str, index: usize) -> Item {
        let key = match t.get("key") {
            Some(Value::String(k)) => k.clone(),
            _ => String::new(),
        };
        let name = if key.is_empty() {
            format!("{parent}#{index}")
        } else {
            key.clone()
        };
        let p = format!("items[{name}].");
        let kind_name = match t.get("kind") {
            Some(Value::String(k)) => k.clone(),
            _ => {
                self.err(
                    format!("{p}kind"),
                    "required",
                    "kind is required (e.g. \"manual\", \"block\")",
                );
                String::new()
            }
        };
        let mut allowed = vec!["key", "title", "points", "kind"];
        let kind = match kind_name.as_str() {
            "indicator_attainment" => {
                allowed.extend(["indicators", "cap_pct"]);
                ItemKind::IndicatorAttainment {
                    indicators: self.text_list(t, &p, "indicators"),
                    cap_pct: self.decimal(t, &p, "cap_pct").unwrap_or_default(),
                }
            }
            "task_completion" => {
                allowed.extend(["on_time_pct", "late"]);
                ItemKind::TaskCompletion {
                    on_time_pct: self.decimal(t, &p, "on_time_pct").unwrap_or_default(),
                    late: self.late(t, &p),
                }
            }
            "rate_times_points" => {
                allowed.push("metric");
                ItemKind::RateTimesPoints {
                    metric: MetricKey::new(self.text(t, &p, "metric")),
                }
            }
            "rank_based" => {
                allowed.extend(["metric", "method", "step"]);
                let metric = MetricKey::new(self.text(t, &p, "metric"));
                let method = match self.text(t, &p, "method").as_str() {
                    "proportional" => RankMethod::Proportional,
                    "fixed_steps" => RankMethod::FixedSteps {
                        step: self.decimal(t, &p, "step").unwrap_or_default(),
                    },
                    "" => RankMethod::Proportional,
                    other => {
                        self.err(
                            format!("{p}method"),
                            "invalid",
                            format!("unknown method {other:?}: proportional or fixed_steps"),
                        );
                        RankMethod::Proportional
                    }
                };
                ItemKind::RankBased { metric, method }
            }
            "deduction_per_event" => {
                allowed.extend(["event_kind", "per_event", "floor"]);
                ItemKind::DeductionPerEvent {
                    event_kind: self.text(t, &p, "event_kind"),
                    per_event: self.decimal(t, &p, "per_event").unwrap_or_default(),
                    floor: self.decimal(t, &p, "floor").unwrap_or_default(),
                }
            }
            "bonus" => {
                allowed.push("cap");
                ItemKind::Bonus {
                    cap: self.decimal(t, &p, "cap").unwrap_or_default(),
                }
            }
            "veto" => {
                allowed.push("grade_cap");
                ItemKind::Veto {
                    grade_cap: self.text(t, &p, "grade_cap"),
                }
            }
            "manual" => ItemKind::Manual,
            "block" => {
                allowed.extend(["children", "weight"]);
                let weight = if t.contains_key("weight") {
                    self.decimal(t, &p, "weight")
                } else {
                    None
                };
                let children = match t.get("children") {
                    None => Vec::new(),
                    Some(v) => self.items(v, &name, "children"),
                };
                ItemKind::Block { children, weight }
            }
            "" => ItemKind::Manual,
            other => {
                self.err(
                    format!("{p}kind"),
                    "invalid",
                    format!("unknown item kind {other:?}"),
                );
                ItemKind::Manual
            }
        };
        self.known(t, &p, &allowed);
        Item {
            key,
            title: self.text(t, &p, "title"),
            points: match t.get("points") {
                None => Decimal::ZERO,
                Some(_) => self.decimal(t, &p, "points").unwrap_or_default(),
            },
            kind,
        }
    }

    fn late(&mut self, t: &Table, p: &str) -> LateRule {
        let fallback = LateRule::Share { pct: Decimal::ZERO };
        let Some(lt) = self.table(t, p, "late") else {
            self.errors
                .push(ValidationError::required(format!("{p}late")));
            return fallback;
        };
        let lp = format!("{p}late.");
        self.known(lt, &lp, &["share_pct", "pct_per_day", "floor_pct"]);
        if lt.contains_key("share_pct") {
            LateRule::Share {
                pct: self.decimal(lt, &lp, "share_pct").unwrap_or_default(),
            }
        } else if lt.contains_key("pct_per_day") {
            LateRule::PerDay {
                pct_per_day: self.decimal(lt, &lp, "pct_per_day").unwrap_or_default(),
                floor_pct: self.decimal(lt, &lp, "floor_pct").unwrap_or_default(),
            }
        } else {
            self.err(
                format!("{p}late"),
                "required",
                "late is { share_pct = N } or { pct_per_day = N, floor_pct = N }",
            );
            fallback
        }
    }

    /// Refuse fields a table may not hold (a misspelt name would otherwise be silently ignored).
    fn known(&mut self, t: &Table, p: &str, allowed: &[&str]) {
        for k in t.keys() {
            if !allowed.contains(&k.as_str()) {
                self.err(
                    format!("{p}{k}"),
                    "unknown_field",
                    format!("unknown field {k:?}"),
                );
            }
        }
    }

    fn table<'t>(&mut self, t: &'t Table, p: &str, field: &str) -> Option<&'t Table> {
        match t.get(field) {
            None => None,
            Some(Value::Table(x)) => Some(x),
            Some(_) => {
                self.err(format!("{p}{field}"), "invalid", "expected a table");
                None
            }
        }
    }

    fn text(&mut self, t: &Table, p: &str, field: &str) -> String {
        match t.get(field) {
            Some(Value::String(s)) => s.clone(),
            None => {
                self.errors
                    .push(ValidationError::required(format!("{p}{field}")));
                String::new()
            }
            Some(_) => {
                self.err(format!("{p}{field}"), "invalid", "expected a string");
                String::new()
            }
        }
    }

    fn text_list(&mut self, t: &Table, p: &str, field: &str) -> Vec<String> {
        match t.get(field) {
            None => Vec::new(),
            Some(Value::Array(a)) => {
                let mut out = Vec::new();
                for (i, v) in a.iter().enumerate() {
                    match v {
                        Value::String(s) => out.push(s.clone()),
                        _ => self.err(format!("{p}{field}[{i}]"), "invalid", "expected a string"),
                    }
                }
                out
            }
            Some(_) => {
                self.err(
                    format!("{p}{field}"),
                    "invalid",
                    "expected a list of strings",
                );
                Vec::new()
            }
        }
    }

    fn count(&mut self, t: &Table, p: &str, field: &str) -> Option<u32> {
        match t.get(field) {
            Some(Value::Integer(i)) => match u32::try_from(*i) {
                Ok(n) => Some(n),
                Err(_) => {
                    self.err(
                        format!("{p}{field}"),
                        "out_of_range",
                        "expected a count ≥ 0",
                    );
                    None
                }
            },
            None => {
                self.errors
                    .push(ValidationError::required(format!("{p}{field}")));
                None
            }
            Some(_) => {
                self.err(format!("{p}{field}"), "invalid", "expected a whole number");
                None
            }
        }
    }

    /// A decimal written as an integer or as a string; floats are refused (they are binary).
    fn decimal(&mut self, t: &Table, p: &str, field: &str) -> Option<Decimal> {
        let f = format!("{p}{field}");
        match t.get(field) {
            Some(Value::Integer(i)) => Some(Decimal::from(*i)),
            Some(Value::String(s)) => match Decimal::from_str(s.trim()) {
                Ok(d) => Some(d),
                Err(_) => {
                    self.err(f, "invalid_number", format!("{s:?} is not a number"));
                    None
                }
            },
            Some(Value::Float(_)) => {
                self.err(
                    f,
                    "invalid_number",
                    "write a fraction as a string, e.g. \"12.5\" (TOML floats are inexact)",
                );
                None
            }
            None => {
                self.errors.push(ValidationError::required(f));
                None
            }
            Some(_) => {
                self.err(f, "invalid_number", "expected a number");
                None
            }
        }
    }
}
