//! The hot-seat curtain and the turn report (the catch-up of what happened
//! since this player's last turn).

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use super::{ActiveGame, Screen, root_ui, theme};
use crate::rules::deals::ProposalStatus;
use crate::rules::resources::{NewsItem, NewsKind};
use crate::rules::types::*;
use crate::rules::view::PowerView;
use crate::session::Step;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        EguiPrimaryContextPass,
        (curtain_or_report, resolving).run_if(in_state(Screen::Playing)),
    );
}

/// The curtain: nothing of the game, just who should sit down.
/// Returns true when that player says they are at the keyboard.
pub fn curtain(ui: &mut egui::Ui, player: PowerId, label: &str) -> bool {
    let mut go = false;
    ui.vertical_centered(|ui| {
        ui.add_space(ui.available_height() * 0.3);
        ui.label(
            egui::RichText::new(format!(
                "Pass the computer to the {} player",
                player.adjective()
            ))
            .size(36.0)
            .strong()
            .color(theme::power(player)),
        );
        ui.add_space(8.0);
        ui.label(egui::RichText::new(label).size(18.0).color(theme::MUTED));
        ui.add_space(24.0);
        let b = egui::Button::new(
            egui::RichText::new(format!(
                "I am the {} player — show my turn",
                player.adjective()
            ))
            .size(18.0),
        )
        .min_size(egui::vec2(360.0, 44.0));
        go = ui.add(b).clicked();
        ui.add_space(12.0);
        ui.label(
            egui::RichText::new("Everyone else: please look away until the next curtain.")
                .color(theme::MUTED),
        );
    });
    go
}

/// A short coloured tag for each kind of news.
fn kind_tag(kind: NewsKind) -> egui::RichText {
    let (text, color) = match kind {
        NewsKind::Market => ("MARKET", egui::Color32::from_rgb(120, 200, 220)),
        NewsKind::Policy => ("POLICY", egui::Color32::from_rgb(230, 180, 90)),
        NewsKind::Diplomacy => ("DEALS", egui::Color32::from_rgb(140, 210, 140)),
        NewsKind::War => ("WAR", theme::FRONT),
        NewsKind::Facility => ("BUILD", egui::Color32::from_rgb(190, 190, 190)),
        NewsKind::Event => ("EVENT", egui::Color32::from_rgb(235, 215, 150)),
        NewsKind::Order => ("ORDER", theme::MUTED),
        NewsKind::Score => ("SCORE", egui::Color32::from_rgb(200, 160, 230)),
    };
    egui::RichText::new(text).small().strong().color(color)
}

/// The report as a plain function; true when the player continues.
pub fn turn_report(ui: &mut egui::Ui, view: &PowerView, news: &[NewsItem]) -> bool {
    let mut go = false;
    let me = view.me.power.id;
    ui.horizontal(|ui| {
        ui.label(theme::heading(format!(
            "Turn report for {} — {}",
            me.name(),
            view.label
        )));
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let b = egui::Button::new(egui::RichText::new("Continue to the board").size(17.0))
                .min_size(egui::vec2(220.0, 36.0));
            go = ui.add(b).clicked();
        });
    });
    ui.separator();
    ui.columns(2, |cols| {
        let ui = &mut cols[0];
        ui.label(egui::RichText::new("What happened").strong().size(17.0));
        egui::ScrollArea::vertical()
            .id_salt("news")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                if news.is_empty() {
                    ui.label(egui::RichText::new("A quiet quarter.").color(theme::MUTED));
                }
                let mut turn = 0;
                for n in news {
                    if n.turn != turn {
                        turn = n.turn;
                        ui.add_space(4.0);
                        ui.label(
                            egui::RichText::new(news_quarter(n.turn, view)).color(theme::MUTED),
                        );
                    }
                    let color = if n.audience.is_empty() {
                        egui::Color32::LIGHT_GRAY
                    } else {
                        egui::Color32::from_rgb(235, 215, 150)
                    };
                    ui.horizontal_wrapped(|ui| {
                        ui.label(kind_tag(n.kind));
                        ui.label(egui::RichText::new(&*n.text).color(color));
                    });
                }
            });
        let ui = &mut cols[1];
        ui.label(egui::RichText::new("Your position").strong().size(17.0));
        let last = view.own_history.iter().rev().nth(1);
        let now = &view.me;
        let delta = |a: f64, b: Option<f64>| match b {
            Some(b) => format!(" ({:+.1})", a - b),
            None => String::new(),
        };
        ui.label(format!(
            "Treasury {}{}",
            theme::bn(now.finances.treasury),
            delta(now.finances.treasury, last.map(|t| t.treasury))
        ));
        ui.label(format!(
            "Supply security {:.0}%{}",
            now.industry.supply_security * 100.0,
            delta(
                now.industry.supply_security * 100.0,
                last.map(|t| t.supply_security * 100.0)
            )
        ));
        ui.label(format!(
            "Score {:.0}{}",
            now.scorecard.score(),
            delta(now.scorecard.score(), last.map(|t| t.score))
        ));
        ui.add_space(6.0);
        let me = view.me.power.id;
        let (own_world, other_world) = crate::rules::resources::price_worlds(me);
        ui.label(egui::RichText::new(format!("Prices ($/kg) {own_world}")).strong());
        for g in Good::ALL {
            let p = view.market.own_prices(me)[g];
            let prev = view.market.own_previous_prices(me)[g];
            ui.label(format!(
                "{}: {:.0} ({:+.0}%), {other_world} {:.0}",
                g.name(),
                p,
                if prev > 0.0 {
                    (p / prev - 1.0) * 100.0
                } else {
                    0.0
                },
                view.market.other_prices(me)[g]
            ));
        }
        ui.add_space(6.0);
        ui.label(egui::RichText::new("Your orders last turn").strong());
        if view.last_results.is_empty() {
            ui.label(egui::RichText::new("None.").color(theme::MUTED));
        }
        for r in &view.last_results {
            match &r.refused {
                None => ui.label(egui::RichText::new(format!("✔ {}", r.order)).color(theme::GOOD)),
                Some(why) => ui
                    .label(egui::RichText::new(format!("✖ {} — {why}", r.order)).color(theme::BAD)),
            };
        }
        let waiting = view
            .proposals
            .iter()
            .filter(|p| p.deal.to == me && p.status == ProposalStatus::Pending)
            .count();
        if waiting > 0 {
            ui.add_space(6.0);
            ui.label(
                egui::RichText::new(format!(
                    "{waiting} deal{} waiting for your answer (Diplomacy).",
                    if waiting == 1 { " is" } else { "s are" }
                ))
                .color(egui::Color32::from_rgb(235, 215, 150))
                .strong(),
            );
        }
    });
    go
}

