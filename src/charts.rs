//! Charts as PNG images, for the Markdown debrief (`export --format md`) and
//! the policy lab (`lab --plot`).
//!
//! Drawn with `plotters` into a pixel buffer, the text laid out with
//! `ab_glyph` in the window's typeface (Ubuntu Light, embedded as bytes), so
//! no system font library is needed, and encoded with `png`. White
//! background, the powers in the game's colours.

use std::path::Path;
use std::sync::OnceLock;

use ab_glyph::{Font as _, FontRef, ScaleFont as _, point};
use plotters_backend::{BackendColor, BackendCoord, DrawingErrorKind};

use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::lab::{LevelReport, RouteReport, Spread};
use crate::level::schema::Level;
use crate::rules::resources::TurnRecord;
use crate::rules::types::{Good, Origin, PowerId, WarStatus, quarter_label};

/// The powers' colours: the same RGB values as the window's (`gui::theme`).
pub const US: RGBColor = RGBColor(74, 143, 224);
pub const CHINA: RGBColor = RGBColor(224, 82, 63);
pub const RUSSIA: RGBColor = RGBColor(166, 120, 220);
pub const OUTSIDE: RGBColor = RGBColor(160, 166, 172);
/// "No winner", greyed as the window's muted text.
pub const MUTED: RGBColor = RGBColor(150, 155, 160);
/// The front line, as on the board.
pub const FRONT: RGBColor = RGBColor(255, 80, 60);

const INK: RGBColor = RGBColor(30, 32, 36);
const GRID: RGBColor = RGBColor(225, 228, 232);
const CEASEFIRE: RGBColor = RGBColor(252, 236, 190);
const PEACE: RGBColor = RGBColor(214, 240, 214);

const FONT: &str = "sans-serif";

pub fn power(p: PowerId) -> RGBColor {
    match p {
        PowerId::Us => US,
        PowerId::China => CHINA,
        PowerId::Russia => RUSSIA,
    }
}

pub fn origin(o: Origin) -> RGBColor {
    match o {
        Origin::Power(p) => power(p),
        Origin::Outside => OUTSIDE,
    }
}

/// The goods' line colours: the window's hues, darkened to read on white.
pub fn good(g: Good) -> RGBColor {
    match g {
        Good::Concentrate => RGBColor(176, 136, 64),
        Good::LightOxides => RGBColor(32, 146, 184),
        Good::HeavyOxides => RGBColor(196, 62, 164),
        Good::Magnets => RGBColor(64, 66, 72),
    }
}

/// A chart that could not be drawn or written.
#[derive(Debug)]
pub struct ChartError(pub String);

impl std::fmt::Display for ChartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ChartError {}

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for ChartError {
    fn from(e: DrawingAreaErrorKind<E>) -> Self {
        ChartError(format!("cannot draw the chart: {e}"))
    }
}

type Area<'a> = DrawingArea<Canvas<'a>, Shift>;
type LevelChart<'a, 'b> = ChartContext<'a, Canvas<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;
type Result<T> = std::result::Result<T, ChartError>;

fn font() -> &'static FontRef<'static> {
    static FONT: OnceLock<FontRef<'static>> = OnceLock::new();
    FONT.get_or_init(|| {
        FontRef::try_from_slice(epaint_default_fonts::UBUNTU_LIGHT)
            .expect("the bundled chart font loads")
    })
}

fn text(size: u32) -> TextStyle<'static> {
    (FONT, size).into_font().color(&INK)
}

/// Text drawn thicker (the typeface is light).
fn bold(size: u32) -> TextStyle<'static> {
    (FONT, size, FontStyle::Bold).into_font().color(&INK)
}

/// A bitmap that draws its text with `ab_glyph` itself: each glyph at its
/// side bearing and kerning, anchored and rotated as asked. Everything else
/// is the bitmap's.
pub struct Canvas<'a> {
    bitmap: BitMapBackend<'a>,
}

type DrawResult<E> = std::result::Result<(), DrawingErrorKind<E>>;
type BitMapError = <BitMapBackend<'static> as DrawingBackend>::ErrorType;

impl Canvas<'_> {
    /// The glyphs of `text` on a baseline at y = 0 from x = 0, and the
    /// text's width, ascent and descent (negative) in pixels.
    fn layout(text: &str, size: f64) -> (Vec<ab_glyph::Glyph>, f32, f32, f32) {
        let font = font().as_scaled(size as f32);
        let mut x = 0.0;
        let mut prev = None;
        let mut glyphs = Vec::with_capacity(text.len());
        for c in text.chars() {
            let id = font.glyph_id(c);
            if let Some(p) = prev {
                x += font.kern(p, id);
            }
            glyphs.push(id.with_scale_and_position(size as f32, point(x, 0.0)));
            x += font.h_advance(id);
            prev = Some(id);
        }
        (glyphs, x, font.ascent(), font.descent())
    }
}

impl<'a> DrawingBackend for Canvas<'a> {
    type ErrorType = BitMapError;

    fn get_size(&self) -> (u32, u32) {
        self.bitmap.get_size()
    }

    fn ensure_prepared(&mut self) -> DrawResult<BitMapError> {
        self.bitmap.ensure_prepared()
    }

