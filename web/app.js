// The browser client: join with a code, then play the team's seat (or, with
// the teacher's code, show the projector and the teacher's tools). Every
// figure comes from the host's messages; the page only draws them and sends
// the team's orders.

import { Link, msg } from './net.js';
import { BoardMap, loadCountries } from './map.js';
import { lineChart } from './charts.js';
import * as P from './panels.js';
import { h, fill, powerTag, TABS } from './panels.js';
import {
  POWERS, POWER_NAME, POWER_TAG, GOODS, GOOD_NAME, GOOD_SHORT, KIND_NAME, LEVEL_NAME, num, pct, bn, estimate,
  describeOrder, describeTerm, powerIndex, others,
} from './words.js';

const $ = (sel) => document.querySelector(sel);
const app = $('#app');

const state = {
  link: null, role: null, power: null, game: null, view: null, figures: null, status: null, public: null, publicNews: [],
  onQuote: null, join: null, hideCodes: false, linkUp: false, debrief: null,
  report: null, over: null, tab: 'economy', forms: {}, refusals: [], refusalTurn: 0, cards: [],
};

// ---------------------------------------------------------------- joining

function codeFromPage() {
  const fromUrl = new URLSearchParams(location.search).get('code');
  return fromUrl || sessionStorage.getItem('reg-code') || '';
}

function remember(code) {
  sessionStorage.setItem('reg-code', code);
  const url = new URL(location.href);
  url.searchParams.set('code', code);
  history.replaceState(null, '', url);
}

function forget() {
  sessionStorage.removeItem('reg-code');
  const url = new URL(location.href);
  url.searchParams.delete('code');
  history.replaceState(null, '', url);
}

function joinScreen(problem = '') {
  if (state.link) state.link.close();
  state.link = null;
  const input = h('input', {
    id: 'code', name: 'code', autocomplete: 'off', spellcheck: 'false', required: true,
    placeholder: '7KQ2-M9XD-4HPA-Z0RT', 'aria-describedby': 'join-help', value: codeFromPage(),
  });
  fill(app, h('main', { class: 'join' },
    h('h1', {}, 'Rare Earth Gambit'),
    h('p', { id: 'join-help' }, "Type your team's code (the teacher has it) and join the game."),
    h('form', {
      onsubmit: (e) => {
        e.preventDefault();
        const code = input.value.trim();
        if (code) start(code);
      },
    }, h('label', { for: 'code' }, 'Code '), input, h('button', { type: 'submit' }, 'Join')),
    problem ? h('p', { class: 'problem', role: 'alert' }, problem) : null));
  input.focus();
}

function start(code) {
  remember(code);
  fill(app, h('main', { class: 'join' }, h('h1', {}, 'Rare Earth Gambit'), h('p', { role: 'status' }, 'Joining…'),
    h('p', { id: 'banner', class: 'banner', role: 'status' })));
  state.link = new Link(code, {
    message: onMessage,
    state: (text, kind) => { state.linkUp = kind === 'ok'; banner(text, kind); drawStatus(); },
    refused: (why) => { forget(); joinScreen(`The host said: ${why}`); },
  });
}

function banner(text, kind) {
  const b = $('#banner');
  if (!b) return;
  b.textContent = text;
  b.className = `banner ${kind}`;
  b.hidden = !text;
}

let toastTimer = null;
function toast(text, kind = 'ok') {
  const t = $('#toast');
  if (!t) return;
  t.textContent = text;
  t.className = `toast ${kind}`;
  t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { t.hidden = true; }, kind === 'bad' ? 9000 : 4000);
}
function hideToast() {
  const t = $('#toast');
  if (t) t.hidden = true;
  clearTimeout(toastTimer);
}

// ---------------------------------------------------------------- messages

function onMessage(m) {
  switch (m.type) {
    case 'welcome':
      state.role = m.role; state.power = m.power || null; state.game = m.game; state.cards = m.cards || []; state.join = m.join || null;
      document.title = state.power ? `${POWER_NAME[state.power]} — Rare Earth Gambit` : 'Projector — Rare Earth Gambit';
      buildScreen();
      break;
    case 'view':
      state.view = m.view; state.figures = m.figures;
      if (state.refusalTurn !== m.view.public.turn) {
        // A new turn: last turn's refusals and "waiting for the other teams" are stale.
        hideToast();
        state.refusals = []; state.refusalTurn = m.view.public.turn;
      }
      drawBoard();
      if (m.view.public.outcome.over) showEnd();
      break;
    case 'public':
      state.public = m.public; state.publicNews = m.news;
      drawProjector();
      break;
    case 'status':
      state.status = m.status;
      drawStatus();
      break;
    case 'report':
      state.report = m;
      if (Number(sessionStorage.getItem(seenKey()) || 0) < m.turn && state.view && !state.view.public.outcome.over) showReport();
      break;
    case 'queued':
      toast(`Queued: ${describeOrder(m.order, state.view)}`);
      break;
    case 'cancelled':
      toast(`Cancelled: ${describeOrder(m.order, state.view)}`);
      break;
    case 'refused':
      state.refusals.push(m.reason);
      toast(`Refused: ${m.reason}`, 'bad');
      if (state.tab === 'orders') drawPanel();
      break;
    case 'quote':
      // Only the open dialog's latest question is answered on screen.
      if (state.onQuote) state.onQuote(m);
      break;
    case 'done':
      toast(m.what);
      break;
    case 'error':
      toast(`Error: ${m.message}`, 'bad');
      break;
    case 'game_over':
      state.over = m.state_hash;
      state.debrief = { timeline: m.timeline || [], questions: m.questions || [] };
      if (state.view) showEnd();
      drawStatus();
      break;
    default:
      break;
  }
}

