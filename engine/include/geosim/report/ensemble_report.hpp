#pragma once
/// \file
/// Writing an ensemble's results: percentile bands and thresholds as CSV, a JSON summary, the
/// terminal summary, and the side-by-side comparison of several ensembles. Nothing written
/// depends on the number of threads the ensemble ran on.

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "geosim/core/ensemble.hpp"
#include "geosim/core/model_parameters.hpp"
#include "geosim/core/scenario.hpp"

namespace geosim {

/// Percentile bands, long format: `indicator,step,date,p5,p25,p50,p75,p95`, one row per
/// indicator and step (indicators in declaration order, then steps 0..steps).
void write_ensemble_csv(std::ostream& out, const Scenario& scenario, const EnsembleResult& result);

/// Thresholds: `indicator,direction,threshold,probability,crossed_runs,median_first_step,
/// median_first_date`, one row per declared threshold; the last two are empty when fewer than
/// half the runs cross.
void write_thresholds_csv(std::ostream& out, const Scenario& scenario, const EnsembleResult& result);

/// The summary record: scenario, policies, runs, seed, steps, parameter_sd, the ranges varied over
/// the runs (`vary`: [{parameter, low, high}], [] when none), every indicator's percentiles and
/// mean at the end, threshold probabilities, resemblance shares.
nlohmann::json ensemble_record(const Scenario& scenario, const EnsembleResult& result,
                               const std::vector<ParameterRange>& vary = {});

/// The terminal summary: each indicator's end median and 5-95 % band, each threshold's
/// probability and the first step by which half the runs cross it, resemblance shares.
std::string ensemble_summary(const Scenario& scenario, const EnsembleResult& result);

/// One scenario's ensemble in a comparison.
struct ComparedEnsemble {
  const Scenario* scenario = nullptr;
  const EnsembleResult* result = nullptr;
  std::string label;  ///< column heading and CSV `scenario` field; "" = the scenario's id
};

/// Scenarios side by side as an aligned table: per indicator (matched by id, in order of first
/// appearance), the end median and 5-95 % band; per threshold, its probability and the first
/// step by which half the runs cross it.
std::string comparison_table(const std::vector<ComparedEnsemble>& compared);

/// The paired effects of every column after the first against the first, per indicator both
/// have, at the end: run r minus run r of the first column (same seed, so the same draws),
/// as mean [5% .. 95%] and the share of runs whose difference has the mean's sign
/// (paired.hpp). "" when there is one column.
std::string paired_comparison_table(const std::vector<ComparedEnsemble>& compared);

/// With parameters varied over the runs (`--vary`): per column after the first and indicator,
/// which way the paired effect goes and the share of runs in which it keeps that sign, e.g.
/// "realignment+quiet-diplomacy lowers Vietnam–US tension (-0.0123): holds in 97 % of runs over
/// the ranges". "" when there is one column.
std::string paired_holds_text(const std::vector<ComparedEnsemble>& compared);

/// What a held run is, in the one wording the terminal, the files' notes and the report use.
inline constexpr const char* kHeldRunsMeaning =
    "a baseline had no settled value in [0, 1] for the run's drawn parameters and was held at 0 or 1";

/// "In N of M runs a baseline had no settled value ...\n" when runs of the ensemble held a
/// baseline at 0 or 1 (EnsembleResult::held_runs; ensemble_summary prints it), else "".
std::string held_runs_text(const EnsembleResult& result);
/// The same for each column of a comparison that has such runs, each line led by its name.
std::string held_runs_text(const std::vector<ComparedEnsemble>& compared);

/// The paired effects, long format: `column,reference,indicator,mean,p5,p95,sign_agreement`.
void write_paired_comparison_csv(std::ostream& out, const std::vector<ComparedEnsemble>& compared);

/// The comparison, long format: `scenario,indicator,p5,p25,p50,p75,p95,mean,runs,held_runs` at
/// the end (held_runs: the column's runs that held a baseline at 0 or 1, empty when not counted).
void write_comparison_csv(std::ostream& out, const std::vector<ComparedEnsemble>& compared);

/// Thresholds of the comparison: `scenario,indicator,direction,threshold,probability,
/// median_first_step`.
void write_comparison_thresholds_csv(std::ostream& out, const std::vector<ComparedEnsemble>& compared);

}  // namespace geosim
