//! Who may do what. One function, [`allowed`], decides every permission; the app layer calls it
//! for every use case, so neither the JSON API nor the CLI can bypass it.

use crate::ids::{RegionId, UnitId, UserId};

/// A role. Admin, leader and supervisor act region-wide; unit manager and reporter act for one
/// unit; a viewer is region-wide or scoped to a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Admin,
    /// District leaders: read everything.
    Leader,
    /// The supervision office (督查室): sets up plans, assigns and reviews tasks.
    Supervisor,
    /// A unit's head or office manager.
    UnitManager,
    /// A unit's liaison who reports progress and figures.
    Reporter,
    Viewer,
    /// The petition office (信访局): registers and routes petition cases, decides reviews, and
    /// reads petitioners' personal data. Region-wide.
    PetitionOfficer,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Self::Admin,
        Self::Leader,
        Self::Supervisor,
        Self::UnitManager,
        Self::Reporter,
        Self::Viewer,
        Self::PetitionOfficer,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Leader => "leader",
            Self::Supervisor => "supervisor",
            Self::UnitManager => "unit_manager",
            Self::Reporter => "reporter",
            Self::Viewer => "viewer",
            Self::PetitionOfficer => "petition_officer",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Whether the role must be scoped to a unit.
    pub fn needs_unit(&self) -> bool {
        matches!(self, Self::UnitManager | Self::Reporter)
    }

    /// Whether the role may carry a unit scope at all.
    pub fn allows_unit(&self) -> bool {
        matches!(self, Self::UnitManager | Self::Reporter | Self::Viewer)
    }
}

/// A role held by a user, optionally scoped to a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Grant {
    pub role: Role,
    pub unit: Option<UnitId>,
}

impl Grant {
    /// Build a grant, checking that the unit scope fits the role.
    pub fn new(role: Role, unit: Option<UnitId>) -> Result<Self, crate::ValidationError> {
        if role.needs_unit() && unit.is_none() {
            return Err(crate::ValidationError::new(
                "unit_id",
                "required",
                format!("the {} role needs a unit", role.as_str()),
            ));
        }
        if !role.allows_unit() && unit.is_some() {
            return Err(crate::ValidationError::new(
                "unit_id",
                "not_allowed",
                format!("the {} role is region-wide", role.as_str()),
            ));
        }
        Ok(Self { role, unit })
    }

    fn region_wide(&self) -> bool {
        self.unit.is_none()
    }
}

/// The authenticated user on whose behalf a use case runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user: UserId,
    pub region: RegionId,
    pub grants: Vec<Grant>,
}

/// Something an actor wants to do. Unit-bound actions carry the units involved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission<'a> {
    ManageUsers,
    ReadAudit,
    ManageUnits,
    /// Create or edit people of a unit (or district leaders when `None`).
    ManagePeople {
        unit: Option<UnitId>,
    },
    /// Create and edit plans, sections, indicators and tasks; assign and cancel tasks.
    ManagePlans,
    /// Read plans, sections, indicators, units, people's names and posts, and summaries.
    ReadRegion,
    /// Read a task in full, including its progress reports.
    ReadTask {
        lead: UnitId,
        co_units: &'a [UnitId],
    },
    /// Acknowledge, request an extension, report done.
    ActOnTask {
        lead: UnitId,
    },
    ReportProgress {
        lead: UnitId,
    },
    /// Close or return, approve or reject extensions.
    ReviewTask,
    /// Enter an indicator figure for the region (`None`) or for a unit's share.
    EnterIndicatorValue {
        unit: Option<UnitId>,
    },
    /// Record a key project's monthly investment; `unit` is the project's responsible unit.
    RecordInvestment {
        unit: UnitId,
    },
    /// Read restricted personal data (a person's phone) of a unit.
    ReadContact {
        unit: Option<UnitId>,
    },
    /// Store assessment schemes, enter manual scores, bonuses and vetoes, publish and correct
    /// results.
    ManageAssessment,
    /// Enter scores for the manual (evaluation) items of the assessment: district leaders as
    /// well as the office.
    EvaluateAssessment,
    /// Read assessment results: every unit's sheet (`None`) or one unit's own (`Some`).
    ReadAssessment {
        unit: Option<UnitId>,
    },
    /// Register petition cases, route them, decide reviews and re-reviews, close them, assign
    /// case leaders and decide on proposed repeats.
    ManagePetitions,
    /// Read petition cases without their personal data.
    ReadPetitions,
    /// Act on a case as its handling organ (accept, decline, object, extend, reply, rate) or as
    /// its case leader. `unit` is the handling unit; `case_leader` says the actor is the user of
    /// the case's leader.
    HandlePetition {
        unit: Option<UnitId>,
        case_leader: bool,
    },
    /// Read a case's petitioners' personal data: only the petition office, the handling unit's
    /// handlers and the case leader, never by virtue of being an administrator or supervisor.
    ReadPetitionPersonal {
        unit: Option<UnitId>,
        case_leader: bool,
    },
}

