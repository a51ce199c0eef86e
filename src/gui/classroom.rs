//! The classroom network in the window: a connection to a host (as a team
//! or as the teacher), or a host run inside this window with the teacher's
//! connection to it. A team's screen is the board drawn from the view the
//! host sent; its orders go to the host, which answers with its rules'
//! verdict. The teacher's projector is in [`super::projector`].

use std::sync::Arc;
use std::time::{Duration, Instant};

use bevy::prelude::*;
use bevy::window::RequestRedraw;
use bevy::winit::{UpdateMode, WinitSettings};
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use super::board::{BoardUi, Frame, draw};
use super::panels::TopAction;
use super::{Screen, root_ui, theme};
use crate::level::schema::Level;
use crate::net::client::{Link, LinkEvent};
use crate::net::codes::Codes;
use crate::net::host::{Host, HostedGame};
use crate::net::protocol::*;
use crate::rules::resources::{NewsItem, OrderResult};
use crate::rules::types::PowerId;
use crate::rules::view::{PowerView, PublicView};
use crate::table::Table;

/// The host this window runs, with the codes it shows.
pub struct Hosting {
    pub host: Host,
    pub codes: Codes,
    pub autosave: std::path::PathBuf,
}

/// A turn's report as the host sent it.
pub struct Report {
    pub turn: u32,
    pub news: Vec<NewsItem>,
    pub results: Vec<OrderResult>,
}

/// A game on the classroom network, as this window sees it.
pub struct Classroom {
    link: Link,
    pub hosting: Option<Hosting>,
    /// The host's address as the teams type it.
    pub address: String,
    pub connected: bool,
    /// Why the connection dropped, while it tries again.
    pub lost: Option<String>,
    /// The host refused the code: no point trying again.
    pub refused: Option<String>,
    pub role: Option<Role>,
    pub game: Option<GameInfo>,
    /// The level, when it is one of the bundled ones (for the briefing).
    pub level: Option<Arc<Level>>,
    pub cards: Vec<CardInfo>,
    pub view: Option<PowerView>,
    pub public: Option<(PublicView, Vec<NewsItem>)>,
    status: Option<(TableStatus, Instant)>,
    pub report: Option<Report>,
    pub show_report: bool,
    /// The last answer to something this window sent: text, good or not.
    pub message: Option<(String, bool)>,
    /// The game has ended: the state's hash.
    pub over: Option<String>,
    /// The debrief the host sends at the end: timeline and questions.
    pub debrief: Option<(Vec<TimelineTurn>, Vec<String>)>,
}

impl Classroom {
    fn new(link: Link, address: String, hosting: Option<Hosting>) -> Classroom {
        Classroom {
            link,
            hosting,
            address,
            connected: false,
            lost: None,
            refused: None,
            role: None,
            game: None,
            level: None,
            cards: Vec::new(),
            view: None,
            public: None,
            status: None,
            report: None,
            show_report: false,
            message: None,
            over: None,
            debrief: None,
        }
    }

    /// Join a host with a team's (or the teacher's) code.
    pub fn join(address: &str, code: &str) -> Classroom {
        let link = Link::open(address.trim().to_string(), code.trim().to_string());
        Classroom::new(link, address.trim().to_string(), None)
    }

    /// Host `table` on this computer's local network, and join it as the
    /// teacher. Saved after every turn (the codes beside the save); a game
    /// taken up from such a save (`loaded`) keeps its codes and its file.
    pub fn host(
        table: Table,
        timer: Option<Duration>,
        loaded: Option<&std::path::Path>,
    ) -> Result<Classroom, String> {
        let kept = match loaded {
            Some(path) => crate::net::codes::Kept::read(path)?,
            None => None,
        };
        // The teacher's last clock, unless a new one was chosen.
        let timer = match (&kept, timer) {
            (Some(k), None) => k.clock().unwrap_or(None),
            (_, t) => t,
        };
        let codes = match kept {
            Some(k) => k.codes,
            None => Codes::generate()?,
        };
        let bind = crate::net::host::default_bind();
        let autosave = match loaded {
            Some(path) => path.to_path_buf(),
            None => crate::paths::data_dir().join("classroom").join(format!(
                "{}-{}.json",
                table.level().id,
                table.seed()
            )),
        };
        let game = HostedGame {
            table,
            codes: codes.clone(),
            timer,
            autosave: Some(autosave.clone()),
            codes_file: None,
            log: false,
        };
        // The usual port, or any free one when another host has it.
        let host = match std::net::TcpListener::bind((bind, crate::net::DEFAULT_PORT)) {
            Ok(probe) => {
                drop(probe);
                Host::start(bind, crate::net::DEFAULT_PORT, vec![game])
            }
            Err(_) => Host::start(bind, 0, vec![game]),
        }
        .map_err(|e| e.to_string())?;
        let address = host.addr().to_string();
        let link = Link::open(address.clone(), codes.teacher.clone());
        Ok(Classroom::new(
            link,
            address,
            Some(Hosting {
                host,
                codes,
                autosave,
            }),
        ))
    }

