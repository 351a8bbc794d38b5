// End-to-end tests of the geosim command line: exit codes, messages, output files, byte-identical
// reruns, and golden checksums of every shipped scenario's outputs.
#include <gtest/gtest.h>

#include "geosim/core/model_revision.hpp"
#include "support/cli.hpp"

#include <sys/wait.h>
#include <unistd.h>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace {
namespace fs = std::filesystem;

using geosim::testing::Output;
using geosim::testing::run_cli;
using geosim::testing::run_shell;
using geosim::testing::slurp;
using geosim::testing::temp_dir;

std::uint64_t fnv1a(const std::string& bytes) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : bytes) h = (h ^ c) * 1099511628211ULL;
  return h;
}

std::string fmt_hex(std::uint64_t v) {
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(v));
  return buffer;
}

int lines(const std::string& text) { return int(std::count(text.begin(), text.end(), '\n')); }

/// The most states `world --help` says the tables found here give ("245" with Debian 12's).
std::string world_states_here() {
  const std::string help = run_cli("world --help").out;
  const std::size_t at = help.find("a world has 2 to ");
  return at == std::string::npos ? "(not in the help)" : help.substr(at + 17, help.find(' ', at + 17) - at - 17);
}

/// The description `geosim COMMAND --help` gives the option or positional `name` (FROM for
/// `from`): its line's text from CLI11's description column (30).
std::string described(const std::string& command, std::string name) {
  std::istringstream help(run_cli(command + " --help").out);
  for (char& c : name) c = char(std::tolower(static_cast<unsigned char>(c)));
  for (std::string line; std::getline(help, line);)
    if (line.rfind("  " + name + " ", 0) == 0 && line.size() > 30) return line.substr(30);
  return "(no such option in the help)";
}

TEST(Cli, HelpOnEveryCommandExitsZero) {
  for (const char* args : {"--help", "run --help", "validate --help", "list --help"}) {
    const Output o = run_cli(args);
    EXPECT_EQ(o.code, 0) << args;
    EXPECT_NE(o.out.find("Usage"), std::string::npos) << args;
  }
}

TEST(Cli, ListNamesScenariosPoliciesAndActors) {
  const Output o = run_cli("list");
  ASSERT_EQ(o.code, 0) << o.err;
  for (const char* name :
       {"baseline", "symbolic-visit", "expanded-cooperation", "intermediary", "realignment", "quiet-diplomacy",
        "asean-dialogue", "reinforcing-partnerships", "economic-engagement", "VNM", "ASEAN"})
    EXPECT_NE(o.out.find(name), std::string::npos) << name;
}

TEST(Cli, ScenariosDirGoesBeforeOrAfterTheCommand) {
  // A folder with one scenario of its own: `list` names it, whichever side of `list` the option is.
  const fs::path dir = temp_dir("scenarios_dir");
  std::ofstream(dir / "only-here.yaml") << slurp(fs::path(GEOSIM_SCENARIOS_DIR) / "baseline.yaml");
  std::ofstream(dir / "actors.yaml") << slurp(fs::path(GEOSIM_SCENARIOS_DIR) / "actors.yaml");  // what it includes
  for (const std::string& args :
       {"--scenarios-dir " + dir.string() + " list", "list --scenarios-dir " + dir.string()}) {
    const Output o = run_cli(args);
    ASSERT_EQ(o.code, 0) << args << ": " << o.err;
    EXPECT_NE(o.out.find("only-here"), std::string::npos) << args << ": " << o.out;
    EXPECT_EQ(o.out.find("realignment"), std::string::npos) << args << ": the shipped folder is not listed";
  }
  fs::remove_all(dir);
}

TEST(Cli, RunWithoutScenarioRunsBaselineAndWritesThreeFiles) {
  const fs::path dir = temp_dir("default");
  const Output o = run_cli("run --out " + dir.string());
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_NE(o.out.find("Baseline"), std::string::npos);
  EXPECT_NE(o.out.find("Korean Peninsula risk"), std::string::npos);
  const std::string tension = slurp(dir / "tension.csv");
  EXPECT_EQ(tension.substr(0, tension.find('\n')), "step,date,from,to,tension");
  EXPECT_EQ(lines(tension), 1 + 53 * 9 * 8) << "53 steps x 72 directed relations";
  EXPECT_EQ(lines(slurp(dir / "indicators.csv")), 1 + 53);
  EXPECT_NE(slurp(dir / "run.json").find("\"events\""), std::string::npos);
  fs::remove_all(dir);
}

