#include "geosim/core/paired.hpp"

#include <algorithm>

namespace geosim {

PairedSummary summarize_differences(std::vector<double> differences) {
  PairedSummary s;
  if (differences.empty()) return s;
  s.runs = static_cast<int>(differences.size());
  double sum = 0.0;
  for (double d : differences) sum += d;
  s.mean = sum / double(differences.size());
  std::size_t agree = 0;
  for (double d : differences)
    if ((s.mean > 0.0 && d > 0.0) || (s.mean < 0.0 && d < 0.0) || (s.mean == 0.0 && d == 0.0)) ++agree;
  s.sign_agreement = double(agree) / double(differences.size());
  const auto p = percentiles_type7(differences, {kPairedLowPercentile, kPairedHighPercentile});
  s.low = p[0];
  s.high = p[1];
  return s;
}

PairedSummary paired_summary(const std::vector<double>& with, const std::vector<double>& without) {
  const std::size_t n = std::min(with.size(), without.size());
  std::vector<double> d(n);
  for (std::size_t r = 0; r < n; ++r) d[r] = with[r] - without[r];
  return summarize_differences(std::move(d));
}

PairedSummary paired_end_effect(const EnsembleResult& with, std::size_t k_with, const EnsembleResult& without,
                                std::size_t k_without) {
  const std::size_t n = std::size_t(std::min(with.runs, without.runs));
  std::vector<double> d(n);
  for (std::size_t r = 0; r < n; ++r)
    d[r] = with.end[r * with.indicator_count + k_with] - without.end[r * without.indicator_count + k_without];
  return summarize_differences(std::move(d));
}

}  // namespace geosim
