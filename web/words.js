// Names and plain-words descriptions of the host's values (powers, goods,
// orders, deal terms). Only words: every figure comes from the host.

export const POWERS = ['us', 'china', 'russia'];
export const POWER_NAME = { us: 'United States', china: 'China', russia: 'Russia' };
// A short tag shown beside every power colour, so nobody needs the colour.
export const POWER_TAG = { us: 'US', china: 'CN', russia: 'RU' };
export const GOODS = ['Concentrate', 'LightOxides', 'HeavyOxides', 'Magnets'];
export const GOOD_NAME = {
  Concentrate: 'ore concentrate', LightOxides: 'light oxides (NdPr)',
  HeavyOxides: 'heavy oxides (Dy/Tb)', Magnets: 'magnets',
};
export const GOOD_SHORT = { Concentrate: 'Ore', LightOxides: 'NdPr', HeavyOxides: 'Dy/Tb', Magnets: 'Magnets' };
export const KIND_NAME = { Mine: 'mine', SeparationPlant: 'separation plant', MagnetPlant: 'magnet plant' };
export const KIND_KEY = { Mine: 'mine', SeparationPlant: 'separation_plant', MagnetPlant: 'magnet_plant' };
export const STAGE_NAME = {
  Planned: 'planned', Permitting: 'permitting', Construction: 'under construction',
  Operating: 'operating', Idle: 'idle', Damaged: 'damaged',
};
export const RESEARCH_NAME = { Recycling: 'recycling', Substitution: 'substitution', Processing: 'processing' };
export const LEVEL_NAME = { None: 'none', Licensing: 'licensing', Embargo: 'embargo', Targeted: 'targeted', Full: 'full' };
export const POSTURE_NAME = { Escalate: 'escalate', Hold: 'hold', DeEscalate: 'de-escalate' };
export const STANCE_NAME = { SupportRussia: 'support Russia', Neutral: 'neutral', Mediate: 'mediate' };
export const WAR_NAME = { Active: 'active', Ceasefire: 'in ceasefire', Peace: 'over: peace' };

export function powerIndex(p) { return POWERS.indexOf(p); }
export function others(p) { return POWERS.filter((q) => q !== p); }
export function originName(o) {
  if (o === 'Outside') return 'outside buyers';
  if (o && o.Power) return POWER_NAME[o.Power];
  return String(o);
}
export function bn(v) { return `$${num(v, 2)} bn`; }
export function num(v, digits = 1) {
  if (typeof v !== 'number' || !Number.isFinite(v)) return '–';
  return v.toFixed(digits);
}
export function pct(v, digits = 0) { return `${num(v * 100, digits)}%`; }
export function estimate(e, digits = 0) {
  if (!e) return '–';
  if (e.error === 0) return num(e.value, digits);
  // An estimate is shown as a range, never as the figure the host drew it from.
  const lo = e.value - Math.abs(e.value) * e.error;
  const hi = e.value + Math.abs(e.value) * e.error;
  if (num(lo, digits) === num(hi, digits)) return `≈${num(lo, digits)}`;
  return `≈${num(lo, digits)}–${num(hi, digits)}`;
}

