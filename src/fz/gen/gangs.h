// The underworld of the synthetic city: fraud gangs and their resources — international, VOIP
// and local SIM numbers, SIM-box sites, domains, URLs, apps and mule accounts — and the
// intelligence file that, as real lists do, covers only part of them.
//
//   Underworld world = Underworld::Build(plan, seed);
//   const Gang& gang = world.gangs()[world.GangsFor(Fraud::kTaskRebate)[0]];
//   world.WriteIntelCsv(dir + "/intel.csv", start_s, end_s, city, &stats);
//
// Immutable after Build; const methods are thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fz/common/status.h"
#include "fz/gen/numbers.h"
#include "fz/gen/population.h"

namespace fz::gen {

// The ten national fraud types, numbered as model::FraudTypeRegistry::WithBuiltins() does.
enum class Fraud : uint8_t {
  kTaskRebate = 1,
  kInvestment,
  kShopping,
  kCustomerService,
  kLoan,
  kCreditRepair,
  kBoss,
  kAuthority,
  kRomance,
  kGameTrade,
};
inline constexpr int kFraudTypes = 10;
std::string_view FraudCode(Fraud f);    // "task_rebate"
std::string_view FraudNameZh(Fraud f);  // "刷单返利"

struct App {
  std::string id;
  std::string name;
};

// Legitimate meeting / screen-sharing / chat apps that gangs abuse: never in the intel file.
const std::vector<App>& AbusedLegitApps();
const std::vector<App>& ScreenSharingApps();  // the subset that shares a screen

// A SIM box (猫池): many SIMs in one cell, sharing a few device IMEIs.
struct SimBoxSite {
  std::string cell_id;
  std::vector<std::string> imeis;
  std::vector<std::string> sims;  // national form
};

struct MuleAccount {
  std::string account;
  std::string holder;
};

struct Gang {
  int id = 0;
  std::vector<Fraud> types;
  std::vector<std::string> international;  // "+855..."
  std::vector<std::string> voip;           // virtual-operator numbers behind VOIP gateways
  std::vector<std::string> spoofed;        // forged caller ids: "+8695588", "+86110"
  std::vector<std::string> local_sims;     // real local SIMs bought or rented (两卡)
  std::vector<SimBoxSite> sites;
  std::vector<std::string> domains;  // registrable fake domains
  std::vector<std::string> urls;     // landing pages on those domains
  std::vector<std::string> ips;      // hosting addresses
  std::vector<App> apps;             // the gang's own fraud apps
  std::vector<MuleAccount> mules;
};

// How much of the gangs' resources the intelligence file lists.
struct IntelStats {
  int64_t rows = 0;
  int64_t gang_resources = 0;   // phones, domains, urls, apps, accounts, imeis the gangs use
  int64_t gang_listed = 0;      // of those, listed and active at the window start
  int64_t listed_expired = 0;   // listed but expired before the window starts
  int64_t listed_expiring = 0;  // listed with an expiry inside the window
  int64_t stale = 0;            // entries for resources not used this window
  int64_t false_entries = 0;    // legitimate numbers and domains wrongly listed
  int64_t bytes = 0;
};

class Underworld {
 public:
  static Underworld Build(const NumberPlan& plan, const Population& city, uint64_t seed);

  const std::vector<Gang>& gangs() const { return gangs_; }
  const std::vector<size_t>& GangsFor(Fraud f) const {
    return by_type_[static_cast<size_t>(f) - 1];
  }

  // Writes intel.csv (and whitelist.csv next to it, correcting some false entries).
  StatusOr<IntelStats> WriteIntelCsv(const std::string& path, const std::string& whitelist_path,
                                     int64_t start_s, int64_t end_s, const NumberPlan& plan,
                                     const Population& city) const;

 private:
  uint64_t seed_ = 0;
  std::vector<Gang> gangs_;
  std::array<std::vector<size_t>, kFraudTypes> by_type_;
};

// Legitimate domains of everyday traffic (weighted by popularity) and the rare local ones.
struct WebSite {
  std::string_view domain;
  double weight;
};
const std::vector<WebSite>& EverydaySites();

}  // namespace fz::gen
