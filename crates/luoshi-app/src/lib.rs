//! luoshi's use cases, shared by the web server and the CLI. Every use case takes the
//! [`Actor`] it runs for and checks [`authz::allowed`] before it reads or writes; every write is
//! one store transaction that also appends the audit row.
//!
//! ```ignore
//! let app = App::new(db, Arc::new(SystemClock));
//! let (token, user) = app.login("supervisor", "secret", SessionKind::Token).await?;
//! let actor = app.authenticate(&token).await?.actor();
//! let page = app.list_tasks(&actor, &TaskQuery::default()).await?;
//! ```

mod assess;
mod auth;
mod bulletins;
mod clock;
mod drafts;
mod error;
mod import;
mod indicators;
mod org;
mod pages;
mod petitions;
mod plans;
mod projects;
mod projects_import;
mod snapshot;
mod summary;
mod supervision;
mod tasks;

pub use assess::{
    FactInput, FactKind, Published, StoredScheme, digest as assessment_digest, parse_scheme,
    print_scheme, reason_from_json, result_set_json,
};
pub use auth::{NewUser, SESSION_CACHE_TTL, SessionKind, UserChanges, hash_password};
pub use bulletins::{
    Bulletin, CategoryStanding, IndicatorLine, PublishedBulletin, StandingLine, UnitLine,
    bulletin_number,
};
pub use clock::{Clock, FixedClock, ManualClock, ShiftedClock, SystemClock};
pub use drafts::{
    CreatedPlan, DraftIndicator, DraftSection, DraftTask, PlanDraft, deadline_of, propose,
};
pub use error::AppError;
pub use import::{ImportOutcome, decode, read_csv, read_sheet, write_csv};
pub use indicators::{IndicatorView, ValueInput};
pub use luoshi_domain::authz::{Actor, User};
pub use luoshi_domain::import::{RowError, Sheet};
pub use luoshi_store::attachments::AttachmentMeta;
pub use luoshi_store::audit::{AuditEntry, AuditFilter};
pub use luoshi_store::bulletins::StoredBulletin;
pub use luoshi_store::indicators::{Split, StoredValue};
pub use luoshi_store::petitions::PetitionFilter;
pub use luoshi_store::petitions::log::{PersonalRead, PetitionEvent, RepeatDecision};
pub use luoshi_store::progress::StoredReport;
pub use luoshi_store::projects::{ProjectFilter, StoredInvestment};
pub use luoshi_store::supervision::PolicyVersion;
pub use luoshi_store::tasks::{TaskEvent, TaskSort};
pub use luoshi_store::{Backend, Db, Page};
pub use pages::{IndicatorSeries, MyWork};
pub use petitions::metrics::PetitionFacts;
pub use petitions::reminders::{clock_lamp, deadline_items as petition_deadline_items};
pub use petitions::{PersonalStatus, PetitionDetail, PetitionKey, PetitionView};
pub use projects::{
    FAI_INDICATOR_NAME, InvestmentInput, ProjectDetail, ProjectRollup, ProjectView,
};
pub use snapshot::Snapshot;
pub use summary::{Counts, PlanSummary, Row};
pub use supervision::{
    Contact, Delivery, DeliveryStatus, Inbox, NoticeInput, PolicyState, RecordedEvent, Robot,
    RobotInput, Sweeper, may_edit_policy, redact_url,
};
pub use tasks::{NewFile, NewTask, TaskDetail, TaskListing, TaskQuery, TaskView};

use luoshi_domain::authz::{self, Permission};
use luoshi_store::AuditCtx;
use std::sync::Arc;
use time::{Date, OffsetDateTime};

/// The application: a database and a clock (each region's policies are in its data).
#[derive(Clone)]
pub struct App {
    db: Db,
    clock: Arc<dyn Clock>,
    project_policy: Arc<luoshi_domain::project::ProjectPolicy>,
    cache: Arc<summary::Cache>,
    snapshots: Arc<snapshot::Snapshots>,
    sessions: Arc<auth::SessionCache>,
    petition_key: Option<Arc<PetitionKey>>,
    petition_policy: Arc<(
        luoshi_domain::petition::PetitionPolicy,
        luoshi_domain::petition::WorkCalendar,
    )>,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("backend", &self.db.backend())
            .finish_non_exhaustive()
    }
}

