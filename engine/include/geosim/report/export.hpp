#pragma once
/// \file
/// The relation graph at one step in formats other tools read: DOT (Graphviz), GraphML
/// (Gephi, yEd), JSON and CSV. DOT and GraphML go through Boost.Graph's writers.

#include <optional>
#include <ostream>
#include <string>

#include "geosim/core/scenario.hpp"
#include "geosim/core/state.hpp"

namespace geosim {

enum class ExportFormat { dot, graphml, json, csv };

/// "dot", "graphml", "json" or "csv"; nullopt otherwise.
std::optional<ExportFormat> parse_export_format(const std::string& name);

/// Writes every directed relation with its tension, baseline and tie weight. In DOT, edges are
/// coloured from green (tension 0) to red (tension 1) and drawn thicker for stronger ties.
void export_graph(std::ostream& out, const Scenario& scenario, const State& state, ExportFormat format);

/// The colour of a tension level as "#rrggbb", green (0) through amber to red (1).
std::string tension_colour(double tension);

}  // namespace geosim
