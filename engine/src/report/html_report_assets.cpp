// The HTML report's helpers from outside the program: the JavaScript libraries read from a
// node_modules folder, and Graphviz run as a process.
#include "html_report_assets.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <thread>

#include "geosim/io/catalog.hpp"
#include "geosim/io/input_file.hpp"
#include "geosim/io/interrupt.hpp"
#include "geosim/report/html_report.hpp"

extern char** environ;

namespace geosim {
namespace fs = std::filesystem;

namespace {

/// Most bytes of one chart library or one Graphviz output read into a report: 32 MiB.
constexpr std::size_t kMaxAssetBytes = std::size_t(32) << 20;

/// A file the report inlines, read as any input is (input_file.hpp): a regular file, bounded.
std::optional<std::string> read_text(const fs::path& path) {
  return read_input_file(path.string(), kMaxAssetBytes).text;
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

/// A fresh private folder under the system's temporary folder.
std::optional<fs::path> make_temp_dir() {
  std::error_code ec;
  const fs::path base = fs::temp_directory_path(ec);
  std::string pattern = ((ec ? fs::path("/tmp") : base) / "geosim-report-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) return std::nullopt;
  return fs::path(pattern);
}

}  // namespace

std::string default_report_js_dir() {
  if (const char* env = std::getenv("GEOSIM_JS_DIR"); env && *env) return env;
  std::error_code ec;
  for (const std::string& dir : data_dirs())
    if (fs::is_directory(fs::path(dir) / "node_modules", ec)) return (fs::path(dir) / "node_modules").string();
  return "";
}

namespace detail {

std::string neutralize_urls(const std::string& text, const std::string& colon) {
  std::string out;
  out.reserve(text.size());
  auto lower_at = [&](std::size_t i) { return char(std::tolower(static_cast<unsigned char>(text[i]))); };
  auto matches = [&](std::size_t i, const char* word) {
    for (std::size_t k = 0; word[k]; ++k)
      if (i + k >= text.size() || lower_at(i + k) != word[k]) return false;
    return true;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (lower_at(i) == 'h' && (matches(i, "http://") || matches(i, "https://"))) {
      const std::size_t scheme = matches(i, "http://") ? 4 : 5;
      out.append(text, i, scheme);
      out += colon;
      i += scheme;  // the ':' is replaced; the loop's ++i moves past it
      continue;
    }
    out += text[i];
  }
  return out;
}

std::string inline_script_text(std::string code) {
  // Source-map comments: "//# sourceMappingURL=..." up to the end of its line.
  for (std::size_t at = code.find("//# sourceMappingURL="); at != std::string::npos;
       at = code.find("//# sourceMappingURL=", at)) {
    const std::size_t end = code.find('\n', at);
    code.erase(at, end == std::string::npos ? std::string::npos : end - at);
  }
  replace_all(code, "</script", "<\\/script");
  replace_all(code, "</SCRIPT", "<\\/SCRIPT");
  replace_all(code, "<!--", "<\\!--");
  return neutralize_urls(code, "\\x3a");
}

std::vector<JsLibrary> load_js_libraries(const std::string& dir, std::string& error) {
  static const std::array<std::pair<const char*, const char*>, 3> files{{
      {"vega", "build/vega.min.js"},
      {"vega-lite", "build/vega-lite.min.js"},
      {"vega-embed", "build/vega-embed.min.js"},
  }};
  if (dir.empty()) {
    error = "no folder of JavaScript libraries was given (set GEOSIM_JS_DIR)";
    return {};
  }
  std::vector<JsLibrary> libraries;
  for (const auto& [name, file] : files) {
    const fs::path package = fs::path(dir) / name;
    auto code = read_text(package / file);
    if (!code || code->empty()) {
      error = fmt::format("{} not found in {}", (fs::path(name) / file).string(), dir);
      return {};
    }
    std::string version;
    std::vector<std::string> read{(package / file).string()};
    if (auto manifest = read_text(package / "package.json")) {
      read.push_back((package / "package.json").string());
      const auto json = nlohmann::json::parse(*manifest, nullptr, false);
      if (json.is_object() && json.contains("version") && json["version"].is_string())
        version = json["version"].get<std::string>();
    }
    libraries.push_back({name, version, inline_script_text(std::move(*code)), std::move(read)});
  }
  return libraries;
}

}  // namespace detail

std::optional<std::string> graphviz_svg(const std::string& dot, const std::string& program,
                                        const std::string& id_prefix, std::string& error,
                                        std::chrono::milliseconds deadline) {
  const auto dir = make_temp_dir();
  if (!dir) {
    error = "cannot create a temporary folder for Graphviz";
    return std::nullopt;
  }
  struct Cleanup {
    fs::path dir;
    ~Cleanup() {
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
  } cleanup{*dir};
  const fs::path in = *dir / "graph.dot", out = *dir / "graph.svg", err = *dir / "stderr.txt";
  // On Ctrl-C: the child stopped and reaped, the files and then the folder removed.
  const CleanupPath dir_on_interrupt(dir->string()), in_on_interrupt(in.string()), out_on_interrupt(out.string()),
      err_on_interrupt(err.string());
  {
    std::ofstream file(in, std::ios::binary);
    file << dot;
    if (!file.flush()) {
      error = "cannot write the graph for Graphviz";
      return std::nullopt;
    }
  }
  // Looks: rounded boxes, small arrows, no background; the DOT's own colours and widths stay.
  std::vector<std::string> args{program,
                                "-Tsvg",
                                "-Gbgcolor=transparent",
                                "-Gpad=0.2",
                                "-Nshape=box",
                                "-Nstyle=rounded",
                                "-Nfontname=DejaVu Sans,Helvetica,Arial,sans-serif",
                                "-Nfontsize=16",
                                "-Earrowsize=0.7",
                                "-o",
                                out.string(),
                                in.string()};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  // The child starts with SIGXFSZ at its default (geosim ignores it to report a size limit as a
  // failed write; Graphviz should not inherit that), in a process group of its own (pgroup 0: its
  // pid), so that stopping it stops whatever it started too (a wrapper script's own children).
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGXFSZ);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  pid_t pid = 0;
  int spawned = 0;
  // Registered for Ctrl-C before a Ctrl-C can act: held back from the spawn to the registration
  // (the child runs with the mask from before), so a child is never left running.
  std::optional<CleanupChild> child_on_interrupt;
  {
    const InterruptsHeld held;
    posix_spawnattr_setsigmask(&attributes, &held.before());
    posix_spawnattr_setpgroup(&attributes, 0);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP);
    spawned = posix_spawnp(&pid, program.c_str(), &actions, &attributes, argv.data(), environ);
    if (spawned == 0) child_on_interrupt.emplace(pid);
  }
  posix_spawnattr_destroy(&attributes);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    // Not found: a mistyped layout name as likely as a missing package.
    error = spawned == ENOENT
                ? fmt::format(
                      "cannot run Graphviz '{}': no such program (a layout is one of Graphviz's programs: dot, "
                      "neato, fdp, sfdp, circo, twopi; or install the graphviz package)",
                      program)
                : fmt::format("cannot run Graphviz '{}': {}", program, std::strerror(spawned));
    return std::nullopt;
  }
  // A graph of a few actors takes milliseconds; give up after a minute (by default). The child is
  // reaped only once it is off the interrupt registry, which must never kill a pid that may be
  // reused; until it is reaped its pid is also its group's id, so killing the group is safe.
  const auto give_up = std::chrono::steady_clock::now() + deadline;
  bool too_long = false;
  while (true) {
    siginfo_t info{};
    if (::waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0 && errno != EINTR) {
      error = fmt::format("lost Graphviz '{}' while waiting for it", program);
      return std::nullopt;
    }
    if (info.si_pid == pid) {
      ::kill(-pid, SIGKILL);  // anything it started and left running
      break;
    }
    if (std::chrono::steady_clock::now() > give_up) {
      ::kill(-pid, SIGKILL);  // its group, and itself should it have left it (the wait below must end)
      ::kill(pid, SIGKILL);
      too_long = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  child_on_interrupt.reset();
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (too_long) {
    error = deadline == std::chrono::seconds(60)
                ? fmt::format("Graphviz '{}' took more than a minute; stopped it", program)
                : fmt::format("Graphviz '{}' took more than {} ms; stopped it", program, deadline.count());
    return std::nullopt;
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::string message = read_text(err).value_or("");
    message = message.substr(0, message.find('\n'));
    error = fmt::format("Graphviz '{}' failed{}{}", program, message.empty() ? "" : ": ", message);
    return std::nullopt;
  }
  auto svg = read_text(out);
  const std::size_t start = svg ? svg->find("<svg") : std::string::npos;
  if (start == std::string::npos) {
    error = fmt::format("Graphviz '{}' wrote no SVG", program);
    return std::nullopt;
  }
  // Inline SVG in HTML needs no prologue, DOCTYPE or namespace declarations (the HTML parser
  // puts <svg> in the SVG namespace), and ids must not clash with the page's.
  std::string text = svg->substr(start);
  for (const char* attribute : {" xmlns=\"", " xmlns:xlink=\""}) {
    const std::size_t at = text.find(attribute);
    if (at == std::string::npos) continue;
    const std::size_t end = text.find('"', at + std::strlen(attribute));
    if (end != std::string::npos) text.erase(at, end + 1 - at);
  }
  replace_all(text, " id=\"", " id=\"" + id_prefix);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  return detail::neutralize_urls(text, "&#58;");
}

}  // namespace geosim
