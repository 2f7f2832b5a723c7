// Leaders on a phone: the results dashboard of a closed survey with 1,500 synthetic responses
// skewed by area (scripts/e2e-server.sh) — map, outreach list, weighting toggle, filters, cross-tab,
// downloads — with and without JavaScript; the live fieldwork view; and the public results page,
// which must not show any count under the suppression threshold.
import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { admin, expectNoAxeViolations, LoginPage, waitForHydration } from './pages';

const port = Number(process.env.E2E_PORT ?? 3100);
const surveys = (): { results: string; results_id: number } =>
  JSON.parse(readFileSync(`/tmp/canvass-e2e-${port}-surveys.json`, 'utf8'));
/** `serve`'s default suppression threshold. */
const threshold = 5;

/** RFC 4180 CSV: quoted fields may hold commas, quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; }
    else if (c !== '\r') field += c;
  }
  if (field !== '' || row.length > 0) { row.push(field); rows.push(row); }
  return rows;
}

async function signIn(page: Page) {
  const login = new LoginPage(page);
  await login.open();
  await login.signInAs(admin.email, admin.password);
}

/** The map on the page: an image whose SVG file the server draws; its text, as the browser loads it. */
async function drawnMap(page: Page): Promise<string> {
  const image = page.getByTestId('choropleth').locator('img.area-map');
  await expect(image).toHaveJSProperty('complete', true);
  expect(await image.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
  const response = await page.request.get((await image.getAttribute('src')) ?? '');
  expect(response.status()).toBe(200);
  return response.text();
}

test('a leader sees who was heard, what they said and how sure we are; weighting changes the estimates', async ({ page }) => {
  const { results_id } = surveys();
  await signIn(page);
  await page.getByRole('link', { name: 'Results' }).first().click();
  await expect(page.getByTestId('results-list')).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByTestId('results-list').locator(`a[href="/surveys/${results_id}/results"]`).click();
  await expect(page).toHaveURL(new RegExp(`/surveys/${results_id}/results`));
  await waitForHydration(page);
  await expect(page.getByTestId('respondents')).toHaveText('1,500 respondents');
  // 1,500 responses over 462 neighborhoods: most areas have too few responses to tell whether
  // they are heard in proportion, and the dashboard says so instead of flagging them.
  const tooFew = Number(await page.getByTestId('areas-too-few').textContent());
  expect(tooFew).toBeGreaterThan(100);
  await expect(page.getByTestId('dissimilarity-expected')).toContainText(/chance alone: 0\.\d\d/);
  const map = await drawnMap(page);
  expect(map.match(/<path data-area=/g)?.length).toBe(462);
  const fills = new Set([...map.matchAll(/style="fill:([^"]+)"/g)].map((m) => m[1]));
  expect(fills.size).toBeGreaterThanOrEqual(4);
  await expect(page.getByTestId('outreach').locator('li')).toHaveCount(10);
  await expect(page.getByTestId('outreach').locator('li').first()).toContainText('more needed');
  // What they said, with an interval and the test in words.
  const headline = await page.getByTestId('headline').first().textContent();
  expect(headline).toMatch(/%\s\(\d+\.\d% to \d+\.\d%\)/);
  await expect(page.getByTestId('differences').first()).toContainText(/neighborhoods.*\(p [=<] /);
  await expectNoAxeViolations(page);

  // Weighted to residents: the estimate moves and the effective sample size appears.
  await expect(page.getByTestId('effective-n')).toHaveCount(0);
  await page.getByLabel('Weighting').selectOption('age,race_ethnicity,tenure');
  await page.getByRole('button', { name: 'Show results' }).click();
  await expect(page).toHaveURL(/weight=age%2Crace_ethnicity%2Ctenure|weight=age,race_ethnicity,tenure/);
  await expect(page.getByTestId('effective-n')).toBeVisible();
  const effective = Number((await page.getByTestId('effective-n').locator('dd').textContent())?.split(' ')[0].replace(/,/g, ''));
  expect(effective).toBeGreaterThan(100);
  expect(effective).toBeLessThan(1500);
  await expect(page.getByTestId('headline').first()).not.toHaveText(headline ?? '');
});

test('filters, map toggles and the cross-tab each change what is shown, and keep their address', async ({ page }) => {
  const { results_id } = surveys();
  await signIn(page);
  await page.goto(`/surveys/${results_id}/results`);
  await waitForHydration(page);
  await page.getByLabel('Channel').selectOption('invited');
  await page.getByRole('button', { name: 'Show results' }).click();
  await expect(page).toHaveURL(/channel=invited/);
  // The page keeps showing the last results until the new ones arrive.
  await expect(page.getByTestId('respondents')).not.toHaveText('1,500 respondents');
  const invited = Number((await page.getByTestId('respondents').textContent())?.replace(/[^0-9]/g, ''));
  // The generator sends 30% of its responses through the invited sample: about 450 of 1,500.
  expect(invited).toBeGreaterThan(350);
  expect(invited).toBeLessThan(550);

  await page.getByRole('link', { name: 'Representation ratio' }).click();
  await expect(page.getByRole('link', { name: 'Representation ratio' })).toHaveAttribute('aria-current', 'true');
  await expect(page).toHaveURL(/channel=invited.*map=representation|map=representation.*channel=invited/);
  await expect(page.getByTestId('choropleth').locator('figcaption')).toContainText('Representation');

  await page.getByRole('link', { name: 'Lowest first' }).click();
  const first = page.getByTestId('area-bars').locator('.bar-value').first();
  await expect(first).toHaveText(/0\.\d\d×/);

  await page.getByLabel('Break answers down by').selectOption({ index: 1 });
  await page.getByRole('button', { name: 'Show results' }).click();
  await expect(page.getByTestId('crosstab')).toBeVisible();
  await expect(page.getByTestId('crosstab').locator('tbody tr').first()).toBeVisible();
  await expectNoAxeViolations(page);

  // A date range nobody answered in: no respondents, and the page says so rather than failing.
  await page.getByLabel('From', { exact: true }).fill('2001-01-01');
  await page.getByLabel('To', { exact: true }).fill('2001-01-31');
  await page.getByRole('button', { name: 'Show results' }).click();
  await expect(page.getByTestId('respondents')).toHaveText('0 respondents');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the dashboard, its filters and its toggles work as plain links and forms', async ({ page }) => {
    const { results_id } = surveys();
    await signIn(page);
    await page.goto(`/surveys/${results_id}/results`);
    expect((await drawnMap(page)).match(/<path data-area=/g)?.length).toBe(462);
    await page.getByLabel('Weighting').selectOption('age,race_ethnicity,tenure');
    await page.getByRole('button', { name: 'Show results' }).click();
    await expect(page.getByTestId('effective-n')).toBeVisible();
    await page.getByRole('link', { name: 'Responses per 1,000 residents' }).click();
    await expect(page).toHaveURL(/weight=.*map=per_thousand/);
    await expect(page.getByTestId('effective-n')).toBeVisible();
  });
});

test('every download opens: CSVs with a byte-order mark, GeoJSON with 462 areas, the data dictionary', async ({ page }) => {
  const { results_id } = surveys();
  await signIn(page);
  await page.goto(`/surveys/${results_id}/results?weight=age,tenure`);
  await waitForHydration(page);
  const links = page.getByTestId('exports').getByRole('link');
  const hrefs = await links.evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).getAttribute('href') ?? ''));
  // Five files always; three more (the latest publication) once the results are published.
  expect([5, 8]).toContain(hrefs.length);
  for (const href of hrefs) {
    const response = await page.request.get(href);
    expect(response.status(), href).toBe(200);
    const body = await response.body();
    if (href.includes('.csv')) {
      expect([...body.subarray(0, 3)], href).toEqual([0xef, 0xbb, 0xbf]);
      expect(body.toString('utf8').split('\n').length, href).toBeGreaterThan(10);
    } else {
      const json = JSON.parse(body.toString('utf8'));
      if (href.includes('geojson')) {
        expect(json.type).toBe('FeatureCollection');
        expect(json.features.length).toBe(462);
        expect(json.features[0].geometry.type).toMatch(/Polygon/);
        expect(Object.keys(json.features[0].properties)).toContain('per_1000');
      }
    }
  }
  // The microdata carries the weights asked for.
  const microdata = hrefs.find((h) => h.includes('responses.csv')) ?? '';
  expect(microdata).toContain('weight=age%2Ctenure');
  await expect(page.getByTestId('free-text-warning')).toBeVisible();
});

