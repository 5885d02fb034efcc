// parallel.h -- one search on several cores: processes that each run a part of the
// search (shard.h), merged into one verdict.
//
// Processes, not threads: the kernel port keeps its state in process globals (like the
// kernel), so two runtimes cannot share an address space. The search (or the caller's
// shard of it) is split into 64 parts (4 per process beyond 16 processes), because the
// parts of a DPOR tree differ widely in size; each part runs in a fork() of the caller,
// at most `jobs` at a time, and reports progress and its verdict over a pipe.
//
// The merged verdict does not depend on timing or on `jobs` (up to 16): with a
// violation, it is the one found by the lowest-numbered part that found one (parts above
// it are stopped once it reports, parts below it run on, since they might report one
// too); its counts are the sums over the parts that finished, which do depend on timing.
// This counterexample may differ from the one a single process finds first (another
// part of the tree, or for randomized searches another execution index). Without a
// violation, the counts are the sums over all parts, which equal the single-process run
// with the same split (explorer.h: kSplitLevels).
#ifndef KTHCHECK_CHECKER_EXPLORE_PARALLEL_H_
#define KTHCHECK_CHECKER_EXPLORE_PARALLEL_H_

#include "checker/explore/explorer.h"

namespace kt::explore {

// The number of CPUs this process may use (at least 1).
int AvailableCores();

// Runs the search of `options` in `jobs` processes (1: in this process, unsplit).
// Progress is the sum over the parts.
Verdict ExploreParallel(const Program& program, const SearchOptions& options,
                        const Bounds& bounds, int jobs, const ProgressFn& progress = {});

}  // namespace kt::explore

#endif  // KTHCHECK_CHECKER_EXPLORE_PARALLEL_H_
