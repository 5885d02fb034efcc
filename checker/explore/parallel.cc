#include "checker/explore/parallel.h"

#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "checker/explore/shard.h"
#include "checker/runtime/check.h"

namespace kt::explore {
namespace {

using nlohmann::json;

json ToJson(const Verdict& v) {
  return {{"kind", static_cast<int>(v.kind)}, {"oracle", v.oracle},
          {"message", v.message},             {"details", v.details},
          {"notes", v.notes},
          {"bound", v.bound},                 {"exhaustive", v.exhaustive},
          {"executions", v.executions},       {"steps", v.steps},
          {"sleep_blocked", v.sleep_blocked}, {"other_shard", v.other_shard},
          {"schedule", v.schedule},           {"preemptions", v.preemptions}};
}

Verdict FromJson(const json& j) {
  Verdict v;
  v.kind = static_cast<VerdictKind>(j.at("kind").get<int>());
  v.oracle = j.at("oracle");
  v.message = j.at("message");
  v.details = j.at("details").get<std::vector<std::string>>();
  v.notes = j.at("notes").get<std::vector<std::string>>();
  v.bound = j.at("bound");
  v.exhaustive = j.at("exhaustive");
  v.executions = j.at("executions");
  v.steps = j.at("steps");
  v.sleep_blocked = j.at("sleep_blocked");
  v.other_shard = j.at("other_shard");
  v.schedule = j.at("schedule").get<std::vector<TaskId>>();
  v.preemptions = j.at("preemptions");
  return v;
}

void WriteLine(int fd, const std::string& line) {
  std::string s = line + "\n";
  for (size_t off = 0; off < s.size();) {
    ssize_t n = write(fd, s.data() + off, s.size() - off);
    if (n <= 0) return;
    off += static_cast<size_t>(n);
  }
}

[[noreturn]] void RunJob(const Program& program, SearchOptions options, const Bounds& bounds,
                         int fd) {
  Verdict v = Explore(program, options, bounds, [fd](const Progress& p) {
    WriteLine(fd, json{{"progress", {p.executions, p.steps, p.depth, p.fraction}}}.dump());
  });
  WriteLine(fd, json{{"verdict", ToJson(v)}}.dump());
  _exit(0);
}

constexpr int kParts = 64;

struct Job {
  bool started = false;
  pid_t pid = -1;
  int fd = -1;
  std::string buffer;
  bool done = false;
  bool stopped = false;
  Verdict verdict;
  Progress progress;
};

// Reads what job j has written; true when it has reported its verdict or gone.
bool Drain(Job& job) {
  char buf[1 << 16];
  ssize_t n = read(job.fd, buf, sizeof buf);
  if (n <= 0) return true;
  job.buffer.append(buf, static_cast<size_t>(n));
  size_t nl;
  while ((nl = job.buffer.find('\n')) != std::string::npos) {
    json j = json::parse(job.buffer.substr(0, nl), nullptr, false);
    job.buffer.erase(0, nl + 1);
    if (j.is_discarded()) continue;
    if (j.contains("progress")) {
      const json& p = j["progress"];
      job.progress = Progress{p[0], p[1], 0, p[2], p[3]};
    } else if (j.contains("verdict")) {
      job.verdict = FromJson(j["verdict"]);
      job.done = true;
    }
  }
  return false;
}

Verdict Merge(const std::vector<Job>& jobs) {
  Verdict v;
  bool all_exhaustive = true;
  for (const Job& job : jobs) {
    if (job.stopped) continue;
    const Verdict& r = job.verdict;
    v.executions += r.executions;
    v.steps += r.steps;
    v.sleep_blocked += r.sleep_blocked;
    v.other_shard += r.other_shard;
    all_exhaustive = all_exhaustive && r.exhaustive;
    if (r.kind == VerdictKind::kViolation && v.kind != VerdictKind::kViolation) {
      uint64_t e = v.executions, s = v.steps, sb = v.sleep_blocked, o = v.other_shard;
      v = r;
      v.executions = e, v.steps = s, v.sleep_blocked = sb, v.other_shard = o;
    } else if (r.kind == VerdictKind::kBoundReached && v.kind == VerdictKind::kHolds) {
      v.kind = r.kind;
      v.bound = r.bound;
      v.message = r.message;
      // The jobs together ran the whole search (or the caller's shard of it).
      size_t at = v.message.find(" (shard ");
      if (at != std::string::npos) v.message.erase(at, v.message.find(')', at) + 1 - at);
    }
  }
  v.exhaustive = v.kind != VerdictKind::kViolation && all_exhaustive;
  return v;
}

}  // namespace

int AvailableCores() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) return std::max(1, CPU_COUNT(&set));
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? static_cast<int>(n) : 1;
}

