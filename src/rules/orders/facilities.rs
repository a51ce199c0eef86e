//! Facilities, one home: funding a new one (by order or joint venture), its
//! cost, speeding it up, permit reform, idling and restarting.

use bevy::prelude::*;

use super::super::components::*;
use super::super::deals::PriceFloor;
use super::super::resources::*;
use super::super::types::*;
use super::check::{Budget, check_finite, refuse};
use super::limits;
use super::sight::{Sight, WorldSight};
use super::world::*;
use super::{Refusal, pay};

/// Share of a new facility's cost paid when it is funded.
pub const UPFRONT_SHARE: f64 = 0.1;

/// Capital cost of a facility the viewer would build (US$ bn): unit cost,
/// the place's cost factor, processing research for separation plants and
/// private money under a price floor.
pub fn cost(sight: &impl Sight, at: &str, kind: FacilityKind, capacity: f64) -> Option<f64> {
    let cost_factor = sight.cost_factor(at)?;
    let params = sight.params();
    let mut cost = sight.build().unit_cost.get(kind) * capacity * cost_factor;
    if kind == FacilityKind::SeparationPlant {
        cost *= 1.0 - params.processing_max * sight.research().level(ResearchField::Processing);
    }
    if floor_covers(sight.price_floors(), sight.me(), kind) {
        cost *= 1.0 - params.price_floor_private_share;
    }
    Some(cost)
}

/// The first payment of a new facility (US$ bn).
pub fn upfront(sight: &impl Sight, at: &str, kind: FacilityKind, capacity: f64) -> Option<f64> {
    cost(sight, at, kind, capacity).map(|c| c * UPFRONT_SHARE)
}

/// Capital cost of a facility built by `power` (US$ bn), from the world.
pub fn facility_cost(
    world: &World,
    power: PowerId,
    at: &str,
    kind: FacilityKind,
    capacity: f64,
) -> Option<f64> {
    cost(&WorldSight::new(world, power), at, kind, capacity)
}

/// Money a speed-up commits: the amount given.
pub fn speed_up_money(amount: f64) -> f64 {
    amount
}

/// Political capital a permit reform spends.
pub fn permit_reform_capital(sight: &impl Sight) -> f64 {
    sight.params().permit_reform_cost
}

/// Whether a power's price floors bring private money to a facility of this
/// kind: a floor on a good covers the plants that make it and the stages
/// upstream of it (a floor on NdPr finances mines and separation).
pub fn floor_covers(floors: &[PriceFloor], power: PowerId, kind: FacilityKind) -> bool {
    floors.iter().any(|f| {
        f.power == power
            && match f.good {
                Good::Concentrate => kind == FacilityKind::Mine,
                Good::LightOxides | Good::HeavyOxides => kind != FacilityKind::MagnetPlant,
                Good::Magnets => true,
            }
    })
}

/// Whether a mine fits at a deposit: plants may go anywhere usable.
pub(crate) fn check_location_for(
    world: &World,
    loc: &Location,
    at: &str,
    kind: FacilityKind,
    capacity: f64,
) -> Result<(), Refusal> {
    if kind == FacilityKind::Mine {
        if !loc.is_deposit {
            return refuse(format!("{} is not a deposit: a mine needs one", loc.name));
        }
        if loc.reserves <= 0.0 {
            return refuse(format!("{} is exhausted", loc.name));
        }
        let built = mine_capacity_at(world, at);
        if built + capacity > loc.max_mine_capacity + 1e-9 {
            return refuse(format!(
                "{} supports at most {:.2} kt/quarter of mining; {:.2} is already built or planned",
                loc.name, loc.max_mine_capacity, built
            ));
        }
    }
    Ok(())
}

pub(super) fn check_fund(
    world: &World,
    power: PowerId,
    at: &str,
    kind: FacilityKind,
    capacity: f64,
    budget: &Budget,
) -> Result<(), Refusal> {
    check_capacity(capacity)?;
    let Some(loc) = location(world, at) else {
        return refuse(format!("there is no deposit or site called \"{at}\""));
    };
    if !loc.usable_by(power) {
        return refuse(match loc.controller {
            Some(c) => format!(
                "{} is controlled by {c}: building there needs a joint-venture deal",
                loc.name
            ),
            None => format!("{} is not open to {power}", loc.name),
        });
    }
    check_location_for(world, &loc, at, kind, capacity)?;
    afford_fund(budget)
}

/// A new facility's capacity within the limits.
pub(super) fn check_capacity(capacity: f64) -> Result<(), Refusal> {
    check_finite(&[capacity])?;
    if !limits::CAPACITY.allows(capacity) {
        return refuse(format!(
            "capacity must be between 0 and {} kt a quarter",
            limits::CAPACITY.max
        ));
    }
    Ok(())
}

/// Money for a new facility's first payment.
pub(super) fn afford_fund(budget: &Budget) -> Result<(), Refusal> {
    let (money, available) = (budget.money, budget.available);
    if money > available {
        return refuse(format!(
            "not enough money: the first payment is ${money:.2} bn, ${available:.2} bn available"
        ));
    }
    Ok(())
}

