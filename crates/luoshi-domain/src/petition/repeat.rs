//! Repeat petitions (重复信访): the same petitioner with substantially the same matter. The code
//! only proposes candidates with a score; a handler confirms (`PetitionAction::MarkRepeat`).
//!
//! Same petitioner: the same resident identity number after normalisation, or the same name and
//! the same phone number. Similar matter: the Dice coefficient of the two texts' sets of character
//! bigrams (pairs of adjacent characters, after dropping punctuation and spaces and folding
//! full-width and upper-case letters): 2·|A ∩ B| / (|A| + |B|), as a percentage. Bigrams suit
//! Chinese, which has no spaces between words, and need no dictionary. A text of one character is
//! its own single "bigram".

use super::{PersonalData, PetitionCase, PetitionPolicy, PetitionStatus};
use crate::ids::{PersonId, PetitionId};
use crate::measure::{Decimal, percent_of};
use std::collections::BTreeSet;

/// Fold full-width ASCII (Ａ, １, …) to half-width.
fn half_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// The check character of the first 17 digits of an identity number (GB 11643, ISO 7064
/// MOD 11-2).
fn id_check_char(first17: &str) -> Option<char> {
    let mut sum = 0;
    for (c, w) in first17.chars().zip(ID_WEIGHTS) {
        sum += c.to_digit(10)? * w;
    }
    ID_CHECK.get((sum % 11) as usize).copied()
}

/// A resident identity number in its 18-character form, or `None` when it is not one: spaces
/// dropped, full-width folded, `x` upper-cased, the check character verified. A 15-digit number
/// (issued before 1999) gains the century `19` and its check character.
pub fn normalize_id_number(s: &str) -> Option<String> {
    let s: String = s
        .chars()
        .map(half_width)
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    match s.len() {
        18 => {
            let (body, check) = s.split_at(17);
            (body.chars().all(|c| c.is_ascii_digit())
                && id_check_char(body).map(String::from).as_deref() == Some(check))
            .then_some(s)
        }
        15 if s.chars().all(|c| c.is_ascii_digit()) => {
            let body = format!("{}19{}", &s[..6], &s[6..]);
            let check = id_check_char(&body)?;
            Some(format!("{body}{check}"))
        }
        _ => None,
    }
}

/// A phone number as digits only, without a leading `+86` / `86` country code on a mobile
/// number; `None` unless 7 to 15 digits remain and nothing but digits, spaces, `+`, `-` and
/// brackets was given.
pub fn normalize_phone(s: &str) -> Option<String> {
    let s: String = s.chars().map(half_width).collect();
    if s.chars()
        .any(|c| !(c.is_ascii_digit() || " +-()".contains(c)))
    {
        return None;
    }
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let digits = match digits.strip_prefix("86") {
        Some(rest) if rest.len() == 11 && rest.starts_with('1') => rest.to_owned(),
        _ => digits,
    };
    (7..=15).contains(&digits.len()).then_some(digits)
}

fn normalize_name(s: &str) -> String {
    s.chars()
        .map(half_width)
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '•' | '・' | '.' | '．' => '·',
            c => c.to_ascii_uppercase(),
        })
        .collect()
}

/// A normalised key that identifies a petitioner across cases. The store may keep a keyed hash of
/// these (a blind index) so it can find earlier cases without decrypting every one.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PetitionerKey {
    IdNumber(String),
    NamePhone(String, String),
}

impl PersonalData {
    /// The keys of every petitioner listed.
    pub fn match_keys(&self) -> BTreeSet<PetitionerKey> {
        let mut keys = BTreeSet::new();
        for p in &self.petitioners {
            if let Some(id) = p.id_number.as_deref().and_then(normalize_id_number) {
                keys.insert(PetitionerKey::IdNumber(id));
            }
            if let Some(phone) = p.phone.as_deref().and_then(normalize_phone) {
                keys.insert(PetitionerKey::NamePhone(normalize_name(&p.name), phone));
            }
        }
        keys
    }
}

