//! Settings a player changes once and expects to find again: UI scale and
//! fullscreen, kept in `settings.ron` in the platform's config folder.

use std::path::{Path, PathBuf};

use bevy::prelude::*;
use bevy::window::{MonitorSelection, PrimaryWindow, WindowMode};
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};
use serde::{Deserialize, Serialize};

use super::{Screen, root_ui, theme};

#[derive(Resource, Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// Zoom of the whole interface (1.0 = 100%).
    pub ui_scale: f32,
    pub fullscreen: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            ui_scale: 1.0,
            fullscreen: false,
        }
    }
}

pub const SCALES: [f32; 5] = [0.8, 1.0, 1.25, 1.5, 2.0];

impl Settings {
    pub fn file() -> PathBuf {
        crate::paths::config_dir().join("settings.ron")
    }

    /// Settings from `path`; defaults (with a warning) if missing or unreadable,
    /// so a broken file never stops the game from starting.
    pub fn load(path: &Path) -> Settings {
        let Ok(text) = std::fs::read_to_string(path) else {
            return Settings::default();
        };
        match ron::from_str::<Settings>(&text) {
            Ok(mut s) => {
                if !s.ui_scale.is_finite() {
                    s.ui_scale = 1.0;
                }
                s.ui_scale = s.ui_scale.clamp(0.5, 3.0);
                s
            }
            Err(e) => {
                warn!("{}: {e}; using default settings", path.display());
                Settings::default()
            }
        }
    }

    /// Write through a temporary file so a crash never leaves half a file.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let text = ron::ser::to_string_pretty(self, ron::ser::PrettyConfig::default())
            .map_err(std::io::Error::other)?;
        let tmp = path.with_extension("ron.tmp");
        std::fs::write(&tmp, text)?;
        std::fs::rename(tmp, path)
    }
}

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        EguiPrimaryContextPass,
        (
            apply_settings,
            settings_screen.run_if(in_state(Screen::Settings)),
        )
            .chain(),
    );
}

/// Style the egui context once it exists, and again whenever settings change.
fn apply_settings(
    settings: Res<Settings>,
    mut applied: Local<Option<Settings>>,
    mut contexts: EguiContexts,
    mut window: Query<&mut Window, With<PrimaryWindow>>,
) -> Result {
    if applied.as_ref() == Some(&*settings) {
        return Ok(());
    }
    let ctx = contexts.ctx_mut()?;
    if applied.is_none() {
        theme::apply(ctx);
    }
    ctx.set_zoom_factor(settings.ui_scale);
    *applied = Some(settings.clone());
    if let Ok(mut w) = window.single_mut() {
        let mode = if settings.fullscreen {
            WindowMode::BorderlessFullscreen(MonitorSelection::Current)
        } else {
            WindowMode::Windowed
        };
        if w.mode != mode {
            w.mode = mode;
        }
    }
    Ok(())
}

/// The settings form; returns the changed settings.
pub fn settings_form(ui: &mut egui::Ui, current: &Settings) -> Option<Settings> {
    let mut s = current.clone();
    ui.label(theme::heading("Settings"));
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        ui.label("Interface size:");
        for scale in SCALES {
            ui.selectable_value(&mut s.ui_scale, scale, format!("{:.0}%", scale * 100.0));
        }
    });
    ui.checkbox(&mut s.fullscreen, "Fullscreen");
    ui.add_space(8.0);
    ui.label(
        egui::RichText::new(format!("Saved in {}", Settings::file().display()))
            .small()
            .color(theme::MUTED),
    );
    (s != *current).then_some(s)
}

fn settings_screen(
    mut contexts: EguiContexts,
    mut settings: ResMut<Settings>,
    mut next: ResMut<NextState<Screen>>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let mut ui = root_ui(ctx);
    egui::CentralPanel::default().show(&mut ui, |ui| {
        ui.vertical_centered(|ui| {
            ui.set_max_width(520.0);
            ui.add_space(40.0);
            if let Some(new) = settings_form(ui, &settings) {
                if let Err(e) = new.save(&Settings::file()) {
                    warn!("could not save settings: {e}");
                }
                *settings = new;
            }
            ui.add_space(16.0);
            if ui.button("Back").clicked() {
                next.set(Screen::Menu);
            }
        });
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    #[test]
    fn settings_round_trip_through_the_file_and_bad_files_fall_back() {
        let dir = std::env::temp_dir().join(format!("reg-settings-{}", std::process::id()));
        let path = dir.join("settings.ron");
        let s = Settings {
            ui_scale: 1.5,
            fullscreen: true,
        };
        s.save(&path).unwrap();
        assert_eq!(Settings::load(&path), s);
        std::fs::write(&path, "(ui_scale: 1.0, colour: red)").unwrap();
        assert_eq!(Settings::load(&path), Settings::default());
        std::fs::write(&path, "(ui_scale: 40.0)").unwrap();
        assert_eq!(Settings::load(&path).ui_scale, 3.0);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn clicking_a_scale_changes_the_setting() {
        let current = Settings::default();
        let mut changed = None;
        let mut harness = Harness::new_ui(|ui| {
            if let Some(s) = settings_form(ui, &current) {
                changed = Some(s);
            }
        });
        harness.get_by_label("150%").click();
        harness.run();
        drop(harness);
        assert_eq!(changed.map(|s| s.ui_scale), Some(1.5));
    }
}
