//! "Join a classroom game": the host's address and the team's code, as the
//! teacher's screen shows them.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use super::classroom::Classroom;
use super::{Screen, root_ui, theme};

/// What the player has typed.
#[derive(Resource, Clone, Debug, Default, PartialEq)]
pub struct JoinForm {
    pub address: String,
    pub code: String,
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<JoinForm>().add_systems(
        EguiPrimaryContextPass,
        join_screen.run_if(in_state(Screen::Join)),
    );
}

/// What the form asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JoinChoice {
    Join,
    Back,
}

/// The form as a plain function.
pub fn join_form(ui: &mut egui::Ui, form: &mut JoinForm) -> Option<JoinChoice> {
    let mut choice = None;
    ui.label(theme::heading("Join a classroom game"));
    ui.label(
        egui::RichText::new("The teacher's screen shows the address and your team's code.")
            .color(theme::MUTED),
    );
    ui.add_space(10.0);
    egui::Grid::new("join").num_columns(2).show(ui, |ui| {
        ui.label("Address");
        ui.add(egui::TextEdit::singleline(&mut form.address).hint_text("192.168.1.20:7425"));
        ui.end_row();
        ui.label("Code");
        ui.add(egui::TextEdit::singleline(&mut form.code).hint_text("7KQ2-M9XD-4HPA-Z0RT"));
        ui.end_row();
    });
    ui.add_space(10.0);
    ui.horizontal(|ui| {
        let ready = !form.address.trim().is_empty() && !form.code.trim().is_empty();
        if ui
            .add_enabled(
                ready,
                egui::Button::new(egui::RichText::new("Join").strong()),
            )
            .clicked()
        {
            choice = Some(JoinChoice::Join);
        }
        if ui.button("Back").clicked() {
            choice = Some(JoinChoice::Back);
        }
    });
    choice
}

fn join_screen(
    mut contexts: EguiContexts,
    mut form: ResMut<JoinForm>,
    mut next: ResMut<NextState<Screen>>,
    mut commands: Commands,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let mut ui = root_ui(ctx);
    let mut choice = None;
    egui::CentralPanel::default().show(&mut ui, |ui| {
        ui.vertical_centered(|ui| {
            ui.set_max_width(520.0);
            ui.add_space(ui.available_height() * 0.2);
            choice = join_form(ui, &mut form);
        });
    });
    match choice {
        Some(JoinChoice::Join) => {
            let classroom = Classroom::join(&form.address, &form.code);
            commands.queue(move |world: &mut World| world.insert_non_send(classroom));
            next.set(Screen::Classroom);
        }
        Some(JoinChoice::Back) => next.set(Screen::Menu),
        None => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    #[test]
    fn join_waits_for_an_address_and_a_code() {
        let mut form = JoinForm::default();
        let mut chosen = None;
        {
            let mut harness = Harness::new_ui(|ui| {
                if let Some(c) = join_form(ui, &mut form) {
                    chosen = Some(c);
                }
            });
            harness.get_by_label("Join").click();
            harness.run();
        }
        assert_eq!(chosen, None, "nothing to join yet");
        form.address = "127.0.0.1:7425".into();
        form.code = "ABCD".into();
        {
            let mut harness = Harness::new_ui(|ui| {
                if let Some(c) = join_form(ui, &mut form) {
                    chosen = Some(c);
                }
            });
            harness.get_by_label("Join").click();
            harness.run();
        }
        assert_eq!(chosen, Some(JoinChoice::Join));
    }
}