Verdict ExploreParallel(const Program& program, const SearchOptions& options,
                        const Bounds& bounds, int jobs, const ProgressFn& progress) {
  if (jobs <= 1) return Explore(program, options, bounds, progress);
  auto t0 = std::chrono::steady_clock::now();
  std::fflush(nullptr);
  // Many more parts than processes, handed out as processes finish: the parts of a DPOR
  // tree differ widely in size. Their number does not depend on `jobs` (up to 16 jobs),
  // so neither does the verdict.
  const int parts =
      std::min(kMaxShards / std::max(1, options.shard_count), std::max(kParts, 4 * jobs));
  Shard outer{options.shard_index, options.shard_count};
  std::vector<Job> js(parts);
  int next = 0, running = 0, winner = parts;  // winner: the lowest part with a violation
  double next_report = 1.0;
  for (;;) {
    while (running < jobs && next < winner && next < parts) {
      int fds[2];
      KT_CHECK(pipe(fds) == 0, "pipe() failed");
      pid_t pid = fork();
      KT_CHECK(pid >= 0, "fork() failed");
      if (pid == 0) {
        close(fds[0]);
        SearchOptions o = options;
        Shard sub = outer.Sub(next, parts);
        o.shard_index = sub.index;
        o.shard_count = sub.count;
        if (o.split_levels < 0) o.split_levels = kSplitLevels;  // as for the whole search
        RunJob(program, o, bounds, fds[1]);
      }
      close(fds[1]);
      js[next].pid = pid;
      js[next].fd = fds[0];
      js[next].started = true;
      ++next, ++running;
    }
    std::vector<pollfd> polls;
    std::vector<int> which;
    for (int j = 0; j < parts; ++j)
      if (js[j].started && !js[j].done && !js[j].stopped) {
        polls.push_back({js[j].fd, POLLIN, 0});
        which.push_back(j);
      }
    if (polls.empty()) break;
    poll(polls.data(), polls.size(), 200);
    for (size_t k = 0; k < polls.size(); ++k) {
      if (!(polls[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      Job& job = js[which[k]];
      if (job.stopped) continue;  // stopped by a lower part's violation in this round
      if (Drain(job) && !job.done) {
        std::fprintf(stderr, "[internal bug] part %d ended without a verdict\n", which[k]);
        std::exit(3);
      }
      if (!job.done) continue;
      --running;
      close(job.fd);
      waitpid(job.pid, nullptr, 0);
      if (job.verdict.kind != VerdictKind::kViolation || which[k] >= winner) continue;
      winner = which[k];
      for (int h = winner + 1; h < parts; ++h)  // parts above it cannot win
        if (js[h].started && !js[h].done && !js[h].stopped) {
          kill(js[h].pid, SIGKILL);
          close(js[h].fd);
          waitpid(js[h].pid, nullptr, 0);
          js[h].stopped = true;
          --running;
        }
    }
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (progress && secs >= next_report) {
      Progress sum;
      sum.seconds = secs;
      int finished = 0;
      for (const Job& job : js) {
        if (job.done) ++finished;
        const Progress p = job.done ? Progress{job.verdict.executions, job.verdict.steps, 0, 0, 1}
                                    : job.progress;
        sum.executions += p.executions;
        sum.steps += p.steps;
        sum.depth = std::max(sum.depth, p.depth);
      }
      sum.fraction = static_cast<double>(finished) / parts;
      progress(sum);
      next_report = secs + 1.0;
    }
  }
  std::vector<Job> counted;
  for (Job& job : js)
    if (job.done && !job.stopped) counted.push_back(job);
  Verdict v = Merge(counted);
  v.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return v;
}

}  // namespace kt::explore
