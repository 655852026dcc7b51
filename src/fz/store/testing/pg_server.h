// PgServer: a private PostgreSQL 15 for tests and benchmarks, on 127.0.0.1 and a free port,
// in a temporary data directory (initdb + pg_ctl from /usr/lib/postgresql/15/bin, run as the
// postgres user when we are root). Stopped and removed by the destructor.
//
//   FZ_ASSIGN_OR_RETURN(std::unique_ptr<PgServer> pg, PgServer::Start());
//   FZ_ASSIGN_OR_RETURN(std::string url, pg->CreateDatabase("t1"));  // postgresql://...
#pragma once

#include <memory>
#include <string>

#include "fz/common/status.h"

namespace fz::store::testing {

class PgServer {
 public:
  static StatusOr<std::unique_ptr<PgServer>> Start();
  ~PgServer();

  // Creates a fresh database and returns its URL.
  StatusOr<std::string> CreateDatabase(const std::string& name);
  int port() const { return port_; }

  // The process-wide server, started on first use and stopped at exit.
  static StatusOr<PgServer*> Shared();

 private:
  PgServer(std::string dir, int port) : dir_(std::move(dir)), port_(port) {}
  std::string dir_;
  int port_;
};

}  // namespace fz::store::testing
