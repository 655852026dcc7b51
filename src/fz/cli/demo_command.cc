#include "fz/cli/demo_command.h"

#include <iostream>
#include <string>
#include <vector>

#include "fz/cli/inspect_json.h"
#include "fz/common/str_cat.h"
#include "fz/normalize/id_card.h"
#include "fz/units/yinchuan_seed.h"

namespace fz::cli {
namespace {

using nlohmann::json;

// Terminal columns taken by UTF-8 text: CJK and full-width characters take two.
size_t DisplayWidth(std::string_view text) {
  size_t width = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    auto byte = static_cast<unsigned char>(text[i]);
    if ((byte & 0xC0) == 0x80) continue;  // continuation byte
    width += byte >= 0xE1 ? 2 : 1;        // U+1000 and up: CJK, full-width forms
  }
  return width;
}

// One line per sample: the input, then the facts an officer cares about.
void PrintRow(std::string_view kind, std::string_view input, const StatusOr<json>& result,
              std::string_view summary) {
  std::cout << "  " << kind << std::string(8 - kind.size(), ' ') << input;
  size_t width = DisplayWidth(input);
  std::cout << std::string(width < 26 ? 26 - width : 1, ' ');
  if (!result.ok()) {
    std::cout << "✗ " << result.status().message() << "\n";
    return;
  }
  std::cout << "→ " << summary << "\n";
}

std::string Str(const json& j, const char* key) {
  if (!j.contains(key)) return "";
  return j[key].is_string() ? j[key].get<std::string>() : j[key].dump();
}

void ShowPhones() {
  std::cout << "Phone numbers (E.164, type, home area 归属地 → GB/T 2260 city code, flags):\n";
  for (const char* raw :
       {"13895101234", "+86 138 9510 1234", "008613895101234", "0951-5012345", "(010)12345678",
        "１３９１２３４５６７８", "95588", "96110", "400-812-3123", "+855 17 652 903",
        "00639171234567", "A3F1C2D4E5F60718293A4B5C6D7E8F90", "110", "1389510"}) {
    StatusOr<json> r = InspectPhone(raw);
    std::string summary;
    if (r.ok()) {
      const json& j = *r;
      summary = StrCat(Str(j, "canonical"), "  ", Str(j, "kind"));
      if (!j["valid"].get<bool>() && Str(j, "kind") != "opaque")
        StrAppend(&summary, " (not a valid number)");
      if (!Str(j, "area_name").empty()) StrAppend(&summary, "  ", Str(j, "area_name"));
      if (!Str(j, "city_code").empty()) StrAppend(&summary, " (", Str(j, "city_code"), ")");
      for (const auto& flag : j["flags"]) StrAppend(&summary, "  [", flag.get<std::string>(), "]");
    }
    PrintRow("phone", raw, r, summary);
  }
}

void ShowIdentities() {
  std::cout << "\nID numbers, bank cards, domains, URLs:\n";
  std::string id =
      StrCat("64010419850307123", std::string(1, normalize::IdCardCheckDigit("64010419850307123")));
  StatusOr<json> r = InspectIdCard(id, TodayInChina());
  PrintRow("id", id, r,
           r.ok() ? StrCat(Str(*r, "division_name"), "  born ", Str(*r, "birth_date"), "  age ",
                           Str(*r, "age"), "  ", Str(*r, "sex"))
                  : "");
  std::string bad_id = id.substr(0, 17) + (id[17] == '0' ? "1" : "0");
  PrintRow("id", bad_id, InspectIdCard(bad_id, TodayInChina()), "");
  for (const char* card : {"6222021234567890128", "6214171234567890123", "6228481234567890"}) {
    r = InspectBankCard(card);
    PrintRow("card", card, r,
             r.ok() ? StrCat(Str(*r, "bank_name"), " (", Str(*r, "bank_code"), ")  ",
                             Str(*r, "card_type"), "  luhn=", Str(*r, "luhn_valid"))
                    : "");
  }
  for (const char* domain : {"WWW.ICBC-Verify.COM.CN.", "中国银行.中国", "bad..example"}) {
    r = InspectDomain(domain);
    PrintRow(
        "domain", domain, r,
        r.ok() ? StrCat(Str(*r, "domain"), "  registrable=", Str(*r, "registrable_domain")) : "");
  }
  for (const char* url : {"HTTP://Pay.Example.COM:80/a/../refund?id=1#top", "10.0.0.1:8080/x"}) {
    r = InspectUrl(url);
    PrintRow("url", url, r, r.ok() ? Str(*r, "url") : "");
  }
}

void PrintUnit(const units::UnitTree& tree, const model::Unit& unit, int depth) {
  std::cout << "  " << std::string(static_cast<size_t>(depth) * 2, ' ') << unit.code.value() << "  "
            << unit.name << "\n";
  for (const model::Unit* child : tree.Children(unit.code)) PrintUnit(tree, *child, depth + 1);
}

int ShowUnits() {
  StatusOr<units::UnitTree> tree = units::YinchuanSeed();
  if (!tree.ok()) {
    std::cerr << "fanzha demo: " << tree.status().message() << "\n";
    return 1;
  }
  std::cout << "\nYinchuan unit tree (built-in seed; stations are illustrative, one per street/"
               "town): "
            << tree->size() << " units\n";
  PrintUnit(*tree, *tree->Root(), 0);
  return 0;
}

}  // namespace

void AddDemoCommand(CLI::App& app, int& exit_code) {
  CLI::App* demo = app.add_subcommand("demo", "Show sample normalizations and the Yinchuan units");
  demo->callback([&exit_code] {
    std::cout << "fanzha demo — 反诈预警劝阻平台\n\n";
    ShowPhones();
    ShowIdentities();
    exit_code = ShowUnits();
  });
}

}  // namespace fz::cli
