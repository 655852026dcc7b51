#include "fz/common/config.h"

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace fz {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// Line numbers matter: the tests below assert them.
constexpr char kToml[] = R"(# fanzha test config
[server]
host = "0.0.0.0"
port = "abc"
prot = 8080
timeout = "90s"

[detect]
window = "5m"
threshold = 0.75
min_score = 3
enabled = true
max_events = 70000
bad_duration = "5 parsecs"
negative = "-3m"
empty = ""
sources = ["sms", "voice"]
mixed = ["sms", 5]

[[channels]]
name = "sms"

[[channels]]
name = "voice"
prot = 5060
)";

Config Load(std::string_view text = kToml) {
  StatusOr<Config> config = Config::Parse(text, "test.toml");
  EXPECT_TRUE(config.ok()) << config.status();
  return std::move(config).value();
}

std::string Message(const Status& status) { return std::string(status.message()); }

TEST(ConfigTest, ReadsTypedValues) {
  const Config config = Load();
  EXPECT_EQ(config.source_name(), "test.toml");
  EXPECT_EQ(config.GetString("server.host").value(), "0.0.0.0");
  EXPECT_EQ(config.GetInt("detect.max_events", 0, 100000).value(), 70000);
  EXPECT_EQ(config.GetDouble("detect.threshold", 0, 1).value(), 0.75);
  EXPECT_EQ(config.GetDouble("detect.min_score", 0, 10).value(), 3.0);  // Integers are numbers.
  EXPECT_TRUE(config.GetBool("detect.enabled").value());
  EXPECT_EQ(config.GetDuration("server.timeout").value(), absl::Seconds(90));
  EXPECT_EQ(config.GetDuration("detect.window").value(), absl::Minutes(5));
  EXPECT_THAT(config.GetStringList("detect.sources").value(), ElementsAre("sms", "voice"));
  EXPECT_EQ(config.GetString("detect.empty").value(), "");
}

TEST(ConfigTest, WrongTypeNamesFileLineAndKey) {
  const Status status = Load().GetInt("server.port", 1, 65535).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Message(status),
            "test.toml:4:8: server.port: expected integer in [1, 65535], got \"abc\"");
}

TEST(ConfigTest, OutOfRangeNamesFileLineAndKey) {
  const Config config = Load();
  EXPECT_EQ(Message(config.GetInt("detect.max_events", 1, 65535).status()),
            "test.toml:13:14: detect.max_events: expected integer in [1, 65535], got 70000");
  EXPECT_EQ(Message(config.GetDouble("detect.threshold", 0.8, 1).status()),
            "test.toml:10:13: detect.threshold: expected number in [0.8, 1], got 0.75");
  EXPECT_THAT(Message(config.GetDuration("detect.window", absl::Hours(1)).status()),
              StartsWith("test.toml:9:10: detect.window: expected duration in [1h, inf]"));
}

TEST(ConfigTest, OtherTypeMismatchesAreErrors) {
  const Config config = Load();
  EXPECT_THAT(Message(config.GetBool("detect.threshold").status()),
              StartsWith("test.toml:10:13: detect.threshold: expected true or false, got 0.75"));
  EXPECT_THAT(Message(config.GetString("detect.enabled").status()),
              HasSubstr("detect.enabled: expected string, got true"));
  EXPECT_THAT(Message(config.GetDouble("server.host", 0, 1).status()),
              HasSubstr("server.host: expected number in [0, 1], got \"0.0.0.0\""));
  EXPECT_THAT(Message(config.GetStringList("server.host").status()),
              HasSubstr("server.host: expected array of strings"));
  EXPECT_THAT(Message(config.GetInt("server", 0, 1).status()), HasSubstr("got a table"));
}

TEST(ConfigTest, StringListErrorNamesTheElement) {
  EXPECT_EQ(Message(Load().GetStringList("detect.mixed").status()),
            "test.toml:18:17: detect.mixed[1]: expected string, got 5");
}

TEST(ConfigTest, BadDurationsAreErrorsWithTheReason) {
  const Config config = Load();
  for (const char* key : {"detect.bad_duration", "detect.negative", "detect.empty"}) {
    const Status status = config.GetDuration(key).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << key;
    EXPECT_THAT(Message(status), HasSubstr(std::string(key) + ": expected duration")) << key;
  }
  EXPECT_THAT(Message(config.GetDuration("detect.bad_duration").status()),
              AllOf(StartsWith("test.toml:14:16: "), HasSubstr("unknown unit"),
                    HasSubstr("got \"5 parsecs\"")));
  EXPECT_THAT(Message(config.GetDuration("detect.max_events").status()), HasSubstr("got 70000"));
}

TEST(ConfigTest, MissingRequiredKeyIsNotFoundAndNamed) {
  const Config config = Load();
  const Status in_table = config.GetInt("server.workers", 1, 64).status();
  EXPECT_EQ(in_table.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Message(in_table), "test.toml:2:1: server.workers: required key is missing");
  EXPECT_EQ(Message(config.GetString("database.url").status()),
            "test.toml: database.url: required key is missing");
}

