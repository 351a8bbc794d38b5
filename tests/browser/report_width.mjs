// Opens a report page in headless Chromium (puppeteer-core, pinned in package.json) at a 1280 x
// 900 window, for tests/report/test_html_report_browser.cpp, and prints one line of JSON: the
// page's scroll width and the window's, and the elements drawn past the window's right edge
// (tag, id, class, right edge in CSS px). Writes a screenshot of the top of the page and one of
// the indicators' charts. Usage: node report_width.mjs PAGE CHROMIUM SCREENSHOT_DIR
import puppeteer from 'puppeteer-core';
import path from 'node:path';

const [page_path, chromium, shots] = process.argv.slice(2);
const browser = await puppeteer.launch({ executablePath: chromium, args: ['--no-sandbox'] });
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  await page.goto('file://' + path.resolve(page_path), { waitUntil: 'load', timeout: 90000 });
  await page.waitForFunction(
      () => document.body.dataset.chartsReady === document.body.dataset.chartsExpected, { timeout: 60000 });
  const measured = await page.evaluate(() => {
    const client = document.documentElement.clientWidth, past = [];
    for (const el of document.querySelectorAll('body *')) {
      const right = el.getBoundingClientRect().right;
      const cls = el.className && el.className.baseVal !== undefined ? el.className.baseVal : el.className;
      if (right > client + 1 && past.length < 10) past.push(`${el.tagName}#${el.id}.${cls} ${Math.round(right)}`);
    }
    return { scroll: document.documentElement.scrollWidth, client, past };
  });
  await page.screenshot({ path: path.join(shots, 'top.png') });
  const chart = await page.$('#chart-indicators');
  if (chart) {
    await chart.scrollIntoView();
    await page.screenshot({ path: path.join(shots, 'indicators.png') });
  }
  console.log(JSON.stringify(measured));
} finally {
  await browser.close();
}
