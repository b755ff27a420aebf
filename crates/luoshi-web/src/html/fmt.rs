//! Figures formatted for people: units kept explicit (亿元, 万元, %), gaps in percentage points,
//! lamps as colour, symbol and words (colour-blind readers, black-and-white printing).

use super::i18n::Tr;
use luoshi_domain::lamp::Lamp;
use luoshi_domain::measure::Decimal;

/// A decimal with at most `dp` places and no trailing zeros.
pub fn num(d: Decimal, dp: u32) -> String {
    d.round_dp(dp).normalize().to_string()
}

pub fn opt_num(d: Option<Decimal>, dp: u32, tr: Tr) -> String {
    d.map_or_else(|| tr.t("dash.unknown").to_owned(), |d| num(d, dp))
}

pub fn pct(d: Option<Decimal>) -> String {
    d.map_or_else(|| "—".to_owned(), |d| format!("{}%", num(d, 2)))
}

/// A gap in percentage points with its sign: "+1.2 个百分点", "-10.52 pp".
pub fn pp(d: Option<Decimal>, tr: Tr) -> String {
    match d {
        None => "—".to_owned(),
        Some(d) => {
            let sign = if d > Decimal::ZERO { "+" } else { "" };
            format!("{sign}{} {}", num(d, 2), tr.t("unit.pp"))
        }
    }
}

/// The lamp as (css class, symbol, words).
#[derive(Debug, Clone)]
pub struct LampView {
    pub class: &'static str,
    pub symbol: &'static str,
    pub label: &'static str,
}

pub fn lamp(l: Option<Lamp>, tr: Tr) -> LampView {
    match l {
        Some(Lamp::Green) => LampView {
            class: "lamp-green",
            symbol: "●",
            label: tr.t("lamp.green"),
        },
        Some(Lamp::Blue) => LampView {
            class: "lamp-blue",
            symbol: "◆",
            label: tr.t("lamp.blue"),
        },
        Some(Lamp::Yellow) => LampView {
            class: "lamp-yellow",
            symbol: "▲",
            label: tr.t("lamp.yellow"),
        },
        Some(Lamp::Red) => LampView {
            class: "lamp-red",
            symbol: "■",
            label: tr.t("lamp.red"),
        },
        None => LampView {
            class: "lamp-none",
            symbol: "○",
            label: tr.t("lamp.none"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::html::i18n::Lang;
    use std::str::FromStr;

    #[test]
    fn formats_the_chinese_way() {
        let zh = Tr(Lang::Zh);
        let d = |s: &str| Decimal::from_str(s).unwrap();
        assert_eq!(num(d("49.40"), 2), "49.4");
        assert_eq!(pp(Some(d("-10.523")), zh), "-10.52 个百分点");
        assert_eq!(pp(Some(d("1.5")), Tr(Lang::En)), "+1.5 pp");
        assert_eq!(pct(Some(d("73.7400"))), "73.74%");
        assert_eq!(opt_num(None, 2, zh), "未知");
        assert_eq!(lamp(Some(Lamp::Red), zh).label, "红灯·严重滞后");
    }
}
