//! Named places, projects and units: `中滩镇`, `建设局`, `“万村千乡”市场工程`.

use crate::model::MentionKind;
use crate::normalize::Doc;

/// A mention in working characters `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Found {
    pub kind: MentionKind,
    pub start: usize,
    pub end: usize,
}

/// Suffixes, longest first within each family.
const SUFFIXES: &[(&str, MentionKind)] = &[
    ("物流中心", MentionKind::Project),
    ("活动中心", MentionKind::Project),
    ("服务中心", MentionKind::Project),
    ("产业园", MentionKind::Project),
    ("工业园", MentionKind::Project),
    ("卫生院", MentionKind::Project),
    ("幼儿园", MentionKind::Project),
    ("养老院", MentionKind::Project),
    ("工程", MentionKind::Project),
    ("项目", MentionKind::Project),
    ("基地", MentionKind::Project),
    ("中心", MentionKind::Project),
    ("市场", MentionKind::Project),
    ("商城", MentionKind::Project),
    ("医院", MentionKind::Project),
    ("学校", MentionKind::Project),
    ("中学", MentionKind::Project),
    ("小学", MentionKind::Project),
    ("公园", MentionKind::Place),
    ("广场", MentionKind::Place),
    ("大厦", MentionKind::Place),
    ("片区", MentionKind::Place),
    ("园区", MentionKind::Place),
    ("街道", MentionKind::Place),
    ("社区", MentionKind::Place),
    ("小区", MentionKind::Place),
    ("大道", MentionKind::Place),
    ("大街", MentionKind::Place),
    ("公路", MentionKind::Place),
    ("高速", MentionKind::Place),
    ("示范区", MentionKind::Place),
    ("开发区", MentionKind::Place),
    ("镇", MentionKind::Place),
    ("乡", MentionKind::Place),
    ("村", MentionKind::Place),
    ("路", MentionKind::Place),
    ("桥", MentionKind::Place),
    ("局", MentionKind::Unit),
    ("委", MentionKind::Unit),
    ("办", MentionKind::Unit),
    ("公司", MentionKind::Unit),
    ("集团", MentionKind::Unit),
];

/// Characters that never belong to a name.
const STOP_CHARS: &str = "的和与及在把将对向从等了是为由以于到至并或各全每其该这那被让使给好要个地、，。；：！？“”（）《》【】 -0123456789%一二两三四五六七八九十百千几多";

/// Leading words stripped from a name (verbs and adverbs of the sentence).
const LEAD_WORDS: &[&str] = &[
    "启动",
    "建设",
    "实施",
    "推进",
    "加快",
    "抓好",
    "完成",
    "实现",
    "新建",
    "改造",
    "打造",
    "开展",
    "依托",
    "围绕",
    "争取",
    "积极",
    "继续",
    "认真",
    "全力",
    "着力",
    "突出",
    "深入",
    "加强",
    "做好",
    "确保",
    "力争",
    "引进",
    "培育",
    "发展",
    "扶持",
    "支持",
    "建成",
    "开工",
    "提升",
    "规划",
    "创办",
    "新增",
    "扩建",
    "改建",
    "整治",
    "设立",
    "成立",
    "组建",
    "打通",
    "连接",
    "沿线",
    "区域",
    "城郊",
    "增强",
    "改善",
    "拓展",
    "推动",
    "提高",
    "不断",
    "进入",
    "承载",
    "实施好",
];

/// Names that are generic words rather than proper names.
const GENERIC: &[&str] = &[
    "乡",
    "城",
    "全",
    "我",
    "本",
    "各",
    "该",
    "山",
    "社",
    "辖",
    "园",
    "景",
    "行政",
    "示范",
    "典型",
    "新农",
    "城乡",
    "农",
    "重点",
    "在建",
    "开发",
    "大型",
    "综合",
    "专业",
    "便民",
    "工业",
    "产业",
    "农村",
    "城市",
    "城镇",
    "乡镇",
    "道",
    "公",
    "小",
    "城区",
    "农业",
    "基础设施",
    "建设",
    "民生",
    "社会",
    "中小",
    "物流",
    "市区",
    "新",
    "老",
    "山区",
    "有关",
    "相关",
    "部门",
    "示范村",
    "商贸",
    "旅游",
    "乡村",
    "大",
    "好",
    "重大",
    "多",
    "镇",
    "乡",
    "区",
    "县",
    "市",
    "村",
    "各类",
    "新型",
    "典型示范",
    "其他",
    "有关部门",
];

/// Common words that end like a name but are not one.
const NOT_NAMES: &[&str] = &[
    "思路",
    "出路",
    "道路",
    "网路",
    "新路",
    "老路",
    "弯路",
    "门路",
    "一路",
    "农村",
    "乡村",
    "山村",
    "城乡",
    "下乡",
    "家乡",
    "返乡",
    "千乡",
    "城镇",
    "乡镇",
    "村镇",
    "重镇",
    "格局",
    "大局",
    "开局",
    "布局",
    "结局",
    "全局",
    "当局",
    "区委",
    "市委",
    "党委",
    "纪委",
    "省委",
    "县委",
    "举办",
    "创办",
    "线路",
    "电路",
    "铁路",
    "镇域",
    "县域",
    "乡域",
    "镇级",
    "乡级",
    "村级",
    "村民",
    "村容",
    "村庄",
    "村集体",
    "镇村",
    "村组",
    "村干部",
    "村两委",
    "通乡",
    "油路",
    "通村",
    "兴办",
    "承办",
    "督办",
    "交办",
    "包办",
    "代办",
    "主办",
];

