// Test support: reading the PDFs the printing module draws with tools we did
// not write (../shared/TESTING.md) — Debian's poppler-utils (pdftotext,
// pdfinfo, pdffonts, pdftoppm), qpdf and zbar-tools' zbarimg. All are in
// scripts/deps.sh; a missing tool fails the test (its output is empty).
// Test-only; each call uses its own temporary files.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace nongsan::printing::testing {

struct ToolRun {
  int exit_code = -1;
  std::string out;  // stdout and stderr
};

// Runs a shell command; stderr joins stdout unless the command redirects it.
inline ToolRun RunTool(const std::string& command) {
  ToolRun run;
  const std::string full = command.find("2>") == std::string::npos ? command + " 2>&1" : command;
  std::unique_ptr<FILE, decltype(&pclose)> pipe(popen(full.c_str(), "r"), &pclose);
  if (!pipe) return run;
  char buf[4096];
  while (std::fgets(buf, sizeof buf, pipe.get()) != nullptr) run.out += buf;
  const int status = pclose(pipe.release());
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

// A PDF written to a temporary file for the tools; removed with the object.
class PdfFile {
 public:
  explicit PdfFile(const std::string& bytes) {
    static int counter = 0;
    dir_ = std::filesystem::temp_directory_path() /
           ("nongsan-print-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "f.pdf").string();
    std::ofstream(path_, std::ios::binary) << bytes;
  }
  ~PdfFile() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  PdfFile(const PdfFile&) = delete;
  PdfFile& operator=(const PdfFile&) = delete;

  const std::string& path() const { return path_; }
  // In reading order (columns one after the other).
  std::string Text() const { return RunTool("pdftotext '" + path_ + "' -").out; }
  // As laid out on the page, line by line (a table of contents' rows).
  std::string LayoutText() const { return RunTool("pdftotext -layout '" + path_ + "' -").out; }
  std::string Info() const { return RunTool("pdfinfo '" + path_ + "'").out; }
  std::string Fonts() const { return RunTool("pdffonts '" + path_ + "'").out; }
  ToolRun QpdfCheck() const { return RunTool("qpdf --check '" + path_ + "'"); }

  int Pages() const {
    std::smatch m;
    const std::string info = Info();
    if (std::regex_search(info, m, std::regex(R"(Pages:\s+(\d+))"))) return std::stoi(m[1]);
    return -1;
  }
  // The first page's size in millimetres, from pdfinfo's points.
  std::pair<double, double> PageSizeMm() const {
    std::smatch m;
    const std::string info = Info();
    if (!std::regex_search(info, m, std::regex(R"(Page size:\s+([\d.]+) x ([\d.]+) pts)"))) return {-1, -1};
    constexpr double kMmPerPoint = 25.4 / 72.0;
    return {std::stod(m[1]) * kMmPerPoint, std::stod(m[2]) * kMmPerPoint};
  }
  // Each font row of pdffonts with its "emb" column: true when every font
  // is embedded (and there is at least one).
  bool AllFontsEmbedded(std::string* listing = nullptr) const {
    const std::string fonts = Fonts();
    if (listing) *listing = fonts;
    std::istringstream lines(fonts);
    std::string line;
    int rows = 0;
    bool all = true;
    while (std::getline(lines, line)) {
      if (line.rfind("name", 0) == 0 || line.rfind("----", 0) == 0 || line.empty()) continue;
      ++rows;
      // Columns: name type encoding emb sub uni object ID; emb is the
      // fourth field from the end of "yes/no yes/no yes/no <obj> <gen>".
      std::istringstream fields(line);
      std::vector<std::string> f;
      for (std::string w; fields >> w;) f.push_back(w);
      if (f.size() < 5 || f[f.size() - 5] != "yes") all = false;
    }
    return rows > 0 && all;
  }
  // What zbarimg decodes on page `page` rendered at 300 dpi, one symbol per
  // line ("" when nothing).
  std::string Decode(int page = 1) const {
    const std::string prefix = (dir_ / ("p" + std::to_string(page))).string();
    RunTool("pdftoppm -r 300 -png -f " + std::to_string(page) + " -l " + std::to_string(page) +
            " -singlefile '" + path_ + "' '" + prefix + "'");
    return RunTool("zbarimg -q --raw '" + prefix + ".png' 2>/dev/null").out;
  }

 private:
  std::filesystem::path dir_;
  std::string path_;
};

}  // namespace nongsan::printing::testing
