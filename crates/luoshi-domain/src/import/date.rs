//! Deadlines as people write them in task tables: ISO dates, slashes and dots, 年月日, month ends
//! (6月底), the year end (年底) and Excel's serial day numbers.

use crate::calendar::month_end;
use time::{Date, Duration, Month};

/// The largest serial day number Excel accepts (9999-12-31).
const EXCEL_MAX_SERIAL: i64 = 2_958_465;

/// Why a deadline was refused.
pub const DATE_HELP: &str = "not a date: write 2026-06-30, 2026/6/30, 2026年6月30日, 6月底 or 年底";

/// Parse a deadline cell. `year` is the plan's year, used when the cell names no year
/// (6月30日, 6月底, 年底). A bare number is an Excel serial day number.
pub fn parse_deadline(cell: &str, year: i32) -> Result<Date, String> {
    let s = fold(cell);
    let s = strip_suffix_any(&s, &["之前", "以前", "前"]);
    if s.is_empty() {
        return Err("a deadline is required".into());
    }
    if let Some(serial) = serial_number(s) {
        return excel_serial(serial);
    }
    match s {
        "年底" | "年末" | "年内" | "今年" | "全年" | "本年" | "本年度" | "年度内" | "当年" =>
        {
            return Ok(month_end(year, 12));
        }
        "上半年" | "年中" => return Ok(month_end(year, 6)),
        _ => {}
    }
    parse_numeric(s, year).ok_or_else(|| format!("{DATE_HELP} (got {:?})", cell.trim()))
}

/// Full-width digits and punctuation to ASCII; whitespace removed.
fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '—' | '–' => '-',
            '號' => '号',
            _ => c,
        })
        .collect()
}

fn strip_suffix_any<'a>(s: &'a str, suffixes: &[&str]) -> &'a str {
    for x in suffixes {
        if let Some(rest) = s.strip_suffix(x) {
            return rest;
        }
    }
    s
}

/// `45838` or `45838.5` (a date-time serial; the time of day is dropped).
fn serial_number(s: &str) -> Option<i64> {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let digits = |x: &str| x.chars().all(|c| c.is_ascii_digit());
    if int.is_empty() || int.len() > 7 || !digits(int) || !digits(frac) {
        return None;
    }
    // `2026.6` is a year and month, not a serial with a fraction.
    if !frac.is_empty() && int.len() == 4 && frac.len() <= 2 {
        return None;
    }
    int.parse().ok()
}

/// Excel's day numbers count from 1900-01-01 = 1 and include the non-existent 1900-02-29 (60).
fn excel_serial(n: i64) -> Result<Date, String> {
    if !(1..=EXCEL_MAX_SERIAL).contains(&n) || n == 60 {
        return Err(format!("{n} is not an Excel date serial number"));
    }
    let base = if n < 60 {
        Date::from_calendar_date(1899, Month::December, 31)
    } else {
        Date::from_calendar_date(1899, Month::December, 30)
    }
    .map_err(|e| e.to_string())?;
    base.checked_add(Duration::days(n))
        .ok_or_else(|| format!("{n} is not an Excel date serial number"))
}

/// Read a run of ASCII digits at the start of `s`.
fn number(s: &str) -> Option<(u32, usize, &str)> {
    let len = s.chars().take_while(char::is_ascii_digit).count();
    if len == 0 || len > 4 {
        return None;
    }
    Some((s[..len].parse().ok()?, len, &s[len..]))
}

fn is_month_end_word(s: &str) -> bool {
    matches!(s, "" | "底" | "末" | "份" | "份底" | "份末")
}

/// The numeric forms: Y-M-D, Y/M/D, Y.M.D, Y-M, M/D, Y年M月D日, Y年M月(底), Y年(底), M月D日, M月(底).
fn parse_numeric(s: &str, plan_year: i32) -> Option<Date> {
    let (first, len, rest) = number(s)?;
    let mut chars = rest.chars();
    let sep = chars.next()?;
    let rest = chars.as_str();
    match sep {
        '年' => {
            let year = i32::try_from(first).ok().filter(|_| len == 4)?;
            if matches!(rest, "" | "底" | "末") {
                return Some(month_end(year, 12));
            }
            month_day(rest, year)
        }
        '月' => month_rest(first, rest, plan_year),
        '-' | '/' | '.' => {
            let (second, _, rest2) = number(rest)?;
            if len == 4 {
                let year = i32::try_from(first).ok()?;
                if rest2.is_empty() {
                    return ym_end(year, second);
                }
                let rest2 = rest2.strip_prefix(sep)?;
                let (day, _, tail) = number(rest2)?;
                return tail.is_empty().then(|| ymd(year, second, day)).flatten();
            }
            // M/D in the plan's year.
            rest2
                .is_empty()
                .then(|| ymd(plan_year, first, second))
                .flatten()
        }
        _ => None,
    }
}

/// After the year: `M月D日`, `M月(底)`.
fn month_day(s: &str, year: i32) -> Option<Date> {
    let (month, _, rest) = number(s)?;
    let rest = rest.strip_prefix('月')?;
    month_rest(month, rest, year)
}

/// After `M月`: the end of the month, or a day.
fn month_rest(month: u32, rest: &str, year: i32) -> Option<Date> {
    if is_month_end_word(rest) {
        return ym_end(year, month);
    }
    let (day, _, tail) = number(rest)?;
    matches!(tail, "" | "日" | "号").then(|| ymd(year, month, day))?
}

fn ym_end(year: i32, month: u32) -> Option<Date> {
    let m = u8::try_from(month).ok().filter(|m| (1..=12).contains(m))?;
    Some(month_end(year, m))
}

fn ymd(year: i32, month: u32, day: u32) -> Option<Date> {
    let m = Month::try_from(u8::try_from(month).ok()?).ok()?;
    Date::from_calendar_date(year, m, u8::try_from(day).ok()?).ok()
}
