//! The data model returned by [`crate::extract`].

use rust_decimal::Decimal;
use serde::Serialize;

/// A half-open byte range `[start, end)` into the ORIGINAL input text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// The fragment of `input` this span covers, or `""` when it does not fit.
    pub fn slice<'a>(&self, input: &'a str) -> &'a str {
        input.get(self.start..self.end).unwrap_or("")
    }
}

/// How the growth rate of an indicator is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PriceBasis {
    /// Comparable (real) prices: GDP and industrial value added.
    Comparable,
    /// Current (nominal) prices: investment, retail sales, fiscal revenue.
    Current,
}

/// Whether a figure is this year's goal or last year's result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FigureRole {
    /// A goal for the plan period.
    Target,
    /// A result of the previous period.
    Baseline,
}

/// One indicator figure: a target or a baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// Canonical simplified indicator name, e.g. `地区生产总值`.
    pub indicator: String,
    /// The indicator name exactly as written in the input.
    pub indicator_as_written: String,
    /// Former canonical name when the written one was renamed
    /// (`农民人均纯收入` continues as `农村居民人均可支配收入`).
    pub renamed_from: Option<String>,
    /// The level, unknown when masked or absent; the first end of a range (`1200—1300亿元`).
    pub value: Option<Decimal>,
    /// The other end when the level is written as a range, else `None`.
    pub value_to: Option<Decimal>,
    /// Unit including its scale word: `亿元`, `万元`, `元`, `%`, `万吨` ...
    pub unit: Option<String>,
    /// Growth in percent; negative for 下降/减少; the first end of a range (`增长6%—6.5%`
    /// gives 6).
    pub growth_pct: Option<Decimal>,
    /// The other end when the growth is written as a range (6.5 above), else `None`.
    pub growth_pct_to: Option<Decimal>,
    /// Absolute increase over the previous period (净增), in `delta_unit`.
    pub delta: Option<Decimal>,
    /// Unit of `delta`.
    pub delta_unit: Option<String>,
    /// 左右, 以上, 以内, 突破, 力争 ...
    pub qualifier: Option<String>,
    /// Region or unit the figure belongs to (全区, 城区, a township ...).
    pub applies_to: Option<String>,
    /// Price basis of the growth rate.
    pub price_basis: Option<PriceBasis>,
    /// True when the value (or growth) has digits masked with `*`.
    pub masked: bool,
    /// The value as written when it is masked, e.g. `40.*`.
    pub masked_value: Option<String>,
    /// Byte range of the figure in the original input.
    pub span: Span,
    /// Exact source fragment, `&input[span]`.
    pub text: String,
}

/// A numbered heading and the headings nested below it.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// The numbering as written: `一`, `（一）`, `第一`, `1`, `(1)`, `一是` ...
    pub number: String,
    /// Heading text without the numbering, up to the first sentence end.
    pub title: String,
    /// Depth in the tree, 1 for top-level headings.
    pub level: u8,
    /// Byte range of the heading (numbering and title).
    pub span: Span,
    /// Nested headings.
    pub children: Vec<Section>,
}

/// A number or range with its measure word, e.g. `3—5个`, `100%的乡镇`.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    /// Lower bound (equal to `max` for a single number); `None` when masked.
    pub min: Option<Decimal>,
    /// Upper bound; `None` when masked.
    pub max: Option<Decimal>,
    /// Measure word or `%`.
    pub unit: Option<String>,
    /// What is counted when written as `50%的行政村`.
    pub of: Option<String>,
    /// Byte range in the original input.
    pub span: Span,
    /// Exact source fragment.
    pub text: String,
}

/// A normalised deadline expression.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DeadlineKind {
    /// 年内, 今年, 本年度: within the plan year.
    WithinYear,
    /// 年底前, 年末: by the end of the plan year.
    ByYearEnd,
    /// 上半年: by the end of June.
    FirstHalf,
    /// 五年内, 3年内, 用三年时间.
    WithinYears {
        /// Number of years.
        years: u32,
    },
    /// 1—2年, 经过三到五年.
    YearsRange {
        /// Lower bound in years.
        min: u32,
        /// Upper bound in years.
        max: u32,
    },
    /// 6月底前, 6月前, 三季度末 (month 9).
    ByMonth {
        /// Month 1–12.
        month: u32,
    },
    /// 9月1日前.
    ByDate {
        /// Month 1–12.
        month: u32,
        /// Day 1–31.
        day: u32,
    },
    /// 到2025年, 2025年底前.
    ByYear {
        /// Calendar year.
        year: u32,
    },
}

/// A deadline with its source fragment.
#[derive(Debug, Clone, PartialEq)]
pub struct DeadlineExpr {
    /// The normalised meaning.
    pub kind: DeadlineKind,
    /// Byte range in the original input.
    pub span: Span,
    /// Exact source fragment.
    pub text: String,
}

/// What a mention names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MentionKind {
    /// Township, village, street, district, road, square ...
    Place,
    /// Project, programme, base, park, centre ...
    Project,
    /// Department or organisation: 局, 委, 办, 公司 ...
    Unit,
}

/// A place, project or unit named in a task.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    /// Kind of the named thing.
    pub kind: MentionKind,
    /// Exact source fragment.
    pub text: String,
    /// Byte range in the original input.
    pub span: Span,
}

/// A sentence that commits to concrete work.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskItem {
    /// Exact source fragment of the sentence.
    pub text: String,
    /// Byte range in the original input.
    pub span: Span,
    /// All quantities in the sentence, in order.
    pub quantities: Vec<Quantity>,
    /// The first deadline in the sentence.
    pub deadline: Option<DeadlineExpr>,
    /// Path of the innermost enclosing section, `number title > number title`.
    pub section: Option<String>,
    /// Places, projects and units named.
    pub mentions: Vec<Mention>,
}

impl TaskItem {
    /// The first quantity, if any.
    pub fn quantity(&self) -> Option<&Quantity> {
        self.quantities.first()
    }
}

/// Kind of a diagnostic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DiagnosticKind {
    /// A number has digits masked with `*`; its value is unknown.
    MaskedDigits,
    /// Baseline × (1 + growth) agrees with the target within rounding.
    ArithmeticConsistent,
    /// Baseline × (1 + growth) contradicts the target, or a 净增/增长 pair disagrees.
    ArithmeticMismatch,
    /// A masked target agrees with baseline × (1 + growth); the implied value is reported.
    MaskedValueImplied,
    /// A number after an indicator carries a unit the extractor does not know.
    UnknownUnit,
    /// An indicator was written under a former name.
    IndicatorRenamed,
    /// A web-page leftover line (title, 时间, 来源, share buttons) was ignored.
    Boilerplate,
}

/// A remark about the input, with the fragment it concerns.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// What kind of remark.
    pub kind: DiagnosticKind,
    /// Human-readable explanation (English, with the numbers involved).
    pub message: String,
    /// Exact source fragment.
    pub text: String,
    /// Byte range in the original input.
    pub span: Span,
}

/// Everything extracted from one document.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Extraction {
    /// This period's goals.
    pub targets: Vec<Figure>,
    /// Previous period's results.
    pub baselines: Vec<Figure>,
    /// Heading tree.
    pub sections: Vec<Section>,
    /// Concrete commitments.
    pub tasks: Vec<TaskItem>,
    /// Remarks: masked digits, arithmetic checks, unknown units, boilerplate.
    pub diagnostics: Vec<Diagnostic>,
}
