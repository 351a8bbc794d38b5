#pragma once
/// \file
/// The HTML report: one self-contained page that opens offline in any browser, with the
/// scenario and its sources, the timeline of events that fired, charts (indicators over time,
/// percentile fans of an ensemble, tension heatmaps), a network diagram of the relation graph,
/// blocs and brokers, and an optional after-action log of a tabletop session.
///
/// The page is written from ReportData, plain data that `geosim report` fills from a run (and
/// an ensemble and the network analysis) and `geosim play` can fill from a session. Charts are
/// Vega-Lite specs drawn in the browser by vega, vega-lite and vega-embed, whose minified
/// builds are read from a node_modules folder (ReportOptions::js_dir) and inlined; the network
/// diagram is laid out by Graphviz, run as a process on the DOT that export_graph writes, and
/// its SVG inlined. The page fetches nothing: it contains no http(s) URL at all. Without the
/// JavaScript libraries the page still has every table and the network diagram, and says
/// where the charts would be and what they need.

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "geosim/core/paired.hpp"
#include "geosim/core/run.hpp"
#include "geosim/core/scenario.hpp"
#include "geosim/tabletop/after_action.hpp"

namespace geosim {

struct EnsembleResult;
struct Analysis;
struct AfterAction;
class Session;

/// An ensemble's percentile bands, per step and indicator.
struct ReportEnsemble {
  int runs = 0;
  std::uint64_t seed = 0;
  double parameter_sd = 0.0;
  /// Runs whose drawn values held a baseline at 0 or 1 (EnsembleResult::held_runs): they drift
  /// where nothing happens, which the page says.
  std::int64_t held_runs = 0;
  std::size_t indicator_count = 0;
  /// [step * indicator_count + k] = the 5th, 25th, 50th, 75th and 95th percentiles of
  /// indicator k at that step over the runs, steps 0..last.
  std::vector<std::array<double, 5>> bands;
  /// How often a declared threshold is crossed.
  struct Threshold {
    std::size_t indicator = 0;
    double threshold = 0.0;
    bool above = true;           ///< crossed when above (else below)
    double probability = 0.0;    ///< share of runs crossing at some step
    int median_first_step = -1;  ///< step by which half the runs have crossed; -1 never
  };
  std::vector<Threshold> thresholds;
  /// What the paired effects are measured against, e.g. "realignment without its policies"
  /// or "the baseline"; "" = no paired effects shown.
  std::string paired_reference;
  /// Per indicator of the scenario: run r minus run r of the reference (same seed, so the same
  /// draws) at the last step (paired.hpp); runs == 0 where the reference lacks the indicator.
  std::vector<PairedSummary> paired;

