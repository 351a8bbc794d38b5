// geosim's command line (run_geosim, for geosim_main.cpp and geosim_mpi_main.cpp). Each command
// lives in its own cmd_<name>.cpp; this file only wires them together.
#include <fmt/format.h>
#include <geosim/core/diagnostic.hpp>
#include <geosim/io/escape.hpp>
#include <geosim/io/interrupt.hpp>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <new>
#include <string_view>

#include "cli_common.hpp"
#include "ensemble_spread.hpp"

const char* geosim_version_text();  // version.cpp, written at build time (cmake/version.cmake)

namespace {

/// Flushes standard output; a failed write (a full disk, `> /dev/full`, a closed pipe) is an
/// error: the output the user asked for is lost. Returns the exit code to use.
int finish_stdout(int code) {
  std::cout.flush();
  errno = 0;
  const bool failed = std::fflush(stdout) != 0 || std::ferror(stdout) || !std::cout;
  if (!failed) return code;
  const int error = errno;
  std::fprintf(stderr, "geosim: error: cannot write the output to standard output%s%s\n", error ? ": " : "",
               error ? std::strerror(error) : "");
  return 1;
}

/// The most bytes of one argument: a path's most (PATH_MAX), far more than any name or number.
constexpr std::size_t kMaxArgumentBytes = 4096;

/// What no option's parsing would say well, checked before it: an argument longer than any path
/// (its messages would quote it whole), and `--name=` with nothing after the '=' (CLI11 then
/// takes the next argument as its value: `--out= --gzip` wrote to a folder named --gzip).
std::string argument_error(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a.size() > kMaxArgumentBytes)
      return fmt::format("argument {} is {} bytes long, more than any path or value ({} bytes at most): {}", i,
                         a.size(), kMaxArgumentBytes, geosim::quote_word(std::string(a)));
    if (a.size() > 3 && a.starts_with("--") && a.ends_with("=") && a.find('=') == a.size() - 1)
      return fmt::format("'{}' gives no value after '=': give one, or leave the option out", a);
    // No name, path or value of geosim is empty: an empty argument is an unset variable
    // (`--resume "$SESSION"`), which would otherwise read as the option left out.
    if (a.empty()) {
      const std::string_view before = i > 1 ? std::string_view(argv[i - 1]) : std::string_view();
      return before.starts_with("--") && before.find('=') == std::string_view::npos
                 ? fmt::format("{} was given an empty value: give one, or leave the option out",
                               geosim::quote_word(std::string(before)))
                 : fmt::format("argument {} is empty: give a name, a file or a value", i);
    }
  }
  return {};
}

/// The option `name` ("--out") of `app` or of a command above it (their options also come
/// after a command's name), or nullptr.
const CLI::Option* option_named(const CLI::App* app, const std::string& name) {
  for (; app != nullptr; app = app->get_parent())
    if (const CLI::Option* option = app->get_option_no_throw(name)) return option;
  return nullptr;
}

/// What CLI11 would take wrongly, checked before it parses: an option that takes a value
/// followed by another option (CLI11 took that option as the value: `--out --gzip` wrote to a
/// folder named --gzip and left out the gzip; `--json --between USA PRK` blamed USA PRK), and a
/// command's option before the command's name (CLI11 suggested the same option). A value that
/// starts with "--" is still given as `--out=--odd` or `--out ./--odd`.
std::string option_order_error(const CLI::App& app, int argc, char** argv) {
  const CLI::App* current = &app;
  std::string command;  // " run", " ensemble merge": the command whose help to see
  auto command_after = [&](int from) -> std::string {
    for (int j = from; j < argc; ++j)
      for (const CLI::App* sub : app.get_subcommands({}))
        if (sub->get_name() == argv[j]) return sub->get_name();
    return "COMMAND";
  };
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--") break;
    if (!a.starts_with("--")) {
      for (const CLI::App* sub : current->get_subcommands({}))
        if (!sub->get_name().empty() && sub->get_name() == a) {
          current = sub;
          command += " " + a;
        }
      continue;
    }
    const std::string name = a.substr(0, a.find('='));  // --seed=3: --seed
    const CLI::Option* option = option_named(current, name);
    if (option == nullptr) {
      if (current != &app) continue;  // CLI11 says it is unknown, with a guess
      for (const CLI::App* sub : app.get_subcommands({}))
        if (sub->get_option_no_throw(name) != nullptr)
          return fmt::format(
              "{} is an option of a command: give it after the command's name (geosim {} ... {} ...) (see `geosim "
              "--help`)",
              geosim::quote_word(name), command_after(i + 1), name);
      continue;
    }
    if (name != a || option->get_type_size_min() <= 0 || option->get_expected_min() <= 0)
      continue;  // a flag, or the value after '='

    const int needs = option->get_type_size_min() * option->get_expected_min();
    for (int k = 1; k <= needs && i + k < argc; ++k) {
      const std::string_view next = argv[i + k];
      if (next.starts_with("--"))
        return fmt::format(
            "{} needs a value after it, found the option {} (a value that starts with -- is given as {}=VALUE) (see "
            "`geosim{} --help`)",
            a, geosim::quote_word(std::string(next)), a, command);
    }
    i += needs;
  }
  return {};
}

