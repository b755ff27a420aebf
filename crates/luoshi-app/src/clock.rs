//! Time is an input: production reads the system clock, the demo runs at a pinned date, tests fix it.

use time::{Duration, OffsetDateTime};

pub trait Clock: Send + Sync {
    fn now(&self) -> OffsetDateTime;
}

#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }
}

/// Always the same instant.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub OffsetDateTime);

impl Clock for FixedClock {
    fn now(&self) -> OffsetDateTime {
        self.0
    }
}

/// The system clock moved so that it started at a chosen instant: time passes, but the demo's
/// "today" stays where it was pinned.
#[derive(Debug, Clone, Copy)]
pub struct ShiftedClock {
    offset: Duration,
}

impl ShiftedClock {
    pub fn starting_at(start: OffsetDateTime) -> Self {
        Self {
            offset: start - OffsetDateTime::now_utc(),
        }
    }
}

impl Clock for ShiftedClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc() + self.offset
    }
}

/// A clock that is moved by hand: the demo replays a year of work through the use cases, each
/// write stamped with its simulated time.
#[derive(Debug)]
pub struct ManualClock {
    nanos: std::sync::atomic::AtomicI64,
}

impl ManualClock {
    pub fn new(at: OffsetDateTime) -> Self {
        Self {
            nanos: std::sync::atomic::AtomicI64::new(to_nanos(at)),
        }
    }

    pub fn set(&self, at: OffsetDateTime) {
        self.nanos
            .store(to_nanos(at), std::sync::atomic::Ordering::SeqCst);
    }
}

fn to_nanos(at: OffsetDateTime) -> i64 {
    i64::try_from(at.unix_timestamp_nanos()).unwrap_or(i64::MAX)
}

impl Clock for ManualClock {
    fn now(&self) -> OffsetDateTime {
        let n = self.nanos.load(std::sync::atomic::Ordering::SeqCst);
        OffsetDateTime::from_unix_timestamp_nanos(i128::from(n))
            .unwrap_or(OffsetDateTime::UNIX_EPOCH)
    }
}
