//! The level reference, `docs/levels.md`, made from the level types' own
//! JSON schema (schemars reads their doc comments and serde attributes) and
//! written out in the RON a teacher types. Nothing here lists fields or
//! variants: a new one in `src/rules/params.rs` shows up by itself, with its doc comment.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use serde_json::{Map, Value};

use super::schema::Level;

/// The command that writes the reference, for the file's header and the
/// staleness test's message.
pub const REGENERATE: &str = "cargo run -- docs levels --out docs/levels.md";

/// The reference as Markdown.
pub fn levels_reference() -> String {
    let schema = schemars::schema_for!(Level);
    let root = schema.as_value();
    let empty = Map::new();
    let defs = root
        .get("$defs")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let r = Renderer { defs };

    // Sections in the order a level file meets them.
    let mut order = Vec::new();
    let mut seen = BTreeSet::new();
    r.collect(root, &mut order, &mut seen);
    let (mut records, mut choices, mut names) = (Vec::new(), Vec::new(), Vec::new());
    for name in &order {
        let def = &defs[name.as_str()];
        if def.get("properties").is_some() {
            records.push(name.clone());
        } else if variants(def).iter().any(|v| v.get("properties").is_some()) {
            choices.push(name.clone());
        } else {
            names.push(name.clone());
        }
    }

    let mut md = String::new();
    md.push_str("# Level files: the reference\n\n");
    let _ = writeln!(
        md,
        "<!-- Made from the game's level types by `{REGENERATE}`: do not edit by hand; change the doc comments in src/rules/params.rs and src/rules/types.rs instead. -->\n"
    );
    md.push_str(INTRO);
    md.push_str("\n## Contents\n\n");
    md.push_str("- [`Level`](#level): the whole file\n");
    for name in records.iter().chain(&choices).chain(&names) {
        let _ = writeln!(
            md,
            "- [`{}`](#{}): {}",
            display_name(name),
            anchor(name),
            first_sentence(&description(&defs[name.as_str()]))
        );
    }
    md.push('\n');

    md.push_str("## Records\n\n");
    md.push_str("A record is written `(field: value, field: value)`. Every field without a default must be given; the others may be left out.\n\n");
    r.record(&mut md, "Level", root);
    for name in &records {
        r.record(&mut md, name, &defs[name.as_str()]);
    }
    md.push_str("## Conditions, effects and other choices with values\n\n");
    md.push_str("Write one of the forms listed. In `Name(a, b)` the values come in that order, without names; in `Name(x: a, y: b)` each value is named.\n\n");
    for name in &choices {
        r.choice(&mut md, name, &defs[name.as_str()]);
    }
    md.push_str("## Names and values\n\n");
    for name in &names {
        r.names(&mut md, name, &defs[name.as_str()]);
    }
    md
}

const INTRO: &str = "A level is one RON file: the starting world (powers, deposits, plants, outside suppliers, the market, relations, the war), the event deck, what each power is scored on, and the briefing. `rare-earth-gambit validate FILE` checks a file: errors give `FILE:LINE:COL: message` and refuse it, warnings (`warning:`) point at things that are allowed but probably not meant (a card that can never fire, an objective met before anyone plays, ...). `rare-earth-gambit new-level --from classroom --start 2026Q1 --turns 8 --out my-level.ron` writes a valid level to start from, and `rare-earth-gambit validate my-level.ron --playtest 20` plays it with computer players.

How RON is written:

- A record: `(name: \"Mountain Pass\", reserves: 1400.0)`. Fields in any order, each followed by a comma (a comma after the last one is fine). An unknown field is an error, so a typo is caught.
- A list: `[us, china]`, or `[]` for none.
- A pair: `(HeavyOxides, Licensing)`.
- A text: `\"...\"` in straight double quotes (not “ ” from a word processor). Write `\\\"` for a quote inside a text; a text may run over several lines.
- A number: `0.25`, with a dot and no `%` or units: shares, rates and chances are fractions, so 25% is `0.25` and 100% is `1.0`. Where it says *whole number*, write no dot: `12`.
- A name from a list of choices, as it is written here: `us`, `HeavyOxides`, `Licensing`, `Active`.
- A comment: `// to the end of the line`.

