// axe-core on every page built so far, at phone size, with zero violations allowed.
import { test, expect } from '@playwright/test';
import { admin, expectNoAxeViolations, LoginPage, waitForHydration } from './pages';

test('visitor pages have no accessibility violations', async ({ page }) => {
  for (const path of ['/', '/login', '/login?error=wrong_credentials&email=a%40b.gov', '/no/such/page', '/invite/EXPIRED']) {
    await page.goto(path);
    await waitForHydration(page);
    await expectNoAxeViolations(page);
  }
});

test('staff pages have no accessibility violations', async ({ page }) => {
  const login = new LoginPage(page);
  await login.open();
  await login.signIn(admin.email, admin.password);
  await expect(page.getByTestId('signed-in-as')).toBeVisible();
  for (const path of ['/', '/admin/users']) {
    await page.goto(path);
    await waitForHydration(page);
    await expectNoAxeViolations(page);
  }
  const form = page.getByTestId('invite-form');
  await form.getByLabel('E-mail').fill(`axe-${Date.now()}@city.example.org`);
  await form.getByRole('button', { name: 'Create invite link' }).click();
  await expect(page.getByTestId('invitation')).toBeVisible();
  await expectNoAxeViolations(page);
});
