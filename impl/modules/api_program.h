// api_program.h -- the operation program of the api_sequence scenario: a string of
// two-character operations, each a letter (the kernel API call) and a digit (its
// argument), carried by the schedule token as `ops=...` so that `kthcheck replay`
// rebuilds the same module.
//
//   letter  call (kernel API name)                   digit d
//   c       kthread_create(parkable_thread_fn)       slot d % 3
//   r       kthread_run(parkable_thread_fn)          slot d % 3
//   o       kthread_create_on_cpu(parkable_...)      slot d % 3, CPU d / 3 % cpus
//   z       kthread_run(freezable_thread_fn)         slot d % 3
//   w       wake_up_process                          slot d % 3
//   b       kthread_bind                             slot d % 3, CPU d / 3 % cpus
//   p       kthread_park                             slot d % 3
//   u       kthread_unpark                           slot d % 3
//   s       kthread_stop                             slot d % 3
//   d       cpu_down                                 CPU 1 + d % (cpus - 1)
//   e       cpu_up                                   CPU 1 + d % (cpus - 1)
//   k       kthread_run_worker                       KTW_FREEZABLE if d is odd
//   q       kthread_queue_work                       -
//   l       kthread_queue_delayed_work               delay d + 1 ms
//   h       kthread_flush_work (the immediate work)  -
//   v       kthread_flush_worker                     -
//   x       kthread_cancel_work_sync                 -
//   y       kthread_cancel_delayed_work_sync         -
//   t       kthread_destroy_worker                   -
//   i       suspend_freeze_processes (freeze_processes + freeze_kernel_threads)
//   j       suspend_thaw_processes (thaw_processes)
//   m       msleep                                   d + 1 ms
//
// LegalizeApiProgram() turns any such string into a program that keeps the API's
// contracts, so that every finding on it is a protocol finding and not a misuse of the
// API by the module. It skips the operations that would break one, deterministically,
// from a model of what the module has done so far:
//   - a thread slot is empty, created (never woken nor parked), running or parked; create
//     needs an empty slot, and a stop empties it again (at most kMaxThreads creations);
//   - kthread_bind only on a created thread (before its first wakeup: wait_task_inactive
//     must find it in TASK_UNINTERRUPTIBLE);
//   - kthread_park only on a parkable thread that is not parked (a second park WARNs);
//     kthread_unpark only on a parked one; kthread_stop once per thread;
//   - cpu_down only of an online CPU other than 0, cpu_up only of an offline one;
//   - worker calls only while the worker exists; a work is never flushed while its timer
//     may be armed (the flush work would wait on delayed_work_list: B14), so only the
//     immediate work is flushed; kthread_destroy_worker is preceded by
//     kthread_cancel_delayed_work_sync if the delayed work may be pending (destroy WARNs
//     on a non-empty delayed_work_list), and is the only way to end a worker;
//   - while the system is frozen, no call that waits for a freezable task (stop of a
//     freezable thread; flush, cancel or destroy of a KTW_FREEZABLE worker): it would
//     wait for a task that only the thaw releases; no second freeze, no thaw unless frozen.
// Module exit, which the module appends itself (api_sequence.cc), thaws, stops every
// thread still alive and cancels and destroys the worker, so every thread the program
// created is stopped before the module is gone.
#ifndef KTHCHECK_IMPL_MODULES_API_PROGRAM_H_
#define KTHCHECK_IMPL_MODULES_API_PROGRAM_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kt {

inline constexpr int kApiSlots = 3;          // thread slots
inline constexpr int kMaxApiOps = 24;        // operations in a program (after legalizing)
inline constexpr int kMaxApiThreads = 6;     // kthread creations per program
inline constexpr int kMaxApiWorkers = 2;     // kthread_run_worker calls per program
inline constexpr char kApiOpLetters[] = "crozwbpusdekqlhvxytijm";
inline constexpr int kApiOpCount = sizeof(kApiOpLetters) - 1;

// The program a scenario run gets when no ops= parameter is given (kthcheck check
// --scenario=api_sequence): run, park, unpark, stop of a parkable thread; create, bind
// and wake another; a worker with an immediate and a delayed work, cancelled and
// destroyed; the second thread stopped at module exit.
inline constexpr const char* kDefaultApiProgram = "r0c1b4w1p0u0s0k0q0l0y0t0";

// One operation: the letter of the table above and its digit.
struct ApiOp {
  char op;
  int arg;
};

// The operations of `text`, or "" with *error set (one line) if it is not a sequence of
// letter-digit pairs of the table, or longer than kMaxApiOps operations.
bool ParseApiProgram(std::string_view text, std::vector<ApiOp>* ops, std::string* error);

// The legal program (see above) for `ops` on `cpus` CPUs. Illegal operations are dropped,
// a destroy gets its cancel; the result has at most kMaxApiOps operations.
std::vector<ApiOp> LegalizeApiProgram(const std::vector<ApiOp>& ops, int cpus);

// The text of `ops` ("r0p0s0").
std::string ApiProgramText(const std::vector<ApiOp>& ops);

// Parse + legalize + text: the canonical program of `text` on `cpus` CPUs; "" with
// *error for text that does not parse. Canonical text legalizes to itself.
std::string CanonicalApiProgram(std::string_view text, int cpus, std::string* error);

// The fuzzer's mapping of one input byte to an operation (letter byte % kApiOpCount,
// digit byte / kApiOpCount % 10), so every byte is an operation.
ApiOp ApiOpFromByte(uint8_t byte);

}  // namespace kt

#endif  // KTHCHECK_IMPL_MODULES_API_PROGRAM_H_
