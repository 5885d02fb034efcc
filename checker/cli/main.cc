// kthcheck -- check the kernel's kthread park/stop/wakeup protocols.
//
// Exit status: 0 holds, 1 violation, 2 usage or input error, 3 internal error,
// 4 a bound was reached before the search completed (neither holds nor violation).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <string>

#include "checker/cli/commands.h"
#include "checker/cli/export.h"

namespace {

const std::vector<std::string> kFormatNames(std::begin(kt::cli::kFormats),
                                            std::end(kt::cli::kFormats));

constexpr const char* kFormatHelp =
    "text (default): oracle, one sentence, the interleaving, the replay command; json: the "
    "result and trace; perfetto: Chrome/Perfetto trace-event JSON (ui.perfetto.dev, "
    "chrome://tracing); ftrace: trace-cmd report style text; html: a self-contained "
    "swimlane page (docs/exports.md)";

constexpr const char* kReportExamples = R"(
Examples:
  kthcheck replay TOKEN
  kthcheck replay TOKEN --format=ftrace | grep -E 'sched_(waking|wakeup)|kthread_'
  kthcheck report TOKEN --format=perfetto --output=cex.json   # open in ui.perfetto.dev
  kthcheck report TOKEN --format=html --output=cex.html       # open in any browser
  kthcheck report TOKEN --format=json --output=cex-trace.json

TOKEN is the `kt1:...` schedule printed by `kthcheck check`. The exit status is the
replayed verdict's (1 for a violation); 2 if the token or the file is bad.
)";

constexpr const char* kExamples = R"(
Examples:
  kthcheck list
  kthcheck check --all
  kthcheck check --scenario=event_loop --variant=event_check_before_set_state
  kthcheck check --scenario=park_unpark_stop --cpus=3 --format=json
  kthcheck replay kt1:event_loop:variant=event_check_before_set_state,cpus=2:b20a7...
  kthcheck replay TOKEN --format=ftrace             # like a trace-cmd report
  kthcheck report TOKEN --format=html --output=cex.html
  kthcheck report TOKEN --format=perfetto --output=cex.json  # ui.perfetto.dev
  kthcheck model --cpus=3 --hotplug=1 --work=1
  kthcheck prove

Exit status: 0 holds, 1 violation, 2 usage/input error, 3 internal error,
4 bound reached (the search was cut; neither holds nor violation).
)";

