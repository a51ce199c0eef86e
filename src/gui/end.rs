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
    app.add_systems(
        EguiPrimaryContextPass,
        end_screen.run_if(in_state(Screen::End)),
    );
}

/// What the end screen asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndChoice {
    Menu,
    NewGame,
}

/// The end screen over the three powers' final views.
pub fn end_panel(ui: &mut egui::Ui, views: &PerPower<PowerView>) -> Option<EndChoice> {
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
        });
    });
    ui.label(&outcome.explanation);
    ui.separator();
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
        ui.label(egui::RichText::new("World prices, $/kg (index: start = 100)").strong());
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
    choice
}

fn end_screen(
    mut contexts: EguiContexts,
    game: Option<NonSend<ActiveGame>>,
    mut next: ResMut<NextState<Screen>>,
    mut commands: Commands,
) -> Result {
    let Some(game) = game else {
        next.set(Screen::Menu);
        return Ok(());
    };
    let views = crate::rules::view::power_views(game.0.game.world());
    let ctx = contexts.ctx_mut()?;
    let mut ui = root_ui(ctx);
    let mut choice = None;
    egui::CentralPanel::default().show(&mut ui, |ui| choice = end_panel(ui, &views));
    match choice {
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

    #[test]
    fn the_end_screen_names_the_winner_the_rules_chose() {
        let level = Arc::new(bundled("classroom").unwrap());
        let mut s = Session::new(
            level,
            8,
            Seats::parse("us=ai:normal,china=ai:normal,russia=ai:normal").unwrap(),
        );
        s.play_out(u32::MAX);
        let views = crate::rules::view::power_views(s.game.world());
        let winner = s.game.outcome().winner;
        let mut choice = None;
        {
            let mut harness = Harness::new_ui(|ui| {
                if let Some(c) = end_panel(ui, &views) {
                    choice = Some(c);
                }
            });
            let title = match winner {
                Some(w) => format!("{} wins", w.name()),
                None => "No winner".into(),
            };
            assert!(harness.query_by_label(&title).is_some(), "{title}");
            harness.get_by_label("New game").click();
            harness.run();
        }
        assert_eq!(choice, Some(EndChoice::NewGame));
    }
}
