//! What a player sees that prices an order. Costs are reckoned once, by
//! each order's module, from a [`Sight`]: the engine's check reads the world
//! through [`WorldSight`], the AI and the window read their [`PowerView`],
//! and both get the same figure (a test holds them to it).

use bevy::prelude::*;

use super::super::components::{
    BuildProfile, Finances, OutsideSupplier, Politics, Power, Research,
};
use super::super::deals::PriceFloor;
use super::super::params::RulesParams;
use super::super::resources::{Diplomacy, GameOutcome, GameRules, Market, Relations};
use super::super::types::*;
use super::super::view::PowerView;
use super::world::{get_power, location, outside_supplier};

/// The figures an order's cost and limits depend on, as one power sees them.
pub trait Sight {
    /// The power giving the order.
    fn me(&self) -> PowerId;
    fn params(&self) -> &RulesParams;
    /// The giver's own building costs and times.
    fn build(&self) -> &BuildProfile;
    /// The giver's own research.
    fn research(&self) -> &Research;
    /// The cost factor of a deposit or site, if there is one by that id.
    fn cost_factor(&self, at: &str) -> Option<f64>;
    /// Price floors the powers guarantee (public policy).
    fn price_floors(&self) -> &[PriceFloor];
    /// The price outside China ($/kg).
    fn price(&self, good: Good) -> f64;
    fn base_price(&self, good: Good) -> f64;
    fn supplier(&self, id: &str) -> Option<&OutsideSupplier>;
    /// Sanctions `by` holds on `on` (public).
    fn sanctions(&self, by: PowerId, on: PowerId) -> SanctionsLevel;
    fn game_over(&self) -> bool;
    /// Whether the giver is out of the game.
    fn eliminated(&self) -> bool;
    /// The giver's action points a turn.
    fn action_points(&self) -> u32;
    fn political_capital(&self) -> f64;
    fn treasury(&self) -> f64;
}

/// The engine's sight: the world itself, for one power.
pub struct WorldSight<'w> {
    world: &'w World,
    power: PowerId,
}

impl<'w> WorldSight<'w> {
    pub fn new(world: &'w World, power: PowerId) -> Self {
        WorldSight { world, power }
    }
}

impl Sight for WorldSight<'_> {
    fn me(&self) -> PowerId {
        self.power
    }
    fn params(&self) -> &RulesParams {
        &self.world.resource::<GameRules>().params
    }
    fn build(&self) -> &BuildProfile {
        get_power::<BuildProfile>(self.world, self.power)
    }
    fn research(&self) -> &Research {
        get_power::<Research>(self.world, self.power)
    }
    fn cost_factor(&self, at: &str) -> Option<f64> {
        location(self.world, at).map(|l| l.cost_factor)
    }
    fn price_floors(&self) -> &[PriceFloor] {
        &self.world.resource::<Diplomacy>().price_floors
    }
    fn price(&self, good: Good) -> f64 {
        self.world.resource::<Market>().price[good]
    }
    fn base_price(&self, good: Good) -> f64 {
        self.world.resource::<GameRules>().base_price[good]
    }
    fn supplier(&self, id: &str) -> Option<&OutsideSupplier> {
        outside_supplier(self.world, id)
    }
    fn sanctions(&self, by: PowerId, on: PowerId) -> SanctionsLevel {
        self.world.resource::<Relations>().sanctions(by, on)
    }
    fn game_over(&self) -> bool {
        self.world.resource::<GameOutcome>().over
    }
    fn eliminated(&self) -> bool {
        get_power::<Power>(self.world, self.power).eliminated
    }
    fn action_points(&self) -> u32 {
        get_power::<Politics>(self.world, self.power).action_points
    }
    fn political_capital(&self) -> f64 {
        get_power::<Politics>(self.world, self.power).political_capital
    }
    fn treasury(&self) -> f64 {
        get_power::<Finances>(self.world, self.power).treasury
    }
}

