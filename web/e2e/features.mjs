// The supervision and analysis checks of the browser test (issue 6): 督办 reminders from a
// district supervisor to the station that holds an escalated warning, the outreach list and
// its CSV export, and a rules backtest. Called by console.spec.mjs with its pages and server.
import { readFileSync } from 'node:fs';
import { check, expect, until } from './harness.mjs';

const kReminder = '该预警已超时,请立即签收并联系当事人(e2e)';

// Station B's red warning is left unaccepted: with the test's 4 s accept clock it escalates
// to the district, whose supervisor chases station B from the 督办 screen; station B's
// officer sees it arrive live, station A's officer does not.
export async function reminderChecks({ browser, server, sup, officerA, officerB, wB, dispToken }) {
  await check('station B\'s unaccepted red warning escalates to its district (督办)', async () => {
    await until('an escalation of B', async () => {
      const page = await server.api('GET', '/api/escalations', { token: dispToken });
      return (page.rows || []).some((e) => e.warning === wB.id);
    }, 30000);
  });
  await check('the district supervisor sends a reminder (催办) from the 督办 screen', async () => {
    await browser.open(sup, `${server.base}/escalations`, '[data-test=escalations] .el-table__body tr');
    const row = sup.locator('[data-test=escalations] .el-table__body tr', { hasText: wB.id }).first();
    await row.locator('[data-test=remind]').click();
    const dialog = sup.locator('.el-dialog', { hasText: '催办' });
    await sup.fill('[data-test=remind-message]', kReminder);
    await sup.click('[data-test=remind-send]');
    await dialog.waitFor({ state: 'hidden' });
    await until('the reminder listed as sent', async () =>
      (await sup.textContent('[data-test=reminders]')).includes(kReminder));
    const sent = await sup.textContent('[data-test=reminders]');
    expect(sent.includes('sup1'), `the sent list does not say who sent it: ${sent}`);
    await browser.shot(sup, 'escalations');
  });
  await check('station B\'s officer gets the reminder live, on the board and in the detail', async () => {
    await until('the 已催办 tag on B\'s row', async () =>
      (await officerB.locator('[data-test=warning-table] [data-test=reminded]').count()) === 1);
    await officerB.waitForSelector('.fz-reminder');
    expect((await officerB.textContent('.fz-reminder')).includes(kReminder), 'notification text');
    await browser.shot(officerB, 'warnings-reminded');
    await officerB.locator('.fz-reminder .el-notification__closeBtn').click();
    await browser.open(officerB, `${server.base}/warnings/${wB.id}`, '[data-test=warning-reminders]',
      'officer_b:/warnings/:id');
    const card = await officerB.textContent('[data-test=warning-reminders]');
    expect(card.includes(kReminder) && card.includes('sup1'), `detail reminders: ${card}`);
    expect(await officerA.locator('[data-test=reminded]').count() === 0,
      'station A\'s officer was shown station B\'s reminder');
  });
}

// The dispatcher's outreach list: station A's person was warned and reached by the officer,
// station B's was warned only; the export carries the same.
export async function outreachChecks({ browser, server, disp }) {
  await check('高危人群库: the outreach list shows when people were warned and reached', async () => {
    await browser.open(disp, `${server.base}/people`, '[data-test=people]');
    await disp.locator('.el-tabs__item', { hasText: '走访名单' }).click();
    await disp.waitForSelector('[data-test=outreach] .el-table__body tr');
    await browser.settled(disp);
    const rowA = await disp.locator('[data-test=outreach] .el-table__body tr', { hasText: 'e2e-a' })
      .first().textContent();
    const rowB = await disp.locator('[data-test=outreach] .el-table__body tr', { hasText: 'e2e-b' })
      .first().textContent();
    expect(!rowA.includes('从未'), `A was warned, reached and visited: ${rowA}`);
    expect(rowB.includes('从未'), `B was never reached: ${rowB}`);
    await browser.shot(disp, 'people-outreach');
    const [download] = await Promise.all([disp.waitForEvent('download'),
      disp.click('[data-test=outreach-export]')]);
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv.startsWith('\ufeffperson_id,name,phones,address,unit_code,tags,warnings,last_warned'),
      `export header: ${csv.slice(0, 120)}`);
    const line = csv.split('\r\n').find((l) => l.startsWith('e2e-a,'));
    expect(line && /,1,20\d\d-/.test(line), `export line of e2e-a: ${line}`);
  });
}

// The analyst renames the directive rule in the editor and backtests it: both directive
// warnings would be lost, which the result says per rule.
export async function backtestChecks({ browser, server, analyst }) {
  await check('规则: a backtest shows the warnings a rule change adds or removes', async () => {
    await browser.open(analyst, `${server.base}/rules`, '[data-test=rules-text]');
    const text = await analyst.inputValue('[data-test=rules-text]');
    expect(text.includes('directive.upstream'), 'the default rules have no directive.upstream');
    await analyst.fill('[data-test=rules-text]', text.replaceAll('directive.upstream', 'directive.trial'));
    await analyst.click('[data-test=rules-backtest]');
    await analyst.waitForSelector('[data-test=backtest-rules]');
    const table = await analyst.textContent('[data-test=backtest-rules]');
    expect(/directive\.upstream\s*2\s*0\s*-2/.test(table), `per-rule result: ${table}`);
    expect(/directive\.trial\s*0\s*2\s*\+2/.test(table), `per-rule result: ${table}`);
    const summary = await analyst.textContent('[data-test=backtest-summary]');
    expect(summary.includes('最近 2 条事件'), `summary: ${summary}`);
    await browser.shot(analyst, 'rules');
  });
}
