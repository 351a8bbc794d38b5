// Drives the live page of `geosim play --serve` in headless Chromium (puppeteer-core, pinned in
// package.json) for tests/engine/test_room_browser.cpp. Usage:
//   node room_check.mjs URL TEAM SCREENSHOT_DIR [CHROMIUM]
// Prints one line per stage, "NAME {json}", and reads a line from stdin between the stages, so
// the test can type at the facilitator's prompt in between:
//   ROOM   the room view at 1280x720 as loaded      (then waits for a line: the test typed `step`)
//   AFTER  the room view once the page has updated
//   TEAM   the team view of TEAM
//   DONE   {external: [requests that left 127.0.0.1], errors: [console errors, CSP violations]}
import puppeteer from 'puppeteer-core';
import readline from 'node:readline';
import path from 'node:path';

const [url, team, shots, chromium = '/usr/bin/chromium'] = process.argv.slice(2);
const base = new URL(url);
const lines = readline.createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const external = [], errors = [];

function withPath(p) {
  const u = new URL(p, base);
  u.search = base.search;  // the token, if any
  return u.toString();
}

// What the page shows: every indicator's value, the step, the smallest text in CSS px (DOM text
// and the network's canvas labels, font size times zoom), the edges drawn, the partners listed.
async function measure(page) {
  return page.evaluate(() => {
    const indicators = {};
    for (const row of document.querySelectorAll('tr[data-indicator]'))
      indicators[row.querySelector('th').textContent.trim()] = row.querySelector('td.now').textContent.trim();
    let smallest = Infinity, smallestText = '';
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node; (node = walker.nextNode());) {
      if (!node.textContent.trim()) continue;
      const element = node.parentElement;
      if (!element || !element.getClientRects().length) continue;
      const size = parseFloat(getComputedStyle(element).fontSize);
      if (size < smallest) { smallest = size; smallestText = node.textContent.trim().slice(0, 60); }
    }
    const box = document.getElementById('network');
    const label = parseFloat(box.getAttribute('data-label-px') || '0');
    return {
      indicators, smallest, smallestText, label,
      step: (document.getElementById('step') || {}).textContent,
      version: document.body.getAttribute('data-version'),
      edges: JSON.parse(box.getAttribute('data-edge-ids') || '[]'),
      partners: [...document.querySelectorAll('tr[data-partner]')].map(r => r.getAttribute('data-partner')),
      text: document.body.innerText,
    };
  });
}

const browser = await puppeteer.launch({
  executablePath: chromium, headless: true, timeout: 30000,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-extensions'],
});
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 720 });
  page.setDefaultTimeout(15000);
  await page.setRequestInterception(true);
  page.on('request', request => {
    const u = new URL(request.url());
    if (u.protocol === 'data:' || (u.hostname === base.hostname && u.port === base.port)) return request.continue();
    external.push(request.url());
    request.abort();
  });
  page.on('console', message => { if (message.type() === 'error') errors.push(message.text()); });
  page.on('pageerror', error => errors.push(String(error)));

  await page.goto(withPath('/'), { waitUntil: 'load' });
  await page.waitForFunction(() => document.getElementById('network').hasAttribute('data-edge-ids'));
  await page.waitForFunction(() => document.body.hasAttribute('data-version'));  // the stream is open
  const room = await measure(page);
  await page.screenshot({ path: path.join(shots, 'room-0.png') });
  console.log('ROOM ' + JSON.stringify(room));

  await lines.next();  // the test typed `step`
  await page.waitForFunction(v => document.body.getAttribute('data-version') !== v, {}, room.version);
  const after = await measure(page);
  await page.screenshot({ path: path.join(shots, 'room-1.png') });
  console.log('AFTER ' + JSON.stringify(after));

  const teamPage = await browser.newPage();
  await teamPage.setViewport({ width: 1280, height: 720 });
  await teamPage.setRequestInterception(true);
  teamPage.on('request', request => {
    const u = new URL(request.url());
    if (u.protocol === 'data:' || (u.hostname === base.hostname && u.port === base.port)) return request.continue();
    external.push(request.url());
    request.abort();
  });
  teamPage.on('pageerror', error => errors.push(String(error)));
  await teamPage.goto(withPath('/team/' + team), { waitUntil: 'load' });
  await teamPage.waitForFunction(() => document.getElementById('network').hasAttribute('data-edge-ids'));
  const teamView = await measure(teamPage);
  await teamPage.screenshot({ path: path.join(shots, 'team-' + team + '.png'), fullPage: true });
  console.log('TEAM ' + JSON.stringify(teamView));
  console.log('DONE ' + JSON.stringify({ external, errors }));
} finally {
  await browser.close();
}
process.exit(0);
