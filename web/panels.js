// The board's panels, as in the window: each draws from the team's own view
// and gives back orders through ctx.order(o); the host's rules accept or
// refuse them, with the reason shown.

import {
  POWER_NAME, POWER_TAG, GOODS, GOOD_NAME, GOOD_SHORT, KIND_NAME, STAGE_NAME, RESEARCH_NAME,
  LEVEL_NAME, POSTURE_NAME, STANCE_NAME, WAR_NAME, others, powerIndex, bn, num, pct, estimate,
  describeOrder, describeTerm, describeResponse,
} from './words.js';
import { lineChart } from './charts.js';

/// A DOM element: attributes (on* are listeners), then children.
export function h(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'class') e.className = v;
    else if (k === 'value') e.value = v;
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

/// Replace an element's children; arrays nest as the panels build them.
export function fill(el, ...children) {
  el.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false)
    .map((c) => (c instanceof Node ? c : document.createTextNode(String(c)))));
}

export const TABS = [
  ['economy', 'Economy'], ['facilities', 'Facilities'], ['market', 'Market'],
  ['policy', 'Trade policy'], ['diplomacy', 'Diplomacy'], ['war', 'War'], ['orders', 'Orders'],
];

export const powerTag = (p) => h('span', { class: `power power-${p}` }, h('b', {}, POWER_TAG[p]), ` ${POWER_NAME[p]}`);
const help = (ctx, page) => h('button', { class: 'help', type: 'button', title: 'Explain (encyclopedia)', 'aria-label': `Explain: ${page}`, onclick: () => ctx.help(page) }, '?');
const section = (ctx, text, page) => h('h3', {}, text, page ? help(ctx, page) : null);
const muted = (text) => h('p', { class: 'muted' }, text);
const table = (head, rows) => h('table', {}, head ? h('thead', {}, h('tr', {}, head.map((c) => h('th', {}, c)))) : null,
  h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c) => h('td', {}, c))))));
const bar = (value, text) => h('div', { class: 'bar', role: 'progressbar', 'aria-valuenow': Math.round(value * 100), 'aria-valuemin': 0, 'aria-valuemax': 100 },
  h('div', { class: 'fill', style: `width:${Math.max(0, Math.min(1, value)) * 100}%` }), h('span', {}, text));

// What an outside producer can make of a good a quarter (as the rules' OutsideSupplier::capacity).
function producerCapacity(s, good) {
  return { Concentrate: s.mines, LightOxides: s.separation.light_oxides, HeavyOxides: s.separation.heavy_oxides, Magnets: s.magnet_plants }[good] ?? 0;
}

// The most a player may ask of a producer: its capacity for an offtake, its
// state stockpile for a release, whichever it grants the player. None for a
// producer that grants neither, so a click gets the rules' reason, not the
// browser's bound.
function producerMost(view, me, id, good) {
  const s = view.public.suppliers.find((x) => x.id === id);
  if (!s) return undefined;
  let most = 0;
  if (s.offtake_to.includes(me)) most = Math.max(most, producerCapacity(s, good));
  if (s.releases_to.includes(me)) most = Math.max(most, s.strategic[GOODS.indexOf(good)]);
  return most > 0 ? most : undefined;
}

// The producer's terms with the player, in the words of the window's panel.
function producerTerms(view, me, id, good) {
  const s = view.public.suppliers.find((x) => x.id === id);
  if (!s) return '';
  const terms = [s.offtake_to.includes(me)
    ? `signs offtakes with you up to ${num(producerCapacity(s, good), 2)} kt of ${GOOD_NAME[good]} a quarter (its capacity)`
    : 'does not sign offtakes with you'];
  if (s.releases_to.includes(me)) terms.push(`releases its state stockpile to you (${num(s.strategic[GOODS.indexOf(good)], 2)} kt of ${GOOD_NAME[good]} held)`);
  return `${s.name}: ${terms.join('; ')}.`;
}

