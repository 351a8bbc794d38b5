#pragma once
/// \file
/// `ensemble --per-run FILE`: every run's indicator series, streamed to a CSV file as the runs
/// finish (in run order), gzip-compressed when FILE ends in ".gz". The file is written by the
/// rules of output_file.hpp: it appears, complete, only when finish() succeeds.
///
/// Columns: run,step,date,<indicator ids>; one row per run and step 0..steps, values with six
/// decimals as in `geosim run`'s indicators.csv (run r's rows are that file's rows of
/// `geosim run --seed S` when r = 0 and there is no parameter spread).

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "geosim/io/output_file.hpp"

namespace geosim {

struct Scenario;

class PerRunWriter {
 public:
  PerRunWriter();
  ~PerRunWriter();
  PerRunWriter(const PerRunWriter&) = delete;
  PerRunWriter& operator=(const PerRunWriter&) = delete;
  /// Opens `path` for runs of `steps` steps of `scenario` (kept by reference) and writes the
  /// header. "" or a one-line message.
  std::string open(const std::filesystem::path& path, const Scenario& scenario, int steps);
  /// Appends `count` runs from `first_run`, series [run][step][indicator] (EnsembleOptions::per_run).
  void write(int first_run, int count, const double* series);
  /// Completes the file and puts it in place. "" or the first error met.
  std::string finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace geosim
