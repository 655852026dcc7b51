#include "fz/api/testing/api_fixture.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "fz/api/people_directory.h"
#include "fz/common/str_cat.h"
#include "fz/units/yinchuan_seed.h"
#include "fz/workflow/lifecycle.h"
#include "gtest/gtest.h"

namespace fz::api {
namespace {

std::string SourceDir() {
  const char* dir = std::getenv("FZ_SOURCE_DIR");
  return dir ? dir : ".";
}

template <typename T>
T Must(StatusOr<T> v, std::string_view what) {
  if (!v.ok()) {
    ADD_FAILURE() << what << ": " << v.status();
    std::abort();
  }
  return std::move(*v);
}

void MustOk(const Status& s, std::string_view what) {
  if (!s.ok()) {
    ADD_FAILURE() << what << ": " << s;
    std::abort();
  }
}

struct TestUser {
  const char* name;
  workflow::Role role;
  const char* unit;
};

constexpr TestUser kUsers[] = {
    {"dispatcher", workflow::Role::kDispatcher, "640100"},
    {"supervisor", workflow::Role::kSupervisor, "640104"},
    {"officer_a", workflow::Role::kOfficer, "640104001"},
    {"officer_b", workflow::Role::kOfficer, "640104002"},
    {"grid", workflow::Role::kGridWorker, "640104001"},
    {"analyst", workflow::Role::kAnalyst, "640100"},
    {"auditor", workflow::Role::kAuditor, "640100"},
    {"admin", workflow::Role::kAdmin, "640100"},
};

}  // namespace

ApiFixture::ApiFixture(ApiFixtureOptions options) : options_(std::move(options)) {
  dir_ = (std::filesystem::temp_directory_path() /
          fz::StrCat("fz-api-", ::getpid(), "-", reinterpret_cast<uintptr_t>(this)))
             .string();
  std::filesystem::remove_all(dir_);
  std::filesystem::create_directories(dir_);
  const std::string db = options_.db_path.empty() ? dir_ + "/fanzha.db" : options_.db_path;

  types_ = std::make_unique<model::FraudTypeRegistry>(model::FraudTypeRegistry::WithBuiltins());
  tree_ = std::make_unique<units::UnitTree>(Must(units::YinchuanSeed(), "units"));
  config_ = std::make_unique<workflow::WorkflowConfig>(workflow::WorkflowConfig::Defaults());
  detect::RuleSet rules =
      Must(detect::RuleSet::LoadFile(SourceDir() + "/rules/default.toml", *types_), "rules");

  people_ = std::make_unique<detect::PeopleIndex>(
      Must(detect::PeopleIndex::ParseCsv("person_id,name,id_no,phones,address,unit_code,tags\n"
                                         "P1,张三丰,,+8613895101234,凤凰北街1号,640104001,elderly\n"
                                         "P2,李四,,+8613895105678,解放西街2号,640104002,\n",
                                         "people.csv", nullptr),
           "people"));
  directory_ = std::make_unique<api::PeopleDirectory>(people_.get());
  auto intel = std::make_unique<intel::IntelStore>();
  MustOk(intel->LoadCsvText("kind,value,fraud_type,source,confidence,expires_at\n"
                            "phone,+85517652903,task_rebate,national,0.9,\n"
                            "domain,task-rebate.top,task_rebate,national,0.9,\n",
                            "intel.csv", *types_, nullptr),
         "intel");

  store_ = Must(store::OpenStore(fz::StrCat("sqlite:", db), *config_, DefaultClock()), "store");
  MustOk(store_->Migrate(), "migrate");
  std::vector<std::string> paths;
  for (const model::Unit& u : tree_->units()) {
    std::vector<model::UnitCode> codes;
    for (const model::Unit* p : tree_->Path(u.code)) codes.push_back(p->code);
    paths.push_back(workflow::UnitPath(codes));
  }
  MustOk(store_->RegisterUnitPaths(paths), "unit paths");

  auth::AuthOptions auth_options = options_.accounts;
  auth_options.pwhash_opslimit = 1;  // libsodium's minimum: fast under ASan
  auth_options.pwhash_memlimit = 8192;
  accounts_ = Must(auth::Accounts::Open(fz::StrCat("sqlite:", db), auth_options, DefaultClock()),
                   "accounts");
  if (options_.create_users) {
    for (const TestUser& u : kUsers) {
      Must(accounts_->CreateUser({.name = u.name,
                                  .display_name = u.name,
                                  .role = u.role,
                                  .unit = model::UnitCode(u.unit),
                                  .password = PasswordOf(u.name)}),
           u.name);
    }
    Must(accounts_->CreateUser({.name = "feed",
                                .role = workflow::Role::kFeed,
                                .unit = model::UnitCode("640100"),
                                .machine = true}),
         "feed");
    feed_key_ = Must(accounts_->CreateApiKey("feed", "test"), "api key");
  }

  ApiDeps deps;
  deps.store = store_.get();
  deps.accounts = accounts_.get();
  deps.tree = tree_.get();
  deps.config = config_.get();
  deps.types = types_.get();
  deps.clock = DefaultClock();
  deps.intel = std::move(intel);
  deps.rules = std::make_shared<const detect::RuleSet>(std::move(rules));
  deps.people = people_.get();
  deps.directory = directory_.get();
  ApiOptions api;
  api.http = options_.http;
  api.http.address = "127.0.0.1";
  api.http.port = 0;
  api.pipeline.state_dir = options_.state_dir.empty() ? dir_ + "/state" : options_.state_dir;
  api.pipeline.tick_interval = absl::Milliseconds(50);
  api.rules_path = dir_ + "/rules.toml";
  std::filesystem::copy_file(SourceDir() + "/rules/default.toml", api.rules_path);
  api.quarantine_path =
      options_.quarantine_path.empty() ? dir_ + "/quarantine.jsonl" : options_.quarantine_path;
  api.spool_dir = options_.spool_dir;
  api.spool_poll = absl::Milliseconds(50);
  server_ = std::make_unique<ApiServer>(std::move(deps), api);
  MustOk(server_->Start(), "start");
  client_ = std::make_unique<http::Client>("127.0.0.1", port());
}

ApiFixture::~ApiFixture() {
  Stop();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

void ApiFixture::NewFeedKey() { feed_key_ = Must(accounts_->CreateApiKey("feed", "again"), "key"); }

void ApiFixture::Stop() {
  client_.reset();
  if (server_) server_->Stop();
}

std::string ApiFixture::Login(const std::string& user) {
  http::ClientResponse r =
      Post("/api/auth/login", {{"user", user}, {"password", PasswordOf(user)}}, "");
  EXPECT_EQ(r.status, 200) << r.body;
  nlohmann::json j = nlohmann::json::parse(r.body, nullptr, false);
  return j.is_object() ? j.value("token", "") : "";
}

http::ClientResponse ApiFixture::Call(std::string_view method, std::string_view target,
                                      std::string_view body, const std::string& token) {
  std::vector<http::HeaderField> headers;
  if (!token.empty()) headers.push_back({"Authorization", fz::StrCat("Bearer ", token)});
  if (!body.empty()) headers.push_back({"Content-Type", "application/json"});
  StatusOr<http::ClientResponse> r = client_->Send(method, target, body, headers);
  EXPECT_TRUE(r.ok()) << method << " " << target << ": " << r.status();
  return r.ok() ? *r : http::ClientResponse{};
}

http::ClientResponse ApiFixture::Post(std::string_view target, const nlohmann::json& body,
                                      const std::string& token) {
  return Call("POST", target, body.dump(), token);
}

nlohmann::json ApiFixture::Ingest(const std::vector<nlohmann::json>& events) {
  std::string body;
  for (const nlohmann::json& e : events) body += e.dump() + "\n";
  StatusOr<http::ClientResponse> r =
      client_->Send("POST", "/api/events", body,
                    {{"X-Api-Key", feed_key_}, {"Content-Type", "application/x-ndjson"}});
  EXPECT_TRUE(r.ok()) << r.status();
  if (!r.ok()) return {};
  EXPECT_EQ(r->status, 200) << r->body;
  return nlohmann::json::parse(r->body, nullptr, false);
}

nlohmann::json ApiFixture::Directive(const std::string& id, const std::string& phone) {
  return {{"id", id},
          {"type", "directive"},
          {"ts", absl::ToUnixMillis(absl::Now())},
          {"directive_id", fz::StrCat("GJFZ-", id)},
          {"subject_phone", phone},
          {"level", "red"},
          {"fraud_type", "刷单返利"},
          {"issuer", "国家反诈中心"}};
}

}  // namespace fz::api
