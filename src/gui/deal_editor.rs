//! The deal editor: compose a package of terms for one other power, or a
//! counter-offer to a deal on the table. The rules check the package when it
//! is proposed; the answer comes next turn with its reason.

use bevy_egui::egui::{self, RichText, Ui};

use super::theme;
use crate::rules::deals::{Response, Term};
use crate::rules::orders::{Order, limits};
use crate::rules::types::*;
use crate::rules::view::PowerView;

/// The kinds of term the editor offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TermKind {
    Supply,
    Payment,
    TariffCut,
    ExportControlRelief,
    SanctionsRelief,
    JointVenture,
    Ceasefire,
    Peace,
    AidCap,
}

impl TermKind {
    pub const ALL: [TermKind; 9] = [
        TermKind::Supply,
        TermKind::Payment,
        TermKind::TariffCut,
        TermKind::ExportControlRelief,
        TermKind::SanctionsRelief,
        TermKind::JointVenture,
        TermKind::Ceasefire,
        TermKind::Peace,
        TermKind::AidCap,
    ];

    pub fn label(self) -> &'static str {
        match self {
            TermKind::Supply => "Supply contract",
            TermKind::Payment => "Payment",
            TermKind::TariffCut => "Tariff cut",
            TermKind::ExportControlRelief => "Ease export controls",
            TermKind::SanctionsRelief => "Ease sanctions",
            TermKind::JointVenture => "Joint venture",
            TermKind::Ceasefire => "Ceasefire in Ukraine",
            TermKind::Peace => "Peace in Ukraine",
            TermKind::AidCap => "Cap US aid to Ukraine",
        }
    }

    /// War terms are between the US and Russia only.
    fn offered(self, a: PowerId, b: PowerId) -> bool {
        let us_russia = (a == PowerId::Us && b == PowerId::Russia)
            || (a == PowerId::Russia && b == PowerId::Us);
        match self {
            TermKind::Ceasefire | TermKind::Peace | TermKind::AidCap => us_russia,
            _ => true,
        }
    }
}

/// The term being filled in.
#[derive(Clone, Debug, PartialEq)]
pub struct TermForm {
    pub kind: TermKind,
    /// The viewer gives (sells, pays, cuts, eases, invests) when true.
    pub we_give: bool,
    pub good: Good,
    pub qty: f64,
    pub price: f64,
    pub turns: u32,
    pub amount: f64,
    pub rate: f64,
    pub export_level: ExportLevel,
    pub sanctions_level: SanctionsLevel,
    pub at: String,
    pub facility: FacilityKind,
    pub capacity: f64,
    pub share: f64,
    pub guarantees: bool,
    pub aid: u8,
}

impl Default for TermForm {
    fn default() -> Self {
        TermForm {
            kind: TermKind::Supply,
            we_give: false,
            good: Good::LightOxides,
            qty: 0.2,
            price: 60.0,
            turns: 8,
            amount: 0.5,
            rate: 0.0,
            export_level: ExportLevel::None,
            sanctions_level: SanctionsLevel::Targeted,
            at: String::new(),
            facility: FacilityKind::Mine,
            capacity: 1.0,
            share: 0.5,
            guarantees: true,
            aid: 1,
        }
    }
}

impl TermForm {
    /// The term as filled in, between the viewer `me` and `other`.
    pub fn term(&self, me: PowerId, other: PowerId) -> Term {
        let (giver, taker) = if self.we_give {
            (me, other)
        } else {
            (other, me)
        };
        match self.kind {
            TermKind::Supply => Term::Supply {
                seller: giver,
                buyer: taker,
                good: self.good,
                qty: self.qty,
                price: self.price,
                turns: self.turns,
            },
            TermKind::Payment => Term::Payment {
                from: giver,
                to: taker,
                amount: self.amount,
            },
            TermKind::TariffCut => Term::TariffCut {
                by: giver,
                on: taker,
                rate: self.rate / 100.0,
                turns: self.turns,
            },
            TermKind::ExportControlRelief => Term::ExportControlRelief {
                by: giver,
                target: taker,
                good: self.good,
                level: self.export_level,
                turns: self.turns,
            },
            TermKind::SanctionsRelief => Term::SanctionsRelief {
                by: giver,
                on: taker,
                level: self.sanctions_level,
                turns: self.turns,
            },
            TermKind::JointVenture => Term::JointVenture {
                investor: giver,
                at: self.at.clone(),
                kind: self.facility,
                capacity: self.capacity,
                investor_share: self.share,
            },
            TermKind::Ceasefire => Term::Ceasefire,
            TermKind::Peace => Term::Peace {
                security_guarantees: self.guarantees,
            },
            TermKind::AidCap => Term::AidCap {
                level: self.aid,
                turns: self.turns,
            },
        }
    }
}

