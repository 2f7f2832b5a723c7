// Areas: the picker residents use in a survey (map, list, "use my location") on a phone, and the
// staff pages that show the city's area sets. The test server loads the demo city (Charlotte).
import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { admin, expectNoAxeViolations, LoginPage, tapDistrictThenArea, waitForHydration } from './pages';

/** Signs in as the admin and opens the preview of a fresh community survey. */
async function openCommunitySurveyPreview(page: Page) {
  const login = new LoginPage(page);
  await login.open();
  await login.signInAs(admin.email, admin.password);
  await page.goto('/surveys');
  await waitForHydration(page);
  await page.getByRole('button', { name: 'Use the community survey template' }).click();
  await expect(page.getByTestId('survey-editor')).toBeVisible();
  const editor = page.url();
  await page.goto(`${editor}/preview`);
  await waitForHydration(page);
  return editor;
}

test('a resident picks their neighborhood by tapping the map, by keyboard, and from the list', async ({ page }) => {
  await openCommunitySurveyPreview(page);
  const list = page.getByLabel('Which neighborhood do you live in?', { exact: false });
  const map = page.getByRole('group', { name: 'Map: tap your neighborhood' });
  await map.scrollIntoViewIfNeeded();
  await expect(map).toBeVisible();
  // The picker's own tools appear once its component has hydrated (the page's flag can come first
  // when the page waits on data); a tap before that is a plain link that reloads the page.
  await expect(page.locator('.area-search').first()).toBeVisible();
  const box = await map.boundingBox();
  expect(box?.width, 'the map fits the phone').toBeLessThanOrEqual(390);

  // Tap an area on the map: the list follows and the choice is announced.
  await map.getByRole('link', { name: 'NPA 9', exact: true }).tap();
  await expect(list).toHaveValue('9');
  await expect(page.getByTestId('area-status')).toHaveText('Your neighborhood: NPA 9');
  await expect(map.getByRole('link', { name: 'NPA 9', exact: true })).toHaveAttribute('aria-current', 'true');

  // Keyboard: focus another area and press Enter.
  await map.getByRole('link', { name: 'NPA 10', exact: true }).focus();
  await page.keyboard.press('Enter');
  await expect(list).toHaveValue('10');
  await expect(map.getByRole('link', { name: 'NPA 9', exact: true })).not.toHaveAttribute('aria-current', 'true');

  // The list moves the map's highlight too.
  await list.selectOption({ label: 'NPA 2' });
  await expect(map.getByRole('link', { name: 'NPA 2', exact: true })).toHaveAttribute('aria-current', 'true');

  // Search by name: on a phone the native list has no search box.
  const search = page.getByLabel('Search by name');
  await search.fill('npa 45');
  await expect(page.getByTestId('area-matches').getByRole('button')).toHaveCount(8);
  await page.getByTestId('area-matches').getByRole('button', { name: 'NPA 45', exact: true }).click();
  await expect(list).toHaveValue('45');
  await expect(page.getByTestId('area-status')).toHaveText('Your neighborhood: NPA 45');
  await search.fill('Nowhere');
  await expect(page.getByText('No neighborhood has that name.')).toBeVisible();
  await expectNoAxeViolations(page);
});

test('"use my location" finds the area on a 360-pixel phone, and a location outside the city says so', async ({ browser }) => {
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 },
    hasTouch: true,
    isMobile: true,
    permissions: ['geolocation'],
    geolocation: { longitude: -80.8431, latitude: 35.2271 }, // Uptown Charlotte
  });
  const page = await context.newPage();
  await openCommunitySurveyPreview(page);
  const list = page.getByLabel('Which neighborhood do you live in?', { exact: false });
  const map = page.getByRole('group', { name: 'Map: tap your neighborhood' });
  await map.scrollIntoViewIfNeeded();
  const box = await map.boundingBox();
  expect(box?.width, 'the map fits a 360-pixel screen').toBeLessThanOrEqual(360);
  expect(await page.evaluate(() => document.documentElement.scrollWidth), 'no sideways scrolling').toBeLessThanOrEqual(360);
  await page.getByTestId('use-my-location').click();
  await expect(page.getByTestId('area-status')).toContainText('Your neighborhood: NPA ');
  await expect(list).not.toHaveValue('');

  await context.setGeolocation({ longitude: -78.8986, latitude: 35.994 }); // Durham
  await page.getByTestId('use-my-location').click();
  await expect(page.getByTestId('area-status')).toHaveText(
    'That location is outside the city. You can still choose a neighborhood from the list.',
  );
  await context.close();
});

