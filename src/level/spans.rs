//! Where things are in a level's text: a small reader of RON's shape
//! (records, tuples, lists, values) that keeps each part's line and column,
//! so a warning can point at the card, field or effect it is about. The text
//! has already been parsed by `ron`, so this only follows valid RON and gives
//! up (no position) on anything else.

/// 1-based line and column (in characters).
pub type Pos = (usize, usize);

/// One step of a path into a level: a field of a record or an item of a list
/// or tuple.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    Field(String),
    Index(usize),
}

impl From<&str> for Step {
    fn from(s: &str) -> Step {
        Step::Field(s.to_string())
    }
}

impl From<usize> for Step {
    fn from(i: usize) -> Step {
        Step::Index(i)
    }
}

/// A path such as `events[3].conditions[1]`: `path!["events", 3, "conditions", 1]`.
#[macro_export]
macro_rules! level_path {
    ($($step:expr),* $(,)?) => {
        vec![$($crate::level::spans::Step::from($step)),*]
    };
}

/// A value of the text with where it starts.
#[derive(Clone, Debug)]
pub struct Spanned {
    pub pos: Pos,
    pub node: Node,
}

#[derive(Clone, Debug)]
pub enum Node {
    /// `Name(a: 1, b: 2)` or `(a: 1)`: fields with where their names start.
    Record(Vec<(String, Pos, Spanned)>),
    /// `Name(1, 2)`, `(1, 2)` or `Some(x)`.
    Tuple(Vec<Spanned>),
    List(Vec<Spanned>),
    /// A number, identifier, text (unescaped) or character.
    Atom(String),
}

impl Spanned {
    /// The position of the value at `path` (for a field, where its name starts).
    pub fn locate(&self, path: &[Step]) -> Option<Pos> {
        let mut here = self;
        let mut pos = self.pos;
        for step in path {
            // `Some(x)` written out: look through it.
            if let Node::Tuple(items) = &here.node
                && items.len() == 1
                && matches!(step, Step::Field(_))
            {
                here = &items[0];
            }
            match (step, &here.node) {
                (Step::Field(name), Node::Record(fields)) => {
                    let (_, at, value) = fields.iter().find(|(n, _, _)| n == name)?;
                    pos = *at;
                    here = value;
                }
                (Step::Index(i), Node::List(items) | Node::Tuple(items)) => {
                    here = items.get(*i)?;
                    pos = here.pos;
                }
                _ => return None,
            }
        }
        Some(pos)
    }
}

/// Read the shape of a level's text; `None` if it is not RON this reader follows.
pub fn read(text: &str) -> Option<Spanned> {
    let tokens = tokens(text)?;
    let mut p = Parser { tokens, at: 0 };
    let value = p.value(0)?;
    Some(value)
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Open(char),
    Close(char),
    Comma,
    Colon,
    Word(String),
    Text(String),
}

