// axe-core on every page built so far, at phone size, with zero violations allowed.
import { test, expect } from '@playwright/test';
import { admin, acceptInvite, expectNoAxeViolations, LoginPage, StaffAdminPage, waitForHydration } from './pages';

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
  await login.signInAs(admin.email, admin.password);
  for (const path of ['/', '/admin/audit', '/admin/users']) {
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

test('the invite page and the 403 page have no accessibility violations', async ({ page, browser }) => {
  const login = new LoginPage(page);
  await login.open();
  await login.signInAs(admin.email, admin.password);
  const staff = new StaffAdminPage(page);
  await staff.open();
  await waitForHydration(page);
  const link = await staff.invite(`axe-analyst-${Date.now()}@city.example.org`, 'analyst');

  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const newcomer = await context.newPage();
  await newcomer.goto(link);
  await waitForHydration(newcomer);
  await expectNoAxeViolations(newcomer);
  await acceptInvite(newcomer, link, 'a long enough password 2026');
  await newcomer.goto('/admin/users');
  await expect(newcomer.getByTestId('forbidden')).toBeVisible();
  await waitForHydration(newcomer);
  await expectNoAxeViolations(newcomer);
  await context.close();
});
