//! The board map: real country outlines (Natural Earth, via `crate::map`),
//! deposits, facilities by owner and stage, trade flows sized by volume and
//! the Ukraine front. Drag to pan, scroll (or the buttons) to zoom; hovering a
//! marker explains it, clicking selects it for orders.

use std::sync::OnceLock;

use bevy_egui::egui::{self, Color32, Pos2, Rect, Sense, Shape, Stroke, Ui, Vec2, pos2, vec2};

use super::theme;
use crate::map::{front_line, project, unproject, world_map};
use crate::rules::types::*;
use crate::rules::view::PublicView;

/// Something on the map a player can select.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MapItem {
    Deposit(String),
    Site(String),
    Facility(String),
}

/// Pan and zoom of the map.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MapCamera {
    /// Projected point at the centre of the view.
    pub center: [f32; 2],
    /// 1 = the whole world's width fills the view.
    pub zoom: f32,
}

impl Default for MapCamera {
    fn default() -> Self {
        // The whole world, shifted east so the US and East Asia both show.
        let c = project(15.0, 22.0);
        MapCamera {
            center: c,
            zoom: 1.05,
        }
    }
}

/// Outlines projected once: per polygon its bounding box, projected points
/// and triangles, and the colour of its country.
struct Shapes {
    polygons: Vec<ProjectedPolygon>,
}

struct ProjectedPolygon {
    bbox: [f32; 4],
    points: Vec<[f32; 2]>,
    /// Ring lengths, to draw borders ring by ring.
    rings: Vec<usize>,
    triangles: Vec<u32>,
    fill: Color32,
}

fn country_fill(id: &str) -> Color32 {
    let tint = |c: Color32| theme::LAND.lerp_to_gamma(c, 0.45);
    match id {
        "840" => tint(theme::US),
        "156" => tint(theme::CHINA),
        "643" => tint(theme::RUSSIA),
        "804" => theme::UKRAINE,
        _ => theme::LAND,
    }
}

fn shapes() -> &'static Shapes {
    static SHAPES: OnceLock<Shapes> = OnceLock::new();
    SHAPES.get_or_init(|| {
        let mut polygons = Vec::new();
        for c in &world_map().countries {
            let fill = country_fill(&c.id);
            for poly in &c.polygons {
                // Shapes across the 180th meridian (Chukotka, Fiji) jump from
                // +180 to -180: draw them whole, east of the date line.
                let wraps = poly
                    .rings
                    .iter()
                    .any(|r| r.windows(2).any(|w| (w[0][0] - w[1][0]).abs() > 180.0));
                let mut points = Vec::new();
                let mut rings = Vec::new();
                for ring in &poly.rings {
                    rings.push(ring.len());
                    points.extend(ring.iter().map(|p| {
                        let lon = if wraps && p[0] < 0.0 {
                            p[0] + 360.0
                        } else {
                            p[0]
                        };
                        project(lon as f64, p[1] as f64)
                    }));
                }
                let mut bbox = [f32::MAX, f32::MAX, f32::MIN, f32::MIN];
                for p in &points {
                    bbox[0] = bbox[0].min(p[0]);
                    bbox[1] = bbox[1].min(p[1]);
                    bbox[2] = bbox[2].max(p[0]);
                    bbox[3] = bbox[3].max(p[1]);
                }
                polygons.push(ProjectedPolygon {
                    bbox,
                    points,
                    rings,
                    triangles: poly.triangles.clone(),
                    fill,
                });
            }
        }
        Shapes { polygons }
    })
}

/// Where each origin's trade flows start and end.
fn anchor(o: Origin) -> (f64, f64) {
    match o {
        Origin::Power(PowerId::Us) => (-98.0, 39.0),
        Origin::Power(PowerId::China) => (105.0, 34.0),
        Origin::Power(PowerId::Russia) => (50.0, 56.0),
        // Japan, Korea and Europe buy most of what the three do not.
        Origin::Outside => (10.0, 49.0),
    }
}

struct Transform {
    rect: Rect,
    center: [f32; 2],
    scale: f32,
}

impl Transform {
    fn to_screen(&self, p: [f32; 2]) -> Pos2 {
        self.rect.center()
            + vec2(
                (p[0] - self.center[0]) * self.scale,
                (p[1] - self.center[1]) * self.scale,
            )
    }
    fn geo(&self, lon: f64, lat: f64) -> Pos2 {
        self.to_screen(project(lon, lat))
    }
    fn to_projected(&self, s: Pos2) -> [f32; 2] {
        let d = (s - self.rect.center()) / self.scale;
        [self.center[0] + d.x, self.center[1] + d.y]
    }
}

