// Words and numbers of the domain the screens share: level colours, the SLA defaults of
// docs/workflow.md (used only when a warning's stored timers are not at hand), the next
// states an officer may choose, and the deadline countdown.

export const kLevels = ['red', 'orange', 'yellow'];
export const kLevelColour = { red: '#d93026', orange: '#f08c00', yellow: '#e6b800' };
export const kLevelTagType = { red: 'danger', orange: 'warning', yellow: 'info' };

export const kStates = ['dispatched', 'accepted', 'contacting', 'dissuaded', 'defrauded',
  'unreachable', 'false_alarm', 'handed_over', 'follow_up', 'closed'];
export const kOpenStates = new Set(['new', 'dispatched', 'accepted', 'contacting', 'unreachable',
  'handed_over']);

export const kStepKinds = ['officer_call', 'visit', 'stop_payment', 'ai_call', 'sms', 'follow_up'];
export const kStepResults = ['reached', 'no_answer', 'refused', 'already_transferred',
  'not_found', 'wrong_person', 'done', 'failed'];
export const kIntelKinds = ['phone', 'domain', 'url', 'ip', 'account', 'app', 'imei'];
export const kRoles = ['dispatcher', 'supervisor', 'officer', 'grid_worker', 'analyst', 'auditor',
  'admin', 'feed'];

// The ten 公安部 fraud types plus other (DOMAIN.md). Codes are the rules file's.
export const kFraudTypes = ['order_brushing', 'fake_investment', 'fake_shopping',
  'fake_customer_service', 'fake_loan', 'fake_credit', 'impersonate_leader',
  'impersonate_police', 'romance', 'game_trade', 'other'];

// Default clocks in minutes from dispatch (workflow.md "SLA clocks"): accept, contact, visit.
const kSlaMinutes = {
  red: { accept: 2, contact: 5, visit: 60 },
  orange: { accept: 10, contact: 30, visit: 24 * 60 },
  yellow: { accept: 24 * 60, contact: 24 * 60 },
};

// Which clock still runs in a state: after 签收 the contact clock, after contact the visit one.
function runningClock(state) {
  if (state === 'new' || state === 'dispatched' || state === 'handed_over') return 'accept';
  if (state === 'accepted') return 'contact';
  if (state === 'contacting' || state === 'unreachable') return 'visit';
  return null;
}

// The next deadline of a warning: from the detail's stored SLA timers when given (the truth),
// else computed from created_at + the level's default clock (an estimate, marked so).
export function nextDeadline(w) {
  const timers = [];
  for (const t of w.timers || w.sla_timers || []) {
    if (t.met_at || t.met) continue;
    // A stored timer escalates to the parent at first_due, then to the city at second_due.
    const due = t.due_at || (t.stage >= 1 ? t.second_due : t.first_due);
    if (due && !Number.isNaN(Date.parse(due))) timers.push({ clock: t.clock || t.kind, at: Date.parse(due) });
  }
  if (timers.length) {
    timers.sort((a, b) => a.at - b.at);
    return { ...timers[0], estimated: false };
  }
  if (w.timers && w.timers.length) return null;  // every stored clock is met
  const clock = runningClock(w.state);
  const minutes = clock && (kSlaMinutes[w.level] || {})[clock];
  const start = Date.parse(w.dispatched_at || w.created_at);
  if (!minutes || Number.isNaN(start)) return null;
  return { clock, at: start + minutes * 60000, estimated: true };
}

// "4:59" / "-1:02:03" (overdue) for a deadline against `now` (ms).
export function countdown(at, now) {
  let s = Math.round((at - now) / 1000);
  const sign = s < 0 ? '-' : '';
  s = Math.abs(s);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h ? `${sign}${h}:${String(m).padStart(2, '0')}:${sec}` : `${sign}${m}:${sec}`;
}

// The outcomes an officer may record from a state (workflow.md "Transitions").
export function nextStates(state) {
  switch (state) {
    case 'dispatched': return ['accepted'];
    case 'accepted': return ['contacting', 'handed_over', 'false_alarm'];
    case 'contacting': return ['dissuaded', 'defrauded', 'unreachable', 'false_alarm', 'handed_over'];
    case 'unreachable': return ['contacting', 'closed'];
    case 'false_alarm': return ['closed'];
    case 'defrauded': return ['closed'];
    case 'dissuaded': return ['follow_up', 'defrauded'];
    case 'follow_up': return ['closed', 'defrauded'];
    case 'closed': return ['defrauded'];
    default: return [];
  }
}

// Who may accept (签收) a dispatched warning (workflow.md "Transitions"): the unit that works
// it and its district supervisor. The city dispatcher triages and re-routes but does not
// accept for a station, so the board offers it no bulk accept (the server would refuse each).
export const kAcceptRoles = ['officer', 'grid_worker', 'supervisor', 'dispatcher'];
export function mayAccept(role) {
  return kAcceptRoles.includes(role);
}

export function formatTime(s) {
  if (!s) return '';
  const d = new Date(typeof s === 'number' ? s : Date.parse(s));
  if (Number.isNaN(d.getTime())) return String(s);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ` +
         `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

// Money is stored in 分 (fen); shown in 元 with two decimals.
export function yuan(fen) {
  if (fen === undefined || fen === null || fen === '') return '';
  return (Number(fen) / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2,
    maximumFractionDigits: 2 });
}

// Local date as YYYY-MM-DD (for the KPI period queries).
export function isoDay(d) {
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

// A fraud type as the server sends it: {code, name}, or a bare code.
export function fraudTypeName(ft) {
  if (ft === null || ft === undefined) return '';
  if (typeof ft === 'object') return ft.name || ft.code || '';
  return String(ft);
}

// A warning detail may nest the summary ({summary, evidence, ...}); screens read it flat, with
// the detail's lists (escalations, timers) winning over the summary's counters.
export function flattenWarning(d) {
  if (!d || !d.summary) return d;
  const { summary, ...rest } = d;
  return { ...summary, ...rest, escalation_count: summary.escalations };
}
