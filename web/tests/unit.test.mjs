// Unit tests of the console's plain logic (no browser): deadlines, CSV parsing, KPI reading.
// Run with `node --test web/tests/unit.test.mjs`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countdown, flattenWarning, mayAccept, nextDeadline, nextStates, yuan } from '../src/domain.js';
import { parseCsv } from '../src/csv.js';
import { firstContact, kpi, percent } from '../src/kpi.js';

test('countdown shows minutes, hours and overdue time', () => {
  const now = Date.parse('2026-11-26T10:00:00+08:00');
  assert.equal(countdown(now + 299000, now), '4:59');
  assert.equal(countdown(now + 3723000, now), '1:02:03');
  assert.equal(countdown(now - 62000, now), '-1:02');
});

test('the deadline comes from stored timers when the detail has them', () => {
  const w = { level: 'red', state: 'accepted', created_at: '2026-11-26T10:00:00+08:00',
    timers: [
      { clock: 'accept', first_due: '2026-11-26T10:02:00+08:00', met_at: '2026-11-26T10:01:00+08:00' },
      { clock: 'first_contact', stage: 1, first_due: '2026-11-26T10:05:00+08:00',
        second_due: '2026-11-26T10:10:00+08:00' },
      { clock: 'visit', first_due: '2026-11-26T11:00:00+08:00' },
    ] };
  const d = nextDeadline(w);
  assert.equal(d.clock, 'first_contact');
  assert.equal(d.at, Date.parse('2026-11-26T10:10:00+08:00'));  // stage 1: the city deadline
  assert.equal(d.estimated, false);
  assert.equal(nextDeadline({ ...w, timers: w.timers.map((t) => ({ ...t, met_at: 'x' })) }), null);
});

test('without timers the deadline is estimated from created_at and the level clock', () => {
  const created = '2026-11-26T10:00:00+08:00';
  const red = nextDeadline({ level: 'red', state: 'dispatched', created_at: created });
  assert.deepEqual(red, { clock: 'accept', at: Date.parse(created) + 2 * 60000, estimated: true });
  const orange = nextDeadline({ level: 'orange', state: 'accepted', created_at: created });
  assert.equal(orange.at, Date.parse(created) + 30 * 60000);
  assert.equal(nextDeadline({ level: 'yellow', state: 'contacting', created_at: created }), null);
  assert.equal(nextDeadline({ level: 'red', state: 'closed', created_at: created }), null);
});

test('next states follow docs/workflow.md', () => {
  assert.deepEqual(nextStates('dispatched'), ['accepted']);
  assert.ok(nextStates('contacting').includes('defrauded'));
  assert.ok(!nextStates('accepted').includes('closed'));
});

test('money in fen is shown in yuan', () => {
  assert.equal(yuan(2000050), '20,000.50');
  assert.equal(yuan(null), '');
});

test('a nested detail is read flat, its lists winning over the summary counters', () => {
  const w = flattenWarning({ summary: { id: '7', state: 'accepted', escalations: 2 },
    escalations: [{ clock: 'accept' }] });
  assert.equal(w.state, 'accepted');
  assert.equal(w.escalations.length, 1);
  assert.equal(w.escalation_count, 2);
});

test('CSV: quotes, CRLF, blank lines and the line of each record', () => {
  const text = '\uFEFFkind,value,source\r\nphone,"+85517652903",a\r\n\r\ndomain,"x,""y""\nz",b\nurl,u';
  const { header, rows } = parseCsv(text);
  assert.deepEqual(header, ['kind', 'value', 'source']);
  assert.deepEqual(rows.map((r) => r.line), [2, 4, 6]);
  assert.deepEqual(rows[1].fields, ['domain', 'x,"y"\nz', 'b']);
  assert.deepEqual(rows[2].fields, ['url', 'u']);
  assert.deepEqual(parseCsv(''), { header: [], rows: [] });
});

test('KPIs are read from the server names; a missing one is null, never 0', () => {
  const set = { warnings: 12, by_level: { red: 3 }, visits_done: 2, visit_rate: 0.8886,
    cases_yoy: { current: 5, previous: 8, ratio: -0.375 },
    first_contact: { red: { count: 2, p50_s: 120, p90_s: 300 } } };
  assert.equal(kpi(set, 'warnings'), 12);
  assert.equal(kpi(set, 'red'), 3);
  assert.equal(kpi(set, 'orange'), null);
  assert.equal(kpi(set, 'visits'), 2);
  assert.equal(kpi(set, 'cases'), 5);
  assert.equal(percent(kpi(set, 'visitRate')), '88.9%');
  assert.equal(percent(kpi(set, 'casesYoy')), '-37.5%');
  assert.deepEqual(firstContact(set), { red: { p50: 2, p90: 5 } });
});

test('the board offers bulk accept only to roles the workflow lets accept', () => {
  assert.equal(mayAccept('supervisor'), true);
  assert.equal(mayAccept('officer'), true);
  // The city dispatcher accepts what the city takes on itself (docs/workflow.md).
  assert.equal(mayAccept('dispatcher'), true);
  assert.equal(mayAccept('admin'), false);
  assert.equal(mayAccept('analyst'), false);
});
