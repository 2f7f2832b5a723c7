// Residents on a phone: the community survey in Spanish with JavaScript and without, leaving
// halfway and resuming on another device, keyboard only, 200% zoom, the quick poll and its
// embed, and axe on every resident page.
import { test, expect, type Page, type Browser } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { admin, afterSending, expectNoAxeViolations, LoginPage, tapDistrictThenArea, waitForHydration } from './pages';

const port = Number(process.env.E2E_PORT ?? 3100);
const surveys = (): { community: string; community_id: number; poll: string; invite: string; invite_id: number } =>
  JSON.parse(readFileSync(`/tmp/canvass-e2e-${port}-surveys.json`, 'utf8'));

const phone = { viewport: { width: 390, height: 844 } };
const receiptPattern = /^[0-9A-Z]{4}-[0-9A-Z]{4}$/;

/** A resident's page: answers the visible questions like a person would, one tap each. */
class ResidentPage {
  constructor(private readonly page: Page) {}

  form() {
    return this.page.getByTestId('resident-form');
  }

  pageNumber() {
    return this.form().locator('input[name="_page"]').inputValue();
  }

  /** Picks, in every visible group of radio buttons, the option before the last one. */
  async answerVisible() {
    const radios = this.page.locator('.survey-question:not([hidden]) input[type="radio"]');
    const names = new Map<string, number[]>();
    const count = await radios.count();
    for (let i = 0; i < count; i++) {
      const name = (await radios.nth(i).getAttribute('name')) ?? '';
      names.set(name, [...(names.get(name) ?? []), i]);
    }
    for (const indexes of names.values()) {
      await radios.nth(indexes[Math.max(0, indexes.length - 2)]).check();
    }
  }

  /** Taps Next (or Submit) and waits for the next page, or for the page's own check. */
  async next() {
    await afterSending(this.page, () => this.form().locator('button[value="next"]').click());
  }

  /** Answers and moves on until the thank-you page; returns the receipt. */
  async finish() {
    for (let guard = 0; guard < 10 && !(await this.page.getByTestId('thanks').isVisible()); guard++) {
      await this.answerVisible();
      await this.next();
    }
    const receipt = (await this.page.getByTestId('receipt').textContent()) ?? '';
    expect(receipt).toMatch(receiptPattern);
    return receipt;
  }
}

async function newPhone(browser: Browser, options: { locale?: string; javaScriptEnabled?: boolean } = {}) {
  const context = await browser.newContext({ ...phone, ...options });
  return { context, page: await context.newPage() };
}