/// One marker as drawn, for hover and click.
struct Marker {
    item: MapItem,
    pos: Pos2,
    radius: f32,
}

/// Draw the map into the rest of `ui`; update `selected` on a click.
pub fn board_map(
    ui: &mut Ui,
    view: &PublicView,
    cam: &mut MapCamera,
    selected: &mut Option<MapItem>,
) {
    let (rect, response) = ui.allocate_exact_size(ui.available_size(), Sense::click_and_drag());
    let base = rect.width() / 360.0;
    // Pan and zoom.
    if response.dragged() {
        let d = response.drag_delta() / (base * cam.zoom);
        cam.center[0] -= d.x;
        cam.center[1] -= d.y;
    }
    if response.hovered() {
        let (scroll, pinch) = ui.input(|i| (i.smooth_scroll_delta.y, i.zoom_delta()));
        let factor = (scroll * 0.0025).exp() * pinch;
        if (factor - 1.0).abs() > 1e-4
            && let Some(pointer) = response.hover_pos()
        {
            zoom_about(cam, rect, base, pointer, factor);
        }
    }
    cam.zoom = cam.zoom.clamp(0.8, 40.0);
    cam.center[1] = cam.center[1].clamp(-90.0, 90.0);
    let t = Transform {
        rect,
        center: cam.center,
        scale: base * cam.zoom,
    };
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 0.0, theme::OCEAN);
    draw_land(&painter, &t);
    draw_front(&painter, &t, view);
    draw_flows(&painter, &t, view);
    let markers = draw_markers(&painter, &t, view, selected.as_ref());
    zoom_buttons(ui, rect, cam, base);

    // Hover and click: the nearest marker under the pointer.
    let pointer = response.hover_pos();
    let hit = pointer.and_then(|p| {
        markers
            .iter()
            .filter(|m| m.pos.distance(p) <= m.radius + 4.0)
            .min_by(|a, b| a.pos.distance(p).total_cmp(&b.pos.distance(p)))
    });
    if let Some(m) = hit {
        let item = m.item.clone();
        response
            .clone()
            .on_hover_ui_at_pointer(|ui| describe(ui, view, &item));
        if response.clicked() {
            *selected = Some(item);
        }
    } else if let Some(p) = pointer {
        let (lon, lat) = unproject(t.to_projected(p));
        if let Some(c) = world_map().country_at(lon as f32, lat as f32) {
            painter.text(
                rect.left_bottom() + vec2(8.0, -8.0),
                egui::Align2::LEFT_BOTTOM,
                &c.name,
                egui::FontId::proportional(14.0),
                theme::MUTED,
            );
        }
        if response.clicked() {
            *selected = None;
        }
    }
    legend(&painter, rect);
}

fn zoom_about(cam: &mut MapCamera, rect: Rect, base: f32, pointer: Pos2, factor: f32) {
    let old = base * cam.zoom;
    let new_zoom = (cam.zoom * factor).clamp(0.8, 40.0);
    let new = base * new_zoom;
    let d = pointer - rect.center();
    // Keep the point under the pointer where it is.
    cam.center[0] += d.x / old - d.x / new;
    cam.center[1] += d.y / old - d.y / new;
    cam.zoom = new_zoom;
}

fn zoom_buttons(ui: &mut Ui, rect: Rect, cam: &mut MapCamera, base: f32) {
    let area = Rect::from_min_size(rect.right_top() + vec2(-44.0, 8.0), vec2(36.0, 110.0));
    let mut child = ui.new_child(egui::UiBuilder::new().max_rect(area));
    let size = vec2(32.0, 28.0);
    if child
        .add(egui::Button::new("+").min_size(size))
        .on_hover_text("Zoom in")
        .clicked()
    {
        zoom_about(cam, rect, base, rect.center(), 1.5);
    }
    if child
        .add(egui::Button::new("−").min_size(size))
        .on_hover_text("Zoom out")
        .clicked()
    {
        zoom_about(cam, rect, base, rect.center(), 1.0 / 1.5);
    }
    if child
        .add(egui::Button::new("⟲").min_size(size))
        .on_hover_text("Reset the view")
        .clicked()
    {
        *cam = MapCamera::default();
    }
}

