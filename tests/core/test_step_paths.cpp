// The step's loops for small worlds (one compiled for each size under kSmallWorld actors, its
// elements a vector pack at a time) and the general loop against the step with a breakdown,
// which evaluates the same equations one element at a time: bit for bit, on random states with
// and without noise and absent pairs, at every small size and a few larger ones. And the
// indicators' precomputed plan (what an ensemble evaluates at every step) against
// evaluate_indicator. And the summaries' merge.

#include <geosim/core/dynamics.hpp>
#include <geosim/core/ensemble_partial.hpp>
#include <geosim/core/indicator.hpp>
#include <geosim/core/rng.hpp>
#include <geosim/core/state.hpp>
#include <geosim/core/step.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <iostream>
#include <iterator>

#include "core/leaf_sort.hpp"      // the leaves' sorting network, internal to the core
#include "core/small_step.hpp"     // the fused loop's two widths, internal to the core
#include "core/summary_merge.hpp"  // the summaries' merge, both ways, internal to the core
#include "support/builders.hpp"

using namespace geosim;

namespace {

using geosim::testing::random_world;
using geosim::testing::same_bits;

}  // namespace

TEST(StepPaths, EverySizeGivesTheBitsOfTheElementByElementStep) {
  for (int n : {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 21}) {
    for (double noise : {0.0, 0.05}) {
      for (bool absent : {false, true}) {
        const Scenario s = random_world(n, noise, absent, std::uint64_t(100 * n + (absent ? 1 : 0)));
        const Rng rng = Rng::for_run(7, 0);
        State fast = initial_state(s, rng), kept = fast, slow = fast;
        StepWorkspace workspace;
        for (int step = 1; step <= 6; ++step) {
          StepBreakdown breakdown;
          fast = advance(std::move(fast), s, rng).state;
          kept = advance(std::move(kept), s, rng, {}, nullptr, &workspace).state;
          slow = advance(std::move(slow), s, rng, {}, &breakdown).state;
          ASSERT_TRUE(same_bits(fast.tension, slow.tension))
              << n << " actors, noise " << noise << (absent ? ", absent pairs" : "") << ", step " << step;
          ASSERT_TRUE(same_bits(kept.tension, slow.tension)) << n << " actors with a workspace, noise " << noise
                                                             << (absent ? ", absent pairs" : "") << ", step " << step;
        }
      }
    }
  }
}

// A small world whose every pair has a relation steps through one fused loop (small_step.cpp):
// with whole columns of ties zero (every third actor: partners nobody leans on), the same bits
// as the step with a breakdown, at every size that has the loop, with a workspace kept across
// an event that changes a tie, with and without noise.
TEST(StepPaths, FusedSmallLoopGivesTheBitsOfTheElementByElementStep) {
  for (int n = 1; n < int(kSmallWorld); ++n) {
    for (double noise : {0.0, 0.05}) {
      Scenario s = random_world(n, noise, false, std::uint64_t(300 + n));
      const auto m = std::size_t(n);
      for (std::size_t k = 0; k < m; k += 3)
        for (std::size_t i = 0; i < m; ++i) s.tie[i * m + k] = 0.0;
      if (n >= 2) {  // at step 3, a tie to actor 0 appears: the partners change mid-run
        Event event;
        event.id = "tie";
        event.timing = Timing::at_step;
        event.step = 3;
        Effect effect;
        effect.from.actors = {1};
        effect.to.actors = {0};
        effect.tie = Magnitude{0.4, 0.0};
        event.effects.push_back(effect);
        s.events.push_back(event);
      }
      const Rng rng = Rng::for_run(9, 0);
      State kept = initial_state(s, rng), slow = kept;
      StepWorkspace workspace;
      for (int step = 1; step <= 6; ++step) {
        StepBreakdown breakdown;
        kept = advance(std::move(kept), s, rng, {}, nullptr, &workspace).state;
        slow = advance(std::move(slow), s, rng, {}, &breakdown).state;
        ASSERT_TRUE(same_bits(kept.tension, slow.tension)) << n << " actors, noise " << noise << ", step " << step;
      }
    }
  }
}

