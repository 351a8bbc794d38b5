#include "geosim/report/room_page.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <kainjow/mustache.hpp>
#include <nlohmann/json.hpp>

#include "geosim/io/input_file.hpp"
#include "geosim/io/json_text.hpp"
#include "geosim/report/html_report.hpp"
#include "geosim/report/template.hpp"
#include "geosim/tabletop/session.hpp"
#include "html_report_assets.hpp"

namespace geosim {
namespace {

namespace fs = std::filesystem;
using kainjow::mustache::mustache;

/// Largest template file read. Default 1 MB.
constexpr std::size_t kMaxTemplateBytes = std::size_t(1) << 20;

const char* const kFiles[] = {"page.html",       "charts_page.html",     "room_panel.html",
                              "team_panel.html", "room_indicators.html", "room.css",
                              "room.js"};

/// Largest script served. Default 32 MB, as the report inlines.
constexpr std::size_t kMaxScriptBytes = std::size_t(32) << 20;

/// `file` of the templates filled from `view` by render_template (template.hpp: its escaping, its
/// partials); on an error, the error as a line of the page.
std::string render(const RoomTemplates& t, const std::string& file, const nlohmann::json& view) {
  RenderedTemplate page = render_template(file, view, t.dir);
  return page.text ? std::move(*page.text) : "<p class=\"error\">" + html_escape(page.error) + "</p>";
}

}  // namespace

std::optional<RoomTemplates> load_room_templates(const std::string& dir, std::string& error) {
  RoomTemplates t;
  t.dir = dir;
  for (const char* name : kFiles) {
    const std::string path = (fs::path(dir) / name).string();
    InputText input = read_input_file(path, kMaxTemplateBytes);
    if (!input.text) {
      error = fmt::format("cannot read the page template '{}': {}", path, input.error);
      return std::nullopt;
    }
    if (std::string(name).ends_with(".html")) {
      mustache m{*input.text};
      if (!m.is_valid()) {
        error = fmt::format("the page template '{}' does not parse: {}", path, m.error_message());
        return std::nullopt;
      }
    }
    t.files[name] = std::move(*input.text);
  }
  return t;
}

std::string render_room_panel(const RoomTemplates& templates, const nlohmann::json& view) {
  const bool team = view.value("view", "room") == "team";
  return render(templates, team ? "team_panel.html" : "room_panel.html", view);
}

std::string render_room_page(const RoomTemplates& templates, const nlohmann::json& view, const std::string& nonce,
                             const std::string& query, const std::string& events, const nlohmann::json& chart) {
  const bool charts = view.value("view", "room") == "charts";
  nlohmann::json page = view;
  if (!charts) page["panel"] = render_room_panel(templates, view);
  page["nonce"] = nonce;
  page["query"] = query;
  // `poll`: the same payload as the stream's, for a page the server turned away (too many open)
  page["config"] = json_text(nlohmann::json{{"events", events + query},
                                            {"poll", events.substr(0, events.rfind('/') + 1) + "now.json" + query},
                                            {"network", view.value("network", nlohmann::json())},
                                            {"chart", chart}});
  return render(templates, charts ? "charts_page.html" : "page.html", page);
}

nlohmann::json room_chart_spec(const ReportData& data, const std::string& team) {
  std::size_t actor = 0;
  if (!team.empty()) {
    const std::optional<std::size_t> found = data.scenario.find_actor(team);
    if (!found) return nullptr;
    actor = *found;
  }
  ChartStyle screen;
  screen.label_px = 18;         // the projector's smallest text
  screen.compact_dates = true;  // narrow panels: "Oct" rather than "Oct 2025" within a year
  screen.columns = 4;
  screen.width = 200;  // four to a row with their axes within 1240 px
  // On paper: the report's own size (two to a row of an A4 page at full size, 9 pt text), five
  // rows to a chart (each chart kept whole on a page: chart_pages).
  ChartStyle print;
  print.compact_dates = screen.compact_dates;
  print.height = 100;  // five rows and the title above them within a page's 273 mm
  if (!team.empty()) {
    // Two to a row in the team view's right-hand column (about 660 px), under its network.
    screen.columns = 2;
    screen.width = 190;
    screen.height = 110;
    return bidi_closed_strings({{"screen", actor_chart_spec(data, actor, screen)},
                                {"print", chart_pages(actor_chart_spec(data, actor, print))}});
  }
  // Every row on a 720 px screen: about 540 px for the panels, less each one's title and axis.
  const int rows = std::max(1, int((data.scenario.indicators.size() + 3) / 4));
  screen.height = std::clamp(540 / rows - 95, 50, 220);
  // Its titles are names: closed as the report's script JSON is (script_json).
  return bidi_closed_strings(
      {{"screen", indicators_chart_spec(data, screen)}, {"print", chart_pages(indicators_chart_spec(data, print))}});
}

std::optional<std::map<std::string, std::string>> load_room_scripts(const std::string& dir, std::string& error) {
  std::map<std::string, std::string> scripts;
  const std::string network = (fs::path(dir) / "cytoscape" / "dist" / "cytoscape.min.js").string();
  InputText cytoscape = read_input_file(network, kMaxScriptBytes);
  if (dir.empty() || !cytoscape.text) {
    error = fmt::format("cannot read the network library '{}'", dir.empty() ? "node_modules/cytoscape" : network);
    return std::nullopt;
  }
  scripts["cytoscape.min.js"] = std::move(*cytoscape.text);
  for (detail::JsLibrary& library : detail::load_js_libraries(dir, error))
    scripts[library.name + ".min.js"] = std::move(library.code);
  if (scripts.size() != 4) return std::nullopt;  // `error` says which chart library is missing
  return scripts;
}

}  // namespace geosim
