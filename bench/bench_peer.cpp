// The engine's side of the peer comparison (bench/compare_peer.py runs both): the same work as
// bench/peer_step.py's `time` and `ensemble` modes, and the memory-bandwidth bound of a dense
// step, measured on the same machine.
#include <benchmark/benchmark.h>
#include <geosim/core/ensemble.hpp>
#include <geosim/core/rng.hpp>
#include <geosim/core/state.hpp>
#include <geosim/core/step.hpp>

#include <Eigen/Core>
#include <cstring>
#include <vector>

#include "synthetic_world.hpp"

namespace {

// Noise-free steps without events, in place, ten from the same start per iteration: exactly
// what the peer's `time` mode does. (Stepping on and on without noise relaxes every relation
// onto its baseline, and the differences become subnormal numbers, whose arithmetic is many
// times slower on x86: a benchmark that never resets measures that, not the model.)
constexpr int kStepsPerTrajectory = 10;

// The floating-point operations of one noise-free step at n actors with `ties` non-zero ties, as
// the equations are written (docs/model.md; engine/src/core/drift_large.cpp): per relation i->j,
// the spillover's closing (rowsum_i - W_ij) T_ij, sum - that, times scale_i (4), relaxation
// B - T, times r_i, T + that (3), reciprocity T_ji - B_ji, times k_i, + (3), + spillover (1), and
// the bounds' max and min (2): 13; and the spillover's sums, one multiply and one add per tie and
// output column: 2 ties n.
double step_flops(double n, double ties) { return 13.0 * n * (n - 1.0) + 2.0 * ties * n; }

// The steps as a run takes them: with a StepWorkspace, which keeps the tie structure and (below
// 16 actors) the transposed difference from one step to the next. Before timing, the trajectory is checked bit for bit
// against the same steps with a breakdown (the equations element by element, each term kept: the step's reference
// form): a mismatch stops the benchmark.
void drift_steps(benchmark::State& bench, int steps_per_trajectory) {
  const auto n = std::size_t(bench.range(0));
  geosim::Scenario world = geosim::bench::synthetic_world(n);
  world.parameters.noise = 0.0;
  world.events.clear();
  geosim::Rng rng(1);
  const geosim::State start = geosim::initial_state(world, rng);
  geosim::State state = start, fresh = start;
  geosim::StepWorkspace workspace;
  for (int step = 0; step < kStepsPerTrajectory; ++step) {
    state = geosim::advance(std::move(state), world, rng, {}, nullptr, &workspace).state;
    geosim::StepBreakdown breakdown;
    fresh = geosim::advance(std::move(fresh), world, rng, {}, &breakdown).state;
  }
  if (std::memcmp(state.tension.data(), fresh.tension.data(), n * n * sizeof(double)) != 0) {
    bench.SkipWithError("the step differs from the element-by-element step");
    return;
  }
  for (auto _ : bench) {
    state.tension = start.tension;  // into the same memory: the peer's T0.copy()
    workspace.reset();              // a new trajectory: nothing kept applies to it
    for (int step = 0; step < steps_per_trajectory; ++step)
      state = geosim::advance(std::move(state), world, rng, {}, nullptr, &workspace).state;
    benchmark::DoNotOptimize(state.tension.data());
  }
  const double ties = double((start.tie.array() != 0.0).count());
  bench.counters["ties"] = ties;
  bench.counters["flops_per_step"] = step_flops(double(n), ties);
  // Reported per step: the iteration's time over its steps.
  bench.SetItemsProcessed(bench.iterations() * steps_per_trajectory);
  bench.counters["us_per_step"] = benchmark::Counter(double(bench.iterations() * steps_per_trajectory),
                                                     benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

// Ten steps a trajectory, as the peer's `time` mode: each trajectory's first step also builds
// the tie structure.
void BM_DriftStep(benchmark::State& bench) { drift_steps(bench, kStepsPerTrajectory); }
BENCHMARK(BM_DriftStep)->Arg(7)->Arg(50)->Arg(200)->Arg(1000)->Arg(2000)->Unit(benchmark::kMicrosecond);

// A year of weekly steps a trajectory, as a run takes them (the workspace kept for all its
// steps): the first step's set-up spread over 52 steps instead of 10.
constexpr int kStepsPerYear = 52;
void BM_DriftYear(benchmark::State& bench) { drift_steps(bench, kStepsPerYear); }
BENCHMARK(BM_DriftYear)->Arg(200)->Arg(1000)->Arg(2000)->Unit(benchmark::kMicrosecond);

// 10,000 runs of a 52-step year at 7 actors with noise and a chance event each step, one thread.
void BM_Ensemble7(benchmark::State& bench) {
  const geosim::Scenario world = geosim::bench::synthetic_world(7, 52);
  geosim::EnsembleOptions options;
  options.runs = int(bench.range(0));
  options.threads = 1;
  for (auto _ : bench) {
    auto result = geosim::run_ensemble(world, options);
    benchmark::DoNotOptimize(result.runs);
  }
}
BENCHMARK(BM_Ensemble7)->Arg(10000)->Unit(benchmark::kMillisecond)->Iterations(3);

// The floor for a dense step at n actors: stream the three matrices a step must read (tension,
// baseline, ties) and write the new tension once; no model can move less memory.
void BM_StreamBound(benchmark::State& bench) {
  const auto size = std::size_t(bench.range(0)) * std::size_t(bench.range(0));
  std::vector<double> t(size, 0.5), b(size, 0.25), w(size, 0.125), next(size, 0.0);
  for (auto _ : bench) {
    for (std::size_t i = 0; i < size; ++i) next[i] = t[i] + b[i] + w[i];
    benchmark::DoNotOptimize(next.data());
    benchmark::ClobberMemory();
  }
  bench.SetBytesProcessed(bench.iterations() * std::int64_t(4 * size * sizeof(double)));
}
BENCHMARK(BM_StreamBound)->Arg(200)->Arg(1000)->Arg(2000)->Unit(benchmark::kMicrosecond);

// The arithmetic floor's rate: an Eigen product (n x 64) (64 x n), whose n x n result is the
// step's shape, in the same build (so with the same instruction set: SSE2 unless the build says
// otherwise); 2 * 64 * n^2 flops. The step's floor is its flop count (step_flops) at this rate.
void BM_FlopBound(benchmark::State& bench) {
  const Eigen::Index n = bench.range(0), depth = 64;
  const Eigen::MatrixXd a = Eigen::MatrixXd::Constant(n, depth, 0.5), b = Eigen::MatrixXd::Constant(depth, n, 0.25);
  Eigen::MatrixXd c(n, n);
  for (auto _ : bench) {
    c.noalias() = a * b;
    benchmark::DoNotOptimize(c.data());
    benchmark::ClobberMemory();
  }
  const double flops = 2.0 * double(depth) * double(n) * double(n);
  bench.counters["flops"] = flops;
  bench.counters["flop_rate"] = benchmark::Counter(flops * double(bench.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_FlopBound)->Arg(200)->Arg(1000)->Arg(2000)->Unit(benchmark::kMicrosecond);

}  // namespace