test('without JavaScript, an area link on the map comes back chosen', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
  const page = await context.newPage();
  const login = new LoginPage(page);
  await login.open();
  await login.signInAs(admin.email, admin.password);
  await page.goto('/surveys');
  await page.getByRole('button', { name: 'Use the community survey template' }).click();
  await expect(page.getByTestId('survey-editor')).toBeVisible();
  await page.goto(`${page.url()}/preview`);
  await page.getByRole('group', { name: 'Map: tap your neighborhood' }).getByRole('link', { name: 'NPA 12', exact: true }).click();
  await expect(page).toHaveURL(/neighborhood=12/);
  await expect(page.getByLabel('Which neighborhood do you live in?', { exact: false })).toHaveValue('12');
  await context.close();
});

test('staff see the area sets and the demo city with its population', async ({ page }) => {
  const login = new LoginPage(page);
  await login.open();
  await login.signInAs(admin.email, admin.password);
  await page.getByRole('link', { name: 'Areas' }).first().click();
  await waitForHydration(page);
  const sets = page.getByTestId('area-sets');
  await expect(sets).toContainText('1,115,476');
  await expectNoAxeViolations(page);
  await sets.getByRole('link', { name: 'Charlotte–Mecklenburg neighborhood profile areas' }).click();
  await expect(page.getByRole('img', { name: /Map of Charlotte/ })).toBeVisible();
  await expect(page.getByTestId('area-population').locator('tbody tr')).toHaveCount(462);
  await expectNoAxeViolations(page);
});

test('an administrator imports wards from a GeoJSON file, and a broken population file is refused with its reasons', async ({ page }) => {
  const login = new LoginPage(page);
  await login.open();
  await login.signInAs(admin.email, admin.password);
  await page.goto('/areas');
  await waitForHydration(page);
  const key = `wards-${Date.now()}`;
  const boundaries = page.getByTestId('import-areas');
  await boundaries.getByLabel('Name', { exact: true }).fill('City Council wards');
  await boundaries.getByLabel('Short id').fill(key);
  await boundaries.getByLabel('GeoJSON file').setInputFiles('../server/demo-data/durham/selectgroups.geojson.json');
  await boundaries.getByLabel("Property with each area's name (optional)").fill('label');
  await boundaries.getByLabel('Property with Spanish names (optional)').fill('label_es');
  await boundaries.getByLabel('Only features where (optional)').fill('feature_type=ward');
  await boundaries.getByRole('button', { name: 'Check and import' }).click();
  await expect(page).toHaveURL(new RegExp(`/areas/${key}$`));
  await expect(page.getByTestId('import-outcome')).toContainText('Imported 3 areas into City Council wards.');
  await expect(page.getByTestId('area-population').locator('tbody tr')).toHaveCount(3);
  await expect(page.getByTestId('areas-without-population')).toContainText('No total population (unknown, not zero) for 3 areas');
  await expectNoAxeViolations(page);

  await page.goto('/areas');
  const population = page.getByTestId('import-population');
  await population.getByLabel('Area set id').fill(key);
  await population.getByLabel('CSV file').setInputFiles({
    name: 'wards.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('area,total\nWard 1,-5\nWard 9,100\n'),
  });
  await population.getByRole('button', { name: 'Check and import' }).click();
  const outcome = page.getByTestId('import-outcome');
  await expect(outcome).toContainText('Nothing was imported');
  await expect(outcome).toContainText('Line 3: area "Ward 9" is not in this area set.');
  await expect(outcome).toContainText('Line 2, column total: -5 is negative');
  await expectNoAxeViolations(page);
});