// ---------------------------------------------------------------- the board

let board = null;

function buildScreen() {
  const isTeacher = state.role === 'teacher';
  fill(app, 
    h('header', { id: 'top' }),
    h('p', { id: 'banner', class: 'banner', role: 'status', hidden: true }),
    h('div', { class: 'main' },
      h('section', { class: 'map-pane', 'aria-label': 'Map' },
        h('div', { id: 'map' }),
        h('div', { class: 'map-tools' },
          h('button', { type: 'button', 'aria-label': 'Zoom in', onclick: () => board.zoom(0.7) }, '+'),
          h('button', { type: 'button', 'aria-label': 'Zoom out', onclick: () => board.zoom(1.4) }, '−'),
          h('button', { type: 'button', onclick: () => board.reset() }, 'World')),
        h('div', { id: 'map-info', class: 'map-info', 'aria-live': 'polite' }, 'Point at a place, a facility or a trade arrow to explain it.'),
        legend()),
      h('section', { class: 'side', id: 'side' })),
    h('footer', { id: 'status' }),
    h('div', { id: 'toast', class: 'toast', role: 'status', 'aria-live': 'polite', hidden: true }),
    h('dialog', { id: 'dialog' }));
  board = new BoardMap($('#map'), {
    onPick: (place) => { if (!isTeacher) fundDialog(place); },
    onInfo: (lines) => fill($('#map-info'), ...lines.map((l, i) => h(i ? 'div' : 'b', {}, l))),
  });
  loadCountries().then((c) => board.drawLand(c)).catch((e) => toast(e.message, 'bad'));
  if (isTeacher) drawProjector(); else drawBoard();
  drawStatus();
}

function legend() {
  return h('div', { class: 'legend', 'aria-label': 'Map legend' },
    h('span', {}, '● deposit'), h('span', {}, '■ site'), h('span', {}, '▲ mine'), h('span', {}, '▬ separation'), h('span', {}, '● magnets'),
    h('span', {}, '○ outline: planned · half: building · full: operating'),
    POWERS.map((p) => h('span', { class: `power power-${p}` }, h('b', {}, POWER_TAG[p]), ` ${POWER_NAME[p]}`)),
    h('span', { class: 'front-key' }, '— front'));
}

function ctx() {
  return {
    view: state.view, figures: state.figures, forms: state.forms, refusals: state.refusals,
    order: (o) => state.link.send(msg.submit(o)),
    cancel: (i) => state.link.send(msg.cancel(i)),
    redraw: () => drawPanel(),
    help: (page) => helpDialog(page),
    deal: (to, counter) => dealDialog(to, counter),
    fund: (place) => fundDialog(place),
  };
}

function drawBoard() {
  const v = state.view;
  if (!v || !$('#top') || state.role === 'teacher') return;
  const me = v.me;
  const [ownWorld, otherWorld] = P.priceWorlds(me.power.id);
  const own = P.ownPrices(v); const other = P.otherPrices(v);
  const ended = state.status?.seats.find((s) => s.power === me.power.id)?.ended_turn;
  const over = v.public.outcome.over;
  fill($('#top'), 
    h('div', { class: 'row top1' },
      h('span', { class: 'who' }, powerTag(me.power.id)),
      h('b', {}, over ? `${v.public.label} · the game is over` : `${v.public.label} · turn ${v.public.turn}/${v.public.max_turns}`),
      h('span', { title: 'Money of your rare-earth programme, US$ bn.' }, `Treasury ${bn(me.finances.treasury)}`),
      h('span', { title: 'Political capital: spent on sanctions, permit reform, breaking deals.' }, `Capital ${num(me.politics.political_capital, 0)}`),
      h('span', { title: 'Action points left this turn. Market orders and answers to deals are free.' }, `Actions ${state.figures.actions_left}/${me.politics.action_points}`),
      h('span', { id: 'clock' }),
      h('span', { class: 'spacer' }),
      h('button', { type: 'button', onclick: () => encyclopediaDialog() }, 'Encyclopedia'),
      state.report ? h('button', { type: 'button', onclick: () => showReport() }, 'Turn report') : null,
      over ? h('button', { type: 'button', onclick: () => showEnd() }, 'Debrief') : null,
      h('button', {
        type: 'button', id: 'end-turn', class: 'primary', disabled: ended || over,
        onclick: () => { if (state.link.send(msg.endTurn())) toast('Turn ended: waiting for the other teams'); },
      }, over ? 'Game over' : ended ? 'Waiting for the others…' : 'End turn')),
    h('div', { class: 'row top2' },
      h('span', { class: 'muted' }, 'Stock, kt:'),
      GOODS.map((g, i) => {
        const perWeek = me.industry.need[i] / 13;
        return h('span', { title: `Your stock of ${GOOD_NAME[g]}, kt${perWeek > 0 ? `, about ${num(me.stockpile.qty[i] / perWeek, 0)} weeks of use` : ''}` },
          `${GOOD_SHORT[g]} ${num(me.stockpile.qty[i], 2)}`);
      }),
      h('span', { class: 'muted' }, `Prices ${ownWorld}:`),
      [1, 2, 3].map((i) => {
        const multiple = own[i] / Math.max(1e-9, v.public.base_price[i]);
        return h('span', { class: multiple >= 1.5 ? 'bad' : '', title: `${GOOD_NAME[GOODS[i]]} per kg ${ownWorld}: ${num(multiple, 1)} times its base price. ${otherWorld}: $${num(other[i], 0)}.` },
          `${GOOD_SHORT[GOODS[i]]} $${num(own[i], 0)}${multiple >= 1.5 ? ` ×${num(multiple, 1)}` : ''}`);
      }),
      v.public.turn > 1 && me.industry.needs_met < 0.95 ? h('span', { class: 'bad' }, `Needs met ${pct(me.industry.needs_met)}`) : null));
  drawClock();
  drawPanel();
  board.show(v);
}

