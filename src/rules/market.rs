//! Clearing one good's market: sellers with limit offers, buyers with limit
//! bids, and the links between them (who may buy from whom, how much of a
//! flow gets through, and the landed price factor of tariffs and detours).
//!
//! Each seller has its own price. A buyer spreads its demand over the sellers
//! it can reach, leaning to the cheapest landed price; the part a link blocks
//! (licences, sanctions) turns to the buyer's fully open links. Prices move
//! until every seller sells what it offers at its price, within the bounds
//! traders' stocks allow in a quarter. The search and the settlement use the
//! same fill functions, so a limit is never crossed and the result does not
//! jump between a smooth search and a hard settlement.
//!
//! Pure arithmetic, no ECS: the trade phase builds a [`Clearing`] per good.

/// A quantity offered or wanted with a price limit ($/kg).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limit {
    pub qty: f64,
    pub price: f64,
}

/// Width of the ramp over which a limit order fills, as a share of its limit.
const RAMP: f64 = 0.05;

/// Share of a sell limit filled at `price`: nothing at or below the limit,
/// all of it a little above.
fn sell_fill(price: f64, limit: f64) -> f64 {
    ramp(price - limit, RAMP * limit.max(1e-9))
}

/// Share of a buy limit filled at `price`: all of it a little below the
/// limit, nothing at or above.
fn buy_fill(price: f64, limit: f64) -> f64 {
    ramp(limit - price, RAMP * limit.max(1e-9))
}

/// `smoothstep(gap / width)` for a positive `width`, without the division
/// where its result is known: nothing at or below zero, all from `width` up
/// (then `gap / width` is at least 1). The same value in every case (an
/// infinite width, from an infinite limit, divides as before).
#[inline]
fn ramp(gap: f64, width: f64) -> f64 {
    if !width.is_finite() {
        smoothstep(gap / width)
    } else if gap <= 0.0 {
        0.0
    } else if gap >= width {
        1.0
    } else {
        smoothstep(gap / width)
    }
}

fn smoothstep(x: f64) -> f64 {
    if x <= 0.0 {
        0.0
    } else if x >= 1.0 {
        1.0
    } else {
        x * x * (3.0 - 2.0 * x)
    }
}

/// A seller of one good.
#[derive(Clone, Debug, Default)]
pub struct Seller {
    pub offers: Vec<Limit>,
    /// Price at the start of the search (last quarter's) and its bounds this quarter.
    pub price: f64,
    pub lo: f64,
    pub hi: f64,
}

impl Seller {
    pub fn offered(&self, price: f64) -> f64 {
        self.offers
            .iter()
            .map(|l| l.qty * sell_fill(price, l.price))
            .sum()
    }
    pub fn total(&self) -> f64 {
        self.offers.iter().map(|l| l.qty).sum()
    }
}

/// A buyer of one good.
#[derive(Clone, Debug, Default)]
pub struct Buyer {
    pub bids: Vec<Limit>,
}

impl Buyer {
    pub fn wanted(&self, price: f64) -> f64 {
        self.bids
            .iter()
            .map(|l| l.qty * buy_fill(price, l.price))
            .sum()
    }
    pub fn total(&self) -> f64 {
        self.bids.iter().map(|l| l.qty).sum()
    }
}

/// Who may buy from whom.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Link {
    pub buyer: usize,
    pub seller: usize,
    /// Share of the flow the buyer directs here that gets through (0..=1).
    pub reach: f64,
    /// Landed price = seller's price × this (tariffs, detours, discounts).
    pub landed: f64,
}

/// One good's market for one quarter.
#[derive(Clone, Debug, Default)]
pub struct Clearing {
    pub sellers: Vec<Seller>,
    pub buyers: Vec<Buyer>,
    /// Sorted by buyer.
    pub links: Vec<Link>,
}

/// The settled market.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Settlement {
    /// Each seller's price.
    pub price: Vec<f64>,
    /// kt traded on each link (same order as `Clearing::links`).
    pub flow: Vec<f64>,
    /// kt each seller sold.
    pub sold: Vec<f64>,
    /// What each buyer paid on average per kg, landed (0 when it bought nothing).
    pub paid: Vec<f64>,
    /// The landed price each buyer faced (its weighted best offer).
    pub faced: Vec<f64>,
}

/// What a search keeps while prices move: each buyer's run of links
/// (`buyer, start, end`), each seller's capacity, which links lead to a
/// seller with something to sell, and each such link's landed price.
#[derive(Default)]
struct Plan {
    groups: Vec<(usize, usize, usize)>,
    capacity: Vec<f64>,
    usable: Vec<bool>,
    landed: Vec<f64>,
}

