//! Building a world from a level: spawn the entities and insert the resources.

use bevy::prelude::*;

use super::components::*;
use super::params::{
    FacilitySetup, GoodsTable, Level, MarketSetup, OutsideSupplierSetup, RulesParams,
};
use super::resources::*;
use super::types::*;

pub fn per_good(t: &GoodsTable) -> PerGood<f64> {
    PerGood(Good::ALL.map(|g| t.get(g)))
}

/// Put a fresh game of `level` with `seed` into `world` (which should be empty
/// of game entities). Also used to reset a world in place.
pub fn spawn_level(world: &mut World, level: &Level, seed: u64) {
    let mut index = EntityIndex::default();
    let rules = GameRules {
        level_id: level.id.clone(),
        level_title: level.title.clone(),
        params: level.rules.clone(),
        war: level.war.params.clone(),
        base_price: per_good(&level.market.base_price),
        demand_elasticity: level.market.demand_elasticity,
        supply_elasticity: level.market.supply_elasticity,
        market: level.market.clone(),
    };

    let mut powers = level.powers.clone();
    powers.sort_by_key(|p| p.id);
    for p in &powers {
        let mut stock = Stockpile {
            qty: per_good(&p.stockpile),
            mix: PerGood([OriginMix::pure(Origin::Power(p.id)); 4]),
            concentrate_heavy_share: p.concentrate_heavy_share,
            reserve_turns: PerGood([p.reserve_turns; 4]),
        };
        // Stocks at the start are of domestic make except what a power cannot
        // make: most of the world's oxides and magnets are Chinese.
        if p.id != PowerId::China {
            for g in [Good::LightOxides, Good::HeavyOxides, Good::Magnets] {
                stock.mix[g] = OriginMix::pure(Origin::Power(PowerId::China));
            }
        }
        let mut research = Research {
            invested: [0.0; 3],
            progress: [0.0; 3],
        };
        for (field, v) in &p.research {
            research.invested[field.index()] += v;
        }
        research.progress = research_progress(&research.invested, rules.params.research_scale);
        let e = world
            .spawn((
                Power {
                    id: p.id,
                    eliminated: false,
                },
                Finances {
                    treasury: p.treasury,
                    base_income: p.income,
                    debt_limit: p.debt_limit,
                    ledger: Ledger::default(),
                },
                Politics {
                    political_capital: p.political_capital,
                    stability: p.stability,
                    action_points: level.rules.action_points,
                },
                stock,
                Industry {
                    need: per_good(&p.industry_need),
                    growth: p.need_growth,
                    adjust: PerGood([1.0; 4]),
                    defence_need: per_good(&p.defence_need),
                    industrial_output: per_good(&p.industrial_output),
                    met: PerGood([1.0; 4]),
                    shortfall: PerGood::default(),
                    defence_met: 1.0,
                    output_lost: 0.0,
                    supply_security: 0.0,
                    russian_share: 0.0,
                    needs_met: 1.0,
                },
                research,
                Intelligence::default(),
                BuildProfile {
                    permitting_turns: p.permitting_turns,
                    construction_turns: p.construction_turns,
                    unit_cost: p.unit_cost,
                    running_cost: p.running_cost,
                },
                Scorecard {
                    objectives: std::sync::Arc::new(p.objectives.clone()),
                    progress: vec![0.0; p.objectives.len()],
                    accumulated: 0.0,
                    turns_scored: 0,
                    decisive_streak: 0,
                    export_revenue: [0.0; 4],
                },
            ))
            .id();
        index.powers.push(e);
    }

    for d in &level.deposits {
        let e = world
            .spawn(Deposit {
                id: d.id.as_str().into(),
                name: d.name.clone().into(),
                country: d.country.clone().into(),
                position: d.position,
                reserves: d.reserves,
                heavy_share: d.heavy_share,
                controller: d.controller,
                open_to: d.open_to.clone(),
                front_threshold: d.front_threshold,
                cost_factor: d.cost_factor,
                max_mine_capacity: d.max_mine_capacity,
                note: d.note.clone().into(),
            })
            .id();
        index.deposits.insert(d.id.clone(), e);
    }
    for s in &level.sites {
        let e = world
            .spawn(Site {
                id: s.id.as_str().into(),
                name: s.name.clone().into(),
                country: s.country.clone().into(),
                position: s.position,
                controller: s.controller,
                open_to: s.open_to.clone(),
                cost_factor: s.cost_factor,
                note: s.note.clone().into(),
            })
            .id();
        index.sites.insert(s.id.clone(), e);
    }
    for (seq, f) in level.facilities.iter().enumerate() {
        let mut facility = facility_from_setup(f);
        facility.seq = seq as u32;
        let e = world.spawn(facility).id();
        index.facilities.insert(f.id.clone(), e);
    }
    let mut offtakes = Vec::new();
    for s in &level.outside_suppliers {
        let supplier = outside_from_setup(s, &level.rules, &level.market);
        let e = world.spawn(supplier).id();
        index.suppliers.insert(s.id.clone(), e);
        for c in &s.contracts {
            offtakes.push(super::deals::Offtake {
                id: 0,
                supplier: s.id.clone(),
                buyer: c.to,
                good: c.good,
                qty: c.qty,
                premium: 0.0,
                turns_left: c.turns,
                shortfall: 0.0,
                last_note: String::new(),
            });
        }
    }

    let mut relations = Relations {
        trust: [[50.0; 3]; 3],
        tariff: [[0.0; 3]; 3],
        export_control: [[PerGood::default(); 3]; 3],
        export_control_outside: [PerGood::default(); 3],
        sanctions: [[SanctionsLevel::None; 3]; 3],
        licence_age: [[PerGood::default(); 4]; 3],
        extraterritorial: [false; 3],
    };
    for p in &level.powers {
        for (g, l) in &p.export_controls_outside {
            relations.export_control_outside[p.id.index()][*g] = *l;
        }
    }
    for r in &level.relations {
        let (a, b) = (r.from.index(), r.to.index());
        relations.trust[a][b] = r.trust;
        relations.tariff[a][b] = r.tariff;
        relations.sanctions[a][b] = r.sanctions;
        for (g, l) in &r.export_controls {
            relations.export_control[a][b][*g] = *l;
        }
    }

    let base = rules.base_price;
    let war = UkraineWar {
        status: level.war.status,
        intensity: level.war.intensity,
        front: level.war.front,
        front_share: 0.0,
        us_aid: level.war.us_aid,
        weariness: level.war.weariness,
        russia_posture: level.war.russia_posture,
        china_stance: level.war.china_stance,
        ceasefire_turns: 0,
        ended_turn: None,
        security_guarantees: false,
    };

    world.insert_resource(TurnClock {
        turn: 1,
        max_turns: level.turns,
        start_year: level.start_year,
        start_quarter: level.start_quarter,
    });
    world.insert_resource(RulesRng::new(seed));
    world.insert_resource(Market {
        price: base,
        previous_price: base,
        price_china: base,
        previous_price_china: base,
        landed: PerPower([base; 3]),
        china_exports: PerGood::default(),
        origin_price: PerGood(Good::ALL.map(|g| [base[g]; 4])),
        demand_shocks: Vec::new(),
        volume: PerGood::default(),
        origin_volume: PerGood::default(),
    });
    world.insert_resource(relations);
    world.insert_resource(war);
    world.insert_resource(EventDeck {
        cards: std::sync::Arc::new(level.events.clone()),
        drawn: Vec::new(),
        injected: Vec::new(),
    });
    world.insert_resource(OrderBook::default());
    let mut diplomacy = Diplomacy::default();
    for mut o in offtakes {
        diplomacy.next_id += 1;
        o.id = diplomacy.next_id;
        diplomacy.offtakes.push(o);
    }
    world.insert_resource(diplomacy);
    world.insert_resource(NewsLog::default());
    world.insert_resource(TurnCauses::default());
    world.insert_resource(OrderResults::default());
    world.insert_resource(TradeLog::default());
    world.insert_resource(Production::default());
    world.insert_resource(GameOutcome::default());
    world.insert_resource(History::default());
    world.insert_resource(GameOptions::default());
    world.insert_resource(IdCounters::default());
    world.insert_resource(MarketOrders::default());
    world.insert_resource(PendingResponses::default());
    world.insert_resource(OrderLog::default());
    world.insert_resource(rules);
    world.insert_resource(index);
    super::war::deposits_follow_front(world);
    // Control at the start is the level's, not news.
    world.resource_mut::<NewsLog>().items.clear();
}