function drawPanel() {
  const side = $('#side');
  if (!side || !state.view) return;
  const scroll = side.querySelector('.panel')?.scrollTop || 0;
  const active = document.activeElement;
  const focusKey = active && side.contains(active) ? (active.getAttribute('aria-label') || active.textContent) : null;
  const c = ctx();
  const panel = h('div', { class: 'panel', id: `panel-${state.tab}`, role: 'tabpanel', 'aria-labelledby': `tab-${state.tab}` }, P[state.tab](c));
  const tabs = h('div', { class: 'tabs', role: 'tablist' }, TABS.map(([id, label]) => h('button', {
    type: 'button', role: 'tab', id: `tab-${id}`, 'aria-selected': String(id === state.tab), class: id === state.tab ? 'on' : '',
    onclick: () => { state.tab = id; drawPanel(); $(`#tab-${id}`)?.focus(); },
  }, id === 'orders' ? `${label} (${state.view.queued.length})` : label)));
  tabs.addEventListener('keydown', (e) => {
    const i = TABS.findIndex(([id]) => id === state.tab);
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    state.tab = TABS[(i + step + TABS.length) % TABS.length][0];
    drawPanel();
    $(`#tab-${state.tab}`)?.focus();
  });
  fill(side, tabs, panel);
  panel.scrollTop = scroll;
  if (focusKey) {
    // Keep the keyboard where it was when the host's new view redraws the panel.
    const again = [...side.querySelectorAll('button, input, select')].find((e) => (e.getAttribute('aria-label') || e.textContent) === focusKey);
    again?.focus();
  }
}

function drawClock() {
  const el = $('#clock');
  if (!el) return;
  const s = state.status?.over ? null : state.status?.clock_seconds;
  el.textContent = s == null ? '' : `Clock ${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')} left`;
  el.className = s != null && s < 60 ? 'bad' : '';
}

let clockTimer = null;
function drawStatus() {
  const f = $('#status');
  if (!f || !state.status) return;
  const s = state.status;
  fill(f, 
    state.linkUp ? null : h('span', { class: 'bad' }, 'This page is not connected: joining again…'),
    h('span', {}, `${state.game?.title || ''} · ${s.label} · ${s.over ? 'the game is over' : `turn ${s.turn}/${s.max_turns}`}${s.paused ? ' · PAUSED by the teacher' : ''}`),
    s.seats.map((seat) => h('span', { class: 'seat' }, powerTag(seat.power),
      // Unknown while this page itself is cut off from the host.
      seat.seat === 'human' ? (state.linkUp ? ` ${seat.connected ? 'connected' : 'away'}` : '') : ` computer (${seat.seat})`,
      s.over ? '' : seat.ended_turn ? ' ✔ done' : ' … playing')),
    state.over ? h('span', { class: 'muted' }, `state ${state.over}`) : null);
  // The end-turn button follows the status (done, or a new turn).
  if (state.view) {
    const btn = $('#end-turn');
    const ended = s.seats.find((x) => x.power === state.power)?.ended_turn;
    if (btn && !state.view.public.outcome.over) { btn.disabled = !!ended; btn.textContent = ended ? 'Waiting for the others…' : 'End turn'; }
  }
  if (state.role === 'teacher') { drawJoinCard(); drawTeacherTools(); }
  drawClock();
  // Count the clock down between the host's status messages.
  clearInterval(clockTimer);
  if (s.clock_seconds != null && !s.paused && !s.over) {
    clockTimer = setInterval(() => { if (state.status.clock_seconds > 0) state.status.clock_seconds -= 1; drawClock(); }, 1000);
  }
}

