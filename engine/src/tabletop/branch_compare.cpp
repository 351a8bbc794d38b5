// `compare NAME` in the tabletop mode: the current branch against another at the last step both
// have reached, indicator by indicator and relation by relation, with what was played
// differently on each since they parted.
#include <fmt/format.h>
#include <algorithm>
#include <cmath>

#include "geosim/core/diagnostic.hpp"
#include "geosim/core/indicator.hpp"
#include "geosim/io/escape.hpp"
#include "geosim/io/number_text.hpp"
#include "geosim/tabletop/session_command.hpp"
#include "geosim/tabletop/session_view.hpp"

namespace geosim {
namespace {

/// One step or one inject or move of a branch's history, as what it plays: `step 3` is three
/// steps, and an inject or move is its kind and what it names, without its rationale, comment or
/// spacing (two branches that typed the same play differently did not play differently).
struct Played {
  std::string key;      ///< "step", or the command's kind and arguments
  std::size_t command;  ///< its index in the history
  int step;             ///< the step it was typed at
  bool now = false;     ///< a move: it changes its step's state at once (an inject fires at the next)
};

/// An ad-hoc inject's effects as the directed changes they make, in order: `A<->B` is `A->B`
/// and `B->A`, whichever way and however grouped it was typed.
std::string effects_key(const std::vector<AdhocEffect>& effects) {
  auto value = [](const std::optional<double>& v) { return v ? fmt::format("{}", *v) : std::string("-"); };
  std::vector<std::string> changes;
  for (const AdhocEffect& e : effects) {
    const std::string values = fmt::format(" {} {} {}", value(e.tension), value(e.baseline), value(e.tie));
    changes.push_back(e.from + "->" + e.to + values);
    if (e.both_directions) changes.push_back(e.to + "->" + e.from + values);
  }
  std::sort(changes.begin(), changes.end());
  std::string out;
  for (const auto& c : changes) out += "|" + c;
  return out;
}

std::vector<Played> played(const Branch& b) {
  std::vector<Played> out;
  int step = 0;
  std::size_t moves = 0;  // the moves so far: the k-th is b.moves[k], the policy file it resolved to
  for (std::size_t k = 0; k < b.history.size(); ++k) {
    const ParsedCommand parsed = parse_session_command(b.history[k]);
    if (!parsed.command) continue;  // a history replays, so every command parses
    const SessionCommand& c = *parsed.command;
    if (c.kind == CommandKind::step) {
      for (int n = 0; n < c.count; ++n) out.push_back({"step", k, step++, false});
      continue;
    }
    // What it names: a move's policy file (however it was named), a roll's odds (its event's own
    // when not typed), an ad-hoc inject's title and changes.
    std::string argument = c.argument;
    if (c.kind == CommandKind::move && moves < b.moves.size()) argument = b.moves[moves++];
    std::optional<double> odds = c.odds;
    if (c.kind == CommandKind::roll && !odds)
      for (const Event& e : b.scenario.events)
        if (e.id == c.argument) odds = e.probability;
    std::string key = fmt::format("{}|{}|{}|{}|{}", int(c.kind), argument, c.team, odds ? fmt::format("{}", *odds) : "",
                                  c.adhoc.title) +
                      effects_key(c.adhoc.effects);
    out.push_back({std::move(key), k, step, c.kind == CommandKind::move});
  }
  return out;
}

/// "better", "worse" or "" for a difference of an indicator, as its `better:` says.
const char* judged(const Indicator& indicator, double difference) {
  if (std::abs(difference) < 0.0005 || indicator.better == Better::neither) return "";
  const bool lower = difference < 0.0;
  return lower == (indicator.better == Better::lower) ? "better" : "worse";
}

}  // namespace

CommandResult compare_branches(const Session& session, const std::string& name, std::size_t name_at) {
  const Branch& here = session.current();
  const Branch* other = nullptr;
  std::vector<std::string> names;
  for (const Branch& b : session.branches()) {
    names.push_back(b.name);
    if (b.name == name) other = &b;
  }
  if (!other) return {false, unknown_name("branch", name, names), name_at};
  if (other == &here)
    return {false,
            fmt::format("'{}' is the branch you are on: compare it with another (type `branches` to list them)", name),
            name_at};
  const Scenario& s = session.scenario();
  const int step = std::min(here.state.step, other->state.step);
  const Eigen::MatrixXd& mine = here.trajectory[std::size_t(step)];
  const Eigen::MatrixXd& theirs = other->trajectory[std::size_t(step)];
  std::string out = fmt::format("'{}' (this branch) against '{}' at {}, the last step both have reached.\n", here.name,
                                other->name, step_label(s, step));
  out += "Both draw the same keyed random numbers: they differ by what was played on them, not by luck.\n";

  if (!s.indicators.empty()) {
    const std::vector<double> a = evaluate_indicators(s, mine), b = evaluate_indicators(s, theirs);
    std::size_t width = 9;
    for (const Indicator& i : s.indicators) width = std::max(width, terminal_text(i.title).size());
    const std::size_t left = std::max<std::size_t>(8, here.name.size()),
                      right = std::max<std::size_t>(8, other->name.size());
    out += fmt::format("\n  {:<{}}  {:>{}}  {:>{}}  difference\n", "indicator", width, here.name, left, other->name,
                       right);
    for (std::size_t k = 0; k < s.indicators.size(); ++k) {
      const double d = a[k] - b[k];
      const char* verdict = judged(s.indicators[k], d);
      out += fmt::format("  {:<{}}  {:>{}.3f}  {:>{}.3f}  {:>10}{}{}\n", terminal_text(s.indicators[k].title), width,
                         a[k], left, b[k], right, signed_change(d), *verdict ? " " : "", verdict);
    }
  }

  // The relations that differ most, largest first (ties in the order of the actors).
  struct Gap {
    std::size_t from, to;
    double d;
  };
  std::vector<Gap> gaps;
  const std::size_t n = s.actor_count();
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      const double d = mine(Eigen::Index(i), Eigen::Index(j)) - theirs(Eigen::Index(i), Eigen::Index(j));
      if (i != j && s.has_relation(i, j) && std::abs(d) >= 0.0005) gaps.push_back({i, j, d});
    }
  std::stable_sort(gaps.begin(), gaps.end(), [](const Gap& x, const Gap& y) { return std::abs(x.d) > std::abs(y.d); });
  if (gaps.empty()) {
    out += "\nRelations: none differs by 0.001 or more.\n";
  } else {
    out += "\nRelations that differ most (tension, this branch minus the other):\n";
    for (std::size_t k = 0; k < gaps.size() && k < 5; ++k)
      out += fmt::format("  {}->{} {}\n", terminal_text(s.actors[gaps[k].from].id),
                         terminal_text(s.actors[gaps[k].to].id), signed_change(gaps[k].d));
  }

