// Replays a libFuzzer seed corpus through LLVMFuzzerTestOneInput, so that every build
// configuration (including g++ release, which has no libFuzzer) exercises the fuzz targets.
//
// Usage: NAME_replay PATH...   where each PATH is a file or a directory of files.

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

int ReplayFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "replay: cannot read %s\n", path.c_str());
    return 1;
  }
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  int files = 0;
  int errors = 0;
  for (int i = 1; i < argc; ++i) {
    std::filesystem::path root(argv[i]);
    if (std::filesystem::is_directory(root)) {
      for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
        if (!entry.is_regular_file()) continue;
        errors += ReplayFile(entry.path());
        ++files;
      }
    } else {
      errors += ReplayFile(root);
      ++files;
    }
  }
  if (files == 0) {
    std::fprintf(stderr, "replay: no corpus files found (an empty corpus tests nothing)\n");
    return 1;
  }
  std::printf("replayed %d corpus files, %d unreadable\n", files, errors);
  return errors == 0 ? 0 : 1;
}
