//! The pure core of luoshi: every rule and formula of target responsibility, progress,
//! lamps and authorization, with no I/O, no SQL, no HTTP and no clock.
//!
//! "Today" is always a parameter, so every derived value is reproducible:
//!
//! ```ignore
//! use luoshi_domain::{indicator::growth_pct, measure::dec};
//! // The founding speech: GDP 43.95 亿元 last year, 49.4 亿元 this year, +12.4%.
//! assert_eq!(growth_pct(dec("43.95"), dec("49.4")).map(|g| g.round_dp(1)), Some(dec("12.4")));
//! ```
//!
//! Module map: [`ids`] opaque identifiers; [`region`] GB/T 2260 codes; [`org`] units and people;
//! [`plan`] plans and their section tree; [`measure`] decimals and units of measure;
//! [`calendar`] periods and day arithmetic; [`indicator`] indicators, values and their evaluation;
//! [`lamp`] the lamp policy; [`task`] tasks, their lifecycle and lamps; [`authz`] who may do what;
//! [`supervision`] reminders, cards, escalation, supervision notices and bulletins;
//! [`assess`] performance assessment: scheme books, the scoring engine, grades and awards;
//! [`project`] key projects, their investment lamps and the fixed-asset-investment roll-up;
//! [`petition`] petition cases, their statutory clocks, repeat detection and metrics.

pub mod assess;
pub mod attachment;
pub mod authz;
pub mod calendar;
pub mod error;
pub mod ids;
pub mod import;
pub mod indicator;
pub mod lamp;
pub mod measure;
pub mod org;
pub mod petition;
pub mod plan;
pub mod project;
pub mod region;
pub mod supervision;
pub mod task;

pub use error::ValidationError;