fn draw_land(painter: &egui::Painter, t: &Transform) {
    let visible = t.rect.expand(2.0);
    let mut mesh = egui::Mesh::default();
    let border = Stroke::new(0.6, Color32::from_rgb(30, 38, 44));
    let mut borders = Vec::new();
    for poly in &shapes().polygons {
        let a = t.to_screen([poly.bbox[0], poly.bbox[1]]);
        let b = t.to_screen([poly.bbox[2], poly.bbox[3]]);
        let bbox = Rect::from_two_pos(a, b);
        if !bbox.intersects(visible) {
            continue;
        }
        let first = mesh.vertices.len() as u32;
        for p in &poly.points {
            mesh.colored_vertex(t.to_screen(*p), poly.fill);
        }
        for tri in poly.triangles.chunks_exact(3) {
            mesh.add_triangle(first + tri[0], first + tri[1], first + tri[2]);
        }
        // Borders of shapes big enough on screen to show them.
        if bbox.width() + bbox.height() > 6.0 {
            let mut start = 0;
            for len in &poly.rings {
                let ring: Vec<Pos2> = poly.points[start..start + len]
                    .iter()
                    .map(|p| t.to_screen(*p))
                    .collect();
                start += len;
                borders.push(Shape::closed_line(ring, border));
            }
        }
    }
    painter.add(Shape::mesh(mesh));
    painter.extend(borders);
}

fn draw_front(painter: &egui::Painter, t: &Transform, view: &PublicView) {
    if view.war.status == WarStatus::Peace {
        return;
    }
    let line: Vec<Pos2> = front_line(view.war.front)
        .into_iter()
        .map(|(lat, lon)| t.geo(lon, lat))
        .collect();
    let stroke = Stroke::new(2.5, theme::FRONT);
    if view.war.status == WarStatus::Ceasefire {
        painter.extend(Shape::dashed_line(&line, stroke, 6.0, 4.0));
    } else {
        painter.add(Shape::line(line.clone(), stroke));
    }
    if let Some(top) = line.first() {
        painter.text(
            *top + vec2(6.0, -4.0),
            egui::Align2::LEFT_BOTTOM,
            "front",
            egui::FontId::proportional(12.0),
            theme::FRONT,
        );
    }
}

/// Trade of the last turn between origins, kt.
pub fn flow_volumes(view: &PublicView) -> Vec<(Origin, Origin, f64)> {
    let mut flows: Vec<(Origin, Origin, f64)> = Vec::new();
    for f in &view.trade_flows {
        if f.seller == f.buyer || f.qty <= 0.0 {
            continue;
        }
        match flows
            .iter_mut()
            .find(|(s, b, _)| *s == f.seller && *b == f.buyer)
        {
            Some(e) => e.2 += f.qty,
            None => flows.push((f.seller, f.buyer, f.qty)),
        }
    }
    flows
}

fn draw_flows(painter: &egui::Painter, t: &Transform, view: &PublicView) {
    let flows = flow_volumes(view);
    let max = flows.iter().map(|f| f.2).fold(0.0, f64::max);
    if max <= 0.0 {
        return;
    }
    for (seller, buyer, qty) in flows {
        let (a, b) = (anchor(seller), anchor(buyer));
        let (pa, pb) = (t.geo(a.0, a.1), t.geo(b.0, b.1));
        // Bend to the left of travel so flows both ways stay apart.
        let d = pb - pa;
        let normal = vec2(d.y, -d.x) * 0.18;
        let ctrl = pa + d * 0.5 + normal;
        let points: Vec<Pos2> = (0..=20)
            .map(|i| {
                let s = i as f32 / 20.0;
                let u = 1.0 - s;
                pos2(
                    u * u * pa.x + 2.0 * u * s * ctrl.x + s * s * pb.x,
                    u * u * pa.y + 2.0 * u * s * ctrl.y + s * s * pb.y,
                )
            })
            .collect();
        let width = 1.5 + 7.0 * (qty / max).sqrt() as f32;
        let color = theme::origin(seller).gamma_multiply(0.75);
        painter.add(Shape::line(points.clone(), Stroke::new(width, color)));
        // Arrowhead at the buyer's end.
        let tip = points[19];
        let dir = (points[20] - points[18]).normalized();
        let side = vec2(-dir.y, dir.x) * (width + 3.0);
        painter.add(Shape::convex_polygon(
            vec![tip + dir * (width + 6.0), tip + side, tip - side],
            color,
            Stroke::NONE,
        ));
    }
}