Units: one turn is one quarter of a year. Quantities are kilotonnes (kt) per quarter: ore concentrate and oxides in kt of rare-earth oxide (REO), magnets in kt of magnet. Money is in US$ billions (bn). Prices are in US$ per kg. Trust, stability and political capital run from 0 to 100.
";

/// The oneOf entries of an enum's schema, or its `enum` values as consts.
fn variants(def: &Value) -> Vec<Value> {
    if let Some(list) = def.get("oneOf").and_then(Value::as_array) {
        let mut out = Vec::new();
        for v in list {
            // Unit variants without docs come grouped as `enum: [..]`.
            match v.get("enum").and_then(Value::as_array) {
                Some(values) => {
                    for value in values {
                        out.push(serde_json::json!({ "const": value }));
                    }
                }
                None => out.push(v.clone()),
            }
        }
        out
    } else if let Some(values) = def.get("enum").and_then(Value::as_array) {
        values
            .iter()
            .map(|v| serde_json::json!({ "const": v }))
            .collect()
    } else {
        Vec::new()
    }
}

fn description(schema: &Value) -> String {
    schema
        .get("description")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string()
}

/// Doc-comment text as Markdown: wrapped lines joined, paragraphs kept.
fn prose(text: &str) -> String {
    text.split("\n\n")
        .map(|p| p.lines().map(str::trim).collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Prose on one line (for list items).
fn one_line(text: &str) -> String {
    prose(text).replace("\n\n", " ")
}

fn first_sentence(text: &str) -> String {
    let p = one_line(text);
    match p.find(". ") {
        Some(i) => p[..=i].to_string(),
        None => p,
    }
}

/// `KindTable_of_uint32` → `KindTable (whole numbers)`.
fn display_name(name: &str) -> String {
    match name.split_once("_of_") {
        Some((base, param)) => format!("{base} ({})", plural(param)),
        None => name.to_string(),
    }
}

fn plural(param: &str) -> String {
    match param {
        "uint8" | "uint16" | "uint32" | "uint64" | "int32" | "int64" | "uint" => {
            "whole numbers".into()
        }
        "double" | "float" => "numbers".into(),
        other => other.to_string(),
    }
}

/// The Markdown anchor of a section heading `` `Name` ``.
fn anchor(name: &str) -> String {
    display_name(name)
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            'a'..='z' | '0'..='9' | '-' | '_' => Some(c),
            ' ' => Some('-'),
            _ => None,
        })
        .collect()
}

fn ref_name(schema: &Value) -> Option<&str> {
    schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/$defs/"))
}

struct Renderer<'a> {
    defs: &'a Map<String, Value>,
}

