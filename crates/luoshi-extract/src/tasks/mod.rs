//! Tasks: sentences that commit to concrete work, with quantity, deadline and mentions.

mod deadline;
mod mentions;
#[cfg(test)]
mod tests;

use crate::figures::{Figures, Role};
use crate::model::{DeadlineExpr, DeadlineKind, Mention, MentionKind, Quantity, TaskItem};
use crate::normalize::Doc;
use crate::numbers::{Amount, UnitClass, amounts_in};
use crate::sections::Outline;
use crate::segment::Sentence;

/// Verbs and words of commitment (the sentence must contain one).
const COMMIT: &[&str] = &[
    "要",
    "力争",
    "确保",
    "争取",
    "计划",
    "拟",
    "将",
    "实现",
    "完成",
    "建成",
    "新建",
    "改建",
    "扩建",
    "新增",
    "启动",
    "推进",
    "加快",
    "抓好",
    "实施",
    "开工",
    "建设",
    "改造",
    "创建",
    "创出",
    "打造",
    "培育",
    "开展",
    "落实",
    "举办",
    "硬化",
    "铺设",
    "安装",
    "配备",
    "引进",
    "发放",
    "覆盖",
    "达到",
    "提升",
    "提高",
    "扩大",
    "招引",
    "组织",
    "免费",
    "补助",
    "资助",
    "救助",
    "提供",
    "建立",
    "设立",
    "投入",
    "完善",
    "整治",
    "治理",
    "更换",
    "征用",
    "收回",
    "储备",
    "解决",
    "帮扶",
    "培训",
    "修建",
    "新开",
    "开通",
    "增设",
    "改善",
    "推行",
    "做好",
    "办好",
    "修缮",
    "造林",
    "栽植",
    "吸纳",
    "输转",
    "新招",
    "招聘",
    "清理",
    "拆除",
    "创成",
    "通油路",
    "通水泥路",
    "进入",
];

/// Words that look like commitments but are not (`要求`, `主要` ...).
const NOT_COMMIT: &[&str] = &[
    "要求", "主要", "重要", "需要", "只要", "纲要", "要素", "要点", "将近", "必要", "不要",
];

/// Words that point to the future.
const FUTURE: &[&str] = &[
    "要", "将", "力争", "确保", "争取", "计划", "拟", "努力", "必须", "务必", "一定", "年内",
];

/// Measure words concrete enough to count after a bare `一` (`一所`, `一座`);
/// others (`一批`, `一个`, `一次`) are vague.
const CONCRETE_AFTER_ONE: &[&str] = &["所", "座", "家", "处", "条", "栋", "幢", "套", "公里", "亩"];

/// Abstract nouns after a count (`四条原则`, `八个方面`): not a quantity of work.
const ABSTRACT: &[&str] = &[
    "方面",
    "原则",
    "意识",
    "问题",
    "重点",
    "环节",
    "能力",
    "关系",
    "机制",
    "体系",
    "中心",
    "代表",
    "目标",
    "任务",
    "战略",
    "突破",
    "优先",
    "工作",
    "思路",
    "作风",
    "理念",
    "基本点",
    "一流",
    "导向",
    "抓手",
    "轮子",
    "班子",
    "层次",
    "结合",
    "统筹",
    "转变",
    "坚持",
    "着力",
    "必须",
    "务必",
    "字",
    "不",
    "要",
    "步",
    "心",
    "手",
    "面",
    "大",
    "新",
    "好",
    "点",
    "项",
    "级",
];

crate::lexicon::lexicon!(commit_words, COMMIT);
crate::lexicon::lexicon!(future_words, FUTURE);
crate::lexicon::lexicon!(not_commit_words, NOT_COMMIT);

fn has_word(doc: &Doc, s: &Sentence, words: &crate::lexicon::Lexicon) -> bool {
    let not = not_commit_words();
    (s.start..s.end).any(|i| {
        words.longest_at(doc, i).is_some()
            && not.longest_at(doc, i).is_none()
            && !(i > s.start && not.longest_at(doc, i - 1).is_some())
    })
}

/// Past-tense `了` (not 为了, 了解, 除了).
fn has_past(doc: &Doc, s: &Sentence) -> bool {
    (s.start..s.end).any(|i| {
        let c = doc.at(i);
        let le = c == '了'
            && !doc.starts_with(i, "了解")
            && !(i > s.start && matches!(doc.at(i - 1), '为' | '除' | '不'));
        le || doc.starts_with(i, "相继") || doc.starts_with(i, "已经") || doc.starts_with(i, "荣获")
    })
}