    fn present(&mut self) -> DrawResult<BitMapError> {
        self.bitmap.present()
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> DrawResult<BitMapError> {
        self.bitmap.draw_pixel(point, color)
    }

    fn draw_line<S: plotters_backend::BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> DrawResult<BitMapError> {
        self.bitmap.draw_line(from, to, style)
    }

    fn draw_rect<S: plotters_backend::BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> DrawResult<BitMapError> {
        self.bitmap.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: plotters_backend::BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> DrawResult<BitMapError> {
        self.bitmap.draw_path(path, style)
    }

    fn draw_circle<S: plotters_backend::BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> DrawResult<BitMapError> {
        self.bitmap.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: plotters_backend::BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> DrawResult<BitMapError> {
        self.bitmap.fill_polygon(vert, style)
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> DrawResult<BitMapError> {
        self.bitmap.blit_bitmap(pos, size, src)
    }

    fn draw_text<S: plotters_backend::BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> DrawResult<BitMapError> {
        use plotters_backend::text_anchor::{HPos, VPos};
        let colour = style.color();
        if colour.alpha == 0.0 {
            return Ok(());
        }
        let (glyphs, width, ascent, descent) = Self::layout(text, style.size());
        let anchor = style.anchor();
        let dx = match anchor.h_pos {
            HPos::Left => 0.0,
            HPos::Center => -width / 2.0,
            HPos::Right => -width,
        };
        // From the anchor down to the baseline.
        let dy = match anchor.v_pos {
            VPos::Top => ascent,
            VPos::Center => (ascent + descent) / 2.0,
            VPos::Bottom => descent,
        };
        let strokes: &[i32] = match style.style() {
            FontStyle::Bold => &[0, 1],
            _ => &[0],
        };
        let transform = style.transform();
        let (w, h) = self.get_size();
        let mut result = Ok(());
        for g in glyphs {
            let Some(outline) = font().outline_glyph(g) else {
                continue;
            };
            let b = outline.px_bounds();
            for &shift in strokes {
                outline.draw(|x, y, coverage| {
                    if result.is_err() || coverage <= 0.0 {
                        return;
                    }
                    let lx = (b.min.x + x as f32 + dx).round() as i32 + shift;
                    let ly = (b.min.y + y as f32 + dy).round() as i32;
                    let (tx, ty) = transform.transform(lx, ly);
                    let (px, py) = (pos.0 + tx, pos.1 + ty);
                    if px >= 0 && py >= 0 && (px as u32) < w && (py as u32) < h {
                        result = self.bitmap.draw_pixel(
                            (px, py),
                            BackendColor {
                                alpha: colour.alpha * coverage.min(1.0) as f64,
                                rgb: colour.rgb,
                            },
                        );
                    }
                });
            }
        }
        result
    }

    fn estimate_text_size<S: plotters_backend::BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> std::result::Result<(u32, u32), DrawingErrorKind<BitMapError>> {
        let (_, width, ascent, descent) = Self::layout(text, style.size());
        Ok((width.ceil() as u32, (ascent - descent).ceil() as u32))
    }
}

/// Draw on a white `width`×`height` canvas and return it as a PNG file.
pub fn render(
    (width, height): (u32, u32),
    draw: impl FnOnce(&Area) -> Result<()>,
) -> Result<Vec<u8>> {
    let mut pixels = vec![0u8; width as usize * height as usize * 3];
    {
        let root = Canvas {
            bitmap: BitMapBackend::with_buffer(&mut pixels, (width, height)),
        }
        .into_drawing_area();
        root.fill(&WHITE)?;
        draw(&root)?;
        root.present()?;
    }
    encode_png(&pixels, width, height)
}

/// RGB pixels as a PNG file.
fn encode_png(pixels: &[u8], width: u32, height: u32) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let err = |e: png::EncodingError| ChartError(format!("cannot encode the PNG: {e}"));
    {
        let mut enc = png::Encoder::new(&mut out, width, height);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::High);
        let mut w = enc.write_header().map_err(err)?;
        w.write_image_data(pixels).map_err(err)?;
        w.finish().map_err(err)?;
    }
    Ok(out)
}

/// Write `bytes` to `path`, with the path in the error.
pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes)
        .map_err(|e| ChartError(format!("{}: cannot write: {e}", path.display())))
}

/// A titled canvas: the title, an optional subtitle and a legend row (colour
/// swatches with names) across the top; returns the area below.
fn header<'a>(
    root: &Area<'a>,
    title: &str,
    subtitle: Option<&str>,
    legend: &[(String, RGBColor, Swatch)],
) -> Result<Area<'a>> {
    let (w, _) = root.dim_in_pixel();
    let centre = Pos::new(HPos::Center, VPos::Top);
    let mut y = 12;
    root.draw_text(title, &bold(30).pos(centre), (w as i32 / 2, y))?;
    y += 40;
    if let Some(s) = subtitle {
        root.draw_text(s, &text(17).pos(centre), (w as i32 / 2, y))?;
        y += 26;
    }
    if !legend.is_empty() {
        y += 6;
        let style = text(18).pos(Pos::new(HPos::Left, VPos::Center));
        let swatch = 28;
        let gap = 30;
        let widths: Vec<i32> = legend
            .iter()
            .map(|(name, _, _)| {
                root.estimate_text_size(name, &style)
                    .map(|(tw, _)| swatch + 8 + tw as i32)
            })
            .collect::<std::result::Result<_, _>>()?;
        let total: i32 = widths.iter().sum::<i32>() + gap * (legend.len() as i32 - 1);
        let mut x = (w as i32 - total).max(0) / 2;
        let cy = y + 10;
        for ((name, colour, kind), width) in legend.iter().zip(widths) {
            match kind {
                Swatch::Line => root.draw(&PathElement::new(
                    vec![(x, cy), (x + swatch, cy)],
                    colour.stroke_width(4),
                ))?,
                Swatch::Block => root.draw(&Rectangle::new(
                    [(x, cy - 8), (x + swatch, cy + 8)],
                    colour.filled(),
                ))?,
                Swatch::Dot => root.draw(&Circle::new((x + swatch / 2, cy), 7, colour.filled()))?,
            }
            root.draw_text(name, &style, (x + swatch + 8, cy))?;
            x += width + gap;
        }
        y += 30;
    }
    Ok(root.split_vertically(y).1)
}

