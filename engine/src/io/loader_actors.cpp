// Reading actors and naming them: the actors block, organisations' members, actor references,
// actor sets and relation pairs.
#include <fmt/format.h>
#include <algorithm>

#include "geosim/core/ids.hpp"
#include "scenario_builder.hpp"
#include "yaml_document.hpp"

namespace geosim::detail {

void ScenarioBuilder::read_actors(const InputFile& file) {
  const YAML::Node list = file.root["actors"];
  if (!list) return;
  Walker w = walker(file);
  if (!w.expect_list(list, "'actors'")) return;
  for (const auto& node : list) {
    if (w.out_of_budget() || !w.expect_map(node, "an actor")) continue;
    if (scenario_.actors.size() >= limits_.max_actors) {
      w.error(node, fmt::format("expected at most {} actors, found more", limits_.max_actors));
      return;
    }
    w.check_keys(node, {"id", "name", "kind", "members", "restraint", "reactivity", "countries", "note"}, "an actor");
    const Fields field = w.fields(node);
    if (!w.require(field, "id", "an actor")) continue;
    auto id = w.string(field["id"], "an actor id", 32);
    if (!id) continue;
    if (!valid_id(IdKind::actor, *id)) {
      w.error(field["id"], fmt::format("expected {}, found '{}'", id_rule(IdKind::actor), *id));
      continue;
    }
    if (auto existing = scenario_.find_actor(*id)) {
      const Origin& o = scenario_.actors[*existing].origin;
      w.error(field["id"],
              fmt::format("duplicate actor id '{}' (first defined at {}:{}:{})", *id, o.file, o.line, o.column));
      continue;
    }
    if (field["note"]) w.string(field["note"], "a note", 20000);
    Actor actor;
    actor.id = *id;
    actor.name = *id;
    actor.origin = w.origin(node);
    if (field["name"])
      if (auto s = w.string(field["name"], "an actor name", 200)) {
        if (s->find_first_not_of(" \t\r\n") == std::string::npos)  // a blank label in every diagram and table
          w.error(field["name"],
                  "expected an actor name with a visible character, found a blank one (leave 'name' "
                  "out to name the actor by its id)");
        else
          actor.name = *s;
      }
    if (field["kind"]) {
      auto kind = w.string(field["kind"], "an actor kind", 40);
      if (kind && *kind == "organization")
        actor.kind = ActorKind::organization;
      else if (kind && *kind != "state")
        w.error(field["kind"], fmt::format("expected kind 'state' or 'organization', found '{}'", *kind));
    }
    if (field["restraint"])
      if (auto v = w.number(field["restraint"], "'restraint'", 0.0, 1.0)) actor.restraint = *v;
    if (field["reactivity"])
      if (auto v = w.number(field["reactivity"], "'reactivity'", 0.0, 1.0)) actor.reactivity = *v;
    if (field["members"]) {
      if (actor.kind != ActorKind::organization)
        w.error(field["members"], "unexpected 'members' on a state: only an organization has members");
      else if (auto names = w.strings(field["members"], "'members'"); names && names->empty())
        w.error(field["members"], "expected at least one member in 'members', found none");
      else if (names) {
        std::vector<Origin> origins;
        for (std::size_t k = 0; k < names->size(); ++k)
          origins.push_back(w.origin(field["members"].IsSequence() ? field["members"][k] : field["members"]));
        member_names_.emplace_back(scenario_.actors.size(), *names);
        member_origins_.push_back(std::move(origins));
      }
    }
    if (field["countries"])
      if (auto codes = w.strings(field["countries"], "'countries'")) {
        for (std::size_t k = 0; k < codes->size(); ++k) {
          const std::string& code = (*codes)[k];
          const YAML::Node at = field["countries"].IsSequence() ? field["countries"][k] : field["countries"];
          if (code.size() != 3 || !std::all_of(code.begin(), code.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
            w.error(at,
                    fmt::format("expected an ISO 3166 alpha-3 country code (three capital letters), found '{}'", code));
          else if (std::find(actor.countries.begin(), actor.countries.end(), code) != actor.countries.end())
            w.error(at, fmt::format("'{}' is listed twice in 'countries': list each country once", code));
          else if (actor.countries.size() >= 300)
            w.error(at, "expected at most 300 countries for one actor, found more");
          else
            actor.countries.push_back(code);
        }
      }
    scenario_.add_actor(std::move(actor));
  }
}

void ScenarioBuilder::resolve_members() {
  for (std::size_t k = 0; k < member_names_.size(); ++k) {
    auto& [org, names] = member_names_[k];
    for (std::size_t m = 0; m < names.size(); ++m) {
      const std::string& name = names[m];
      const Origin& o = member_origins_[k][m];
      auto index = scenario_.find_actor(name);
      if (!index)
        errors_.push_back({o.file, o.line, o.column,
                           fmt::format("unknown actor '{}' in members (known actors: {})", name, known_actors())});
      else if (*index == org)
        errors_.push_back({o.file, o.line, o.column, "an organization cannot be its own member"});
      else if (std::find(scenario_.actors[org].members.begin(), scenario_.actors[org].members.end(), *index) !=
               scenario_.actors[org].members.end())
        errors_.push_back({o.file, o.line, o.column,
                           fmt::format("'{}' is listed twice in the members of '{}': list each member once", name,
                                       scenario_.actors[org].id)});
      else
        scenario_.actors[org].members.push_back(*index);
    }
  }
}

std::optional<std::size_t> ScenarioBuilder::actor_ref(Walker& w, const YAML::Node& node) {
  auto id = w.string(node, "an actor id", 64);
  if (!id) return std::nullopt;
  if (auto index = scenario_.find_actor(*id)) return index;
  std::vector<std::string> ids;
  for (const auto& a : scenario_.actors) ids.push_back(a.id);
  const std::string guess = closest_match(*id, ids);
  w.error(node, fmt::format("unknown actor '{}'{} (known actors: {})", *id, did_you_mean(guess), known_actors()));
  return std::nullopt;
}

std::optional<ActorSet> ScenarioBuilder::actor_set(Walker& w, const YAML::Node& node, bool allow_sets) {
  if (allow_sets && node.IsScalar()) {
    const std::string& text = node.Scalar();
    if (text.rfind("members(", 0) == 0 && text.size() > 9 && text.back() == ')') {
      const std::string org = text.substr(8, text.size() - 9);
      auto index = scenario_.find_actor(org);
      if (!index || scenario_.actors[*index].kind != ActorKind::organization) {
        std::vector<std::string> orgs;
        for (const auto& a : scenario_.actors)
          if (a.kind == ActorKind::organization) orgs.push_back(a.id);
        w.error(node, fmt::format("expected members(ORGANIZATION), found unknown organization '{}' "
                                  "(known organizations: {})",
                                  org, name_list(orgs)));
        return std::nullopt;
      }
      if (scenario_.actors[*index].members.empty()) {  // it would name no actor: change nothing
        w.error(node, fmt::format("expected members(ORGANIZATION) of an organization with members, found '{}', "
                                  "which lists none (give it 'members:')",
                                  org));
        return std::nullopt;
      }
      return ActorSet{scenario_.actors[*index].members, text};
    }
  }
  auto index = actor_ref(w, node);
  if (!index) return std::nullopt;
  return ActorSet{{*index}, scenario_.actors[*index].id};
}

bool ScenarioBuilder::relation_pair(Walker& w, const YAML::Node& map, const std::string& what, bool& both,
                                    ActorSet& from, ActorSet& to, bool allow_sets) {
  const Fields f = w.fields(map);
  if (f["between"]) {
    if (f["from"] || f["to"]) {
      w.error(map, fmt::format("expected either 'between' or 'from'/'to' in {}, found both", what));
      return false;
    }
    const YAML::Node pair = f["between"];
    if (!w.visit(pair)) return false;  // said (a tag, or too many nodes)
    if (!pair.IsSequence() || pair.size() != 2) {
      w.error(pair, fmt::format("expected 'between' as a list of two actors [A, B], found {}",
                                pair.IsSequence() ? fmt::format("a list of {}", pair.size()) : Walker::describe(pair)));
      return false;
    }
    auto a = actor_set(w, pair[0], allow_sets);
    auto b = actor_set(w, pair[1], allow_sets);
    if (!a || !b) return false;
    from = *a;
    to = *b;
    both = true;
  } else {
    if (!f["from"] || !f["to"]) {
      if (!w.suggested(map, "between") && !w.suggested(map, "from") && !w.suggested(map, "to"))
        w.error(map, fmt::format("missing key 'between' (or 'from' and 'to') in {}", what));
      return false;
    }
    auto a = actor_set(w, f["from"], allow_sets);
    auto b = actor_set(w, f["to"], allow_sets);
    if (!a || !b) return false;
    from = *a;
    to = *b;
    both = false;
  }
  // An actor has no relation with itself: a pair of one actor twice (or of sets that make only
  // such pairs, members(O) of a one-member O with itself) would change nothing.
  const bool some_pair = std::any_of(from.actors.begin(), from.actors.end(), [&](std::size_t a) {
    return std::any_of(to.actors.begin(), to.actors.end(), [&](std::size_t b) { return a != b; });
  });
  if (!some_pair && !from.actors.empty() && !to.actors.empty()) {
    w.error(map, from.label == to.label
                     ? fmt::format("expected two different actors in {}, found '{}' twice", what, from.label)
                     : fmt::format("expected two different actors in {}, found '{}' and '{}', which make no pair "
                                   "of two",
                                   what, from.label, to.label));
    return false;
  }
  return true;
}

}  // namespace geosim::detail
