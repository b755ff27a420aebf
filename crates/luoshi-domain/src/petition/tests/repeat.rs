use super::*;
use crate::measure::dec;
use PetitionAction as A;

const LAND_A: &str = "村里修路占用我家承包地，补偿款至今未发放";
const LAND_B: &str = "修路占地补偿款一直没有发放到位，要求解决";
const WAGES: &str = "工资被拖欠半年，要求解决";
const FEES: &str = "小区物业乱收费，要求有关部门查处";

#[test]
fn identity_numbers_and_phones_normalise() {
    let cases = [
        ("11010519491231002X", Some("11010519491231002X")),
        ("110105 19491231 002x", Some("11010519491231002X")),
        (
            "１１０１０５１９４９１２３１００２Ｘ",
            Some("11010519491231002X"),
        ),
        // 15 digits (before 1999): century 19 inserted, check character computed.
        ("110105491231002", Some("11010519491231002X")),
        ("620521800101001", Some("620521198001010018")),
        ("620521198001010018", Some("620521198001010018")),
        // Wrong check character, wrong length, letters.
        ("620521198001010019", None),
        ("12345", None),
        ("62052119800101001A", None),
    ];
    for (raw, want) in cases {
        assert_eq!(normalize_id_number(raw).as_deref(), want, "{raw}");
    }
    let phones = [
        ("13900001234", Some("13900001234")),
        ("+86 139-0000-1234", Some("13900001234")),
        ("8613900001234", Some("13900001234")),
        ("(0938) 1234567", Some("09381234567")),
        ("139000012ab", None),
        ("123456", None),
    ];
    for (raw, want) in phones {
        assert_eq!(normalize_phone(raw).as_deref(), want, "{raw}");
    }
}

#[test]
fn bigram_similarity_on_hand_counted_texts() {
    let cases = [
        // 6 bigrams in common (修路 路占 地补 补偿 偿款 发放) of 18 + 18: 12/36.
        (LAND_A, LAND_B, "33.33"),
        // 要求 求解 解决 in common, 18 + 10 bigrams: 6/28.
        (LAND_B, WAGES, "21.43"),
        (LAND_A, FEES, "0"),
        (LAND_A, LAND_A, "100"),
        // Punctuation, spaces and letter case do not count.
        ("ABC 工资！", "abc工资", "100"),
        ("", "", "0"),
        ("地", "地", "100"),
    ];
    for (a, b, want) in cases {
        assert_eq!(matter_similarity_pct(a, b), dec(want), "{a} / {b}");
        assert_eq!(matter_similarity_pct(b, a), dec(want), "symmetric");
    }
}

fn with(n: u128, on: Date, who: Petitioner, matter: &str, leader: Option<u128>) -> PetitionCase {
    let mut c = case(n, on);
    c.personal = Some(PersonalData {
        petitioners: vec![who],
    });
    c.matter = matter.into();
    if let Some(l) = leader {
        c = run(
            c,
            &[(on, A::AssignLeader { person: person(l) })],
            &WorkCalendar::default(),
        );
    }
    c
}

#[test]
fn repeat_candidates_need_the_same_petitioner_and_a_similar_matter() {
    let zhang = || petitioner("张三", Some("11010519491231002X"), Some("13900001234"));
    let new = with(10, date!(2026 - 06 - 01), zhang(), LAND_B, None);
    // By the old 15-digit number, which normalises to the same person.
    let e1 = with(
        1,
        date!(2026 - 03 - 01),
        petitioner("张三", Some("110105491231002"), None),
        LAND_A,
        Some(101),
    );
    // By name and phone (written differently), and it went through re-review.
    let mut e2 = with(
        2,
        date!(2026 - 04 - 01),
        petitioner("张 三", None, Some("+86 13900001234")),
        LAND_A,
        None,
    );
    e2.dates.rereview_decided_on = Some(date!(2026 - 05 - 20));
    e2.status = PetitionStatus::ReReviewed;
    // Same person, another matter (wages): 21.43, below the 30 threshold, but led by leader 103.
    let e3 = with(3, date!(2026 - 05 - 01), zhang(), WAGES, Some(103));
    // Same matter, different people: another number; same name with another phone.
    let e4 = with(
        4,
        date!(2026 - 05 - 02),
        petitioner("王五", Some("620521198001010018"), None),
        LAND_B,
        None,
    );
    let e7 = with(
        7,
        date!(2026 - 05 - 03),
        petitioner("张三", None, Some("13800000000")),
        LAND_B,
        None,
    );
    // Same person and matter but registered after the new case.
    let e5 = with(5, date!(2026 - 07 - 01), zhang(), LAND_B, None);
    // Same person and matter, but read without personal data.
    let e6 = with(6, date!(2026 - 05 - 04), zhang(), LAND_B, None).redacted();
    let earlier = [e1, e2, e3.clone(), e4, e5, e6, e7];
    let policy = PetitionPolicy::default();
    let found = repeat_candidates(&new, &earlier, &policy);
    let id = |n| PetitionId::from_uuid(Uuid::from_u128(n));
    assert_eq!(
        found,
        vec![
            // Equal scores: the more recent first.
            RepeatCandidate {
                case: id(2),
                score_pct: dec("33.33"),
                matched_by: MatchedBy::NameAndPhone,
                final_after_rereview: true,
                leader: None,
            },
            RepeatCandidate {
                case: id(1),
                score_pct: dec("33.33"),
                matched_by: MatchedBy::IdNumber,
                final_after_rereview: false,
                leader: Some(person(101)),
            },
        ]
    );
    let loose = PetitionPolicy {
        repeat_similarity_min_pct: dec("20"),
        ..PetitionPolicy::default()
    };
    let found: Vec<PetitionId> = repeat_candidates(&new, &earlier, &loose)
        .into_iter()
        .map(|c| c.case)
        .collect();
    assert_eq!(found, vec![id(2), id(1), id(3)]);
    // A redacted new case finds nothing.
    assert!(repeat_candidates(&new.redacted(), &earlier, &policy).is_empty());
    // The returning petitioner gets the leader of the latest earlier led case, whatever its matter.
    assert_eq!(proposed_leader(&new, &earlier), Some(person(103)));
    let without_e3: Vec<PetitionCase> = earlier.iter().filter(|c| c.id != e3.id).cloned().collect();
    assert_eq!(proposed_leader(&new, &without_e3), Some(person(101)));
    let stranger = with(
        11,
        date!(2026 - 06 - 01),
        petitioner("赵六", None, None),
        LAND_B,
        None,
    );
    assert_eq!(proposed_leader(&stranger, &earlier), None);
}
