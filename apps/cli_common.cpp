#include "cli_common.hpp"

#include <geosim/core/diagnostic.hpp>
#include <geosim/core/model_parameters.hpp>
#include <geosim/core/number_read.hpp>

#include <fmt/format.h>
#include <geosim/io/catalog.hpp>
#include <geosim/io/escape.hpp>
#include <geosim/io/input_file.hpp>
#include <geosim/tabletop/session.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <tuple>

namespace geosim::cli {
namespace fs = std::filesystem;

int fail(const std::string& message) {
  // One line whatever it quotes: names, paths and arguments are users' text. A place in a file
  // comes first, as the loaders' diagnostics have it.
  std::fprintf(stderr, "%s%s\n", is_located_error(message) ? "" : "geosim: error: ", terminal_text(message).c_str());
  return 1;
}

std::string unknown_actor(const Scenario& scenario, const std::string& id) {
  std::vector<std::string> ids;
  for (const auto& a : scenario.actors) ids.push_back(a.id);
  const std::string guess = closest_match(id, ids);
  return fmt::format("unknown actor {}{} (actors: {})", quote_word(id), did_you_mean(guess), name_list(ids));
}

std::vector<Diagnostic> in_reading_order(std::vector<Diagnostic> errors) {
  // In the order a reader goes through the files: each file where its first problem was found,
  // and within it by line and column (the loader finds a mistyped key before an unknown actor
  // on the line above it).
  std::vector<std::string> files;
  for (const auto& e : errors)
    if (std::find(files.begin(), files.end(), e.file) == files.end()) files.push_back(e.file);
  auto rank = [&](const Diagnostic& e) {
    return std::tuple(std::find(files.begin(), files.end(), e.file) - files.begin(), e.line, e.column);
  };
  std::stable_sort(errors.begin(), errors.end(),
                   [&](const Diagnostic& a, const Diagnostic& b) { return rank(a) < rank(b); });
  return errors;
}

int report_errors(const std::vector<Diagnostic>& errors) {
  const std::vector<Diagnostic> sorted = in_reading_order(errors);
  for (const auto& e : sorted) std::fprintf(stderr, "%s\n", format_diagnostic(e).c_str());
  return errors.empty() ? 0 : 1;
}

std::optional<Scenario> load_actors(const std::string& path, int& exit_code) {
  // Named as the file given, not as the include of the scenario written around it below.
  if (const std::string kind = non_file_at(path); !kind.empty()) {
    exit_code = fail(fmt::format("{}: expected a regular file (an actors or scenario file), found {}", path, kind));
    return std::nullopt;
  }
  if (std::error_code ec; !std::filesystem::exists(path, ec)) {
    exit_code = fail(fmt::format("{}: cannot open file: no such file", path));
    return std::nullopt;
  }
  if (file_role(path) == FileRole::scenario) {
    LoadResult loaded = load_scenario(path);
    if (!loaded.ok()) {
      exit_code = report_errors(loaded.errors);
      return std::nullopt;
    }
    return std::move(*loaded.scenario);
  }
  std::error_code ec;
  const std::filesystem::path absolute = std::filesystem::absolute(path, ec);
  const std::string text =
      "scenario: {id: actors, title: actors, start: 2000-01-01, step_days: 1, steps: 1}\n"
      "include: [" +
      yaml_quoted(absolute.string()) + "]\n";
  const std::string wrapper = "(actors of " + path + ")";
  LoadOptions options;
  options.no_step_of_its_own = true;  // the wrapper's step_days is none of the file's
  LoadResult loaded = load_scenario_text(text, wrapper, absolute.parent_path().string(), options);
  if (!loaded.ok()) {
    for (Diagnostic& d : loaded.errors)  // the wrapper's own lines are none of the user's: the file as a whole
      if (d.file == wrapper) d = {path, 0, 0, d.message};
    exit_code = report_errors(loaded.errors);
    return std::nullopt;
  }
  return std::move(*loaded.scenario);
}

void add_policy_option(CLI::App* cmd, std::vector<std::string>& policies) {
  // One value an occurrence: `--policy quiet-diplomacy realignment` took the scenario as a policy.
  cmd->add_option("--policy", policies, "policy option applied from the start: a shipped name or a file (repeatable)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->allow_extra_args(false);
}

CLI::Validator seed_number() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        std::uint64_t value = 0;
        const char* end = text.data() + text.size();
        const bool digits =
            !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
        auto [ptr, ec] = std::from_chars(text.data(), end, value);
        if (!digits || ec != std::errc() || ptr != end)
          return fmt::format("expected a whole number from 0 to 18446744073709551615, found {}", quote_word(text));
        return "";
      },
      "SEED");
}

