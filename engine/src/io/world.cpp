// `geosim world`: a generated world of N states (docs/scale.md).
#include "geosim/io/world.hpp"
#include "geosim/core/diagnostic.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "geosim/core/rng.hpp"
#include "geosim/io/escape.hpp"
#include "geosim/io/event_ingest.hpp"
#include "geosim/io/input_file.hpp"
#include "scenario_builder.hpp"
#include "yaml_document.hpp"

namespace geosim {
namespace {

struct Bloc {
  const char* id;
  const char* name;
};
// In the order the file lists them.
constexpr Bloc kBlocs[] = {{"AFRICA", "Africa"}, {"AMERICAS", "The Americas"}, {"ASIA", "South, Central and East Asia"},
                           {"EUROPE", "Europe"}, {"OCEANIA", "Oceania"},       {"WEST_ASIA", "West Asia"}};

/// ISO 6709 "±DDMM[SS]" (latitude, `degree_digits` 2, up to 90°) or "±DDDMM[SS]" (longitude,
/// 3, up to 180°) as degrees; nullopt if it is not that.
std::optional<double> degrees(std::string_view text, std::size_t degree_digits) {
  const std::size_t d = degree_digits;
  if ((text.size() != d + 3 && text.size() != d + 5) || (text[0] != '+' && text[0] != '-')) return std::nullopt;
  if (text.find_first_not_of("0123456789", 1) != std::string_view::npos) return std::nullopt;
  auto digits = [&](std::size_t at, std::size_t count) {
    double v = 0;
    for (std::size_t k = at; k < at + count; ++k) v = v * 10 + (text[k] - '0');
    return v;
  };
  const double minutes = digits(d + 1, 2), seconds = text.size() == d + 5 ? digits(d + 3, 2) : 0.0;
  const double value = digits(1, d) + minutes / 60.0 + seconds / 3600.0;
  if (minutes >= 60 || seconds >= 60 || value > (d == 2 ? 90.0 : 180.0)) return std::nullopt;
  return text[0] == '-' ? -value : value;
}

}  // namespace

std::string find_zone_tab(const std::string& path) {
  if (!path.empty()) return path;
  const char* tzdir = std::getenv("TZDIR");
  return std::string(tzdir && *tzdir ? tzdir : "/usr/share/zoneinfo") + "/zone.tab";
}

namespace {

/// alpha-2 code -> region, from the first zone.tab line of each code. A line that is not
/// "CODE<tab>COORDINATES<tab>ZONE..." is refused at its file:line:col: a region read from
/// garbage would put a state in the wrong bloc without a word.
std::map<std::string, std::string> zone_regions(const std::string& path, std::string& error) {
  const std::string found = find_zone_tab(path);
  const InputText input = read_input_file(found);
  if (!input.text) {
    error = found + ": " + input.error + " (tzdata's zone.tab gives each country's region)";
    return {};
  }
  std::map<std::string, std::string> regions;
  std::string_view text = *input.text;
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // a byte order mark (an editor's save)
  for (int number = 1; !text.empty(); ++number) {
    const std::size_t end = std::min(text.find('\n'), text.size());
    const std::string_view line = text.substr(0, end);
    text.remove_prefix(std::min(end + 1, text.size()));
    if (line.empty() || line[0] == '#') continue;
    auto refuse = [&](std::size_t column, const std::string& what) {
      error = format_diagnostic({found, number, int(column + 1),
                                 what + " (tzdata's zone.tab: CODE, COORDINATES and ZONE, separated by tabs)"});
      return std::map<std::string, std::string>{};
    };
    const std::size_t t1 = line.find('\t');
    const std::size_t t2 = t1 == std::string_view::npos ? t1 : line.find('\t', t1 + 1);
    if (t2 == std::string_view::npos) return refuse(0, "a line without its three fields");
    const std::string_view code = line.substr(0, t1), coords = line.substr(t1 + 1, t2 - t1 - 1);
    const std::string_view zone = line.substr(t2 + 1, line.find('\t', t2 + 1) - t2 - 1);
    if (code.size() != 2 || code.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") != std::string_view::npos)
      return refuse(0, fmt::format("'{}' is not a two-letter country code", terminal_text(std::string(code))));
    const std::size_t split = coords.find_first_of("+-", 1);
    const auto latitude = degrees(coords.substr(0, split), 2);
    const auto longitude = split == std::string_view::npos ? std::nullopt : degrees(coords.substr(split), 3);
    if (!latitude || !longitude)
      return refuse(t1 + 1, fmt::format("coordinates '{}' are not ISO 6709's +DDMM+DDDMM or +DDMMSS+DDDMMSS",
                                        terminal_text(std::string(coords))));
    if (zone.empty()) return refuse(t2 + 1, "a line without its zone");
    if (!regions.count(std::string(code))) regions[std::string(code)] = world_region(zone, *latitude, *longitude);
  }
  if (regions.empty()) error = found + ": no zone in it";
  return regions;
}

/// The draws of one purpose, keyed by the seed and the names it is for.
RngStream stream(std::uint64_t seed, std::string_view purpose, std::string_view name, std::uint64_t part = 0) {
  std::uint64_t key = rng_mix_key(rng_name_key("geosim world"), seed);
  key = rng_mix_key(key, rng_name_key(purpose));
  key = rng_mix_key(key, rng_name_key(name));
  return RngStream(rng_mix_key(key, part));
}

struct State {
  std::string code, name, bloc;
};

/// The countries of iso-codes that have a region from zone.tab, in iso-codes' order; empty with
/// `error` when a table cannot be read.
std::vector<State> countries_with_region(const WorldOptions& o, std::string& error) {
  const std::vector<IsoCountry> countries = load_iso_countries(o.iso_codes_path, error);
  if (countries.empty()) return {};
  const std::map<std::string, std::string> regions = zone_regions(o.zone_tab_path, error);
  if (regions.empty()) return {};
  std::vector<State> states;
  // A name the world writes as an actor's name (at most 200 bytes) and twice in an event's title
  // (at most 300): past 120 bytes the file would be refused by the loader that reads it back.
  constexpr std::size_t kMaxName = 120;
  for (const IsoCountry& c : countries) {
    if (c.name.size() > kMaxName) {
      error = format_diagnostic(
          {find_iso_codes(o.iso_codes_path), int(c.name_at.line), int(c.name_at.column),
           fmt::format("the name of '{}' is {} bytes, more than the {} a generated world's names may have (its "
                       "actor names and event titles must stay within what scenarios may hold)",
                       c.alpha_3, c.name.size(), kMaxName)});
      return {};
    }
    if (c.name.find_first_not_of(" \t\r\n") == std::string::npos) {  // the loader refuses a blank actor name
      error = format_diagnostic({find_iso_codes(o.iso_codes_path), int(c.name_at.line), int(c.name_at.column),
                                 fmt::format("the name of '{}' is blank: a generated world names each state by "
                                             "its name",
                                             c.alpha_3)});
      return {};
    }
    const auto region = regions.find(c.alpha_2);
    if (region != regions.end() && !region->second.empty()) states.push_back({c.alpha_3, c.name, region->second});
  }
  if (states.empty()) error = "iso-codes and tzdata's zone.tab have no country with a region in common";
  return states;
}

}  // namespace

std::string world_states_error(int most, const std::string& states) {
  return fmt::format(
      "a world has {} to {} states (the countries of iso-codes with a region in tzdata's zone.tab), "
      "not {}",
      kMinWorldStates, most, states);
}

int world_state_limit(const WorldOptions& options, std::string& error) {
  return std::min(kMaxWorldStates, int(countries_with_region(options, error).size()));
}

std::string world_region(std::string_view zone, double latitude, double longitude) {
  const std::string_view area = zone.substr(0, zone.find('/'));
  if (area == "Africa") return "AFRICA";
  if (area == "America") return "AMERICAS";
  if (area == "Europe") return "EUROPE";
  if (area == "Asia") return longitude < 60.0 ? "WEST_ASIA" : "ASIA";
  if (area == "Australia" || area == "Pacific") return "OCEANIA";
  if (area == "Indian") return longitude < 60.0 ? "AFRICA" : "ASIA";
  if (area == "Atlantic") return longitude < -30.0 ? "AMERICAS" : latitude >= 35.0 ? "EUROPE" : "AFRICA";
  return "";
}

GeneratedWorld generate_world(const WorldOptions& o) {
  GeneratedWorld out;
  if (o.steps < 1 || o.steps > kMaxWorldSteps) {
    out.error = fmt::format("a world runs 1 to {} steps, not {}", kMaxWorldSteps, o.steps);
    return out;
  }
  if (o.events_per_step < 0 || o.events_per_step > kMaxWorldEventsPerStep) {
    out.error =
        fmt::format("a world has 0 to {} chance events a step, not {}", kMaxWorldEventsPerStep, o.events_per_step);
    return out;
  }
  // the loader's limits (scenario_builder.hpp, yaml_document.hpp): a world it would refuse is not written
  static_assert(std::size_t(kMaxWorldEvents) == detail::ScenarioLimits{}.max_events);
  if (o.steps * o.events_per_step > kMaxWorldEvents) {
    out.error = fmt::format(
        "a world of {} steps with {} chance events a step has {} events, more than the limit of {} on steps "
        "times events (a scenario's most events): use fewer steps or events",
        o.steps, o.events_per_step, o.steps * o.events_per_step, kMaxWorldEvents);
    out.option = "--steps and --events";
    return out;
  }
  for (const std::string& table : {find_iso_codes(o.iso_codes_path), find_zone_tab(o.zone_tab_path)})
    if (!table.empty()) out.inputs.push_back(table);
  std::string error;
  std::vector<State> countries = countries_with_region(o, error);
  if (countries.empty()) {
    out.error = error;
    return out;
  }
  // The limit is the tables' (world_state_limit), as `geosim world --help` says it.
  if (o.states < kMinWorldStates || o.states > std::min(kMaxWorldStates, int(countries.size()))) {
    out.error = world_states_error(std::min(kMaxWorldStates, int(countries.size())), std::to_string(o.states));
    out.option = "--states";
    return out;
  }
  // The candidates: every country with a region, each with its own keyed draw; the N lowest.
  std::vector<std::pair<std::uint64_t, State>> candidates;
  for (State& c : countries) candidates.push_back({stream(o.seed, "pick", c.code).next(), std::move(c)});
  std::sort(candidates.begin(), candidates.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : a.second.code < b.second.code;
  });
  std::vector<State> states;
  for (int k = 0; k < o.states; ++k) states.push_back(candidates[std::size_t(k)].second);
  std::sort(states.begin(), states.end(), [](const State& a, const State& b) { return a.code < b.code; });
  std::map<std::string, std::vector<std::size_t>> members;  // bloc -> states
  for (std::size_t i = 0; i < states.size(); ++i) members[states[i].bloc].push_back(i);