TEST(Cli, SameSeedGivesByteIdenticalFiles) {
  const fs::path a = temp_dir("a"), b = temp_dir("b");
  ASSERT_EQ(run_cli("run realignment --seed 9 --policy asean-dialogue --out " + a.string()).code, 0);
  ASSERT_EQ(run_cli("run realignment --seed 9 --policy asean-dialogue --out " + b.string()).code, 0);
  for (const char* f : {"tension.csv", "indicators.csv", "run.json"}) {
    EXPECT_FALSE(slurp(a / f).empty()) << f;
    EXPECT_EQ(slurp(a / f), slurp(b / f)) << f;
  }
  fs::remove_all(a);
  fs::remove_all(b);
}

TEST(Cli, UnknownScenarioOrPolicyIsOneLineAndNonZero) {
  Output o = run_cli("run no-such-scenario");
  EXPECT_NE(o.code, 0);
  EXPECT_EQ(lines(o.err), 1) << o.err;
  EXPECT_NE(o.err.find("realignment"), std::string::npos) << "lists the shipped scenarios";
  o = run_cli("run baseline --policy shouting");
  EXPECT_NE(o.code, 0);
  EXPECT_NE(o.err.find("quiet-diplomacy"), std::string::npos);
  o = run_cli("run baseline --steps -3");
  EXPECT_NE(o.code, 0);
  o = run_cli("run realignment --policy quiet-diplomacy --policy quiet-diplomacy");
  EXPECT_EQ(o.err, "geosim: error: --policy: 'quiet-diplomacy' is given twice (each policy applies once)\n");
}

// --policy takes one value each time: the scenario may follow it, and it may be given again.
TEST(Cli, APolicyOptionTakesOneValueEachTime) {
  const fs::path dir = temp_dir("policy_order");
  Output o = run_cli("run --policy quiet-diplomacy realignment --steps 2 --out " + (dir / "a").string());
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_NE(o.out.find("policies: quiet-diplomacy"), std::string::npos) << o.out;
  o = run_cli("run realignment --policy quiet-diplomacy --policy asean-dialogue --steps 2 --out " +
              (dir / "b").string());
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_NE(o.out.find("policies: quiet-diplomacy, asean-dialogue"), std::string::npos) << o.out;
}

// A path that is no file is said as such, not as an unknown name to which "give a file path"
// would be the answer: missing, or a folder.
TEST(Cli, AScenarioOrPolicyPathThatIsNoFileIsSaidAsSuch) {
  const fs::path dir = temp_dir("no-file");
  Output o = run_cli("run " + (dir / "nonexist.yaml").string());
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(o.err.rfind("geosim: error: cannot open scenario file '" + (dir / "nonexist.yaml").string() +
                            "': no such file (shipped scenarios: baseline, ",
                        0),
            0u)
      << o.err;
  o = run_cli("run mine.yaml");  // a YAML file's name, not here and not shipped
  EXPECT_EQ(o.err.rfind("geosim: error: cannot open scenario file 'mine.yaml': no such file", 0), 0u) << o.err;
  o = run_cli("run baseline --policy " + dir.string() + "/");
  EXPECT_EQ(o.err.rfind("geosim: error: cannot open policy file '" + dir.string() + "/': it is a folder", 0), 0u)
      << o.err;
  o = run_cli("run baseline --policy quiet-diplomcy");  // a name still gets its guess
  EXPECT_NE(o.err.find("unknown policy 'quiet-diplomcy'; did you mean 'quiet-diplomacy'?"), std::string::npos) << o.err;
}

