//! `Scheme::validate`: every error at once, each naming the item (`items[key-work.tasks].points`).

use super::facts::{MetricKind, metric_spec};
use super::{Item, ItemKind, LateRule, Quota, RankMethod, Scheme};
use crate::error::ValidationError;
use crate::measure::Decimal;
use std::collections::HashSet;

impl Scheme {
    /// Check the whole book; returns every error found, not just the first.
    pub fn validate(&self) -> Result<(), Vec<ValidationError>> {
        let mut v = Validator {
            scheme: self,
            errors: Vec::new(),
            keys: HashSet::new(),
        };
        v.header();
        v.children("", "full_points", self.full_points, &self.items);
        for (i, item) in self.items.iter().enumerate() {
            v.item(item, None, i);
        }
        v.grading();
        v.rules();
        if v.errors.is_empty() {
            Ok(())
        } else {
            Err(v.errors)
        }
    }
}

struct Validator<'a> {
    scheme: &'a Scheme,
    errors: Vec<ValidationError>,
    keys: HashSet<&'a str>,
}

fn at(key: &str, field: &str) -> String {
    format!("items[{key}].{field}")
}

impl<'a> Validator<'a> {
    fn err(&mut self, field: impl Into<String>, code: &'static str, message: impl Into<String>) {
        self.errors.push(ValidationError::new(field, code, message));
    }

    fn header(&mut self) {
        let s = self.scheme;
        for (field, value) in [("id", &s.id), ("name", &s.name), ("category", &s.category)] {
            if value.trim().is_empty() {
                self.errors.push(ValidationError::required(field));
            }
        }
        if s.version == 0 {
            self.err("version", "out_of_range", "version starts at 1");
        }
        if s.full_points <= Decimal::ZERO {
            self.err(
                "full_points",
                "out_of_range",
                "full points must be positive",
            );
        }
        if s.items.is_empty() {
            self.errors.push(ValidationError::required("items"));
        }
    }

    fn item(&mut self, item: &'a Item, parent: Option<&str>, index: usize) {
        let key = item.key.as_str();
        let key_ok = !key.is_empty()
            && key.split('.').all(|seg| {
                !seg.is_empty()
                    && seg.chars().all(|c| {
                        c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_'
                    })
            });
        // An item without a usable key is named by its position under its parent.
        let name = if key_ok {
            key.to_owned()
        } else {
            format!("{}#{index}", parent.unwrap_or(""))
        };
        if !key_ok {
            self.err(
                at(&name, "key"),
                "invalid_key",
                "a key is dotted segments of lowercase letters, digits, '-' or '_'",
            );
        } else if let Some(p) = parent
            && !key
                .strip_prefix(p)
                .is_some_and(|rest| rest.starts_with('.'))
        {
            self.err(
                at(&name, "key"),
                "invalid_key",
                format!("the key must extend its parent's key {p:?}"),
            );
        }
        if key_ok && !self.keys.insert(key) {
            self.err(at(&name, "key"), "duplicate", "this key is used twice");
        }
        if item.title.trim().is_empty() {
            self.errors
                .push(ValidationError::required(at(&name, "title")));
        }
        if item.points < Decimal::ZERO {
            self.err(at(&name, "points"), "negative", "points cannot be negative");
        }
        self.kind(item, &name);
        if let ItemKind::Block { children, .. } = &item.kind {
            if children.is_empty() {
                self.errors
                    .push(ValidationError::required(at(&name, "children")));
            }
            self.children(&name, &at(&name, "points"), item.points, children);
            for (i, c) in children.iter().enumerate() {
                self.item(c, Some(&name), i);
            }
        }
    }

