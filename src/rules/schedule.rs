//! The turn schedule: the twelve phases of a turn, declared once, in order.

use bevy::ecs::schedule::{LogLevel, ScheduleBuildSettings, ScheduleLabel, SingleThreadedExecutor};
use bevy::prelude::*;

/// Runs one whole turn (one quarter) when executed.
#[derive(ScheduleLabel, Clone, Debug, PartialEq, Eq, Hash)]
pub struct TurnSchedule;

/// The phases of a turn, in the order of DESIGN.md.
#[derive(SystemSet, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TurnPhase {
    Upkeep,
    Events,
    Orders,
    Diplomacy,
    War,
    Construction,
    Production,
    Processing,
    Trade,
    Consumption,
    Scoring,
    Record,
}

pub(super) fn plugin(app: &mut App) {
    let mut schedule = Schedule::new(TurnSchedule);
    // A turn is a few dozen small systems: one thread beats the multi-threaded
    // executor's overhead, and keeps the order of effects obvious.
    schedule.set_executor(SingleThreadedExecutor::new());
    schedule.configure_sets(
        (
            TurnPhase::Upkeep,
            TurnPhase::Events,
            TurnPhase::Orders,
            TurnPhase::Diplomacy,
            TurnPhase::War,
            TurnPhase::Construction,
            TurnPhase::Production,
            TurnPhase::Processing,
            TurnPhase::Trade,
            TurnPhase::Consumption,
            TurnPhase::Scoring,
            TurnPhase::Record,
        )
            .chain(),
    );
    // Drivers run it directly (`Game::end_turn`): no `Update` system waits
    // for a flag.
    app.add_schedule(schedule);
}

/// Turns on ambiguity detection for the turn schedule: any two systems that
/// touch the same data without an order between them become an error.
pub fn deny_ambiguities(app: &mut App) {
    app.edit_schedule(TurnSchedule, |s| {
        s.set_build_settings(ScheduleBuildSettings {
            ambiguity_detection: LogLevel::Error,
            ..default()
        });
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Resource, Default)]
    struct Shared(u32);

    fn bump(mut s: ResMut<Shared>) {
        s.0 += 1;
    }

    fn double(mut s: ResMut<Shared>) {
        s.0 *= 2;
    }

    #[test]
    #[should_panic(expected = "ambigu")]
    fn ambiguity_detection_catches_unordered_systems_in_a_phase() {
        // Two systems writing the same data in one phase with no order
        // between them: the detector must refuse the schedule.
        let mut app = App::new();
        app.add_plugins(plugin);
        app.init_resource::<Shared>();
        app.add_systems(TurnSchedule, (bump, double).in_set(TurnPhase::Trade));
        deny_ambiguities(&mut app);
        app.world_mut().run_schedule(TurnSchedule);
    }
}
