// Runs the fanzha binary with arguments and captures its exit code, stdout and stderr.
#pragma once

#include <string>
#include <vector>

namespace fz::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs FZ_FANZHA_BIN with `args` (no shell: arguments are passed as they are). A non-empty
// `stdin_text` is what the command reads on standard input.
CommandResult RunFanzha(const std::vector<std::string>& args, const std::string& stdin_text = "");

}  // namespace fz::testing
