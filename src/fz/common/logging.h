// Logging: spdlog, configured once at start-up, as human-readable text or one JSON object per
// line ({"ts", "level", "logger", "msg"}) for log shippers.
//
//   FZ_RETURN_IF_ERROR(fz::InitLogging({.level = spdlog::level::info,
//                                       .format = fz::LogFormat::kJson,
//                                       .path = "/var/log/fanzha/fanzha.log"}));
//   spdlog::info("loaded {} rules", rules.size());            // logger "fz"
//   fz::Logger("detect")->warn("window overflow for {}", unit);  // logger "detect"
//
// Every logger made by Logger() or the default logger writes through one shared output that
// InitLogging() replaces, so loggers created before InitLogging() follow it too. Formatting is
// owned by InitLogging(): spdlog::set_pattern()/set_formatter() do not affect fz output.
// Timestamps are wall-clock (UTC), not the injected fz::Clock: logs record when things happened.
// Thread-safe: logging from any thread; InitLogging() may run while other threads log.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <spdlog/spdlog.h>

#include "fz/common/status.h"

namespace fz {

enum class LogFormat {
  kText,  // 2024-05-01T08:00:00.123456Z info [detect] message
  kJson,  // {"ts":"2024-05-01T08:00:00.123456Z","level":"info","logger":"detect","msg":"message"}
};

struct LogOptions {
  spdlog::level::level_enum level = spdlog::level::info;
  LogFormat format = LogFormat::kText;
  // File to append to, created if missing; empty means stderr.
  std::string path;
};

// Routes all fz logging to `options`. On error (e.g. the file cannot be opened) the previous
// output stays in place. The file is line-buffered so that every complete line reaches it.
Status InitLogging(const LogOptions& options);

// "trace", "debug", "info", "warn" (or "warning"), "error", "critical", "off"; any case.
StatusOr<spdlog::level::level_enum> ParseLogLevel(std::string_view name);

// "text" or "json"; any case.
StatusOr<LogFormat> ParseLogFormat(std::string_view name);

// Returns the logger called `name`, creating it on first use with the current level and output.
// Shared pointer because spdlog's registry shares ownership of its loggers; callers may keep it
// for the life of the process.
std::shared_ptr<spdlog::logger> Logger(std::string_view name);

}  // namespace fz
