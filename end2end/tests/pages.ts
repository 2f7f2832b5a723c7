// Page objects and helpers shared by the browser tests.
import { expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

export const admin = {
  email: process.env.E2E_ADMIN_EMAIL ?? 'admin@e2e.example.org',
  password: process.env.E2E_ADMIN_PASSWORD ?? 'e2e admin password 2026',
};

/** Fails the test with a readable list if axe finds any WCAG 2.1 AA violation on the page. */
export async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  expect(summary, summary.join('\n')).toEqual([]);
}

/**
 * Waits until the page's script has run: on staff pages the WebAssembly has hydrated the page
 * (an attribute only an Effect sets), on residents' pages (/s/…) public/resident.js has started.
 */
export async function waitForHydration(page: Page) {
  const attribute = new URL(page.url()).pathname.startsWith('/s/') ? 'data-enhanced' : 'data-hydrated';
  await expect(page.locator('html')).toHaveAttribute(attribute, 'true', { timeout: 15_000 });
}

/**
 * On a resident's area picker with districts outlined: taps a district (the map zooms into it,
 * in place with JavaScript, by reloading without), then the area in the middle of the zoomed
 * map. Taps with the touchscreen when the page has one.
 */
export async function tapDistrictThenArea(page: Page) {
  const tap = async (x: number, y: number) => {
    if ((await page.evaluate(() => navigator.maxTouchPoints)) > 0) await page.touchscreen.tap(x, y);
    else await page.mouse.click(x, y);
  };
  const label = page.locator('svg.area-map .outline-label').first();
  await label.scrollIntoViewIfNeeded();
  const district = await label.boundingBox();
  if (!district) throw new Error('no district outlined on the map');
  await tap(district.x + district.width / 2, district.y + district.height / 2);
  await expect(page.locator('svg.area-map.zoomed')).toBeVisible();
  await expect(page.locator('.map-zoom')).toBeVisible();
  const map = page.locator('svg.area-map');
  await map.scrollIntoViewIfNeeded();
  const zoomed = await map.boundingBox();
  if (!zoomed) throw new Error('no map');
  await tap(zoomed.x + zoomed.width / 2, zoomed.y + zoomed.height / 2);
}

export class LoginPage {
  constructor(private readonly page: Page) {}

  async open(next?: string) {
    await this.page.goto(next ? `/login?next=${encodeURIComponent(next)}` : '/login');
  }

  async signIn(email: string, password: string) {
    await this.page.getByLabel('E-mail').fill(email);
    await this.page.getByLabel('Password').fill(password);
    await this.page.getByRole('button', { name: 'Sign in' }).click();
  }

  /** Signs in and waits until the header shows who is signed in. */
  async signInAs(email: string, password: string) {
    await this.signIn(email, password);
    await expect(this.page.getByTestId('signed-in-as')).toContainText(email);
  }

  error() {
    return this.page.getByTestId('form-error');
  }
}

export class StaffAdminPage {
  constructor(private readonly page: Page) {}

  async open() {
    await this.page.goto('/admin/users');
  }

  async invite(email: string, role: 'admin' | 'designer' | 'analyst') {
    const form = this.page.getByTestId('invite-form');
    await form.getByLabel('E-mail').fill(email);
    await form.getByLabel('Role').selectOption(role);
    await form.getByRole('button', { name: 'Create invite link' }).click();
    await expect(this.page.getByTestId('invitation')).toContainText(email);
    return this.page.getByTestId('invite-url').inputValue();
  }

  member(email: string) {
    return this.page.locator(`[data-testid="staff-member"][data-email="${email}"]`);
  }
}

export async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByText('You have signed out.')).toBeVisible();
}

/** Accepts an invite link in a fresh page and returns once signed in. */
export async function acceptInvite(page: Page, inviteUrl: string, password: string) {
  await page.goto(inviteUrl);
  await page.getByLabel('New password').fill(password);
  await page.getByLabel('Type it again').fill(password);
  await page.getByRole('button', { name: 'Save password and sign in' }).click();
  await expect(page).toHaveURL(/\/\?welcome=1$/);
  await expect(page.getByRole('heading', { name: 'Welcome to Canvass' })).toBeVisible();
}

/**
 * Does `send` (a tap on Next, Enter…) and waits until the resident's page has been answered: a
 * new page has loaded, or the page's own check showed its problems. The residents' script posts
 * pages itself (so that a page survives a dropped connection) and then loads the next one, so
 * the next page's load is later than the tap's.
 */
export async function afterSending(page: Page, send: () => Promise<void>) {
  await page.evaluate(() => ((window as unknown as { before?: boolean }).before = true));
  await send();
  await page.waitForFunction(
    () => !(window as unknown as { before?: boolean }).before || document.getElementById('problems')?.hidden === false,
  );
  await page.waitForLoadState('load');
}