// The fused loop four doubles at a time (AVX2, where the processor has it) against two at a
// time (SSE2): the same bits, at every size (odd sizes end in a partial pack), with and without
// noise, on random tensions, baselines, answers and ties.
TEST(StepPaths, FusedLoopsOfBothWidthsGiveTheSameBits) {
  if (!detail::small_drift_has_avx2()) std::cout << "no AVX2 here: both runs take the SSE2 loop\n";
  for (int n = 1; n < int(kSmallWorld); ++n) {
    for (bool noisy : {false, true}) {
      const Scenario s = random_world(n, 0.0, false, std::uint64_t(500 + n));
      const State state = initial_state(s, Rng(2));
      TieStructure ties;
      build_tie_structure(ties, state.tie, s.parameters.spillover);
      Rng rng{std::uint64_t(n)};
      const Eigen::MatrixXd answer = geosim::testing::random_relations(rng, n);
      const Eigen::MatrixXd noise = 0.05 * geosim::testing::random_relations(rng, n);
      Eigen::ArrayXd restraint(n), reactivity(n);
      for (int i = 0; i < n; ++i)
        restraint(i) = s.actors[std::size_t(i)].restraint, reactivity(i) = s.actors[std::size_t(i)].reactivity;
      Eigen::MatrixXd next[2], next_answer[2];
      for (int w = 0; w < 2; ++w) {
        next[w].setConstant(n, n, -1.0);
        next_answer[w].setConstant(n, n, -1.0);
        detail::small_drift(
            {next[w].data(), state.tension.data(), state.baseline.data(), state.tie.data(), answer.data(),
             noisy ? noise.data() : nullptr, restraint.data(), reactivity.data(), next_answer[w].data()},
            ties, n, w == 0 ? detail::SmallDriftWidth::best : detail::SmallDriftWidth::sse2);
      }
      EXPECT_TRUE(same_bits(next[0], next[1])) << n << " actors" << (noisy ? ", noise" : "");
      EXPECT_TRUE(same_bits(next_answer[0], next_answer[1])) << n << " actors" << (noisy ? ", noise" : "");
      // Each width's answer is its own new tension's, by definition: answer(j, i) = next(i, j) -
      // B(i, j) (the diagonal's next +0, so its answer 0 - B(j, j)), the bits of that subtraction.
      for (int w = 0; w < 2; ++w) {
        Eigen::MatrixXd expected(n, n);
        for (int i = 0; i < n; ++i)
          for (int j = 0; j < n; ++j) expected(j, i) = next[w](i, j) - state.baseline(i, j);
        EXPECT_TRUE(same_bits(next_answer[w], expected))
            << n << " actors" << (noisy ? ", noise" : "") << ", width " << w;
        for (int i = 0; i < n; ++i) EXPECT_FALSE(std::signbit(next[w](i, i)) || next[w](i, i) != 0.0) << n << " actors";
      }
    }
  }
}

// The small worlds' dense spillover (a pack of rows at a time over every partner) against the
// sparse sums of larger worlds (only the non-zero ties), forced by a tie structure without its
// dense copy: the same bits at every size that has the dense path.
TEST(StepPaths, DenseSpilloverOfSmallWorldsEqualsTheSparseSums) {
  for (int n = 1; n < int(kSmallWorld); ++n) {
    for (bool absent : {false, true}) {
      const Scenario s = random_world(n, 0.0, absent, std::uint64_t(n));
      const State state = initial_state(s, Rng(1));
      TieStructure ties;
      build_tie_structure(ties, state.tie, s.parameters.spillover);
      ASSERT_EQ(ties.dense.cols(), n);
      Eigen::MatrixXd dense, sparse;
      spillover_into(dense, state.tension, state.tie, ties, s.absent);
      ties.dense.resize(0, 0);
      spillover_into(sparse, state.tension, state.tie, ties, s.absent);
      EXPECT_TRUE(same_bits(dense, sparse)) << n << " actors" << (absent ? ", absent pairs" : "");
    }
  }
}

