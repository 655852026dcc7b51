// Page load times of the console against a running server with demo data (scripts/demo.sh):
// for each user, each screen it may open is loaded afresh and timed from navigation to its
// data shown (no loading mask). Prints the figures; asserts nothing (a measurement, not a test).
//
//   FZ_WEB_ROOT=web/dist scripts/demo.sh     # note the printed passwords
//   node web/e2e/load_times.mjs --base http://127.0.0.1:8080 \
//        --users dispatcher:PW,officer:PW,supervisor:PW,analyst:PW,auditor:PW --rounds 3
import { chromium } from 'playwright-core';
import { parseArgs } from './harness.mjs';
import { Browser } from './browser.mjs';

const args = parseArgs(process.argv.slice(2));
const base = args.base || 'http://127.0.0.1:8080';
const rounds = Number(args.rounds || 3);
const users = (args.users || '').split(',').filter(Boolean).map((u) => u.split(':'));

// Screen → the element that shows its data.
const kReady = {
  warnings: '[data-test=warning-table]', escalations: '[data-test=escalations]',
  dashboard: '[data-test=kpis][data-ready=true]', intel: '[data-test=intel]',
  people: '[data-test=people]', 'stop-payments': '[data-test=stop-payments]',
  cases: '[data-test=cases]', rules: '[data-test=rules-text]', users: '[data-test=users]',
  audit: '[data-test=audit]',
};

const browser = new Browser(chromium, '/tmp');
await browser.launch();
const results = {};
try {
  for (const [user, password] of users) {
    const page = await browser.page(user, { width: 1440, height: 900 });
    await browser.login(page, base, user, password);
    for (const [screen, ready] of Object.entries(kReady)) {
      if (!(await browser.hasNav(page, screen))) continue;
      const times = [];
      for (let i = 0; i < rounds; i++) {
        const name = `${user}:/${screen}`;
        await browser.open(page, `${base}/${screen}`, ready, name);
        times.push(browser.loadTimes[name]);
      }
      results[`${user}:/${screen}`] = times;
      console.log(`${user}:/${screen}`.padEnd(28), times.join(' '));
    }
    if (!(await browser.hasNav(page, 'warnings'))) continue;
    // The detail of the newest warning the user can see.
    const first = page.locator('[data-test=warning-table] .el-table__body tr').first();
    await browser.open(page, `${base}/warnings`, '[data-test=warning-table]');
    if (await first.count()) {
      const times = [];
      await first.click();
      await page.waitForSelector('[data-test=subject]');
      const url = page.url();
      for (let i = 0; i < rounds; i++) {
        await browser.open(page, url, '[data-test=subject]', 'detail');
        times.push(browser.loadTimes.detail);
      }
      results[`${user}:/warnings/:id`] = times;
    }
  }
} finally {
  await browser.close();
}
for (const [k, v] of Object.entries(results)) {
  const sorted = [...v].sort((a, b) => a - b);
  console.log(`${k.padEnd(28)} ms: ${v.join(' ')}  (median ${sorted[Math.floor(sorted.length / 2)]})`);
}
if (browser.errors.length) console.log(`console errors:\n${browser.errors.join('\n')}`);
