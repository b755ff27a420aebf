//! Matching a task table's header row to the columns luoshi knows, whatever the script,
//! spacing, punctuation or notes in brackets.

use super::{ImportPolicy, RowError, Sheet, basic_fold};

/// A column of a task table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Column {
    /// 序号: the row's number, the task's external id unless an id column is present.
    Number,
    /// A stable id column (任务编号, ID), preferred over 序号 as the external id.
    ExternalId,
    Title,
    LeadUnit,
    CoUnits,
    LeadOfficial,
    ResponsiblePerson,
    Deadline,
    Weight,
    Section,
    Remarks,
}

impl Column {
    pub const ALL: [Column; 11] = [
        Self::Number,
        Self::ExternalId,
        Self::Section,
        Self::Title,
        Self::LeadUnit,
        Self::CoUnits,
        Self::LeadOfficial,
        Self::ResponsiblePerson,
        Self::Deadline,
        Self::Weight,
        Self::Remarks,
    ];

    /// The header luoshi's template writes for this column.
    pub fn header(&self) -> &'static str {
        self.aliases()[0]
    }

    /// Accepted headers, in simplified characters and folded form; the first is canonical.
    fn aliases(&self) -> &'static [&'static str] {
        match self {
            Self::Number => &["序号", "序", "no", "no."],
            Self::ExternalId => &["任务编号", "编号", "id", "外部编号"],
            Self::Title => &[
                "任务",
                "工作内容",
                "任务内容",
                "工作任务",
                "任务名称",
                "重点任务",
                "具体任务",
                "目标任务",
            ],
            Self::LeadUnit => &["牵头单位", "责任单位", "主责单位", "牵头部门", "责任部门"],
            Self::CoUnits => &["配合单位", "协办单位", "协同单位", "配合部门", "协办部门"],
            Self::LeadOfficial => &[
                "分管领导",
                "包抓领导",
                "牵头领导",
                "责任领导",
                "包抓县级领导",
            ],
            Self::ResponsiblePerson => &["责任人", "具体责任人", "负责人"],
            Self::Deadline => &["完成时限", "时间节点", "完成时间", "时限", "完成期限"],
            Self::Weight => &["分值", "权重"],
            Self::Section => &["所属板块", "板块", "章节", "所属章节"],
            Self::Remarks => &["备注", "说明"],
        }
    }

    /// Sheets must carry these.
    pub fn required(&self) -> bool {
        matches!(self, Self::Title | Self::LeadUnit | Self::Deadline)
    }
}

/// The traditional forms of the characters used in headers.
const HEADER_T2S: &[(char, char)] = &[
    ('號', '号'),
    ('務', '务'),
    ('內', '内'),
    ('牽', '牵'),
    ('頭', '头'),
    ('單', '单'),
    ('責', '责'),
    ('協', '协'),
    ('辦', '办'),
    ('領', '领'),
    ('導', '导'),
    ('負', '负'),
    ('時', '时'),
    ('間', '间'),
    ('節', '节'),
    ('點', '点'),
    ('權', '权'),
    ('屬', '属'),
    ('塊', '块'),
    ('備', '备'),
    ('註', '注'),
    ('說', '说'),
    ('編', '编'),
    ('體', '体'),
    ('門', '门'),
    ('稱', '称'),
    ('縣', '县'),
    ('級', '级'),
];

/// A header's matching key: simplified, half-width, no spaces, no marks (`*`, `:`), and no
/// note in brackets (`完成时限（年月日）` → `完成时限`).
pub fn fold_header(s: &str) -> String {
    let s = basic_fold(s);
    let s = s.split(['(', '[', '【', '〔']).next().unwrap_or("");
    s.chars()
        .filter(|c| !matches!(c, '*' | ':' | '：' | '、' | '\u{FEFF}' | '"'))
        .map(|c| {
            HEADER_T2S
                .iter()
                .find(|(t, _)| *t == c)
                .map_or(c, |(_, simple)| *simple)
        })
        .collect()
}

/// Which sheet column holds which [`Column`], with the headers as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderMap {
    /// The spreadsheet row of the header (1-based).
    pub row: usize,
    cols: Vec<(Column, usize, String)>,
}

impl HeaderMap {
    /// The sheet column index of `c`, when present.
    pub fn index(&self, c: Column) -> Option<usize> {
        self.cols.iter().find(|x| x.0 == c).map(|x| x.1)
    }

    pub fn has(&self, c: Column) -> bool {
        self.index(c).is_some()
    }

    /// The header of `c` as written, or its canonical name when the sheet lacks it.
    pub fn name(&self, c: Column) -> String {
        self.cols
            .iter()
            .find(|x| x.0 == c)
            .map_or_else(|| c.header().to_owned(), |x| x.2.clone())
    }

    /// The column holding the external id: an id column, else 序号.
    pub fn key(&self) -> Column {
        if self.has(Column::ExternalId) {
            Column::ExternalId
        } else {
            Column::Number
        }
    }

    /// The recognised columns in sheet order.
    pub fn columns(&self) -> impl Iterator<Item = Column> + '_ {
        self.cols.iter().map(|x| x.0)
    }
}

/// The column a header names, if any.
pub fn column_of(header: &str) -> Option<Column> {
    let key = fold_header(header);
    if key.is_empty() {
        return None;
    }
    Column::ALL
        .into_iter()
        .find(|c| c.aliases().contains(&key.as_str()))
}

/// Find the header row among the first rows and map its columns. Errors: no row carries the
/// required headers; a column appears twice; neither 序号 nor an id column is present.
pub fn match_headers(sheet: &Sheet, policy: &ImportPolicy) -> Result<HeaderMap, Vec<RowError>> {
    let candidate = sheet
        .rows
        .iter()
        .take(policy.header_search_rows)
        .enumerate()
        .find(|(_, r)| {
            let found: Vec<Column> = r.iter().filter_map(|h| column_of(h)).collect();
            found.contains(&Column::Title) && found.contains(&Column::LeadUnit)
        });
    let Some((i, header)) = candidate else {
        let required: Vec<&str> = Column::ALL
            .iter()
            .filter(|c| c.required())
            .map(Column::header)
            .collect();
        return Err(vec![RowError::new(
            1,
            Column::Title.header(),
            "missing_header",
            format!(
                "no header row found in the first {} rows; it needs at least {}",
                policy.header_search_rows,
                required.join(", ")
            ),
        )]);
    };
    let row = i + 1;
    let mut errors = vec![];
    let mut cols: Vec<(Column, usize, String)> = vec![];
    for (j, h) in header.iter().enumerate() {
        let Some(c) = column_of(h) else { continue };
        let written = h.trim().to_owned();
        if let Some(first) = cols.iter().find(|x| x.0 == c) {
            errors.push(RowError::new(
                row,
                written,
                "duplicate_header",
                format!("this column repeats the column {:?}", first.2),
            ));
            continue;
        }
        cols.push((c, j, written));
    }
    for c in Column::ALL.iter().filter(|c| c.required()) {
        if !cols.iter().any(|x| x.0 == *c) {
            errors.push(RowError::new(
                row,
                c.header(),
                "missing_header",
                format!("the sheet has no {} column", c.header()),
            ));
        }
    }
    if !cols
        .iter()
        .any(|x| matches!(x.0, Column::Number | Column::ExternalId))
    {
        errors.push(RowError::new(
            row,
            Column::Number.header(),
            "missing_header",
            "the sheet needs a 序号 or 任务编号 column to match rows on re-import",
        ));
    }
    if errors.is_empty() {
        Ok(HeaderMap { row, cols })
    } else {
        Err(errors)
    }
}
