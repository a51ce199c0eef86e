//! The teacher's projector: only what every team may see — the map, prices,
//! the news for everyone, the front, the clock and which teams are done —
//! and the teacher's tools: pause, fire a card, set the clock, end a team's
//! turn, hand a seat to the computer and back. When this window hosts the
//! game it also shows each seat's code, the address and a QR code of the
//! join link. Everything here comes from the host over the same protocol a
//! remote teacher would use.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use super::classroom::{Classroom, table_line};
use super::map_view::{MapCamera, MapItem, board_map};
use super::{ActiveGame, Screen, root_ui, theme};
use crate::net::protocol::*;
use crate::rules::types::{Good, PowerId, WarStatus};
use crate::session::Session;

/// What the projector remembers between frames.
#[derive(Resource, Default)]
struct ProjectorUi {
    camera: MapCamera,
    selected: Option<MapItem>,
    card: Option<String>,
    minutes: u64,
    /// The codes are off the projector once the teams have joined.
    hide_codes: bool,
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<ProjectorUi>().add_systems(
        EguiPrimaryContextPass,
        projector.run_if(in_state(Screen::Classroom)),
    );
}

/// The join link as a QR code, drawn module by module.
pub fn qr_code(ui: &mut egui::Ui, link: &str, size: f32) {
    let Ok(code) = qrcode::QrCode::new(link.as_bytes()) else {
        return;
    };
    let width = code.width();
    let colors = code.to_colors();
    // A quiet zone of two modules, as scanners need.
    let modules = width + 4;
    let cell = (size / modules as f32).floor().max(1.0);
    let (rect, _) = ui.allocate_exact_size(
        egui::vec2(cell * modules as f32, cell * modules as f32),
        egui::Sense::hover(),
    );
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 0.0, egui::Color32::WHITE);
    for (i, c) in colors.iter().enumerate() {
        if *c == qrcode::Color::Dark {
            let (x, y) = ((i % width + 2) as f32, (i / width + 2) as f32);
            let min = rect.min + egui::vec2(x * cell, y * cell);
            painter.rect_filled(
                egui::Rect::from_min_size(min, egui::vec2(cell, cell)),
                0.0,
                egui::Color32::BLACK,
            );
        }
    }
}

/// A price as the projector shows it: cents only where they matter.
fn price(p: f64) -> String {
    if p < 20.0 {
        format!("{p:.1}")
    } else {
        format!("{p:.0}")
    }
}

fn seat_label(seat: &str) -> &'static str {
    match seat {
        "human" => "team",
        "ai:easy" => "computer (easy)",
        "ai:hard" => "computer (hard)",
        "ai:passive" => "computer (passive)",
        _ => "computer",
    }
}

