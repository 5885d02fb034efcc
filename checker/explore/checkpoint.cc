#include "checker/explore/checkpoint.h"

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <utility>

namespace kt::explore {
namespace {

using nlohmann::json;

constexpr int kVersion = 1;

// A JSON integer that fits T, or an exception that names the field. nlohmann's get<T>()
// casts a float to T, which is undefined behaviour when the float is out of T's range
// (checkpoint_fuzzer: a 116-digit number in a stack node), and wraps an integer that
// does not fit; a saved checkpoint holds neither.
template <typename T>
T Whole(const json& j, const std::string& what) {
  if (j.is_number_unsigned() && std::in_range<T>(j.get<uint64_t>()))
    return static_cast<T>(j.get<uint64_t>());
  if (j.is_number_integer() && !j.is_number_unsigned() && std::in_range<T>(j.get<int64_t>()))
    return static_cast<T>(j.get<int64_t>());
  throw std::runtime_error(what + " is not an integer in range");
}

template <typename T>
T WholeAt(const json& j, const char* key) {
  return Whole<T>(j.at(key), key);
}

// The version field is the integer kVersion (j.value(key, 0) would make the same cast).
bool IsVersion(const json& j) {
  auto it = j.find("kthcheck_checkpoint");
  return it != j.end() && it->is_number_integer() && *it == kVersion;
}

json KeyJson(const CheckpointKey& k) {
  return {{"program", k.program},
          {"search", k.search},
          {"max_steps", k.max_steps},
          {"max_preemptions", k.max_preemptions},
          {"hung_task_timeout", k.hung_task_timeout},
          {"shard_index", k.shard_index},
          {"shard_count", k.shard_count},
          {"split_levels", k.split_levels}};
}

CheckpointKey KeyFrom(const json& j) {
  CheckpointKey k;
  k.program = j.at("program").get<std::string>();
  k.search = j.at("search").get<std::string>();
  k.max_steps = WholeAt<uint64_t>(j, "max_steps");
  k.max_preemptions = WholeAt<int>(j, "max_preemptions");
  k.hung_task_timeout = WholeAt<uint64_t>(j, "hung_task_timeout");
  k.shard_index = WholeAt<int>(j, "shard_index");
  k.shard_count = WholeAt<int>(j, "shard_count");
  k.split_levels = WholeAt<int>(j, "split_levels");
  return k;
}

// A node as a compact array: [enabled, backtrack, done, sleep, chosen, preemptions,
// preempts, pruned, level, key].
json NodeJson(const DporNode& n) {
  return json::array({n.enabled, n.backtrack, n.done, n.sleep, n.chosen, n.preemptions,
                      n.preempts, n.pruned, n.level, n.key});
}

DporNode NodeFrom(const json& j) {
  if (!j.is_array() || j.size() != 10) throw std::runtime_error("a stack node has 10 fields");
  DporNode n;
  n.enabled = Whole<uint32_t>(j[0], "a stack node's enabled");
  n.backtrack = Whole<uint32_t>(j[1], "a stack node's backtrack");
  n.done = Whole<uint32_t>(j[2], "a stack node's done");
  n.sleep = Whole<uint32_t>(j[3], "a stack node's sleep");
  n.chosen = Whole<TaskId>(j[4], "a stack node's chosen");
  n.preemptions = Whole<int>(j[5], "a stack node's preemptions");
  n.preempts = Whole<uint32_t>(j[6], "a stack node's preempts");
  n.pruned = Whole<uint32_t>(j[7], "a stack node's pruned");
  n.level = Whole<int>(j[8], "a stack node's level");
  n.key = Whole<uint64_t>(j[9], "a stack node's key");
  return n;
}

}  // namespace

bool SaveCheckpoint(const std::string& path, const Checkpoint& c, std::string* error) {
  json j;
  j["kthcheck_checkpoint"] = kVersion;
  j["key"] = KeyJson(c.key);
  j["executions"] = c.executions;
  j["steps"] = c.steps;
  j["sleep_blocked"] = c.sleep_blocked;
  j["other_shard"] = c.other_shard;
  j["seconds"] = c.seconds;
  j["step_bound"] = c.step_bound;
  j["step_message"] = c.step_message;
  j["replay_depth"] = c.dpor.replay_depth;
  j["started"] = c.dpor.started;
  j["preemption_bound_hit"] = c.dpor.preemption_bound_hit;
  json stack = json::array();
  for (const DporNode& n : c.dpor.stack) stack.push_back(NodeJson(n));
  j["stack"] = std::move(stack);
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << j.dump() << "\n";
    if (!out.flush()) {
      *error = "cannot write " + tmp;
      return false;
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    *error = "cannot rename " + tmp + " to " + path;
    return false;
  }
  return true;
}

std::optional<Checkpoint> LoadCheckpoint(const std::string& path, std::string* error) {
  std::ifstream in(path);
  if (!in) {
    *error = "--resume=" + path + ": cannot read the file";
    return std::nullopt;
  }
  try {
    json j = json::parse(in);
    if (!j.is_object() || !IsVersion(j)) {
      *error = "--resume=" + path + ": not a kthcheck checkpoint (version " +
               std::to_string(kVersion) + ")";
      return std::nullopt;
    }
    Checkpoint c;
    c.key = KeyFrom(j.at("key"));
    c.executions = WholeAt<uint64_t>(j, "executions");
    c.steps = WholeAt<uint64_t>(j, "steps");
    c.sleep_blocked = WholeAt<uint64_t>(j, "sleep_blocked");
    c.other_shard = WholeAt<uint64_t>(j, "other_shard");
    c.seconds = j.at("seconds").get<double>();
    c.step_bound = j.at("step_bound").get<std::string>();
    c.step_message = j.at("step_message").get<std::string>();
    c.dpor.replay_depth = WholeAt<int>(j, "replay_depth");
    c.dpor.started = j.at("started").get<bool>();
    c.dpor.preemption_bound_hit = j.at("preemption_bound_hit").get<bool>();
    for (const json& n : j.at("stack")) c.dpor.stack.push_back(NodeFrom(n));
    return c;
  } catch (const std::exception& e) {
    *error = "--resume=" + path + ": malformed checkpoint (" + e.what() + ")";
    return std::nullopt;
  }
}

std::string CheckpointMismatch(const Checkpoint& c, const CheckpointKey& key) {
  const CheckpointKey& k = c.key;
  auto differ = [](const char* what, const std::string& saved, const std::string& now) {
    return std::string(what) + " is " + now + " but the checkpoint was taken with " + saved;
  };
  if (k.program != key.program) return differ("the program", k.program, key.program);
  if (k.search != key.search) return differ("--strategy", k.search, key.search);
  if (k.max_steps != key.max_steps)
    return differ("--max-steps", std::to_string(k.max_steps), std::to_string(key.max_steps));
  if (k.max_preemptions != key.max_preemptions)
    return differ("--max-preemptions", std::to_string(k.max_preemptions),
                  std::to_string(key.max_preemptions));
  if (k.hung_task_timeout != key.hung_task_timeout)
    return differ("--hung-task-timeout", std::to_string(k.hung_task_timeout),
                  std::to_string(key.hung_task_timeout));
  if (k.shard_index != key.shard_index || k.shard_count != key.shard_count ||
      k.split_levels != key.split_levels)
    return differ("the shard", std::to_string(k.shard_index) + "/" + std::to_string(k.shard_count),
                  std::to_string(key.shard_index) + "/" + std::to_string(key.shard_count));
  return "";
}

}  // namespace kt::explore
