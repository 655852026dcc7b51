// Internal to fz/detect: the state behind Detector (per-subject windows, scores, warnings) and
// the per-event evaluation context. Not part of the public API.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/container/inlined_vector.h"
#include "fz/common/strings.h"
#include "fz/detect/detector.h"
#include "fz/detect/quiet_event.h"
#include "fz/detect/seen_ids.h"
#include "fz/detect/subject.h"
#include "fz/detect/subject_table.h"
#include "fz/intel/text_patterns.h"
#include "fz/normalize/phone_normalizer.h"

namespace fz::detect {

using fz::AbslView;

// The shard that owns `subject` among `shards` (ParallelDetector routing and checkpoint loads).
inline uint32_t ShardOf(uint64_t subject_hash, uint32_t shards) {
  return shards <= 1 ? 0 : static_cast<uint32_t>(subject_hash % shards);
}
inline uint32_t ShardOf(std::string_view subject, uint32_t shards) {
  return ShardOf(SubjectHash(subject), shards);
}

// Warnings() order: by (created_at, subject), for values and for pointers.
struct WarningOrder {
  bool operator()(const model::Warning& a, const model::Warning& b) const {
    if (a.created_at != b.created_at) return a.created_at < b.created_at;
    return a.subject < b.subject;
  }
  bool operator()(const model::Warning* a, const model::Warning* b) const {
    return (*this)(*a, *b);
  }
};

// One remembered event of a subject, 16 bytes.
struct WindowEntry {
  int64_t t_ms = 0;
  uint32_t party = 0;  // hash of the other party (caller, sender), 0 when none
  uint8_t type = 0;    // model::EventType
  uint8_t hit = 0;     // 1 when intelligence or a text pattern matched
};

// WindowEntry::type of a link found in a fraud-pattern SMS (party = SiteHash of its host): not
// an event, so count()/distinct() skip it; linked() looks for it.
inline constexpr uint8_t kSmsLinkEntry = 31;

struct Firing {
  int64_t t_ms = 0;
  int32_t rule = 0;  // index into RuleSet::rules()
};

// Evidence gathered before a subject's warning opened (rare: kept out of the record).
struct PendingEvidence {
  std::vector<model::Evidence> evidence;
  std::vector<double> strength;
  std::vector<model::FraudType> types;
};

// One subject's state: a SubjectTable record, 192 bytes. What every event about a subject with
// state reads (the key, the score, the firings for cooldowns and seen(), the window entries)
// comes first and holds the first few entries inline; rarer parts live behind pointers.
struct alignas(64) SubjectState {
  std::string key;  // the subject (SubjectTable)
  double score = 0;
  int64_t score_t_ms = 0;  // event time `score` is valid at
  int64_t newest_t_ms = 0;
  model::SubjectKind kind = model::SubjectKind::kPhone;
  bool has_score = false;
  bool live = false;                           // SubjectTable: the record is in use
  absl::InlinedVector<Firing, 2> firings;      // sorted by time
  absl::InlinedVector<WindowEntry, 3> events;  // sorted by time
  double best_strength = -1;                   // of the evidence that set the warning's fraud type
  std::unique_ptr<PendingEvidence> pending;    // null when none
  std::unique_ptr<model::Warning> warning;
};

// Intel slots, one per Field::kIntel*.
inline constexpr int kIntelSlots = 10;

struct RuleExtras {
  std::vector<Field> intel_fields;  // intel fields the condition reads, in order
  int32_t count_node = -1;          // first count()/distinct() node, for {count}
  // A comparison of an event number the condition needs (quiet_event.h), checked first.
  std::optional<NecessaryComparison> screen;
};

// A rule to evaluate on quiet events of one type: its necessary comparison read straight from
// the event, then (quiet_programs) its program folded for quiet events.
struct QuietStep {
  int32_t rule = 0;
  QuietScreen screen;
};

struct Detector::Impl {
  Impl(const RuleSet& rules, const intel::IntelStore& intel, const PeopleIndex* people,
       DetectorOptions options);

