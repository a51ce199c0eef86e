//! The in-game encyclopedia: background pages, a glossary and the sources
//! they cite, read from `assets/encyclopedia.ron` (compiled in).
//!
//! Every figure on a page names a source and the year its data describes,
//! and every number in a page's text must be one of its figures: students
//! and teachers can check where each number comes from. [`Encyclopedia::validate`]
//! enforces that, and the tests check the figures against the bundled levels.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use crate::level::LevelError;
pub use crate::level::schema::Source;

/// Where the bundled encyclopedia lives, as named in error messages.
pub const FILE_NAME: &str = "assets/encyclopedia.ron";

const BUNDLED_TEXT: &str = include_str!("../assets/encyclopedia.ron");

/// Pages the game links to (the "?" buttons); each must exist.
pub const PAGE_IDS: &[&str] = &[
    "rare-earths",
    "light-heavy",
    "separation",
    "magnets",
    "export-controls",
    "sanctions",
    "permitting",
    "deposits",
    "war-minerals",
    "tariffs",
    "stockpiles",
    "research",
    "supply-security",
    "deals",
    "market-prices",
];

/// The whole encyclopedia.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Encyclopedia {
    pub pages: Vec<Page>,
    #[serde(default)]
    pub glossary: Vec<Term>,
    #[serde(default)]
    pub sources: Vec<Source>,
}

/// One background page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Page {
    /// Stable id the game links to, e.g. "export-controls".
    pub id: String,
    pub title: String,
    /// One line, shown in lists and tooltips.
    pub summary: String,
    /// Short paragraphs of plain text.
    pub paragraphs: Vec<String>,
    /// Every number the page's text uses, with its source.
    #[serde(default)]
    pub figures: Vec<Figure>,
    /// Ids of related pages.
    #[serde(default)]
    pub see_also: Vec<String>,
}

/// A cited figure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    pub text: String,
    /// Id of an entry in [`Encyclopedia::sources`].
    pub source: String,
    /// Year the figure describes.
    pub data_as_of: i32,
    /// Repeated widely but not confirmed: shown as "reported".
    #[serde(default)]
    pub reported: bool,
}

/// A glossary entry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    pub term: String,
    /// One or two sentences.
    pub definition: String,
    /// A page that explains more.
    #[serde(default)]
    pub page: Option<String>,
}

struct Bundled {
    encyclopedia: Encyclopedia,
    problems: Vec<String>,
}

static BUNDLED: LazyLock<Bundled> = LazyLock::new(|| match parse(BUNDLED_TEXT) {
    Ok(encyclopedia) => {
        let problems: Vec<String> = encyclopedia
            .validate()
            .into_iter()
            .map(|p| format!("{FILE_NAME}: {p}"))
            .collect();
        for p in &problems {
            eprintln!("encyclopedia: {p}");
        }
        Bundled {
            encyclopedia,
            problems,
        }
    }
    Err(e) => {
        eprintln!("encyclopedia: {e}");
        Bundled {
            encyclopedia: Encyclopedia::default(),
            problems: vec![e],
        }
    }
});

/// The bundled encyclopedia, parsed once. Never panics: if the file were
/// broken (a test guarantees it is not) this is empty and [`problems`] says why.
pub fn encyclopedia() -> &'static Encyclopedia {
    &BUNDLED.encyclopedia
}

/// What is wrong with the bundled file; empty when it is sound.
pub fn problems() -> &'static [String] {
    &BUNDLED.problems
}

fn ron_options() -> ron::Options {
    ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
}

/// Parse encyclopedia text. Errors read `file:line:column: message`.
pub fn parse(text: &str) -> Result<Encyclopedia, String> {
    parse_named(FILE_NAME, text)
}

/// [`parse`] with the file name to use in errors.
pub fn parse_named(file: &str, text: &str) -> Result<Encyclopedia, String> {
    ron_options().from_str(text).map_err(|e| {
        LevelError {
            file: file.to_string(),
            position: Some((e.span.start.line, e.span.start.col)),
            message: e.code.to_string(),
        }
        .to_string()
    })
}