/// How a legend entry is drawn: a line (a series) or a block (a bar, a band).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Swatch {
    Line,
    Block,
    Dot,
}

/// One line of a line chart.
#[derive(Clone, Debug)]
pub struct Series {
    pub name: String,
    pub colour: RGBColor,
    pub points: Vec<(f64, f64)>,
}

/// A span of x shaded beneath the lines (a ceasefire, a peace).
#[derive(Clone, Debug)]
pub struct Band {
    pub name: String,
    pub colour: RGBColor,
    pub from: f64,
    pub to: f64,
}

/// A line chart panel; the legend is the canvas's (see [`lines_png`]).
#[derive(Clone, Debug, Default)]
pub struct LineChart {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub series: Vec<Series>,
    pub bands: Vec<Band>,
    /// The y range; `None`: from zero (or the lowest value, if negative) to
    /// a little over the highest value.
    pub y_range: Option<(f64, f64)>,
    /// The x range; `None`: the data's.
    pub x_range: Option<(f64, f64)>,
    /// Ticks on the x axis with their labels; empty: round numbers.
    pub x_ticks: Vec<(f64, String)>,
    /// Series drawn as dots only (observed values).
    pub markers: Vec<Series>,
}

/// An x axis with ticks where we want them (the years), formatted by the
/// chart's own formatter.
struct Ticked {
    inner: RangedCoordf64,
    ticks: Vec<f64>,
}

impl Ranged for Ticked {
    type ValueType = f64;
    type FormatOption = DefaultFormatting;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.inner.map(value, limit)
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.inner.range()
    }
}

/// Decimals for tick labels over a span, so that neighbouring ticks differ.
fn decimals(span: f64) -> usize {
    if span <= 0.0 || !span.is_finite() {
        return 0;
    }
    (-(span / 5.0).log10().floor()).clamp(0.0, 4.0) as usize
}

fn data_range(values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    values
        .filter(|v| v.is_finite())
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
}

/// A range from zero (or below) with headroom, never empty.
fn padded(lo: f64, hi: f64) -> (f64, f64) {
    let lo = lo.min(0.0);
    let hi = if hi > lo {
        hi + 0.08 * (hi - lo)
    } else {
        lo + 1.0
    };
    (lo, hi)
}

fn line_panel(area: &Area, chart: &LineChart) -> Result<()> {
    let all = || chart.series.iter().flat_map(|s| s.points.iter());
    let (x0, x1) = chart
        .x_range
        .or_else(|| data_range(all().map(|p| p.0)))
        .unwrap_or((0.0, 1.0));
    let (x0, x1) = if x1 > x0 {
        (x0, x1)
    } else {
        (x0 - 0.5, x0 + 0.5)
    };
    let (y0, y1) = chart.y_range.unwrap_or_else(|| {
        let dots = chart.markers.iter().flat_map(|s| s.points.iter());
        let (lo, hi) = data_range(all().chain(dots).map(|p| p.1)).unwrap_or((0.0, 1.0));
        padded(lo, hi)
    });
    let auto;
    let x_ticks = if chart.x_ticks.is_empty() {
        auto = auto_ticks(x0, x1, 8);
        &auto
    } else {
        &chart.x_ticks
    };
    let ticks: Vec<f64> = x_ticks.iter().map(|t| t.0).collect();
    let x_fmt = |x: &f64| {
        x_ticks
            .iter()
            .find(|t| (t.0 - x).abs() < 1e-9)
            .map(|t| t.1.clone())
            .unwrap_or_else(|| format!("{x}"))
    };
    let digits = decimals(y1 - y0);
    let y_fmt = |y: &f64| format!("{y:.digits$}");
    let mut c = ChartBuilder::on(area)
        .caption(&chart.title, text(22))
        .margin(14)
        .margin_right(28)
        .x_label_area_size(56)
        .y_label_area_size(76)
        .build_cartesian_2d(
            Ticked {
                inner: (x0..x1).into(),
                ticks,
            },
            y0..y1,
        )?;
    for b in &chart.bands {
        c.draw_series(std::iter::once(Rectangle::new(
            [(b.from.max(x0), y0), (b.to.min(x1), y1)],
            b.colour.filled(),
        )))?;
    }
    let mut mesh = c.configure_mesh();
    mesh.light_line_style(TRANSPARENT)
        .bold_line_style(GRID.stroke_width(1))
        .axis_style(INK.stroke_width(1))
        .label_style(text(16))
        .axis_desc_style(text(17))
        .x_desc(&chart.x_label)
        .y_desc(&chart.y_label)
        .y_labels(7)
        .y_label_formatter(&y_fmt)
        .x_label_formatter(&x_fmt);
    mesh.draw()?;
    for s in &chart.series {
        c.draw_series(LineSeries::new(
            s.points.iter().copied(),
            s.colour.stroke_width(3),
        ))?;
        if s.points.len() == 1 {
            c.draw_series(
                s.points
                    .iter()
                    .map(|&p| Circle::new(p, 5, s.colour.filled())),
            )?;
        }
    }
    for s in &chart.markers {
        c.draw_series(
            s.points
                .iter()
                .map(|&p| Circle::new(p, 7, s.colour.filled())),
        )?;
    }
    Ok(())
}