    pub fn send(&self, message: ClientMessage) {
        self.link.send(message);
    }

    pub fn status(&self) -> Option<&TableStatus> {
        self.status.as_ref().map(|(s, _)| s)
    }

    /// Take in what the host sent.
    pub fn apply(&mut self, event: LinkEvent) {
        match event {
            LinkEvent::Connected => {
                self.connected = true;
                self.lost = None;
            }
            LinkEvent::Lost(why) => {
                self.connected = false;
                self.lost = Some(why);
            }
            LinkEvent::Refused(why) => {
                self.connected = false;
                self.refused = Some(why);
            }
            LinkEvent::Message(m) => self.take(m),
        }
    }

    fn take(&mut self, message: HostMessage) {
        match message {
            HostMessage::Welcome {
                role, game, cards, ..
            } => {
                self.level = crate::level::bundled(&game.level).map(Arc::new);
                self.role = Some(role);
                self.game = Some(game);
                self.cards = cards;
            }
            HostMessage::View { view, .. } => self.view = Some(*view),
            HostMessage::Public { public, news } => self.public = Some((*public, news)),
            HostMessage::Report {
                turn,
                news,
                results,
            } => {
                let fresh = self.report.as_ref().is_none_or(|r| r.turn != turn);
                self.show_report |= fresh;
                self.report = Some(Report {
                    turn,
                    news,
                    results,
                });
            }
            HostMessage::Status { status } => self.status = Some((status, Instant::now())),
            HostMessage::Queued { order, .. } => {
                self.message = Some((format!("Queued: {order}"), true))
            }
            HostMessage::Cancelled { order, .. } => {
                self.message = Some((format!("Cancelled: {order}"), true))
            }
            HostMessage::Refused { reason } => {
                self.message = Some((format!("Refused: {reason}"), false))
            }
            HostMessage::Done { what } => self.message = Some((what, true)),
            HostMessage::Error { message } => self.message = Some((message, false)),
            HostMessage::GameOver {
                state_hash,
                timeline,
                questions,
            } => {
                self.over = Some(state_hash);
                self.debrief = Some((timeline, questions));
            }
            // The window reckons costs from its own copy of the view with
            // the same rules code, so it never asks for a quote.
            HostMessage::Quote { .. } | HostMessage::Pong => {}
        }
    }

    /// Seconds left on the turn's clock, counted down since the host said.
    pub fn clock_text(&self) -> Option<String> {
        let (status, since) = self.status.as_ref()?;
        let told = status.clock_seconds?;
        let gone = if status.paused {
            0
        } else {
            since.elapsed().as_secs()
        };
        let left = told.saturating_sub(gone);
        Some(format!("{}:{:02} left", left / 60, left % 60))
    }

    /// Has `p` ended this turn (a computer seat always has)?
    pub fn has_ended(&self, p: PowerId) -> bool {
        self.status()
            .and_then(|s| s.seats.iter().find(|x| x.power == p))
            .is_some_and(|x| x.ended_turn)
    }
}

