#include "fuzz/counters.h"

namespace kt::fuzz {
namespace {

// libFuzzer finds the section through __start_/__stop___libfuzzer_extra_counters.
__attribute__((section("__libfuzzer_extra_counters"), used)) uint8_t counters[kCounters];

struct NameCacheEntry {
  const char* s;
  uint64_t h;
};
NameCacheEntry name_cache[512];

}  // namespace

void HitFeature(uint64_t h) {
  uint8_t& c = counters[h & (kCounters - 1)];
  if (c != 255) ++c;
}

size_t CountersSet() {
  size_t n = 0;
  for (uint8_t c : counters) n += c != 0;
  return n;
}

uint64_t StringHash(std::string_view s) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
  return h;
}

uint64_t NameHash(const char* s) {
  if (!s) return 0;
  NameCacheEntry& e = name_cache[(reinterpret_cast<uintptr_t>(s) >> 3) % 512];
  if (e.s == s) return e.h;
  e = {s, StringHash(s)};
  return e.h;
}

}  // namespace kt::fuzz