/// Line chart panels in a grid under one title and one legend (each series
/// name once, then the bands).
pub fn lines_png(
    size: (u32, u32),
    title: &str,
    subtitle: Option<&str>,
    grid: (usize, usize),
    panels: &[LineChart],
) -> Result<Vec<u8>> {
    let mut legend: Vec<(String, RGBColor, Swatch)> = Vec::new();
    for p in panels {
        let entries = p
            .series
            .iter()
            .map(|s| (&s.name, s.colour, Swatch::Line))
            .chain(p.bands.iter().map(|b| (&b.name, b.colour, Swatch::Block)))
            .chain(p.markers.iter().map(|s| (&s.name, s.colour, Swatch::Dot)));
        for (name, colour, kind) in entries {
            if !legend.iter().any(|l| &l.0 == name) {
                legend.push((name.clone(), colour, kind));
            }
        }
    }
    // A single series per panel is named by the panel's title.
    if panels
        .iter()
        .all(|p| p.series.len() <= 1 && p.bands.is_empty() && p.markers.is_empty())
    {
        legend.clear();
    }
    render(size, |root| {
        let body = header(root, title, subtitle, &legend)?;
        for (area, chart) in body.split_evenly(grid).iter().zip(panels) {
            line_panel(area, chart)?;
        }
        Ok(())
    })
}

/// About `most` ticks at round numbers (1, 2 or 5 times a power of ten).
fn auto_ticks(from: f64, to: f64, most: usize) -> Vec<(f64, String)> {
    let raw = (to - from) / most.max(1) as f64;
    if !(raw > 0.0 && raw.is_finite()) {
        return vec![(from, format!("{from}"))];
    }
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let digits = decimals(step * 5.0);
    let mut ticks = Vec::new();
    let mut k = (from / step).ceil();
    while k * step <= to + 1e-9 * step {
        let x = k * step;
        ticks.push((x, format!("{x:.digits$}")));
        k += 1.0;
    }
    ticks
}

/// The x position of a turn: the year, with quarters as quarters of it
/// (Q1 2026 is 2026.0, Q3 2026 is 2026.5).
pub fn turn_year(level: &Level, turn: f64) -> f64 {
    level.start_year as f64 + (level.start_quarter as f64 - 1.0 + turn - 1.0) / 4.0
}

/// Ticks at each year's first quarter between `from` and `to`, at most
/// `most` of them (every second or fifth year when there are many).
pub fn year_ticks(from: f64, to: f64, most: usize) -> Vec<(f64, String)> {
    let first = from.ceil() as i32;
    let last = to.floor() as i32;
    let years = (last - first + 1).max(0) as usize;
    let step = [1, 2, 5, 10]
        .into_iter()
        .find(|s| years.div_ceil(*s) <= most.max(1))
        .unwrap_or(20);
    (first..=last)
        .filter(|y| (y - first) % step as i32 == 0)
        .map(|y| (y as f64, y.to_string()))
        .collect()
}

