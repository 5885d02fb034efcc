#include "checker/cli/kernel_program.h"

#include <cstdio>
#include <cstring>

#include "checker/runtime/check.h"
#include "impl/boot.h"
#include "impl/kernel/sched.h"
#include "impl/platform/arena.h"
#include "impl/kthread/kthread.h"
#include "impl/modules/api_program.h"

namespace kt::cli {

namespace {

// The field name of an access expression: "p->__state" -> "__state", "&x->flags" -> "flags".
std::string FieldOf(const char* what) {
  std::string w = what;
  size_t arrow = w.rfind("->");
  size_t dot = w.rfind('.');
  size_t at = arrow != std::string::npos ? arrow + 2 : (dot != std::string::npos ? dot + 1 : 0);
  return w.substr(at);
}

std::string KthreadFlags(uint64_t v) {
  static const char* const kNames[] = {"IS_PER_CPU", "SHOULD_STOP", "SHOULD_PARK"};
  std::string s;
  for (int b = 0; b < 3; ++b)
    if (v >> b & 1) s += (s.empty() ? "" : "|") + std::string(kNames[b]);
  return s.empty() ? "0" : s;
}

// Traces name kernel objects by their task ("main->__state", "T1 kthread->flags") and
// print task states and kthread flags by name.
void FormatAccess(const void* addr, const char* what, uint64_t v, std::string* lhs,
                  std::string* text) {
  auto* a = static_cast<const char*>(addr);
  // Pointers into kernel memory print as arena offsets, which repeat across runs.
  long off = v > 0xffffffffu ? ArenaOffset(reinterpret_cast<const void*>(v)) : -1;
  if (off >= 0) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "kmem+%#lx", off);
    *text = buf;
  }
  for (task_struct* p : sched_globals.task_by_tid) {
    if (!p) continue;
    auto* base = reinterpret_cast<const char*>(p);
    if (a >= base && a < base + sizeof(task_struct)) {
      std::string field = FieldOf(what);
      if (field == "test_bit" || field == "set_bit" || field == "clear_bit") field = "thread_flags";
      *lhs = std::string(p->comm) + "->" + field;
      if (field == "__state" || field == "saved_state")
        *text = task_state_name(static_cast<unsigned int>(v));
      return;
    }
    auto* k = static_cast<const char*>(p->worker_private);
    if (k && a >= k && a < k + sizeof(struct kthread)) {
      bool flags = a == reinterpret_cast<const char*>(&static_cast<const struct kthread*>(
                             p->worker_private)->flags);
      *lhs = std::string(p->comm) + " kthread->" + (flags ? "flags" : FieldOf(what));
      if (flags) *text = KthreadFlags(v);
      return;
    }
  }
}

}  // namespace

std::optional<Target> ResolveTarget(const std::string& scenario, const std::string& variant,
                                    int cpus, std::string* error, int hotplug, int work) {
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
  if (cpus < 1 || cpus > NR_CPUS) {
    *error = "--cpus=" + std::to_string(cpus) + ": between 1 and " + std::to_string(NR_CPUS) +
             " CPUs are modelled";
    return std::nullopt;
  }
  if (hotplug < 0 || hotplug > 8) {
    *error = "--hotplug=" + std::to_string(hotplug) + ": between 0 and 8 cycles";
    return std::nullopt;
  }
  if (work < 0 || work > 8) {
    *error = "--work=" + std::to_string(work) + ": between 0 and 8 work items";
    return std::nullopt;
  }
  t.cpus = cpus;
  t.hotplug = hotplug;
  t.work = work;
  if (t.scenario->programmed) t.ops = kDefaultApiProgram;
  return t;
}

// The port emits its protocol events in program order, and model/ has neither store
// buffers nor stray wakeups: under tso a TASK_RUNNING store's event comes before the store
// is visible, and a stray wakeup has no model step. Such runs would end in conformance
// findings that say nothing about the port.
std::string ConformanceRunRefused(rt::MemoryModel memory_model, int stray_wakeups) {
  if (memory_model != rt::MemoryModel::kSc)
    return "--conformance follows sequentially consistent runs only: model/ has no store "
           "buffers (drop --memory-model)";
  if (stray_wakeups > 0)
    return "--conformance: model/ has no spurious wakeups (drop --spurious-wakeups)";
  return "";
}

std::string CheckConformanceTarget(const Target& target) {
  std::string why = ConformanceRunRefused(target.memory_model, target.stray_wakeups);
  if (!why.empty()) return why;
  ConformanceParams(target.scenario->name, VariantName(target.variant), target.cpus,
                    target.hotplug, target.work, &why);
  return why;
}

