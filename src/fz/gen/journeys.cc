#include "fz/gen/journeys.h"

#include <algorithm>
#include <cstdio>

#include "fz/common/json_line.h"
#include "fz/common/str_cat.h"
#include "fz/gen/event_lines.h"
#include "fz/gen/journey.h"

namespace fz::gen {
namespace {

using model::EventType;

enum Stream : uint64_t { kPlan = 20, kSimBox = 21, kRelatives = 22 };

constexpr int64_t kHour = 3600;
constexpr int64_t kDay = 86400;

// Share of victims by type (公安部: 刷单返利 has the most cases; the ten are 88.4% of all).
constexpr std::array<double, kFraudTypes> kTypeShares = {0.30, 0.14, 0.08, 0.12, 0.10,
                                                         0.05, 0.05, 0.06, 0.06, 0.04};

// When gangs make first contact, by hour of day (Beijing time).
constexpr std::array<double, 24> kContactHours = {0.2, 0.1, 0.05, 0.05, 0.05, 0.1, 0.3, 0.8,
                                                  2.0, 3.0, 3.0,  2.5,  1.5,  2.0, 2.5, 2.5,
                                                  2.2, 2.0, 2.0,  2.2,  2.4,  2.0, 1.2, 0.5};

// Age bands (teen, 18-40, 41-65, 66+) of victims: 62% and 33% for the middle two (2023).
std::array<double, 4> BandWeights(Fraud f) {
  switch (f) {
    case Fraud::kAuthority:
      return {0.0, 0.35, 0.35, 0.30};
    case Fraud::kGameTrade:
      return {0.25, 0.70, 0.05, 0.0};
    case Fraud::kRomance:
      return {0.0, 0.60, 0.40, 0.0};
    default:
      return {0.01, 0.64, 0.33, 0.02};
  }
}

uint8_t AffineTags(Fraud f) {
  switch (f) {
    case Fraud::kTaskRebate:
      return kStudent | kUnemployed | kPriorVictim;
    case Fraud::kInvestment:
      return kInvestor | kSingleWithSavings | kPriorVictim;
    case Fraud::kShopping:
    case Fraud::kGameTrade:
      return kStudent;
    case Fraud::kLoan:
      return kLoanSeeker | kUnemployed;
    case Fraud::kCreditRepair:
      return kLoanSeeker | kStudent;
    case Fraud::kBoss:
      return kFinanceStaff;
    case Fraud::kAuthority:
      return kElderlyAlone | kPriorVictim;
    case Fraud::kRomance:
      return kSingleWithSavings;
    default:
      return 0xff;
  }
}

bool SmsLure(Fraud f) {
  return f == Fraud::kTaskRebate || f == Fraud::kShopping || f == Fraud::kLoan ||
         f == Fraud::kGameTrade || f == Fraud::kInvestment;
}

int64_t ContactTime(Rng& rng, int64_t day_start) {
  return day_start + static_cast<int64_t>(rng.Weighted(kContactHours)) * kHour +
         rng.Range(0, kHour - 1);
}

}  // namespace

void TruthWriter::Line(const std::string& json) {
  std::fwrite(json.data(), 1, json.size(), out_);
  std::fputc('\n', out_);
  bytes_ += static_cast<int64_t>(json.size()) + 1;
}

FraudPlanner::FraudPlanner(const World& world, EventQueue* queue, TruthWriter* truth)
    : world_(world), queue_(queue), truth_(truth) {
  status_.assign(world.city->residents().size(), Role::kNone);
  Rng rng = Rng::ForStream(world.seed, kRelatives);
  // About 1 in 2,000 residents has close family abroad who call often.
  const size_t n = std::max<size_t>(1, status_.size() / 2000);
  for (size_t i = 0; i < n; ++i)
    relatives_abroad_.push_back(static_cast<uint32_t>(rng.Index(status_.size())));
}

void FraudPlanner::PlanDay(int day) {
  const int64_t day_start = world_.start_s + day * kDay;
  Rng rng = Rng::ForStream(world_.seed, kPlan, static_cast<uint64_t>(day));
  const double expected = static_cast<double>(status_.size()) * world_.victim_rate;
  for (int64_t i = 0, n = rng.Poisson(expected); i < n; ++i) PlanVictim(rng, day_start);
  for (int64_t i = 0, n = rng.Poisson(expected * world_.targeted_per_victim); i < n; ++i) {
    PlanTargeted(rng, day_start);
  }
  Rng simbox = Rng::ForStream(world_.seed, kSimBox, static_cast<uint64_t>(day));
  PlanSimBoxes(simbox, day_start);
  Rng relatives = Rng::ForStream(world_.seed, kRelatives + 1, static_cast<uint64_t>(day));
  PlanRelativesAbroad(relatives, day_start);
}

size_t FraudPlanner::ChooseVictim(Rng& rng, Fraud f) {
  const std::vector<Resident>& residents = world_.city->residents();
  const uint8_t tags = AffineTags(f);
  // A quarter of victims are in the high-risk base already; the rest are not.
  if (rng.Chance(0.25) && !world_.city->base().empty()) {
    for (int attempt = 0; attempt < 200; ++attempt) {
      const uint32_t i = rng.Pick(world_.city->base());
      if ((residents[i].tags & tags) && residents[i].phone[0] == '1' &&
          status_[i] != Role::kVictim && residents[i].age >= 16) {
        return i;
      }
    }
  }
  const std::array<double, 4> bands = BandWeights(f);
  for (int attempt = 0;; ++attempt) {
    const auto& band = world_.city->Band(static_cast<AgeBand>(rng.Weighted(bands)));
    if (band.empty()) {
      if (attempt > 1000) return rng.Index(residents.size());
      continue;
    }
    const uint32_t i = rng.Pick(band);
    if ((residents[i].phone[0] == '1' && status_[i] != Role::kVictim) || attempt > 1000) {
      return i;
    }
  }
}

void FraudPlanner::PlanVictim(Rng& rng, int64_t day_start) {
  const auto f = static_cast<Fraud>(rng.Weighted(kTypeShares) + 1);
  const Gang& gang = world_.underworld->gangs()[rng.Pick(world_.underworld->GangsFor(f))];
  const size_t victim = ChooseVictim(rng, f);
  status_[victim] = Role::kVictim;
  Journey journey(world_, queue_, rng, victim, gang, f, ContactTime(rng, day_start));
  PlayJourney(journey);
  journey.Finish(this, &directive_seq_, truth_, &counts_);
}

void FraudPlanner::PlanTargeted(Rng& rng, int64_t day_start) {
  const auto f = static_cast<Fraud>(rng.Weighted(kTypeShares) + 1);
  const Gang& gang = world_.underworld->gangs()[rng.Pick(world_.underworld->GangsFor(f))];
  const size_t who = rng.Index(status_.size());
  if (status_[who] == Role::kVictim) return;
  const Resident& r = world_.city->residents()[who];
  Journey j(world_, queue_, rng, who, gang, f, ContactTime(rng, day_start));
  int64_t t = j.t0();
  std::string engagement;
  if (SmsLure(f) && r.phone[0] == '1') {
    t = j.Sms(t, j.LocalSim(), j.SmsText(j.Url()));
    engagement = "sms";
    if (rng.Chance(0.015)) {  // curious, clicks, and stops there
      t = j.Visit(t + Journey::Minutes(rng, 1, 60), j.Url());
      engagement = "clicked";
      if (rng.Chance(0.2)) {
        j.Install(t + Journey::Minutes(rng, 5, 60), j.FraudApp());
        engagement = "installed";
      }
    }
  } else {
    const double x = rng.Unit();
    const std::string& from = x < 0.35   ? j.International()
                              : x < 0.55 ? j.Voip()
                              : x < 0.65 ? j.Spoofed()
                                         : j.LocalSim();
    const double y = rng.Unit();
    const int duration = y < 0.45   ? 0
                         : y < 0.87 ? static_cast<int>(rng.Range(5, 45))
                         : y < 0.97 ? static_cast<int>(rng.Range(45, 240))
                                    : static_cast<int>(rng.Range(240, 900));
    j.Call(t, from, duration);
    engagement = duration == 0    ? "unanswered"
                 : duration < 45  ? "short_call"
                 : duration < 240 ? "medium_call"
                                  : "long_call";
    if (duration > 0 && rng.Chance(0.005)) {
      const int64_t at = t + Journey::Minutes(rng, 10, 600);
      if (queue_->Push(at, EventType::kReport,
                       ReportBody(at, r.phone, {from}, {}, {}, FraudCode(f), 0,
                                  "接到可疑电话，未受骗，举报号码"))) {
        ++counts_.reports;
      }
    }
  }
  // The national center's directives are right about 80% of the time.
  if (rng.Chance(0.012)) FalseDirective(rng, who, f, t);
  MarkTargeted(who, f, j.t0(), engagement);
}

void FraudPlanner::PlanSimBoxes(Rng& rng, int64_t day_start) {
  const std::vector<Resident>& residents = world_.city->residents();
  const double scale = static_cast<double>(residents.size()) / 200000.0;
  for (const Gang& gang : world_.underworld->gangs()) {
    for (const SimBoxSite& site : gang.sites) {
      for (size_t s = 0; s < site.sims.size(); ++s) {
        if (!rng.Chance(0.8)) continue;
        const auto calls = static_cast<int64_t>(std::ceil(rng.Range(10, 30) * scale));
        for (int64_t c = 0; c < calls; ++c) {
          const size_t who = rng.Index(residents.size());
          const int64_t t = day_start + rng.Range(9 * kHour, 20 * kHour);
          const double y = rng.Unit();
          const int duration = y < 0.60    ? 0
                               : y < 0.97  ? static_cast<int>(rng.Range(3, 30))
                               : y < 0.998 ? static_cast<int>(rng.Range(30, 120))
                                           : static_cast<int>(rng.Range(120, 300));
          // The box rotates its SIMs through a few devices: the IMEI changes, the cell not.
          const std::string& imei = site.imeis[(s + static_cast<size_t>(c)) % site.imeis.size()];
          if (queue_->Push(
                  t, EventType::kCall,
                  CallBody(t, site.sims[s], residents[who].phone, duration, site.cell_id, imei))) {
            ++counts_.simbox_calls;
          }
          if (status_[who] == Role::kNone) {
            MarkTargeted(who, gang.types.front(), t,
                         duration == 0 ? "simbox_unanswered" : "simbox_call");
          }
        }
      }
    }
  }
}

void FraudPlanner::PlanRelativesAbroad(Rng& rng, int64_t day_start) {
  const std::vector<Resident>& residents = world_.city->residents();
  for (uint32_t i : relatives_abroad_) {
    if (!rng.Chance(0.3)) continue;
    Rng number_rng = Rng::ForStream(world_.seed, kRelatives + 2, i);
    const std::string abroad = world_.plan->RelativeAbroadInternational(number_rng);
    const int64_t t = day_start + rng.Range(7 * kHour, 23 * kHour);
    const int duration = static_cast<int>(std::clamp(rng.LogNormal(900, 0.8), 30.0, 5400.0));
    if (rng.Chance(0.85)) {
      queue_->Push(t, EventType::kCall, CallBody(t, abroad, residents[i].phone, duration, "", ""));
    } else {
      queue_->Push(t, EventType::kCall,
                   CallBody(t, residents[i].phone, abroad, duration, world_.city->CellId(i),
                            world_.city->Imei(i)));
    }
  }
}

void FraudPlanner::MarkTargeted(size_t resident, Fraud f, int64_t ts, std::string_view engagement) {
  if (status_[resident] != Role::kNone || !queue_->InWindow(ts)) return;
  status_[resident] = Role::kTargeted;
  ++counts_.targeted;
  std::string line;
  JsonLine j(&line);
  j.Str("kind", "targeted").Str("subject", E164(world_.city->residents()[resident].phone));
  j.Str("person_id", world_.city->PersonId(resident)).Str("fraud_type", FraudCode(f));
  j.Time("first_fraud_contact_ts", ts).Str("engagement", engagement);
  j.Close();
  truth_->Line(line);
}

void FraudPlanner::FalseDirective(Rng& rng, size_t resident, Fraud f, int64_t ts) {
  const int64_t at = ts + Journey::Minutes(rng, 10, 240);
  char id[32];
  std::snprintf(id, sizeof(id), "GJFZ-2026-%06lld", static_cast<long long>(++directive_seq_));
  if (queue_->Push(at, EventType::kDirective,
                   DirectiveBody(at, id, world_.city->residents()[resident].phone, "orange",
                                 FraudCode(f), "国家反诈中心",
                                 StrCat("疑似正在遭受", FraudNameZh(f), "诈骗，请立即劝阻")))) {
    ++counts_.false_directives;
  }
}

}  // namespace fz::gen
