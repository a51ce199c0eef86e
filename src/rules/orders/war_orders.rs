//! War orders, one home: US aid to Ukraine, Russia's posture, China's
//! stance; and the ceasefire that a deal term or an event card brings.

use bevy::prelude::*;

use super::super::resources::*;
use super::super::types::*;
use super::Refusal;
use super::check::refuse;
use super::limits;

pub(super) fn check_aid(world: &World, power: PowerId, level: u8) -> Result<(), Refusal> {
    if power != PowerId::Us {
        return refuse("only the United States sets aid to Ukraine");
    }
    if !limits::AID.allows(u32::from(level)) {
        return refuse(format!(
            "aid runs from level {} to {}",
            limits::AID.min,
            limits::AID.max
        ));
    }
    if world.resource::<UkraineWar>().status == WarStatus::Peace && level > 0 {
        return refuse("the war is over: there is no aid to send");
    }
    Ok(())
}

pub(super) fn check_posture(world: &World, power: PowerId) -> Result<(), Refusal> {
    if power != PowerId::Russia {
        return refuse("only Russia sets its war posture");
    }
    if world.resource::<UkraineWar>().status == WarStatus::Peace {
        return refuse("the war is over");
    }
    Ok(())
}

pub(super) fn check_stance(power: PowerId) -> Result<(), Refusal> {
    if power != PowerId::China {
        return refuse("only China sets its stance on the war");
    }
    Ok(())
}

pub(super) fn execute_aid(world: &mut World, level: u8, turn: u32) {
    let mut war = world.resource_mut::<UkraineWar>();
    let before = war.us_aid;
    war.us_aid = level;
    if before != level {
        world.resource_mut::<NewsLog>().public(
            turn,
            NewsKind::War,
            format!("The US sets its aid to Ukraine to level {level} (was {before})."),
        );
    }
}

pub(super) fn execute_posture(world: &mut World, posture: WarPosture) {
    world.resource_mut::<UkraineWar>().russia_posture = posture;
    if posture == WarPosture::Escalate {
        world
            .resource_mut::<Relations>()
            .add_trust(PowerId::Us, PowerId::Russia, -3.0);
    }
}

pub(super) fn execute_stance(world: &mut World, stance: ChinaStance, turn: u32) {
    let mut war = world.resource_mut::<UkraineWar>();
    let before = war.china_stance;
    war.china_stance = stance;
    if before != stance {
        let text = match stance {
            ChinaStance::SupportRussia => {
                "China steps up its support for Russia, buying its exports at a discount."
            }
            ChinaStance::Neutral => "China returns to a neutral line on the war.",
            ChinaStance::Mediate => "China offers to mediate between Moscow and Kyiv.",
        };
        world
            .resource_mut::<NewsLog>()
            .public(turn, NewsKind::War, text);
    }
}

/// The front freezes: a ceasefire begins, by a deal or an event card, and
/// the news says so in the caller's words.
pub(crate) fn begin_ceasefire(world: &mut World, turn: u32, news: impl Into<String>) {
    let mut war = world.resource_mut::<UkraineWar>();
    war.status = WarStatus::Ceasefire;
    war.ceasefire_turns = 0;
    world
        .resource_mut::<NewsLog>()
        .public(turn, NewsKind::War, news);
}