TEST(Cli, ArgumentErrorsAreOneLineNamingTheCommandsHelp) {
  struct Case {
    const char* args;
    std::string message;  // the whole of stderr
  };
  const Case cases[] = {
      {"run baseline --steps 999999999",
       "geosim: error: --steps: expected a whole number from 0 to 100000, found '999999999' (see `geosim run "
       "--help`)\n"},
      // whole numbers are decimal digits: no C prefix (CLI11 alone reads 0x10 as 16), no exponent
      {"ensemble baseline --runs 0x10",
       "geosim: error: --runs: expected a whole number from 1 to 1000000, found '0x10' (see `geosim ensemble "
       "--help`)\n"},
      {"ensemble baseline --runs 1e2",
       "geosim: error: --runs: expected a whole number from 1 to 1000000, found '1e2' (see `geosim ensemble "
       "--help`)\n"},
      {"run baseline --seed 0x10",
       "geosim: error: --seed: expected a whole number from 0 to 18446744073709551615, "
       "found '0x10' (see `geosim run --help`)\n"},
      // world's counts have ranges of their own: a number past int's is refused with them
      {"world --states 2147483648 --out w.yaml",
       "geosim: error: --states: a world has 2 to " + world_states_here() +
           " states (the countries of iso-codes with "
           "a region in tzdata's zone.tab), not 2147483648 (see `geosim world --help`)\n"},
      {"world --states 1 --out w.yaml", "geosim: error: --states: a world has 2 to " + world_states_here() +
                                            " states (the countries of iso-codes with "
                                            "a region in tzdata's zone.tab), not 1 (see `geosim world --help`)\n"},
      {"world --steps 99999999999999999999 --out w.yaml",
       "geosim: error: --steps: expected a whole number from 1 to 520, found '99999999999999999999' (see `geosim world "
       "--help`)\n"},
      {"world --events 21 --out w.yaml",
       "geosim: error: --events: expected a whole number from 0 to 20, found '21' (see `geosim world --help`)\n"},
      // an empty value after '=' is refused, not filled with the next argument (CLI11 alone wrote
      // to a folder named --gzip)
      {"run baseline --out= --gzip",
       "geosim: error: '--out=' gives no value after '=': give one, or leave the option out\n"},
      // an option that takes a value, followed by another option: the value is missing (CLI11 took
      // the option as the value and wrote to a folder named --gzip, or blamed the words after it)
      {"run baseline --out --gzip",
       "geosim: error: --out needs a value after it, found the option '--gzip' (a value that starts with -- is given "
       "as --out=VALUE) (see `geosim run --help`)\n"},
      {"analyze realignment --json --between USA PRK",
       "geosim: error: --json needs a value after it, found the option '--between' (a value that starts with -- is "
       "given as --json=VALUE) (see `geosim analyze --help`)\n"},
      // a command's option before the command (CLI11 suggested the same option)
      {"--seed=3 run baseline",
       "geosim: error: '--seed' is an option of a command: give it after the command's name (geosim run ... --seed "
       "...) (see `geosim --help`)\n"},
      {"--seed 3 run baseline",
       "geosim: error: '--seed' is an option of a command: give it after the command's name (geosim run ... --seed "
       "...) (see `geosim --help`)\n"},
      // CLI11's words for a missing argument or value, or an unknown option, in geosim's, with the
      // option's description (the test reads it from --help) or the option meant
      {"ensemble merge", "geosim: error: missing FILES: " + described("ensemble merge", "FILES") +
                             " (see `geosim ensemble merge --help`)\n"},
      {"explain realignment VNM",
       "geosim: error: missing TO: " + described("explain", "TO") + " (see `geosim explain --help`)\n"},
      {"run baseline --seed",
       "geosim: error: --seed needs a value after it: " + described("run", "--seed") + " (see `geosim run --help`)\n"},
      {"analyze realignment --between USA", "geosim: error: --between takes 2 values, got 1: " +
                                                described("analyze", "--between") + " (see `geosim analyze --help`)\n"},
      {"ensemble baseline --run 10",
       "geosim: error: unknown option '--run'; did you mean '--runs'? (see `geosim ensemble --help`)\n"},
      {"run baseline a b", "geosim: error: unexpected arguments 'a b' (see `geosim run --help`)\n"},
      // an empty argument is refused, not read as the option left out (an unset shell variable)
      {"play --resume ''", "geosim: error: '--resume' was given an empty value: give one, or leave the option out\n"},
      {"run baseline --out '' --seed 3",
       "geosim: error: '--out' was given an empty value: give one, or leave the option out\n"},
      {"run ''", "geosim: error: argument 2 is empty: give a name, a file or a value\n"},
      // an unknown option beside a missing argument is the mistake named
      {"ensemble merge --bogus", "geosim: error: unknown option '--bogus' (see `geosim ensemble merge --help`)\n"},
      // --policy, --set and --vary take one value each time: the words after them are not theirs
      {"run --policy quiet-diplomacy realignment --steps 1 a",
       "geosim: error: unexpected argument 'a' (see `geosim run --help`)\n"},
      {"run realignment --relations USA-VNN",
       "geosim: error: unknown actor 'VNN' in --relations 'USA-VNN'; did you mean 'VNM'?\n"},
      // one actor twice: the scenario named as such (it read as the parameter 'baseline')
      {"run baseline --relations USA/USA",
       "geosim: error: expected FROM/TO, A-B (both directions) or top:N in --relations, with two different actors "
       "of the scenario 'baseline', found 'USA/USA'\n"},
      {"play realignment --port 8081", "geosim: error: --port requires --serve (see `geosim play --help`)\n"},
      {"run baseline 'x y'", "geosim: error: unexpected argument 'x y' (see `geosim run --help`)\n"},
      {"", "geosim: error: expected a command, such as run, play, ensemble or report (see `geosim --help`)\n"},
      {"run baseline --gzip=maybe",
       "geosim: error: --gzip is a switch: give it alone (or =true, =false), found 'maybe' (see `geosim run "
       "--help`)\n"},
      {"ensemble baseline --runs 10 --runs 20",
       "geosim: error: --runs may be given once, found 2 values (see `geosim ensemble --help`)\n"},
      {"export realignment --format xml",
       "geosim: error: --format: expected one of dot, graphml, json, csv, found 'xml' (see `geosim export --help`)\n"},
      {"run baseline --scenarios-dir", "geosim: error: --scenarios-dir needs a value after it: " +
                                           described("", "--scenarios-dir") + " (see `geosim run --help`)\n"},
      {"ensembel baseline",
       "geosim: error: unknown command 'ensembel'; did you mean 'ensemble'? (see `geosim --help`)\n"},
      // what was typed is data: its control characters are shown escaped, never sent to the terminal
      {"\"$(printf 'x\\033[2J')\"", "geosim: error: unknown command 'x?[2J' (see `geosim --help`)\n"},
      {"run baseline \"--x$(printf '\\033')\"", "geosim: error: unknown option '--x?' (see `geosim run --help`)\n"},
  };
  for (const Case& c : cases) {
    const Output o = run_cli(c.args);
    EXPECT_EQ(o.code, 1) << c.args;
    EXPECT_EQ(o.err, c.message) << c.args;
  }
}