test('on the survey itself a resident finds their neighborhood by the name they know it by, or by street address', async ({ browser }) => {
  const port = Number(process.env.E2E_PORT ?? 3100);
  const { community } = JSON.parse(readFileSync(`/tmp/canvass-e2e-${port}-surveys.json`, 'utf8'));
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  await page.goto(`/s/${community}?page=2`);
  await waitForHydration(page);
  const list = page.locator('select[name="neighborhood"]');
  const search = page.getByLabel('Search by name');
  const matches = page.getByTestId('area-matches');
  await search.fill('plaza mid');
  await expect(matches.getByRole('button')).toHaveCount(1);
  await expect(matches.getByRole('button')).toContainText('Plaza Midwood');
  await matches.getByRole('button').click();
  await expect(list).not.toHaveValue('');
  await expect(page.getByTestId('area-status')).toHaveText(/^Your neighborhood: NPA \d+$/);
  // Accents and capitals do not matter; a town's name finds its areas.
  await search.fill('DILWÓRTH');
  await expect(matches.getByRole('button')).toHaveCount(1);
  // The town's five areas, and North Davidson (a neighborhood of Charlotte) by a word of its name.
  await search.fill('davidson');
  await expect(matches.getByRole('button')).toHaveCount(6);
  await expect(matches.getByRole('button').filter({ hasText: 'North Davidson' })).toHaveCount(1);
  await search.fill('Nowhere at all');
  await expect(page.getByText('No neighborhood has that name.')).toBeVisible();

  // By street address, from the city's address points; the address itself is never posted.
  await list.selectOption('');
  const street = page.getByLabel('Or your street address');
  await street.fill('600 e');
  await page.locator('.area-address').getByRole('button', { name: 'Find' }).click();
  await expect(page.getByTestId('address-choices').getByRole('button')).toHaveCount(2);
  await page.getByTestId('address-choices').getByRole('button', { name: /^600 E 4th St — NPA \d+$/ }).click();
  await expect(list).not.toHaveValue('');
  await expect(page.getByTestId('area-status')).toHaveText(/^Your neighborhood: NPA \d+$/);
  await street.fill('1900 the plaza');
  await street.press('Enter');
  await expect(page.getByTestId('area-status')).toHaveText(/^Your neighborhood: NPA \d+$/);
  await street.fill('77 Nowhere');
  await street.press('Enter');
  await expect(page.getByTestId('area-status')).toHaveText('No address in the city starts like that. Check the spelling, or choose from the list.');
  expect(await street.getAttribute('name'), 'not a field of the form').toBeNull();
  await expectNoAxeViolations(page);
  await context.close();
});

test('on a 360-pixel phone the map outlines council districts: a tap zooms into one, the next picks the neighborhood', async ({ browser }) => {
  const port = Number(process.env.E2E_PORT ?? 3100);
  const { community } = JSON.parse(readFileSync(`/tmp/canvass-e2e-${port}-surveys.json`, 'utf8'));
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  await page.goto(`/s/${community}?page=2`);
  await waitForHydration(page);
  await page.getByTestId('show-map').click();
  const map = page.locator('svg.area-map');
  await expect(map.locator('.outlines a')).toHaveCount(7);
  await expect(map.locator('.outline-label').first()).toHaveText('District 1');
  await expect(page.locator('.map-hint')).toBeVisible();
  // How big the neighborhoods are to a finger, whole and zoomed (median of those in view).
  const medianArea = () =>
    map.evaluate((svg) => {
      const view = svg.getBoundingClientRect();
      const sizes = [...svg.querySelectorAll('a[data-area]')]
        .map((a) => a.getBoundingClientRect())
        .filter((b) => b.right > view.left && b.left < view.right && b.bottom > view.top && b.top < view.bottom)
        .map((b) => Math.min(b.width, b.height))
        .sort((a, b) => a - b);
      return sizes[Math.floor(sizes.length / 2)];
    });
  const whole = await medianArea();
  const before = await map.getAttribute('viewBox');
  await tapDistrictThenArea(page);
  const zoomed = await medianArea();
  console.log(`median neighborhood on a 360 px phone: ${whole.toFixed(1)} px whole, ${zoomed.toFixed(1)} px zoomed into a district`);
  expect(zoomed, 'zooming makes neighborhoods bigger to tap').toBeGreaterThan(whole * 2);
  await expect(page.locator('select[name="neighborhood"]')).not.toHaveValue('');
  await expect(page.getByTestId('area-status')).toHaveText(/^Your neighborhood: NPA \d+$/);
  await expect(page.locator('.map-zoom strong')).toHaveText('District 1');
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: 'Show the whole map' }).click();
  await expect(map).not.toHaveClass(/zoomed/);
  expect(await map.getAttribute('viewBox')).toBe(before);
  await expect(page.locator('.map-zoom')).toHaveCount(0);
  await context.close();
});