/// A whole number at the start of `text`, or -1.
long leading_number(std::string_view text) {
  long value = -1;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

/// CLI11's messages for a missing, extra or unreadable argument or value, in the words of the rest
/// of geosim, with the option's own description: "from is required" becomes "missing FROM: actor
/// whose stance it is, e.g. VNM"; "--seed: 1 required UINT:SEED missing" becomes "--seed needs a
/// value after it: ...". Read by plain string tests (a regex's recursion would overflow the stack
/// on a message quoting many 4 KB arguments). Any other message is returned as it is.
std::string plain_message(const CLI::App* command, const CLI::Error& e) {
  const std::string message = e.what();
  const auto option_named = [&](const std::string& name) -> const CLI::Option* {
    for (const CLI::App* a = command; a; a = a->get_parent())
      if (const CLI::Option* o = a->get_option_no_throw(name)) return o;
    return nullptr;
  };
  const auto described = [&](const std::string& name) {
    const CLI::Option* option = option_named(name);
    return option && !option->get_description().empty() ? ": " + option->get_description() : std::string();
  };
  const auto upper = [](std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
  };
  if (message == "A subcommand is required") return "expected a command, such as run, play, ensemble or report";
  std::vector<std::string> extra;  // the first command from the chosen one up that kept some
  for (const CLI::App* a = command; a && extra.empty(); a = a->get_parent()) extra = a->remaining();
  // A missing argument beside an unknown option (`ensemble merge --bogus`): the option is the mistake.
  const bool unknown_option =
      std::any_of(extra.begin(), extra.end(), [](const std::string& w) { return w.starts_with("-"); });
  if ((dynamic_cast<const CLI::ExtrasError*>(&e) || (dynamic_cast<const CLI::RequiredError*>(&e) && unknown_option)) &&
      command) {
    std::string typed;
    for (const std::string& w : extra) typed += (typed.empty() ? "" : " ") + w;
    const auto option =
        std::find_if(extra.begin(), extra.end(), [](const std::string& w) { return w.starts_with("-"); });
    if (option == extra.end())
      return fmt::format("unexpected argument{} {}", extra.size() == 1 ? "" : "s", geosim::quote_word(typed));
    std::vector<std::string> names;  // --long options of the command and above it (--scenarios-dir)
    for (const CLI::App* a = command; a; a = a->get_parent())
      for (const CLI::Option* o : a->get_options())
        for (const std::string& n : o->get_lnames()) names.push_back("--" + n);
    const std::string word = option->substr(0, option->find('='));
    const std::string guess = geosim::closest_match(word, names);
    return "unknown option " + geosim::quote_word(word) + geosim::did_you_mean(guess);
  }
  if (message.starts_with("Could not convert: ")) {  // "Could not convert: --gzip = maybe"
    const std::size_t equals = message.find(" = ");
    const std::string name = message.substr(19, equals == std::string::npos ? std::string::npos : equals - 19);
    const std::string value = equals == std::string::npos ? "" : message.substr(equals + 3);
    const CLI::Option* option = option_named(name);
    if (option && option->get_expected_max() == 0)
      return name + " is a switch: give it alone (or =true, =false), found " + geosim::quote_word(value);
    return name + ": cannot read " + geosim::quote_word(value) + described(name);
  }
  const std::string suffix = " is required";
  if (message.ends_with(suffix) && message.find(' ') == message.size() - suffix.size()) {
    const std::string name = message.substr(0, message.size() - suffix.size());
    return name.starts_with("-") ? "missing option " + name + described(name)
                                 : "missing " + upper(name) + described(name);
  }
  const std::size_t colon = message.find(": ");
  if (colon == std::string::npos || message.substr(0, colon).find(' ') != std::string::npos) return message;
  const std::string name = message.substr(0, colon);
  const std::string_view rest = std::string_view(message).substr(colon + 2);
  if (rest.ends_with(" missing") && rest.find(" required ") != std::string_view::npos) {
    const long n = leading_number(rest);
    return n == 1 ? name + " needs a value after it" + described(name)
                  : fmt::format("{} needs {} values after it{}", name, n, described(name));
  }
  for (const std::string_view lead : {std::string_view("At least "), std::string_view("At Most ")})
    if (rest.starts_with(lead)) {  // "At least 2 required but received 1"
      const long wanted = leading_number(rest.substr(lead.size()));
      const std::size_t received = rest.find("received ");
      const long got = received == std::string_view::npos ? -1 : leading_number(rest.substr(received + 9));
      if (wanted == 1 && lead == "At Most ") return fmt::format("{} may be given once, found {} values", name, got);
      return fmt::format("{} takes {} values, got {}{}", name, wanted, got, described(name));
    }
  if (const std::size_t set = rest.find(" not in {"); set != std::string_view::npos && rest.ends_with("}")) {
    std::string choices(rest.substr(set + 9, rest.size() - set - 10));
    for (std::size_t at = choices.find(','); at != std::string::npos; at = choices.find(',', at + 2))
      choices.insert(at + 1, " ");
    return fmt::format("{}: expected one of {}, found {}", name, choices,
                       geosim::quote_word(std::string(rest.substr(0, set))));
  }
  return message;
}

}  // namespace