impl App {
    pub fn new(db: Db, clock: Arc<dyn Clock>) -> Self {
        Self {
            db,
            clock,
            project_policy: Arc::default(),
            cache: Arc::default(),
            snapshots: Arc::default(),
            sessions: Arc::default(),
            petition_key: None,
            petition_policy: Arc::new((
                luoshi_domain::petition::PetitionPolicy::default(),
                luoshi_domain::petition::WorkCalendar::weekends_only(),
            )),
        }
    }

    /// The same app with another key-project policy (the default follows the domain notes).
    pub fn with_project_policy(mut self, policy: luoshi_domain::project::ProjectPolicy) -> Self {
        self.project_policy = Arc::new(policy);
        self
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    pub fn now(&self) -> OffsetDateTime {
        self.clock.now()
    }

    pub fn today(&self) -> Date {
        self.clock.now().date()
    }

    fn ctx(&self, actor: &Actor) -> AuditCtx {
        AuditCtx {
            region: actor.region,
            actor: Some(actor.user),
            at: self.now(),
        }
    }

    /// Health check: the database answers.
    pub async fn health(&self) -> Result<(), AppError> {
        Ok(self.db.ping().await?)
    }

    /// The audit log of the actor's region (admins, supervisors, leaders).
    pub async fn audit_log(
        &self,
        actor: &Actor,
        filter: &AuditFilter,
        page: Page,
    ) -> Result<Vec<AuditEntry>, AppError> {
        require(actor, Permission::ReadAudit)?;
        Ok(luoshi_store::audit::list(&self.db, actor.region, filter, page).await?)
    }
}

/// Refuse with 403 unless the actor holds the permission.
pub(crate) fn require(actor: &Actor, p: Permission<'_>) -> Result<(), AppError> {
    if authz::allowed(actor, p) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

impl App {
    /// Set up a new region with its first administrator (first run of `serve`, the demo, and
    /// tests). Refused when the region code already exists.
    pub async fn bootstrap_region(
        &self,
        region: luoshi_domain::region::Region,
        admin_username: &str,
        admin_display_name: &str,
        admin_password_hash: &str,
    ) -> Result<User, AppError> {
        use luoshi_domain::authz::{Grant, Role, parse_username};
        use luoshi_domain::ids::UserId;
        let user = User {
            id: UserId::from_uuid(uuid::Uuid::now_v7()),
            region: region.id,
            username: parse_username("username", admin_username)?,
            display_name: luoshi_domain::error::required_text(
                "display_name",
                admin_display_name,
                50,
            )?,
            language: "zh-Hans".into(),
            active: true,
            grants: vec![Grant::new(Role::Admin, None)?],
        };
        let ctx = AuditCtx {
            region: region.id,
            actor: None,
            at: self.now(),
        };
        let mut tx = self.db.begin().await?;
        luoshi_store::regions::insert(&mut tx, &ctx, &region).await?;
        luoshi_store::users::insert(&mut tx, &ctx, &user, admin_password_hash).await?;
        tx.commit().await?;
        Ok(user)
    }

    /// Whether any account exists yet.
    pub async fn has_users(&self) -> Result<bool, AppError> {
        Ok(luoshi_store::users::any_exist(&self.db).await?)
    }

    /// Find a unit by its code in the actor's region.
    pub async fn unit_by_code(
        &self,
        actor: &Actor,
        code: &str,
    ) -> Result<Option<luoshi_domain::org::Unit>, AppError> {
        require(actor, Permission::ReadRegion)?;
        Ok(
            luoshi_store::units::find_by_code(&self.db, actor.region, &code.to_ascii_lowercase())
                .await?,
        )
    }

    /// The regions in this database.
    pub async fn regions(&self) -> Result<Vec<luoshi_domain::region::Region>, AppError> {
        Ok(luoshi_store::regions::list(&self.db).await?)
    }
}

impl App {
    /// The actor for operator commands run on the server itself (`luoshi user add` …): full
    /// rights in one region, audited under the nil user id.
    pub fn system_actor(region: luoshi_domain::ids::RegionId) -> Actor {
        use luoshi_domain::authz::{Grant, Role};
        Actor {
            user: luoshi_domain::ids::UserId::from_uuid(uuid::Uuid::nil()),
            region,
            grants: vec![Grant {
                role: Role::Admin,
                unit: None,
            }],
        }
    }
}
