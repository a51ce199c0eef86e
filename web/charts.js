// Line charts drawn as SVG by hand: no library to load. Each series has a
// dash pattern as well as a colour, and the legend names it.

const NS = 'http://www.w3.org/2000/svg';

export function svg(tag, attrs = {}, ...children) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v !== undefined && v !== null) e.setAttribute(k, String(v));
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    e.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return e;
}

export const DASHES = ['', '6 3', '2 3', '8 3 2 3', '1 2'];

function nice(v) {
  if (Math.abs(v) >= 100) return v.toFixed(0);
  if (Math.abs(v) >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

/// series: [{name, color, points: [[x, y], …]}]; x is the turn.
export function lineChart({ title, series, width = 440, height = 160, yUnit = '', xLabel = (x) => `T${x}` }) {
  const pad = { l: 46, r: 10, t: 22, b: 40 };
  const all = series.flatMap((s) => s.points);
  const root = svg('svg', {
    viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img',
    'aria-label': title,
  });
  root.append(svg('text', { x: 4, y: 14, class: 'chart-title' }, title));
  if (all.length === 0) {
    root.append(svg('text', { x: width / 2, y: height / 2, 'text-anchor': 'middle', class: 'muted' }, 'Charted from the end of the first turn.'));
    return root;
  }
  let x0 = Math.min(...all.map((p) => p[0]));
  let x1 = Math.max(...all.map((p) => p[0]));
  let y0 = Math.min(0, ...all.map((p) => p[1]));
  let y1 = Math.max(...all.map((p) => p[1]));
  if (x1 === x0) { x0 -= 1; x1 += 1; }
  if (y1 === y0) y1 = y0 + 1;
  const w = width - pad.l - pad.r;
  const h = height - pad.t - pad.b;
  const X = (x) => pad.l + ((x - x0) / (x1 - x0)) * w;
  const Y = (y) => pad.t + h - ((y - y0) / (y1 - y0)) * h;
  root.append(svg('line', { x1: pad.l, y1: pad.t + h, x2: pad.l + w, y2: pad.t + h, class: 'axis' }));
  root.append(svg('line', { x1: pad.l, y1: pad.t, x2: pad.l, y2: pad.t + h, class: 'axis' }));
  for (const y of [y0, (y0 + y1) / 2, y1]) {
    root.append(svg('text', { x: pad.l - 4, y: Y(y) + 4, 'text-anchor': 'end', class: 'tick' }, `${nice(y)}${yUnit}`));
    root.append(svg('line', { x1: pad.l, y1: Y(y), x2: pad.l + w, y2: Y(y), class: 'grid' }));
  }
  root.append(svg('text', { x: pad.l, y: pad.t + h + 14, class: 'tick' }, xLabel(x0)));
  root.append(svg('text', { x: pad.l + w, y: pad.t + h + 14, 'text-anchor': 'end', class: 'tick' }, xLabel(x1)));
  let lx = pad.l;
  series.forEach((s, i) => {
    const dash = s.dash ?? DASHES[i % DASHES.length];
    if (s.points.length > 0) {
      const d = s.points.map((p, j) => `${j ? 'L' : 'M'}${X(p[0]).toFixed(1)},${Y(p[1]).toFixed(1)}`).join('');
      root.append(svg('path', { d, fill: 'none', stroke: s.color, 'stroke-width': 2, 'stroke-dasharray': dash || null },
        svg('title', {}, `${s.name}: ${s.points.map((p) => `${xLabel(p[0])} ${nice(p[1])}${yUnit}`).join(', ')}`)));
    }
    const ly = height - 8;
    root.append(svg('line', { x1: lx, y1: ly - 4, x2: lx + 18, y2: ly - 4, stroke: s.color, 'stroke-width': 2, 'stroke-dasharray': dash || null }));
    const label = svg('text', { x: lx + 22, y: ly, class: 'legend' }, s.name);
    root.append(label);
    lx += 30 + s.name.length * 6.2;
  });
  return root;
}
