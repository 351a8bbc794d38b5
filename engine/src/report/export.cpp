#include "geosim/report/export.hpp"
#include "geosim/core/control_chars.hpp"

#include <fmt/format.h>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/graphml.hpp>
#include <boost/property_map/dynamic_property_map.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

#include "geosim/analysis/relation_graph.hpp"
#include "geosim/io/escape.hpp"
#include "geosim/io/json_text.hpp"
#include "geosim/io/number_text.hpp"

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

/// GraphML through Boost's writer, on a Boost.Graph copy of the relation graph made here.
using GraphmlGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, ActorVertex, RelationEdge>;

void write_graphml(std::ostream& out, const RelationGraph& relations) {
  GraphmlGraph graph(relations.vertex_count());
  for (std::size_t v = 0; v < relations.vertex_count(); ++v) {  // Boost escapes the markup, not controls
    graph[v] = relations.actors[v];
    graph[v].id = without_controls(graph[v].id);
    graph[v].name = without_controls(graph[v].name);
  }
  for (const RelationEdge& e : relations.edges) boost::add_edge(e.from, e.to, e, graph);
  boost::dynamic_properties dp(boost::ignore_other_properties);
  dp.property("id", boost::get(&ActorVertex::id, graph));
  dp.property("label", boost::get(&ActorVertex::name, graph));
  dp.property("tension", boost::get(&RelationEdge::tension, graph));
  dp.property("baseline", boost::get(&RelationEdge::baseline, graph));
  dp.property("tie", boost::get(&RelationEdge::tie, graph));
  // A carriage return in a name as the reference &#13;: an XML reader turns a raw one into a line
  // feed. Boost's own markup has none, so every CR in its output is a name's.
  std::ostringstream text;
  boost::write_graphml(text, graph, dp, true);
  const std::string written = text.str();
  for (std::size_t at = 0;;) {
    const std::size_t cr = written.find('\r', at);
    out.write(written.data() + at, std::streamsize((cr == std::string::npos ? written.size() : cr) - at));
    if (cr == std::string::npos) break;
    out << "&#13;";
    at = cr + 1;
  }
}

/// DOT written here, not by Boost's writer, which does not escape backslashes: a name ending in
/// `\` would end its string and let the next name add attributes (a URL, for one).
void write_dot(std::ostream& out, const RelationGraph& graph) {
  out << "digraph G {\n";
  for (const ActorVertex& v : graph.actors) out << dot_quoted(v.id) << " [label=" << dot_quoted(v.name) << "];\n";
  for (const RelationEdge& r : graph.edges) {
    const std::string& from = graph.actors[r.from].id;
    const std::string& to = graph.actors[r.to].id;
    out << fmt::format("{}->{} [baseline={}, color=\"{}\", penwidth={:.2f}, tension={}, tie={}, tooltip={}];\n",
                       dot_quoted(from), dot_quoted(to), number6(r.baseline), tension_colour(r.tension),
                       0.5 + 3.0 * r.tie, number6(r.tension), number6(r.tie),
                       dot_quoted(fmt::format("{} -> {}: tension {:.3f}, tie {:.2f}", from, to, r.tension, r.tie)));
  }
  out << "}\n";
}

void write_json(std::ostream& out, const Scenario& scenario, const RelationGraph& graph) {
  nlohmann::json doc;
  doc["scenario"] = scenario.id;
  doc["parameters"] = {{"spillover", scenario.parameters.spillover}, {"noise", scenario.parameters.noise}};
  doc["actors"] = nlohmann::json::array();  // present, if empty: [] (a world of absent pairs has no relation)
  doc["relations"] = nlohmann::json::array();
  for (std::size_t v = 0; v < graph.vertex_count(); ++v) {
    const Actor& actor = scenario.actors[v];
    doc["actors"].push_back({{"id", graph.actors[v].id},
                             {"name", graph.actors[v].name},
                             {"restraint", actor.restraint},
                             {"reactivity", actor.reactivity}});
  }
  for (const RelationEdge& e : graph.edges)
    doc["relations"].push_back({{"from", graph.actors[e.from].id},
                                {"to", graph.actors[e.to].id},
                                {"tension", e.tension},
                                {"baseline", e.baseline},
                                {"tie", e.tie}});
  // C1 controls, U+FFFE/U+FFFF and bidirectional formatting (which can only be in strings) as \u
  // escapes: the same text for a JSON reader, and nothing a terminal acts on when written to stdout.
  const std::string text = json_text(doc, 2);
  std::string escaped;
  escaped.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const std::size_t length = terminal_control(text, i);
    if (length < 2) {
      escaped += text[i];
      continue;
    }
    const auto byte = [&](std::size_t k) { return unsigned(static_cast<unsigned char>(text[i + k])); };
    const unsigned code = length == 2 ? ((byte(0) & 0x1Fu) << 6) | (byte(1) & 0x3Fu)
                                      : ((byte(0) & 0x0Fu) << 12) | ((byte(1) & 0x3Fu) << 6) | (byte(2) & 0x3Fu);
    escaped += fmt::format("\\u{:04x}", code);
    i += length - 1;
  }
  out << escaped << '\n';
}

void write_csv(std::ostream& out, const RelationGraph& graph) {
  out << "from,to,tension,baseline,tie\n";
  for (const RelationEdge& e : graph.edges)
    out << fmt::format("{},{},{},{},{}\n", csv_field(graph.actors[e.from].id), csv_field(graph.actors[e.to].id),
                       number6(e.tension), number6(e.baseline), number6(e.tie));
}

}  // namespace

void export_graph(std::ostream& out, const Scenario& scenario, const State& state, ExportFormat format) {
  const RelationGraph graph = build_relation_graph(scenario, state);
  switch (format) {
    case ExportFormat::dot:
      write_dot(out, graph);
      break;
    case ExportFormat::graphml:
      write_graphml(out, graph);
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
