// Absent relations (`absent: true`: a pair with no relation at all) and the friendly/hostile cut.
#include <geosim/analysis/analysis.hpp>
#include <geosim/core/dynamics.hpp>
#include <geosim/core/indicator.hpp>
#include <geosim/core/rng.hpp>
#include <geosim/core/run.hpp>
#include <geosim/core/step.hpp>
#include <geosim/io/loader.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>

#include <filesystem>
#include <fstream>
#include <set>

#include "support/builders.hpp"
#include "support/cli.hpp"

using namespace geosim;

namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

/// A hand-worked signed graph of six actors A..F with ten relations and five absent pairs:
///   friendly (0.2): A-B, A-C, B-C, D-E, E-F, and C-E (0.32, friendly at the default cut 0.5)
///   hostile  (0.8): A-D, B-E, C-F, D-F
///   absent:         A-E, A-F, B-D, B-F, C-D
/// Of the 20 triads only ABC, BCE, CEF and DEF have all three pairs. ABC has no hostile
/// relation; BCE (B-E), CEF (C-F) and DEF (D-F) have one each: 3 unbalanced triads of 4.
/// Blocs: the triangle A-B-C is all friendly, so A, B, C share a camp. BCE and DEF share no
/// relation, so at least two relations stay unbalanced; {A,B,C} | {D,E,F} leaves exactly two
/// (C-E friendly across the camps, D-F hostile within one) and is the only split that does:
/// leaving C-E and one of D-E, E-F unbalanced instead puts A and D (hostile) in one camp, or C
/// and F (hostile) in one camp.
const char* kSix = R"(scenario:
  id: six
  title: Six actors, five absent pairs
  start: 2025-01-01
  steps: 4
parameters:
  spillover: 0.1
  noise: 0.0
actors:
  - {id: A, name: A}
  - {id: B, name: B}
  - {id: C, name: C}
  - {id: D, name: D}
  - {id: E, name: E}
  - {id: F, name: F}
relations:
  - {between: [A, B], tension: 0.2, tie: 0.3}
  - {between: [A, C], tension: 0.2, tie: 0.3}
  - {between: [B, C], tension: 0.2}
  - {between: [D, E], tension: 0.2, tie: 0.4}
  - {between: [E, F], tension: 0.2}
  - {between: [C, E], tension: 0.32, tie: 0.2}
  - {between: [A, D], tension: 0.8}
  - {between: [B, E], tension: 0.8}
  - {between: [C, F], tension: 0.8}
  - {between: [D, F], tension: 0.8}
  - {between: [A, E], absent: true}
  - {between: [A, F], absent: true}
  - {between: [B, D], absent: true}
  - {between: [B, F], absent: true}
  - {between: [C, D], absent: true}
)";

Scenario load_text(const std::string& text) {
  LoadResult r = load_scenario_text(text, "six.yaml");
  EXPECT_TRUE(r.ok()) << (r.errors.empty() ? "" : r.errors.front().message);
  return r.ok() ? *r.scenario : Scenario{};
}

State start_of(const Scenario& s) {
  Rng rng(1);
  return initial_state(s, rng);
}

std::string triad_names(const Scenario& s, const Triad& t) {
  return s.actors[t.actors[0]].id + s.actors[t.actors[1]].id + s.actors[t.actors[2]].id;
}

/// The first error message of loading `text`, or "" when it loads.
std::string load_error(const std::string& text) {
  LoadResult r = load_scenario_text(text, "six.yaml");
  return r.errors.empty() ? "" : r.errors.front().message;
}

}  // namespace

// ---------------------------------------------------------------- format

TEST(Absent, AbsentPairsHaveNoTensionBaselineOrTie) {
  const Scenario s = load_text(kSix);
  ASSERT_EQ(s.actor_count(), 6u);
  const std::size_t a = *s.find_actor("A"), e = *s.find_actor("E"), b = *s.find_actor("B");
  EXPECT_FALSE(s.has_relation(a, e));
  EXPECT_FALSE(s.has_relation(e, a));
  EXPECT_TRUE(s.has_relation(a, b));
  EXPECT_EQ(s.tension[a * 6 + e], 0.0);
  EXPECT_EQ(s.baseline[e * 6 + a], 0.0);
  EXPECT_EQ(s.tie[a * 6 + e], 0.0);
  std::size_t absent = 0;
  for (unsigned char x : s.absent) absent += x;
  EXPECT_EQ(absent, 10u);  // five pairs, both directions
}

