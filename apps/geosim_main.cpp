// geosim: the command line. Each command lives in its own cmd_<name>.cpp; this file only
// wires them together.
#include <algorithm>

#include "cli_common.hpp"

int main(int argc, char** argv) {
  CLI::App app{"geosim: a geopolitical scenario simulator.\n"
               "Actors form a weighted relation graph whose tensions evolve step by step under events.\n"
               "Start with `geosim list`, then `geosim run SCENARIO`."};
  app.require_subcommand(1);
  geosim::cli::Common common;
  app.add_option("--scenarios-dir", common.scenarios_dir,
                 "folder of shipped scenarios (default: $GEOSIM_SCENARIOS, ./scenarios, or scenarios/ in $GEOSIM_DATA, beside the program or in its share/geosim)");
  auto commands = geosim::cli::registered_commands();
  std::sort(commands.begin(), commands.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<geosim::cli::Handler> handlers;
  for (const auto& [order, factory] : commands) handlers.push_back(factory(app, common));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version exit 0; every argument error exits 1, as any other error (CLI11's own
    // codes, 104 to 114, would tell a script nothing more).
    return app.exit(e) == 0 ? 0 : 1;
  }
  for (const auto& handler : handlers)
    if (const int code = handler(); code >= 0) return code;
  return 1;
}