impl Renderer<'_> {
    /// Every definition `schema` refers to, depth first, in field order.
    fn collect(&self, schema: &Value, order: &mut Vec<String>, seen: &mut BTreeSet<String>) {
        match schema {
            Value::Object(map) => {
                if let Some(name) = ref_name(schema) {
                    if seen.insert(name.to_string()) {
                        order.push(name.to_string());
                        if let Some(def) = self.defs.get(name) {
                            self.collect(def, order, seen);
                        }
                    }
                    return;
                }
                for (key, v) in map {
                    if key != "$defs" && key != "default" {
                        self.collect(v, order, seen);
                    }
                }
            }
            Value::Array(list) => {
                for v in list {
                    self.collect(v, order, seen);
                }
            }
            _ => {}
        }
    }

    fn def<'s>(&'s self, schema: &'s Value) -> Option<(&'s str, &'s Value)> {
        let name = ref_name(schema)?;
        Some((name, self.defs.get(name)?))
    }

    /// What to write for a value of this schema, in words with links.
    fn type_words(&self, schema: &Value) -> String {
        if let Some((name, def)) = self.def(schema) {
            let link = format!("[`{}`](#{})", display_name(name), anchor(name));
            return if def.get("properties").is_some() {
                format!("a {link} record")
            } else {
                link
            };
        }
        if let Some(any) = schema.get("anyOf").and_then(Value::as_array) {
            let inner: Vec<String> = any
                .iter()
                .filter(|s| s.get("type").and_then(Value::as_str) != Some("null"))
                .map(|s| self.type_words(s))
                .collect();
            return format!("{}, or left out", inner.join(" or "));
        }
        if let Some(items) = schema.get("prefixItems").and_then(Value::as_array) {
            let parts: Vec<String> = items.iter().map(|s| self.short_type(s)).collect();
            return format!("a pair `({})`", parts.join(", "));
        }
        match schema.get("type") {
            Some(Value::Array(types)) => {
                let inner: Vec<&str> = types
                    .iter()
                    .filter_map(Value::as_str)
                    .filter(|t| *t != "null")
                    .collect();
                let mut s = schema.clone();
                if let Some(first) = inner.first() {
                    s["type"] = Value::String(first.to_string());
                }
                format!("{}, or left out", self.type_words(&s))
            }
            Some(Value::String(t)) => match t.as_str() {
                "array" => match schema.get("items") {
                    Some(items) => format!("a list of {}", self.plural_words(items)),
                    None => "a list".into(),
                },
                "integer" => "a whole number".into(),
                "number" => "a number".into(),
                "string" => "a text".into(),
                "boolean" => "`true` or `false`".into(),
                "object" => "a record".into(),
                other => other.to_string(),
            },
            _ => "a value".into(),
        }
    }

    fn plural_words(&self, schema: &Value) -> String {
        let words = self.type_words(schema);
        for (one, many) in [
            ("a whole number", "whole numbers"),
            ("a number", "numbers"),
            ("a text", "texts"),
        ] {
            if words == one {
                return many.into();
            }
        }
        if let Some(rest) = words.strip_suffix(" record") {
            return format!("{} records", rest.trim_start_matches("a "));
        }
        if let Some(rest) = words.strip_prefix("a pair ") {
            return format!("pairs {rest}");
        }
        words
    }

    /// A type as a placeholder inside a signature: `PowerId`, `number`.
    fn short_type(&self, schema: &Value) -> String {
        if let Some(name) = ref_name(schema) {
            return display_name(name);
        }
        if let Some(items) = schema.get("prefixItems").and_then(Value::as_array) {
            let parts: Vec<String> = items.iter().map(|s| self.short_type(s)).collect();
            return format!("({})", parts.join(", "));
        }
        match schema.get("type").and_then(Value::as_str) {
            Some("integer") => "whole number".into(),
            Some("number") => "number".into(),
            Some("string") => "\"text\"".into(),
            Some("boolean") => "true/false".into(),
            Some("array") => match schema.get("items") {
                Some(items) => format!("[{}, ...]", self.short_type(items)),
                None => "[...]".into(),
            },
            _ => "value".into(),
        }
    }

    /// A default value as RON.
    fn ron_value(&self, schema: &Value, value: &Value) -> String {
        match value {
            Value::Null => "none".into(),
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => {
                let integer = schema.get("type").and_then(Value::as_str) == Some("integer");
                match (n.as_f64(), integer) {
                    (Some(f), false) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.1}"),
                    _ => n.to_string(),
                }
            }
            Value::String(s) => {
                // A name from a list of choices is written bare.
                if let Some((_, def)) = self.def(schema)
                    && def.get("properties").is_none()
                    && def.get("type").and_then(Value::as_str) != Some("string")
                {
                    s.clone()
                } else if def_is_enum(schema, self.defs) {
                    s.clone()
                } else {
                    format!("{s:?}")
                }
            }
            Value::Array(list) if list.is_empty() => "[]".into(),
            Value::Array(_) => value.to_string(),
            Value::Object(map) => {
                if map.values().all(|v| v.as_f64() == Some(0.0)) {
                    "all 0".into()
                } else {
                    "every field at its own default".into()
                }
            }
        }
    }

    fn record(&self, md: &mut String, name: &str, def: &Value) {
        let _ = writeln!(md, "### `{}`\n", display_name(name));
        let text = prose(&description(def));
        if !text.is_empty() {
            let _ = writeln!(md, "{text}\n");
        }
        let required: BTreeSet<&str> = def
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let empty = Map::new();
        let props = def
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        for (field, schema) in props {
            let ty = self.type_words(schema);
            let need = if required.contains(field.as_str()) {
                "required".to_string()
            } else {
                match schema.get("default") {
                    Some(d) => format!("default {}", self.default_words(schema, d)),
                    None => "optional".to_string(),
                }
            };
            let text = one_line(&description(schema));
            let _ = writeln!(md, "- **`{field}`** ({ty}; {need}): {text}");
        }
        md.push('\n');
    }

    fn default_words(&self, schema: &Value, d: &Value) -> String {
        let v = self.ron_value(schema, d);
        match d {
            Value::Null => "none".into(),
            Value::Object(_) => v,
            _ => format!("`{v}`"),
        }
    }

    /// A variant's RON form: `Name`, `Name(T1, T2)` or `Name(a: T1, b: T2)`.
    fn signature(&self, variant: &Value) -> Option<String> {
        if let Some(c) = variant.get("const").and_then(Value::as_str) {
            return Some(c.to_string());
        }
        let (name, value) = variant.get("properties")?.as_object()?.iter().next()?;
        let inner = if let Some(items) = value.get("prefixItems").and_then(Value::as_array) {
            items
                .iter()
                .map(|s| self.short_type(s))
                .collect::<Vec<_>>()
                .join(", ")
        } else if let Some(props) = value.get("properties").and_then(Value::as_object) {
            props
                .iter()
                .map(|(f, s)| format!("{f}: {}", self.short_type(s)))
                .collect::<Vec<_>>()
                .join(", ")
        } else {
            self.short_type(value)
        };
        Some(format!("{name}({inner})"))
    }

    fn choice(&self, md: &mut String, name: &str, def: &Value) {
        let _ = writeln!(md, "### `{}`\n", display_name(name));
        let text = prose(&description(def));
        if !text.is_empty() {
            let _ = writeln!(md, "{text}\n");
        }
        for v in variants(def) {
            let Some(sig) = self.signature(&v) else {
                continue;
            };
            let text = one_line(&description(&v));
            let _ = writeln!(md, "- **`{sig}`**: {text}");
        }
        md.push('\n');
        // The types the values take, linked once.
        let mut used = Vec::new();
        let mut seen = BTreeSet::new();
        self.collect(&Value::Array(variants(def)), &mut used, &mut seen);
        if !used.is_empty() {
            let links: Vec<String> = used
                .iter()
                .map(|n| format!("[`{}`](#{})", display_name(n), anchor(n)))
                .collect();
            let _ = writeln!(md, "The values: {}.\n", links.join(", "));
        }
    }

    fn names(&self, md: &mut String, name: &str, def: &Value) {
        let _ = writeln!(md, "### `{}`\n", display_name(name));
        let text = prose(&description(def));
        if !text.is_empty() {
            let _ = writeln!(md, "{text}\n");
        }
        let list = variants(def);
        if list.is_empty() {
            // A value written as text (a date).
            if let Some(p) = def.get("pattern").and_then(Value::as_str) {
                let _ = writeln!(md, "Written as a text matching `{p}`.\n");
            }
            return;
        }
        if list.iter().all(|v| v.get("description").is_none()) {
            let all: Vec<String> = list
                .iter()
                .filter_map(|v| self.signature(v))
                .map(|s| format!("`{s}`"))
                .collect();
            let _ = writeln!(md, "One of: {}.\n", all.join(", "));
            return;
        }
        for v in list {
            if let Some(sig) = self.signature(&v) {
                let text = one_line(&description(&v));
                if text.is_empty() {
                    let _ = writeln!(md, "- **`{sig}`**");
                } else {
                    let _ = writeln!(md, "- **`{sig}`**: {text}");
                }
            }
        }
        md.push('\n');
    }
}

