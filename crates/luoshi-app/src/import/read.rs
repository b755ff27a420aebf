//! Reading an uploaded task table: CSV (UTF-8 with or without a byte-order mark, or GB18030)
//! and XLSX (the first worksheet), into a [`Sheet`] of cell texts.

use luoshi_domain::ValidationError;
use luoshi_domain::import::Sheet;
use std::io::Cursor;

/// Read a sheet by its file name's extension (or, for XLSX, by its ZIP signature).
pub fn read_sheet(filename: &str, bytes: &[u8]) -> Result<Sheet, ValidationError> {
    let lower = filename.to_ascii_lowercase();
    if bytes.starts_with(b"PK\x03\x04") || lower.ends_with(".xlsx") || lower.ends_with(".xlsm") {
        read_xlsx(bytes)
    } else if lower.ends_with(".csv") || lower.ends_with(".txt") {
        Ok(read_csv(&decode(bytes)))
    } else {
        Err(ValidationError::new(
            "file",
            "unsupported_type",
            "upload an .xlsx or .csv file",
        ))
    }
}

/// UTF-8 (a byte-order mark is dropped), otherwise GB18030: the extractor's decoder.
pub use luoshi_extract::decode;

/// RFC 4180 CSV: quoted fields may hold separators, quotes (doubled) and line breaks. A header
/// line with tabs and no commas is read as tab-separated.
pub fn read_csv(text: &str) -> Sheet {
    let first = text.lines().next().unwrap_or("");
    let sep = if first.contains('\t') && !first.contains(',') {
        '\t'
    } else {
        ','
    };
    let mut rows = vec![];
    let mut row: Vec<String> = vec![];
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    cell.push('"');
                }
                '"' => quoted = false,
                _ => cell.push(c),
            }
            continue;
        }
        match c {
            '"' if cell.is_empty() => quoted = true,
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            c if c == sep => row.push(std::mem::take(&mut cell)),
            _ => cell.push(c),
        }
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(cell);
        rows.push(row);
    }
    Sheet { rows }
}

/// Write a sheet as CSV (the import page carries a previewed sheet to its confirmation so).
pub fn write_csv(sheet: &Sheet) -> String {
    let mut out = String::new();
    for row in &sheet.rows {
        let cells: Vec<String> = row
            .iter()
            .map(|c| {
                if c.contains([',', '"', '\n', '\r']) {
                    format!("\"{}\"", c.replace('"', "\"\""))
                } else {
                    c.clone()
                }
            })
            .collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

fn read_xlsx(bytes: &[u8]) -> Result<Sheet, ValidationError> {
    use calamine::{Data, Reader, Xlsx};
    let bad = |e: &dyn std::fmt::Display| {
        ValidationError::new(
            "file",
            "unreadable",
            format!("not a readable XLSX file: {e}"),
        )
    };
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| bad(&e))?;
    let range = match book.worksheet_range_at(0) {
        Some(r) => r.map_err(|e| bad(&e))?,
        None => return Ok(Sheet::default()),
    };
    let (top, left) = range.start().unwrap_or((0, 0));
    let mut rows: Vec<Vec<String>> = vec![vec![]; top as usize];
    for r in range.rows() {
        let mut cells = vec![String::new(); left as usize];
        cells.extend(r.iter().map(|c| match c {
            Data::Empty => String::new(),
            Data::String(s) => s.clone(),
            Data::Int(i) => i.to_string(),
            Data::Float(f) => f.to_string(),
            Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
            // A date cell: its serial day number, which the deadline parser reads.
            Data::DateTime(d) => (d.as_f64().trunc() as i64).to_string(),
            Data::DateTimeIso(s) | Data::DurationIso(s) => {
                s.split('T').next().unwrap_or("").to_owned()
            }
            Data::Error(e) => format!("#{e}"),
        }));
        rows.push(cells);
    }
    Ok(Sheet { rows })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn csv_quotes_line_breaks_and_tabs() {
        let s = read_csv("序号,任务\r\n1,\"修路,\"\"一期\"\"\n二段\"\n\n2,修桥");
        assert_eq!(
            s.rows,
            vec![
                vec!["序号".to_owned(), "任务".to_owned()],
                vec!["1".to_owned(), "修路,\"一期\"\n二段".to_owned()],
                vec![String::new()],
                vec!["2".to_owned(), "修桥".to_owned()],
            ]
        );
        assert_eq!(read_csv("a\tb\n1\t2\n").rows[1], vec!["1", "2"]);
        assert_eq!(read_csv(&write_csv(&s)), s);
    }

    #[test]
    fn decodes_utf8_with_bom_and_gb18030() {
        assert_eq!(decode(b"\xEF\xBB\xBF\xE5\xBA\x8F"), "序");
        // 序号 in GB18030.
        assert_eq!(decode(&[0xD0, 0xF2, 0xBA, 0xC5]), "序号");
    }

    #[test]
    fn refuses_other_files() {
        assert_eq!(
            read_sheet("a.doc", b"x").unwrap_err().code,
            "unsupported_type"
        );
        assert_eq!(
            read_sheet("a.xlsx", b"nope").unwrap_err().code,
            "unreadable"
        );
    }
}