/// "Q3 2026" for a news turn, counted back from the view's own turn label.
fn news_quarter(turn: u32, view: &PowerView) -> String {
    let parse = || -> Option<(i32, u8)> {
        let (q, y) = view.label.split_once(' ')?;
        Some((y.parse().ok()?, q.trim_start_matches('Q').parse().ok()?))
    };
    match parse() {
        // The label of turn `view.turn` is (y, q): find turn 1's quarter.
        Some((y, q)) => {
            let q0 = (q as i64 - 1) - (view.turn as i64 - 1);
            let start_year = y as i64 + q0.div_euclid(4);
            let start_q = q0.rem_euclid(4) + 1;
            quarter_label(start_year as i32, start_q as u8, turn)
        }
        None => format!("Turn {turn}"),
    }
}

fn curtain_or_report(
    mut contexts: EguiContexts,
    game: Option<NonSendMut<ActiveGame>>,
    lesson: Res<super::teacher::Lesson>,
) -> Result {
    let Some(mut game) = game else { return Ok(()) };
    let session = &mut game.0;
    let ctx = contexts.ctx_mut()?;
    match session.step {
        Step::Curtain(p) => {
            let label = format!(
                "Turn {} of {} · {}",
                session.turn(),
                session.table.game().max_turns(),
                session.level().title
            );
            let mut ui = root_ui(ctx);
            let mut go = false;
            egui::CentralPanel::default().show(&mut ui, |ui| go = curtain(ui, p, &label));
            if go {
                session.lift_curtain();
            }
        }
        Step::Report(p) => {
            let view = session.view();
            let news = session.news_since_last_turn(p);
            let mut ui = root_ui(ctx);
            let mut go = false;
            let ran_out = lesson.timed_out[p];
            if ran_out > 0 && ran_out + 1 == session.turn() {
                egui::Panel::bottom("time-ran-out").show(&mut ui, |ui| {
                    ui.label(
                        egui::RichText::new(format!(
                            "Your time ran out in {}: your turn ended with the orders you had given.",
                            session.table.world().resource::<crate::rules::resources::TurnClock>().label_of(ran_out)
                        ))
                        .color(theme::BAD)
                        .size(16.0),
                    );
                });
            }
            egui::CentralPanel::default().show(&mut ui, |ui| go = turn_report(ui, &view, &news));
            if go {
                session.close_report();
            }
        }
        _ => {}
    }
    Ok(())
}

/// Between the last human's turn and the next: a neutral screen.
fn resolving(mut contexts: EguiContexts, game: Option<NonSend<ActiveGame>>) -> Result {
    let Some(game) = game else { return Ok(()) };
    let session = &game.0;
    if session.step != Step::Resolving || session.humans().is_empty() {
        return Ok(());
    }
    let ctx = contexts.ctx_mut()?;
    let mut ui = root_ui(ctx);
    egui::CentralPanel::default().show(&mut ui, |ui| {
        ui.vertical_centered(|ui| {
            ui.add_space(ui.available_height() * 0.4);
            ui.label(theme::heading(format!(
                "Turn {} is being played out…",
                session.turn()
            )));
            ui.spinner();
        });
    });
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
    fn the_curtain_names_the_next_player_and_shows_nothing_else() {
        let mut go = false;
        {
            let mut harness = Harness::new_ui(|ui| go |= curtain(ui, PowerId::Russia, "Turn 3"));
            assert!(
                harness
                    .query_by_label("Pass the computer to the Russian player")
                    .is_some()
            );
            assert!(harness.query_by_label_contains("Treasury").is_none());
            harness
                .get_by_label("I am the Russian player — show my turn")
                .click();
            harness.run();
        }
        assert!(go);
    }

    #[test]
    fn the_report_shows_this_players_news_only() {
        let level = Arc::new(bundled("classroom").unwrap());
        let mut s = Session::new(
            level,
            4,
            Seats::parse("us=human,china=human,russia=ai:normal").unwrap(),
        );
        s.play_out(1);
        s.lift_curtain();
        let Step::Report(p) = s.step else {
            panic!("{:?}", s.step)
        };
        assert_eq!(p, PowerId::Us);
        let view = s.view();
        let news = s.news_since_last_turn(p);
        assert!(!news.is_empty());
        assert!(news.iter().all(|n| n.readable_by(PowerId::Us)));
        let mut go = false;
        {
            let mut harness = Harness::new_ui(|ui| go |= turn_report(ui, &view, &news));
            harness.get_by_label("Continue to the board").click();
            harness.run();
        }
        assert!(go);
    }
}
