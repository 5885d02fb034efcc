// catalog.cc -- the scenario catalog, in a stable order (list, --all and tests use it).
#include "impl/modules/scenario.h"

namespace kt {

extern const Scenario kBasicLoop;
extern const Scenario kEventLoop;
extern const Scenario kWaitEventLoop;
extern const Scenario kCompletionSync;
extern const Scenario kStopBeforeWakeup;
extern const Scenario kParkUnparkStop;
extern const Scenario kParkStop;
extern const Scenario kParkBeforeWakeup;
extern const Scenario kKthreadWorker;
extern const Scenario kFreezable;
extern const Scenario kFreezableWorker;
extern const Scenario kSmpbootHotplug;
extern const Scenario kPercpu;
extern const Scenario kPollingLoop;
extern const Scenario kIrqEvent;
extern const Scenario kApiSequence;
extern const Scenario kHotplugMigrate;

namespace {
const Scenario* const kCatalog[] = {
    &kBasicLoop,        &kEventLoop,      &kWaitEventLoop,    &kCompletionSync,
    &kStopBeforeWakeup, &kParkUnparkStop, &kParkStop,       &kParkBeforeWakeup,
    &kKthreadWorker,    &kFreezable,      &kFreezableWorker, &kSmpbootHotplug,
    &kPercpu,           &kPollingLoop,    &kIrqEvent,         &kApiSequence,
    &kHotplugMigrate,
};
}  // namespace

const Scenario* const* AllScenarios(int* count) {
  *count = static_cast<int>(sizeof(kCatalog) / sizeof(kCatalog[0]));
  return kCatalog;
}

const Scenario* FindScenario(std::string_view name) {
  for (const Scenario* s : kCatalog)
    if (name == s->name) return s;
  return nullptr;
}

}  // namespace kt
