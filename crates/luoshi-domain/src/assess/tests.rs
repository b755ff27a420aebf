#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;

#[test]
fn demo_schemes_validate() {
    for s in [demo_township_scheme(2026), demo_department_scheme(2026)] {
        assert_eq!(s.validate(), Ok(()), "{}", s.id);
    }
}