/// The connection, and which teams have ended the turn, on one line.
pub fn table_line(ui: &mut egui::Ui, classroom: &Classroom) {
    ui.horizontal_wrapped(|ui| {
        if classroom.connected {
            ui.label(egui::RichText::new("✔ connected").color(theme::GOOD))
                .on_hover_text(format!("Playing on the host at {}", classroom.address));
        } else if let Some(why) = &classroom.refused {
            ui.label(egui::RichText::new(format!("✖ {why}")).color(theme::BAD));
        } else {
            ui.label(egui::RichText::new("… connecting").color(theme::BAD))
                .on_hover_text(classroom.lost.clone().unwrap_or_default());
        }
        ui.separator();
        if let Some(status) = classroom.status() {
            ui.label(egui::RichText::new("Turn ended:").color(theme::MUTED));
            for s in &status.seats {
                let (mark, color) = if s.seat != "human" {
                    ("computer", theme::MUTED)
                } else if s.ended_turn {
                    ("✔ done", theme::GOOD)
                } else {
                    ("planning…", theme::MUTED)
                };
                ui.label(theme::power_name(s.power));
                ui.label(egui::RichText::new(mark).color(color));
            }
            if status.paused {
                ui.separator();
                ui.label(
                    egui::RichText::new("⏸ paused by the teacher")
                        .strong()
                        .color(theme::BAD),
                );
            }
        }
    });
}

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Update, poll_host.run_if(in_state(Screen::Classroom)))
        .add_systems(OnExit(Screen::Classroom), leave)
        .add_systems(
            EguiPrimaryContextPass,
            team_screen.run_if(in_state(Screen::Classroom)),
        );
}

/// Take in the host's messages; look again four times a second (the
/// connection's thread cannot wake the window).
fn poll_host(
    classroom: Option<NonSendMut<Classroom>>,
    mut redraw: MessageWriter<RequestRedraw>,
    mut winit: ResMut<WinitSettings>,
    plan: Option<Res<super::screenshot::ScreenshotPlan>>,
) {
    let Some(mut classroom) = classroom else {
        return;
    };
    let events = classroom.link.poll();
    if !events.is_empty() {
        for e in events {
            classroom.apply(e);
        }
        redraw.write(RequestRedraw);
    }
    if plan.is_none() {
        let every = UpdateMode::reactive(Duration::from_millis(250));
        if winit.focused_mode != every {
            *winit = WinitSettings {
                focused_mode: every,
                unfocused_mode: every,
            };
        }
    }
}

/// Leaving the screen leaves the game (a hosted game stops; its autosave
/// stays, and `serve --load` takes it up).
fn leave(world: &mut World) {
    world.remove_non_send::<Classroom>();
    if !world.contains_resource::<super::screenshot::ScreenshotPlan>() {
        world.insert_resource(WinitSettings::desktop_app());
    }
}

