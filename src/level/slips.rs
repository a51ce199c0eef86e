//! Parser errors in words a teacher can act on. `ron` says where it got
//! stuck and what it expected; the common slips (a `"` inside a text, curly
//! quotes from a word processor, `100%`, a comma missing at the end of a
//! line, names inside a variant that takes its values in order) are
//! recognised from the text around that place and told as what to write
//! instead, at the place to fix.

use ron::error::Error;
use serde_json::Value;

use super::schema::{Condition, Effect, ObjectiveKind, StepCheck};

/// Where to point and what to say for `ron`'s error `code` at 1-based
/// (`line`, `col`) in `text`.
pub fn explain(text: &str, code: &Error, line: usize, col: usize) -> ((usize, usize), String) {
    let plain = code.to_string();
    let lines: Vec<Vec<char>> = text.lines().map(|l| l.chars().collect()).collect();
    let Some(row) = lines.get(line.wrapping_sub(1)) else {
        return ((line, col), plain);
    };
    let at = col.saturating_sub(1);
    let here = row.get(at).copied();

    // Curly quotes pasted from a word processor, at (or just before) the error.
    let window = at.saturating_sub(1).min(row.len())..row.len().min(at + 3);
    if let Some(i) = window.clone().find(|i| "“”‘’„«»".contains(row[*i])) {
        let (q, qcol) = (row[i], i + 1);
        return (
            (line, qcol),
            format!(
                "use straight quotes \"…\", not “…”: the {q} here is a curly quote (a word processor puts them in)"
            ),
        );
    }

    // `100%`: a percentage where a fraction is written.
    if here == Some('%') {
        let digits: String = row[..at]
            .iter()
            .rev()
            .take_while(|c| c.is_ascii_digit() || **c == '.')
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        if let Ok(n) = digits.parse::<f64>() {
            return (
                (line, col),
                format!(
                    "write {} for {digits}%: shares, rates and chances are fractions (1.0 means 100%, 0.25 means 25%), with no % sign",
                    fraction(n / 100.0)
                ),
            );
        }
    }

    // The last character before the error, skipping spaces and comments.
    let before = previous_char(&lines, line - 1, at);

    if matches!(
        code,
        Error::ExpectedComma | Error::ExpectedStructLikeEnd | Error::ExpectedArrayEnd
    ) {
        let next_is_field = word_then_colon(row, at);
        if let Some((bl, bc, c)) = before {
            if bl + 1 < line {
                // The thing before ends on an earlier line: its comma is missing.
                return (
                    (bl + 1, bc + 2),
                    format!("a missing comma at the end of line {}", bl + 1),
                );
            }
            if c == '"' && !next_is_field && bl + 1 == line {
                return (
                    (line, bc + 1),
                    "this \" ends the text early: write \\\" for a quote inside a text (or use ' instead)"
                        .to_string(),
                );
            }
            if next_is_field {
                return (
                    (line, bc + 2),
                    "a missing comma before the next field".to_string(),
                );
            }
        }
    }

    match code {
        Error::NoSuchEnumVariant { found, .. } if word_then_colon(row, at) => {
            if let Some(advice) = positional_advice(&lines, line - 1, at, found) {
                return ((line, col), advice);
            }
        }
        Error::MissingStructField { field, outer } => {
            let what = outer.as_deref().unwrap_or("this record");
            return (
                (line, col),
                format!(
                    "`{field}` is missing: every {what} needs it (see docs/levels.md, `{what}`)"
                ),
            );
        }
        _ => {}
    }
    // A variant that names its values written without names.
    if matches!(
        code,
        Error::ExpectedIdentifier
            | Error::ExpectedMapColon
            | Error::ExpectedStructLike
            | Error::ExpectedNamedStructLike(_)
    ) && let Some(advice) = named_advice(&lines, line - 1, at)
    {
        return ((line, col), advice);
    }
    ((line, col), plain)
}

/// 1.0 for 1, 0.25 for 0.25: as a level writes it.
fn fraction(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.1}")
    } else {
        format!("{x}")
    }
}

/// The last non-space character before (row, at), outside comments, as
/// (row, index, char).
fn previous_char(lines: &[Vec<char>], row: usize, at: usize) -> Option<(usize, usize, char)> {
    let mut r = row;
    let mut end = at;
    loop {
        let l = &lines[r];
        // Ignore a `//` comment on this line (outside texts, roughly).
        let code_end = comment_start(l).unwrap_or(l.len()).min(end);
        if let Some(i) = (0..code_end).rev().find(|i| !l[*i].is_whitespace()) {
            return Some((r, i, l[i]));
        }
        if r == 0 {
            return None;
        }
        r -= 1;
        end = usize::MAX;
    }
}

