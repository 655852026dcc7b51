#include "fz/cli/inspect_json.h"

#include "absl/time/clock.h"
#include "fz/common/str_cat.h"
#include "fz/normalize/bank_card.h"
#include "fz/normalize/divisions.h"
#include "fz/normalize/domain.h"
#include "fz/normalize/id_card.h"
#include "fz/normalize/ip.h"
#include "fz/normalize/phone.h"
#include "fz/normalize/url.h"

namespace fz::cli {

using nlohmann::json;
namespace nz = fz::normalize;

namespace {

json IpJson(const nz::IpInfo& ip) {
  return {{"canonical", ip.canonical},
          {"version", ip.version},
          {"is_private", ip.is_private},
          {"is_loopback", ip.is_loopback},
          {"is_reserved", ip.is_reserved}};
}

json DomainJson(const nz::DomainInfo& d) {
  return {{"domain", d.domain},
          {"unicode", d.unicode},
          {"registrable_domain", d.registrable_domain},
          {"public_suffix", d.public_suffix},
          {"is_idn", d.is_idn}};
}

}  // namespace

absl::CivilDay TodayInChina() {
  return absl::ToCivilDay(absl::Now(), absl::FixedTimeZone(8 * 3600));
}

StatusOr<json> InspectPhone(std::string_view value) {
  FZ_ASSIGN_OR_RETURN(nz::PhoneInfo p, nz::NormalizePhone(value));
  json j = {{"type", "phone"},
            {"input", value},
            {"canonical", p.canonical},
            {"valid", p.valid},
            {"kind", nz::PhoneKindName(p.kind)},
            {"country_code", p.country_code},
            {"international", p.international},
            {"area_name", p.area_name},
            {"city_code", p.city_code},
            {"flags", p.flags}};
  if (!p.city_code.empty()) {
    j["city_full_name"] = nz::DivisionTable::Builtin().FullName(p.city_code);
  }
  return j;
}

StatusOr<json> InspectIdCard(std::string_view value, absl::CivilDay today) {
  FZ_ASSIGN_OR_RETURN(nz::IdCardInfo id, nz::NormalizeIdCard(value, today));
  return json{{"type", "id"},
              {"number", id.number},
              {"valid", true},
              {"birth_date", absl::FormatCivilTime(id.birth_date)},
              {"age", id.age},
              {"age_at", absl::FormatCivilTime(today)},
              {"sex", std::string(1, id.sex)},
              {"division_code", id.division_code},
              {"division_name", id.division_name},
              {"division_match", nz::DivisionMatchName(id.division_match)},
              {"converted_from_15", id.converted_from_15}};
}

StatusOr<json> InspectBankCard(std::string_view value) {
  FZ_ASSIGN_OR_RETURN(nz::BankCardInfo c, nz::NormalizeBankCard(value));
  return json{{"type", "card"},
              {"number", c.number},
              {"luhn_valid", c.luhn_valid},
              {"bin", c.bin},
              {"bank_code", c.bank_code},
              {"bank_name", c.bank_name},
              {"card_type", nz::CardTypeName(c.card_type)},
              {"length_matches_bin", c.length_matches_bin}};
}

StatusOr<json> InspectDomain(std::string_view value) {
  FZ_ASSIGN_OR_RETURN(nz::DomainInfo d, nz::NormalizeDomain(value));
  json j = DomainJson(d);
  j["type"] = "domain";
  j["valid"] = true;
  return j;
}

StatusOr<json> InspectUrl(std::string_view value) {
  FZ_ASSIGN_OR_RETURN(nz::UrlInfo u, nz::NormalizeUrl(value));
  json j = {{"type", "url"},
            {"valid", true},
            {"url", u.url},
            {"scheme", u.scheme},
            {"host", u.host},
            {"port", u.port},
            {"path_and_query", u.path_and_query}};
  if (u.domain) j["domain"] = DomainJson(*u.domain);
  if (u.ip) j["ip"] = IpJson(*u.ip);
  return j;
}

StatusOr<json> InspectIp(std::string_view value) {
  FZ_ASSIGN_OR_RETURN(nz::IpInfo ip, nz::NormalizeIp(value));
  json j = IpJson(ip);
  j["type"] = "ip";
  j["valid"] = true;
  return j;
}

}  // namespace fz::cli