TEST(StepPaths, IndicatorPlanGivesEvaluateIndicatorsBits) {
  Scenario s = random_world(7, 0.0, true, 3);
  s.actors[6].kind = ActorKind::organization;
  s.actors[6].members = {0, 1, 2, 4};
  auto add = [&](IndicatorKind kind, std::vector<std::pair<std::size_t, std::size_t>> relations) {
    Indicator indicator;
    indicator.id = "i" + std::to_string(s.indicators.size());
    indicator.kind = kind;
    indicator.relations = std::move(relations);
    indicator.organization = 6;
    s.indicators.push_back(indicator);
  };
  add(IndicatorKind::mean, {{0, 1}, {1, 0}, {3, 5}, {5, 3}, {2, 6}});
  add(IndicatorKind::max, {{0, 1}, {4, 2}, {6, 1}});
  add(IndicatorKind::mean, {});
  add(IndicatorKind::max, {});
  add(IndicatorKind::cohesion, {});  // members 0, 1, 2, 4 of 6, with the absent pairs 0–2 and 3–5
  const IndicatorPlan plan = plan_indicators(s);
  Rng rng(11);
  for (int trial = 0; trial < 50; ++trial) {
    const Eigen::MatrixXd t = geosim::testing::random_relations(rng, 7);
    std::vector<double> planned(s.indicators.size());
    evaluate_indicators(plan, t, planned.data());
    const std::vector<double> each = evaluate_indicators(s, t);
    ASSERT_EQ(std::memcmp(planned.data(), each.data(), sizeof(double) * each.size()), 0) << "trial " << trial;
  }
  // By hand, once: an empty mean is 0, an empty max 0.
  const Eigen::MatrixXd t = geosim::testing::random_relations(rng, 7);
  std::vector<double> planned(s.indicators.size());
  evaluate_indicators(plan, t, planned.data());
  EXPECT_EQ(planned[2], 0.0);
  EXPECT_EQ(planned[3], 0.0);
  EXPECT_DOUBLE_EQ(planned[0], (t(0, 1) + t(1, 0) + t(3, 5) + t(5, 3) + t(2, 6)) / 5.0);
}

