// fanzha: one binary, one subcommand per job. This file only wires subcommands together;
// each lives in its own *_command.cc.
#include <iostream>

#include "CLI/CLI.hpp"
#include "fz/cli/demo_command.h"
#include "fz/cli/detect_command.h"
#include "fz/cli/eval_command.h"
#include "fz/cli/gen_command.h"
#include "fz/cli/ingest_command.h"
#include "fz/cli/inspect_command.h"
#include "fz/cli/store_admin_command.h"
#include "fz/cli/units_command.h"
#include "fz/cli/users_command.h"
#include "fz/cli/warnings_command.h"

int main(int argc, char** argv) {
  CLI::App app("fanzha (反诈): anti-telecom-fraud early warning and dissuasion", "fanzha");
  app.require_subcommand(1);
  app.set_version_flag("--version", "fanzha 0.1.0");
  int exit_code = 0;
  fz::cli::AddInspectCommand(app, exit_code);
  fz::cli::AddUnitsCommand(app, exit_code);
  fz::cli::AddDemoCommand(app, exit_code);
  fz::cli::AddDetectCommand(app, exit_code);
  fz::cli::AddBacktestCommand(app, exit_code);
  fz::cli::AddGenCommand(app, exit_code);
  fz::cli::AddEvalCommand(app, exit_code);
  fz::cli::AddIngestCommand(app, exit_code);
  fz::cli::AddWarningsCommand(app, exit_code);
  fz::cli::AddKpiCommand(app, exit_code);
  fz::cli::AddDbCommand(app, exit_code);
  fz::cli::AddAuditCommand(app, exit_code);
  fz::cli::AddUsersCommand(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return exit_code;
}
