//! The numbers and word lists that lint rules read (`[settings]` of a rules file), with their
//! defaults. Apart from the rules file parser (config.rs), so rules can read them without a
//! cycle through the parser, which looks rule ids up in the registry.

/// Numbers and word lists that rules read.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Longest Chinese question, counted in CJK characters (parenthesised notes excluded).
    pub max_question_chars_zh: usize,
    /// Longest English question, counted in characters (parenthesised notes excluded).
    pub max_question_chars_en: usize,
    /// Terms respondents may not know; flagged unless explained in parentheses.
    pub glossary: Vec<String>,
    /// ALL-CAPS abbreviations every respondent knows; never flagged as jargon.
    pub known_acronyms: Vec<String>,
    /// Reading speed for Chinese text, CJK characters per minute.
    pub reading_speed_zh: f64,
    /// Reading speed for English text, words per minute.
    pub reading_speed_en: f64,
}

/// Jargon flagged by default (replaced, not extended, by `glossary = [...]`).
pub const DEFAULT_GLOSSARY: &[&str] = &[
    "SKU",
    "RFQ",
    "KPI",
    "SLA",
    "CRM",
    "ERP",
    "MOQ",
    "OEM",
    "ODM",
    "MRO",
    "churn",
    "touchpoint",
    "omnichannel",
    "转化率",
    "复购率",
    "触点",
    "全渠道",
    "赋能",
    "闭环",
    "抓手",
    "颗粒度",
    "私域",
];

/// Abbreviations that need no explanation (extended by `known_acronyms = [...]`).
pub const DEFAULT_KNOWN_ACRONYMS: &[&str] = &[
    "OK", "TV", "PC", "ID", "VIP", "APP", "GB", "MB", "TB", "UK", "US", "USA", "EU", "ATM", "SMS",
    "FAQ", "QR", "PDF", "AM", "PM", "WIFI", "USB", "GPS", "CEO", "DIY", "PIN",
];

impl Default for Settings {
    fn default() -> Self {
        Settings {
            max_question_chars_zh: 40,
            max_question_chars_en: 120,
            glossary: DEFAULT_GLOSSARY.iter().map(|s| s.to_string()).collect(),
            known_acronyms: DEFAULT_KNOWN_ACRONYMS
                .iter()
                .map(|s| s.to_string())
                .collect(),
            reading_speed_zh: 300.0,
            reading_speed_en: 200.0,
        }
    }
}
