//! The demo's petition cases (issue #7): a petition office account, a district leader who takes
//! cases (包案) with a login of their own, and a dozen cases across units at every stage on the
//! demo's timeline: fresh, routed, in handling, replied and rated, one with a case leader, late
//! ones (red), one accepted and replied late, a returning petitioner proposed as a repeat, one
//! declined, one extended, and one whose re-review upheld the reply. People, numbers and matters are invented.

use super::{District, at, unit_by_code};
use anyhow::{Context, Result};
use luoshi_app::{Actor, NewUser};
use luoshi_domain::authz::{Grant, Role};
use luoshi_domain::ids::{PersonId, PetitionId, UnitId};
use luoshi_domain::petition::{
    Channel, PersonalData, PetitionAction as A, PetitionFields, Petitioner, ReviewOutcome,
    Satisfaction,
};
use time::{Date, Duration};

/// An invented petitioner: name, 15-digit legacy identity number (made 18 digits on entry),
/// phone, address.
type Person = (&'static str, &'static str, &'static str, &'static str);

const PEOPLE: &[Person] = &[
    (
        "周德顺",
        "620503680312123",
        "13909381201",
        "中滩镇樊家村三组",
    ),
    ("吴桂兰", "620503750918246", "13919382302", "伯阳镇南集村"),
    ("郑有福", "620503600105315", "13809383403", "石佛镇沟门村"),
    ("冯秀英", "620503821127428", "13629384504", "渭南镇东街15号"),
    (
        "褚建平",
        "620503710630537",
        "15109385605",
        "社棠镇新华路8号",
    ),
    ("卫小军", "620503881011612", "18809386706", "马跑泉镇刘家庄"),
];