fn team_screen(
    mut contexts: EguiContexts,
    classroom: Option<NonSendMut<Classroom>>,
    mut board: ResMut<BoardUi>,
    mut next: ResMut<NextState<Screen>>,
) -> Result {
    let Some(mut classroom) = classroom else {
        next.set(Screen::Menu);
        return Ok(());
    };
    if matches!(classroom.role, Some(Role::Teacher)) {
        return Ok(());
    }
    let ctx = contexts.ctx_mut()?;
    let Some(view) = classroom.view.clone() else {
        // Not joined yet, or refused.
        let mut ui = root_ui(ctx);
        egui::CentralPanel::default().show(&mut ui, |ui| {
            ui.vertical_centered(|ui| {
                ui.add_space(ui.available_height() * 0.3);
                ui.label(theme::heading("Joining the classroom game"));
                ui.add_space(8.0);
                match (&classroom.refused, &classroom.lost) {
                    (Some(why), _) => {
                        ui.label(egui::RichText::new(why).color(theme::BAD));
                    }
                    (None, Some(why)) => {
                        ui.label(format!("Trying to reach {}…", classroom.address));
                        ui.label(egui::RichText::new(why).small().color(theme::MUTED));
                    }
                    (None, None) => {
                        ui.label(format!("Connecting to {}…", classroom.address));
                    }
                }
                ui.add_space(12.0);
                if ui.button("Back to menu").clicked() {
                    next.set(Screen::Menu);
                }
            });
        });
        return Ok(());
    };
    let me = view.me.power.id;
    let status = classroom.status().cloned();
    let ended = classroom.has_ended(me);
    let paused = status.as_ref().is_some_and(|s| s.paused);
    let human = status
        .as_ref()
        .is_none_or(|s| s.seats.iter().any(|x| x.power == me && x.seat == "human"));
    let planning = classroom.connected && !ended && !paused && human && classroom.over.is_none();
    let level = classroom.level.clone();
    let frame = Frame {
        planning,
        end_label: if ended { "Turn ended" } else { "End turn" },
        clock: classroom.clock_text(),
        level: level.as_deref(),
        seed: classroom.game.as_ref().map(|g| g.seed),
        hint: if classroom.over.is_some() {
            "The game is over: read the debrief with the class."
        } else if !human {
            "The computer plays your power for now: the teacher can hand it back."
        } else if ended {
            "Your turn is ended: waiting for the other teams."
        } else {
            "Queue orders in the panels or on the map, then end the turn. Orders can be cancelled until then."
        },
    };
    let st = &mut *board;
    let drawn = {
        let shown: &Classroom = &classroom;
        draw(ctx, &view, st, &frame, shown.message.clone(), &mut |ui| {
            table_line(ui, shown)
        })
    };
    // The host answers each of these; the answer shows in the status line.
    if planning {
        for order in drawn.orders {
            classroom.message = Some((format!("Sent: {order}"), true));
            classroom.send(ClientMessage::Submit { power: None, order });
        }
        if drawn.deal_sent {
            st.deal = None;
        }
        if let Some(index) = drawn.cancel {
            classroom.send(ClientMessage::Cancel { index });
        }
    } else if !drawn.orders.is_empty() || drawn.cancel.is_some() {
        classroom.message = Some((frame.hint.to_string(), false));
    }
    match drawn.top {
        Some(TopAction::EndTurn) if planning => {
            super::board::clear_after_turn(st);
            classroom.send(ClientMessage::EndTurn);
        }
        Some(TopAction::Save) => {
            classroom.message = Some(("The host saves the game after every turn.".into(), true))
        }
        Some(TopAction::Menu) => next.set(Screen::Menu),
        _ => {}
    }
    if classroom.show_report
        && let Some(report) = &classroom.report
    {
        let mut open = true;
        let mut close = false;
        egui::Window::new(format!("What happened in turn {}", report.turn))
            .open(&mut open)
            .default_width(520.0)
            .default_height(420.0)
            .show(ctx, |ui| {
                egui::ScrollArea::vertical()
                    .max_height(360.0)
                    .show(ui, |ui| {
                        for n in &report.news {
                            ui.label(format!("• {}", n.text));
                        }
                        if !report.results.is_empty() {
                            ui.add_space(6.0);
                            ui.label(egui::RichText::new("Your orders").strong());
                            for r in &report.results {
                                match &r.refused {
                                    None => ui.label(
                                        egui::RichText::new(format!("✔ {}", r.order))
                                            .color(theme::GOOD),
                                    ),
                                    Some(why) => ui.label(
                                        egui::RichText::new(format!("✖ {}: {why}", r.order))
                                            .color(theme::BAD),
                                    ),
                                };
                            }
                        }
                    });
                close = ui.button("Close").clicked();
            });
        if !open || close {
            classroom.show_report = false;
        }
    }
    if let Some(hash) = &classroom.over {
        egui::Window::new("The game is over")
            .collapsible(false)
            .anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, 80.0))
            .show(ctx, |ui| {
                if let Some(outcome) = classroom.view.as_ref().map(|v| &v.outcome) {
                    ui.label(&outcome.explanation);
                }
                if let Some((timeline, questions)) = &classroom.debrief {
                    debrief(ui, timeline, questions);
                }
                ui.label(egui::RichText::new(format!("Game {hash}")).color(theme::MUTED));
            });
    }
    Ok(())
}

/// The debrief a team reads at the end of a network game: questions for the
/// class, then what happened quarter by quarter.
pub fn debrief(ui: &mut egui::Ui, timeline: &[TimelineTurn], questions: &[String]) {
    egui::ScrollArea::vertical()
        .max_height(420.0)
        .show(ui, |ui| {
            ui.heading("Questions for discussion");
            for q in questions {
                ui.label(format!("• {q}"));
            }
            ui.add_space(8.0);
            ui.heading("Timeline");
            for t in timeline {
                ui.label(egui::RichText::new(&t.label).strong());
                for item in &t.items {
                    ui.label(format!("  {}: {}", item.tag, item.text));
                }
            }
        });
}
