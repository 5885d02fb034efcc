// model_explorer_bench.cc -- throughput of the explicit engine on the smpboot model, and of
// its hot path (unpack, successors, pack, fingerprint).
//
// Target (for bench/BUILD):
//   cc_binary(name = "model_explorer_bench", srcs = ["model_explorer_bench.cc"],
//             deps = ["//checker/explicit", "//model", "@benchmark//:benchmark_main"])
// Run: bazel run //bench:model_explorer_bench
#include <benchmark/benchmark.h>

#include "checker/explicit/explorer.h"
#include "model/model.h"

namespace kthcheck::model {
namespace {

// Whole BFS runs; items/s is states stored per second.
void BM_ExploreFaithful(benchmark::State& state) {
  Params p{static_cast<int>(state.range(0)), static_cast<int>(state.range(1)),
           static_cast<int>(state.range(2)), Variant::kFaithful};
  SmpbootSpec spec(p);
  std::uint64_t stored = 0;
  for (auto _ : state) {
    explicit_engine::Result r = explicit_engine::Explore(spec, explicit_engine::Options{});
    stored += r.stats.states_stored;
    benchmark::DoNotOptimize(r.stats.transitions);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(stored));
}
BENCHMARK(BM_ExploreFaithful)
    ->Args({1, 1, 1})
    ->Args({2, 1, 1})
    ->Args({2, 2, 2})
    ->Unit(benchmark::kMillisecond);

void BM_ExploreFingerprint(benchmark::State& state) {
  SmpbootSpec spec(Params{2, 2, 2, Variant::kFaithful});
  explicit_engine::Options o;
  o.store = explicit_engine::StoreMode::kFingerprint;
  for (auto _ : state)
    benchmark::DoNotOptimize(explicit_engine::Explore(spec, o).stats.states_stored);
}
BENCHMARK(BM_ExploreFingerprint)->Unit(benchmark::kMillisecond);

// BFS of N=2 H=2 W=2 (521,392 states) on 1 thread (the sequential engine) and on 2 and 4
// (parallel_bfs.h), in wall-clock time: the ratio is the parallel speedup.
void BM_ExploreThreads(benchmark::State& state) {
  SmpbootSpec spec(Params{2, 2, 2, Variant::kFaithful});
  explicit_engine::Options o;
  o.threads = static_cast<int>(state.range(0));
  std::uint64_t stored = 0;
  for (auto _ : state) stored += explicit_engine::Explore(spec, o).stats.states_stored;
  state.SetItemsProcessed(static_cast<std::int64_t>(stored));
}
BENCHMARK(BM_ExploreThreads)->Arg(1)->Arg(2)->Arg(4)->UseRealTime()->Unit(benchmark::kMillisecond);

// One expansion of a mid-run state: the engine's inner loop.
void BM_ExpandState(benchmark::State& state) {
  Params p{4, 2, 2, Variant::kFaithful};
  SmpbootSpec spec(p);
  Packed s = spec.InitialStates()[0];
  for (int i = 0; i < 20; ++i) {  // walk into registration so several steps are enabled
    Packed next = s;
    spec.ForEachSuccessor(s, [&](std::uint32_t, const Packed& n) { next = n; });
    s = next;
  }
  for (auto _ : state) {
    std::uint64_t h = 0;
    spec.ForEachSuccessor(s, [&](std::uint32_t, const Packed& n) { h ^= spec.Fingerprint(n); });
    benchmark::DoNotOptimize(h);
  }
}
BENCHMARK(BM_ExpandState);

}  // namespace
}  // namespace kthcheck::model
