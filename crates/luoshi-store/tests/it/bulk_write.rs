//! Multi-row inserts (`Tx::insert_many`) store every value exactly as a statement binding it
//! would: on SQLite the rows travel as one JSON document, so each kind of value (ids, text with
//! escapes, integers at their limits, dates, timestamps with an offset and nanoseconds, booleans,
//! JSON, bytes, nulls) is compared with the same row bound parameter by parameter.

use luoshi_store::{Arg, Backend};
use luoshi_testkit::db_test;
use serde_json::json;
use time::macros::{date, datetime};
use uuid::Uuid;

const COLS: &str = "k, u, un, s, sn, i, j, d, dn, ts, b, js, jn, bs";

fn row(k: i64, variant: bool) -> Vec<Arg> {
    let text = if variant {
        String::new()
    } else {
        "引号 \" 反斜杠 \\ 换行\n制表\t控制\u{1} emoji 🚧 臺灣".to_owned()
    };
    vec![
        Arg::I64(k),
        Arg::Uuid(Some(Uuid::from_u128(
            0x0192_3c4d_5e6f_7a8b_9cad_beef_0011_2233,
        ))),
        Arg::Uuid(None),
        Arg::Text(Some(text)),
        Arg::Text(None),
        Arg::I64(if variant { i64::MIN } else { i64::MAX }),
        Arg::I32(if variant { -7 } else { i32::MAX }),
        Arg::Date(Some(if variant {
            date!(0999 - 01 - 05)
        } else {
            date!(2026 - 10 - 20)
        })),
        Arg::Date(None),
        Arg::Ts(if variant {
            datetime!(2026-10-20 07:59:59.123456789 +08:00)
        } else {
            datetime!(2026-01-01 00:00 UTC)
        }),
        Arg::Bool(variant),
        Arg::Json(Some(
            json!({ "text": "逾期 \"3\" 天\n", "params": { "days": 3, "pct": "12.5", "list": [1, null] } }),
        )),
        Arg::Json(None),
        Arg::Bytes(if variant {
            vec![]
        } else {
            vec![0, 1, 0x7f, 0x80, 0xff]
        }),
    ]
}

db_test!(multi_row_inserts_store_values_as_bound_ones, |t| {
    let sqlite = t.db.backend() == Backend::Sqlite;
    let ddl = if sqlite {
        "CREATE TABLE bulk_kinds (k INTEGER PRIMARY KEY, u BLOB, un BLOB, s TEXT, sn TEXT, i INTEGER, \
         j INTEGER, d TEXT, dn TEXT, ts TEXT, b INTEGER, js TEXT, jn TEXT, bs BLOB)"
    } else {
        "CREATE TABLE bulk_kinds (k BIGINT PRIMARY KEY, u UUID, un UUID, s TEXT, sn TEXT, i BIGINT, \
         j INTEGER, d DATE, dn DATE, ts TIMESTAMPTZ, b BOOLEAN, js JSONB, jn JSONB, bs BYTEA)"
    };
    let mut tx = t.db.begin().await.unwrap();
    tx.execute(ddl, vec![]).await.unwrap();
    // Rows 1 and 2 in one multi-row insert; rows 101 and 102 bound one by one.
    let n = tx
        .insert_many(
            &format!("INSERT INTO bulk_kinds ({COLS})"),
            vec![row(1, false), row(2, true)],
            "ON CONFLICT DO NOTHING",
        )
        .await
        .unwrap();
    assert_eq!(n, 2);
    let marks: Vec<String> = (1..=14).map(|i| format!("${i}")).collect();
    for (k, variant) in [(101, false), (102, true)] {
        let sql = format!(
            "INSERT INTO bulk_kinds ({COLS}) VALUES ({})",
            marks.join(", ")
        );
        tx.execute(&sql, row(k, variant)).await.unwrap();
    }
    // A conflicting row is skipped, and an empty list writes nothing.
    let again = tx
        .insert_many(
            &format!("INSERT INTO bulk_kinds ({COLS})"),
            vec![row(2, false), row(3, false)],
            "ON CONFLICT DO NOTHING",
        )
        .await
        .unwrap();
    assert_eq!(again, 1);
    let none = tx
        .insert_many("INSERT INTO bulk_kinds (k)", vec![], "")
        .await
        .unwrap();
    assert_eq!(none, 0);
    tx.commit().await.unwrap();

    // Each stored value exactly: its SQL literal and storage class on SQLite, its text on
    // PostgreSQL.
    let show: Vec<String> = COLS
        .split(", ")
        .skip(1)
        .map(|c| {
            if sqlite {
                format!("quote({c}) || ' ' || typeof({c})")
            } else {
                format!("COALESCE({c}::text, 'NULL')")
            }
        })
        .collect();
    let sql = format!(
        "SELECT k, {} AS v FROM bulk_kinds ORDER BY k",
        show.join(" || ' | ' || ")
    );
    let rows =
        t.db.fetch(&sql, vec![], |r| Ok((r.i64("k")?, r.text("v")?)))
            .await
            .unwrap();
    let value = |k: i64| rows.iter().find(|(x, _)| *x == k).unwrap().1.clone();
    assert_eq!(rows.len(), 5);
    assert_eq!(value(1), value(101));
    assert_eq!(value(2), value(102));
    assert_eq!(value(3), value(101));
    assert_ne!(value(1), value(2));
    if sqlite {
        let v = value(1);
        assert!(
            v.starts_with("X'01923C4D5E6F7A8B9CADBEEF00112233' blob | NULL null"),
            "{v}"
        );
        assert!(v.contains("'2026-10-20' text"), "{v}");
        assert!(v.contains("9223372036854775807 integer"), "{v}");
        assert!(v.ends_with("X'00017F80FF' blob"), "{v}");
        let v = value(2);
        assert!(
            v.contains("'2026-10-20T07:59:59.123456789+08:00' text"),
            "{v}"
        );
        assert!(v.contains("'0999-01-05' text"), "{v}");
    }
});
