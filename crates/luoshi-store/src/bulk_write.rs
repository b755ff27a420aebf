//! Bulk writes on SQLite: the rows of a multi-row insert sent as one JSON document.
//!
//! Binding thousands of parameters through sqlx costs more than SQLite's own work: each value is
//! copied into an argument buffer, bound (and copied again) one by one, and every distinct row
//! count is a new statement to parse. [`crate::Tx::insert_many`] instead sends the rows as one
//! JSON array of arrays and lets SQLite unpack it (`jsonb_each`: each row arrives as binary JSON, so reading its columns parses nothing again); the statement's text depends
//! only on the table and the columns' kinds, so it is parsed once and reused.
//!
//! Every value is written exactly as sqlx would bind it, so rows read back the same whichever
//! path wrote them (checked by the store's `bulk` tests): ids and bytes as blobs (sent as
//! hexadecimal text and decoded by `unhex`), dates as `YYYY-MM-DD`, timestamps as RFC 3339 text,
//! booleans as 0/1, JSON as its compact text, numbers as integers.

use crate::StoreError;
use crate::row::Arg;
use std::io::Write;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;

/// The statement inserting the rows of a JSON document (its one parameter): `head` is
/// `INSERT INTO t (a, b, …)`, the kinds of the values of `first` (a row) pick each column's
/// decoding, and `tail` follows (e.g. `ON CONFLICT DO NOTHING`).
pub(crate) fn statement(head: &str, first: &[Arg], tail: &str) -> String {
    let cols: Vec<String> = first
        .iter()
        .enumerate()
        .map(|(k, a)| match a {
            Arg::Uuid(_) | Arg::Bytes(_) => format!("unhex(value ->> {k})"),
            _ => format!("value ->> {k}"),
        })
        .collect();
    // `WHERE true` tells SQLite's parser that an `ON CONFLICT` in the tail is an upsert clause.
    format!(
        "{head} SELECT {} FROM jsonb_each(?) WHERE true {tail}",
        cols.join(", ")
    )
}

/// The JSON document of `rows` (each an array of its values, in column order).
pub(crate) fn document(rows: &[Vec<Arg>]) -> Result<String, StoreError> {
    let mut buf: Vec<u8> = Vec::with_capacity(rows.len() * 128);
    buf.push(b'[');
    for (i, row) in rows.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        buf.push(b'[');
        for (k, a) in row.iter().enumerate() {
            if k > 0 {
                buf.push(b',');
            }
            value(&mut buf, a)?;
        }
        buf.push(b']');
    }
    buf.push(b']');
    String::from_utf8(buf).map_err(|e| StoreError::Corrupt(format!("bulk insert document: {e}")))
}

fn value(buf: &mut Vec<u8>, a: &Arg) -> Result<(), StoreError> {
    let json = |e: serde_json::Error| StoreError::Corrupt(format!("bulk insert value: {e}"));
    let fmt = |e: time::error::Format| StoreError::Corrupt(format!("bulk insert time: {e}"));
    let io = |e: std::io::Error| StoreError::Corrupt(format!("bulk insert: {e}"));
    match a {
        Arg::Uuid(None) | Arg::Text(None) | Arg::Date(None) | Arg::Json(None) => {
            buf.extend_from_slice(b"null");
        }
        Arg::Uuid(Some(u)) => write!(buf, "\"{}\"", u.simple()).map_err(io)?,
        Arg::Text(Some(s)) => serde_json::to_writer(&mut *buf, s).map_err(json)?,
        Arg::I64(v) => write!(buf, "{v}").map_err(io)?,
        Arg::I32(v) => write!(buf, "{v}").map_err(io)?,
        Arg::Bool(b) => buf.push(if *b { b'1' } else { b'0' }),
        // sqlx's formats for SQLite: `[year]-[month]-[day]` and RFC 3339.
        Arg::Date(Some(d)) => {
            buf.push(b'"');
            d.format_into(&mut *buf, format_description!("[year]-[month]-[day]"))
                .map_err(fmt)?;
            buf.push(b'"');
        }
        Arg::Ts(t) => {
            buf.push(b'"');
            t.format_into(&mut *buf, &Rfc3339).map_err(fmt)?;
            buf.push(b'"');
        }
        Arg::Json(Some(v)) => serde_json::to_writer(&mut *buf, &v.to_string()).map_err(json)?,
        Arg::Bytes(b) => {
            buf.push(b'"');
            for byte in b {
                write!(buf, "{byte:02x}").map_err(io)?;
            }
            buf.push(b'"');
        }
    }
    Ok(())
}