/// The debrief's charts of one game, as (file name, PNG) pairs: world
/// prices, market shares by stage, supply security and the front.
pub fn game_charts(level: &Level, history: &[TurnRecord]) -> Result<Vec<(&'static str, Vec<u8>)>> {
    let xs = |f: &dyn Fn(&TurnRecord) -> f64| -> Vec<(f64, f64)> {
        history
            .iter()
            .map(|r| (turn_year(level, r.turn as f64), f(r)))
            .collect()
    };
    let first = history.first().map_or(1, |r| r.turn) as f64;
    let last = history.last().map_or(1, |r| r.turn) as f64;
    // An eighth of a year's margin either side, so the ends of the lines
    // clear the axes.
    let (x0, x1) = (
        turn_year(level, first) - 0.125,
        turn_year(level, last).max(turn_year(level, first) + 0.25) + 0.125,
    );
    let ticks = |most| year_ticks(x0, x1, most);
    let subtitle = format!(
        "{}: each quarter from {} to {}",
        level.title,
        history.first().map_or("", |r| r.label.as_str()),
        history.last().map_or("", |r| r.label.as_str())
    );
    let subtitle = Some(subtitle.as_str());
    let base = LineChart {
        x_label: "year".into(),
        x_range: Some((x0, x1)),
        ..Default::default()
    };

    let prices: Vec<LineChart> = Good::ALL
        .iter()
        .map(|&g| LineChart {
            title: capitalised(g.name()),
            y_label: "$/kg".into(),
            // The two price worlds: outside China and China's own market.
            series: vec![
                Series {
                    name: "outside China".into(),
                    colour: good(g),
                    points: xs(&|r| r.price[g]),
                },
                Series {
                    name: "in China".into(),
                    colour: origin(Origin::Power(PowerId::China)),
                    points: xs(&|r| r.price_china[g]),
                },
            ],
            x_ticks: ticks(8),
            ..base.clone()
        })
        .collect();
    let prices = lines_png(
        (1400, 960),
        "Prices outside China and in China, $/kg",
        subtitle,
        (2, 2),
        &prices,
    )?;

    let by_origin = |get: fn(&TurnRecord) -> [f64; 4]| -> Vec<Series> {
        Origin::ALL
            .iter()
            .map(|&o| Series {
                name: capitalised(o.name()),
                colour: origin(o),
                points: xs(&|r| 100.0 * get(r)[o.index()]),
            })
            .collect()
    };
    let stages: [(&str, fn(&TurnRecord) -> [f64; 4]); 3] = [
        ("Mining", |r| r.mining_share),
        ("Separation (refining)", |r| r.separation_share),
        ("Magnet making", |r| r.magnet_share),
    ];
    let shares: Vec<LineChart> = stages
        .iter()
        .map(|(title, get)| LineChart {
            title: (*title).into(),
            y_label: "% of world output".into(),
            series: by_origin(*get),
            y_range: Some((0.0, 100.0)),
            x_ticks: ticks(6),
            ..base.clone()
        })
        .collect();
    let shares = lines_png(
        (1800, 640),
        "Market shares by stage of the supply chain",
        subtitle,
        (1, 3),
        &shares,
    )?;

    let security = LineChart {
        title: String::new(),
        y_label: "% of needs secure".into(),
        series: PowerId::ALL
            .iter()
            .map(|&p| Series {
                name: p.name().into(),
                colour: power(p),
                points: xs(&|r| 100.0 * r.supply_security[p]),
            })
            .collect(),
        y_range: Some((0.0, 100.0)),
        x_ticks: ticks(12),
        ..base.clone()
    };
    let security = lines_png(
        (1200, 720),
        "Supply security",
        subtitle,
        (1, 1),
        &[security],
    )?;

    // The front, with the quarters of ceasefire and peace shaded.
    let mut bands: Vec<Band> = Vec::new();
    for r in history {
        let (name, colour) = match r.war_status {
            WarStatus::Active => continue,
            WarStatus::Ceasefire => ("ceasefire", CEASEFIRE),
            WarStatus::Peace => ("peace", PEACE),
        };
        let from = turn_year(level, r.turn as f64 - 0.5);
        let to = turn_year(level, r.turn as f64 + 0.5);
        match bands.last_mut() {
            Some(b) if b.name == name && (b.to - from).abs() < 1e-9 => b.to = to,
            _ => bands.push(Band {
                name: name.into(),
                colour,
                from,
                to,
            }),
        }
    }
    let front = LineChart {
        title: String::new(),
        y_label: "% of Ukraine's rare-earth deposits".into(),
        series: vec![Series {
            name: "held by Russia".into(),
            colour: FRONT,
            points: xs(&|r| 100.0 * r.front_share),
        }],
        bands,
        y_range: Some((0.0, 100.0)),
        x_ticks: ticks(12),
        ..base
    };
    let front = lines_png(
        (1200, 720),
        "The front: Ukraine's rare-earth deposits held by Russia",
        subtitle,
        (1, 1),
        &[front],
    )?;
    Ok(vec![
        ("prices.png", prices),
        ("shares.png", shares),
        ("security.png", security),
        ("front.png", front),
    ])
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// One marker of a spread, `dx` pixels right of `x`: a bar from the 10th to
/// the 90th percentile with caps, and a dot at the median.
fn spread_marker(
    chart: &mut LevelChart<'_, '_>,
    x: f64,
    dx: i32,
    s: Spread,
    colour: RGBColor,
) -> Result<()> {
    let style = colour.stroke_width(3);
    // The bar's height in pixels (upwards, so negative).
    let h = chart.backend_coord(&(x, s.p90)).1 - chart.backend_coord(&(x, s.p10)).1;
    let cap = 12;
    chart.draw_series(std::iter::once(
        EmptyElement::at((x, s.p10))
            + PathElement::new(vec![(dx, 0), (dx, h)], style)
            + PathElement::new(vec![(dx - cap, 0), (dx + cap, 0)], style)
            + PathElement::new(vec![(dx - cap, h), (dx + cap, h)], style),
    ))?;
    chart.draw_series(std::iter::once(
        EmptyElement::at((x, s.median)) + Circle::new((dx, 0), 7, colour.filled()),
    ))?;
    Ok(())
}

/// The width of one level's slot in pixels.
fn slot_pixels(chart: &LevelChart<'_, '_>) -> i32 {
    chart.backend_coord(&(1.0, 0.0)).0 - chart.backend_coord(&(0.0, 0.0)).0
}

/// A panel with one slot per level on the x axis.
fn level_panel<'a, 'b>(
    area: &'a Area<'b>,
    title: &str,
    y_label: &str,
    names: &'a [String],
    (y0, y1): (f64, f64),
    y_fmt: &'a dyn Fn(&f64) -> String,
) -> Result<LevelChart<'a, 'b>> {
    let n = names.len() as f64;
    let mut c = ChartBuilder::on(area)
        .caption(title, text(22))
        .margin(14)
        .margin_right(24)
        .x_label_area_size(40)
        .y_label_area_size(80)
        .build_cartesian_2d(-0.5..n - 0.5, y0..y1)?;
    c.configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID.stroke_width(1))
        .axis_style(INK.stroke_width(1))
        .label_style(text(16))
        .axis_desc_style(text(17))
        .y_desc(y_label)
        .y_labels(7)
        .y_label_formatter(y_fmt)
        .x_labels(0)
        .draw()?;
    // The levels' names under their slots (drawn here, not as axis labels,
    // so that each sits under its own group).
    let style = text(17).pos(Pos::new(HPos::Center, VPos::Top));
    for (i, name) in names.iter().enumerate() {
        let (px, py) = c.backend_coord(&(i as f64, y0));
        area.draw_text(
            name,
            &style,
            (
                px - area.get_base_pixel().0,
                py - area.get_base_pixel().1 + 10,
            ),
        )?;
    }
    Ok(c)
}

