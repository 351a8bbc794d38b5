// The HTML report's data from the other engines: ensembles, the network analysis and tabletop
// sessions. The report itself (html_report.cpp) depends on none of them; this file is the only
// place that does.
#include <fmt/format.h>

#include "geosim/tabletop/after_action.hpp"
#include "geosim/analysis/analysis.hpp"
#include "geosim/core/ensemble.hpp"
#include "geosim/report/html_report.hpp"
#include "geosim/core/indicator.hpp"
#include "geosim/tabletop/session.hpp"
#include "geosim/tabletop/session_command.hpp"

namespace geosim {

ReportEnsemble report_ensemble(const EnsembleResult& result) {
  ReportEnsemble e;
  e.runs = result.runs;
  e.seed = result.seed;
  e.parameter_sd = result.parameter_sd;
  e.indicator_count = result.indicator_count;
  e.bands.reserve(result.bands.size());
  for (const PercentileBand& band : result.bands) e.bands.push_back({band.p5(), band.p25(), band.p50(), band.p75(), band.p95()});
  for (const ThresholdResult& t : result.thresholds)
    e.thresholds.push_back({t.indicator, t.threshold, t.direction == ThresholdDirection::above, t.probability,
                            t.median_first_step});
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

namespace {

std::vector<ReportChange> report_changes(const std::vector<ChangeRow>& rows) {
  std::vector<ReportChange> changes;
  for (const ChangeRow& c : rows) changes.push_back({c.from, c.to, c.tension, c.baseline, c.tie});
  return changes;
}

}  // namespace

ReportAfterAction report_after_action(const AfterAction& record) {
  ReportAfterAction a;
  a.branch = record.branch;
  a.parent = record.parent;
  a.forked_at = record.forked_at;
  a.played = record.played;
  a.played_runs = record.played_runs;
  for (const AfterActionEntry& e : record.entries) {
    ReportLogEntry row;
    row.kind = journal_kind_label(e.kind);
    row.step = e.step;
    row.fires_at = e.fires_at;
    row.fired = e.fired;
    row.id = e.id;
    row.title = e.title;
    row.command = e.command;
    row.changes = report_changes(e.changes);
    if (!e.team.empty() || !e.rationale.empty())  // who and why, as for `log`
      row.notes.push_back(fmt::format("by {}{}", e.team.empty() ? "the facilitator" : e.team,
                                      e.rationale.empty() ? "" : ": \"" + e.rationale + "\""));
    for (const auto& s : e.scheduled) row.notes.push_back("scheduled " + s);
    for (const FiredRow& f : e.fired_events) {
      row.notes.push_back(fmt::format("{} fired at step {} ({}): {}", f.id, f.step, f.cause, changes_text(f.changes)));
    }
    a.entries.push_back(std::move(row));
  }
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
  ReportAfterAction log;
  log.branch = branch.name;
  for (const JournalEntry& j : branch.journal) {
    ReportLogEntry row;
    row.kind = journal_kind_label(j.kind);
    row.step = j.made_at;
    row.fires_at = j.fires_at;
    row.id = j.id;
    row.title = j.title;
    log.entries.push_back(std::move(row));
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
  const AfterAction record = gather_after_action(session);
  data.after_action = report_after_action(record);
  for (const AfterActionEntry& e : record.entries)
    if (e.kind == JournalEntry::Kind::adhoc) data.adhoc_titles.emplace_back(e.id, e.title);
  return data;
}

}  // namespace geosim
