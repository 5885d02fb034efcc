// printer.cc -- the one state printer, shared by explicit-engine traces and Z3 models
// (proofs/ decodes solver models into model::State and prints them here).
#include <sstream>

#include "model/model.h"

namespace kthcheck::model {
namespace {

void PrintCpu(std::ostream& o, int c, const Cpu& t) {
  o << "cpu" << c << (t.online ? " online" : " offline") << ": " << ThreadPcLabel(t.pc) << " ["
    << TaskStateName(t.task_state) << "]";
  if (t.should_stop) o << " SHOULD_STOP";
  if (t.should_park) o << " SHOULD_PARK";
  if (t.is_per_cpu) o << " IS_PER_CPU";
  static const char* kStatus[] = {"NONE", "ACTIVE", "PARKED"};
  o << " status=" << (t.status >= 0 && t.status <= 2 ? kStatus[t.status] : "?")
    << " parked.done=" << t.parked_done << " exited.done=" << t.exited_done << " work=" << t.work;
  if (t.pending != kPendNone) {
    o << " in-flight-wakeup=" << (t.pending == kPendNormal ? "TASK_NORMAL" : "TASK_PARKED");
  }
  if (t.park_returned) o << " park-returned";
  if (t.bind_warn) o << " BIND-WARN";
  if (t.status_warn) o << " STATUS-WARN";
  if (t.freezable) o << " freezable saved_state=" << TaskStateName(t.saved_state);
}

}  // namespace

std::string PrintState(const Params& p, const State& s) {
  std::ostringstream o;
  const Shared& h = s.shared;
  o << "controller: " << CtlOpLabel(h.ctl_op);
  if (h.ctl_sub != kSubNone) o << " / " << CtlSubLabel(h.ctl_sub) << " (cpu" << h.ctl_cpu << ")";
  o << ", offlines left=" << h.offlines_left << "\n";
  if (p.driver == Driver::kRunWaitStop) {  // completion_sync's start handshake
    o << "creator: [" << TaskStateName(h.ctl_state) << "] initialised=" << h.initialised
      << " thread_started.done=" << h.started << "\n";
  }
  if (p.driver == Driver::kRunFreezeStop) o << "pm_nosig_freezing=" << h.nosig_freezing << "\n";
  o << "producer: ";
  if (h.prod_pc == kProdIdle) o << "idle";
  if (h.prod_pc == kProdWake) o << "about to wake cpu" << h.prod_cpu;
  if (h.prod_pc == kProdBuffered) o << "woke cpu" << h.prod_cpu << ", work store still buffered";
  o << ", items left=" << h.prod_left << "\n";
  for (int c = 0; c < p.cpus; ++c) {
    PrintCpu(o, c, s.cpu[c]);
    o << "\n";
  }
  return o.str();
}

std::string PrintDiff(const Params& p, const State& a, const State& b) {
  std::ostringstream o;
#define KTH_DIFF(name, bits, is_bool) \
  if (a.shared.name != b.shared.name) o << " " #name "=" << b.shared.name;
  KTH_SHARED_FIELDS(KTH_DIFF)
#undef KTH_DIFF
  if (a.shared.ctl_sub != b.shared.ctl_sub) o << " (" << CtlSubLabel(b.shared.ctl_sub) << ")";
  if (a.shared.ctl_state != b.shared.ctl_state) o << " (" << TaskStateName(b.shared.ctl_state) << ")";
  for (int c = 0; c < p.cpus; ++c) {
    const Cpu& x = a.cpu[c];
    const Cpu& y = b.cpu[c];
#define KTH_DIFF(name, bits, is_bool) \
  if (x.name != y.name) o << " cpu" << c << "." #name "=" << y.name;
    KTH_CPU_FIELDS(KTH_DIFF)
#undef KTH_DIFF
    if (x.pc != y.pc) o << " (" << ThreadPcLabel(y.pc) << ")";
    if (x.task_state != y.task_state) o << " (" << TaskStateName(y.task_state) << ")";
    if (x.saved_state != y.saved_state) o << " (saved " << TaskStateName(y.saved_state) << ")";
  }
  return o.str();
}

std::string PrintAction(ActionInstance a) {
  return "cpu" + std::to_string(a.cpu) + " " + ActionLabel(a.action);
}

}  // namespace kthcheck::model
