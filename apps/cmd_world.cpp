// geosim world: a generated world of N states as a scenario file (docs/scale.md).
#include <fmt/format.h>
#include <geosim/io/escape.hpp>
#include <geosim/io/input_file.hpp>
#include <geosim/io/output_file.hpp>
#include <geosim/io/world.hpp>

#include <iostream>

#include "cli_common.hpp"

namespace geosim::cli {

namespace {
Handler add_world_command(CLI::App& app, const Common&) {
  auto o = std::make_shared<WorldOptions>();
  auto out = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("world",
                                 "generate a world of N states (iso-codes countries in regional blocs) "
                                 "as a scenario file, for running at scale");
  // The generator checks its limits again, and the states against the tables found.
  cmd->add_option("--states", o->states,
                  fmt::format("number of states, {} to the countries of iso-codes with a region in zone.tab (below; "
                              "default 200)",
                              kMinWorldStates))
      // Checked against what the tables found here give (the footer says it too), not the 249 of
      // ISO 3166-1: a message saying 249 and then one saying 245 would send a user round twice.
      ->check(CLI::Validator(
          [](std::string& text) -> std::string {
            const std::string problem = whole_number(kMinWorldStates, kMaxWorldStates)(text);
            if (problem.empty()) return problem;  // 246..249 too: the generator checks them against its tables
            const bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
            std::string error;
            const int most = world_state_limit(WorldOptions{}, error);
            return world_states_error(most > 0 ? most : kMaxWorldStates, digits ? text : quote_word(text));
          },
          ""));
  cmd->add_option("--seed", o->seed, "random seed (default 1)")->check(seed_number());
  cmd->add_option("--steps", o->steps,
                  fmt::format("weekly steps from 2025-08-01, 1 to {} (default 52); steps times events at most {}",
                              kMaxWorldSteps, kMaxWorldEvents))
      ->check(whole_number(1, kMaxWorldSteps));
  cmd->add_option("--events", o->events_per_step,
                  fmt::format("chance events a step, each firing with probability 1/2, 0 to {} (default 3); steps "
                              "times events at most {} (a scenario's most events)",
                              kMaxWorldEventsPerStep, kMaxWorldEvents))
      ->check(whole_number(0, kMaxWorldEventsPerStep));
  cmd->add_option("--iso-codes", o->iso_codes_path, "iso-codes' iso_3166-1.json (default: found under /usr/share)");
  cmd->add_option("--zone-tab", o->zone_tab_path, "tzdata's zone.tab (default: $TZDIR or /usr/share/zoneinfo)");
  cmd->add_option(
         "--out", *out,
         fmt::format("the scenario file to write, at most {} MiB (a scenario file's limit)", kMaxInputFileBytes >> 20))
      ->required();
  // Read from the tables only when the help is shown, so that it says what the tables give.
  cmd->footer([o]() {
    std::string error;
    const int most = world_state_limit(*o, error);
    return most > 0 ? fmt::format("With the iso-codes and zone.tab found here, a world has {} to {} states.",
                                  kMinWorldStates, most)
                    : "The iso-codes and zone.tab tables cannot be read: " + error;
  });
  return [cmd, o, out]() -> int {
    if (!*cmd) return -1;
    const GeneratedWorld world = generate_world(*o);
    if (const std::string error = input_clash_error("--out", {*out}, world.inputs); !error.empty()) return fail(error);
    if (!world.option.empty())  // said as CLI11 says the options' own checks
      return fail(fmt::format("{}: {} (see `geosim world --help`)", world.option, world.error));
    if (!world.error.empty()) return fail(world.error);
    if (const std::string error = out->empty() ? "" : output_file_error(*out, true); !error.empty()) return fail(error);
    if (!ensure_parent_dir(*out)) return 1;
    if (const std::string error = write_output_file(*out, world.yaml); !error.empty()) return fail(error);
    auto counted = [](int n, const char* one, const char* many) {
      return fmt::format("{} {}", n, n == 1 ? one : many);
    };
    std::cout << fmt::format("Wrote {}: {} states in {}, {} listed (every other pair at the defaults), {}\n",
                             terminal_text(*out), o->states, counted(world.blocs, "regional bloc", "regional blocs"),
                             counted(world.pairs, "pair", "pairs"),
                             counted(o->steps * o->events_per_step, "chance event", "chance events"));
    return 0;
  };
}

const Registration registration(96, add_world_command);
}  // namespace

}  // namespace geosim::cli