/// Ranges `[open, close]` inside quotation marks.
fn quoted_ranges(doc: &Doc, s: &Sentence) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut open = None;
    for i in s.start..s.end {
        match doc.at(i) {
            '“' => open = Some(i),
            '”' => {
                if let Some(o) = open.take() {
                    out.push((o, i));
                }
            }
            _ => {}
        }
    }
    out
}

fn is_quantity(doc: &Doc, a: &Amount, quoted: &[(usize, usize)]) -> bool {
    let counted = matches!(
        a.class,
        Some(UnitClass::Measure | UnitClass::Percent | UnitClass::Money)
    );
    let ordinal = a.start > 0 && doc.at(a.start - 1) == '第';
    let in_quotes = quoted.iter().any(|&(o, c)| a.start > o && a.start < c);
    let bare_scale = a.low.raw.is_empty();
    let vague_one = a.low.chinese
        && a.high.is_none()
        && a.low.raw == "一"
        && !a
            .unit
            .as_deref()
            .is_some_and(|u| CONCRETE_AFTER_ONE.contains(&u));
    let abstract_count =
        a.low.chinese && a.high.is_none() && ABSTRACT.iter().any(|w| doc.starts_with(a.end, w));
    counted && !ordinal && !in_quotes && !bare_scale && !vague_one && !abstract_count
}

/// `的乡镇` after `100%`: what is counted.
fn counted_object(doc: &Doc, input: &str, a: &Amount, end: usize) -> Option<String> {
    if doc.at(a.end) != '的' {
        return None;
    }
    let from = a.end + 1;
    let mut k = from;
    while k < end && k < from + 4 && !"、，。；：通进达实建完的要和与及".contains(doc.at(k))
    {
        k += 1;
    }
    (k > from).then(|| doc.span(from, k).slice(input).to_string())
}

/// Verbs that build or deliver a named project.
const BUILD: &[&str] = &[
    "实施", "启动", "建设", "新建", "建成", "抓好", "推进", "完成", "开工", "争取", "改造", "打造",
    "创办", "扩建", "改建", "续建", "竣工", "投运", "投用", "规划", "修建", "开通", "引进",
];

/// True when a build verb stands within eight characters before `at`.
fn built(doc: &Doc, from: usize, at: usize) -> bool {
    (at.saturating_sub(8).max(from)..at).any(|i| BUILD.iter().any(|w| doc.starts_with(i, w)))
}

/// True when a place mention ending at `end` names a site (片区, 广场, 大道 ...).
fn named_site(doc: &Doc, end: usize) -> bool {
    [
        "片区",
        "广场",
        "大道",
        "大厦",
        "公路",
        "小区",
        "开发区",
        "示范区",
        "公园",
    ]
    .iter()
    .any(|w| doc.ends_with(end, w))
}

/// Runs the task pass.
pub(crate) fn extract(
    doc: &Doc,
    input: &str,
    sentences: &[Sentence],
    outline: &Outline,
    figures: &Figures,
) -> Vec<TaskItem> {
    let mut out: Vec<TaskItem> = Vec::new();
    // Sentence index of the last task pushed.
    let mut last_task: Option<usize> = None;
    for (idx, s) in sentences.iter().enumerate() {
        let section = outline.paths.get(idx).cloned().flatten();
        if is_field(doc, s) {
            attach_field_deadline(doc, input, s, idx, last_task, &section, &mut out);
            continue;
        }
        if figures.has_figure.get(idx).copied().unwrap_or(false) {
            continue;
        }
        let role = figures.sentence_roles.get(idx).copied().flatten();
        let heading = outline.is_heading.get(idx).copied().unwrap_or(false);
        if let Some(task) = task_of(doc, input, s, role, heading) {
            out.push(TaskItem { section, ..task });
            last_task = Some(idx);
        }
    }
    out
}

/// What may follow `以下` when it announces a list (`办好以下十件实事`, `以下工作`), as
/// opposed to a limit (`65岁以下`, which follows a number).
const LIST_AFTER_BELOW: &[&str] = &[
    "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "几", "各", "工作", "事项", "措施",
    "任务", "项目", "实事",
];

/// True when the sentence announces the list that follows (`如下`, `下列`, `以下十件`).
fn announces_list(doc: &Doc, s: &Sentence) -> bool {
    (s.start..s.end).any(|i| {
        doc.starts_with(i, "如下")
            || doc.starts_with(i, "下列")
            || (doc.starts_with(i, "以下")
                && LIST_AFTER_BELOW.iter().any(|w| doc.starts_with(i + 2, w)))
    })
}

