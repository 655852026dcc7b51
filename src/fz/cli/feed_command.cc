#include "fz/cli/feed_command.h"

#include <algorithm>
#include <fstream>
#include <iostream>
#include <thread>

#include "absl/time/clock.h"
#include "fz/api/json_util.h"
#include "fz/cli/store_cli.h"
#include "fz/common/str_cat.h"
#include "fz/common/strings.h"
#include "fz/http/client.h"
#include "nlohmann/json.hpp"

namespace fz::cli {
namespace {

struct Endpoint {
  std::string host;
  uint16_t port = 0;
};

StatusOr<Endpoint> ParseUrl(std::string_view url) {
  if (url.starts_with("http://")) url.remove_prefix(7);
  while (!url.empty() && url.back() == '/') url.remove_suffix(1);
  const size_t colon = url.rfind(':');
  int port = 0;
  if (colon == std::string_view::npos || !fz::ParseDecimal(url.substr(colon + 1), &port) ||
      port <= 0 || port > 65535) {
    return absl::InvalidArgumentError(fz::StrCat("--url: '", url, "' is not http://host:port"));
  }
  return Endpoint{std::string(url.substr(0, colon)), static_cast<uint16_t>(port)};
}

struct FeedOptions {
  std::string url = "http://127.0.0.1:8080";
  std::string api_key;
  double rate = 2000;  // events per second
  int batch = 200;
  bool loop = false;
  bool restamp = false;
  bool stamp_ids = false;
  double duration_s = 0;  // 0: until the files (or, with --loop, forever)
  std::vector<std::string> files;
};

struct Line {
  absl::Time ts;
  std::string json;
};

// Every event of the files, in event-time order (a stable sort keeps each file's order).
StatusOr<std::vector<Line>> LoadEvents(const std::vector<std::string>& files) {
  std::vector<Line> lines;
  for (const std::string& path : files) {
    std::ifstream in(path);
    if (!in) return absl::NotFoundError(fz::StrCat(path, ": cannot open"));
    std::string text;
    for (int64_t n = 1; std::getline(in, text); ++n) {
      if (text.empty()) continue;
      nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
      if (j.is_discarded() || !j.is_object()) {
        return absl::InvalidArgumentError(fz::StrCat(path, ":", n, ": not a JSON object"));
      }
      absl::Time ts = absl::UnixEpoch();
      if (j.contains("ts")) {
        StatusOr<absl::Time> t = api::ParseTimeText(
            j["ts"].is_string() ? j["ts"].get<std::string>() : fz::StrCat(j["ts"].get<int64_t>()),
            "ts");
        if (!t.ok())
          return absl::InvalidArgumentError(fz::StrCat(path, ":", n, ": ", t.status().message()));
        ts = *t;
      }
      lines.push_back({ts, std::move(text)});
    }
  }
  std::stable_sort(lines.begin(), lines.end(),
                   [](const Line& a, const Line& b) { return a.ts < b.ts; });
  return lines;
}

int RunFeed(const FeedOptions& o) {
  StatusOr<Endpoint> at = ParseUrl(o.url);
  if (!at.ok()) return FailCommand("feed", at.status());
  StatusOr<std::vector<Line>> lines = LoadEvents(o.files);
  if (!lines.ok()) return FailCommand("feed", lines.status());
  if (lines->empty()) return FailCommand("feed", absl::InvalidArgumentError("no events"));
  http::Client client(at->host, at->port);
  const std::vector<http::HeaderField> headers = {{"X-Api-Key", o.api_key},
                                                  {"Content-Type", "application/x-ndjson"}};
  const absl::Time start = absl::Now();
  const absl::Duration per_batch = absl::Seconds(o.batch / std::max(o.rate, 1e-3));
  int64_t sent = 0, accepted = 0, duplicates = 0, rejected = 0, failed = 0, batches = 0;
  absl::Time last_report = start;
  for (int pass = 0;; ++pass) {
    for (size_t i = 0; i < lines->size(); i += static_cast<size_t>(o.batch)) {
      const absl::Time due = start + per_batch * batches;
      if (o.duration_s > 0 && due - start > absl::Seconds(o.duration_s)) goto done;
      if (absl::Time now = absl::Now(); due > now) absl::SleepFor(due - now);
      std::string body;
      const int64_t send_us = absl::ToUnixMicros(absl::Now());
      const size_t end = std::min(lines->size(), i + static_cast<size_t>(o.batch));
      for (size_t k = i; k < end; ++k) {
        if (!o.restamp && !o.stamp_ids && pass == 0) {
          body += (*lines)[k].json;
        } else {
          nlohmann::json j = nlohmann::json::parse((*lines)[k].json);
          std::string id = j.value("id", "");
          if (pass > 0) id = fz::StrCat(id, "#", pass);
          // "~send time" lets `fanzha listen --latency` measure event-to-push time.
          if (o.stamp_ids) id = fz::StrCat(id, "~", send_us);
          j["id"] = id;
          if (o.restamp) j["ts"] = send_us / 1000;
          body += j.dump();
        }
        body += '\n';
      }
      ++batches;
      sent += static_cast<int64_t>(end - i);
      StatusOr<http::ClientResponse> r = client.Send("POST", "/api/events", body, headers);
      if (!r.ok() || r->status != 200) {
        ++failed;
        std::cerr << "feed: batch " << batches << ": "
                  << (r.ok() ? fz::StrCat("HTTP ", r->status, " ", r->body)
                             : std::string(r.status().message()))
                  << "\n";
        if (!r.ok() || r->status == 401 || r->status == 403) return 1;
        continue;
      }
      nlohmann::json answer = nlohmann::json::parse(r->body, nullptr, false);
      if (answer.is_object()) {
        accepted += answer.value("accepted", int64_t{0});
        duplicates += answer.value("duplicates", int64_t{0});
        rejected += answer.value("rejected", int64_t{0});
      }
      if (absl::Now() - last_report > absl::Seconds(10)) {
        last_report = absl::Now();
        std::cout << "feed: sent " << sent << " accepted " << accepted << " duplicates "
                  << duplicates << " rejected " << rejected << " failed batches " << failed << " ("
                  << static_cast<int64_t>(sent / absl::ToDoubleSeconds(last_report - start))
                  << " events/s)" << std::endl;
      }
    }
    if (!o.loop) break;
  }
done:
  const double secs = absl::ToDoubleSeconds(absl::Now() - start);
  std::cout << "feed: done: sent " << sent << " events in " << secs << " s ("
            << static_cast<int64_t>(sent / std::max(secs, 1e-9)) << " events/s); accepted "
            << accepted << ", duplicates " << duplicates << ", rejected " << rejected
            << ", failed batches " << failed << std::endl;
  return failed == 0 ? 0 : 1;
}

struct ListenOptions {
  std::string url = "http://127.0.0.1:8080";
  std::string token;
  double duration_s = 60;
  bool latency = false;
};

int RunListen(const ListenOptions& o) {
  StatusOr<Endpoint> at = ParseUrl(o.url);
  if (!at.ok()) return FailCommand("listen", at.status());
  std::map<std::string, int64_t> kinds;
  std::vector<double> latencies_ms;
  const absl::Time end = absl::Now() + absl::Seconds(o.duration_s);
  Status s = http::ReadSse(
      at->host, at->port, "/api/stream", {{"Authorization", fz::StrCat("Bearer ", o.token)}},
      [&](const http::SseEvent& e) {
        const int64_t now_us = absl::ToUnixMicros(absl::Now());
        ++kinds[e.event];
        if (o.latency) {
          nlohmann::json j = nlohmann::json::parse(e.data, nullptr, false);
          std::string trigger = j.is_object() ? j.value("trigger_event", "") : "";
          const size_t tilde = trigger.rfind('~');
          int64_t sent_us = 0;
          if (tilde != std::string::npos && fz::ParseDecimal(trigger.substr(tilde + 1), &sent_us)) {
            latencies_ms.push_back(static_cast<double>(now_us - sent_us) / 1000.0);
          }
        }
        if (!o.latency) std::cout << e.event << " " << e.data << std::endl;
        return absl::Now() < end;
      },
      absl::Seconds(std::max(5.0, o.duration_s)), end);
  if (!s.ok() && s.code() != absl::StatusCode::kDeadlineExceeded) {
    return FailCommand("listen", s);
  }
  std::cout << "listen: events";
  for (const auto& [k, n] : kinds) std::cout << " " << k << "=" << n;
  std::cout << "\n";
  if (o.latency) {
    std::sort(latencies_ms.begin(), latencies_ms.end());
    auto pct = [&](double p) {
      if (latencies_ms.empty()) return 0.0;
      return latencies_ms[std::min(
          latencies_ms.size() - 1,
          static_cast<size_t>(p * static_cast<double>(latencies_ms.size())))];
    };
    std::cout << "listen: event-to-push latency over " << latencies_ms.size() << " pushes: p50 "
              << pct(0.50) << " ms, p90 " << pct(0.90) << " ms, p99 " << pct(0.99) << " ms, max "
              << (latencies_ms.empty() ? 0 : latencies_ms.back()) << " ms" << std::endl;
  }
  return 0;
}

}  // namespace

void AddFeedCommand(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<FeedOptions>();
  CLI::App* cmd = app.add_subcommand(
      "feed", "Post JSONL event files to a fanzha server at a steady rate (demo, load)");
  cmd->add_option("--url", o->url, "server")->default_val(o->url);
  cmd->add_option("--api-key", o->api_key, "a feed account's API key")->required();
  cmd->add_option("--rate", o->rate, "events per second")->default_val(o->rate);
  cmd->add_option("--batch", o->batch, "events per request")->default_val(o->batch);
  cmd->add_flag("--loop", o->loop, "start again at the end (ids get #pass suffixes)");
  cmd->add_flag("--restamp", o->restamp, "set each event's ts to the time it is sent");
  cmd->add_flag("--stamp-ids", o->stamp_ids, "append ~send-time-us to ids (for listen --latency)");
  cmd->add_option("--duration", o->duration_s, "stop after this many seconds (0: at the end)");
  cmd->add_option("EVENTS", o->files, "JSONL event files (fanzha gen output)")->required();
  cmd->callback([o, &exit_code] { exit_code = RunFeed(*o); });
}

void AddListenCommand(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<ListenOptions>();
  CLI::App* cmd = app.add_subcommand("listen", "Follow a server's live push of warnings");
  cmd->add_option("--url", o->url, "server")->default_val(o->url);
  cmd->add_option("--token", o->token, "session token (POST /api/auth/login)")->required();
  cmd->add_option("--duration", o->duration_s, "seconds to listen")->default_val(o->duration_s);
  cmd->add_flag("--latency", o->latency, "report event-to-push latency of stamped events");
  cmd->callback([o, &exit_code] { exit_code = RunListen(*o); });
}

}  // namespace fz::cli
