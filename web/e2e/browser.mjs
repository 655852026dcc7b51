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
    await this.recordLoad(page, `${page.who}:/login`);
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

  // The navigation entry of a screen (`stop-payments` → data-test nav-stopPayments).
  async hasNav(page, screen) {
    const name = screen.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    return (await page.locator(`[data-test=nav-${name}]`).count()) > 0;
  }

  // Opens a screen by its address and waits until it shows its data: the ready selector is
  // visible and no loading mask is left. `networkidle` is no use here: the live stream keeps
  // a request open for as long as the page lives. The time from navigation to ready is logged
  // (the "under one second" is reported, never asserted).
  async open(page, url, ready, name) {
    const t0 = Date.now();
    await page.goto(url);
    await page.waitForSelector(ready, { timeout: 15000 });
    await this.settled(page);
    this.loadTimes[name || `${page.who}:${new URL(url).pathname}`] = Date.now() - t0;
  }

  // No Element Plus loading mask is visible (lists and the detail load after the route).
  async settled(page) {
    await page.waitForFunction(() => ![...document.querySelectorAll('.el-loading-mask')]
      .some((m) => m.offsetParent !== null && getComputedStyle(m).display !== 'none'),
    null, { timeout: 15000 });
  }

  // Element Plus components that were never registered render as unknown <el-*> elements
  // (an empty radio group, for one): name them, so the screen fails instead of looking empty.
  async unknownElements(page) {
    return page.evaluate(() => [...new Set([...document.querySelectorAll('*')]
      .map((e) => e.tagName.toLowerCase()).filter((n) => n.startsWith('el-')))]);
  }

  // Opens the dashboard afresh and reads the KPI cards as numbers, once every KPI call answered.
  async readKpis(page, base) {
    await this.open(page, `${base}/dashboard`, '[data-test=kpis][data-ready=true]',
      `${page.who}:/dashboard`);
    const read = async (k) => {
      const t = (await page.textContent(`[data-test=kpi-${k}] .v`)).replace(/[,\s]/g, '');
      return /^\d+$/.test(t) ? Number(t) : null;
    };
    return { warnings: await read('warnings'), visits: await read('visits') };
  }

  // A screenshot once the screen settled; an unregistered component on it is an error.
  async shot(page, name) {
    await this.settled(page);
    await page.waitForTimeout(400);  // let charts, messages and transitions settle
    const unknown = await this.unknownElements(page);
    if (unknown.length) this.errors.push(`[${page.who}] ${name}: unrendered ${unknown.join(', ')}`);
    const w = page.viewportSize().width;
    await page.screenshot({ path: path.join(this.shotsDir, `${name}-${w}.png`) });
  }

  async close() {
    if (this.browser) await this.browser.close();
  }
}
