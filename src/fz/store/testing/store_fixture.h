// A fresh store per test on either backend, plus the Yinchuan unit tree, a routing policy and
// a simulated clock: the parameterized store tests run the same code against SQLite and
// PostgreSQL (INSTANTIATE_TEST_SUITE_P(..., ::testing::Values(Backend::kSqlite,
// Backend::kPostgres))).
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "fz/common/clock.h"
#include "fz/store/store.h"
#include "fz/units/unit_tree.h"
#include "fz/workflow/routing.h"
#include "gtest/gtest.h"

namespace fz::store::testing {

enum class Backend { kSqlite, kPostgres };
std::string BackendName(const ::testing::TestParamInfo<Backend>& info);

// A database URL no other test uses: a file in a temporary directory, or a new database on the
// shared PostgreSQL server.
StatusOr<std::string> FreshDatabaseUrl(Backend backend, const std::string& dir);

class StoreTest : public ::testing::TestWithParam<Backend> {
 public:
  // A warning about `phone` with one evidence event `event_id`.
  static model::Warning MakeWarning(int64_t id, const std::string& phone, model::WarningLevel level,
                                    const std::string& event_id);

 protected:
  void SetUp() override;
  void TearDown() override;

  // Reopens the store on the same database (a restart).
  void Reopen();

  // Routes and stores one warning; returns its id.
  model::WarningId IngestOne(const model::Warning& w);

  workflow::Actor Officer(const std::string& unit) const;
  workflow::Actor Dispatcher() const;
  workflow::Actor System() const;

  // Applies a transition and expects success.
  TransitionRecord Move(model::WarningId id, workflow::WarningState to,
                        const workflow::Actor& actor, const std::string& request_id);

  SimulatedClock clock_{absl::FromUnixSeconds(1'780'000'000)};
  workflow::WorkflowConfig config_ = workflow::WorkflowConfig::Defaults();
  units::UnitTree tree_;
  std::unique_ptr<workflow::RoutingPolicy> policy_;
  std::string dir_;
  std::string url_;
  std::unique_ptr<Store> store_;
};

}  // namespace fz::store::testing