/// A player's sight: its own view of the game.
impl Sight for PowerView {
    fn me(&self) -> PowerId {
        self.me.power.id
    }
    fn params(&self) -> &RulesParams {
        &self.public.params
    }
    fn build(&self) -> &BuildProfile {
        &self.me.build
    }
    fn research(&self) -> &Research {
        &self.me.research
    }
    fn cost_factor(&self, at: &str) -> Option<f64> {
        self.deposits
            .iter()
            .find(|d| &*d.id == at)
            .map(|d| d.cost_factor)
            .or_else(|| {
                self.sites
                    .iter()
                    .find(|s| &*s.id == at)
                    .map(|s| s.cost_factor)
            })
    }
    fn price_floors(&self) -> &[PriceFloor] {
        &self.public.price_floors
    }
    fn price(&self, good: Good) -> f64 {
        self.market.price[good]
    }
    fn base_price(&self, good: Good) -> f64 {
        self.public.base_price[good]
    }
    fn supplier(&self, id: &str) -> Option<&OutsideSupplier> {
        self.suppliers.iter().find(|s| &*s.id == id)
    }
    fn sanctions(&self, by: PowerId, on: PowerId) -> SanctionsLevel {
        self.relations.sanctions[by.index()][on.index()]
    }
    fn game_over(&self) -> bool {
        self.outcome.over
    }
    fn eliminated(&self) -> bool {
        self.me.power.eliminated
    }
    fn action_points(&self) -> u32 {
        self.me.politics.action_points
    }
    fn political_capital(&self) -> f64 {
        self.me.politics.political_capital
    }
    fn treasury(&self) -> f64 {
        self.me.finances.treasury
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::components::*;
    use super::super::super::deals::PriceFloor;
    use super::super::super::resources::*;
    use super::super::super::testing::*;
    use super::super::super::view::power_view;
    use super::super::*;
    use super::*;

    /// One order of every kind that costs money or political capital, for
    /// every place, producer and good the level has.
    fn costed_orders(world: &World, power: PowerId) -> Vec<Order> {
        let index = world.resource::<EntityIndex>();
        let mut orders = Vec::new();
        for at in index.deposits.keys().chain(index.sites.keys()) {
            for kind in FacilityKind::ALL {
                orders.push(Order::FundFacility {
                    at: at.clone(),
                    kind,
                    capacity: 1.5,
                });
            }
        }
        for id in index.facilities.keys() {
            orders.push(Order::SpeedUp {
                facility: id.clone(),
                amount: 0.7,
            });
            orders.push(Order::PermitReform {
                facility: id.clone(),
            });
        }
        for supplier in index.suppliers.keys() {
            for good in Good::ALL {
                orders.push(Order::Offtake {
                    supplier: supplier.clone(),
                    good,
                    qty: 0.2,
                    turns: 8,
                });
                orders.push(Order::DrawAlliedStockpile {
                    supplier: supplier.clone(),
                    good,
                    qty: 0.05,
                });
            }
        }
        for good in Good::ALL {
            orders.push(Order::Buy {
                good,
                qty: 0.4,
                max_price: 300.0,
            });
        }
        for field in ResearchField::ALL {
            orders.push(Order::FundResearch { field, amount: 0.5 });
        }
        for other in power.others() {
            orders.push(Order::GatherIntelligence { target: other });
            for level in [
                SanctionsLevel::None,
                SanctionsLevel::Targeted,
                SanctionsLevel::Full,
            ] {
                orders.push(Order::SetSanctions { on: other, level });
            }
        }
        orders
    }

    fn assert_agree(world: &World) {
        for power in PowerId::ALL {
            let view = power_view(world, power);
            let engine = WorldSight::new(world, power);
            let orders = costed_orders(world, power);
            assert!(orders.len() > 50, "{power}: {} orders", orders.len());
            let mut priced = 0;
            for order in &orders {
                assert_eq!(
                    view.order_money(order),
                    order.money(&engine),
                    "{power}: {order}"
                );
                assert_eq!(
                    view.order_capital(order),
                    order.political_capital(&engine),
                    "{power}: {order}"
                );
                if order.money(&engine) > 0.0 || order.political_capital(&engine) > 0.0 {
                    priced += 1;
                }
            }
            assert!(
                priced * 2 > orders.len(),
                "{power}: most orders cost something"
            );
        }
    }

    #[test]
    fn a_players_view_prices_every_order_as_the_engine_does() {
        let mut world = test_world();
        assert_agree(&world);
        // Research, a price floor and sanctions change the prices: the view
        // must follow them all.
        for power in PowerId::ALL {
            let e = power_entity(&world, power);
            world.get_mut::<Research>(e).unwrap().progress = [0.3, 0.5, 0.7];
        }
        world
            .resource_mut::<Diplomacy>()
            .price_floors
            .push(PriceFloor {
                power: PowerId::Us,
                good: Good::LightOxides,
                price: 80.0,
                turns_left: 8,
                paid: 0.0,
            });
        world.resource_mut::<Relations>().sanctions[PowerId::Us.index()][PowerId::Russia.index()] =
            SanctionsLevel::Targeted;
        world.resource_mut::<Market>().price[Good::HeavyOxides] *= 3.0;
        assert_agree(&world);
        let view = power_view(&world, PowerId::Us);
        let plant = Order::FundFacility {
            at: world
                .resource::<EntityIndex>()
                .sites
                .keys()
                .next()
                .unwrap()
                .clone(),
            kind: FacilityKind::SeparationPlant,
            capacity: 1.0,
        };
        let Order::FundFacility { at, kind, capacity } = &plant else {
            unreachable!()
        };
        let bare = view.me.build.unit_cost.get(*kind) * capacity * view.cost_factor(at).unwrap();
        assert!(
            view.order_money(&plant) < bare * UPFRONT_SHARE,
            "research and the floor make the plant cheaper than its unit cost"
        );
    }

    #[test]
    fn a_preview_refuses_with_the_engines_own_words() {
        let mut world = test_world();
        let e = power_entity(&world, PowerId::Us);
        world.get_mut::<Finances>(e).unwrap().treasury = 0.0;
        let orders = [
            Order::FundResearch {
                field: ResearchField::Recycling,
                amount: 1.0,
            },
            Order::FundResearch {
                field: ResearchField::Recycling,
                amount: limits::RESEARCH.max + 1.0,
            },
            Order::GatherIntelligence {
                target: PowerId::China,
            },
            Order::SetTariff {
                on: PowerId::China,
                rate: limits::TARIFF.max + 0.5,
            },
            Order::SetTariff {
                on: PowerId::China,
                rate: limits::TARIFF.max,
            },
            Order::SetReserve {
                good: Good::Magnets,
                turns: 13.0,
            },
        ];
        let mut refused = 0;
        for order in &orders {
            let view = power_view(&world, PowerId::Us);
            let engine = check_order(&world, PowerId::Us, order, &[]);
            assert_eq!(preview(&view, order), engine, "{order}");
            refused += usize::from(engine.is_err());
        }
        assert_eq!(refused, orders.len() - 1, "only the 200% tariff passes");
    }
}