// Many arguments of a path's length: one line quoting their start (a regex over CLI11's message
// overflowed the stack from seven of them).
TEST(Cli, ManyLongExtraArgumentsAreOneLine) {
  std::string args = "run baseline";
  for (int k = 0; k < 20; ++k) args += " " + std::string(4000, 'x');  // one shell argument of 80 KB (at most 128)
  const Output o = run_cli(args);
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(o.err, "geosim: error: unexpected arguments '" + std::string(60, 'x') +
                       "...' (80019 bytes) (see `geosim run --help`)\n");
}

// An argument longer than any path is refused before it is parsed, quoted by its start (the
// messages that would quote it cannot grow with it); one of 4096 bytes, a path's most, is parsed.
TEST(Cli, AnArgumentLongerThanAnyPathIsRefusedUpFront) {
  Output o = run_cli("run baseline --policy " + std::string(4097, 'p'));
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(o.err, "geosim: error: argument 4 is 4097 bytes long, more than any path or value (4096 bytes at most): '" +
                       std::string(60, 'p') + "...' (4097 bytes)\n");
  o = run_cli("run baseline --policy " + std::string(4096, 'p'));
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(o.err, "geosim: error: unknown policy '" + std::string(60, 'p') +
                       "...' (4096 bytes) (shipped policies: asean-dialogue, economic-engagement, quiet-diplomacy, "
                       "reinforcing-partnerships; or give a file path)\n");
}