// ---------------------------------------------------------------- dialogs

function openDialog(title, body, { wide = false, onClose } = {}) {
  const d = $('#dialog');
  d.className = wide ? 'wide' : '';
  fill(d, h('div', { class: 'dialog-head' }, h('h2', {}, title),
    h('button', { type: 'button', class: 'close', 'aria-label': 'Close', onclick: () => d.close() }, '✕')), h('div', { class: 'dialog-body' }, body));
  d.onclose = onClose || null;
  if (!d.open) d.showModal();
  // The first field, else the close button: never a link far down the page.
  (d.querySelector('.dialog-body input, .dialog-body select') || d.querySelector('.close')).focus();
  return d;
}

function fundDialog(place) {
  const v = state.view;
  if (!v) return;
  const f = (state.forms.fund ||= { kind: 'Mine', capacity: 0.5 });
  if (place.reserves === undefined && f.kind === 'Mine') f.kind = 'SeparationPlant';
  const kinds = place.reserves !== undefined ? ['Mine', 'SeparationPlant', 'MagnetPlant'] : ['SeparationPlant', 'MagnetPlant'];
  // The engine's own reckoning, asked of the host whenever a field changes.
  const cost = h('p', { class: 'muted', id: 'fund-cost' }, 'Asking the host what it costs…');
  const fund = h('button', { type: 'submit', class: 'primary' }, 'Fund');
  const order = () => ({ FundFacility: { at: place.id, kind: f.kind, capacity: Number(f.capacity) } });
  const update = () => {
    const asked = order();
    state.onQuote = (q) => {
      if (JSON.stringify(q.order) !== JSON.stringify(asked)) return;
      const [permit, build] = q.facility_turns || [0, 0];
      cost.textContent = `Costs ${q.facility_total == null ? '?' : bn(q.facility_total)} in all: ${bn(q.money)} now, the rest while it is built. Permitting ${permit} turns, building ${build} turns. ${q.actions} action point${q.actions === 1 ? '' : 's'}.`;
      if (q.refusal) cost.append(h('br'), h('b', { class: 'bad' }, `The rules would refuse it: ${q.refusal}`));
      fund.disabled = !!q.refusal;
    };
    state.link.send(msg.quote(asked));
  };
  const select = h('select', { id: 'fund-kind', onchange: (e) => { f.kind = e.target.value; update(); } },
    kinds.map((k) => { const o = h('option', { value: k }, KIND_NAME[k]); o.selected = k === f.kind; return o; }));
  const cap = h('input', { id: 'fund-capacity', type: 'number', min: 0.05, step: 0.05, value: f.capacity, oninput: (e) => { f.capacity = Number(e.target.value); update(); } });
  update();
  const d = openDialog(`Fund a facility at ${place.name}`, h('form', {
    onsubmit: (e) => {
      e.preventDefault();
      state.link.send(msg.submit(order()));
      d.close();
    },
  }, h('p', {}, `${place.name} (${place.country})${place.note ? ` — ${place.note}` : ''}`),
  h('div', { class: 'row' }, h('label', { for: 'fund-kind' }, 'Build '), select, h('label', { for: 'fund-capacity' }, ' capacity, kt a quarter '), cap),
  cost, h('div', { class: 'row' }, fund, h('button', { type: 'button', onclick: () => d.close() }, 'Cancel'))), { onClose: () => { state.onQuote = null; } });
}

const TERM_KINDS = ['Supply', 'Payment', 'TariffCut', 'ExportControlRelief', 'SanctionsRelief', 'JointVenture', 'Ceasefire', 'Peace', 'AidCap'];
const TERM_LABEL = {
  Supply: 'Supply contract', Payment: 'Payment', TariffCut: 'Tariff cut', ExportControlRelief: 'Export-control relief',
  SanctionsRelief: 'Sanctions relief', JointVenture: 'Joint venture', Ceasefire: 'Ceasefire', Peace: 'Peace', AidCap: 'Cap on US aid',
};

function newTerm(kind, me, to, v) {
  switch (kind) {
    case 'Supply': return { Supply: { seller: to, buyer: me, good: 'LightOxides', qty: 0.2, price: Math.round(P.ownPrices(v)[1]), turns: 4 } };
    case 'Payment': return { Payment: { from: me, to, amount: 0.5 } };
    case 'TariffCut': return { TariffCut: { by: to, on: me, rate: 0, turns: 4 } };
    case 'ExportControlRelief': return { ExportControlRelief: { by: to, target: me, good: 'HeavyOxides', level: 'None', turns: 4 } };
    case 'SanctionsRelief': return { SanctionsRelief: { by: to, on: me, level: 'None', turns: 4 } };
    case 'JointVenture': return { JointVenture: { investor: me, at: v.public.deposits[0]?.id, kind: 'Mine', capacity: 0.5, investor_share: 0.5 } };
    case 'Ceasefire': return 'Ceasefire';
    case 'Peace': return { Peace: { security_guarantees: false } };
    case 'AidCap': return { AidCap: { level: 1, turns: 4 } };
    default: return null;
  }
}