fn tokens(text: &str) -> Option<Vec<(Tok, Pos)>> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line, mut col) = (0, 1, 1);
    // Move on one character, keeping the line and column.
    let step = |i: &mut usize, line: &mut usize, col: &mut usize| {
        if chars[*i] == '\n' {
            *line += 1;
            *col = 1;
        } else {
            *col += 1;
        }
        *i += 1;
    };
    while i < chars.len() {
        let c = chars[i];
        let pos = (line, col);
        let next = chars.get(i + 1).copied();
        if c.is_whitespace() {
            step(&mut i, &mut line, &mut col);
        } else if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                step(&mut i, &mut line, &mut col);
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            loop {
                if i + 1 >= chars.len() {
                    return None;
                }
                if chars[i] == '/' && chars[i + 1] == '*' {
                    depth += 1;
                    step(&mut i, &mut line, &mut col);
                } else if chars[i] == '*' && chars[i + 1] == '/' {
                    depth -= 1;
                    step(&mut i, &mut line, &mut col);
                    if depth == 0 {
                        step(&mut i, &mut line, &mut col);
                        break;
                    }
                }
                step(&mut i, &mut line, &mut col);
            }
        } else if c == '#' {
            // `#![enable(...)]`: skip the attribute.
            while i < chars.len() && chars[i] != ']' {
                step(&mut i, &mut line, &mut col);
            }
            step(&mut i, &mut line, &mut col);
        } else if "([{".contains(c) {
            out.push((Tok::Open(c), pos));
            step(&mut i, &mut line, &mut col);
        } else if ")]}".contains(c) {
            out.push((Tok::Close(c), pos));
            step(&mut i, &mut line, &mut col);
        } else if c == ',' {
            out.push((Tok::Comma, pos));
            step(&mut i, &mut line, &mut col);
        } else if c == ':' {
            out.push((Tok::Colon, pos));
            step(&mut i, &mut line, &mut col);
        } else if c == '"' || (c == 'b' && next == Some('"')) {
            if c == 'b' {
                step(&mut i, &mut line, &mut col);
            }
            step(&mut i, &mut line, &mut col);
            let mut s = String::new();
            loop {
                let c = *chars.get(i)?;
                if c == '"' {
                    step(&mut i, &mut line, &mut col);
                    break;
                }
                if c == '\\' {
                    step(&mut i, &mut line, &mut col);
                    let e = *chars.get(i)?;
                    s.push(match e {
                        'n' => '\n',
                        't' => '\t',
                        other => other,
                    });
                } else {
                    s.push(c);
                }
                step(&mut i, &mut line, &mut col);
            }
            out.push((Tok::Text(s), pos));
        } else if c == 'r'
            && next == Some('#')
            && chars
                .get(i + 2)
                .is_some_and(|c| c.is_alphabetic() || *c == '_')
        {
            // A raw identifier, `r#None`: the word without its `r#`.
            step(&mut i, &mut line, &mut col);
            step(&mut i, &mut line, &mut col);
            let mut s = String::new();
            while let Some(&c) = chars.get(i) {
                if c.is_alphanumeric() || c == '_' {
                    s.push(c);
                    step(&mut i, &mut line, &mut col);
                } else {
                    break;
                }
            }
            out.push((Tok::Word(s), pos));
        } else if c == 'r' && matches!(next, Some('"') | Some('#')) {
            step(&mut i, &mut line, &mut col);
            let mut hashes = 0;
            while chars.get(i) == Some(&'#') {
                hashes += 1;
                step(&mut i, &mut line, &mut col);
            }
            if chars.get(i) != Some(&'"') {
                return None;
            }
            step(&mut i, &mut line, &mut col);
            let mut s = String::new();
            loop {
                let c = *chars.get(i)?;
                if c == '"' && (1..=hashes).all(|k| chars.get(i + k) == Some(&'#')) {
                    for _ in 0..=hashes {
                        step(&mut i, &mut line, &mut col);
                    }
                    break;
                }
                s.push(c);
                step(&mut i, &mut line, &mut col);
            }
            out.push((Tok::Text(s), pos));
        } else if c == '\'' {
            step(&mut i, &mut line, &mut col);
            let mut s = String::new();
            loop {
                let c = *chars.get(i)?;
                step(&mut i, &mut line, &mut col);
                if c == '\'' {
                    break;
                }
                if c == '\\' {
                    s.push(*chars.get(i)?);
                    step(&mut i, &mut line, &mut col);
                } else {
                    s.push(c);
                }
            }
            out.push((Tok::Text(s), pos));
        } else if c.is_alphanumeric() || "_.+-".contains(c) {
            let mut s = String::new();
            while let Some(&c) = chars.get(i) {
                if c.is_alphanumeric() || "_.+-".contains(c) {
                    s.push(c);
                    step(&mut i, &mut line, &mut col);
                } else {
                    break;
                }
            }
            out.push((Tok::Word(s), pos));
        } else {
            return None;
        }
    }
    Some(out)
}

struct Parser {
    tokens: Vec<(Tok, Pos)>,
    at: usize,
}

impl Parser {
    fn peek(&self, k: usize) -> Option<&Tok> {
        self.tokens.get(self.at + k).map(|t| &t.0)
    }