test('a resident answers the community survey in Spanish, leaves halfway, resumes on another device and gets a receipt', async ({ browser }) => {
  const { community } = surveys();
  const { context, page } = await newPhone(browser, { locale: 'es-MX' });
  await page.goto(`/s/${community}`);
  await waitForHydration(page);
  const resident = new ResidentPage(page);
  await expect(page.locator('.resident-page')).toHaveAttribute('lang', 'es');
  await expect(resident.form().getByRole('button', { name: 'Siguiente' })).toBeVisible();
  await expectNoAxeViolations(page);

  // Switching language keeps what was typed.
  await page.locator('input[name="place_to_live"][value="2"]').check();
  await page.getByRole('button', { name: 'English' }).click();
  await expect(resident.form().locator('button[value="next"]')).toHaveText('Next');
  await expect(page.locator('input[name="place_to_live"][value="2"]')).toBeChecked();
  await page.getByRole('button', { name: 'Español' }).click();
  await expect(resident.form().getByRole('button', { name: 'Siguiente' })).toBeVisible();
  await waitForHydration(page);

  // Checked in the browser before anything is sent: the page does not change. The app's own
  // messages, in the resident's language, not the browser's validation bubbles; focus moves to
  // the summary so a screen reader reads it and a phone scrolls to it.
  await expect(resident.form()).toHaveAttribute('novalidate', '');
  await resident.next();
  await expect(page.locator('#problems')).toBeVisible();
  await expect(page.locator('#problems')).toContainText('Responda esta pregunta');
  await expect(page.locator('#problems')).toBeFocused();
  await expect(page.locator('#problems')).toBeInViewport();
  expect(page.url()).not.toContain('check=1');
  await expectNoAxeViolations(page);

  await resident.answerVisible();
  await resident.next();
  await expect(page).toHaveURL(/page=1/);
  await resident.answerVisible();
  await resident.next();
  await expect(page).toHaveURL(/page=2/);
  await expect(page.locator('select[name="neighborhood"]')).toBeVisible();
  // The drawn map comes only when asked for: it is most of the page's weight.
  await expect(page.locator('svg.area-map')).toHaveCount(0);
  await page.getByTestId('show-map').click();
  await tapDistrictThenArea(page);
  await expect(page.locator('select[name="neighborhood"]')).not.toHaveValue('');
  await expect(page).toHaveURL(/page=2/);
  await expectNoAxeViolations(page);
  // "Continue later" saves the page first and gives the whole link, to copy.
  await page.locator('select[name="neighborhood"]').selectOption({ index: 3 });
  await afterSending(page, () => page.getByTestId('continue-later-button').click());
  await expect(page.getByTestId('continue-later')).toBeVisible();
  const link = await page.locator('#resume-link-field').inputValue();
  expect(link).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/s/${community}/resume/`));
  await expectNoAxeViolations(page);

  const laptop = await newPhone(browser, { locale: 'es-MX' });
  await laptop.page.goto(link!);
  // The link asks before it continues anything (a link someone else sent must not tie this
  // browser to their response); continuing moves the response to this browser.
  await expect(laptop.page.getByRole('heading', { name: '¿Continuar la respuesta que empezó?' })).toBeVisible();
  await expectNoAxeViolations(laptop.page);
  await laptop.page.getByRole('button', { name: 'Continuar mi respuesta' }).click();
  await expect(laptop.page).toHaveURL(new RegExp(`/s/${community}$`));
  const later = new ResidentPage(laptop.page);
  expect(await later.pageNumber()).toBe('2');
  await expect(laptop.page.locator('select[name="neighborhood"]')).not.toHaveValue('');
  // The first phone is told where its answers went, instead of silently starting again.
  await page.goto(`/s/${community}`);
  await expect(page.getByTestId('continued-elsewhere')).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByRole('link', { name: 'Empezar una respuesta nueva aquí' }).click();
  await expect(resident.form()).toBeVisible();
  expect(await resident.pageNumber()).toBe('0');
  await context.close();
  await waitForHydration(laptop.page);
  const receipt = await later.finish();
  await expect(laptop.page.getByRole('heading', { name: '¡Gracias!' })).toBeVisible();
  await expectNoAxeViolations(laptop.page);
  await laptop.page.screenshot({ path: '/tmp/shots/resident-thanks-es.png', fullPage: true });
  expect(receipt).toMatch(receiptPattern);
  await laptop.context.close();
});

test('without JavaScript (in Spanish) the survey posts page by page, shows problems next to the questions, keeps what was typed and ends with a receipt', async ({ browser }) => {
  const { community } = surveys();
  const { context, page } = await newPhone(browser, { javaScriptEnabled: false, locale: 'es-MX' });
  await page.goto(`/s/${community}`);
  const resident = new ResidentPage(page);
  await page.locator('input[name="place_to_live"][value="4"]').check();
  await resident.next();
  await expect(page).toHaveURL(/page=0&check=1/);
  await expect(page.locator('#problems')).toContainText('Revise las respuestas marcadas');
  await expect(page.locator('#question-place_to_work .field-error')).toHaveText('Responda esta pregunta, por favor.');
  await expect(page.locator('input[name="place_to_live"][value="4"]')).toBeChecked();
  // (axe needs JavaScript in the page; the same server-rendered problems page is checked below.)
  await page.screenshot({ path: '/tmp/shots/resident-nojs-problems.png', fullPage: true });
  await resident.answerVisible();
  await resident.next();
  await resident.answerVisible();
  await resident.next();
  await expect(page).toHaveURL(/page=2/);
  // An answer given before the map is asked for survives the map and the tap on it.
  const earlier = page.locator('.survey-question:not([hidden]) input[type="radio"]').first();
  const earlierName = await earlier.getAttribute('name');
  const earlierValue = await earlier.getAttribute('value');
  await earlier.check();
  await page.getByTestId('show-map').click();
  await expect(page).toHaveURL(/map=1/);
  // The map view holds the area question alone: nothing typed there can be lost.
  await expect(page.getByTestId('map-view-note')).toBeVisible();
  await expect(page.locator(`input[type="radio"][name="${earlierName}"]`)).toHaveCount(0);
  await tapDistrictThenArea(page);
  await expect(page).toHaveURL(/neighborhood=/);
  await expect(page).not.toHaveURL(/map=1/);
  await expect(page.locator('select[name="neighborhood"]')).not.toHaveValue('');
  await expect(page.locator(`input[name="${earlierName}"][value="${earlierValue}"]`)).toBeChecked();
  const receipt = await resident.finish();
  expect(receipt).toMatch(receiptPattern);
  await context.close();
});

test('the whole survey can be answered with the keyboard alone', async ({ browser }) => {
  const { community } = surveys();
  const { context, page } = await newPhone(browser);
  await page.goto(`/s/${community}`);
  await waitForHydration(page);
  for (let presses = 0; presses < 600; presses++) {
    if (await page.getByTestId('thanks').isVisible()) break;
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLInputElement | null;
      if (!el) return 'none';
      if (el.type === 'radio') {
        const group = document.querySelectorAll(`input[name="${el.name}"]:checked`);
        return group.length === 0 ? 'unanswered radio' : 'radio';
      }
      if (el.tagName === 'BUTTON' && el.value === 'next') return 'next';
      return el.tagName;
    });
    if (focused === 'unanswered radio') await page.keyboard.press('Space');
    if (focused === 'next') {
      await afterSending(page, () => page.keyboard.press('Enter'));
      await waitForHydration(page);
    }
  }
  await expect(page.getByTestId('receipt')).toHaveText(receiptPattern);
  await context.close();
});

test('a page sent while the phone is offline stays on the phone, is sent once when the connection returns, and gets one receipt', async ({ browser }) => {
  const { community, community_id } = surveys();
  const staff = await browser.newContext();
  const office = await staff.newPage();
  const login = new LoginPage(office);
  await login.open();
  await login.signInAs(admin.email, admin.password);
  const responses = async () => {
    await office.goto(`/surveys/${community_id}/fieldwork`);
    return Number(((await office.getByTestId('responses-total').textContent()) ?? '').replace(/[^0-9]/g, ''));
  };
  const before = await responses();

  const { context, page } = await newPhone(browser);
  await page.goto(`/s/${community}`);
  await waitForHydration(page);
  const resident = new ResidentPage(page);
  const submit = resident.form().locator('button[value="next"]');
  for (let guard = 0; guard < 10 && !(await submit.textContent())?.startsWith('Submit'); guard++) {
    await resident.answerVisible();
    await resident.next();
    await waitForHydration(page);
  }
  await resident.answerVisible();
  await context.setOffline(true);
  await submit.click();
  await expect(page.locator('#send-status')).toContainText('saved on this phone');
  await expect(page.getByTestId('thanks')).toHaveCount(0);
  const kept = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('canvass:pending:')).length);
  expect(kept, 'the page is kept in the phone').toBe(1);
  await expectNoAxeViolations(page);
  await page.screenshot({ path: '/tmp/shots/resident-offline.png', fullPage: true });

  await context.setOffline(false);
  await expect(page.getByTestId('thanks')).toBeVisible();
  await expect(page.getByTestId('receipt')).toHaveText(receiptPattern);
  expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('canvass:pending:')).length)).toBe(0);
  expect(await responses(), 'one response stored').toBe(before + 1);
  await context.close();
  await staff.close();
});

test('on a phone every target is at least 44 by 44 pixels, the map is out of the tab order, and "please specify" waits for "other"', async ({ browser }) => {
  const { community } = surveys();
  const { context, page } = await newPhone(browser);
  await page.goto(`/s/${community}`);
  await waitForHydration(page);
  const resident = new ResidentPage(page);
  const tooSmall = () =>
    page.evaluate(() =>
      [...document.querySelectorAll('input:not([type=hidden]), select, textarea, button, summary, .choice label')]
        .filter((el) => !el.closest('.leave-empty'))
        .map((el) => ({ el, box: el.getBoundingClientRect() }))
        .filter(({ box }) => box.width > 0 && box.height > 0 && (box.width < 44 || box.height < 43.5))
        .map(({ el, box }) => `${el.tagName} ${el.getAttribute('name') ?? el.textContent?.trim().slice(0, 30)} ${Math.round(box.width)}×${Math.round(box.height)}`),
    );
  for (let guard = 0; guard < 10 && !(await page.getByTestId('thanks').isVisible()); guard++) {
    expect(await tooSmall(), `page ${await resident.pageNumber()}`).toEqual([]);
    if (await page.getByTestId('show-map').count()) {
      await page.getByTestId('show-map').click();
      await expect(page.locator('svg.area-map a[data-area]').first()).toBeAttached();
      const focusable = await page.locator('svg.area-map a[data-area]:not([tabindex="-1"])').count();
      expect(focusable, 'no area of the map is in the tab order').toBe(0);
    }
    // A question with "other, please specify" (not a demographic item whose option is "other").
    const other = page.locator('.survey-question:not([hidden]) fieldset:has(> .other-label) input[value="other"]').first();
    if (await other.count()) {
      const specify = page.locator(`[name="${await other.getAttribute('name')}.other"]`);
      await expect(specify).toBeHidden();
      await other.check();
      await expect(specify).toBeVisible();
      await other.uncheck().catch(() => undefined);
    }
    await page.screenshot({ path: `/tmp/shots/resident-phone-page-${guard}.png`, fullPage: true });
    await resident.answerVisible();
    await resident.next();
  }
  await context.close();
});

test('at 200% zoom the page reflows without sideways scrolling', async ({ browser }) => {
  const { community } = surveys();
  // 200% zoom on a 390-px phone leaves 195 CSS pixels.
  const context = await browser.newContext({ viewport: { width: 195, height: 422 } });
  const page = await context.newPage();
  for (const path of [`/s/${community}`, `/s/${community}?page=2`]) {
    await page.goto(path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, path).toBeLessThanOrEqual(1);
    await expect(page.getByTestId('resident-form').locator('button[value="next"]')).toBeVisible();
  }
  await page.screenshot({ path: '/tmp/shots/resident-zoom200.png', fullPage: true });
  await context.close();
});

test('a quick poll is answered in one tap, shows its results with small counts withheld, and embeds without the frame', async ({ browser }) => {
  const { poll } = surveys();
  const { context, page } = await newPhone(browser);
  await page.goto(`/s/${poll}?embed=1`);
  await waitForHydration(page);
  await expect(page.locator('footer')).toHaveCount(0);
  await expectNoAxeViolations(page);
  const resident = new ResidentPage(page);
  await resident.answerVisible();
  await resident.next();
  await expect(page.getByTestId('thanks')).toBeVisible();
  expect(page.url()).toContain('embed=1');
  await expect(page.locator('.poll-results')).toContainText(/Results appear once|too few to show|%/);
  await expectNoAxeViolations(page);
  await page.screenshot({ path: '/tmp/shots/poll-results.png', fullPage: true });
  await context.close();
});

test('an embedded quick poll fits its frame to its content, and a second vote from the same phone without cookies gets the first receipt', async ({ browser }) => {
  const { poll } = surveys();
  const base = `http://127.0.0.1:${port}`;
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const host = await context.newPage();
  const city = `<!doctype html><html lang="en"><title>City news</title><h1>City news</h1>
    <iframe src="${base}/s/${poll}?embed=1" title="Quick poll" width="100%" height="420" style="border:0"></iframe>
    <script src="${base}/embed.js" async></script>`;
  // The city's page, served from another site than Canvass's: `localhost` is another site than
  // `127.0.0.1` (and, being on this machine too, may embed it).
  const citySite = createServer((_, response) => response.writeHead(200, { 'Content-Type': 'text/html' }).end(city));
  await new Promise<void>((ready) => citySite.listen(0, ready));
  await host.goto(`http://localhost:${(citySite.address() as AddressInfo).port}/news`);
  const frame = host.frameLocator('iframe');
  await expect(frame.getByTestId('resident-form')).toBeVisible();
  const fits = async () => {
    const inner = await frame.locator('main').evaluate((main) => Math.ceil(main.getBoundingClientRect().bottom + window.scrollY));
    const outer = (await host.locator('iframe').boundingBox())?.height ?? 0;
    return Math.abs(inner - outer) <= 2;
  };
  await expect.poll(fits, { message: 'the frame is as tall as the poll' }).toBe(true);
  await frame.locator('input[type="radio"]').first().check();
  await frame.locator('button[value="next"]').click();
  await expect(frame.getByTestId('thanks')).toBeVisible();
  await expect.poll(fits, { message: 'the frame follows the thank-you page' }).toBe(true);
  // The content decides, not the frame: the submit button was inside the frame, nothing was cut.
  expect(await frame.locator('html').evaluate((html) => html.scrollHeight - window.innerHeight)).toBeLessThanOrEqual(1);
  const first = await frame.getByTestId('receipt').textContent();

  // The city's page blocks the frame's cookies: the phone still remembers its vote.
  await context.clearCookies();
  await host.reload();
  await frame.locator('input[type="radio"]').last().check();
  await frame.locator('button[value="next"]').click();
  await expect(frame.getByTestId('thanks')).toBeVisible();
  await expect(frame.getByTestId('receipt')).toHaveText(first ?? '');
  await host.screenshot({ path: '/tmp/shots/poll-embedded.png', fullPage: true });
  await context.close();
  citySite.close();
});

