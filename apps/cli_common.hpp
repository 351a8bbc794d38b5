#pragma once
// Shared by the command files: loading a scenario by name, reporting errors, writing files.

#include <CLI/CLI.hpp>
#include <geosim/io/loader.hpp>
#include <geosim/io/output_file.hpp>

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace geosim::cli {

class EnsembleSpread;

/// Options every command shares.
struct Common {
  std::string scenarios_dir;  ///< --scenarios-dir; "" = default lookup
  /// geosim-mpi started by mpirun with 2 or more processes: how `ensemble` spreads its runs
  /// (ensemble_spread.hpp); null otherwise (every command runs in this process alone).
  EnsembleSpread* spread = nullptr;
};

/// The program: parses the arguments and runs the command chosen; its exit code. With `spread`
/// (geosim-mpi under mpirun), only `ensemble` may be chosen.
int run_geosim(int argc, char** argv, EnsembleSpread* spread);

/// Prints "geosim: error: message" on stderr; returns exit code 1.
int fail(const std::string& message);
/// "unknown actor 'X'; did you mean 'Y'? (actors: a, b, ..., and N more)" for an actor the user
/// named on the command line.
std::string unknown_actor(const Scenario& scenario, const std::string& id);
/// `errors` as report_errors prints them: file by file, each where its first problem was found,
/// and within a file by line and column.
std::vector<Diagnostic> in_reading_order(std::vector<Diagnostic> errors);
/// Prints each diagnostic on its own line on stderr, in reading order; returns 1 if there were any.
int report_errors(const std::vector<Diagnostic>& errors);
/// Resolves a scenario name and policy names and loads them; on failure prints the problem,
/// sets `exit_code` and returns nullopt.
/// `settings`: --set NAME=VALUE, applied last (after the policies), recorded in
/// Scenario::settings. `named_by`: the file the names come from (a shard), which the messages
/// about them then name ("" = the command line's, --set's).
std::optional<Scenario> load_by_name(const std::string& name, const std::vector<std::string>& policies,
                                     const Common& common, int& exit_code,
                                     const std::vector<std::string>& settings = {}, const std::string& named_by = "");
/// Adds `--set NAME=VALUE` (repeatable): a model parameter set for this command; `where` says
/// what it applies to in the help (e.g. "for this run").
void add_set_option(CLI::App* cmd, std::vector<std::string>& settings, const std::string& where = "for this run");
/// Loads an actors file (ingest, calibrate): a runnable scenario as it is, a file meant to be
/// included through a small scenario that includes it. On failure prints the problems, sets
/// `exit_code` and returns nullopt.
std::optional<Scenario> load_actors(const std::string& path, int& exit_code);
/// Checks a --seed: a whole number from 0 to 18446744073709551615 written in digits (no sign,
/// no exponent), so that no typed seed silently becomes another one.
CLI::Validator seed_number();
/// Checks a whole-number option: written in decimal digits, with a '-' first only when `lo` is
/// negative (so "010" is ten, never octal eight, and "0x10", "1e2" or "1_000" are refused, where
/// CLI11 alone reads C's prefixes), and in [lo, hi]. (Leading zeros are dropped by
/// check_whole_numbers(), which every command's options get.)
CLI::Validator whole_number(long long lo, long long hi);
/// Gives every whole-number option of `app` and its commands (CLI11's type INT or UINT) a check
/// that it is written in decimal digits (a '-' first for a signed one), its leading zeros
/// dropped: so that no integer option reads C's prefixes or octal. Its range is its own check's
/// (whole_number(), seed_number()) or CLI11's conversion's.
void check_whole_numbers(CLI::App& app);
/// Adds `--policy` (repeatable): a policy option applied from the start, by shipped name or file.
void add_policy_option(CLI::App* cmd, std::vector<std::string>& policies);
/// Checks a real number: finite (not nan or inf) and in [lo, hi].
CLI::Validator finite_range(double lo, double hi);
/// One of default_out's choices: NAME=VALUE (just VALUE when `name` is empty), VALUE less any
/// blanks, when VALUE is at most 60 letters, digits and . , : = _ - (nothing a path could take
/// for a separator); otherwise NAME-<16 hex digits of VALUE's checksum>.
std::string folder_choice(const std::string& name, std::string value);
/// The default output folder of a scenario's results: out/<scenario id>, plus +<policy id> for
/// each policy applied, +NAME=VALUE for each --set, then +NAME=VALUE for each of `choices` (the
/// command's own options given other than their defaults: "seed=3", "steps=20", "runs=500"), so
/// that a run with a policy, a setting or another seed never replaces the run without it.
/// Bounded (at most 156 bytes): over 120 bytes of settings and choices go by a checksum
/// (+settings-<16 hex digits>), and over 200 in all, the policies (+policies-...), then the
/// settings, so that no id or choice makes a name the file system refuses.
std::string default_out(const Scenario& scenario, const std::vector<std::string>& choices = {});

/// default_out's choices of one run: seed=N when not 1, steps=N when not the scenario's; with
/// `runs` > 0, of an ensemble of that many runs too: runs=N when not `usual_runs`, parameter-sd=X
/// when not 0 (its shortest exact form), then each of `vary` as given.
std::vector<std::string> run_choices(const Scenario& scenario, std::uint64_t seed, int steps, int runs = 0,
                                     int usual_runs = 0, double parameter_sd = 0.0,
                                     const std::vector<std::string>& vary = {});
/// Creates the folder an output file goes in (and its parents), as the commands that write a
/// folder of files do; true when there is none to make; false with a message on failure.
bool ensure_parent_dir(const std::string& file);

/// "" when `path` (an output named by an option, `what`, e.g. "--per-run") is none of the
/// files `names` the same command writes in folder `dir`, nor `dir` or a folder above it; else
/// the one-line refusal (the one would replace the other, and both be said to be written).
std::string output_clash_error(const std::string& what, const std::string& path, const std::string& dir,
                               const std::vector<std::string>& names);

/// "" when none of the files a command writes (`outputs`) is one of the files it reads
/// (`inputs`: a scenario's files, event files, an observed series, partial results); else the
/// one-line refusal naming the option `what` that names the output, since writing it would
/// replace the user's input.
std::string input_clash_error(const std::string& what, const std::vector<std::string>& outputs,
                              const std::vector<std::string>& inputs);

/// The paths of the files `names` in folder `dir`.
std::vector<std::string> paths_in(const std::string& dir, const std::vector<std::string>& names);

// Each cmd_<name>.cpp registers its subcommand with a static Registration; cli_main.cpp
// adds them in `order` and runs the one the user chose.
using Handler = std::function<int()>;  ///< exit code, or -1 when its command was not chosen
using Factory = Handler (*)(CLI::App& app, const Common& common);
struct Registration {
  Registration(int order, Factory factory);
};
/// The registered commands, sorted by order.
std::vector<std::pair<int, Factory>>& registered_commands();

}  // namespace geosim::cli
