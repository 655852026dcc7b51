#include "fz/model/fraud_type.h"

#include <algorithm>

#include "fz/common/str_cat.h"

namespace fz::model {
namespace {

struct Builtin {
  const char* code;
  const char* name_zh;
};

// 公安部's ten main types (DOMAIN.md), most cases first.
constexpr Builtin kBuiltins[] = {
    {"other", "其他"},
    {"task_rebate", "刷单返利"},
    {"fake_investment", "虚假网络投资理财"},
    {"fake_shopping", "虚假购物服务"},
    {"fake_customer_service", "冒充电商物流客服"},
    {"fake_loan", "虚假网络贷款"},
    {"fake_credit_repair", "虚假征信"},
    {"impersonate_boss", "冒充领导熟人"},
    {"impersonate_authority", "冒充公检法及政府机关"},
    {"romance", "网络婚恋交友"},
    {"game_trade", "网络游戏产品虚假交易"},
};

bool ValidCode(std::string_view code) {
  return !code.empty() && code.size() <= 32 && std::all_of(code.begin(), code.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

}  // namespace

FraudTypeRegistry FraudTypeRegistry::WithBuiltins() {
  FraudTypeRegistry registry;
  for (const Builtin& b : kBuiltins) {
    auto id = static_cast<uint16_t>(registry.types_.size());
    registry.types_.push_back({FraudType{id}, b.code, b.name_zh, true});
    registry.by_name_.emplace(b.code, id);
    registry.by_name_.emplace(b.name_zh, id);
  }
  registry.by_name_.emplace("杀猪盘", 9);  // common name of 网络婚恋交友
  return registry;
}

StatusOr<FraudType> FraudTypeRegistry::Add(std::string_view code, std::string_view name_zh) {
  if (!ValidCode(code)) {
    return absl::InvalidArgumentError(
        StrCat("fraud type code '", code, "' must match [a-z0-9_]{1,32}"));
  }
  if (name_zh.empty()) return absl::InvalidArgumentError("fraud type name must not be empty");
  if (by_name_.count(std::string(code)) || by_name_.count(std::string(name_zh))) {
    return absl::AlreadyExistsError(
        StrCat("fraud type '", code, "' / '", name_zh, "' already exists"));
  }
  if (types_.size() >= UINT16_MAX) return absl::ResourceExhaustedError("too many fraud types");
  auto id = static_cast<uint16_t>(types_.size());
  types_.push_back({FraudType{id}, std::string(code), std::string(name_zh), false});
  by_name_.emplace(code, id);
  by_name_.emplace(name_zh, id);
  return FraudType{id};
}

std::optional<FraudType> FraudTypeRegistry::Find(std::string_view code_or_name) const {
  auto it = by_name_.find(std::string(code_or_name));
  if (it == by_name_.end()) return std::nullopt;
  return FraudType{it->second};
}

StatusOr<FraudType> FraudTypeRegistry::Parse(std::string_view code_or_name) const {
  if (std::optional<FraudType> t = Find(code_or_name)) return *t;
  std::string codes;
  for (const FraudTypeInfo& info : types_) StrAppend(&codes, codes.empty() ? "" : ", ", info.code);
  return absl::InvalidArgumentError(
      StrCat("unknown fraud type '", code_or_name, "'; known: ", codes));
}

const FraudTypeInfo& FraudTypeRegistry::Info(FraudType type) const {
  return type.id < types_.size() ? types_[type.id] : types_[0];
}

}  // namespace fz::model