/// An order as a sentence.
export function describeOrder(order, view) {
  if (typeof order === 'string') return order;
  const [kind, f] = Object.entries(order)[0] || ['?', {}];
  const place = (id) => {
    if (!view) return id;
    const all = [...view.public.deposits, ...view.public.sites, ...view.public.facilities, ...view.public.suppliers];
    const x = all.find((d) => d.id === id);
    return x ? x.name : id;
  };
  switch (kind) {
    case 'FundFacility': return `Fund a ${KIND_NAME[f.kind]} of ${num(f.capacity, 2)} kt at ${place(f.at)}`;
    case 'SpeedUp': return `Speed up ${place(f.facility)} with ${bn(f.amount)}`;
    case 'PermitReform': return `Permit reform for ${place(f.facility)}`;
    case 'SetIdle': return `${f.idle ? 'Idle' : 'Restart'} ${place(f.facility)}`;
    case 'Buy': return `Buy ${num(f.qty, 2)} kt of ${GOOD_NAME[f.good]} at up to $${num(f.max_price, 0)}/kg`;
    case 'Sell': return `Sell ${num(f.qty, 2)} kt of ${GOOD_NAME[f.good]} at no less than $${num(f.min_price, 0)}/kg`;
    case 'SetReserve': return `Keep a reserve of ${num(f.turns, 1)} turns of ${GOOD_NAME[f.good]}`;
    case 'SetTariff': return `Tariff on ${POWER_NAME[f.on]}: ${num(f.rate * 100, 0)}%`;
    case 'SetExportControl': return `Export controls on ${GOOD_NAME[f.good]} to ${originName(f.target)}: ${LEVEL_NAME[f.level]}`;
    case 'SetSanctions': return `Sanctions on ${POWER_NAME[f.on]}: ${LEVEL_NAME[f.level]}`;
    case 'ProposeDeal': return `Propose a deal to ${POWER_NAME[f.to]}: ${f.terms.map((t) => describeTerm(t, view)).join('; ')}`;
    case 'RespondToDeal': return `Answer proposal #${f.proposal}: ${describeResponse(f.response)}`;
    case 'CancelContract': return `Walk out of contract #${f.contract}`;
    case 'SetAid': return `Aid to Ukraine: level ${f.level}`;
    case 'SetPosture': return `Posture: ${POSTURE_NAME[f.posture]}`;
    case 'SetStance': return `Stance: ${STANCE_NAME[f.stance]}`;
    case 'FundResearch': return `Fund ${RESEARCH_NAME[f.field]} research with ${bn(f.amount)}`;
    case 'GatherIntelligence': return `Gather intelligence on ${POWER_NAME[f.target]}`;
    case 'SetExtraterritorial': return `Controls reach goods made abroad: ${f.on ? 'yes' : 'no'}`;
    case 'Offtake': return `Offtake of ${num(f.qty, 2)} kt of ${GOOD_NAME[f.good]} a quarter from ${place(f.supplier)} for ${f.turns} turns`;
    case 'DrawAlliedStockpile': return `Draw ${num(f.qty, 2)} kt of ${GOOD_NAME[f.good]} from ${place(f.supplier)}`;
    case 'PriceFloor': return `Price floor for ${GOOD_NAME[f.good]}: $${num(f.price, 0)}/kg for ${f.turns} turns`;
    default: return `${kind} ${JSON.stringify(f)}`;
  }
}

export function describeResponse(r) {
  if (r === 'Accept') return 'accept';
  if (r.Reject) return `reject${r.Reject.reason ? ` (“${r.Reject.reason}”)` : ''}`;
  if (r.Counter) return 'counter-proposal';
  return JSON.stringify(r);
}

/// A deal term as a sentence.
export function describeTerm(t, view) {
  if (t === 'Ceasefire') return 'Ceasefire in Ukraine';
  const [kind, f] = Object.entries(t)[0];
  const P = (p) => POWER_NAME[p] || p;
  switch (kind) {
    case 'Supply': return `${P(f.seller)} supplies ${P(f.buyer)} ${num(f.qty, 2)} kt of ${GOOD_NAME[f.good]} a quarter at $${num(f.price, 0)}/kg for ${f.turns} turns`;
    case 'Payment': return `${P(f.from)} pays ${P(f.to)} ${bn(f.amount)}`;
    case 'TariffCut': return `${P(f.by)} cuts its tariff on ${P(f.on)} to ${num(f.rate * 100, 0)}% for ${f.turns} turns`;
    case 'ExportControlRelief': return `${P(f.by)} eases export controls on ${GOOD_NAME[f.good]} for ${P(f.target)} to ${LEVEL_NAME[f.level]} for ${f.turns} turns`;
    case 'SanctionsRelief': return `${P(f.by)} eases sanctions on ${P(f.on)} to ${LEVEL_NAME[f.level]} for ${f.turns} turns`;
    case 'JointVenture': {
      const all = view ? [...view.public.deposits, ...view.public.sites] : [];
      const at = (all.find((d) => d.id === f.at) || { name: f.at }).name;
      return `${P(f.investor)} invests in a ${KIND_NAME[f.kind]} of ${num(f.capacity, 2)} kt at ${at} (${num(f.investor_share * 100, 0)}% share)`;
    }
    case 'Peace': return `Peace in Ukraine${f.security_guarantees ? ', with security guarantees' : ''}`;
    case 'AidCap': return `US aid to Ukraine capped at level ${f.level} for ${f.turns} turns`;
    default: return `${kind} ${JSON.stringify(f)}`;
  }
}