/// An outside producer at the start: working stocks of a few weeks, of its
/// own make where it makes the good and of Chinese make where it buys it.
pub fn outside_from_setup(
    s: &OutsideSupplierSetup,
    rules: &RulesParams,
    market: &MarketSetup,
) -> OutsideSupplier {
    let demand = per_good(&s.demand);
    let capacity = PerGood([
        s.mines,
        s.separation.light_oxides,
        s.separation.heavy_oxides,
        s.magnet_plants,
    ]);
    let feed = PerGood([
        (s.separation.feed - s.mines).max(0.0),
        s.magnet_plants * rules.magnet_light_per_kt,
        s.magnet_plants * rules.magnet_heavy_per_kt,
        0.0,
    ]);
    let cover = market.cover_weeks / super::trade::WEEKS_PER_QUARTER;
    let mut stock = Stockpile {
        qty: PerGood::default(),
        mix: PerGood::default(),
        concentrate_heavy_share: s.concentrate_heavy_share,
        reserve_turns: PerGood::default(),
    };
    for g in Good::ALL {
        let uses = demand[g] + feed[g];
        let qty = uses * (1.0 + cover);
        let own = if uses > 0.0 {
            (capacity[g] / uses).min(1.0)
        } else {
            1.0
        };
        let mix = OriginMix::pure(Origin::Outside).blend(
            own,
            &OriginMix::pure(Origin::Power(PowerId::China)),
            1.0 - own,
        );
        stock.add(g, qty, &mix);
    }
    OutsideSupplier {
        id: s.id.as_str().into(),
        name: s.name.as_str().into(),
        position: s.position,
        mines: s.mines,
        heavy_share: s.concentrate_heavy_share,
        separation: s.separation,
        magnet_plants: s.magnet_plants,
        stock,
        demand,
        adjust: PerGood([1.0; 4]),
        met: PerGood([1.0; 4]),
        strategic: per_good(&s.strategic_stock),
        releases_to: s.releases_to.clone(),
        offtake_to: s.offtake_to.clone(),
        offtake_capex: s.offtake_capex,
        expands: s.expands,
        pipeline: Vec::new(),
        growth: s.growth,
        demand_growth: s.demand_growth.unwrap_or(s.growth),
        shocks: Vec::new(),
        controls: [PerGood::default(); 3],
        licence_age: [PerGood::default(); 3],
        made: PerGood::default(),
        sold: PerGood::default(),
        bought: PerGood::default(),
    }
}

pub fn facility_from_setup(f: &FacilitySetup) -> Facility {
    Facility {
        id: f.id.as_str().into(),
        name: f.name.clone().into(),
        kind: f.kind,
        owner: f.owner,
        at: f.at.as_str().into(),
        capacity: f.capacity,
        stage: f.stage,
        turns_left: f.turns_left,
        money_left: f.money_left,
        cost: f.money_left,
        funder: f.owner,
        partners: f.partners.clone(),
        output: 0.0,
        funded_turn: 0,
        seq: 0,
    }
}

/// Progress 0..1 of research from money invested: diminishing returns.
pub fn research_progress(invested: &[f64; 3], scale: f64) -> [f64; 3] {
    invested.map(|v| 1.0 - (-v / scale).exp())
}