// Counts read as counts: one step, one day, one bloc, pair or event in the singular; a scenario
// without indicators says so rather than print an empty heading.
TEST(Cli, OneIsSingularAndNoIndicatorsIsSaid) {
  const fs::path dir = temp_dir("singular");
  Output o = run_cli("world --states 2 --steps 1 --events 1 --out " + (dir / "w.yaml").string());
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_NE(
      o.out.find(": 2 states in 0 regional blocs, 1 pair listed (every other pair at the defaults), 1 chance event\n"),
      std::string::npos)
      << o.out;
  geosim::testing::spit(dir / "bare.yaml",
                        "scenario: {id: bare, title: Bare, start: 2025-08-01, step_days: 1, steps: 1}\n"
                        "actors:\n  - {id: AAA, name: A}\n  - {id: BBB, name: B}\n");
  o = run_cli("run " + (dir / "bare.yaml").string() + " --out " + (dir / "bare").string());
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_NE(o.out.find("Bare\n1 step of 1 day, 2025-08-01 to 2025-08-02, seed 1\n\nIndicators: none declared\n"),
            std::string::npos)
      << o.out;
  // every file written is named, the per-run series too
  const std::string per_run = (dir / "per.csv.gz").string();
  o = run_cli("ensemble baseline --runs 10 --per-run " + per_run + " --out " + (dir / "e").string());
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_NE(o.out.find("/ensemble.json\nWrote " + per_run + " (each run's series)\n"), std::string::npos) << o.out;
}

// A leading zero is decimal, as typed: CLI11 alone reads "010" as octal eight.
TEST(Cli, WholeNumbersWithLeadingZerosAreDecimal) {
  Output o = run_cli("ensemble baseline --runs 010 --threads 01 --out " + (temp_dir("zeros") / "e").string());
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_NE(o.out.find("10 runs of 52 steps"), std::string::npos) << o.out;
  o = run_cli("run baseline --steps 007 --out " + (temp_dir("zeros") / "r").string());
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_NE(o.out.find("7 steps"), std::string::npos) << o.out;
}

TEST(Cli, SetChangesAParameterForOneRunAndSaysSo) {
  const fs::path dir = temp_dir("set");
  const std::string folder = (dir / "o").string();
  // The default folder names the setting, so the run without it is not replaced.
  Output o = run_shell("cd " + dir.string() + " && " + GEOSIM_BINARY + " run realignment --set restraint.VNM=0.3");
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_NE(o.out.find(", set: restraint.VNM=0.3\n"), std::string::npos) << o.out;
  const std::string record = slurp(dir / "out" / "realignment+restraint.VNM=0.3" / "run.json");
  EXPECT_NE(record.find("\"settings\": [\n    \"restraint.VNM=0.3\"\n  ]"), std::string::npos) << record;
  // It changes the run (Vietnam's restraint acts as soon as an event moves its relations) ...
  o = run_cli("run realignment --out " + folder);
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_NE(slurp(dir / "o" / "indicators.csv"),
            slurp(dir / "out" / "realignment+restraint.VNM=0.3" / "indicators.csv"));
  EXPECT_EQ(slurp(dir / "o" / "run.json").find("settings"), std::string::npos) << "no key without --set";
  // ... and the HTML report says it, with its paired effect against the scenario without it.
  o = run_cli("report realignment --set restraint.VNM=0.3 --runs 20 --out " + (dir / "r.html").string());
  ASSERT_EQ(o.code, 0) << o.err;
  const std::string page = slurp(dir / "r.html");
  EXPECT_NE(page.find("set: <code>restraint.VNM=0.3</code>"), std::string::npos);
  EXPECT_NE(page.find("realignment without --set"), std::string::npos);
  for (const auto& [args, message] : std::vector<std::pair<std::string, std::string>>{
           {"run baseline --set restraint.VNM",
            "--set: error: expected NAME=VALUE (like restraint.VNM=0.1), found 'restraint.VNM'"},
           {"run baseline --set restraint.VNM=2",
            "--set: error: expected a value from 0 to 1 for 'restraint.VNM', found '2'"},
           {"explain baseline VNM USA --set restraint.XYZ=0.1", "--set: error: unknown actor 'XYZ'"}}) {
    o = run_cli(args);
    EXPECT_EQ(o.code, 1) << args;
    EXPECT_EQ(lines(o.err), 1) << o.err;
    EXPECT_NE(o.err.find(message), std::string::npos) << o.err;
  }
  fs::remove_all(dir);
}

