#pragma once
// The loader's tests (tests/io/test_loader*.cpp): a scenario head to write cases under, each case
// loaded with the positions of its markers, and assertions that a load failed cleanly with a
// diagnostic at a given file:line:col whose message has given words.
#include <gtest/gtest.h>
#include <unistd.h>
#include <geosim/io/loader.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace geosim::testing {

namespace fs = std::filesystem;
using ::testing::AssertionFailure;
using ::testing::AssertionResult;
using ::testing::AssertionSuccess;

const std::string kData = GEOSIM_TEST_DATA;
const std::string kBad = kData + "/bad";
const std::string kGood = kData + "/good";
const std::string kScenarios = GEOSIM_SCENARIOS_DIR;

// A runnable scenario with four actors, 11 lines: a case's body starts on line H + 1.
const std::string kHead = R"(scenario:
  id: t
  title: T
  start: 2025-08-01
  step_days: 7
  steps: 20
actors:
  - {id: VNM, name: Vietnam}
  - {id: PRK}
  - {id: SGP}
  - {id: ASEAN, kind: organization, members: [VNM, SGP]}
)";
constexpr int H = 11;
const std::string kKnownActors = "known actors: VNM, PRK, SGP, ASEAN";

// ---------------------------------------------------------------------------------------------
// Helpers

inline std::string dump(const LoadResult& r) {
  std::string out;
  for (std::size_t k = 0; k < r.errors.size() && k < 20; ++k) out += "\n    " + format_diagnostic(r.errors[k]);
  if (r.errors.size() > 20) out += "\n    ... " + std::to_string(r.errors.size() - 20) + " more";
  return out.empty() ? "\n    (no diagnostics)" : out;
}

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::string read_head(const std::string& path, std::size_t bytes) {
  std::ifstream in(path, std::ios::binary);
  std::string text(bytes, '\0');
  in.read(text.data(), std::streamsize(bytes));
  text.resize(std::size_t(in.gcount()));
  return text;
}