pub(super) fn check_speed_up(
    world: &World,
    power: PowerId,
    id: &str,
    amount: f64,
    budget: &Budget,
) -> Result<(), Refusal> {
    check_speed_up_amount(amount)?;
    let Some(f) = facility(world, id) else {
        return refuse(format!("there is no facility called \"{id}\""));
    };
    if f.funder != power && f.owner != power {
        return refuse(format!("{} is not yours to fund", f.name));
    }
    match f.stage {
        Stage::Construction | Stage::Damaged => {}
        Stage::Planned | Stage::Permitting => {
            return refuse(format!(
                "{} is waiting for permits: money cannot buy a permit (try permit reform)",
                f.name
            ));
        }
        s => return refuse(format!("{} is {s}: nothing to speed up", f.name)),
    }
    afford_speed_up(budget)
}

pub(super) fn check_speed_up_amount(amount: f64) -> Result<(), Refusal> {
    check_finite(&[amount])?;
    if amount <= 0.0 {
        return refuse("the amount must be positive");
    }
    Ok(())
}

pub(super) fn afford_speed_up(budget: &Budget) -> Result<(), Refusal> {
    let (money, available) = (budget.money, budget.available);
    if money > available {
        return refuse(format!(
            "not enough money: ${money:.2} bn asked, ${available:.2} bn available"
        ));
    }
    Ok(())
}

pub(super) fn check_permit_reform(
    world: &World,
    power: PowerId,
    id: &str,
    queued: &[super::Order],
) -> Result<(), Refusal> {
    let Some(f) = facility(world, id) else {
        return refuse(format!("there is no facility called \"{id}\""));
    };
    if f.owner != power && f.funder != power {
        return refuse(format!("{} is not yours", f.name));
    }
    if !matches!(f.stage, Stage::Planned | Stage::Permitting) {
        return refuse(format!("{} is not waiting for permits", f.name));
    }
    if queued
        .iter()
        .any(|o| matches!(o, super::Order::PermitReform { facility } if facility == id))
    {
        return refuse("a permit reform for this facility is already queued");
    }
    Ok(())
}

pub(super) fn check_idle(
    world: &World,
    power: PowerId,
    id: &str,
    idle: bool,
) -> Result<(), Refusal> {
    let Some(f) = facility(world, id) else {
        return refuse(format!("there is no facility called \"{id}\""));
    };
    if f.owner != power {
        return refuse(format!("{} is not yours", f.name));
    }
    match (idle, f.stage) {
        (true, Stage::Operating) | (false, Stage::Idle) => Ok(()),
        (_, s) => refuse(format!("{} is {s}", f.name)),
    }
}

/// A facility being funded, by an order or a joint venture.
pub(crate) struct Funding {
    pub owner: PowerId,
    pub funder: PowerId,
    pub at: String,
    pub kind: FacilityKind,
    pub capacity: f64,
    pub partners: Vec<(PowerId, f64)>,
    pub turn: u32,
}

/// Fund a new facility: the funder pays the first share of its cost and the
/// facility is planned. Returns its id and full cost.
pub(crate) fn fund(world: &mut World, new: Funding) -> Result<(String, f64), Refusal> {
    let cost = facility_cost(world, new.funder, &new.at, new.kind, new.capacity)
        .ok_or_else(|| Refusal(format!("no place called {}", new.at)))?;
    let upfront = cost * UPFRONT_SHARE;
    pay(world, new.funder, upfront, |l| &mut l.construction);
    let id = spawn_facility(
        world,
        NewFacility {
            owner: new.owner,
            funder: new.funder,
            at: new.at,
            kind: new.kind,
            capacity: new.capacity,
            cost,
            paid: upfront,
            partners: new.partners,
            turn: new.turn,
        },
    );
    Ok((id, cost))
}

pub(super) fn execute_fund(
    world: &mut World,
    power: PowerId,
    at: &str,
    kind: FacilityKind,
    capacity: f64,
    turn: u32,
) -> Result<(), Refusal> {
    let (id, cost) = fund(
        world,
        Funding {
            owner: power,
            funder: power,
            at: at.to_string(),
            kind,
            capacity,
            partners: Vec::new(),
            turn,
        },
    )?;
    let name = location(world, at).map(|l| l.name).unwrap_or_default();
    world.resource_mut::<NewsLog>().public(
        turn,
        NewsKind::Facility,
        format!(
            "{power} funds a {kind} of {capacity:.2} kt/quarter at {name} (${cost:.2} bn, {id})."
        ),
    );
    Ok(())
}

