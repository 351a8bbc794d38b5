// The fingerprints a saved session keeps (session_file.hpp): of the scenario it was played on, and
// of each branch's state, so that resuming finds a changed world or a replay that went elsewhere.
#include <cstring>
#include <nlohmann/json.hpp>

#include "geosim/io/json_text.hpp"
#include "geosim/tabletop/session.hpp"
#include "geosim/tabletop/session_file.hpp"

namespace geosim {
namespace {
using nlohmann::json;

void append_matrix(std::string& bytes, const Eigen::MatrixXd& m) {
  for (Eigen::Index i = 0; i < m.rows(); ++i)
    for (Eigen::Index j = 0; j < m.cols(); ++j) {
      char raw[sizeof(double)];
      const double v = m(i, j);
      std::memcpy(raw, &v, sizeof v);
      bytes.append(raw, sizeof raw);
    }
}

json magnitude(const std::optional<Magnitude>& m) { return m ? json{m->mean, m->sd} : json(); }

json effects_of(const Event& e) {
  json effects = json::array();
  for (const Effect& f : e.effects)
    effects.push_back(
        {f.from.actors, f.to.actors, f.both_directions, magnitude(f.tension), magnitude(f.baseline), magnitude(f.tie)});
  return effects;
}

}  // namespace

std::string scenario_fingerprint(const Scenario& s) {
  json j{{"id", s.id},
         {"start", s.start.days},
         {"step_days", s.step_days},
         {"steps", s.steps},
         {"spillover", s.parameters.spillover},
         {"noise", s.parameters.noise},
         {"tension", s.tension},
         {"baseline", s.baseline},
         {"tie", s.tie},
         {"policies", s.policies}};
  for (const Actor& a : s.actors) j["actors"].push_back({a.id, int(a.kind), a.members, a.restraint, a.reactivity});
  for (const Indicator& i : s.indicators) j["indicators"].push_back({i.id, int(i.kind), i.relations, i.organization});
  for (const Event& e : s.events) {
    json follow_ups = json::array();
    for (const FollowUp& f : e.follow_ups) follow_ups.push_back({f.event, f.delay, f.probability});
    j["events"].push_back({e.id, int(e.timing), e.step, e.window_first, e.window_last, e.probability, e.condition_text,
                           e.cameo, e.policy, effects_of(e), follow_ups});
  }
  return checksum_of(json_text(j));
}

std::string state_checksum(const State& state) {
  std::string bytes = std::to_string(state.step);
  append_matrix(bytes, state.tension);
  append_matrix(bytes, state.baseline);
  append_matrix(bytes, state.tie);
  return checksum_of(bytes);
}

std::string course_checksum(const Branch& b) {
  json pending = json::array(), fired = json::array(), adhoc = json::array();
  for (const PendingEvent& p : b.state.pending) pending.push_back({p.step, p.event, p.cause});
  for (const AppliedEvent& e : b.fired) fired.push_back({e.step, e.id, e.cause});
  for (const Event& e : b.pending.adhoc_events) adhoc.push_back({e.id, e.title, effects_of(e)});
  const json j{{"window_steps", b.state.window_step},
               {"pending", pending},
               {"preempted", b.state.preempted},
               {"injects", b.pending.scenario_events},
               {"adhoc", adhoc},
               {"policies", b.scenario.policies},
               {"fired", fired}};
  return checksum_of(json_text(j));
}

}  // namespace geosim
