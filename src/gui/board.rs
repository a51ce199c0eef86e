//! The board: the map in the middle, the player's panels around it. Orders
//! go to the session, which hands them to the rules; a refusal shows with
//! the engine's reason.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use super::deal_editor::{DealDraft, EditorOutcome, deal_editor};
use super::map_view::{MapCamera, MapItem, board_map, describe};
use super::panels::{self, DealRequest, Tab, TopAction};
use super::{ActiveGame, Screen, root_ui, theme};
use crate::level::schema::Level;
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
        // The first player keeps the panel the game opened on (`play --tab`).
        let tab = if self.player.is_none() {
            self.tab
        } else {
            Tab::default()
        };
        *self = BoardUi {
            player: Some(player),
            camera,
            tab,
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

/// What the board shows besides the player's view; given by whoever
/// drives it (the window's own session, or a classroom host's connection).
pub(super) struct Frame<'a> {
    /// The player may give orders (else the board only watches).
    pub planning: bool,
    pub end_label: &'a str,
    pub clock: Option<String>,
    pub level: Option<&'a Level>,
    pub seed: Option<u64>,
    /// The line at the bottom when there is no message.
    pub hint: &'a str,
}

/// What the player did on the board this frame.
#[derive(Default)]
pub(super) struct Drawn {
    pub orders: Vec<Order>,
    pub cancel: Option<usize>,
    pub top: Option<TopAction>,
    /// The deal editor sent its deal: close it if the order is taken.
    pub deal_sent: bool,
}

