//! The board's panels, each a plain function over the current player's
//! [`PowerView`]: it draws, and returns the order the player asked for (the
//! caller submits it to the rules, which may refuse it with a reason).

use bevy_egui::egui::{self, RichText, Ui};
use egui_plot::{Legend, Line, Plot, PlotPoints};

use super::theme;
use crate::rules::deals::{ProposalStatus, Response};
use crate::rules::orders::{Order, Sight, limits, preview};
use crate::rules::types::*;
use crate::rules::view::PowerView;

/// The panels of the board, as tabs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tab {
    #[default]
    Economy,
    Facilities,
    Market,
    TradePolicy,
    Diplomacy,
    War,
    Orders,
}

impl Tab {
    pub const ALL: [Tab; 7] = [
        Tab::Economy,
        Tab::Facilities,
        Tab::Market,
        Tab::TradePolicy,
        Tab::Diplomacy,
        Tab::War,
        Tab::Orders,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Tab::Economy => "Economy",
            Tab::Facilities => "Facilities",
            Tab::Market => "Market",
            Tab::TradePolicy => "Trade policy",
            Tab::Diplomacy => "Diplomacy",
            Tab::War => "War",
            Tab::Orders => "Orders",
        }
    }
}

/// What the top bar asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TopAction {
    EndTurn,
    Briefing,
    Encyclopedia,
    Save,
    Menu,
}

/// Date, turn, money, capital, action points and stockpiles of the player,
/// and the lesson clock when the teacher set one ("2:05 left").
pub fn top_bar(
    ui: &mut Ui,
    view: &PowerView,
    end_label: &str,
    clock: Option<&str>,
) -> Option<TopAction> {
    let mut action = None;
    let me = &view.me;
    ui.horizontal_wrapped(|ui| {
        ui.label(theme::power_name(me.power.id).size(18.0));
        ui.separator();
        ui.label(
            RichText::new(format!(
                "{} · turn {}/{}",
                view.label, view.turn, view.max_turns
            ))
            .strong(),
        );
        ui.separator();
        ui.label(format!("Treasury {}", theme::bn(me.finances.treasury)))
            .on_hover_text("Money of your rare-earth programme, US$ bn.");
        ui.label(format!("Capital {:.0}", me.politics.political_capital))
            .on_hover_text("Political capital: spent on sanctions, permit reform, breaking deals.");
        ui.label(format!(
            "Actions {}/{}",
            view.action_points_left(),
            me.politics.action_points
        ))
        .on_hover_text(
            "Action points left this turn. Market orders and answers to deals are free.",
        );
        ui.separator();
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let end = egui::Button::new(RichText::new(end_label).strong().size(16.0))
                .fill(egui::Color32::from_rgb(40, 90, 60));
            if ui.add(end).clicked() {
                action = Some(TopAction::EndTurn);
            }
            if let Some(clock) = clock {
                // Lay out every digit once so none is missing from the font
                // atlas on the frame it first shows (it would blink).
                let _ = ui.painter().layout_no_wrap(
                    "0123456789:".into(),
                    egui::FontId::proportional(16.0),
                    theme::GOOD,
                );
                let urgent = clock.starts_with("0:");
                ui.label(
                    RichText::new(format!("⏱ {clock}"))
                        .strong()
                        .size(16.0)
                        .color(if urgent { theme::BAD } else { theme::GOOD }),
                )
                .on_hover_text("Time left for this turn. When it runs out the turn ends with the orders given.");
            }
            if ui.button("Menu").clicked() {
                action = Some(TopAction::Menu);
            }
            if ui.button("Save").clicked() {
                action = Some(TopAction::Save);
            }
            if ui.button("Briefing").clicked() {
                action = Some(TopAction::Briefing);
            }
            if ui
                .button("Encyclopedia")
                .on_hover_text("Background pages and a glossary, each figure with its source.")
                .clicked()
            {
                action = Some(TopAction::Encyclopedia);
            }
        });
    });
    // Stocks and prices on their own line, so the row above never runs
    // under the buttons.
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Stock, kt:").color(theme::MUTED));
        for g in Good::ALL {
            let use_per_week = me.industry.current_need(g) / 13.0;
            let weeks = if use_per_week > 0.0 {
                format!(
                    ", about {:.0} weeks of use",
                    me.stockpile.qty[g] / use_per_week
                )
            } else {
                String::new()
            };
            ui.label(
                RichText::new(format!("{} {:.2}", short_good(g), me.stockpile.qty[g]))
                    .color(theme::MUTED),
            )
            .on_hover_text(format!("Your stock of {}, kt{weeks}", g.name()));
        }
        ui.separator();
        prices_at_a_glance(ui, view);
    });
    action
}

pub fn short_good(g: Good) -> &'static str {
    match g {
        Good::Concentrate => "Ore",
        Good::LightOxides => "NdPr",
        Good::HeavyOxides => "Dy/Tb",
        Good::Magnets => "Magnets",
    }
}

/// A heading with a "?" that opens its encyclopedia page.
fn help_section(ui: &mut Ui, text: &str, page: &str) {
    super::help::heading_with_help(ui, text, page);
}

fn section(ui: &mut Ui, text: &str) {
    ui.add_space(6.0);
    ui.label(RichText::new(text).strong().size(17.0));
}

/// A button for `order`, greyed with the rules' own reason when they would
/// refuse it as far as the player's view tells ([`preview`]); the order
/// when clicked.
pub fn order_button(
    ui: &mut Ui,
    view: &PowerView,
    label: &str,
    hover: &str,
    order: Order,
) -> Option<Order> {
    let refusal = preview(view, &order).err();
    let mut response = ui.add_enabled(refusal.is_none(), egui::Button::new(label));
    if !hover.is_empty() {
        response = response.on_hover_text(hover);
    }
    if let Some(why) = refusal {
        response = response.on_disabled_hover_text(why.0);
    }
    response.clicked().then_some(order)
}

fn muted(ui: &mut Ui, text: impl Into<String>) {
    ui.label(RichText::new(text.into()).color(theme::MUTED));
}

/// Form state of the economy panel.
#[derive(Clone, Debug, PartialEq)]
pub struct EconomyForm {
    pub research: ResearchField,
    pub research_amount: f64,
    pub intel_target: PowerId,
}

impl Default for EconomyForm {
    fn default() -> Self {
        EconomyForm {
            research: ResearchField::Recycling,
            research_amount: 0.5,
            intel_target: PowerId::China,
        }
    }
}

