//! Interface strings in Simplified Chinese (the default) and English. Every string a page shows
//! comes from this table; a test checks that every key used in a template exists.

/// The interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    pub fn from_tag(tag: &str) -> Lang {
        if tag.starts_with("en") {
            Lang::En
        } else {
            Lang::Zh
        }
    }
    pub fn tag(&self) -> &'static str {
        match self {
            Lang::Zh => "zh-Hans",
            Lang::En => "en",
        }
    }
    pub fn other(&self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }
}

/// The translator handed to templates: `{{ tr.t("nav.tasks") }}`.
#[derive(Debug, Clone, Copy)]
pub struct Tr(pub Lang);

impl Tr {
    pub fn t(&self, key: &str) -> &'static str {
        match STRINGS.binary_search_by(|(k, _, _)| (*k).cmp(key)) {
            Ok(i) => match self.0 {
                Lang::Zh => STRINGS[i].1,
                Lang::En => STRINGS[i].2,
            },
            Err(_) => "??",
        }
    }
    pub fn html_lang(&self) -> &'static str {
        self.0.tag()
    }
}

/// (key, 简体中文, English), sorted by key.
#[rustfmt::skip]
pub const STRINGS: &[(&str, &str, &str)] = &[
    ("action.acknowledge", "签收", "Acknowledge"),
    ("action.approve_extension", "同意延期", "Approve extension"),
    ("action.assign", "交办", "Assign"),
    ("action.cancel", "撤销", "Cancel"),
    ("action.close", "审核销号", "Close"),
    ("action.create", "创建", "Create"),
    ("action.reject_extension", "不同意延期", "Reject extension"),
    ("action.report_done", "报办结", "Report done"),
    ("action.request_extension", "申请延期", "Request extension"),
    ("action.return", "退回", "Return"),
    ("admin.action", "操作", "Action"),
    ("admin.api_note", "也可通过接口 /api/v1 批量维护（见 /api/v1/openapi.json）", "Records can also be maintained in bulk through the API under /api/v1 (see /api/v1/openapi.json)"),
    ("admin.audit", "审计日志", "Audit log"),
    ("admin.cancel", "取消", "Cancel"),
    ("admin.change", "变更", "Change"),
    ("admin.edit", "编辑", "Edit"),
    ("admin.entity", "对象", "Record"),
    ("admin.new", "新增", "New"),
    ("admin.people", "人员和职务", "People and posts"),
    ("admin.save", "保存", "Save"),
    ("admin.title", "系统管理", "Administration"),
    ("admin.units", "单位", "Units"),
    ("admin.users", "用户和角色", "Users and roles"),
    ("admin.when", "时间", "When"),
    ("admin.who", "操作人", "Who"),
    ("app.name", "落实", "luoshi"),
    ("assess.as_of", "考核截止日期", "As of"),
    ("assess.award", "评先", "Award"),
    ("assess.awards", "先进单位名单", "Award winners"),
    ("assess.band_grade", "按得分等次", "Grade by total"),
    ("assess.by_total", "按得分应为", "by total:"),
    ("assess.code", "单位代码", "Unit code"),
    ("assess.compute", "计算", "Compute"),
    ("assess.correct", "更正并重新发布", "Correct and republish"),
    ("assess.corrects", "更正", "Corrects"),
    ("assess.digest", "校验摘要", "Digest"),
    ("assess.full_points", "满分", "Full points"),
    ("assess.grade", "等次", "Grade"),
    ("assess.item", "考核项目", "Item"),
    ("assess.items", "逐项得分", "Points by item"),
    ("assess.live_note", "以下为按现有记录实时计算的结果，截至", "Computed live from the record as of"),
    ("assess.none", "尚未设置考核方案", "No assessment scheme is set up yet"),
    ("assess.none_published", "尚未发布考核结果", "No result has been published yet"),
    ("assess.percent", "得分率", "Percent"),
    ("assess.points", "得分", "Points"),
    ("assess.publish", "发布考核结果", "Publish the result"),
    ("assess.publish_note", "发布后结果将固定，不随后续数据变化。截至", "Publishing freezes the result; later data will not change it. As of"),
    ("assess.published", "已发布版本", "Published versions"),
    ("assess.published_at", "发布时间", "Published at"),
    ("assess.published_by", "发布人", "Published by"),
    ("assess.rank", "名次", "Rank"),
    ("assess.sheet", "考核评分表", "Score sheet"),
    ("assess.superseded", "已被更正", "Superseded by a correction"),
    ("assess.title", "绩效考核", "Performance assessment"),
    ("assess.total", "总分", "Total"),
    ("assess.unit", "单位", "Unit"),
    ("assess.version", "方案版本", "Scheme version"),
    ("assess.vetoed", "一票否决", "Vetoed"),
    ("assess.vetoed_col", "否决", "Vetoed"),
    ("assess.why", "得分依据", "Why"),
    ("dash.as_of", "截至", "As of"),
    ("dash.attainment", "完成率", "Attainment"),
    ("dash.by_section", "各板块任务亮灯", "Tasks by section"),
    ("dash.by_unit", "各单位任务亮灯", "Tasks by unit"),
    ("dash.chart_actual", "实际累计", "Actual (cumulative)"),
    ("dash.chart_expected", "序时要求", "Expected path"),
    ("dash.expected", "序时进度", "Expected"),
    ("dash.gap", "差距", "Gap"),
    ("dash.growth", "增速", "Growth"),
    ("dash.indicators", "主要指标", "Key indicators"),
    ("dash.latest", "最新累计", "Latest (cumulative)"),
    ("dash.no_plan", "还没有年度计划", "There is no plan yet"),
    ("dash.no_urgent", "暂无逾期或红灯事项", "Nothing is overdue or red"),
    ("dash.overdue", "逾期", "Overdue"),
    ("dash.section", "板块", "Section"),
    ("dash.target", "目标", "Target"),
    ("dash.title", "工作驾驶舱", "Dashboard"),
    ("dash.total", "合计", "Total"),
    ("dash.unit", "单位", "Unit"),
    ("dash.unknown", "未知", "unknown"),
    ("dash.urgent", "逾期和红灯事项", "Overdue and red items"),
    ("data.final", "最终核实", "Final"),
    ("data.flash", "快报", "Flash"),
    ("data.preliminary", "初步核算", "Preliminary"),
    ("draft.assign", "创建后立即交办", "Assign tasks on creation"),
    ("draft.baseline", "上年基数", "Last year"),
    ("draft.create", "创建计划", "Create the plan"),
    ("draft.diagnostics", "提示", "Remarks"),
    ("draft.extract", "提取并审核", "Extract and review"),
    ("draft.file", "或上传文本文件", "Or upload a text file"),
    ("draft.growth", "增长（%）", "Growth (%)"),
    ("draft.indicators", "指标", "Indicators"),
    ("draft.intro", "粘贴或上传讲话、政府工作报告的全文（UTF-8 或 GB18030），系统提取指标、章节和任务，经审核后一次性创建计划。", "Paste or upload the full text of a speech or work report (UTF-8 or GB18030); luoshi extracts indicators, sections and tasks, and creates the plan in one step after your review."),
    ("draft.keep", "保留", "Keep"),
    ("draft.mark_deadline", "时限", "deadline"),
    ("draft.mark_quantity", "数量", "quantity"),
    ("draft.mark_unit", "单位", "unit"),
    ("draft.no_text", "请粘贴全文或上传文件", "paste the text or upload a file"),
    ("draft.number", "编号", "Number"),
    ("draft.plan_title", "计划名称", "Plan title"),
    ("draft.qmax", "数量（上限）", "Quantity (max)"),
    ("draft.qmin", "数量（下限）", "Quantity (min)"),
    ("draft.review", "审核提取结果", "Review the extraction"),
    ("draft.review_help", "逐项核对：保留、修改或删除；为任务指定牵头单位、分管领导和完成时限，然后创建计划。", "Check each item: keep, edit or drop it; give tasks a lead unit, official and deadline, then create the plan."),
    ("draft.sections", "章节", "Sections"),
    ("draft.target", "目标值", "Target"),
    ("draft.task_title", "任务内容", "Task"),
    ("draft.tasks", "任务", "Tasks"),
    ("draft.text", "全文", "Full text"),
    ("draft.title", "从讲话生成计划", "New plan from a speech"),
    ("draft.unit", "单位", "Unit"),
    ("draft.year", "年度", "Year"),
    ("err.back", "返回", "Back"),
    ("err.csrf", "表单已失效，请刷新页面后重试", "The form has expired; reload the page and try again"),
    ("err.title", "出错了", "Something went wrong"),
    ("export.baseline", "上年基数", "Last year's result"),
    ("export.target_growth", "目标增速（%）", "Target growth (%)"),
    ("export.target_value", "目标值", "Target value"),
    ("export.unit", "单位", "Unit"),
    ("field.active", "启用", "Active"),
    ("field.category", "考核类别", "Assessment category"),
    ("field.code", "代码", "Code"),
    ("field.display_name", "姓名", "Full name"),
    ("field.kind", "类型", "Type"),
    ("field.language", "界面语言", "Language"),
    ("field.name", "名称", "Name"),
    ("field.none", "（无）", "(none)"),
    ("field.password", "密码", "Password"),
    ("field.person_name", "姓名", "Name"),
    ("field.phone", "电话", "Phone"),
    ("field.post", "职务", "Post"),
    ("field.role", "角色", "Role"),
    ("field.unit_id", "单位", "Unit"),
    ("field.username", "用户名", "Username"),
    ("import.check", "检查", "Check"),
    ("import.column", "列", "Column"),
    ("import.confirm", "确认导入", "Import now"),
    ("import.created", "新增", "created"),
    ("import.done", "已导入", "Imported"),
    ("import.errors", "以下单元格有误，整张表未导入。请修改后重新上传。", "These cells are wrong, so nothing was imported. Correct them and upload again."),
    ("import.example_note", "示例行，导入前请删除", "Example row: delete before importing"),
    ("import.example_task", "建成3个新农村示范村", "Build 3 model villages"),
    ("import.example_unit", "中滩镇", "Zhongtan"),
    ("import.file", "任务分解表（XLSX 或 CSV）", "Task table (XLSX or CSV)"),
    ("import.help", "按序号匹配：再次导入同一张表只更新有变化的任务，不会重复创建。新任务为草稿，需交办。", "Rows match tasks by their number: importing the same table again updates changed tasks only and never duplicates. New tasks are drafts until assigned."),
    ("import.indicators_xlsx", "导出主要指标（XLSX）", "Export indicators (XLSX)"),
    ("import.problem", "问题", "Problem"),
    ("import.ready", "检查通过，确认后写入", "Checked; confirm to write"),
    ("import.row", "行", "Row"),
    ("import.sheet", "任务分解表", "Tasks"),
    ("import.template", "下载导入模板（XLSX）", "Download the template (XLSX)"),
    ("import.title", "导入任务", "Import tasks"),
    ("import.unchanged", "未变", "unchanged"),
    ("import.updated", "更新", "updated"),
    ("inbox.mark_read", "标为已读", "Mark read"),
    ("inbox.new", "未读", "New"),
    ("inbox.none", "暂无消息", "No messages"),
    ("inbox.title", "消息", "Inbox"),
    ("inbox.unread", "未读消息", "Unread"),
    ("ind.confirm", "确认为最终数", "Confirm as final"),
    ("ind.enter", "填报数据", "Enter a figure"),
    ("ind.name", "指标", "Indicator"),
    ("ind.period", "月份（1—m月累计）", "Month (cumulative Jan–m)"),
    ("ind.recorded", "填报时间", "Recorded"),
    ("ind.region", "全区", "Whole district"),
    ("ind.revision", "版本", "Revision"),
    ("ind.save", "提交", "Save"),
    ("ind.scope", "范围", "Scope"),
    ("ind.shortfall", "分解到各单位的目标合计尚差", "The units' shares fall short by"),
    ("ind.source", "来源", "Source"),
    ("ind.splits", "目标分解", "Split to units"),
    ("ind.status", "数据状态", "Data status"),
    ("ind.title", "主要指标", "Indicators"),
    ("ind.value", "累计值", "Cumulative value"),
    ("ind.values", "历次数据（含修订）", "Figures (every revision)"),
    ("kind.department", "部门", "Department"),
    ("kind.street", "街道", "Street"),
    ("kind.township", "乡镇", "Township"),
    ("lamp.blue", "蓝灯·临期", "Blue · due soon"),
    ("lamp.green", "绿灯·正常", "Green · on track"),
    ("lamp.none", "无", "none"),
    ("lamp.red", "红灯·严重滞后", "Red · far behind"),
    ("lamp.yellow", "黄灯·滞后", "Yellow · lagging"),
    ("login.failed", "用户名或密码错误", "Wrong username or password"),
    ("login.password", "密码", "Password"),
    ("login.submit", "登录", "Sign in"),
    ("login.title", "登录", "Sign in"),
    ("login.username", "用户名", "Username"),
    ("my.acknowledge", "待签收", "To acknowledge"),
    ("my.due", "本月待报送进展", "Reports due this month"),
    ("my.none", "暂无", "Nothing"),
    ("my.returned", "被退回待整改", "Returned for rework"),
    ("my.title", "我的工作", "My work"),
    ("nav.admin", "管理", "Admin"),
    ("nav.assessment", "绩效考核", "Assessment"),
    ("nav.dashboard", "驾驶舱", "Dashboard"),
    ("nav.inbox", "消息", "Inbox"),
    ("nav.indicators", "指标", "Indicators"),
    ("nav.language", "English", "中文"),
    ("nav.logout", "退出", "Sign out"),
    ("nav.my", "我的工作", "My work"),
    ("nav.new_plan", "从讲话生成计划", "Plan from a speech"),
    ("nav.notices", "督办单", "Notices"),
    ("nav.projects", "重点项目", "Key projects"),
    ("nav.supervision", "督查督办", "Supervision"),
    ("nav.tasks", "任务清单", "Tasks"),
    ("notice.accept", "验收通过", "Accept"),
    ("notice.all", "全部", "All"),
    ("notice.follow_up", "再次督办", "Issue a further notice"),
    ("notice.follows", "前一督办单", "Previous notice"),
    ("notice.heading", "督办通知单", "Supervision notice"),
    ("notice.issue", "发督办单", "Issue a notice"),
    ("notice.issued_on", "签发日期", "Issued on"),
    ("notice.issuer", "督查督办办公室", "Supervision Office"),
    ("notice.list", "督办单", "Supervision notices"),
    ("notice.none", "暂无督办单", "No notices"),
    ("notice.number", "编号", "Number"),
    ("notice.print", "打印", "Print"),
    ("notice.requirement", "督办要求", "What is required"),
    ("notice.respond", "提交书面答复", "Send the response"),
    ("notice.respond_by", "答复期限", "Respond by"),
    ("notice.response", "书面答复", "Written response"),
    ("notice.status.accepted", "已验收", "Accepted"),
    ("notice.status.followed_up", "已再次督办", "Followed up"),
    ("notice.status.issued", "已签发", "Issued"),
    ("notice.status.responded", "已答复", "Responded"),
    ("notice.task", "督办事项", "Task"),
    ("notice.unit", "承办单位", "Addressed unit"),
    ("proj.annual", "年度计划投资", "Planned this year"),
    ("proj.completed", "累计完成投资", "Completed this year"),
    ("proj.completion", "年度计划完成率", "Share of this year's plan"),
    ("proj.due", "办结时限", "Due"),
    ("proj.investments", "月度投资（含修订）", "Monthly investment (every revision)"),
    ("proj.issue", "协调事项", "Issue"),
    ("proj.issues", "需协调解决的问题", "Issues to coordinate"),
    ("proj.name", "项目", "Project"),
    ("proj.none", "还没有重点项目", "There are no key projects yet"),
    ("proj.open", "待解决", "Open"),
    ("proj.overdue", "已逾期", "Overdue"),
    ("proj.park", "园区", "Park"),
    ("proj.reason.behind", "投资进度落后", "Investment behind schedule"),
    ("proj.reason.not_started", "未按计划开工", "Not started as planned"),
    ("proj.reasons", "亮灯原因", "Why"),
    ("proj.resolved", "已解决", "Resolved"),
    ("proj.stage", "阶段", "Stage"),
    ("proj.state", "状态", "State"),
    ("proj.title", "重点项目", "Key projects"),
    ("proj.total", "总投资", "Total investment"),
    ("proj.unit", "责任单位", "Responsible unit"),
    ("role.admin", "管理员", "Administrator"),
    ("role.leader", "区领导", "Leader"),
    ("role.petition_officer", "信访局", "Petition office"),
    ("role.reporter", "联络员", "Reporter"),
    ("role.supervisor", "督查室", "Supervision office"),
    ("role.unit_manager", "单位负责人", "Unit manager"),
    ("role.viewer", "查阅", "Viewer"),
    ("stage.completed", "竣工", "Completed"),
    ("stage.in_production", "投产", "In production"),
    ("stage.preparation", "前期", "Preparation"),
    ("stage.under_construction", "在建", "Under construction"),
    ("status.assigned", "待签收", "Awaiting acknowledgement"),
    ("status.cancelled", "已撤销", "Cancelled"),
    ("status.closed", "已销号", "Closed"),
    ("status.draft", "草稿", "Draft"),
    ("status.extension_requested", "延期申请中", "Extension requested"),
    ("status.in_progress", "推进中", "In progress"),
    ("status.reported_done", "已报办结", "Reported done"),
    ("sup.by_official", "按牵头领导", "By lead official"),
    ("sup.by_unit", "按牵头单位", "By lead unit"),
    ("sup.no_official", "未明确牵头领导", "No lead official"),
    ("sup.no_unit", "未知单位", "Unknown unit"),
    ("sup.none", "当前计划没有红灯、黄灯或逾期的在办任务", "The current plan has no red, yellow or overdue open tasks"),
    ("sup.title", "督查督办工作台", "Supervision workbench"),
    ("task.actions", "办理", "Actions"),
    ("task.co_units", "配合单位", "Cooperating units"),
    ("task.days_left", "剩余天数", "Days left"),
    ("task.deadline", "完成时限", "Deadline"),
    ("task.events", "办理记录", "History"),
    ("task.expected", "序时进度", "Expected"),
    ("task.files", "附件（佐证材料，最多5个，每个不超过10MB）", "Attachments (evidence; up to 5 files of 10 MB)"),
    ("task.lead_official", "分管领导", "Lead official"),
    ("task.lead_unit", "牵头单位", "Lead unit"),
    ("task.milestones", "分解节点", "Milestones"),
    ("task.new_deadline", "申请延至", "New deadline"),
    ("task.next_steps", "下步打算", "Next steps"),
    ("task.no_reports", "尚无进展报送", "No progress reported yet"),
    ("task.percent", "累计完成（%）", "Done so far (%)"),
    ("task.problems", "存在问题", "Problems"),
    ("task.progress", "进度", "Progress"),
    ("task.quantity", "目标数量", "Quantity"),
    ("task.quantity_done", "已完成数量", "Quantity done"),
    ("task.reason", "理由", "Reason"),
    ("task.report", "报送进展", "Report progress"),
    ("task.reports", "进展报送", "Progress reports"),
    ("task.requested", "申请延至", "Requested deadline"),
    ("task.responsibility", "责任分工", "Responsibility"),
    ("task.responsible", "责任人", "Responsible person"),
    ("task.section", "所属板块", "Section"),
    ("task.start", "开始日期", "Start"),
    ("task.status", "状态", "Status"),
    ("task.summary", "进展情况", "Progress made"),
    ("task.weight", "分值", "Weight"),
    ("tasks.all", "全部", "All"),
    ("tasks.count", "共", "Total"),
    ("tasks.deadline_from", "时限从", "Deadline from"),
    ("tasks.deadline_to", "时限至", "Deadline to"),
    ("tasks.export", "导出Excel", "Export to Excel"),
    ("tasks.filter", "筛选", "Filter"),
    ("tasks.items", "项", "items"),
    ("tasks.lamp", "亮灯", "Lamp"),
    ("tasks.next", "下一页", "Next"),
    ("tasks.none", "没有符合条件的任务", "No matching tasks"),
    ("tasks.overdue", "仅逾期", "Overdue only"),
    ("tasks.prev", "上一页", "Previous"),
    ("tasks.sort", "排序", "Sort"),
    ("tasks.sort_deadline", "按时限", "By deadline"),
    ("tasks.sort_deadline_desc", "按时限（倒序）", "By deadline, latest first"),
    ("tasks.sort_progress", "按进度", "By progress"),
    ("tasks.sort_progress_desc", "按进度（倒序）", "By progress, highest first"),
    ("tasks.sort_title", "按名称", "By title"),
    ("tasks.title", "任务清单", "Tasks"),
    ("unit.days", "天", "days"),
    ("unit.pp", "个百分点", "pp"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_unique_and_complete() {
        for w in STRINGS.windows(2) {
            assert!(w[0].0 < w[1].0, "{} must come before {}", w[0].0, w[1].0);
        }
        for (k, zh, en) in STRINGS {
            assert!(!zh.is_empty() && !en.is_empty(), "{k}");
        }
    }

    #[test]
    fn every_key_in_templates_exists() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut missing = vec![];
        for f in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(f.unwrap().path()).unwrap();
            for part in text.split("tr.t(\"").skip(1) {
                let key = part.split('"').next().unwrap();
                if Tr(Lang::Zh).t(key) == "??" {
                    missing.push(key.to_owned());
                }
            }
        }
        assert!(missing.is_empty(), "keys missing from STRINGS: {missing:?}");
    }

    #[test]
    fn languages_switch() {
        assert_eq!(Tr(Lang::Zh).t("nav.tasks"), "任务清单");
        assert_eq!(Tr(Lang::En).t("nav.tasks"), "Tasks");
        assert_eq!(Lang::from_tag("en-US"), Lang::En);
        assert_eq!(Lang::from_tag("zh-Hans").other(), Lang::En);
    }
}
