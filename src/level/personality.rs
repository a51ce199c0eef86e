//! The computer players' personalities as data: `assets/ai/personalities.ron`
//! (compiled in), read and checked here so that a level's `ai_personality`
//! can be validated without the AI. What a personality does is in
//! `crate::ai::personality`.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Personality {
    pub description: String,
    pub deal_eagerness: f64,
    pub hostility: f64,
    pub self_reliance: f64,
    pub war: f64,
    /// The route the US player may take (from the level's `ai_route`, not
    /// from the personalities file).
    #[serde(skip)]
    pub route: super::schema::AiRoute,
}

impl Personality {
    pub fn balanced() -> Personality {
        Personality {
            description: String::new(),
            deal_eagerness: 1.0,
            hostility: 1.0,
            self_reliance: 1.0,
            war: 1.0,
            route: super::schema::AiRoute::Mixed,
        }
    }
}

const FILE: &str = include_str!("../../assets/ai/personalities.ron");

/// Every personality by name.
pub fn all() -> &'static BTreeMap<String, Personality> {
    static ALL: OnceLock<BTreeMap<String, Personality>> = OnceLock::new();
    ALL.get_or_init(|| parse(FILE).expect("assets/ai/personalities.ron is valid (tested)"))
}

/// Parse a personalities file; every figure must be a finite number in 0.1..=3.
pub fn parse(text: &str) -> Result<BTreeMap<String, Personality>, String> {
    let map: BTreeMap<String, Personality> =
        ron::from_str(text).map_err(|e| format!("personalities.ron:{e}"))?;
    for (name, p) in &map {
        for (field, v) in [
            ("deal_eagerness", p.deal_eagerness),
            ("hostility", p.hostility),
            ("self_reliance", p.self_reliance),
            ("war", p.war),
        ] {
            if !(0.1..=3.0).contains(&v) {
                return Err(format!(
                    "personality {name}: {field} is {v}, must be 0.1 to 3"
                ));
            }
        }
    }
    if !map.contains_key("balanced") {
        return Err("personalities.ron must define \"balanced\"".into());
    }
    Ok(map)
}
