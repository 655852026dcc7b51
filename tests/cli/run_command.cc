#include "tests/cli/run_command.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace fz::testing {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace

CommandResult RunFanzha(const std::vector<std::string>& args, const std::string& stdin_text) {
  char in_path[] = "/tmp/fz_cli_in_XXXXXX";
  int in_fd = -1;
  if (!stdin_text.empty()) {
    in_fd = mkstemp(in_path);
    std::ofstream(in_path, std::ios::binary) << stdin_text;
  }
  char out_path[] = "/tmp/fz_cli_out_XXXXXX";
  char err_path[] = "/tmp/fz_cli_err_XXXXXX";
  int out_fd = mkstemp(out_path);
  int err_fd = mkstemp(err_path);
  CommandResult result;
  pid_t pid = fork();
  if (pid == 0) {
    if (in_fd >= 0) dup2(in_fd, STDIN_FILENO);
    dup2(out_fd, STDOUT_FILENO);
    dup2(err_fd, STDERR_FILENO);
    std::vector<char*> argv;
    std::string bin = FZ_FANZHA_BIN;
    argv.push_back(bin.data());
    std::vector<std::string> copies = args;
    for (std::string& a : copies) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(bin.c_str(), argv.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  close(out_fd);
  close(err_fd);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = ReadAll(out_path);
  result.err = ReadAll(err_path);
  unlink(out_path);
  unlink(err_path);
  if (in_fd >= 0) {
    close(in_fd);
    unlink(in_path);
  }
  return result;
}

}  // namespace fz::testing
