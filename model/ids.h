// ids.h -- enums generated from actions.def and invariants.def, and their names.
#ifndef KTHCHECK_MODEL_IDS_H_
#define KTHCHECK_MODEL_IDS_H_

#include <string>

namespace kthcheck::model {

enum class Process : int { kThread, kWakeup, kController, kProducer };

enum class ActionId : int {
#define ACTION(e, process, label) e,
#include "model/actions.def"
#undef ACTION
};
inline constexpr int kNumActions = 0
#define ACTION(e, process, label) +1
#include "model/actions.def"
#undef ACTION
    ;

// The rows of actions.def from kKthreadRunWake on are steps of the plain-kthread
// configurations only (state.h ThreadFn, Driver): under the smpboot protocol their guards
// are false, so the engines and proofs/ of that protocol iterate the first
// kNumSmpbootActions rows.
inline constexpr int kNumSmpbootActions = static_cast<int>(ActionId::kKthreadRunWake);

enum class InvariantId : int {
#define INVARIANT(e, name, is_lemma, desc) e,
#include "model/invariants.def"
#undef INVARIANT
};
inline constexpr int kNumInvariants = 0
#define INVARIANT(e, name, is_lemma, desc) +1
#include "model/invariants.def"
#undef INVARIANT
    ;

const char* ActionLabel(ActionId a);     // "kthread_park: set_bit(KTHREAD_SHOULD_PARK)"
const char* ActionEnumName(ActionId a);  // "kKthreadParkSetBit"
Process ActionProcess(ActionId a);
const char* InvariantName(InvariantId i);  // "park_postcondition"
bool InvariantIsLemma(InvariantId i);
// The oracle a violation reports, named as the port names it: "lost_wakeup" for
// no_lost_wakeup, "lifetime" for lifetime, else "invariant:<name>".
std::string InvariantOracle(InvariantId i);

}  // namespace kthcheck::model

#endif  // KTHCHECK_MODEL_IDS_H_
