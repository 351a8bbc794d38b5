#pragma once
// geosim play's options, and the session it opens with them: a new one from a scenario, or one
// resumed from a file saved with `save FILE`.
#include <geosim/tabletop/session.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli_common.hpp"
#include "room_server.hpp"

namespace geosim::cli {

/// What `geosim play` was given.
struct PlayOptions {
  std::string scenario;
  std::uint64_t seed = 1;
  std::vector<std::string> policies;
  std::vector<std::string> settings;  ///< --set NAME=VALUE
  std::string script;
  std::string resume;
  bool serve = false;
  RoomServerOptions room;  ///< --serve: where the live page listens
};

/// The session to play: resumed from --resume (which takes no scenario, seed, policies or
/// settings), else started from the scenario; nullopt once its errors are printed.
std::optional<Session> open_session(const PlayOptions& o, const CLI::App& cmd, const Common& common);

}  // namespace geosim::cli
