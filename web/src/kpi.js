// Reading the KPI set of GET /api/kpis. Each figure is looked up under the names the server
// uses; `kpi(set, 'visits')` answers a number or null (shown as —, never as a made-up 0).
const kPaths = {
  warnings: ['warnings.total', 'warnings_total', 'warnings'],
  red: ['by_level.red', 'warnings.by_level.red', 'warnings_by_level.red'],
  orange: ['by_level.orange', 'warnings.by_level.orange', 'warnings_by_level.orange'],
  yellow: ['by_level.yellow', 'warnings.by_level.yellow', 'warnings_by_level.yellow'],
  handled: ['warnings.handled', 'handled', 'warnings_handled'],
  visits: ['visits_done', 'visits.done', 'visits'],
  visitsRequired: ['visits_required', 'visits.required'],
  visitRate: ['visit_rate', 'visits.rate'],
  dissuasionRate: ['dissuasion_rate', 'dissuasion.rate'],
  dissuaded: ['dissuasion.dissuaded', 'dissuaded'],
  stopAccounts: ['stop_payment_accounts', 'stop_payments.accounts'],
  stopAmountFen: ['stop_payment_stopped_fen', 'stop_payments.amount_stopped_fen'],
  stopRequestedFen: ['stop_payment_requested_fen', 'stop_payments.amount_requested_fen'],
  cases: ['cases_yoy.current', 'cases_mom.current', 'cases.count', 'cases'],
  lossFen: ['losses_fen_yoy.current', 'losses_fen_mom.current', 'cases.loss_fen', 'loss_fen'],
  casesYoy: ['cases_yoy.ratio', 'cases.yoy'],
  lossYoy: ['losses_fen_yoy.ratio', 'cases.loss_yoy'],
  overdue: ['overdue', 'sla.overdue', 'sla_breaches'],
  escalations: ['escalations', 'escalations.total'],
  afterDissuasion: ['defrauded_after_dissuasion', 'cases.after_dissuasion', 'after_dissuasion'],
};

function at(obj, path) {
  let v = obj;
  for (const k of path.split('.')) {
    if (v === null || typeof v !== 'object' || !(k in v)) return undefined;
    v = v[k];
  }
  return v;
}

export function kpi(set, name) {
  if (!set) return null;
  for (const p of kPaths[name] || [name]) {
    const v = at(set, p);
    if (typeof v === 'number') return v;
    if (v && typeof v === 'object' && typeof v.total === 'number') return v.total;
  }
  return null;
}

// First-contact minutes by level: {red: {p50, p90}, ...} under one of the server's names.
export function firstContact(set) {
  const v = set && (at(set, 'first_contact') || at(set, 'first_contact_minutes'));
  if (!v || typeof v !== 'object') return {};
  // Percentiles come in seconds (p50_s, p90_s); the chart shows minutes.
  const out = {};
  for (const [level, p] of Object.entries(v)) {
    out[level] = {};
    for (const q of ['p50', 'p90']) {
      const s = typeof p[`${q}_s`] === 'number' ? p[`${q}_s`] / 60 : p[q];
      if (typeof s === 'number') out[level][q] = s;
    }
  }
  return out;
}

// Rates and ratios are fractions (0.8886 → 88.9%); a ratio may be negative (-0.3856 → -38.6%).
export function percent(x) {
  if (x === null || x === undefined) return '—';
  return `${(x * 100).toFixed(1)}%`;
}
