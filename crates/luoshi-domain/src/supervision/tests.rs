//! Tests of the supervision rules.