/// A deal being composed.
#[derive(Clone, Debug, PartialEq)]
pub struct DealDraft {
    pub to: PowerId,
    pub terms: Vec<Term>,
    pub form: TermForm,
    /// Counter-offer to this proposal, instead of a new deal.
    pub counter_of: Option<u32>,
    pub reason: String,
}

impl DealDraft {
    pub fn new(to: PowerId) -> DealDraft {
        DealDraft {
            to,
            terms: Vec::new(),
            form: TermForm::default(),
            counter_of: None,
            reason: String::new(),
        }
    }

    /// A counter-offer starting from the terms on the table.
    pub fn counter(view: &PowerView, proposal: u32) -> Option<DealDraft> {
        let p = view.proposals.iter().find(|p| p.id == proposal)?;
        Some(DealDraft {
            to: p.deal.from,
            terms: p.deal.terms.clone(),
            form: TermForm::default(),
            counter_of: Some(proposal),
            reason: "We propose these terms instead.".into(),
        })
    }
}

/// What the editor asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum EditorOutcome {
    Send(Order),
    Close,
}

/// The editor as a plain function.
pub fn deal_editor(ui: &mut Ui, view: &PowerView, draft: &mut DealDraft) -> Option<EditorOutcome> {
    let mut out = None;
    let me = view.me.power.id;
    let other = draft.to;
    ui.horizontal(|ui| {
        ui.label(match draft.counter_of {
            Some(id) => format!("Counter-offer to proposal #{id} from"),
            None => "Deal with".into(),
        });
        ui.label(theme::power_name(other));
    });
    ui.separator();
    ui.label(RichText::new("Terms").strong());
    if draft.terms.is_empty() {
        ui.label(RichText::new("No terms yet: add some below.").color(theme::MUTED));
    }
    let mut remove = None;
    for (i, t) in draft.terms.iter().enumerate() {
        ui.horizontal_wrapped(|ui| {
            if ui
                .small_button("✖")
                .on_hover_text("Remove this term")
                .clicked()
            {
                remove = Some(i);
            }
            ui.label(t.to_string());
        });
    }
    if let Some(i) = remove {
        draft.terms.remove(i);
    }
    ui.separator();
    ui.label(RichText::new("Add a term").strong());
    let f = &mut draft.form;
    egui::ComboBox::from_label("kind of term")
        .selected_text(f.kind.label())
        .width(220.0)
        .show_ui(ui, |ui| {
            for k in TermKind::ALL.into_iter().filter(|k| k.offered(me, other)) {
                ui.selectable_value(&mut f.kind, k, k.label());
            }
        });
    let (give, take) = match f.kind {
        TermKind::Supply => ("We sell", "They sell"),
        TermKind::Payment => ("We pay", "They pay"),
        TermKind::TariffCut => ("We cut our tariff", "They cut theirs"),
        TermKind::ExportControlRelief => ("We ease our controls", "They ease theirs"),
        TermKind::SanctionsRelief => ("We ease our sanctions", "They ease theirs"),
        TermKind::JointVenture => ("We invest", "They invest"),
        _ => ("", ""),
    };
    if !give.is_empty() {
        ui.horizontal(|ui| {
            ui.selectable_value(&mut f.we_give, true, give);
            ui.selectable_value(&mut f.we_give, false, take);
        });
    }
    let goods = |ui: &mut Ui, good: &mut Good| {
        egui::ComboBox::from_id_salt("term-good")
            .selected_text(good.name())
            .show_ui(ui, |ui| {
                for g in Good::ALL {
                    ui.selectable_value(good, g, g.name());
                }
            });
    };
    egui::Grid::new("term-fields")
        .num_columns(2)
        .show(ui, |ui| {
            match f.kind {
                TermKind::Supply => {
                    ui.label("Good");
                    goods(ui, &mut f.good);
                    ui.end_row();
                    ui.label("kt per quarter");
                    ui.add(
                        egui::DragValue::new(&mut f.qty)
                            .range(0.01..=20.0)
                            .speed(0.01),
                    );
                    ui.end_row();
                    ui.label("Price $/kg");
                    ui.add(
                        egui::DragValue::new(&mut f.price).range(1.0..=limits::CONTRACT_PRICE.max),
                    );
                    ui.label(
                        RichText::new(format!("market {:.0}", view.market.price[f.good]))
                            .color(theme::MUTED),
                    );
                    ui.end_row();
                }
                TermKind::Payment => {
                    ui.label("US$ bn");
                    ui.add(
                        egui::DragValue::new(&mut f.amount)
                            .range(0.01..=50.0)
                            .speed(0.05),
                    );
                    ui.end_row();
                }
                TermKind::TariffCut => {
                    ui.label("Tariff down to %");
                    ui.add(
                        egui::DragValue::new(&mut f.rate)
                            .range(limits::TARIFF.min * 100.0..=limits::TARIFF.max * 100.0),
                    );
                    ui.end_row();
                }
                TermKind::ExportControlRelief => {
                    ui.label("Good");
                    goods(ui, &mut f.good);
                    ui.end_row();
                    ui.label("Controls at most");
                    ui.horizontal(|ui| {
                        for l in [ExportLevel::None, ExportLevel::Licensing] {
                            ui.selectable_value(&mut f.export_level, l, l.name());
                        }
                    });
                    ui.end_row();
                }
                TermKind::SanctionsRelief => {
                    ui.label("Sanctions at most");
                    ui.horizontal(|ui| {
                        for l in [SanctionsLevel::None, SanctionsLevel::Targeted] {
                            ui.selectable_value(&mut f.sanctions_level, l, l.name());
                        }
                    });
                    ui.end_row();
                }
                TermKind::JointVenture => {
                    ui.label("Where");
                    let host = if f.we_give { other } else { me };
                    let places: Vec<(String, String)> = view
                        .deposits
                        .iter()
                        .filter(|d| d.usable_by(host))
                        .map(|d| (d.id.to_string(), format!("{} (deposit)", d.name)))
                        .chain(
                            view.sites
                                .iter()
                                .filter(|s| s.usable_by(host))
                                .map(|s| (s.id.to_string(), format!("{} (site)", s.name))),
                        )
                        .collect();
                    let shown = places
                        .iter()
                        .find(|(id, _)| *id == f.at)
                        .map(|(_, n)| n.clone())
                        .unwrap_or_else(|| "choose…".into());
                    egui::ComboBox::from_id_salt("jv-at")
                        .selected_text(shown)
                        .width(220.0)
                        .show_ui(ui, |ui| {
                            for (id, name) in &places {
                                ui.selectable_value(&mut f.at, id.clone(), name);
                            }
                        });
                    ui.end_row();
                    ui.label("Facility");
                    ui.horizontal(|ui| {
                        for k in FacilityKind::ALL {
                            ui.selectable_value(&mut f.facility, k, k.name());
                        }
                    });
                    ui.end_row();
                    ui.label("kt per quarter");
                    ui.add(
                        egui::DragValue::new(&mut f.capacity)
                            .range(0.05..=20.0)
                            .speed(0.05),
                    );
                    ui.end_row();
                    ui.label("Investor's share");
                    ui.add(egui::Slider::new(
                        &mut f.share,
                        limits::INVESTOR_SHARE.min..=limits::INVESTOR_SHARE.max,
                    ));
                    ui.end_row();
                }
                TermKind::Peace => {
                    ui.label("");
                    ui.checkbox(&mut f.guarantees, "with security guarantees for Ukraine");
                    ui.end_row();
                }
                TermKind::AidCap => {
                    ui.label("US aid at most");
                    ui.add(egui::DragValue::new(&mut f.aid).range(0..=limits::AID.max as u8));
                    ui.end_row();
                }
                TermKind::Ceasefire => {}
            }
            if matches!(
                f.kind,
                TermKind::Supply
                    | TermKind::TariffCut
                    | TermKind::ExportControlRelief
                    | TermKind::SanctionsRelief
                    | TermKind::AidCap
            ) {
                ui.label("For turns");
                ui.add(
                    egui::DragValue::new(&mut f.turns)
                        .range(limits::DEAL_TURNS.min..=limits::DEAL_TURNS.max),
                );
                ui.end_row();
            }
        });
    if ui.button("Add term").clicked() {
        draft.terms.push(draft.form.term(me, other));
    }
    ui.separator();
    if draft.counter_of.is_some() {
        ui.horizontal(|ui| {
            ui.label("Your message:");
            ui.text_edit_singleline(&mut draft.reason);
        });
    }
    ui.horizontal(|ui| {
        let label = if draft.counter_of.is_some() {
            "Send counter-offer"
        } else {
            "Propose deal"
        };
        if ui
            .add_enabled(!draft.terms.is_empty(), egui::Button::new(label))
            .clicked()
        {
            let order = match draft.counter_of {
                Some(proposal) => Order::RespondToDeal {
                    proposal,
                    response: Response::Counter {
                        terms: draft.terms.clone(),
                        reason: draft.reason.clone(),
                    },
                },
                None => Order::ProposeDeal {
                    to: draft.to,
                    terms: draft.terms.clone(),
                },
            };
            out = Some(EditorOutcome::Send(order));
        }
        if ui.button("Close").clicked() {
            out = Some(EditorOutcome::Close);
        }
    });
    ui.label(
        RichText::new(
            "The other side answers next turn: accept, reject or counter, with a reason.",
        )
        .small()
        .color(theme::MUTED),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::Game;
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    #[test]
    fn a_two_term_deal_is_composed_by_clicks_and_accepted_by_the_rules() {
        let level = crate::level::bundled("classroom").unwrap();
        let mut game = Game::new(&level, 2);
        let view = game.view(PowerId::Us);
        let mut draft = DealDraft::new(PowerId::China);
        let mut out = None;
        {
            let mut harness = Harness::new_ui(|ui| {
                if let Some(o) = deal_editor(ui, &view, &mut draft) {
                    out = Some(o);
                }
            });
            // A supply contract with China selling to us, as the form starts.
            harness.get_by_label("Add term").click();
            harness.run();
            // Then a payment from us.
            harness.get_by_label("kind of term").click();
            harness.run();
            harness.get_by_label("Payment").click();
            harness.run();
            harness.get_by_label("We pay").click();
            harness.run();
            harness.get_by_label("Add term").click();
            harness.run();
            harness.get_by_label("Propose deal").click();
            harness.run();
        }
        let Some(EditorOutcome::Send(order)) = out else {
            panic!("no order: {out:?}")
        };
        let Order::ProposeDeal { to, terms } = &order else {
            panic!("not a proposal: {order:?}")
        };
        assert_eq!(*to, PowerId::China);
        assert!(matches!(
            terms[0],
            Term::Supply {
                seller: PowerId::China,
                buyer: PowerId::Us,
                ..
            }
        ));
        assert!(matches!(
            terms[1],
            Term::Payment {
                from: PowerId::Us,
                to: PowerId::China,
                ..
            }
        ));
        game.submit(PowerId::Us, order).expect("the rules take it");
    }

    #[test]
    fn war_terms_are_offered_only_between_the_us_and_russia() {
        assert!(TermKind::Ceasefire.offered(PowerId::Us, PowerId::Russia));
        assert!(!TermKind::Ceasefire.offered(PowerId::China, PowerId::Russia));
        assert!(TermKind::Supply.offered(PowerId::China, PowerId::Us));
    }
}