  /// Number of steps covered (bands.size() / indicator_count), 0 when empty.
  int step_count() const { return indicator_count == 0 ? 0 : int(bands.size() / indicator_count); }
};

/// Blocs, brokers and influence of the relation graph at one step.
struct ReportAnalysis {
  int step = 0;
  std::vector<int> camp;  ///< per actor: 0 or 1 (the two blocs)
  /// Relations (a < b) the split leaves unbalanced: friends across camps, enemies within one.
  std::vector<std::pair<std::size_t, std::size_t>> unbalanced;
  double frustration = 0.0;
  bool exhaustive = true;  ///< false: the split is a local optimum (greedy search)
  std::size_t unbalanced_triads = 0;
  std::size_t triads = 0;
  std::vector<double> brokers;    ///< betweenness per actor, in [0,1]
  std::vector<double> influence;  ///< eigenvector centrality of ties per actor, sums to 1
};

/// Everything the report shows.
struct ReportData {
  Scenario scenario;
  std::uint64_t seed = 1;
  /// The run shown: tensions and indicators at steps 0..final_state.step (entry k is step k,
  /// or steps[k] when `steps` is given), and the final state with the log of events that fired.
  RunResult run;
  /// The step of each entry of run.tension and run.indicators; empty = 0, 1, 2, ...
  std::vector<int> steps;
  std::optional<ReportEnsemble> ensemble;        ///< percentile fans when set
  std::optional<ReportAnalysis> analysis_start;  ///< blocs and brokers at the first step
  std::optional<ReportAnalysis> analysis_end;    ///< blocs and brokers at the last step
  /// The injects and moves of a tabletop session's branch (tabletop/after_action.hpp), its
  /// changes named with the scenario's actors.
  std::optional<AfterAction> after_action;
  /// Titles of ad-hoc events by id (events typed in a session are not in the scenario).
  std::vector<std::pair<std::string, std::string>> adhoc_titles;
  std::string command;  ///< how the report was made, shown at the foot ("" = not shown)
};

/// Where the report's helpers are.
struct ReportOptions {
  /// Folder with vega/, vega-lite/ and vega-embed/ (a node_modules); "" = default_report_js_dir().
  std::string js_dir;
  /// Graphviz layout program for the network diagram ("circo", "neato", "dot", ...; looked up
  /// on PATH); "" = no network diagram.
  std::string graphviz = "circo";
  /// Folder with the page's templates (report.html.mustache, template.hpp); "" =
  /// default_templates_dir().
  std::string templates_dir;
};

/// What went into a report.
struct ReportOutcome {
  int charts = 0;                   ///< Vega-Lite charts on the page
  bool scripts_inlined = false;     ///< the JavaScript libraries were found and inlined
  int network_diagrams = 0;         ///< Graphviz diagrams inlined
  std::vector<std::string> notes;   ///< what is missing and why, one line each
  std::vector<std::string> inputs;  ///< files read besides the scenario's: the libraries' code and package.json
  /// "" = the page was written; else why nothing was written (one line: a missing or broken
  /// template).
  std::string error;
};

/// How the indicators chart is drawn, sizes in CSS pixels. The defaults are the report's (read
/// at arm's length); the live page's projector asks for larger text.
struct ChartStyle {
  int width = 270;  ///< each indicator's panel
  int height = 120;
  int columns = 2;  ///< panels to a row (two fill an A4 page's width, 186 mm, at full size)
  /// The smallest text (axis labels); axis titles +1, headers +2, titles +3. Default 12 px: 9 pt
  /// on paper, where the report prints at full size.
  int label_px = 12;
  /// The date axis' ticks and labels follow the span shown (days and weeks early in a session,
  /// "7 Aug"; months later, "Oct 2025"; years, "2027"), so that no two labels read the same.
  /// When true, month labels leave out the year over a span under 330 days ("Oct"), for narrow
  /// panels. Default false.
  bool compact_dates = false;
  /// Each indicator's vertical scale spans at least this much, on the indicators' 0–1 scale
  /// (0 = the data's own range, as Vega chooses it): a nearly flat line is drawn flat, with short
  /// axis labels, instead of a change of 0.0001 filling the panel. Default 0.1.
  double min_span = 0.1;
};

/// The panels of small multiples that fit one A4 page at the report's print size: five rows of
/// two (ChartStyle's default columns, with a panel at most 120 px high).
inline constexpr std::size_t kChartPanelsPerPage = 10;

/// A chart of small multiples (a spec with `concat`) cut into charts of at most `panels`
/// panels each, in order, the same data in each, so that each fits on a page and the rest flow
/// onto further pages: a list of specs (the spec itself, alone, when it has no more).
nlohmann::json chart_pages(const nlohmann::json& spec, std::size_t panels = kChartPanelsPerPage);

/// The Vega-Lite spec of the indicators over the run of `data`: one small chart per indicator
/// with its own scale, dashed red rules at its declared thresholds and, for a played session
/// (data.after_action), a dashed vertical rule at the step of each move and inject. The HTML
/// report's chart, and the live page's (room_page.hpp) with a larger style.
nlohmann::json indicators_chart_spec(const ReportData& data, const ChartStyle& style = {});

/// The same kind of chart for one actor (a team's view on the live page): its tension toward
/// each actor it has a relation with (at most `max_relations`, the tensest at the last point,
/// in the scenario's order), then the indicators that measure a relation of it
/// (indicator_touches), with the session's markers.
nlohmann::json actor_chart_spec(const ReportData& data, std::size_t actor, const ChartStyle& style = {},
                                std::size_t max_relations = 12);

/// Every string of `value` with its bidirectional formatting closed (bidi_closed, io/escape.hpp):
/// a name's override cannot reverse the rest of a chart's label or a page's line. The report's
/// script JSON and the live page's JSON (its charts, snapshots and stream) go through it.
nlohmann::json bidi_closed_strings(nlohmann::json value);

/// $GEOSIM_JS_DIR if set, else the first node_modules/ folder of data_dirs() (catalog.hpp): next
/// to the program in a build tree, share/geosim/node_modules when installed; "" when none.
std::string default_report_js_dir();

/// Writes the whole page, laid out by the template report.html.mustache (template.hpp); writes
/// nothing and says why in ReportOutcome::error when the template cannot be read.
ReportOutcome write_html_report(std::ostream& out, const ReportData& data, const ReportOptions& options = {});

/// Runs Graphviz `program` on `dot` and returns the SVG (an <svg> element without the XML
/// prologue, the DOCTYPE or namespace declarations, ids prefixed with `id_prefix`), or nullopt
/// with the reason in `error`. The program runs in a process group of its own; past `deadline`
/// the whole group is killed (a script's own children too) and the call fails.
std::optional<std::string> graphviz_svg(const std::string& dot, const std::string& program,
                                        const std::string& id_prefix, std::string& error,
                                        std::chrono::milliseconds deadline = std::chrono::seconds(60));

/// Text escaped for HTML element content and attribute values.
std::string html_escape(const std::string& text);

// Conversions from the other engines' results (engine/src/report/html_report_inputs.cpp).

/// The bands and thresholds of an ensemble.
ReportEnsemble report_ensemble(const EnsembleResult& result);
/// Blocs, brokers and influence of an analysis.
ReportAnalysis report_analysis(const Analysis& analysis);
/// A whole report of the current branch of a tabletop session: its scenario, the tensions at
/// every step played (kept by the session as it stepped), blocs and brokers at the start and now,
/// and the after-action log.
ReportData session_report_data(const Session& session);
/// What the indicators chart of a session needs, and no more (no analysis, no played-vs-
/// untouched runs): the scenario, the indicators at every step of the current branch, and its
/// moves and injects (kind, step, id and title) in after_action. Cheap enough for every turn.
ReportData session_chart_data(const Session& session);

}  // namespace geosim
