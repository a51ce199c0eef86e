//! The board: the map in the middle, the player's panels around it. Orders
//! go to the session, which hands them to the rules; a refusal shows with
//! the engine's reason.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use super::deal_editor::{DealDraft, EditorOutcome, deal_editor};
use super::map_view::{MapCamera, MapItem, board_map, describe};
use super::panels::{self, DealRequest, Tab, TopAction};
use super::{ActiveGame, Screen, root_ui, theme};
use crate::rules::orders::{Order, limits};
use crate::rules::types::*;
use crate::rules::view::PowerView;
use crate::session::{Session, Step};

/// What the board remembers between frames for the player at the keyboard.
/// Cleared when another player sits down, so no one sees another's drafts.
#[derive(Resource, Default)]
pub struct BoardUi {
    pub player: Option<PowerId>,
    pub tab: Tab,
    pub camera: MapCamera,
    pub selected: Option<MapItem>,
    pub economy: panels::EconomyForm,
    pub facility: panels::FacilityForm,
    pub market: panels::MarketForm,
    pub policy: panels::PolicyForm,
    pub build: BuildForm,
    pub deal: Option<DealDraft>,
    /// The last order's fate: text and whether it was accepted.
    pub message: Option<(String, bool)>,
    pub show_briefing: bool,
    /// The encyclopedia window, at the part that is open.
    pub encyclopedia: Option<super::help::Open>,
    /// The save dialog, with the name being typed.
    pub save_name: Option<String>,
}

impl BoardUi {
    fn reset_for(&mut self, player: PowerId) {
        let camera = self.camera;
        *self = BoardUi {
            player: Some(player),
            camera,
            ..default()
        };
    }
}

/// A new facility being planned at the selected place.
#[derive(Clone, Debug, PartialEq)]
pub struct BuildForm {
    pub kind: FacilityKind,
    pub capacity: f64,
}

impl Default for BuildForm {
    fn default() -> Self {
        BuildForm {
            kind: FacilityKind::SeparationPlant,
            capacity: 1.0,
        }
    }
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<BoardUi>().add_systems(
        EguiPrimaryContextPass,
        board.run_if(in_state(Screen::Playing)),
    );
}

