//! `play --screenshot PNG --frames N`: save the window after N frames, exit.

use std::num::NonZero;
use std::path::PathBuf;

use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, save_to_disk};

#[derive(Resource)]
pub struct ScreenshotPlan {
    path: PathBuf,
    frames: u32,
    frame: u32,
    requested: bool,
    /// When frame 1 started, to report the mean frame time.
    started: Option<std::time::Instant>,
}

impl ScreenshotPlan {
    pub fn new(path: PathBuf, frames: u32) -> Self {
        ScreenshotPlan {
            path,
            frames: frames.max(1),
            frame: 0,
            requested: false,
            started: None,
        }
    }
}

/// Frames to wait for the saved file before giving up.
const PATIENCE: u32 = 600;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        Last,
        take_screenshot.run_if(resource_exists::<ScreenshotPlan>),
    );
}

fn take_screenshot(
    mut plan: ResMut<ScreenshotPlan>,
    mut commands: Commands,
    mut exit: MessageWriter<AppExit>,
) {
    plan.frame += 1;
    if plan.frame == 1 {
        plan.started = Some(std::time::Instant::now());
    }
    if !plan.requested && plan.frame >= plan.frames {
        if let Some(t) = plan.started
            && plan.frame > 1
        {
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            eprintln!(
                "{} frames in {ms:.0} ms: {:.1} ms a frame",
                plan.frame - 1,
                ms / (plan.frame - 1) as f64
            );
        }
        let _ = std::fs::remove_file(&plan.path);
        commands
            .spawn(Screenshot::primary_window())
            .observe(save_to_disk(plan.path.clone()));
        plan.requested = true;
    } else if plan.requested {
        // The image is written whole inside the capture observer, so once
        // the file is there it is complete.
        if plan.path.exists() {
            info!("screenshot saved to {}", plan.path.display());
            exit.write(AppExit::Success);
        } else if plan.frame > plan.frames + PATIENCE {
            error!("no screenshot after {PATIENCE} frames");
            exit.write(AppExit::Error(NonZero::new(1).expect("non-zero")));
        }
    }
}