CLI::Validator whole_number(long long lo, long long hi) {
  return CLI::Validator(
      [lo, hi](std::string& text) -> std::string {
        const bool minus = !text.empty() && text[0] == '-' && lo < 0;
        const std::string digits = text.substr(minus ? 1 : 0);
        long long value = 0;
        bool ok =
            !digits.empty() && std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (ok) {
          unsigned long long magnitude = 0;
          const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), magnitude);
          ok = ec == std::errc() && ptr == digits.data() + digits.size() &&
               magnitude <= (minus ? 0ull - (unsigned long long)lo : (unsigned long long)std::max(hi, 0ll));
          value = minus ? (long long)(0ull - magnitude) : (long long)magnitude;
        }
        if (!ok || value < lo || value > hi)
          return fmt::format("expected a whole number from {} to {}, found {}", lo, hi, quote_word(text));
        return "";
      },
      fmt::format("INT in [{} - {}]", lo, hi));
}

void check_whole_numbers(CLI::App& app) {
  for (CLI::Option* option : app.get_options()) {
    const std::string type = option->get_type_name();
    const bool is_unsigned = type.rfind("UINT", 0) == 0;
    if (!is_unsigned && type.rfind("INT", 0) != 0) continue;
    option->check(CLI::Validator(
        [is_unsigned](std::string& text) -> std::string {
          const bool minus = !is_unsigned && !text.empty() && text[0] == '-';
          std::string digits = text.substr(minus ? 1 : 0);
          if (digits.empty() || !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
            return fmt::format("expected a whole number in decimal digits, found {}", quote_word(text));
          digits.erase(0, std::min(digits.find_first_not_of('0'), digits.size() - 1));  // CLI11 reads 0... as octal
          text = (minus && digits != "0" ? "-" : "") + digits;
          return "";
        },
        "", "decimal"));
    // After the option's own checks (their messages name its range), and allowed to rewrite
    // the text, which check() alone would not (transform() would run it first).
    option->get_validator("decimal")->non_modifying(false);
  }
  for (CLI::App* sub : app.get_subcommands({})) check_whole_numbers(*sub);
}

CLI::Validator finite_range(double lo, double hi) {
  return CLI::Validator(
      [lo, hi](std::string& text) -> std::string {
        double value = 0.0;
        const char* problem = read_finite(text, value);
        if (problem || value < lo || value > hi)
          return fmt::format("expected a number from {:g} to {:g}, found {}{}", lo, hi, terminal_text(quote_word(text)),
                             problem ? fmt::format(" ({})", problem) : "");
        return "";
      },
      fmt::format("NUMBER in [{:g}, {:g}]", lo, hi));
}

std::string folder_choice(const std::string& name, std::string value) {
  std::erase_if(value, [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
  const bool plain = !value.empty() && value.size() <= 60 && std::all_of(value.begin(), value.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == ',' ||
           c == ':' || c == '=' || c == '_' || c == '-';
  });
  if (plain) return name.empty() ? value : name + "=" + value;
  return (name.empty() ? std::string("choice") : name) + "-" + checksum_of(value).substr(8);
}

std::string default_out(const Scenario& scenario, const std::vector<std::string>& choices) {
  std::string policies;
  for (const auto& policy : scenario.policies) policies += "+" + policy;
  std::string settings;
  for (const auto& setting : scenario.settings) settings += "+" + setting;
  for (const auto& choice : choices) settings += "+" + choice;
  // A folder name stays short (a file system allows 255 bytes, and calibrate adds
  // "-calibration"): many settings go by a checksum, and so, when the whole is still long, do
  // the policies, then the settings (an id is at most 100 bytes, so "out/" and at most 152 bytes).
  if (settings.size() > 120) settings = "+settings-" + checksum_of(settings).substr(8);
  auto length = [&] { return scenario.id.size() + policies.size() + settings.size(); };
  if (length() > 200) policies = "+policies-" + checksum_of(policies).substr(8);
  if (length() > 200) settings = "+settings-" + checksum_of(settings).substr(8);
  return "out/" + scenario.id + policies + settings;
}

std::vector<std::string> run_choices(const Scenario& scenario, std::uint64_t seed, int steps, int runs, int usual_runs,
                                     double parameter_sd, const std::vector<std::string>& vary) {
  std::vector<std::string> choices;
  if (seed != 1) choices.push_back(fmt::format("seed={}", seed));
  if (steps >= 0 && steps != scenario.steps) choices.push_back(fmt::format("steps={}", steps));
  if (runs <= 0) return choices;
  if (runs != usual_runs) choices.push_back(fmt::format("runs={}", runs));
  if (parameter_sd != 0.0) choices.push_back(fmt::format("parameter-sd={}", parameter_sd));  // {}: exact, shortest
  // As given, less any blank (a folder name with a tab in it helps nobody); by a checksum if
  // anything else could not be part of a folder's name.
  for (const std::string& range : vary) choices.push_back(folder_choice("", range));
  return choices;
}

bool ensure_parent_dir(const std::string& file) {
  const std::string error = make_output_folder(fs::path(file).parent_path());
  if (!error.empty()) fail(error);
  return error.empty();
}

std::string output_clash_error(const std::string& what, const std::string& path, const std::string& dir,
                               const std::vector<std::string>& names) {
  const fs::path file = same_file_key(path);
  // The folder itself, or a folder above it: the file would stand where the folder must be.
  for (fs::path folder = same_file_key(dir); !folder.empty() && folder != folder.root_path();
       folder = folder.parent_path())
    if (file == folder)
      return fmt::format("{} '{}' is where the command's results folder '{}' goes: name a file", what, path, dir);
  for (const std::string& name : names) {
    if (file == same_file_key((fs::path(dir) / name).string()))
      return fmt::format("{} '{}' is the command's own {} in '{}': name another file", what, path, name, dir);
  }
  return {};
}

std::string input_clash_error(const std::string& what, const std::vector<std::string>& outputs,
                              const std::vector<std::string>& inputs) {
  for (const std::string& output : outputs)
    for (const std::string& input : inputs)
      if (same_file_key(output) == same_file_key(input))
        return fmt::format("{} would write over {}, a file the command reads: name another place", what,
                           quote_word(input));
  return {};
}

std::vector<std::string> paths_in(const std::string& dir, const std::vector<std::string>& names) {
  std::vector<std::string> paths;
  for (const std::string& name : names) paths.push_back((fs::path(dir) / name).string());
  return paths;
}

void add_set_option(CLI::App* cmd, std::vector<std::string>& settings, const std::string& where) {
  cmd->add_option("--set", settings,
                  "NAME=VALUE: set a model parameter " + where +
                      ", after the scenario and its policies (repeatable): restraint[.ACTOR], reactivity[.ACTOR], "
                      "spillover, baseline[.FROM.TO]; VALUE in [0, 1]")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->allow_extra_args(false);
}

std::optional<Scenario> load_by_name(const std::string& name, const std::vector<std::string>& policies,
                                     const Common& common, int& exit_code, const std::vector<std::string>& settings,
                                     const std::string& named_by) {
  const std::string dir = scenarios_dir(common.scenarios_dir);
  const std::string from = named_by.empty() ? "" : named_by + ": ";
  auto path = resolve_scenario(name, dir);
  if (!path) {
    const auto known = list_scenarios(dir);
    exit_code = fail(from + (known.empty() ? fmt::format("unknown scenario {} (shipped scenarios: none found in {}; "
                                                         "or give a file path)",
                                                         quote_word(name), dir)
                                           : unknown_catalog_name("scenario", name, known, "shipped scenarios")));
    return std::nullopt;
  }
  LoadOptions options;
  if (const std::string error = parse_settings(settings, options.settings); !error.empty()) {
    exit_code = report_errors({named_by.empty() ? Diagnostic{"--set", 0, 0, error}
                                                : Diagnostic{named_by, 0, 0, "a setting it was made with: " + error}});
    return std::nullopt;
  }
  for (const auto& p : policies) {
    auto policy = resolve_policy(p, dir);
    if (!policy) {
      exit_code = fail(from + unknown_catalog_name("policy", p, list_policies(dir), "shipped policies"));
      return std::nullopt;
    }
    // Twice is a slip, not a stronger policy: the same file however it is spelled (the loader
    // refuses two files of one policy id too).
    if (is_one_of_files(*policy, options.policies)) {
      exit_code = fail(from + "--policy: " + quote_word(p) + " is given twice (each policy applies once)");
      return std::nullopt;
    }
    options.policies.push_back(*policy);
  }
  LoadResult result = load_scenario(*path, options);
  if (!result.ok()) {
    if (!named_by.empty()) {  // the settings are the file's, not typed with --set
      bool in_files = false;
      for (Diagnostic& d : result.errors) {
        if (d.file == "--set" && d.line == 0) d = {named_by, 0, 0, "a setting it was made with: " + d.message};
        in_files = in_files || d.file != named_by;
      }
      // A problem in a file the scenario reads (an include moved since): say whose scenario it is.
      if (in_files) fail(fmt::format("{}the scenario it was made with, {}, no longer loads:", from, quote_word(*path)));
    }
    exit_code = report_errors(result.errors);
    return std::nullopt;
  }
  return std::move(*result.scenario);
}

std::vector<std::pair<int, Factory>>& registered_commands() {
  static std::vector<std::pair<int, Factory>> commands;  // built during static initialisation
  return commands;
}

Registration::Registration(int order, Factory factory) { registered_commands().emplace_back(order, factory); }

}  // namespace geosim::cli
