// codec_property_test -- rapidcheck properties of the schedule token codec
// (checker/explore/schedule.h), the machine input every finding is replayed from:
//   - every token (program, params, choices) survives EncodeToken -> DecodeToken, and
//     its text is a fixed point of decode+encode, made only of [A-Za-z0-9_:=,.-];
//   - a token built by the CLI (MakeToken) for any target of the catalog decodes to the
//     same target (TargetFromToken);
//   - arbitrary text never crashes the decoder: it is rejected with one line of error
//     text, or accepted and then re-encodes to a token that decodes to the same value.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cctype>
#include <string>
#include <utility>
#include <vector>

#include "checker/cli/kernel_program.h"
#include "checker/explore/schedule.h"
#include "impl/modules/api_program.h"

namespace kt::explore {
namespace {

const std::string kNameChars =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.";

rc::Gen<std::string> GenName() {
  return rc::gen::nonEmpty(rc::gen::container<std::string>(rc::gen::elementOf(kNameChars)));
}

rc::Gen<ScheduleToken> GenToken() {
  return rc::gen::apply(
      [](std::string program, std::vector<std::pair<std::string, std::string>> params,
         std::vector<TaskId> choices) {
        return ScheduleToken{std::move(program), std::move(params), std::move(choices)};
      },
      GenName(), rc::gen::container<std::vector<std::pair<std::string, std::string>>>(
                     rc::gen::pair(GenName(), GenName())),
      rc::gen::nonEmpty(rc::gen::container<std::vector<TaskId>>(
          // Long runs of one task as well as every task id 0-31.
          rc::gen::weightedOneOf<TaskId>({{3, rc::gen::inRange<TaskId>(0, 4)},
                                          {1, rc::gen::inRange<TaskId>(0, 32)}}))));
}

RC_GTEST_PROP(CodecPropertyTest, EveryTokenRoundTrips, ()) {
  ScheduleToken t = *GenToken();
  std::string text = EncodeToken(t);
  std::string error;
  std::optional<ScheduleToken> back = DecodeToken(text, &error);
  RC_ASSERT(back.has_value());
  RC_ASSERT(back->program == t.program);
  RC_ASSERT(back->params == t.params);
  RC_ASSERT(back->choices == t.choices);
  RC_ASSERT(EncodeToken(*back) == text);
  for (char c : text)
    RC_ASSERT(std::isalnum(static_cast<unsigned char>(c)) ||
              std::string("_:=,.-").find(c) != std::string::npos);
}

RC_GTEST_PROP(CodecPropertyTest, CliTokensDecodeToTheSameTarget, ()) {
  int n = 0, nv = 0;
  const Scenario* const* all = AllScenarios(&n);
  const VariantInfo* variants = AllVariants(&nv);
  std::string scenario = all[*rc::gen::inRange(0, n)]->name;
  std::string variant = *rc::gen::inRange(0, 3) == 0 ? "" : variants[*rc::gen::inRange(0, nv)].name;
  std::string error;
  std::optional<cli::Target> target =
      cli::ResolveTarget(scenario, variant, *rc::gen::inRange(1, 5), &error,
                         *rc::gen::inRange(0, 9), *rc::gen::inRange(0, 9));
  RC_ASSERT(target.has_value());
  if (target->scenario->programmed) {  // any program of api_program.h's letters and digits
    std::vector<ApiOp> ops = *rc::gen::container<std::vector<ApiOp>>(
        *rc::gen::inRange(0, kMaxApiOps + 1),
        rc::gen::map(rc::gen::arbitrary<uint8_t>(), ApiOpFromByte));
    std::string why;
    if (!cli::SetTargetOps(&*target, ApiProgramText(ops), &why))  // nothing legal in it
      RC_ASSERT(why.find("keeps the API's contracts") != std::string::npos);
  }
  auto choices = *rc::gen::container<std::vector<TaskId>>(rc::gen::inRange<TaskId>(0, 32));
  if (choices.empty()) choices.push_back(0);
  std::optional<ScheduleToken> token =
      DecodeToken(EncodeToken(cli::MakeToken(*target, choices)), &error);
  RC_ASSERT(token.has_value());
  std::optional<cli::Target> back = cli::TargetFromToken(*token, &error);
  RC_ASSERT(back.has_value());
  RC_ASSERT(back->scenario == target->scenario);
  RC_ASSERT(back->variant == target->variant);
  RC_ASSERT(back->cpus == target->cpus);
  RC_ASSERT(back->ops == target->ops);  // the canonical program, or "" off api_sequence
  // Only parameterized scenarios read hotplug and work, so only their tokens carry them;
  // the others decode to the defaults, which they ignore.
  if (target->scenario->parameterized) {
    RC_ASSERT(back->hotplug == target->hotplug);
    RC_ASSERT(back->work == target->work);
  } else {
    RC_ASSERT(back->hotplug == cli::Target{}.hotplug && back->work == cli::Target{}.work);
  }
  RC_ASSERT(token->choices == choices);
}

RC_GTEST_PROP(CodecPropertyTest, ArbitraryTextIsRejectedWithOneLineOrRoundTrips, ()) {
  // Mostly token-shaped text, so that many inputs get past the first checks.
  std::string text = *rc::gen::oneOf(
      rc::gen::arbitrary<std::string>(),
      rc::gen::map(rc::gen::container<std::vector<std::string>>(rc::gen::elementOf(
                       std::vector<std::string>{"kt1", ":", "event_loop", "variant=none", ",",
                                                "cpus=2", "a", "b", "F", "G", "12", "0", "1",
                                                "=", "x"})),
                   [](const std::vector<std::string>& parts) {
                     std::string s;
                     for (const std::string& p : parts) s += p;
                     return s;
                   }));
  std::string error;
  std::optional<ScheduleToken> t = DecodeToken(text, &error);
  if (!t) {
    RC_ASSERT(!error.empty());
    RC_ASSERT(error.find('\n') == std::string::npos);
    return;
  }
  std::optional<ScheduleToken> again = DecodeToken(EncodeToken(*t), &error);
  RC_ASSERT(again.has_value());
  RC_ASSERT(again->program == t->program && again->params == t->params &&
            again->choices == t->choices);
}

}  // namespace
}  // namespace kt::explore
