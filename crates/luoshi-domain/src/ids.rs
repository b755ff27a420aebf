//! Opaque identifiers. Ids are UUIDs chosen by the caller (the app layer generates them),
//! never sequential numbers, so they reveal no counts and cannot be guessed across units.

use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

macro_rules! id_type {
    ($($name:ident),* $(,)?) => {$(
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(Uuid);

        impl $name {
            pub const fn from_uuid(u: Uuid) -> Self { Self(u) }
            pub const fn as_uuid(&self) -> Uuid { self.0 }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { self.0.fmt(f) }
        }

        impl From<Uuid> for $name {
            fn from(u: Uuid) -> Self { Self(u) }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> { Uuid::parse_str(s).map(Self) }
        }
    )*};
}

id_type!(
    RegionId,
    UnitId,
    PersonId,
    UserId,
    PlanId,
    SectionId,
    IndicatorId,
    TaskId,
    ReportId,
    ValueId,
    NoticeId
);

// Key projects and petition cases (issue #7).
id_type!(ProjectId, PetitionId);
id_type!(ProjectIssueId);
