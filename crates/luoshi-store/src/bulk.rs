//! Bulk reads on SQLite: a whole result set folded into one JSON document.
//!
//! sqlx's SQLite driver steps each statement on a worker thread, copies every value of every row
//! into its own allocation and hands each row to the caller through a channel. On region-wide
//! reads (a region's tasks, its recent progress reports, its lamps) that handoff, not SQLite, was
//! most of the time: `perf` showed futex waits, thread wake-ups and allocator contention above
//! `sqlite3VdbeExec`. [`crate::Db::fetch_bulk`] instead asks SQLite to fold the rows into one JSON
//! array (`json_group_array`), so one value crosses the thread boundary, and maps each element
//! through the same [`Get`] readers the row-by-row path uses: a caller keeps one decoder for both
//! paths and both backends. PostgreSQL reads rows as usual.
//!
//! The folded value is held in memory whole, so this is for working sets of one region (a few
//! megabytes), not for unbounded scans. The order of the rows is not guaranteed: callers sort.

use crate::StoreError;
use crate::row::Get;
use serde::de::{DeserializeSeed, Deserializer, SeqAccess, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;
use std::borrow::Cow;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// The SQLite statement that folds the rows of `sql` into one JSON array of arrays: the columns
/// `ids` (16-byte ids, sent as hexadecimal text), then the columns `values` (text, numbers, null).
pub(crate) fn wrap(sql: &str, ids: &[&str], values: &[&str]) -> String {
    let cols: Vec<String> = ids
        .iter()
        .map(|n| format!("hex(q.\"{n}\")"))
        .chain(values.iter().map(|n| format!("q.\"{n}\"")))
        .collect();
    format!(
        "SELECT json_group_array(json_array({})) FROM ({sql}) AS q",
        cols.join(", ")
    )
}

/// Decode a folded document and map each row with `f`. Values are decoded where they are read,
/// straight from the document's text (no intermediate JSON tree), and each row is mapped as it
/// is parsed, in one reused buffer of value slices.
pub(crate) fn decode<T>(
    doc: &str,
    names: &[&str],
    f: impl Fn(&dyn Get) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    let mut failed = None;
    let rows = Rows {
        names,
        f: &f,
        failed: &mut failed,
    };
    let mut de = serde_json::Deserializer::from_str(doc);
    let out = de
        .deserialize_seq(rows)
        .and_then(|out| de.end().map(|()| out));
    match (out, failed) {
        (_, Some(e)) => Err(e),
        (Ok(out), None) => Ok(out),
        (Err(e), None) => Err(StoreError::Corrupt(format!("bulk read: {e}"))),
    }
}

/// The outer array: each element is a row, mapped by `f` as soon as it is read. A mapping
/// error is kept in `failed` (the parser's own error type cannot carry it) and stops the parse.
struct Rows<'a, F> {
    names: &'a [&'a str],
    f: &'a F,
    failed: &'a mut Option<StoreError>,
}

impl<'de, T, F: Fn(&dyn Get) -> Result<T, StoreError>> Visitor<'de> for Rows<'_, F> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an array of rows")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        let mut values: Vec<&'de RawValue> = Vec::with_capacity(self.names.len());
        while seq
            .next_element_seed(Row {
                values: &mut values,
            })?
            .is_some()
        {
            let mapped = if values.len() == self.names.len() {
                (self.f)(&JsonRow {
                    names: self.names,
                    values: &values,
                })
            } else {
                Err(StoreError::Corrupt(format!(
                    "bulk read: {} values for {} columns",
                    values.len(),
                    self.names.len()
                )))
            };
            match mapped {
                Ok(t) => out.push(t),
                Err(e) => {
                    *self.failed = Some(e);
                    return Err(serde::de::Error::custom("a row could not be mapped"));
                }
            }
        }
        Ok(out)
    }
}