/// Whether `actor` holds `permission`.
pub fn allowed(actor: &Actor, permission: Permission<'_>) -> bool {
    use Permission as P;
    use Role as R;
    if let P::HandlePetition {
        case_leader: true, ..
    }
    | P::ReadPetitionPersonal {
        case_leader: true, ..
    } = permission
    {
        return true;
    }
    actor.grants.iter().any(|g| {
        let own = |u: UnitId| g.unit == Some(u);
        match (g.role, permission) {
            (R::PetitionOfficer, P::ReadPetitionPersonal { .. }) => true,
            (R::UnitManager | R::Reporter, P::ReadPetitionPersonal { unit, .. }) => {
                unit.is_some_and(own)
            }
            (_, P::ReadPetitionPersonal { .. }) => false,
            (
                R::PetitionOfficer,
                P::ReadRegion | P::ManagePetitions | P::ReadPetitions | P::HandlePetition { .. },
            ) => true,
            (R::UnitManager | R::Reporter, P::HandlePetition { unit, .. }) => unit.is_some_and(own),
            (R::Supervisor, P::ManagePetitions | P::HandlePetition { .. }) => false,
            (_, P::ReadPetitions) => true,
            (R::Admin, _) => true,
            (R::Supervisor, P::ManageUsers) => false,
            (R::Supervisor, _) => true,
            (
                R::Leader,
                P::ReadRegion
                | P::ReadTask { .. }
                | P::ReadAudit
                | P::ReadContact { .. }
                | P::ReadAssessment { .. }
                | P::EvaluateAssessment,
            ) => true,
            (R::Viewer, P::ReadRegion) => true,
            (R::Viewer, P::ReadAssessment { unit }) => g.region_wide() || unit.is_some_and(own),
            (R::UnitManager | R::Reporter, P::ReadAssessment { unit: Some(u) }) => own(u),
            (R::Viewer, P::ReadTask { lead, co_units }) => {
                g.region_wide() || own(lead) || co_units.iter().any(|u| own(*u))
            }
            (R::UnitManager | R::Reporter, P::ReadRegion) => true,
            (R::UnitManager | R::Reporter, P::ReadTask { lead, co_units }) => {
                own(lead) || co_units.iter().any(|u| own(*u))
            }
            (R::UnitManager | R::Reporter, P::ReportProgress { lead }) => own(lead),
            (R::UnitManager | R::Reporter, P::EnterIndicatorValue { unit: Some(u) }) => own(u),
            (R::UnitManager | R::Reporter, P::ReadContact { unit: Some(u) }) => own(u),
            (R::UnitManager | R::Reporter, P::RecordInvestment { unit }) => own(unit),
            (R::UnitManager, P::ActOnTask { lead }) => own(lead),
            (R::UnitManager, P::ManagePeople { unit: Some(u) }) => own(u),
            _ => false,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn assessment_permissions() {
        let (a, b) = (u(10), u(20));
        // (role, unit of the grant, manage, read all, read a's sheet, read b's sheet)
        // (role, unit, manage, evaluate, read all, read own, read another's)
        let cases = [
            (Role::Admin, None, true, true, true, true, true),
            (Role::Supervisor, None, true, true, true, true, true),
            (Role::Leader, None, false, true, true, true, true),
            (Role::Viewer, None, false, false, true, true, true),
            (Role::Viewer, Some(10), false, false, false, true, false),
            (
                Role::UnitManager,
                Some(10),
                false,
                false,
                false,
                true,
                false,
            ),
            (Role::Reporter, Some(10), false, false, false, true, false),
        ];
        for (role, unit, manage, evaluate, all, own_a, other_b) in cases {
            let x = actor(role, unit);
            let got = (
                allowed(&x, Permission::ManageAssessment),
                allowed(&x, Permission::EvaluateAssessment),
                allowed(&x, Permission::ReadAssessment { unit: None }),
                allowed(&x, Permission::ReadAssessment { unit: Some(a) }),
                allowed(&x, Permission::ReadAssessment { unit: Some(b) }),
            );
            assert_eq!(
                got,
                (manage, evaluate, all, own_a, other_b),
                "{role:?} {unit:?}"
            );
        }
    }

    #[test]
    fn petition_permissions() {
        let (a, b) = (u(10), u(20));
        let personal = |unit, case_leader| Permission::ReadPetitionPersonal { unit, case_leader };
        let handle = |unit, case_leader| Permission::HandlePetition { unit, case_leader };
        // (role, grant unit, manage, read redacted, handle a's case, personal of a's case,
        //  personal of b's case, personal of an unrouted case)
        let cases = [
            (
                Role::PetitionOfficer,
                None,
                true,
                true,
                true,
                true,
                true,
                true,
            ),
            (Role::Admin, None, true, true, true, false, false, false),
            (
                Role::Supervisor,
                None,
                false,
                true,
                false,
                false,
                false,
                false,
            ),
            (Role::Leader, None, false, true, false, false, false, false),
            (Role::Viewer, None, false, true, false, false, false, false),
            (
                Role::Viewer,
                Some(10),
                false,
                true,
                false,
                false,
                false,
                false,
            ),
            (
                Role::UnitManager,
                Some(10),
                false,
                true,
                true,
                true,
                false,
                false,
            ),
            (
                Role::Reporter,
                Some(10),
                false,
                true,
                true,
                true,
                false,
                false,
            ),
            (
                Role::Reporter,
                Some(20),
                false,
                true,
                false,
                false,
                true,
                false,
            ),
        ];
        for (role, unit, manage, read, handle_a, pers_a, pers_b, pers_none) in cases {
            let x = actor(role, unit);
            let got = (
                allowed(&x, Permission::ManagePetitions),
                allowed(&x, Permission::ReadPetitions),
                allowed(&x, handle(Some(a), false)),
                allowed(&x, personal(Some(a), false)),
                allowed(&x, personal(Some(b), false)),
                allowed(&x, personal(None, false)),
            );
            let want = (manage, read, handle_a, pers_a, pers_b, pers_none);
            assert_eq!(got, want, "{role:?} {unit:?}");
            // The case leader's own user may always act on and read the case.
            assert!(allowed(&x, personal(Some(b), true)), "{role:?} as leader");
            assert!(allowed(&x, handle(Some(b), true)), "{role:?} as leader");
        }
    }

    fn actor(role: Role, unit: Option<u128>) -> Actor {
        Actor {
            user: UserId::from_uuid(Uuid::from_u128(1)),
            region: RegionId::from_uuid(Uuid::from_u128(2)),
            grants: vec![
                Grant::new(role, unit.map(|u| UnitId::from_uuid(Uuid::from_u128(u)))).unwrap(),
            ],
        }
    }
    fn u(n: u128) -> UnitId {
        UnitId::from_uuid(Uuid::from_u128(n))
    }

    #[test]
    fn permission_matrix() {
        let a = u(10);
        let b = u(20);
        let co = [b];
        let co_a = [a];
        let perms: Vec<(&str, Permission)> = vec![
            ("users", Permission::ManageUsers),
            ("audit", Permission::ReadAudit),
            ("units", Permission::ManageUnits),
            ("people_a", Permission::ManagePeople { unit: Some(a) }),
            ("plans", Permission::ManagePlans),
            ("read_region", Permission::ReadRegion),
            (
                "read_task_a",
                Permission::ReadTask {
                    lead: a,
                    co_units: &[],
                },
            ),
            (
                "read_task_b",
                Permission::ReadTask {
                    lead: b,
                    co_units: &[],
                },
            ),
            (
                "read_task_b_co_a",
                Permission::ReadTask {
                    lead: b,
                    co_units: &co_a,
                },
            ),
            (
                "read_task_a_co_b",
                Permission::ReadTask {
                    lead: a,
                    co_units: &co,
                },
            ),
            ("act_a", Permission::ActOnTask { lead: a }),
            ("act_b", Permission::ActOnTask { lead: b }),
            ("progress_a", Permission::ReportProgress { lead: a }),
            ("progress_b", Permission::ReportProgress { lead: b }),
            ("review", Permission::ReviewTask),
            (
                "value_region",
                Permission::EnterIndicatorValue { unit: None },
            ),
            ("value_a", Permission::EnterIndicatorValue { unit: Some(a) }),
            ("value_b", Permission::EnterIndicatorValue { unit: Some(b) }),
            ("contact_a", Permission::ReadContact { unit: Some(a) }),
            ("contact_b", Permission::ReadContact { unit: Some(b) }),
            ("invest_a", Permission::RecordInvestment { unit: a }),
            ("invest_b", Permission::RecordInvestment { unit: b }),
        ];
        let actors = [
            ("admin", actor(Role::Admin, None)),
            ("supervisor", actor(Role::Supervisor, None)),
            ("leader", actor(Role::Leader, None)),
            ("viewer", actor(Role::Viewer, None)),
            ("viewer_a", actor(Role::Viewer, Some(10))),
            ("manager_a", actor(Role::UnitManager, Some(10))),
            ("reporter_a", actor(Role::Reporter, Some(10))),
        ];
        let mut table = String::new();
        for (name, act) in &actors {
            let yes: Vec<&str> = perms
                .iter()
                .filter(|(_, p)| allowed(act, *p))
                .map(|(n, _)| *n)
                .collect();
            table.push_str(&format!("{name}: {}\n", yes.join(" ")));
        }
        let expected = "\
admin: users audit units people_a plans read_region read_task_a read_task_b read_task_b_co_a read_task_a_co_b act_a act_b progress_a progress_b review value_region value_a value_b contact_a contact_b invest_a invest_b
supervisor: audit units people_a plans read_region read_task_a read_task_b read_task_b_co_a read_task_a_co_b act_a act_b progress_a progress_b review value_region value_a value_b contact_a contact_b invest_a invest_b
leader: audit read_region read_task_a read_task_b read_task_b_co_a read_task_a_co_b contact_a contact_b
viewer: read_region read_task_a read_task_b read_task_b_co_a read_task_a_co_b
viewer_a: read_region read_task_a read_task_b_co_a read_task_a_co_b
manager_a: people_a read_region read_task_a read_task_b_co_a read_task_a_co_b act_a progress_a value_a contact_a invest_a
reporter_a: read_region read_task_a read_task_b_co_a read_task_a_co_b progress_a value_a contact_a invest_a
";
        assert_eq!(table, expected);
    }

    #[test]
    fn grants_check_scope() {
        assert_eq!(
            Grant::new(Role::Reporter, None).unwrap_err().field,
            "unit_id"
        );
        assert_eq!(
            Grant::new(Role::Admin, Some(u(1))).unwrap_err().field,
            "unit_id"
        );
        assert!(Grant::new(Role::Viewer, Some(u(1))).is_ok());
        assert!(Grant::new(Role::Viewer, None).is_ok());
    }
}

/// A login account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub region: RegionId,
    pub username: String,
    pub display_name: String,
    /// UI language, `zh-Hans` or `en`.
    pub language: String,
    pub active: bool,
    pub grants: Vec<Grant>,
}

impl User {
    pub fn actor(&self) -> Actor {
        Actor {
            user: self.id,
            region: self.region,
            grants: self.grants.clone(),
        }
    }
}

/// Check a username: 2–40 lowercase letters, digits, `.`, `_` or `-`.
pub fn parse_username(field: &str, s: &str) -> Result<String, crate::ValidationError> {
    let s = s.trim().to_ascii_lowercase();
    let ok = (2..=40).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(s)
    } else {
        Err(crate::ValidationError::new(
            field,
            "invalid_username",
            "a username has 2–40 letters, digits, '.', '_' or '-'",
        ))
    }
}

/// Check a UI language tag.
pub fn parse_language(field: &str, s: &str) -> Result<String, crate::ValidationError> {
    match s.trim() {
        "zh-Hans" | "zh" | "zh-CN" => Ok("zh-Hans".into()),
        "en" | "en-US" | "en-GB" => Ok("en".into()),
        _ => Err(crate::ValidationError::new(
            field,
            "invalid_choice",
            "language must be zh-Hans or en",
        )),
    }
}

/// Which tasks an actor may read: all of the region's, or those of some units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskScope {
    All,
    Units(Vec<UnitId>),
}