/// Cut `name` to fit `width` pixels at the level names' size.
fn fit(area: &Area, name: &str, width: u32) -> Result<String> {
    let style = text(17);
    let mut s = name.to_string();
    while area.estimate_text_size(&s, &style)?.0 > width && s.chars().count() > 4 {
        let keep = s.chars().count() - 2;
        s = s.chars().take(keep).collect::<String>() + "…";
    }
    Ok(s)
}

/// The policy lab's chart: per level, who wins, supply security at the end,
/// the Dy/Tb oxide price at the end and when peace came (the median and
/// the 10–90% range of the games).
pub fn lab_png(reports: &[LevelReport], subtitle: &str) -> Result<Vec<u8>> {
    let width = (1600u32).max(420 * reports.len() as u32 + 400).min(4000);
    render((width, 1240), |root| {
        let mut legend: Vec<(String, RGBColor, Swatch)> = PowerId::ALL
            .iter()
            .map(|&p| (p.name().to_string(), power(p), Swatch::Block))
            .collect();
        legend.push(("no winner".into(), MUTED, Swatch::Block));
        legend.push(("Dy/Tb oxide".into(), good(Good::HeavyOxides), Swatch::Block));
        let body = header(root, "Policy lab", Some(subtitle), &legend)?;
        let (bw, bh) = body.dim_in_pixel();
        let note_h = 34;
        let (body, note) = body.split_vertically(bh - note_h);
        let panels = body.split_evenly((2, 2));
        let slot = ((bw / 2).saturating_sub(130) / reports.len().max(1) as u32).saturating_sub(12);
        let names: Vec<String> = reports
            .iter()
            .map(|r| fit(root, &r.level.id, slot))
            .collect::<Result<_>>()?;
        let pct = |y: &f64| format!("{y:.0}%");

        // Who wins: grouped bars.
        // Headroom over 100% for the bars' labels.
        let mut c = level_panel(
            &panels[0],
            "Who wins (share of games)",
            "% of games",
            &names,
            (0.0, 109.0),
            &pct,
        )?;
        let groups: Vec<(Option<PowerId>, RGBColor)> = PowerId::ALL
            .iter()
            .map(|&p| (Some(p), power(p)))
            .chain([(None, MUTED)])
            .collect();
        let bar = 0.8 / groups.len() as f64;
        for (i, r) in reports.iter().enumerate() {
            for (j, (p, colour)) in groups.iter().enumerate() {
                let x = i as f64 - 0.4 + bar * j as f64;
                let v = 100.0 * r.win_share(*p);
                c.draw_series(std::iter::once(Rectangle::new(
                    [(x + 0.01, 0.0), (x + bar - 0.01, v)],
                    colour.filled(),
                )))?;
                c.draw_series(std::iter::once(
                    EmptyElement::at((x + bar / 2.0, v))
                        + Text::new(
                            format!("{v:.0}%"),
                            (0, -4),
                            text(15).pos(Pos::new(HPos::Center, VPos::Bottom)),
                        ),
                ))?;
            }
        }

        // Supply security: a spread per power.
        let mut c = level_panel(
            &panels[1],
            "Supply security at the end (median, 10–90% of games)",
            "% of needs secure",
            &names,
            (0.0, 104.0),
            &pct,
        )?;
        // The powers side by side, at most 70 pixels apart.
        let apart = (slot_pixels(&c) * 22 / 100).min(70);
        for (i, r) in reports.iter().enumerate() {
            for (j, p) in PowerId::ALL.into_iter().enumerate() {
                if let Some(s) = r.supply_security(p) {
                    let s = Spread {
                        mean: 100.0 * s.mean,
                        p10: 100.0 * s.p10,
                        median: 100.0 * s.median,
                        p90: 100.0 * s.p90,
                    };
                    spread_marker(&mut c, i as f64, apart * (j as i32 - 1), s, power(p))?;
                }
            }
        }

        // The Dy/Tb oxide price.
        let g = Good::HeavyOxides;
        let hi = reports
            .iter()
            .filter_map(|r| r.price(g).map(|s| s.p90))
            .fold(0.0, f64::max);
        let (y0, y1) = padded(0.0, hi * 1.1);
        let digits = decimals(y1 - y0);
        let money = move |y: &f64| format!("${y:.digits$}");
        let mut c = level_panel(
            &panels[2],
            "Dy/Tb oxide price at the end (median, 10–90%)",
            "$/kg",
            &names,
            (y0, y1),
            &money,
        )?;
        for (i, r) in reports.iter().enumerate() {
            if let Some(s) = r.price(g) {
                spread_marker(&mut c, i as f64, 0, s, good(g))?;
                c.draw_series(std::iter::once(
                    EmptyElement::at((i as f64, s.median))
                        + Text::new(
                            format!("${:.0}", s.median),
                            (22, 0),
                            text(16).pos(Pos::new(HPos::Left, VPos::Center)),
                        ),
                ))?;
            }
        }

        // When the war ends.
        let first = reports
            .iter()
            .map(|r| turn_year(&r.level, 1.0))
            .fold(f64::INFINITY, f64::min);
        let last = reports
            .iter()
            .map(|r| turn_year(&r.level, r.level.turns as f64 + 1.0))
            .fold(f64::NEG_INFINITY, f64::max);
        let year = |y: &f64| {
            if (y - y.round()).abs() < 1e-6 {
                format!("{y:.0}")
            } else {
                format!("{y:.1}")
            }
        };
        let (y0, y1) = (first.floor() - 0.5, last.ceil() + 0.5);
        let mut c = level_panel(
            &panels[3],
            "When peace came in Ukraine (median, 10–90%)",
            "year",
            &names,
            (y0, y1),
            &year,
        )?;
        for (i, r) in reports.iter().enumerate() {
            let (share, turns) = r.peace();
            let l = &r.level;
            match turns {
                Some(t) => {
                    let y = |t: f64| turn_year(l, t);
                    let s = Spread {
                        mean: y(t.mean),
                        p10: y(t.p10),
                        median: y(t.median),
                        p90: y(t.p90),
                    };
                    spread_marker(&mut c, i as f64, 0, s, INK)?;
                    let median = quarter_label(l.start_year, l.start_quarter, t.median as u32);
                    // Two lines centred over the range, or under it when
                    // the range reaches the top of the panel.
                    let centre = text(16).pos(Pos::new(HPos::Center, VPos::Center));
                    let (at, first) = if s.p90 < y1 - 0.3 * (y1 - y0) {
                        (s.p90, -44)
                    } else {
                        (s.p10, 22)
                    };
                    c.draw_series(std::iter::once(
                        EmptyElement::at((i as f64, at))
                            + Text::new(
                                format!("peace in {:.0}% of games", 100.0 * share),
                                (0, first),
                                centre.clone(),
                            )
                            + Text::new(format!("median {median}"), (0, first + 22), centre),
                    ))?;
                }
                None => {
                    c.draw_series(std::iter::once(Text::new(
                        "no peace in any game",
                        (i as f64, (y0 + y1) / 2.0),
                        text(17).pos(Pos::new(HPos::Center, VPos::Center)),
                    )))?;
                }
            }
        }

        let mut levels: Vec<String> = Vec::new();
        for r in reports {
            let l = format!("{}: {}", r.level.id, r.level.title);
            if !levels.contains(&l) {
                levels.push(l);
            }
        }
        let (nw, _) = note.dim_in_pixel();
        note.draw_text(
            &levels.join("   ·   "),
            &text(16).pos(Pos::new(HPos::Center, VPos::Center)),
            (nw as i32 / 2, note_h as i32 / 2),
        )?;
        Ok(())
    })
}

