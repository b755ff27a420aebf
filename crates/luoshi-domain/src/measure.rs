//! Decimal numbers and explicit units of measure. Money and indicator values are never floats.

use crate::error::ValidationError;
pub use rust_decimal::Decimal;
use std::str::FromStr;

/// Parse a decimal in tests and constant tables. Panics are impossible to reach from user input:
/// user input goes through [`parse_decimal`].
#[cfg(test)]
pub fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// Parse a decimal from user input, accepting full-width digits and a thousands separator.
pub fn parse_decimal(field: &str, s: &str) -> Result<Decimal, ValidationError> {
    let normalized: String = s
        .trim()
        .chars()
        .filter(|c| *c != ',' && *c != '，')
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '．' => '.',
            '－' => '-',
            _ => c,
        })
        .collect();
    if normalized.is_empty() {
        return Err(ValidationError::required(field));
    }
    Decimal::from_str(&normalized)
        .map(|d| d.normalize())
        .map_err(|_| {
            ValidationError::new(
                field,
                "invalid_decimal",
                format!("{field} is not a decimal number: {s:?}"),
            )
        })
}

/// The unit a value is measured in. Money units are explicit and convertible; counts carry their
/// measure word (个, 亩, 公里 …).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum MeasureUnit {
    /// 亿元 (10^8 yuan)
    YiYuan,
    /// 万元 (10^4 yuan)
    WanYuan,
    /// 元
    Yuan,
    /// %
    Percent,
    /// ‰
    Permille,
    /// A count or physical quantity with its measure word.
    Count(String),
}

impl MeasureUnit {
    pub fn parse(field: &str, s: &str) -> Result<Self, ValidationError> {
        let s = s.trim();
        Ok(match s {
            "亿元" | "億元" => Self::YiYuan,
            "万元" | "萬元" => Self::WanYuan,
            "元" => Self::Yuan,
            "%" | "％" => Self::Percent,
            "‰" => Self::Permille,
            "" => return Err(ValidationError::required(field)),
            other if other.chars().count() <= 10 && !other.chars().any(|c| c.is_ascii_digit()) => {
                Self::Count(other.to_owned())
            }
            _ => {
                return Err(ValidationError::new(
                    field,
                    "invalid_unit",
                    format!("unknown unit of measure {s:?}"),
                ));
            }
        })
    }

    pub fn as_str(&self) -> &str {
        match self {
            Self::YiYuan => "亿元",
            Self::WanYuan => "万元",
            Self::Yuan => "元",
            Self::Percent => "%",
            Self::Permille => "‰",
            Self::Count(s) => s,
        }
    }

    /// Yuan per one of this unit, for money units.
    pub fn yuan_factor(&self) -> Option<Decimal> {
        match self {
            Self::YiYuan => Some(Decimal::from(100_000_000)),
            Self::WanYuan => Some(Decimal::from(10_000)),
            Self::Yuan => Some(Decimal::ONE),
            _ => None,
        }
    }

    /// Convert `value` from `self` into `to`; only money converts between units.
    pub fn convert(&self, value: Decimal, to: &MeasureUnit) -> Option<Decimal> {
        if self == to {
            return Some(value);
        }
        let from = self.yuan_factor()?;
        let to_f = to.yuan_factor()?;
        value
            .checked_mul(from)?
            .checked_div(to_f)
            .map(|d| d.normalize())
    }
}

/// `part / whole × 100`, rounded to two decimals; `None` when `whole` is zero.
pub fn percent_of(part: Decimal, whole: Decimal) -> Option<Decimal> {
    if whole.is_zero() {
        return None;
    }
    part.checked_mul(Decimal::ONE_HUNDRED)?
        .checked_div(whole)
        .map(|v| v.round_dp(2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_decimals_from_people() {
        assert_eq!(parse_decimal("v", "49.4").unwrap(), dec("49.4"));
        assert_eq!(parse_decimal("v", " ４９．４０ ").unwrap(), dec("49.4"));
        assert_eq!(parse_decimal("v", "1,234.5").unwrap(), dec("1234.5"));
        assert_eq!(parse_decimal("v", "-3").unwrap(), dec("-3"));
        let e = parse_decimal("value", "40.*").unwrap_err();
        assert_eq!((e.field.as_str(), e.code), ("value", "invalid_decimal"));
        assert_eq!(parse_decimal("value", " ").unwrap_err().code, "required");
    }

    #[test]
    fn units_accept_both_scripts_and_convert_money() {
        assert_eq!(
            MeasureUnit::parse("u", "億元").unwrap(),
            MeasureUnit::YiYuan
        );
        assert_eq!(
            MeasureUnit::parse("u", "萬元").unwrap(),
            MeasureUnit::WanYuan
        );
        assert_eq!(
            MeasureUnit::parse("u", "个").unwrap(),
            MeasureUnit::Count("个".into())
        );
        assert!(MeasureUnit::parse("u", "12kg").is_err());
        // Fiscal revenue grew by 6,200 万元 = 0.62 亿元.
        assert_eq!(
            MeasureUnit::WanYuan.convert(dec("6200"), &MeasureUnit::YiYuan),
            Some(dec("0.62"))
        );
        assert_eq!(
            MeasureUnit::Percent.convert(dec("1"), &MeasureUnit::Yuan),
            None
        );
    }

    #[test]
    fn percent_of_rounds_and_guards_zero() {
        assert_eq!(percent_of(dec("1"), dec("3")), Some(dec("33.33")));
        assert_eq!(percent_of(dec("1"), Decimal::ZERO), None);
    }
}