  std::string y;
  y += fmt::format(
      "# A generated world of {0} states: `geosim world --states {0} --seed {1} --steps {2} --events {3}`\n"
      "# (docs/scale.md). Not an observed world: countries and names from Debian's iso-codes,\n"
      "# regional blocs from the continent of each country's first time zone in tzdata's zone.tab,\n"
      "# and every number drawn from geosim's keyed random streams for this seed.\n"
      "# Every pair not listed takes the defaults: tension 0.35 and no tie.\n",
      o.states, o.seed, o.steps, o.events_per_step);
  y += fmt::format(
      "scenario:\n  id: world-{0}\n  title: \"A generated world of {0} states (seed {1})\"\n"
      "  description: >\n    {0} states of ISO 3166-1 in regional blocs, a few ties per state, some rivalries\n"
      "    across blocs and {2} chance events a step; generated by geosim world, for scale.\n"
      "  start: 2025-08-01\n  step_days: 7\n  steps: {3}\n\n",
      o.states, o.seed, o.events_per_step, o.steps);
  y += "start_state: settled\n\nparameters:\n  spillover: 0.05\n  noise: 0.0\n  balance_cut: 0.5\n\n"
       "defaults:\n  tension: 0.35\n  tie: 0.0\n\nactors:\n";
  for (const State& s : states) {
    RngStream r = stream(o.seed, "state", s.code);
    const double restraint = 0.05 + 0.04 * r.uniform(), reactivity = 0.01 + 0.02 * r.uniform();
    y += fmt::format("  - {{id: {}, name: {}, kind: state, restraint: {:.4f}, reactivity: {:.4f}}}\n", s.code,
                     yaml_quoted(s.name), restraint, reactivity);
  }
  std::vector<const Bloc*> blocs;
  for (const Bloc& b : kBlocs) {
    const auto m = members.find(b.id);
    if (m == members.end() || m->second.size() < 2) continue;
    blocs.push_back(&b);
    std::string list;
    for (std::size_t i : m->second) list += (list.empty() ? "" : ", ") + states[i].code;
    y += fmt::format(
        "  - {{id: {}, name: \"{} (regional bloc)\", kind: organization, restraint: 0.08, "
        "reactivity: 0.02,\n     members: [{}]}}\n",
        b.id, b.name, list);
  }
  out.blocs = int(blocs.size());

