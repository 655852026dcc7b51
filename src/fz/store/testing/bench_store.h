// BenchStore: a fresh, migrated store for a benchmark: SQLite in a temporary directory, or a
// private PostgreSQL 15 (PgServer). Removed by the destructor.
//
//   testing::BenchStore db(/*postgres=*/false, config);
//   db.store->Ingest(...);
#pragma once

#include <memory>
#include <string>

#include "fz/common/clock.h"
#include "fz/store/store.h"
#include "fz/store/testing/pg_server.h"
#include "fz/workflow/workflow_config.h"

namespace fz::store::testing {

struct BenchStore {
  BenchStore(bool postgres, const workflow::WorkflowConfig& config);
  ~BenchStore();
  BenchStore(const BenchStore&) = delete;
  BenchStore& operator=(const BenchStore&) = delete;

  SimulatedClock clock{absl::FromUnixSeconds(1'780'000'000)};
  std::unique_ptr<PgServer> pg;
  std::string dir;
  std::unique_ptr<Store> store;
};

}  // namespace fz::store::testing
