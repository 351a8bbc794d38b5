// libFuzzer target: the `geosim play` command language. Each input is a script, one command a
// line, parsed and played against a fresh session of the shipped realignment scenario, exactly as the
// play command does (minus file output). A bad line must give one error line and leave the
// session usable; nothing may crash, hang or grow without bound.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "geosim/tabletop/session.hpp"
#include "geosim/tabletop/session_command.hpp"

namespace {

const geosim::Session& prototype() {
  static const geosim::Session session = [] {
    geosim::SessionSetup setup;
    setup.scenario = "realignment";
    setup.scenarios_dir = GEOSIM_SCENARIOS_DIR;
    std::vector<geosim::Diagnostic> errors;
    std::optional<geosim::Session> started = geosim::Session::start(setup, errors);
    if (!started) std::abort();
    return *std::move(started);
  }();
  return session;
}

// Moves read policy files: only shipped names, not arbitrary paths (a fuzzer could name a FIFO).
bool reads_no_files(const geosim::SessionCommand& command) {
  using geosim::CommandKind;
  if (command.kind == CommandKind::save || command.kind == CommandKind::report) return false;
  if (command.kind == CommandKind::move) return command.argument.find_first_of("/.\\") == std::string::npos;
  return true;
}

void play(geosim::Session& session, const geosim::SessionCommand& command) {
  using geosim::CommandKind;
  switch (command.kind) {
    case CommandKind::step:
    case CommandKind::inject_event:
    case CommandKind::inject_adhoc:
    case CommandKind::move:
      session.apply(command);
      break;
    case CommandKind::undo:
      session.undo();
      break;
    case CommandKind::branch:
      session.branch(command.argument);
      break;
    case CommandKind::switch_branch:
      session.switch_to(command.argument);
      break;
    default:
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 4096) return -1;  // a script, not a novel: keeps each input fast
  geosim::Session session = prototype();
  std::istringstream script(std::string(reinterpret_cast<const char*>(data), size));
  std::string line;
  while (std::getline(script, line)) {
    const geosim::ParsedCommand parsed = geosim::parse_session_command(line);
    if (parsed.command.has_value() == !parsed.error.empty()) std::abort();  // exactly one of the two
    if (!parsed.command) {
      if (parsed.error.find('\n') != std::string::npos) std::abort();  // one line
      continue;
    }
    if (reads_no_files(*parsed.command)) play(session, *parsed.command);
  }
  return 0;
}