function termEditor(term, parties, v, onChange) {
  if (typeof term === 'string') return h('span', {}, TERM_LABEL[term]);
  const [kind, f] = Object.entries(term)[0];
  const who = (key) => h('select', { 'aria-label': key, onchange: (e) => { f[key] = e.target.value; onChange(); } },
    parties.map((p) => { const o = h('option', { value: p }, POWER_NAME[p]); o.selected = f[key] === p; return o; }));
  const pick = (key, options) => h('select', { 'aria-label': key, onchange: (e) => { f[key] = e.target.value; onChange(); } },
    options.map(([val, label]) => { const o = h('option', { value: val }, label); o.selected = f[key] === val; return o; }));
  const number = (key, attrs = {}) => h('input', { type: 'number', 'aria-label': key, step: 'any', value: f[key], ...attrs, oninput: (e) => { f[key] = attrs.integer ? Math.round(Number(e.target.value)) : Number(e.target.value); onChange(); } });
  const goods = GOODS.map((g) => [g, GOOD_NAME[g]]);
  const levels = (ls) => ls.map((l) => [l, LEVEL_NAME[l]]);
  const parts = {
    Supply: () => [who('seller'), ' sells ', who('buyer'), ' ', number('qty', { min: 0 }), ' kt of ', pick('good', goods), ' a quarter at $', number('price', { min: 0 }), '/kg for ', number('turns', { min: 1, integer: true }), ' turns'],
    Payment: () => [who('from'), ' pays ', who('to'), ' $', number('amount', { min: 0 }), ' bn'],
    TariffCut: () => {
      const pctInput = h('input', { type: 'number', 'aria-label': 'rate %', value: Math.round(f.rate * 100), oninput: (e) => { f.rate = Number(e.target.value) / 100; onChange(); } });
      return [who('by'), ' cuts its tariff on ', who('on'), ' to ', pctInput, '% for ', number('turns', { min: 1, integer: true }), ' turns'];
    },
    ExportControlRelief: () => [who('by'), ' eases controls on ', pick('good', goods), ' for ', who('target'), ' to ', pick('level', levels(['None', 'Licensing'])), ' for ', number('turns', { min: 1, integer: true }), ' turns'],
    SanctionsRelief: () => [who('by'), ' eases sanctions on ', who('on'), ' to ', pick('level', levels(['None', 'Targeted'])), ' for ', number('turns', { min: 1, integer: true }), ' turns'],
    JointVenture: () => [who('investor'), ' invests in a ', pick('kind', Object.entries(KIND_NAME)), ' of ', number('capacity', { min: 0 }), ' kt at ',
      pick('at', [...v.public.deposits, ...v.public.sites].map((d) => [d.id, `${d.name} (${d.country})`])), ', share ', number('investor_share', { min: 0, max: 1, step: 0.05 })],
    Peace: () => [h('label', {}, h('input', { type: 'checkbox', checked: f.security_guarantees, onchange: (e) => { f.security_guarantees = e.target.checked; onChange(); } }), ' Peace, with security guarantees for Ukraine')],
    AidCap: () => ['US aid capped at level ', number('level', { min: 0, max: 3, integer: true }), ' for ', number('turns', { min: 1, integer: true }), ' turns'],
  };
  return h('span', { class: 'term-fields' }, (parts[kind] || (() => JSON.stringify(f)))());
}

/// The deal editor: to `to`, or a counter to proposal `counter`.
function dealDialog(to, counter) {
  const v = state.view;
  const me = v.me.power.id;
  const terms = counter ? structuredClone(counter.deal.terms) : [];
  const reason = { text: '' };
  const list = h('ol', { class: 'terms' });
  const draw = () => {
    fill(list, ...terms.map((t, i) => h('li', {}, termEditor(t, [me, to], v, () => { preview.textContent = terms.map((x) => describeTerm(x, v)).join('; '); }),
      h('button', { type: 'button', class: 'small', 'aria-label': `Remove term ${i + 1}`, onclick: () => { terms.splice(i, 1); draw(); } }, 'Remove'))));
    preview.textContent = terms.length ? terms.map((x) => describeTerm(x, v)).join('; ') : 'No terms yet: add one.';
  };
  const preview = h('p', { class: 'preview' });
  const kind = h('select', { 'aria-label': 'Kind of term' }, TERM_KINDS.map((k) => h('option', { value: k }, TERM_LABEL[k])));
  const d = openDialog(counter ? `Counter ${POWER_NAME[to]}'s proposal #${counter.id}` : `A deal with ${POWER_NAME[to]}`, h('form', {
    onsubmit: (e) => {
      e.preventDefault();
      if (!terms.length) { toast('A deal needs at least one term.', 'bad'); return; }
      const order = counter
        ? { RespondToDeal: { proposal: counter.id, response: { Counter: { terms, reason: reason.text } } } }
        : { ProposeDeal: { to, terms } };
      state.link.send(msg.submit(order));
      d.close();
    },
  },
  h('p', { class: 'muted' }, `Trust: yours in ${POWER_NAME[to]} ${num(v.trust.mine[powerIndex(to)], 0)}, theirs in you ${num(v.trust.theirs[powerIndex(to)], 0)}. The deal is answered when the turn resolves.`),
  list,
  h('div', { class: 'row' }, kind, h('button', { type: 'button', onclick: () => { terms.push(newTerm(kind.value, me, to, v)); draw(); } }, 'Add term'), h('button', { type: 'button', class: 'help', onclick: () => helpDialog('deals') }, '?')),
  counter ? h('label', {}, 'Reason ', h('input', { oninput: (e) => { reason.text = e.target.value; } })) : null,
  preview,
  h('div', { class: 'row' }, h('button', { type: 'submit', class: 'primary' }, counter ? 'Send counter-proposal' : 'Propose'), h('button', { type: 'button', onclick: () => d.close() }, 'Cancel'))), { wide: true });
  draw();
}