TEST(Absent, LoaderRefusesWhatAnAbsentPairCannotHave) {
  const std::string six = kSix;
  EXPECT_TRUE(has(load_error(six + "  - {between: [A, B], absent: true}\n"), "duplicate relation A -> B"));
  const std::string one_way =
      std::string(kSix).replace(six.find("{between: [C, D], absent: true}"), 31, "{from: C, to: D, absent: true}");
  EXPECT_TRUE(has(load_error(one_way), "expected 'between: [A, B]' with 'absent: true'"));
  const std::string with_tension = std::string(kSix).replace(six.find("{between: [C, D], absent: true}"), 31,
                                                             "{between: [C, D], absent: true, tension: 0.3}");
  EXPECT_TRUE(has(load_error(with_tension), "expected no 'tension' on an absent relation"));
  const std::string falsely =
      std::string(kSix).replace(six.find("{between: [C, D], absent: true}"), 31, "{between: [C, D], absent: false}");
  EXPECT_TRUE(has(load_error(falsely), "expected 'absent: true'"));
  // Events, indicators and conditions cannot name a pair that has no relation.
  EXPECT_TRUE(has(load_error(six + "events:\n  - id: x\n    title: x\n    step: 1\n    effects:\n"
                                   "      - {from: A, to: E, tension: 0.1}\n"),
                  "A–E, which has none (absent)"));
  EXPECT_TRUE(has(load_error(six + "indicators:\n  - {id: ae, kind: mean, relations: [[A, E]]}\n"),
                  "A–E, which has none (absent)"));
  EXPECT_TRUE(has(load_error(six + "events:\n  - id: x\n    title: x\n    step: 1\n    condition: tension(B, F) > 0.5\n"
                                   "    effects:\n      - {from: A, to: B, tension: 0.1}\n"),
                  "B–F, which has none (absent)"));
  std::string middle = six;
  middle.replace(middle.find("  noise: 0.0\n"), 13, "  noise: 0.0\n  balance_cut: middle\n");
  EXPECT_TRUE(has(load_error(middle), "'balance_cut' (or 'mean')"));
}

// ---------------------------------------------------------------- balance

TEST(Absent, SixActorTriadsAndBlocsMatchTheHandWorkedAnswer) {
  const Scenario s = load_text(kSix);
  const Analysis a = analyze(s, start_of(s));
  EXPECT_EQ(a.blocs.cut, 0.5);
  EXPECT_EQ(a.blocs.triads, 4u);
  EXPECT_EQ(a.blocs.relations, 10u);
  EXPECT_EQ(a.blocs.hostile, 4u);
  std::set<std::string> unbalanced;
  for (const Triad& t : a.blocs.unbalanced_triads) {
    EXPECT_EQ(t.hostile, 1);
    unbalanced.insert(triad_names(s, t));
  }
  EXPECT_EQ(unbalanced, (std::set<std::string>{"BCE", "CEF", "DEF"}));
  EXPECT_EQ(a.blocs.camp, (std::vector<int>{0, 0, 0, 1, 1, 1}));
  EXPECT_EQ(a.blocs.frustration, 2.0);
  EXPECT_EQ(a.blocs.unbalanced, (std::vector<std::pair<std::size_t, std::size_t>>{{2, 4}, {3, 5}}));
}

TEST(Absent, TheCutDecidesWhichRelationsAreHostile) {
  // At a cut of 0.3, C-E (0.32) turns hostile: BCE and CEF then have two hostile relations
  // (balanced) and only DEF stays unbalanced; {A,B,C} | {D,E,F} leaves only D-F unbalanced.
  std::string text = kSix;
  text.replace(text.find("  noise: 0.0\n"), 13, "  noise: 0.0\n  balance_cut: 0.3\n");
  const Scenario cut = load_text(text);
  EXPECT_EQ(cut.parameters.balance_cut, 0.3);
  const Analysis a = analyze(cut, start_of(cut));
  EXPECT_EQ(a.blocs.cut, 0.3);
  ASSERT_EQ(a.blocs.unbalanced_triads.size(), 1u);
  EXPECT_EQ(triad_names(cut, a.blocs.unbalanced_triads[0]), "DEF");
  EXPECT_EQ(a.blocs.frustration, 1.0);
  EXPECT_EQ(a.blocs.camp, (std::vector<int>{0, 0, 0, 1, 1, 1}));
  // An explicit cut overrides the scenario's.
  AnalysisOptions options;
  options.balance.cut = 0.5;
  EXPECT_EQ(analyze(cut, start_of(cut), options).blocs.unbalanced_triads.size(), 3u);
}

