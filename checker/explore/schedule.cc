#include "checker/explore/schedule.h"

#include <cctype>

namespace kt::explore {
namespace {

constexpr int kMaxTaskId = 31;
constexpr size_t kMaxChoices = 10'000'000;

char TaskChar(TaskId t) { return t < 26 ? static_cast<char>('a' + t) : static_cast<char>('A' + t - 26); }

int CharTask(char c) {
  if (c >= 'a' && c <= 'z') return c - 'a';
  if (c >= 'A' && c <= 'A' + (kMaxTaskId - 26)) return c - 'A' + 26;
  return -1;
}

bool NameOk(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.')
      return false;
  return true;
}

// `s` for an error message: non-printable bytes as \xNN, so that a token with a newline
// or a control byte still gets one line of error text (STYLE.md 3.6; found by
// //fuzz:token_fuzzer).
std::string Printable(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (std::isprint(u)) {
      out += c;
    } else {
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i)
    if (i == s.size() || s[i] == sep) {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  return out;
}

bool DecodeChoices(std::string_view s, std::vector<TaskId>* out, std::string* error) {
  for (size_t i = 0; i < s.size();) {
    int t = CharTask(s[i]);
    if (t < 0) {
      *error = "bad schedule token: '" + Printable(s.substr(i, 1)) + "' at choice offset " +
               std::to_string(i) + " is not a task letter (a-z, A-F)";
      return false;
    }
    ++i;
    uint64_t n = 0;
    size_t digits = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])) && digits < 9) {
      n = n * 10 + static_cast<uint64_t>(s[i] - '0');
      ++i;
      ++digits;
    }
    if (digits == 0) n = 1;
    if (n == 0 || out->size() + n > kMaxChoices) {
      *error = "bad schedule token: a repeat count is 0 or the schedule is longer than " +
               std::to_string(kMaxChoices) + " steps";
      return false;
    }
    out->insert(out->end(), n, static_cast<TaskId>(t));
  }
  return true;
}

}  // namespace

const std::string* ScheduleToken::Param(std::string_view key) const {
  for (const auto& [k, v] : params)
    if (k == key) return &v;
  return nullptr;
}

std::string EncodeToken(const ScheduleToken& token) {
  std::string s = "kt1:" + token.program + ":";
  for (size_t i = 0; i < token.params.size(); ++i)
    s += (i ? "," : "") + token.params[i].first + "=" + token.params[i].second;
  s += ":";
  for (size_t i = 0; i < token.choices.size();) {
    size_t j = i;
    while (j < token.choices.size() && token.choices[j] == token.choices[i]) ++j;
    s += TaskChar(token.choices[i]);
    if (j - i > 1) s += std::to_string(j - i);
    i = j;
  }
  return s;
}

std::optional<ScheduleToken> DecodeToken(std::string_view text, std::string* error) {
  std::vector<std::string_view> parts = Split(text, ':');
  if (parts.size() != 4 || parts[0] != "kt1") {
    *error = parts.empty() || parts[0] != "kt1"
                 ? "bad schedule token: expected it to start with 'kt1:' (format version 1)"
                 : "bad schedule token: expected kt1:<program>:<params>:<choices>";
    return std::nullopt;
  }
  ScheduleToken token;
  if (!NameOk(parts[1])) {
    *error = "bad schedule token: the program name is empty or has invalid characters";
    return std::nullopt;
  }
  token.program = std::string(parts[1]);
  if (!parts[2].empty())
    for (std::string_view kv : Split(parts[2], ',')) {
      size_t eq = kv.find('=');
      if (eq == std::string_view::npos || !NameOk(kv.substr(0, eq)) ||
          !NameOk(kv.substr(eq + 1))) {
        *error = "bad schedule token: parameter '" + Printable(kv) + "' is not key=value";
        return std::nullopt;
      }
      token.params.emplace_back(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
    }
  if (parts[3].empty()) {
    *error = "bad schedule token: it has no choices";
    return std::nullopt;
  }
  if (!DecodeChoices(parts[3], &token.choices, error)) return std::nullopt;
  return token;
}

}  // namespace kt::explore
