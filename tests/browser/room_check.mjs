// Drives the live page of `geosim play --serve` in headless Chromium (puppeteer-core, pinned in
// package.json) for tests/apps/test_room_browser.cpp. Usage:
//   node room_check.mjs URL TEAM SCREENSHOT_DIR CHROMIUM REPORT_HTML
// Prints one line per stage, "NAME {json}", and reads a line from stdin where marked, so the
// test can type at the facilitator's prompt in between:
//   ROOM   the room view at 1280x720 as loaded      (then waits for a line: the test typed `step`)
//   AFTER  the room view once the page has updated
//   CHARTS the charts page (/charts) at 1280x720
//   TEAM   the team view of TEAM, its charts drawn    (then waits: the test typed a busy turn)
//   BUSY   the room view and the charts page after the busy turn (then waits: the report is written)
//   PRINT  the room view, the charts page, the team view and the report REPORT_HTML as printed on
//          A4 (print media, A4 width); PDFs written next to the screenshots
//   DONE   {external: [requests that left 127.0.0.1], errors: [console errors, CSP violations]}
import puppeteer from 'puppeteer-core';
import readline from 'node:readline';
import path from 'node:path';

const [url, team, shots, chromium = '/usr/bin/chromium', report = ''] = process.argv.slice(2);
const base = new URL(url);
const lines = readline.createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const external = [], errors = [];

function withPath(p) {
  const u = new URL(p, base);
  u.search = base.search;  // the token, if any
  return u.toString();
}

// What the page shows: every indicator's value, the step, the smallest text in CSS px as drawn
// (DOM and SVG text, font size times the scale it is drawn at; the network's canvas labels),
// the text drawn outside the viewport, the edges drawn, the partners listed, the last turn's
// items shown and counted as more.
async function measure(page) {
  return page.evaluate(() => {
    const indicators = {};
    for (const row of document.querySelectorAll('tr[data-indicator]'))
      indicators[row.querySelector('th').textContent.trim()] = row.querySelector('td.now').textContent.trim();
    let smallest = Infinity, smallestText = '';
    const outside = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node; (node = walker.nextNode());) {
      if (!node.textContent.trim()) continue;
      const element = node.parentElement;
      if (!element || !element.getClientRects().length || element.closest('[hidden], script, style')) continue;
      const m = element.getScreenCTM ? element.getScreenCTM() : null;  // SVG text: as drawn, turned or not
      const scale = m ? Math.hypot(m.a, m.b) : 1;
      const size = parseFloat(getComputedStyle(element).fontSize) * scale;
      if (size < smallest) { smallest = size; smallestText = node.textContent.trim().slice(0, 60); }
      const range = document.createRange();
      range.selectNodeContents(node);
      const b = range.getBoundingClientRect();
      if (b.width > 0 && (b.left < -0.5 || b.top < -0.5 || b.right > innerWidth + 0.5 || b.bottom > innerHeight + 0.5))
        outside.push(node.textContent.trim().slice(0, 40) + ' @' + Math.round(b.left) + ',' + Math.round(b.bottom));
    }
    const box = document.getElementById('network');
    const label = box ? parseFloat(box.getAttribute('data-label-px') || '0') : 0;
    const more = document.querySelector('#panel .turn .more');
    return {
      indicators, smallest, smallestText, label, outside,
      step: (document.getElementById('step') || {}).textContent,
      version: document.body.getAttribute('data-version'),
      edges: box ? JSON.parse(box.getAttribute('data-edge-ids') || '[]') : [],
      partners: [...document.querySelectorAll('tr[data-partner]')].map(r => r.getAttribute('data-partner')),
      shown: [...document.querySelectorAll('#panel .turn li')].filter(li => !li.hidden).length,
      more: more ? parseInt((more.textContent.match(/and (\d+) more/) || [0, '0'])[1], 10) : 0,
      text: document.body.innerText,
    };
  });
}

// The charts page: its panels' titles, the markers drawn (vertical rules in the colours of a
// step's moves, injects or both, once per panel), how often it has been drawn.
async function charts(page) {
  const seen = await measure(page);
  return Object.assign(seen, await page.evaluate(() => {
    const box = document.getElementById('charts');
    const svg = box.querySelector('svg');
    const titles = [...box.querySelectorAll('.role-title-text')].map(t => t.textContent);
    const markers = [...box.querySelectorAll('line')].filter(l => ['#6a3d9a', '#e07b00', '#222222'].includes(l.getAttribute('stroke'))).length;
    const r = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
    return { drawn: parseInt(box.getAttribute('data-drawn') || '0', 10), titles, markers, width: r.width, height: r.height };
  }));
}