TEST(Absent, MeanCutIsTheMeanStartTensionOfThePairsWithARelation) {
  std::string text = kSix;
  text.replace(text.find("  noise: 0.0\n"), 13, "  noise: 0.0\n  balance_cut: mean\n");
  const Scenario s = load_text(text);
  // Ten relations: five at 0.2, one at 0.32, four at 0.8 -> (1.0 + 0.32 + 3.2) / 10.
  EXPECT_NEAR(s.parameters.balance_cut, 0.452, 1e-12);
}

TEST(Absent, WithoutAbsenceTheSamePairsWouldBeMiscounted) {
  // The same tensions with the five pairs given as friendly relations (0 tension, as an absent
  // pair's matrix entry reads): every one of the 20 triads is counted.
  const Scenario s = load_text(kSix);
  const Blocs all = find_blocs(start_of(s).tension);
  EXPECT_EQ(all.triads, 20u);
  EXPECT_NE(all.unbalanced_triads.size(), 3u);
}

// ---------------------------------------------------------------- dynamics

TEST(Absent, SpilloverSkipsPartnersWithoutARelationToTheTarget) {
  // A leans on B and D (0.5 each); B has no relation with C; D-C tension 0.9, A-C 0.3.
  // S_AC = sigma * W_AD (T_DC - T_AC) / max(1, W_AB + W_AD) = 0.1 * 0.5 * 0.6 = 0.03: B, which
  // has no stance toward C, passes nothing on (with B counted as friendly to C it would be
  // 0.1 * (0.5 * (0 - 0.3) + 0.5 * 0.6) = 0.015).
  Eigen::MatrixXd t = Eigen::MatrixXd::Constant(4, 4, 0.3), w = Eigen::MatrixXd::Zero(4, 4);
  t.diagonal().setZero();
  t(3, 2) = 0.9;
  t(1, 2) = t(2, 1) = 0.0;
  w(0, 1) = w(0, 3) = 0.5;
  std::vector<unsigned char> absent(16, 0);
  absent[1 * 4 + 2] = absent[2 * 4 + 1] = 1;
  const Eigen::MatrixXd s = spillover(t, w, 0.1, absent);
  EXPECT_NEAR(s(0, 2), 0.03, 1e-15);
  EXPECT_EQ(s(1, 2), 0.0);
  EXPECT_EQ(s(2, 1), 0.0);
  EXPECT_NEAR(spillover(t, w, 0.1)(0, 2), 0.015, 1e-15);
  double shares = 0.0;
  for (Eigen::Index k = 0; k < 4; ++k) shares += spillover_through(t, w, 0.1, 0, 2, k, absent);
  EXPECT_NEAR(shares, s(0, 2), 1e-15);
  EXPECT_EQ(spillover_through(t, w, 0.1, 0, 2, 1, absent), 0.0);
}

TEST(Absent, MaskedSpilloverMatchesTheDefinitionOnRandomNetworks) {
  Rng rng(11);
  for (int round = 0; round < 20; ++round) {
    const Eigen::Index n = 3 + round % 12;
    Eigen::MatrixXd t = geosim::testing::random_relations(rng, n), w = geosim::testing::random_relations(rng, n);
    std::vector<unsigned char> absent(std::size_t(n * n), 0);
    for (Eigen::Index i = 0; i < n; ++i)
      for (Eigen::Index j = i + 1; j < n; ++j)
        if (rng.uniform() < 0.3) {
          absent[std::size_t(i * n + j)] = absent[std::size_t(j * n + i)] = 1;
          t(i, j) = t(j, i) = w(i, j) = w(j, i) = 0.0;
        }
    const double sigma = 0.07;
    const Eigen::MatrixXd s = spillover(t, w, sigma, absent);
    for (Eigen::Index i = 0; i < n; ++i)
      for (Eigen::Index j = 0; j < n; ++j) {
        if (i == j || absent[std::size_t(i * n + j)]) {
          EXPECT_EQ(s(i, j), 0.0);
          continue;
        }
        double sum = 0.0, row = 0.0;
        for (Eigen::Index k = 0; k < n; ++k)
          if (k != i) row += w(i, k);
        for (Eigen::Index k = 0; k < n; ++k)
          if (k != i && k != j && !absent[std::size_t(k * n + j)]) sum += w(i, k) * (t(k, j) - t(i, j));
        EXPECT_NEAR(s(i, j), sigma * sum / std::max(1.0, row), 1e-14) << i << "," << j;
      }
  }
}

