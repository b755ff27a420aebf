//! The alias table: written names (simplified) → canonical indicator.

use crate::model::PriceBasis;

/// One canonical indicator and the names it is written under.
pub(crate) struct Entry {
    /// Canonical simplified name.
    pub canonical: &'static str,
    /// Price basis of its growth rate, when conventional.
    pub basis: Option<PriceBasis>,
    /// Aliases (simplified); the canonical name is matched too.
    pub aliases: &'static [&'static str],
    /// Former name of the series when an alias is the old name.
    pub old_names: &'static [&'static str],
}

const C: Option<PriceBasis> = Some(PriceBasis::Comparable);
const N: Option<PriceBasis> = Some(PriceBasis::Current);

macro_rules! entry {
    ($canon:expr, $basis:expr, [$($alias:expr),* $(,)?]) => {
        Entry { canonical: $canon, basis: $basis, aliases: &[$($alias),*], old_names: &[] }
    };
    ($canon:expr, $basis:expr, [$($alias:expr),* $(,)?], old [$($old:expr),*]) => {
        Entry { canonical: $canon, basis: $basis, aliases: &[$($alias),*], old_names: &[$($old),*] }
    };
}

/// Canonical indicators of Chinese government work reports.
pub(crate) const ENTRIES: &[Entry] = &[
    entry!(
        "地区生产总值",
        C,
        [
            "生产总值",
            "GDP",
            "国内生产总值",
            "经济总量",
            "地方生产总值"
        ]
    ),
    entry!("人均地区生产总值", C, ["人均生产总值", "人均GDP"]),
    entry!(
        "大口径财政收入",
        N,
        ["财政总收入", "全口径财政收入", "财政大口径收入"]
    ),
    entry!(
        "一般公共预算收入",
        N,
        [
            "地方一般公共预算收入",
            "一般公共预算财政收入",
            "一般预算收入",
            "地方财政一般预算收入",
            "财政一般预算收入",
            "公共财政预算收入",
            "地方公共财政预算收入",
            "地方财政收入",
        ]
    ),
    entry!("财政收入", N, []),
    entry!("人均财政收入", N, ["人均大口径财政收入"]),
    entry!("税收收入", N, ["税收总收入"]),
    entry!(
        "一般公共预算支出",
        N,
        ["财政支出", "一般预算支出", "公共财政预算支出", "财政总支出"]
    ),
    entry!(
        "固定资产投资",
        N,
        [
            "全社会固定资产投资",
            "固定资产投资总额",
            "城镇固定资产投资",
            "固投",
            "全社会固定资产投资总额",
        ]
    ),
    entry!("工业投资", N, ["工业固定资产投资"]),
    entry!("民间投资", N, []),
    entry!("房地产开发投资", N, []),
    entry!(
        "社会消费品零售总额",
        N,
        [
            "社会消费品零售额",
            "社消零总额",
            "社零总额",
            "社会消费零售总额"
        ]
    ),
    entry!(
        "规模以上工业增加值",
        C,
        ["规上工业增加值", "规模工业增加值", "规模以上工业企业增加值"]
    ),
    entry!("工业增加值", C, ["全部工业增加值"]),
    entry!(
        "规模以上工业总产值",
        N,
        ["规上工业总产值", "规模以上工业产值", "规上工业产值"]
    ),
    entry!("工业总产值", N, []),
    entry!("第一产业增加值", C, ["农林牧渔业增加值", "农业增加值"]),
    entry!("第二产业增加值", C, []),
    entry!("第三产业增加值", C, ["服务业增加值"]),
    entry!("农业总产值", N, ["农林牧渔业总产值", "农林牧渔总产值"]),
    entry!("建筑业总产值", N, ["建筑业产值"]),
    entry!(
        "居民人均可支配收入",
        None,
        ["全体居民人均可支配收入", "全体常住居民人均可支配收入"]
    ),
    entry!(
        "城镇居民人均可支配收入",
        None,
        [
            "城镇常住居民人均可支配收入",
            "城市居民人均可支配收入",
            "城镇居民可支配收入",
            "城镇居民人均收入",
        ]
    ),
    entry!("农村居民人均可支配收入", None, [
        "农村常住居民人均可支配收入", "农民人均可支配收入", "农村居民可支配收入",
        "农民人均纯收入", "农村居民人均纯收入", "农民纯收入",
    ], old ["农民人均纯收入", "农村居民人均纯收入", "农民纯收入"]),
    entry!(
        "进出口总额",
        N,
        [
            "外贸进出口总额",
            "外贸进出口",
            "进出口总值",
            "对外贸易进出口总额"
        ]
    ),
    entry!("出口总额", N, ["外贸出口", "出口额"]),
    entry!("实际利用外资", N, ["实际使用外资", "实际利用外商直接投资"]),
    entry!(
        "招商引资到位资金",
        N,
        ["到位资金", "招商引资实际到位资金", "引进到位资金"]
    ),
    entry!("城镇登记失业率", None, ["登记失业率"]),
    entry!("城镇调查失业率", None, []),
    entry!(
        "城镇新增就业",
        None,
        ["新增城镇就业", "城镇新增就业人数", "新增就业"]
    ),
    entry!(
        "居民消费价格涨幅",
        None,
        ["居民消费价格指数", "居民消费价格", "CPI", "物价涨幅"]
    ),
    entry!("粮食总产量", None, ["粮食产量"]),
    entry!("粮食播种面积", None, []),
    entry!(
        "单位地区生产总值能耗",
        None,
        [
            "单位GDP能耗",
            "万元GDP能耗",
            "万元生产总值能耗",
            "单位生产总值能耗"
        ]
    ),
    entry!("常住人口城镇化率", None, ["城镇化率"]),
    entry!("森林覆盖率", None, []),
    entry!("人口自然增长率", None, []),
    entry!(
        "金融机构存款余额",
        None,
        ["各项存款余额", "金融机构各项存款余额", "存款余额"]
    ),
    entry!(
        "金融机构贷款余额",
        None,
        ["各项贷款余额", "金融机构各项贷款余额", "贷款余额"]
    ),
    entry!("旅游综合收入", N, ["旅游总收入", "旅游收入"]),
    entry!(
        "接待游客人次",
        None,
        ["接待游客", "游客接待量", "旅游接待人次"]
    ),
    entry!("高新技术产业产值", N, ["高新技术产业总产值"]),
    entry!(
        "研发经费投入强度",
        None,
        ["研发投入强度", "R&D经费投入强度"]
    ),
    entry!("全社会用电量", None, []),
    entry!(
        "非公有制经济增加值",
        C,
        ["非公经济增加值", "民营经济增加值"]
    ),
    entry!("外贸依存度", None, []),
    entry!("城乡居民收入比", None, []),
];

/// Written names that stand for two indicators at once, in order.
pub(crate) const PAIRS: &[(&str, [&str; 2])] = &[
    (
        "城乡居民人均可支配收入",
        ["城镇居民人均可支配收入", "农村居民人均可支配收入"],
    ),
    (
        "城乡居民收入",
        ["城镇居民人均可支配收入", "农村居民人均可支配收入"],
    ),
    (
        "城乡居民人均收入",
        ["城镇居民人均可支配收入", "农村居民人均可支配收入"],
    ),
    (
        "城镇和农村居民人均可支配收入",
        ["城镇居民人均可支配收入", "农村居民人均可支配收入"],
    ),
    (
        "城乡居民可支配收入",
        ["城镇居民人均可支配收入", "农村居民人均可支配收入"],
    ),
];
