// An administrator gives a kiosk an API token on a phone: creates it, copies the secret shown
// once, uses it against the API, and revokes it — with JavaScript and without. axe on the page.
import { test, expect, type Page } from '@playwright/test';
import { admin, expectNoAxeViolations, LoginPage, waitForHydration } from './pages';

async function createToken(page: Page, name: string): Promise<string> {
  const form = page.getByTestId('token-form');
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('What it may do').selectOption('read-results');
  await form.getByRole('button', { name: 'Create token' }).click();
  const secret = (await page.getByTestId('token-secret').textContent())?.trim() ?? '';
  expect(secret).toMatch(/^cvt_/);
  return secret;
}

async function revoke(page: Page, name: string) {
  const row = page.getByTestId('token').filter({ hasText: name });
  await row.getByText('Revoke…').click();
  await row.getByRole('button', { name: /Revoke this token/ }).click();
  await expect(page.getByTestId('token').filter({ hasText: name })).toHaveAttribute('data-revoked', 'true');
}

async function resultsWith(page: Page, secret: string): Promise<number> {
  const surveyId = await page.getByLabel('Survey', { exact: true }).inputValue().catch(() => '1');
  const response = await page.request.get(`/api/v1/surveys/${surveyId}/results`, {
    headers: { Authorization: `Bearer ${secret}` },
  });
  return response.status();
}

test('an administrator creates a token, sees its secret once, and revokes it', async ({ page }) => {
  const login = new LoginPage(page);
  await login.open('/admin/tokens');
  await login.signInAs(admin.email, admin.password);
  await expect(page).toHaveURL(/\/admin\/tokens$/);
  await waitForHydration(page);
  await expectNoAxeViolations(page);

  const name = `Kiosk ${Date.now()}`;
  const secret = await createToken(page, name);
  await expect(page.getByTestId('new-token')).toContainText('Authorization: Bearer');
  await expectNoAxeViolations(page);
  expect(await resultsWith(page, secret)).toBe(200);

  await page.reload();
  await expect(page.getByTestId('token-secret')).toHaveCount(0);
  await expect(page.getByTestId('token-list')).not.toContainText(secret);

  await revoke(page, name);
  expect(await resultsWith(page, secret)).toBe(401);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the same with plain forms', async ({ page }) => {
    const login = new LoginPage(page);
    await login.open('/admin/tokens');
    await login.signInAs(admin.email, admin.password);
    const name = `Paper desk ${Date.now()}`;
    const secret = await createToken(page, name);
    expect(await resultsWith(page, secret)).toBe(200);
    await page.goto('/admin/tokens');
    await expect(page.getByTestId('token-secret')).toHaveCount(0);
    await revoke(page, name);
    expect(await resultsWith(page, secret)).toBe(401);
  });
});