  // Ties: each state two partners in its bloc (when it has them) and one anywhere; rivalries:
  // a quarter of the states one across blocs. A pair is listed once.
  y += "\nrelations:\n";
  std::set<std::pair<std::size_t, std::size_t>> listed;
  std::vector<std::pair<std::size_t, std::size_t>> rivalries;
  auto pick = [&](RngStream& r, const std::vector<std::size_t>& pool, std::size_t self) -> std::optional<std::size_t> {
    for (int attempt = 0; attempt < 8 && pool.size() > 1; ++attempt) {
      const std::size_t j = pool[std::size_t(r.uniform_int(0, std::int64_t(pool.size()) - 1))];
      if (j != self && !listed.count({std::min(self, j), std::max(self, j)})) return j;
    }
    return std::nullopt;
  };
  std::vector<std::size_t> everyone(states.size());
  for (std::size_t i = 0; i < states.size(); ++i) everyone[i] = i;
  for (std::size_t i = 0; i < states.size(); ++i) {
    RngStream r = stream(o.seed, "ties", states[i].code);
    for (int k = 0; k < 3; ++k) {
      const bool in_bloc = k < 2;
      const auto j = pick(r, in_bloc ? members[states[i].bloc] : everyone, i);
      if (!j) continue;
      const bool same = states[*j].bloc == states[i].bloc;
      const double tension = same ? 0.20 + 0.08 * r.uniform() : 0.25 + 0.08 * r.uniform();
      const double back = tension + 0.04 * (r.uniform() - 0.5);
      const double tie = 0.10 + 0.25 * r.uniform();
      listed.insert({std::min(i, *j), std::max(i, *j)});
      // The tie is the state's own: how much it follows its partner (the partner's own ties are
      // its own draws), so no state follows more than three others.
      y += fmt::format(
          "  - {{from: {}, to: {}, tension: {:.3f}, tie: {:.3f}}}\n  - {{from: {}, to: {}, tension: {:.3f}}}\n",
          states[i].code, states[*j].code, tension, tie, states[*j].code, states[i].code, back);
    }
    RngStream rival = stream(o.seed, "rival", states[i].code);
    if (rival.uniform() >= 0.25) continue;
    std::vector<std::size_t> others;
    for (std::size_t j = 0; j < states.size(); ++j)
      if (states[j].bloc != states[i].bloc) others.push_back(j);
    others.push_back(i);  // so that a pool of one other state can still be drawn from
    if (const auto j = pick(rival, others, i)) {
      listed.insert({std::min(i, *j), std::max(i, *j)});
      rivalries.push_back({i, *j});
      y += fmt::format("  - {{between: [{}, {}], tension: {:.3f}}}\n", states[i].code, states[*j].code,
                       0.45 + 0.15 * rival.uniform());
    }
  }
  out.pairs = int(listed.size());

