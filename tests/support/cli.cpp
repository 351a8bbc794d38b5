#include "support/cli.hpp"

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>
#include <vector>

namespace geosim::testing {
namespace fs = std::filesystem;

namespace {
/// The folders temp_dir made, removed when the test program that made them ends (not by a
/// forked child); GEOSIM_KEEP_TEST_FILES=1 keeps them, to look into a failure.
struct MadeFolders {
  std::mutex mutex;
  std::vector<fs::path> paths;
  pid_t owner = ::getpid();
  ~MadeFolders() {
    if (::getpid() != owner || std::getenv("GEOSIM_KEEP_TEST_FILES")) return;
    for (const fs::path& p : paths) {
      std::error_code ec;
      fs::remove_all(p, ec);
    }
  }
};
MadeFolders& made_folders() {
  static MadeFolders made;
  return made;
}
}  // namespace

fs::path temp_dir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("geosim_test_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  MadeFolders& made = made_folders();
  std::lock_guard lock(made.mutex);
  made.paths.push_back(dir);
  return dir;
}

std::optional<std::string> find_program(std::initializer_list<const char*> names) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/bin:/bin");
  std::vector<std::string> folders;
  for (std::string dir; std::getline(dirs, dir, ':');) folders.push_back(dir.empty() ? "." : dir);
  for (const char* name : names)
    for (const auto& dir : folders) {
      const fs::path candidate = fs::path(dir) / name;
      std::error_code ec;
      if (fs::is_regular_file(candidate, ec) && ::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    }
  return std::nullopt;
}

void spit(const fs::path& path, const std::string& text) {
  if (path.has_parent_path()) fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

std::vector<std::string> names_in(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Output run_cli(const std::string& args) { return run_shell(std::string(GEOSIM_BINARY) + " " + args); }

Output run_shell(const std::string& command_line) {
  static int counter = 0;
  const fs::path dir = temp_dir("io" + std::to_string(counter++));
  const std::string command = std::string("export GEOSIM_SCENARIOS=") + GEOSIM_SCENARIOS_DIR + "; (" + command_line +
                              ") >" + (dir / "out").string() + " 2>" + (dir / "err").string() + " </dev/null";
  const int status = std::system(command.c_str());
  Output o{WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(dir / "out"), slurp(dir / "err")};
  fs::remove_all(dir);
  return o;
}

std::string doc_sh_block(const std::string& doc, const std::string& heading, int index) {
  std::istringstream text(slurp(fs::path(GEOSIM_SOURCE_DIR) / "docs" / doc));
  std::string line;
  while (std::getline(text, line) && line != heading) {
  }
  if (!text) return "";
  // Within the section: up to the next heading outside a code block ("#!/bin/bash" and
  // "#SBATCH" lines are inside one).
  int block = 0;
  bool in_fence = false, wanted = false;
  std::string out;
  while (std::getline(text, line)) {
    if (line.rfind("```", 0) == 0) {
      if (in_fence && wanted) return out;
      in_fence = !in_fence;
      wanted = in_fence && line == "```sh" && block++ == index;
      continue;
    }
    if (wanted)
      out += line + "\n";
    else if (!in_fence && line.rfind("#", 0) == 0 && line.find_first_not_of('#') < line.size() &&
             line[line.find_first_not_of('#')] == ' ')
      return "";  // the next heading
  }
  return "";
}

std::string sh_word_after(const std::string& command, const std::string& what) {
  const std::size_t at = command.find(what);
  if (at == std::string::npos) return "";
  const std::size_t from = command.find_first_not_of(" \t", at + what.size());
  if (from == std::string::npos || from == at + what.size()) return "";
  return command.substr(from, command.find_first_of(" \t\n\\", from) - from);
}

HangLimit::HangLimit(unsigned seconds) { ::alarm(seconds); }
HangLimit::~HangLimit() { ::alarm(0); }

FileSizeLimit::FileSizeLimit(unsigned long long bytes) {
  old_handler_ = std::signal(SIGXFSZ, SIG_IGN);
  rlimit limit{};
  ::getrlimit(RLIMIT_FSIZE, &limit);
  old_soft_ = limit.rlim_cur;
  limit.rlim_cur = rlim_t(bytes);
  ::setrlimit(RLIMIT_FSIZE, &limit);
}

FileSizeLimit::~FileSizeLimit() {
  rlimit limit{};
  ::getrlimit(RLIMIT_FSIZE, &limit);
  limit.rlim_cur = rlim_t(old_soft_);
  ::setrlimit(RLIMIT_FSIZE, &limit);
  std::signal(SIGXFSZ, old_handler_);
}

}  // namespace geosim::testing
