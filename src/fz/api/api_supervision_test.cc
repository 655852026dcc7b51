// The supervision and analysis routes over real HTTP: 督办 reminders (stored, audited, pushed
// to the unit that holds the warning only, listed by subtree and by warning), the outreach
// list with its CSV export, and rule backtests over the server's recent events.
#include <thread>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "fz/api/testing/api_fixture.h"
#include "fz/common/str_cat.h"
#include "gtest/gtest.h"

namespace fz::api {
namespace {

using nlohmann::json;

json Parse(const http::ClientResponse& r) { return json::parse(r.body, nullptr, false); }

std::string OnlyWarning(ApiFixture& api, const std::string& token) {
  json j = Parse(api.Call("GET", "/api/warnings", "", token));
  return j["rows"].size() == 1 ? j["rows"][0]["id"].get<std::string>() : "";
}

TEST(ApiSupervision, ReminderReachesTheUnitThatHoldsTheWarningOnly) {
  ApiFixture api;
  const std::string a = api.Login("officer_a");
  const std::string b = api.Login("officer_b");
  const std::string sup = api.Login("supervisor");
  std::vector<http::SseEvent> got_a, got_b;
  auto listen = [&](const std::string& token, std::vector<http::SseEvent>* out) {
    // Each listener stops at its first "reminder" (or after the timeout for the other one).
    Status s = http::ReadSse(
        "127.0.0.1", api.port(), "/api/stream", {{"Authorization", "Bearer " + token}},
        [&](const http::SseEvent& e) {
          out->push_back(e);
          return e.event != "reminder";
        },
        absl::Seconds(3));
    (void)s;  // the listener that gets nothing ends by timeout
  };
  api.Ingest({ApiFixture::Directive("ra", ApiFixture::PhoneA())});
  api.Ingest({ApiFixture::Directive("rb", ApiFixture::PhoneB())});
  const std::string wa = OnlyWarning(api, a);
  const std::string wb = OnlyWarning(api, b);
  ASSERT_FALSE(wa.empty());
  ASSERT_FALSE(wb.empty());

  std::thread ta(listen, a, &got_a);
  std::thread tb(listen, b, &got_b);
  for (int i = 0; i < 200 && api.server().hub().subscribers() < 2; ++i)
    absl::SleepFor(absl::Milliseconds(10));
  ASSERT_EQ(api.server().hub().subscribers(), 2u);

  const std::string target = fz::StrCat("/api/warnings/", wa, "/reminders");
  EXPECT_EQ(api.Post(target, json::object(), sup).status, 400);  // no message
  EXPECT_EQ(api.Post(target, {{"message", std::string(501, 'x')}}, sup).status, 400);
  EXPECT_EQ(api.Post(target, {{"message", "x"}}, a).status, 403);  // officers do not 督办
  http::ClientResponse sent = api.Post(target, {{"message", "请立即签收并联系当事人"}}, sup);
  ASSERT_EQ(sent.status, 201) << sent.body;
  json r = Parse(sent);
  EXPECT_EQ(r["warning"], wa);
  EXPECT_EQ(r["unit"], "640104001");
  EXPECT_EQ(r["actor"], "supervisor");
  EXPECT_EQ(r["message"], "请立即签收并联系当事人");
  ta.join();
  tb.join();

  // Pushed to officer_a's station, not to officer_b's.
  ASSERT_FALSE(got_a.empty());
  EXPECT_EQ(got_a.back().event, "reminder");
  json live = json::parse(got_a.back().data);
  EXPECT_EQ(live["id"], wa);
  EXPECT_EQ(live["message"], "请立即签收并联系当事人");
  for (const http::SseEvent& e : got_b) EXPECT_NE(e.event, "reminder") << e.data;

  // Listed for the unit and for the warning; officer_b sees none of it.
  json mine = Parse(api.Call("GET", "/api/reminders", "", a));
  ASSERT_EQ(mine["rows"].size(), 1u);
  EXPECT_EQ(mine["rows"][0]["actor"], "supervisor");
  EXPECT_EQ(Parse(api.Call("GET", "/api/reminders?warning=" + wa, "", sup))["rows"].size(), 1u);
  EXPECT_EQ(Parse(api.Call("GET", "/api/reminders?warning=" + wb, "", sup))["rows"].size(), 0u);
  EXPECT_TRUE(Parse(api.Call("GET", "/api/reminders", "", b))["rows"].empty());

  // Audited, and a warning outside the sender's subtree does not exist for it.
  const std::string auditor = api.Login("auditor");
  json audit = Parse(api.Call("GET", "/api/audit?action=remind", "", auditor));
  ASSERT_FALSE(audit["rows"].empty()) << audit.dump();
  EXPECT_EQ(audit["rows"][0]["object"], "warning:" + wa);
  EXPECT_EQ(api.Post("/api/warnings/999/reminders", {{"message", "x"}}, sup).status, 404);
}

TEST(ApiSupervision, OutreachListsPeopleWithWhenTheyWereWarnedAndReached) {
  ApiFixture api;
  const std::string analyst = api.Login("analyst");
  ASSERT_EQ(api.Call("PUT", "/api/people/P-OUT-1",
                     json{{"name", "张三"},
                          {"phones", {"13895109999"}},
                          {"unit", "640104001"},
                          {"tags", {"elderly", "独居"}}}
                         .dump(),
                     analyst)
                .status,
            201);  // created
  ASSERT_EQ(
      api.Call("PUT", "/api/people/P-OUT-2",
               json{{"name", "李四"}, {"phones", {"13895108888"}}, {"unit", "640104001"}}.dump(),
               analyst)
          .status,
      201);
  api.Ingest({ApiFixture::Directive("o1", "13895109999")});

  const std::string a = api.Login("officer_a");
  json page = Parse(api.Call("GET", "/api/outreach?unit=640104001", "", a));
  json one, two;
  for (const json& row : page["rows"]) {
    if (row["id"] == "P-OUT-1") one = row;
    if (row["id"] == "P-OUT-2") two = row;
  }
  ASSERT_FALSE(one.is_null()) << page.dump();
  ASSERT_FALSE(two.is_null()) << page.dump();
  EXPECT_EQ(one["warnings"], 1);
  EXPECT_TRUE(one["last_warned"].is_string());
  EXPECT_TRUE(one["last_reached"].is_null());  // nobody has called yet
  EXPECT_EQ(two["warnings"], 0);
  EXPECT_TRUE(two["last_warned"].is_null());

  http::ClientResponse csv = api.Call("GET", "/api/outreach?unit=640104001&format=csv", "", a);
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.body.rfind("\xEF\xBB\xBFperson_id,name,phones", 0), 0u) << csv.body;
  EXPECT_NE(csv.body.find("P-OUT-1,张三,+8613895109999,,640104001,elderly;独居,1,"),
            std::string::npos)
      << csv.body;
  // Another station's officer gets nobody of this station.
  const std::string b = api.Login("officer_b");
  http::ClientResponse other = api.Call("GET", "/api/outreach?unit=640104001", "", b);
  EXPECT_TRUE(other.status == 403 || Parse(other)["rows"].empty()) << other.body;
}

TEST(ApiSupervision, BacktestComparesCandidateRulesOnRecentEvents) {
  ApiFixture api;
  api.Ingest({ApiFixture::Directive("bt1", ApiFixture::PhoneA()),
              ApiFixture::Directive("bt2", ApiFixture::PhoneB())});
  const std::string analyst = api.Login("analyst");
  json rules = Parse(api.Call("GET", "/api/rules", "", analyst));
  const std::string text = rules["text"];
  ASSERT_FALSE(text.empty());

  // The rules in force against themselves: nothing changes.
  json same = Parse(api.Call("POST", "/api/rules/backtest", text, analyst));
  EXPECT_EQ(same["events"], 2) << same.dump();
  EXPECT_EQ(same["added"], 0);
  EXPECT_EQ(same["removed"], 0);
  EXPECT_EQ(same["unchanged"], 2);

  // Without the directive rule both warnings go.
  const size_t at = text.find("directive.upstream");
  ASSERT_NE(at, std::string::npos) << "the default rules have no directive.upstream rule";
  std::string without = text;
  without.replace(at, std::string("directive.upstream").size(), "directive.renamed");
  json renamed = Parse(api.Call("POST", "/api/rules/backtest", without, analyst));
  EXPECT_EQ(renamed["events"], 2) << renamed.dump();
  bool saw_old = false;
  for (const json& d : renamed["rules"]) {
    if (d["rule_id"] == "directive.upstream") {
      saw_old = true;
      EXPECT_EQ(d["baseline_warnings"], 2);
      EXPECT_EQ(d["candidate_warnings"], 0);
    }
  }
  EXPECT_TRUE(saw_old) << renamed.dump();

  json bad = Parse(api.Call("POST", "/api/rules/backtest", "[[rule]]\nid = ", analyst));
  EXPECT_EQ(bad["error"]["field"], "rules") << bad.dump();
}

}  // namespace
}  // namespace fz::api
