#include "checker/runtime/op.h"

namespace kt::rt {

const char* OpKindName(OpKind k) {
  switch (k) {
    case OpKind::kStart: return "start";
    case OpKind::kLoad: return "load";
    case OpKind::kStore: return "store";
    case OpKind::kRmw: return "rmw";
    case OpKind::kSpin: return "spin";
    case OpKind::kLock: return "lock";
    case OpKind::kUnlock: return "unlock";
    case OpKind::kBlock: return "block";
    case OpKind::kWake: return "wake";
    case OpKind::kPreemptOff: return "preempt_disable";
    case OpKind::kPreemptOn: return "preempt_enable";
    case OpKind::kFence: return "fence";
    case OpKind::kDrain: return "drain";
    case OpKind::kSleep: return "sleep";
    case OpKind::kStopCpu: return "stop_cpu";
    case OpKind::kMigrate: return "migrate";
    case OpKind::kStopCpuEnd: return "stop_cpu_end";
  }
  return "?";
}

bool Dependent(const Op& a, const Op& b) {
  for (int i = 0; i < a.nacc; ++i)
    for (int j = 0; j < b.nacc; ++j)
      if (a.acc[i].obj == b.acc[j].obj && (a.acc[i].write || b.acc[j].write)) return true;
  return false;
}

}  // namespace kt::rt
