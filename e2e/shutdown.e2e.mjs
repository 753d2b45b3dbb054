// Shutdown with a console tab open: SIGTERM ends the tab's live stream and the process exits in < 5 s,
// the tab shows "Offline", and when the studio comes back on the same ports and root the tab reconnects
// by itself, shows "Live" again, and a new event reaches the page.
import { assert, createSteps, launchBrowser, requireBuiltConsoleAndChromium, sleep, startStudio } from './support.mjs';

requireBuiltConsoleAndChromium();
const steps = createSteps();
const studio = await startStudio();
const browser = await launchBrowser();
const page = await browser.newPage();
const indicator = page.locator('[data-testid="live-indicator"]');
const indicatorText = async () => (await indicator.innerText()).trim();

/** Waits until the indicator's text starts with `word` (Live / Offline). */
async function indicatorSays(word, timeoutMs) {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    if ((await indicatorText()).startsWith(word)) return;
    await sleep(100);
  }
  throw new Error(`the live indicator says "${await indicatorText()}", not "${word}", after ${timeoutMs} ms`);
}

try {
  await steps.step('a console tab is open and live', async () => {
    await page.goto(`${studio.base}/events`, { waitUntil: 'domcontentloaded' });
    await indicatorSays('Live', 15_000);
  });

  await steps.step('SIGTERM with the tab open: the process exits in < 5 s and the tab shows Offline', async () => {
    const t0 = Date.now();
    studio.proc.kill('SIGTERM');
    const exited = await Promise.race([studio.exited().then(() => true), sleep(5000).then(() => false)]);
    const ms = Date.now() - t0;
    assert(exited, `the server was still running 5 s after SIGTERM:\n${studio.log.slice(-2000)}`);
    console.log(`     exited ${ms} ms after SIGTERM`);
    await indicatorSays('Offline', 5000);
  });

  await steps.step('the studio comes back on the same ports and root: the tab reconnects and shows Live', async () => {
    await sleep(1500); // a few reconnect attempts fail while it is down
    assert((await indicatorText()).startsWith('Offline'), 'the tab claims Live while the server is down');
    await studio.restart();
    await indicatorSays('Live', 10_000); // the backoff is capped at 5 s
  });

  await steps.step('a new event reaches the page over the reconnected stream', async () => {
    const before = Number(/(\d+)/.exec(await indicatorText())?.[1] ?? 0);
    const { config } = await studio.api('POST', '/configs', { type: 'generation_config', description: 'after restart', config: JSON.stringify({ max_new_tokens: 7 }) });
    const events = await studio.api('GET', `/events?limit=10000`);
    const position = events.events.find((e) => e.stream_id.endsWith(config.id))?.position;
    assert(position > before, `the config's event (${position}) is not after what the page had (${before})`);
    const t0 = Date.now();
    for (;;) {
      const shown = Number(/(\d+)/.exec(await indicatorText())?.[1] ?? 0);
      if (shown >= position) break;
      if (Date.now() - t0 > 10_000) throw new Error(`the page shows position ${shown}, never ${position}`);
      await sleep(100);
    }
  });
} catch (e) {
  steps.fail('shutdown e2e', e);
} finally {
  await browser.close().catch(() => undefined);
  await studio.cleanup();
}
steps.finish();