/// A form whose fields live in ctx.forms[name], so a new view from the host
/// does not wipe what the team is typing; Enter submits it.
function form(ctx, name, defaults, build, submit) {
  const f = (ctx.forms[name] ||= { ...defaults });
  const field = (key, attrs = {}) => h('input', {
    ...attrs, name: key, value: f[key],
    oninput: (e) => { f[key] = attrs.type === 'number' ? Number(e.target.value) : e.target.value; },
  });
  const choose = (key, options, attrs = {}) => h('select', {
    ...attrs, name: key,
    rerender: undefined,
    onchange: (e) => { f[key] = e.target.value; if (attrs.rerender) ctx.redraw(); },
  }, options.map(([v, label]) => { const o = h('option', { value: v }, label); if (String(f[key]) === String(v)) o.selected = true; return o; }));
  return h('form', {
    class: 'row',
    onsubmit: (e) => { e.preventDefault(); const o = submit(f, e.submitter); if (o) ctx.order(o); },
  }, build(f, field, choose));
}

const goodOptions = GOODS.map((g) => [g, GOOD_NAME[g]]);

export function ownPrices(view) {
  return view.me.power.id === 'china' ? view.public.market.price_china : view.public.market.price;
}
export function otherPrices(view) {
  return view.me.power.id === 'china' ? view.public.market.price : view.public.market.price_china;
}
export function priceWorlds(p) { return p === 'china' ? ['in China', 'outside China'] : ['outside China', 'in China']; }

export function economy(ctx) {
  const { view } = ctx; const me = view.me; const l = me.finances.ledger;
  const rows = [['Budget income', l.income], ['Sales', l.sales], ['Purchases', l.purchases], ['Running costs', l.running_costs],
    ['Construction', l.construction], ['Tariff revenue', l.tariff_revenue], ['Research', l.research], ['Deals', l.deals],
    ['War', l.war], ['Storage', l.storage], ['Events and other', l.events + l.other]].filter(([, v]) => Math.abs(v) > 1e-6);
  const net = Object.values(l).reduce((a, b) => a + b, 0);
  return [
    section(ctx, "Last quarter's accounts (US$ bn)"),
    table(null, [...rows.map(([n, v]) => [n, `${v >= 0 ? '+' : ''}${num(v, 2)}`]), [h('b', {}, 'Net'), h('b', {}, `${net >= 0 ? '+' : ''}${num(net, 2)}`)]]),
    section(ctx, 'Industry', 'supply-security'),
    table(['', 'needs / quarter', 'met'], GOODS.filter((g, i) => me.industry.need[i] > 0).map((g) => {
      const i = GOODS.indexOf(g); return [GOOD_NAME[g], `${num(me.industry.need[i], 2)} kt`, pct(me.industry.met[i])];
    })),
    h('p', {}, `Supply security ${pct(me.industry.supply_security)} · stability ${num(me.politics.stability, 0)} of 100`),
    section(ctx, `Score ${num(ctx.figures.score, 0)}`),
    me.scorecard.objectives.map((o, i) => h('div', { class: 'objective' }, h('small', {}, o.description || JSON.stringify(o.kind)),
      bar(me.scorecard.progress[i], `${pct(me.scorecard.progress[i])} · ${num(o.weight, 0)} pts`))),
    section(ctx, 'Research', 'research'),
    Object.keys(RESEARCH_NAME).map((f, i) => bar(me.research.progress[i], `${RESEARCH_NAME[f]} ${pct(me.research.progress[i])}`)),
    form(ctx, 'research', { field: 'Recycling', amount: 0.5 }, (f, field, choose) => [
      choose('field', Object.entries(RESEARCH_NAME), { 'aria-label': 'Research field' }),
      h('label', {}, '$ bn ', field('amount', { type: 'number', min: 0.1, max: 5, step: 0.05, 'aria-label': 'Research money, US$ bn' })),
      h('button', { type: 'submit' }, 'Fund research'),
    ], (f) => ({ FundResearch: { field: f.field, amount: Number(f.amount) } })),
    section(ctx, 'The others (estimates unless you hold intelligence)'),
    table(['', 'treasury', 'capital', 'score', 'security', 'stability'], view.others.map((o) => [
      powerTag(o.id), estimate(o.treasury, 1), estimate(o.political_capital), estimate(o.score), pct(o.supply_security), num(o.stability, 0),
    ])),
    form(ctx, 'intel', { target: others(me.power.id)[0] }, (f, field, choose) => [
      choose('target', others(me.power.id).map((p) => [p, POWER_NAME[p]]), { 'aria-label': 'Intelligence target' }),
      h('button', { type: 'submit', title: 'Learn their exact treasury and stockpiles for a few turns.' }, `Gather intelligence (${bn(view.public.params.intel_cost)})`),
    ], (f) => ({ GatherIntelligence: { target: f.target } })),
  ];
}

