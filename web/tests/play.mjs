// Three browser clients (Debian's chromium, driven by playwright-core) play
// the first two turns of a classroom game against the real host, with the
// teacher's projector open beside them. Run from this folder:
//   npm ci && REG_BIN=/path/to/rare-earth-gambit node play.mjs
// Screenshots land in $REG_SCREENSHOTS (default: /tmp/reg-browser-screens).

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import Ajv2020 from 'ajv/dist/2020.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const bin = process.env.REG_BIN || path.join(process.env.CARGO_TARGET_DIR || path.join(repo, 'target'), 'debug/rare-earth-gambit');
const shots = process.env.REG_SCREENSHOTS || path.join(os.tmpdir(), 'reg-browser-screens');
const port = Number(process.env.REG_PORT || 7000 + Math.floor(Math.random() * 2000));
const base = `http://127.0.0.1:${port}`;
fs.mkdirSync(shots, { recursive: true });
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'reg-browser-'));

let failures = 0;
function check(ok, what) {
  if (ok) console.log(`ok   ${what}`);
  else { failures += 1; console.log(`FAIL ${what}`); }
}
function step(what) { console.log(`== ${what}`); }

// ------------------------------------------------------------------ host
const save = path.join(tmp, 'game.json');
function startHost(load = false) {
  const codesFile = path.join(tmp, 'codes.json');
  const game = load ? ['--load', save] : ['--level', 'classroom', '--seats', 'us=human,china=human,russia=human', '--seed', '7', '--autosave', save];
  const host = spawn(bin, ['serve', ...game, '--codes', codesFile, '--bind', '127.0.0.1', '--port', String(port)],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the host did not start: ${out}`)), 30000);
    host.stdout.on('data', (d) => {
      out += d;
      const teacher = out.match(/teacher's code\s+(\S+)/);
      if (teacher && fs.existsSync(codesFile)) {
        clearTimeout(timer);
        resolve({ host, codes: { ...JSON.parse(fs.readFileSync(codesFile, 'utf8')), teacher: teacher[1] }, log: () => out });
      }
    });
    host.on('exit', (c) => reject(new Error(`the host exited (${c}): ${out}`)));
  });
}

// ------------------------------------------------------------------ protocol
const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: false });
const clientSchema = ajv.compile(JSON.parse(fs.readFileSync(path.join(repo, 'web/protocol/client.schema.json'), 'utf8')));
const hostSchema = ajv.compile(JSON.parse(fs.readFileSync(path.join(repo, 'web/protocol/host.schema.json'), 'utf8')));

const pages = {};
async function open(browser, name, url, viewport = { width: 1366, height: 768 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const p = { name, page, context, sent: [], received: [], errors: [] };
  page.on('websocket', (ws) => {
    ws.on('framesent', (f) => p.sent.push(JSON.parse(f.payload)));
    ws.on('framereceived', (f) => p.received.push(JSON.parse(f.payload)));
  });
  page.on('pageerror', (e) => p.errors.push(e.message));
  await page.goto(url);
  pages[name] = p;
  return p;
}
const shot = (p, name) => p.page.screenshot({ path: path.join(shots, `${name}.png`) });
const text = (p) => p.page.evaluate(() => document.body.innerText);
const lastView = (p) => [...p.received].reverse().find((m) => m.type === 'view')?.view;
async function tab(p, label) { await p.page.getByRole('tab', { name: new RegExp(`^${label}`) }).click(); }
async function waitFor(what, fn, ms = 20000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await fn()) return true;
    await new Promise((r) => setTimeout(r, 150));
  }
  check(false, `${what} (timed out)`);
  return false;
}
const queuedCount = (p) => lastView(p)?.queued.length ?? -1;
async function queues(p, what, act) {
  const before = queuedCount(p);
  await act();
  await waitFor(`${p.name}: ${what} queued`, async () => queuedCount(p) === before + 1);
}
// The host answered the page's order: queued, or refused by the rules with
// a reason (either way the message was the protocol's).
async function answered(p, what, act) {
  const count = () => p.received.filter((m) => m.type === 'queued' || m.type === 'refused').length;
  const before = count();
  await act();
  await waitFor(`${p.name}: ${what} answered`, async () => count() > before);
}
async function teacherDoes(what, act) {
  const count = () => pages.teacher.received.filter((m) => m.type === 'done' || m.type === 'refused').length;
  const before = count();
  await act();
  await waitFor(`teacher: ${what} done`, async () => count() > before);
}
async function endTurn(p) {
  // The last team's button turns back at once when the turn resolves, so
  // wait for the host's answer rather than the button's words.
  const done = p.received.filter((m) => m.type === 'done').length;
  await p.page.getByRole('button', { name: 'End turn' }).click();
  await waitFor(`${p.name} ends its turn`, async () => p.received.filter((m) => m.type === 'done').length > done);
}

// ------------------------------------------------------------------ the game
let { host, codes, log } = await startHost();
let browser;
try {
  browser = await chromium.launch({
    executablePath: process.env.REG_CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });

  step('the page is served by the host');
  for (const [file, type] of [['/', 'text/html'], ['/app.js', 'text/javascript'], ['/style.css', 'text/css'],
    ['/map/countries.json', 'application/json'], ['/encyclopedia.json', 'application/json'], ['/protocol/client.schema.json', 'application/json']]) {
    const r = await fetch(base + file);
    check(r.ok && (r.headers.get('content-type') || '').startsWith(type), `GET ${file}: ${r.status} ${r.headers.get('content-type')}`);
  }
  check((await fetch(`${base}/../Cargo.toml`)).status === 404 && (await fetch(`${base}/nothing.js`)).status === 404, 'unknown files are not found');

  step('joining: typed, from the link, and a bad code');
  const us = await open(browser, 'us', `${base}/`);
  await us.page.getByLabel('Code').fill(codes.us);
  await us.page.getByLabel('Code').press('Enter');
  const china = await open(browser, 'china', `${base}/?code=${codes.china}`);
  // Case and dashes do not matter.
  const russia = await open(browser, 'russia', `${base}/`);
  await russia.page.getByLabel('Code').fill(codes.russia.toLowerCase().replaceAll('-', ''));
  await russia.page.getByRole('button', { name: 'Join' }).click();
  const teacher = await open(browser, 'teacher', `${base}/?code=${codes.teacher}`, { width: 1920, height: 1080 });
  const stranger = await open(browser, 'stranger', `${base}/?code=AAAA-BBBB-CCCC-DDDD`);
  for (const p of [us, china, russia]) {
    await p.page.getByRole('button', { name: 'End turn' }).waitFor({ timeout: 20000 });
    check((await text(p)).includes('Q1 2025 · turn 1/12'), `${p.name} sees the top bar`);
  }
  await stranger.page.getByRole('alert').waitFor({ timeout: 20000 });
  check(/unknown code/.test(await text(stranger)), 'a bad code gets a clear message and the join form again');
  await shot(stranger, '00-bad-code');
  await teacher.page.getByText('Projector').first().waitFor();
  const projector = await text(teacher);
  check(projector.includes(`${base}/`) && [codes.us, codes.china, codes.russia].every((c) => projector.includes(c)), 'the projector shows the address and every seat\'s code');
  check(await teacher.page.locator('img.qr').count() === 1, 'the projector shows the join QR code');
  for (const p of [us, china, russia]) {
    const others = [codes.us, codes.china, codes.russia, codes.teacher].filter((c) => c !== codes[p.name]);
    check(!p.received.some((m) => others.some((c) => JSON.stringify(m).includes(c))), `${p.name} never receives another code`);
  }
  await us.page.waitForTimeout(800);
  await shot(us, '01-us-turn1');
  await shot(teacher, '02-projector-turn1');

  step('turn 1: orders from every panel');
  // United States: a deposit on the map, research, a tariff, a deal to Russia.
  const usable = us.page.locator('.marker.place.usable.ctl-us').first();
  // Markers sit close together at world scale: zoom in, point at one, and
  // choose it from the keyboard.
  await us.page.getByRole('button', { name: 'Zoom in' }).click();
  await usable.focus();
  check((await us.page.locator('#map-info').innerText()).includes('fund a facility'), 'a place on the map explains itself');
  await us.page.locator('.marker.facility').first().dispatchEvent('mouseenter');
  check(/operating|permitting|construction/.test(await us.page.locator('#map-info').innerText()), 'pointing at a facility explains its stage');
  await queues(us, 'a facility funded from the map', async () => {
    await usable.press('Enter');
    await us.page.locator('#fund-cost', { hasText: 'in all' }).waitFor();
    check(/Costs \$[\d.,]+ bn in all: \$[\d.,]+ bn now/.test(await us.page.locator('#fund-cost').innerText()), "the fund dialog shows the engine's quote");
    await shot(us, '03-us-fund-dialog');
    await us.page.getByRole('button', { name: 'Fund', exact: true }).click();
  });
  await queues(us, 'research', async () => {
    await tab(us, 'Economy');
    await us.page.getByRole('button', { name: 'Fund research' }).click();
  });
  await queues(us, 'a deal proposed to Russia', async () => {
    await tab(us, 'Diplomacy');
    await us.page.getByRole('button', { name: 'Propose a deal to Russia…' }).click();
    await us.page.getByLabel('Kind of term').selectOption('Payment');
    await us.page.getByRole('button', { name: 'Add term' }).click();
    await us.page.getByLabel('amount').fill('0.1');
    await shot(us, '04-us-deal-editor');
    await us.page.getByRole('button', { name: 'Propose', exact: true }).click();
  });
  // A fourth action is one too many: the engine's reason is shown.
  await tab(us, 'Trade policy');
  await us.page.getByLabel('Tariff on China, %').fill('30');
  await us.page.getByLabel('Tariff on China, %').press('Enter');
  await waitFor('us: the refusal reason is shown', async () => us.received.some((m) => m.type === 'refused'));
  await tab(us, 'Orders');
  const refusal = us.received.find((m) => m.type === 'refused')?.reason || '(none)';
  check((await text(us)).includes(refusal), `the Orders panel shows the refusal: "${refusal}"`);
  // Market orders are free: buy, and take one back.
  await tab(us, 'Market');
  await queues(us, 'a purchase', async () => us.page.getByRole('button', { name: 'Buy', exact: true }).click());
  await queues(us, 'a reserve', async () => us.page.getByRole('button', { name: 'Set reserve' }).click());
  check((await text(us)).includes('a quarter from Japan, Europe and Korea (magnet makers and users)'),
    'the Market panel names the producer of an offtake, not its id');
  check(await us.page.getByLabel('Outside producer').inputValue() === 'australia-lynas',
    'the offtake form starts on a producer that deals with the US');
  // The producer's terms follow the producer and good chosen, and bound the quantity.
  const terms = async () => us.page.locator('#producer-terms').innerText();
  check(/^Lynas.*: signs offtakes with you up to [0-9.]+ kt of ore concentrate/i.test(await terms()),
    `the offtake form states Lynas's terms for concentrate: "${await terms()}"`);
  await us.page.getByLabel('Offtake good').selectOption('LightOxides');
  check((await terms()).includes('kt of light oxides (NdPr) a quarter (its capacity)'),
    `choosing light oxides restates the terms: "${await terms()}"`);
  const most = Number(await us.page.getByLabel('Offtake, kt a quarter').getAttribute('max'));
  check(most > 0 && (await terms()).includes(`up to ${most.toFixed(2)} kt`),
    `the quantity stops at Lynas's capacity (max ${most})`);
  await us.page.getByLabel('Offtake good').selectOption('Concentrate');
  await shot(us, '05-us-market');
  await tab(us, 'Orders');
  const beforeCancel = queuedCount(us);
  await us.page.getByRole('button', { name: `Cancel order ${beforeCancel}` }).click();
  await waitFor('us: an order cancelled', async () => queuedCount(us) === beforeCancel - 1);

  step('a reload mid-turn keeps the queued orders');
  const queuedBefore = lastView(us).queued;
  await us.page.reload();
  await us.page.getByRole('button', { name: 'End turn' }).waitFor({ timeout: 20000 });
  await tab(us, 'Orders');
  const afterReload = await text(us);
  check(queuedBefore.length === 4 && afterReload.includes(`Orders (${queuedBefore.length})`), `the reloaded page lists its ${queuedBefore.length} orders`);
  check(new URL(us.page.url()).searchParams.get('code') === codes.us, 'the code stays in the address after joining');
  await shot(us, '06-us-orders-after-reload');

  // China: sanctions, export controls and its stance.
  await tab(china, 'Trade policy');
  await queues(china, 'export controls', async () => china.page.getByLabel('Your export controls on heavy oxides (Dy/Tb) to United States').selectOption('Embargo'));
  await queues(china, 'sanctions', async () => china.page.getByRole('group', { name: 'Sanctions on United States' }).getByRole('button', { name: 'targeted' }).click());
  await tab(china, 'War');
  await queues(china, 'a stance', async () => china.page.getByRole('button', { name: 'mediate' }).click());
  await tab(china, 'Market');
  await queues(china, 'a sale', async () => china.page.getByRole('button', { name: 'Sell', exact: true }).click());
  await shot(china, '07-china-turn1');
  // Russia: its posture and intelligence.
  // From the keyboard: arrows move between the tabs.
  await russia.page.getByRole('tab', { name: 'Economy' }).focus();
  await russia.page.keyboard.press('ArrowRight');
  check(await russia.page.getByRole('tab', { name: 'Facilities' }).getAttribute('aria-selected') === 'true', 'the arrow keys move between the tabs');
  await tab(russia, 'War');
  await queues(russia, 'a posture', async () => russia.page.getByRole('button', { name: 'de-escalate' }).click());
  await tab(russia, 'Economy');
  await queues(russia, 'intelligence', async () => russia.page.getByRole('button', { name: /Gather intelligence/ }).click());
  await russia.page.keyboard.press('Escape');

  step('end of turn 1');
  for (const p of [us, china, russia]) await endTurn(p);
  for (const p of [us, china, russia]) {
    await p.page.getByRole('heading', { name: 'What happened in turn 1' }).waitFor({ timeout: 60000 });
  }
  await shot(us, '08-us-report-turn1');
  for (const p of [us, china, russia]) {
    await p.page.keyboard.press('Escape');
    check((await text(p)).includes('turn 2/12'), `${p.name} is in turn 2`);
    check(!(await p.page.locator('#toast').isVisible()), `${p.name}: no "waiting for the other teams" left in turn 2`);
  }

  step('turn 2: Russia accepts the US deal');
  await tab(russia, 'Diplomacy');
  const deal = russia.page.locator('.deal').first();
  await deal.waitFor();
  check((await deal.innerText()).includes('United States pays Russia $0.10 bn'), 'Russia reads the US proposal');
  await shot(russia, '09-russia-deal');
  await queues(russia, 'an acceptance', async () => deal.getByRole('button', { name: 'Accept' }).click());
  // China answers nothing; the teacher ends its turn from the projector.
  await endTurn(us);
  await endTurn(russia);
  await teacher.page.getByRole('button', { name: 'End its turn' }).nth(1).click();
  for (const p of [us, china, russia]) {
    await p.page.getByRole('heading', { name: 'What happened in turn 2' }).waitFor({ timeout: 60000 });
    await p.page.keyboard.press('Escape');
  }
  await tab(us, 'Diplomacy');
  await waitFor('the US sees its deal accepted', async () => /#\d+ to Russia: accepted/.test(await text(us)));
  await shot(us, '10-us-deal-accepted');
  await teacher.page.waitForTimeout(500);
  await shot(teacher, '11-projector-turn3');

  step('the projector and the pages agree');
  const label = lastView(us).public.label;
  for (const p of [china, russia, teacher]) check((await text(p)).includes(label), `${p.name} shows ${label}`);
  const priceUs = lastView(us).public.market.price;
  const pub = [...teacher.received].reverse().find((m) => m.type === 'public').public;
  check(JSON.stringify(pub.market.price) === JSON.stringify(priceUs), 'the projector has the teams\' prices');

  step('the host is killed and started again from its autosave: the pages join again by themselves');
  host.kill('SIGKILL');
  await waitFor('us: the lost connection is shown', async () => /connection to the host was lost/.test(await text(us)));
  const footer = await us.page.locator('#status').innerText();
  check(/not connected/.test(footer) && !/States connected|China connected|Russia connected/.test(footer), 'a cut-off page does not claim the teams are connected');
  await shot(us, '12-us-host-lost');
  ({ host, log } = await startHost(true));
  for (const p of [us, china, russia, teacher]) {
    await waitFor(`${p.name} joins again`, async () => !/connection to the host was lost/.test(await text(p)) && (await text(p)).includes('turn 3/12'), 30000);
  }

  step('nobody sees another team\'s secrets');
  const saved = JSON.parse(fs.readFileSync(save, 'utf8'));
  const secrets = {};
  for (const pw of saved.state.powers) {
    secrets[pw.power.id] = [`$${pw.finances.treasury.toFixed(2)} bn`, `Capital ${pw.politics.political_capital.toFixed(0)}`];
  }
  for (const p of [us, china, russia]) {
    await tab(p, 'Economy');
    const t = await text(p);
    check(t.includes(secrets[p.name][0]), `${p.name} sees its own treasury ${secrets[p.name][0]}`);
    for (const other of Object.keys(secrets).filter((q) => q !== p.name)) {
      for (const s of secrets[other]) check(!t.includes(s), `${p.name}'s page does not show ${other}'s "${s}"`);
    }
    check(!p.received.some((m) => m.type === 'view' && m.view.me.power.id !== p.name), `${p.name} received no other team's view`);
  }
  await shot(china, '12b-china-economy-turn3');

  step('a projector-sized screen');
  await us.page.setViewportSize({ width: 1920, height: 1080 });
  await tab(us, 'Market');
  await shot(us, '13-us-market-1920');
  await us.page.setViewportSize({ width: 1366, height: 768 });

  step('the encyclopedia\'s "?" pages');
  await tab(us, 'War');
  await us.page.getByRole('button', { name: 'Explain: war-minerals' }).click();
  await us.page.getByRole('heading', { level: 3, name: 'Figures and sources' }).waitFor();
  await shot(us, '14-us-help-page');
  await us.page.keyboard.press('Escape');

  step('on to the end of the game');
  for (let turn = 3; ; turn += 1) {
    if (lastView(us).public.outcome.over) break;
    check(turn <= 12, `turn ${turn} is within the game`);
    if (turn > 12) break;
    await queues(china, 'a purchase', async () => { await tab(china, 'Market'); await china.page.getByRole('button', { name: 'Buy', exact: true }).click(); });
    if (turn === 3) {
      // The rest of what the panels can send.
      await tab(us, 'War');
      await answered(us, 'aid', () => us.page.getByRole('group', { name: 'Aid to Ukraine' }).getByRole('button', { name: '1', exact: true }).click());
      await tab(us, 'Trade policy');
      await answered(us, 'extraterritorial controls', () => us.page.getByRole('button', { name: 'Start', exact: true }).click());
      await tab(us, 'Facilities');
      await answered(us, 'permit reform', () => us.page.getByRole('button', { name: /Permit reform/ }).first().click());
      await answered(us, 'idling a plant', () => us.page.getByRole('button', { name: 'Idle', exact: true }).first().click());
      await tab(russia, 'Diplomacy');
      await answered(russia, 'a supply deal proposed to China', async () => {
        await russia.page.getByRole('button', { name: 'Propose a deal to China…' }).click();
        await russia.page.getByRole('button', { name: 'Add term' }).click();
        await russia.page.getByRole('button', { name: 'Propose', exact: true }).click();
      });
      await teacherDoes('pause', () => teacher.page.getByRole('button', { name: 'Pause' }).click());
      await teacherDoes('play on', () => teacher.page.getByRole('button', { name: 'Play on' }).click());
      await teacherDoes('a clock', () => teacher.page.getByRole('button', { name: 'Set clock' }).click());
      await teacherDoes('a card', () => teacher.page.getByRole('button', { name: 'Fire next turn' }).click());
      await teacherDoes('a computer seat', () => teacher.page.getByLabel('Seat of Russia').selectOption('ai:easy'));
      await teacherDoes('the seat back', () => teacher.page.getByLabel('Seat of Russia').selectOption('human'));
      await shot(teacher, '11b-projector-tools');
    }
    if (turn === 4) {
      await tab(us, 'Market');
      await answered(us, 'an offtake', () => us.page.getByRole('button', { name: 'Offtake', exact: true }).click());
      await answered(us, 'an allied stockpile', () => us.page.getByRole('button', { name: 'Draw allied stockpile' }).click());
      await answered(us, 'a price floor', () => us.page.getByRole('button', { name: 'Guarantee' }).click());
      await tab(china, 'Diplomacy');
      await answered(china, 'a counter-proposal', async () => {
        await china.page.locator('.deal').first().getByRole('button', { name: 'Counter…' }).click();
        await china.page.getByRole('dialog').getByLabel('Reason', { exact: true }).fill('a better price');
        await shot(china, '11c-china-counter');
        await china.page.getByRole('button', { name: 'Send counter-proposal' }).click();
      });
    }
    if (turn === 5) {
      await tab(russia, 'Diplomacy');
      const counter = russia.page.locator('.deal').first();
      if (await counter.count()) await answered(russia, 'a rejection', () => counter.getByRole('button', { name: 'Reject' }).click());
    }
    for (const p of [us, china, russia]) await endTurn(p);
    await waitFor(`turn ${turn} resolves`, async () => [us, china, russia].every((p) => lastView(p).public.turn > turn || lastView(p).public.outcome.over), 60000);
    for (const p of [us, china, russia]) {
      if (lastView(p).public.outcome.over) continue;
      await p.page.getByRole('heading', { name: `What happened in turn ${turn}` }).waitFor({ timeout: 30000 });
      await p.page.keyboard.press('Escape');
      await p.page.locator('#dialog').waitFor({ state: 'hidden' });
    }
  }
  for (const p of [us, china, russia]) {
    await p.page.getByRole('heading', { name: /wins|No winner/ }).waitFor({ timeout: 30000 });
    check((await text(p)).includes('Share of separation') && (await p.page.locator('dialog svg.chart').count()) === 6, `${p.name} reads the debrief and its charts`);
    await p.page.getByRole('heading', { name: 'Timeline' }).waitFor({ timeout: 30000 });
    check((await text(p)).includes('Timeline'), `${p.name} reads the game's timeline in the debrief`);
  }
  await shot(us, '15-us-debrief');
  await shot(russia, '16-russia-debrief');
  await teacher.page.waitForTimeout(500);
  await shot(teacher, '17-projector-end');
  const hash = log().match(/the game is over \(state (\w+)\)/)?.[1];
  for (const p of [us, china, russia]) check(!!hash && p.received.some((m) => m.type === 'game_over' && m.state_hash === hash), `${p.name} got the host's final state ${hash}`);

  step('every message the pages sent is the protocol\'s, and the host took it');
  const kinds = new Set();
  for (const p of [us, china, russia, teacher, stranger]) {
    for (const m of p.sent) {
      const ok = clientSchema(m);
      if (!ok) check(false, `${p.name} sent ${JSON.stringify(m)}: ${ajv.errorsText(clientSchema.errors)}`);
      kinds.add(m.type === 'submit' ? `submit:${Object.keys(m.order)[0]}` : m.type);
    }
    for (const m of p.received) {
      if (!hostSchema(m)) check(false, `${p.name} received a ${m.type} outside the schema: ${ajv.errorsText(hostSchema.errors)}`);
    }
    const errors = p.received.filter((m) => m.type === 'error');
    if (p !== stranger) check(errors.length === 0, `${p.name}: the host found no message unreadable ${JSON.stringify(errors)}`);
    check(p.errors.length === 0, `${p.name}: no script errors ${p.errors.join('; ')}`);
  }
  console.log(`message kinds sent: ${[...kinds].sort().join(', ')}`);
  for (const p of [us, china, russia, teacher]) {
    const reasons = p.received.filter((m) => m.type === 'refused').map((m) => m.reason);
    if (reasons.length) console.log(`refused for ${p.name}: ${reasons.join(' | ')}`);
  }
  check(kinds.size >= 16, `${kinds.size} kinds of message sent`);

  step('a closed host: the pages say so');
  host.kill('SIGKILL');
  await waitFor('us: the lost connection is shown', async () => /connection to the host was lost/.test(await text(us)));
  await shot(us, '18-us-host-closed');
} catch (e) {
  failures += 1;
  console.log(`FAIL ${e.stack || e}`);
  for (const p of Object.values(pages)) {
    await shot(p, `failed-${p.name}`).catch(() => {});
    const brief = (m) => `${m.type}${m.type === 'view' ? ` T${m.view.public.turn}` : ''}${m.reason ? `: ${m.reason}` : ''}${m.message ? `: ${m.message}` : ''}`;
    console.log(`${p.name} sent: ${p.sent.slice(-4).map(brief).join(', ')}; received: ${p.received.slice(-6).map(brief).join(', ')}`);
  }
  console.log(log());
} finally {
  if (browser) await browser.close();
  host.kill('SIGKILL');
}
console.log(failures ? `${failures} failed; screenshots in ${shots}` : `browser tests passed; screenshots in ${shots}`);
process.exit(failures ? 1 : 0);