/// Where a `//` comment starts on a line, outside a text.
fn comment_start(l: &[char]) -> Option<usize> {
    let mut in_text = false;
    let mut i = 0;
    while i < l.len() {
        match l[i] {
            '\\' if in_text => i += 1,
            '"' => in_text = !in_text,
            '/' if !in_text && l.get(i + 1) == Some(&'/') => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

/// Does a word followed by `:` start at `at`?
fn word_then_colon(row: &[char], at: usize) -> bool {
    let mut i = at;
    while i < row.len() && (row[i].is_alphanumeric() || row[i] == '_') {
        i += 1;
    }
    if i == at {
        return false;
    }
    while i < row.len() && row[i] == ' ' {
        i += 1;
    }
    row.get(i) == Some(&':') && row.get(i + 1) != Some(&':')
}

/// The `Name(` that encloses (row, at): the variant name and where its
/// arguments start.
fn enclosing_call(lines: &[Vec<char>], row: usize, at: usize) -> Option<(String, usize, usize)> {
    let mut depth = 0;
    let mut r = row;
    let mut i = at;
    loop {
        while i > 0 {
            i -= 1;
            match lines[r][i] {
                ')' | ']' => depth += 1,
                '[' if depth == 0 => return None,
                '(' | '[' if depth > 0 => depth -= 1,
                '(' => {
                    let name: String = lines[r][..i]
                        .iter()
                        .rev()
                        .take_while(|c| c.is_alphanumeric() || **c == '_')
                        .collect::<Vec<_>>()
                        .into_iter()
                        .rev()
                        .collect();
                    return (!name.is_empty()).then_some((name, r, i + 1));
                }
                _ => {}
            }
        }
        if r == 0 {
            return None;
        }
        r -= 1;
        i = lines[r].len();
    }
}

/// The text from (row, start) to the `)` that closes it (same depth).
fn call_args(lines: &[Vec<char>], row: usize, start: usize) -> Option<String> {
    let mut depth = 0;
    let mut out = String::new();
    let mut r = row;
    let mut i = start;
    let mut in_text = false;
    while r < lines.len() && r < row + 20 {
        while i < lines[r].len() {
            let c = lines[r][i];
            if c == '"' {
                in_text = !in_text;
            }
            if !in_text {
                match c {
                    '(' | '[' => depth += 1,
                    ')' | ']' if depth == 0 => return Some(out),
                    ')' | ']' => depth -= 1,
                    _ => {}
                }
            }
            out.push(c);
            i += 1;
        }
        out.push(' ');
        r += 1;
        i = 0;
    }
    None
}

/// Split at top-level commas.
fn split_args(args: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut depth = 0;
    let mut cur = String::new();
    let mut in_text = false;
    for c in args.chars() {
        match c {
            '"' => in_text = !in_text,
            '(' | '[' if !in_text => depth += 1,
            ')' | ']' if !in_text => depth -= 1,
            ',' if depth == 0 && !in_text => {
                parts.push(cur.trim().to_string());
                cur.clear();
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    if !cur.trim().is_empty() {
        parts.push(cur.trim().to_string());
    }
    parts
}

/// How a variant is written, from the schemas of the choices a level has:
/// `Ok(n)` for `Name(v1, ..., vn)`, `Err(fields)` for `Name(f1: .., ...)`,
/// with the doc comment's example.
fn variant_form(name: &str) -> Option<(Result<usize, Vec<String>>, Option<String>)> {
    let schemas = [
        schemars::schema_for!(Effect),
        schemars::schema_for!(Condition),
        schemars::schema_for!(ObjectiveKind),
        schemars::schema_for!(StepCheck),
    ];
    for s in &schemas {
        for v in s
            .as_value()
            .get("oneOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(value) = v.get("properties").and_then(|p| p.get(name)) else {
                continue;
            };
            let example = v
                .get("description")
                .and_then(Value::as_str)
                .map(|d| d.replace('\n', " "))
                .and_then(|d| {
                    d.split_once("Example: `")
                        .and_then(|(_, r)| r.split_once('`'))
                        .map(|(e, _)| e.to_string())
                });
            let form = if let Some(items) = value.get("prefixItems").and_then(Value::as_array) {
                Ok(items.len())
            } else if let Some(props) = value.get("properties").and_then(Value::as_object) {
                Err(props.keys().cloned().collect())
            } else {
                Ok(1)
            };
            return Some((form, example));
        }
    }
    None
}

/// `Stockpile(power: us, ...)`: the variant takes its values in order.
fn positional_advice(lines: &[Vec<char>], row: usize, at: usize, found: &str) -> Option<String> {
    let (name, r, start) = enclosing_call(lines, row, at)?;
    let (form, example) = variant_form(&name)?;
    let Ok(arity) = form else { return None };
    let args = split_args(&call_args(lines, r, start)?);
    let values: Vec<String> = args
        .iter()
        .map(|a| match a.split_once(':') {
            Some((k, v)) if k.trim().chars().all(|c| c.is_alphanumeric() || c == '_') => {
                v.trim().to_string()
            }
            _ => a.clone(),
        })
        .collect();
    let write = if values.len() == arity {
        format!("{name}({})", values.join(", "))
    } else {
        example.unwrap_or_else(|| format!("{name}(...)"))
    };
    Some(format!(
        "{name} takes its {arity} values in order, without names (`{found}:` is not needed): write {write}"
    ))
}

/// `SetTariff(us, china, 0.45)`: the variant names its values.
fn named_advice(lines: &[Vec<char>], row: usize, at: usize) -> Option<String> {
    let (name, r, start) = enclosing_call(lines, row, at)?;
    let (form, example) = variant_form(&name)?;
    let Err(fields) = form else { return None };
    let args = split_args(&call_args(lines, r, start)?);
    let write = if args.len() == fields.len() && args.iter().all(|a| !a.contains(':')) {
        let named: Vec<String> = fields
            .iter()
            .zip(&args)
            .map(|(f, v)| format!("{f}: {v}"))
            .collect();
        format!("{name}({})", named.join(", "))
    } else {
        example.unwrap_or_else(|| format!("{name}({}: ...)", fields.join(": ..., ")))
    };
    Some(format!(
        "{name} names each of its values ({}): write {write}",
        fields.join(", ")
    ))
}
