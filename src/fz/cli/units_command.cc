#include "fz/cli/units_command.h"

#include <fstream>
#include <iostream>
#include <memory>

#include "fz/common/str_cat.h"
#include "fz/units/units_file.h"
#include "fz/units/yinchuan_seed.h"

namespace fz::cli {
namespace {

struct UnitsOptions {
  std::string file;
  std::string out;
};

void PrintTree(const units::UnitTree& tree, const model::Unit& unit, int depth) {
  std::cout << std::string(static_cast<size_t>(depth) * 2, ' ') << unit.code.value() << "  "
            << unit.name << "  (" << model::UnitLevelNameZh(unit.level) << ")\n";
  for (const model::Unit* child : tree.Children(unit.code)) PrintTree(tree, *child, depth + 1);
}

void PrintSummary(const units::UnitTree& tree, std::string_view source) {
  std::cout << source << ": " << tree.size() << " units — " << tree.Root()->name << ", "
            << tree.CountAtLevel(model::UnitLevel::kDistrict) << " districts/counties, "
            << tree.CountAtLevel(model::UnitLevel::kStation) << " police stations, "
            << tree.CountAtLevel(model::UnitLevel::kCommunity) << " communities\n";
}

StatusOr<units::UnitTree> LoadOrSeed(const std::string& file) {
  return file.empty() ? units::YinchuanSeed() : units::LoadUnitsFile(file);
}

int Fail(const Status& status) {
  std::cerr << "fanzha units: " << status.message() << "\n";
  return 2;
}

}  // namespace

void AddUnitsCommand(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<UnitsOptions>();
  CLI::App* units = app.add_subcommand("units", "Police unit tree: validate, show, export");
  units->require_subcommand(1);

  CLI::App* load = units->add_subcommand(
      "load", "Validate a units file (code,name,parent_code,level[,division_code]) and summarize");
  load->add_option("FILE", options->file, "units CSV file")->required();
  load->callback([options, &exit_code] {
    StatusOr<units::UnitTree> tree = units::LoadUnitsFile(options->file);
    if (!tree.ok()) {
      exit_code = Fail(tree.status());
      return;
    }
    PrintSummary(*tree, options->file);
  });

  CLI::App* show = units->add_subcommand("show", "Print the unit tree (default: Yinchuan seed)");
  show->add_option("--file", options->file, "units CSV file instead of the built-in seed");
  show->callback([options, &exit_code] {
    StatusOr<units::UnitTree> tree = LoadOrSeed(options->file);
    if (!tree.ok()) {
      exit_code = Fail(tree.status());
      return;
    }
    PrintSummary(*tree, options->file.empty() ? "built-in Yinchuan seed" : options->file);
    PrintTree(*tree, *tree->Root(), 0);
  });

  CLI::App* seed = units->add_subcommand("export-seed", "Write the built-in Yinchuan seed as CSV");
  seed->add_option("--out", options->out, "output file (default: standard output)");
  seed->callback([options, &exit_code] {
    StatusOr<units::UnitTree> tree = units::YinchuanSeed();
    if (!tree.ok()) {
      exit_code = Fail(tree.status());
      return;
    }
    std::string csv = StrCat(
        "# Yinchuan (银川市, 640100) units: the city bureau, its 6 district/county bureaus and\n"
        "# one police station per street/town. ILLUSTRATIVE: no public list of Yinchuan's\n"
        "# police stations exists, so each station is named after the township it covers.\n"
        "# Replace this file with your own units (fanzha units load FILE).\n",
        units::UnitsToCsv(*tree));
    if (options->out.empty()) {
      std::cout << csv;
      return;
    }
    std::ofstream out(options->out, std::ios::binary);
    out << csv;
    if (!out) exit_code = Fail(absl::UnavailableError(StrCat("cannot write ", options->out)));
  });
}

}  // namespace fz::cli