let encyclopedia = null;
async function loadEncyclopedia() {
  if (!encyclopedia) {
    const r = await fetch('/encyclopedia.json');
    if (!r.ok) throw new Error(`the encyclopedia could not be loaded (${r.status})`);
    encyclopedia = await r.json();
  }
  return encyclopedia;
}

async function helpDialog(id) {
  try {
    const enc = await loadEncyclopedia();
    const page = enc.pages.find((p) => p.id === id);
    if (!page) { toast(`No page "${id}"`, 'bad'); return; }
    const source = (sid) => enc.sources.find((s) => s.id === sid);
    openDialog(page.title, [
      h('p', { class: 'summary' }, page.summary),
      page.paragraphs.map((p) => h('p', {}, p)),
      page.figures.length ? [h('h3', {}, 'Figures and sources'), h('ul', { class: 'figures' }, page.figures.map((f) => {
        const s = source(f.source);
        return h('li', {}, `${f.text} `, h('small', { class: 'muted' }, `(${s ? s.title || s.id : f.source}, data as of ${f.data_as_of}${f.reported ? ', reported' : ''})`));
      }))] : null,
      page.see_also.length ? [h('h3', {}, 'See also'), h('div', { class: 'row' }, page.see_also.map((sid) => {
        const other = enc.pages.find((p) => p.id === sid);
        return other ? h('button', { type: 'button', class: 'link', onclick: () => helpDialog(sid) }, other.title) : null;
      }))] : null,
      h('button', { type: 'button', class: 'link', onclick: () => encyclopediaDialog() }, 'All pages and the glossary'),
    ], { wide: true });
  } catch (e) {
    toast(e.message, 'bad');
  }
}

async function encyclopediaDialog() {
  try {
    const enc = await loadEncyclopedia();
    openDialog('Encyclopedia', [
      h('ul', { class: 'pages' }, enc.pages.map((p) => h('li', {}, h('button', { type: 'button', class: 'link', onclick: () => helpDialog(p.id) }, p.title), ` — ${p.summary}`))),
      h('h3', {}, 'Glossary'),
      h('dl', {}, enc.glossary.map((t) => [h('dt', {}, t.term || t.word || t.id), h('dd', {}, t.definition || t.text || '')])),
    ], { wide: true });
  } catch (e) {
    toast(e.message, 'bad');
  }
}

// The last report shown, per game and seat: a reload does not show it again.
function seenKey() { return `reg-report-seen:${state.game?.seed}:${state.power}`; }

function showReport() {
  const r = state.report; const v = state.view;
  if (!r || !v) return;
  sessionStorage.setItem(seenKey(), String(r.turn));
  const me = v.me;
  const hist = v.own_history;
  const last = hist[hist.length - 1]; const before = hist[hist.length - 2];
  const change = (a, b) => (b === undefined ? '' : ` (${a - b >= 0 ? '+' : ''}${num(a - b, 1)})`);
  const [ownWorld] = P.priceWorlds(me.power.id);
  const own = P.ownPrices(v);
  openDialog(`What happened in turn ${r.turn}`, [
    last ? h('p', {}, `Treasury ${bn(last.treasury)}${change(last.treasury, before?.treasury)} · needs met ${pct(last.needs_met)} · supply security ${pct(last.supply_security)} · score ${num(last.score, 0)}${change(last.score, before?.score)}`) : null,
    h('p', {}, `Prices ($/kg) ${ownWorld}: ${GOODS.map((g, i) => `${GOOD_SHORT[g]} ${num(own[i], 0)}`).join(' · ')}`),
    h('h3', {}, 'Your orders'),
    r.results.length ? h('ul', {}, r.results.map((x) => h('li', { class: x.refused ? 'bad' : 'good' }, `${x.refused ? '✖' : '✔'} ${describeOrder(x.order, v)}${x.refused ? ` — ${x.refused}` : ''}`))) : h('p', { class: 'muted' }, 'You gave no orders.'),
    h('h3', {}, 'News'),
    r.news.length ? h('ul', { class: 'news' }, r.news.map((n) => h('li', {}, h('b', { class: 'tag' }, n.kind.toUpperCase()), ` ${n.text}`))) : h('p', { class: 'muted' }, 'No news.'),
    h('button', { type: 'button', class: 'primary', onclick: () => $('#dialog').close() }, 'Plan the next turn'),
  ], { wide: true });
}