fn projector(
    mut contexts: EguiContexts,
    classroom: Option<NonSendMut<Classroom>>,
    mut st: ResMut<ProjectorUi>,
    mut next: ResMut<NextState<Screen>>,
    mut commands: Commands,
) -> Result {
    let Some(mut classroom) = classroom else {
        return Ok(());
    };
    if !matches!(classroom.role, Some(Role::Teacher)) {
        return Ok(());
    }
    let ctx = contexts.ctx_mut()?;
    let mut ui = root_ui(ctx);
    let mut send: Vec<ClientMessage> = Vec::new();
    let mut leave = false;
    let mut debrief = false;
    let status = classroom.status().cloned();
    let title = classroom
        .game
        .as_ref()
        .map(|g| g.title.clone())
        .unwrap_or_default();
    egui::Panel::top("projector-top").show(&mut ui, |ui| {
        ui.add_space(3.0);
        ui.horizontal_wrapped(|ui| {
            ui.label(theme::heading(&title));
            if let Some(s) = &status {
                ui.separator();
                let when = if s.over {
                    "the game is over".to_string()
                } else {
                    format!("{} · turn {}/{}", s.label, s.turn, s.max_turns)
                };
                ui.label(egui::RichText::new(when).strong().size(18.0));
            }
            if let Some(clock) = classroom.clock_text() {
                ui.separator();
                ui.label(
                    egui::RichText::new(format!("⏱ {clock}"))
                        .strong()
                        .size(18.0)
                        .color(theme::GOOD),
                );
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let hosting = classroom.hosting.is_some();
                if ui
                    .button(if hosting { "Stop hosting" } else { "Leave" })
                    .on_hover_text(
                        "The game is saved after every turn: `serve --load` takes it up again.",
                    )
                    .clicked()
                {
                    leave = true;
                }
                if let Some(s) = status.as_ref().filter(|s| !s.over) {
                    let label = if s.paused { "▶ Resume" } else { "⏸ Pause" };
                    if ui.button(egui::RichText::new(label).strong()).clicked() {
                        send.push(ClientMessage::Pause { paused: !s.paused });
                    }
                }
                if classroom.over.is_some() && hosting && ui.button("Open the debrief").clicked() {
                    debrief = true;
                }
            });
        });
        table_line(ui, &classroom);
        ui.add_space(2.0);
    });
    egui::Panel::bottom("projector-status").show(&mut ui, |ui| {
        let (text, good) = classroom.message.clone().unwrap_or((
            "The projector shows only what every team may see.".into(),
            true,
        ));
        ui.label(egui::RichText::new(text).color(if good { theme::GOOD } else { theme::BAD }));
    });
    egui::Panel::left("projector-left")
        .default_size(400.0)
        .show(&mut ui, |ui| {
            egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
                ui.label(theme::heading("Teams"));
                egui::Grid::new("teams").num_columns(4).striped(true).show(ui, |ui| {
                    for s in status.iter().flat_map(|s| s.seats.iter()) {
                        ui.label(theme::power_name(s.power));
                        let human = s.seat == "human";
                        ui.label(if human {
                            match s.connected {
                                0 => "team (not here)".to_string(),
                                1 => "team".to_string(),
                                n => format!("team, {n} computers"),
                            }
                        } else {
                            seat_label(&s.seat).to_string()
                        });
                        if human && !s.ended_turn {
                            ui.label(egui::RichText::new("planning…").color(theme::MUTED));
                        } else {
                            ui.label(egui::RichText::new("✔ done").color(theme::GOOD));
                        }
                        let over = status.as_ref().is_some_and(|t| t.over);
                        ui.add_enabled_ui(!over, |ui| ui.horizontal(|ui| {
                            if human && !s.ended_turn && ui.small_button("End turn").on_hover_text("End this team's turn with the orders it has given.").clicked() {
                                send.push(ClientMessage::EndTeamTurn { power: s.power });
                            }
                            let (label, seat) = if human {
                                ("To computer", "ai:normal")
                            } else {
                                ("To a team", "human")
                            };
                            if ui.small_button(label).clicked() {
                                send.push(ClientMessage::SetSeat { power: s.power, seat: seat.into() });
                            }
                        }));
                        ui.end_row();
                    }
                });
                ui.add_space(8.0);
                let Some((public, news)) = &classroom.public else {
                    ui.label("Waiting for the host…");
                    return;
                };
                ui.label(theme::heading("Prices, $/kg"));
                egui::Grid::new("prices").num_columns(3).show(ui, |ui| {
                    ui.label("");
                    ui.label(egui::RichText::new("outside China").color(theme::MUTED));
                    ui.label(egui::RichText::new("in China").color(theme::MUTED));
                    ui.end_row();
                    for g in Good::ALL {
                        let (p, before) = (public.market.price[g], public.market.previous_price[g]);
                        // The change since last quarter, in the game's own
                        // font (it has no arrow glyphs).
                        let change = if before > 0.0 { (p / before - 1.0) * 100.0 } else { 0.0 };
                        ui.label(g.name());
                        if change.abs() >= 0.5 {
                            ui.label(
                                egui::RichText::new(format!("{} ({change:+.0}%)", price(p)))
                                    .color(if change > 0.0 { theme::BAD } else { theme::GOOD }),
                            );
                        } else {
                            ui.label(price(p));
                        }
                        ui.label(price(public.market.price_china[g]));
                        ui.end_row();
                    }
                });
                ui.add_space(8.0);
                ui.label(theme::heading("The war in Ukraine"));
                ui.label(match public.war.status {
                    WarStatus::Active => format!(
                        "Fighting, intensity {:.0}%. Russia holds {:.0}% of Ukraine's rare-earth reserves.",
                        public.war.intensity * 100.0,
                        public.war.front_share * 100.0
                    ),
                    WarStatus::Ceasefire => format!(
                        "Ceasefire: the front is frozen. Russia holds {:.0}% of Ukraine's rare-earth reserves.",
                        public.war.front_share * 100.0
                    ),
                    WarStatus::Peace => "Peace.".to_string(),
                });
                ui.add_space(8.0);
                ui.label(theme::heading("News for everyone"));
                for n in news.iter().rev() {
                    ui.label(format!("{} · {}", n.turn, n.text));
                }
            });
        });
    egui::Panel::right("projector-right")
        .default_size(300.0)
        .show(&mut ui, |ui| {
            egui::ScrollArea::vertical()
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    if let Some(hosting) = &classroom.hosting {
                        ui.label(theme::heading("Join this game"));
                        let link = hosting.host.join_link();
                        qr_code(ui, &link, 180.0);
                        ui.label(egui::RichText::new(&link).monospace());
                        ui.label(
                            egui::RichText::new(format!(
                                "In the game: Join a classroom game, address {}",
                                classroom.address
                            ))
                            .small()
                            .color(theme::MUTED),
                        );
                        ui.add_space(6.0);
                        // Every team can read the projector: hide the codes once
                        // the teams have joined, so none can take another's seat.
                        ui.checkbox(&mut st.hide_codes, "Hide the codes");
                        if !st.hide_codes {
                            egui::Grid::new("codes").num_columns(2).show(ui, |ui| {
                                for p in PowerId::ALL {
                                    ui.label(theme::power_name(p));
                                    ui.label(
                                        egui::RichText::new(hosting.codes.seat(p))
                                            .monospace()
                                            .strong(),
                                    );
                                    ui.end_row();
                                }
                                ui.label("Teacher");
                                ui.label(egui::RichText::new(&hosting.codes.teacher).monospace());
                                ui.end_row();
                            });
                        }
                        ui.add_space(10.0);
                    }
                    ui.label(theme::heading("Teacher's tools"));
                    ui.horizontal(|ui| {
                        ui.label("Clock:");
                        egui::ComboBox::from_id_salt("projector-clock")
                            .selected_text(super::teacher::timer_label(st.minutes))
                            .show_ui(ui, |ui| {
                                for m in super::teacher::TIMER_CHOICES {
                                    ui.selectable_value(
                                        &mut st.minutes,
                                        m,
                                        super::teacher::timer_label(m),
                                    );
                                }
                            });
                        if ui.button("Set").clicked() {
                            send.push(ClientMessage::SetClock {
                                minutes: st.minutes as u32,
                            });
                        }
                    });
                    ui.add_space(4.0);
                    ui.label("Fire a card next turn:");
                    let shown = st
                        .card
                        .as_ref()
                        .and_then(|id| classroom.cards.iter().find(|c| &c.id == id))
                        .map_or("choose a card".to_string(), |c| c.title.clone());
                    egui::ComboBox::from_id_salt("projector-card")
                        .selected_text(shown)
                        .width(260.0)
                        .show_ui(ui, |ui| {
                            let mut cards: Vec<&CardInfo> = classroom.cards.iter().collect();
                            cards.sort_by_key(|c| !c.teacher_only);
                            for c in cards {
                                let label = if c.teacher_only {
                                    format!("{} (teacher's card)", c.title)
                                } else {
                                    c.title.clone()
                                };
                                ui.selectable_value(&mut st.card, Some(c.id.clone()), label);
                            }
                        });
                    if let Some(card) = st.card.clone()
                        && ui.button("Fire next turn").clicked()
                    {
                        send.push(ClientMessage::FireCard { card });
                    }
                });
        });
    egui::CentralPanel::default()
        .frame(egui::Frame::NONE)
        .show(&mut ui, |ui| {
            if let Some((public, _)) = &classroom.public {
                let st = &mut *st;
                board_map(ui, public, &mut st.camera, &mut st.selected);
            }
        });
    if status.as_ref().is_some_and(|s| s.paused) {
        egui::Area::new("paused".into())
            .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
            .show(ctx, |ui| {
                ui.label(
                    egui::RichText::new("⏸ Paused")
                        .size(48.0)
                        .strong()
                        .color(theme::BAD),
                );
            });
    }
    for m in send {
        classroom.send(m);
    }
    if debrief && let Some(hosting) = &classroom.hosting {
        match crate::save::load(&hosting.autosave) {
            Ok(table) => {
                let session = Session::from_save(table);
                commands.queue(move |world: &mut World| {
                    world.insert_non_send(ActiveGame(session));
                });
                next.set(Screen::End);
            }
            Err(e) => classroom.message = Some((e.to_string(), false)),
        }
    }
    if leave {
        next.set(Screen::Menu);
    }
    Ok(())
}
