// What a PDF says, as the document tests read it: pdftotext's output (poppler-utils, installed by
// scripts/install-deps.sh), and the no-break spaces octroi prints turned into plain spaces so that
// expected texts can be typed with ordinary ones.
#pragma once

#include <cstdio>
#include <string>

namespace octroi_test {

// U+202F and U+00A0 as plain spaces.
inline std::string flat_spaces(std::string s) {
  for (const std::string& nb : {std::string("\xE2\x80\xAF"), std::string("\xC2\xA0")})
    for (auto at = s.find(nb); at != std::string::npos; at = s.find(nb, at))
      s.replace(at, nb.size(), " ");
  return s;
}

// The standard output of `command` (no shell quoting is done here: quote the paths yourself).
inline std::string command_output(const std::string& command) {
  std::string out;
  if (FILE* p = popen(command.c_str(), "r")) {
    char buf[4096];
    for (std::size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;)
      out.append(buf, n);
    pclose(p);
  }
  return out;
}

// The text of the PDF file at `path` (pdftotext -layout), its no-break spaces as spaces.
inline std::string pdf_text(const std::string& path) {
  return flat_spaces(command_output("pdftotext -layout '" + path + "' -"));
}

}  // namespace octroi_test