fn stage_mark(stage: Stage) -> &'static str {
    match stage {
        Stage::Planned | Stage::Permitting => "permitting",
        Stage::Construction => "under construction",
        Stage::Operating => "operating",
        Stage::Damaged => "damaged",
        Stage::Idle => "idle",
    }
}

fn position_of(view: &PublicView, at: &str) -> Option<LatLon> {
    view.deposits
        .iter()
        .find(|d| *d.id == *at)
        .map(|d| d.position)
        .or_else(|| view.sites.iter().find(|s| *s.id == *at).map(|s| s.position))
}

fn draw_markers(
    painter: &egui::Painter,
    t: &Transform,
    view: &PublicView,
    selected: Option<&MapItem>,
) -> Vec<Marker> {
    let mut markers = Vec::new();
    let highlight = Stroke::new(2.5, Color32::WHITE);
    for s in &view.sites {
        let pos = t.geo(s.position.lon, s.position.lat);
        let color = s.controller.map(theme::power).unwrap_or(theme::OUTSIDE);
        let r = 5.0;
        let stroke = if selected == Some(&MapItem::Site(s.id.to_string())) {
            highlight
        } else {
            Stroke::new(1.5, color)
        };
        painter.add(Shape::convex_polygon(
            vec![
                pos + vec2(0.0, -r),
                pos + vec2(r, 0.0),
                pos + vec2(0.0, r),
                pos + vec2(-r, 0.0),
            ],
            Color32::from_black_alpha(120),
            stroke,
        ));
        markers.push(Marker {
            item: MapItem::Site(s.id.to_string()),
            pos,
            radius: r,
        });
    }
    for d in &view.deposits {
        let pos = t.geo(d.position.lon, d.position.lat);
        let color = d.controller.map(theme::power).unwrap_or(theme::OUTSIDE);
        let r = 5.5;
        let stroke = if selected == Some(&MapItem::Deposit(d.id.to_string())) {
            highlight
        } else {
            Stroke::new(1.0, Color32::BLACK)
        };
        painter.circle(pos, r, color, stroke);
        markers.push(Marker {
            item: MapItem::Deposit(d.id.to_string()),
            pos,
            radius: r,
        });
    }
    // Facilities in a small arc above their place, so several stay apart.
    let mut count: Vec<(&str, usize)> = Vec::new();
    for f in &view.facilities {
        let Some(at) = position_of(view, &f.at) else {
            continue;
        };
        let n = match count.iter_mut().find(|(a, _)| *a == &*f.at) {
            Some(e) => {
                e.1 += 1;
                e.1
            }
            None => {
                count.push((&f.at, 1));
                1
            }
        };
        let angle = -std::f32::consts::FRAC_PI_2 + (n as f32 - 1.0) * 0.75;
        let pos = t.geo(at.lon, at.lat) + Vec2::angled(angle) * 13.0;
        let color = theme::power(f.owner);
        let side = 4.0 + (f.capacity as f32).sqrt().min(6.0);
        let r = Rect::from_center_size(pos, vec2(side, side) * 1.6);
        let stroke = if selected == Some(&MapItem::Facility(f.id.to_string())) {
            highlight
        } else {
            Stroke::new(1.5, color)
        };
        match f.stage {
            Stage::Operating => {
                painter.rect(r, 1.0, color, stroke, egui::StrokeKind::Middle);
            }
            Stage::Damaged => {
                painter.rect(r, 1.0, theme::BAD, stroke, egui::StrokeKind::Middle);
            }
            _ => {
                // Hollow while being permitted or built, dim while idle.
                painter.rect(
                    r,
                    1.0,
                    Color32::from_black_alpha(140),
                    stroke,
                    egui::StrokeKind::Middle,
                );
            }
        }
        let glyph = match f.kind {
            FacilityKind::Mine => "M",
            FacilityKind::SeparationPlant => "S",
            FacilityKind::MagnetPlant => "P",
        };
        painter.text(
            pos,
            egui::Align2::CENTER_CENTER,
            glyph,
            egui::FontId::proportional(side * 1.2),
            if f.stage == Stage::Operating {
                Color32::BLACK
            } else {
                color
            },
        );
        markers.push(Marker {
            item: MapItem::Facility(f.id.to_string()),
            pos,
            radius: side,
        });
    }
    markers
}

