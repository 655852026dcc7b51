// The server end to end over real HTTP on loopback: ingest → routed warning → visible to the
// right station only → worked through the API; the live push and its resume; masking; lockout;
// rule reload under load; a restart that replays the journal.
#include <atomic>
#include <filesystem>
#include <thread>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "fz/api/testing/api_fixture.h"
#include "fz/common/str_cat.h"
#include "fz/http/client.h"
#include "gtest/gtest.h"

namespace fz::api {
namespace {

using nlohmann::json;

json Parse(const http::ClientResponse& r) { return json::parse(r.body, nullptr, false); }

// The id of the one warning about `phone` a user can list, or "" when none.
std::string FindWarning(ApiFixture& api, const std::string& token, const std::string& phone) {
  http::ClientResponse r =
      api.Call("GET", fz::StrCat("/api/warnings?subject=%2B86", phone), "", token);
  json j = Parse(r);
  if (r.status != 200 || j["rows"].empty()) return "";
  return j["rows"][0]["id"];
}

TEST(Api, WarningGoesToItsStationAndIsWorkedToAnOutcome) {
  ApiFixture api;
  json ingest = api.Ingest({ApiFixture::Directive("d1", ApiFixture::PhoneA())});
  EXPECT_EQ(ingest["accepted"], 1);
  EXPECT_EQ(ingest["results"][0]["status"], "accepted");

  const std::string a = api.Login("officer_a");
  const std::string b = api.Login("officer_b");
  const std::string id = FindWarning(api, a, ApiFixture::PhoneA());
  ASSERT_FALSE(id.empty());
  // Another station neither lists nor opens it.
  EXPECT_EQ(FindWarning(api, b, ApiFixture::PhoneA()), "");
  EXPECT_EQ(api.Call("GET", "/api/warnings/" + id, "", b).status, 404);

  json detail = Parse(api.Call("GET", "/api/warnings/" + id, "", a));
  EXPECT_EQ(detail["level"], "red");
  EXPECT_EQ(detail["unit"], "640104001");
  EXPECT_EQ(detail["state"], "dispatched");
  EXPECT_EQ(detail["subject"], "+8613895101234");  // the officer must phone the person
  ASSERT_FALSE(detail["evidence"].empty());

  auto move = [&](const std::string& to, json extra = json::object()) {
    extra["to"] = to;
    extra["request_id"] = fz::StrCat("r-", id, "-", to);
    return api.Post(fz::StrCat("/api/warnings/", id, "/transitions"), extra, a);
  };
  EXPECT_EQ(move("accepted").status, 201);
  EXPECT_EQ(move("accepted").status, 200);  // the same request id again: replayed, not doubled
  EXPECT_EQ(move("closed").status, 409);    // not allowed from accepted
  EXPECT_EQ(move("contacting").status, 201);
  http::ClientResponse step =
      api.Post(fz::StrCat("/api/warnings/", id, "/steps"),
               {{"request_id", "s1"}, {"kind", "officer_call"}, {"result", "reached"}}, a);
  EXPECT_EQ(step.status, 201) << step.body;
  http::ClientResponse done =
      move("dissuaded",
           {{"note", "已当面劝阻"},
            {"evidence", {{"visit_notes", "本人在家"}, {"gps_lat", 38.48}, {"gps_lon", 106.23}}}});
  EXPECT_EQ(done.status, 201) << done.body;
  detail = Parse(api.Call("GET", "/api/warnings/" + id, "", a));
  EXPECT_EQ(detail["state"], "follow_up");
  EXPECT_FALSE(detail["follow_up"].is_null());
  EXPECT_GE(detail["transitions"].size(), 3u);
  EXPECT_EQ(detail["steps"].size(), 1u);

  // The audit chain holds the reads and changes and verifies.
  const std::string auditor = api.Login("auditor");
  json verify = Parse(api.Call("GET", "/api/audit/verify", "", auditor));
  EXPECT_EQ(verify["ok"], true);
  json audit = Parse(api.Call("GET", "/api/audit?actor=officer_a", "", auditor));
  EXPECT_FALSE(audit["rows"].empty());
}

TEST(Api, PersonalDataMaskedForAnalysts) {
  ApiFixture api;
  api.Ingest({ApiFixture::Directive("d1", ApiFixture::PhoneA())});
  const std::string analyst = api.Login("analyst");
  const std::string id = FindWarning(api, analyst, ApiFixture::PhoneA());
  ASSERT_FALSE(id.empty());
  json detail = Parse(api.Call("GET", "/api/warnings/" + id, "", analyst));
  const std::string subject = detail["subject"];
  EXPECT_NE(subject, "+8613895101234");
  EXPECT_NE(subject.find("****"), std::string::npos) << subject;
}

TEST(Api, RedeliveredEventsAreDuplicatesAndBadOnesRejected) {
  ApiFixture api;
  json first = api.Ingest({ApiFixture::Directive("d1", ApiFixture::PhoneA())});
  json again = api.Ingest({ApiFixture::Directive("d1", ApiFixture::PhoneA()),
                           {{"id", "x"}, {"type", "call"}, {"ts", "yesterday"}}});
  EXPECT_EQ(again["duplicates"], 1);
  EXPECT_EQ(again["rejected"], 1);
  EXPECT_EQ(again["results"][1]["status"], "rejected");
  EXPECT_NE(again["results"][1]["error"].get<std::string>().find("ts"), std::string::npos);
  // One warning, not two.
  EXPECT_EQ(api.server().pipeline().stats().warnings_new, 1);
}

TEST(Api, LiveStreamIsFilteredAndResumes) {
  ApiFixture api;
  const std::string a = api.Login("officer_a");
  const std::string d = api.Login("dispatcher");
  std::vector<http::SseEvent> got_a, got_d;
  absl::Notification a_done, d_done;
  auto listen = [&](const std::string& token, std::vector<http::SseEvent>* out,
                    absl::Notification* done, size_t want, std::string last_id) {
    std::vector<http::HeaderField> h = {{"Authorization", "Bearer " + token}};
    if (!last_id.empty()) h.push_back({"Last-Event-ID", last_id});
    Status s = http::ReadSse(
        "127.0.0.1", api.port(), "/api/stream", h,
        [&](const http::SseEvent& e) {
          out->push_back(e);
          return out->size() < want;
        },
        absl::Seconds(20));
    EXPECT_TRUE(s.ok()) << s;
    done->Notify();
  };
  std::thread ta(listen, a, &got_a, &a_done, 1, "");
  std::thread td(listen, d, &got_d, &d_done, 1, "");
  for (int i = 0; i < 200 && api.server().hub().subscribers() < 2; ++i)
    absl::SleepFor(absl::Milliseconds(10));
  ASSERT_EQ(api.server().hub().subscribers(), 2u);
  api.Ingest({ApiFixture::Directive("db", ApiFixture::PhoneB())});  // officer_b's station
  api.Ingest({ApiFixture::Directive("da", ApiFixture::PhoneA())});  // officer_a's station
  ta.join();
  td.join();
  ASSERT_EQ(got_a.size(), 1u);
  EXPECT_EQ(got_a[0].event, "new");
  EXPECT_EQ(json::parse(got_a[0].data)["unit"], "640104001");  // B's warning never reached A
  ASSERT_EQ(got_d.size(), 1u);
  EXPECT_EQ(json::parse(got_d[0].data)["unit"], "640104002");  // the city sees B's first

  // The dispatcher reconnects after its first event and gets the one it missed.
  std::vector<http::SseEvent> resumed;
  absl::Notification r_done;
  listen(d, &resumed, &r_done, 1, got_d[0].id);
  ASSERT_EQ(resumed.size(), 1u);
  EXPECT_EQ(json::parse(resumed[0].data)["unit"], "640104001");
  // An id from another server run asks the client to reload.
  std::vector<http::SseEvent> reset;
  absl::Notification x_done;
  listen(d, &reset, &x_done, 1, "1-5");
  ASSERT_EQ(reset.size(), 1u);
  EXPECT_EQ(reset[0].event, "reset");
}

TEST(Api, LockoutAfterRepeatedFailures) {
  ApiFixture api;
  for (int i = 0; i < 5; ++i) {
    http::ClientResponse r =
        api.Post("/api/auth/login", {{"user", "officer_a"}, {"password", "wrong-password"}}, "");
    EXPECT_EQ(r.status, 401);
  }
  http::ClientResponse locked =
      api.Post("/api/auth/login",
               {{"user", "officer_a"}, {"password", ApiFixture::PasswordOf("officer_a")}}, "");
  EXPECT_EQ(locked.status, 429) << locked.body;
  // An admin unlocks; the right password works again.
  const std::string admin = api.Login("admin");
  EXPECT_EQ(api.Post("/api/users/officer_a/unlock", json::object(), admin).status, 200);
  EXPECT_FALSE(api.Login("officer_a").empty());
  // Failed logins are on the audit record: five wrong passwords and the one refused while locked.
  json audit = Parse(api.Call("GET", "/api/audit?action=login_failed", "", api.Login("auditor")));
  EXPECT_EQ(audit["rows"].size(), 6u);
}

TEST(Api, LogoutRevokesTheToken) {
  ApiFixture api;
  const std::string t = api.Login("officer_a");
  EXPECT_EQ(api.Call("GET", "/api/auth/me", "", t).status, 200);
  EXPECT_EQ(api.Post("/api/auth/logout", json::object(), t).status, 200);
  EXPECT_EQ(api.Call("GET", "/api/auth/me", "", t).status, 401);
  EXPECT_EQ(api.Call("GET", "/api/warnings", "", "").status, 401);
}

TEST(Api, RuleReloadUnderLoadLosesNoEvent) {
  ApiFixture api;
  const std::string analyst = api.Login("analyst");
  constexpr int kBatches = 40, kPerBatch = 50;
  std::atomic<bool> fed{false};
  std::thread feeder([&] {
    http::Client c("127.0.0.1", api.port());
    for (int batch = 0; batch < kBatches; ++batch) {
      std::string body;
      for (int k = 0; k < kPerBatch; ++k) {
        // Each event a red directive about a distinct subject: each must become a warning.
        const int n = batch * kPerBatch + k;
        body +=
            ApiFixture::Directive(fz::StrCat("load-", n), fz::StrCat("13895", 200000 + n)).dump() +
            "\n";
      }
      StatusOr<http::ClientResponse> r =
          c.Send("POST", "/api/events", body, {{"X-Api-Key", api.FeedKey()}});
      EXPECT_TRUE(r.ok() && r->status == 200) << (r.ok() ? r->body : r.status().ToString());
      absl::SleepFor(absl::Milliseconds(5));
    }
    fed = true;
  });
  int reloads = 0;
  while (!fed) {
    http::ClientResponse r = api.Call("POST", "/api/rules/reload", "", analyst);
    EXPECT_EQ(r.status, 200) << r.body;
    ++reloads;
  }
  feeder.join();
  EXPECT_GE(reloads, 2);
  const PipelineStats stats = api.server().pipeline().stats();
  EXPECT_EQ(stats.events, kBatches * kPerBatch);
  EXPECT_EQ(stats.warnings_new, kBatches * kPerBatch);
  // A bad rules text is refused with its line and changes nothing.
  http::ClientResponse bad = api.Call("POST", "/api/rules/reload", "[[rules]]\nid = 1\n", analyst);
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("rules.toml:2:"), std::string::npos) << bad.body;  // file:line
  EXPECT_EQ(api.Call("GET", "/api/rules", "", analyst).status, 200);
}

// A person removed from the high-risk base no longer routes to their station: the index the
// detector and routing read changes between two batches, not at the next start.
TEST(Api, RemovedPersonNoLongerRoutesToTheirStation) {
  ApiFixture api;
  const std::string analyst = api.Login("analyst");
  http::ClientResponse gone = api.Call("DELETE", "/api/people/P1", "", analyst);
  EXPECT_EQ(gone.status, 200) << gone.body;
  api.Ingest({ApiFixture::Directive("d1", ApiFixture::PhoneA())});
  EXPECT_EQ(FindWarning(api, api.Login("officer_a"), ApiFixture::PhoneA()), "");
  const std::string dispatcher = api.Login("dispatcher");
  const std::string id = FindWarning(api, dispatcher, ApiFixture::PhoneA());
  ASSERT_FALSE(id.empty());
  json detail = Parse(api.Call("GET", "/api/warnings/" + id, "", dispatcher));
  EXPECT_NE(detail["unit"], "640104001");
  // The other person still routes to theirs.
  api.Ingest({ApiFixture::Directive("d2", ApiFixture::PhoneB())});
  EXPECT_NE(FindWarning(api, api.Login("officer_b"), ApiFixture::PhoneB()), "");
}

// /metrics (Prometheus text) counts what an operator watches: events in, warnings by level,
// queue depth, batch and arrival-to-push latencies, SLA breaches.
TEST(Api, MetricsCountEventsWarningsAndLatencies) {
  ApiFixture api;
  api.Ingest({ApiFixture::Directive("m1", ApiFixture::PhoneA()),
              ApiFixture::Directive("m2", ApiFixture::PhoneB())});
  http::ClientResponse r = api.Call("GET", "/metrics", "", api.Login("auditor"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("fz_events_total 2\n"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("fz_warnings_total{level=\"red\"} 2\n"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("fz_pipeline_arrival_to_push_seconds_count 1\n"), std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find("fz_pipeline_queued_events"), std::string::npos);
  EXPECT_NE(r.body.find("fz_pipeline_batch_seconds_bucket"), std::string::npos);
}

// A crash after an acknowledged batch: the journal (fdatasync'd before the answer) is replayed
// at the next start, so the detector still knows the subject and the event id.
TEST(Api, RestartAfterACrashReplaysTheJournal) {
  const std::string base = ::testing::TempDir() + "/fz-api-crash";
  std::filesystem::remove_all(base);
  std::filesystem::create_directories(base);
  const std::string db = base + "/fanzha.db";
  {
    ApiFixture api({.state_dir = base + "/state", .db_path = db});
    api.Ingest({ApiFixture::Directive("r1", ApiFixture::PhoneA())});
    // What a crash leaves: the journal as acknowledged, no checkpoint since.
    std::filesystem::copy(base + "/state", base + "/crashed");
  }
  ASSERT_TRUE(std::filesystem::exists(base + "/crashed/events.journal"));
  ASSERT_FALSE(std::filesystem::exists(base + "/crashed/detector.ckpt"));
  ApiFixture again({.state_dir = base + "/crashed", .db_path = db, .create_users = false});
  again.NewFeedKey();
  EXPECT_EQ(again.server().pipeline().stats().journal_replayed, 1);
  json r = again.Ingest({ApiFixture::Directive("r1", ApiFixture::PhoneA()),
                         ApiFixture::Directive("r2", ApiFixture::PhoneA())});
  EXPECT_EQ(r["duplicates"], 1);  // r1 was replayed
  // r2 adds to the warning r1 opened before the crash: no second warning.
  EXPECT_EQ(again.server().pipeline().stats().warnings_new, 0);
  EXPECT_EQ(again.store().CountRows("warnings").value_or(-1), 1);
  again.Stop();
  std::filesystem::remove_all(base);
}

}  // namespace
}  // namespace fz::api