function showEnd() {
  const v = state.view;
  if (!v || !$('#dialog')) return;
  const o = v.public.outcome;
  const hist = v.public.history;
  const me = v.me.power.id;
  const colour = { us: 'var(--us)', china: 'var(--china)', russia: 'var(--russia)' };
  const base = hist[0];
  openDialog(o.winner ? `${POWER_NAME[o.winner]} wins` : 'No winner', [
    h('p', { class: 'summary' }, o.explanation),
    h('table', {}, h('thead', {}, h('tr', {}, ['', 'score', 'supply security', 'treasury'].map((c) => h('th', {}, c)))),
      h('tbody', {}, h('tr', {}, h('td', {}, powerTag(me)), h('td', {}, num(state.figures.score, 0)), h('td', {}, pct(v.me.industry.supply_security)), h('td', {}, bn(v.me.finances.treasury))),
        v.others.map((x) => h('tr', {}, h('td', {}, powerTag(x.id)), h('td', {}, estimate(x.score)), h('td', {}, pct(x.supply_security)), h('td', {}, estimate(x.treasury, 1)))))),
    h('div', { class: 'charts' },
      lineChart({
        title: 'Prices outside China (index: start = 100)', series: [1, 2, 3].map((i) => ({
          name: GOOD_SHORT[GOODS[i]], color: `var(--line${i})`, points: hist.map((t) => [t.turn, (100 * t.price[i]) / Math.max(1e-9, base.price[i])]),
        })),
      }),
      lineChart({
        title: 'Prices in China (index: start = 100)', series: [1, 2, 3].map((i) => ({
          name: GOOD_SHORT[GOODS[i]], color: `var(--line${i})`, points: hist.map((t) => [t.turn, (100 * t.price_china[i]) / Math.max(1e-9, base.price_china[i])]),
        })),
      }),
      lineChart({ title: 'Your supply security, %', series: [{ name: POWER_NAME[me], color: colour[me], points: v.own_history.map((t) => [t.turn, t.supply_security * 100]) }] }),
      lineChart({
        title: 'Share of separation (refining), %', series: POWERS.map((p, i) => ({ name: POWER_TAG[p], color: colour[p], points: hist.map((t) => [t.turn, t.separation_share[i] * 100]) }))
          .concat([{ name: 'outside', color: 'var(--outside)', points: hist.map((t) => [t.turn, t.separation_share[3] * 100]) }]),
      }),
      lineChart({ title: 'The front: Ukraine\'s reserves held by Russia, %', series: [{ name: 'held by Russia', color: 'var(--front)', points: hist.map((t) => [t.turn, t.front_share * 100]) }] }),
      lineChart({ title: 'Stability', series: POWERS.map((p, i) => ({ name: POWER_TAG[p], color: colour[p], points: hist.map((t) => [t.turn, t.stability[i]]) })) })),
    state.debrief && state.debrief.questions.length ? h('h3', {}, 'Questions for discussion') : null,
    state.debrief ? h('ul', { class: 'questions' }, state.debrief.questions.map((q) => h('li', {}, q))) : null,
    state.debrief && state.debrief.timeline.length ? h('h3', {}, 'Timeline') : null,
    state.debrief ? h('div', { class: 'timeline' }, state.debrief.timeline.map((t) => h('div', {},
      h('b', {}, t.label),
      h('ul', { class: 'news' }, t.items.map((i) => h('li', {}, h('b', { class: 'tag' }, i.tag.toUpperCase()), ` ${i.text}`)))))) : null,
    state.debrief ? null : h('h3', {}, 'The last turns, as your team read them'),
    state.debrief ? null : h('ul', { class: 'news' }, v.news.slice().reverse().map((n) => h('li', {}, h('b', { class: 'tag' }, `T${n.turn} ${n.kind.toUpperCase()}`), ` ${n.text}`))),
    state.over ? h('p', { class: 'muted' }, `The host's state: ${state.over} (replay --verify prints the same).`) : null,
  ], { wide: true });
}

// ---------------------------------------------------------------- the teacher's projector

