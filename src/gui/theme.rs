//! Colours and text styles shared by every screen.

use bevy_egui::egui::{self, Color32, FontId, RichText, TextStyle};

use crate::rules::types::{Origin, PowerId};

pub const US: Color32 = Color32::from_rgb(74, 143, 224);
pub const CHINA: Color32 = Color32::from_rgb(224, 82, 63);
pub const RUSSIA: Color32 = Color32::from_rgb(166, 120, 220);
pub const OUTSIDE: Color32 = Color32::from_rgb(160, 166, 172);
pub const GOOD: Color32 = Color32::from_rgb(110, 200, 120);
pub const BAD: Color32 = Color32::from_rgb(235, 100, 90);
pub const MUTED: Color32 = Color32::from_rgb(150, 155, 160);
pub const OCEAN: Color32 = Color32::from_rgb(22, 34, 48);
pub const LAND: Color32 = Color32::from_rgb(58, 66, 62);
pub const UKRAINE: Color32 = Color32::from_rgb(120, 112, 60);
pub const FRONT: Color32 = Color32::from_rgb(255, 80, 60);

pub fn power(p: PowerId) -> Color32 {
    match p {
        PowerId::Us => US,
        PowerId::China => CHINA,
        PowerId::Russia => RUSSIA,
    }
}

pub fn origin(o: Origin) -> Color32 {
    match o {
        Origin::Power(p) => power(p),
        Origin::Outside => OUTSIDE,
    }
}

/// A power's name in its colour.
pub fn power_name(p: PowerId) -> RichText {
    RichText::new(p.name()).color(power(p)).strong()
}

pub fn heading(text: impl Into<String>) -> RichText {
    RichText::new(text).size(22.0).strong()
}

pub fn title(text: impl Into<String>) -> RichText {
    RichText::new(text).size(34.0).strong()
}

/// Dark theme with text large enough to read from the back of a classroom.
pub fn apply(ctx: &egui::Context) {
    ctx.set_visuals(egui::Visuals::dark());
    ctx.all_styles_mut(|style| {
        style.text_styles = [
            (TextStyle::Heading, FontId::proportional(20.0)),
            (TextStyle::Body, FontId::proportional(15.0)),
            (TextStyle::Button, FontId::proportional(15.0)),
            (TextStyle::Small, FontId::proportional(12.0)),
            (TextStyle::Monospace, FontId::monospace(14.0)),
        ]
        .into();
        style.spacing.item_spacing = egui::vec2(8.0, 6.0);
        style.spacing.button_padding = egui::vec2(8.0, 4.0);
    });
}

/// Money in US$ bn, short.
pub fn bn(x: f64) -> String {
    if x.abs() >= 10.0 {
        format!("${x:.0} bn")
    } else {
        format!("${x:.1} bn")
    }
}

/// A figure that may be an estimate: "≈ 12 (9–15)".
pub fn estimate(e: &crate::rules::view::Estimate, fmt: impl Fn(f64) -> String) -> String {
    if e.is_exact() {
        fmt(e.value)
    } else {
        format!("≈ {} ({}–{})", fmt(e.value), fmt(e.low()), fmt(e.high()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The debrief's charts (`crate::charts`) use the window's colours.
    #[test]
    fn the_charts_have_the_windows_colours() {
        use crate::charts;
        for p in PowerId::ALL {
            let (c, t) = (charts::power(p), power(p));
            assert_eq!((c.0, c.1, c.2), (t.r(), t.g(), t.b()), "{p}");
        }
        let o = charts::OUTSIDE;
        assert_eq!((o.0, o.1, o.2), (OUTSIDE.r(), OUTSIDE.g(), OUTSIDE.b()));
        let f = charts::FRONT;
        assert_eq!((f.0, f.1, f.2), (FRONT.r(), FRONT.g(), FRONT.b()));
    }
}
