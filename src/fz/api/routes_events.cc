// POST /api/events (batch ingest from carriers, banks and the 96110 desk) and GET /api/stream
// (the live push).
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "fz/api/api_state.h"
#include "fz/common/str_cat.h"
#include "fz/common/strings.h"
#include "fz/ingest/json_event.h"

namespace fz::api {
namespace {

// The records of a body: a JSON array's elements, or NDJSON lines (blank lines skipped).
// Each keeps its text, which the journal stores and a rejection quotes.
StatusOr<std::vector<std::string>> SplitRecords(const http::Request& request, size_t max_records) {
  std::vector<std::string> records;
  std::string_view body = fz::StripSpaces(request.body);
  if (body.empty()) return absl::InvalidArgumentError("body: no events");
  if (body.front() == '[') {
    FZ_ASSIGN_OR_RETURN(nlohmann::json array, ParseJsonBody(body));
    if (!array.is_array()) return absl::InvalidArgumentError("body: expected a JSON array");
    if (array.size() > max_records) {
      return absl::ResourceExhaustedError(
          fz::StrCat("body: ", array.size(), " events, at most ", max_records, " per request"));
    }
    for (const nlohmann::json& e : array) {
      records.push_back(e.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    }
    return records;
  }
  for (size_t pos = 0; pos < body.size();) {
    size_t end = body.find('\n', pos);
    if (end == std::string_view::npos) end = body.size();
    std::string_view line = fz::StripSpaces(body.substr(pos, end - pos));
    if (!line.empty()) records.emplace_back(line);
    if (records.size() > max_records) {
      return absl::ResourceExhaustedError(
          fz::StrCat("body: more than ", max_records, " events in one request"));
    }
    pos = end + 1;
  }
  return records;
}

http::Response Ingest(State& s, http::Request& request, const auth::Principal& who) {
  StatusOr<std::vector<std::string>> records =
      SplitRecords(request, s.options.max_events_per_request);
  if (!records.ok()) {
    http::Response r = ErrorResponse(records.status());
    if (records.status().code() == absl::StatusCode::kResourceExhausted) r.status = 413;
    return r;
  }
  ingest::ReadOptions read;
  read.fraud_types = s.deps.types;
  ingest::JsonEventParser parser(read);
  std::vector<SubmittedEvent> events;
  std::vector<size_t> index_of;  // events[i] came from records[index_of[i]]
  nlohmann::json results = nlohmann::json::array();
  std::vector<nlohmann::json*> accepted_slots;
  int64_t rejected = 0;
  for (size_t i = 0; i < records->size(); ++i) {
    std::string& text = (*records)[i];
    if (JsonDepth(text, kMaxJsonDepth) > kMaxJsonDepth) {
      results.push_back({{"index", i}, {"status", "rejected"}, {"error", "bad_json: too deep"}});
    } else {
      model::Event e;
      Status st = parser.Parse(text, std::nullopt, &e);
      if (st.ok()) {
        results.push_back({{"index", i}, {"event_id", e.header.id.value()}, {"status", ""}});
        index_of.push_back(i);
        events.push_back({std::move(e), std::move(text)});
        continue;
      }
      results.push_back({{"index", i}, {"status", "rejected"}, {"error", st.message()}});
    }
    ++rejected;
    const std::string error = results.back()["error"];
    const std::string reason = error.substr(0, error.find(':'));
    if (auto c = s.rejected_records->WithLabels({std::string_view(reason)}); c.ok()) (*c)->Inc();
    // Quarantined with where it came from, so the sender's bad record can be fixed and replayed.
    s.quarantine->Add({fz::StrCat("http:", who.user, "@", request.remote_ip), int64_t(i) + 1, error,
                       (*records)[i]});
  }
  const int64_t submitted = static_cast<int64_t>(events.size());
  int64_t duplicates = 0;
  if (!events.empty()) {
    StatusOr<SubmitResult> r = s.pipeline->Submit(std::move(events));
    if (!r.ok()) {
      http::Response resp = ErrorResponse(r.status());
      if (resp.status == 503) resp.headers.push_back({"Retry-After", "1"});
      return resp;
    }
    for (size_t k = 0; k < index_of.size(); ++k) {
      const bool dup = r->duplicate[k];
      duplicates += dup;
      results[index_of[k]]["status"] = dup ? "duplicate" : "accepted";
    }
  }
  return JsonResponse(200, {{"accepted", submitted - duplicates},
                            {"duplicates", duplicates},
                            {"rejected", rejected},
                            {"results", std::move(results)}});
}

http::Response Stream(State& s, http::Request& request, const auth::Principal& who) {
  std::string last_id(request.Header("Last-Event-ID"));
  if (last_id.empty()) {
    if (std::optional<std::string_view> q = request.Query("last_event_id")) last_id = *q;
  }
  http::Response r;
  r.content_type = "text/event-stream; charset=utf-8";
  r.sse = [&s, actor = who.actor(), last_id](std::shared_ptr<http::SseChannel> channel) {
    s.hub.Subscribe(actor, last_id, std::move(channel));
  };
  return r;
}

}  // namespace

void AddEventRoutes(State& s, http::Router& router) {
  router.Add("POST", "/api/events",
             Authed(s, auth::Permission::kIngestEvents,
                    [&s](http::Request& r, const auth::Principal& p) { return Ingest(s, r, p); }));
  router.Add("GET", "/api/stream",
             Authed(s, auth::Permission::kWarningRead,
                    [&s](http::Request& r, const auth::Principal& p) { return Stream(s, r, p); }));
}

}  // namespace fz::api