export function facilityCard(ctx, f) {
  const { view } = ctx;
  const b = view.me.build;
  const key = { Mine: 'mine', SeparationPlant: 'separation_plant', MagnetPlant: 'magnet_plant' }[f.kind];
  let progress = 1;
  if (['Planned', 'Permitting', 'Construction'].includes(f.stage)) {
    const stageTurns = Math.max(1, (f.stage === 'Construction' ? b.construction_turns : b.permitting_turns)[key]);
    progress = (f.stage === 'Construction' ? 0.5 : 0) + 0.5 * (1 - Math.min(f.turns_left, stageTurns) / stageTurns);
  }
  const actions = [];
  if (f.stage === 'Construction') {
    actions.push(form(ctx, `speed-${f.id}`, { amount: 0.2 }, (x, field) => [
      h('label', {}, '$ bn ', field('amount', { type: 'number', min: 0.05, max: 5, step: 0.01, 'aria-label': `Speed-up money for ${f.name}` })),
      h('button', { type: 'submit' }, 'Speed up'),
    ], (x) => ({ SpeedUp: { facility: f.id, amount: Number(x.amount) } })));
  }
  if (f.stage === 'Planned' || f.stage === 'Permitting') {
    actions.push(h('button', { type: 'button', title: 'Cut permitting short. Risk of backlash.', onclick: () => ctx.order({ PermitReform: { facility: f.id } }) },
      `Permit reform (${num(view.public.params.permit_reform_cost, 0)} capital)`));
  }
  if (f.stage === 'Operating' || f.stage === 'Idle') {
    const idle = f.stage === 'Idle';
    actions.push(h('span', {}, `output ${num(f.output, 2)} kt last quarter `),
      h('button', { type: 'button', onclick: () => ctx.order({ SetIdle: { facility: f.id, idle: !idle } }) }, idle ? 'Restart' : 'Idle'));
  }
  return h('div', { class: 'card' },
    h('div', {}, h('b', {}, f.name), h('span', { class: 'muted' }, ` ${KIND_NAME[f.kind]} · ${num(f.capacity, 2)} kt/quarter`)),
    f.stage === 'Damaged'
      ? h('p', { class: 'bad' }, `damaged: ${f.turns_left} turns of repair left`)
      : bar(progress, `${STAGE_NAME[f.stage]}${f.turns_left ? `: ${f.turns_left} turn${f.turns_left === 1 ? '' : 's'} left in this stage` : ''}`),
    h('div', { class: 'row' }, actions));
}

export function facilities(ctx) {
  const { view } = ctx; const me = view.me.power.id;
  const mine = view.public.facilities.filter((f) => f.owner === me);
  const usable = (d) => d.controller === me || (d.controller == null && (d.open_to || []).includes(me));
  return [
    section(ctx, 'Your facilities', 'rare-earths'),
    mine.length ? mine.map((f) => facilityCard(ctx, f)) : muted('None yet. Pick a deposit or site on the map to build one.'),
    section(ctx, 'Where you can build', 'permitting'),
    h('ul', { class: 'places' },
      view.public.deposits.filter(usable).map((d) => h('li', {}, h('button', { type: 'button', class: 'link', onclick: () => ctx.fund(d) }, `Deposit: ${d.name} (${d.country})`), ` a mine of up to ${num(d.max_mine_capacity, 1)} kt`)),
      view.public.sites.filter(usable).map((s) => h('li', {}, h('button', { type: 'button', class: 'link', onclick: () => ctx.fund(s) }, `Site: ${s.name} (${s.country})`), ' plants'))),
    muted('Or click a place on the map to fund a facility there.'),
  ];
}

export function priceChart(view, goodIndex, width = 440) {
  const hist = view.public.history;
  const [own, other] = priceWorlds(view.me.power.id);
  const mineKey = view.me.power.id === 'china' ? 'price_china' : 'price';
  const otherKey = mineKey === 'price' ? 'price_china' : 'price';
  return lineChart({
    title: `${GOOD_NAME[GOODS[goodIndex]]}, $/kg`, width,
    series: [
      { name: own, color: 'var(--line1)', points: hist.map((t) => [t.turn, t[mineKey][goodIndex]]) },
      { name: other, color: 'var(--line2)', points: hist.map((t) => [t.turn, t[otherKey][goodIndex]]) },
    ],
  });
}