constexpr const char* kStrategyHelp = R"(how interleavings are chosen, and what a result means:
  dpor     (default) exhaustive up to the bounds: source-DPOR with sleep sets explores
           every interleaving up to the reordering of independent steps; 'holds' means
           no interleaving within the bounds shows a finding.
  dfs      exhaustive up to the bounds, without reduction: every interleaving (slow; to
           cross-check dpor).
  bounded  iterative context bounding: DPOR at preemption bound 0, 1, 2, ... up to
           --max-preemptions (-1: until a bound prunes nothing). A finding is reported
           with the bound it needed; none found means none with at most that many
           preemptions (conservative BPOR backtracking keeps DPOR sound under the bound).
  random   --executions runs, each choosing uniformly among the enabled tasks (--seed).
           Not exhaustive: with no finding the verdict is bound_reached (executions=N).
  pct      PCT with depth d = --pct-depth (Burckhardt et al., ASPLOS'10): a bug of depth
           d shows in each run with probability >= 1/(n k^(d-1)) (n tasks, k steps, as
           measured), so N runs miss it with probability <= (1 - 1/(n k^(d-1)))^N; the
           verdict states the figure. Not exhaustive.
  fair     random with bounded fairness (a task that stays enabled runs within a few
           steps) and the livelock oracle: a task that runs --livelock-steps steps
           without blocking while another starves is a livelock. Not exhaustive.
  spurious dpor with spurious-wakeup injection: --spurious-wakeups=K (default 1) stray
           wakeups per execution, each a choice at any scheduling point for any task
           asleep in TASK_NORMAL (never TASK_PARKED, TASK_FROZEN, or a new kthread's first
           sleep, which only its creator can reach). Exhaustive over where the K wakeups
           land, up to the bounds: 'holds' means every wait tolerates K spurious wakeups.
           --spurious-wakeups=K also combines with every other strategy.
Interrupt-context wakers: a scenario's device interrupt (irq_event) runs in hard
interrupt context under every strategy (--irq=hard, the default), so its wakeup may
come between set_current_state() and schedule(), preempt_disable() or not.)";

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"kthcheck: a model checker for Linux kthread park/stop/wakeup ordering"};
  app.footer(kExamples);
  app.require_subcommand(1);
  kt::cli::Options opt;

  CLI::App* list = app.add_subcommand("list", "list scenarios and variants");
  list->add_option("--format", opt.format, "text or json")->check(CLI::IsMember({"text", "json"}));

  CLI::App* check = app.add_subcommand("check", "explore every interleaving of a scenario");
  check->add_option("--scenario", opt.scenario, "scenario name (see list)");
  check->add_option("--variant", opt.variant, "variant name (see list); default: faithful");
  check->add_flag("--all", opt.all, "check every scenario of the catalog on the faithful port");
  check->add_flag("--variants", opt.with_variants,
                  "with --all: also check every variant on its scenario");
  check->add_option("--cpus", opt.cpus, "number of CPUs (1-4)");
  check->add_option("--engine", opt.engine,
                    "impl (default): the kernel port on the controlled runtime; model: the "
                    "abstract protocol of model/ (smpboot_hotplug only), searched "
                    "exhaustively by BFS, with --jobs threads")
      ->check(CLI::IsMember({"impl", "model"}));
  check->add_flag("--symmetry", opt.symmetry,
                  "model: search the closure where registration and unregistration take "
                  "the CPUs in any order, one state per CPU renaming (model/symmetry.h); "
                  "holds there implies holds for the model, and the counts are orbits");
  check->add_option("--memory-model", opt.memory_model,
                    "sc (default), tso: per-CPU FIFO store buffers whose drains the search "
                    "explores, or pso: tso where stores to different words may also drain "
                    "out of order unless smp_wmb()/a release orders them; with --all "
                    "--variants, default: each variant's own");
  check->add_option("--spurious-wakeups", opt.spurious_wakeups,
                    "inject up to K stray wakeups per execution (0-3): any sleep in "
                    "TASK_INTERRUPTIBLE/UNINTERRUPTIBLE may be woken by an unrelated "
                    "wake_up_process(), at any scheduling point, as a choice the search "
                    "explores; with --all --variants, default: each variant's own");
  check->add_option("--irq", opt.irq,
                    "hard (default): a scenario's device interrupt handler runs in hard "
                    "interrupt context -- it may start whenever its CPU's task has "
                    "interrupts enabled, inside preempt_disable() too, e.g. between "
                    "set_current_state() and schedule(); threaded: as a thread of its own "
                    "(request_threaded_irq)")
      ->check(CLI::IsMember({"hard", "threaded"}));
  check->add_option("--hotplug", opt.hotplug,
                    "CPU offline/online cycles, for smpboot_hotplug (0-8)");
  check->add_option("--work", opt.work, "work items, for smpboot_hotplug's producer (0-8)");
  check->add_option("--ops", opt.ops,
                    "api_sequence's operation program: letter-digit pairs, e.g. r0p0u0s0 "
                    "(kthread_run, park, unpark, stop; the letters are listed in "
                    "impl/modules/api_program.h); calls that would break an API contract "
                    "are dropped, and the token carries the program that ran");
  check->add_flag("--conformance", opt.conformance,
                  "also follow every execution in the abstract model (model/); a step the "
                  "model refuses is a finding `conformance`; with --all, the scenarios model/ cannot "
                  "follow are listed, one line each, and not checked");
  check->add_option("--strategy", opt.strategy, kStrategyHelp)
      ->check(CLI::IsMember({"dpor", "dfs", "bounded", "random", "pct", "fair", "spurious"}));
  check->add_option("--seed", opt.seed, "random, pct, fair: the seed (printed with findings)");
  check->add_option("--executions", opt.executions,
                    "random, pct, fair: executions to run (default 1000)");
  check->add_option("--pct-depth", opt.pct_depth, "pct: the bug depth d (default 3)")
      ->check(CLI::Range(1, 10));
  check->add_option("--shard", opt.shard,
                    "i/n: explore only part i of n of the search (deterministic split by "
                    "schedule prefix; the n parts together are the whole search). Default: "
                    "Bazel's TEST_SHARD_INDEX/TEST_TOTAL_SHARDS when set");
  check->add_option("--jobs", opt.jobs,
                    "processes that split the search by schedule prefix (0: one per "
                    "available core). The verdict does not depend on N (up to 16); a "
                    "counterexample may differ from a single process's first one")
      ->check(CLI::Range(0, 256));
  check->add_option("--checkpoint", opt.checkpoint,
                    "dpor, dfs: save the search to FILE every --checkpoint-every seconds "
                    "and when a bound stops it");
  check->add_option("--checkpoint-every", opt.checkpoint_seconds,
                    "seconds between checkpoints (default 5)");
  check->add_option("--resume", opt.resume,
                    "dpor, dfs: continue the search saved in FILE (same scenario, strategy, "
                    "bounds and shard); the verdict and counts are those of an unbroken run");
  check->add_flag("--count-traces", opt.count_traces,
                  "dpor, dfs: also count the distinct Mazurkiewicz traces (executions up to "
                  "reordering independent steps) among the executions run, as 64-bit "
                  "hashes of their happens-before order (JSON `traces`; `memory_traces` "
                  "ignores what preempt/irq-off regions and spinlocks order on a CPU)");
  check->add_flag("--no-shrink", opt.no_shrink,
                  "show the counterexample as the search found it (default: shrunk to the "
                  "fewest preemptions, then the fewest steps, keeping its oracle)");
  check->add_option("--livelock-steps", opt.bounds.livelock_steps,
                    "fair: steps a task may run without blocking while another starves "
                    "(default 1000)");
  check->add_option("--max-steps", opt.bounds.max_steps, "bound: steps per execution");
  check->add_option("--max-executions", opt.bounds.max_executions, "bound: executions");
  check->add_option("--max-preemptions", opt.bounds.max_preemptions,
                    "bound: preemptions per execution (-1 = unbounded)");
  check->add_option("--max-memory-mb", opt.bounds.max_memory_mb,
                    "bound: resident memory of the checker in MB, checked every 256 "
                    "executions (0 = none); reaching it is bound_reached naming the limit");
  check->add_option("--hung-task-timeout", opt.bounds.hung_task_timeout,
                    "virtual ms an untimed wait may last before it is a hang");
  check->add_option("--format", opt.format, "text or json")->check(CLI::IsMember({"text", "json"}));

  CLI::App* replay = app.add_subcommand("replay", "replay a schedule token with its trace");
  replay->add_option("token", opt.token, "the schedule token printed by check")->required();
  replay->add_option("--format", opt.format, kFormatHelp)->check(CLI::IsMember(kFormatNames));
  replay->footer(kReportExamples);

  CLI::App* report =
      app.add_subcommand("report", "replay a schedule token and export its trace to a file");
  report->add_option("token", opt.token, "the schedule token printed by check")->required();
  report->add_option("--format", opt.format, kFormatHelp)->check(CLI::IsMember(kFormatNames));
  report->add_option("--output", opt.output, "the file to write (default: stdout)");
  report->footer(kReportExamples);

  CLI::App* model = app.add_subcommand(
      "model", "explicit-state search (BFS) of the abstract smpboot hotplug protocol");
  model->add_option("--cpus", opt.cpus, "CPUs (1-4)");
  model->add_option("--hotplug", opt.hotplug, "offline/online cycles");
  model->add_option("--work", opt.work, "work items");
  model->add_option("--variant", opt.variant, "model variant (model/variants.def)");
  model->add_option("--max-states", opt.max_states, "bound: stored states");
  model->add_option("--jobs", opt.jobs,
                    "threads of the BFS (0: one per available core); the counts and the "
                    "trace do not depend on it")
      ->check(CLI::Range(0, 256));
  model->add_flag("--symmetry", opt.symmetry,
                  "model: search the closure where registration and unregistration take "
                  "the CPUs in any order, one state per CPU renaming (model/symmetry.h); "
                  "holds there implies holds for the model, and the counts are orbits");
  model->add_option("--format", opt.format, "text or json")->check(CLI::IsMember({"text", "json"}));

  CLI::App* prove = app.add_subcommand(
      "prove", "Z3: inductive invariants for any CPU count, or BMC of a variant");
  prove->add_option("--variant", opt.variant, "model variant to find by BMC; default: prove");
  prove->add_option("--format", opt.format, "text or json")->check(CLI::IsMember({"text", "json"}));

  CLI::App* compare = app.add_subcommand(
      "compare", "the verdicts of two `check --all --format=json` runs, side by side "
                 "(exit 1 if any changed)");
  compare->add_option("BEFORE", opt.compare_before, "JSON of the run before the change")
      ->required();
  compare->add_option("AFTER", opt.compare_after, "JSON of the run after it")->required();

  try {
    app.parse(argc, argv);
    opt.strategy_given = check->get_option("--strategy")->count() > 0 ||
                         check->get_option("--max-executions")->count() > 0;
  } catch (const CLI::CallForHelp& e) {
    std::cout << app.help();
    return 0;
  } catch (const CLI::CallForAllHelp& e) {
    std::cout << app.help("", CLI::AppFormatMode::All);
    return 0;
  } catch (const CLI::ParseError& e) {
    std::string what = e.what();
    if (what.empty()) what = "bad arguments (see --help)";
    std::fprintf(stderr, "kthcheck: %s\n", what.c_str());
    return 2;
  }
  if (*list) return kt::cli::RunList(opt);
  if (*check) return kt::cli::RunCheck(opt);
  if (*model) return kt::cli::RunModel(opt);
  if (*prove) return kt::cli::RunProve(opt);
  if (*compare) return kt::cli::RunCompare(opt);
  if (*report) return kt::cli::RunReplay(opt);  // replay, written by format to --output
  return kt::cli::RunReplay(opt);
}
