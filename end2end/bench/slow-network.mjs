// Benchmark (not a test): a resident on a cheap phone and a slow network. Chromium emulates a
// slow 3G link (400 kbit/s down and up, 400 ms round trip) and a CPU 4× slower than this
// machine's; the cache starts empty. Reports, for the community survey:
//   - when its first page can be answered (first contentful paint: the page is drawn with its
//     CSS, which blocks rendering, so the questions are usable), and when the residents' script
//     has started;
//   - the time to answer the whole survey to the receipt, tapping as fast as the page allows;
// and the same first-visit figures for the quick poll. Run by scripts/bench-resident.sh (see
// docs/BENCHMARKS.md); prints JSON.
import { chromium } from '@playwright/test';
import { readFileSync } from 'node:fs';

const port = Number(process.env.E2E_PORT ?? 3200);
const base = `http://127.0.0.1:${port}`;
const surveys = JSON.parse(readFileSync(`/tmp/canvass-e2e-${port}-surveys.json`, 'utf8'));
const runs = Number(process.env.RUNS ?? 3);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'],
});

async function slowPhone() {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 400,
    downloadThroughput: (400 * 1000) / 8,
    uploadThroughput: (400 * 1000) / 8,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  let bytes = 0;
  cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
  return { context, page, bytes: () => bytes };
}

async function firstVisit(path) {
  const { context, page, bytes } = await slowPhone();
  const started = Date.now();
  await page.goto(`${base}${path}`, { waitUntil: 'commit' });
  await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0);
  const paint = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    return performance.getEntriesByName('first-contentful-paint')[0].startTime - (nav ? nav.startTime : 0);
  });
  await page.waitForSelector('html[data-enhanced="true"]');
  const enhanced = Date.now() - started;
  await page.waitForLoadState('load');
  const result = { answerable_ms: Math.round(paint), script_ready_ms: enhanced, bytes: bytes() };
  await context.close();
  return result;
}

async function wholeSurvey() {
  const { context, page } = await slowPhone();
  const started = Date.now();
  await page.goto(`${base}/s/${surveys.community}`);
  let questions = 0;
  let pages = 0;
  for (let guard = 0; guard < 12 && !(await page.getByTestId('thanks').count()); guard++) {
    await page.waitForSelector('html[data-enhanced="true"]');
    pages++;
    questions += await page.locator('.survey-question:not([hidden])').count();
    const names = await page.evaluate(() => [
      ...new Set([...document.querySelectorAll('.survey-question:not([hidden]) input[type=radio]')].map((r) => r.name)),
    ]);
    for (const name of names) await page.locator(`input[name="${name}"]`).first().check();
    await page.evaluate(() => ((window).before = true));
    await page.locator('button[value="next"]').click();
    await page.waitForFunction(() => !(window).before);
    await page.waitForLoadState('domcontentloaded');
  }
  const receipt = await page.getByTestId('receipt').textContent();
  const result = { pages, questions, to_receipt_ms: Date.now() - started, receipt };
  await context.close();
  return result;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const report = {};
for (const [name, path] of [['community survey, first page', `/s/${surveys.community}`], ['quick poll', `/s/${surveys.poll}`]]) {
  const visits = [];
  for (let i = 0; i < runs; i++) visits.push(await firstVisit(path));
  report[name] = {
    answerable_ms: median(visits.map((v) => v.answerable_ms)),
    script_ready_ms: median(visits.map((v) => v.script_ready_ms)),
    bytes: median(visits.map((v) => v.bytes)),
    runs: visits,
  };
}
report['community survey to the receipt'] = await wholeSurvey();
console.log(JSON.stringify(report, null, 2));
await browser.close();