/// The key to the markers, drawn with the same shapes as the map.
fn legend(painter: &egui::Painter, rect: Rect) {
    let font = egui::FontId::proportional(13.0);
    let x = rect.left() + 16.0;
    let mut y = rect.top() + 14.0;
    let bg = Rect::from_min_size(rect.left_top() + vec2(4.0, 4.0), vec2(330.0, 92.0));
    painter.rect_filled(bg, 4.0, Color32::from_black_alpha(150));
    let text = |y: f32, t: &str, c: Color32| {
        painter.text(
            pos2(x + 14.0, y),
            egui::Align2::LEFT_CENTER,
            t,
            font.clone(),
            c,
        );
    };
    painter.circle(
        pos2(x, y),
        5.0,
        theme::OUTSIDE,
        Stroke::new(1.0, Color32::BLACK),
    );
    text(y, "deposit (colour: who controls it)", theme::MUTED);
    y += 17.0;
    let r = 5.0;
    painter.add(Shape::convex_polygon(
        vec![
            pos2(x, y - r),
            pos2(x + r, y),
            pos2(x, y + r),
            pos2(x - r, y),
        ],
        Color32::from_black_alpha(120),
        Stroke::new(1.5, theme::OUTSIDE),
    ));
    text(y, "industrial site (plants)", theme::MUTED);
    y += 17.0;
    painter.rect(
        Rect::from_center_size(pos2(x, y), vec2(9.0, 9.0)),
        1.0,
        theme::OUTSIDE,
        Stroke::NONE,
        egui::StrokeKind::Middle,
    );
    text(
        y,
        "M mine · S separation · P magnets (hollow: building)",
        theme::MUTED,
    );
    y += 17.0;
    painter.line_segment(
        [pos2(x - 6.0, y), pos2(x + 6.0, y)],
        Stroke::new(3.0, theme::OUTSIDE),
    );
    text(y, "trade last quarter (width: volume)", theme::MUTED);
    y += 17.0;
    painter.line_segment(
        [pos2(x - 6.0, y), pos2(x + 6.0, y)],
        Stroke::new(2.5, theme::FRONT),
    );
    text(y, "Ukraine front", theme::FRONT);
}

/// The hover text of a marker.
pub fn describe(ui: &mut Ui, view: &PublicView, item: &MapItem) {
    match item {
        MapItem::Deposit(id) => {
            if let Some(d) = view.deposits.iter().find(|d| *d.id == **id) {
                ui.label(egui::RichText::new(format!("{} ({})", d.name, d.country)).strong());
                ui.label(format!(
                    "Deposit: {:.0} kt of oxides left, {:.0}% heavy",
                    d.reserves,
                    d.heavy_share * 100.0
                ));
                ui.label(match d.controller {
                    Some(p) => format!("Controlled by {}", p.name()),
                    None => format!(
                        "Open to {}",
                        d.open_to
                            .iter()
                            .map(|p| p.name())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                });
                if let Some(th) = d.front_threshold {
                    ui.label(format!(
                        "On the front: Russia takes it at front index {th:.2}"
                    ));
                }
                if !d.note.is_empty() {
                    ui.label(egui::RichText::new(&*d.note).italics());
                }
            }
        }
        MapItem::Site(id) => {
            if let Some(s) = view.sites.iter().find(|s| *s.id == **id) {
                ui.label(egui::RichText::new(format!("{} ({})", s.name, s.country)).strong());
                ui.label("Industrial site: separation or magnet plants");
                if !s.note.is_empty() {
                    ui.label(egui::RichText::new(&*s.note).italics());
                }
            }
        }
        MapItem::Facility(id) => {
            if let Some(f) = view.facilities.iter().find(|f| *f.id == **id) {
                ui.label(egui::RichText::new(&*f.name).strong());
                ui.label(format!(
                    "{} of {}, {:.2} kt/quarter, {}",
                    f.kind,
                    f.owner.name(),
                    f.capacity,
                    stage_mark(f.stage)
                ));
                if matches!(
                    f.stage,
                    Stage::Planned | Stage::Permitting | Stage::Construction
                ) {
                    ui.label(format!("{} turns left in this stage", f.turns_left));
                } else {
                    ui.label(format!("Output last quarter: {:.2} kt", f.output));
                }
            }
        }
    }
    ui.label(
        egui::RichText::new("Click to select")
            .small()
            .color(theme::MUTED),
    );
}
