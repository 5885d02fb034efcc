#include "impl/platform/proto_event.h"

namespace kt {
namespace {
const ProtoObserver* g_proto = nullptr;
}  // namespace

void SetProtoObserver(const ProtoObserver* o) { g_proto = o; }

void kt_proto(ProtoEv kind, TaskId target, long arg) {
  if (g_proto && GetSys()) (*g_proto)(ProtoEvent{kind, sys().Current(), target, arg});
}

}  // namespace kt
