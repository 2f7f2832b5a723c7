// A designer builds a survey from the template on a phone, adds a question, publishes it, and is
// refused when deleting a question after publishing; the same without JavaScript; axe on every page.
import { test, expect, type Page } from '@playwright/test';
import { admin, expectNoAxeViolations, LoginPage, StaffAdminPage, acceptInvite, waitForHydration } from './pages';

async function signInAsNewDesigner(page: Page, browser: import('@playwright/test').Browser) {
  const adminPage = await (await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: true })).newPage();
  const login = new LoginPage(adminPage);
  await login.open();
  await login.signInAs(admin.email, admin.password);
  const staff = new StaffAdminPage(adminPage);
  await staff.open();
  await waitForHydration(adminPage);
  const email = `designer-${Date.now()}@city.example.org`;
  const link = await staff.invite(email, 'designer');
  await adminPage.context().close();
  await acceptInvite(page, link, 'a long enough password 2026');
  return email;
}

test('a designer builds the community survey from the template, publishes it, and cannot delete an answered question', async ({ page, browser }) => {
  await signInAsNewDesigner(page, browser);
  await page.getByRole('link', { name: 'Surveys' }).first().click();
  await expect(page.getByRole('heading', { name: 'Surveys', level: 1 })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: 'Use the community survey template' }).click();
  await expect(page.getByTestId('survey-editor')).toBeVisible();
  await expect(page.getByTestId('survey-status')).toHaveText('draft');
  await expectNoAxeViolations(page);

  const firstPage = page.getByTestId('survey-page').first();
  await firstPage.getByText('Add a question to this page').click();
  await firstPage.getByLabel('Kind').selectOption('short_text');
  await firstPage.getByLabel('Question').fill('What one thing would you change?');
  await firstPage.getByLabel('Key').fill('one_change');
  await firstPage.getByRole('button', { name: 'Add question' }).click();
  const added = page.locator('[data-key="one_change"]');
  await expect(added).toBeVisible();
  const keysBefore = await page.getByTestId('question').evaluateAll((els) => els.map((e) => e.getAttribute('data-key')));
  await added.getByRole('button', { name: '↑ Move up' }).click();
  await expect.poll(async () => (await page.getByTestId('question').evaluateAll((els) => els.map((e) => e.getAttribute('data-key')))).indexOf('one_change'))
    .toBe(keysBefore.indexOf('one_change') - 1);

  // A display rule set with the form: the new question only for residents who rate the city low.
  await added.getByRole('link', { name: 'Edit' }).click();
  await expect(page.getByRole('heading', { name: 'Display rule' })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByLabel('Show this question only if').selectOption('place_to_live');
  await page.getByLabel('Comparison').selectOption('less_than');
  await page.getByLabel('Value', { exact: true }).fill('3');
  await page.getByRole('button', { name: 'Save display rule' }).click();
  await expect(page.getByLabel('Value', { exact: true })).toHaveValue('3');
  await expect(page.getByTestId('problems')).toHaveCount(0);
  await page.getByRole('link', { name: '← Back to the survey' }).click();
  await expect(page.locator('[data-key="one_change"]')).toContainText('Shown if');

  await page.getByRole('link', { name: 'Preview' }).click();
  await expect(page.getByTestId('phone-frame')).toBeVisible();
  await waitForHydration(page);
  const followUp = page.locator('[data-question="feel_safer"]');
  await expect(followUp).toBeHidden();
  await page.locator('[data-question="safe_after_dark"]').getByLabel('1', { exact: true }).check();
  await expect(followUp).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByRole('link', { name: 'es', exact: true }).click();
  await expect(page.getByTestId('phone-frame')).toContainText('¿Qué tan seguro(a) se siente');
  await expect(page.getByTestId('phone-frame')).toContainText('(obligatoria)');
  await expectNoAxeViolations(page);
  await page.getByRole('link', { name: '← Back to the editor' }).click();

  await page.getByRole('link', { name: 'Translations' }).click();
  await expect(page.getByTestId('missing-count')).toHaveText(/^1 of \d+ texts still need a translation/);
  await expectNoAxeViolations(page);
  await page.getByLabel('What one thing would you change?').fill('¿Qué cambiaría usted?');
  await page.getByRole('button', { name: 'Save es translations' }).click();
  await expect(page.getByTestId('missing-count')).toHaveText(/^0 of \d+ texts/);
  await page.getByRole('link', { name: '← Back to the editor' }).click();

  await page.getByTestId('status-actions').getByRole('button', { name: 'Publish' }).click();
  await expect(page.getByTestId('survey-status')).toHaveText('open');
  const qr = await page.request.get(await page.locator('img.qr').getAttribute('src') ?? '');
  expect(qr.headers()['content-type']).toBe('image/svg+xml');

  const answered = page.locator('[data-key="place_to_live"]');
  await answered.getByText('Delete…').click();
  await answered.getByRole('button', { name: 'Delete this question' }).click();
  await expect(page.getByTestId('problems')).toContainText('cannot be removed once the survey has been opened');
  await expect(answered).toBeVisible();
  await expectNoAxeViolations(page);

  await page.getByRole('link', { name: 'View, export or edit as JSON' }).click();
  await expect(page.getByTestId('definition-json')).toContainText('"one_change"');
  await expectNoAxeViolations(page);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the designer works as plain forms, and a refused change explains itself', async ({ page, browser }) => {
    const jsContext = await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: true });
    const jsPage = await jsContext.newPage();
    const email = await signInAsNewDesigner(jsPage, browser);
    await jsContext.close();

    const login = new LoginPage(page);
    await login.open();
    await login.signIn(email, 'a long enough password 2026');
    await page.goto('/surveys');
    await page.getByRole('button', { name: 'Use the quick poll template' }).click();
    await expect(page).toHaveURL(/\/surveys\/\d+$/);
    await expect(page.getByTestId('survey-status')).toHaveText('draft');

    const poll = page.getByTestId('survey-page').first();
    await poll.getByText('Add a question to this page').click();
    await poll.getByLabel('Question').fill('A second question');
    await poll.getByLabel('Key').fill('second');
    await poll.getByRole('button', { name: 'Add question' }).click();
    await expect(page.getByTestId('problems')).toContainText('a quick poll has exactly one page with one');
    await expect(page.locator('[data-key="second"]')).toHaveCount(0);

    await page.getByTestId('status-actions').getByRole('button', { name: 'Publish' }).click();
    await expect(page.getByTestId('survey-status')).toHaveText('open');

    // The preview without JavaScript shows every question, follow-ups included.
    await page.getByRole('link', { name: 'Preview' }).click();
    await expect(page.getByTestId('survey-form').locator('fieldset').first()).toBeVisible();
  });
});