function drawProjector() {
  const pub = state.public;
  if (!pub || state.role !== 'teacher' || !$('#top')) return;
  const o = pub.outcome;
  const heading = o.over ? `Projector · ${pub.label} · the game is over: ${o.winner ? `${POWER_NAME[o.winner]} wins` : 'no winner'}` : `Projector · ${pub.label} · turn ${pub.turn}/${pub.max_turns}`;
  fill($('#top'), h('div', { class: 'row top1' }, h('b', {}, heading), h('span', { id: 'clock' }), h('span', { class: 'spacer' }),
    h('button', { type: 'button', onclick: () => encyclopediaDialog() }, 'Encyclopedia')));
  const m = pub.market;
  fill($('#side'), h('div', { class: 'panel' },
    h('h3', {}, 'Prices ($/kg)'),
    h('table', {}, h('thead', {}, h('tr', {}, ['', 'outside China', 'in China'].map((c) => h('th', {}, c)))),
      h('tbody', {}, GOODS.map((g, i) => h('tr', {}, h('td', {}, GOOD_NAME[g]), h('td', {}, num(m.price[i], 0)), h('td', {}, num(m.price_china[i], 0)))))),
    o.over ? h('p', { class: 'summary' }, o.explanation) : null,
    h('h3', {}, `The war: Russia holds ${pct(pub.war.front_share)} of Ukraine's reserves`),
    h('h3', {}, 'Join the game'), h('div', { id: 'join-card' }),
    h('h3', {}, "The teacher's tools"), h('div', { id: 'teacher-tools' }),
    h('h3', {}, 'News for everyone'),
    h('ul', { class: 'news' }, state.publicNews.slice().reverse().map((n) => h('li', {}, h('b', { class: 'tag' }, n.kind.toUpperCase()), ` T${n.turn}: ${n.text}`)))));
  drawJoinCard();
  drawTeacherTools();
  // The map needs a view's shape: the public part is all it draws.
  board.show({ public: pub, me: { power: { id: 'teacher' } } });
}

// How teams join: the address, its QR code and the seats' codes (which a
// teacher can hide once every team is in).
function drawJoinCard() {
  const el = $('#join-card');
  const j = state.join;
  if (!el || !j) return;
  const qr = h('img', { class: 'qr', alt: `QR code of ${j.link}`, src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(j.qr_svg)}` });
  const hide = h('input', { type: 'checkbox', id: 'hide-codes', onchange: (e) => { state.hideCodes = e.target.checked; drawJoinCard(); } });
  hide.checked = state.hideCodes;
  const seatOf = (p) => state.status?.seats.find((x) => x.power === p)?.seat;
  fill(el, h('div', { class: 'row' }, qr, h('div', {},
    h('p', {}, 'Open ', h('b', { class: 'mono' }, j.link), ' and type your team\'s code.'),
    h('label', {}, hide, ' Hide the codes'),
    state.hideCodes ? null : h('table', { class: 'codes' }, h('tbody', {}, j.seats.map((c) => h('tr', {},
      h('td', {}, powerTag(c.power)), h('td', { class: 'mono' }, c.code),
      h('td', { class: 'muted' }, seatOf(c.power) && seatOf(c.power) !== 'human' ? `computer (${seatOf(c.power)})` : ''))))))));
}

function drawTeacherTools() {
  const el = $('#teacher-tools');
  if (!el || !state.status) return;
  const s = state.status;
  const send = (m) => state.link.send(m);
  const minutes = { v: 5 };
  // Nothing left to pace once the game is over.
  const off = s.over;
  fill(el, 
    off ? h('p', { class: 'muted' }, 'The game is over: the tools rest.') : null,
    h('div', { class: 'row' }, h('button', { type: 'button', disabled: off, onclick: () => send(msg.pause(!s.paused)) }, s.paused ? 'Play on' : 'Pause'),
      h('input', { type: 'number', min: 0, max: 120, value: 5, disabled: off, 'aria-label': 'Minutes per turn', oninput: (e) => { minutes.v = Number(e.target.value); } }),
      h('button', { type: 'button', disabled: off, onclick: () => send(msg.setClock(minutes.v)) }, 'Set clock')),
    s.seats.map((seat) => h('div', { class: 'row' }, powerTag(seat.power),
      h('button', { type: 'button', disabled: off || seat.ended_turn, onclick: () => send(msg.endTeamTurn(seat.power)) }, 'End its turn'),
      h('select', { 'aria-label': `Seat of ${POWER_NAME[seat.power]}`, disabled: off, onchange: (e) => send(msg.setSeat(seat.power, e.target.value)) },
        ['human', 'ai:easy', 'ai:normal', 'ai:hard'].map((x) => { const o = h('option', { value: x }, x); o.selected = seat.seat === x; return o; })))),
    state.cards.length ? h('div', { class: 'row' }, h('select', { id: 'card', disabled: off, 'aria-label': 'Event card' }, state.cards.map((c) => h('option', { value: c.id }, c.title))),
      h('button', { type: 'button', disabled: off, onclick: () => send(msg.fireCard($('#card').value)) }, 'Fire next turn')) : null);
}

// ---------------------------------------------------------------- start

// Escape closes the open dialog whatever had the focus (a dialog the host's
// message opened has had no click in it yet).
document.addEventListener('keydown', (e) => {
  const d = document.querySelector('#dialog');
  if (e.key === 'Escape' && d && d.open) { e.preventDefault(); d.close(); }
});

window.addEventListener('error', (e) => {
  // A broken page must say so, not go blank.
  const b = document.querySelector('#banner') || document.body.appendChild(h('p', { id: 'banner', class: 'banner bad' }));
  b.hidden = false;
  b.textContent = `Something went wrong on this page (${e.message}). Reload it: your code is kept.`;
});

const code = codeFromPage();
if (code) start(code); else joinScreen();
