// The board map: country outlines from assets/map/countries.json (served by
// the host at /map/countries.json) in the window's Miller projection, and on
// top the deposits, sites, facilities by stage, outside suppliers, the front
// in Ukraine and last quarter's trade, all from the view the host sent.

import { svg } from './charts.js';
import { POWER_NAME, POWER_TAG, KIND_NAME, STAGE_NAME, GOOD_SHORT, num, originName } from './words.js';

const DEG = 180 / Math.PI;

export function project(lon, lat) {
  const phi = Math.max(-90, Math.min(90, lat)) * Math.PI / 180;
  const y = 1.25 * Math.log(Math.tan(Math.PI / 4 + 0.4 * phi));
  return [lon, -y * DEG];
}

// The first view: the powers, Europe and the outside producers, without
// the empty Pacific and the poles.
const HOME = (() => {
  const [, north] = project(0, 78);
  const [, south] = project(0, -42);
  return [-128, north, 278, south - north];
})();

// Where trade between the powers (and the world outside) is drawn from and to.
const ANCHOR = { us: [-98, 39], china: [105, 34], russia: [50, 56], Outside: [10, 49] };
const anchorOf = (o) => (o === 'Outside' ? ANCHOR.Outside : ANCHOR[o.Power]);
const originKey = (o) => (o === 'Outside' ? 'outside' : o.Power);
const POWER_COUNTRY = { 'United States of America': 'us', China: 'china', Russia: 'russia' };

let countries = null;
export async function loadCountries() {
  if (!countries) {
    const r = await fetch('/map/countries.json');
    if (!r.ok) throw new Error(`the map could not be loaded (${r.status})`);
    countries = (await r.json()).countries;
  }
  return countries;
}

const frontCache = new Map();
async function frontLine(front) {
  const key = Math.round(Math.max(0, Math.min(1, front)) * 1000);
  if (!frontCache.has(key)) {
    const r = await fetch(`/map/front/${key}`);
    frontCache.set(key, r.ok ? await r.json() : []);
  }
  return frontCache.get(key);
}