export function market(ctx) {
  const { view } = ctx; const me = view.me.power.id; const m = view.public.market;
  const [ownWorld, otherWorld] = priceWorlds(me);
  const own = ownPrices(view); const other = otherPrices(view);
  const prevOwn = me === 'china' ? m.previous_price_china : m.previous_price;
  const f = (ctx.forms.chart ||= { good: 'LightOxides' });
  const gi = GOODS.indexOf(f.good);
  const origins = ['us', 'china', 'russia', 'outside'];
  return [
    section(ctx, 'Prices ($/kg) by who sells', 'market-prices'),
    table(['', ownWorld, otherWorld, ...origins.map((o) => (o === 'outside' ? 'outside' : POWER_TAG[o]))], GOODS.map((g, i) => [
      GOOD_NAME[g], h('b', {}, `${num(own[i], 0)} ${own[i] > prevOwn[i] ? '▲' : own[i] < prevOwn[i] ? '▼' : ''}`), num(other[i], 0),
      ...m.origin_price[i].map((v) => num(v, 0)),
    ])),
    section(ctx, 'Price history: choose a good'),
    h('div', { class: 'row', role: 'radiogroup', 'aria-label': 'Good to chart and trade' }, GOODS.map((g) => h('button', {
      type: 'button', class: g === f.good ? 'on' : '', 'aria-pressed': String(g === f.good),
      onclick: () => { f.good = g; ctx.forms.trade = { ...(ctx.forms.trade || {}), good: g }; ctx.redraw(); },
    }, GOOD_SHORT[g]))),
    priceChart(view, gi),
    section(ctx, `Trade ${GOOD_NAME[f.good]}`, 'stockpiles'),
    form(ctx, 'trade', { good: f.good, qty: 0.5, price: Math.round(own[gi]) }, (t, field, choose) => [
      choose('good', goodOptions, { 'aria-label': 'Good' }),
      h('label', {}, 'kt ', field('qty', { type: 'number', min: 0, step: 0.05, 'aria-label': 'Quantity, kt' })),
      h('label', {}, 'limit $/kg ', field('price', { type: 'number', min: 0, step: 1, 'aria-label': 'Limit price, $/kg' })),
      h('button', { type: 'submit', value: 'buy' }, 'Buy'),
      h('button', { type: 'submit', value: 'sell' }, 'Sell'),
      h('span', { class: 'muted' }, `in stock ${num(view.me.stockpile.qty[GOODS.indexOf(t.good)], 2)} kt`),
    ], (t, button) => (button && button.value === 'sell'
      ? { Sell: { good: t.good, qty: Number(t.qty), min_price: Number(t.price) } }
      : { Buy: { good: t.good, qty: Number(t.qty), max_price: Number(t.price) } })),
    form(ctx, 'reserve', { good: 'LightOxides', turns: 2 }, (t, field, choose) => [
      h('span', {}, 'Strategic reserve:'), choose('good', goodOptions, { 'aria-label': 'Reserve good' }),
      h('label', {}, 'turns of need ', field('turns', { type: 'number', min: 0, max: 20, step: 0.5, 'aria-label': 'Reserve, turns of need' })),
      h('button', { type: 'submit' }, 'Set reserve'),
    ], (t) => ({ SetReserve: { good: t.good, turns: Number(t.turns) } })),
    section(ctx, 'Producers outside the three powers', 'deals'),
    form(ctx, 'offtake', { supplier: (view.public.suppliers.find((s) => s.offtake_to.includes(me) || s.releases_to.includes(me)) ?? view.public.suppliers[0])?.id, good: 'Concentrate', qty: 0.2, turns: 8 }, (t, field, choose) => [
      choose('supplier', view.public.suppliers.map((s) => [s.id, s.name]), { 'aria-label': 'Outside producer', rerender: true }),
      choose('good', goodOptions, { 'aria-label': 'Offtake good', rerender: true }),
      h('label', {}, 'kt/quarter ', field('qty', { type: 'number', min: 0, max: producerMost(view, me, t.supplier, t.good), step: 0.05, 'aria-label': 'Offtake, kt a quarter' })),
      h('label', {}, 'turns ', field('turns', { type: 'number', min: 4, max: 40, step: 1, 'aria-label': 'Offtake turns' })),
      h('button', { type: 'submit', value: 'offtake' }, 'Offtake'),
      h('button', { type: 'submit', value: 'draw' }, 'Draw allied stockpile'),
      h('p', { class: 'muted', id: 'producer-terms' }, producerTerms(view, me, t.supplier, t.good)),
    ], (t, button) => (button && button.value === 'draw'
      ? { DrawAlliedStockpile: { supplier: t.supplier, good: t.good, qty: Number(t.qty) } }
      : { Offtake: { supplier: t.supplier, good: t.good, qty: Number(t.qty), turns: Math.round(Number(t.turns)) } })),
    view.offtakes.map((o) => h('p', {}, `Offtake #${o.id}: ${num(o.qty, 2)} kt of ${GOOD_NAME[o.good]} a quarter from ${view.public.suppliers.find((s) => s.id === o.supplier)?.name ?? o.supplier}, ${o.turns_left} turns left${o.last_note ? ` — ${o.last_note}` : ''}`)),
    form(ctx, 'floor', { good: 'LightOxides', price: Math.round(own[1]), turns: 8 }, (t, field, choose) => [
      h('span', {}, 'Price floor for your producers:'), choose('good', goodOptions, { 'aria-label': 'Price floor good' }),
      h('label', {}, '$/kg ', field('price', { type: 'number', min: 0, step: 1, 'aria-label': 'Floor price, $/kg' })),
      h('label', {}, 'turns ', field('turns', { type: 'number', min: 1, max: 40, step: 1, 'aria-label': 'Price floor turns' })),
      h('button', { type: 'submit' }, 'Guarantee'),
    ], (t) => ({ PriceFloor: { good: t.good, price: Number(t.price), turns: Math.round(Number(t.turns)) } })),
  ];
}

