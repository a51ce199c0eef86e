//! End of the game: the winner and why, final scores, and charts of prices,
//! market shares, supply security and the front over the whole game. The
//! game is over, so every power's figures are shown exactly.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};
use egui_plot::{Legend, Line, Plot, PlotPoints};

use super::{ActiveGame, Screen, root_ui, theme};
use crate::rules::types::*;
use crate::rules::view::PowerView;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<EndUi>()
        .add_systems(OnEnter(Screen::End), prepare_debrief)
        .add_systems(
            EguiPrimaryContextPass,
            end_screen.run_if(in_state(Screen::End)),
        );
}

/// What the end screen asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndChoice {
    Menu,
    NewGame,
    Export,
}

/// The parts of the debrief.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum EndTab {
    #[default]
    Results,
    Timeline,
    Questions,
}

/// The debrief's words, worked out once when the game ends.
#[derive(Clone, Debug, Default)]
pub struct Debrief {
    pub timeline: Vec<crate::export::TimelineTurn>,
    pub questions: Vec<String>,
}

/// The end screen's state.
#[derive(Resource, Default)]
pub struct EndUi {
    pub tab: EndTab,
    pub debrief: Debrief,
    /// Where the last export went, or why it failed (and whether it worked).
    pub exported: Option<(String, bool)>,
}

/// The end screen over the three powers' final views and the debrief.
pub fn end_panel(
    ui: &mut egui::Ui,
    views: &PerPower<PowerView>,
    debrief: &Debrief,
    tab: &mut EndTab,
    exported: Option<&(String, bool)>,
) -> Option<EndChoice> {
    let mut choice = None;
    let outcome = &views[PowerId::Us].outcome;
    ui.horizontal(|ui| {
        match outcome.winner {
            Some(w) => ui.label(
                egui::RichText::new(format!("{} wins", w.name()))
                    .size(30.0)
                    .strong()
                    .color(theme::power(w)),
            ),
            None => ui.label(egui::RichText::new("No winner").size(30.0).strong()),
        };
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui.button("Main menu").clicked() {
                choice = Some(EndChoice::Menu);
            }
            if ui.button("New game").clicked() {
                choice = Some(EndChoice::NewGame);
            }
            if ui
                .button("Export debrief")
                .on_hover_text(
                    "Write the debrief (Markdown, with charts) and the figures of every turn (CSV) to a folder.",
                )
                .clicked()
            {
                choice = Some(EndChoice::Export);
            }
        });
    });
    ui.label(&outcome.explanation);
    if let Some((text, ok)) = exported {
        ui.label(egui::RichText::new(text).color(if *ok { theme::GOOD } else { theme::BAD }));
    }
    ui.horizontal(|ui| {
        ui.selectable_value(tab, EndTab::Results, "Scores and charts");
        ui.selectable_value(tab, EndTab::Timeline, "Timeline");
        ui.selectable_value(tab, EndTab::Questions, "Questions for discussion");
    });
    ui.separator();
    match tab {
        EndTab::Results => results(ui, views),
        EndTab::Timeline => timeline(ui, &debrief.timeline),
        EndTab::Questions => questions(ui, debrief),
    }
    choice
}

/// Each turn's decisions, events and effects, tagged.
fn timeline(ui: &mut egui::Ui, turns: &[crate::export::TimelineTurn]) {
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            if turns.is_empty() {
                ui.label("Nothing happened that made the news.");
            }
            for t in turns {
                ui.label(egui::RichText::new(&t.label).strong().size(16.0));
                for (tag, text) in &t.items {
                    ui.horizontal_wrapped(|ui| {
                        let color = match *tag {
                            "decision" => theme::US,
                            "event" => egui::Color32::from_rgb(230, 190, 90),
                            "war" => theme::FRONT,
                            _ => theme::MUTED,
                        };
                        ui.label(egui::RichText::new(tag.to_uppercase()).small().color(color));
                        ui.label(text);
                    });
                }
                ui.add_space(4.0);
            }
        });
}

fn questions(ui: &mut egui::Ui, debrief: &Debrief) {
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for (i, q) in debrief.questions.iter().enumerate() {
                ui.label(egui::RichText::new(format!("{}. {q}", i + 1)).size(16.0));
                ui.add_space(6.0);
            }
        });
}

