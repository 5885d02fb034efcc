// api_program.cc -- parsing and legalizing api_sequence's operation program
// (api_program.h). Pure: no kernel state, so the fuzzer and the CLI can canonicalize a
// program before it goes into a token.
#include "impl/modules/api_program.h"

#include <cctype>
#include <cstring>

namespace kt {
namespace {

enum class Slot { kEmpty, kCreated, kRunning, kParked };

// What the module has done so far, as far as the API's contracts care.
struct Model {
  int cpus;
  Slot slot[kApiSlots] = {Slot::kEmpty, Slot::kEmpty, Slot::kEmpty};
  bool freezable[kApiSlots] = {};
  int threads = 0;
  unsigned long online;  // CPU mask
  bool worker = false;
  bool worker_freezable = false;
  int workers = 0;
  bool delayed_maybe_pending = false;
  bool frozen = false;

  explicit Model(int n) : cpus(n < 1 ? 1 : n), online((1UL << (n < 1 ? 1 : n)) - 1) {}

  bool live(int s) const { return slot[s] != Slot::kEmpty; }
  // While frozen, a call that waits for a freezable task would wait for the thaw.
  bool worker_waitable() const { return worker && !(frozen && worker_freezable); }
  int hotplug_cpu(int arg) const { return 1 + arg % (cpus - 1); }

  // Applies `op` if it keeps the contracts; false if it must be skipped.
  bool Apply(const ApiOp& op) {
    const int s = op.arg % kApiSlots;
    switch (op.op) {
      case 'c': case 'r': case 'o': case 'z':
        if (live(s) || threads >= kMaxApiThreads) return false;
        ++threads;
        slot[s] = op.op == 'c' || op.op == 'o' ? Slot::kCreated : Slot::kRunning;
        freezable[s] = op.op == 'z';
        return true;
      case 'w':
        if (!live(s)) return false;
        if (slot[s] == Slot::kCreated) slot[s] = Slot::kRunning;
        return true;
      case 'b':
        return slot[s] == Slot::kCreated;
      case 'p':
        if (freezable[s] || (slot[s] != Slot::kCreated && slot[s] != Slot::kRunning)) return false;
        slot[s] = Slot::kParked;
        return true;
      case 'u':
        if (slot[s] != Slot::kParked) return false;
        slot[s] = Slot::kRunning;
        return true;
      case 's':
        if (!live(s) || (frozen && freezable[s])) return false;
        slot[s] = Slot::kEmpty;
        return true;
      case 'd': case 'e': {
        if (cpus < 2) return false;
        unsigned long bit = 1UL << hotplug_cpu(op.arg);
        if (op.op == 'd' ? !(online & bit) : (online & bit)) return false;
        online ^= bit;
        return true;
      }
      case 'k':
        if (worker || workers >= kMaxApiWorkers) return false;
        worker = true;
        worker_freezable = op.arg & 1;
        ++workers;
        delayed_maybe_pending = false;
        return true;
      case 'q':
        return worker;
      case 'l':
        if (!worker) return false;
        delayed_maybe_pending = true;
        return true;
      case 'h': case 'v': case 'x':
        return worker_waitable();
      case 'y':
        if (!worker_waitable()) return false;
        delayed_maybe_pending = false;
        return true;
      case 't':
        if (!worker_waitable()) return false;
        worker = false;
        return true;
      case 'i':
        if (frozen) return false;
        frozen = true;
        return true;
      case 'j':
        if (!frozen) return false;
        frozen = false;
        return true;
      case 'm':
        return true;
    }
    return false;
  }
};

}  // namespace

bool ParseApiProgram(std::string_view text, std::vector<ApiOp>* ops, std::string* error) {
  ops->clear();
  if (text.size() % 2 != 0 || text.size() / 2 > static_cast<size_t>(kMaxApiOps)) {
    *error = "ops=" + std::string(text) + ": expected up to " + std::to_string(kMaxApiOps) +
             " letter-digit pairs (letters " + kApiOpLetters + ")";
    return false;
  }
  for (size_t i = 0; i < text.size(); i += 2) {
    char op = text[i], digit = text[i + 1];
    if (!op || !std::strchr(kApiOpLetters, op) || !std::isdigit(static_cast<unsigned char>(digit))) {
      *error = "ops=" + std::string(text) + ": '" + std::string(text.substr(i, 2)) +
               "' is not a letter of " + kApiOpLetters + " followed by a digit";
      return false;
    }
    ops->push_back({op, digit - '0'});
  }
  return true;
}

std::vector<ApiOp> LegalizeApiProgram(const std::vector<ApiOp>& ops, int cpus) {
  Model m(cpus);
  std::vector<ApiOp> out;
  auto emit = [&](const ApiOp& op) {
    if (out.size() < static_cast<size_t>(kMaxApiOps) && m.Apply(op)) out.push_back(op);
  };
  for (const ApiOp& op : ops) {
    // Destroy repairs: cancel the delayed work first if it may be pending.
    if (op.op == 't' && m.worker_waitable() && m.delayed_maybe_pending) {
      if (out.size() + 2 > static_cast<size_t>(kMaxApiOps)) break;
      emit({'y', 0});
    }
    emit(op);
  }
  return out;
}

std::string ApiProgramText(const std::vector<ApiOp>& ops) {
  std::string s;
  for (const ApiOp& op : ops) {
    s += op.op;
    s += static_cast<char>('0' + op.arg);
  }
  return s;
}

std::string CanonicalApiProgram(std::string_view text, int cpus, std::string* error) {
  std::vector<ApiOp> ops;
  if (!ParseApiProgram(text, &ops, error)) return "";
  return ApiProgramText(LegalizeApiProgram(ops, cpus));
}

ApiOp ApiOpFromByte(uint8_t byte) {
  return {kApiOpLetters[byte % kApiOpCount], byte / kApiOpCount % 10};
}

}  // namespace kt
