// export.h -- the formats of `kthcheck replay --format` and `kthcheck report --format`.
//
// | format   | what                                                       | written by         |
// |----------+------------------------------------------------------------+--------------------|
// | text     | the human report: oracle, one sentence, interleaving,     | report.cc          |
// |          | replay command                                             |                    |
// | json     | the result with its trace, for scripts                     | report.cc          |
// | perfetto | Chrome/Perfetto trace-event JSON: a track per CPU and per  | export_perfetto.cc |
// |          | task (ui.perfetto.dev, chrome://tracing)                   |                    |
// | ftrace   | trace-cmd report style text: sched_switch, sched_waking,   | export_ftrace.cc   |
// |          | sched_wakeup and kthread events, a timestamp per step      |                    |
// | html     | one self-contained page: a swimlane per task               | export_html.cc     |
//
// perfetto, ftrace and html read the trace through timeline.h, at 1 step = 1 us. See
// docs/exports.md for how to open each one.
#ifndef KTHCHECK_CHECKER_CLI_EXPORT_H_
#define KTHCHECK_CHECKER_CLI_EXPORT_H_

#include <ostream>
#include <string>

#include "checker/cli/report.h"

namespace kt::cli {

inline constexpr const char* kFormats[] = {"text", "json", "perfetto", "ftrace", "html"};

void WritePerfetto(std::ostream& out, const Report& r);
void WriteFtrace(std::ostream& out, const Report& r);
void WriteHtml(std::ostream& out, const Report& r);

// Writes `r` in `format` (one of kFormats; the CLI checks it) to `out`.
void WriteFormat(std::ostream& out, const Report& r, const std::string& format);

// Writes `r` in `format` to the file `output`, or to stdout if `output` is empty. False,
// with a one-line *error, if the file cannot be written.
bool EmitReport(const Report& r, const std::string& format, const std::string& output,
                std::string* error);

}  // namespace kt::cli

#endif  // KTHCHECK_CHECKER_CLI_EXPORT_H_