/// Accounts, industry, score and what is known of the others.
pub fn economy(ui: &mut Ui, view: &PowerView, form: &mut EconomyForm) -> Option<Order> {
    let mut order = None;
    let me = &view.me;
    let l = &me.finances.ledger;
    section(ui, "Last quarter's accounts (US$ bn)");
    egui::Grid::new("ledger")
        .num_columns(2)
        .striped(true)
        .show(ui, |ui| {
            // The ledger keeps costs as negative amounts.
            for (name, v) in [
                ("Budget income", l.income),
                ("Sales", l.sales),
                ("Purchases", l.purchases),
                ("Running costs", l.running_costs),
                ("Construction", l.construction),
                ("Tariff revenue", l.tariff_revenue),
                ("Research", l.research),
                ("Deals", l.deals),
                ("War", l.war),
                ("Storage", l.storage),
                ("Events and other", l.events + l.other),
            ] {
                if v.abs() > 1e-6 {
                    ui.label(name);
                    ui.label(format!("{v:+.2}"));
                    ui.end_row();
                }
            }
            ui.label(RichText::new("Net").strong());
            ui.label(RichText::new(format!("{:+.2}", l.net())).strong());
            ui.end_row();
        });

    help_section(ui, "Industry", "supply-security");
    egui::Grid::new("industry")
        .num_columns(3)
        .striped(true)
        .show(ui, |ui| {
            ui.label("");
            ui.label("needs / quarter");
            ui.label("met");
            ui.end_row();
            for g in Good::ALL {
                if me.industry.need[g] > 0.0 {
                    ui.label(g.name());
                    ui.label(format!("{:.2} kt", me.industry.need[g]));
                    ui.label(format!("{:.0}%", me.industry.met[g] * 100.0));
                    ui.end_row();
                }
            }
        });
    ui.label(format!(
        "Supply security {:.0}% · stability {:.0} of 100",
        me.industry.supply_security * 100.0,
        me.politics.stability
    ))
    .on_hover_text("Share of your needs met by supply you do not depend on a rival for.");

    section(ui, &format!("Score {:.0}", me.scorecard.score()));
    objectives(ui, &view.me.scorecard);

    help_section(ui, "Research", "research");
    for f in ResearchField::ALL {
        ui.add(
            egui::ProgressBar::new(me.research.level(f).clamp(0.0, 1.0) as f32).text(format!(
                "{} {:.0}%",
                f.name(),
                me.research.level(f) * 100.0
            )),
        );
    }
    ui.horizontal(|ui| {
        egui::ComboBox::from_id_salt("research-field")
            .selected_text(form.research.name())
            .show_ui(ui, |ui| {
                for f in ResearchField::ALL {
                    ui.selectable_value(&mut form.research, f, f.name());
                }
            });
        ui.add(
            egui::DragValue::new(&mut form.research_amount)
                .range(0.1..=limits::RESEARCH.max)
                .speed(0.05)
                .prefix("$")
                .suffix(" bn"),
        );
        let fund = Order::FundResearch {
            field: form.research,
            amount: form.research_amount,
        };
        if let Some(o) = order_button(ui, view, "Fund research", "", fund) {
            order = Some(o);
        }
    });

    section(ui, "The others (estimates unless you hold intelligence)");
    egui::Grid::new("others")
        .num_columns(5)
        .striped(true)
        .show(ui, |ui| {
            ui.label("");
            ui.label("treasury");
            ui.label("capital");
            ui.label("score");
            ui.label("security");
            ui.end_row();
            for o in &view.others {
                ui.label(theme::power_name(o.id));
                ui.label(theme::estimate(&o.treasury, |v| format!("{v:.0}")));
                ui.label(theme::estimate(&o.political_capital, |v| format!("{v:.0}")));
                ui.label(theme::estimate(&o.score, |v| format!("{v:.0}")));
                ui.label(format!("{:.0}%", o.supply_security * 100.0));
                ui.end_row();
            }
        });
    ui.horizontal(|ui| {
        egui::ComboBox::from_id_salt("intel-target")
            .selected_text(form.intel_target.name())
            .show_ui(ui, |ui| {
                for p in me.power.id.others() {
                    ui.selectable_value(&mut form.intel_target, p, p.name());
                }
            });
        let gather = Order::GatherIntelligence {
            target: form.intel_target,
        };
        let label = format!(
            "Gather intelligence ({})",
            theme::bn(view.order_money(&gather))
        );
        if let Some(o) = order_button(
            ui,
            view,
            &label,
            "Learn their exact treasury and stockpiles for a few turns.",
            gather,
        ) {
            order = Some(o);
        }
    });
    order
}

/// Each objective: what it asks, how far along, what it is worth.
pub fn objectives(ui: &mut Ui, card: &crate::rules::components::Scorecard) {
    for (obj, progress) in card.objectives.iter().zip(&card.progress) {
        let label = if obj.description.is_empty() {
            format!("{:?}", obj.kind)
        } else {
            obj.description.clone()
        };
        ui.label(RichText::new(label).small());
        ui.add(
            egui::ProgressBar::new(progress.clamp(0.0, 1.0) as f32)
                .desired_height(10.0)
                .text(
                    RichText::new(format!("{:.0}% · {:.0} pts", progress * 100.0, obj.weight))
                        .small(),
                ),
        );
    }
}

/// Form state of the facilities panel.
#[derive(Clone, Debug, PartialEq)]
pub struct FacilityForm {
    pub speed_up: f64,
}

impl Default for FacilityForm {
    fn default() -> Self {
        FacilityForm { speed_up: 0.2 }
    }
}

/// A facility's progress through permitting and construction, 0..1.
pub fn facility_progress(view: &PowerView, f: &crate::rules::components::Facility) -> f32 {
    let b = &view.me.build;
    let (stage_turns, done_before) = match f.stage {
        Stage::Planned | Stage::Permitting => (b.permitting_turns.get(f.kind).max(1), 0.0),
        Stage::Construction => (b.construction_turns.get(f.kind).max(1), 0.5),
        _ => return 1.0,
    };
    let within = 1.0 - f.turns_left.min(stage_turns) as f32 / stage_turns as f32;
    done_before + 0.5 * within
}

/// Your facilities, with progress, and the actions on each.
pub fn facilities(ui: &mut Ui, view: &PowerView, form: &mut FacilityForm) -> Option<Order> {
    let mut order = None;
    let me = view.me.power.id;
    let mine: Vec<_> = view.facilities.iter().filter(|f| f.owner == me).collect();
    help_section(ui, "Your facilities", "rare-earths");
    if mine.is_empty() {
        muted(
            ui,
            "None yet. Pick a deposit or site on the map to build one.",
        );
    }
    for f in mine {
        if let Some(o) = facility_card(ui, view, f, form) {
            order = Some(o);
        }
    }
    help_section(ui, "Where you can build", "permitting");
    for d in view.deposits.iter().filter(|d| d.usable_by(me)) {
        muted(
            ui,
            format!(
                "Deposit: {} ({}), a mine of up to {:.1} kt",
                d.name, d.country, d.max_mine_capacity
            ),
        );
    }
    for s in view.sites.iter().filter(|s| s.usable_by(me)) {
        muted(ui, format!("Site: {} ({}), plants", s.name, s.country));
    }
    muted(ui, "Click a place on the map to fund a facility there.");
    order
}

