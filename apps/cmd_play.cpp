// geosim play: the facilitator's interactive tabletop mode. One command per line from the
// terminal (with a prompt), a --script file, or a pipe. The session itself (branches, injects,
// moves, undo, save and resume) is in the engine: geosim/session*.hpp.
#include <fmt/format.h>
#include <geosim/io/catalog.hpp>
#include <geosim/io/escape.hpp>
#include <geosim/io/input_file.hpp>
#include <geosim/io/interrupt.hpp>
#include <geosim/report/html_report.hpp>
#include <geosim/report/report.hpp>
#include <geosim/tabletop/after_action.hpp>
#include <geosim/tabletop/session.hpp>
#include <geosim/tabletop/session_file.hpp>
#include <geosim/tabletop/session_view.hpp>

#include <unistd.h>
#include <cctype>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "cli_common.hpp"
#include "line_editor.hpp"
#include "play_files.hpp"
#include "play_open.hpp"
#include "room_server.hpp"

namespace geosim::cli {

namespace {
namespace fs = std::filesystem;

/// The loop's state around the engine's session.
struct Play {
  Session session;
  std::istream& in;
  std::string source;  ///< "<stdin>" or the script's path, for messages
  bool interactive = false;
  bool colour = false;
  int line = 0;
  int column = 1;  ///< where the current line's problem is: the command's first column unless the parser says
  std::vector<int> failed_lines;
  /// Files this session may overwrite, each only with its own kind and as it left them: its
  /// saved (or resumed) session with `save`, its reports with `report`. `report x.json` never
  /// replaces the session; a report the user edited since is theirs.
  OwnFiles own_files;
  RoomServer* room = nullptr;    ///< --serve: the live page, told of every change
  LineEditor* editor = nullptr;  ///< on a terminal: line editing, history, completion
};

std::optional<std::string> read_text(const std::string& path, std::size_t limit) {
  return read_input_file(path, limit).text;  // a regular file only: a FIFO or device would hang or never end
}

/// A script's errors shown one per line, at most: the rest are counted (the script runs on) and
/// said in one line at the end, as the loader cuts a flood of problems.
constexpr std::size_t kShownScriptErrors = 100;
/// The failed lines a script's last line lists by number, at most: "and N more" after them.
constexpr std::size_t kListedFailedLines = 20;

/// One line of error(): where (the script's file:line:col, or the column typed) and what.
void print_error_line(Play& p, const std::string& message) {
  if (p.interactive && p.column > 1)
    std::fprintf(stderr, "error at column %d: %s\n", p.column, message.c_str());
  else if (p.interactive)
    std::fprintf(stderr, "error: %s\n", message.c_str());
  else
    std::fprintf(stderr, "%s:%d:%d: error: %s\n", terminal_text(p.source).c_str(), p.line, p.column, message.c_str());
}

void error(Play& p, const std::string& raw) {
  p.failed_lines.push_back(p.line);
  if (!p.interactive && p.failed_lines.size() > kShownScriptErrors) return;  // counted, said at the end
  std::fflush(stdout);  // keep a transcript's order when both streams go to one place
  // The first line is the command's problem; any more are the loader's, each with its own
  // file:line:col (a policy file that does not load), each a line of its own.
  const std::size_t first_end = std::min(raw.find('\n'), raw.size());
  const std::string message = terminal_text(raw.substr(0, first_end));  // quotes typed words, names and paths
  print_error_line(p, message);
  for (std::size_t at = first_end; at < raw.size();) {
    const std::size_t end = std::min(raw.find('\n', at + 1), raw.size());
    std::fprintf(stderr, "%s\n", terminal_text(raw.substr(at + 1, end - at - 1)).c_str());
    at = end;
  }
}

/// Asks a yes/no question on the terminal; no when not interactive or at end of input.
bool ask_yes(Play& p, const std::string& question) {
  if (!p.interactive) return false;
  std::printf("%s [y/N] ", terminal_text(question).c_str());
  std::fflush(stdout);
  std::string answer;
  if (!get_bounded_line(p.in, answer, kMaxCommandBytes + 1)) return false;
  return !answer.empty() && (answer[0] == 'y' || answer[0] == 'Y');
}

/// Whether `path` may be written: new, not a regular file (the writer refuses it), written by
/// this session and unchanged since, or the user agrees; never a file the session was played from.
bool may_write(Play& p, const std::string& path, OwnFile kind) {
  std::vector<std::string> inputs = p.session.current().scenario.files;  // with the documents it quotes
  for (const auto& [file, checksum] : p.session.file_checksums()) inputs.push_back(file);
  if (is_one_of_files(path, inputs))
    return error(p, fmt::format("'{}' is a file this session is played from: name another file", path)), false;
  std::optional<std::string> what = p.own_files.claim(path, kind);
  if (what && what->empty()) return true;
  if (!what) {
    const auto text = read_text(path, kMaxSessionFileBytes);
    what = text && is_session_file(*text) ? "another geosim session" : "written before this session";
  }
  if (ask_yes(p, fmt::format("'{}' exists ({}). Overwrite it?", path, *what))) return true;
  error(p, fmt::format("'{}' exists ({}); not overwriting it: choose another name or remove it first", path, *what));
  return false;
}

/// The after-action record: the full HTML report (charts, network, log) for a .html file,
/// Markdown otherwise; nullopt, with the reason in `error`, when the page's template is missing.
std::optional<std::string> report_text(const Session& session, const std::string& path, std::string& error) {
  std::string extension = std::filesystem::path(path).extension().string();
  for (char& c : extension) c = char(std::tolower(static_cast<unsigned char>(c)));
  if (extension != ".html" && extension != ".htm") return after_action_markdown(gather_after_action(session));
  std::ostringstream page;
  const ReportOutcome outcome = write_html_report(page, session_report_data(session));
  if (!outcome.error.empty()) {
    error = outcome.error;
    return std::nullopt;
  }
  return page.str();
}

bool write_own(Play& p, const std::string& path, const std::string& content, OwnFile kind) {
  if (!may_write(p, path, kind)) return false;
  if (const std::string message = output_file_error(path, true); !message.empty()) return error(p, message), false;
  // a missing folder is made, as the commands' --out make theirs
  if (const std::string message = make_output_folder(fs::path(path).parent_path()); !message.empty())
    return error(p, message), false;
  if (const std::string message = write_output_file(path, content); !message.empty()) {
    error(p, message);
    return false;
  }
  p.own_files.record(path, kind);
  return true;
}

bool save(Play& p, const std::string& path) {
  const std::string text = session_to_json(p.session, path);
  if (text.size() > kMaxSessionFileBytes) {  // resuming would refuse it
    error(p, fmt::format("the session would take {:.1f} MiB, more than `play --resume` reads ({} MiB): not saved; "
                         "`report FILE` keeps its record",
                         double(text.size()) / double(1 << 20), kMaxSessionFileBytes >> 20));
    return false;
  }
  if (const std::string problem = session_save_error(text); !problem.empty()) {
    error(p, problem);
    return false;
  }
  if (!write_own(p, path, text, OwnFile::session)) return false;
  p.session.mark_saved();
  // The command to resume, as a shell reads it (shell_word: pastes back as the same bytes; a
  // name that starts with '-' as ./NAME, not read as an option).
  std::printf("saved %zu branch%s to %s (resume with: geosim play --resume %s)\n", p.session.branches().size(),
              p.session.branches().size() == 1 ? "" : "es", terminal_text(path).c_str(),
              shell_word(path.starts_with("-") ? "./" + path : path).c_str());
  return true;
}

void print(const std::string& text) { std::fputs(text.c_str(), stdout); }

/// `text` as terminal text line by line: its line breaks kept, any other control shown as '?'.
std::string terminal_lines(const std::string& text) {
  std::string out;
  for (std::size_t start = 0; start <= text.size();) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    out += terminal_text(std::string_view(text).substr(start, end - start));
    if (end < text.size()) out += '\n';
    start = end + 1;
  }
  return out;
}

void result(Play& p, const CommandResult& r) {
  if (r.ok) {
    print(terminal_lines(r.message) + "\n");  // quotes titles, names and typed words
    return;
  }
  p.column += int(r.at);  // from the command's first column to the word at fault
  error(p, r.message);
}

/// Runs one command; false to leave.
bool dispatch(Play& p, const SessionCommand& c) {
  switch (c.kind) {
    case CommandKind::empty:
      break;
    case CommandKind::help:
      print(session_help());
      break;
    case CommandKind::status:
      print(status_text(p.session, p.colour));
      break;
    case CommandKind::events:
      print(events_text(p.session));
      break;
    case CommandKind::log:
      print(log_text(p.session));
      break;
    case CommandKind::branches:
      print(branches_text(p.session));
      break;
    case CommandKind::compare:
      result(p, compare_branches(p.session, c.argument, c.argument_at));
      break;
    case CommandKind::undo:
      result(p, p.session.undo());
      break;
    case CommandKind::branch:  // a name taken or unknown is the name typed; the session's limits, the command
    case CommandKind::switch_branch:
      result(p, c.kind == CommandKind::branch ? p.session.branch(c.argument, c.argument_at)
                                              : p.session.switch_to(c.argument, c.argument_at));
      break;
    case CommandKind::save:
      p.column += int(c.argument_at);  // what goes wrong is the file named
      save(p, c.argument);
      break;
    case CommandKind::report: {
      p.column += int(c.argument_at);
      std::string why;
      const auto text = report_text(p.session, c.argument, why);
      if (!text) {
        error(p, why);
        break;
      }
      if (write_own(p, c.argument, *text, OwnFile::report))
        std::printf("wrote the after-action record of branch '%s' to %s\n", p.session.current().name.c_str(),
                    terminal_text(c.argument).c_str());
      break;
    }
    case CommandKind::quit:
      return false;
    default:
      result(p, p.session.apply(c));
      break;
  }
  return true;
}

/// Whether a command may change what the live page shows.
bool changes_view(CommandKind kind) {
  return records_history(kind) || kind == CommandKind::undo || kind == CommandKind::branch ||
         kind == CommandKind::switch_branch;
}

std::string prompt(const Play& p) {
  const Branch& b = p.session.current();
  return fmt::format("[{} step {} {}]> ", b.name, b.state.step, format_date(b.scenario.date_of_step(b.state.step)));
}

void run_loop(Play& p) {
  std::string text;
  while (true) {
    if (p.editor) {
      const std::optional<std::string> line = p.editor->read(prompt(p));
      if (interrupt_requested() || !line) break;
      text = *line;
    } else {
      if (p.interactive) {
        print(prompt(p));
        std::fflush(stdout);
      }
      // Past the limit by one byte, and by a byte order mark's three (stripped below): the parser refuses it.
      if (interrupt_requested() || !get_bounded_line(p.in, text, kMaxCommandBytes + 4)) break;
    }
    ++p.line;
    // A script saved by Notepad starts with a UTF-8 byte order mark: not part of its first command.
    if (p.line == 1 && text.starts_with("\xEF\xBB\xBF")) text.erase(0, 3);
    const ParsedCommand parsed = parse_session_command(text);
    p.column = parsed.command ? int(std::min(text.find_first_not_of(" \t\r"), text.size())) + 1 : parsed.column;
    if (!p.interactive && parsed.command && parsed.command->kind != CommandKind::empty)
      print("> " + terminal_text(parsed.command->text) + "\n");
    if (!parsed.command) {
      if (!p.interactive) print("> " + terminal_text(text) + "\n");
      error(p, parsed.error);
      continue;
    }
    const bool go_on = dispatch(p, *parsed.command);
    std::fflush(stdout);
    if (p.room && changes_view(parsed.command->kind)) p.room->publish(p.session);
    if (!go_on) break;
  }
}

/// After Ctrl-C (see InterruptDeferral): the read failed; make the terminal readable again so
/// that finish() can ask. A second Ctrl-C there leaves without saving.
void recover_from_interrupt(Play& p) {
  if (!interrupt_requested()) return;
  clear_interrupt();
  if (p.interactive) print("\n");
  p.in.clear();
  std::clearerr(stdin);
}

/// The answer as a yes/no word: 'y', 'n', or 0 when it is something else (a file name).
char yes_no(const std::string& answer) {
  const auto first = answer.find_first_not_of(" \t\r");
  const auto last = answer.find_last_not_of(" \t\r");
  std::string word = first == std::string::npos ? "" : answer.substr(first, last + 1 - first);
  for (char& c : word) c = char(std::tolower(static_cast<unsigned char>(c)));
  if (word == "n" || word == "no") return 'n';
  if (word == "y" || word == "yes") return 'y';
  return 0;
}

/// At the end: offer to save (interactive) or warn (script or pipe, also when interrupted) when
/// something is unsaved.
void finish(Play& p) {
  const bool interrupted = interrupt_requested();
  recover_from_interrupt(p);
  if (!p.session.unsaved()) return;
  if (!p.interactive) {
    std::fprintf(stderr,
                 "geosim: warning: %sthe session has unsaved changes, now lost; add `save FILE` to the script to "
                 "keep them\n",
                 interrupted ? "interrupted: " : "");
    return;
  }
  std::string name;
  std::string question = "The session has unsaved changes. Save to file (Enter or n to leave without saving): ";
  while (true) {
    print(question);
    std::fflush(stdout);
    if (!get_bounded_line(p.in, name, kMaxCommandBytes + 1) || name.find_first_not_of(" \t\r") == std::string::npos ||
        yes_no(name) == 'n') {
      if (interrupt_requested()) print("\n");
      return;
    }
    if (yes_no(name) == 'y') {
      question = "File to save to (Enter to leave without saving): ";
      continue;
    }
    const ParsedCommand parsed = parse_session_command("save " + name);
    if (parsed.command && save(p, parsed.command->argument)) return;
    if (!parsed.command) std::fprintf(stderr, "error: %s\n", terminal_text(parsed.error).c_str());
  }
}

Handler add_play_command(CLI::App& app, const Common& common) {
  auto o = std::make_shared<PlayOptions>();
  o->scenario = "baseline";
  auto* cmd = app.add_subcommand("play",
                                 "play a scenario as a tabletop exercise, one command per line "
                                 "(type `help` at the prompt)");
  cmd->add_option("scenario", o->scenario, "scenario name (see `geosim list`) or file (default: baseline)");
  cmd->add_option("--seed", o->seed, "random seed (default 1)")->check(seed_number());
  add_policy_option(cmd, o->policies);
  add_set_option(cmd, o->settings, "for the whole session (kept over the policies moved in)");
  cmd->add_option("--script", o->script, "read the commands from FILE instead of the terminal");
  cmd->add_option("--resume", o->resume, "resume a session saved with `save FILE`");
  CLI::Option* serve =
      cmd->add_flag("--serve", o->serve, "serve a live page of the session (for the projector and the teams' laptops)");
  cmd->add_option("--port", o->room.port, "--serve: the port (default 8080; 0 = any free port)")
      ->check(whole_number(0, 65535))
      ->needs(serve);
  cmd->add_option("--host", o->room.host,
                  "--serve: the address to listen on (default 127.0.0.1, this machine only); any other address "
                  "(e.g. 0.0.0.0 for the room's network) needs the token the terminal prints")
      ->check(CLI::Validator(
          [](std::string& host) -> std::string {  // "" would listen on [::1] only and print "http://:PORT/"
            return host.empty() ? "expected an address to listen on (like 127.0.0.1 or 0.0.0.0), found ''" : "";
          },
          "ADDRESS"))
      ->needs(serve);
  return [cmd, o, &common]() -> int {
    if (!*cmd) return -1;
    auto session = open_session(*o, *cmd, common);
    if (!session) return 1;
    std::istringstream script;
    if (!o->script.empty()) {
      std::error_code ec;
      if (fs::is_directory(o->script, ec))
        return fail(fmt::format("cannot read the script '{}': it is a folder; give a file of commands", o->script));
      const InputText text = read_input_file(o->script);  // bounded, regular files only
      if (!text.text) return fail(fmt::format("cannot read the script '{}': {}", o->script, text.error));
      script.str(*text.text);
    }
    const bool interactive = o->script.empty() && ::isatty(0);
    const bool colour = ::isatty(1) && !std::getenv("NO_COLOR");
    Play p{std::move(*session),
           o->script.empty() ? std::cin : script,
           o->script.empty() ? "<stdin>" : o->script,
           interactive,
           colour,
           0,
           1,
           {},
           {}};
    if (!o->resume.empty()) p.own_files.record(o->resume, OwnFile::session);
    std::unique_ptr<RoomServer> room;  // started first: a port in use is one error, before anything else
    if (o->serve) {
      o->room.scenarios_dir = common.scenarios_dir;
      std::string message;
      room = RoomServer::start(o->room, message);
      if (!room) return fail(message);
    }
    const Branch& b = p.session.current();
    std::printf("%s: branch '%s' at step %d of %d (%s), seed %llu%s. Type `help` for the commands.\n",
                terminal_text(b.scenario.title).c_str(), b.name.c_str(), b.state.step, b.scenario.steps,
                format_date(b.scenario.date_of_step(b.state.step)).c_str(),
                static_cast<unsigned long long>(p.session.setup().seed),
                settings_clause(p.session.scenario().settings).c_str());
    if (room) {
      room->publish(p.session);
      p.room = room.get();
      const auto& actors = p.session.scenario().actors;
      std::printf("live page: %s (teams: %s)\n", room->url().c_str(),
                  actors.empty() ? "none" : room->url("/team/" + actors.front().id).c_str());
      std::fflush(stdout);
    }
    std::unique_ptr<LineEditor> editor;
    const char* term = std::getenv("TERM");
    if (p.interactive && ::isatty(1) && !(term && std::string(term) == "dumb")) {
      editor = std::make_unique<LineEditor>([&p, &common](const std::string& before) {
        const Branch& b = p.session.current();
        std::vector<std::string> events, actors, policies, branches;
        for (const Event& e : b.scenario.events) events.push_back(e.id);
        for (const Actor& a : b.scenario.actors) actors.push_back(a.id);
        for (const CatalogEntry& e : list_policies(scenarios_dir(common.scenarios_dir))) policies.push_back(e.name);
        for (const Branch& other : p.session.branches()) branches.push_back(other.name);
        return complete_session_word(before, events, actors, policies, branches);
      });
      p.editor = editor.get();
    }
    bool interrupted = false;
    {
      // Ctrl-C ends the loop (after the command in progress), not the program: finish() offers to
      // save at the prompt, or warns of what is lost from a script or a pipe.
      const InterruptDeferral deferred;
      run_loop(p);
      interrupted = interrupt_requested();
      finish(p);
    }
    if (room) room->stop();
    if (interrupted && !p.interactive) {  // a script or pipe ends as interrupted, as other commands do
      std::signal(SIGINT, SIG_DFL);
      std::raise(SIGINT);
    }
    if (p.interactive || p.failed_lines.empty()) return 0;
    const std::size_t failed = p.failed_lines.size();
    if (failed > kShownScriptErrors)
      std::fprintf(stderr, "%s: error: %zu more commands failed, not shown (the first %zu are above)\n",
                   terminal_text(p.source).c_str(), failed - kShownScriptErrors, kShownScriptErrors);
    std::string lines;
    for (std::size_t k = 0; k < failed && k < kListedFailedLines; ++k)
      lines += (lines.empty() ? "" : ", ") + std::to_string(p.failed_lines[k]);
    if (failed > kListedFailedLines) lines += fmt::format(" and {} more", failed - kListedFailedLines);
    return fail(fmt::format("{} command{} of {} failed (line{} {}); the others ran", p.failed_lines.size(),
                            p.failed_lines.size() == 1 ? "" : "s", p.source, p.failed_lines.size() == 1 ? "" : "s",
                            lines));
  };
}

const Registration registration(15, add_play_command);
}  // namespace

}  // namespace geosim::cli