    fn kind(&mut self, item: &Item, name: &str) {
        let hundred = Decimal::ONE_HUNDRED;
        let pct_ok = |d: Decimal| d >= Decimal::ZERO && d <= hundred;
        match &item.kind {
            ItemKind::IndicatorAttainment {
                indicators,
                cap_pct,
            } => {
                if indicators.is_empty() {
                    self.errors
                        .push(ValidationError::required(at(name, "indicators")));
                }
                let mut seen = HashSet::new();
                for (i, k) in indicators.iter().enumerate() {
                    if k.trim().is_empty() || !seen.insert(k) {
                        self.err(
                            at(name, &format!("indicators[{i}]")),
                            "invalid_indicator",
                            "indicator keys are non-empty and listed once",
                        );
                    }
                }
                if *cap_pct <= Decimal::ZERO || *cap_pct > Decimal::from(200) {
                    self.err(
                        at(name, "cap_pct"),
                        "out_of_range",
                        "the cap is above 0 and at most 200%",
                    );
                }
            }
            ItemKind::TaskCompletion { on_time_pct, late } => {
                if !pct_ok(*on_time_pct) {
                    self.err(at(name, "on_time_pct"), "out_of_range", "a share is 0–100%");
                }
                match late {
                    LateRule::Share { pct } if !pct_ok(*pct) || pct > on_time_pct => self.err(
                        at(name, "late.pct"),
                        "out_of_range",
                        "the late share is 0–100% and at most the on-time share",
                    ),
                    LateRule::PerDay {
                        pct_per_day,
                        floor_pct,
                    } => {
                        if *pct_per_day <= Decimal::ZERO {
                            self.err(
                                at(name, "late.pct_per_day"),
                                "out_of_range",
                                "the daily deduction is positive",
                            );
                        }
                        if !pct_ok(*floor_pct) || floor_pct > on_time_pct {
                            self.err(
                                at(name, "late.floor_pct"),
                                "out_of_range",
                                "the floor is 0–100% and at most the on-time share",
                            );
                        }
                    }
                    LateRule::Share { .. } => {}
                }
            }
            ItemKind::RateTimesPoints { metric } => match metric_spec(metric.as_str()) {
                None => self.unknown_metric(name, metric.as_str()),
                Some(m) if m.kind != MetricKind::Rate => self.err(
                    at(name, "metric"),
                    "not_a_rate",
                    format!("metric {:?} is not a rate", metric.as_str()),
                ),
                Some(_) => {}
            },
            ItemKind::RankBased { metric, method } => {
                if metric_spec(metric.as_str()).is_none() {
                    self.unknown_metric(name, metric.as_str());
                }
                if let RankMethod::FixedSteps { step } = method
                    && *step <= Decimal::ZERO
                {
                    self.err(
                        at(name, "method.step"),
                        "out_of_range",
                        "the step is positive",
                    );
                }
            }
            ItemKind::DeductionPerEvent {
                event_kind,
                per_event,
                floor,
            } => {
                if event_kind.trim().is_empty() {
                    self.errors
                        .push(ValidationError::required(at(name, "event_kind")));
                }
                if *per_event <= Decimal::ZERO {
                    self.err(
                        at(name, "per_event"),
                        "out_of_range",
                        "the deduction per event is positive",
                    );
                }
                if *floor > item.points {
                    self.err(
                        at(name, "floor"),
                        "out_of_range",
                        "the floor is at most the item's points",
                    );
                }
            }
            ItemKind::Bonus { cap } => {
                self.zero_points(item, name);
                if *cap <= Decimal::ZERO {
                    self.err(at(name, "cap"), "out_of_range", "the bonus cap is positive");
                }
            }
            ItemKind::Veto { grade_cap } => {
                self.zero_points(item, name);
                if self.scheme.grading.index_of(grade_cap).is_none() {
                    self.err(
                        at(name, "grade_cap"),
                        "unknown_grade",
                        format!("{grade_cap:?} is not a grade of this scheme"),
                    );
                }
            }
            ItemKind::Manual => {}
            ItemKind::Block { weight, .. } => {
                if let Some(w) = weight
                    && (*w <= Decimal::ZERO || *w > hundred)
                {
                    self.err(
                        at(name, "weight"),
                        "out_of_range",
                        "a weight is above 0 and at most 100%",
                    );
                }
            }
        }
    }

    fn unknown_metric(&mut self, name: &str, metric: &str) {
        self.err(
            at(name, "metric"),
            "unknown_metric",
            format!("unknown metric {metric:?}"),
        );
    }

    fn zero_points(&mut self, item: &Item, name: &str) {
        if !item.points.is_zero() {
            self.err(
                at(name, "points"),
                "must_be_zero",
                "bonus and veto items are outside the book and carry 0 points",
            );
        }
    }