test('refusals, a page with problems and unknown surveys get clear pages with no accessibility violations', async ({ page }) => {
  const { community } = surveys();
  const sorry = await page.goto(`/s/${community}/sorry?reason=too_many_responses`);
  expect(sorry?.status()).toBe(429);
  await expect(page.getByRole('heading', { name: 'Your response was not accepted' })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.goto(`/s/${community}?page=0&check=1`);
  await expect(page.locator('#problems')).toBeVisible();
  await expectNoAxeViolations(page);
  const unknown = await page.goto('/s/nosuchsurvey');
  expect(unknown?.status()).toBe(404);
  await expectNoAxeViolations(page);
});

test('a designer makes a survey invite-only and a batch of codes; a household answers once with its code', async ({ page, browser }) => {
  const { invite, invite_id } = surveys();
  const login = new LoginPage(page);
  await login.open();
  await login.signInAs(admin.email, admin.password);
  await page.goto(`/surveys/${invite_id}/invites`);
  await waitForHydration(page);
  await page.getByLabel(/Invite codes only/).check();
  await page.getByRole('button', { name: 'Save access' }).click();
  await expect(page.getByLabel(/Invite codes only/)).toBeChecked();
  await page.getByLabel('How many codes').fill('5');
  await page.getByRole('button', { name: 'Make codes' }).click();
  await expect(page.getByTestId('invite-batches').locator('tbody tr')).toHaveCount(1);
  await expectNoAxeViolations(page);
  const csv = await page.request.get(`/surveys/${invite_id}/invites.csv?batch=1`);
  expect(csv.status()).toBe(200);
  const rows = (await csv.text()).trim().split('\n');
  expect(rows).toHaveLength(6);
  const code = rows[1].split(',')[0];
  expect(code).toMatch(receiptPattern);

  const household = await newPhone(browser);
  await household.page.goto(`/s/${invite}`);
  await expect(household.page.getByTestId('invite-needed')).toBeVisible();
  await expectNoAxeViolations(household.page);
  await household.page.getByLabel('Invite code').fill(code.toLowerCase());
  await household.page.getByRole('button', { name: 'Start the survey' }).click();
  await expect(household.page.getByText('You are answering with your invite code.')).toBeVisible();
  await new ResidentPage(household.page).finish();
  await household.context.close();

  const neighbour = await newPhone(browser);
  await neighbour.page.goto(`/s/${invite}`);
  await neighbour.page.getByLabel('Invite code').fill(code);
  await neighbour.page.getByRole('button', { name: 'Start the survey' }).click();
  await expect(neighbour.page.getByRole('alert')).toHaveText('This code has already been used to answer the survey.');
  await neighbour.context.close();
});