  void Process(const model::Event& event) {
    Process(event, SubjectOf(event), EventIdHash(event.header.id.value()));
  }
  // `subject` is SubjectOf(event) and `id_hash` EventIdHash(its id), computed by the caller
  // (ParallelDetector routes by them and prefetches with them).
  void Process(const model::Event& event, const SubjectRef& subject, uint64_t id_hash);
  // Hints a few events ahead of Process (ParallelDetector): the index slot first, the
  // subject's record once the slot has had time to arrive.
  void PrefetchIndex(uint64_t subject_hash) const { subjects.Prefetch(subject_hash); }
  void PrefetchState(uint64_t subject_hash) const { subjects.PrefetchRecord(subject_hash); }
  void PrefetchSeenId(uint64_t id_hash) const { seen_ids.Prefetch(id_hash); }
  // Once the event itself has arrived: what its first rules read behind pointers, i.e. the
  // block of the intel phone filter for its other party, an SMS's text, a visited domain's
  // or a payee account's text (detector.cc).
  void PrefetchEventData(const model::Event& event) const;
  // Once that text has arrived: the intel filter blocks for the domain (and its parents) of a
  // net event or the payee account of a transfer.
  void PrefetchEventIntel(const model::Event& event) const;
  std::vector<model::Warning> Warnings() const;
  void WriteCheckpoint(std::ostream& out) const;
  // Loads subjects for which `keep(subject)` is true.
  Status LoadCheckpoint(const std::string& path, uint32_t shard, uint32_t shards);

  // Evaluates `program` (rule `r`'s condition or a fold of it) unless `r` is cooling down,
  // and fires it when true; returns whether it fired. Creates the state on a first firing.
  bool EvaluateAndFire(int32_t r, const Program& program, class EventContext& ctx,
                       const SubjectRef& subject, SubjectState*& state);
  // Rule firing and its effects.
  void Fire(int rule_index, class EventContext& ctx, SubjectState& state);
  SubjectState& StateFor(const SubjectRef& subject);
  void Record(SubjectState& state, const WindowEntry& entry);
  // Remembers the sites linked in an SMS that matched a text pattern, for linked().
  void RecordSmsLinks(EventContext& ctx, SubjectState& state);
  void AddScore(SubjectState& state, int64_t t_ms, double add);
  int64_t Sweep();  // returns the subjects forgotten
  bool SeenId(uint64_t id_hash) const;
  void RememberId(uint64_t id_hash);

  const RuleSet& rules;
  const intel::IntelStore& intel;
  const PeopleIndex* people;
  DetectorOptions options;
  std::vector<std::vector<int32_t>> rules_by_type;  // EventType -> rule indices in file order
  // The same, less the rules that cannot fire on a quiet event (quiet_event.h) about a
  // subject without state / with state, and what makes an event of the type not quiet: the
  // intelligence fields its rules read and whether they read text-pattern fields. Directives
  // and reports are never quiet (AnyHit).
  std::vector<std::vector<QuietStep>> quiet_steps_by_type;
  std::vector<std::vector<QuietStep>> quiet_state_steps_by_type;
  // Per rule index, the condition folded for quiet events (FoldForQuietEvent) about a
  // subject with any state, and about one without state (used until a rule fires).
  std::vector<Program> quiet_programs;
  std::vector<Program> quiet_no_state_programs;
  std::vector<std::vector<Field>> intel_fields_by_type;
  std::vector<bool> text_by_type;
  std::vector<RuleExtras> extras;
  int64_t window_ms = 0;
  std::optional<intel::TextPatterns::Scratch> scratch;
  normalize::PhoneKey party_key;

