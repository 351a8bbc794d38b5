// Two of the ensemble's inner loops alone, for the figures bench/ensemble-passes.md's ninth pass quotes:
// merge_columns (two summaries' columns merged, as the tree and the leaf blocks do) in and out
// of cache, and the small worlds' fused step (small_drift) at the shipped scenarios' 9 actors, at
// each width this processor runs.
#include <benchmark/benchmark.h>
#include <geosim/core/dynamics.hpp>
#include <geosim/core/rng.hpp>

#include <Eigen/Core>
#include <algorithm>
#include <utility>
#include <vector>

#include "core/small_step.hpp"
#include "core/summary_merge.hpp"

namespace {

/// Args: values a column on each side, columns. Both sides' columns ascending, of uniform
/// values; the time per merged value (2 x values x columns a merge).
void BM_MergeColumns(benchmark::State& bench) {
  const auto n = std::size_t(bench.range(0)), columns = std::size_t(bench.range(1));
  geosim::Rng rng(3);
  std::vector<double> a(n * columns), b(n * columns), out(2 * n * columns);
  for (double& v : a) v = rng.uniform();
  for (double& v : b) v = rng.uniform();
  for (std::size_t c = 0; c < columns; ++c) {
    std::sort(a.begin() + std::ptrdiff_t(c * n), a.begin() + std::ptrdiff_t((c + 1) * n));
    std::sort(b.begin() + std::ptrdiff_t(c * n), b.begin() + std::ptrdiff_t((c + 1) * n));
  }
  for (auto _ : bench) {
    geosim::detail::merge_columns(a.data(), n, b.data(), n, columns, out.data());
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  bench.counters["per_value"] = benchmark::Counter(
      double(2 * n * columns), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}
// In cache (4 columns, as a leaf block merges them), and a whole node's 530 columns (the
// baseline's 53 steps of 10 indicators) as the tree merged nodes before the leaf blocks.
BENCHMARK(BM_MergeColumns)->Args({64, 4})->Args({1024, 4})->Args({64, 530})->Args({256, 530})->Args({1024, 530});

/// Arg: the width (0: the widest this processor runs, AVX2 where it has it; 1: SSE2). Steps of 9
/// actors, every pair tied, from random tensions, ten a trajectory (each step's output the next
/// one's input; a new trajectory from the same start, so that no difference becomes subnormal);
/// the time per step.
void BM_SmallDrift(benchmark::State& bench) {
  constexpr int n = 9, kSteps = 10;
  geosim::Rng rng(5);
  Eigen::MatrixXd t0(n, n), b(n, n), tie(n, n), answer0(n, n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      t0(i, j) = i == j ? 0.0 : rng.uniform();
      b(i, j) = i == j ? 0.0 : rng.uniform();
      tie(i, j) = i == j ? 0.0 : rng.uniform();
    }
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) answer0(j, i) = t0(i, j) - b(i, j);
  Eigen::ArrayXd restraint(n), reactivity(n);
  for (int i = 0; i < n; ++i) restraint(i) = 0.1 * rng.uniform(), reactivity(i) = 0.1 * rng.uniform();
  geosim::TieStructure ties;
  geosim::build_tie_structure(ties, tie, 0.01);
  const auto width =
      bench.range(0) == 0 ? geosim::detail::SmallDriftWidth::best : geosim::detail::SmallDriftWidth::sse2;
  Eigen::MatrixXd t = t0, answer = answer0, next(n, n), next_answer(n, n);
  for (auto _ : bench) {
    t = t0;
    answer = answer0;
    for (int step = 0; step < kSteps; ++step) {
      geosim::detail::small_drift({next.data(), t.data(), b.data(), tie.data(), answer.data(), nullptr,
                                   restraint.data(), reactivity.data(), next_answer.data()},
                                  ties, n, width);
      t.swap(next);
      answer.swap(next_answer);
    }
    benchmark::DoNotOptimize(t.data());
  }
  bench.counters["per_step"] =
      benchmark::Counter(double(kSteps), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_SmallDrift)->Arg(0)->Arg(1);

}  // namespace
