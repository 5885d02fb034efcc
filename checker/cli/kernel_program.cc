#include "checker/cli/kernel_program.h"

#include <cstring>

#include "impl/boot.h"
#include "impl/kernel/sched.h"

namespace kt::cli {

std::optional<Target> ResolveTarget(const std::string& scenario, const std::string& variant,
                                    int cpus, std::string* error) {
  Target t;
  t.scenario = FindScenario(scenario);
  if (!t.scenario) {
    *error = "unknown scenario '" + scenario + "' (see `kthcheck list`)";
    return std::nullopt;
  }
  if (!variant.empty() && variant != "none") {
    std::optional<Variant> v = FindVariant(variant);
    if (!v) {
      *error = "unknown variant '" + variant + "' (see `kthcheck list`)";
      return std::nullopt;
    }
    t.variant = *v;
  }
  if (cpus < 2 || cpus > NR_CPUS) {
    *error = "--cpus=" + std::to_string(cpus) + ": between 2 and " + std::to_string(NR_CPUS) +
             " CPUs are modelled";
    return std::nullopt;
  }
  t.cpus = cpus;
  return t;
}

explore::Program MakeProgram(const Target& target) {
  explore::Program p;
  p.boot = [target] {
    BootParams params;
    params.scenario = target.scenario;
    params.variant = target.variant;
    params.cpus = target.cpus;
    return kernel_boot(params);
  };
  // Task states print by name in traces.
  p.format_value = [](const char* what, uint64_t v) -> std::string {
    if (std::strstr(what, "__state")) return task_state_name(static_cast<unsigned int>(v));
    return "";
  };
  return p;
}

explore::ScheduleToken MakeToken(const Target& target, const std::vector<TaskId>& choices) {
  explore::ScheduleToken token;
  token.program = target.scenario->name;
  token.params = {{"variant", VariantName(target.variant)},
                  {"cpus", std::to_string(target.cpus)}};
  token.choices = choices;
  return token;
}

std::optional<Target> TargetFromToken(const explore::ScheduleToken& token, std::string* error) {
  const std::string* variant = token.Param("variant");
  const std::string* cpus = token.Param("cpus");
  if (!variant || !cpus || cpus->size() != 1 || !std::isdigit((*cpus)[0])) {
    *error = "bad schedule token: expected parameters variant=<name>,cpus=<n>";
    return std::nullopt;
  }
  std::optional<Target> t = ResolveTarget(token.program, *variant, (*cpus)[0] - '0', error);
  if (!t) *error = "bad schedule token: " + *error;
  return t;
}

}  // namespace kt::cli
