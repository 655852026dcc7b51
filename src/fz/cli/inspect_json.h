// JSON views of the normalizers' results, shared by `inspect` and `demo`.
#pragma once

#include <string_view>

#include "absl/time/civil_time.h"
#include "fz/common/status.h"
#include "nlohmann/json.hpp"

namespace fz::cli {

// Each returns the JSON object for a valid value, or the normalizer's error.
StatusOr<nlohmann::json> InspectPhone(std::string_view value);
StatusOr<nlohmann::json> InspectIdCard(std::string_view value, absl::CivilDay today);
StatusOr<nlohmann::json> InspectBankCard(std::string_view value);
StatusOr<nlohmann::json> InspectDomain(std::string_view value);
StatusOr<nlohmann::json> InspectUrl(std::string_view value);
StatusOr<nlohmann::json> InspectIp(std::string_view value);

// Today's date in China (UTC+8, no daylight saving).
absl::CivilDay TodayInChina();

}  // namespace fz::cli
