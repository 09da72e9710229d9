import { rmSync } from 'node:fs';
import { it } from 'vitest';
import { buildBrowserBundle } from './support/bundle.js';
import { launchBrowser, openTestPage } from './support/browser.js';
import { startStack, syncNow } from './support/stack.js';

it('scratch', async () => {
  const bundle = buildBrowserBundle();
  const browser = await launchBrowser();
  const stack = await startStack({ SHUTDOWN_TIMEOUT_SECONDS: '1' });
  try {
    await syncNow(stack);
    for (const [name, body] of [
      ['profile', '<odoo-sync-profile></odoo-sync-profile>'],
      ['records', '<odoo-sync-records entity="contacts"></odoo-sync-records>'],
      ['people', '<odoo-sync-admin-people></odoo-sync-admin-people>'],
      ['keys', '<odoo-sync-admin-keys></odoo-sync-admin-keys>'],
      ['sync', '<odoo-sync-admin-sync></odoo-sync-admin-sync>'],
    ] as const) {
      const { page, errors, axe } = await openTestPage(browser, { origin: stack.url, bundle: bundle.file, apiKey: stack.adminKey, body });
      await page.waitForTimeout(1500);
      await page.screenshot({ path: `/tmp/shots/${name}.png`, fullPage: true });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: `/tmp/shots/${name}-phone.png`, fullPage: true });
      console.log(name, errors, JSON.stringify(await axe()));
      await page.close();
    }
  } finally {
    await stack.close();
    await browser.close();
    rmSync(bundle.dir, { recursive: true, force: true });
  }
}, 120_000);