/// One of your facilities: its stage, progress and the actions on it.
pub fn facility_card(
    ui: &mut Ui,
    view: &PowerView,
    f: &crate::rules::components::Facility,
    form: &mut FacilityForm,
) -> Option<Order> {
    let mut order = None;
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.label(RichText::new(&*f.name).strong());
            muted(ui, format!("{} · {:.2} kt/quarter", f.kind, f.capacity));
        });
        match f.stage {
            Stage::Planned | Stage::Permitting | Stage::Construction => {
                ui.add(
                    egui::ProgressBar::new(facility_progress(view, f)).text(format!(
                        "{}: {} turn{} left in this stage",
                        f.stage,
                        f.turns_left,
                        if f.turns_left == 1 { "" } else { "s" }
                    )),
                );
                ui.horizontal(|ui| {
                    if f.stage == Stage::Construction {
                        ui.add(
                            egui::DragValue::new(&mut form.speed_up)
                                .range(0.05..=5.0)
                                .speed(0.01)
                                .prefix("$")
                                .suffix(" bn"),
                        );
                        let speed_up = Order::SpeedUp {
                            facility: f.id.to_string(),
                            amount: form.speed_up,
                        };
                        if let Some(o) = order_button(ui, view, "Speed up", "", speed_up) {
                            order = Some(o);
                        }
                    }
                    if matches!(f.stage, Stage::Planned | Stage::Permitting) {
                        let reform = Order::PermitReform {
                            facility: f.id.to_string(),
                        };
                        let label =
                            format!("Permit reform ({:.0} capital)", view.order_capital(&reform));
                        if let Some(o) = order_button(
                            ui,
                            view,
                            &label,
                            "Cut permitting short. Risk of backlash.",
                            reform,
                        ) {
                            order = Some(o);
                        }
                    }
                });
            }
            Stage::Operating | Stage::Idle => {
                ui.horizontal(|ui| {
                    ui.label(format!(
                        "{}: output {:.2} kt last quarter",
                        f.stage, f.output
                    ));
                    let idle = f.stage == Stage::Idle;
                    if ui.button(if idle { "Restart" } else { "Idle" }).clicked() {
                        order = Some(Order::SetIdle {
                            facility: f.id.to_string(),
                            idle: !idle,
                        });
                    }
                });
            }
            Stage::Damaged => {
                ui.label(
                    RichText::new(format!("damaged: {} turns of repair left", f.turns_left))
                        .color(theme::BAD),
                );
            }
        }
    });
    order
}

/// Form state of the market panel.
#[derive(Clone, Debug, PartialEq)]
pub struct MarketForm {
    pub good: Good,
    pub qty: f64,
    pub price: f64,
    pub reserve: f64,
    /// The outside producer chosen for an offtake or a stockpile release
    /// (empty: the first one).
    pub supplier: String,
    pub offtake_qty: f64,
    pub offtake_turns: u32,
    /// A price floor's $/kg (zero: today's price of the good).
    pub floor_price: f64,
    pub floor_turns: u32,
}

impl Default for MarketForm {
    fn default() -> Self {
        MarketForm {
            good: Good::LightOxides,
            qty: 0.5,
            price: 0.0,
            reserve: 2.0,
            supplier: String::new(),
            offtake_qty: 0.2,
            offtake_turns: 8,
            floor_price: 0.0,
            floor_turns: 8,
        }
    }
}

/// The goods an exporter's controls bite on, priced in the player's own
/// world (outside China, or in China for China): a price far above its base
/// reads as a multiple, and a shortfall as the share of needs met.
fn prices_at_a_glance(ui: &mut Ui, view: &PowerView) {
    let me = view.me.power.id;
    let (own_world, other_world) = crate::rules::resources::price_worlds(me);
    let own = view.market.own_prices(me);
    let other = view.market.other_prices(me);
    ui.label(RichText::new(format!("Prices {own_world}:")).color(theme::MUTED));
    for g in [Good::LightOxides, Good::HeavyOxides, Good::Magnets] {
        let multiple = own[g] / view.base_price[g].max(1e-9);
        let text = format!("{} ${:.0}", short_good(g), own[g]);
        let label = if multiple >= 1.5 {
            RichText::new(format!("{text} ×{multiple:.1}")).color(theme::BAD)
        } else {
            RichText::new(text)
        };
        ui.label(label).on_hover_text(format!(
            "{} per kg {own_world}: {multiple:.1} times its base price. {other_world}: ${:.0}.",
            g.name(),
            other[g]
        ));
    }
    let met = view.me.industry.needs_met;
    if view.turn > 1 && met < 0.95 {
        ui.label(RichText::new(format!("Needs met {:.0}%", met * 100.0)).color(theme::BAD))
            .on_hover_text(
                "Share of your industry's needs met last turn: what it lacks costs industrial output, money and stability.",
            );
    }
}

