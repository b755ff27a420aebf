//! The task lifecycle: draft → assigned → in progress ⇄ extension requested → reported done →
//! closed, with return for rework and cancellation. Every transition is checked here.

use crate::error::required_text;
use time::Date;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TaskStatus {
    Draft,
    /// 交办: waiting for the lead unit to acknowledge (签收).
    Assigned,
    InProgress,
    ExtensionRequested,
    /// 办结: reported done, waiting for review.
    ReportedDone,
    /// 销号
    Closed,
    Cancelled,
}

impl TaskStatus {
    pub const ALL: [TaskStatus; 7] = [
        Self::Draft,
        Self::Assigned,
        Self::InProgress,
        Self::ExtensionRequested,
        Self::ReportedDone,
        Self::Closed,
        Self::Cancelled,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Assigned => "assigned",
            Self::InProgress => "in_progress",
            Self::ExtensionRequested => "extension_requested",
            Self::ReportedDone => "reported_done",
            Self::Closed => "closed",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Work is owed: the task is in force and not yet reported done.
    pub fn is_open(&self) -> bool {
        matches!(
            self,
            Self::Assigned | Self::InProgress | Self::ExtensionRequested
        )
    }
}

/// A lifecycle action with its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskAction {
    Assign,
    Acknowledge,
    RequestExtension { new_deadline: Date, reason: String },
    ApproveExtension,
    RejectExtension { reason: String },
    ReportDone,
    Close,
    Return { reason: String },
    Cancel { reason: String },
}

impl TaskAction {
    pub fn name(&self) -> &'static str {
        match self {
            Self::Assign => "assign",
            Self::Acknowledge => "acknowledge",
            Self::RequestExtension { .. } => "request_extension",
            Self::ApproveExtension => "approve_extension",
            Self::RejectExtension { .. } => "reject_extension",
            Self::ReportDone => "report_done",
            Self::Close => "close",
            Self::Return { .. } => "return",
            Self::Cancel { .. } => "cancel",
        }
    }

    pub fn reason(&self) -> Option<&str> {
        match self {
            Self::RequestExtension { reason, .. }
            | Self::RejectExtension { reason }
            | Self::Return { reason }
            | Self::Cancel { reason } => Some(reason),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransitionError {
    /// The action is not allowed from the current status.
    NotAllowed {
        from: TaskStatus,
        action: &'static str,
    },
    /// The action's input is invalid.
    Invalid(crate::ValidationError),
}

impl std::fmt::Display for TransitionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotAllowed { from, action } => {
                write!(f, "cannot {action} a task that is {}", from.as_str())
            }
            Self::Invalid(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for TransitionError {}

/// The status after `action`, or why it is refused. `deadline` is the task's current deadline.
pub fn apply(
    from: TaskStatus,
    deadline: Date,
    action: &TaskAction,
) -> Result<TaskStatus, TransitionError> {
    use TaskAction as A;
    use TaskStatus as S;
    if let Some(reason) = action.reason() {
        required_text("reason", reason, 2000).map_err(TransitionError::Invalid)?;
    }
    let to = match (from, action) {
        (S::Draft, A::Assign) => S::Assigned,
        (S::Assigned, A::Acknowledge) => S::InProgress,
        (S::InProgress, A::RequestExtension { new_deadline, .. }) => {
            if *new_deadline <= deadline {
                return Err(TransitionError::Invalid(crate::ValidationError::new(
                    "new_deadline",
                    "out_of_range",
                    "an extension must move the deadline later",
                )));
            }
            S::ExtensionRequested
        }
        (S::ExtensionRequested, A::ApproveExtension | A::RejectExtension { .. }) => S::InProgress,
        (S::InProgress | S::ExtensionRequested, A::ReportDone) => S::ReportedDone,
        (S::ReportedDone, A::Close) => S::Closed,
        (S::ReportedDone, A::Return { .. }) => S::InProgress,
        (
            S::Draft | S::Assigned | S::InProgress | S::ExtensionRequested | S::ReportedDone,
            A::Cancel { .. },
        ) => S::Cancelled,
        _ => {
            return Err(TransitionError::NotAllowed {
                from,
                action: action.name(),
            });
        }
    };
    Ok(to)
}

impl TaskAction {
    /// Build an action from its name (as in `name()`), with the reason and, for an extension,
    /// the new deadline. Errors name the field.
    pub fn parse(
        name: &str,
        reason: String,
        new_deadline: Option<Date>,
    ) -> Result<TaskAction, crate::ValidationError> {
        use crate::ValidationError as E;
        Ok(match name {
            "assign" => Self::Assign,
            "acknowledge" => Self::Acknowledge,
            "request_extension" => Self::RequestExtension {
                new_deadline: new_deadline.ok_or_else(|| {
                    E::new(
                        "new_deadline",
                        "required",
                        "new_deadline is required for an extension",
                    )
                })?,
                reason,
            },
            "approve_extension" => Self::ApproveExtension,
            "reject_extension" => Self::RejectExtension { reason },
            "report_done" => Self::ReportDone,
            "close" => Self::Close,
            "return" => Self::Return { reason },
            "cancel" => Self::Cancel { reason },
            _ => return Err(E::new("action", "invalid_choice", "unknown action")),
        })
    }
}