    fn next(&mut self) -> Option<(Tok, Pos)> {
        let t = self.tokens.get(self.at).cloned();
        self.at += 1;
        t
    }

    fn value(&mut self, depth: usize) -> Option<Spanned> {
        if depth > 200 {
            return None;
        }
        let (tok, pos) = self.next()?;
        let node = match tok {
            Tok::Word(w) => {
                if self.peek(0) == Some(&Tok::Open('(')) {
                    self.next();
                    self.parens(depth)?
                } else {
                    Node::Atom(w)
                }
            }
            Tok::Text(s) => Node::Atom(s),
            Tok::Open('(') => self.parens(depth)?,
            Tok::Open('[') => Node::List(self.items(']', depth)?),
            Tok::Open('{') => {
                // Maps: keep the values, in order.
                let mut items = Vec::new();
                loop {
                    if self.peek(0) == Some(&Tok::Close('}')) {
                        self.next();
                        break;
                    }
                    self.value(depth + 1)?;
                    if self.next()?.0 != Tok::Colon {
                        return None;
                    }
                    items.push(self.value(depth + 1)?);
                    match self.next()?.0 {
                        Tok::Comma => {}
                        Tok::Close('}') => break,
                        _ => return None,
                    }
                }
                Node::List(items)
            }
            _ => return None,
        };
        Some(Spanned { pos, node })
    }

    /// After `(`: a record if it starts with `name:`, else a tuple.
    fn parens(&mut self, depth: usize) -> Option<Node> {
        let is_record =
            matches!(self.peek(0), Some(Tok::Word(_))) && self.peek(1) == Some(&Tok::Colon);
        if !is_record {
            return Some(Node::Tuple(self.items(')', depth)?));
        }
        let mut fields = Vec::new();
        loop {
            if self.peek(0) == Some(&Tok::Close(')')) {
                self.next();
                break;
            }
            let (Tok::Word(name), at) = self.next()? else {
                return None;
            };
            if self.next()?.0 != Tok::Colon {
                return None;
            }
            let v = self.value(depth + 1)?;
            fields.push((name, at, v));
            match self.next()?.0 {
                Tok::Comma => {}
                Tok::Close(')') => break,
                _ => return None,
            }
        }
        Some(Node::Record(fields))
    }

    fn items(&mut self, close: char, depth: usize) -> Option<Vec<Spanned>> {
        let mut items = Vec::new();
        loop {
            if self.peek(0) == Some(&Tok::Close(close)) {
                self.next();
                break;
            }
            items.push(self.value(depth + 1)?);
            match self.next()?.0 {
                Tok::Comma => {}
                Tok::Close(c) if c == close => break,
                _ => return None,
            }
        }
        Some(items)
    }
}

#[cfg(test)]
// Paths are built with `level_path!` as the warnings build them.
#[allow(clippy::useless_vec)]
mod tests {
    use super::*;

    #[test]
    fn paths_find_fields_and_items_with_their_positions() {
        let text = "// a level\n(\n  id: \"x\", k: r#None,\n  events: [\n    (id: \"a\", conditions: [TurnAtLeast(2), War(Active)]),\n    (id: \"b\\\"q\", /* note */ effects: [SetTariff(by: us, on: china, rate: 0.5)]),\n  ],\n)";
        let tree = read(text).unwrap();
        assert_eq!(tree.locate(&level_path!["id"]), Some((3, 3)));
        assert_eq!(
            tree.locate(&level_path!["events", 0, "conditions", 1]),
            Some((5, 44))
        );
        assert_eq!(
            tree.locate(&level_path!["events", 1, "effects", 0, "rate"]),
            Some((6, 68))
        );
        assert_eq!(tree.locate(&level_path!["events", 2]), None);
        assert!(read("(a: \"unclosed)").is_none());
    }

    #[test]
    fn every_bundled_level_is_read() {
        for (file, text) in crate::level::BUNDLED {
            let tree = read(text).unwrap_or_else(|| panic!("{file}"));
            assert!(
                tree.locate(&level_path!["powers", 2, "objectives", 0])
                    .is_some()
            );
        }
    }
}
