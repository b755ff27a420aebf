//! Explanations as structured reasons (a kind and named parameters) and their wording in each
//! language. The engine never writes sentences: it records what happened ([`Reason`]), and a
//! page, the CLI or a published result renders it in the reader's language with [`Reason::render`].
//! The published JSON keeps the kind and parameters, so a frozen result renders in either
//! language years later.

/// The languages explanations are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    /// Simplified Chinese, the default.
    Zh,
    En,
}

/// Why a line has its points, or why a sheet's rank or grade is what it is: a stable `kind`
/// (e.g. `task.late`) and its parameters as display text (decimals already rounded for display,
/// dates ISO).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    pub kind: String,
    pub params: Vec<(String, String)>,
}

impl Reason {
    pub fn new(kind: &str) -> Self {
        Self {
            kind: kind.to_owned(),
            params: Vec::new(),
        }
    }

    /// Add a parameter.
    pub fn with(mut self, name: &str, value: impl ToString) -> Self {
        self.params.push((name.to_owned(), value.to_string()));
        self
    }

    /// The value of parameter `name`.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The reason as a sentence in `lang`. Parameters named `metric` or `event` holding a known
    /// key are shown by their name in Chinese. An unknown kind (from a newer version) shows its
    /// kind and parameters rather than nothing.
    pub fn render(&self, lang: Language) -> String {
        let Some(template) = wording(&self.kind, lang) else {
            let params: Vec<String> = self
                .params
                .iter()
                .map(|(n, v)| format!("{n}={v}"))
                .collect();
            return format!("{} ({})", self.kind, params.join(", "));
        };
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                out.push_str(&rest[open..]);
                rest = "";
                break;
            };
            let name = &after[..close];
            let value = self.param(name).unwrap_or("?");
            let shown = match (name, lang) {
                ("metric" | "event", Language::Zh) => label_zh(value).unwrap_or(value),
                _ => value,
            };
            out.push_str(shown);
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        out
    }
}

/// The wording of `kind` in `lang`.
pub fn wording(kind: &str, lang: Language) -> Option<&'static str> {
    WORDING
        .iter()
        .find(|(k, _, _)| *k == kind)
        .map(|(_, zh, en)| match lang {
            Language::Zh => *zh,
            Language::En => *en,
        })
}

fn label_zh(key: &str) -> Option<&'static str> {
    LABELS.iter().find(|(k, _)| *k == key).map(|(_, zh)| *zh)
}

/// Chinese names of metric keys and event kinds.
const LABELS: &[(&str, &str)] = &[
    ("reporting.on_time_rate", "进度按时报送率"),
    ("notices.answered_on_time_rate", "督办单按期回复率"),
    ("petitions.accepted_on_time_rate", "信访按期受理率"),
    ("petitions.reply_on_time_rate", "信访按期办结率"),
    ("petitions.satisfaction_rate", "信访满意率"),
    ("projects.investment_completion_rate", "重点项目投资完成率"),
    ("evaluation.satisfaction_rate", "群众满意率"),
    ("economy.gdp_growth", "地区生产总值增速"),
    ("fiscal.revenue_growth", "一般公共预算收入增速"),
    ("card.yellow", "黄牌"),
    ("card.red", "红牌"),
    ("petition.repeat", "重复信访"),
];

