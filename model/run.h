// run.h -- the explicit-state check of the model (the smpboot protocol by default), for the CLI
// (`kthcheck check --engine=model`).  This is the glue target //model:run: it depends on
// //model (the spec) and //checker/explicit (the engine), which know nothing of each other.
//
// CheckModel() validates its inputs first: bad parameters give verdict "usage" and the
// one-line message in `detail` (the CLI prints it and exits 2; for callers written against
// the first version it is also in `oracle`).  Otherwise verdict is
// "holds", "violation" (oracle "hang" / "lost_wakeup" / "invariant:<name>", `detail` the
// failing CPU or the wait-for chain, `trace` a shortest counterexample: BFS) or
// "bound_reached" (max_states hit, `detail` says which bound; never reported as a pass).
#ifndef KTHCHECK_MODEL_RUN_H_
#define KTHCHECK_MODEL_RUN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "model/state.h"

namespace kthcheck::model {

struct ModelCheckResult {
  std::string verdict;  // holds | violation | bound_reached | usage
  std::string oracle;   // set for violation (and, see above, usage) only
  std::string detail;
  std::uint64_t states = 0;   // states stored
  std::uint64_t matched = 0;  // states matched
  std::uint64_t transitions = 0;
  int depth = 0;
  double seconds = 0;
  double collision_probability = 0;  // fingerprint / bitstate stores (explorer.h Stats)
  double hash_factor = 0;            // bitstate store: bits per stored state
  std::vector<std::string> trace;    // one line per step: "cpu1 kthread_park: ... | changes"
  std::string final_state;           // the last trace state, printed by the model's printer
};

// BFS with the exact store.
ModelCheckResult CheckModel(int cpus, int hotplug, int work, const std::string& variant,
                            std::uint64_t max_states);
// store: "exact" (BFS, shortest traces), "fingerprint" (BFS, 8 bytes per state) or
// "bitstate" (DFS, 2 bits per state in a 512 MiB array: partial, for N = 4 with H, W >= 2).
// threads > 1: the exact-store BFS runs on that many threads (same counts and trace).
// symmetry: search the any-order closure over orbit representatives (model/symmetry.h);
// `holds` there implies `holds` for the model, and the counts are of representatives.
ModelCheckResult CheckModel(int cpus, int hotplug, int work, const std::string& variant,
                            std::uint64_t max_states, const std::string& store,
                            int threads = 1, bool symmetry = false);
// Any configuration (model/state.h Params: a plain kthread loop too, VariantParams() for a
// variant's own); p.any_cpu_order is `symmetry` above. Validate() refusals are "usage".
ModelCheckResult CheckModel(const Params& p, std::uint64_t max_states,
                            const std::string& store = "exact", int threads = 1);

}  // namespace kthcheck::model

#endif  // KTHCHECK_MODEL_RUN_H_