/// Prices by seller, their history, and buy / sell / reserve orders.
pub fn market(ui: &mut Ui, view: &PowerView, form: &mut MarketForm) -> Option<Order> {
    let mut order = None;
    help_section(ui, "Prices ($/kg) by who sells", "market-prices");
    egui::Grid::new("prices")
        .num_columns(7)
        .striped(true)
        .show(ui, |ui| {
            let me = view.me.power.id;
            let (own_world, other_world) = crate::rules::resources::price_worlds(me);
            ui.label("");
            ui.label(RichText::new(own_world).strong());
            ui.label(other_world);
            for o in Origin::ALL {
                ui.label(RichText::new(o.name()).color(theme::origin(o)));
            }
            ui.end_row();
            for g in Good::ALL {
                ui.label(g.name());
                let p = view.market.own_prices(me)[g];
                let prev = view.market.own_previous_prices(me)[g];
                let arrow = if p > prev * 1.005 {
                    "up"
                } else if p < prev * 0.995 {
                    "down"
                } else {
                    ""
                };
                ui.label(RichText::new(format!("{p:.0} {arrow}")).strong());
                muted(ui, format!("{:.0}", view.market.other_prices(me)[g]));
                for o in Origin::ALL {
                    let v = view.market.origin_price[g][o.index()];
                    if view.market.origin_volume[g][o.index()] > 0.0 {
                        ui.label(format!("{v:.0}"));
                    } else {
                        muted(ui, "—");
                    }
                }
                ui.end_row();
            }
        });

    section(ui, "Price history and trade: choose a good");
    ui.horizontal(|ui| {
        for g in Good::ALL {
            if ui
                .selectable_value(&mut form.good, g, short_good(g))
                .changed()
            {
                // A limit price of another good would mean nothing here.
                form.price = 0.0;
            }
        }
    });
    price_chart(ui, view, form.good, 160.0);

    help_section(ui, &format!("Trade {}", form.good.name()), "stockpiles");
    if form.price <= 0.0 {
        form.price = view.market.price[form.good].round();
    }
    ui.horizontal(|ui| {
        ui.label("kt");
        ui.add(
            egui::DragValue::new(&mut form.qty)
                .range(0.01..=50.0)
                .speed(0.01),
        );
        ui.label("limit $/kg");
        ui.add(
            egui::DragValue::new(&mut form.price)
                .range(1.0..=5000.0)
                .speed(1.0),
        );
    });
    ui.horizontal(|ui| {
        let buy = Order::Buy {
            good: form.good,
            qty: form.qty,
            max_price: form.price,
        };
        if let Some(o) = order_button(ui, view, "Buy", "Buy at up to the limit price.", buy) {
            order = Some(o);
        }
        if ui
            .button("Sell")
            .on_hover_text("Sell at no less than the limit price.")
            .clicked()
        {
            order = Some(Order::Sell {
                good: form.good,
                qty: form.qty,
                min_price: form.price,
            });
        }
        muted(
            ui,
            format!("in stock {:.2} kt", view.me.stockpile.qty[form.good]),
        );
    });
    ui.horizontal(|ui| {
        ui.label("Strategic reserve, turns of need:");
        ui.add(
            egui::DragValue::new(&mut form.reserve)
                .range(limits::RESERVE_TURNS.min..=limits::RESERVE_TURNS.max)
                .speed(0.1),
        );
        let reserve = Order::SetReserve {
            good: form.good,
            turns: form.reserve,
        };
        if let Some(o) = order_button(ui, view, "Set reserve", "", reserve) {
            order = Some(o);
        }
    });
    if let Some(o) = outside_producers(ui, view, form) {
        order = Some(o);
    }
    if let Some(o) = price_floor(ui, view, form) {
        order = Some(o);
    }
    order
}

/// Offtakes with allied producers outside the three powers (financing their
/// new capacity) and releases from an ally's state stockpile, of the good
/// chosen above; and the offtakes the player holds.
fn outside_producers(ui: &mut Ui, view: &PowerView, form: &mut MarketForm) -> Option<Order> {
    let mut order = None;
    help_section(ui, "Producers outside the three powers", "deals");
    let Some(first) = view.suppliers.first() else {
        muted(ui, "None in this level.");
        return None;
    };
    if !view.suppliers.iter().any(|s| *s.id == *form.supplier) {
        // The first producer that deals with the player, if any.
        let me = view.me.power.id;
        let partner = view
            .suppliers
            .iter()
            .find(|s| s.offtake_to.contains(&me) || s.releases_to.contains(&me));
        form.supplier = partner.unwrap_or(first).id.to_string();
    }
    let name_of = |id: &str| {
        view.supplier(id)
            .map_or(id.to_string(), |s| s.name.to_string())
    };
    egui::ComboBox::from_label("Outside producer")
        .selected_text(name_of(&form.supplier))
        .show_ui(ui, |ui| {
            for s in &view.suppliers {
                ui.selectable_value(&mut form.supplier, s.id.to_string(), &*s.name);
            }
        });
    // What the chosen producer offers this player of the good: the
    // quantity can go as far as the larger of the two, and the buttons say
    // which order it is too much for.
    let mut most = 0.01f64;
    if let Some(s) = view.supplier(&form.supplier) {
        let me = view.me.power.id;
        let good = form.good;
        let mut terms = Vec::new();
        if s.offtake_to.contains(&me) {
            let cap = s.capacity(good);
            most = most.max(cap);
            terms.push(format!(
                "signs offtakes with you up to {cap:.2} kt of {} a quarter (its capacity)",
                good.name()
            ));
        } else {
            terms.push("does not sign offtakes with you".to_string());
        }
        if s.releases_to.contains(&me) {
            let held = s.strategic[good];
            most = most.max(held);
            terms.push(format!(
                "releases its state stockpile to you ({held:.2} kt of {} held)",
                good.name()
            ));
        }
        muted(ui, format!("{}: {}.", s.name, terms.join("; ")));
    }
    ui.horizontal(|ui| {
        ui.label(format!("{} kt a quarter", form.good.name()));
        ui.add(
            egui::DragValue::new(&mut form.offtake_qty)
                .range(0.01..=most)
                .speed(0.01),
        );
        ui.label("turns");
        ui.add(
            egui::DragValue::new(&mut form.offtake_turns)
                .range(limits::OFFTAKE_TURNS.min..=limits::OFFTAKE_TURNS.max),
        );
    });
    ui.horizontal(|ui| {
        let offtake = Order::Offtake {
            supplier: form.supplier.clone(),
            good: form.good,
            qty: form.offtake_qty,
            turns: form.offtake_turns,
        };
        let hover = "Buy its output for the turns chosen, at the price outside China plus a \
                     premium; you finance its new capacity now.";
        if let Some(o) = order_button(ui, view, "Offtake", hover, offtake) {
            order = Some(o);
        }
        let draw = Order::DrawAlliedStockpile {
            supplier: form.supplier.clone(),
            good: form.good,
            qty: form.offtake_qty,
        };
        let hover = "Ask the ally to release this much from its state stockpile, at the price \
                     outside China.";
        if let Some(o) = order_button(ui, view, "Draw allied stockpile", hover, draw) {
            order = Some(o);
        }
    });
    for o in &view.offtakes {
        ui.label(format!(
            "Offtake #{}: {:.2} kt of {} a quarter from {}, {} turns left",
            o.id,
            o.qty,
            o.good.name(),
            name_of(&o.supplier),
            o.turns_left
        ));
        if !o.last_note.is_empty() {
            muted(ui, &o.last_note);
        }
    }
    order
}