/// What happens to a case, each step `days` before today.
enum Step {
    Route(&'static str),
    Accept,
    Decline(&'static str),
    Extend(i64, &'static str),
    Reply,
    Rate(Satisfaction),
    Leader,
    RequestReview,
    DecideReview(ReviewOutcome),
    RequestReReview,
    DecideReReview(ReviewOutcome),
    Close,
}

/// (petitioner index, channel, category, matter, registered days before today, steps)
type Case = (
    usize,
    Channel,
    &'static str,
    &'static str,
    i64,
    &'static [(i64, Step)],
);

#[rustfmt::skip]
const CASES: &[Case] = &[
    // Just registered: the office has 15 days to route it.
    (0, Channel::Visit, "农村土地", "反映村组土地流转收益分配不公开，要求公布账目", 3, &[]),
    // Routed to the township: the acceptance notice is due within 15 days.
    (1, Channel::Online, "城乡建设", "反映小区外道路施工夜间噪声扰民", 10, &[(8, Step::Route("boyang"))]),
    // Accepted and in handling.
    (2, Channel::Letter, "劳动社保", "反映养老保险缴费年限认定有误", 40, &[(38, Step::Route("rsj")), (35, Step::Accept)]),
    // Replied within its clocks and rated.
    (3, Channel::Phone, "城乡建设", "反映自来水管网老化经常停水", 80, &[(78, Step::Route("slj")), (75, Step::Accept), (30, Step::Reply), (28, Step::Rate(Satisfaction::Satisfied))]),
    // A district leader takes the case (包案).
    (4, Channel::Visit, "劳资纠纷", "反映工业园区企业拖欠农民工工资三个月未支付", 50, &[(49, Step::Route("shetang")), (47, Step::Accept), (45, Step::Leader)]),
    // No reply within 60 days of acceptance: red.
    (5, Channel::Letter, "征地拆迁", "反映征地补偿款未足额发放", 90, &[(88, Step::Route("zrj")), (86, Step::Accept)]),
    // Never routed: the routing clock ran out, red.
    (1, Channel::Fax, "环境保护", "反映养殖场污水直排河道", 25, &[]),
    // The petitioner of the leader's case returns with the same matter: proposed as a repeat.
    (4, Channel::Visit, "劳资纠纷", "再次反映工业园区企业拖欠农民工工资未支付", 5, &[]),
    // Declined: a matter for the courts.
    (2, Channel::Online, "涉法涉诉", "要求撤销法院已生效的民事判决", 20, &[(19, Step::Route("sfj")), (15, Step::Decline("属于通过诉讼程序解决的事项，告知向法院申请再审"))]),
    // Extended by 30 days with the petitioner told.
    (0, Channel::Letter, "农村土地", "反映宅基地确权面积与实际不符", 75, &[(74, Step::Route("zhongtan")), (72, Step::Accept), (20, Step::Extend(30, "需实地测量并经多部门会商"))]),
    // Review changed the reply; the re-review window then closed unused.
    (3, Channel::Visit, "医疗卫生", "反映医保报销比例执行错误", 120, &[(119, Step::Route("ybj")), (117, Step::Accept), (70, Step::Reply), (60, Step::RequestReview), (35, Step::DecideReview(ReviewOutcome::Changed))]),
    // Accepted 24 days after routing (15 allowed) and replied 75 days after accepting (60
    // allowed): both clocks missed, which the township's assessment sheet shows.
    (2, Channel::Phone, "农业农村", "反映高标准农田建设项目占地补偿未兑现", 140, &[(139, Step::Route("mapaoquan")), (115, Step::Accept), (40, Step::Reply), (38, Step::Rate(Satisfaction::BasicallySatisfied))]),
    // Re-review upheld the reply: final, not accepted again on the same facts.
    (5, Channel::Letter, "征地拆迁", "对房屋征收补偿决定不服，要求提高补偿标准", 150, &[(148, Step::Route("zfj")), (146, Step::Accept), (100, Step::Reply), (90, Step::RequestReview), (70, Step::DecideReview(ReviewOutcome::Upheld)), (60, Step::RequestReReview), (40, Step::DecideReReview(ReviewOutcome::Upheld)), (38, Step::Close)]),
];

fn fields(p: &Person, channel: Channel, category: &str, matter: &str, on: Date) -> PetitionFields {
    PetitionFields {
        channel,
        personal: PersonalData {
            petitioners: vec![Petitioner {
                name: p.0.into(),
                id_number: Some(p.1.into()),
                phone: Some(p.2.into()),
                address: p.3.into(),
            }],
        },
        petitioner_count: 1,
        matter: matter.into(),
        category: category.into(),
        registered_on: on,
    }
}

/// Accounts made here: the petition office and the case leader's login.
pub(super) struct Accounts {
    pub officer: String,
    pub leader: String,
}

/// Register and replay the cases. Skipped (returning `None`) when the app has no petition key.
pub(super) async fn build(
    d: &District,
    today: Date,
    suffix: &str,
    hash: &str,
) -> Result<Option<Accounts>> {
    if !d.app.has_petition_key() {
        return Ok(None);
    }
    let user = |username: String, display: &str, role: Role| NewUser {
        username,
        display_name: display.to_owned(),
        password: String::new(),
        language: "zh-Hans".into(),
        grants: vec![Grant { role, unit: None }],
    };
    let accounts = Accounts {
        officer: format!("petition{suffix}"),
        leader: format!("baoan{suffix}"),
    };
    let (officer, _) = d
        .app
        .insert_user(
            &d.admin,
            user(accounts.officer.clone(), "信访局", Role::PetitionOfficer),
            hash,
        )
        .await?;
    let officer = officer.actor();
    // 孙丽娟, the deputy head for social affairs, takes cases and signs in herself.
    let leader = *d.leaders.get(6).context("demo leader")?;
    let (leader_user, _) = d
        .app
        .insert_user(
            &d.admin,
            user(accounts.leader.clone(), "孙丽娟（包案领导）", Role::Leader),
            hash,
        )
        .await?;
    d.app
        .link_user_person(&d.admin, leader_user.id, Some(leader))
        .await?;
    d.clock.set(at(today, 2));
    for (n, (who, channel, category, matter, ago, steps)) in CASES.iter().enumerate() {
        let p = PEOPLE.get(*who).context("demo petitioner")?;
        let on = today - Duration::days(*ago);
        let v = d
            .app
            .register_petition(&officer, fields(p, *channel, category, matter, on))
            .await
            .with_context(|| format!("demo petition {n}"))?;
        let mut c = Replay {
            d,
            officer: &officer,
            leader,
            id: v.case.id,
            unit: None,
            version: v.case.version,
        };
        for (days, step) in *steps {
            c.step(step, today - Duration::days(*days))
                .await
                .with_context(|| format!("demo petition {n}"))?;
        }
    }
    Ok(Some(accounts))
}

struct Replay<'a> {
    d: &'a District,
    officer: &'a Actor,
    leader: PersonId,
    id: PetitionId,
    unit: Option<UnitId>,
    version: i64,
}

impl Replay<'_> {
    async fn step(&mut self, step: &Step, on: Date) -> Result<()> {
        // The office routes, assigns and decides reviews; the handling unit's head acts on it.
        let handler = self.unit.and_then(|u| self.d.manager.get(&u));
        let (who, action) = match step {
            Step::Route(code) => {
                let unit = unit_by_code(self.d, code).with_context(|| format!("unit {code}"))?;
                self.unit = Some(unit);
                (self.officer, A::Route { unit })
            }
            Step::Accept => (handler.unwrap_or(self.officer), A::Accept),
            Step::Decline(reason) => (
                handler.unwrap_or(self.officer),
                A::Decline {
                    reason: (*reason).into(),
                },
            ),
            Step::Extend(days, reason) => (
                handler.unwrap_or(self.officer),
                A::Extend {
                    days: *days,
                    notice_on: on,
                    reason: (*reason).into(),
                },
            ),
            Step::Reply => (handler.unwrap_or(self.officer), A::Reply),
            Step::Rate(value) => (handler.unwrap_or(self.officer), A::Rate { value: *value }),
            Step::Leader => (
                self.officer,
                A::AssignLeader {
                    person: self.leader,
                },
            ),
            Step::RequestReview => (self.officer, A::RequestReview),
            Step::DecideReview(outcome) => (self.officer, A::DecideReview { outcome: *outcome }),
            Step::RequestReReview => (self.officer, A::RequestReReview),
            Step::DecideReReview(outcome) => {
                (self.officer, A::DecideReReview { outcome: *outcome })
            }
            Step::Close => (self.officer, A::Close),
        };
        let v = self
            .d
            .app
            .petition_action(who, self.id, action, on, self.version)
            .await?;
        self.version = v.case.version;
        Ok(())
    }
}