/// Draw the board for `view`: the top bar (with `extra_top` under it), the
/// panels, the map, the windows over it. Nothing is submitted here.
pub(super) fn draw(
    ctx: &egui::Context,
    view: &PowerView,
    st: &mut BoardUi,
    frame: &Frame,
    status: Option<(String, bool)>,
    extra_top: &mut dyn FnMut(&mut egui::Ui),
) -> Drawn {
    let player = view.me.power.id;
    if st.player != Some(player) {
        st.reset_for(player);
    }
    let mut ui = root_ui(ctx);
    let mut drawn = Drawn::default();
    let mut orders: Vec<Order> = Vec::new();
    let mut cancel = None;
    egui::Panel::top("top-bar").show(&mut ui, |ui| {
        ui.add_space(3.0);
        drawn.top = panels::top_bar(ui, view, frame.end_label, frame.clock.as_deref());
        extra_top(ui);
        ui.add_space(1.0);
    });
    egui::Panel::bottom("status").show(&mut ui, |ui| {
        let status = st.message.clone().or(status);
        ui.horizontal(|ui| match &status {
            Some((text, ok)) => {
                let color = if *ok { theme::GOOD } else { theme::BAD };
                ui.label(egui::RichText::new(text).color(color));
            }
            None => {
                ui.label(egui::RichText::new(frame.hint).color(theme::MUTED));
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
                        Tab::Economy => panels::economy(ui, view, &mut st.economy),
                        Tab::Facilities => panels::facilities(ui, view, &mut st.facility),
                        Tab::Market => panels::market(ui, view, &mut st.market),
                        Tab::TradePolicy => panels::trade_policy(ui, view, &mut st.policy),
                        Tab::Diplomacy => {
                            let (order, request) = panels::diplomacy(ui, view);
                            match request {
                                Some(DealRequest::New(p)) => st.deal = Some(DealDraft::new(p)),
                                Some(DealRequest::Counter(id)) => {
                                    st.deal = DealDraft::counter(view, id)
                                }
                                None => {}
                            }
                            order
                        }
                        Tab::War => panels::war(ui, view),
                        Tab::Orders => {
                            cancel = panels::orders(ui, view);
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
                describe(ui, view, &item);
                ui.separator();
                let mut open_deal = None;
                orders.extend(selection_actions(ui, view, &item, st, &mut open_deal));
                if let Some(p) = open_deal {
                    st.deal = Some(DealDraft::new(p));
                }
            });
    }
    egui::CentralPanel::default()
        .frame(egui::Frame::NONE)
        .show(&mut ui, |ui| {
            board_map(ui, view, &mut st.camera, &mut st.selected);
        });

    // Windows over the board.
    let mut close_deal = false;
    if let Some(draft) = &mut st.deal {
        egui::Window::new("Deal editor")
            .collapsible(false)
            .default_width(460.0)
            .show(ctx, |ui| match deal_editor(ui, view, draft) {
                Some(EditorOutcome::Send(order)) => {
                    orders.push(order);
                    drawn.deal_sent = true;
                }
                Some(EditorOutcome::Close) => close_deal = true,
                None => {}
            });
    }
    if close_deal {
        st.deal = None;
    }
    if st.show_briefing {
        let mut open = true;
        egui::Window::new("Briefing")
            .open(&mut open)
            .default_width(560.0)
            .default_height(480.0)
            .show(ctx, |ui| {
                if let Some(seed) = frame.seed {
                    ui.label(
                        egui::RichText::new(format!(
                            "Seed {seed} — the same level, seed and orders replay this game."
                        ))
                        .color(theme::MUTED),
                    );
                }
                match frame.level {
                    Some(level) => {
                        super::menu::briefing(ui, level);
                        ui.separator();
                        ui.label(egui::RichText::new("Your goals").strong());
                        ui.label(level.briefing.goals(player));
                    }
                    None => {
                        ui.label("The host's level is not one of this game's own: ask the teacher for its briefing.");
                    }
                }
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
                    if let Some(level) = frame.level {
                        super::menu::sources(ui, level)
                    }
                });
            });
        if !open {
            st.encyclopedia = None;
        }
    }
    match drawn.top {
        Some(TopAction::Briefing) => st.show_briefing = !st.show_briefing,
        Some(TopAction::Encyclopedia) => {
            st.encyclopedia = match st.encyclopedia {
                Some(_) => None,
                None => Some(super::help::Open::Glossary),
            }
        }
        _ => {}
    }
    drawn.orders = orders;
    drawn.cancel = cancel;
    drawn
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
    let planning = match session.step {
        Step::Planning(_) => true,
        // Nothing secret shows while the turn resolves or for spectators.
        Step::Resolving if session.humans().is_empty() => false,
        _ => return Ok(()),
    };
    let ctx = contexts.ctx_mut()?;
    let view = session.view();
    let st = &mut *ui_state;
    let end_label = if !planning {
        "Watching…"
    } else if session.is_hot_seat() {
        "Finish my turn"
    } else {
        "End turn"
    };
    let level = session.level().clone();
    let frame = Frame {
        planning,
        end_label,
        clock: if planning { lesson.clock_text() } else { None },
        level: Some(&level),
        seed: Some(session.table.seed()),
        hint: if planning {
            "Queue orders in the panels or on the map, then end the turn. Orders can be cancelled until then."
        } else {
            "The computer players are playing."
        },
    };
    let status = save_status.autosave.clone().map(|e| (e, false));
    let drawn = draw(ctx, &view, st, &frame, status, &mut |_| {});

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

    if !frame.planning {
        if drawn.top == Some(TopAction::Menu) {
            next.set(Screen::Menu);
        }
        return Ok(());
    }
    let mut close_deal = drawn.deal_sent;
    for order in drawn.orders {
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
    if let Some(i) = drawn.cancel
        && let Some(o) = session.cancel(i)
    {
        st.message = Some((format!("Cancelled: {o}"), true));
    }
    match drawn.top {
        Some(TopAction::EndTurn) => end_turn(session, st),
        Some(TopAction::Save) => {
            st.save_name = Some(format!(
                "{} {}",
                session.level().id,
                view.label.replace(' ', "-")
            ))
        }
        Some(TopAction::Menu) => next.set(Screen::Menu),
        _ => {}
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
            let f = view.facilities.iter().find(|f| *f.id == **id)?;
            if f.owner == me {
                panels::facility_card(ui, view, f, &mut st.facility)
            } else {
                ui.label(format!("This {} belongs to {}.", f.kind, f.owner.name()));
                None
            }
        }
        MapItem::Deposit(id) => {
            let d = view.deposits.iter().find(|d| *d.id == **id)?;
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
            let s = view.sites.iter().find(|s| *s.id == **id)?;
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