/// A price floor for the player's own producers of the good chosen above,
/// and the floors every power guarantees (public policy).
fn price_floor(ui: &mut Ui, view: &PowerView, form: &mut MarketForm) -> Option<Order> {
    let mut order = None;
    help_section(ui, "Price floor for your producers", "deals");
    let max = crate::rules::orders::producer_support::price_floor_max(view, form.good);
    if form.floor_price <= 0.0 {
        form.floor_price = view.market.price[form.good].round().min(max);
    }
    ui.horizontal(|ui| {
        ui.label(format!("{} $/kg", form.good.name()));
        ui.add(
            egui::DragValue::new(&mut form.floor_price)
                .range(1.0..=max)
                .speed(1.0),
        );
        ui.label("turns");
        ui.add(
            egui::DragValue::new(&mut form.floor_turns)
                .range(limits::PRICE_FLOOR_TURNS.min..=limits::PRICE_FLOOR_TURNS.max),
        );
        let floor = Order::PriceFloor {
            good: form.good,
            price: form.floor_price,
            turns: form.floor_turns,
        };
        let hover = "Your treasury pays your producers the gap when the price outside China \
                     is lower; private money then pays part of new plants that make the good.";
        if let Some(o) = order_button(ui, view, "Guarantee floor", hover, floor) {
            order = Some(o);
        }
    });
    for f in &view.price_floors {
        muted(
            ui,
            format!(
                "{} guarantees ${:.0}/kg for {}, {} turns left (paid ${:.2} bn last turn)",
                f.power.name(),
                f.price,
                f.good.name(),
                f.turns_left,
                f.paid
            ),
        );
    }
    order
}

/// World price of `good` over the game so far.
pub fn price_chart(ui: &mut Ui, view: &PowerView, good: Good, height: f32) {
    if view.history.is_empty() {
        muted(ui, "Prices are charted from the end of the first turn.");
        return;
    }
    // The two price worlds: what buyers pay outside China and inside it.
    let world: PlotPoints = view
        .history
        .iter()
        .map(|t| [t.turn as f64, t.price[good]])
        .collect();
    let china: PlotPoints = view
        .history
        .iter()
        .map(|t| [t.turn as f64, t.price_china[good]])
        .collect();
    let outside: PlotPoints = view
        .history
        .iter()
        .map(|t| [t.turn as f64, t.origin_price[good][Origin::Outside.index()]])
        .collect();
    Plot::new(("price", good.index()))
        .height(height)
        .legend(Legend::default())
        .allow_scroll(false)
        .allow_drag(false)
        .allow_zoom(false)
        .show(ui, |plot| {
            plot.line(Line::new("outside China", world).color(egui::Color32::WHITE));
            plot.line(Line::new("in China", china).color(theme::CHINA));
            plot.line(Line::new("from outside producers", outside).color(theme::OUTSIDE));
        });
}

/// Form state of the trade-policy panel.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PolicyForm {
    /// Tariff being edited, per other power (percent).
    pub tariff: [Option<f64>; 3],
}

/// Tariffs, export controls and sanctions: yours and those on you.
pub fn trade_policy(ui: &mut Ui, view: &PowerView, form: &mut PolicyForm) -> Option<Order> {
    let mut order = None;
    let me = view.me.power.id;
    let r = &view.relations;
    for other in me.others() {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.label(theme::power_name(other));
            let current = r.tariff[me.index()][other.index()] * 100.0;
            let edit = form.tariff[other.index()].get_or_insert(current);
            ui.horizontal(|ui| {
                ui.label(format!("Your tariff: {current:.0}%"));
                super::help::help_link(ui, "tariffs");
                ui.add(
                    egui::Slider::new(
                        edit,
                        limits::TARIFF.min * 100.0..=limits::TARIFF.max * 100.0,
                    )
                    .suffix("%")
                    .step_by(5.0),
                );
                let set = Order::SetTariff {
                    on: other,
                    rate: *edit / 100.0,
                };
                if let Some(o) = order_button(ui, view, "Set tariff", "", set) {
                    order = Some(o);
                }
            });
            muted(
                ui,
                format!(
                    "Their tariff on you: {:.0}%",
                    r.tariff[other.index()][me.index()] * 100.0
                ),
            );
            ui.horizontal(|ui| {
                ui.label("Sanctions:");
                super::help::help_link(ui, "sanctions");
                let cur = r.sanctions[me.index()][other.index()];
                for level in [
                    SanctionsLevel::None,
                    SanctionsLevel::Targeted,
                    SanctionsLevel::Full,
                ] {
                    if ui.selectable_label(cur == level, level.name()).clicked() && cur != level {
                        order = Some(Order::SetSanctions { on: other, level });
                    }
                }
                muted(
                    ui,
                    format!(
                        "· theirs on you: {}",
                        r.sanctions[other.index()][me.index()].name()
                    ),
                );
            });
            if let Some(o) = export_control_row(
                ui,
                ("ec", other.index()),
                r.export_control[me.index()][other.index()],
                r.export_control[other.index()][me.index()],
                Origin::Power(other),
            ) {
                order = Some(o);
            }
        });
    }
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.label(RichText::new("Buyers outside the three powers").color(theme::OUTSIDE));
        let outside = view.relations.export_control_outside[me.index()];
        if let Some(o) = export_control_row(
            ui,
            ("ec", 9usize),
            outside,
            PerGood::default(),
            Origin::Outside,
        ) {
            order = Some(o);
        }
    });
    // China's 0.1% rule (2025): controls that follow the content abroad.
    let reach = view.relations.extraterritorial[me.index()];
    ui.horizontal(|ui| {
        ui.label(format!(
            "Your controls reach goods made abroad with your content: {}",
            if reach { "yes" } else { "no" }
        ));
        let hover = "Buyers abroad then need your licence for goods made with your rare \
                     earths, and re-export through third countries closes.";
        let change = Order::SetExtraterritorial { on: !reach };
        let label = if reach { "Stop" } else { "Start" };
        if let Some(o) = order_button(ui, view, label, hover, change) {
            order = Some(o);
        }
    });
    order
}

fn export_control_row(
    ui: &mut Ui,
    id: (&str, usize),
    mine: PerGood<ExportLevel>,
    theirs: PerGood<ExportLevel>,
    target: Origin,
) -> Option<Order> {
    let mut order = None;
    egui::Grid::new(id).num_columns(3).show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.label("Export controls");
            super::help::help_link(ui, "export-controls");
        });
        ui.label("yours");
        if target != Origin::Outside {
            ui.label("theirs on you");
        }
        ui.end_row();
        for g in Good::ALL {
            ui.label(short_good(g));
            let cur = mine[g];
            egui::ComboBox::from_id_salt((id.0, id.1, g.index()))
                .selected_text(cur.name())
                .width(90.0)
                .show_ui(ui, |ui| {
                    for level in [
                        ExportLevel::None,
                        ExportLevel::Licensing,
                        ExportLevel::Embargo,
                    ] {
                        if ui.selectable_label(cur == level, level.name()).clicked() && cur != level
                        {
                            order = Some(Order::SetExportControl {
                                target,
                                good: g,
                                level,
                            });
                        }
                    }
                });
            if target != Origin::Outside {
                let t = theirs[g];
                let color = if t == ExportLevel::None {
                    theme::MUTED
                } else {
                    theme::BAD
                };
                ui.label(RichText::new(t.name()).color(color));
            }
            ui.end_row();
        }
    });
    order
}

