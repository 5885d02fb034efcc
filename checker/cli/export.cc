#include "checker/cli/export.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>

namespace kt::cli {

void WriteFormat(std::ostream& out, const Report& r, const std::string& format) {
  if (format == "json")
    out << ToJson(r).dump(2) << "\n";
  else if (format == "perfetto")
    WritePerfetto(out, r);
  else if (format == "ftrace")
    WriteFtrace(out, r);
  else if (format == "html")
    WriteHtml(out, r);
  else
    PrintText(out, r);
}

bool EmitReport(const Report& r, const std::string& format, const std::string& output,
                std::string* error) {
  if (output.empty() || output == "-") {
    WriteFormat(std::cout, r, format);
    return true;
  }
  std::ofstream file(output, std::ios::binary | std::ios::trunc);
  if (file) WriteFormat(file, r, format);
  if (file) file.close();
  if (!file) {
    *error = "--output=" + output + ": cannot write the file (" + std::strerror(errno) + ")";
    return false;
  }
  std::cout << "wrote " << output << " (" << format << ", " << r.trace.size() << " steps)\n";
  return true;
}

}  // namespace kt::cli