// The same plan a whole run at a time: the tensions it reads kept step by step, every indicator
// evaluated over blocks of steps a pack at a time and the last few steps one at a time, bit for
// bit each step's evaluate_indicators, for numbers of steps below, at and past whole blocks.
TEST(StepPaths, IndicatorsOverStepsGiveEachStepsBits) {
  Scenario s = random_world(7, 0.0, true, 3);
  s.actors[6].kind = ActorKind::organization;
  s.actors[6].members = {0, 1, 2, 4};
  const std::vector<std::pair<IndicatorKind, std::vector<std::pair<std::size_t, std::size_t>>>> kinds = {
      {IndicatorKind::mean, {{0, 1}, {1, 0}, {3, 5}, {5, 3}, {2, 6}}},
      {IndicatorKind::max, {{0, 1}, {4, 2}, {6, 1}}},
      {IndicatorKind::mean, {}},
      {IndicatorKind::max, {}},
      {IndicatorKind::cohesion, {}},
      {IndicatorKind::max, {{3, 2}}}};
  for (const auto& [kind, relations] : kinds) {
    Indicator indicator;
    indicator.id = "i" + std::to_string(s.indicators.size());
    indicator.kind = kind;
    indicator.relations = relations;
    indicator.organization = 6;
    s.indicators.push_back(indicator);
  }
  const IndicatorPlan plan = plan_indicators(s);
  ASSERT_EQ(plan.input_terms.size(), plan.terms.size());
  for (std::size_t i = 0; i < plan.terms.size(); ++i) {  // the same positions, by index
    EXPECT_EQ(plan.inputs[std::size_t(plan.input_terms[i].first)], plan.terms[i].first);
    if (plan.terms[i].second >= 0) {
      EXPECT_EQ(plan.inputs[std::size_t(plan.input_terms[i].second)], plan.terms[i].second);
    }
  }
  const std::size_t k = s.indicators.size();
  Rng rng(13);
  for (std::size_t steps : {1, 2, 3, 8, 9, 16, 53}) {
    const std::size_t stride = steps + 4;  // room to spare: only the first `steps` are read
    std::vector<double> history(plan.inputs.size() * stride), over(steps * k), each(steps * k);
    for (std::size_t step = 0; step < steps; ++step) {
      Eigen::MatrixXd t = geosim::testing::random_relations(rng, 7);
      if (step % 3 == 1) t(3, 2) = t(0, 1) = 0.0;  // ties for max
      record_indicator_inputs(plan, t, step, history.data(), stride);
      evaluate_indicators(plan, t, each.data() + step * k);
    }
    evaluate_indicators_over_steps(plan, history.data(), stride, steps, over.data());
    EXPECT_EQ(std::memcmp(over.data(), each.data(), sizeof(double) * each.size()), 0) << steps << " steps";
  }
}

// Two summaries without compaction merge as std::merge does, both ways: a value at a time from
// both ends, and (sizes multiples of four, with AVX2) four at a time by the bitonic network, four
// columns at once and the last two alone; for sizes odd and even, unequal, and with many equal
// values.
TEST(StepPaths, SummariesMergeAsStdMerge) {
  Rng rng(3);
  for (bool scalar : {true, false}) {
    for (std::int64_t na : {1, 2, 4, 5, 8, 64, 65, 1024}) {
      for (std::int64_t nb : {1, 3, 4, 12, 64, 128}) {
        const std::size_t columns = 6;
        std::vector<double> left, right;
        for (auto [values, n] : {std::pair{&left, na}, std::pair{&right, nb}}) {
          // even columns: a few distinct values; odd columns: all distinct
          for (std::size_t c = 0; c < columns; ++c) {
            std::vector<double> v;
            for (std::int64_t r = 0; r < n; ++r)
              v.push_back(c % 2 == 0 ? double(rng.uniform_int(0, 3)) : rng.uniform());
            std::sort(v.begin(), v.end());
            values->insert(values->end(), v.begin(), v.end());
          }
        }
        std::vector<double> merged(columns * std::size_t(na + nb), -1.0);
        detail::merge_columns(left.data(), std::size_t(na), right.data(), std::size_t(nb), columns, merged.data(),
                              scalar);
        for (std::size_t c = 0; c < columns; ++c) {
          std::vector<double> expected;
          std::merge(left.begin() + std::ptrdiff_t(c * std::size_t(na)),
                     left.begin() + std::ptrdiff_t((c + 1) * std::size_t(na)),
                     right.begin() + std::ptrdiff_t(c * std::size_t(nb)),
                     right.begin() + std::ptrdiff_t((c + 1) * std::size_t(nb)), std::back_inserter(expected));
          const std::vector<double> got(merged.begin() + std::ptrdiff_t(c * std::size_t(na + nb)),
                                        merged.begin() + std::ptrdiff_t((c + 1) * std::size_t(na + nb)));
          EXPECT_EQ(got, expected) << na << " and " << nb << " values, column " << c << (scalar ? ", scalar" : "");
        }
      }
    }
  }
}

