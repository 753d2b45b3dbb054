// The console against a studio that requires tokens (FTS_AUTH_TOKENS: an admin and a viewer):
// sign-in screen, a wrong token refused on screen, signing in, pages and the live stream working
// with the token, a viewer's write refused with the server's reason, and signing out.
import path from 'node:path';
import { SHOTS, assert, createSteps, launchBrowser, requireBuiltConsoleAndChromium, startStudio } from './support.mjs';

requireBuiltConsoleAndChromium();
const ADMIN = 'e2e-admin-7c1f';
const VIEWER = 'e2e-viewer-3fa2';
const { step, finish, fail } = createSteps();

let studio, browser;
try {
  studio = await startStudio({ env: { FTS_AUTH_TOKENS: `${ADMIN}:alice:admin,${VIEWER}:bob:viewer` } });
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const go = (p) => page.goto(studio.base + p, { waitUntil: 'domcontentloaded' });
  const signIn = async (token) => {
    await page.locator('[data-testid=token-input]').fill(token);
    await page.locator('[data-testid=sign-in-button]').click();
  };

  await step('without a token the console shows the sign-in screen (and the API answers 401)', async () => {
    assert((await fetch(studio.base + '/api/datasets')).status === 401, 'the API must want a token');
    await go('/events');
    await page.locator('[data-testid=sign-in]').waitFor({ timeout: 15000 });
    assert((await page.locator('[data-testid=event-table]').count()) === 0, 'no page behind the sign-in screen');
    await page.screenshot({ path: path.join(SHOTS, 'sign-in.png') });
  });

  await step('a wrong token is refused on screen with the reason', async () => {
    await signIn('not-a-token');
    await page.locator('[data-testid=sign-in-error]', { hasText: 'not valid on this server' }).waitFor({ timeout: 10000 });
    assert(await page.evaluate(() => sessionStorage.length === 0), 'a refused token is not kept');
  });

  await step('the admin token signs in: name and role shown, the page lists data', async () => {
    await signIn(ADMIN);
    await page.locator('[data-testid=signed-in-as]', { hasText: 'alice · admin' }).waitFor({ timeout: 10000 });
    await page.locator('[data-testid=event-table] tr.ev').first().waitFor({ timeout: 15000 });
    await go('/configs');
    await page.locator('.card pre').first().waitFor({ timeout: 15000 });
  });

  await step('the session cookie is HttpOnly and the token is kept for the tab (a reload stays signed in)', async () => {
    assert(!(await page.evaluate(() => document.cookie)).includes('fts_session'), 'scripts must not see the session cookie');
    const cookie = (await context.cookies()).find((c) => c.name === 'fts_session');
    assert(cookie && cookie.httpOnly && cookie.sameSite === 'Strict' && cookie.path === '/api', `cookie: ${JSON.stringify(cookie)}`);
    assert((await page.evaluate(() => sessionStorage.getItem('fts.token'))) === ADMIN, 'the token is in sessionStorage');
    await go('/events');
    await page.locator('[data-testid=signed-in-as]', { hasText: 'alice' }).waitFor({ timeout: 10000 });
  });

  await step('the live stream works: an event written through the API appears without a reload, with the token as actor', async () => {
    await page.locator('[data-testid=live-indicator]', { hasText: 'Live' }).waitFor({ timeout: 10000 });
    const top = Number(await page.locator('[data-testid=event-table] tr.ev td').first().textContent());
    const r = await studio.api('POST', '/configs', { type: 'training_arguments', config: '{"e2e_auth": 1}', description: 'live' }, { authorization: `Bearer ${ADMIN}`, 'x-actor': 'mallory' });
    assert(r.config?.id, 'config added');
    const row = page.locator('[data-testid=event-table] tr.ev[data-type=ConfigAdded]').first();
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid=event-table] tr.ev td')?.textContent) > n, top, { timeout: 10000 });
    const text = await row.textContent();
    assert(/alice\s+http/.test(text) && !text.includes('mallory'), `the actor is the token's name: ${text}`);
  });

  await step('sign-out returns to the sign-in screen and clears the token and the cookie', async () => {
    await page.locator('[data-testid=sign-out]').click();
    await page.locator('[data-testid=sign-in]').waitFor({ timeout: 15000 });
    assert(await page.evaluate(() => sessionStorage.getItem('fts.token') === null), 'token forgotten');
    assert(!(await context.cookies()).some((c) => c.name === 'fts_session'), 'cookie cleared');
  });

  await step("a viewer signs in and reads, but a write is refused with the server's reason", async () => {
    await signIn(VIEWER);
    await page.locator('[data-testid=signed-in-as]', { hasText: 'bob · viewer' }).waitFor({ timeout: 10000 });
    await go('/configs');
    await page.locator('.card pre').first().waitFor({ timeout: 15000 });
    await page.getByRole('button', { name: 'Add config' }).click();
    await page.locator('[role=alert]', { hasText: 'Permission denied: bob has the viewer role, which can only read' }).waitFor({ timeout: 10000 });
    await page.screenshot({ path: path.join(SHOTS, 'viewer-refused.png') });
    await page.locator('[data-testid=sign-out]').click();
    await page.locator('[data-testid=sign-in]').waitFor({ timeout: 15000 });
  });
} catch (e) {
  fail('auth e2e setup', e);
} finally {
  await browser?.close().catch(() => {});
  if (studio && process.env.E2E_SHOW_LOG) console.log(studio.log.slice(-3000));
  await studio?.cleanup();
}
finish();
