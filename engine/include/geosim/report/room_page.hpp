#pragma once
/// \file
/// The pages of the live room view (`geosim play --serve`): mustache templates from the data
/// folder `templates/` (found like `scenarios/`, see catalog.hpp), filled from a room_snapshot()
/// document by render_template (template.hpp), as the HTML report is: the same escaping of
/// every name (`{{...}}`) and the same partials (`{{> file}}`); the only unescaped insert is a
/// panel this module rendered itself.

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace geosim {

struct ReportData;

/// The templates of the live page, checked once when the server starts.
struct RoomTemplates {
  std::string dir;                           ///< the folder they were read from (and are rendered from)
  std::map<std::string, std::string> files;  ///< file name -> text as read at the start (room.js is served from here)
};

/// Reads page.html, room_panel.html, team_panel.html, room.css and room.js from `dir`; nullopt
/// and `error` (one line) when one is missing or does not parse.
std::optional<RoomTemplates> load_room_templates(const std::string& dir, std::string& error);

/// The panel of a view (the part the event stream replaces): room_panel.html or team_panel.html
/// filled from the snapshot.
std::string render_room_panel(const RoomTemplates& templates, const nlohmann::json& view);

/// The live page's charts of a view of a session, given its session_chart_data() (html_report.hpp:
/// made once for all the views of a moment), as {"screen": spec, "print": spec}: for the room (`team`
/// ""), the HTML report's indicators chart (indicators_chart_spec); for a team, its actor's
/// chart (actor_chart_spec: its relations' tension and the indicators measuring them); both of
/// the session's branch so far (nothing ahead of it), with its moves and injects marked. "screen"
/// is sized for a 1280x720 projector or laptop (no text under 18 px; the room's every panel on
/// the screen), "print" as the report prints on A4 (a list of charts of at most ten panels, each
/// of which fits on a page). Null when `team` is not an actor id.
nlohmann::json room_chart_spec(const ReportData& data, const std::string& team = "");

/// The scripts the live page serves, read from the node_modules folder `dir`: cytoscape (the
/// network) and vega, vega-lite and vega-embed (the charts, as the HTML report inlines them).
/// File name ("vega.min.js") -> code; nullopt and `error` (one line) when one is missing.
std::optional<std::map<std::string, std::string>> load_room_scripts(const std::string& dir, std::string& error);

/// A whole page: page.html around the panel (charts_page.html for a view whose "view" is
/// "charts", with the chart spec `chart`), with the script nonce and the query (e.g.
/// "?token=..." or "") every link and the event stream carry; `events` is the stream's path
/// ("/events", "/team/SGP/events"), and "now.json" beside it answers with one event's payload.
std::string render_room_page(const RoomTemplates& templates, const nlohmann::json& view, const std::string& nonce,
                             const std::string& query, const std::string& events,
                             const nlohmann::json& chart = nullptr);

}  // namespace geosim