TEST(ConfigTest, OptionalGettersDefaultOnlyWhenAbsent) {
  const Config config = Load();
  EXPECT_EQ(config.GetIntOr("server.workers", 8, 1, 64).value(), 8);
  EXPECT_EQ(config.GetDoubleOr("detect.ratio", 0.5, 0, 1).value(), 0.5);
  EXPECT_FALSE(config.GetBoolOr("detect.verbose", false).value());
  EXPECT_EQ(config.GetStringOr("database.url", "sqlite://x").value(), "sqlite://x");
  EXPECT_EQ(config.GetDurationOr("server.idle", absl::Minutes(2)).value(), absl::Minutes(2));
  EXPECT_THAT(config.GetStringListOr("detect.sinks", {"log"}).value(), ElementsAre("log"));
  EXPECT_EQ(config.GetDurationOr("server.timeout", absl::Minutes(2)).value(), absl::Seconds(90));
  // Present but wrong is an error, never silently the default.
  EXPECT_EQ(config.GetIntOr("server.port", 80, 1, 65535).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(config.GetDurationOr("detect.negative", absl::Minutes(1)).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(config.GetBoolOr("detect.threshold", true).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ConfigTest, UnknownKeysAreReportedWithTheirLines) {
  const Config config = Load();
  EXPECT_EQ(Message(config.CheckNoUnknownKeys("server", {"host", "port", "timeout"})),
            "test.toml:5:1: server.prot: unknown key (allowed: host, port, timeout)");
  EXPECT_TRUE(config.CheckNoUnknownKeys("server", {"host", "port", "prot", "timeout"}).ok());
  EXPECT_TRUE(config.CheckNoUnknownKeys("absent", {}).ok());
  EXPECT_THAT(Message(config.CheckNoUnknownKeys("", {"server", "detect"})),
              HasSubstr("test.toml:20:3: channels: unknown key"));
  EXPECT_EQ(Message(config.CheckNoUnknownKeys("channels[1]", {"name"})),
            "test.toml:25:1: channels[1].prot: unknown key (allowed: name)");
}

TEST(ConfigTest, ArraysOfTablesAreIndexed) {
  const Config config = Load();
  EXPECT_EQ(config.GetArraySize("channels").value(), 2u);
  EXPECT_EQ(config.GetArraySize("absent").value(), 0u);
  EXPECT_FALSE(config.GetArraySize("server.host").ok());
  EXPECT_EQ(config.GetString("channels[1].name").value(), "voice");
  EXPECT_EQ(config.GetString("channels[2].name").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(config.GetString("detect.sources[0]").value(), "sms");
  EXPECT_TRUE(config.Has("channels[0]"));
  EXPECT_FALSE(config.Has("channels[5]"));
}

TEST(ConfigTest, KeysListsATable) {
  const Config config = Load();
  EXPECT_THAT(config.Keys("server"), ElementsAre("host", "port", "prot", "timeout"));
  EXPECT_THAT(config.Keys(""), ElementsAre("channels", "detect", "server"));
  EXPECT_TRUE(config.Keys("server.host").empty());
  EXPECT_TRUE(config.Keys("nope").empty());
}

TEST(ConfigTest, PathThroughAValueOrMalformedKeyIsAnError) {
  const Config config = Load();
  EXPECT_EQ(Message(config.GetInt("server.host.x", 0, 1).status()),
            "test.toml:3:8: server.host: expected table, got \"0.0.0.0\"");
  EXPECT_FALSE(config.Has("server.host.x"));
  for (const char* key :
       {"server..port", ".server", "server.", "channels[x]", "channels[", "channels[]", "[0]"}) {
    EXPECT_THAT(Message(config.GetString(key).status()), HasSubstr("invalid config key")) << key;
  }
}

TEST(ConfigTest, SyntaxErrorNamesFileLineAndColumn) {
  const StatusOr<Config> config = Config::Parse("a = 1\nb = \n", "bad.toml");
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(config.status()), StartsWith("bad.toml:2:"));
  EXPECT_THAT(Message(config.status()), HasSubstr("TOML syntax error"));
  const StatusOr<Config> duplicate = Config::Parse("a = 1\n\n\na = 2\n", "dup.toml");
  EXPECT_THAT(Message(duplicate.status()), StartsWith("dup.toml:4:"));
}

TEST(ConfigTest, LoadFileReadsAndNamesThePath) {
  const std::string path = testing::TempDir() + "/fz_config_test.toml";
  {
    std::ofstream out(path);
    out << "[server]\nport = 0\n";
  }
  const StatusOr<Config> config = Config::LoadFile(path);
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(Message(config->GetInt("server.port", 1, 65535).status()),
            path + ":2:8: server.port: expected integer in [1, 65535], got 0");
  std::remove(path.c_str());

  const StatusOr<Config> missing = Config::LoadFile(path);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(Message(missing.status()), HasSubstr(path));
}

TEST(ConfigTest, CopiesShareTheDocument) {
  const Config original = Load("a = 1\n");
  const Config copy = original;  // NOLINT(performance-unnecessary-copy-initialization)
  EXPECT_EQ(copy.GetInt("a", 0, 9).value(), 1);
  EXPECT_EQ(copy.source_name(), original.source_name());
}

}  // namespace
}  // namespace fz