inline std::string repeat(const std::string& s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

/// Where a diagnostic should point. -1: not checked (not meaningful for this case).
struct At {
  std::string file;
  int line = -1;
  int column = -1;
};

/// One input: its text, the result of loading it, and where things stand in it.
struct Case {
  std::string file = "case.yaml";
  std::string text;
  std::size_t body = 0;  ///< where the part written by the test starts
  LoadResult result;

  /// Position of the `nth` occurrence of `marker` in the body: 1-based line, and column in
  /// characters (as an editor shows it).
  At at(const std::string& marker, int nth = 1) const {
    std::size_t p = body > 0 ? body - 1 : 0;
    for (int k = 0; k < nth; ++k) {
      p = text.find(marker, k == 0 && body == 0 ? 0 : p + 1);
      if (p == std::string::npos) {
        ADD_FAILURE() << "marker '" << marker << "' not in the case";
        return At{file, 0, 0};
      }
    }
    int line = 1, column = 1;
    for (std::size_t k = 0; k < p; ++k) {
      if (text[k] == '\n')
        line += 1, column = 1;
      else if ((static_cast<unsigned char>(text[k]) >> 6) != 0x2)
        ++column;
    }
    if (text.compare(0, 3, "\xEF\xBB\xBF") == 0 && line == 1) --column;  // the BOM
    return At{file, line, column};
  }
  /// Position just after `marker`.
  At after(const std::string& marker, int nth = 1) const {
    At a = at(marker, nth);
    for (unsigned char c : marker) a.column += (c >> 6) != 0x2;
    return a;
  }
};

/// kHead followed by `body`, loaded as case.yaml; includes resolve against tests/data/bad.
inline Case body(const std::string& text) {
  Case c;
  c.text = kHead + text;
  c.body = kHead.size();
  c.result = load_scenario_text(c.text, c.file, kBad);
  return c;
}

/// `text` alone, loaded as case.yaml.
inline Case raw(const std::string& text) {
  Case c;
  c.text = text;
  c.result = load_scenario_text(c.text, c.file, kBad);
  return c;
}

inline bool names_file(const std::string& reported, const std::string& expected) {
  if (reported == expected) return true;
  return reported.size() > expected.size() &&
         reported.compare(reported.size() - expected.size(), expected.size(), expected) == 0 &&
         reported[reported.size() - expected.size() - 1] == '/';
}

/// The load failed, gave no scenario, and every diagnostic is one line naming its file.
inline AssertionResult failed_cleanly(const LoadResult& r) {
  if (r.ok() || r.scenario.has_value())
    return AssertionFailure() << "expected the load to fail; it succeeded" << dump(r);
  if (r.errors.empty()) return AssertionFailure() << "the load failed without a diagnostic";
  for (const auto& d : r.errors) {
    if (d.file.empty() || d.message.empty() || d.line < 0 || d.column < 0 || (d.line > 0) != (d.column > 0))
      return AssertionFailure() << "malformed diagnostic: " << format_diagnostic(d) << dump(r);
    if (d.message.find('\n') != std::string::npos || d.message.find('\r') != std::string::npos)
      return AssertionFailure() << "diagnostic spans several lines:" << dump(r);
  }
  return AssertionSuccess();
}

inline bool matches(const Diagnostic& d, const At& at, const std::vector<std::string>& words) {
  if (!names_file(d.file, at.file)) return false;
  if (at.line >= 0 && d.line != at.line) return false;
  if (at.column >= 0 && d.column != at.column) return false;
  for (const auto& w : words)
    if (d.message.find(w) == std::string::npos) return false;
  return true;
}

inline std::string describe(const At& at, const std::vector<std::string>& words) {
  std::string out = at.file + ":" + (at.line < 0 ? "*" : std::to_string(at.line)) + ":" +
                    (at.column < 0 ? "*" : std::to_string(at.column)) + " with";
  for (const auto& w : words) out += " [" + w + "]";
  return out;
}

/// The load failed with a diagnostic at `at` whose message has every one of `words`.
inline AssertionResult fails_with(const LoadResult& r, const At& at, const std::vector<std::string>& words) {
  if (auto clean = failed_cleanly(r); !clean) return clean;
  for (const auto& d : r.errors)
    if (matches(d, at, words)) return AssertionSuccess();
  return AssertionFailure() << "expected a diagnostic at " << describe(at, words) << "; got" << dump(r);
}

/// As fails_with, and that diagnostic is the only one: one line for one problem.
inline AssertionResult fails_once(const LoadResult& r, const At& at, const std::vector<std::string>& words) {
  if (auto found = fails_with(r, at, words); !found) return found;
  if (r.errors.size() != 1)
    return AssertionFailure() << "expected exactly one diagnostic, " << describe(at, words) << "; got" << dump(r);
  return AssertionSuccess();
}

inline AssertionResult loads(const LoadResult& r) {
  if (r.ok() && r.scenario.has_value()) return AssertionSuccess();
  return AssertionFailure() << "expected the load to succeed; got" << dump(r);
}

/// Not meaningful for this case: just the file.
inline At anywhere(const std::string& file = "case.yaml") { return At{file, -1, -1}; }

inline double tension(const Scenario& s, const std::string& from, const std::string& to) {
  return s.tension[*s.find_actor(from) * s.actor_count() + *s.find_actor(to)];
}
inline double baseline(const Scenario& s, const std::string& from, const std::string& to) {
  return s.baseline[*s.find_actor(from) * s.actor_count() + *s.find_actor(to)];
}
inline double tie(const Scenario& s, const std::string& from, const std::string& to) {
  return s.tie[*s.find_actor(from) * s.actor_count() + *s.find_actor(to)];
}

/// A fresh folder under the system temp dir, removed at the end of the test.
struct TempDir {
  fs::path path;
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path = fs::temp_directory_path() /
           ("geosim_test_loader_" + std::string(info->name()) + "_" + std::to_string(::getpid()));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string write(const std::string& name, const std::string& text) const {
    const std::string p = (path / name).string();
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }
};

}  // namespace geosim::testing