/// Scores by objective and the charts.
fn results(ui: &mut egui::Ui, views: &PerPower<PowerView>) {
    ui.columns(3, |cols| {
        for (p, ui) in PowerId::ALL.into_iter().zip(cols.iter_mut()) {
            let me = &views[p].me;
            ui.label(theme::power_name(p).size(18.0));
            ui.label(format!(
                "Score {:.0} · treasury {} · supply security {:.0}%",
                me.scorecard.score(),
                theme::bn(me.finances.treasury),
                me.industry.supply_security * 100.0
            ));
            super::panels::objectives(ui, &me.scorecard);
        }
    });
    ui.separator();
    let history = &views[PowerId::Us].history;
    let chart_h = ((ui.available_height() - 60.0) / 2.0).clamp(110.0, 320.0);
    ui.columns(2, |cols| {
        let ui = &mut cols[0];
        ui.label(egui::RichText::new("Prices outside China, $/kg (index: start = 100)").strong());
        Plot::new("end-prices")
            .height(chart_h)
            .legend(Legend::default())
            .show(ui, |plot| {
                for (g, color) in Good::ALL.into_iter().zip([
                    egui::Color32::from_rgb(200, 170, 110),
                    egui::Color32::from_rgb(120, 200, 220),
                    egui::Color32::from_rgb(230, 120, 200),
                    egui::Color32::from_rgb(240, 240, 240),
                ]) {
                    let first = history.first().map_or(1.0, |t| t.price[g].max(1e-9));
                    let pts: PlotPoints = history
                        .iter()
                        .map(|t| [t.turn as f64, t.price[g] / first * 100.0])
                        .collect();
                    plot.line(Line::new(g.name(), pts).color(color));
                }
            });
        ui.label(egui::RichText::new("Supply security, %").strong());
        Plot::new("end-security")
            .height(chart_h)
            .legend(Legend::default())
            .show(ui, |plot| {
                for p in PowerId::ALL {
                    let pts: PlotPoints = views[p]
                        .own_history
                        .iter()
                        .map(|t| [t.turn as f64, t.supply_security * 100.0])
                        .collect();
                    plot.line(Line::new(p.name(), pts).color(theme::power(p)));
                }
            });
        let ui = &mut cols[1];
        ui.label(egui::RichText::new("Share of separation (refining), %").strong());
        Plot::new("end-shares")
            .height(chart_h)
            .legend(Legend::default())
            .show(ui, |plot| {
                for o in Origin::ALL {
                    let pts: PlotPoints = history
                        .iter()
                        .map(|t| [t.turn as f64, t.separation_share[o.index()] * 100.0])
                        .collect();
                    plot.line(Line::new(o.name(), pts).color(theme::origin(o)));
                }
            });
        ui.label(egui::RichText::new("The front: Ukraine's reserves held by Russia, %").strong());
        Plot::new("end-front").height(chart_h).show(ui, |plot| {
            let pts: PlotPoints = history
                .iter()
                .map(|t| [t.turn as f64, t.front_share * 100.0])
                .collect();
            plot.line(Line::new("front", pts).color(theme::FRONT));
        });
    });
}

/// Work out the debrief's timeline and questions from the finished game.
fn prepare_debrief(game: Option<NonSend<ActiveGame>>, mut end: ResMut<EndUi>) {
    *end = EndUi::default();
    let Some(game) = game else { return };
    let played = played(&game.0);
    end.debrief.timeline = crate::export::timeline(played);
    end.debrief.questions = crate::export::questions(played);
}

/// The game in progress as the exporter reads it.
fn played(session: &crate::session::Session) -> crate::export::Played<'_> {
    crate::export::Played {
        world: session.table.world(),
        level: session.level(),
        seed: session.table.seed(),
    }
}

/// Write the debrief and the figures to a new folder in the data directory.
fn export_debrief(session: &crate::session::Session) -> Result<std::path::PathBuf, String> {
    export_to(session, &crate::paths::data_dir().join("debriefs"))
}

