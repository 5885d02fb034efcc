// Proves the offline toolchain: each Debian library compiles, links and runs.
#include <gtest/gtest.h>  // must precede <rapidcheck/gtest.h>
#include <rapidcheck/gtest.h>

#include <absl/container/flat_hash_set.h>
#include <fmt/core.h>
#include <xxhash.h>
#include <z3++.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <boost/context/fiber.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace {

TEST(Toolchain, Cxx20) {
  // A C++20-only feature, to prove --cxxopt=-std=c++20 is in effect.
  static_assert(__cplusplus >= 202002L);
  std::vector<int> v{3, 1, 2};
  std::ranges::sort(v);
  EXPECT_EQ(v, (std::vector<int>{1, 2, 3}));
}

RC_GTEST_PROP(Toolchain, ReverseTwiceIsIdentity, (std::vector<int> xs)) {
  auto ys = xs;
  std::reverse(ys.begin(), ys.end());
  std::reverse(ys.begin(), ys.end());
  RC_ASSERT(xs == ys);
}

TEST(Toolchain, Z3SolvesIntegerBounds) {
  z3::context ctx;
  z3::solver solver(ctx);
  z3::expr x = ctx.int_const("x");
  solver.add(x > 2 && x < 4);
  ASSERT_EQ(solver.check(), z3::sat);
  EXPECT_EQ(solver.get_model().eval(x).get_numeral_int(), 3);

  solver.add(x != 3);
  EXPECT_EQ(solver.check(), z3::unsat);
}

TEST(Toolchain, BoostContextFiberSwitches) {
  namespace ctx = boost::context;
  std::vector<int> trace;
  ctx::fiber f{[&trace](ctx::fiber&& main) {
    trace.push_back(1);
    main = std::move(main).resume();  // back to the test, then resumed
    trace.push_back(3);
    return std::move(main);
  }};
  f = std::move(f).resume();
  trace.push_back(2);
  f = std::move(f).resume();
  EXPECT_FALSE(f);  // the fiber has finished
  EXPECT_EQ(trace, (std::vector<int>{1, 2, 3}));
}

TEST(Toolchain, JsonRoundTrip) {
  nlohmann::json j = {{"task", "kthreadd"}, {"cpu", 1}, {"states", {1, 2, 64}}};
  auto back = nlohmann::json::parse(j.dump());
  EXPECT_EQ(back, j);
  EXPECT_EQ(back["states"][2].get<int>(), 64);
}

TEST(Toolchain, FmtFormats) {
  EXPECT_EQ(fmt::format("{}@cpu{} {:#x}", "kworker", 3, 0x402), "kworker@cpu3 0x402");
}

TEST(Toolchain, Cli11Parses) {
  CLI::App app{"toolchain"};
  int cpus = 0;
  app.add_option("--cpus", cpus);
  const char* argv[] = {"prog", "--cpus", "4"};
  app.parse(3, argv);
  EXPECT_EQ(cpus, 4);
}

TEST(Toolchain, XxhashAndAbseil) {
  const std::string s = "kthread_park";
  EXPECT_EQ(XXH3_64bits(s.data(), s.size()), XXH3_64bits(s.data(), s.size()));
  EXPECT_NE(XXH3_64bits(s.data(), s.size()), XXH3_64bits("kthread_stop", 12));

  absl::flat_hash_set<std::string> seen;
  EXPECT_TRUE(seen.insert(s).second);
  EXPECT_FALSE(seen.insert(s).second);
  EXPECT_EQ(seen.size(), 1u);
}

}  // namespace