/// (kind, 简体中文, English). Every kind the engine and the grading produce is here; a test
/// checks both wordings name the same parameters.
#[rustfmt::skip]
pub const WORDING: &[(&str, &str, &str)] = &[
    ("bonus", "{on} 加 {points} 分（{by} 录入）：{evidence}", "+{points} on {on}, entered by {by}: {evidence}"),
    ("bonus.capped", "{on} 加 {points} 分（{by} 录入）：{evidence}（计 {counted} 分，上限 {cap} 分）", "+{points} on {on}, entered by {by}: {evidence} (counts {counted}, cap {cap})"),
    ("event", "{on} {event}：{description}", "{event} on {on}: {description}"),
    ("event.floor", "{on} {event}：{description}（已扣至下限 {floor} 分）", "{event} on {on}: {description} (floor {floor} reached)"),
    ("indicator", "{indicator}：{on} 完成目标的 {pct}%", "{indicator}: {pct}% of target on {on}"),
    ("indicator.capped", "{indicator}：{on} 完成目标的 {pct}%，按 {counted}% 计", "{indicator}: {pct}% of target on {on}, counted as {counted}%"),
    ("indicator.missing", "{indicator}：截至 {as_of} 无数据", "{indicator}: no figure as of {as_of}"),
    ("manual", "{by} 于 {on} 评定 {points} 分：{note}", "{points} entered by {by} on {on}: {note}"),
    ("manual.clamped", "{by} 于 {on} 评定 {points} 分：{note}（按 {counted} 分计）", "{points} entered by {by} on {on}: {note} (clamped to {counted})"),
    ("manual.missing", "截至 {as_of} 尚未评定", "not entered as of {as_of}"),
    ("metric.missing", "{metric}：截至 {as_of} 无数据", "{metric}: no figure as of {as_of}"),
    ("note.quota", "{from} 名额已满，由 {from} 调为 {to}", "dropped from {from} to {to}: the quota of {from} is filled"),
    ("note.tie.after.code", "与 {code} 总分相同，按单位代码排在其后", "tied on total with {code}, placed after it by unit code"),
    ("note.tie.after.id", "与 {code} 总分相同，按单位标识排在其后", "tied on total with {code}, placed after it by unit id"),
    ("note.tie.after.item", "与 {code} 总分相同，按 {item} 得分（{own} 对 {other}）排在其后", "tied on total with {code}, placed after it by item {item} ({own} vs {other})"),
    ("note.tie.before.code", "与 {code} 总分相同，按单位代码排在其前", "tied on total with {code}, placed before it by unit code"),
    ("note.tie.before.id", "与 {code} 总分相同，按单位标识排在其前", "tied on total with {code}, placed before it by unit id"),
    ("note.tie.before.item", "与 {code} 总分相同，按 {item} 得分（{own} 对 {other}）排在其前", "tied on total with {code}, placed before it by item {item} ({own} vs {other})"),
    ("note.veto", "{item} 一票否决：等次最高为 {grade}", "veto by item {item}: grade capped at {grade}"),
    ("note.veto_cap", "因一票否决，等次由 {from} 降为 {to}", "grade capped from {from} to {to} by a veto"),
    ("rank", "{metric}：{on} 为 {value}，{count} 个单位中排第 {rank}（最高 {best}）", "{metric}: {value} on {on}, rank {rank} of {count} (best {best})"),
    ("rate", "{metric}：{on} 为 {numerator}/{denominator} = {pct}%", "{metric}: {numerator} of {denominator} on {on} = {pct}%"),
    ("rate.not_rate", "{metric}：{on} 为 {value}，不是比率，计 0 分", "{metric}: {value} on {on} is not a rate, counts 0"),
    ("rate.nothing_due", "{metric}：截至 {on} 无应办事项，按 {share}% 计", "{metric}: nothing due on {on}, counts {share}%"),
    ("task.late", "{title}：{closed} 办结，逾期 {days} 天（期限 {deadline}），按 {share}% 计；权重 {weight}/{weights}", "{title}: closed {closed}, {days} days late (deadline {deadline}), counts {share}%; weight {weight} of {weights}"),
    ("task.not_done", "{title}：未完成，已过期限 {deadline}；权重 {weight}/{weights}", "{title}: not done, deadline {deadline} passed; weight {weight} of {weights}"),
    ("task.not_due", "{title}：尚未到期（期限 {deadline}）", "{title}: not yet due (deadline {deadline})"),
    ("task.on_time", "{title}：{closed} 办结，按期完成（期限 {deadline}）；权重 {weight}/{weights}", "{title}: closed {closed}, on time (deadline {deadline}); weight {weight} of {weights}"),
    ("tasks.nothing_due", "截至 {as_of} 无到期任务，按 {share}% 计", "no task was due as of {as_of}: counts {share}%"),
    ("text", "{text}", "{text}"),
    ("veto", "{on} 一票否决（{by} 录入）：{evidence}；等次最高为 {grade}", "veto on {on}, entered by {by}: {evidence}; grade at most {grade}"),
    ("weighted", "{item}：{score}/{points} 分，权重 {weight}%，折合满分 {full} 分", "{item}: {score} of {points} at weight {weight}% of {full}"),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn names(t: &str) -> Vec<&str> {
        let mut out: Vec<&str> = t
            .split('{')
            .skip(1)
            .filter_map(|s| s.split('}').next())
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    #[test]
    fn both_wordings_name_the_same_parameters_and_kinds_are_sorted_and_unique() {
        for (kind, zh, en) in WORDING {
            assert_eq!(names(zh), names(en), "{kind}");
            assert!(!zh.is_empty() && !en.is_empty(), "{kind}");
        }
        for w in WORDING.windows(2) {
            assert!(w[0].0 < w[1].0, "{} before {}", w[0].0, w[1].0);
        }
    }

    #[test]
    fn renders_in_each_language() {
        let late = Reason::new("task.late")
            .with("title", "建成污水处理厂")
            .with("closed", "2026-10-06")
            .with("days", 6)
            .with("deadline", "2026-09-30")
            .with("share", 88)
            .with("weight", 1)
            .with("weights", 3);
        let card = Reason::new("event")
            .with("event", "card.red")
            .with("on", "2026-04-30")
            .with("description", "道路改造");
        let rate = Reason::new("rate")
            .with("metric", "notices.answered_on_time_rate")
            .with("numerator", 3)
            .with("denominator", 4)
            .with("on", "2026-06-30")
            .with("pct", 75);
        let cases = [
            (
                &late,
                Language::Zh,
                "建成污水处理厂：2026-10-06 办结，逾期 6 天（期限 2026-09-30），按 88% 计；权重 1/3",
            ),
            (
                &late,
                Language::En,
                "建成污水处理厂: closed 2026-10-06, 6 days late (deadline 2026-09-30), counts 88%; weight 1 of 3",
            ),
            (&card, Language::Zh, "2026-04-30 红牌：道路改造"),
            (&card, Language::En, "card.red on 2026-04-30: 道路改造"),
            (
                &rate,
                Language::Zh,
                "督办单按期回复率：2026-06-30 为 3/4 = 75%",
            ),
            (
                &rate,
                Language::En,
                "notices.answered_on_time_rate: 3 of 4 on 2026-06-30 = 75%",
            ),
            (
                &Reason::new("future.kind").with("a", 1),
                Language::Zh,
                "future.kind (a=1)",
            ),
            (
                &Reason::new("manual.missing"),
                Language::En,
                "not entered as of ?",
            ),
        ];
        for (reason, lang, want) in cases {
            assert_eq!(reason.render(lang), want, "{reason:?} {lang:?}");
        }
    }
}