/// The numbers written in a text, as written: "45,000", "1.27", "2025".
/// A comma or point belongs to a number only between two digits.
pub fn numbers_in(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_digit()
                    || (matches!(chars[i], ',' | '.')
                        && chars.get(i + 1).is_some_and(|c| c.is_ascii_digit())))
            {
                i += 1;
            }
            out.push(chars[start..i].iter().collect());
        } else {
            i += 1;
        }
    }
    out
}

impl Encyclopedia {
    pub fn page(&self, id: &str) -> Option<&Page> {
        self.pages.iter().find(|p| p.id == id)
    }

    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }

    /// Glossary entries in alphabetical order.
    pub fn glossary_sorted(&self) -> Vec<&Term> {
        let mut v: Vec<&Term> = self.glossary.iter().collect();
        v.sort_by_key(|t| t.term.to_lowercase());
        v
    }

    /// Every problem found: duplicate ids, unknown sources and page links,
    /// missing required pages, empty texts, and numbers in a page's text that
    /// none of its figures cites.
    pub fn validate(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let blank = |s: &str| s.trim().is_empty();

        let mut source_ids = BTreeSet::new();
        for s in &self.sources {
            if blank(&s.id) {
                problems.push("a source has an empty id".to_string());
            } else if !source_ids.insert(s.id.as_str()) {
                problems.push(format!("source id \"{}\" is used twice", s.id));
            }
            if blank(&s.title) {
                problems.push(format!("source \"{}\" has an empty title", s.id));
            }
            if !(1900..=2100).contains(&s.data_as_of) {
                problems.push(format!(
                    "source \"{}\": data_as_of {} is not a plausible year",
                    s.id, s.data_as_of
                ));
            }
        }

        let mut page_ids = BTreeSet::new();
        for p in &self.pages {
            if blank(&p.id) {
                problems.push(format!("page \"{}\" has an empty id", p.title));
            } else if !page_ids.insert(p.id.as_str()) {
                problems.push(format!("page id \"{}\" is used twice", p.id));
            }
        }
        for id in PAGE_IDS {
            if !page_ids.contains(id) {
                problems.push(format!("required page \"{id}\" is missing"));
            }
        }

        for p in &self.pages {
            let at = format!("page \"{}\"", p.id);
            if blank(&p.title) {
                problems.push(format!("{at}: empty title"));
            }
            if blank(&p.summary) {
                problems.push(format!("{at}: empty summary"));
            }
            if p.paragraphs.is_empty() {
                problems.push(format!("{at}: no paragraphs"));
            }
            for (i, para) in p.paragraphs.iter().enumerate() {
                if blank(para) {
                    problems.push(format!("{at}: paragraph {} is empty", i + 1));
                }
            }
            for (i, f) in p.figures.iter().enumerate() {
                let fat = format!("{at}, figure {}", i + 1);
                if blank(&f.text) {
                    problems.push(format!("{fat}: empty text"));
                }
                match self.source(&f.source) {
                    None => problems.push(format!("{fat} cites unknown source \"{}\"", f.source)),
                    Some(s) if s.reported && !f.reported => problems.push(format!(
                        "{fat} cites the unconfirmed source \"{}\" but is not marked reported",
                        s.id
                    )),
                    Some(_) => {}
                }
                if !(1900..=2100).contains(&f.data_as_of) {
                    problems.push(format!(
                        "{fat}: data_as_of {} is not a plausible year",
                        f.data_as_of
                    ));
                }
            }
            for link in &p.see_also {
                if link == &p.id {
                    problems.push(format!("{at}: see_also links to itself"));
                } else if !page_ids.contains(link.as_str()) {
                    problems.push(format!("{at}: see_also names unknown page \"{link}\""));
                }
            }
            // Every number in the text must be one of the page's figures.
            let cited: BTreeSet<String> =
                p.figures.iter().flat_map(|f| numbers_in(&f.text)).collect();
            let mut uncited = BTreeSet::new();
            for text in std::iter::once(&p.summary).chain(&p.paragraphs) {
                for n in numbers_in(text) {
                    if !cited.contains(&n) {
                        uncited.insert(n);
                    }
                }
            }
            for n in uncited {
                problems.push(format!(
                    "{at}: the number {n} in its text appears in none of its figures"
                ));
            }
        }

        let all_cited: BTreeSet<String> = self
            .pages
            .iter()
            .flat_map(|p| &p.figures)
            .flat_map(|f| numbers_in(&f.text))
            .collect();
        let mut terms = BTreeSet::new();
        for t in &self.glossary {
            if blank(&t.term) {
                problems.push("a glossary entry has an empty term".to_string());
            } else if !terms.insert(t.term.to_lowercase()) {
                problems.push(format!("glossary term \"{}\" appears twice", t.term));
            }
            if blank(&t.definition) {
                problems.push(format!("glossary term \"{}\": empty definition", t.term));
            }
            if let Some(page) = &t.page
                && !page_ids.contains(page.as_str())
            {
                problems.push(format!(
                    "glossary term \"{}\" links to unknown page \"{page}\"",
                    t.term
                ));
            }
            for n in numbers_in(&t.definition) {
                if !all_cited.contains(&n) {
                    problems.push(format!(
                        "glossary term \"{}\": the number {n} appears in no figure",
                        t.term
                    ));
                }
            }
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::level::schema::{Level, ObjectiveKind};
    use crate::rules::types::{FacilityKind, PowerId};

    fn bundled() -> Encyclopedia {
        parse(BUNDLED_TEXT).expect("the bundled encyclopedia parses")
    }

    fn trade_war() -> Level {
        crate::level::bundled("2025-trade-war").expect("bundled level")
    }

    /// Does a figure on `page` contain `needle`? Fails with the figures shown.
    fn assert_figure(e: &Encyclopedia, page: &str, needle: &str) {
        let p = e.page(page).unwrap_or_else(|| panic!("no page {page}"));
        assert!(
            p.figures.iter().any(|f| f.text.contains(needle)),
            "no figure on page {page} contains {needle:?}; figures: {:#?}",
            p.figures.iter().map(|f| &f.text).collect::<Vec<_>>()
        );
    }

    /// A share as the encyclopedia writes it: 0.5 -> "50%", 0.005 -> "0.5%".
    fn pct(v: f64) -> String {
        let x = (v * 1000.0).round() / 10.0;
        if x.fract() == 0.0 {
            format!("{}%", x as i64)
        } else {
            format!("{x}%")
        }
    }

    /// A number without needless decimals: 20.0 -> "20", 0.2 -> "0.2".
    fn num(v: f64) -> String {
        if v.fract() == 0.0 {
            format!("{}", v as i64)
        } else {
            format!("{v}")
        }
    }

    #[test]
    fn bundled_file_parses_and_validates() {
        let e = bundled();
        assert_eq!(e.validate(), Vec::<String>::new());
        assert!(problems().is_empty(), "{:?}", problems());
        assert_eq!(encyclopedia(), &e);
        assert!(
            (25..=40).contains(&e.glossary.len()),
            "{} glossary terms",
            e.glossary.len()
        );
        for p in &e.pages {
            assert!(p.paragraphs.len() >= 3, "page {} is too short", p.id);
            assert!(!p.figures.is_empty(), "page {} cites no figures", p.id);
            assert!(!p.see_also.is_empty(), "page {} links nowhere", p.id);
        }
    }

    #[test]
    fn every_required_page_exists() {
        let e = encyclopedia();
        assert_eq!(PAGE_IDS.len(), 15);
        for id in PAGE_IDS {
            let p = e.page(id).unwrap_or_else(|| panic!("page {id} is missing"));
            assert_eq!(&p.id, id);
        }
        let mut short = bundled();
        short.pages.retain(|p| p.id != "sanctions");
        let problems = short.validate();
        assert!(
            problems
                .iter()
                .any(|p| p.contains("required page \"sanctions\" is missing")),
            "{problems:?}"
        );
        // Links to the removed page are reported too.
        assert!(
            problems
                .iter()
                .any(|p| p.contains("unknown page \"sanctions\""))
        );
    }

    #[test]
    fn unknown_field_is_refused_with_line_and_column() {
        let text = "(\n    pages: [\n        (id: \"x\", title: \"X\", summary: \"S\", paragraphs: [\"P\"], colour: \"red\"),\n    ],\n)\n";
        let err = parse(text).unwrap_err();
        assert!(
            err.starts_with(&format!("{FILE_NAME}:3:")),
            "error should name file:line:column, got {err}"
        );
        assert!(err.contains("colour"), "{err}");
        let col: usize = err
            .trim_start_matches(&format!("{FILE_NAME}:3:"))
            .split(':')
            .next()
            .and_then(|c| c.trim().parse().ok())
            .unwrap_or_else(|| panic!("no column in {err}"));
        assert!(col > 1, "{err}");
        // The same without the stray field parses.
        let good = text.replace(", colour: \"red\"", "");
        let e = parse(&good).unwrap();
        assert_eq!(e.pages[0].id, "x");
        assert!(
            parse_named("mine.ron", "(pages: [)")
                .unwrap_err()
                .starts_with("mine.ron:1:")
        );
    }

    #[test]
    fn figure_citing_unknown_source_is_reported() {
        let mut e = bundled();
        e.pages[0].figures[0].source = "nowhere-2099".into();
        let problems = e.validate();
        assert!(
            problems
                .iter()
                .any(|p| p.contains("cites unknown source \"nowhere-2099\"")),
            "{problems:?}"
        );
    }

    #[test]
    fn other_problems_are_reported() {
        let mut e = bundled();
        e.pages[1]
            .paragraphs
            .push("About 42,424 t went missing.".into());
        e.pages[2].see_also.push("no-such-page".into());
        e.pages[3].summary = "  ".into();
        e.glossary[0].page = Some("nowhere".into());
        let dup = e.sources[0].clone();
        e.sources.push(dup);
        let problems = e.validate();
        for needle in [
            "the number 42,424",
            "unknown page \"no-such-page\"",
            "empty summary",
            "links to unknown page \"nowhere\"",
            "is used twice",
        ] {
            assert!(
                problems.iter().any(|p| p.contains(needle)),
                "{needle}: {problems:?}"
            );
        }
    }

    #[test]
    fn numbers_are_read_as_written() {
        assert_eq!(
            numbers_in("In 2024, 45,000 t (1.27%) and 700–1,000 $/kg; F-35."),
            vec!["2024", "45,000", "1.27", "700", "1,000", "35"]
        );
    }

    #[test]
    fn shared_sources_match_the_levels() {
        let e = encyclopedia();
        for (file, text) in crate::level::BUNDLED {
            let level = crate::level::parse_level(file, text).unwrap();
            for s in &level.sources {
                if let Some(mine) = e.source(&s.id) {
                    assert_eq!(
                        (&mine.title, &mine.url, mine.data_as_of, mine.reported),
                        (&s.title, &s.url, s.data_as_of, s.reported),
                        "source {} differs from {file}",
                        s.id
                    );
                }
            }
        }
        // Every real-world source of the encyclopedia is one the full game
        // cites (the game's own rules and route lab are not real-world data).
        let level = trade_war();
        for s in &e.sources {
            if !matches!(s.id.as_str(), "game-rules" | "route-lab") {
                assert!(
                    level.sources.iter().any(|l| l.id == s.id),
                    "source {} is not in the 2025-trade-war level",
                    s.id
                );
            }
        }
    }

    /// Where the level and the encyclopedia cite the same source, they state
    /// the same numbers.
    #[test]
    fn figures_agree_with_the_level_sources() {
        let e = encyclopedia();
        let level = trade_war();
        let cases: &[(&str, &str)] = &[
            ("usgs-mcs-2025", "390,000"),
            ("usgs-mcs-2025", "270,000"),
            ("usgs-mcs-2025", "45,000"),
            ("usgs-mcs-2025", "$260M"),
            ("usgs-mcs-2025", "2,500"),
            ("usgs-mcs-2025", "31,000"),
            ("usgs-mcs-2025", "44.0 Mt"),
            ("usgs-mcs-2025", "3.8 Mt"),
            ("usgs-mcs-2025", "80%"),
            ("usgs-mcs-2025", "Malaysia 13%"),
            ("usgs-mcs-2025", "Nd oxide 56 $/kg"),
            ("usgs-mcs-2025", "Dy oxide 260 $/kg"),
            ("usgs-mcs-2025", "Tb oxide 810 $/kg"),
            ("iea-gcmo-2024", "92% of refined"),
            ("iea-gcmo-2024", "62% of mining"),
            ("iea-gcmo-2024", "77% in 2030"),
            ("iea-gcmo-2024", "131 kt"),
            ("iea-oct-2025", "91%"),
            ("iea-oct-2025", "94%"),
            ("heavy-99-reported", "99%"),
            ("china-quotas-2024", "254,000 t"),
            ("mofcom-18-2025", "Sm, Gd, Tb, Dy, Lu, Sc, Y"),
            ("mofcom-oct-2025", "12 of 17"),
            ("mofcom-oct-2025", "0.1%"),
            ("busan-2025", "57% to 47%"),
            ("gta-japan-2010", "61,560 t"),
            ("gta-japan-2010", "30,259 t"),
            ("gta-japan-2010", "2,377 $/kg"),
            ("piie-tariffs", "145%"),
            ("piie-tariffs", "125%"),
            ("mp-2024", "45,455 t"),
            ("mp-2024", "1,294 t"),
            ("mp-2024", "721 t"),
            ("dod-mp-2025", "$400M"),
            ("dod-mp-2025", "110 $/kg"),
            ("dod-mp-2025", "$150M"),
            ("dod-mp-2025", "10,000 t/yr"),
            ("dod-mp-2025", "$700M"),
            ("lynas", "A$800M"),
            ("lynas", "A$25M"),
            ("round-top-2019", "2,212 t"),
            ("bear-lodge-2024", "$21.9M"),
            ("sp-global-2024", "29 years"),
            ("sp-global-2024", "15.7 years"),
            ("srk-tomtor", "14.5%"),
            ("srk-tomtor", "1.7 Mt"),
            ("interfax-2025", "28.5 Mt"),
            ("putin-feb-2025", "24 February 2025"),
            ("putin-feb-2025", "31 March 2025"),
            ("secdev-2022", "42%"),
            ("secdev-2022", "33%"),
            ("ukraine-gov-2025", "$350 billion"),
            ("ukraine-gov-2025", "1.27%"),
            ("ukraine-gov-2025", "710 kt"),
            ("us-ukraine-2025", "50/50"),
            ("argus-2025", "224 $/kg"),
            ("unep-2011", "less than 1%"),
            ("crs-2013-reported", "417 kg"),
            ("crs-2013-reported", "4,200 kg"),
        ];
        for (source, needle) in cases {
            let s = level
                .sources
                .iter()
                .find(|s| s.id == *source)
                .unwrap_or_else(|| panic!("the level has no source {source}"));
            assert!(
                s.facts.iter().any(|f| f.contains(needle)),
                "the level's source {source} does not state {needle:?}"
            );
            assert!(
                e.pages
                    .iter()
                    .flat_map(|p| &p.figures)
                    .any(|f| f.source == *source && f.text.contains(needle)),
                "no encyclopedia figure citing {source} states {needle:?}"
            );
        }
        // Reported figures say so.
        for f in e.pages.iter().flat_map(|p| &p.figures) {
            if f.reported {
                assert!(f.text.contains("reported"), "{}", f.text);
            }
        }
    }

    /// The level's starting figures are the encyclopedia's yearly figures
    /// divided by four.
    #[test]
    fn level_starting_figures_match_the_encyclopedia() {
        let e = encyclopedia();
        let level = trade_war();
        let close = |per_quarter: f64, per_year_t: f64| {
            ((per_quarter * 4.0 * 1000.0) - per_year_t).abs() / per_year_t < 0.01
        };
        let facility = |id: &str| {
            level
                .facilities
                .iter()
                .find(|f| f.id == id)
                .unwrap_or_else(|| panic!("no facility {id}"))
        };
        // Mountain Pass: 45,455 t of concentrate in 2024.
        assert!(close(facility("mp-mine").capacity, 45_455.0));
        assert_figure(e, "separation", "45,455 t of concentrate");
        // China's mines: 270,000 t in 2024.
        let china: f64 = level
            .facilities
            .iter()
            .filter(|f| f.owner == PowerId::China && f.kind == FacilityKind::Mine)
            .map(|f| f.capacity)
            .sum();
        assert!(close(china, 270_000.0), "China mines {china} kt/q");
        assert_figure(e, "rare-earths", "China mined 270,000 t");
        // Russia: about 2,500 t.
        assert!(close(facility("lovozero-mine").capacity, 2_500.0));
        assert_figure(e, "rare-earths", "2,500 t");
        // Myanmar: 31,000 t.
        let myanmar = level
            .outside_suppliers
            .iter()
            .find(|s| s.id == "myanmar")
            .expect("Myanmar supplier");
        assert!(close(myanmar.mines, 31_000.0));
        assert_figure(e, "deposits", "31,000 t REO in 2024");
        // Deposits.
        let deposit = |id: &str| {
            level
                .deposits
                .iter()
                .find(|d| d.id == id)
                .unwrap_or_else(|| panic!("no deposit {id}"))
        };
        assert_eq!(deposit("azov").reserves, 710.0);
        assert_figure(e, "deposits", "≈ 710 kt REO");
        assert_eq!(deposit("tomtor").reserves, 1700.0);
        assert_figure(e, "deposits", "≈ 1.7 Mt REO");
        for (id, place) in [
            ("mountain-pass", "at Mountain Pass"),
            ("bayan-obo", "at Bayan Obo"),
            ("south-china-clays", "in the southern Chinese ionic clays"),
        ] {
            assert_figure(
                e,
                "light-heavy",
                &format!("{} {place}", pct(deposit(id).heavy_share)),
            );
        }
        assert_figure(
            e,
            "light-heavy",
            &format!("{} in Myanmar", pct(myanmar.concentrate_heavy_share)),
        );
        // Prices: NdPr at the 2024 Nd oxide price; Dy/Tb an 80/20 basket.
        let base = &level.market.base_price;
        assert_eq!(base.light_oxides, 56.0);
        assert_figure(e, "market-prices", "Nd oxide 56 $/kg");
        assert!((base.heavy_oxides - (0.8 * 260.0 + 0.2 * 810.0)).abs() < 1e-9);
        assert_figure(
            e,
            "market-prices",
            &format!("Dy/Tb basket {} $/kg", num(base.heavy_oxides)),
        );
        assert!((base.concentrate - 260.0e6 / 45_000.0e3).abs() < 0.05);
        assert_figure(
            e,
            "market-prices",
            &format!("concentrate {} $/kg", num(base.concentrate)),
        );
        assert_figure(
            e,
            "market-prices",
            &format!("magnets {} $/kg", num(base.magnets)),
        );
    }

    /// Figures about the game's rules are the rules of the bundled full game.
    #[test]
    fn game_rule_figures_match_the_rules() {
        let e = encyclopedia();
        let level = trade_war();
        let r = &level.rules;
        let w = &level.war.params;
        let power = |p: PowerId| level.powers.iter().find(|s| s.id == p).unwrap();
        let (us, cn, ru) = (
            power(PowerId::Us),
            power(PowerId::China),
            power(PowerId::Russia),
        );
        for (page, kind, name) in [
            ("permitting", FacilityKind::Mine, "mine"),
            (
                "separation",
                FacilityKind::SeparationPlant,
                "separation plant",
            ),
        ] {
            assert_figure(
                e,
                page,
                &format!(
                    "a new {name} needs {} quarters of permitting and {} of construction in the US, {} and {} in China, {} and {} in Russia",
                    us.permitting_turns.get(kind),
                    us.construction_turns.get(kind),
                    cn.permitting_turns.get(kind),
                    cn.construction_turns.get(kind),
                    ru.permitting_turns.get(kind),
                    ru.construction_turns.get(kind),
                ),
            );
        }
        assert_figure(
            e,
            "export-controls",
            &format!(
                "licences let through {} of the usual flow to the US in the first quarter, {} to other countries and {} to Russia, rising towards {}, {} and {}",
                pct(r.licensing.first_pass.us),
                pct(r.licensing.first_pass.outside),
                pct(r.licensing.first_pass.russia),
                pct(r.licensing.max_pass.us),
                pct(r.licensing.max_pass.outside),
                pct(r.licensing.max_pass.russia),
            ),
        );
        assert_figure(
            e,
            "sanctions",
            &format!(
                "under targeted sanctions {} of a trade flow",
                pct(r.targeted_sanctions_pass)
            ),
        );
        assert_figure(
            e,
            "sanctions",
            &format!(
                "costs {} political capital; easing US sanctions on Russia costs the US {} political capital",
                num(crate::rules::orders::SANCTIONS_CAPITAL),
                num(r.sanctions_relief_capital)
            ),
        );
        assert_figure(
            e,
            "stockpiles",
            &format!("storage costs {} of a stock's value", pct(r.storage_cost)),
        );
        assert_figure(
            e,
            "permitting",
            &format!(
                "costs {} of its price at once; permit reform costs {} political capital, cuts {} of the permitting left, and has a {} chance",
                pct(crate::rules::orders::UPFRONT_SHARE),
                num(r.permit_reform_cost),
                pct(r.permit_reform_cut),
                pct(r.permit_reform_backlash)
            ),
        );
        assert_figure(
            e,
            "research",
            &format!(
                "recycling covers up to {} of magnet need; substitution cuts Dy/Tb per magnet by up to {}; processing cuts separation-plant cost and permitting time by up to {}",
                pct(r.recycling_max),
                pct(r.substitution_max),
                pct(r.processing_max)
            ),
        );
        assert_eq!(r.research_scale, 1.0, "the research page speaks of US$1 bn");
        assert_figure(
            e,
            "research",
            &format!(
                "about {:.0}% of the full effect",
                100.0 * (1.0 - (-1.0f64).exp())
            ),
        );
        assert_figure(
            e,
            "magnets",
            &format!("up to {} of a power's magnet need", pct(r.recycling_max)),
        );
        assert_figure(
            e,
            "separation",
            &format!("by up to {}", pct(r.processing_max)),
        );
        assert_figure(
            e,
            "light-heavy",
            &format!(
                "gives {} kt of NdPr oxide and recovers {} of its Dy/Tb",
                num(r.light_yield),
                pct(r.heavy_recovery)
            ),
        );
        assert_figure(
            e,
            "light-heavy",
            &format!(
                "needs {} kt of NdPr oxide and {} kt of Dy/Tb oxide",
                num(r.magnet_light_per_kt),
                num(r.magnet_heavy_per_kt)
            ),
        );
        assert_figure(
            e,
            "deals",
            &format!(
                "open for {} turns; an accepted deal gives both sides {} trust; a breach costs {} trust and {} political capital",
                r.proposal_turns,
                num(r.deal_trust_gain),
                num(r.breach_trust_penalty),
                num(r.breach_capital_penalty)
            ),
        );
        assert_figure(
            e,
            "market-prices",
            &format!("up to {} times the base price", num(r.procurement_cap)),
        );
        assert_figure(
            e,
            "war-minerals",
            &format!("once a ceasefire has held for {} quarters", w.peace_after),
        );
        assert_figure(
            e,
            "war-minerals",
            &format!(
                "at most {} of its rare-earth deposits, {} with security guarantees",
                pct(w.ukraine_bound),
                pct(w.ukraine_bound + w.guarantee_bonus)
            ),
        );
        // Objectives and starting relations.
        let target = |p: &crate::level::schema::PowerSetup, f: fn(&ObjectiveKind) -> bool| {
            p.objectives
                .iter()
                .find(|o| f(&o.kind))
                .map(|o| o.target)
                .expect("objective")
        };
        assert_figure(
            e,
            "supply-security",
            &format!(
                "supply security of at least {}",
                pct(target(us, |k| matches!(k, ObjectiveKind::SupplySecurity)))
            ),
        );
        assert_figure(
            e,
            "war-minerals",
            &format!(
                "Russia holding at most {}",
                pct(target(us, |k| matches!(k, ObjectiveKind::WarEnded)))
            ),
        );
        assert_figure(
            e,
            "tariffs",
            &format!(
                "a US tariff of {} or less",
                pct(target(cn, |k| matches!(
                    k,
                    ObjectiveKind::TariffsLifted { .. }
                )))
            ),
        );
        let tariff = |from: PowerId, to: PowerId| {
            level
                .relations
                .iter()
                .find(|r| r.from == from && r.to == to)
                .map(|r| r.tariff)
                .unwrap()
        };
        assert_figure(
            e,
            "tariffs",
            &format!(
                "US tariff on China {}, China's on the US {}",
                pct(tariff(PowerId::Us, PowerId::China)),
                pct(tariff(PowerId::China, PowerId::Us))
            ),
        );
    }
}
