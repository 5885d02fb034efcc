// random_driver -- a tiny stand-in for libFuzzer's main(): calls LLVMFuzzerTestOneInput on
// uniformly random inputs, or on the files named on the command line. No coverage
// guidance and no instrumentation, so it builds in the default configuration; the time-to-
// find guard test (fuzz/ttf_guard_test.sh) uses it, and it reproduces crash files without
// --config=fuzz.
//
//   <fuzzer>_random [-seed=S] [-runs=N] [-max_len=L] [FILE_OR_DIR...]
//
// Random input i has a length uniform in [0, L] and uniform bytes, from splitmix64 seeded
// with S (default 1), so a run is reproducible. When the target aborts (a finding), the
// SIGABRT handler first prints "random_driver: input #i (seed S) aborted" so scripts can
// count the inputs it took.
#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

uint64_t g_seed = 1;
volatile uint64_t g_input = 0;

uint64_t SplitMix(uint64_t* state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

void OnAbort(int) {
  char buf[128];
  int n = std::snprintf(buf, sizeof buf, "random_driver: input #%llu (seed %llu) aborted\n",
                        static_cast<unsigned long long>(g_input),
                        static_cast<unsigned long long>(g_seed));
  if (n > 0) (void)!write(2, buf, static_cast<size_t>(n));
  signal(SIGABRT, SIG_DFL);
  raise(SIGABRT);
}

void RunFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::fprintf(stderr, "random_driver: running %s (%zu bytes)\n", path.c_str(), bytes.size());
  LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
}

void RunPath(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    std::fprintf(stderr, "random_driver: %s: no such file or directory\n", path.c_str());
    std::exit(2);
  }
  if (!S_ISDIR(st.st_mode)) return RunFile(path);
  DIR* d = opendir(path.c_str());
  std::vector<std::string> names;
  while (dirent* e = d ? readdir(d) : nullptr)
    if (e->d_name[0] != '.') names.push_back(path + "/" + e->d_name);
  if (d) closedir(d);
  for (const std::string& n : names) RunPath(n);
}

bool Flag(const char* arg, const char* name, uint64_t* value) {
  size_t n = std::strlen(name);
  if (std::strncmp(arg, name, n) != 0 || arg[n] != '=') return false;
  *value = std::strtoull(arg + n + 1, nullptr, 10);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t runs = 100000, max_len = 512;
  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) {
    if (Flag(argv[i], "-seed", &g_seed) || Flag(argv[i], "-runs", &runs) ||
        Flag(argv[i], "-max_len", &max_len))
      continue;
    if (argv[i][0] == '-') {
      std::fprintf(stderr, "random_driver: unknown flag %s (-seed=, -runs=, -max_len=)\n",
                   argv[i]);
      return 2;
    }
    paths.push_back(argv[i]);
  }
  signal(SIGABRT, OnAbort);
  if (!paths.empty()) {
    for (const std::string& p : paths) RunPath(p);
    return 0;
  }
  uint64_t state = g_seed;
  std::vector<uint8_t> input;
  for (uint64_t i = 0; i < runs; g_input = ++i) {
    input.resize(SplitMix(&state) % (max_len + 1));
    for (uint8_t& b : input) b = static_cast<uint8_t>(SplitMix(&state));
    LLVMFuzzerTestOneInput(input.data(), input.size());
  }
  std::fprintf(stderr, "random_driver: %llu inputs, no abort\n",
               static_cast<unsigned long long>(runs));
  return 0;
}
