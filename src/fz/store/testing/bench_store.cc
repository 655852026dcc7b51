#include "fz/store/testing/bench_store.h"

#include <stdlib.h>

#include <filesystem>

#include "fz/common/str_cat.h"

namespace fz::store::testing {

BenchStore::BenchStore(bool postgres, const workflow::WorkflowConfig& config) {
  std::string tmpl = (std::filesystem::temp_directory_path() / "fz-bench-XXXXXX").string();
  dir = mkdtemp(tmpl.data());
  std::string url = StrCat("sqlite:", dir, "/bench.db");
  if (postgres) {
    pg = *PgServer::Start();
    url = *pg->CreateDatabase("bench");
  }
  store = *OpenStore(url, config, &clock);
  (void)store->Migrate();
}

BenchStore::~BenchStore() {
  store.reset();
  pg.reset();
  std::filesystem::remove_all(dir);
}

}  // namespace fz::store::testing