fn board(
    mut contexts: EguiContexts,
    game: Option<NonSendMut<ActiveGame>>,
    mut ui_state: ResMut<BoardUi>,
    mut next: ResMut<NextState<Screen>>,
    save_status: Res<super::turn::SaveStatus>,
    lesson: Res<super::teacher::Lesson>,
) -> Result {
    let Some(mut game) = game else {
        next.set(Screen::Menu);
        return Ok(());
    };
    let session = &mut game.0;
    let (player, planning) = match session.step {
        Step::Planning(p) => (p, true),
        // Nothing secret shows while the turn resolves or for spectators.
        Step::Resolving if session.humans().is_empty() => (session.viewer(), false),
        _ => return Ok(()),
    };
    if ui_state.player != Some(player) {
        ui_state.reset_for(player);
    }
    let ctx = contexts.ctx_mut()?;
    let view = session.view();
    let mut ui = root_ui(ctx);
    let mut orders: Vec<Order> = Vec::new();
    let mut cancel = None;
    let st = &mut *ui_state;

    let end_label = if !planning {
        "Watching…"
    } else if session.is_hot_seat() {
        "Finish my turn"
    } else {
        "End turn"
    };
    let mut top = None;
    egui::Panel::top("top-bar").show(&mut ui, |ui| {
        ui.add_space(3.0);
        let clock = if planning { lesson.clock_text() } else { None };
        top = panels::top_bar(ui, &view, end_label, clock.as_deref());
        ui.add_space(1.0);
    });
    egui::Panel::bottom("status").show(&mut ui, |ui| {
        let status = st
            .message
            .clone()
            .or_else(|| save_status.autosave.clone().map(|e| (e, false)));
        ui.horizontal(|ui| match &status {
            Some((text, ok)) => {
                let color = if *ok { theme::GOOD } else { theme::BAD };
                ui.label(egui::RichText::new(text).color(color));
            }
            None => {
                ui.label(
                    egui::RichText::new(if planning {
                        "Queue orders in the panels or on the map, then end the turn. Orders can be cancelled until then."
                    } else {
                        "The computer players are playing."
                    })
                    .color(theme::MUTED),
                );
            }
        });
    });
    egui::Panel::left("panels")
        .resizable(true)
        .default_size(440.0)
        .size_range(320.0..=700.0)
        .show(&mut ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                for tab in Tab::ALL {
                    let label = if tab == Tab::Orders {
                        format!("Orders ({})", view.queued.len())
                    } else if tab == Tab::Diplomacy {
                        let waiting = view
                            .proposals
                            .iter()
                            .filter(|p| {
                                p.deal.to == player
                                    && p.status == crate::rules::deals::ProposalStatus::Pending
                            })
                            .count();
                        if waiting > 0 {
                            format!("Diplomacy ({waiting}!)")
                        } else {
                            "Diplomacy".into()
                        }
                    } else {
                        tab.label().into()
                    };
                    ui.selectable_value(&mut st.tab, tab, label);
                }
            });
            ui.separator();
            egui::ScrollArea::vertical()
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    let order = match st.tab {
                        Tab::Economy => panels::economy(ui, &view, &mut st.economy),
                        Tab::Facilities => panels::facilities(ui, &view, &mut st.facility),
                        Tab::Market => panels::market(ui, &view, &mut st.market),
                        Tab::TradePolicy => panels::trade_policy(ui, &view, &mut st.policy),
                        Tab::Diplomacy => {
                            let (order, request) = panels::diplomacy(ui, &view);
                            match request {
                                Some(DealRequest::New(p)) => st.deal = Some(DealDraft::new(p)),
                                Some(DealRequest::Counter(id)) => {
                                    st.deal = DealDraft::counter(&view, id)
                                }
                                None => {}
                            }
                            order
                        }
                        Tab::War => panels::war(ui, &view),
                        Tab::Orders => {
                            cancel = panels::orders(ui, &view);
                            None
                        }
                    };
                    orders.extend(order);
                });
        });
    if let Some(item) = st.selected.clone() {
        egui::Panel::right("selection")
            .default_size(300.0)
            .show(&mut ui, |ui| {
                ui.horizontal(|ui| {
                    ui.label(theme::heading("Selected"));
                    if ui.small_button("✖").clicked() {
                        st.selected = None;
                    }
                });
                describe(ui, &view, &item);
                ui.separator();
                let mut open_deal = None;
                orders.extend(selection_actions(ui, &view, &item, st, &mut open_deal));
                if let Some(p) = open_deal {
                    st.deal = Some(DealDraft::new(p));
                }
            });
    }
    egui::CentralPanel::default()
        .frame(egui::Frame::NONE)
        .show(&mut ui, |ui| {
            board_map(ui, &view, &mut st.camera, &mut st.selected);
        });

    // Windows over the board.
    let mut close_deal = false;
    if let Some(draft) = &mut st.deal {
        egui::Window::new("Deal editor")
            .collapsible(false)
            .default_width(460.0)
            .show(ctx, |ui| match deal_editor(ui, &view, draft) {
                Some(EditorOutcome::Send(order)) => {
                    orders.push(order);
                    close_deal = true;
                }
                Some(EditorOutcome::Close) => close_deal = true,
                None => {}
            });
    }
    if st.show_briefing {
        let mut open = true;
        egui::Window::new("Briefing")
            .open(&mut open)
            .default_width(560.0)
            .default_height(480.0)
            .show(ctx, |ui| {
                ui.label(
                    egui::RichText::new(format!(
                        "Seed {} — the same level, seed and orders replay this game.",
                        session.table.seed()
                    ))
                    .color(theme::MUTED),
                );
                super::menu::briefing(ui, session.level());
                ui.separator();
                ui.label(egui::RichText::new("Your goals").strong());
                ui.label(session.level().briefing.goals(player));
            });
        st.show_briefing = open;
    }

    if let Some(page) = super::help::take_request(ctx) {
        st.encyclopedia = Some(super::help::Open::Page(page));
    }
    if let Some(open_part) = &mut st.encyclopedia {
        let mut open = true;
        egui::Window::new("Encyclopedia")
            .open(&mut open)
            .default_width(760.0)
            .default_height(520.0)
            .show(ctx, |ui| {
                super::help::browser(ui, crate::encyclopedia::encyclopedia(), open_part, |ui| {
                    super::menu::sources(ui, session.level())
                });
            });
        if !open {
            st.encyclopedia = None;
        }
    }

    let mut save_now = None;
    if let Some(name) = &mut st.save_name {
        let mut open = true;
        egui::Window::new("Save game")
            .open(&mut open)
            .collapsible(false)
            .show(ctx, |ui| {
                ui.horizontal(|ui| {
                    ui.label("Name:");
                    ui.text_edit_singleline(name);
                });
                if ui.button("Save").clicked() {
                    save_now = Some(name.clone());
                }
            });
        if !open {
            st.save_name = None;
        }
    }
    if let Some(name) = save_now {
        let path = crate::paths::data_dir().join(format!("{}.json", file_name(&name)));
        let file = session.save_file(&name);
        st.message = Some(match crate::save::write(&path, &file) {
            Ok(()) => (format!("Saved as {}", path.display()), true),
            Err(e) => (format!("Could not save: {e}"), false),
        });
        st.save_name = None;
    }

    if !planning {
        if top == Some(TopAction::Menu) {
            next.set(Screen::Menu);
        }
        return Ok(());
    }
    for order in orders {
        let text = order.to_string();
        match session.submit(order) {
            Ok(()) => st.message = Some((format!("Queued: {text}"), true)),
            Err(refusal) => {
                st.message = Some((format!("Refused: {text} — {}", refusal.0), false));
                close_deal = false;
            }
        }
    }
    if close_deal {
        st.deal = None;
    }
    if let Some(i) = cancel
        && let Some(o) = session.cancel(i)
    {
        st.message = Some((format!("Cancelled: {o}"), true));
    }
    match top {
        Some(TopAction::EndTurn) => end_turn(session, st),
        Some(TopAction::Briefing) => st.show_briefing = !st.show_briefing,
        Some(TopAction::Encyclopedia) => {
            st.encyclopedia = match st.encyclopedia {
                Some(_) => None,
                None => Some(super::help::Open::Glossary),
            }
        }
        Some(TopAction::Save) => {
            st.save_name = Some(format!(
                "{} {}",
                session.level().id,
                view.label.replace(' ', "-")
            ))
        }
        Some(TopAction::Menu) => next.set(Screen::Menu),
        None => {}
    }
    Ok(())
}