TEST(Absent, AnAbsentPairStaysAtZeroThroughNoiseAndSpillover) {
  std::string text = kSix;
  text.replace(text.find("  noise: 0.0\n"), 13, "  noise: 0.05\n");
  const Scenario s = load_text(text);
  const RunResult r = run_scenario(s, RunOptions{.seed = 3});
  const std::size_t n = s.actor_count();
  for (const Eigen::MatrixXd& t : r.tension)
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j)
        if (!s.has_relation(i, j)) {
          EXPECT_EQ(t(Eigen::Index(i), Eigen::Index(j)), 0.0);
        }
  // The relations that exist did move.
  EXPECT_NE(r.tension.back()(0, 1), r.tension.front()(0, 1));
}

TEST(Absent, CohesionCountsOnlyThePairsWithARelation) {
  Scenario s = geosim::testing::make_scenario({"X", "Y", "ORG"}, 0.4);
  s.actors[2].kind = ActorKind::organization;
  s.actors[2].members = {0, 1};
  s.absent.assign(9, 0);
  s.absent[0 * 3 + 1] = s.absent[1 * 3 + 0] = 1;
  Eigen::MatrixXd t = Eigen::MatrixXd::Constant(3, 3, 0.4);
  t.diagonal().setZero();
  t(0, 1) = t(1, 0) = 0.0;
  Indicator cohesion;
  cohesion.kind = IndicatorKind::cohesion;
  cohesion.organization = 2;
  // Only the four member-organisation relations, all 0.4: cohesion 0.6 (with X-Y read as 0, 0.733).
  EXPECT_NEAR(evaluate_indicator(cohesion, s, t), 0.6, 1e-15);
}

// ---------------------------------------------------------------- outputs

TEST(Absent, OutputsLeaveAbsentPairsOut) {
  namespace fs = std::filesystem;
  const fs::path dir = geosim::testing::temp_dir("absent");
  const fs::path file = dir / "six.yaml";
  std::ofstream(file) << kSix;
  const auto run = geosim::testing::run_cli("run " + file.string() + " --out " + (dir / "out").string());
  ASSERT_EQ(run.code, 0) << run.err;
  const std::string csv = geosim::testing::slurp(dir / "out" / "tension.csv");
  EXPECT_TRUE(has(csv, ",A,B,"));
  EXPECT_FALSE(has(csv, ",A,E,"));
  EXPECT_FALSE(has(csv, ",E,A,"));
  const auto record = nlohmann::json::parse(geosim::testing::slurp(dir / "out" / "run.json"), nullptr, false);
  ASSERT_FALSE(record.is_discarded());
  EXPECT_EQ(record["final"]["relations"].size(), 20u);  // 30 directed pairs, 10 of them absent
  for (const auto& r : record["final"]["relations"]) EXPECT_FALSE(r["from"] == "A" && r["to"] == "E");
  const auto csv_export = geosim::testing::run_cli("export " + file.string() + " --format csv");
  ASSERT_EQ(csv_export.code, 0) << csv_export.err;
  EXPECT_EQ(std::count(csv_export.out.begin(), csv_export.out.end(), '\n'), 21);  // header + 20
  EXPECT_FALSE(has(csv_export.out, "\nA,E,"));
  const auto dot = geosim::testing::run_cli("export " + file.string() + " --format dot");
  EXPECT_TRUE(has(dot.out, "A -> B: tension"));
  EXPECT_FALSE(has(dot.out, "A -> E: tension"));
  const auto graphml = geosim::testing::run_cli("export " + file.string() + " --format graphml");
  std::size_t edges = 0;
  for (std::size_t at = graphml.out.find("<edge "); at != std::string::npos; at = graphml.out.find("<edge ", at + 1))
    ++edges;
  EXPECT_EQ(edges, 20u);
  const auto exported =
      nlohmann::json::parse(geosim::testing::run_cli("export " + file.string() + " --format json").out, nullptr, false);
  ASSERT_FALSE(exported.is_discarded());
  EXPECT_EQ(exported["relations"].size(), 20u);
  const auto analysis = geosim::testing::run_cli("analyze " + file.string() + " --step 0 --cut 0.3");
  ASSERT_EQ(analysis.code, 0) << analysis.err;
  EXPECT_TRUE(has(analysis.out, "friendly = mean tension < 0.3"));
  EXPECT_TRUE(has(analysis.out, "unbalanced triads (odd number of hostile relations): 1 of 4"));
  EXPECT_TRUE(has(analysis.out, "5 of the 15 pairs have no relation"));
  const auto explained = geosim::testing::run_cli("explain " + file.string() + " A E");
  EXPECT_EQ(explained.code, 1);
  EXPECT_TRUE(has(explained.err, "A–E has no relation"));
}
