// The observed series calibrate reads (untrusted: every problem at file:line:col), and the
// `fitted:` block a calibrated scenario includes.
#include <gtest/gtest.h>
#include <geosim/core/model_parameters.hpp>
#include <geosim/io/loader.hpp>
#include <geosim/io/observed_series.hpp>

#include <fstream>
#include <sstream>

#include "support/builders.hpp"

namespace geosim {
namespace {

TEST(ObservedSeries, ReadsRowsIntoStepsAndDyads) {
  const Scenario s = testing::make_scenario({"AAA", "BBB", "CCC"});
  std::vector<Diagnostic> errors;
  const ObservedSeries o = parse_observed_series(
      "step,date,from,to,tension\n1,2025-08-08,AAA,BBB,0.25\r\n3,2025-08-22,CCC,AAA,1\n", "t.csv", s, errors);
  ASSERT_TRUE(errors.empty());
  EXPECT_EQ(o.last_step, 3);
  EXPECT_EQ(o.observations, 2u);
  EXPECT_DOUBLE_EQ(o.at(1, 0, 1), 0.25);
  EXPECT_DOUBLE_EQ(o.at(3, 2, 0), 1.0);
  EXPECT_FALSE(o.observed(1, 1, 0));
  EXPECT_FALSE(o.observed(2, 0, 1));
  EXPECT_EQ(observed_step(o, "2025-08-22"), 3);
  EXPECT_EQ(observed_step(o, "2"), 2);
  EXPECT_EQ(observed_step(o, "4"), -1);
  EXPECT_EQ(observed_step(o, "2025-08-15"), -1);  // no row carries it
}

// As a spreadsheet or pandas may save it: a byte order mark, quoted fields (RFC 4180: "" is a
// quote), CRLF line ends. The values read are those of the plain file.
TEST(ObservedSeries, ReadsQuotedFieldsAndAByteOrderMark) {
  const Scenario s = testing::make_scenario({"AAA", "BBB"});
  std::vector<Diagnostic> errors;
  const ObservedSeries o = parse_observed_series(
      "\xEF\xBB\xBF\"step\",\"date\",\"from\",\"to\",\"tension\"\r\n\"1\",\"2025-08-08\",\"AAA\",BBB,\"0.25\"\r\n",
      "t.csv", s, errors);
  ASSERT_TRUE(errors.empty()) << format_diagnostic(errors.front());
  EXPECT_EQ(o.observations, 1u);
  EXPECT_DOUBLE_EQ(o.at(1, 0, 1), 0.25);
  // A quoted field keeps its comma and its doubled quote, so it is one (unknown) actor; an open
  // quote and text after a closing one are placed at their column.
  parse_observed_series(
      "step,date,from,to,tension\n1,2025-08-08,\"A,\"\"A\",BBB,0.5\n1,2025-08-08,\"AAA,BBB,0.5\n"
      "1,2025-08-08,\"AAA\"x,BBB,0.5\n",
      "q.csv", s, errors);
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(format_diagnostic(errors[0]), "q.csv:2:14: error: unknown actor 'A,\"A' (not in the scenario)");
  EXPECT_EQ(format_diagnostic(errors[1]),
            "q.csv:3:14: error: expected a closing quote in this field, found the end of the line");
  EXPECT_EQ(format_diagnostic(errors[2]), "q.csv:4:19: error: expected a comma after a quoted field, found more text");
}

// Rows of a pair the scenario declares absent are left out and counted (the model has no tension
// there, so a fit or a backtest scored on them would be scored against nothing).
TEST(ObservedSeries, RowsOfAnAbsentPairAreLeftOutAndCounted) {
  Scenario s = testing::make_scenario({"AAA", "BBB", "CCC"});
  s.absent.assign(9, 0);
  s.absent[1 * 3 + 2] = s.absent[2 * 3 + 1] = 1;  // BBB-CCC
  std::vector<Diagnostic> errors;
  const ObservedSeries o = parse_observed_series(
      "step,date,from,to,tension\n1,2025-08-08,AAA,BBB,0.25\n1,2025-08-08,BBB,CCC,0.9\n2,2025-08-15,CCC,BBB,0.9\n",
      "t.csv", s, errors);
  ASSERT_TRUE(errors.empty());
  EXPECT_EQ(o.observations, 1u);
  EXPECT_EQ(o.absent_rows, 2u);
  EXPECT_EQ(o.first_absent, "BBB -> CCC");
  EXPECT_FALSE(o.observed(1, 1, 2));
}

// The dates rise with the steps, so that a window of dates never runs backwards: a step dated
// before (or as) an earlier step is named where its date is first written.
TEST(ObservedSeries, DatesRiseWithTheSteps) {
  const Scenario s = testing::make_scenario({"AAA", "BBB"});
  std::vector<Diagnostic> errors;
  parse_observed_series(
      "step,date,from,to,tension\n1,2025-08-08,AAA,BBB,0.25\n3,2025-08-01,AAA,BBB,0.3\n"
      "2,2025-08-15,AAA,BBB,0.3\n",
      "d.csv", s, errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(format_diagnostic(errors[0]),
            "d.csv:3:3: error: step 3 is dated 2025-08-01, not after step 2's 2025-08-15: a series' dates rise with "
            "its steps");
  errors.clear();
  parse_observed_series("step,date,from,to,tension\n1,2025-08-08,AAA,BBB,0.25\n100000,2025-08-08,AAA,BBB,0.3\n",
                        "e.csv", s, errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].line, 3);
  errors.clear();  // steps missing between: fine, as long as the dates are the steps' days apart
  parse_observed_series("step,date,from,to,tension\n1,2025-08-08,AAA,BBB,0.25\n5,2025-09-05,AAA,BBB,0.3\n", "f.csv", s,
                        errors);
  EXPECT_TRUE(errors.empty());
}

// A series of monthly steps (ingest --step-days 30) against a scenario of weekly ones would be
// fitted as if each month were a week: refused at the first date out of step, with the date the
// scenario's steps give (2025-08-08 + 7 days) and the ingest option that makes a matching series.
TEST(ObservedSeries, StepsMustBeTheScenariosLength) {
  Scenario s = testing::make_scenario({"AAA", "BBB"});
  ASSERT_EQ(s.step_days, 7);
  std::vector<Diagnostic> errors;
  parse_observed_series("step,date,from,to,tension\n1,2025-08-31,AAA,BBB,0.25\n2,2025-09-30,AAA,BBB,0.3\n", "m.csv", s,
                        errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(
      format_diagnostic(errors[0]),
      "m.csv:3:3: error: step 2 is dated 2025-09-30, 30 days after step 1's 2025-08-31; with the scenario's 7-day "
      "steps it is 2025-09-07: a series' steps must be the scenario's (geosim ingest --step-days 7)");
  errors.clear();  // the same series against a scenario of 30-day steps
  s.step_days = 30;
  parse_observed_series("step,date,from,to,tension\n1,2025-08-31,AAA,BBB,0.25\n2,2025-09-30,AAA,BBB,0.3\n", "m.csv", s,
                        errors);
  EXPECT_TRUE(errors.empty()) << format_diagnostic(errors.front());
  // Without a scenario's step (an actors file): the series' own, as its first gap gives it
  // (two steps in 60 days: 30 a step), the same throughout.
  s.step_days = 1;
  parse_observed_series(
      "step,date,from,to,tension\n1,2025-08-31,AAA,BBB,0.25\n3,2025-10-30,AAA,BBB,0.3\n"
      "4,2025-11-29,AAA,BBB,0.3\n",
      "o.csv", s, errors, kSeriesOwnSteps);
  EXPECT_TRUE(errors.empty()) << format_diagnostic(errors.front());
  parse_observed_series(
      "step,date,from,to,tension\n1,2025-08-31,AAA,BBB,0.25\n3,2025-10-30,AAA,BBB,0.3\n"
      "4,2025-12-01,AAA,BBB,0.3\n",
      "o.csv", s, errors, kSeriesOwnSteps);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(format_diagnostic(errors[0]),
            "o.csv:4:3: error: step 4 is dated 2025-12-01, 32 days after step 3's 2025-10-30; with the series' 30-day "
            "steps it is 2025-11-29: a series' steps are all of one whole number of days");
  // The series' step is the one most of its gaps give: a first gap that is the odd one out is
  // blamed where it is (the next gap, 7 days as the rest, is not).
  errors.clear();
  parse_observed_series(
      "step,date,from,to,tension\n0,2025-08-01,AAA,BBB,0.25\n1,2025-08-09,AAA,BBB,0.3\n"
      "2,2025-08-16,AAA,BBB,0.3\n3,2025-08-23,AAA,BBB,0.3\n",
      "f.csv", s, errors, kSeriesOwnSteps);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(format_diagnostic(errors[0]),
            "f.csv:3:3: error: step 1 is dated 2025-08-09, 8 days after step 0's 2025-08-01; with the series' 7-day "
            "steps it is 2025-08-08: a series' steps are all of one whole number of days");
  // A step so long that the date it gives is past any a series may carry: said so, not printed.
  errors.clear();
  parse_observed_series(
      "step,date,from,to,tension\n0,5000-01-01,AAA,BBB,0.25\n1,9999-01-01,AAA,BBB,0.3\n"
      "2,9999-12-31,AAA,BBB,0.3\n",
      "far.csv", s, errors, kSeriesOwnSteps);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(format_diagnostic(errors[0]).find("-day steps it is after 9999-12-31: a series' steps"), std::string::npos)
      << format_diagnostic(errors[0]);
  // Without a step of its own, steps sharing a date (or going back) are still refused, at once;
  // and a first gap that is no whole number of days a step is named as such.
  errors.clear();
  parse_observed_series(
      "step,date,from,to,tension\n0,2025-08-01,AAA,BBB,0.25\n1,2025-08-01,AAA,BBB,0.3\n"
      "2,2025-08-01,AAA,BBB,0.3\n",
      "s.csv", s, errors, kSeriesOwnSteps);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(format_diagnostic(errors[0]),
            "s.csv:3:3: error: step 1 is dated 2025-08-01, not after step 0's 2025-08-01: a series' dates rise with "
            "its steps");
  errors.clear();
  parse_observed_series("step,date,from,to,tension\n0,2025-08-01,AAA,BBB,0.25\n2,2025-08-04,AAA,BBB,0.3\n", "h.csv", s,
                        errors, kSeriesOwnSteps);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(format_diagnostic(errors[0]),
            "h.csv:3:3: error: step 2 is dated 2025-08-04, 3 days after step 0's 2025-08-01, "
            "for 2 steps: a series' steps are all of one whole number of days");
  errors.clear();  // one day: singular
  s.step_days = 7;
  parse_observed_series("step,date,from,to,tension\n0,2025-08-01,AAA,BBB,0.25\n1,2025-08-02,AAA,BBB,0.3\n", "d.csv", s,
                        errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(format_diagnostic(errors[0]).find("1 day after step 0's"), std::string::npos)
      << format_diagnostic(errors[0]);
}

TEST(ObservedSeries, EveryBadRowIsNamedByLineAndColumn) {
  const Scenario s = testing::make_scenario({"AAA", "BBB"});
  std::vector<Diagnostic> errors;
  parse_observed_series(
      "step,date,from,to,tension\n"
      "1,2025-08-08,AAA,BBB,0.5\n"
      "x,2025-08-08,AAA,BBB,0.5\n"
      "2,2025-08-1x,AAA,BBB,0.5\n"
      "2,2025-08-15,AAA,ZZZ,0.5\n"
      "2,2025-08-15,AAA,BBB,nan\n"
      "1,2025-08-09,BBB,AAA,0.5\n"
      "1,2025-08-08,AAA,BBB,0.4\n"
      "1,2025-08-08,AAA,BBB\n"
      "999999,2025-08-08,AAA,BBB,0.1\n",
      "t.csv", s, errors);
  ASSERT_EQ(errors.size(), 8u);
  auto at = [&](std::size_t k) { return std::to_string(errors[k].line) + ":" + std::to_string(errors[k].column); };
  EXPECT_EQ(at(0), "3:1");   // the step
  EXPECT_EQ(at(1), "4:3");   // the date
  EXPECT_EQ(at(2), "5:18");  // the actor
  EXPECT_EQ(at(3), "6:22");  // the tension
  EXPECT_EQ(at(4), "7:3");   // a step dated twice differently
  EXPECT_NE(errors[5].message.find("a second row"), std::string::npos);
  EXPECT_NE(errors[6].message.find("found 4"), std::string::npos);
  EXPECT_EQ(at(7), "10:1");
  std::vector<Diagnostic> header;
  parse_observed_series("step,from,to\n", "h.csv", s, header);
  ASSERT_EQ(header.size(), 1u);
  EXPECT_EQ(header[0].line, 1);
}

// Columns count characters, as an editor does: "HÀ" is two of them (three bytes), so 'ZZZ' starts
// at column 17, not at byte 18.
TEST(ObservedSeries, ColumnsCountCharacters) {
  const Scenario s = testing::make_scenario({"HÀ", "BBB"});  // an id the loader would refuse: the column is the point
  std::vector<Diagnostic> errors;
  parse_observed_series("step,date,from,to,tension\n1,2025-08-08,HÀ,ZZZ,0.5\n", "t.csv", s, errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].column, 17) << errors[0].message;
  EXPECT_NE(errors[0].message.find("unknown actor 'ZZZ'"), std::string::npos) << errors[0].message;
}

TEST(ObservedSeries, StepsBeyondTheLimitAreRefused) {
  const Scenario s = testing::make_scenario({"AAA", "BBB"});
  std::vector<Diagnostic> errors;
  const ObservedSeries o =
      parse_observed_series("step,date,from,to,tension\n100000,2025-08-08,AAA,BBB,0.5\n", "t.csv", s, errors);
  EXPECT_TRUE(errors.empty());  // the highest step allowed
  EXPECT_EQ(o.last_step, 100000);
  parse_observed_series("step,date,from,to,tension\n100001,2025-08-08,AAA,BBB,0.5\n", "t.csv", s, errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].message.find("from 0 to 100000"), std::string::npos);
}

TEST(FittedBlock, ReplacesTheActorsValuesAndRefusesUnknownNames) {
  const std::string actors =
      "scenario: {id: t, title: T, start: 2025-08-01, step_days: 7, steps: 4}\n"
      "actors:\n  - {id: AAA, name: A, restraint: 0.05}\n  - {id: BBB, name: B}\n"
      "relations:\n  - {between: [AAA, BBB], tension: 0.4}\n";
  LoadResult ok = load_scenario_text(
      actors + "fitted:\n  restraint.AAA: 0.2\n  spillover: 0.3\n  baseline.BBB.AAA: 0.7\nfitted_step_days: 7\n",
      "t.yaml", ".");
  ASSERT_TRUE(ok.ok());
  EXPECT_DOUBLE_EQ(ok.scenario->actors[0].restraint, 0.2);
  EXPECT_DOUBLE_EQ(ok.scenario->parameters.spillover, 0.3);
  EXPECT_DOUBLE_EQ(ok.scenario->baseline[1 * 2 + 0], 0.7);
  EXPECT_DOUBLE_EQ(ok.scenario->baseline[0 * 2 + 1], 0.4);
  LoadResult bad = load_scenario_text(
      actors + "fitted:\n  restraint.ZZZ: 0.2\n  baseline.AAA.AAA: 0.1\n  reactivity: 3\nfitted_step_days: 7\n",
      "t.yaml", ".");
  ASSERT_EQ(bad.errors.size(), 3u);
  EXPECT_EQ(bad.errors[0].line, 8);
  EXPECT_EQ(bad.errors[0].column, 3);
  EXPECT_NE(bad.errors[2].message.find("[0, 1]"), std::string::npos);
  // Rates without the step they were fitted to are refused, at the block; levels need no step.
  LoadResult unsaid = load_scenario_text(actors + "fitted:\n  reactivity: 0.2\n", "t.yaml", ".");
  ASSERT_EQ(unsaid.errors.size(), 1u);
  EXPECT_EQ(unsaid.errors[0].line, 8);
  EXPECT_EQ(unsaid.errors[0].message.substr(0, 60), "expected 'fitted_step_days: N' beside 'fitted:', the days of");
  EXPECT_NE(unsaid.errors[0].message.find("read as rates per 7-day step"), std::string::npos);
  EXPECT_TRUE(load_scenario_text(actors + "fitted:\n  baseline.BBB.AAA: 0.7\n", "t.yaml", ".").ok());
  // The example of docs/scenario-format.md loads over the shipped actors.
  std::ostringstream doc;
  doc << std::ifstream(std::string(GEOSIM_SOURCE_DIR) + "/docs/scenario-format.md").rdbuf();
  const std::size_t from = doc.str().find("```yaml\nfitted:\n");
  ASSERT_NE(from, std::string::npos);
  const std::string example = doc.str().substr(from + 8, doc.str().find("```", from + 8) - from - 8);
  const LoadResult shipped =
      load_scenario_text("scenario: {id: t, title: T, start: 2025-08-01, steps: 4}\ninclude: [actors.yaml]\n" + example,
                         "t.yaml", GEOSIM_SCENARIOS_DIR);
  EXPECT_TRUE(shipped.ok()) << example << (shipped.errors.empty() ? "" : shipped.errors.front().message);
}

TEST(ModelParameters, NamesRoundTripAndGroupsStandForTheirMembers) {
  Scenario s = testing::make_scenario({"AAA", "BBB", "CCC"});
  std::string error;
  for (const char* name : {"restraint.BBB", "reactivity.CCC", "spillover", "baseline.CCC.AAA"}) {
    const auto p = find_parameter(s, name, error);
    ASSERT_TRUE(p) << name << ": " << error;
    ASSERT_EQ(p->targets.size(), 1u);
    EXPECT_EQ(parameter_name(s, p->targets[0]), name);
  }
  const auto all = find_parameter(s, "baseline", error);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->targets.size(), 6u);
  set_parameter(s, *find_parameter(s, "restraint", error), 0.4);
  for (const auto& a : s.actors) EXPECT_EQ(a.restraint, 0.4);
  EXPECT_FALSE(find_parameter(s, "restrain.AAA", error));
  EXPECT_FALSE(find_parameter(s, "baseline.AAA", error));
}

// Two dates for one step: each later row is placed at its date and names the line whose date it
// differs from, so a wrong first row is found from any message (it was never named: the later,
// right rows were blamed; hostile report, 2026-12-03).
TEST(ObservedSeries, TwoDatesForAStepNameTheLineOfTheFirst) {
  const Scenario s = testing::make_scenario({"AAA", "BBB"});
  std::vector<Diagnostic> errors;
  parse_observed_series(
      "step,date,from,to,tension\n1,2025-09-08,AAA,BBB,0.2\n1,2025-08-08,BBB,AAA,0.3\n2,2025-08-15,AAA,BBB,0.2\n",
      "o.csv", s, errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(format_diagnostic(errors[0]),
            "o.csv:3:3: error: step 1 was dated 2025-09-08 on line 2, here 2025-08-08: one of the two dates is wrong");
}

}  // namespace
}  // namespace geosim