/// A colour for each route of the route lab.
fn route_colour(r: crate::level::schema::AiRoute) -> RGBColor {
    use crate::level::schema::AiRoute;
    match r {
        AiRoute::Russia => RUSSIA,
        AiRoute::Domestic => US,
        AiRoute::Allies => RGBColor(46, 150, 90),
        AiRoute::Stockpile => RGBColor(196, 140, 40),
        AiRoute::Mixed => INK,
        AiRoute::None => MUTED,
    }
}

/// The route lab's curves: for each level, the median share of US needs met
/// with no Chinese content, and of needs met at all, quarter by quarter,
/// one line per route.
pub fn routes_png(levels: &[(&Level, Vec<RouteReport>)], subtitle: &str) -> Result<Vec<u8>> {
    let mut panels = Vec::new();
    for (level, routes) in levels {
        let quarters = routes
            .iter()
            .map(|r| r.security().len())
            .max()
            .unwrap_or(1)
            .max(1);
        let (x0, x1) = (
            turn_year(level, 1.0) - 0.125,
            turn_year(level, quarters as f64).max(turn_year(level, 1.0) + 0.25) + 0.125,
        );
        let panel = |title: String, get: &dyn Fn(&RouteReport) -> Vec<Spread>| LineChart {
            title,
            x_label: "year".into(),
            y_label: "% of needs (median of games)".into(),
            series: routes
                .iter()
                .map(|r| Series {
                    name: r.route.key().into(),
                    colour: route_colour(r.route),
                    points: get(r)
                        .iter()
                        .enumerate()
                        .map(|(q, s)| (turn_year(level, q as f64 + 1.0), 100.0 * s.median))
                        .collect(),
                })
                .collect(),
            y_range: Some((0.0, 105.0)),
            x_range: Some((x0, x1)),
            x_ticks: year_ticks(x0, x1, 8),
            ..Default::default()
        };
        panels.push(panel(
            format!("{}: needs met with no Chinese content", level.title),
            &|r| r.security(),
        ));
        panels.push(panel(format!("{}: needs met", level.title), &|r| {
            r.needs_met()
        }));
    }
    let rows = levels.len().max(1);
    lines_png(
        (1400, 520 * rows as u32 + 140),
        "Routes for the US",
        Some(subtitle),
        (rows, 2),
        &panels,
    )
}

