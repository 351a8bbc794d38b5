// geosim compare: ensembles of several scenarios (each with its own policies) side by side,
// indicator by indicator, and each column's paired effect against the first.
#include <fmt/format.h>
#include <geosim/io/catalog.hpp>
#include <geosim/io/escape.hpp>
#include <geosim/io/input_file.hpp>
#include <geosim/report/ensemble_report.hpp>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "cli_common.hpp"
#include "ensemble_cli.hpp"
#include "progress_bar.hpp"

namespace geosim::cli {

namespace {
Handler add_compare_command(CLI::App& app, const Common& common) {
  struct Options {
    std::vector<std::string> scenarios;
    EnsembleFlags flags;
    std::string out_dir;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand(
      "compare", "ensembles of several scenarios side by side, and each one's paired effect against the first");
  cmd->add_option("columns", o->scenarios,
                  "one column each: SCENARIO or SCENARIO+POLICY[+POLICY...] (names or files), e.g. "
                  "realignment realignment+quiet-diplomacy; the first is the reference of the paired effects")
      ->required();
  add_ensemble_flags(cmd, o->flags, true);
  add_vary_flag(cmd, o->flags);
  add_set_option(cmd, o->flags.settings, "in every column alike (so the columns stay paired)");
  cmd->add_option("--out", o->out_dir,
                  "also write compare.csv, compare_thresholds.csv and compare_paired.csv to this folder");
  return [cmd, o, &common]() -> int {
    if (!*cmd) return -1;
    if (const std::string error =
            output_folder_error(o->out_dir, {"compare.csv", "compare_thresholds.csv", "compare_paired.csv"});
        !error.empty())
      return fail(error);  // before the runs, and each file the folder would get
    std::vector<Scenario> scenarios;
    std::vector<std::string> labels, typed;  // typed: each column's scenario as typed
    // Each column's files: its scenario's and its policies', resolved (the same file however spelled).
    std::vector<std::string> keys, spelled;  // spelled: the column as typed, its --policy ones first
    const std::string dir = scenarios_dir(common.scenarios_dir);
    for (const auto& column : o->scenarios) {
      // SCENARIO+POLICY+...: the column's own policies after the --policy ones. A file whose
      // name holds a '+' is taken whole.
      std::vector<std::string> parts{column};
      std::error_code ec;
      if (!std::filesystem::exists(column, ec)) {
        parts.clear();
        for (std::size_t begin = 0;;) {
          const std::size_t plus = column.find('+', begin);
          parts.push_back(column.substr(begin, plus == std::string::npos ? std::string::npos : plus - begin));
          if (plus == std::string::npos) break;
          begin = plus + 1;
        }
      }
      std::vector<std::string> policies = o->flags.policies;
      policies.insert(policies.end(), parts.begin() + 1, parts.end());
      for (const auto& part : parts)
        if (part.empty()) return fail(fmt::format("column '{}': an empty name around '+'", column));
      int code = 0;
      auto scenario = load_by_name(parts.front(), policies, common, code, o->flags.settings);
      if (!scenario) return code;
      // Every policy the column ran with, --policy's too: the tables and files name what ran.
      std::string label = scenario->id;
      for (const std::string& policy : scenario->policies) label += "+" + policy;
      labels.push_back(label);
      typed.push_back(parts.front());
      spelled.push_back(parts.front());
      for (const std::string& policy : policies) spelled.back() += "+" + policy;
      keys.push_back(same_file_key(scenario->path));
      for (const std::string& policy : policies)
        keys.back() += "\n" + same_file_key(resolve_policy(policy, dir).value_or(policy));
      if (const std::string error = input_clash_error(
              "--out", paths_in(o->out_dir, {"compare.csv", "compare_thresholds.csv", "compare_paired.csv"}),
              scenario->files);
          !o->out_dir.empty() && !error.empty())
        return fail(error);
      scenarios.push_back(std::move(*scenario));
    }
    // Columns of the same scenario id (the shipped scenario and an edited copy of it) go by the
    // column as typed, so that the tables and files tell them apart.
    const std::vector<std::string> by_id = labels;
    for (std::size_t i = 0; i < labels.size(); ++i)
      if (std::count(by_id.begin(), by_id.end(), by_id[i]) > 1) {
        labels[i] = typed[i];  // its policies in the order they apply, as in the other labels
        for (const std::string& policy : scenarios[i].policies) labels[i] += "+" + policy;
      }
    // Columns of different files that still share a label (two policy files of one id): the column
    // as typed, so that compare.csv has a row key per column.
    const std::vector<std::string> by_files = labels;
    for (std::size_t i = 0; i < labels.size(); ++i)
      if (std::count(by_files.begin(), by_files.end(), by_files[i]) > 1) labels[i] = spelled[i];
    // The same column twice would be two rows of one key in compare.csv and a paired effect of 0:
    // the same files however they are spelled (./a.yaml, a path to a shipped one).
    for (std::size_t i = 0; i < keys.size(); ++i)
      if (const auto earlier = std::find(keys.begin(), keys.begin() + std::ptrdiff_t(i), keys[i]);
          earlier != keys.begin() + std::ptrdiff_t(i))
        return fail(fmt::format("column {} ({}) is given twice (as column {}): give each column once", i + 1,
                                quote_word(labels[i]), earlier - keys.begin() + 1));
    std::vector<EnsembleOptions> column_options;
    std::size_t kept = 0;  // the results of the columns before, kept until the tables are written
    for (std::size_t i = 0; i < scenarios.size(); ++i) {  // before any runs: refuse what cannot finish
      const Scenario& scenario = scenarios[i];
      if (auto error = ensemble_request_error(scenario, paired_options(o->flags)); !error.empty())
        return fail(fmt::format("{}: {}", scenario.id, error));
      if (auto error = ensemble_work_error(scenario, paired_options(o->flags)); !error.empty())
        return fail(fmt::format("{}: {}", scenario.id, error));
      column_options.push_back(paired_options(o->flags));
      if (auto error = vary_ranges(scenario, o->flags, column_options.back()); !error.empty())
        return fail(fmt::format("{}: {}", scenario.id, error));
      if (auto error = ensemble_beside_error(
              kept, fmt::format("the results of the {} column{} before it, kept to compare them", i, i == 1 ? "" : "s"),
              "use fewer columns, steps or runs", scenario, column_options.back());
          !error.empty())
        return fail(fmt::format("column {} ({}): {}", i + 1, labels[i], error));
      kept += ensemble_result_memory(scenario, column_options.back());  // each within the budget: no overflow
    }
    std::vector<EnsembleResult> results;
    ProgressBar bar("compare");
    const long total = long(scenarios.size()) * o->flags.runs;
    for (const auto& scenario : scenarios) {
      EnsembleOptions options = column_options[results.size()];
      const long before = long(results.size()) * o->flags.runs;
      if (bar.enabled()) options.progress = [&bar, before, total](int done, int) { bar.update(before + done, total); };
      results.push_back(run_ensemble(scenario, options));
      if (!results.back().error.empty()) {
        bar.finish();
        return fail(fmt::format("{}: {}", scenario.id, results.back().error));
      }
    }
    bar.finish();
    std::vector<ComparedEnsemble> compared;
    for (std::size_t i = 0; i < scenarios.size(); ++i) compared.push_back({&scenarios[i], &results[i], labels[i]});
    std::cout << comparison_table(compared);
    if (compared.size() > 1) std::cout << "\n" << paired_comparison_table(compared);
    std::string notes;  // where the drawn values (--vary, --parameter-sd) meet a column's policies
    for (std::size_t i = 0; i < scenarios.size(); ++i)
      notes += policy_range_lines(scenarios[i], column_options[i], labels[i]);
    if (!o->flags.vary.empty())
      std::cout << "\n" << varied_line(column_options.front()) << notes << paired_holds_text(compared);
    else if (!notes.empty())
      std::cout << "\n" << notes;
    if (const std::string held = held_runs_text(compared); !held.empty()) std::cout << "\n" << held;
    if (o->out_dir.empty()) return 0;
    std::ostringstream table, thresholds, paired;
    write_comparison_csv(table, compared);
    write_comparison_thresholds_csv(thresholds, compared);
    write_paired_comparison_csv(paired, compared);
    if (const std::string error =
            write_output_files(std::filesystem::path(o->out_dir), {{"compare.csv", table.str()},
                                                                   {"compare_thresholds.csv", thresholds.str()},
                                                                   {"compare_paired.csv", paired.str()}});
        !error.empty())
      return fail(error);
    std::cout << fmt::format("\nWrote {0}/compare.csv, {0}/compare_thresholds.csv and {0}/compare_paired.csv\n",
                             terminal_text(o->out_dir));
    return 0;
  };
}

const Registration registration(41, add_compare_command);
}  // namespace

}  // namespace geosim::cli