// A page as printed on A4: print media at the width of an A4 page less its 12 mm margins
// (186 mm at 96 px to the inch). For each drawing (a chart's SVG, the network) and each thing
// a page break must not cut (a table row, a list item, a figure, a heading, a section of the
// room view):
// its size, whether it or a box around it is kept whole (break-inside: avoid), and for a
// drawing its smallest text as drawn (font size times the scale it is drawn at).
async function printed(page) {
  const a4 = { width: Math.round(186 / 25.4 * 96), height: Math.round(273 / 25.4 * 96) };
  await page.setViewport({ width: a4.width, height: a4.height });
  await page.emulateMediaType('print');
  await new Promise(resolve => setTimeout(resolve, 300));  // charts and network follow the new width
  const seen = await measure(page);
  return Object.assign(seen, await page.evaluate(page => {
    const panels = [];
    const drawings = '.chart > svg, .charts > svg, .chart-page > svg, div#network, figure.network > svg';
    for (const el of document.querySelectorAll(drawings + ', tr, li, figure, h2, h3, #panel section')) {
      if (!el.getClientRects().length || el.closest('[hidden]')) continue;
      const r = el.getBoundingClientRect();
      let whole = false;
      for (let e = el; e && e !== document.body; e = e.parentElement)
        whole = whole || getComputedStyle(e).breakInside === 'avoid';
      if (!el.matches(drawings)) {
        // A part of the text: kept whole when it fits on a page (a section longer than a page may break).
        if (el.tagName !== 'SECTION' || r.height <= page.height)
          panels.push({ what: el.tagName + ' ' + el.textContent.trim().slice(0, 40), chart: false, height: r.height, whole });
        continue;
      }
      const panel = el.closest('figure, section, .network-box') || el;
      let smallest = Infinity;  // its text as drawn
      for (const t of el.querySelectorAll('text')) {
        const m = t.getScreenCTM();
        if (t.textContent.trim() && m) smallest = Math.min(smallest, parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b));
      }
      panels.push({ what: (panel.id || panel.getAttribute('class') || panel.tagName).slice(0, 30), chart: true,
                    id: (el.closest('[id]') || {}).id || '', chartWidth: r.width, chartHeight: r.height, whole, smallest });
    }
    return { page, panels, bodyWidth: document.body.scrollWidth };
  }, a4));
}

const browser = await puppeteer.launch({
  executablePath: chromium, headless: true, timeout: 90000,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-extensions'],
});
// A new page at 1280x720 that may fetch only from the live page's server (and the report's file).
// `turnedAway`: its event stream is answered as the server answers one page too many (503), the
// first `turnedAway` times it is asked for (true: always), and the browser's own note of that
// failed load is not counted as an error of the page.
async function open(turnedAway = 0) {
  let refusals = turnedAway === true ? Infinity : turnedAway;
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 720 });
  page.setDefaultTimeout(60000);  // generous: the suite may run beside a build
  await page.setRequestInterception(true);
  page.on('request', request => {
    const u = new URL(request.url());
    if (u.pathname.endsWith('/events') && refusals > 0 && refusals--)
      return request.respond({ status: 503, headers: { 'Retry-After': '10' }, contentType: 'text/plain', body: 'too many' });
    if (u.protocol === 'data:' || (report && request.url() === new URL('file://' + report).href) ||
        (u.hostname === base.hostname && u.port === base.port)) return request.continue();
    external.push(request.url());
    request.abort();
  });
  if (!turnedAway) page.on('console', message => { if (message.type() === 'error') errors.push(message.text()); });
  page.on('pageerror', error => errors.push(String(error)));
  return page;
}