// A leaf's columns sorted by the sorting network over whole rows, four and two doubles at a
// time: each column's values are std::sort's, for any number of runs up to a chunk's (a short
// last chunk) and of columns (tails narrower than a pack), with many equal values.
TEST(StepPaths, LeafSortingNetworkGivesStdSortsColumns) {
  Rng rng(17);
  for (std::size_t runs : {1, 2, 3, 5, 16, 33, 63, 64}) {
    for (std::size_t columns : {1, 3, 4, 37, 530}) {
      std::vector<double> rows(runs * columns);
      for (std::size_t i = 0; i < rows.size(); ++i)
        rows[i] = i % 3 == 0 ? double(rng.uniform_int(0, 4)) / 4.0 : rng.uniform();
      for (bool sse2 : {false, true}) {
        std::vector<double> sorted = rows;
        detail::sort_columns(sorted.data(), runs, columns, sse2);
        for (std::size_t c = 0; c < columns; ++c) {
          std::vector<double> expected, got;
          for (std::size_t r = 0; r < runs; ++r) {
            expected.push_back(rows[r * columns + c]);
            got.push_back(sorted[r * columns + c]);
          }
          std::sort(expected.begin(), expected.end());
          ASSERT_EQ(got, expected) << runs << " runs, " << columns << " columns, column " << c
                                   << (sse2 ? ", SSE2" : "");
        }
      }
    }
  }
}

// The compaction of two summaries of equal runs (merge_columns_halved, four values at a time with
// AVX2): the merged values at even positions, as std::merge's result taken every other value.
TEST(StepPaths, HalvedMergeKeepsEveryOtherMergedValue) {
  Rng rng(5);
  for (std::size_t n : {4, 8, 12, 64, 2048}) {
    for (std::size_t columns : {1, 5, 8}) {
      std::vector<double> left, right;
      for (std::vector<double>* values : {&left, &right})
        for (std::size_t c = 0; c < columns; ++c) {
          std::vector<double> v;
          for (std::size_t r = 0; r < n; ++r) v.push_back(c % 2 == 0 ? double(rng.uniform_int(0, 3)) : rng.uniform());
          std::sort(v.begin(), v.end());
          values->insert(values->end(), v.begin(), v.end());
        }
      std::vector<double> kept(columns * n, -1.0);
      if (!detail::merge_columns_halved(left.data(), right.data(), n, columns, kept.data())) {
        std::cout << "no AVX2 here: the compaction takes the general path\n";
        return;
      }
      for (std::size_t c = 0; c < columns; ++c) {
        std::vector<double> merged, expected;
        std::merge(left.begin() + std::ptrdiff_t(c * n), left.begin() + std::ptrdiff_t((c + 1) * n),
                   right.begin() + std::ptrdiff_t(c * n), right.begin() + std::ptrdiff_t((c + 1) * n),
                   std::back_inserter(merged));
        for (std::size_t i = 0; i < merged.size(); i += 2) expected.push_back(merged[i]);
        const std::vector<double> got(kept.begin() + std::ptrdiff_t(c * n), kept.begin() + std::ptrdiff_t((c + 1) * n));
        EXPECT_EQ(got, expected) << n << " values, column " << c;
      }
    }
  }
}

// The leaves' transposition (sorted rows into the leaf's columns), blocks of four by four with
// AVX2 against one value at a time: every value where it belongs, at sizes with and without
// partial blocks.
TEST(StepPaths, LeafTranspositionPutsEveryValueInItsColumn) {
  for (std::size_t runs : {1, 3, 4, 7, 16, 64}) {
    for (std::size_t columns : {1, 4, 6, 37, 530}) {
      std::vector<double> rows(runs * columns);
      for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = double(i);
      for (bool scalar : {false, true}) {
        std::vector<double> out(runs * columns, -1.0);
        detail::transpose_rows(rows.data(), runs, columns, out.data(), scalar);
        for (std::size_t r = 0; r < runs; ++r)
          for (std::size_t c = 0; c < columns; ++c)
            ASSERT_EQ(out[c * runs + r], double(r * columns + c)) << runs << " runs, " << columns << " columns";
      }
    }
  }
}
