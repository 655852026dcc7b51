#include "fz/cli/inspect_command.h"

#include <iostream>
#include <memory>

#include "absl/time/civil_time.h"
#include "fz/cli/inspect_json.h"

namespace fz::cli {
namespace {

struct InspectOptions {
  std::string value;
  std::string today;  // YYYY-MM-DD, for a reproducible age
};

using Inspector = StatusOr<nlohmann::json> (*)(std::string_view, const InspectOptions&);

void AddKind(CLI::App& inspect, const char* kind, const char* help, Inspector inspector,
             std::shared_ptr<InspectOptions> options, int& exit_code) {
  CLI::App* sub = inspect.add_subcommand(kind, help);
  sub->add_option("VALUE", options->value, "the value to normalize")->required();
  if (std::string_view(kind) == "id") {
    sub->add_option("--today", options->today, "date for the age, YYYY-MM-DD (default: today)");
  }
  sub->callback([kind, inspector, options, &exit_code] {
    StatusOr<nlohmann::json> result = inspector(options->value, *options);
    if (!result.ok()) {
      std::cerr << "fanzha inspect " << kind << ": " << result.status().message() << "\n";
      exit_code = 2;
      return;
    }
    std::cout << result->dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  });
}

StatusOr<nlohmann::json> InspectIdWithOptions(std::string_view value,
                                              const InspectOptions& options) {
  absl::CivilDay today = TodayInChina();
  if (!options.today.empty() && !absl::ParseCivilTime(options.today, &today)) {
    return absl::InvalidArgumentError("--today: expected a date like 2026-11-26");
  }
  return InspectIdCard(value, today);
}

}  // namespace

void AddInspectCommand(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<InspectOptions>();
  CLI::App* inspect =
      app.add_subcommand("inspect", "Normalize one value and print what can be derived from it");
  inspect->require_subcommand(1);
  AddKind(
      *inspect, "phone", "Phone number: E.164 form, type, home area (归属地), flags",
      [](std::string_view v, const InspectOptions&) { return InspectPhone(v); }, options,
      exit_code);
  AddKind(*inspect, "id", "Resident ID number (GB 11643): check digit, birth date, age, area",
          InspectIdWithOptions, options, exit_code);
  AddKind(
      *inspect, "card", "Bank card number: Luhn, BIN, issuing bank",
      [](std::string_view v, const InspectOptions&) { return InspectBankCard(v); }, options,
      exit_code);
  AddKind(
      *inspect, "domain", "Domain: ASCII/punycode form, registrable domain",
      [](std::string_view v, const InspectOptions&) { return InspectDomain(v); }, options,
      exit_code);
  AddKind(
      *inspect, "url", "URL: normalized form, host, domain or IP",
      [](std::string_view v, const InspectOptions&) { return InspectUrl(v); }, options, exit_code);
  AddKind(
      *inspect, "ip", "IPv4 or IPv6 address: canonical form, private/reserved",
      [](std::string_view v, const InspectOptions&) { return InspectIp(v); }, options, exit_code);
}

}  // namespace fz::cli
