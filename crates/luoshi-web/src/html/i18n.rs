//! Interface strings in Simplified Chinese (the default) and English. Every string a page shows
//! comes from this table; a test checks that every key used in a template exists.

/// The interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    pub fn from_tag(tag: &str) -> Lang {
        if tag.starts_with("en") {
            Lang::En
        } else {
            Lang::Zh
        }
    }
    pub fn tag(&self) -> &'static str {
        match self {
            Lang::Zh => "zh-Hans",
            Lang::En => "en",
        }
    }
    pub fn other(&self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }
}

/// The translator handed to templates: `{{ tr.t("nav.tasks") }}`.
#[derive(Debug, Clone, Copy)]
pub struct Tr(pub Lang);

impl Tr {
    pub fn t(&self, key: &str) -> &'static str {
        self.t_opt(key).unwrap_or("??")
    }
    /// The text of `key` in this language, when the table has the key.
    pub fn t_opt(&self, key: &str) -> Option<&'static str> {
        let (_, zh, en) = lookup(key)?;
        Some(match self.0 {
            Lang::Zh => zh,
            Lang::En => en,
        })
    }
    pub fn html_lang(&self) -> &'static str {
        self.0.tag()
    }
}

mod strings;
mod strings_p;

/// The string table in two sorted halves (keys before `p`, and from `p` on).
#[cfg(test)]
fn tables() -> [&'static [(&'static str, &'static str, &'static str)]; 2] {
    [strings::STRINGS, strings_p::STRINGS]
}

fn lookup(key: &str) -> Option<&'static (&'static str, &'static str, &'static str)> {
    let table = if key < "p" {
        strings::STRINGS
    } else {
        strings_p::STRINGS
    };
    let i = table.binary_search_by(|(k, _, _)| (*k).cmp(key)).ok()?;
    table.get(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_unique_and_complete() {
        let [a, p] = tables();
        assert!(
            a.iter().all(|(k, _, _)| *k < "p"),
            "keys from p on go in strings_p.rs"
        );
        assert!(
            p.iter().all(|(k, _, _)| *k >= "p"),
            "keys before p go in strings.rs"
        );
        for t in tables() {
            for w in t.windows(2) {
                assert!(w[0].0 < w[1].0, "{} must come before {}", w[0].0, w[1].0);
            }
            for (k, zh, en) in t {
                assert!(!zh.is_empty() && !en.is_empty(), "{k}");
            }
        }
    }

    #[test]
    fn every_key_in_templates_exists() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut missing = vec![];
        for f in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(f.unwrap().path()).unwrap();
            for part in text.split("tr.t(\"").skip(1) {
                let key = part.split('"').next().unwrap();
                if Tr(Lang::Zh).t(key) == "??" {
                    missing.push(key.to_owned());
                }
            }
        }
        assert!(missing.is_empty(), "keys missing from STRINGS: {missing:?}");
    }

    #[test]
    fn languages_switch() {
        assert_eq!(Tr(Lang::Zh).t("nav.tasks"), "任务清单");
        assert_eq!(Tr(Lang::En).t("nav.tasks"), "Tasks");
        assert_eq!(Lang::from_tag("en-US"), Lang::En);
        assert_eq!(Lang::from_tag("zh-Hans").other(), Lang::En);
    }
}