const MAX_NAME: usize = 8;

fn is_name_char(c: char) -> bool {
    !STOP_CHARS.contains(c) && (('\u{4e00}'..='\u{9fff}').contains(&c) || c.is_ascii_alphabetic())
}

crate::lexicon::lexicon!(
    suffix_words,
    SUFFIXES.iter().map(|s| s.0).collect::<Vec<_>>()
);
crate::lexicon::lexicon!(not_names, NOT_NAMES);
crate::lexicon::lexicon!(lead_words, LEAD_WORDS);

/// All mentions in `[from, to)`.
pub(crate) fn mentions_in(doc: &Doc, from: usize, to: usize) -> Vec<Found> {
    let mut out: Vec<Found> = Vec::new();
    let mut i = from;
    while i < to {
        if doc.at(i) == '“' {
            if let Some(f) = quoted(doc, i, to) {
                i = f.end;
                out.push(f);
                continue;
            }
            if let Some(close) = (i + 1..to.min(i + 40)).find(|&k| doc.at(k) == '”') {
                i = close + 1;
                continue;
            }
        }
        let hit = suffix_words()
            .longest_at(doc, i)
            .and_then(|(k, len)| SUFFIXES.get(k).map(|s| (s, len)))
            .filter(|&(_, len)| i + len <= to);
        if let Some((&(_, kind), len)) = hit {
            let end = i + len;
            let not_name = not_names();
            let ends_not_name = (end.saturating_sub(3)..end).any(|k| {
                not_name
                    .longest_at(doc, k)
                    .is_some_and(|(_, l)| k + l == end)
            });
            if ends_not_name || not_name.longest_at(doc, i).is_some() {
                i = end;
                continue;
            }
            let floor = out
                .last()
                .map_or(from, |m| m.end)
                .max(i.saturating_sub(MAX_NAME));
            if let Some(start) = name_start(doc, floor, i) {
                out.push(Found { kind, start, end });
            }
            i = end;
            continue;
        }
        i += 1;
    }
    out
}

/// A quoted name of at most twelve characters, with an optional suffix.
fn quoted(doc: &Doc, open: usize, to: usize) -> Option<Found> {
    let close = (open + 1..to.min(open + 14)).find(|&k| doc.at(k) == '”')?;
    if close == open + 1 {
        return None;
    }
    let inner_suffix = SUFFIXES
        .iter()
        .find(|(s, _)| doc.ends_with(close, s) && close > open + 1 + s.chars().count());
    let suffix = SUFFIXES
        .iter()
        .filter(|(_, k)| *k == MentionKind::Project)
        .chain(
            [
                ("活动", MentionKind::Project),
                ("行动", MentionKind::Project),
            ]
            .iter(),
        )
        .find(|(s, _)| doc.starts_with(close + 1, s));
    let Some(suffix) = suffix else {
        return inner_suffix.map(|&(_, kind)| Found {
            kind,
            start: open + 1,
            end: close,
        });
    };
    let mut end = close + 1 + suffix.0.chars().count();
    let mut kind = suffix.1;
    // `“万村千乡”市场工程`: take a second suffix word too.
    if let Some(&(s2, k2)) = SUFFIXES.iter().find(|(s, _)| doc.starts_with(end, s))
        && k2 == MentionKind::Project
    {
        end += s2.chars().count();
        kind = k2;
    }
    Some(Found {
        kind,
        start: open,
        end,
    })
}

/// Start of the proper name before a suffix at `at`, or `None` if generic.
fn name_start(doc: &Doc, floor: usize, at: usize) -> Option<usize> {
    let mut start = at;
    while start > floor && is_name_char(doc.at(start - 1)) {
        start -= 1;
        // A place suffix before this one ends the name (`伯阳镇曹石村`).
        if start < at && matches!(doc.at(start), '镇' | '乡' | '区' | '县' | '市') && start + 1 < at
        {
            start += 1;
            break;
        }
    }
    // Cut after the last verb or adverb inside the candidate name.
    let mut k = at.saturating_sub(2);
    while k > start {
        k -= 1;
        if let Some((_, len)) = lead_words().longest_at(doc, k) {
            let after = k + len;
            if after < at {
                start = after.min(at);
            }
            break;
        }
    }
    let name = doc.work(start, at);
    let len = at - start;
    if len == 0 || GENERIC.contains(&name.as_str()) || LEAD_WORDS.contains(&name.as_str()) {
        return None;
    }
    let single_suffix = matches!(
        doc.at(at),
        '镇' | '乡' | '村' | '路' | '桥' | '局' | '委' | '办'
    );
    (len >= 2 || !single_suffix).then_some(start)
}
