// Fraud types: the ten 公安部 types that made 88.4% of 2023 cases, "other", and any a center
// adds from its config. A FraudType is a small id into a FraudTypeRegistry.
//
//   FraudTypeRegistry types = FraudTypeRegistry::WithBuiltins();
//   std::optional<FraudType> t = types.Find("刷单返利");   // or "task_rebate"
//   types.Info(*t).name_zh;                                // "刷单返利"
//   FZ_ASSIGN_OR_RETURN(FraudType pension, types.Add("pension", "养老诈骗"));
//
// A registry is filled at start-up and read-only afterwards; reads are then thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "fz/common/status.h"

namespace fz::model {

struct FraudType {
  uint16_t id = 0;  // 0 is always "other"
  friend bool operator==(FraudType, FraudType) = default;
};

struct FraudTypeInfo {
  FraudType type;
  std::string code;     // stable ASCII code used in files and the API: "task_rebate"
  std::string name_zh;  // "刷单返利"
  bool builtin = false;
};

class FraudTypeRegistry {
 public:
  // "other" (id 0) plus the ten national types, ids 1..10 in the order of DOMAIN.md.
  static FraudTypeRegistry WithBuiltins();

  // Adds a center-defined type. The code must be [a-z0-9_]{1,32} and neither code nor name
  // may already exist.
  StatusOr<FraudType> Add(std::string_view code, std::string_view name_zh);

  // By code or Chinese name; nullopt when unknown.
  std::optional<FraudType> Find(std::string_view code_or_name) const;

  // Find, but unknown text is an error that lists the valid codes (for config and files).
  StatusOr<FraudType> Parse(std::string_view code_or_name) const;

  const FraudTypeInfo& Info(FraudType type) const;
  const std::vector<FraudTypeInfo>& All() const { return types_; }

  static constexpr FraudType kOther{0};

 private:
  std::vector<FraudTypeInfo> types_;
  std::unordered_map<std::string, uint16_t> by_name_;  // code and name_zh both map here
};

}  // namespace fz::model