/// Incoming and outgoing deals, contracts and agreements.
/// Returns an order, or a request to open the deal editor.
pub fn diplomacy(ui: &mut Ui, view: &PowerView) -> (Option<Order>, Option<DealRequest>) {
    let mut order = None;
    let mut request = None;
    let me = view.me.power.id;
    help_section(ui, "Trust", "deals");
    egui::Grid::new("trust").num_columns(3).show(ui, |ui| {
        ui.label("");
        ui.label("yours in them");
        ui.label("theirs in you");
        ui.end_row();
        for p in me.others() {
            ui.label(theme::power_name(p));
            ui.label(format!("{:.0} / 100", view.trust.mine[p]));
            ui.label(format!("{:.0} / 100", view.trust.theirs[p]));
            ui.end_row();
        }
    });
    ui.horizontal(|ui| {
        for p in me.others() {
            if ui
                .button(format!("Propose a deal to {}…", p.name()))
                .clicked()
            {
                request = Some(DealRequest::New(p));
            }
        }
    });

    help_section(ui, "Deals waiting for your answer", "deals");
    let incoming: Vec<_> = view
        .proposals
        .iter()
        .filter(|p| p.deal.to == me && p.status == ProposalStatus::Pending)
        .collect();
    if incoming.is_empty() {
        muted(ui, "None.");
    }
    let answered: Vec<u32> = view
        .queued
        .iter()
        .filter_map(|o| match o {
            Order::RespondToDeal { proposal, .. } => Some(*proposal),
            _ => None,
        })
        .collect();
    for p in incoming {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.label(
                RichText::new(format!(
                    "From {} (expires turn {})",
                    p.deal.from.name(),
                    p.expires
                ))
                .strong()
                .color(theme::power(p.deal.from)),
            );
            for t in &p.deal.terms {
                ui.label(format!("• {t}"));
            }
            if answered.contains(&p.id) {
                muted(ui, "Answered (see Orders).");
                return;
            }
            ui.horizontal(|ui| {
                if ui.button("Accept").clicked() {
                    order = Some(Order::RespondToDeal {
                        proposal: p.id,
                        response: Response::Accept,
                    });
                }
                if ui.button("Reject").clicked() {
                    order = Some(Order::RespondToDeal {
                        proposal: p.id,
                        response: Response::Reject {
                            reason: "We cannot accept these terms.".into(),
                        },
                    });
                }
                if ui.button("Counter…").clicked() {
                    request = Some(DealRequest::Counter(p.id));
                }
            });
        });
    }

    section(ui, "Your proposals and their answers");
    let outgoing: Vec<_> = view
        .proposals
        .iter()
        .filter(|p| p.deal.from == me)
        .collect();
    if outgoing.is_empty() {
        muted(ui, "None in recent turns.");
    }
    for p in outgoing.iter().rev() {
        let color = match p.status {
            ProposalStatus::Accepted => theme::GOOD,
            ProposalStatus::Pending => theme::MUTED,
            _ => theme::BAD,
        };
        ui.label(
            RichText::new(format!(
                "To {} (turn {}): {:?}",
                p.deal.to.name(),
                p.turn,
                p.status
            ))
            .color(color),
        );
        ui.label(RichText::new(p.deal.describe()).small());
        if !p.reason.is_empty() {
            ui.label(RichText::new(format!("“{}”", p.reason)).italics());
        }
    }

    help_section(ui, "Supply contracts", "deals");
    if view.contracts.is_empty() {
        muted(ui, "None.");
    }
    for c in &view.contracts {
        ui.horizontal_wrapped(|ui| {
            ui.label(format!(
                "{} to {}: {:.2} kt {} at ${:.0}/kg, {} turns left",
                c.seller.name(),
                c.buyer.name(),
                c.qty,
                c.good.name(),
                c.price,
                c.turns_left
            ));
            if ui
                .small_button("Walk out")
                .on_hover_text("A breach: costs trust and political capital.")
                .clicked()
            {
                order = Some(Order::CancelContract { contract: c.id });
            }
        });
        if !c.last_note.is_empty() {
            muted(ui, &c.last_note);
        }
    }
    if !view.agreements.is_empty() {
        section(ui, "Commitments in force");
        for a in &view.agreements {
            ui.label(format!(
                "{} until turn {} (agreed by {} and {})",
                a.commitment,
                a.until_turn,
                a.parties.0.name(),
                a.parties.1.name()
            ));
        }
    }
    (order, request)
}

/// The diplomacy panel asks for the deal editor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DealRequest {
    New(PowerId),
    Counter(u32),
}

/// The war in Ukraine: where it stands and your lever on it.
pub fn war(ui: &mut Ui, view: &PowerView) -> Option<Order> {
    let w = &view.war;
    help_section(
        ui,
        &format!("The war is {}", w.status.name()),
        "war-minerals",
    );
    ui.label(format!(
        "Russia holds {:.0}% of Ukraine's rare-earth reserves · front index {:.2} · intensity {:.0}%",
        w.front_share * 100.0,
        w.front,
        w.intensity * 100.0
    ));
    ui.label(format!(
        "US aid level {} of 3 · Russian posture: {} · Chinese stance: {} · war weariness {:.0}%",
        w.us_aid,
        w.russia_posture.name(),
        w.china_stance.name(),
        w.weariness * 100.0
    ));
    if w.status == WarStatus::Ceasefire {
        ui.label(format!(
            "The ceasefire has held {} turns.",
            w.ceasefire_turns
        ));
    }
    if view.history.is_empty() {
        muted(ui, "The front is charted from the end of the first turn.");
        return order_lever(ui, view);
    }
    let front: PlotPoints = view
        .history
        .iter()
        .map(|t| [t.turn as f64, t.front_share * 100.0])
        .collect();
    Plot::new("front")
        .height(140.0)
        .allow_scroll(false)
        .allow_drag(false)
        .allow_zoom(false)
        .show(ui, |plot| {
            plot.line(Line::new("reserves held by Russia, %", front).color(theme::FRONT));
        });
    order_lever(ui, view)
}

