// api_program_test -- api_sequence's operation programs (impl/modules/api_program.h):
// parsing refuses what is not a program with one line; legalizing drops exactly the calls
// that would break a kthread API contract, repairs a destroy with its cancel, and is
// idempotent, so the program a token carries is the program that runs.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <string>
#include <vector>

#include "impl/modules/api_program.h"

namespace kt {
namespace {

std::string Legal(const std::string& text, int cpus = 2) {
  std::string error;
  std::string out = CanonicalApiProgram(text, cpus, &error);
  EXPECT_EQ(error, "") << text;
  return out;
}

TEST(ApiProgramTest, KeepsLegalCallsInOrder) {
  EXPECT_EQ(Legal(kDefaultApiProgram), kDefaultApiProgram);
  EXPECT_EQ(Legal("c0p0u0s0"), "c0p0u0s0");  // park before the first wakeup is legal
  EXPECT_EQ(Legal("o4w1p1u1s1"), "o4w1p1u1s1");
  EXPECT_EQ(Legal("k1q0i0q0j0h0x0t0"), "k1q0i0q0j0h0x0t0");
}

TEST(ApiProgramTest, DropsCallsThatBreakAContract) {
  // A second park WARNs (-EBUSY); unpark only after park; kthread_stop once per thread.
  EXPECT_EQ(Legal("r0p0p0u0u0s0s0"), "r0p0u0s0");
  // kthread_bind only before the first wakeup (or park) of a created thread.
  EXPECT_EQ(Legal("r0b3"), "r0");
  EXPECT_EQ(Legal("c0p0b3"), "c0p0");
  EXPECT_EQ(Legal("c0b3w0"), "c0b3w0");
  // Calls on a slot with no thread, and a create on a live slot.
  EXPECT_EQ(Legal("w1p1s1r1r1"), "r1");
  // The freezable loop does not park.
  EXPECT_EQ(Legal("z0p0"), "z0");
  // While frozen: no stop of a freezable thread, nothing that waits on a freezable worker.
  EXPECT_EQ(Legal("z0i0s0j0s0"), "z0i0j0s0");
  EXPECT_EQ(Legal("k1l0i0v0y0h0x0t0j0t0"), "k1l0i0j0y0t0");
  // No second freeze; no thaw unless frozen.
  EXPECT_EQ(Legal("j0i0i0j0j0"), "i0j0");
  // Worker calls only while a worker exists.
  EXPECT_EQ(Legal("q0l0k0t0q0"), "k0t0");
}

TEST(ApiProgramTest, HotplugNeedsASecondCpuAndTracksOnline) {
  EXPECT_EQ(Legal("d0e0", 1), "");
  EXPECT_EQ(Legal("e0d0d0e0e0", 2), "d0e0");
  EXPECT_EQ(Legal("d0d1e2e3", 3), "d0d1e2e3");  // CPUs 1, 2 down, then 1, 2 up
}

TEST(ApiProgramTest, DestroyGetsItsCancel) {
  // kthread_destroy_worker() WARNs on a non-empty delayed_work_list.
  EXPECT_EQ(Legal("k0l0t0"), "k0l0y0t0");
  EXPECT_EQ(Legal("k0l0y0t0"), "k0l0y0t0");
  EXPECT_EQ(Legal("k0q0t0"), "k0q0t0");
}

TEST(ApiProgramTest, BoundsThreadsWorkersAndLength) {
  EXPECT_EQ(Legal("r0s0r0s0r0s0r0s0r0s0r0s0r0s0"), "r0s0r0s0r0s0r0s0r0s0r0s0");
  EXPECT_EQ(Legal("k0t0k0t0k0t0"), "k0t0k0t0");
}

TEST(ApiProgramTest, RefusesTextThatIsNotAProgramWithOneLine) {
  const std::string too_long(2 * kMaxApiOps + 2, 'm');
  for (const std::string& bad : {std::string("r"), std::string("r0x"), std::string("Q0"),
                                 std::string("r0 "), std::string("rr"), too_long}) {
    std::vector<ApiOp> ops;
    std::string error;
    EXPECT_FALSE(ParseApiProgram(bad, &ops, &error)) << bad;
    EXPECT_NE(error, "") << bad;
    EXPECT_EQ(error.find('\n'), std::string::npos) << error;
  }
}

// Every byte is an operation, and its letter and digit survive the text.
TEST(ApiProgramTest, EveryByteIsAnOperation) {
  for (int b = 0; b < 256; ++b) {
    ApiOp op = ApiOpFromByte(static_cast<uint8_t>(b));
    std::vector<ApiOp> back;
    std::string error;
    ASSERT_TRUE(ParseApiProgram(ApiProgramText({op}), &back, &error)) << error;
    EXPECT_EQ(back[0].op, op.op);
    EXPECT_EQ(back[0].arg, op.arg);
  }
}

RC_GTEST_PROP(ApiProgramProperty, LegalizingIsIdempotentAndBounded, (std::vector<uint8_t> bytes)) {
  const int cpus = *rc::gen::inRange(1, 5);
  std::vector<ApiOp> ops;
  for (uint8_t b : bytes) ops.push_back(ApiOpFromByte(b));
  std::vector<ApiOp> legal = LegalizeApiProgram(ops, cpus);
  RC_ASSERT(legal.size() <= static_cast<size_t>(kMaxApiOps));
  std::string text = ApiProgramText(legal), error;
  RC_ASSERT(CanonicalApiProgram(text, cpus, &error) == text);
  RC_ASSERT(error.empty());
}

}  // namespace
}  // namespace kt