fn bigrams(text: &str) -> BTreeSet<(char, char)> {
    let chars: Vec<char> = text
        .chars()
        .map(half_width)
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    match chars.as_slice() {
        [] => BTreeSet::new(),
        [only] => BTreeSet::from([(*only, *only)]),
        _ => chars.windows(2).map(|w| (w[0], w[1])).collect(),
    }
}

/// The similarity of two matters, 0–100 (two decimals): the Dice coefficient of their character
/// bigram sets. Two empty texts score 0.
pub fn matter_similarity_pct(a: &str, b: &str) -> Decimal {
    let (a, b) = (bigrams(a), bigrams(b));
    let common = a.intersection(&b).count();
    percent_of(Decimal::from(2 * common), Decimal::from(a.len() + b.len())).unwrap_or(Decimal::ZERO)
}

/// How an earlier case's petitioner was recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MatchedBy {
    IdNumber,
    NameAndPhone,
}

/// An earlier case proposed as repeated by the new one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepeatCandidate {
    pub case: PetitionId,
    pub score_pct: Decimal,
    pub matched_by: MatchedBy,
    /// The earlier case went through re-review: the same facts and reasons are not accepted again.
    pub final_after_rereview: bool,
    pub leader: Option<PersonId>,
}

fn same_petitioner(a: &PersonalData, b: &PersonalData) -> Option<MatchedBy> {
    let common: Vec<PetitionerKey> = a
        .match_keys()
        .intersection(&b.match_keys())
        .cloned()
        .collect();
    if common
        .iter()
        .any(|k| matches!(k, PetitionerKey::IdNumber(_)))
    {
        Some(MatchedBy::IdNumber)
    } else if common.is_empty() {
        None
    } else {
        Some(MatchedBy::NameAndPhone)
    }
}

/// Earlier cases that the new case may repeat: same petitioner, a matter at least
/// `policy.repeat_similarity_min_pct` similar, registered no later than the new one. Ranked by
/// score, then the most recently registered first. Cases without personal data (redacted) never
/// match: detection needs the data.
pub fn repeat_candidates(
    new_case: &PetitionCase,
    earlier: &[PetitionCase],
    policy: &PetitionPolicy,
) -> Vec<RepeatCandidate> {
    let Some(mine) = &new_case.personal else {
        return vec![];
    };
    let mut out: Vec<(RepeatCandidate, time::Date)> = earlier
        .iter()
        .filter(|c| c.id != new_case.id && c.dates.registered_on <= new_case.dates.registered_on)
        .filter_map(|c| {
            let matched_by = same_petitioner(mine, c.personal.as_ref()?)?;
            let score_pct = matter_similarity_pct(&new_case.matter, &c.matter);
            (score_pct >= policy.repeat_similarity_min_pct).then(|| {
                let candidate = RepeatCandidate {
                    case: c.id,
                    score_pct,
                    matched_by,
                    final_after_rereview: c.dates.rereview_decided_on.is_some()
                        || c.status == PetitionStatus::ReReviewed,
                    leader: c.leader.as_ref().map(|l| l.person),
                };
                (candidate, c.dates.registered_on)
            })
        })
        .collect();
    out.sort_by(|(a, da), (b, db)| {
        b.score_pct
            .cmp(&a.score_pct)
            .then(db.cmp(da))
            .then(a.case.cmp(&b.case))
    });
    out.into_iter().map(|(c, _)| c).collect()
}

/// The case leader to propose for a returning petitioner: the leader of the most recently
/// registered earlier case of the same petitioner (whatever its matter) that had one.
pub fn proposed_leader(new_case: &PetitionCase, earlier: &[PetitionCase]) -> Option<PersonId> {
    let mine = new_case.personal.as_ref()?;
    earlier
        .iter()
        .filter(|c| c.id != new_case.id && c.dates.registered_on <= new_case.dates.registered_on)
        .filter_map(|c| {
            let leader = c.leader.as_ref()?;
            same_petitioner(mine, c.personal.as_ref()?)?;
            Some((c.dates.registered_on, c.id, leader.person))
        })
        .max()
        .map(|(_, _, p)| p)
}
