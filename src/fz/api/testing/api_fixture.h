// ApiFixture: a real `fanzha serve` in-process for tests — SQLite store in a temporary
// directory, the default rules, a small intelligence list, two people of two stations, one user
// per role — listening on 127.0.0.1 on a free port, and a client to call it.
//
//   ApiFixture api;
//   std::string token = api.Login("officer_a");
//   auto r = api.Call("GET", "/api/warnings", "", token);
//
// Users (password = PasswordOf(name)): dispatcher (city), supervisor (兴庆区分局 640104),
// officer_a (凤凰北街派出所 640104001), officer_b (解放西街派出所 640104002), grid
// (640104001), analyst, auditor, admin (city); feed is a machine account (FeedKey()).
// People: PhoneA() lives in officer_a's station, PhoneB() in officer_b's.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "fz/api/api_server.h"
#include "fz/auth/accounts.h"
#include "fz/common/clock.h"
#include "fz/http/client.h"
#include "fz/store/store.h"
#include "nlohmann/json.hpp"

namespace fz::api {

struct ApiFixtureOptions {
  std::string state_dir;     // empty: a fresh one under the fixture's temporary directory
  std::string db_path;       // empty: a fresh SQLite file
  http::ServerOptions http;  // port forced to 0
  auth::AuthOptions accounts;
  bool create_users = true;
  std::string spool_dir;        // set: the server watches it (polling every 50 ms)
  std::string quarantine_path;  // empty: quarantine.jsonl in the fixture's temporary directory
};

class ApiFixture {
 public:
  explicit ApiFixture(ApiFixtureOptions options = {});
  ~ApiFixture();

  uint16_t port() const { return server_->port(); }
  ApiServer& server() { return *server_; }
  store::Store& store() { return *store_; }
  const std::string& dir() const { return dir_; }

  static std::string PasswordOf(std::string_view user) {
    return "Pw-" + std::to_string(std::hash<std::string_view>()(user) % 100000) + "-secret!";
  }
  static std::string PhoneA() { return "13895101234"; }
  static std::string PhoneB() { return "13895105678"; }
  const std::string& FeedKey() const { return feed_key_; }
  // A fresh API key for the feed account (a fixture reopening an existing database).
  void NewFeedKey();

  // Logs in; fails the test on error.
  std::string Login(const std::string& user);
  http::ClientResponse Call(std::string_view method, std::string_view target, std::string_view body,
                            const std::string& token);
  http::ClientResponse Post(std::string_view target, const nlohmann::json& body,
                            const std::string& token);
  // Posts NDJSON events with the feed key; returns the answer's JSON.
  nlohmann::json Ingest(const std::vector<nlohmann::json>& events);
  // A red directive about `phone` (a warning opens at once); unique ids per call.
  static nlohmann::json Directive(const std::string& id, const std::string& phone);

  void Stop();

 private:
  ApiFixtureOptions options_;
  std::string dir_;
  std::unique_ptr<units::UnitTree> tree_;
  std::unique_ptr<workflow::WorkflowConfig> config_;
  std::unique_ptr<model::FraudTypeRegistry> types_;
  std::unique_ptr<detect::PeopleIndex> people_;
  std::unique_ptr<workflow::SubjectDirectory> directory_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<auth::Accounts> accounts_;
  std::unique_ptr<ApiServer> server_;
  std::string feed_key_;
  std::unique_ptr<http::Client> client_;
};

}  // namespace fz::api