impl Plan {
    fn fill(&mut self, c: &Clearing) {
        self.capacity.clear();
        self.capacity.extend(c.sellers.iter().map(Seller::total));
        self.groups.clear();
        let mut i = 0;
        while i < c.links.len() {
            let b = c.links[i].buyer;
            let mut j = i;
            while j < c.links.len() && c.links[j].buyer == b {
                j += 1;
            }
            self.groups.push((b, i, j));
            i = j;
        }
        let capacity = &self.capacity;
        self.usable.clear();
        self.usable.extend(
            c.links
                .iter()
                .map(|l| l.reach > 0.0 && capacity[l.seller] > 1e-9),
        );
        self.landed.clear();
        self.landed.resize(c.links.len(), 0.0);
    }
}

/// Room a search works in, kept between searches so a market cleared every
/// quarter does not ask for memory each time.
#[derive(Default)]
pub struct SolveWork {
    plan: Plan,
    offered: Vec<f64>,
    demand: Vec<f64>,
    gain: Vec<f64>,
    last_sign: Vec<i8>,
    bracket: Vec<(f64, f64)>,
    bought: Vec<f64>,
}

/// `v` as `n` copies of `x`, in the memory it has.
fn reset<T: Clone>(v: &mut Vec<T>, n: usize, x: T) {
    v.clear();
    v.resize(n, x);
}

/// How strongly buyers lean to the cheapest landed price (an exponent).
const PREFERENCE: i32 = 8;
const ITERATIONS: usize = 48;
/// Relative excess demand at which a seller's price counts as cleared.
const TOLERANCE: f64 = 0.004;

impl Clearing {
    /// Demand on each link at `price`, and each buyer's faced price. Buyers
    /// weigh sellers by all they could offer (`capacity`), so a seller whose
    /// price is below its limits still draws the demand that raises it.
    /// `plan` holds what does not change while prices move.
    fn flows(&self, plan: &mut Plan, price: &[f64], flow: &mut [f64], faced: &mut [f64]) {
        let Plan {
            groups,
            capacity,
            usable,
            landed,
        } = plan;
        for ((l, u), p) in self.links.iter().zip(usable.iter()).zip(landed.iter_mut()) {
            if *u {
                *p = price[l.seller] * l.landed;
            }
        }
        for &(b, i, j) in groups.iter() {
            let links = &self.links[i..j];
            let usable = &usable[i..j];
            let landed = &landed[i..j];
            let flow = &mut flow[i..j];
            // The cheapest landed price among sellers with something to sell.
            let mut best = f64::INFINITY;
            for (u, p) in usable.iter().zip(landed) {
                if *u {
                    best = best.min(*p);
                }
            }
            flow.fill(0.0);
            if !best.is_finite() {
                continue;
            }
            let mut wsum = 0.0;
            let mut eff = 0.0;
            let mut weights = [0.0f64; 32];
            for (k, ((l, u), p)) in links.iter().zip(usable).zip(landed).enumerate() {
                if *u {
                    let w = capacity[l.seller] * (best / p).powi(PREFERENCE);
                    if k < weights.len() {
                        weights[k] = w;
                    }
                    wsum += w;
                    eff += w * p;
                }
            }
            if wsum > 0.0 {
                eff /= wsum;
                faced[b] = eff;
                let want = self.buyers[b].wanted(eff);
                // Licences and sanctions let part of a flow through; the
                // rest turns to the buyer's fully open links, if any.
                let mut blocked = 0.0;
                let mut open = 0.0;
                for (k, (l, f)) in links.iter().zip(flow.iter_mut()).enumerate() {
                    let w = weights[k.min(weights.len() - 1)];
                    let d = want * w / wsum;
                    *f = d * l.reach;
                    blocked += d * (1.0 - l.reach);
                    if l.reach >= 1.0 {
                        open += w;
                    }
                }
                if blocked > 0.0 && open > 0.0 {
                    for (k, (l, f)) in links.iter().zip(flow.iter_mut()).enumerate() {
                        if l.reach >= 1.0 {
                            *f += blocked * weights[k.min(weights.len() - 1)] / open;
                        }
                    }
                }
            }
        }
    }

    /// Find prices and settle.
    pub fn solve(&self) -> Settlement {
        let mut out = Settlement::default();
        self.solve_into(&mut SolveWork::default(), &mut out);
        out
    }

