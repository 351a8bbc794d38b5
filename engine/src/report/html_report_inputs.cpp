// The HTML report's data from the other engines: ensembles, the network analysis and tabletop
// sessions. The report itself (html_report.cpp) depends on none of them; this file is the only
// place that does.
#include <fmt/format.h>

#include "geosim/analysis/analysis.hpp"
#include "geosim/core/ensemble.hpp"
#include "geosim/core/indicator.hpp"
#include "geosim/report/html_report.hpp"
#include "geosim/tabletop/after_action.hpp"
#include "geosim/tabletop/session.hpp"
#include "geosim/tabletop/session_command.hpp"

namespace geosim {

ReportEnsemble report_ensemble(const EnsembleResult& result) {
  ReportEnsemble e;
  e.runs = result.runs;
  e.seed = result.seed;
  e.parameter_sd = result.parameter_sd;
  e.held_runs = result.held_runs;
  e.indicator_count = result.indicator_count;
  e.bands.reserve(result.bands.size());
  for (const PercentileBand& band : result.bands)
    e.bands.push_back({band.p5(), band.p25(), band.p50(), band.p75(), band.p95()});
  for (const ThresholdResult& t : result.thresholds)
    e.thresholds.push_back(
        {t.indicator, t.threshold, t.direction == ThresholdDirection::above, t.probability, t.median_first_step});
  return e;
}

ReportAnalysis report_analysis(const Analysis& analysis) {
  ReportAnalysis a;
  a.step = analysis.step;
  a.camp = analysis.blocs.camp;
  a.unbalanced = analysis.blocs.unbalanced;
  a.frustration = analysis.blocs.frustration;
  a.exhaustive = analysis.blocs.exhaustive;
  a.unbalanced_triads = analysis.blocs.unbalanced_triads.size();
  a.triads = analysis.blocs.triads;
  a.brokers = analysis.brokers;
  a.influence = analysis.influence.score;
  return a;
}

ReportData session_chart_data(const Session& session) {
  const Branch& branch = session.current();
  ReportData data;
  data.scenario = branch.scenario;
  data.seed = session.setup().seed;
  data.run.tension = branch.trajectory;  // kept by the session as it stepped: no replay
  for (const Eigen::MatrixXd& t : data.run.tension)
    data.run.indicators.push_back(evaluate_indicators(data.scenario, t));
  data.run.final_state = branch.state;
  data.run.events = branch.fired;
  AfterAction log;  // the journal only: no played-vs-untouched runs
  log.branch = branch.name;
  for (const JournalEntry& j : branch.journal) {
    AfterActionEntry entry;
    static_cast<JournalEntry&>(entry) = j;
    entry.date = data.scenario.date_of_step(j.made_at);
    log.entries.push_back(std::move(entry));
  }
  data.after_action = std::move(log);
  return data;
}

ReportData session_report_data(const Session& session) {
  const Branch& branch = session.current();
  ReportData data = session_chart_data(session);
  AnalysisOptions shown;  // the report shows no stability: not computed
  shown.stability = false;
  data.analysis_start = report_analysis(analyze(data.scenario, session.initial_state(), shown));
  data.analysis_end = report_analysis(analyze(data.scenario, branch.state, shown));
  data.after_action = gather_after_action(session);
  for (const AfterActionEntry& e : data.after_action->entries)
    if (e.kind == JournalEntry::Kind::adhoc) data.adhoc_titles.emplace_back(e.id, e.title);
  return data;
}

}  // namespace geosim