  y += "\nindicators:\n";
  for (const Bloc* b : blocs)
    y += fmt::format(
        "  - {{id: {}_cohesion, title: \"{} cohesion\", kind: cohesion, of: {}}}\n",
        [&] {
          std::string id = b->id;
          for (char& c : id) c = char(std::tolower(static_cast<unsigned char>(c)));
          return id;
        }(),
        b->name, b->id);
  if (rivalries.empty()) {  // a small world: at least one indicator
    y +=
        fmt::format("  - {{id: first_pair, title: \"Tension of the first pair\", kind: mean, relations: [[{}, {}]]}}\n",
                    states[0].code, states[1].code);
  } else {
    std::string pairs;
    for (const auto& [i, j] : rivalries)
      pairs += fmt::format("{}[{}, {}]", pairs.empty() ? "" : ", ", states[i].code, states[j].code);
    y += fmt::format(
        "  - id: rivalries\n    title: Rivalries across blocs\n    kind: mean\n    better: lower\n"
        "    relations: [{}]\n",
        pairs);
  }

  // Chance events: each step, `events_per_step` events that fire with probability 1/2, each a
  // friction or a rapprochement of uncertain size between two states.
  if (o.events_per_step > 0) y += "\nevents:\n";
  for (int step = 1; step <= o.steps; ++step)
    for (int e = 1; e <= o.events_per_step; ++e) {
      RngStream r = stream(o.seed, "event", "", std::uint64_t(step) * 64 + std::uint64_t(e));
      const std::size_t a = std::size_t(r.uniform_int(0, std::int64_t(states.size()) - 1));
      std::size_t b = std::size_t(r.uniform_int(0, std::int64_t(states.size()) - 2));
      if (b >= a) ++b;
      const bool friction = r.uniform() < 0.5;
      const double size = 0.03 + 0.07 * r.uniform();
      y += fmt::format(
          "  - id: chance-{}-{}\n    title: {}\n"
          "    source: {{file: world_generator.txt, quote: \"A chance event of a generated world\"}}\n"
          "    step: {}\n    probability: 0.5\n    effects:\n"
          "      - {{between: [{}, {}], tension: {{mean: {:.3f}, sd: 0.010}}}}\n",
          step, e,
          yaml_quoted(fmt::format("{} between {} and {}", friction ? "Friction" : "Rapprochement", states[a].name,
                                  states[b].name)),
          step, states[a].code, states[b].code, friction ? size : -size);
    }
  // states, steps, effects and follow-ups are within their limits by the checks above; the size is checked here
  static_assert(detail::InputLimits{}.max_bytes == kMaxInputFileBytes);  // as `world --help` says it
  if (const detail::InputLimits input; y.size() > input.max_bytes) {
    out.error = fmt::format(
        "a world of {} states, {} steps and {} chance events a step is {:.1f} MiB of YAML, more "
        "than a scenario file's limit of {} MiB: use fewer states, steps or events",
        o.states, o.steps, o.events_per_step, double(y.size()) / double(1 << 20), input.max_bytes >> 20);
    out.option = "--states, --steps and --events";
    return out;
  }
  out.yaml = std::move(y);
  return out;
}

}  // namespace geosim
