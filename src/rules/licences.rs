//! Export licences: how much of a flow an exporter's controls let through to
//! each destination, and how that share rises quarter by quarter as licences
//! are granted (MOFCOM Announcement No. 18 of April 2025 applied to every
//! destination; China's magnet exports fell 74% in May 2025 and began to
//! recover in June). One home for the rule: trade, the views and the AI read
//! these functions.

use bevy::prelude::*;

use super::TurnPhase;
use super::components::OutsideSupplier;
use super::params::LicensingParams;
use super::resources::*;
use super::types::*;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        super::TurnSchedule,
        advance_licences
            .in_set(TurnPhase::Trade)
            .before(super::trade::deliver_contracts),
    );
}

/// Share of a flow that gets through a control at `level`, `age` quarters
/// into licensing, to `to`.
pub fn control_pass(params: &LicensingParams, level: ExportLevel, to: Origin, age: u32) -> f64 {
    match level {
        ExportLevel::None => 1.0,
        ExportLevel::Licensing => params.pass(to, age.max(1)),
        ExportLevel::Embargo => 0.0,
    }
}

/// Share of `from`'s exports of `good` that may reach `to` (a power or all
/// outside buyers) under its controls this quarter.
pub fn export_pass(
    relations: &Relations,
    params: &LicensingParams,
    from: PowerId,
    to: Origin,
    good: Good,
) -> f64 {
    control_pass(
        params,
        relations.export_control_to(from, to, good),
        to,
        relations.licence_age(from, to, good),
    )
}

/// The control `from` applies to one outside buyer: the stricter of its
/// controls on all outside buyers and on this one.
pub fn control_on_buyer(
    relations: &Relations,
    buyer: &OutsideSupplier,
    from: PowerId,
    good: Good,
) -> (ExportLevel, u32) {
    let general = relations.export_control_to(from, Origin::Outside, good);
    let own = buyer.controls[from.index()][good];
    if own > general {
        (own, buyer.licence_age[from.index()][good])
    } else {
        (general, relations.licence_age(from, Origin::Outside, good))
    }
}

/// Share of `from`'s exports of `good` that may reach one outside buyer.
pub fn export_pass_to_buyer(
    relations: &Relations,
    params: &LicensingParams,
    buyer: &OutsideSupplier,
    from: PowerId,
    good: Good,
) -> f64 {
    let (level, age) = control_on_buyer(relations, buyer, from, good);
    control_pass(params, level, Origin::Outside, age)
}

/// Share of a flow blocked by `from`'s controls to `to` that still arrives
/// through third countries: re-export, until an extraterritorial rule closes it.
pub fn leakage(
    relations: &Relations,
    params: &LicensingParams,
    from: PowerId,
    to: PowerId,
    good: Good,
) -> f64 {
    if relations.extraterritorial[from.index()] {
        return 0.0;
    }
    let direct = export_pass(relations, params, from, Origin::Power(to), good);
    let via = export_pass(relations, params, from, Origin::Outside, good);
    (params.leakage * (via - direct)).max(0.0)
}

/// Licences granted so far: each quarter a control stays at licensing, its
/// age grows by one (so the pass rate rises); any other level resets it.
pub(crate) fn advance_licences(
    mut relations: ResMut<Relations>,
    mut buyers: Query<&mut OutsideSupplier>,
) {
    let rel = &mut *relations;
    for from in PowerId::ALL {
        for to in Origin::ALL {
            for good in Good::ALL {
                let level = rel.export_control_to(from, to, good);
                let age = &mut rel.licence_age[from.index()][to.index()][good];
                *age = if level == ExportLevel::Licensing {
                    age.saturating_add(1)
                } else {
                    0
                };
            }
        }
    }
    for mut b in &mut buyers {
        for from in PowerId::ALL {
            for good in Good::ALL {
                let level = b.controls[from.index()][good];
                let age = &mut b.licence_age[from.index()][good];
                *age = if level == ExportLevel::Licensing {
                    age.saturating_add(1)
                } else {
                    0
                };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn licences_let_more_through_each_quarter() {
        let p = LicensingParams::default();
        let to = Origin::Power(PowerId::Us);
        let first = control_pass(&p, ExportLevel::Licensing, to, 1);
        let later = control_pass(&p, ExportLevel::Licensing, to, 3);
        assert!((first - p.first_pass.us).abs() < 1e-12);
        assert!(later > first && later <= p.max_pass.us);
        assert_eq!(control_pass(&p, ExportLevel::Embargo, to, 5), 0.0);
        assert_eq!(control_pass(&p, ExportLevel::None, to, 0), 1.0);
    }
}