/// The war lever of the viewer's power: aid, posture or stance.
fn order_lever(ui: &mut Ui, view: &PowerView) -> Option<Order> {
    let mut order = None;
    let w = &view.war;
    help_section(ui, "Your lever", "sanctions");
    match view.me.power.id {
        PowerId::Us => {
            ui.horizontal(|ui| {
                ui.label("Aid to Ukraine:");
                for level in 0..=3u8 {
                    if ui
                        .selectable_label(w.us_aid == level, level.to_string())
                        .clicked()
                        && w.us_aid != level
                    {
                        order = Some(Order::SetAid { level });
                    }
                }
            });
        }
        PowerId::Russia => {
            ui.horizontal(|ui| {
                ui.label("Posture:");
                for (p, name) in [
                    (WarPosture::Escalate, "escalate"),
                    (WarPosture::Hold, "hold"),
                    (WarPosture::DeEscalate, "de-escalate"),
                ] {
                    if ui.selectable_label(w.russia_posture == p, name).clicked()
                        && w.russia_posture != p
                    {
                        order = Some(Order::SetPosture { posture: p });
                    }
                }
            });
        }
        PowerId::China => {
            ui.horizontal(|ui| {
                ui.label("Stance:");
                for (s, name) in [
                    (ChinaStance::SupportRussia, "support Russia"),
                    (ChinaStance::Neutral, "neutral"),
                    (ChinaStance::Mediate, "mediate"),
                ] {
                    if ui.selectable_label(w.china_stance == s, name).clicked()
                        && w.china_stance != s
                    {
                        order = Some(Order::SetStance { stance: s });
                    }
                }
            });
        }
    }
    muted(
        ui,
        "A ceasefire or peace is a deal term between the US and Russia: propose it in Diplomacy.",
    );
    order
}

