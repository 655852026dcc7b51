// The browser side of the e2e test: Debian's Chromium through playwright-core (never a
// downloaded browser), one context per user, console errors collected from every page, load
// times logged (never asserted: tests assert behaviour, not wall-clock time).
import path from 'node:path';

const kChromium = process.env.FZ_CHROMIUM || '/usr/bin/chromium';

export class Browser {
  constructor(chromium, shotsDir) {
    this.chromium = chromium;
    this.shotsDir = shotsDir;
    this.errors = [];
    this.loadTimes = {};
    this.pages = [];
    this.expected404 = [];  // URL parts whose 404 is the answer under test
  }

  async launch() {
    this.browser = await this.chromium.launch({ executablePath: kChromium, headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
        '--disable-background-networking'] });
  }

  async page(who, { width, height, mobile = false }) {
    const context = await this.browser.newContext({ viewport: { width, height }, isMobile: mobile,
      hasTouch: mobile, deviceScaleFactor: 1, locale: 'zh-CN', timezoneId: 'Asia/Shanghai',
      geolocation: { latitude: 38.4872, longitude: 106.2309 }, permissions: ['geolocation'] });
    const page = await context.newPage();
    page.setDefaultTimeout(15000);
    page.on('console', (m) => {
      if (m.type() !== 'error') return;
      const url = (m.location() && m.location().url) || '';
      if (m.text().includes('404') && this.expected404.some((u) => url.includes(u))) return;
      this.errors.push(`[${who}] console: ${m.text()} ${url}`);
    });
    page.on('pageerror', (e) => this.errors.push(`[${who}] page error: ${e.message}`));
    page.on('response', (r) => {
      // A 404 for another station's warning is the expected answer, not an error.
      if (r.status() >= 500) this.errors.push(`[${who}] ${r.status()} ${r.url()}`);
    });
    page.who = who;
    this.pages.push(page);
    return page;
  }

  async login(page, base, user, password) {
    await page.goto(`${base}/login`);
    await page.waitForSelector('[data-test=login]');
    this.recordLoad(page, `${page.who}:login`);
    await page.fill('input[name=user]', user);
    await page.fill('input[name=password]', password);
    await page.click('[data-test=login]');
    await page.waitForSelector('[data-test=who]');
  }

  async recordLoad(page, name) {
    const ms = await page.evaluate(() => {
      const n = performance.getEntriesByType('navigation')[0];
      return n ? Math.round(n.domContentLoadedEventEnd - n.startTime) : null;
    });
    this.loadTimes[name] = ms;
  }

  async hasNav(page, screen) {
    return (await page.locator(`.el-menu-item[index="/${screen}"]`).count()) > 0 ||
      (await page.locator(`[data-test=nav-${screen}]`).count()) > 0;
  }

  // Opens the dashboard afresh and reads the KPI cards as numbers.
  async readKpis(page, base) {
    await page.goto(`${base}/dashboard`);
    await page.waitForSelector('[data-test=kpi-warnings] .v');
    await page.waitForLoadState('networkidle');
    this.recordLoad(page, `${page.who}:dashboard`);
    const read = async (k) => {
      const t = (await page.textContent(`[data-test=kpi-${k}] .v`)).replace(/[,\s]/g, '');
      return /^\d+$/.test(t) ? Number(t) : null;
    };
    return { warnings: await read('warnings'), visits: await read('visits') };
  }

  async shot(page, name, before) {
    if (before) await before(page);
    await page.waitForTimeout(300);  // let charts and transitions settle
    const w = page.viewportSize().width;
    await page.screenshot({ path: path.join(this.shotsDir, `${name}-${w}.png`) });
  }

  async close() {
    if (this.browser) await this.browser.close();
  }
}