/// A backtest: for each good with history, the game's price outside China
/// and in China, quarter by quarter, and history's prices as dots.
pub fn backtest_png(run: &crate::backtest::Backtest) -> Result<Vec<u8>> {
    let level = &run.level;
    let quarters = run.quarters.len().max(1) as f64;
    let first_history = level
        .history
        .iter()
        .map(|h| h.date.year as f64 + (h.date.month as f64 - 1.0) / 12.0)
        .fold(f64::INFINITY, f64::min);
    let x0 = (turn_year(level, 1.0) - 0.125).min(first_history - 0.125);
    let x1 = turn_year(level, quarters) + 0.125;
    let goods = run.goods();
    let panels: Vec<LineChart> = goods
        .iter()
        .map(|&g| {
            let line = |name: &str, colour: RGBColor, china: bool| Series {
                name: name.into(),
                colour,
                points: run
                    .quarters
                    .iter()
                    .map(|q| {
                        let p = if china { q.china[g] } else { q.outside[g] };
                        (turn_year(level, q.turn as f64), p)
                    })
                    .collect(),
            };
            let dots = |china: bool, colour: RGBColor, name: &str| Series {
                name: name.into(),
                colour,
                points: level
                    .history
                    .iter()
                    .filter(|h| h.good == g && h.in_china == china)
                    .map(|h| {
                        (
                            h.date.year as f64 + (h.date.month as f64 - 1.0) / 12.0,
                            h.price,
                        )
                    })
                    .collect(),
            };
            LineChart {
                title: format!("{}, US$/kg", capitalised(g.name())),
                x_label: "year".into(),
                y_label: "US$/kg".into(),
                series: vec![
                    line("game: outside China", US, false),
                    line("game: in China", CHINA, true),
                ],
                markers: [
                    dots(false, INK, "history: outside China"),
                    dots(true, RGBColor(196, 140, 40), "history: in China"),
                ]
                .into_iter()
                .filter(|s| !s.points.is_empty())
                .collect(),
                x_range: Some((x0, x1)),
                x_ticks: year_ticks(x0, x1, 8),
                ..Default::default()
            }
        })
        .collect();
    let rows = panels.len().max(1);
    lines_png(
        (1400, 460 * rows as u32 + 140),
        &level.title,
        Some(
            "every seat passive: only the rules and the level's dated events act; dots: observed prices",
        ),
        (rows, 1),
        &panels,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Width and height from a PNG's header.
    pub fn png_size(bytes: &[u8]) -> (u32, u32) {
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        let be = |i: usize| u32::from_be_bytes(bytes[i..i + 4].try_into().unwrap());
        (be(16), be(20))
    }

    #[test]
    fn a_line_chart_is_a_png_with_ink_on_it() {
        let chart = LineChart {
            title: "Test".into(),
            x_label: "year".into(),
            y_label: "%".into(),
            series: vec![Series {
                name: "United States".into(),
                colour: US,
                points: vec![(2025.0, 10.0), (2026.0, 40.0), (2027.0, 30.0)],
            }],
            x_ticks: year_ticks(2025.0, 2027.0, 6),
            ..Default::default()
        };
        let png = lines_png((640, 400), "A chart", None, (1, 1), &[chart]).unwrap();
        assert_eq!(png_size(&png), (640, 400));
        // The decoded image has the line's colour somewhere.
        let decoder = png::Decoder::new(std::io::Cursor::new(&png));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        reader.next_frame(&mut buf).unwrap();
        assert!(buf.chunks(3).any(|px| px == [US.0, US.1, US.2]));
        // Text was drawn: dark pixels in the title's band.
        assert!(buf[..640 * 3 * 40].chunks(3).any(|px| px[0] < 100));
    }

    #[test]
    fn year_ticks_thin_out() {
        let t = year_ticks(2025.0, 2035.75, 6);
        assert_eq!(t.first().unwrap().1, "2025");
        assert!(t.len() <= 6, "{t:?}");
        assert_eq!(year_ticks(2025.0, 2027.75, 8).len(), 3);
        assert_eq!(decimals(100.0), 0);
        assert_eq!(decimals(2.0), 1);
    }

    #[test]
    fn an_empty_game_still_draws() {
        let level = crate::level::bundled("classroom").unwrap();
        let charts = game_charts(&level, &[]).unwrap();
        assert_eq!(charts.len(), 4);
    }

    #[test]
    fn the_lab_chart_draws_levels_with_and_without_peace() {
        let levels = ["classroom", "2025-early-peace"]
            .map(|l| std::sync::Arc::new(crate::level::bundled(l).unwrap()));
        let reports = crate::lab::run_lab(&levels, 2, 3, Default::default(), 2);
        let png = lab_png(&reports, "2 games").unwrap();
        let (w, h) = png_size(&png);
        assert!(w >= 1600 && h >= 1000, "{w}x{h}");
        // A level name too long for its slot is cut with an ellipsis.
        let canvas = (200, 50);
        render(canvas, |root| {
            let name = fit(root, "a-very-long-level-name-indeed", 60)?;
            assert!(name.ends_with('…') && name.chars().count() < 20, "{name}");
            Ok(())
        })
        .unwrap();
    }

    #[test]
    fn text_is_measured_with_the_font() {
        render((200, 50), |root| {
            let (w1, h1) = root.estimate_text_size("ll", &text(20))?;
            let (w2, h2) = root.estimate_text_size("WW", &text(20))?;
            assert!(w1 < w2, "{w1} {w2}");
            assert_eq!(h1, h2);
            assert!((18..=30).contains(&h1), "{h1}");
            Ok(())
        })
        .unwrap();
    }
}
