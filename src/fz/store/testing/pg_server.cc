#include "fz/store/testing/pg_server.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>

#include "fz/common/str_cat.h"

namespace fz::store::testing {
namespace {

constexpr char kPgBin[] = "/usr/lib/postgresql/15/bin";

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    close(fd);
    return 0;
  }
  close(fd);
  return ntohs(addr.sin_port);
}

// FZ_TEST_PG_OPTIONS: extra server options for profiling a test or benchmark, e.g.
// "-c shared_preload_libraries=auto_explain -c auto_explain.log_min_duration=1
//  -c auto_explain.log_analyze=on -c auto_explain.log_nested_statements=on". The data
// directory (and its server.log) is then kept at exit, and its path printed.
const char* ExtraOptions() {
  const char* options = std::getenv("FZ_TEST_PG_OPTIONS");
  return options == nullptr ? "" : options;
}

// Runs `command` as the postgres user when we are root (PostgreSQL refuses to run as root).
Status Run(const std::string& command) {
  std::string full = geteuid() == 0 ? StrCat("runuser -u postgres -- ", command) : command;
  int rc = std::system((full + " >/dev/null 2>&1").c_str());
  if (rc != 0) return absl::InternalError(StrCat("command failed (", rc, "): ", full));
  return absl::OkStatus();
}

}  // namespace

StatusOr<std::unique_ptr<PgServer>> PgServer::Start() {
  if (!std::filesystem::exists(StrCat(kPgBin, "/initdb"))) {
    return absl::FailedPreconditionError(
        StrCat("PostgreSQL 15 is not installed (", kPgBin, "); run scripts/bootstrap.sh"));
  }
  std::string tmpl = (std::filesystem::temp_directory_path() / "fz-pg-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) return absl::InternalError("mkdtemp failed");
  std::string dir = tmpl;
  if (geteuid() == 0) {
    if (std::system(StrCat("chown postgres:postgres ", dir).c_str()) != 0) {
      return absl::InternalError(StrCat("cannot chown ", dir, " to postgres"));
    }
  }
  int port = FreePort();
  if (port == 0) return absl::InternalError("no free port on 127.0.0.1");
  FZ_RETURN_IF_ERROR(Run(StrCat(kPgBin, "/initdb -D ", dir,
                                "/data -U postgres --auth=trust -E UTF8 --locale=C.UTF-8")));
  auto server = std::unique_ptr<PgServer>(new PgServer(dir, port));
  // fsync off: the tests check the store's logic, not the disk; the crash test kills the
  // client, not the server.
  FZ_RETURN_IF_ERROR(Run(StrCat(kPgBin, "/pg_ctl -D ", dir, "/data -l ", dir,
                                "/server.log -w -t 60 -o \"-p ", port, " -k ", dir,
                                " -c listen_addresses=127.0.0.1 -c fsync=off "
                                "-c synchronous_commit=off -c max_connections=200 ",
                                ExtraOptions(), "\" start")));
  if (*ExtraOptions() != '\0')
    std::fprintf(stderr, "PostgreSQL data and log kept in %s\n", dir.c_str());
  return server;
}

PgServer::~PgServer() {
  (void)Run(StrCat(kPgBin, "/pg_ctl -D ", dir_, "/data -m fast -w stop"));
  if (*ExtraOptions() != '\0') return;  // kept for profiling
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

StatusOr<std::string> PgServer::CreateDatabase(const std::string& name) {
  FZ_RETURN_IF_ERROR(Run(StrCat("psql -h 127.0.0.1 -p ", port_,
                                " -U postgres -d postgres -q -c 'CREATE DATABASE ", name, "'")));
  return StrCat("postgresql://postgres@127.0.0.1:", port_, "/", name);
}

StatusOr<PgServer*> PgServer::Shared() {
  static std::mutex mu;
  static std::unique_ptr<PgServer> server;  // destroyed (server stopped) at exit
  std::lock_guard<std::mutex> lock(mu);
  if (server == nullptr) {
    FZ_ASSIGN_OR_RETURN(server, Start());
  }
  return server.get();
}

}  // namespace fz::store::testing
