// geosim play: opening the session, new or resumed (see play_open.hpp).
#include "play_open.hpp"

#include <fmt/format.h>
#include <geosim/io/escape.hpp>
#include <geosim/io/input_file.hpp>
#include <geosim/tabletop/session_file.hpp>

#include <cstdio>

namespace geosim::cli {

std::optional<Session> open_session(const PlayOptions& o, const CLI::App& cmd, const Common& common) {
  if (!o.resume.empty()) {
    if (cmd.count("scenario") || cmd.count("--seed") || cmd.count("--policy") || cmd.count("--set")) {
      fail(
          "--resume takes the scenario, seed, policies and settings from the session file; give none of them with "
          "it");
      return std::nullopt;
    }
    const InputText input = read_input_file(o.resume, kMaxSessionFileBytes);
    if (!input.text) {
      fail(fmt::format("cannot read the session file '{}': {}", o.resume, input.error));
      return std::nullopt;
    }
    const std::string* text = &*input.text;
    ResumeResult resumed = session_from_json(*text, o.resume, common.scenarios_dir);
    for (const auto& w : resumed.warnings) std::fprintf(stderr, "geosim: warning: %s\n", terminal_text(w).c_str());
    if (!resumed.session) report_errors(resumed.errors);
    return std::move(resumed.session);
  }
  std::vector<Diagnostic> errors;
  std::vector<ParameterSetting> settings;
  if (const std::string error = parse_settings(o.settings, settings); !error.empty()) {
    report_errors({{"--set", 0, 0, error}});
    return std::nullopt;
  }
  auto session = Session::start(
      {o.scenario, o.policies, o.seed, common.scenarios_dir, "", {}, {}, std::move(settings), kEnsembleMemoryBudget},
      errors);
  if (!session) report_errors(errors);
  return session;
}

}  // namespace geosim::cli