export function policy(ctx) {
  const { view } = ctx; const me = view.me.power.id; const r = view.public.relations; const mi = powerIndex(me);
  const out = [section(ctx, 'Tariffs and sanctions', 'tariffs')];
  for (const p of others(me)) {
    const pi = powerIndex(p);
    out.push(h('div', { class: 'card' },
      h('div', {}, powerTag(p)),
      form(ctx, `tariff-${p}`, { rate: Math.round(r.tariff[mi][pi] * 100) }, (t, field) => [
        h('span', {}, `Your tariff: ${num(r.tariff[mi][pi] * 100, 0)}%`),
        h('label', {}, 'new % ', field('rate', { type: 'number', min: 0, max: 200, step: 1, 'aria-label': `Tariff on ${POWER_NAME[p]}, %` })),
        h('button', { type: 'submit' }, 'Set tariff'),
        h('span', { class: 'muted' }, `Their tariff on you: ${num(r.tariff[pi][mi] * 100, 0)}%`),
      ], (t) => ({ SetTariff: { on: p, rate: Number(t.rate) / 100 } })),
      h('div', { class: 'row', role: 'group', 'aria-label': `Sanctions on ${POWER_NAME[p]}` }, h('span', {}, 'Sanctions:'),
        ['None', 'Targeted', 'Full'].map((lv) => h('button', {
          type: 'button', class: r.sanctions[mi][pi] === lv ? 'on' : '', 'aria-pressed': String(r.sanctions[mi][pi] === lv),
          onclick: () => { if (r.sanctions[mi][pi] !== lv) ctx.order({ SetSanctions: { on: p, level: lv } }); },
        }, LEVEL_NAME[lv])),
        h('span', { class: 'muted' }, `theirs on you: ${LEVEL_NAME[r.sanctions[pi][mi]]}`), help(ctx, 'sanctions'))));
  }
  const targets = [...others(me).map((p) => ({ Power: p })), 'Outside'];
  const levelOf = (t, gi) => (t === 'Outside' ? r.export_control_outside[mi][gi] : r.export_control[mi][powerIndex(t.Power)][gi]);
  out.push(section(ctx, 'Export controls', 'export-controls'),
    h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, ''), targets.map((t) => h('th', {}, t === 'Outside' ? 'outside buyers' : POWER_TAG[t.Power])),
      others(me).map((p) => h('th', {}, `${POWER_TAG[p]} on you`)))),
    h('tbody', {}, GOODS.map((g, gi) => h('tr', {}, h('td', {}, GOOD_SHORT[g]),
      targets.map((t) => h('td', {}, h('select', {
        'aria-label': `Your export controls on ${GOOD_NAME[g]} to ${t === 'Outside' ? 'outside buyers' : POWER_NAME[t.Power]}`,
        onchange: (e) => ctx.order({ SetExportControl: { target: t, good: g, level: e.target.value } }),
      }, ['None', 'Licensing', 'Embargo'].map((lv) => { const o = h('option', { value: lv }, LEVEL_NAME[lv]); o.selected = levelOf(t, gi) === lv; return o; })))),
      others(me).map((p) => h('td', { class: 'muted' }, LEVEL_NAME[r.export_control[powerIndex(p)][mi][gi]])))))),
    h('div', { class: 'row' }, h('span', {}, `Your controls reach goods made abroad with your content: ${r.extraterritorial[mi] ? 'yes' : 'no'}`),
      h('button', { type: 'button', onclick: () => ctx.order({ SetExtraterritorial: { on: !r.extraterritorial[mi] } }) }, r.extraterritorial[mi] ? 'Stop' : 'Start')));
  return out;
}