pub(super) fn execute_speed_up(
    world: &mut World,
    power: PowerId,
    id: &str,
    amount: f64,
    turn: u32,
) -> Result<(), Refusal> {
    pay(world, power, amount, |l| &mut l.construction);
    let half = world.resource::<GameRules>().params.speedup_half_money;
    let e = world.resource::<EntityIndex>().facilities[id];
    let mut f = world.get_mut::<Facility>(e).expect("facility");
    // Diminishing returns: money equal to `half` × cost removes half
    // of the time left; twice that removes two thirds.
    let scale = (half * f.cost.max(0.05)).max(1e-6);
    let cut = amount / (amount + scale);
    let before = f.turns_left;
    f.turns_left = ((f.turns_left as f64) * (1.0 - cut)).ceil().max(1.0) as u32;
    let after = f.turns_left;
    let name = f.name.clone();
    world.resource_mut::<NewsLog>().private(
        turn,
        &[power],
        NewsKind::Facility,
        format!("Extra money for {name}: {before} → {after} turns left in this stage."),
    );
    Ok(())
}

pub(super) fn execute_permit_reform(
    world: &mut World,
    power: PowerId,
    id: &str,
    turn: u32,
) -> Result<(), Refusal> {
    let params = world.resource::<GameRules>().params.clone();
    let e = power_entity(world, power);
    world
        .get_mut::<Politics>(e)
        .expect("power")
        .political_capital -= params.permit_reform_cost;
    let fe = world.resource::<EntityIndex>().facilities[id];
    let mut f = world.get_mut::<Facility>(fe).expect("facility");
    let before = f.turns_left;
    f.turns_left = ((f.turns_left as f64) * (1.0 - params.permit_reform_cut)).floor() as u32;
    let after = f.turns_left;
    let name = f.name.clone();
    let backlash = world
        .resource_mut::<RulesRng>()
        .chance(params.permit_reform_backlash);
    let mut text = format!(
        "{power} fast-tracks permits for {name}: {before} → {after} turns of permitting left."
    );
    if backlash {
        let mut pol = world.get_mut::<Politics>(e).expect("power");
        pol.stability = (pol.stability - 5.0).max(0.0);
        pol.political_capital = (pol.political_capital - 10.0).max(0.0);
        text.push_str(" Local protests and lawsuits follow: stability and political capital fall.");
    }
    world
        .resource_mut::<NewsLog>()
        .public(turn, NewsKind::Facility, text);
    Ok(())
}

pub(super) fn execute_idle(world: &mut World, id: &str, idle: bool) -> Result<(), Refusal> {
    let e = world.resource::<EntityIndex>().facilities[id];
    let mut f = world.get_mut::<Facility>(e).expect("facility");
    f.stage = if idle { Stage::Idle } else { Stage::Operating };
    Ok(())
}

/// A facility funded by an order or a joint venture.
pub(crate) struct NewFacility {
    pub owner: PowerId,
    pub funder: PowerId,
    pub at: String,
    pub kind: FacilityKind,
    pub capacity: f64,
    pub cost: f64,
    pub paid: f64,
    pub partners: Vec<(PowerId, f64)>,
    pub turn: u32,
}

/// Spawn a planned facility; returns its new id.
pub(crate) fn spawn_facility(world: &mut World, new: NewFacility) -> String {
    let short = match new.kind {
        FacilityKind::Mine => "mine",
        FacilityKind::SeparationPlant => "sep",
        FacilityKind::MagnetPlant => "magnet",
    };
    // Skip numbers whose id a level facility already uses.
    let (n, id) = loop {
        let mut counters = world.resource_mut::<IdCounters>();
        counters.facilities += 1;
        let n = counters.facilities;
        let id = format!("{}-{short}-{n}", new.funder.key());
        if !world.resource::<EntityIndex>().facilities.contains_key(&id) {
            break (n, id);
        }
    };
    let loc_name = location(world, &new.at).map(|l| l.name).unwrap_or_default();
    let profile = get_power::<BuildProfile>(world, new.owner).clone();
    let research = get_power::<Research>(world, new.funder).clone();
    let params = world.resource::<GameRules>().params.clone();
    let mut permitting = profile.permitting_turns.get(new.kind);
    if new.kind == FacilityKind::SeparationPlant {
        let cut = 1.0 - params.processing_max * research.level(ResearchField::Processing);
        permitting = ((permitting as f64) * cut).round() as u32;
    }
    let name = format!(
        "{loc_name} {}{}",
        new.kind.name(),
        if new.partners.is_empty() {
            ""
        } else {
            " (joint venture)"
        }
    );
    let e = world
        .spawn(Facility {
            id: id.as_str().into(),
            name: name.into(),
            kind: new.kind,
            owner: new.owner,
            at: new.at.into(),
            capacity: new.capacity,
            stage: Stage::Planned,
            turns_left: permitting,
            money_left: (new.cost - new.paid).max(0.0),
            cost: new.cost,
            funder: new.funder,
            partners: new.partners,
            output: 0.0,
            funded_turn: new.turn,
            // After every facility of the level (levels hold far fewer).
            seq: 100_000 + n,
        })
        .id();
    world
        .resource_mut::<EntityIndex>()
        .facilities
        .insert(id.clone(), e);
    id
}
