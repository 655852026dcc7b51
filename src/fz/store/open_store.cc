#include "fz/common/str_cat.h"
#include "fz/store/sql_store.h"

namespace fz::store {

StatusOr<std::unique_ptr<Store>> OpenStore(std::string_view url,
                                           const workflow::WorkflowConfig& config, Clock* clock) {
  if (url.starts_with("sqlite:")) {
    std::string path(url.substr(7));
    if (path.empty() || path == ":memory:") {
      return absl::InvalidArgumentError(
          StrCat("store: '", url, "': give a file path (sqlite:/var/lib/fanzha/fanzha.db)"));
    }
    FZ_ASSIGN_OR_RETURN(std::unique_ptr<SqlConn> writer, OpenSqliteWriter(path));
    FZ_ASSIGN_OR_RETURN(std::unique_ptr<SqlConn> reader, OpenSqlite(path));
    return std::unique_ptr<Store>(
        std::make_unique<SqlStore>("sqlite", std::move(writer), std::move(reader), config, clock));
  }
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    std::string conninfo(url);
    FZ_ASSIGN_OR_RETURN(std::unique_ptr<SqlConn> writer, OpenPostgres(conninfo));
    FZ_ASSIGN_OR_RETURN(std::unique_ptr<SqlConn> reader, OpenPostgres(conninfo));
    return std::unique_ptr<Store>(std::make_unique<SqlStore>("postgresql", std::move(writer),
                                                             std::move(reader), config, clock));
  }
  return absl::InvalidArgumentError(
      StrCat("store: unknown database URL '", url, "' (use sqlite:PATH or postgresql://...)"));
}

}  // namespace fz::store