  // Where the two histories part, and what each played since.
  const std::vector<Played> a = played(here), b = played(*other);
  std::size_t common = 0;
  while (common < a.size() && common < b.size() && a[common].key == b[common].key) ++common;
  auto since = [&](const Branch& branch, const std::vector<Played>& list) {  // what made the compared states
    std::vector<std::string> out;
    for (std::size_t k = common; k < list.size(); ++k)
      if (list[k].key != "step" && (list[k].step < step || (list[k].step == step && list[k].now)))
        out.push_back(fmt::format("at step {}: {}", list[k].step, terminal_text(branch.history[list[k].command])));
    return out;
  };
  const std::vector<std::string> mine_since = since(here, a), theirs_since = since(*other, b);
  if (mine_since.empty() && theirs_since.empty()) {
    out += fmt::format("\nBoth played the same up to step {}.\n", step);
  } else {
    const int parted = common < a.size() ? a[common].step : common < b.size() ? b[common].step : step;
    out += fmt::format("\nPlayed differently since step {}, where their histories part:\n", parted);
    for (const auto& [name, list] : {std::pair{&here.name, &mine_since}, std::pair{&other->name, &theirs_since}}) {
      out += fmt::format("  {}: {}\n", *name, list->empty() ? "no inject or move" : list->front());
      for (std::size_t k = 1; k < list->size(); ++k) out += fmt::format("  {:<{}}  {}\n", "", name->size(), (*list)[k]);
    }
  }
  out.pop_back();  // the caller ends the message's line
  return {true, out};
}

}  // namespace geosim
