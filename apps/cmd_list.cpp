// geosim list: what ships, one line each, so a newcomer knows what to type next.
#include <fmt/format.h>
#include <geosim/io/catalog.hpp>
#include <geosim/io/escape.hpp>

#include <algorithm>
#include <cstdio>

#include "cli_common.hpp"

namespace geosim::cli {

namespace {
Handler add_list_command(CLI::App& app, const Common& common) {
  auto* cmd = app.add_subcommand("list", "list the shipped scenarios, policies and actors");
  return [cmd, &common]() -> int {
    if (!*cmd) return -1;
    const std::string dir = scenarios_dir(common.scenarios_dir);
    auto scenarios = list_scenarios(dir);
    auto unreadable = list_unreadable(dir);
    // A scenario is listed when it runs: one that reads but does not load (an unknown actor, a
    // value out of range) is said as one that cannot be read is, with its first problem.
    std::erase_if(scenarios, [&](const CatalogEntry& e) {
      const LoadResult loaded = load_scenario(e.path);
      if (loaded.ok()) return false;
      // its first problem, led by the scenario's own name when it is in a file it includes
      const std::string first = format_diagnostic(in_reading_order(loaded.errors).front());
      const bool own = first.rfind(e.path + ":", 0) == 0;
      unreadable.push_back({e.name, e.path, own ? first : e.path + ": error: does not load: " + first, 0, {}});
      return true;
    });
    std::stable_sort(unreadable.begin(), unreadable.end(),
                     [](const CatalogEntry& a, const CatalogEntry& b) { return a.path < b.path; });
    // A file of the folders that cannot be read or loaded is said, not silently left out of the
    // lists: counted on stdout, each with its first problem on stderr as validate says it
    // (file:line:col), and the exit code is 1.
    const auto say_unreadable = [&] {
      if (unreadable.empty()) return;
      std::printf(
          "\nNot listed: %zu file%s cannot be read or loaded (each on stderr; `geosim validate FILE` names every "
          "problem)\n",
          unreadable.size(), unreadable.size() == 1 ? "" : "s");
      std::fflush(stdout);
      for (const auto& e : unreadable) std::fprintf(stderr, "%s\n", terminal_text(e.title).c_str());
    };
    if (scenarios.empty()) {
      say_unreadable();
      std::fflush(stdout);
      return fail(fmt::format("no scenarios found in '{}'", dir));
    }
    std::printf("Scenarios (geosim run NAME):\n");
    for (const auto& e : scenarios)  // file names and titles are users' text
      std::printf("  %-26s %s\n", terminal_text(e.name).c_str(), terminal_text(e.title).c_str());
    std::printf("\nPolicies (geosim run NAME --policy POLICY):\n");
    for (const auto& e : list_policies(dir))
      std::printf("  %-26s %s\n", terminal_text(e.name).c_str(), terminal_text(e.title).c_str());
    say_unreadable();
    if (auto base = resolve_scenario("baseline", dir)) {
      const LoadResult loaded = load_scenario(*base);
      if (loaded.ok()) {
        std::printf("\nActors:\n");
        for (const auto& a : loaded.scenario->actors)
          std::printf("  %-26s %s%s\n", a.id.c_str(), terminal_text(a.name).c_str(),
                      a.kind == ActorKind::organization ? " (organization)" : "");
      } else {  // the actors are the baseline's: said why they are not listed
        std::printf(
            "\nActors: not listed, the baseline does not load (%zu problem%s; `geosim validate %s` names "
            "them)\n",
            loaded.errors.size(), loaded.errors.size() == 1 ? "" : "s", terminal_text(*base).c_str());
      }
    }
    return unreadable.empty() ? 0 : 1;
  };
}

const Registration registration(30, add_list_command);
}  // namespace

}  // namespace geosim::cli