  SubjectTable<SubjectState> subjects;
  SeenIds seen_ids;
  int64_t watermark_ms = 0;  // newest event time seen
  int64_t since_sweep = 0;
  DetectorStats stats;
  std::vector<int64_t> fires;  // per rule index
  // Subjects whose warning opened or changed since the last TakeChangedWarnings (the server
  // stores and pushes just these after each batch).
  absl::flat_hash_set<std::string> changed;
};

// Writes one checkpoint holding every shard's state (checkpoint.cc).
Status SaveShardedCheckpoint(const std::string& path,
                             const std::vector<const Detector::Impl*>& shards);

// The lazily computed facts of one event, as the rule programs read them.
class EventContext final : public ValueSource {
 public:
  EventContext(Detector::Impl& d, const model::Event& event, std::string_view subject,
               const SubjectState* state);

  Value Get(const Node& node, std::string_view arg) override;

  const intel::IntelMatch* Intel(Field field);
  // Text pattern scan (SMS, directive, report text).
  void ScanText();
  bool AnyHit();
  // No intelligence hit in any field the rules of this event type read, no text-pattern hit
  // (quiet_event.h; the subject's state is the caller's part). Looks up what it needs, once.
  bool Quiet();
  int TextHits();  // text patterns found (scans on first use)
  // Phone flags of the other party as ingest saw the raw text (CallEvent::caller_flags);
  // `*complete` (if given): they are all the flags normalization found
  // (model::kPartyFlagsComplete).
  normalize::PhoneFlagSet IngestPartyFlags(bool* complete = nullptr) const;
  uint32_t PartyHash();  // of the other party, 0 when none
  const model::Person* Person();
  double Multiplier();
  int64_t t_ms() const { return t_ms_; }
  const model::Event& event() const { return event_; }
  std::string_view subject() const { return subject_; }
  void set_state(const SubjectState* state) { state_ = state; }
  void set_program(const Program* program) { program_ = program; }
  // The comparison node `c` of `program` (NecessaryComparisonOf), evaluated as Program would,
  // without walking the rest of the program.
  bool Holds(const Program& program, const NecessaryComparison& c) {
    const std::vector<Node>& nodes = program.nodes();
    const Node& node = nodes[static_cast<size_t>(c.node)];
    const auto operand = [&](int32_t i) {
      const Node& x = nodes[static_cast<size_t>(i)];
      return x.op == Op::kConst ? x.constant : Get(x, {});
    };
    return CompareValues(node.op, operand(node.lhs), operand(node.rhs)).Truthy();
  }

  // Rule outcome helpers.
  model::FraudType FraudTypeFor(const Rule& rule, const RuleExtras& extras,
                                const intel::IntelMatch** indicator);
  std::string Reason(const Rule& rule, const RuleExtras& extras, model::FraudType type,
                     const intel::IntelMatch* indicator);

 private:
  bool PartyFacts();
  Value WindowValue(const Node& node);
  const intel::IntelMatch* LookupIntel(Field field);
  // Intel(F) and LookupIntel(F) for a field known at compile time (event_context.cc).
  template <Field F>
  const intel::IntelMatch* IntelOf();
  template <Field F>
  const intel::IntelMatch* LookupIntelOf();
  // The rare and heavier lookups, out of line so LookupIntel stays small.
  [[gnu::noinline]] const intel::IntelMatch* LookupSmsUrl();
  [[gnu::noinline]] const intel::IntelMatch* LookupSuspect();

  Detector::Impl& d_;
  const model::Event& event_;
  std::string_view subject_;
  const SubjectState* state_;
  const Program* program_ = nullptr;  // the program being evaluated (for seen() rule lists)
  absl::Time t_;
  int64_t t_ms_;
  std::string_view party_;
  uint32_t party_hash_ = 0;
  bool party_hashed_ = false;
  int party_state_ = 0;  // 0 not computed, 1 ok, -1 failed
  bool intel_done_[kIntelSlots] = {};
  const intel::IntelMatch* intel_[kIntelSlots] = {};
  bool text_done_ = false;
  int text_count_ = 0;
  double text_weight_ = 0;
  const intel::TextPattern* text_best_ = nullptr;
  bool person_done_ = false;
  const model::Person* person_ = nullptr;
  int age_ = -1;
  std::string sms_url_;  // the URL (normalized) that matched in SMS text
};

}  // namespace fz::detect