export class BoardMap {
  /// `onPick(place)` is called when a deposit or site is chosen (to fund a
  /// facility there); `onInfo(lines)` when the pointer or focus explains one.
  constructor(host, { onPick, onInfo }) {
    this.host = host;
    this.onPick = onPick;
    this.onInfo = onInfo;
    this.box = HOME;
    this.root = svg('svg', { class: 'map', role: 'group', 'aria-label': 'World map', preserveAspectRatio: 'xMidYMid meet' });
    this.defs = svg('defs', {},
      svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 8, refY: 5, markerWidth: 2.6, markerHeight: 2.6, orient: 'auto-start-reverse' },
        svg('path', { d: 'M0,0L10,5L0,10z', fill: 'context-stroke' })),
      // Hatching for the three powers' land: colour-blind students tell them
      // apart by the pattern and the label too.
      pattern('hatch-us', 'var(--us)', 45), pattern('hatch-china', 'var(--china)', -45), pattern('hatch-russia', 'var(--russia)', 0));
    this.land = svg('g', { class: 'land' });
    this.overlay = svg('g', { class: 'overlay' });
    this.root.append(this.defs, this.land, this.overlay);
    host.append(this.root);
    this.zoomTo(this.box);
    new ResizeObserver(() => this.zoomTo(this.box)).observe(host);
    this.root.addEventListener('wheel', (e) => {
      e.preventDefault();
      const pt = this.toMap(e.clientX, e.clientY);
      this.zoom(e.deltaY < 0 ? 0.8 : 1.25, pt);
    }, { passive: false });
    let drag = null;
    this.root.addEventListener('pointerdown', (e) => {
      if (e.target.closest('.marker')) return;
      drag = { x: e.clientX, y: e.clientY, box: [...this.box] };
    });
    window.addEventListener('pointerup', () => { drag = null; });
    this.root.addEventListener('pointermove', (e) => {
      if (!drag) return;
      const r = this.root.getBoundingClientRect();
      const k = Math.max(drag.box[2] / r.width, drag.box[3] / r.height);
      this.zoomTo([drag.box[0] - (e.clientX - drag.x) * k, drag.box[1] - (e.clientY - drag.y) * k, drag.box[2], drag.box[3]]);
    });
  }

  toMap(cx, cy) {
    const r = this.root.getBoundingClientRect();
    const k = Math.max(this.box[2] / r.width, this.box[3] / r.height);
    const ox = this.box[0] + this.box[2] / 2 - (r.width * k) / 2;
    const oy = this.box[1] + this.box[3] / 2 - (r.height * k) / 2;
    return [ox + (cx - r.left) * k, oy + (cy - r.top) * k];
  }

  zoomTo(box) {
    this.box = box;
    this.root.setAttribute('viewBox', box.map((v) => v.toFixed(2)).join(' '));
    // Markers keep about the same size on screen at every zoom.
    const r = this.root.getBoundingClientRect();
    const perPixel = r.width > 0 ? Math.max(box[2] / r.width, box[3] / r.height) : box[2] / 900;
    this.scale = perPixel * 4;
    if (this.view) this.drawOverlay();
  }

  zoom(factor, about) {
    const [x, y, w, h] = this.box;
    const c = about || [x + w / 2, y + h / 2];
    const nw = Math.min(400, Math.max(12, w * factor));
    const nh = nw * (h / w);
    this.zoomTo([c[0] - (c[0] - x) * (nw / w), c[1] - (c[1] - y) * (nh / h), nw, nh]);
  }

  reset() { this.zoomTo(HOME); }

  drawLand(list) {
    this.land.replaceChildren();
    for (const c of list) {
      let d = '';
      for (const poly of c.polygons) {
        for (const ring of poly) {
          for (let i = 0; i < ring.length; i += 2) {
            const [x, y] = project(ring[i] / 100, ring[i + 1] / 100);
            d += `${i ? 'L' : 'M'}${x.toFixed(2)},${y.toFixed(2)}`;
          }
          d += 'Z';
        }
      }
      const p = POWER_COUNTRY[c.name];
      const path = svg('path', { d, class: p ? `country power-${p}` : 'country', fill: p ? `url(#hatch-${p})` : null },
        svg('title', {}, c.name));
      this.land.append(path);
    }
    for (const [p, [lon, lat]] of Object.entries({ us: [-100, 45], china: [100, 30], russia: [95, 62] })) {
      const [x, y] = project(lon, lat);
      this.land.append(svg('text', { x, y, class: `land-label label-${p}`, 'text-anchor': 'middle' }, POWER_TAG[p]));
    }
  }

  async show(view) {
    this.view = view;
    this.front = await frontLine(view.public.war.front);
    this.drawOverlay();
  }

  drawOverlay() {
    const v = this.view.public;
    const s = this.scale;
    const g = this.overlay;
    g.replaceChildren();
    // The front across Ukraine.
    if (this.front && this.front.length > 1 && v.war.status !== 'Peace') {
      const d = this.front.map(([lat, lon], i) => {
        const [x, y] = project(lon, lat);
        return `${i ? 'L' : 'M'}${x.toFixed(2)},${y.toFixed(2)}`;
      }).join('');
      g.append(svg('path', { d, class: 'front', 'stroke-width': 0.8 * s, 'stroke-dasharray': `${1.6 * s} ${0.8 * s}` },
        svg('title', {}, `The front: Russia holds ${num(v.war.front_share * 100, 0)}% of Ukraine's rare-earth reserves`)));
    }
    // Last quarter's trade between the powers and the outside world.
    const flows = new Map();
    for (const f of v.trade_flows) {
      const key = `${originKey(f.seller)}>${originKey(f.buyer)}`;
      if (originKey(f.seller) === originKey(f.buyer) || f.qty <= 0) continue;
      const e = flows.get(key) || { seller: f.seller, buyer: f.buyer, qty: 0, goods: {} };
      e.qty += f.qty;
      e.goods[f.good] = (e.goods[f.good] || 0) + f.qty;
      flows.set(key, e);
    }
    const max = Math.max(0, ...[...flows.values()].map((f) => f.qty));
    for (const f of flows.values()) {
      const [ax, ay] = project(...anchorOf(f.seller));
      const [bx, by] = project(...anchorOf(f.buyer));
      const dx = bx - ax; const dy = by - ay;
      const cx = ax + dx / 2 + dy * 0.18; const cy = ay + dy / 2 - dx * 0.18;
      const width = (0.4 + 1.8 * Math.sqrt(f.qty / max)) * s;
      const what = Object.entries(f.goods).map(([k, q]) => `${GOOD_SHORT[k]} ${num(q, 2)} kt`).join(', ');
      const title = `Trade last quarter: ${originName(f.seller)} sold ${originName(f.buyer)} ${what}`;
      const path = svg('path', {
        d: `M${ax},${ay}Q${cx},${cy} ${bx},${by}`, class: `flow from-${originKey(f.seller)}`,
        'stroke-width': width, 'marker-end': 'url(#arrow)', tabindex: 0,
      }, svg('title', {}, title));
      this.explain(path, [title]);
      g.append(path);
    }
    for (const sup of v.suppliers) {
      const [x, y] = project(sup.position.lon, sup.position.lat);
      const r = 1.3 * s;
      const m = svg('path', { d: `M${x},${y - r}L${x + r},${y}L${x},${y + r}L${x - r},${y}Z`, class: 'marker supplier', tabindex: 0 },
        svg('title', {}, sup.name));
      this.explain(m, [sup.name, `Outside producer: mines ${num(sup.mines, 2)} kt a quarter, magnet plants ${num(sup.magnet_plants, 2)} kt`]);
      g.append(m);
    }
    const me = this.view.me.power.id;
    const places = [
      ...v.deposits.map((d) => ({ ...d, place: 'deposit' })),
      ...v.sites.map((d) => ({ ...d, place: 'site' })),
    ];
    for (const d of places) {
      const [x, y] = project(d.position.lon, d.position.lat);
      const r = 1.1 * s;
      // As the rules' usable_by: held by the team, or held by nobody and open to it.
      const usable = d.controller === me || (d.controller == null && (d.open_to || []).includes(me));
      const shape = d.place === 'deposit'
        ? svg('circle', { cx: x, cy: y, r })
        : svg('rect', { x: x - r, y: y - r, width: 2 * r, height: 2 * r });
      const m = svg('g', {
        class: `marker place ${d.place} ctl-${d.controller}${usable ? ' usable' : ''}`, tabindex: 0, role: 'button',
        'aria-label': `${d.name}, ${d.place}${usable ? ': fund a facility here' : ''}`,
      }, shape, svg('title', {}, `${d.name} (${d.country})`));
      const lines = [
        `${d.name} (${d.country}) — ${d.place === 'deposit' ? 'deposit' : 'site for plants'}, held by ${POWER_NAME[d.controller] || d.controller}`,
      ];
      if (d.place === 'deposit') lines.push(`Reserves ${num(d.reserves, 0)} kt · heavy share ${num(d.heavy_share * 100, 1)}% · a mine of up to ${num(d.max_mine_capacity, 1)} kt`);
      if (d.note) lines.push(d.note);
      lines.push(usable ? 'Click (or Enter) to fund a facility here.' : 'Not open to you.');
      this.explain(m, lines);
      const pick = () => { if (usable) this.onPick(d); };
      m.addEventListener('click', pick);
      m.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); pick(); } });
      g.append(m);
    }
    // Facilities beside their place, by kind (shape) and stage (fill).
    const count = new Map();
    for (const f of v.facilities) {
      const at = places.find((p) => p.id === f.at);
      if (!at) continue;
      const n = count.get(f.at) || 0;
      count.set(f.at, n + 1);
      const [px, py] = project(at.position.lon, at.position.lat);
      const angle = -Math.PI / 2 + n * 1.1;
      const x = px + Math.cos(angle) * 2.6 * s; const y = py + Math.sin(angle) * 2.6 * s;
      const r = 1.0 * s;
      const shape = f.kind === 'Mine'
        ? svg('path', { d: `M${x},${y - r}L${x + r},${y + r}L${x - r},${y + r}Z` })
        : f.kind === 'SeparationPlant'
          ? svg('rect', { x: x - r, y: y - r * 0.8, width: 2 * r, height: 1.6 * r })
          : svg('circle', { cx: x, cy: y, r });
      const m = svg('g', { class: `marker facility owner-${f.owner} stage-${f.stage}`, tabindex: 0 },
        shape, svg('text', { x, y: y - 1.4 * r, 'font-size': 1.4 * s, 'text-anchor': 'middle', class: 'tag' }, POWER_TAG[f.owner]),
        svg('title', {}, `${f.name}: ${KIND_NAME[f.kind]}, ${STAGE_NAME[f.stage]}`));
      this.explain(m, [
        `${f.name} — ${POWER_NAME[f.owner]}'s ${KIND_NAME[f.kind]}, ${num(f.capacity, 2)} kt a quarter`,
        `${STAGE_NAME[f.stage]}${f.turns_left ? `, ${f.turns_left} turns left in this stage` : ''}${f.stage === 'Operating' ? `, output ${num(f.output, 2)} kt last quarter` : ''}`,
      ]);
      g.append(m);
    }
  }

  explain(el, lines) {
    const show = () => this.onInfo(lines);
    el.addEventListener('mouseenter', show);
    el.addEventListener('focus', show);
  }
}

function pattern(id, color, angle) {
  return svg('pattern', { id, width: 2, height: 2, patternUnits: 'userSpaceOnUse', patternTransform: `rotate(${angle})` },
    svg('rect', { width: 2, height: 2, fill: color, 'fill-opacity': 0.25 }),
    svg('line', { x1: 0, y1: 0, x2: 0, y2: 2, stroke: color, 'stroke-width': 0.6, 'stroke-opacity': 0.7 }));
}
