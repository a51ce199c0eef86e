//! The turn runs on: AI seats decide on worker threads (the window stays
//! responsive), then the session resolves the turn.

use bevy::prelude::*;
use bevy::tasks::{AsyncComputeTaskPool, Task, futures::check_ready};
use bevy::window::RequestRedraw;

use super::{ActiveGame, Screen};
use crate::rules::orders::Order;
use crate::rules::types::PowerId;
use crate::session::Step;

/// AI decisions under way for the current turn.
#[derive(Resource, Default)]
pub struct AiThinking {
    turn: u32,
    tasks: Vec<(PowerId, Task<Vec<Order>>)>,
    done: Vec<(PowerId, Vec<Order>)>,
}

/// Time between turns when only computer players play.
const WATCH_PACE: std::time::Duration = std::time::Duration::from_millis(1500);

/// The fate of the last autosave, for the board's status line.
#[derive(Resource, Default)]
pub struct SaveStatus {
    pub autosave: Option<String>,
}

/// The systems that move the game on (the teacher's clock runs before them).
#[derive(SystemSet, Clone, Debug, PartialEq, Eq, Hash)]
pub struct TurnSystems;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<AiThinking>()
        .init_resource::<SaveStatus>()
        .add_systems(
            Update,
            (run_turn, show_end)
                .chain()
                .in_set(TurnSystems)
                .run_if(in_state(Screen::Playing)),
        );
}

fn run_turn(
    game: Option<NonSendMut<ActiveGame>>,
    mut thinking: ResMut<AiThinking>,
    mut status: ResMut<SaveStatus>,
    mut redraw: MessageWriter<RequestRedraw>,
    mut last_watched: Local<Option<std::time::Instant>>,
    lesson: Res<super::teacher::Lesson>,
) {
    let Some(mut game) = game else { return };
    // The teacher paused the lesson: the computer players wait too.
    if lesson.paused {
        return;
    }
    let session = &mut game.0;
    if session.step != Step::Resolving {
        return;
    }
    // With no human seat the table watches: one turn every so often.
    if session.humans().is_empty() {
        if last_watched.is_some_and(|t| t.elapsed() < WATCH_PACE) {
            redraw.write(RequestRedraw);
            return;
        }
        *last_watched = Some(std::time::Instant::now());
    }
    if thinking.tasks.is_empty() && thinking.done.is_empty() || thinking.turn != session.turn() {
        thinking.turn = session.turn();
        thinking.done.clear();
        let pool = AsyncComputeTaskPool::get();
        thinking.tasks = session
            .ai_jobs()
            .into_iter()
            .map(|job| (job.power, pool.spawn(async move { job.decide() })))
            .collect();
    }
    let mut still = Vec::new();
    for (p, mut task) in std::mem::take(&mut thinking.tasks) {
        match check_ready(&mut task) {
            Some(orders) => thinking.done.push((p, orders)),
            None => still.push((p, task)),
        }
    }
    thinking.tasks = still;
    if thinking.tasks.is_empty() {
        // Submit in table order whatever order the threads finished in.
        let mut done = std::mem::take(&mut thinking.done);
        done.sort_by_key(|(p, _)| p.index());
        let Some(captured) = session.resolve(done) else {
            return;
        };
        // Every finished turn is kept on disk at once, from the state the
        // turn ended in (captured and hashed once).
        let name = format!(
            "{} — {}",
            session.level().title,
            crate::rules::types::quarter_label(
                session.level().start_year,
                session.level().start_quarter,
                session.turn()
            )
        );
        let file = crate::save::SaveFile::of_captured(&session.table, captured, &name);
        status.autosave = match crate::save::autosave(&file, &session.level().id) {
            Ok(_) => None,
            Err(e) => Some(format!("Autosave failed: {e}")),
        };
    }
    // Keep frames coming while the AI thinks or the next step is due.
    redraw.write(RequestRedraw);
}

fn show_end(game: Option<NonSend<ActiveGame>>, mut next: ResMut<NextState<Screen>>) {
    if let Some(game) = game
        && game.0.step == Step::Over
    {
        next.set(Screen::End);
    }
}