/// The queue of this turn's orders (with cancel) and last turn's results.
/// Returns the index of an order to cancel.
pub fn orders(ui: &mut Ui, view: &PowerView) -> Option<usize> {
    let mut cancel = None;
    section(ui, "Orders for this turn");
    if view.queued.is_empty() {
        muted(ui, "No orders yet. Orders run when the turn ends.");
    } else if ui
        .button("Undo last order")
        .on_hover_text("Take back the order given last.")
        .clicked()
    {
        cancel = Some(view.queued.len() - 1);
    }
    for (i, o) in view.queued.iter().enumerate() {
        ui.horizontal_wrapped(|ui| {
            if ui
                .small_button("✖")
                .on_hover_text("Cancel this order")
                .clicked()
            {
                cancel = Some(i);
            }
            let ap = o.action_points();
            ui.label(format!("{o}"));
            if ap > 0 {
                muted(ui, format!("({ap} action)"));
            }
        });
    }
    section(ui, "Last turn's orders");
    if view.last_results.is_empty() {
        muted(ui, "None.");
    }
    for r in &view.last_results {
        match &r.refused {
            None => {
                ui.label(RichText::new(format!("✔ {}", r.order)).color(theme::GOOD));
            }
            Some(why) => {
                ui.label(RichText::new(format!("✖ {} — {why}", r.order)).color(theme::BAD));
            }
        }
    }
    cancel
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::Game;
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    fn view_of(power: PowerId) -> PowerView {
        let level = crate::level::bundled("classroom").unwrap();
        Game::new(&level, 5).view(power)
    }

    /// Draw `panel` once, click the widget labelled `label`, return the order.
    fn click<T: Clone>(mut panel: impl FnMut(&mut Ui) -> Option<T>, label: &str) -> Option<T> {
        let mut out = None;
        {
            let mut harness = Harness::new_ui(|ui| {
                if let Some(o) = panel(ui) {
                    out = Some(o);
                }
            });
            harness.get_by_label(label).click();
            harness.run();
        }
        out
    }

    #[test]
    fn the_top_bar_reads_each_players_own_price_world() {
        let mut us = view_of(PowerId::Us);
        let public = std::sync::Arc::make_mut(&mut us.public);
        let base = public.base_price[Good::Magnets];
        // Licences: magnets scarce outside China, plentiful inside it.
        public.market.price[Good::Magnets] = 2.5 * base;
        public.market.price_china[Good::Magnets] = 0.9 * base;
        let mut china = view_of(PowerId::China);
        china.public = us.public.clone();
        let harness = Harness::new_ui(|ui| {
            top_bar(ui, &us, "End turn", None);
        });
        let outside = format!("Magnets ${:.0} ×2.5", 2.5 * base);
        assert!(harness.query_by_label(&outside).is_some(), "{outside}");
        let harness = Harness::new_ui(|ui| {
            top_bar(ui, &china, "End turn", None);
        });
        let inside = format!("Magnets ${:.0}", 0.9 * base);
        assert!(harness.query_by_label(&inside).is_some(), "{inside}");
        assert!(harness.query_by_label(&outside).is_none());
    }

    #[test]
    fn costs_show_as_negative_amounts_in_the_accounts() {
        let mut view = view_of(PowerId::Us);
        view.me.finances.ledger.purchases = -0.5;
        view.me.finances.ledger.income = 1.25;
        let mut form = EconomyForm::default();
        let harness = Harness::new_ui(|ui| {
            economy(ui, &view, &mut form);
        });
        assert!(harness.query_by_label("-0.50").is_some());
        assert!(harness.query_by_label("+1.25").is_some());
    }

    #[test]
    fn the_market_panel_buys_at_the_limit_price() {
        let view = view_of(PowerId::Us);
        let mut form = MarketForm::default();
        let order = click(|ui| market(ui, &view, &mut form), "Buy");
        let price = view.market.price[Good::LightOxides].round();
        assert_eq!(
            order,
            Some(Order::Buy {
                good: Good::LightOxides,
                qty: 0.5,
                max_price: price
            })
        );
    }

    #[test]
    fn the_war_panel_gives_each_power_its_own_lever() {
        let us = view_of(PowerId::Us);
        let order = click(|ui| war(ui, &us), "3");
        assert_eq!(order, Some(Order::SetAid { level: 3 }));
        let russia = view_of(PowerId::Russia);
        let order = click(|ui| war(ui, &russia), "escalate");
        assert_eq!(
            order,
            Some(Order::SetPosture {
                posture: WarPosture::Escalate
            })
        );
    }

    #[test]
    fn the_orders_panel_cancels_the_clicked_order() {
        let level = crate::level::bundled("classroom").unwrap();
        let mut game = Game::new(&level, 5);
        game.submit(PowerId::Us, Order::SetAid { level: 2 })
            .unwrap();
        let view = game.view(PowerId::Us);
        assert_eq!(click(|ui| orders(ui, &view), "✖"), Some(0));
    }

    #[test]
    fn the_market_panel_signs_offtakes_and_guarantees_price_floors() {
        let view = view_of(PowerId::Us);
        let mut form = MarketForm {
            supplier: "australia-lynas".into(),
            ..MarketForm::default()
        };
        let order = click(|ui| market(ui, &view, &mut form), "Offtake");
        assert_eq!(
            order,
            Some(Order::Offtake {
                supplier: "australia-lynas".into(),
                good: Good::LightOxides,
                qty: 0.2,
                turns: 8
            })
        );
        form.supplier = "japan-europe".into();
        let order = click(|ui| market(ui, &view, &mut form), "Draw allied stockpile");
        assert_eq!(
            order,
            Some(Order::DrawAlliedStockpile {
                supplier: "japan-europe".into(),
                good: Good::LightOxides,
                qty: 0.2
            })
        );
        let order = click(|ui| market(ui, &view, &mut form), "Guarantee floor");
        assert_eq!(
            order,
            Some(Order::PriceFloor {
                good: Good::LightOxides,
                price: view.market.price[Good::LightOxides].round(),
                turns: 8
            })
        );
        // The offtakes the level starts with, by the producer's name.
        let o = view
            .offtakes
            .first()
            .expect("the US starts with an offtake");
        let name = &view
            .suppliers
            .iter()
            .find(|s| *s.id == *o.supplier)
            .unwrap()
            .name;
        let harness = Harness::new_ui(|ui| {
            market(ui, &view, &mut form);
        });
        let line = format!(
            "Offtake #{}: {:.2} kt of {} a quarter from {name}, {} turns left",
            o.id,
            o.qty,
            o.good.name(),
            o.turns_left
        );
        assert!(harness.query_by_label(&line).is_some(), "{line}");
    }

    #[test]
    fn the_offtake_quantity_stops_at_what_the_producer_can_give() {
        let view = view_of(PowerId::Us);
        let good = Good::LightOxides;
        let lynas = view.supplier("australia-lynas").expect("Lynas");
        let cap = lynas.capacity(good);
        assert!(cap > 0.0 && lynas.strategic[good] <= cap, "{lynas:?}");
        let mut form = MarketForm {
            supplier: "australia-lynas".into(),
            offtake_qty: 50.0,
            ..MarketForm::default()
        };
        let line = format!(
            "{}: signs offtakes with you up to {cap:.2} kt of {} a quarter (its capacity).",
            lynas.name,
            good.name()
        );
        {
            let mut harness = Harness::new_ui(|ui| {
                market(ui, &view, &mut form);
            });
            harness.run();
            assert!(harness.query_by_label(&line).is_some(), "{line}");
        }
        assert!(
            form.offtake_qty <= cap + 1e-9,
            "{} kt asked of a producer making {cap}",
            form.offtake_qty
        );
        // Japan and Europe release their stockpile to the US: the quantity
        // may go as far as the larger of capacity and stockpile.
        let japan = view.supplier("japan-europe").expect("Japan and Europe");
        assert!(japan.releases_to.contains(&PowerId::Us));
        form.supplier = "japan-europe".into();
        form.offtake_qty = 1e6;
        let harness = Harness::new_ui(|ui| {
            market(ui, &view, &mut form);
        });
        let most = japan.strategic[good].max(if japan.offtake_to.contains(&PowerId::Us) {
            japan.capacity(good)
        } else {
            0.0
        });
        let held = format!(
            "releases its state stockpile to you ({:.2} kt of {} held)",
            japan.strategic[good],
            good.name()
        );
        assert!(
            harness.query_all_by_label_contains(&held).next().is_some(),
            "{held}"
        );
        drop(harness);
        assert!(
            form.offtake_qty <= most.max(0.01) + 1e-9,
            "{}",
            form.offtake_qty
        );
    }

    #[test]
    fn producers_that_do_not_deal_with_the_player_grey_the_button() {
        // Lynas signs offtakes with the US only: Russia's button is greyed
        // with the engine's reason and gives no order.
        let view = view_of(PowerId::Russia);
        let mut form = MarketForm {
            supplier: "australia-lynas".into(),
            ..MarketForm::default()
        };
        let offtake = Order::Offtake {
            supplier: "australia-lynas".into(),
            good: Good::LightOxides,
            qty: 0.2,
            turns: 8,
        };
        let why = preview(&view, &offtake).unwrap_err().0;
        assert!(why.contains("does not sign offtakes with Russia"), "{why}");
        assert_eq!(click(|ui| market(ui, &view, &mut form), "Offtake"), None);
    }

    #[test]
    fn the_policy_panel_extends_controls_to_content_made_abroad() {
        let mut view = view_of(PowerId::China);
        let reach = view.relations.extraterritorial[PowerId::China.index()];
        let label = if reach { "Stop" } else { "Start" };
        let mut form = PolicyForm::default();
        let order = click(|ui| trade_policy(ui, &view, &mut form), label);
        assert_eq!(order, Some(Order::SetExtraterritorial { on: !reach }));
        // Once queued, a second change is greyed.
        view.queued.push(Order::SetExtraterritorial { on: !reach });
        assert_eq!(click(|ui| trade_policy(ui, &view, &mut form), label), None);
    }

    #[test]
    fn the_policy_panel_sets_sanctions_on_the_chosen_power() {
        let view = view_of(PowerId::Us);
        let mut form = PolicyForm::default();
        let mut out = None;
        {
            let mut harness = Harness::new_ui(|ui| {
                if let Some(o) = trade_policy(ui, &view, &mut form) {
                    out = Some(o);
                }
            });
            // Two "full" buttons: China's row first, then Russia's.
            let fulls: Vec<_> = harness.query_all_by_label("full").collect();
            assert_eq!(fulls.len(), 2);
            fulls[0].click();
            harness.run();
        }
        let current = view.relations.sanctions[0][1];
        if current != SanctionsLevel::Full {
            assert_eq!(
                out,
                Some(Order::SetSanctions {
                    on: PowerId::China,
                    level: SanctionsLevel::Full
                })
            );
        }
    }

    #[test]
    fn incoming_deals_can_be_accepted_from_the_diplomacy_panel() {
        let level = crate::level::bundled("classroom").unwrap();
        let mut game = Game::new(&level, 5);
        game.submit(
            PowerId::China,
            Order::ProposeDeal {
                to: PowerId::Us,
                terms: vec![crate::rules::deals::Term::Payment {
                    from: PowerId::China,
                    to: PowerId::Us,
                    amount: 0.1,
                }],
            },
        )
        .unwrap();
        game.end_turn();
        let view = game.view(PowerId::Us);
        let id = view
            .proposals
            .iter()
            .find(|p| p.deal.to == PowerId::Us)
            .expect("the proposal reached the US")
            .id;
        let order = click(|ui| diplomacy(ui, &view).0, "Accept");
        assert_eq!(
            order,
            Some(Order::RespondToDeal {
                proposal: id,
                response: Response::Accept
            })
        );
    }
}