/// One row (an array of values), read into `values` as slices of the document.
struct Row<'b, 'de> {
    values: &'b mut Vec<&'de RawValue>,
}

impl<'de> DeserializeSeed<'de> for Row<'_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Row<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a row of values")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.values.clear();
        while let Some(v) = seq.next_element::<&'de RawValue>()? {
            self.values.push(v);
        }
        Ok(())
    }
}

/// One folded row: the values, as JSON text, in the order of `names`.
struct JsonRow<'a> {
    names: &'a [&'a str],
    values: &'a [&'a RawValue],
}

fn bad(c: &str, what: &str, v: &str) -> StoreError {
    StoreError::Corrupt(format!("{c} is not {what}: {v}"))
}

fn unhex(c: &str, s: &str) -> Result<Vec<u8>, StoreError> {
    let b = s.as_bytes();
    if !b.len().is_multiple_of(2) {
        return Err(StoreError::Corrupt(format!("{c}: odd hexadecimal length")));
    }
    let digit = |x: u8| match x {
        b'0'..=b'9' => Ok(x - b'0'),
        b'a'..=b'f' => Ok(x - b'a' + 10),
        b'A'..=b'F' => Ok(x - b'A' + 10),
        _ => Err(StoreError::Corrupt(format!("{c}: not hexadecimal"))),
    };
    b.chunks(2)
        .map(|p| Ok((digit(p[0])? << 4) | digit(p[1])?))
        .collect()
}

impl JsonRow<'_> {
    /// The value's JSON text (`null`, `12`, `"text"`, `[…]`).
    fn get(&self, c: &str) -> Result<&str, StoreError> {
        self.names
            .iter()
            .position(|n| *n == c)
            .map(|i| self.values[i].get())
            .ok_or_else(|| StoreError::Corrupt(format!("no column {c} in a bulk read")))
    }

    fn i64_nullable(&self, c: &str) -> Result<Option<i64>, StoreError> {
        match self.get(c)? {
            "null" => Ok(None),
            "true" => Ok(Some(1)),
            "false" => Ok(Some(0)),
            v => v.parse().map(Some).map_err(|_| bad(c, "an integer", v)),
        }
    }

    /// A text value, borrowed when it holds no escapes.
    fn str_opt(&self, c: &str) -> Result<Option<Cow<'_, str>>, StoreError> {
        let v = self.get(c)?;
        if v == "null" {
            return Ok(None);
        }
        match v.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
            Some(inner) if !inner.contains('\\') => Ok(Some(Cow::Borrowed(inner))),
            Some(_) => serde_json::from_str::<String>(v)
                .map(|s| Some(Cow::Owned(s)))
                .map_err(|_| bad(c, "text", v)),
            None => Err(bad(c, "text", v)),
        }
    }
}

