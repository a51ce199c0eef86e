//! The tutorial panel: the level's steps one at a time, each checked by the
//! game (from the player's orders or the turn count) before "Next" unlocks.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use super::{ActiveGame, Screen, theme};
use crate::level::schema::{StepCheck, TutorialStep};
use crate::session::Step;
use crate::tutorial::{Progress, step_done};

/// Where the player is in the tutorial; reset for every new or loaded game.
#[derive(Resource, Default)]
pub struct TutorialPanel {
    pub progress: Option<Progress>,
    pub minimized: bool,
}

/// What the player asks of the panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TutorialAction {
    Next,
    Minimize,
}

/// The current step as a plain function: its text, whether it is done, and
/// "Next" only once it is.
pub fn tutorial_card(
    ui: &mut egui::Ui,
    steps: &[TutorialStep],
    progress: &Progress,
    done: bool,
) -> Option<TutorialAction> {
    let mut action = None;
    let Some(step) = steps.get(progress.step) else {
        ui.label(egui::RichText::new("Tutorial complete").strong().size(17.0));
        ui.label("You have done every step. Play on as you like; the debrief at the end explains who won and why.");
        if ui.button("Close").clicked() {
            action = Some(TutorialAction::Minimize);
        }
        return action;
    };
    ui.horizontal(|ui| {
        ui.label(
            egui::RichText::new(format!("{} of {}", progress.step + 1, steps.len()))
                .color(theme::MUTED),
        );
        ui.label(egui::RichText::new(&step.title).strong().size(17.0));
    });
    ui.label(&step.text);
    ui.add_space(4.0);
    let needs_action = step.check != StepCheck::Read;
    if needs_action && done {
        ui.label(egui::RichText::new("✔ Done").color(theme::GOOD).strong());
    } else if needs_action && !step.hint.is_empty() {
        ui.label(egui::RichText::new(format!("To do: {}", step.hint)).color(theme::FRONT));
    }
    ui.horizontal(|ui| {
        let ready = done || !needs_action;
        let label = if progress.step + 1 == steps.len() {
            "Finish"
        } else {
            "Next"
        };
        if ui
            .add_enabled(ready, egui::Button::new(label))
            .on_disabled_hover_text("Do this step first: the tutorial checks it.")
            .clicked()
        {
            action = Some(TutorialAction::Next);
        }
        if ui.button("Hide").clicked() {
            action = Some(TutorialAction::Minimize);
        }
    });
    action
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<TutorialPanel>().add_systems(
        EguiPrimaryContextPass,
        tutorial_window.run_if(in_state(Screen::Playing)),
    );
}

fn tutorial_window(
    mut contexts: EguiContexts,
    game: Option<NonSend<ActiveGame>>,
    mut panel: ResMut<TutorialPanel>,
) -> Result {
    let Some(game) = game else { return Ok(()) };
    let session = &game.0;
    let steps = &session.level().tutorial;
    let Step::Planning(player) = session.step else {
        return Ok(());
    };
    if steps.is_empty() {
        return Ok(());
    }
    let turn = session.turn();
    let progress = panel
        .progress
        .get_or_insert_with(|| Progress::new(turn))
        .clone();
    let done = steps
        .get(progress.step)
        .is_some_and(|s| step_done(s.check, session.table.world(), player, progress.since_turn));
    let ctx = contexts.ctx_mut()?;
    let mut action = None;
    if panel.minimized {
        egui::Area::new(egui::Id::new("tutorial-open"))
            .anchor(egui::Align2::RIGHT_BOTTOM, [-12.0, -36.0])
            .show(ctx, |ui| {
                if ui.button("Show the tutorial").clicked() {
                    panel.minimized = false;
                }
            });
        return Ok(());
    }
    egui::Window::new("Tutorial")
        .collapsible(false)
        .resizable(false)
        .default_width(380.0)
        // Bottom middle: clear of the panels on the left and the selection
        // on the right.
        .anchor(egui::Align2::CENTER_BOTTOM, [60.0, -36.0])
        .show(ctx, |ui| {
            ui.set_max_width(380.0);
            action = tutorial_card(ui, steps, &progress, done);
        });
    match action {
        Some(TutorialAction::Next) => {
            if let Some(p) = &mut panel.progress {
                p.advance(turn);
            }
        }
        Some(TutorialAction::Minimize) => panel.minimized = true,
        None => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::level::bundled;
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    #[test]
    fn next_unlocks_only_when_the_step_is_done() {
        let level = bundled("tutorial").unwrap();
        let steps = &level.tutorial;
        let fund = steps
            .iter()
            .position(|s| matches!(s.check, StepCheck::Fund(_)))
            .unwrap();
        let progress = Progress {
            step: fund,
            since_turn: 1,
        };
        for done in [false, true] {
            let mut got = None;
            {
                let mut harness = Harness::new_ui(|ui| {
                    if let Some(a) = tutorial_card(ui, steps, &progress, done) {
                        got = Some(a);
                    }
                });
                assert!(harness.query_by_label(&steps[fund].title).is_some());
                assert_eq!(harness.query_by_label("✔ Done").is_some(), done);
                harness.get_by_label("Next").click();
                harness.run();
            }
            assert_eq!(got == Some(TutorialAction::Next), done, "done = {done}");
        }
    }
}
