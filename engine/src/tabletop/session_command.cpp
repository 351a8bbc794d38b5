#include "geosim/tabletop/session_command.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include "geosim/core/control_chars.hpp"
#include "geosim/core/diagnostic.hpp"
#include "geosim/core/ids.hpp"
#include "geosim/core/number_read.hpp"

namespace geosim {
namespace {

struct Token {
  enum class Type { word, quoted, arrow, both_arrow, comma } type = Type::word;
  std::string text;
  std::size_t at = 0;  ///< where it starts in the (trimmed) line, 0-based
};

struct Lexed {
  std::vector<Token> tokens;
  std::string error;
  std::size_t error_at = 0;
};

/// An error about token `index` of a command (the lexer's index when it is past the end).
struct Fault {
  std::string message;  ///< "" = none
  std::size_t index = 0;
};

bool blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool starts_with_at(const std::string& s, std::size_t at, const char* prefix) {
  return s.compare(at, std::char_traits<char>::length(prefix), prefix) == 0;
}

/// Reads a "quoted text" starting at `at` (on the opening quote); \" and \\ are escapes.
std::size_t read_quoted(const std::string& line, std::size_t at, Lexed& out) {
  std::string text;
  std::size_t i = at + 1;
  for (; i < line.size() && line[i] != '"'; ++i) {
    if (line[i] == '\\' && i + 1 < line.size() && (line[i + 1] == '"' || line[i + 1] == '\\')) ++i;
    text += line[i];
  }
  if (i >= line.size()) {
    out.error = "unterminated quoted text: add the closing '\"'";
    out.error_at = at;
    return line.size();
  }
  out.tokens.push_back({Token::Type::quoted, text, at});
  return i + 1;
}

Lexed lex(const std::string& line) {
  Lexed out;
  std::size_t i = 0;
  while (i < line.size() && out.error.empty()) {
    if (blank(line[i])) {
      ++i;
    } else if (line[i] == '#') {
      break;  // a comment to the end of the line (a '#' inside a word or quotes is text)
    } else if (line[i] == '"') {
      i = read_quoted(line, i, out);
    } else if (starts_with_at(line, i, "<->")) {
      out.tokens.push_back({Token::Type::both_arrow, "<->", i});
      i += 3;
    } else if (starts_with_at(line, i, "->")) {
      out.tokens.push_back({Token::Type::arrow, "->", i});
      i += 2;
    } else if (line[i] == ',') {
      out.tokens.push_back({Token::Type::comma, ",", i});
      ++i;
    } else {
      const std::size_t start = i;
      while (i < line.size() && !blank(line[i]) && line[i] != '"' && line[i] != ',' && !starts_with_at(line, i, "->") &&
             !starts_with_at(line, i, "<->"))
        ++i;
      out.tokens.push_back({Token::Type::word, line.substr(start, i - start), start});
    }
  }
  return out;
}

std::string trim(const std::string& s) {
  std::size_t a = 0, b = s.size();
  while (a < b && blank(s[a])) ++a;
  while (b > a && blank(s[b - 1])) --b;
  return s.substr(a, b - a);
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return s;
}

}  // namespace

const std::vector<std::string>& session_keywords() {
  static const std::vector<std::string> words{"help",   "status", "events", "step",     "inject", "move",
                                              "undo",   "branch", "switch", "branches", "save",   "log",
                                              "report", "quit",   "exit",   "roll",     "compare"};
  return words;
}

namespace {

/// A change size: a number in [-1, 1], optionally signed with '+'.
std::optional<double> parse_change(const std::string& word) {
  double value = 0.0;
  if (read_finite(word, value, true) || value < -1.0 || value > 1.0) return std::nullopt;
  return value;
}

/// A rationale is free text in quotes: at most 500 bytes. Returns an error or "".
std::string rationale_error(const std::string& rationale) {
  return rationale.size() > 500 ? "expected a rationale of at most 500 bytes" : "";
}

/// Parses the tokens of `inject adhoc ...` from index 2 on; returns the first problem, if any.
Fault parse_adhoc(std::vector<Token> t, AdhocInject& out, std::string& rationale) {
  const char* form = "inject adhoc \"TITLE\" FROM->TO tension X [, ...] [\"RATIONALE\"]";
  if (t.size() < 3 || t[2].type != Token::Type::quoted)
    return {fmt::format("expected a quoted title after 'inject adhoc', as in: {}", form), 2};
  out.title = trim(t[2].text);
  if (out.title.empty()) return {"expected a non-empty title in the quotes after 'inject adhoc'", 2};
  if (out.title.size() > 200)
    return {"expected a title of at most 200 bytes (found " + std::to_string(out.title.size()) + ")", 2};
  std::size_t i = 3;
  if (t.size() > 3 && t.back().type == Token::Type::quoted) {  // why, as after `inject EVENT_ID`
    rationale = trim(t.back().text);
    if (std::string error = rationale_error(rationale); !error.empty()) return {error, t.size() - 1};
    t.pop_back();
  }
  if (i >= t.size()) return {fmt::format("expected at least one effect after the title, as in: {}", form), i};
  while (i < t.size()) {
    AdhocEffect effect;
    if (t[i].type != Token::Type::word) return {fmt::format("expected an actor id, found '{}'", t[i].text), i};
    effect.from_at = t[i].at;
    effect.from = t[i++].text;
    if (i >= t.size() || (t[i].type != Token::Type::arrow && t[i].type != Token::Type::both_arrow))
      return {fmt::format("expected '->' or '<->' after '{}'", effect.from), i};
    effect.both_directions = t[i++].type == Token::Type::both_arrow;
    if (i >= t.size() || t[i].type != Token::Type::word)
      return {fmt::format("expected an actor id after '{}{}'", effect.from, effect.both_directions ? "<->" : "->"), i};
    effect.to_at = t[i].at;
    effect.to = t[i++].text;
    const std::string pair = effect.from + (effect.both_directions ? "<->" : "->") + effect.to;
    int changes = 0;
    while (i < t.size() && t[i].type == Token::Type::word) {
      const std::string quantity = lower(t[i].text);
      std::optional<double>* slot = quantity == "tension"    ? &effect.tension
                                    : quantity == "baseline" ? &effect.baseline
                                    : quantity == "tie"      ? &effect.tie
                                                             : nullptr;
      if (!slot)
        return {fmt::format("expected 'tension', 'baseline' or 'tie' after {}, found '{}'", pair, t[i].text), i};
      if (slot->has_value()) return {fmt::format("'{}' is given twice for {}", quantity, pair), i};
      if (i + 1 >= t.size() || t[i + 1].type != Token::Type::word)
        return {fmt::format("expected a number after '{}' for {}, like +0.1", quantity, pair), i + 1};
      *slot = parse_change(t[i + 1].text);
      if (!*slot) {
        double unused = 0.0;
        const char* why = read_finite(t[i + 1].text, unused, true);  // 1e-400: "too small to represent"
        return {fmt::format("expected a change in [-1, 1] after '{}' for {}, like +0.1, found '{}'{}", quantity, pair,
                            t[i + 1].text, why ? fmt::format(" ({})", why) : ""),
                i + 1};
      }
      i += 2;
      ++changes;
    }
    if (changes == 0) return {fmt::format("expected 'tension', 'baseline' or 'tie' and a number after {}", pair), i};
    out.effects.push_back(effect);
    if (i < t.size()) {
      if (t[i].type != Token::Type::comma)
        return {fmt::format("expected ',' before the next effect, found '{}'", t[i].text), i};
      if (++i >= t.size()) return {"expected another effect after ','", i};
    }
  }
  if (out.effects.size() > 100) return {"expected at most 100 effects in one inject", 3};
  return {};
}

bool valid_branch_name(const std::string& name) { return valid_id(IdKind::branch, name); }

/// Parses the arguments of `keyword` in tokens[1..]; returns the first problem, if any.
Fault parse_arguments(const std::string& keyword, const std::vector<Token>& t, SessionCommand& c) {
  const std::size_t args = t.size() - 1;
  auto single = [&](const char* what) -> Fault {
    if (args == 0) return {fmt::format("expected {} after '{}'", what, keyword), 1};
    if (t[1].type != Token::Type::word && t[1].type != Token::Type::quoted)
      return {fmt::format("expected {} after '{}', found '{}'", what, keyword, t[1].text), 1};
    if (args > 1) return {fmt::format("unexpected '{}' after '{} {}'", t[2].text, keyword, t[1].text), 2};
    c.argument = t[1].text;
    c.argument_at = t[1].at;
    if (c.argument.empty()) return {fmt::format("expected {} after '{}', found \"\"", what, keyword), 1};
    return {};
  };
  if (keyword == "step") {
    c.kind = CommandKind::step;
    if (args == 0) return {};
    if (args > 1) return {fmt::format("unexpected '{}' after 'step {}'", t[2].text, t[1].text), 2};
    int n = 0;
    const std::string& w = t[1].text;
    auto [ptr, ec] = std::from_chars(w.data(), w.data() + w.size(), n);
    // A count past the end is the session's to answer ("only 51 steps left"), however large.
    const bool digits = !w.empty() && w.find_first_not_of("0123456789") == std::string::npos;
    if (ec == std::errc::result_out_of_range && digits)
      n = std::numeric_limits<int>::max();
    else if (ec != std::errc() || ptr != w.data() + w.size() || n < 1)
      return {fmt::format("expected a number of steps of at least 1 after 'step', found '{}'", w), 1};
    c.count = n;
    c.argument_at = t[1].at;  // where a count the session refuses (too many steps, too much memory) is
    return {};
  }
  if (keyword == "inject") {
    if (args >= 1 && t[1].type == Token::Type::word && lower(t[1].text) == "adhoc") {
      c.kind = CommandKind::inject_adhoc;
      return parse_adhoc(t, c.adhoc, c.rationale);
    }
    c.kind = CommandKind::inject_event;
    if (args == 2 && t[1].type == Token::Type::word && t[2].type == Token::Type::quoted) {
      c.argument = t[1].text;
      c.argument_at = t[1].at;
      c.rationale = trim(t[2].text);
      return {rationale_error(c.rationale), 2};
    }
    return single("an event id (type `events` to list them) or 'adhoc \"TITLE\" ...'");
  }
  if (keyword == "roll") {  // roll EVENT_ID [P]
    c.kind = CommandKind::roll;
    if (args == 0 || t[1].type != Token::Type::word)
      return {"expected an event id after 'roll' (type `events` to list them)", 1};
    c.argument = t[1].text;
    c.argument_at = t[1].at;
    if (args == 1) return {};
    if (args > 2) return {fmt::format("unexpected '{}' after 'roll {} {}'", t[3].text, t[1].text, t[2].text), 3};
    const auto p = parse_change(t[2].text);
    if (!p || *p < 0.0 || t[2].text[0] == '+')
      return {fmt::format("expected a chance from 0 to 1 after 'roll {}', like 0.4, found '{}'", t[1].text, t[2].text),
              2};
    c.odds = *p + 0.0;  // -0 is 0
    return {};
  }
  if (keyword == "move") {  // move [TEAM] POLICY ["RATIONALE"]
    c.kind = CommandKind::move;
    std::size_t last = t.size();
    if (args >= 2 && t.back().type == Token::Type::quoted) {
      c.rationale = trim(t.back().text);
      --last;
      if (std::string error = rationale_error(c.rationale); !error.empty()) return {error, last};
    }
    if (last == 3) {
      if (t[1].type != Token::Type::word)
        return {fmt::format("expected a team (an actor id) after 'move', found '{}'", t[1].text), 1};
      c.team = t[1].text;
      c.team_at = t[1].at;
      c.argument = t[2].text;
      c.argument_at = t[2].at;
    } else if (last == 2) {
      c.argument = t[1].text;
      c.argument_at = t[1].at;
    } else if (last == 1) {
      return {"expected a policy name (like quiet-diplomacy) or file after 'move'", 1};
    } else {
      return {fmt::format("unexpected '{}': expected move [TEAM] POLICY [\"RATIONALE\"]", t[3].text), 3};
    }
    if (t[last - 1].type != Token::Type::word && t[last - 1].type != Token::Type::quoted)
      return {fmt::format("expected a policy name or file after 'move', found '{}'", t[last - 1].text), last - 1};
    if (c.argument.empty()) return {"expected a policy name or file after 'move', found \"\"", last - 1};
    return {};
  }
  struct WithArgument {
    const char* keyword;
    CommandKind kind;
    const char* what;
  };
  static const WithArgument with_argument[] = {
      {"branch", CommandKind::branch, "a name for the new branch"},
      {"switch", CommandKind::switch_branch, "the name of a branch (type `branches` to list them)"},
      {"compare", CommandKind::compare, "the name of a branch to compare this one with (type `branches` to list them)"},
      {"save", CommandKind::save, "a file name"},
      {"report", CommandKind::report, "a file name"}};
  for (const auto& w : with_argument)
    if (keyword == w.keyword) {
      c.kind = w.kind;
      Fault fault = single(w.what);
      if (fault.message.empty() && c.kind == CommandKind::branch && !valid_branch_name(c.argument))
        fault = {
            fmt::format("expected a branch name of letters, digits, '-' and '_' (at most 40), found '{}'", c.argument),
            1};
      return fault;
    }
  static const std::pair<const char*, CommandKind> bare[] = {
      {"help", CommandKind::help}, {"status", CommandKind::status},     {"events", CommandKind::events},
      {"undo", CommandKind::undo}, {"branches", CommandKind::branches}, {"log", CommandKind::log},
      {"quit", CommandKind::quit}, {"exit", CommandKind::quit}};
  for (const auto& [word, kind] : bare)
    if (keyword == word) {
      c.kind = kind;
      if (args == 0) return {};
      return {fmt::format("'{}' takes no arguments, found '{}'", keyword, t[1].text), 1};
    }
  return {"unknown command", 0};  // not reached: the keyword was checked by the caller
}

}  // namespace

ParsedCommand parse_session_command(const std::string& line) {
  ParsedCommand result;
  SessionCommand command;
  command.text = trim(line);
  std::size_t lead = 0;  // blanks before the command: columns count from the line as typed
  while (lead < line.size() && blank(line[lead])) ++lead;
  auto fail = [&](std::string message, std::size_t at) {
    result.error = std::move(message);
    result.column = int(lead + std::min(at, command.text.size()) + 1);
    return result;
  };
  if (command.text.empty() || command.text[0] == '#') {
    result.command = command;
    return result;
  }
  // The line as read, blanks included (less a CRLF file's carriage return): a reader keeps
  // kMaxCommandBytes + 1 bytes of a longer line, and trimming them first would pass a line cut at
  // a blank as a shorter command.
  if (line.size() - (line.ends_with('\r') ? 1 : 0) > kMaxCommandBytes) {
    result.error = fmt::format("expected a line of at most {} bytes", kMaxCommandBytes);
    result.column = int(kMaxCommandBytes + 1);
    return result;
  }
  // Tabs are blanks (the line is kept with spaces in their place); any other control character
  // (an escape, a lone carriage return) has no place in a command, its history or a saved session;
  // nor has a byte that is not UTF-8 (a session file is JSON, which holds only UTF-8 text).
  for (std::size_t k = 0; k < command.text.size(); ++k) {
    const auto u = static_cast<unsigned char>(command.text[k]);
    const std::size_t length = utf8_length(command.text, k);
    if (length == 0) return fail(fmt::format("expected UTF-8 text, found an invalid byte (0x{:02X})", unsigned(u)), k);
    if (command.text[k] == '\t')
      command.text[k] = ' ';
    else if (u < 0x20 || u == 0x7f)
      return fail(fmt::format("expected text without control characters, found U+{:04X}", unsigned(u)), k);
    // C1 controls (U+009B starts a terminal sequence), U+FFFE/U+FFFF, the line and paragraph
    // separators: as the C0 controls (bidirectional formatting is text: names may need it).
    else if (c1_or_nonchar(command.text, k) || (length == 3 && command.text.compare(k, 2, "\xE2\x80") == 0 &&
                                                (command.text[k + 2] == '\xA8' || command.text[k + 2] == '\xA9'))) {
      unsigned code = u & (length == 2 ? 0x1Fu : 0x0Fu);
      for (std::size_t b = 1; b < length; ++b)
        code = (code << 6) | (static_cast<unsigned char>(command.text[k + b]) & 0x3Fu);
      return fail(fmt::format("expected text without control characters, found U+{:04X}", code), k);
    }
    k += length - 1;
  }
  const Lexed lexed = lex(command.text);
  if (!lexed.error.empty()) return fail(lexed.error, lexed.error_at);
  if (lexed.tokens.empty()) {  // only a comment
    result.command = command;
    return result;
  }
  const Token& first = lexed.tokens.front();
  const std::string keyword = lower(first.text);
  const auto& known = session_keywords();
  const bool is_known = std::find(known.begin(), known.end(), keyword) != known.end();
  if (first.type != Token::Type::word) {  // "status" or "step 2" typed with its quotes
    const std::string head = lower(first.text.substr(0, first.text.find(' ')));
    if (std::find(known.begin(), known.end(), head) != known.end())
      return fail(fmt::format("expected the command {} without quotes", quote_word(head)), 0);
  }
  if (first.type != Token::Type::word || !is_known) {
    const std::string guess = closest_match(first.text, known);
    return fail(fmt::format("unknown command {}{} Type `help` for the list.", quote_word(first.text),
                            guess.empty() ? "." : did_you_mean(guess)),
                0);
  }
  const Fault fault = parse_arguments(keyword, lexed.tokens, command);
  if (!fault.message.empty())
    return fail(fault.message, fault.index < lexed.tokens.size() ? lexed.tokens[fault.index].at : command.text.size());
  result.command = std::move(command);
  return result;
}

bool records_history(CommandKind kind) {
  return kind == CommandKind::step || kind == CommandKind::inject_event || kind == CommandKind::inject_adhoc ||
         kind == CommandKind::move || kind == CommandKind::roll;
}

std::string session_help() {
  return "Commands (one per line; `#` at the start of a word starts a comment to the end of the line):\n"
         "  status                 date, step, indicators and the tension table (rows from, columns to)\n"
         "  step [N]               advance N steps (default 1); pending injects fire in the first\n"
         "  events                 list the events that can be injected, with when they are due\n"
         "  inject EVENT_ID        fire a scenario event at the next step (always fires: no condition, no chance)\n"
         "                         add a \"RATIONALE\" in quotes to record why\n"
         "  inject adhoc \"TITLE\" A->B tension X [baseline X] [tie X] [, C<->D ...]\n"
         "                         fire an event typed here at the next step; X in [-1, 1], e.g. +0.1;\n"
         "                         A->B is one direction, A<->B both; an actor id or members(ORG);\n"
         "                         a \"RATIONALE\" in quotes after the effects records why\n"
         "  move [TEAM] POLICY [\"RATIONALE\"]\n"
         "                         a team (an actor id, like SGP) plays a policy from now on: its adjustments\n"
         "                         apply now, its events keep their dates if still ahead, else fall due at\n"
         "                         the next step; the rationale is kept in the log, the page and the report\n"
         "  roll EVENT_ID [P]      a chance inject: draws from the session's keyed stream; the event fires at\n"
         "                         the next step if the draw is below P (default: the event's own chance)\n"
         "  undo                   take back the last step, inject or move of this branch\n"
         "  branch NAME            fork this branch as a new what-if branch and switch to it\n"
         "  switch NAME            go to another branch\n"
         "  branches               list the branches with their step and how their indicators moved\n"
         "  compare NAME           this branch against branch NAME at the last step both reached: the\n"
         "                         indicators, the relations that differ most, what each played since they parted\n"
         "  log                    every inject and move of this branch, with its step and effects\n"
         "  save FILE              save the session (all branches) to FILE; resume with `geosim play --resume FILE`\n"
         "  report FILE            write this branch's after-action record to FILE: the full HTML report\n"
         "                         with charts when FILE ends in .html, Markdown otherwise\n"
         "  help                   this list\n"
         "  quit, exit             leave (asks to save unsaved changes when interactive)\n";
}

}  // namespace geosim
