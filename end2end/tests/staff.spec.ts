// A new admin signs in on a phone, invites a designer and an analyst, and signs out; the
// analyst cannot reach the staff page. Then the same flows without JavaScript.
import { test, expect } from '@playwright/test';
import { admin, acceptInvite, expectNoAxeViolations, LoginPage, signOut, StaffAdminPage, waitForHydration } from './pages';

const newPassword = 'a long enough password 2026';

test('the app hydrates: the WebAssembly runs in Chromium under the Content-Security-Policy', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // A script the policy blocks is reported as a console error ("Refused to execute …").
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  const response = await page.goto('/');
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self' 'nonce-");
  await waitForHydration(page);
  await page.goto('/login');
  await waitForHydration(page);
  expect(errors).toEqual([]);
});

test('an admin invites a designer and an analyst, who can sign in; the analyst is refused the staff page', async ({ page, browser }) => {
  const login = new LoginPage(page);
  await login.open();
  await waitForHydration(page);
  await login.signIn(admin.email, admin.password);
  await expect(page.getByTestId('signed-in-as')).toContainText(admin.email);

  const staff = new StaffAdminPage(page);
  await page.getByRole('link', { name: 'Staff accounts' }).first().click();
  await expect(page.getByRole('heading', { name: 'Staff accounts', level: 1 })).toBeVisible();
  const stamp = Date.now();
  const designerEmail = `designer-${stamp}@city.example.org`;
  const analystEmail = `analyst-${stamp}@city.example.org`;
  const designerLink = await staff.invite(designerEmail, 'designer');
  await expect(staff.member(designerEmail)).toContainText('Invited');
  const analystLink = await staff.invite(analystEmail, 'analyst');
  await expect(staff.member(analystEmail)).toContainText('Invited');
  await signOut(page);

  const analystContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const analystPage = await analystContext.newPage();
  await acceptInvite(analystPage, analystLink, newPassword);
  await expect(analystPage.getByTestId('signed-in-as')).toContainText('analyst');
  await expect(analystPage.getByRole('link', { name: 'Staff accounts' })).toHaveCount(0);
  const response = await analystPage.goto('/admin/users');
  expect(response?.status()).toBe(403);
  await expect(analystPage.getByTestId('forbidden')).toBeVisible();
  await analystContext.close();

  const designerContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const designerPage = await designerContext.newPage();
  await acceptInvite(designerPage, designerLink, newPassword);
  await expect(designerPage.getByTestId('signed-in-as')).toContainText('designer');
  await designerContext.close();
});

test('a wrong password shows one clear message and keeps the e-mail', async ({ page }) => {
  const login = new LoginPage(page);
  await login.open();
  await waitForHydration(page);
  await login.signIn('nobody@city.example.org', 'not the right password');
  await expect(login.error()).toContainText('do not match');
  await expect(page.getByLabel('E-mail')).toHaveValue('nobody@city.example.org');
});

test('a bad invite shows the problem next to the field', async ({ page }) => {
  const login = new LoginPage(page);
  await login.open();
  await login.signInAs(admin.email, admin.password);
  await page.goto('/admin/users');
  await waitForHydration(page);
  const form = page.getByTestId('invite-form');
  await form.getByLabel('E-mail').fill('not-an-email');
  // Bypass the browser's own type=email check to see the server's answer.
  await form.evaluate((f: HTMLFormElement) => f.setAttribute('novalidate', ''));
  await form.getByRole('button', { name: 'Create invite link' }).click();
  await expect(page.getByTestId('form-error')).toContainText('such as name@city.gov');
  await expect(form.getByLabel('E-mail')).toHaveAttribute('aria-invalid', 'true');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('signing in, inviting, and signing out all work as plain forms', async ({ page }) => {
    const login = new LoginPage(page);
    await login.open('/admin/users');
    await login.signIn(admin.email, 'wrong password here');
    await expect(login.error()).toContainText('do not match');
    await expect(page.getByLabel('E-mail')).toHaveValue(admin.email);

    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/\/admin\/users$/);

    const staff = new StaffAdminPage(page);
    const email = `nojs-${Date.now()}@city.example.org`;
    const link = await staff.invite(email, 'analyst');
    expect(link).toContain('/invite/');
    await expect(staff.member(email)).toContainText('Invited');

    await page.getByTestId('invite-form').getByLabel('E-mail').fill(email);
    await page.getByTestId('invite-form').getByRole('button', { name: 'Create invite link' }).click();
    await expect(page.getByTestId('form-error')).toContainText('already an account');

    await signOut(page);
    const response = await page.goto('/admin/users');
    await expect(page).toHaveURL(/\/login\?next=/);
    expect(response?.ok()).toBeTruthy();
  });
});

test('a staff member changes their own password from the account page', async ({ page, browser }) => {
  const adminContext = await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: true });
  const adminPage = await adminContext.newPage();
  const login = new LoginPage(adminPage);
  await login.open();
  await login.signInAs(admin.email, admin.password);
  const staff = new StaffAdminPage(adminPage);
  await staff.open();
  await waitForHydration(adminPage);
  const email = `analyst-pw-${Date.now()}@city.example.org`;
  const link = await staff.invite(email, 'analyst');
  await adminContext.close();

  await acceptInvite(page, link, newPassword);
  await page.getByTestId('signed-in-as').click();
  await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByLabel('Current password').fill('not my password');
  await page.getByLabel('New password', { exact: true }).fill('an even newer password 2026');
  await page.getByLabel('Type the new password again').fill('an even newer password 2026');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByTestId('form-error')).toContainText('current password is not right');
  await page.getByLabel('Current password').fill(newPassword);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByTestId('password-changed')).toBeVisible();
});
