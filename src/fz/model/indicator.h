// Indicators (情报): a phone, domain, URL, IP, account, app or device known to be used for
// fraud, with provenance and expiry. File layout: kind,value,fraud_type,source,confidence,
// expires_at (DESIGN.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "fz/model/fraud_type.h"
#include "fz/model/ids.h"

namespace fz::model {

enum class IndicatorKind : uint8_t { kPhone, kDomain, kUrl, kIp, kAccount, kApp, kImei };

std::string_view IndicatorKindName(IndicatorKind kind);
std::optional<IndicatorKind> ParseIndicatorKind(std::string_view name);

struct Indicator {
  IndicatorId id;
  IndicatorKind kind = IndicatorKind::kPhone;
  std::string value;  // canonical form for its kind
  FraudType fraud_type;
  std::string source;     // "national", "carrier", "case:2026-0012", "analyst:wang"
  double confidence = 1;  // 0..1
  absl::Time expires_at = absl::InfiniteFuture();
  bool whitelisted = false;  // a wrongly flagged value: never matches again

  bool ActiveAt(absl::Time now) const { return !whitelisted && now < expires_at; }
};

}  // namespace fz::model