/// The read scope for task listings, consistent with [`allowed`] for `ReadTask`.
pub fn task_scope(actor: &Actor) -> TaskScope {
    let region_wide = actor.grants.iter().any(|g| match g.role {
        Role::Admin | Role::Supervisor | Role::Leader => true,
        Role::Viewer => g.unit.is_none(),
        Role::UnitManager | Role::Reporter | Role::PetitionOfficer => false,
    });
    if region_wide {
        return TaskScope::All;
    }
    let mut units: Vec<UnitId> = actor.grants.iter().filter_map(|g| g.unit).collect();
    units.sort();
    units.dedup();
    TaskScope::Units(units)
}

/// The permission a lifecycle action needs on a task led by `lead`: the office assigns, cancels
/// and reviews; the lead unit's manager acknowledges, asks for more time and reports done.
pub fn action_permission(action: &crate::task::TaskAction, lead: UnitId) -> Permission<'static> {
    use crate::task::TaskAction as A;
    match action {
        A::Assign | A::Cancel { .. } => Permission::ManagePlans,
        A::Acknowledge | A::RequestExtension { .. } | A::ReportDone => {
            Permission::ActOnTask { lead }
        }
        A::ApproveExtension | A::RejectExtension { .. } | A::Close | A::Return { .. } => {
            Permission::ReviewTask
        }
    }
}