fn def_is_enum(schema: &Value, defs: &Map<String, Value>) -> bool {
    ref_name(schema)
        .and_then(|n| defs.get(n))
        .is_some_and(|d| !variants(d).is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::level::schema::{Condition, Effect};

    /// The examples in the doc comments of every condition and effect.
    fn examples<T: schemars::JsonSchema>() -> Vec<(String, String)> {
        let schema = schemars::schema_for!(T);
        variants(schema.as_value())
            .iter()
            .map(|v| {
                let name = v
                    .get("const")
                    .and_then(Value::as_str)
                    .map(String::from)
                    .or_else(|| {
                        v.get("properties")
                            .and_then(Value::as_object)
                            .and_then(|p| p.keys().next().cloned())
                    })
                    .unwrap();
                let d = one_line(&description(v));
                let example = d
                    .split_once("Example: `")
                    .and_then(|(_, rest)| rest.split_once('`'))
                    .map(|(e, _)| e.to_string())
                    .unwrap_or_else(|| {
                        panic!("{name} has no \"Example: `...`\" in its doc comment")
                    });
                (name, example)
            })
            .collect()
    }

    #[test]
    fn every_condition_and_effect_has_an_example_that_parses_as_itself() {
        for (name, example) in examples::<Condition>() {
            let c: Condition = ron::from_str(&example).unwrap_or_else(|e| panic!("{example}: {e}"));
            assert!(format!("{c:?}").starts_with(&name), "{example}");
        }
        for (name, example) in examples::<Effect>() {
            let e: Effect = ron::from_str(&example).unwrap_or_else(|e| panic!("{example}: {e}"));
            assert!(format!("{e:?}").starts_with(&name), "{example}");
        }
    }

    #[test]
    fn the_reference_covers_every_field_in_ron_words() {
        let md = levels_reference();
        // Fields, defaults and forms as a teacher writes them.
        for needle in [
            "- **`start_year`** (a whole number; required)",
            "- **`ceasefire_break`** (a number; default `0.08`)",
            "- **`action_points`** (a whole number; default `3`)",
            "**`SetTariff(by: PowerId, on: PowerId, rate: number)`**",
            "**`Stockpile(PowerId, Good, number)`**",
            "**`TurnAtLeast(whole number)`**",
            "**`Ceasefire`**",
            "- **`open_to`** (a list of [`PowerId`](#powerid)",
            "- **`sanctions`** ([`SanctionsLevel`](#sanctionslevel); default `None`)",
            "One of: `us`, `china`, `russia`.",
            "### `KindTable (whole numbers)`",
        ] {
            assert!(md.contains(needle), "missing {needle}");
        }
        // Every field of every record has words.
        for line in md.lines().filter(|l| l.starts_with("- **`")) {
            assert!(!line.trim_end().ends_with(':'), "no description: {line}");
        }
        // Every link goes to a section of the file.
        for part in md.split("](#").skip(1) {
            let target = part.split(')').next().unwrap();
            assert!(
                md.lines().any(|l| l
                    .strip_prefix("### `")
                    .and_then(|r| r.strip_suffix('`'))
                    .map(anchor)
                    .as_deref()
                    == Some(target)),
                "broken link #{target}"
            );
        }
    }
}