explore::Program MakeProgram(const Target& target, std::shared_ptr<ConformanceRun>* out) {
  explore::Program p;
  std::shared_ptr<ConformanceRun> conformance;
  if (target.conformance) {
    std::string why;
    std::optional<model::Params> params =
        ConformanceParams(target.scenario->name, VariantName(target.variant), target.cpus,
                          target.hotplug, target.work, &why);
    KT_CHECK(params.has_value(), "MakeProgram: unchecked --conformance target");
    conformance = std::make_shared<ConformanceRun>(
        *params, target.mapping ? *target.mapping : FaithfulMapping());
  }
  if (out) *out = conformance;
  p.boot = [target, conformance] {
    // Every execution starts the model afresh; without --conformance nobody listens.
    if (conformance)
      conformance->Begin();
    else
      SetProtoObserver(nullptr);
    BootParams params;
    params.scenario = target.scenario;
    params.variant = target.variant;
    params.cpus = target.cpus;
    params.hotplug = target.hotplug;
    params.work = target.work;
    params.ops = target.ops;
    return kernel_boot(params);
  };
  p.format_value = FormatAccess;
  p.memory_model = target.memory_model;
  p.stray_wakeups = target.stray_wakeups;
  p.hardirq = !target.irq_threaded;
  return p;
}

explore::ScheduleToken MakeToken(const Target& target, const std::vector<TaskId>& choices) {
  explore::ScheduleToken token;
  token.program = target.scenario->name;
  token.params = {{"variant", VariantName(target.variant)},
                  {"cpus", std::to_string(target.cpus)}};
  if (target.scenario->parameterized) {
    token.params.push_back({"hotplug", std::to_string(target.hotplug)});
    token.params.push_back({"work", std::to_string(target.work)});
  }
  if (target.scenario->programmed)
    token.params.push_back({"ops", target.ops.empty() ? kDefaultApiProgram : target.ops});
  if (target.conformance) token.params.push_back({"conformance", "1"});
  // Only tso is written: tokens from before the memory model existed mean sc.
  if (target.memory_model != rt::MemoryModel::kSc)
    token.params.push_back({"memory_model", rt::MemoryModelName(target.memory_model)});
  if (target.stray_wakeups)
    token.params.push_back({"spurious", std::to_string(target.stray_wakeups)});
  if (target.irq_threaded) token.params.push_back({"irq", "threaded"});
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
  // hotplug and work were added later: tokens without them mean the defaults.
  auto digit = [&](const char* key, int dflt) {
    const std::string* v = token.Param(key);
    return v && v->size() == 1 && std::isdigit((*v)[0]) ? (*v)[0] - '0' : (v ? -1 : dflt);
  };
  std::optional<Target> t = ResolveTarget(token.program, *variant, (*cpus)[0] - '0', error,
                                          digit("hotplug", 2), digit("work", 2));
  if (!t) {
    *error = "bad schedule token: " + *error;
    return t;
  }
  if (const std::string* ops = token.Param("ops")) {
    if (!SetTargetOps(&*t, *ops, error)) {
      *error = "bad schedule token: " + *error;
      return std::nullopt;
    }
  }
  if (const std::string* c = token.Param("conformance")) {
    if (*c != "1") {
      *error = "bad schedule token: conformance=" + *c + ": expected 1";
      return std::nullopt;
    }
    t->conformance = true;
    std::string why = CheckConformanceTarget(*t);
    if (!why.empty()) {
      *error = "bad schedule token: " + why;
      return std::nullopt;
    }
  }
  if (const std::string* m = token.Param("memory_model")) {
    std::optional<rt::MemoryModel> mm = rt::ParseMemoryModel(*m);
    if (!mm) {
      *error = "bad schedule token: memory_model=" + *m + ": expected sc, tso or pso";
      return std::nullopt;
    }
    t->memory_model = *mm;
  }
  if (const std::string* k = token.Param("spurious")) {
    if (k->size() != 1 || (*k)[0] < '1' || (*k)[0] > '0' + kMaxStrayWakeups) {
      *error = "bad schedule token: spurious=" + *k + ": expected 1 to " +
               std::to_string(kMaxStrayWakeups);
      return std::nullopt;
    }
    t->stray_wakeups = (*k)[0] - '0';
  }
  if (const std::string* irq = token.Param("irq")) {
    if (*irq != "threaded" && *irq != "hard") {
      *error = "bad schedule token: irq=" + *irq + ": expected hard or threaded";
      return std::nullopt;
    }
    t->irq_threaded = *irq == "threaded";
  }
  return t;
}

bool SetTargetOps(Target* target, const std::string& ops, std::string* error) {
  if (!target->scenario->programmed) {
    *error = "ops=" + ops + ": scenario " + target->scenario->name +
             " takes no operation program (only api_sequence does)";
    return false;
  }
  std::string why;
  std::string canonical = CanonicalApiProgram(ops, target->cpus, &why);
  if (!why.empty()) {
    *error = why;
    return false;
  }
  if (canonical.empty()) {  // "" means the default program to the module
    *error = "ops=" + ops + ": none of its operations keeps the API's contracts";
    return false;
  }
  target->ops = canonical;
  return true;
}

rt::MemoryModel VariantMemoryModel(Variant v) {
  int n = 0;
  const VariantInfo* all = AllVariants(&n);
  for (int i = 0; i < n; ++i)
    if (all[i].id == v) return *rt::ParseMemoryModel(all[i].memory_model);
  return rt::MemoryModel::kSc;
}

int VariantStrayWakeups(Variant v) {
  int n = 0;
  const VariantInfo* all = AllVariants(&n);
  for (int i = 0; i < n; ++i)
    if (all[i].id == v) return all[i].stray_wakeups;
  return 0;
}

}  // namespace kt::cli
