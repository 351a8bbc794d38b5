// `geosim run`'s fast writers: the same bytes as the plain formatting (fmt's {:.6f}, nlohmann's
// dump(2)), and --relations' selection (gzip: tests/io/test_gzip.cpp).
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <geosim/core/run.hpp>
#include <geosim/io/escape.hpp>
#include <geosim/report/report.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

#include "support/builders.hpp"

namespace geosim {
namespace {

using testing::make_scenario;

TEST(RunFiles, SixDecimalsAreFmtsTextForEveryKindOfValue) {
  std::vector<double> values = {0.0,
                                -0.0,
                                1.0,
                                0.35,
                                0.1234565,
                                0.0000005,
                                -0.0000005,
                                0.0000004999,
                                -0.0000004,
                                999.9999995,
                                999.9999994,
                                1000.0,
                                -1000.5,
                                1e300,
                                -1e-300,
                                0.5e-6,
                                1.5e-6,
                                2.5e-6,
                                std::numeric_limits<double>::infinity(),
                                -std::numeric_limits<double>::infinity(),
                                std::numeric_limits<double>::quiet_NaN(),
                                std::nextafter(0.0000005, 1.0),
                                std::nextafter(0.0000005, 0.0),
                                0.1 + 0.2,
                                9.9999995,
                                9.9999994,
                                10.0,
                                -99.9999996,
                                100.0,
                                999.0,
                                -9.99999949,
                                123.456789};
  Rng rng(7);
  for (int k = 0; k < 200000; ++k) values.push_back(rng.uniform());
  for (int k = 0; k < 20000; ++k) values.push_back((rng.uniform() - 0.5) * 2000.0);
  // Values at and next to every half of the sixth decimal in [0, 0.01): the rounding boundary.
  for (int k = 0; k < 10000; ++k) {
    const double half = (k + 0.5) * 1e-6;
    for (double v : {half, std::nextafter(half, 1.0), std::nextafter(half, 0.0)}) values.push_back(v);
  }
  for (double v : values) {
    std::string mine;
    append_number6(mine, v);
    ASSERT_EQ(mine, fmt::format("{:.6f}", v)) << fmt::format("{:.17g}", v);
  }
}

/// Three actors, C–A without a relation, a moving A -> B.
struct Small {
  Scenario s = make_scenario({"A", "B", "C"}, 0.3, 0.1);
  RunResult result;
  Small() {
    s.absent.assign(9, 0);
    s.absent[2 * 3 + 0] = s.absent[0 * 3 + 2] = 1;
    s.tension[2 * 3 + 0] = s.tension[0 * 3 + 2] = s.baseline[2 * 3 + 0] = s.baseline[0 * 3 + 2] = 0.0;
    s.tie[2 * 3 + 0] = s.tie[0 * 3 + 2] = 0.0;
    s.steps = 4;
    s.events.push_back(testing::make_event(s, "shock", 1, "A", "B", 0.2));
    s.parameters.spillover = 0.05;
    result = run_scenario(s, {});
  }
};

TEST(RunFiles, TensionCsvAndRecordAreThePlainWritersBytes) {
  const Small w;
  // The plain writer, as it was: one fmt::format per row.
  std::string plain = "step,date,from,to,tension\n";
  for (std::size_t step = 0; step < w.result.tension.size(); ++step)
    for (std::size_t i = 0; i < 3; ++i)
      for (std::size_t j = 0; j < 3; ++j)
        if (i != j && w.s.has_relation(i, j))
          plain += fmt::format("{},{},{},{},{:.6f}\n", step, format_date(w.s.date_of_step(int(step))), w.s.actors[i].id,
                               w.s.actors[j].id, w.result.tension[step](Eigen::Index(i), Eigen::Index(j)));
  EXPECT_EQ(tension_csv(w.s, w.result), plain);
  EXPECT_EQ(plain.find("A,C"), std::string::npos);
  EXPECT_EQ(run_record_text(w.s, w.result, 3), run_record(w.s, w.result, 3).dump(2) + "\n");
  // No relation at all: an empty list, as dump writes it.
  Small none;
  none.s.absent.assign(9, 1);
  none.s.events.clear();
  none.result = run_scenario(none.s, {});
  EXPECT_EQ(run_record_text(none.s, none.result, 1), run_record(none.s, none.result, 1).dump(2) + "\n");
}

TEST(RunFiles, TensionCsvInPiecesIsTheWholeTextWithLongOddNames) {
  // 40 actors with ids of 32 bytes that CSV must quote, 200 steps: about 10 MB, so many pieces
  // of about 1 MiB, each ending on a row's end, joining into the plain writer's text.
  std::vector<std::string> ids;
  for (int k = 0; k < 40; ++k) ids.push_back(fmt::format("A\"{:02d},{}", k, std::string(27, char('a' + k % 26))));
  Scenario s = make_scenario(ids, 0.3, 0.1);
  s.steps = 200;
  s.events.push_back(testing::make_event(s, "shock", 1, ids[0], ids[1], 0.2));
  const RunResult result = run_scenario(s, {});
  std::string plain = "step,date,from,to,tension\n";
  for (std::size_t step = 0; step < result.tension.size(); ++step)
    for (std::size_t i = 0; i < ids.size(); ++i)
      for (std::size_t j = 0; j < ids.size(); ++j)
        if (i != j && s.has_relation(i, j))
          plain += fmt::format("{},{},{},{},{:.6f}\n", step, format_date(s.date_of_step(int(step))), csv_field(ids[i]),
                               csv_field(ids[j]), result.tension[step](Eigen::Index(i), Eigen::Index(j)));
  std::vector<std::string> pieces;
  EXPECT_TRUE(tension_csv_pieces(s, result, {}, [&](std::string_view piece) {
    pieces.emplace_back(piece);
    return true;
  }));
  ASSERT_GT(pieces.size(), 5u);
  std::string joined;
  for (const std::string& piece : pieces) {
    EXPECT_EQ(piece.back(), '\n');
    joined += piece;
  }
  EXPECT_EQ(joined, plain);
  // A sink that fails stops the writing at once.
  int calls = 0;
  EXPECT_FALSE(tension_csv_pieces(s, result, {}, [&](std::string_view) { return ++calls < 2; }));
  EXPECT_EQ(calls, 2);
}

TEST(RunFiles, RelationsKeepTheNamedRowsInTheFilesOrder) {
  const Small w;
  std::string error;
  auto rows = select_relations(w.s, w.result, "B-C,A/B", error);
  ASSERT_EQ(error, "");
  // Exactly the whole file's rows of A -> B, B -> C and C -> B, in its order.
  const std::string whole = tension_csv(w.s, w.result);
  std::string expected;
  for (std::size_t at = 0, end; (end = whole.find('\n', at)) != std::string::npos; at = end + 1) {
    const std::string line = whole.substr(at, end - at + 1);
    if (at == 0 || line.find(",A,B,") != std::string::npos || line.find(",B,C,") != std::string::npos ||
        line.find(",C,B,") != std::string::npos)
      expected += line;
  }
  EXPECT_EQ(tension_csv(w.s, w.result, rows), expected);
  EXPECT_EQ(std::count(expected.begin(), expected.end(), '\n'), 1 + 3 * 5);
  // top:1 is A -> B, the relation the shock moved.
  rows = select_relations(w.s, w.result, "top:1", error);
  ASSERT_EQ(error, "");
  EXPECT_EQ(rows, (std::vector<unsigned char>{0, 1, 0, 0, 0, 0, 0, 0, 0}));
  for (const char* bad : {"A/C", "A/A", "A/Z", "AB", "A>B", "top:0", "top:x", "top:", "", "A/B,"}) {
    error.clear();
    EXPECT_TRUE(select_relations(w.s, w.result, bad, error).empty()) << bad;
    EXPECT_NE(error, "") << bad;
  }
}

}  // namespace
}  // namespace geosim