export function diplomacy(ctx) {
  const { view } = ctx; const me = view.me.power.id;
  const answered = new Set(view.queued.filter((o) => o.RespondToDeal).map((o) => o.RespondToDeal.proposal));
  const incoming = view.proposals.filter((p) => p.deal.to === me && p.status === 'Pending');
  const mine = view.proposals.filter((p) => p.deal.from === me);
  const f = (ctx.forms.reject ||= { reason: '' });
  return [
    section(ctx, 'Trust', 'deals'),
    table(['', 'yours in them', 'theirs in you', ''], others(me).map((p) => [powerTag(p), `${num(view.trust.mine[powerIndex(p)], 0)} / 100`,
      `${num(view.trust.theirs[powerIndex(p)], 0)} / 100`, h('button', { type: 'button', onclick: () => ctx.deal(p) }, `Propose a deal to ${POWER_NAME[p]}…`)])),
    section(ctx, 'Deals waiting for your answer', 'deals'),
    incoming.length ? incoming.map((p) => h('div', { class: 'card deal', 'data-proposal': p.id },
      h('div', {}, h('b', {}, `#${p.id} from ${POWER_NAME[p.deal.from]}`), h('span', { class: 'muted' }, ` (proposed turn ${p.turn}, open until turn ${p.expires})`)),
      h('ul', {}, p.deal.terms.map((t) => h('li', {}, describeTerm(t, view)))),
      answered.has(p.id)
        ? h('p', { class: 'good' }, 'Your answer is queued (see Orders).')
        : h('div', { class: 'row' },
          h('button', { type: 'button', onclick: () => ctx.order({ RespondToDeal: { proposal: p.id, response: 'Accept' } }) }, 'Accept'),
          h('input', { 'aria-label': 'Reason (optional)', placeholder: 'reason (optional)', value: f.reason, oninput: (e) => { f.reason = e.target.value; } }),
          h('button', { type: 'button', onclick: () => ctx.order({ RespondToDeal: { proposal: p.id, response: { Reject: { reason: f.reason } } } }) }, 'Reject'),
          h('button', { type: 'button', onclick: () => ctx.deal(p.deal.from, p) }, 'Counter…')))) : muted('None.'),
    section(ctx, 'Your proposals and their answers'),
    mine.length ? mine.slice().reverse().map((p) => h('div', { class: 'card' },
      h('div', {}, h('b', {}, `#${p.id} to ${POWER_NAME[p.deal.to]}: ${p.status.toLowerCase()}`)),
      h('small', {}, p.deal.terms.map((t) => describeTerm(t, view)).join('; ')),
      p.reason ? h('p', {}, h('i', {}, `“${p.reason}”`)) : null)) : muted('None yet.'),
    section(ctx, 'Supply contracts', 'deals'),
    view.contracts.length ? view.contracts.map((c) => h('div', { class: 'row' },
      h('span', {}, `#${c.id}: ${POWER_NAME[c.seller]} → ${POWER_NAME[c.buyer]}, ${num(c.qty, 2)} kt of ${GOOD_NAME[c.good]} at $${num(c.price, 0)}/kg, ${c.turns_left} turns left${c.last_note ? ` — ${c.last_note}` : ''}`),
      h('button', { type: 'button', class: 'small', onclick: () => ctx.order({ CancelContract: { contract: c.id } }) }, 'Walk out'))) : muted('None.'),
    view.agreements.length ? [section(ctx, 'Commitments in force'),
      view.agreements.map((a) => h('p', {}, `${POWER_NAME[a.parties[0]]} and ${POWER_NAME[a.parties[1]]}: ${JSON.stringify(a.commitment).replace(/[{}"]/g, ' ')} until turn ${a.until_turn}`))] : null,
  ];
}