    /// [`Clearing::solve`] into `out`, working in `work`: the same result,
    /// in memory kept from the last search.
    pub fn solve_into(&self, work: &mut SolveWork, out: &mut Settlement) {
        debug_assert!(self.links.windows(2).all(|w| w[0].buyer <= w[1].buyer));
        debug_assert!(self.links.len() <= 32 * self.buyers.len().max(1));
        let n = self.sellers.len();
        let SolveWork {
            plan,
            offered,
            demand,
            gain,
            last_sign,
            bracket,
            bought,
        } = work;
        let Settlement {
            price,
            flow,
            sold,
            paid,
            faced,
        } = out;
        price.clear();
        price.extend(self.sellers.iter().map(|s| s.price.clamp(s.lo, s.hi)));
        reset(offered, n, 0.0);
        plan.fill(self);
        reset(flow, self.links.len(), 0.0);
        reset(faced, self.buyers.len(), 0.0);
        reset(demand, n, 0.0);
        reset(gain, n, 0.3f64);
        reset(last_sign, n, 0i8);
        // Each seller's price is kept inside a bracket known to hold its
        // clearing price (excess demand below it, excess supply above), so
        // steep offer curves cannot make it oscillate.
        bracket.clear();
        bracket.extend(self.sellers.iter().map(|s| (s.lo, s.hi)));
        for iter in 0..=ITERATIONS {
            for (o, s) in self.sellers.iter().enumerate() {
                offered[o] = s.offered(price[o]);
            }
            self.flows(plan, price, flow, faced);
            if iter == ITERATIONS {
                break;
            }
            demand.iter_mut().for_each(|d| *d = 0.0);
            for (l, f) in self.links.iter().zip(flow.iter()) {
                demand[l.seller] += f;
            }
            let mut settled = true;
            for o in 0..n {
                let (d, s) = (demand[o], offered[o]);
                let excess = d - s;
                let scale = d.max(s).max(1e-4);
                let seller = &self.sellers[o];
                let pinned = (price[o] <= seller.lo && excess < 0.0)
                    || (price[o] >= seller.hi && excess > 0.0);
                if excess.abs() / scale < TOLERANCE || pinned {
                    continue;
                }
                let (blo, bhi) = &mut bracket[o];
                if excess > 0.0 {
                    *blo = price[o];
                    // Other sellers moved: the price may lie above the bracket.
                    if *bhi <= price[o] * (1.0 + 1e-9) {
                        *bhi = (price[o] * 1.5).min(seller.hi);
                    }
                } else {
                    *bhi = price[o];
                    if *blo >= price[o] * (1.0 - 1e-9) {
                        *blo = (price[o] / 1.5).max(seller.lo);
                    }
                }
                if *bhi / *blo < 1.0 + 1e-4 {
                    continue;
                }
                settled = false;
                // Tâtonnement with a gain that grows while the excess keeps
                // its sign and halves when it overshoots.
                let sign = if excess > 0.0 { 1 } else { -1 };
                if last_sign[o] == sign {
                    gain[o] = (gain[o] * 1.4).min(2.0);
                } else if last_sign[o] != 0 {
                    gain[o] *= 0.5;
                }
                last_sign[o] = sign;
                let ratio = (d + 1e-6) / (s + 1e-6);
                let step = ratio.powf(gain[o]).clamp(0.7, 1.4);
                let next = price[o] * step;
                price[o] = if next > *blo && next < *bhi {
                    next
                } else {
                    (*blo * *bhi).sqrt()
                };
            }
            if settled {
                break;
            }
        }
        // Settle: each seller sells at most what it offers at its price;
        // buyers on an oversold seller are rationed pro rata.
        reset(sold, n, 0.0);
        for (l, f) in self.links.iter().zip(flow.iter()) {
            sold[l.seller] += f;
        }
        for o in 0..n {
            if sold[o] > offered[o] + 1e-12 {
                let fill = if sold[o] > 0.0 {
                    offered[o] / sold[o]
                } else {
                    0.0
                };
                for (l, f) in self.links.iter().zip(flow.iter_mut()) {
                    if l.seller == o {
                        *f *= fill;
                    }
                }
                sold[o] = offered[o];
            }
        }
        reset(paid, self.buyers.len(), 0.0);
        reset(bought, self.buyers.len(), 0.0);
        for (l, f) in self.links.iter().zip(flow.iter()) {
            paid[l.buyer] += f * price[l.seller] * l.landed;
            bought[l.buyer] += f;
        }
        for (p, q) in paid.iter_mut().zip(bought.iter()) {
            *p = if *q > 1e-12 { *p / q } else { 0.0 };
        }
    }
}

/// Bids for a need of `qty` with short-run elasticity `elasticity` around a
/// reference price: all of it is bought at the reference, and at `m` times
/// the reference `m^-elasticity` of it; what is left is bought up to `cap`.
pub fn demand_curve(qty: f64, reference: f64, elasticity: f64, cap: f64, out: &mut Vec<Limit>) {
    if qty <= 1e-12 {
        return;
    }
    const MULTIPLES: [f64; 6] = [1.0, 1.5, 2.5, 4.0, 7.0, 12.0];
    let cap = cap.max(reference);
    let mut held = 1.0;
    for w in MULTIPLES.windows(2) {
        let next = w[1].powf(-elasticity);
        let price = (reference * w[1]).min(cap);
        out.push(Limit {
            qty: qty * (held - next),
            price,
        });
        held = next;
    }
    out.push(Limit {
        qty: qty * held,
        price: cap,
    });
}