/// A save name made safe as a file name.
pub fn file_name(name: &str) -> String {
    let cleaned: String = name
        .trim()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .take(60)
        .collect();
    if cleaned.is_empty() {
        "save".into()
    } else {
        cleaned
    }
}

fn end_turn(session: &mut Session, st: &mut BoardUi) {
    session.finish_planning();
    clear_after_turn(st);
}

/// What the board forgets when the player's turn ends.
pub(super) fn clear_after_turn(st: &mut BoardUi) {
    st.message = None;
    st.deal = None;
    st.selected = None;
}

/// Orders offered for the selected place or facility.
fn selection_actions(
    ui: &mut egui::Ui,
    view: &PowerView,
    item: &MapItem,
    st: &mut BoardUi,
    open_deal: &mut Option<PowerId>,
) -> Option<Order> {
    let me = view.me.power.id;
    match item {
        MapItem::Facility(id) => {
            let f = view.facilities.iter().find(|f| &f.id == id)?;
            if f.owner == me {
                panels::facility_card(ui, view, f, &mut st.facility)
            } else {
                ui.label(format!("This {} belongs to {}.", f.kind, f.owner.name()));
                None
            }
        }
        MapItem::Deposit(id) => {
            let d = view.deposits.iter().find(|d| &d.id == id)?;
            if !d.usable_by(me) {
                let owner = d.controller;
                ui.label(match owner {
                    Some(p) => format!("Only {} may build here.", p.name()),
                    None => "Closed to you.".to_string(),
                });
                if let Some(p) = owner.filter(|p| *p != me)
                    && ui
                        .button(format!("Propose a joint venture to {}…", p.name()))
                        .clicked()
                {
                    *open_deal = Some(p);
                }
                return None;
            }
            let built: f64 = view
                .facilities
                .iter()
                .filter(|f| f.at == d.id && f.kind == FacilityKind::Mine)
                .map(|f| f.capacity)
                .sum();
            let room = (d.max_mine_capacity - built).max(0.0);
            if room < 0.01 {
                ui.label("No room for another mine here.");
                return None;
            }
            st.build.kind = FacilityKind::Mine;
            st.build.capacity = st.build.capacity.clamp(0.05, room);
            build_form(ui, view, &d.id, &mut st.build, room)
        }
        MapItem::Site(id) => {
            let s = view.sites.iter().find(|s| &s.id == id)?;
            if !s.usable_by(me) {
                ui.label("Closed to you.");
                return None;
            }
            if st.build.kind == FacilityKind::Mine {
                st.build.kind = FacilityKind::SeparationPlant;
            }
            ui.horizontal(|ui| {
                for k in [FacilityKind::SeparationPlant, FacilityKind::MagnetPlant] {
                    ui.selectable_value(&mut st.build.kind, k, k.name());
                }
            });
            build_form(ui, view, &s.id, &mut st.build, 20.0)
        }
    }
}

fn build_form(
    ui: &mut egui::Ui,
    view: &PowerView,
    at: &str,
    form: &mut BuildForm,
    max: f64,
) -> Option<Order> {
    ui.horizontal(|ui| {
        ui.label("Capacity, kt/quarter");
        ui.add(
            egui::DragValue::new(&mut form.capacity)
                .range(0.05..=max.min(limits::CAPACITY.max))
                .speed(0.02),
        );
    });
    let cost = view.facility_cost(at, form.kind, form.capacity)?;
    let fund = Order::FundFacility {
        at: at.to_string(),
        kind: form.kind,
        capacity: form.capacity,
    };
    let b = &view.me.build;
    ui.label(format!(
        "Cost {} ({} now) · permits {} turns, construction {} turns",
        theme::bn(cost),
        theme::bn(view.order_money(&fund)),
        b.permitting_turns.get(form.kind),
        b.construction_turns.get(form.kind)
    ));
    let label = format!("Fund {}", form.kind.name());
    super::panels::order_button(ui, view, &label, "", fund)
}