export function war(ctx) {
  const { view } = ctx; const w = view.public.war; const me = view.me.power.id;
  let lever;
  if (me === 'us') {
    lever = h('div', { class: 'row', role: 'group', 'aria-label': 'Aid to Ukraine' }, h('span', {}, 'Aid to Ukraine:'), [0, 1, 2, 3].map((lv) => h('button', {
      type: 'button', class: w.us_aid === lv ? 'on' : '', 'aria-pressed': String(w.us_aid === lv), onclick: () => { if (w.us_aid !== lv) ctx.order({ SetAid: { level: lv } }); },
    }, String(lv))));
  } else if (me === 'russia') {
    lever = h('div', { class: 'row', role: 'group', 'aria-label': 'Posture' }, h('span', {}, 'Posture:'), Object.entries(POSTURE_NAME).map(([k, n]) => h('button', {
      type: 'button', class: w.russia_posture === k ? 'on' : '', 'aria-pressed': String(w.russia_posture === k), onclick: () => { if (w.russia_posture !== k) ctx.order({ SetPosture: { posture: k } }); },
    }, n)));
  } else {
    lever = h('div', { class: 'row', role: 'group', 'aria-label': 'Stance' }, h('span', {}, 'Stance:'), Object.entries(STANCE_NAME).map(([k, n]) => h('button', {
      type: 'button', class: w.china_stance === k ? 'on' : '', 'aria-pressed': String(w.china_stance === k), onclick: () => { if (w.china_stance !== k) ctx.order({ SetStance: { stance: k } }); },
    }, n)));
  }
  return [
    section(ctx, `The war is ${WAR_NAME[w.status]}`, 'war-minerals'),
    h('p', {}, `Russia holds ${pct(w.front_share)} of Ukraine's rare-earth reserves · front index ${num(w.front, 2)} · intensity ${pct(w.intensity)}`),
    h('p', {}, `US aid level ${w.us_aid} of 3 · Russian posture: ${POSTURE_NAME[w.russia_posture]} · Chinese stance: ${STANCE_NAME[w.china_stance]} · war weariness ${pct(w.weariness)}`),
    w.status === 'Ceasefire' ? h('p', {}, `The ceasefire has held ${w.ceasefire_turns} turns.`) : null,
    lineChart({ title: "Ukraine's reserves held by Russia, %", series: [{ name: 'held by Russia', color: 'var(--front)', points: view.public.history.map((t) => [t.turn, t.front_share * 100]) }] }),
    section(ctx, 'Your lever', 'sanctions'), lever,
    muted('A ceasefire or peace is a deal term between the US and Russia: propose it in Diplomacy.'),
  ];
}

export function orders(ctx) {
  const { view } = ctx;
  return [
    section(ctx, 'Orders for this turn'),
    view.queued.length ? h('ol', { class: 'orders' }, view.queued.map((o, i) => h('li', {}, describeOrder(o, view), ' ',
      h('button', { type: 'button', class: 'small', 'aria-label': `Cancel order ${i + 1}`, onclick: () => ctx.cancel(i) }, 'Cancel')))) : muted('No orders yet: every panel gives orders; they happen when the turn resolves.'),
    ctx.refusals.length ? [section(ctx, 'Refused this turn'), h('ul', { class: 'refusals' }, ctx.refusals.map((r) => h('li', { class: 'bad' }, r)))] : null,
    section(ctx, 'Last turn'),
    view.last_results.length ? h('ul', {}, view.last_results.map((r) => h('li', { class: r.refused ? 'bad' : 'good' },
      `${r.refused ? '✖' : '✔'} ${describeOrder(r.order, view)}${r.refused ? ` — ${r.refused}` : ''}`))) : muted('Nothing yet.'),
  ];
}

export { describeResponse };
