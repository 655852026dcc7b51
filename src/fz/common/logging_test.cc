#include "fz/common/logging.h"

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace fz {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::StartsWith;

class LoggingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = testing::TempDir() + "/fz_logging_" +
            testing::UnitTest::GetInstance()->current_test_info()->name() + ".log";
    std::remove(path_.c_str());
  }

  void TearDown() override {
    EXPECT_TRUE(InitLogging({}).ok());  // Back to stderr, which also closes path_.
    std::remove(path_.c_str());
  }

  std::vector<std::string> ReadLines() const {
    std::ifstream in(path_);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }

  std::string path_;
};

constexpr char kTimestampRegex[] =
    "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{6}Z";

TEST_F(LoggingTest, JsonLinesParseBack) {
  const auto detect = Logger("detect");  // Created before InitLogging: must follow it.
  ASSERT_TRUE(
      InitLogging({.level = spdlog::level::debug, .format = LogFormat::kJson, .path = path_}).ok());
  spdlog::info("quote \" backslash \\ newline\n tab\t ctrl\x01 n={}", 1);
  detect->warn("unit {}", "银川市公安局");
  detect->trace("below the level");
  spdlog::debug("raw bytes \xff\xfe end");

  const std::vector<std::string> lines = ReadLines();
  ASSERT_EQ(lines.size(), 3u);
  std::vector<nlohmann::json> records;
  for (const std::string& line : lines) {
    EXPECT_THAT(line, StartsWith("{\"ts\":\""));
    records.push_back(nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false));
    ASSERT_FALSE(records.back().is_discarded()) << line;
    ASSERT_EQ(records.back().size(), 4u) << line;
    EXPECT_THAT(records.back()["ts"].get<std::string>(), MatchesRegex(kTimestampRegex));
  }
  EXPECT_EQ(records[0]["level"], "info");
  EXPECT_EQ(records[0]["logger"], "fz");
  EXPECT_EQ(records[0]["msg"], "quote \" backslash \\ newline\n tab\t ctrl\x01 n=1");
  EXPECT_EQ(records[1]["level"], "warning");
  EXPECT_EQ(records[1]["logger"], "detect");
  EXPECT_EQ(records[1]["msg"], "unit 银川市公安局");
  EXPECT_EQ(records[2]["level"], "debug");
  EXPECT_EQ(records[2]["msg"], "raw bytes \xEF\xBF\xBD\xEF\xBF\xBD end");  // U+FFFD twice.
}

TEST_F(LoggingTest, SetPatternCannotBreakJson) {
  ASSERT_TRUE(InitLogging({.format = LogFormat::kJson, .path = path_}).ok());
  spdlog::set_pattern("%v");
  Logger("detect")->info("still json");
  const std::vector<std::string> lines = ReadLines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(lines[0])["msg"], "still json");
}

TEST_F(LoggingTest, TextFormat) {
  ASSERT_TRUE(InitLogging({.format = LogFormat::kText, .path = path_}).ok());
  Logger("workflow")->info("plain {}", 42);
  Logger("workflow")->debug("hidden at info");
  const std::vector<std::string> lines = ReadLines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_THAT(lines[0],
              MatchesRegex(std::string(kTimestampRegex) + " info \\[workflow\\] plain 42"));
}

TEST_F(LoggingTest, ReinitChangesLevelOfExistingLoggers) {
  const auto detect = Logger("detect");
  ASSERT_TRUE(InitLogging({.level = spdlog::level::err, .path = path_}).ok());
  detect->warn("dropped");
  spdlog::warn("dropped too");
  detect->error("kept");
  const std::vector<std::string> lines = ReadLines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_THAT(lines[0], HasSubstr("kept"));
}

TEST_F(LoggingTest, UnopenableFileIsAnErrorNamingIt) {
  const Status status = InitLogging({.path = "/nonexistent-dir/fz.log"});
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(std::string(status.message()), HasSubstr("/nonexistent-dir/fz.log"));
}

TEST(ParseLogLevelTest, AcceptsNamesInAnyCase) {
  EXPECT_EQ(ParseLogLevel("trace").value(), spdlog::level::trace);
  EXPECT_EQ(ParseLogLevel("DEBUG").value(), spdlog::level::debug);
  EXPECT_EQ(ParseLogLevel("Info").value(), spdlog::level::info);
  EXPECT_EQ(ParseLogLevel("warn").value(), spdlog::level::warn);
  EXPECT_EQ(ParseLogLevel("warning").value(), spdlog::level::warn);
  EXPECT_EQ(ParseLogLevel("error").value(), spdlog::level::err);
  EXPECT_EQ(ParseLogLevel("critical").value(), spdlog::level::critical);
  EXPECT_EQ(ParseLogLevel("off").value(), spdlog::level::off);
  EXPECT_EQ(ParseLogLevel("verbose").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(ParseLogLevel("").status().message()), HasSubstr("unknown log level"));
}

TEST(ParseLogFormatTest, AcceptsTextAndJson) {
  EXPECT_EQ(ParseLogFormat("text").value(), LogFormat::kText);
  EXPECT_EQ(ParseLogFormat("JSON").value(), LogFormat::kJson);
  EXPECT_EQ(ParseLogFormat("xml").status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace fz
