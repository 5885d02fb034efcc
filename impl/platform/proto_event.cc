#include "impl/platform/proto_event.h"

namespace kt {
namespace {
const ProtoObserver* g_proto = nullptr;
}  // namespace

void SetProtoObserver(const ProtoObserver* o) { g_proto = o; }

void kt_proto(ProtoEv kind, TaskId target, long arg) {
  // A wake condition evaluated as the lost-wakeup oracle reads as its task, but is not
  // its execution.
  if (g_proto && GetSys() && !sys().EvaluatingOracle())
    (*g_proto)(ProtoEvent{kind, sys().Current(), target, arg});
}

}  // namespace kt
