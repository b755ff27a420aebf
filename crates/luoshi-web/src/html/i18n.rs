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
        match STRINGS.binary_search_by(|(k, _, _)| (*k).cmp(key)) {
            Ok(i) => match self.0 {
                Lang::Zh => STRINGS[i].1,
                Lang::En => STRINGS[i].2,
            },
            Err(_) => "??",
        }
    }
    /// The text of `key` in this language, when the table has the key.
    pub fn t_opt(&self, key: &str) -> Option<&'static str> {
        let i = STRINGS.binary_search_by(|(k, _, _)| (*k).cmp(key)).ok()?;
        Some(match self.0 {
            Lang::Zh => STRINGS[i].1,
            Lang::En => STRINGS[i].2,
        })
    }
    pub fn html_lang(&self) -> &'static str {
        self.0.tag()
    }
}

mod strings;

pub use strings::STRINGS;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_unique_and_complete() {
        for w in STRINGS.windows(2) {
            assert!(w[0].0 < w[1].0, "{} must come before {}", w[0].0, w[1].0);
        }
        for (k, zh, en) in STRINGS {
            assert!(!zh.is_empty() && !en.is_empty(), "{k}");
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