/// Labels of the attribute lines under an item of a plan (`完成时限：6月底前`,
/// `牵头单位：市教育局`): such a line describes the item above it and is never a task.
const FIELD_LABELS: &[&str] = &[
    "完成时限",
    "完成时间",
    "完成期限",
    "办结时限",
    "时限要求",
    "时间节点",
    "时间安排",
    "牵头单位",
    "责任单位",
    "配合单位",
    "牵头领导",
    "责任领导",
    "责任人",
    "联系人",
];

/// Sentences between an item and the last of its attribute lines.
const FIELD_REACH: usize = 4;

/// True when the sentence is an attribute line: a field label, then `：`.
fn is_field(doc: &Doc, s: &Sentence) -> bool {
    FIELD_LABELS
        .iter()
        .any(|w| doc.starts_with(s.start, w) && doc.at(s.start + w.chars().count()) == '：')
}

/// Gives the deadline of an attribute line (`完成时限：年底前`) to the task just above it,
/// in the same section, unless that task already states one. The deadline span then lies
/// outside the task's own span.
fn attach_field_deadline(
    doc: &Doc,
    input: &str,
    s: &Sentence,
    idx: usize,
    last_task: Option<usize>,
    section: &Option<String>,
    out: &mut [TaskItem],
) {
    let near = last_task.is_some_and(|t| idx > t && idx - t <= FIELD_REACH);
    let Some(task) = out.last_mut() else {
        return;
    };
    if !near || task.deadline.is_some() || task.section != *section {
        return;
    }
    let amounts = amounts_in(doc, s.start, s.end);
    if let Some(d) = deadline::first_deadline(doc, s.start, s.end, &amounts) {
        task.deadline = Some(DeadlineExpr {
            kind: d.kind,
            span: doc.span(d.start, d.end),
            text: doc.span(d.start, d.end).slice(input).to_string(),
        });
    }
}

fn task_of(
    doc: &Doc,
    input: &str,
    s: &Sentence,
    role: Option<Role>,
    heading: bool,
) -> Option<TaskItem> {
    let intro = matches!(doc.at(s.end.saturating_sub(1)), '：') || announces_list(doc, s);
    if intro || !has_word(doc, s, commit_words()) {
        return None;
    }
    let amounts = amounts_in(doc, s.start, s.end);
    let quoted = quoted_ranges(doc, s);
    let quantities: Vec<Quantity> = amounts
        .iter()
        .filter(|a| is_quantity(doc, a, &quoted))
        .map(|a| Quantity {
            min: a.low.value,
            max: a.high.as_ref().map_or(a.low.value, |h| h.value),
            unit: a.unit.clone(),
            of: counted_object(doc, input, a, s.end),
            span: doc.span(a.start, a.end),
            text: doc.span(a.start, a.end).slice(input).to_string(),
        })
        .collect();
    let found_deadline = deadline::first_deadline(doc, s.start, s.end, &amounts);
    let deadline = found_deadline.as_ref().map(|d| DeadlineExpr {
        kind: d.kind.clone(),
        span: doc.span(d.start, d.end),
        text: doc.span(d.start, d.end).slice(input).to_string(),
    });
    let found = mentions::mentions_in(doc, s.start, s.end);
    let mentions: Vec<Mention> = found
        .iter()
        .map(|m| Mention {
            kind: m.kind,
            span: doc.span(m.start, m.end),
            text: doc.span(m.start, m.end).slice(input).to_string(),
        })
        .collect();
    let future = deadline.is_some() || has_word(doc, s, future_words());
    let past = has_past(doc, s) || matches!(role, Some(Role::Baseline | Role::Progress));
    if past && !future {
        return None;
    }
    let project = !heading
        && found.iter().any(|m| {
            (m.kind == MentionKind::Project && built(doc, s.start, m.start))
                || (m.kind == MentionKind::Place && future && named_site(doc, m.end))
        });
    // A bare 今年 dates the sentence but is not by itself a deadline commitment.
    let dated = found_deadline.as_ref().is_some_and(|d| {
        d.kind != DeadlineKind::WithinYear
            || !doc.starts_with(d.start, "今年")
            || doc.starts_with(d.start, "今年内")
    });
    if quantities.is_empty() && !dated && !project {
        return None;
    }
    let span = doc.span(s.start, s.end);
    Some(TaskItem {
        text: span.slice(input).to_string(),
        span,
        quantities,
        deadline,
        section: None,
        mentions,
    })
}
