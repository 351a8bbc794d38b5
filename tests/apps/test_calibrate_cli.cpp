// End-to-end tests of `geosim calibrate`'s refusals: windows outside the series, too much work,
// a series whose steps are not the scenario's, and an actors file's problems named at the file.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <geosim/core/date.hpp>

#include "support/cli.hpp"

#include <filesystem>
#include <fstream>
#include <string>

namespace {
namespace fs = std::filesystem;

using geosim::testing::Output;
using geosim::testing::run_cli;
using geosim::testing::temp_dir;

// calibrate's windows: a step or date the series lacks is named, with the dates its rows carry.
TEST(CalibrateCli, ACalibrationWindowOutsideTheSeriesNamesTheSeriesDates) {
  const fs::path dir = temp_dir("calibrate_window");
  std::ofstream(dir / "o.csv") << "step,date,from,to,tension\n1,2025-08-08,VNM,USA,0.3\n3,2025-08-22,VNM,USA,0.35\n";
  const std::string head = "calibrate baseline --observed " + (dir / "o.csv").string();
  Output o = run_cli(head + " --train 1..9 --test 3..3 --out " + (dir / "c").string());
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(o.err,
            "geosim: error: --train: '9' is neither a step from 0 to 3 nor a date one of the series' rows "
            "carries; its rows are dated 2025-08-08 (step 1) to 2025-08-22 (step 3)\n");
  o = run_cli(head + " --train 2025-08-08..2025-08-15 --test 3..3 --out " + (dir / "c").string());
  EXPECT_NE(o.err.find("'2025-08-15' is neither"), std::string::npos) << o.err;
  o = run_cli(head + " --train 1-3 --test 3..3 --out " + (dir / "c").string());
  EXPECT_NE(o.err.find("--train: expected FROM..TO, each a step (0 to 3) or a date of the series, found '1-3'"),
            std::string::npos)
      << o.err;
  o = run_cli(head + " --train 1..3 --test 3..3 --fit spillover,,restraint.VNM --out " + (dir / "c").string());
  EXPECT_EQ(o.err,
            "geosim: error: --fit: expected parameter names between the commas, found an empty one in "
            "'spillover,,restraint.VNM'\n");
  EXPECT_FALSE(fs::exists(dir / "c"));
}

// calibrate's time is bounded up front, its iterations counted: a long series fitted for up to
// 10,000 iterations is refused before any work (each Jacobian alone is within its limit).
TEST(CalibrateCli, ACalibrationTooLongInAllIsRefusedUpFront) {
  const fs::path dir = temp_dir("calibrate_total");
  ASSERT_EQ(run_cli("run baseline --steps 1000 --out " + (dir / "obs").string()).code, 0);
  const Output o = run_cli("calibrate baseline --observed " + (dir / "obs" / "tension.csv").string() +
                           " --train 1..999 --test 999..1000 --max-iterations 10000 --out " + (dir / "c").string());
  EXPECT_EQ(o.code, 1);
  EXPECT_NE(o.err.find("for up to 10000 iterations is too much work (limit 4e+10 in all, about two minutes): use "
                       "fewer iterations (--max-iterations)"),
            std::string::npos)
      << o.err;
  EXPECT_FALSE(fs::exists(dir / "c"));
  fs::remove_all(dir);
}

// calibrate's memory is bounded up front too: a world of 245 states (251 actors with its six
// regional blocs), every dyad observed, restraint and reactivity of each and the spillover (503
// parameters) over a training window of 7 steps is within the work limit (7 * 251^2 * 504 =
// 2.22e8 < 4e8) but its Jacobian is 2 * 7 * 251 * 250 = 878,500 residuals by 503 parameters,
// 3,535,084,000 bytes = 3371 MiB: refused before any work (it ran out of memory after a minute).
TEST(CalibrateCli, ACalibrationWhoseJacobianWouldNotFitIsRefusedUpFront) {
  const fs::path dir = temp_dir("calibrate_memory");
  ASSERT_EQ(run_cli("world --states 245 --seed 1 --out " + (dir / "w.yaml").string()).code, 0);
  ASSERT_EQ(run_cli("run " + (dir / "w.yaml").string() + " --steps 9 --out " + (dir / "obs").string()).code, 0);
  const Output o =
      run_cli("calibrate " + (dir / "w.yaml").string() + " --observed " + (dir / "obs" / "tension.csv").string() +
              " --train 0..7 --test 7..8 --fit restraint,reactivity,spillover --out " + (dir / "c").string());
  EXPECT_EQ(o.code, 1);
  EXPECT_NE(o.err.find("fitting 503 parameters to 878500 residuals (two for each observed dyad-step of the training "
                       "window) needs a Jacobian of 3371 MiB, more than the limit of 1024 MiB"),
            std::string::npos)
      << o.err;
  EXPECT_EQ(o.err.find('\n'), o.err.size() - 1) << o.err;
  EXPECT_FALSE(fs::exists(dir / "c"));
  fs::remove_all(dir);
}

// Values the fit pushes to an end of [0, 1] are named in a caution: three baselines of pairs the
// sample's events never touch (Singapore and Russia, Singapore and Japan) barely act on the
// errors (0.0390 before and after), and the fit took each to 0 or 1 without a word before.
TEST(CalibrateCli, ValuesPushedToAnEndOfTheirRangeAreNamed) {
  const fs::path dir = temp_dir("calibrate_bounds");
  const std::string scenarios = std::string(GEOSIM_SOURCE_DIR) + "/scenarios";
  ASSERT_EQ(run_cli("ingest " + scenarios + "/events/sample.export.CSV --actors " + scenarios +
                    "/actors.yaml --from 2025-08-01 --to 2025-10-23 --out " + (dir / "events").string())
                .code,
            0);
  const std::string head = "calibrate " + scenarios + "/actors.yaml --observed " +
                           (dir / "events" / "tension.csv").string() + " --train 1..8 --test 8..12";
  const Output o =
      run_cli(head + " --fit baseline.SGP.RUS,baseline.RUS.SGP,baseline.SGP.JPN --out " + (dir / "c").string());
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_NE(o.out.find("  RMS error one step ahead 0.0390 -> 0.0390, over the whole window 0.1047 -> 0.1047\n"
                       "  Caution: baseline.RUS.SGP, baseline.SGP.JPN and baseline.SGP.RUS ended at an end of [0, 1], "
                       "where the fit pushed them"),
            std::string::npos)
      << o.out;
  // A value the fit leaves inside its range is not named.
  const Output inside = run_cli(head + " --fit restraint.VNM --out " + (dir / "v").string());
  ASSERT_EQ(inside.code, 0) << inside.err;
  EXPECT_EQ(inside.out.find("ended at an end"), std::string::npos) << inside.out;
  fs::remove_all(dir);
}

// A series whose steps are not the scenario's (monthly rows against weekly steps) is refused at
// its first date out of step, before any fit; an actors file (no step of its own) takes the
// series' steps, one length throughout.
TEST(CalibrateCli, ACalibrationSeriesOfOtherStepsIsRefused) {
  const fs::path dir = temp_dir("calibrate_steps");
  std::string monthly = "step,date,from,to,tension\n";
  for (int s = 1; s <= 5; ++s)  // the first of August to December 2025
    monthly += std::to_string(s) + ",2025-" + (s + 7 < 10 ? "0" : "") + std::to_string(s + 7) + "-01,VNM,USA,0.3\n";
  geosim::testing::spit(dir / "m.csv", monthly);
  Output o = run_cli("calibrate baseline --observed " + (dir / "m.csv").string() + " --train 1..4 --test 4..5 --out " +
                     (dir / "c").string());
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(o.err,
            (dir / "m.csv").string() +
                ":3:3: error: step 2 is dated 2025-09-01, 31 days after step 1's 2025-08-01; with the scenario's "
                "7-day steps it is 2025-08-08: a series' steps must be the scenario's (geosim ingest --step-days 7)\n");
  EXPECT_FALSE(fs::exists(dir / "c"));
  // Against the actors file: months are not all one length, so the series is refused as uneven.
  o = run_cli("calibrate " + std::string(GEOSIM_SOURCE_DIR) + "/scenarios/actors.yaml --observed " +
              (dir / "m.csv").string() + " --train 1..4 --test 4..5 --out " + (dir / "c").string());
  EXPECT_EQ(o.code, 1);
  EXPECT_NE(o.err.find(":4:3: error: step 3 is dated 2025-10-01, 30 days after step 2's 2025-09-01; with the series' "
                       "31-day steps it is 2025-10-02: a series' steps are all of one whole number of days"),
            std::string::npos)
      << o.err;
  fs::remove_all(dir);
}

// An actors file given to calibrate (or ingest) is loaded through a scenario written around it;
// that wrapper's own name and lines never reach a message: a problem of the file as a whole
// names the file.
TEST(CalibrateCli, AnActorsFilesProblemsNameTheFileNotItsWrapper) {
  const fs::path dir = temp_dir("actors_wrapper");
  geosim::testing::spit(dir / "k.yaml", "relations: []\n");
  geosim::testing::spit(dir / "o.csv", "step,date,from,to,tension\n1,2025-08-08,VNM,USA,0.3\n");
  const Output o = run_cli("calibrate " + (dir / "k.yaml").string() + " --observed " + (dir / "o.csv").string() +
                           " --train 1..1 --test 1..1 --out " + (dir / "c").string());
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(o.err, (dir / "k.yaml").string() +
                       ": error: missing key 'actors' (a list of at least two actors) in the scenario\n");
  fs::remove_all(dir);
}

// A fit to a series of 30-day steps, against the actors file (which declares no step), gives
// rates per 30 days: fitted.yaml says so, and a scenario of 7-day steps that includes it is
// refused at that line (read as weekly rates, they would be about four times too strong); a
// scenario of 30-day steps takes it.
TEST(CalibrateCli, FittedRatesCarryTheirStepAndAScenarioOfOtherStepsRefusesThem) {
  const fs::path dir = temp_dir("fitted_step");
  std::string monthly = "step,date,from,to,tension\n";
  const geosim::Date start = *geosim::parse_date("2025-08-01");
  for (int s = 0; s <= 12; ++s)
    monthly += fmt::format("{},{},VNM,USA,{}\n", s, geosim::format_date(geosim::add_days(start, 30 * s)),
                           0.3 + 0.01 * (s % 3));
  geosim::testing::spit(dir / "m.csv", monthly);
  const std::string actors = std::string(GEOSIM_SOURCE_DIR) + "/scenarios/actors.yaml";
  const Output o = run_cli("calibrate " + actors + " --observed " + (dir / "m.csv").string() +
                           " --train 0..8 --test 8..12 --fit restraint.VNM --out " + (dir / "c").string());
  ASSERT_EQ(o.code, 0) << o.err;
  const std::string fitted = geosim::testing::slurp(dir / "c" / "fitted.yaml");
  ASSERT_NE(fitted.find("\nfitted_step_days: 30\n"), std::string::npos) << fitted;
  std::size_t line = 1;  // the line of fitted_step_days in fitted.yaml
  for (std::size_t at = 0; at < fitted.find("fitted_step_days"); ++at) line += fitted[at] == '\n';
  auto scenario = [&](int step_days) {
    return fmt::format(
        "scenario:\n  id: s\n  title: S\n  start: 2025-08-01\n  step_days: {}\n  steps: 4\ninclude: [{}, {}]\n",
        step_days, actors, (dir / "c" / "fitted.yaml").string());
  };
  geosim::testing::spit(dir / "weekly.yaml", scenario(7));
  geosim::testing::spit(dir / "monthly.yaml", scenario(30));
  const Output weekly = run_cli("validate " + (dir / "weekly.yaml").string());
  EXPECT_EQ(weekly.code, 1);
  EXPECT_NE(weekly.err.find((dir / "c" / "fitted.yaml").string() + ":" + std::to_string(line) +
                            ":19: error: the fitted values are rates per 30-day step, and this scenario's steps are 7 "
                            "days: calibrate against a series of 7-day steps (geosim ingest --step-days 7)"),
            std::string::npos)
      << weekly.err;
  const Output fine = run_cli("validate " + (dir / "monthly.yaml").string());
  EXPECT_EQ(fine.code, 0) << fine.err;
  // An actors file that includes it has no step of its own: calibrated again, it is taken.
  geosim::testing::spit(dir / "fitted-actors.yaml",
                        fmt::format("include: [{}, {}]\n", actors, (dir / "c" / "fitted.yaml").string()));
  const Output again =
      run_cli("calibrate " + (dir / "fitted-actors.yaml").string() + " --observed " + (dir / "m.csv").string() +
              " --train 0..8 --test 8..12 --fit restraint.VNM --out " + (dir / "c2").string());
  EXPECT_EQ(again.code, 0) << again.err;
  fs::remove_all(dir);
}

}  // namespace
