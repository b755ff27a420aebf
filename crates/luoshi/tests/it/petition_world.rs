//! The district of `support::world` with a petition office, a district leader who takes cases
//! (包案) and one case handled by unit A, for the petition page and API tests. The server's clock
//! stands at 15 June 2026.

use crate::support::{World, world};
use luoshi_app::PersonalRead;
use luoshi_testkit::TestDb;
use serde_json::{Value, json};

pub const NAME: &str = "王小五";
pub const ID_NUMBER: &str = "11010519491231002X";
pub const PHONE: &str = "13912345678";
pub const ADDRESS: &str = "中滩镇东街3号";

/// Every string of the personal data, for asserting their absence.
pub const PERSONAL: [&str; 4] = [NAME, ID_NUMBER, PHONE, ADDRESS];

pub struct PetitionWorld {
    pub w: World,
    /// The petition office (role petition_officer).
    pub officer: String,
    /// The user of the district leader 赵副区长 (role leader), the case's leader.
    pub leader: String,
    pub leader_person: String,
    /// Registered 20 May, routed to unit A on 2 June (Tuesday), case leader from 5 June.
    pub case: String,
}

pub fn petition_body(registered_on: &str) -> Value {
    json!({"channel": "visit", "petitioners": [{"name": NAME, "id_number": ID_NUMBER, "phone": PHONE, "address": ADDRESS}],
           "matter": "反映拖欠农民工工资问题，要求尽快支付", "category": "劳资纠纷", "registered_on": registered_on})
}

pub async fn petition_world(t: TestDb) -> PetitionWorld {
    let w = world(t).await;
    let admin = w.app.admin.clone();
    w.app
        .post(
            "/api/v1/users",
            &admin,
            json!({"username": "xfj", "display_name": "信访局", "password": "password-123", "grants": [{"role": "petition_officer"}]}),
        )
        .await;
    let leader_user = w
        .app
        .post(
            "/api/v1/users",
            &admin,
            json!({"username": "zhao", "display_name": "赵副区长", "password": "password-123", "grants": [{"role": "leader"}]}),
        )
        .await["id"]
        .as_str()
        .unwrap()
        .parse::<uuid::Uuid>()
        .unwrap();
    let person = w
        .app
        .post(
            "/api/v1/people",
            &admin,
            json!({"name": "赵副区长", "post": "副区长"}),
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let admin_actor = w.app.core.authenticate(&admin).await.unwrap().actor();
    w.app
        .core
        .link_user_person(
            &admin_actor,
            luoshi_domain::ids::UserId::from(leader_user),
            Some(person.parse().unwrap()),
        )
        .await
        .unwrap();
    let officer = w.app.login("xfj", "password-123").await;
    let leader = w.app.login("zhao", "password-123").await;
    let case = w
        .app
        .post("/api/v1/petitions", &officer, petition_body("2026-05-20"))
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let act = |version: i64, body: Value| {
        let mut body = body;
        body["version"] = json!(version);
        let (app, officer, case) = (&w.app, officer.clone(), case.clone());
        async move {
            app.post(&format!("/api/v1/petitions/{case}/actions"), &officer, body)
                .await["version"]
                .as_i64()
                .unwrap()
        }
    };
    let v = act(
        1,
        json!({"action": "route", "unit_id": w.unit_a, "on": "2026-06-02"}),
    )
    .await;
    act(
        v,
        json!({"action": "assign_leader", "person_id": person, "on": "2026-06-05"}),
    )
    .await;
    PetitionWorld {
        w,
        officer,
        leader,
        leader_person: person,
        case,
    }
}

impl PetitionWorld {
    /// The user id behind a session token.
    pub async fn user_id(&self, token: &str) -> luoshi_domain::ids::UserId {
        self.w.app.core.authenticate(token).await.unwrap().id
    }

    /// The personal-data read log of the region, as (username, route), sorted.
    pub async fn reads(&self) -> Vec<(String, String)> {
        let admin = self
            .w
            .app
            .core
            .authenticate(&self.w.app.admin)
            .await
            .unwrap();
        let reads: Vec<PersonalRead> = self
            .w
            .app
            .core
            .petition_reads(&admin.actor(), None)
            .await
            .unwrap();
        let mut names = std::collections::HashMap::new();
        for (token, name) in [(&self.officer, "xfj"), (&self.leader, "zhao")] {
            names.insert(self.user_id(token).await, name);
        }
        for (token, name) in [
            (&self.w.reporter_a, "rep-a"),
            (&self.w.reporter_b, "rep-b"),
            (&self.w.supervisor, "sup"),
        ] {
            names.insert(self.user_id(token).await, name);
        }
        let mut out: Vec<(String, String)> = reads
            .into_iter()
            .map(|r| (names.get(&r.user).map_or("?", |n| n).to_owned(), r.route))
            .collect();
        out.sort();
        out
    }
}
