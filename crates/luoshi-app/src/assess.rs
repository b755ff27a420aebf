//! Performance assessment use cases: scheme files, facts read from the record as of a date,
//! scoring by the domain's engine, publishing and corrections.

mod scheme_file;

pub use scheme_file::{parse_scheme, print_scheme};