test('the live fieldwork view counts responses and names where to canvass next', async ({ page }) => {
  const { results_id } = surveys();
  await signIn(page);
  await page.goto(`/surveys/${results_id}/fieldwork`);
  await waitForHydration(page);
  await expect(page.getByTestId('responses-total')).toHaveText('1,500');
  await expect(page.getByTestId('checked-at')).toContainText('They update every 15 seconds.');
  await expect(page.getByTestId('outreach-targets').locator('tbody tr')).toHaveCount(10);
  await expectNoAxeViolations(page);
});

test('a published results page shows no count under the threshold, anywhere', async ({ page, browser }) => {
  const { results, results_id } = surveys();
  // Off until staff switch it on.
  const visitor = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const resident = await visitor.newPage();
  expect((await resident.goto(`/s/${results}/results`))?.status()).toBe(404);

  await signIn(page);
  await page.goto(`/surveys/${results_id}/results`);
  await page.getByRole('button', { name: 'Publish the results' }).click();
  await expect(page.getByTestId('public-switch')).toContainText('Public: anyone can read the publication');
  await expect(page.getByTestId('public-switch')).toContainText('counts withheld');

  for (const map of ['per_thousand', 'representation', 'answer']) {
    await resident.goto(`/s/${results}/results?map=${map}`);
    await waitForHydration(resident);
    await expect(resident.getByTestId('methods')).toContainText(`any count under ${threshold} is withheld`);
    // Every count on the page is at least the threshold; withheld areas say so and are hatched.
    const counts = await resident.locator('[data-count]').evaluateAll((cells) => cells.map((c) => Number(c.getAttribute('data-count'))));
    expect(counts.length).toBeGreaterThan(0);
    expect(counts.filter((n) => n > 0 && n < threshold)).toEqual([]);
    const titles = [...(await drawnMap(resident)).matchAll(/<path [^>]*><title>([^<]*)<\/title>/g)].map((m) => m[1]);
    expect(titles.length).toBe(462);
    for (const title of titles) {
      const answers = title.match(/, ([0-9,]+) answers$/);
      // Zero is published (nobody to recognise); 1 to threshold − 1 never is.
      const n = answers ? Number(answers[1].replace(/,/g, '')) : 0;
      expect(n === 0 || n >= threshold, title).toBeTruthy();
    }
    await expect(resident.getByTestId('withheld-note')).toBeVisible();
    await expectNoAxeViolations(resident);
  }
  // The open-data file says the same: no count from 1 to threshold − 1; and a stranger
  // downloads the same publication beside the page.
  const rows = parseCsv((await (await page.request.get(`/api/v1/surveys/${results_id}/results/public.csv`)).text()).replace(/^\uFEFF/, ''));
  const strangers = await resident.request.get(`/s/${results}/results/data.csv`);
  expect(strangers.status()).toBe(200);
  expect(parseCsv((await strangers.text()).replace(/^\uFEFF/, '')).length).toBe(rows.length);
  const [measure, value] = [rows[0].indexOf('measure'), rows[0].indexOf('value')];
  expect(measure).toBeGreaterThan(0);
  const small = rows.slice(1).filter((cells) => ['count', 'responses', 'base', 'dont_know'].includes(cells[measure]) && Number(cells[value]) > 0 && Number(cells[value]) < threshold);
  expect(rows.length).toBeGreaterThan(100);
  expect(small).toEqual([]);
  await visitor.close();
});