/// Offers of a stock of `qty` that holders release as the price rises: a
/// share at `floor`, more as the price climbs to twice it.
pub fn supply_curve(qty: f64, floor: f64, elasticity: f64, out: &mut Vec<Limit>) {
    if qty <= 1e-12 {
        return;
    }
    const MULTIPLES: [f64; 4] = [1.0, 1.25, 1.6, 2.0];
    // At the floor `held` of the stock is still kept back.
    let mut released = 0.0;
    for m in MULTIPLES {
        let share = (m / 2.0).powf(elasticity * 4.0).min(1.0);
        out.push(Limit {
            qty: qty * (share - released),
            price: floor * m,
        });
        released = share;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn market(supply: f64, demand: f64) -> Clearing {
        let mut bids = Vec::new();
        demand_curve(demand, 100.0, 0.3, 2000.0, &mut bids);
        Clearing {
            sellers: vec![Seller {
                offers: vec![Limit {
                    qty: supply,
                    price: 50.0,
                }],
                price: 100.0,
                lo: 50.0,
                hi: 250.0,
            }],
            buyers: vec![Buyer { bids }],
            links: vec![Link {
                buyer: 0,
                seller: 0,
                reach: 1.0,
                landed: 1.0,
            }],
        }
    }

    #[test]
    fn scarcity_raises_the_price_and_rations_within_the_quarter_bounds() {
        let plenty = market(10.0, 5.0).solve();
        let short = market(2.0, 5.0).solve();
        assert!(short.price[0] > plenty.price[0]);
        assert!(short.price[0] <= 250.0 + 1e-9);
        assert!(short.sold[0] <= 2.0 + 1e-9);
        assert!((plenty.sold[0] - 5.0).abs() < 0.1, "{plenty:?}");
    }

    #[test]
    fn limits_are_never_crossed() {
        let s = market(3.0, 5.0).solve();
        for (l, f) in s.flow.iter().enumerate() {
            if *f > 0.0 {
                assert!(s.price[l] >= 50.0);
            }
        }
        // A buyer pays no more than its dearest bid.
        assert!(s.paid[0] <= 2000.0);
    }

    #[test]
    fn a_blocked_link_turns_demand_to_open_sellers() {
        let mut c = market(10.0, 5.0);
        c.sellers.push(Seller {
            offers: vec![Limit {
                qty: 10.0,
                price: 50.0,
            }],
            price: 100.0,
            lo: 50.0,
            hi: 250.0,
        });
        c.links[0].reach = 0.2;
        c.links.push(Link {
            buyer: 0,
            seller: 1,
            reach: 1.0,
            landed: 1.0,
        });
        let s = c.solve();
        assert!(s.flow[0] < s.flow[1], "{s:?}");
        assert!((s.flow[0] + s.flow[1] - 5.0).abs() < 0.2, "{s:?}");
    }

    /// The market keeps its search's memory between quarters: a search in
    /// memory a bigger, different market used ends as a fresh one does.
    #[test]
    fn a_search_in_used_memory_ends_as_a_fresh_one() {
        let mut big = market(2.0, 5.0);
        big.sellers.push(big.sellers[0].clone());
        big.buyers.push(big.buyers[0].clone());
        big.links.push(Link {
            buyer: 1,
            seller: 1,
            reach: 0.5,
            landed: 1.2,
        });
        let mut work = SolveWork::default();
        let mut out = Settlement::default();
        big.solve_into(&mut work, &mut out);
        assert_eq!(out, big.solve());
        let small = market(10.0, 5.0);
        small.solve_into(&mut work, &mut out);
        assert_eq!(out, small.solve());
        assert_eq!(out.price.len(), 1);
    }

    #[test]
    fn curves_hold_the_whole_quantity() {
        let mut d = Vec::new();
        demand_curve(3.0, 10.0, 0.4, 80.0, &mut d);
        assert!((d.iter().map(|l| l.qty).sum::<f64>() - 3.0).abs() < 1e-9);
        assert!(d.iter().all(|l| l.price >= 10.0 && l.price <= 80.0));
        let mut s = Vec::new();
        supply_curve(3.0, 10.0, 0.3, &mut s);
        assert!((s.iter().map(|l| l.qty).sum::<f64>() - 3.0).abs() < 1e-9);
    }
}