/// Write the debrief (Markdown) and the figures (CSV) into a new folder
/// under `parent`, named after the level, the seed and the time.
fn export_to(
    session: &crate::session::Session,
    parent: &std::path::Path,
) -> Result<std::path::PathBuf, String> {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let dir = parent.join(format!(
        "{}-seed{}-{stamp}",
        session.level().id,
        session.table.seed()
    ));
    for format in [crate::export::Format::Md, crate::export::Format::Csv] {
        crate::export::export(played(session), format, &dir)?;
    }
    Ok(dir)
}

fn end_screen(
    mut contexts: EguiContexts,
    game: Option<NonSend<ActiveGame>>,
    mut next: ResMut<NextState<Screen>>,
    mut commands: Commands,
    mut end: ResMut<EndUi>,
) -> Result {
    let Some(game) = game else {
        next.set(Screen::Menu);
        return Ok(());
    };
    let views = crate::rules::view::power_views(game.0.table.world());
    let ctx = contexts.ctx_mut()?;
    let mut ui = root_ui(ctx);
    let mut choice = None;
    let end = &mut *end;
    egui::CentralPanel::default().show(&mut ui, |ui| {
        choice = end_panel(
            ui,
            &views,
            &end.debrief,
            &mut end.tab,
            end.exported.as_ref(),
        )
    });
    match choice {
        Some(EndChoice::Export) => {
            end.exported = Some(match export_debrief(&game.0) {
                Ok(dir) => (format!("Debrief written to {}", dir.display()), true),
                Err(e) => (format!("Could not export: {e}"), false),
            });
        }
        Some(EndChoice::Menu) => {
            commands.queue(|world: &mut World| {
                world.remove_non_send::<ActiveGame>();
            });
            next.set(Screen::Menu);
        }
        Some(EndChoice::NewGame) => {
            commands.queue(|world: &mut World| {
                world.remove_non_send::<ActiveGame>();
            });
            next.set(Screen::NewGame);
        }
        None => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::level::bundled;
    use crate::seats::Seats;
    use crate::session::Session;
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;
    use std::sync::Arc;

    /// A classroom game played out by three computer players of `strength`.
    fn played_out(seed: u64, strength: &str) -> Session {
        let level = Arc::new(bundled("classroom").unwrap());
        let seats = format!("us=ai:{strength},china=ai:{strength},russia=ai:{strength}");
        let mut s = Session::new(level, seed, Seats::parse(&seats).unwrap());
        s.play_out(u32::MAX);
        s
    }

    #[test]
    fn the_end_screen_names_the_winner_the_rules_chose() {
        let s = played_out(8, "normal");
        let views = crate::rules::view::power_views(s.table.world());
        let winner = s.table.game().outcome().winner;
        let debrief = Debrief {
            timeline: crate::export::timeline(played(&s)),
            questions: crate::export::questions(played(&s)),
        };
        assert!(!debrief.timeline.is_empty() && !debrief.questions.is_empty());
        let mut choices = Vec::new();
        let mut tab = EndTab::default();
        {
            let mut harness = Harness::new_ui(|ui| {
                if let Some(c) = end_panel(ui, &views, &debrief, &mut tab, None) {
                    choices.push(c);
                }
            });
            let title = match winner {
                Some(w) => format!("{} wins", w.name()),
                None => "No winner".into(),
            };
            assert!(harness.query_by_label(&title).is_some(), "{title}");
            harness.get_by_label("Questions for discussion").click();
            harness.run();
            // The first question of this game is on screen.
            assert!(
                harness
                    .query_by_label_contains(&debrief.questions[0][..40])
                    .is_some()
            );
            harness.get_by_label("Timeline").click();
            harness.run();
            assert!(harness.query_by_label(&debrief.timeline[0].label).is_some());
            harness.get_by_label("Export debrief").click();
            harness.run();
            harness.get_by_label("New game").click();
            harness.run();
        }
        assert_eq!(choices, vec![EndChoice::Export, EndChoice::NewGame]);
        assert_eq!(tab, EndTab::Timeline);
    }

    #[test]
    fn the_export_button_writes_the_debrief_and_figures() {
        let s = played_out(5, "easy");
        let dir = std::env::temp_dir().join(format!("reg-end-{}", std::process::id()));
        let written = export_to(&s, &dir).unwrap();
        let md = std::fs::read_to_string(written.join("debrief.md")).unwrap();
        assert!(md.contains("## Questions for discussion"));
        assert!(written.join("turns.csv").exists() && written.join("news.csv").exists());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
