//! Random and adversarial inputs: never panic, spans always valid.

use luoshi_extract::{Extraction, Span, extract, to_json, to_table};

/// xorshift64*: deterministic, dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn pick<'a>(&mut self, items: &'a [&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const PIECES: &[&str] = &[
    "一、",
    "（一）",
    "第一，",
    "1.",
    "1、",
    "（1）",
    "一是",
    "二要",
    "①",
    "生产总值",
    "地區生產總值",
    "固定资产投资",
    "大口径财政收入",
    "城乡居民人均可支配收入",
    "分别",
    "增长",
    "下降",
    "净增",
    "12.4%",
    "40.*",
    "17*9",
    "20*年",
    "亿元",
    "万元",
    "元",
    "%",
    "‰",
    "3—5个",
    "三至五",
    "百分之",
    "两",
    "万",
    "亿",
    "千",
    "十",
    "年内",
    "年底前",
    "6月底前",
    "五年内",
    "1-2年",
    "到2025年",
    "今年",
    "去年",
    "目标",
    "力争",
    "确保",
    "要",
    "镇",
    "村",
    "局",
    "路",
    "“",
    "”",
    "（",
    "）",
    "。",
    "，",
    "；",
    "：",
    "、",
    "\n",
    "\r\n",
    " ",
    "\u{3000}",
    "*",
    ".",
    "-",
    "——",
    "０",
    "９",
    "．",
    "％",
    "e\u{301}",
    "\u{200b}",
    "\u{feff}",
    "𠀀",
    "\u{10ffff}",
    "\0",
    "时间：",
    "分享到",
    "9",
    "0",
    "99999999999999999999999999999999",
];

fn check(input: &str, x: &Extraction) {
    let ok = |s: &Span, text: &str| {
        assert!(
            s.start <= s.end && s.end <= input.len(),
            "span {s:?} out of range"
        );
        assert!(input.is_char_boundary(s.start) && input.is_char_boundary(s.end));
        assert_eq!(&input[s.start..s.end], text);
    };
    for f in x.targets.iter().chain(&x.baselines) {
        ok(&f.span, &f.text);
    }
    for t in &x.tasks {
        ok(&t.span, &t.text);
        for q in &t.quantities {
            ok(&q.span, &q.text);
        }
        for m in &t.mentions {
            ok(&m.span, &m.text);
        }
    }
    for d in &x.diagnostics {
        ok(&d.span, &d.text);
    }
    let _ = to_json(x);
    let _ = to_table(x);
}

#[test]
fn random_token_soup() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..400 {
        let n = (rng.next() % 120) as usize;
        let input: String = (0..n).map(|_| rng.pick(PIECES)).collect();
        check(&input, &extract(&input));
    }
}

#[test]
fn random_unicode() {
    let mut rng = Rng(42);
    for _ in 0..200 {
        let n = (rng.next() % 300) as usize;
        let input: String = (0..n)
            .filter_map(|_| char::from_u32((rng.next() % 0x11_0000) as u32))
            .collect();
        check(&input, &extract(&input));
    }
}

#[test]
fn adversarial_shapes() {
    let long_digits = "9".repeat(200_000);
    let stars = "*".repeat(100_000);
    let numerals = "一".repeat(100_000);
    let one_char = "镇".repeat(300_000);
    let headings = "一、\n".repeat(50_000);
    let brackets = "（（（（".repeat(20_000);
    let mixed = "生产总值49.4亿元，增长12.4%".repeat(5_000);
    for input in [
        "",
        " ",
        "\n\n\n",
        "。",
        "（",
        "）",
        "1.",
        "“",
        &long_digits,
        &stars,
        &numerals,
        &one_char,
        &headings,
        &brackets,
        &mixed,
    ] {
        check(input, &extract(input));
    }
}