impl Get for JsonRow<'_> {
    fn uuid_opt(&self, c: &str) -> Result<Option<Uuid>, StoreError> {
        // `hex(NULL)` is the empty string.
        let Some(s) = self.str_opt(c)?.filter(|s| !s.is_empty()) else {
            return Ok(None);
        };
        // 32 hexadecimal digits: the id's "simple" form.
        Uuid::try_parse(&s)
            .ok()
            .filter(|_| s.len() == 32)
            .map(Some)
            .ok_or_else(|| StoreError::Corrupt(format!("{c} is not a 16-byte id: {s:?}")))
    }
    fn text_opt(&self, c: &str) -> Result<Option<String>, StoreError> {
        let v = self.get(c)?;
        if v.starts_with('"') {
            return Ok(self.str_opt(c)?.map(Cow::into_owned));
        }
        // Numbers as written; a JSON aggregate may arrive embedded rather than as text.
        Ok((v != "null").then(|| v.to_owned()))
    }
    fn i64(&self, c: &str) -> Result<i64, StoreError> {
        self.i64_nullable(c)?
            .ok_or_else(|| StoreError::Corrupt(format!("{c} is null")))
    }
    fn i32(&self, c: &str) -> Result<i32, StoreError> {
        self.i32_nullable(c)?
            .ok_or_else(|| StoreError::Corrupt(format!("{c} is null")))
    }
    fn i32_nullable(&self, c: &str) -> Result<Option<i32>, StoreError> {
        self.i64_nullable(c)?
            .map(|v| i32::try_from(v).map_err(|_| StoreError::Corrupt(format!("{c} overflows"))))
            .transpose()
    }
    fn date_opt(&self, c: &str) -> Result<Option<Date>, StoreError> {
        self.str_opt(c)?
            .map(|s| {
                crate::row::parse_ymd(&s)
                    .ok_or_else(|| StoreError::Corrupt(format!("{c} is not a date: {s:?}")))
            })
            .transpose()
    }
    fn ts(&self, c: &str) -> Result<OffsetDateTime, StoreError> {
        let s = self
            .str_opt(c)?
            .ok_or_else(|| StoreError::Corrupt(format!("{c} is null")))?;
        crate::row::parse_ts(&s)
            .ok_or_else(|| StoreError::Corrupt(format!("{c} is not a timestamp: {s:?}")))
    }
    fn bool(&self, c: &str) -> Result<bool, StoreError> {
        match self.i64_nullable(c)? {
            Some(0) => Ok(false),
            Some(1) => Ok(true),
            _ => Err(StoreError::Corrupt(format!("{c} is not a boolean"))),
        }
    }
    fn json(&self, c: &str) -> Result<Option<Value>, StoreError> {
        let v = self.get(c)?;
        let text = match self.str_opt(c) {
            Ok(Some(s)) => s,
            Ok(None) => return Ok(None),
            // Embedded rather than as text.
            Err(_) => Cow::Borrowed(v),
        };
        serde_json::from_str(&text)
            .map(Some)
            .map_err(|_| StoreError::Corrupt(format!("{c} is not JSON")))
    }
    fn bytes(&self, c: &str) -> Result<Vec<u8>, StoreError> {
        let s = self
            .str_opt(c)?
            .ok_or_else(|| StoreError::Corrupt(format!("{c} is null")))?;
        unhex(c, &s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trip_and_errors() {
        assert_eq!(unhex("c", "00ff10Ab").unwrap(), vec![0, 255, 16, 171]);
        assert!(unhex("c", "abc").is_err());
        assert!(unhex("c", "zz").is_err());
    }

    #[test]
    fn rows_of_the_wrong_width_are_corrupt() {
        let err = decode(r#"[["a"]]"#, &["x", "y"], |r| r.text("x")).unwrap_err();
        assert!(err.to_string().contains("1 values for 2 columns"), "{err}");
    }

    #[test]
    fn rows_are_mapped_in_order_and_a_mapping_error_is_returned_as_is() {
        let doc = r#"[["a", 1], ["b\"c", null], ["", -2]]"#;
        let names = ["x", "y"];
        let rows = decode(doc, &names, |r| Ok((r.text("x")?, r.i32_nullable("y")?))).unwrap();
        assert_eq!(
            rows,
            vec![
                ("a".to_owned(), Some(1)),
                ("b\"c".to_owned(), None),
                (String::new(), Some(-2))
            ]
        );
        assert!(decode("[]", &names, |r| r.text("x")).unwrap().is_empty());
        let err = decode(doc, &names, |r| r.i32("y")).unwrap_err();
        assert_eq!(
            err.to_string(),
            StoreError::Corrupt("y is null".into()).to_string()
        );
        for bad in [r#"[["a", 1]"#, r#"[["a", 1]] x"#, r#"{"x": 1}"#, r#"[1]"#] {
            let err = decode(bad, &names, |r| r.text("x")).unwrap_err();
            assert!(err.to_string().contains("bulk read"), "{bad}: {err}");
        }
    }
}