    /// Children either sum to their parent's points, or are weighted blocks whose weights sum
    /// to 100% (bonus, veto and 0-point items may sit beside them).
    fn children(&mut self, parent: &str, field: &str, points: Decimal, children: &[Item]) {
        if children.is_empty() {
            return;
        }
        let weighted = children.iter().any(|c| c.weight().is_some());
        if !weighted {
            let sum: Decimal = children.iter().map(|c| c.points).sum();
            if sum != points {
                self.err(
                    field,
                    "children_sum",
                    format!("children's points sum to {sum}, not {points}"),
                );
            }
            return;
        }
        let mut sum = Decimal::ZERO;
        for c in children {
            match c.weight() {
                Some(w) => {
                    sum += w;
                    if c.points <= Decimal::ZERO {
                        self.err(
                            at(&c.key, "points"),
                            "out_of_range",
                            "a weighted block needs points",
                        );
                    }
                }
                None if !c.points.is_zero() => self.err(
                    at(&c.key, "weight"),
                    "required",
                    "beside weighted blocks, an item with points needs a weight",
                ),
                None => {}
            }
        }
        if sum != Decimal::ONE_HUNDRED {
            let f = if parent.is_empty() {
                "items".to_owned()
            } else {
                at(parent, "children")
            };
            self.err(f, "weights_sum", format!("weights sum to {sum}%, not 100%"));
        }
    }

    fn grading(&mut self) {
        let bands = &self.scheme.grading.bands;
        if bands.is_empty() {
            self.errors.push(ValidationError::required("grading.bands"));
            return;
        }
        let mut names = HashSet::new();
        for (i, b) in bands.iter().enumerate() {
            let f = |x: &str| format!("grading.bands[{i}].{x}");
            if b.name.trim().is_empty() {
                self.errors.push(ValidationError::required(f("name")));
            } else if !names.insert(b.name.as_str()) {
                self.err(f("name"), "duplicate", "a grade is named twice");
            }
            if let Some(prev) = i.checked_sub(1).and_then(|j| bands.get(j))
                && b.min_pct >= prev.min_pct
            {
                self.err(
                    f("min_pct"),
                    "not_descending",
                    "bands go from the best down, thresholds falling",
                );
            }
            let is_last = i + 1 == bands.len();
            if is_last && !b.min_pct.is_zero() {
                self.err(
                    f("min_pct"),
                    "out_of_range",
                    "the last band starts at 0 so every unit has a grade",
                );
            }
            match &b.quota {
                Some(_) if is_last => self.err(
                    f("quota"),
                    "quota_on_last",
                    "the last band cannot have a quota",
                ),
                Some(Quota::PercentOfUnits(p))
                    if *p <= Decimal::ZERO || *p > Decimal::ONE_HUNDRED =>
                {
                    self.err(
                        f("quota"),
                        "out_of_range",
                        "a quota share is above 0 and at most 100%",
                    )
                }
                _ => {}
            }
        }
    }

    fn rules(&mut self) {
        let s = self.scheme;
        for (i, key) in s.tie_break.items.iter().enumerate() {
            if s.item(key).is_none() {
                self.err(
                    format!("tie_break.items[{i}]"),
                    "unknown_item",
                    format!("no item {key:?}"),
                );
            }
        }
        let a = &s.awards;
        if a.name.trim().is_empty() {
            self.errors.push(ValidationError::required("awards.name"));
        }
        if let Some(g) = &a.min_grade
            && s.grading.index_of(g).is_none()
        {
            self.err(
                "awards.min_grade",
                "unknown_grade",
                format!("{g:?} is not a grade of this scheme"),
            );
        }
        if a.top_n == Some(0) {
            self.err("awards.top_n", "out_of_range", "top N is at least 1");
        }
        if a.min_grade.is_none() && a.top_n.is_none() {
            self.err(
                "awards",
                "required",
                "the award rule needs a grade, a top N or both",
            );
        }
        if s.policy.nothing_due_pct < Decimal::ZERO
            || s.policy.nothing_due_pct > Decimal::ONE_HUNDRED
        {
            self.err(
                "policy.nothing_due_pct",
                "out_of_range",
                "a share is 0–100%",
            );
        }
    }
}
