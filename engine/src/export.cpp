#include "geosim/export.hpp"

#include <boost/graph/graphml.hpp>
#include <boost/property_map/dynamic_property_map.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "geosim/escape.hpp"
#include "geosim/relation_graph.hpp"

namespace geosim {

std::optional<ExportFormat> parse_export_format(const std::string& name) {
  if (name == "dot") return ExportFormat::dot;
  if (name == "graphml") return ExportFormat::graphml;
  if (name == "json") return ExportFormat::json;
  if (name == "csv") return ExportFormat::csv;
  return std::nullopt;
}

std::string tension_colour(double tension) {
  const double t = std::clamp(tension, 0.0, 1.0);
  // Green (26,152,80) -> amber (254,224,139) -> red (215,48,39), ColorBrewer RdYlGn ends.
  auto mix = [](double a, double b, double f) { return int(std::lround(a + (b - a) * f)); };
  int r, g, b;
  if (t < 0.5) {
    r = mix(26, 254, t * 2), g = mix(152, 224, t * 2), b = mix(80, 139, t * 2);
  } else {
    r = mix(254, 215, (t - 0.5) * 2), g = mix(224, 48, (t - 0.5) * 2), b = mix(139, 39, (t - 0.5) * 2);
  }
  return fmt::format("#{:02x}{:02x}{:02x}", r, g, b);
}

namespace {

boost::dynamic_properties graphml_properties(RelationGraph& graph) {
  boost::dynamic_properties dp(boost::ignore_other_properties);
  dp.property("id", boost::get(&ActorVertex::id, graph));
  dp.property("label", boost::get(&ActorVertex::name, graph));
  dp.property("tension", boost::get(&RelationEdge::tension, graph));
  dp.property("baseline", boost::get(&RelationEdge::baseline, graph));
  dp.property("tie", boost::get(&RelationEdge::tie, graph));
  return dp;
}

/// DOT written here, not by Boost's writer, which does not escape backslashes: a name ending in
/// `\` would end its string and let the next name add attributes (a URL, for one).
void write_dot(std::ostream& out, const RelationGraph& graph) {
  out << "digraph G {\n";
  for (auto [v, end] = boost::vertices(graph); v != end; ++v)
    out << dot_quoted(graph[*v].id) << " [label=" << dot_quoted(graph[*v].name) << "];\n";
  for (auto [e, end] = boost::edges(graph); e != end; ++e) {
    const std::string& from = graph[boost::source(*e, graph)].id;
    const std::string& to = graph[boost::target(*e, graph)].id;
    const RelationEdge& r = graph[*e];
    out << fmt::format("{}->{} [baseline={:.6f}, color=\"{}\", penwidth={:.2f}, tension={:.6f}, tie={:.6f}, tooltip={}];\n",
                       dot_quoted(from), dot_quoted(to), r.baseline, tension_colour(r.tension), 0.5 + 3.0 * r.tie,
                       r.tension, r.tie,
                       dot_quoted(fmt::format("{} -> {}: tension {:.3f}, tie {:.2f}", from, to, r.tension, r.tie)));
  }
  out << "}\n";
}

void write_json(std::ostream& out, const Scenario& scenario, const RelationGraph& graph) {
  nlohmann::json doc;
  doc["scenario"] = scenario.id;
  doc["parameters"] = {{"spillover", scenario.parameters.spillover}, {"noise", scenario.parameters.noise}};
  for (auto [v, end] = boost::vertices(graph); v != end; ++v) {
    const Actor& actor = scenario.actors[*v];
    doc["actors"].push_back({{"id", graph[*v].id},
                             {"name", graph[*v].name},
                             {"restraint", actor.restraint},
                             {"reactivity", actor.reactivity}});
  }
  for (auto [e, end] = boost::edges(graph); e != end; ++e)
    doc["relations"].push_back({{"from", graph[boost::source(*e, graph)].id},
                                {"to", graph[boost::target(*e, graph)].id},
                                {"tension", graph[*e].tension},
                                {"baseline", graph[*e].baseline},
                                {"tie", graph[*e].tie}});
  out << doc.dump(2) << '\n';
}

void write_csv(std::ostream& out, const RelationGraph& graph) {
  out << "from,to,tension,baseline,tie\n";
  for (auto [e, end] = boost::edges(graph); e != end; ++e)
    out << fmt::format("{},{},{:.6f},{:.6f},{:.6f}\n", csv_field(graph[boost::source(*e, graph)].id),
                       csv_field(graph[boost::target(*e, graph)].id), graph[*e].tension, graph[*e].baseline,
                       graph[*e].tie);
}

}  // namespace

void export_graph(std::ostream& out, const Scenario& scenario, const State& state,
                  ExportFormat format) {
  RelationGraph graph = build_relation_graph(scenario, state);
  switch (format) {
    case ExportFormat::dot:
      write_dot(out, graph);
      break;
    case ExportFormat::graphml:
      boost::write_graphml(out, graph, graphml_properties(graph), true);
      break;
    case ExportFormat::json:
      write_json(out, scenario, graph);
      break;
    case ExportFormat::csv:
      write_csv(out, graph);
      break;
  }
}

}  // namespace geosim
