#include "fz/detect/detector.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "fz/common/str_cat.h"
#include "fz/detect/detector_impl.h"
#include "fz/detect/quiet_event.h"
#include "fz/normalize/url.h"

namespace fz::detect {
namespace {

// Subjects are swept for expired state every this many events.
constexpr int64_t kSweepEvery = 1 << 20;
constexpr size_t kMaxPending = 16;

int64_t WarningIdFor(std::string_view subject, std::string_view event_id) {
  return static_cast<int64_t>(StableHash(event_id, StableHash(subject)) >> 1);
}

template <typename Vec, typename T>
void InsertByTime(Vec& v, const T& item) {
  // Almost always appends: events mostly arrive in time order.
  auto pos = v.end();
  while (pos != v.begin() && (pos - 1)->t_ms > item.t_ms) --pos;
  v.insert(pos, item);
}

template <typename Vec>
void Prune(Vec& v, int64_t keep_from, size_t max_entries) {
  size_t drop = 0;
  while (drop < v.size() && v[drop].t_ms < keep_from) ++drop;
  if (v.size() - drop > max_entries) drop = v.size() - max_entries;
  if (drop > 0) v.erase(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(drop));
}

// The warning's fraud type is that of its strongest evidence, except that a specific type
// always beats "other" (a chain rule knows no type of its own).
void UpdateFraudType(SubjectState& state, model::Warning& w, model::FraudType type,
                     double strength) {
  const bool specific = type != model::FraudTypeRegistry::kOther;
  const bool current_other = w.fraud_type == model::FraudTypeRegistry::kOther;
  if ((strength > state.best_strength && (specific || current_other)) ||
      (specific && current_other)) {
    w.fraud_type = type;
    state.best_strength = std::max(state.best_strength, strength);
  }
}

}  // namespace

void DetectorStats::Merge(const DetectorStats& other) {
  events += other.events;
  duplicates += other.duplicates;
  no_subject += other.no_subject;
  subjects += other.subjects;
  warnings_opened += other.warnings_opened;
  upgrades += other.upgrades;
  for (const auto& [rule, n] : other.rule_fires) rule_fires[rule] += n;
  for (size_t i = 0; i < warnings_by_level.size(); ++i) {
    warnings_by_level[i] += other.warnings_by_level[i];
  }
}

Detector::Impl::Impl(const RuleSet& rules_in, const intel::IntelStore& intel_in,
                     const PeopleIndex* people_in, DetectorOptions options_in)
    : rules(rules_in),
      intel(intel_in),
      people(people_in),
      options(options_in),
      seen_ids(options_in.dedup_capacity) {
  rules_by_type.resize(7);
  quiet_steps_by_type.resize(7);
  quiet_state_steps_by_type.resize(7);
  intel_fields_by_type.resize(7);
  text_by_type.assign(7, false);
  extras.resize(rules.rules().size());
  fires.assign(rules.rules().size(), 0);
  for (size_t i = 0; i < rules.rules().size(); ++i) {
    const Rule& rule = rules.rules()[i];
    const bool quiet_false = FalseOnQuietEvent(rule.condition, QuietSubject::kNoState);
    const bool quiet_state_false = FalseOnQuietEvent(rule.condition, QuietSubject::kAnyState);
    const std::vector<Node>& nodes = rule.condition.nodes();
    extras[i].screen = NecessaryComparisonOf(rule.condition);
    quiet_programs.push_back(
        FoldForQuietEvent(rule.condition, QuietSubject::kAnyState, extras[i].screen));
    quiet_no_state_programs.push_back(
        FoldForQuietEvent(rule.condition, QuietSubject::kNoState, extras[i].screen));
    QuietStep step;
    step.rule = static_cast<int32_t>(i);
    if (extras[i].screen) step.screen = ScreenOf(rule.condition, *extras[i].screen);
    for (int t = 0; t < 7; ++t) {
      if (!rule.AppliesTo(static_cast<model::EventType>(t))) continue;
      rules_by_type[t].push_back(static_cast<int32_t>(i));
      if (!quiet_false) quiet_steps_by_type[t].push_back(step);
      if (!quiet_state_false) quiet_state_steps_by_type[t].push_back(step);
      for (const Node& node : nodes) {
        if (node.op != Op::kField) continue;
        std::vector<Field>& fields = intel_fields_by_type[t];
        if (node.field >= Field::kIntelParty && node.field <= Field::kIntelAny &&
            std::find(fields.begin(), fields.end(), node.field) == fields.end()) {
          fields.push_back(node.field);
        }
        if (node.field >= Field::kTextHit && node.field <= Field::kTextCount)
          text_by_type[t] = true;
      }
    }
    for (size_t n = 0; n < nodes.size(); ++n) {
      const Node& node = nodes[n];
      if (node.op != Op::kField) continue;
      if (node.field >= Field::kIntelParty && node.field <= Field::kIntelAny &&
          std::find(extras[i].intel_fields.begin(), extras[i].intel_fields.end(), node.field) ==
              extras[i].intel_fields.end()) {
        extras[i].intel_fields.push_back(node.field);
      }
      if ((node.field == Field::kCount || node.field == Field::kDistinct) &&
          extras[i].count_node < 0) {
        extras[i].count_node = static_cast<int32_t>(n);
      }
    }
  }
  window_ms = absl::ToInt64Milliseconds(rules.longest_window());
  if (!rules.text_patterns().patterns().empty())
    scratch.emplace(rules.text_patterns().NewScratch());
}

bool Detector::Impl::SeenId(uint64_t id_hash) const { return seen_ids.Contains(id_hash); }

void Detector::Impl::RememberId(uint64_t id_hash) { seen_ids.Insert(id_hash); }

void Detector::Impl::PrefetchEventData(const model::Event& event) const {
  // Every call and SMS probes the phone filter for its other party (AnyHit), a random read
  // into ~2 MB that misses the cache; every SMS is scanned for text patterns and links, its
  // text on the heap of the core that parsed it.
  if (const auto* call = std::get_if<model::CallEvent>(&event.body)) {
    intel.PrefetchPhone(call->caller.value());
  } else if (const auto* sms = std::get_if<model::SmsEvent>(&event.body)) {
    intel.PrefetchPhone(sms->sender.value());
    const char* text = sms->text.data();
    for (size_t off = 0; off < sms->text.size(); off += 64) __builtin_prefetch(text + off);
  } else if (const auto* net = std::get_if<model::NetEvent>(&event.body)) {
    __builtin_prefetch(net->domain.value().data());
  } else if (const auto* transfer = std::get_if<model::TransferEvent>(&event.body)) {
    __builtin_prefetch(transfer->payee_account.value().data());
  }
}

void Detector::Impl::PrefetchEventIntel(const model::Event& event) const {
  // Net events probe the domain filter once per parent domain, transfers the account filter:
  // smaller than the phone filter, but shared with everything else the shard touches.
  if (const auto* net = std::get_if<model::NetEvent>(&event.body)) {
    intel.PrefetchDomain(net->domain.value());
  } else if (const auto* transfer = std::get_if<model::TransferEvent>(&event.body)) {
    intel.PrefetchAccount(transfer->payee_account.value());
  }
}

SubjectState& Detector::Impl::StateFor(const SubjectRef& subject) {
  uint32_t id = subjects.Find(subject.id, subject.hash);
  if (id == kNoSubject) {
    id = subjects.Insert(subject.id, subject.hash);
    subjects[id].kind = subject.kind;
  }
  return subjects[id];
}

void Detector::Impl::Record(SubjectState& state, const WindowEntry& entry) {
  InsertByTime(state.events, entry);
  state.newest_t_ms = std::max(state.newest_t_ms, entry.t_ms);
  Prune(state.events, state.newest_t_ms - window_ms,
        static_cast<size_t>(rules.scoring().max_entries));
}

void Detector::Impl::RecordSmsLinks(EventContext& ctx, SubjectState& state) {
  const auto* sms = std::get_if<model::SmsEvent>(&ctx.event().body);
  if (sms == nullptr) return;
  int recorded = 0;
  for (std::string_view raw : intel::ExtractUrls(sms->text)) {
    StatusOr<normalize::UrlInfo> url = normalize::NormalizeUrl(raw);
    if (!url.ok() || url->host.empty()) continue;
    Record(state, WindowEntry{ctx.t_ms(), SiteHash(url->host), kSmsLinkEntry, 1});
    if (++recorded == 4) break;  // a lure carries one or two links; bound the state
  }
}

void Detector::Impl::AddScore(SubjectState& state, int64_t t_ms, double add) {
  const double hl_ms = absl::ToDoubleMilliseconds(rules.scoring().half_life);
  if (!state.has_score) {
    state.score = add;
    state.score_t_ms = t_ms;
    state.has_score = true;
  } else if (t_ms >= state.score_t_ms) {
    state.score =
        state.score * std::exp2(-static_cast<double>(t_ms - state.score_t_ms) / hl_ms) + add;
    state.score_t_ms = t_ms;
  } else {
    // A late event adds what is left of its score at the newest time seen: decay never runs
    // backwards, so the score cannot go negative or jump.
    state.score += add * std::exp2(-static_cast<double>(state.score_t_ms - t_ms) / hl_ms);
  }
  if (state.score < 0) state.score = 0;
}

void Detector::Impl::Fire(int rule_index, EventContext& ctx, SubjectState& state) {
  const Rule& rule = rules.rules()[static_cast<size_t>(rule_index)];
  const RuleExtras& extra = extras[static_cast<size_t>(rule_index)];
  ++fires[static_cast<size_t>(rule_index)];
  const double weighted = rule.score * ctx.Multiplier();
  AddScore(state, ctx.t_ms(), weighted);
  InsertByTime(state.firings, Firing{ctx.t_ms(), rule_index});
  Prune(state.firings, state.newest_t_ms - window_ms, 256);

  const intel::IntelMatch* indicator = nullptr;
  const model::FraudType type = ctx.FraudTypeFor(rule, extra, &indicator);
  model::Evidence evidence;
  evidence.event_id = ctx.event().header.id;
  evidence.event_type = ctx.event().header.type;
  evidence.time = ctx.event().header.time;
  evidence.rule_id = rule.id;
  evidence.reason = ctx.Reason(rule, extra, type, indicator);
  if (indicator != nullptr) {
    evidence.indicator = StrCat(model::IndicatorKindName(indicator->kind), ":", indicator->value);
  }

  std::optional<model::WarningLevel> floor = rule.min_level;
  if (rule.min_level_from_event) {
    if (const auto* d = std::get_if<model::DirectiveEvent>(&ctx.event().body)) floor = d->level;
  }
  // Floors dominate the choice of fraud type: money moving to a mule account says more
  // about the fraud than an earlier SMS.
  const double strength = weighted + (floor ? 1000.0 * static_cast<int>(*floor) : 0.0);
  std::optional<model::WarningLevel> level = rules.scoring().LevelFor(state.score);
  if (floor) level = level ? model::MaxLevel(*level, *floor) : *floor;

  if (state.warning == nullptr) {
    if (!level) {
      if (state.pending == nullptr) state.pending = std::make_unique<PendingEvidence>();
      PendingEvidence& pending = *state.pending;
      if (pending.evidence.size() >= kMaxPending) {
        pending.evidence.erase(pending.evidence.begin());
        pending.strength.erase(pending.strength.begin());
        pending.types.erase(pending.types.begin());
      }
      pending.evidence.push_back(std::move(evidence));
      pending.strength.push_back(strength);
      pending.types.push_back(type);
      return;
    }
    auto w = std::make_unique<model::Warning>();
    w->id = model::WarningId(WarningIdFor(ctx.subject(), ctx.event().header.id.value()));
    w->subject = std::string(ctx.subject());
    w->subject_kind = state.kind;
    w->level = *level;
    w->created_at = ctx.event().header.time;
    w->updated_at = w->created_at;
    if (const model::Person* p = ctx.Person()) w->unit = p->unit;
    if (state.pending != nullptr) {
      PendingEvidence& pending = *state.pending;
      for (size_t i = 0; i < pending.evidence.size(); ++i) {
        UpdateFraudType(state, *w, pending.types[i], pending.strength[i]);
        if (std::find(w->rule_ids.begin(), w->rule_ids.end(), pending.evidence[i].rule_id) ==
            w->rule_ids.end()) {
          w->rule_ids.push_back(pending.evidence[i].rule_id);
        }
        w->evidence.push_back(std::move(pending.evidence[i]));
      }
      state.pending.reset();
    }
    state.warning = std::move(w);
    ++stats.warnings_opened;
    ++stats.warnings_by_level[static_cast<int>(*level)];
  } else if (level && *level > state.warning->level) {
    model::Warning& w = *state.warning;
    w.upgrades.push_back({ctx.event().header.time, w.level, *level, rule.id});
    --stats.warnings_by_level[static_cast<int>(w.level)];
    ++stats.warnings_by_level[static_cast<int>(*level)];
    w.level = *level;
    ++stats.upgrades;
  }
  model::Warning& w = *state.warning;
  w.score = state.score;
  w.updated_at = std::max(w.updated_at, ctx.event().header.time);
  if (std::find(w.rule_ids.begin(), w.rule_ids.end(), rule.id) == w.rule_ids.end()) {
    w.rule_ids.push_back(rule.id);
  }
  UpdateFraudType(state, w, type, strength);
  if (w.evidence.size() < options.max_evidence) w.evidence.push_back(std::move(evidence));
  changed.emplace(ctx.subject());
}

bool Detector::Impl::EvaluateAndFire(int32_t r, const Program& program, EventContext& ctx,
                                     const SubjectRef& subject, SubjectState*& state) {
  const Rule& rule = rules.rules()[static_cast<size_t>(r)];
  if (state != nullptr && rule.cooldown > absl::ZeroDuration()) {
    const int64_t from = ctx.t_ms() - absl::ToInt64Milliseconds(rule.cooldown);
    const bool cooling = std::any_of(
        state->firings.begin(), state->firings.end(),
        [&](const Firing& f) { return f.rule == r && f.t_ms >= from && f.t_ms <= ctx.t_ms(); });
    if (cooling) return false;
  }
  ctx.set_program(&program);  // seen() reads the program's rule references (kept by folds)
  if (!program.Evaluate(ctx)) return false;
  ctx.set_program(&rule.condition);
  if (state == nullptr) {
    state = &StateFor(subject);
    ctx.set_state(state);
  }
  Fire(r, ctx, *state);
  return true;
}

void Detector::Impl::Process(const model::Event& event, const SubjectRef& subject,
                             uint64_t id_hash) {
  ++stats.events;
  if (subject.id.empty()) {
    ++stats.no_subject;
    return;
  }
  if (SeenId(id_hash)) {
    ++stats.duplicates;
    return;
  }
  const uint32_t id = subjects.Find(subject.id, subject.hash);
  SubjectState* state = id == kNoSubject ? nullptr : &subjects[id];
  EventContext ctx(*this, event, subject.id, state);
  bool changed = false;
  const auto type = static_cast<size_t>(event.header.type);
  const bool quiet = ctx.Quiet();
  if (quiet) {
    // Quiet events (most of the traffic) evaluate only the rules that can fire on them, their
    // screens read from the event and their programs folded. The no-state folds hold while
    // the subject has no state, i.e. until a rule fires.
    const std::vector<QuietStep>& steps =
        state == nullptr ? quiet_steps_by_type[type] : quiet_state_steps_by_type[type];
    for (const QuietStep& step : steps) {
      if (!ScreenHolds(step.screen, event)) continue;
      const auto r = static_cast<size_t>(step.rule);
      const Program& program = state == nullptr ? quiet_no_state_programs[r] : quiet_programs[r];
      changed |= EvaluateAndFire(step.rule, program, ctx, subject, state);
    }
  } else {
    for (const int32_t r : rules_by_type[type]) {
      const Rule& rule = rules.rules()[static_cast<size_t>(r)];
      const RuleExtras& extra = extras[static_cast<size_t>(r)];
      if (extra.screen && !ctx.Holds(rule.condition, *extra.screen)) continue;
      changed |= EvaluateAndFire(r, rule.condition, ctx, subject, state);
    }
  }
  // A quiet event has no hit (Quiet() asked AnyHit() first, and its lookups do not change).
  const bool hit = changed || (!quiet && ctx.AnyHit());
  if (hit || rules.records_all_events()) {
    if (state == nullptr) state = &StateFor(subject);
    Record(*state, WindowEntry{ctx.t_ms(), ctx.PartyHash(), static_cast<uint8_t>(event.header.type),
                               static_cast<uint8_t>(hit ? 1 : 0)});
    RememberId(id_hash);
  }
  if (event.header.type == model::EventType::kSms && rules.field_use().Uses(Field::kLinked) &&
      ctx.TextHits() > 0) {
    if (state == nullptr) state = &StateFor(subject);
    RecordSmsLinks(ctx, *state);
  }
  watermark_ms = std::max(watermark_ms, ctx.t_ms());
  if (++since_sweep >= kSweepEvery) Sweep();
}

int64_t Detector::Impl::Sweep() {
  since_sweep = 0;
  const int64_t keep_from = watermark_ms - window_ms;
  const int64_t keep_warned_from =
      options.warning_retention == absl::InfiniteDuration()
          ? std::numeric_limits<int64_t>::min()
          : watermark_ms - absl::ToInt64Milliseconds(options.warning_retention);
  return static_cast<int64_t>(subjects.EraseIf([&](const SubjectState& s) {
    if (s.warning == nullptr) return s.newest_t_ms < keep_from;
    const int64_t last_ms = std::max(s.newest_t_ms, absl::ToUnixMillis(s.warning->updated_at));
    return last_ms < keep_from && last_ms < keep_warned_from;
  }));
}

std::vector<model::Warning> Detector::Impl::Warnings() const {
  std::vector<model::Warning> out;
  subjects.ForEach([&](const SubjectState& state) {
    if (state.warning != nullptr) out.push_back(*state.warning);
  });
  std::sort(out.begin(), out.end(), WarningOrder{});
  return out;
}

Detector::Detector(const RuleSet& rules, const intel::IntelStore& intel, const PeopleIndex* people,
                   DetectorOptions options)
    : impl_(std::make_unique<Impl>(rules, intel, people, options)) {}
Detector::~Detector() = default;

void Detector::Process(const model::Event& event) { impl_->Process(event); }

std::vector<model::Warning> Detector::Warnings() const { return impl_->Warnings(); }

std::vector<const model::Warning*> Detector::WarningRefs() const {
  std::vector<const model::Warning*> out;
  impl_->subjects.ForEach([&](const SubjectState& state) {
    if (state.warning != nullptr) out.push_back(state.warning.get());
  });
  std::sort(out.begin(), out.end(), WarningOrder{});
  return out;
}

int64_t Detector::Forget() { return impl_->Sweep(); }

std::vector<model::Warning> Detector::TakeChangedWarnings() {
  std::vector<model::Warning> out;
  out.reserve(impl_->changed.size());
  for (const std::string& subject : impl_->changed) {
    const uint32_t id = impl_->subjects.Find(subject, SubjectHash(subject));
    if (id != kNoSubject && impl_->subjects[id].warning != nullptr) {
      out.push_back(*impl_->subjects[id].warning);
    }
  }
  impl_->changed.clear();
  std::sort(out.begin(), out.end(), WarningOrder{});
  return out;
}

DetectorStats Detector::Stats() const {
  DetectorStats s = impl_->stats;
  s.subjects = static_cast<int64_t>(impl_->subjects.size());
  // Counted from the states, so that warnings loaded from a checkpoint are included.
  s.warnings_by_level = {};
  impl_->subjects.ForEach([&](const SubjectState& state) {
    if (state.warning != nullptr) ++s.warnings_by_level[static_cast<int>(state.warning->level)];
  });
  for (size_t i = 0; i < impl_->fires.size(); ++i) {
    if (impl_->fires[i] > 0) s.rule_fires[impl_->rules.rules()[i].id] += impl_->fires[i];
  }
  return s;
}

}  // namespace fz::detect
