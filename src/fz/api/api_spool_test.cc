// Carriers drop event files into the server's spool directory: each file is read once, its
// events go through the same pipeline as HTTP batches (warnings routed and visible to the
// right station), bad rows are quarantined with file and line, the file moves to done/, and a
// restart neither re-reads a finished file nor misses a new one.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/time/clock.h"
#include "fz/api/testing/api_fixture.h"
#include "fz/common/str_cat.h"
#include "gtest/gtest.h"

namespace fz::api {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Writes `lines` as a carrier does: to a hidden name, then renamed into place (atomic).
void Drop(const fs::path& spool, const std::string& name, const std::vector<std::string>& lines) {
  const fs::path hidden = spool / ("." + name);
  {
    std::ofstream out(hidden);
    for (const std::string& line : lines) out << line << "\n";
  }
  fs::rename(hidden, spool / name);
}

bool WaitFor(const fs::path& path) {
  for (int i = 0; i < 400; ++i) {
    if (fs::exists(path)) return true;
    absl::SleepFor(absl::Milliseconds(50));
  }
  return false;
}

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

int CountWarnings(ApiFixture& api, const std::string& token, const std::string& phone) {
  http::ClientResponse r =
      api.Call("GET", fz::StrCat("/api/warnings?subject=%2B86", phone), "", token);
  json j = json::parse(r.body, nullptr, false);
  return r.status == 200 ? static_cast<int>(j["rows"].size()) : -1;
}

TEST(ApiSpool, FilesAreReadOnceRoutedQuarantinedAndSurviveARestart) {
  const fs::path base = fs::path(::testing::TempDir()) / "fz-api-spool";
  fs::remove_all(base);
  fs::create_directories(base / "spool");
  ApiFixtureOptions options{.state_dir = (base / "state").string(),
                            .db_path = (base / "fanzha.db").string(),
                            .spool_dir = (base / "spool").string(),
                            .quarantine_path = (base / "quarantine-1.jsonl").string()};
  {
    ApiFixture api(options);
    Drop(base / "spool", "carrier-0001.jsonl",
         {ApiFixture::Directive("s1", ApiFixture::PhoneA()).dump(),
          R"({"id":"s2","type":"call","ts":"yesterday"})"});
    ASSERT_TRUE(WaitFor(base / "spool/done/carrier-0001.jsonl"));
    EXPECT_FALSE(fs::exists(base / "spool/carrier-0001.jsonl"));

    const std::string a = api.Login("officer_a");
    const std::string b = api.Login("officer_b");
    EXPECT_EQ(CountWarnings(api, a, ApiFixture::PhoneA()), 1);
    EXPECT_EQ(CountWarnings(api, b, ApiFixture::PhoneA()), 0);  // another station's
    EXPECT_EQ(api.server().pipeline().stats().events, 1);
    api.Stop();  // flushes the quarantine
  }
  // The bad row is kept with its file, line and reason, not dropped.
  const std::string quarantined = ReadAll(base / "quarantine-1.jsonl");
  ASSERT_FALSE(quarantined.empty());
  json row = json::parse(quarantined.substr(0, quarantined.find('\n')));
  EXPECT_NE(row["file"].get<std::string>().find("carrier-0001.jsonl"), std::string::npos) << row;
  EXPECT_EQ(row["line"], 2);
  EXPECT_NE(row["reason"].get<std::string>().find("ts"), std::string::npos) << row;

  // Restart on the same directories: the finished file is not read again; a file dropped while
  // the server was down is.
  Drop(base / "spool", "carrier-0002.jsonl",
       {ApiFixture::Directive("s3", ApiFixture::PhoneB()).dump()});
  options.create_users = false;
  options.quarantine_path = (base / "quarantine-2.jsonl").string();
  ApiFixture again(options);
  ASSERT_TRUE(WaitFor(base / "spool/done/carrier-0002.jsonl"));
  const std::string b = again.Login("officer_b");
  EXPECT_EQ(CountWarnings(again, b, ApiFixture::PhoneB()), 1);
  EXPECT_EQ(again.server().pipeline().stats().events, 1);  // carrier-0002 only
  EXPECT_EQ(again.store().CountRows("warnings").value_or(-1), 2);
  EXPECT_EQ(std::distance(fs::directory_iterator(base / "spool/done"), fs::directory_iterator()),
            2);
  again.Stop();
  EXPECT_EQ(ReadAll(base / "quarantine-2.jsonl"), "");  // carrier-0001 was not read again
  fs::remove_all(base);
}

}  // namespace
}  // namespace fz::api