TEST(Cli, ValidateAcceptsShippedFilesAndReportsEveryProblem) {
  const std::string dir = GEOSIM_SCENARIOS_DIR;
  Output o = run_cli("validate " + dir + "/realignment.yaml " + dir + "/actors.yaml " + dir + "/common/visit.yaml " +
                     dir + "/policies/quiet-diplomacy.yaml");
  EXPECT_EQ(o.code, 0) << o.err;
  const fs::path tmp = temp_dir("validate");
  std::ofstream(tmp / "bad.yaml") << "scenario:\n  id: bad\n  title: Bad\n  start: 2025-08-01\n"
                                     "  steps: 4\nactors:\n  - id: AAA\n  - id: BBB\nrelations:\n"
                                     "  - between: [AAA, CCC]\n    tenson: 0.2\n";
  o = run_cli("validate " + (tmp / "bad.yaml").string());
  EXPECT_NE(o.code, 0);
  // As docs/commands.md shows it: in the order of the lines (the loader finds line 11's key first).
  EXPECT_EQ(o.err, (tmp / "bad.yaml").string() + ":10:20: error: unknown actor 'CCC' (known actors: AAA, BBB)\n" +
                       (tmp / "bad.yaml").string() +
                       ":11:5: error: unknown key 'tenson' in a relation; did you mean 'tension'?\n");
  fs::remove_all(tmp);
  // Shipped names, as every other command takes them: a scenario and a policy, checked together.
  o = run_cli("validate world-200 realignment quiet-diplomacy");
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_NE(o.out.find(dir + "/world-200.yaml: ok\n"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find(dir + "/policies/quiet-diplomacy.yaml: ok with " + dir + "/realignment.yaml\n"),
            std::string::npos)
      << o.out;
  o = run_cli("validate no-such-name");
  EXPECT_EQ(o.code, 1);
  EXPECT_NE(o.err.find("no-such-name"), std::string::npos) << o.err;
  // Mistyped names get the one meant, as every other command gives it, and the other files are
  // still checked.
  o = run_cli("validate realignmnt baseline quiet-diplomcy");
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(o.err,
            "geosim: error: unknown scenario or policy 'realignmnt'; did you mean 'realignment'? (shipped "
            "scenarios and policies: baseline, expanded-cooperation, intermediary, realignment, symbolic-visit, "
            "world-200, asean-dialogue, economic-engagement, quiet-diplomacy, reinforcing-partnerships; or give "
            "a file path)\ngeosim: error: unknown scenario or policy 'quiet-diplomcy'; did you mean "
            "'quiet-diplomacy'? (shipped scenarios and policies: baseline, expanded-cooperation, intermediary, "
            "realignment, symbolic-visit, world-200, asean-dialogue, economic-engagement, quiet-diplomacy, "
            "reinforcing-partnerships; or give a file path)\n");
  EXPECT_EQ(o.out, dir + "/baseline.yaml: ok\n");
}

// A policy is checked against the scenario given with it, as `run SCENARIO --policy FILE`
// loads it; alone, against the shipped world, and the output says which.
TEST(Cli, ValidateChecksAPolicyAgainstTheScenarioGivenWithIt) {
  const fs::path tmp = temp_dir("validate-policy");
  const std::string scs = (tmp / "scs.yaml").string(), policy = (tmp / "my-policy.yaml").string();
  std::ofstream(scs) << "scenario: {id: scs, title: South China Sea, start: 2025-01-01, steps: 4}\n"
                        "actors: [{id: PHL}, {id: CHN}]\n";
  std::ofstream(policy) << "policy: {id: talks, title: Talks}\n"
                           "adjust:\n  - {between: [PHL, CHN], tension: -0.05}\n";
  Output o = run_cli("run " + scs + " --policy " + policy);
  ASSERT_EQ(o.code, 0) << o.err;
  o = run_cli("validate " + scs + " " + policy);
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_TRUE(o.err.empty()) << o.err;
  EXPECT_NE(o.out.find(scs + ": ok\n"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find(policy + ": ok with " + scs + "\n"), std::string::npos) << o.out;
  o = run_cli("validate " + policy);
  EXPECT_EQ(o.code, 1);
  EXPECT_NE(o.err.find("unknown actor 'PHL'"), std::string::npos) << o.err;
  EXPECT_NE(o.out.find(policy + ": checked against the shipped world ("), std::string::npos) << o.out;
  o = run_cli("validate " + std::string(GEOSIM_SCENARIOS_DIR) + "/policies/quiet-diplomacy.yaml");
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_NE(o.out.find("quiet-diplomacy.yaml: ok, checked against the shipped world ("), std::string::npos) << o.out;
  fs::remove_all(tmp);
}

// Golden checksums of the outputs of every shipped scenario at seed 1. When a change to the
// model or the scenarios is intended, regenerate the file (README.md, "Golden checksums").
TEST(Cli, GoldenChecksumsOfEveryShippedScenario) {
  const fs::path golden = fs::path(GEOSIM_TEST_DATA) / "golden" / "run_checksums.txt";
  std::map<std::string, std::string> expected;
  {
    std::ifstream in(golden);
    std::string key, value;
    while (in >> key >> value) expected[key] = value;
  }
  std::ostringstream actual;
  std::map<std::string, std::string> got;
  for (const char* name :
       {"baseline", "symbolic-visit", "expanded-cooperation", "intermediary", "realignment", "world-200"}) {
    const fs::path dir = temp_dir(std::string("golden_") + name);
    ASSERT_EQ(run_cli(std::string("run ") + name + " --seed 1 --out " + dir.string()).code, 0);
    for (const char* f : {"tension.csv", "indicators.csv", "run.json"}) {
      std::string content = slurp(dir / f);
      if (std::string(f) == "run.json") {
        // The scenario's path depends on where the tree is checked out.
        const std::string path = std::string(GEOSIM_SCENARIOS_DIR) + "/" + name + ".yaml";
        for (auto at = content.find(path); at != std::string::npos; at = content.find(path))
          content.replace(at, path.size(), std::string(name) + ".yaml");
      }
      const std::string key = std::string(name) + "/" + f;
      got[key] = fmt_hex(fnv1a(content));
      actual << key << ' ' << got[key] << '\n';
    }
    fs::remove_all(dir);
  }
  // The model revision they were made under: outputs that changed under the same revision are
  // rewritten only when the shipped scenarios changed (GEOSIM_UPDATE_GOLDEN=scenarios); when the
  // model did, its revision is raised first, so that shards of the two do not merge as one
  // ensemble (model_revision.hpp). A scenario new to the file changes nothing already in it.
  const std::string revision = std::to_string(geosim::kModelRevision);
  bool changed = false;
  for (const auto& [key, value] : got) changed = changed || (expected.count(key) && expected[key] != value);
  if (const char* update = std::getenv("GEOSIM_UPDATE_GOLDEN")) {
    ASSERT_FALSE(changed && expected["model-revision"] == revision && std::string(update) != "scenarios")
        << "the outputs changed: if the model computes differently, raise kModelRevision in "
           "engine/include/geosim/core/model_revision.hpp first; if only the shipped scenarios changed, "
           "run with GEOSIM_UPDATE_GOLDEN=scenarios";
    fs::create_directories(golden.parent_path());
    std::ofstream(golden) << "model-revision " << revision << '\n' << actual.str();
    GTEST_SKIP() << "golden checksums rewritten to " << golden;
  }
  ASSERT_FALSE(expected.empty()) << "no golden file at " << golden << "; run with GEOSIM_UPDATE_GOLDEN=1";
  for (const auto& [key, value] : got) EXPECT_EQ(value, expected[key]) << key;
  EXPECT_EQ(expected["model-revision"], revision) << "rewrite the golden file (GEOSIM_UPDATE_GOLDEN=1)";
}

}  // namespace