int geosim::cli::run_geosim(int argc, char** argv, EnsembleSpread* spread) {
  if (const std::string error = argument_error(argc, argv); !error.empty()) {
    std::fprintf(stderr, "geosim: error: %s\n", geosim::terminal_text(error).c_str());
    return 1;
  }
  CLI::App app{
      "geosim: a geopolitical scenario simulator.\n"
      "Actors form a weighted relation graph whose tensions evolve step by step under events.\n"
      "Start with `geosim list`, then `geosim run SCENARIO`."};
  geosim::install_interrupt_cleanup();
  app.require_subcommand(1);
  // An argument error is one line like every other error; what the user typed is shown with its
  // control characters escaped (CLI11's messages quote arguments).
  app.failure_message([argc, argv](const CLI::App* top, const CLI::Error& e) {
    std::string command;  // the (sub)command whose arguments failed: "geosim ensemble merge"
    const CLI::App* chosen = top;
    while (!chosen->get_subcommands().empty()) {
      chosen = chosen->get_subcommands().front();
      command += " " + chosen->get_name();
    }
    std::string message = plain_message(chosen, e);
    if (command.empty() && argc > 1 && argv[1][0] != '-') {  // a word that names no command
      std::vector<std::string> names;
      for (const CLI::App* sub : top->get_subcommands({})) names.push_back(sub->get_name());
      const std::string guess = geosim::closest_match(argv[1], names);
      message = fmt::format("unknown command {}{}", geosim::quote_word(argv[1]), geosim::did_you_mean(guess));
    }
    return fmt::format("geosim: error: {} (see `geosim{} --help`)\n", geosim::terminal_text(message), command);
  });
  app.fallthrough();  // the options above every command (--scenarios-dir) also after its name
  app.set_version_flag("--version", std::string(geosim_version_text()), "print the version and the commit, then exit");
  geosim::cli::Common common;
  common.spread = spread;
  app.add_option("--scenarios-dir", common.scenarios_dir,
                 "folder of shipped scenarios (default: $GEOSIM_SCENARIOS, ./scenarios, or scenarios/ in $GEOSIM_DATA, "
                 "beside the program or in its share/geosim)");
  auto commands = geosim::cli::registered_commands();
  std::sort(commands.begin(), commands.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<geosim::cli::Handler> handlers;
  for (const auto& [order, factory] : commands) handlers.push_back(factory(app, common));
  geosim::cli::check_whole_numbers(app);
  if (const std::string error = option_order_error(app, argc, argv); !error.empty()) {
    std::fprintf(stderr, "geosim: error: %s\n", geosim::terminal_text(error).c_str());
    return 1;
  }
  // stop: the exit code when the program ends after parsing (--help, --version, an argument
  // error, a command refused under mpirun); -1 to run the command.
  int stop = -1;
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version exit 0; every argument error exits 1, as any other error (CLI11's own
    // codes, 104 to 114, would tell a script nothing more).
    stop = app.exit(e) == 0 ? 0 : 1;
  }
  if (spread) {
    // Under mpirun every process runs the same command line: only an ensemble's runs are
    // spread; any other command would run N times and write the same files at once.
    const auto chosen = app.get_subcommands();
    if (stop < 0 &&
        (chosen.size() != 1 || chosen[0]->get_name() != "ensemble" || !chosen[0]->get_subcommands().empty()))
      stop = geosim::cli::fail(
          fmt::format("under mpirun ({} processes) only `geosim-mpi ensemble SCENARIO ...` runs: start other commands "
                      "(and `ensemble merge`) without mpirun",
                      spread->size()));
    // Every process goes on only if all do: one that stops here never waits for the others.
    if (spread->agree(stop >= 0 ? 1 : 0) != 0) return finish_stdout(stop >= 0 ? stop : 1);
  }
  if (stop >= 0) return finish_stdout(stop);
  try {
    for (const auto& handler : handlers)
      if (const int code = handler(); code >= 0) return finish_stdout(code);
  } catch (const std::bad_alloc&) {  // a last resort: every command refuses what cannot fit up front
    return finish_stdout(
        geosim::cli::fail("out of memory: the machine (or its limit) has less memory than this command needs; use "
                          "fewer steps, runs or actors"));
  }
  return finish_stdout(1);
}