try {
  const page = await open();
  await page.goto(withPath('/'), { waitUntil: 'load' });
  await page.waitForFunction(() => document.getElementById('network').hasAttribute('data-edge-ids'));
  await page.waitForFunction(() => document.body.hasAttribute('data-version'));  // the stream is open
  const room = await measure(page);
  await page.screenshot({ path: path.join(shots, 'room-0.png') });
  // A page the server turned away (more pages than it streams to): it asks every three seconds.
  const polled = await open(true);
  await polled.goto(withPath('/'), { waitUntil: 'load' });
  await polled.waitForFunction(() => document.getElementById('connection').textContent !== 'reconnecting…',
                               { polling: 100 });
  room.polledStep = await polled.evaluate(() => document.getElementById('step').textContent);
  // A page turned away once: it asks, then tries the stream again (every fourth ask) and follows it.
  const retried = await open(1);
  await retried.goto(withPath('/'), { waitUntil: 'load' });
  await retried.waitForFunction(() => document.getElementById('connection').textContent === 'live (every 3 s)',
                                { polling: 100 });
  console.log('ROOM ' + JSON.stringify(room));

  await lines.next();  // the test typed `step`
  await page.waitForFunction(v => document.body.getAttribute('data-version') !== v, {}, room.version);
  const after = await measure(page);
  await page.screenshot({ path: path.join(shots, 'room-1.png') });
  await polled.waitForFunction(s => document.getElementById('step').textContent === s, { polling: 100 }, after.step);
  after.polled = await polled.evaluate(() => ({
    step: document.getElementById('step').textContent, status: document.getElementById('connection').textContent,
  }));
  await polled.close();
  console.log('AFTER ' + JSON.stringify(after));

  const chartPage = await open();
  await chartPage.goto(withPath('/charts'), { waitUntil: 'load' });
  await chartPage.waitForFunction(() => document.getElementById('charts').hasAttribute('data-drawn'));
  await chartPage.waitForFunction(() => document.body.hasAttribute('data-version'));
  const chart = await charts(chartPage);
  await chartPage.screenshot({ path: path.join(shots, 'charts-1.png') });
  console.log('CHARTS ' + JSON.stringify(chart));

  const teamPage = await open();
  await teamPage.goto(withPath('/team/' + team), { waitUntil: 'load' });
  await teamPage.waitForFunction(() => document.getElementById('network').hasAttribute('data-edge-ids'));
  await teamPage.waitForFunction(() => document.getElementById('charts').hasAttribute('data-drawn'));
  const teamView = Object.assign(await measure(teamPage), await teamPage.evaluate(() => ({
    chartTitles: [...document.querySelectorAll('#charts .role-title-text')].map(t => t.textContent),
  })));
  await teamPage.screenshot({ path: path.join(shots, 'team-' + team + '.png'), fullPage: true });
  console.log('TEAM ' + JSON.stringify(teamView));
  await teamPage.close();

  const step = (await lines.next()).value.trim();  // the test typed a busy turn and `step`: the step now
  // Polled (a page behind another gets no animation frames, which the default polling waits for).
  await page.waitForFunction(s => document.getElementById('step').textContent === s, { polling: 100 }, step);
  await page.bringToFront();
  await chartPage.waitForFunction(s => document.getElementById('charts').getAttribute('data-step') === s,
                                  { timeout: 120000, polling: 100 }, step);
  const busy = await measure(page);
  await retried.waitForFunction(s => document.getElementById('step').textContent === s &&
                                document.getElementById('connection').textContent === 'live',
                                { timeout: 90000, polling: 100 }, step);
  busy.retried = await retried.evaluate(() => ({
    step: document.getElementById('step').textContent, status: document.getElementById('connection').textContent,
  }));
  await retried.close();
  await page.screenshot({ path: path.join(shots, 'room-busy.png') });
  await chartPage.bringToFront();
  const busyCharts = await charts(chartPage);
  await chartPage.screenshot({ path: path.join(shots, 'charts-busy.png') });
  console.log('BUSY ' + JSON.stringify({ room: busy, charts: busyCharts }));

  await lines.next();  // the report is written
  await page.bringToFront();
  const roomPrint = await printed(page);
  await page.screenshot({ path: path.join(shots, 'room-print.png'), fullPage: true });
  await page.pdf({ path: path.join(shots, 'room.pdf'), format: 'A4', printBackground: true });
  await chartPage.bringToFront();
  const chartsPrint = await printed(chartPage);
  await chartPage.pdf({ path: path.join(shots, 'charts.pdf'), format: 'A4', printBackground: true });
  const teamPrintPage = await open();
  await teamPrintPage.goto(withPath('/team/' + team), { waitUntil: 'load' });
  await teamPrintPage.waitForFunction(() => document.getElementById('charts').hasAttribute('data-drawn'));
  const teamPrint = await printed(teamPrintPage);
  await teamPrintPage.pdf({ path: path.join(shots, 'team.pdf'), format: 'A4', printBackground: true });
  const reportPage = await open();
  await reportPage.goto(new URL('file://' + report).href, { waitUntil: 'load' });
  await reportPage.waitForFunction(() => document.body.hasAttribute('data-charts-ready'), { timeout: 90000 });
  const reportPrint = await printed(reportPage);
  await reportPage.screenshot({ path: path.join(shots, 'report-print.png'), clip: { x: 0, y: 0, width: 703, height: 2000 } });
  await reportPage.pdf({ path: path.join(shots, 'report.pdf'), format: 'A4', printBackground: true });
  console.log('PRINT ' + JSON.stringify({ room: roomPrint, charts: chartsPrint, team: teamPrint, report: reportPrint }));
  console.log('DONE ' + JSON.stringify({ external, errors }));
} finally {
  await browser.close();
}
process.exit(0);
