#include "fz/common/logging.h"

#include <cerrno>
#include <cstdio>
#include <utility>

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/sink.h>
#include <nlohmann/json.hpp>

#include "absl/base/const_init.h"
#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "fz/common/str_cat.h"

namespace fz {
namespace {

constexpr char kDefaultLoggerName[] = "fz";

std::string_view ToStdView(spdlog::string_view_t view) { return {view.data(), view.size()}; }

// One JSON object per line. nlohmann does the escaping and replaces invalid UTF-8 with U+FFFD,
// so every line parses even when a message carries raw bytes from a bad record.
class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const nlohmann::ordered_json line = {
        {"ts",
         absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", absl::FromChrono(msg.time), absl::UTCTimeZone())},
        {"level", ToStdView(spdlog::level::to_string_view(msg.level))},
        {"logger", ToStdView(msg.logger_name)},
        {"msg", ToStdView(msg.payload)},
    };
    const std::string text =
        line.dump(-1, ' ', /*ensure_ascii=*/false, nlohmann::json::error_handler_t::replace);
    dest.append(text.data(), text.data() + text.size());
    dest.push_back('\n');
  }

  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonFormatter>();
  }
};

std::string ToLower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = absl::ascii_tolower(static_cast<unsigned char>(c));
  return lower;
}

std::unique_ptr<spdlog::formatter> MakeFormatter(LogFormat format) {
  if (format == LogFormat::kJson) return std::make_unique<JsonFormatter>();
  return std::make_unique<spdlog::pattern_formatter>("%Y-%m-%dT%H:%M:%S.%fZ %l [%n] %v",
                                                     spdlog::pattern_time_type::utc);
}

// The one output shared by every fz logger. It formats and writes under its own lock, and
// ignores spdlog's set_pattern()/set_formatter() so nothing can break the JSON format.
class OutputSink final : public spdlog::sinks::sink {
 public:
  OutputSink() : file_(stderr), formatter_(MakeFormatter(LogFormat::kText)) {}

  void log(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t line;
    absl::MutexLock lock(&mu_);
    formatter_->format(msg, line);
    std::fwrite(line.data(), 1, line.size(), file_);
  }

  void flush() override {
    absl::MutexLock lock(&mu_);
    std::fflush(file_);
  }

  void set_pattern(const std::string& /*pattern*/) override {}
  void set_formatter(std::unique_ptr<spdlog::formatter> /*formatter*/) override {}

  // Takes ownership of `file` unless it is stderr; closes the previous file.
  void Reset(std::FILE* file, std::unique_ptr<spdlog::formatter> formatter) {
    std::FILE* previous = nullptr;
    {
      absl::MutexLock lock(&mu_);
      previous = std::exchange(file_, file);
      formatter_ = std::move(formatter);
    }
    if (previous != stderr) std::fclose(previous);
  }

 private:
  absl::Mutex mu_;
  std::FILE* file_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<spdlog::formatter> formatter_ ABSL_GUARDED_BY(mu_);
};

const std::shared_ptr<OutputSink>& SharedSink() {
  // Leaked on purpose: loggers may write from other static destructors.
  static const auto* const sink = new std::shared_ptr<OutputSink>(std::make_shared<OutputSink>());
  return *sink;
}

// Serialises logger creation so that two threads asking for the same name get one logger.
ABSL_CONST_INIT absl::Mutex logger_mu(absl::kConstInit);

std::shared_ptr<spdlog::logger> MakeLoggerLocked(std::string name)
    ABSL_EXCLUSIVE_LOCKS_REQUIRED(logger_mu) {
  auto logger = std::make_shared<spdlog::logger>(std::move(name), SharedSink());
  logger->set_level(spdlog::get_level());
  return logger;
}

void InstallDefaultLogger() ABSL_LOCKS_EXCLUDED(logger_mu) {
  absl::MutexLock lock(&logger_mu);
  if (spdlog::default_logger_raw()->name() == kDefaultLoggerName) return;
  std::shared_ptr<spdlog::logger> logger = spdlog::get(kDefaultLoggerName);  // From Logger("fz").
  spdlog::set_default_logger(logger != nullptr ? logger : MakeLoggerLocked(kDefaultLoggerName));
}

}  // namespace

Status InitLogging(const LogOptions& options) {
  std::FILE* file = stderr;
  if (!options.path.empty()) {
    file = std::fopen(options.path.c_str(), "a");
    if (file == nullptr) {
      return absl::ErrnoToStatus(errno, StrCat("cannot open log file ", options.path));
    }
    std::setvbuf(file, nullptr, _IOLBF, BUFSIZ);
  }
  SharedSink()->Reset(file, MakeFormatter(options.format));
  InstallDefaultLogger();
  spdlog::set_level(options.level);  // Every registered logger, and the level for new ones.
  return absl::OkStatus();
}

StatusOr<spdlog::level::level_enum> ParseLogLevel(std::string_view name) {
  const std::string lower = ToLower(name);
  if (lower == "trace") return spdlog::level::trace;
  if (lower == "debug") return spdlog::level::debug;
  if (lower == "info") return spdlog::level::info;
  if (lower == "warn" || lower == "warning") return spdlog::level::warn;
  if (lower == "error") return spdlog::level::err;
  if (lower == "critical") return spdlog::level::critical;
  if (lower == "off") return spdlog::level::off;
  return absl::InvalidArgumentError(StrCat(
      "unknown log level \"", name, "\" (use trace, debug, info, warn, error, critical or off)"));
}

StatusOr<LogFormat> ParseLogFormat(std::string_view name) {
  const std::string lower = ToLower(name);
  if (lower == "text") return LogFormat::kText;
  if (lower == "json") return LogFormat::kJson;
  return absl::InvalidArgumentError(StrCat("unknown log format \"", name, "\" (use text or json)"));
}

std::shared_ptr<spdlog::logger> Logger(std::string_view name) {
  absl::MutexLock lock(&logger_mu);
  std::string key(name);
  if (std::shared_ptr<spdlog::logger> existing = spdlog::get(key)) return existing;
  std::shared_ptr<spdlog::logger> logger = MakeLoggerLocked(std::move(key));
  spdlog::register_logger(logger);
  return logger;
}

}  // namespace fz
