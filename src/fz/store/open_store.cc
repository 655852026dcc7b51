#include "fz/common/str_cat.h"
#include "fz/store/sql_store.h"

namespace fz::store {

StatusOr<std::unique_ptr<SqlConn>> OpenSqlUrl(std::string_view url) {
  if (url.starts_with("sqlite:")) {
    std::string path(url.substr(7));
    if (path.empty() || path == ":memory:") {
      return absl::InvalidArgumentError(
          StrCat("store: '", url, "': give a file path (sqlite:/var/lib/fanzha/fanzha.db)"));
    }
    return OpenSqlite(path);
  }
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    return OpenPostgres(std::string(url));
  }
  return absl::InvalidArgumentError(
      StrCat("store: unknown database URL '", url, "' (use sqlite:PATH or postgresql://...)"));
}

StatusOr<std::unique_ptr<Store>> OpenStore(std::string_view url,
                                           const workflow::WorkflowConfig& config, Clock* clock) {
  FZ_ASSIGN_OR_RETURN(std::unique_ptr<SqlConn> reader, OpenSqlUrl(url));
  std::unique_ptr<SqlConn> writer;
  std::unique_ptr<SqlConn> folder;
  if (reader->dialect() == Dialect::kSqlite) {
    // The writer checkpoints the WAL on a background thread (sqlite_conn.h).
    FZ_ASSIGN_OR_RETURN(writer, OpenSqliteWriter(std::string(url.substr(7))));
    // It sums KPI deltas on a snapshot of its own for the writer to apply (kpi_folder.h).
    FZ_ASSIGN_OR_RETURN(folder, OpenSqlite(std::string(url.substr(7))));
  } else {
    FZ_ASSIGN_OR_RETURN(writer, OpenSqlUrl(url));
    // KPI deltas are folded beside the writer (kpi_folder.h).
    FZ_ASSIGN_OR_RETURN(folder, OpenSqlUrl(url));
  }
  std::string backend = writer->dialect() == Dialect::kSqlite ? "sqlite" : "postgresql";
  return std::unique_ptr<Store>(std::make_unique<SqlStore>(
      backend, std::move(writer), std::move(reader), config, clock, std::move(folder)));
}

}  // namespace fz::store
