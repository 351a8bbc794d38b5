// Loader tests: a malformed or inconsistent file gets one clear line per problem naming the
// file, line and column, what was expected and what was found; a valid file loads with the
// right values. Never a crash, a hang or a silently accepted typo.
#include <geosim/io/cameo.hpp>
#include <geosim/io/loader.hpp>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "support/builders.hpp"

namespace geosim {
namespace {

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

std::string dump(const LoadResult& r) {
  std::string out;
  for (std::size_t k = 0; k < r.errors.size() && k < 20; ++k)
    out += "\n    " + format_diagnostic(r.errors[k]);
  if (r.errors.size() > 20) out += "\n    ... " + std::to_string(r.errors.size() - 20) + " more";
  return out.empty() ? "\n    (no diagnostics)" : out;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string read_head(const std::string& path, std::size_t bytes) {
  std::ifstream in(path, std::ios::binary);
  std::string text(bytes, '\0');
  in.read(text.data(), std::streamsize(bytes));
  text.resize(std::size_t(in.gcount()));
  return text;
}

std::string repeat(const std::string& s, std::size_t n) {
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
      if (text[k] == '\n') line += 1, column = 1;
      else if ((static_cast<unsigned char>(text[k]) >> 6) != 0x2) ++column;
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
Case body(const std::string& text) {
  Case c;
  c.text = kHead + text;
  c.body = kHead.size();
  c.result = load_scenario_text(c.text, c.file, kBad);
  return c;
}

/// `text` alone, loaded as case.yaml.
Case raw(const std::string& text) {
  Case c;
  c.text = text;
  c.result = load_scenario_text(c.text, c.file, kBad);
  return c;
}

bool names_file(const std::string& reported, const std::string& expected) {
  if (reported == expected) return true;
  return reported.size() > expected.size() &&
         reported.compare(reported.size() - expected.size(), expected.size(), expected) == 0 &&
         reported[reported.size() - expected.size() - 1] == '/';
}

/// The load failed, gave no scenario, and every diagnostic is one line naming its file.
AssertionResult failed_cleanly(const LoadResult& r) {
  if (r.ok() || r.scenario.has_value())
    return AssertionFailure() << "expected the load to fail; it succeeded" << dump(r);
  if (r.errors.empty()) return AssertionFailure() << "the load failed without a diagnostic";
  for (const auto& d : r.errors) {
    if (d.file.empty() || d.message.empty() || d.line < 0 || d.column < 0 ||
        (d.line > 0) != (d.column > 0))
      return AssertionFailure() << "malformed diagnostic: " << format_diagnostic(d) << dump(r);
    if (d.message.find('\n') != std::string::npos || d.message.find('\r') != std::string::npos)
      return AssertionFailure() << "diagnostic spans several lines:" << dump(r);
  }
  return AssertionSuccess();
}

bool matches(const Diagnostic& d, const At& at, const std::vector<std::string>& words) {
  if (!names_file(d.file, at.file)) return false;
  if (at.line >= 0 && d.line != at.line) return false;
  if (at.column >= 0 && d.column != at.column) return false;
  for (const auto& w : words)
    if (d.message.find(w) == std::string::npos) return false;
  return true;
}

std::string describe(const At& at, const std::vector<std::string>& words) {
  std::string out = at.file + ":" + (at.line < 0 ? "*" : std::to_string(at.line)) + ":" +
                    (at.column < 0 ? "*" : std::to_string(at.column)) + " with";
  for (const auto& w : words) out += " [" + w + "]";
  return out;
}

/// The load failed with a diagnostic at `at` whose message has every one of `words`.
AssertionResult fails_with(const LoadResult& r, const At& at, const std::vector<std::string>& words) {
  if (auto clean = failed_cleanly(r); !clean) return clean;
  for (const auto& d : r.errors)
    if (matches(d, at, words)) return AssertionSuccess();
  return AssertionFailure() << "expected a diagnostic at " << describe(at, words) << "; got"
                            << dump(r);
}

/// As fails_with, and that diagnostic is the only one: one line for one problem.
AssertionResult fails_once(const LoadResult& r, const At& at, const std::vector<std::string>& words) {
  if (auto found = fails_with(r, at, words); !found) return found;
  if (r.errors.size() != 1)
    return AssertionFailure() << "expected exactly one diagnostic, " << describe(at, words)
                              << "; got" << dump(r);
  return AssertionSuccess();
}

AssertionResult loads(const LoadResult& r) {
  if (r.ok() && r.scenario.has_value()) return AssertionSuccess();
  return AssertionFailure() << "expected the load to succeed; got" << dump(r);
}

/// Not meaningful for this case: just the file.
At anywhere(const std::string& file = "case.yaml") { return At{file, -1, -1}; }

double tension(const Scenario& s, const std::string& from, const std::string& to) {
  return s.tension[*s.find_actor(from) * s.actor_count() + *s.find_actor(to)];
}
double baseline(const Scenario& s, const std::string& from, const std::string& to) {
  return s.baseline[*s.find_actor(from) * s.actor_count() + *s.find_actor(to)];
}
double tie(const Scenario& s, const std::string& from, const std::string& to) {
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


// ---------------------------------------------------------------------------------------------
// YAML syntax

TEST(LoaderSyntax, UnclosedFlowList) {
  auto c = body("relations: [ {between: [VNM, PRK], tension: 0.3 }\nevents: []\n");
  EXPECT_TRUE(fails_once(c.result, c.at("events"), {"invalid YAML: expected ',' or ']' in a [ ] list", "found 'events:'"}));
}

TEST(LoaderSyntax, UnclosedFlowMapping) {
  auto c = raw("scenario: {id: t\nactors: []\n");
  EXPECT_TRUE(fails_once(c.result, c.at(": []"), {"invalid YAML: expected ',' or '}' in a { } mapping", "found ':'"}));
}

TEST(LoaderSyntax, BadIndentation) {
  auto c = body("relations:\n  - between: [VNM, PRK]\n   tension: 0.3\n");
  EXPECT_TRUE(fails_once(c.result, c.at("tension"), {"invalid YAML: expected the next '- ' item", "found 'tension:'", "check the indentation"}));
  c = body("  bad: x\nrelations: []\n");
  EXPECT_TRUE(fails_once(c.result, c.at("bad"), {"invalid YAML: expected the next 'key: value'", "found 'bad:'", "check the indentation"}));
  c = body("relations:\n  - between: [VNM, PRK] tension: 0.3\n");
  EXPECT_TRUE(fails_once(c.result, c.at("tension"), {"invalid YAML: expected", "found 'tension:'"}));
}

TEST(LoaderSyntax, UnterminatedQuote) {
  auto c = body("relations:\n  - between: [VNM, PRK]\n    tension: \"0.3\n");
  EXPECT_TRUE(fails_once(c.result, c.after("\"0.3"), {"invalid YAML: expected the closing quote", "found the end of the file"}));
  // yaml-cpp alone would take the rest of the file into the title, and lose `step`.
  c = body("events:\n  - id: a\n    title: \"Visit\n    step: 3\n\n");
  EXPECT_TRUE(fails_once(c.result, c.after("step: 3"), {"expected the closing quote", "found the end of the file"}));
  c = body("events:\n  - id: a\n    title: 'Visit\n    step: 3\n# the end\n");
  EXPECT_TRUE(fails_once(c.result, c.after("# the end"), {"expected the closing quote", "found the end of the file"}));
}

TEST(LoaderSyntax, UnknownAliasAndBadEscape) {
  auto c = body("relations: [*nothing]\n");
  EXPECT_TRUE(fails_once(c.result, c.at("*nothing"), {"invalid YAML: expected an alias (*name) of an anchor (&name) defined before it", "found '*nothing'"}));
  c = body("relations:\n  - {between: [VNM, PRK], tension: 0.3, note: \"a \\q b\"}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("\\q"), {"invalid YAML: expected an escape such as", "found '\\q'"}));
}

TEST(LoaderSyntax, SecondDocumentIsRefused) {
  auto c = body("---\nevents: []\n");
  EXPECT_TRUE(fails_once(c.result, c.at("---"), {"expected one YAML document", "found a second one"}));
  // After a document end marker, anything but comments is a second document, which yaml-cpp
  // would silently drop.
  c = body("...\n# a comment is fine\nevents: []\n");
  EXPECT_TRUE(fails_once(c.result, c.at("events"), {"expected one YAML document", "found a second one"}));
  c = body("...\n  - {id: a}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("-"), {"expected one YAML document"}));
  // One document with explicit markers and a directive is fine.
  EXPECT_TRUE(loads(raw("---\n" + kHead + "...\n# end\n").result));
  EXPECT_TRUE(loads(raw("%YAML 1.2\n---\n" + kHead).result));
}

TEST(LoaderSyntax, EmptyFile) {
  for (const std::string text : {"", "\n\n", "# only a comment\n", "   \n", "---\n", "~\n"}) {
    SCOPED_TRACE("text: '" + text + "'");
    EXPECT_TRUE(fails_once(raw(text).result, anywhere(), {"expected a scenario", "found an empty document"}));
  }
}

TEST(LoaderSyntax, NotAMapping) {
  EXPECT_TRUE(fails_once(raw("hello\n").result, At{"case.yaml", 1, 1}, {"expected a scenario file as a mapping", "found 'hello'"}));
  EXPECT_TRUE(fails_once(raw("- a\n- b\n").result, At{"case.yaml", 1, 1}, {"expected a scenario file as a mapping", "found a list"}));
}

TEST(LoaderSyntax, TabIndentationIsNamed) {
  auto c = raw("scenario:\n\tid: t\n\ttitle: T\n");
  EXPECT_TRUE(fails_once(c.result, c.at("\tid"), {"invalid YAML: expected spaces for indentation", "found a tab"}));
  c = body("relations:\n\t- between: [VNM, PRK]\n\t  tension: 0.3\n");
  EXPECT_TRUE(fails_once(c.result, c.at("\t-"), {"expected spaces for indentation", "found a tab"}));
  c = body("relations:\n  - between: [VNM, PRK]\n  \ttension: 0.3\n");
  EXPECT_TRUE(fails_once(c.result, c.at("\ttension"), {"expected spaces for indentation", "found a tab"}));
  c = body("relations:\n  - between: [VNM, PRK]\n    tension: 0.3\n\t\nevents: []\n");
  EXPECT_TRUE(fails_once(c.result, c.at("\t"), {"expected spaces for indentation", "found a tab"}));
  // A tab between key and value is allowed by YAML.
  EXPECT_TRUE(loads(body("relations:\n  - between: [VNM, PRK]\n    tension:\t0.3\n").result));
}

// ---------------------------------------------------------------------------------------------
// Encoding and hostile input

TEST(LoaderInput, InvalidUtf8) {
  auto c = body("relations:\n  - {note: \"Vi\xC3\x28t\", between: [VNM, PRK], tension: 0.3}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("\xC3"), {"expected UTF-8 text", "found an invalid byte (0xC3)"}));
  // UTF-16 is not UTF-8.
  c = raw(std::string("\xFF\xFEs\0c\0", 6));
  EXPECT_TRUE(fails_once(c.result, At{"case.yaml", 1, 1}, {"expected UTF-8 text", "found an invalid byte (0xFF)"}));
  // Nor are encoded surrogates, overlong forms and code points above U+10FFFF.
  for (const std::string bad : {"\xED\xA0\x80", "\xE0\x80\xAF", "\xC0\xAF", "\xF0\x80\x80\xAF", "\xF4\x90\x80\x80", "\xF8\x88\x80\x80\x80"}) {
    c = body("relations:\n  - {note: \"ab" + bad + "\", between: [VNM, PRK], tension: 0.3}\n");
    EXPECT_TRUE(fails_once(c.result, c.at(bad.substr(0, 1)), {"expected UTF-8 text", "found an invalid byte (0x"}));
  }
  // Valid UTF-8 of every length is text.
  EXPECT_TRUE(loads(body("relations:\n  - {note: \"é – 東 😀\", between: [VNM, PRK], tension: 0.3}\n").result));
}

TEST(LoaderInput, ControlCharactersAndBinaryNoise) {
  auto c = raw(std::string("scenario:\n  id: t\0x\n", 19));
  EXPECT_TRUE(fails_once(c.result, At{"case.yaml", 2, 8}, {"expected text", "found a control character (0x00)"}));
  auto r = load_scenario_text(read_head(GEOSIM_BINARY, 4096), "geosim.bin", kBad);
  EXPECT_TRUE(fails_once(r, At{"geosim.bin", 1, -1}, {"expected", "found", "binary"}));
  // Random bytes: always a clean failure.
  std::mt19937 rng(42);
  for (int k = 0; k < 200; ++k) {
    std::string noise(1 + rng() % 512, '\0');
    for (auto& ch : noise) ch = char(rng());
    ASSERT_TRUE(failed_cleanly(load_scenario_text(noise, "noise.yaml", kBad))) << "noise #" << k;
  }
}

TEST(LoaderInput, MutatedValidFilesNeverCrash) {
  // Byte flips, insertions and deletions in a valid file: each load succeeds, or fails with
  // well-formed diagnostics.
  const std::string good = kHead + R"(parameters: {spillover: 0.1, noise: 0.01}
defaults: {tension: 0.3, tie: 0.05}
relations:
  - {between: [VNM, PRK], tension: 0.4, baseline: 0.35, tie: 0.1, note: "text"}
  - from: PRK
    to: SGP
    tension: 0.5
indicators:
  - {id: vnm_prk, title: "Vietnam–DPRK", kind: mean, relations: [[VNM, PRK]]}
  - {id: cohesion, kind: cohesion, of: ASEAN}
events:
  - id: visit
    date: 2025-10-09
    cameo: "042"
    effects:
      - between: [VNM, PRK]
      - {between: [members(ASEAN), PRK], tension: {mean: 0.02, sd: 0.01}}
    follow_ups:
      - {event: statement, delay: 2, probability: 0.5}
  - id: statement
    effects: [{from: VNM, to: PRK, tension: -0.05, baseline: -0.02, tie: 0.01}]
  - id: talks
    window: {from: 2025-11-01, to: 2025-12-15}
    probability: 0.7
    condition: tension(VNM, PRK) < 0.5 and not indicator(vnm_prk) > 0.9
    effects: [{from: SGP, to: VNM, tie: 0.02}]
)";
  ASSERT_TRUE(loads(load_scenario_text(good, "mutant.yaml", kBad)));
  const std::string alphabet = " -:[]{}\"'#&*!|>?,\t\n0123456789.eAZaz%@`\\";
  std::mt19937 rng(7);
  int failed = 0;
  for (int k = 0; k < 200; ++k) {
    std::string text = good;
    for (int edits = 1 + int(rng() % 4); edits > 0; --edits) {
      const std::size_t at = rng() % text.size();
      const char ch = alphabet[rng() % alphabet.size()];
      switch (rng() % 3) {
        case 0: text[at] = ch; break;
        case 1: text.insert(at, 1, ch); break;
        default: text.erase(at, 1 + rng() % 8); break;
      }
    }
    auto r = load_scenario_text(text, "mutant.yaml", kBad);
    if (!r.ok()) {
      ++failed;
      ASSERT_TRUE(failed_cleanly(r)) << "mutant #" << k << ":\n" << text;
    }
  }
  EXPECT_GT(failed, 100);  // most edits break something, and that is noticed
}

TEST(LoaderInput, FileOverTheSizeLimit) {
  TempDir dir;
  std::string big = kHead + "# padding\n";
  const std::string comment = "# " + std::string(1000, 'x') + "\n";
  while (big.size() <= (4u << 20)) big += comment;
  const std::string path = dir.write("big.yaml", big);
  const std::string found = "found " + std::to_string(big.size()) + " bytes";
  EXPECT_TRUE(fails_once(load_scenario(path), At{"big.yaml", 0, 0}, {"expected a file of at most 4 MiB", found}));
  EXPECT_TRUE(fails_once(load_scenario_text(big, "big.yaml"), At{"big.yaml", 0, 0}, {"expected a file of at most 4 MiB", found}));
  // Just under the limit is fine.
  big.resize((4u << 20) - 100);
  big.resize(big.rfind('\n') + 1);
  EXPECT_TRUE(loads(load_scenario(dir.write("big.yaml", big))));
}

TEST(LoaderInput, OverlongLine) {
  auto c = body("# " + std::string(20000, 'x') + "\n");
  EXPECT_TRUE(fails_once(c.result, At{"case.yaml", H + 1, 1}, {"expected lines of at most 16384 bytes", "found a longer one"}));
  c = body("# " + std::string(20000, 'x'));  // the last line, without a line break
  EXPECT_TRUE(fails_once(c.result, At{"case.yaml", H + 1, 1}, {"expected lines of at most 16384 bytes"}));
}

TEST(LoaderInput, NotAFile) {
  EXPECT_TRUE(fails_once(load_scenario(kBad + "/no-such-file.yaml"), At{"no-such-file.yaml", 0, 0}, {"cannot open file", "no such file"}));
  EXPECT_TRUE(fails_once(load_scenario(kBad), At{"bad", 0, 0}, {"expected a regular file", "found a directory"}));
}

// ---------------------------------------------------------------------------------------------
// Deep nesting: a clean error, never a stack overflow

TEST(LoaderDepth, HundredThousandOpenBrackets) {
  auto c = body("events: " + std::string(100000, '['));
  // `events: ` is 8 columns; the 65th bracket is the first one too deep.
  EXPECT_TRUE(fails_once(c.result, At{"case.yaml", H + 1, 8 + 65}, {"expected nesting of at most 64 levels", "found deeper nesting"}));
  c = body("events: " + repeat("{a: ", 100));
  EXPECT_TRUE(fails_once(c.result, At{"case.yaml", H + 1, 8 + 64 * 4 + 1}, {"expected nesting of at most 64 levels"}));
}

TEST(LoaderDepth, BracketsAfterQuotesAreCounted) {
  // An escaped backslash ends a double-quoted text: what follows is real nesting.
  auto c = body("events: [\"\\\\\", " + std::string(100, '[') + std::string(100, ']') + "]\n");
  // `events: ["\\", ` is 15 columns; the first bracket after it is level 2.
  EXPECT_TRUE(fails_once(c.result, At{"case.yaml", H + 1, 16 + 63}, {"expected nesting of at most 64 levels"}));
  // Quoted text over several lines, closed where a scan line by line cannot tell: the
  // parser's own depth guard still gives a clean error.
  c = body("events: ['a\n" + repeat("\" ', " + std::string(100, '[') + " 'a\n", 40) + "\" '" +
           std::string(4001, ']') + "\n");
  EXPECT_TRUE(fails_once(c.result, anywhere(), {"invalid YAML: expected", "nest", "found deeper nesting"}));
}

TEST(LoaderDepth, CompactNestedBlockLists) {
  // "- - - - x": each dash opens a list; the 65th is one too many.
  for (std::size_t n : {100u, 8000u}) {
    auto c = body("events:\n  " + repeat("- ", n) + "x\n");
    EXPECT_TRUE(fails_once(c.result, At{"case.yaml", H + 2, 3 + 64 * 2}, {"expected nesting of at most 64 levels", "found deeper"}));
  }
  auto c = body("events:\n  " + repeat("? ", 1000) + "x\n");
  EXPECT_TRUE(fails_once(c.result, At{"case.yaml", H + 2, 3 + 64 * 2}, {"expected nesting of at most 64 levels"}));
}

TEST(LoaderDepth, ManyIndentationLevels) {
  std::string lists = "events:\n", maps = "events:\n";
  for (int i = 1; i <= 300; ++i) {
    lists += std::string(std::size_t(i), ' ') + "-\n";
    maps += std::string(std::size_t(i), ' ') + "k:\n";
  }
  // Line H + 1 + 257 is indented by 257 columns.
  for (const auto& text : {lists, maps})
    EXPECT_TRUE(fails_once(body(text).result, At{"case.yaml", H + 1 + 257, 258}, {"expected indentation of at most 256 columns", "found 257"}));
}

// ---------------------------------------------------------------------------------------------
// Aliases: never expanded, never a flood

/// Nine levels of aliases: `i` stands for 9^9 strings when expanded. Indented as a list item
/// under a key at column 5.
std::string laughs() {
  std::string text = "    - &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  const std::string names = "abcdefghi";
  for (std::size_t k = 1; k < names.size(); ++k) {
    text += std::string("    - &") + names[k] + " [";
    for (int j = 0; j < 9; ++j) text += std::string(j ? ", " : "") + "*" + names[k - 1];
    text += "]\n";
  }
  return text;
}

TEST(LoaderAliases, BillionLaughsAsTheEventList) {
  Case c;
  {  // how fast it fails is measured in bench/ (BM_LoadHostile), not here
    c = body("relations:\n  - between: [VNM, PRK]\n    tension: 0.3\n    note:\n" + laughs() +
             "events: *i\n");
  }
  ASSERT_TRUE(failed_cleanly(c.result));
  EXPECT_EQ(c.result.errors.size(), 2u) << dump(c.result);
  EXPECT_TRUE(fails_with(c.result, c.at("- &a"), {"expected a note as text", "found a list"}));
  // The nine items of `i` are all `h`: one line, at h.
  EXPECT_TRUE(fails_with(c.result, c.at("&h"), {"expected an event as a mapping", "found a list"}));
}

TEST(LoaderAliases, BillionLaughsEverywhere) {
  Case c;
  {  // how fast it fails is measured in bench/ (BM_LoadHostile), not here
    c = body("relations:\n  - between: [VNM, PRK]\n    tension: 0.3\n    note:\n" + laughs() +
             "events:\n"
             "  - {id: e, step: 1, effects: *i}\n"
             "  - {id: f, step: 1, effects: [{between: [VNM, PRK], tension: *i}]}\n"
             "  - {id: g, step: 1, effects: [{between: *i, tension: 0.1}]}\n"
             "  - {id: h, step: 1, condition: *i, follow_ups: *i}\n"
             "  - {id: k, step: 1, effects: [{between: [members(ASEAN), PRK], tension: 0.1}], note: *i}\n"
             "indicators:\n  - {id: x, kind: mean, relations: *i}\n");
  }
  ASSERT_TRUE(failed_cleanly(c.result));
  EXPECT_LE(c.result.errors.size(), 9u) << dump(c.result);
  EXPECT_TRUE(fails_with(c.result, c.at("&h"), {"expected an effect as a mapping", "found a list"}));
  EXPECT_TRUE(fails_with(c.result, c.at("&i"), {"expected the 'tension' change as a number", "found a list"}));
  EXPECT_TRUE(fails_with(c.result, c.at("&i"), {"expected 'between' as a list of two actors", "found a list"}));
  EXPECT_TRUE(fails_with(c.result, c.at("&i"), {"expected a condition as text", "found a list"}));
  EXPECT_TRUE(fails_with(c.result, c.at("&h"), {"expected a follow-up as a mapping", "found a list"}));
  EXPECT_TRUE(fails_with(c.result, c.at("&i"), {"expected a note as text", "found a list"}));
  EXPECT_TRUE(fails_with(c.result, c.at("&h"), {"expected a pair of actors [A, B]", "found a list"}));
}

TEST(LoaderAliases, AliasBeforeItsAnchor) {
  auto c = body("events:\n  - {id: e, step: 1, effects: *i}\n  - id: f\n    note:\n" + laughs());
  EXPECT_TRUE(fails_once(c.result, c.at("*i"), {"invalid YAML: expected an alias (*name) of an anchor (&name) defined before it", "found '*i'"}));
}

TEST(LoaderAliases, OneEventRepeatedTwentyThousandTimes) {
  Case c;
  {  // how fast it fails is measured in bench/ (BM_LoadHostile), not here
    c = body("events:\n  - &e {id: dup, step: 1, effects: [{between: [VNM, PRK], tension: 0.01}]}\n" +
             repeat("  - *e\n", 20000));
  }
  // One problem, one line: not twenty thousand copies of it.
  EXPECT_TRUE(fails_once(c.result, c.at("dup"), {"duplicate event id 'dup'", "first defined at case.yaml:" + std::to_string(H + 2) + ":5"}));
}

TEST(LoaderAliases, FloodsOfErrorsAreCut) {
  Case c;
  {  // how fast it fails is measured in bench/ (BM_LoadHostile), not here
    std::string text = "relations:\n";
    for (int k = 0; k < 3000; ++k)
      text += "  - {between: [VNM, PRK], tension: 0.3, tie: " + std::to_string(2 + k) + "}\n";
    c = body(text);
  }
  ASSERT_TRUE(failed_cleanly(c.result));
  ASSERT_EQ(c.result.errors.size(), 101u);
  EXPECT_TRUE(fails_with(c.result, c.after("tie: "), {"expected 'tie' in [0, 1], found 2"}));
  EXPECT_TRUE(matches(c.result.errors.back(), At{"case.yaml", 0, 0}, {"too many problems: stopped after the first 100"}));
}

TEST(LoaderAliases, ThousandsOfFollowUpsAreRefused) {
  Case c;
  {  // how fast it fails is measured in bench/ (BM_LoadHostile), not here
    c = body("events:\n  - id: f\n    follow_ups: [&f {event: f, delay: 1}\n" +
             repeat("      , *f\n", 20000) + "      ]\n");
  }
  EXPECT_TRUE(fails_once(c.result, c.after("follow_ups: "), {"expected at most 1000 follow-ups in an event", "found 20001"}));
}

// ---------------------------------------------------------------------------------------------
// Keys: missing, unknown (with a suggestion), duplicate

TEST(LoaderKeys, UnknownKeyWithSuggestion) {
  // One problem, one line: no second "missing key 'tension'" for the same typo.
  auto c = body("relations:\n  - between: [VNM, PRK]\n    tenson: 0.3\n");
  EXPECT_TRUE(fails_once(c.result, c.at("tenson"), {"unknown key 'tenson' in a relation", "did you mean 'tension'?"}));
  c = body("evnts: []\n");
  EXPECT_TRUE(fails_once(c.result, c.at("evnts"), {"unknown key 'evnts' in a scenario file", "did you mean 'events'?"}));
  c = body("events:\n  - {id: a, step: 1, probabilty: 0.5}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("probabilty"), {"unknown key 'probabilty' in an event", "did you mean 'probability'?"}));
  c = body("events:\n  - {id: a, step: 1, effects: [{betwen: [VNM, PRK], tension: 0.1}]}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("betwen"), {"unknown key 'betwen' in an effect", "did you mean 'between'?"}));
  c = body("events:\n  - {id: a, step: 1, follow_ups: [{evnt: a, delay: 1}]}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("evnt"), {"unknown key 'evnt' in a follow-up", "did you mean 'event'?"}));
  c = raw("scenario:\n  id: t\n  tittle: T\n  start: 2025-08-01\n  steps: 3\nactors: [{id: VNM}, {id: PRK}]\n");
  EXPECT_TRUE(fails_once(c.result, c.at("tittle"), {"unknown key 'tittle' in 'scenario'", "did you mean 'title'?"}));
}

TEST(LoaderKeys, UnknownKeyWithoutCloseMatchListsTheKnownOnes) {
  auto c = body("defaults: {colour: red}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("colour"), {"unknown key 'colour' in 'defaults'", "(expected one of: tension, baseline, tie)"}));
}

TEST(LoaderKeys, TwoUnknownKeysGiveTwoLines) {
  auto c = body("relations:\n  - between: [VNM, PRK]\n    tension: 0.3\n    tye: 0.1\n    basline: 0.2\n");
  ASSERT_TRUE(failed_cleanly(c.result));
  EXPECT_EQ(c.result.errors.size(), 2u) << dump(c.result);
  EXPECT_TRUE(fails_with(c.result, c.at("tye"), {"unknown key 'tye'", "did you mean 'tie'?"}));
  EXPECT_TRUE(fails_with(c.result, c.at("basline"), {"unknown key 'basline'", "did you mean 'baseline'?"}));
}

TEST(LoaderKeys, ProblemsInSeveralSectionsAreAllReported) {
  auto c = body("parameters: {spillover: 2}\n"
                "relations:\n  - {between: [VNM, PRK], tension: 0.3, tye: 0.1}\n"
                "events:\n  - {id: a, step: 99}\n  - {id: B, step: 1}\n");
  ASSERT_TRUE(failed_cleanly(c.result));
  EXPECT_EQ(c.result.errors.size(), 4u) << dump(c.result);
  EXPECT_TRUE(fails_with(c.result, c.after("spillover: "), {"expected 'spillover' in [0, 1], found 2"}));
  EXPECT_TRUE(fails_with(c.result, c.at("tye"), {"unknown key 'tye'"}));
  EXPECT_TRUE(fails_with(c.result, c.at("99"), {"expected 'step' (a step number or a date) in [1, 20], found 99"}));
  EXPECT_TRUE(fails_with(c.result, c.at("B,"), {"expected an event id of lower-case letters", "found 'B'"}));
}

TEST(LoaderKeys, MissingKeys) {
  auto c = raw("scenario:\n  id: t\n  start: 2025-08-01\n  steps: 3\nactors: [{id: VNM}, {id: PRK}]\n");
  EXPECT_TRUE(fails_once(c.result, c.at("id: t"), {"missing key 'title' in 'scenario'"}));
  c = raw("actors: [{id: VNM}, {id: PRK}]\n");
  EXPECT_TRUE(fails_once(c.result, At{"case.yaml", 1, 1}, {"missing key 'scenario'"}));
  c = raw("scenario: {id: t, title: T, steps: 3}\nactors: [{id: VNM}, {id: PRK}]\n");
  EXPECT_TRUE(fails_once(c.result, At{"case.yaml", 1, 1}, {"missing key 'start' in 'scenario'"}));
  c = body("relations:\n  - between: [VNM, PRK]\n    tie: 0.1\n");
  EXPECT_TRUE(fails_once(c.result, c.at("between"), {"missing key 'tension' in a relation"}));
  c = body("relations:\n  - {tension: 0.1}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("{tension"), {"missing key 'between' (or 'from' and 'to') in a relation"}));
  c = body("events:\n  - title: no id\n    step: 1\n");
  EXPECT_TRUE(fails_once(c.result, c.at("title"), {"missing key 'id' in an event"}));
  c = body("events:\n  - {id: a, step: 1, follow_ups: [{delay: 2}]}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("{delay"), {"missing key 'event' in a follow-up"}));
  c = body("events:\n  - {id: a, step: 1, effects: [{between: [VNM, PRK]}]}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("{between"), {"expected at least one of 'tension', 'baseline' or 'tie'", "found none"}));
}

TEST(LoaderKeys, DuplicateKeys) {
  // yaml-cpp keeps both; the second would be silently ignored.
  auto c = body("relations:\n  - between: [VNM, PRK]\n    tension: 0.2\n    tension: 0.9\n");
  EXPECT_TRUE(fails_once(c.result, c.at("tension", 2), {"duplicate key 'tension' in a relation", "first given at line " + std::to_string(H + 3) + ", column 5"}));
  c = body("events: []\nevents: []\n");
  EXPECT_TRUE(fails_once(c.result, c.at("events", 2), {"duplicate key 'events' in a scenario file"}));
  c = body("actors: []\n");
  EXPECT_TRUE(fails_once(c.result, c.at("actors"), {"duplicate key 'actors'", "first given at line 7, column 1"}));
}

TEST(LoaderKeys, KeyThatIsNotText) {
  auto c = body("defaults: {[tension]: 0.3}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("[tension]"), {"expected a key of 'defaults'", "found a list"}));
}

// ---------------------------------------------------------------------------------------------
// Types and ranges

TEST(LoaderValues, WrongTypes) {
  const std::string actors = "\nactors: [{id: VNM}, {id: PRK}]\n";
  auto c = raw("scenario: {id: t, title: T, start: 2025-08-01, steps: many}" + actors);
  EXPECT_TRUE(fails_once(c.result, c.at("many"), {"expected 'steps' as a whole number in [1, 100000]", "found 'many'"}));
  c = raw("scenario: {id: t, title: T, start: 2025-08-01, steps: 10.5}" + actors);
  EXPECT_TRUE(fails_once(c.result, c.at("10.5"), {"expected 'steps' as a whole number", "found '10.5'"}));
  c = raw("scenario: {id: t, title: T, start: 2025-02-30, steps: 3}" + actors);
  EXPECT_TRUE(fails_once(c.result, c.at("2025-02-30"), {"expected 'start' as a date YYYY-MM-DD", "found '2025-02-30'"}));
  c = raw("scenario: {id: t, title: [T], start: 2025-08-01, steps: 3}" + actors);
  EXPECT_TRUE(fails_once(c.result, c.at("[T]"), {"expected the scenario title as text", "found a list"}));
  c = raw("scenario: {id: t, title: T, start: 2025-08-01, steps: 3}\nactors: VNM\n");
  EXPECT_TRUE(fails_once(c.result, c.at("VNM"), {"expected 'actors' as a list", "found 'VNM'"}));
  c = body("relations:\n  - {between: [VNM, PRK], tension: [0.3]}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("[0.3]"), {"expected 'tension' as a number in [0, 1]", "found a list"}));
  c = body("relations:\n  - {between: VNM, tension: 0.3}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("VNM"), {"expected 'between' as a list of two actors [A, B]", "found 'VNM'"}));
  c = body("relations:\n  - {between: [VNM, PRK, SGP], tension: 0.3}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("[VNM"), {"expected 'between' as a list of two actors [A, B]", "found a list"}));
  c = body("events:\n  - {id: a, step: 1, probability: yes}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("yes"), {"expected 'probability' as a number in [0, 1]", "found 'yes'"}));
  c = body("events:\n  - {id: a, step: 1, effects: {between: [VNM, PRK], tension: 0.1}}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("{between"), {"expected 'effects' as a list", "found a mapping"}));
  c = body("relations:\n  - {between: [VNM, PRK], tension: 0.3, note: {a: b}}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("{a: b}"), {"expected a note as text", "found a mapping"}));
  c = body("events:\n  - {id: a, step: 1, cameo: \"999\"}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("\"999\""), {"expected a known CAMEO code", "found '999'"}));
  c = raw(kHead.substr(0, kHead.find("  - {id: ASEAN")) + "  - {id: ASEAN, kind: union}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("union"), {"expected kind 'state' or 'organization'", "found 'union'"}));
  c = body("relations:\n  - {between: [VNM, VNM], tension: 0.3}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("{between"), {"expected two different actors in a relation", "found 'VNM' twice"}));
  c = body("events:\n  - {id: a, step: 1, effects: [{between: [VNM, PRK], from: VNM, tension: 0.1}]}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("{between"), {"expected either 'between' or 'from'/'to' in an effect", "found both"}));
}

TEST(LoaderValues, OutOfRange) {
  auto c = body("relations:\n  - {between: [VNM, PRK], tension: 1.5}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("1.5"), {"expected 'tension' in [0, 1]", "found 1.5"}));
  c = body("relations:\n  - {between: [VNM, PRK], tension: 0.3, tie: -0.1}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("-0.1"), {"expected 'tie' in [0, 1]", "found -0.1"}));
  const std::string actors = "\nactors: [{id: VNM}, {id: PRK}]\n";
  c = raw("scenario: {id: t, title: T, start: 2025-08-01, steps: 0}" + actors);
  EXPECT_TRUE(fails_once(c.result, c.at("0}"), {"expected 'steps' in [1, 100000]", "found 0"}));
  c = raw("scenario: {id: t, title: T, start: 2025-08-01, steps: 3, step_days: 0}" + actors);
  EXPECT_TRUE(fails_once(c.result, c.at("0}"), {"expected 'step_days' in [1, 3660]", "found 0"}));
  c = body("events:\n  - {id: a, step: 1, probability: -0.1}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("-0.1"), {"expected 'probability' in [0, 1]", "found -0.1"}));
  c = body("events:\n  - {id: a, step: 1, follow_ups: [{event: a, delay: -1}]}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("-1"), {"expected 'delay' in [0, 100000]", "found -1"}));
  c = body("events:\n  - {id: a, step: 21}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("21"), {"expected 'step' (a step number or a date) in [1, 20]", "found 21"}));
  c = body("events:\n  - {id: a, date: 2025-07-31}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("2025-07-31"), {"expected 'date' within the scenario's period (2025-08-01 to 2025-12-19)", "found 2025-07-31"}));
  c = body("events:\n  - {id: a, window: {from: 2025-09-01, to: 2025-08-20}}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("{from"), {"expected the window's end on or after its start", "found it before"}));
  c = body("events:\n  - {id: a, step: 1, effects: [{between: [VNM, PRK], tension: -1.5}]}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("-1.5"), {"expected the 'tension' change in [-1, 1]", "found -1.5"}));
  c = body("events:\n  - {id: a, step: 1, date: 2025-08-02}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("{id"), {"expected at most one of 'date', 'step' or 'window' in an event", "found several"}));
  c = body("events:\n  - {id: a, step: 1, effects: [{between: [VNM, PRK], tension: {mean: 0.1, sd: 3}}]}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("3}"), {"expected the 'tension' change sd in [0, 2]", "found 3"}));
}

TEST(LoaderValues, NotANumberInfinityAndHugeNumbers) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {".nan", "not a number"}, {".NaN", "not a number"}, {"nan", "not a number"},
      {".inf", "infinite"},     {"-.inf", "infinite"},    {"+.Inf", "infinite"},
      {"inf", "infinite"},      {"1e999", "too large to represent"},
      {"-1e999", "too large to represent"},             {"1e-999", "too small to represent"}};
  for (const auto& [value, why] : cases) {
    SCOPED_TRACE(value);
    auto c = body("relations:\n  - {between: [VNM, PRK], tension: " + value + "}\n");
    EXPECT_TRUE(fails_once(c.result, c.at(value), {"expected 'tension' as a finite number in [0, 1]", "found '" + value + "' (" + why + ")"}));
  }
  // The same in a magnitude, a probability, a parameter, an integer and a condition.
  auto c = body("events:\n  - {id: a, step: 1, effects: [{between: [VNM, PRK], tension: {mean: .nan, sd: .inf}}]}\n");
  ASSERT_TRUE(failed_cleanly(c.result));
  EXPECT_EQ(c.result.errors.size(), 2u) << dump(c.result);
  EXPECT_TRUE(fails_with(c.result, c.at(".nan"), {"expected the 'tension' change mean as a finite number", "found '.nan' (not a number)"}));
  EXPECT_TRUE(fails_with(c.result, c.at(".inf"), {"expected the 'tension' change sd as a finite number", "found '.inf' (infinite)"}));
  c = body("events:\n  - {id: a, step: 1, probability: .NAN}\n");
  EXPECT_TRUE(fails_once(c.result, c.at(".NAN"), {"expected 'probability' as a finite number", "(not a number)"}));
  c = body("parameters: {noise: .inf}\n");
  EXPECT_TRUE(fails_once(c.result, c.at(".inf"), {"expected 'noise' as a finite number", "(infinite)"}));
  const std::string actors = "\nactors: [{id: VNM}, {id: PRK}]\n";
  c = raw("scenario: {id: t, title: T, start: 2025-08-01, steps: 1e999}" + actors);
  EXPECT_TRUE(fails_once(c.result, c.at("1e999"), {"expected 'steps' as a whole number", "found '1e999'"}));
  c = raw("scenario: {id: t, title: T, start: 2025-08-01, steps: 99999999999999999999999}" + actors);
  EXPECT_TRUE(fails_once(c.result, c.at("9999"), {"expected 'steps' as a whole number", "found '99999999999999999999999'"}));
  c = raw("scenario: {id: t, title: T, start: 2025-08-01, steps: .inf}" + actors);
  EXPECT_TRUE(fails_once(c.result, c.at(".inf"), {"expected 'steps' as a whole number", "found '.inf'"}));
  c = body("events:\n  - {id: a, step: 1, condition: \"tension(VNM, PRK) > 1e999\"}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("1e999"), {"in condition: expected a finite number", "found '1e999'"}));
}

// ---------------------------------------------------------------------------------------------
// References: actors, events, includes

TEST(LoaderReferences, UnknownActorListsTheKnownOnes) {
  auto c = body("relations:\n  - {between: [VNM, XXX], tension: 0.3}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("XXX"), {"unknown actor 'XXX'", kKnownActors}));
  c = body("relations:\n  - {from: PRKK, to: VNM, tension: 0.3}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("PRKK"), {"unknown actor 'PRKK'; did you mean 'PRK'?", kKnownActors}));
  c = body("events:\n  - {id: a, step: 1, effects: [{from: VNM, to: USA, tension: 0.1}]}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("USA"), {"unknown actor 'USA'", kKnownActors}));
  c = body("indicators:\n  - {id: x, kind: mean, relations: [[VNM, PRK], [SGP, CHN]]}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("CHN"), {"unknown actor 'CHN'", kKnownActors}));
  c = body("indicators:\n  - {id: x, kind: cohesion, of: EU}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("EU"), {"unknown actor 'EU'", kKnownActors}));
  c = body("indicators:\n  - {id: x, kind: cohesion, of: VNM}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("VNM"), {"expected an organization for 'of'", "found the state 'VNM'"}));
  c = raw(kHead.substr(0, kHead.find("  - {id: ASEAN")) + "  - {id: ASEAN, kind: organization, members: [VNM, MYS]}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("MYS"), {"unknown actor 'MYS' in members", kKnownActors}));
  c = body("events:\n  - {id: a, step: 1, condition: \"tie(VNM, EU) > 0.5\"}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("EU"), {"in condition: unknown actor 'EU'", kKnownActors}));
}

TEST(LoaderReferences, UnknownOrganization) {
  auto c = body("events:\n  - {id: a, step: 1, effects: [{between: [members(EU), PRK], tension: 0.1}]}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("members(EU)"), {"expected members(ORGANIZATION), found unknown organization 'EU'", "(known organizations: ASEAN)"}));
  c = body("events:\n  - {id: a, step: 1, effects: [{between: [members(VNM), PRK], tension: 0.1}]}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("members(VNM)"), {"found unknown organization 'VNM'"}));
}

TEST(LoaderReferences, ConditionColumnsPlainAndQuoted) {
  const std::string condition = "tension(VNM, PRK) > 0.5 and tension(VNM, XYZ) < 1";
  for (const std::string& written : {condition, "\"" + condition + "\"", "'" + condition + "'"}) {
    SCOPED_TRACE(written);
    auto c = body("events:\n  - id: a\n    step: 1\n    condition: " + written + "\n");
    EXPECT_TRUE(fails_once(c.result, c.at("XYZ"), {"in condition: unknown actor 'XYZ'", kKnownActors}));
    c = body("events:\n  - {id: a, step: 1, condition: " + (written[0] == 't' ? "\"" + written + "\"" : written) + "}\n");
    EXPECT_TRUE(fails_once(c.result, c.at("XYZ"), {"in condition: unknown actor 'XYZ'"}));
  }
  // An error at the end of the text points just after it.
  for (const std::string& written : {std::string("tension(VNM, PRK) >"), std::string("\"tension(VNM, PRK) >\"")}) {
    auto c = body("events:\n  - id: a\n    condition: " + written + "\n");
    EXPECT_TRUE(fails_once(c.result, c.after("PRK) >"), {"in condition: expected a finite number", "found the end of the condition"}));
  }
  auto c = body("events:\n  - {id: a, condition: \"indicator(risk) > 0.5\"}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("risk"), {"in condition: unknown indicator 'risk'"}));
  c = body("events:\n  - {id: a, condition: \"tension(VNM, PRK) >> 0.5\"}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("> 0.5"), {"in condition: expected a finite number", "found '>'"}));
  // Escapes or folding move the text away from the file's columns: the start of the condition.
  c = body("events:\n  - id: a\n    condition: \"tension(VNM, \\x50RK) > 0.5 and tie(VNM, XYZ) < 1\"\n");
  EXPECT_TRUE(fails_once(c.result, c.at("\"tension"), {"in condition: unknown actor 'XYZ'"}));
  c = body("events:\n  - id: a\n    condition: >\n      tension(VNM, PRK) > 0.5 and\n      tension(VNM, XYZ) < 1\n");
  EXPECT_TRUE(fails_once(c.result, c.at(">\n"), {"in condition: unknown actor 'XYZ'"}));
}

TEST(LoaderReferences, ColumnsCountCharactersNotBytes) {
  // "Việt Nam–Hàn" is 12 characters in 18 bytes.
  auto c = body("relations:\n  - {note: \"Việt Nam–Hàn\", between: [VNM, PRK], tenson: 0.3}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("tenson"), {"unknown key 'tenson'"}));
  c = body("events:\n  - {id: a, title: \"Hà Nội\", condition: \"tension(VNM, XYZ) > 0.5\"}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("XYZ"), {"in condition: unknown actor 'XYZ'"}));
  c = body("events:\n  - {id: a, condition: \"tension(VNM, PRK) > 0.5 and ‘x’\"}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("‘x’"), {"in condition: expected tension(A, B), baseline(A, B), tie(A, B), indicator(id), 'not' or '('", "found '‘x’'"}));
  c = body("relations:\n  - {note: \"Việt Nam–Hàn\", between: [VNM, PRK], tension: 0.3\n");
  EXPECT_TRUE(fails_once(c.result, c.after("0.3"), {"invalid YAML: expected ',' or '}' in a { } mapping", "found the end of the file"}));
}

TEST(LoaderReferences, DuplicateIds) {
  auto c = raw(kHead + "  - {id: PRK, name: again}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("PRK, name"), {"duplicate actor id 'PRK'", "first defined at case.yaml:9:5"}));
  c = body("events:\n  - {id: a, step: 1}\n  - {id: b, step: 1}\n  - {id: a, step: 2}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("a, step: 2"), {"duplicate event id 'a'", "first defined at case.yaml:" + std::to_string(H + 2) + ":5"}));
  c = body("indicators:\n  - {id: x, kind: cohesion, of: ASEAN}\n  - {id: x, kind: mean, relations: [[VNM, PRK]]}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("x, kind: mean"), {"duplicate indicator id 'x'"}));
  c = body("relations:\n  - {between: [VNM, PRK], tension: 0.3}\n  - {from: PRK, to: VNM, tension: 0.4}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("{from"), {"duplicate relation PRK -> VNM (each ordered pair is given once)"}));
  // Event ids are unique across included files.
  c = body("include: [shared_events.yaml]\nevents:\n  - {id: shared, step: 2}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("shared, step"), {"duplicate event id 'shared'", "shared_events.yaml:3:5"}));
}

TEST(LoaderReferences, FollowUpToAMissingEvent) {
  auto c = body("events:\n  - id: statement\n  - id: visit\n    step: 1\n    follow_ups:\n      - {event: statment, delay: 2}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("statment"), {"follow-up refers to unknown event 'statment'", "did you mean 'statement'?"}));
}

TEST(LoaderReferences, CycleOfZeroDelayFollowUps) {
  auto c = body("events:\n"
                "  - id: a\n    step: 1\n    follow_ups: [{event: b, delay: 0}]\n"
                "  - id: b\n    follow_ups: [{event: c, delay: 0}]\n"
                "  - id: c\n    follow_ups: [{event: a, delay: 0}]\n");
  EXPECT_TRUE(fails_once(c.result, c.at("id: a"), {"follow-ups with zero delay form a cycle that would never end", "a -> b -> c -> a"}));
  c = body("events:\n  - {id: a, follow_ups: [{event: a, delay: 0}]}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("{id: a"), {"cycle", "a -> a"}));
  // With a delay somewhere in the loop it stops each step, but firing for ever (a growth
  // factor of 1) is refused as self-reinforcing; below 1 it dies out: fine.
  c = body("events:\n  - {id: a, step: 1, follow_ups: [{event: b, delay: 0}]}\n"
           "  - {id: b, follow_ups: [{event: a, delay: 1}]}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("{id: a"), {"self-reinforcing cycle (a, b)", "on average 1.00 more"}));
  EXPECT_TRUE(loads(body("events:\n  - {id: a, step: 1, follow_ups: [{event: b, delay: 0}]}\n"
                         "  - {id: b, follow_ups: [{event: a, delay: 1, probability: 0.9}]}\n").result));
}

TEST(LoaderIncludes, MissingInclude) {
  auto r = load_scenario(kBad + "/include_missing.yaml");
  EXPECT_TRUE(fails_once(r, At{"include_missing.yaml", 4, 5}, {"include 'nowhere.yaml' not found", "looked for"}));
  auto c = body("include: nowhere.yaml\n");
  EXPECT_TRUE(fails_once(c.result, c.at("nowhere"), {"include 'nowhere.yaml' not found"}));
  c = body("include: [.]\n");
  EXPECT_TRUE(fails_once(c.result, c.at("."), {"include '.' not found"}));
}

TEST(LoaderIncludes, FileIncludingItself) {
  auto r = load_scenario(kBad + "/include_self.yaml");
  EXPECT_TRUE(fails_once(r, At{"include_self.yaml", 2, 32}, {"include 'include_self.yaml' includes the file itself"}));
}

TEST(LoaderIncludes, CycleOfIncludes) {
  auto r = load_scenario(kBad + "/include_cycle_a.yaml");
  EXPECT_TRUE(fails_once(r, At{"include_cycle_b.yaml", 2, 32}, {"include 'include_cycle_a.yaml' forms a cycle of includes"}));
  // Entered from text, the cycle is the same.
  auto c = raw("include: [include_cycle_a.yaml]\n");
  EXPECT_TRUE(fails_once(c.result, At{"include_cycle_b.yaml", 2, 32}, {"forms a cycle of includes"}));
}

TEST(LoaderIncludes, TooDeepAChainOfIncludes) {
  TempDir dir;
  const int files = 20;
  for (int k = 0; k < files; ++k) {
    const std::string next = "chain_" + std::to_string(k + 1) + ".yaml";
    dir.write("chain_" + std::to_string(k) + ".yaml",
              k == 0 ? kHead + "include: [" + next + "]\n"
                     : k + 1 < files ? "include: [" + next + "]\n" : "events: []\n");
  }
  auto r = load_scenario((dir.path / "chain_0.yaml").string());
  // chain_0 .. chain_16 are 17 files deep: chain_16 may not include another.
  EXPECT_TRUE(fails_once(r, At{"chain_16.yaml", 1, 11}, {"expected includes nested at most 16 deep", "found deeper"}));
}

TEST(LoaderIncludes, ProblemInAnIncludedFileNamesThatFile) {
  auto r = load_scenario(kBad + "/include_broken.yaml");
  EXPECT_TRUE(fails_once(r, At{"broken_part.yaml", 4, 12}, {"invalid YAML: expected ',' or ']' in a [ ] list", "found ':'"}));
}

TEST(LoaderIncludes, IncludeOfTheWrongType) {
  auto c = body("include: {file: x.yaml}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("{file"), {"expected include as a list of names", "found a mapping"}));
  c = body("include: [[x.yaml]]\n");
  EXPECT_TRUE(fails_once(c.result, c.at("[x.yaml]"), {"expected include as text", "found a list"}));
}

// ---------------------------------------------------------------------------------------------
// Sources and policies

TEST(LoaderSources, QuotesAreCheckedAgainstTheSources) {
  // A file in tests/data/good, beside good/sources/doc.txt.
  auto quote_case = [](const std::string& events, bool strict = false) {
    Case c;
    c.file = "quote_case.yaml";
    c.text = kHead + events;
    c.body = kHead.size();
    LoadOptions options;
    options.require_sources = strict;
    c.result = load_scenario_text(c.text, kGood + "/" + c.file, kGood, options);
    return c;
  };
  auto c = quote_case("events:\n  - {id: a, step: 1, source: {file: doc.txt, quote: \"not in the text\"}}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("\"not"), {"expected a verbatim passage of doc.txt", "found a quote that is not in it: 'not in the text'"}));
  c = quote_case("events:\n  - {id: a, step: 1, source: {file: nodoc.txt, quote: \"x\"}}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("\"x\""), {"unknown source file 'nodoc.txt'", "(known sources: doc.txt)"}));
  c = quote_case("events:\n  - {id: a, step: 1, source: {file: ../left.yaml, quote: \"x\"}}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("\"x\""), {"expected a source file name inside sources/", "found '../left.yaml'"}));
  c = quote_case("events:\n  - {id: a, step: 1}\n", true);
  EXPECT_TRUE(fails_once(c.result, c.at("{id"), {"missing key 'source' in event 'a'"}));
  c = quote_case("events:\n  - {id: a, step: 1, source: {file: doc.txt}}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("{file"), {"missing key 'quote' in 'source'"}));
  // Text is checked against the sources beside its base folder, not the working directory.
  c.file = "bare.yaml";
  c.text = kHead + "events:\n  - {id: a, step: 1, source: {file: doc.txt, quote: \"nope\"}}\n";
  c.result = load_scenario_text(c.text, c.file, kGood);
  EXPECT_TRUE(fails_once(c.result, c.at("\"nope"), {"expected a verbatim passage of doc.txt"}));
  // Quotes match across line breaks and runs of spaces.
  c = quote_case("events:\n  - {id: a, step: 1, source: {file: doc.txt, quote: \"a joint statement follows\"}}\n", true);
  EXPECT_TRUE(loads(c.result));
}

TEST(LoaderPolicies, ProblemsInAPolicyNameThePolicyFile) {
  LoadOptions options;
  options.policies = {kBad + "/policy_clash.yaml"};
  auto r = load_scenario(kGood + "/small.yaml", options);
  ASSERT_TRUE(failed_cleanly(r));
  EXPECT_EQ(r.errors.size(), 2u) << dump(r);
  EXPECT_TRUE(fails_with(r, At{"policy_clash.yaml", 5, 9}, {"unknown actor 'SGX'; did you mean 'SGP'?"}));
  EXPECT_TRUE(fails_with(r, At{"policy_clash.yaml", 8, 9}, {"duplicate event id 'visit'", "small.yaml:19:5"}));
  options.policies = {kBad + "/no-such-policy.yaml"};
  r = load_scenario(kGood + "/small.yaml", options);
  EXPECT_TRUE(fails_once(r, At{"no-such-policy.yaml", 0, 0}, {"cannot open file"}));
  // A scenario file given as a policy.
  options.policies = {kGood + "/left.yaml"};
  r = load_scenario(kGood + "/small.yaml", options);
  EXPECT_TRUE(fails_with(r, At{"left.yaml", 1, 1}, {"unknown key 'include' in a policy file"}));
}

// ---------------------------------------------------------------------------------------------
// Valid files

TEST(LoaderGood, SmallScenarioLoadsWithTheRightValues) {
  auto r = load_scenario(kGood + "/small.yaml");
  ASSERT_TRUE(loads(r));
  const Scenario& s = *r.scenario;
  EXPECT_EQ(s.id, "small");
  EXPECT_EQ(s.title, "Small test scenario");
  EXPECT_EQ(format_date(s.start), "2025-08-01");
  EXPECT_EQ(s.step_days, 7);
  EXPECT_EQ(s.steps, 20);
  EXPECT_DOUBLE_EQ(s.parameters.spillover, 0.1);
  EXPECT_DOUBLE_EQ(s.parameters.noise, 0.01);
  ASSERT_TRUE(s.source.has_value());
  EXPECT_EQ(s.source->file, "doc.txt");

  // Actors, read once although two files include actors.yaml (a diamond).
  ASSERT_EQ(s.actor_count(), 4u);
  EXPECT_EQ(s.actors[0].id, "VNM");
  EXPECT_EQ(s.actors[0].name, "Vietnam");
  EXPECT_DOUBLE_EQ(s.actors[0].restraint, 0.06);
  EXPECT_DOUBLE_EQ(s.actors[0].reactivity, 0.02);
  EXPECT_DOUBLE_EQ(s.actors[1].restraint, 0.05);  // default
  EXPECT_DOUBLE_EQ(s.actors[1].reactivity, 0.03);  // default
  const std::size_t vnm = 0, sgp = 2, asean = 3;
  EXPECT_EQ(s.actors[asean].kind, ActorKind::organization);
  EXPECT_EQ(s.actors[asean].members, (std::vector<std::size_t>{vnm, sgp}));

  // `between` sets both directions; `from`/`to` one; defaults fill the rest.
  EXPECT_DOUBLE_EQ(tension(s, "VNM", "PRK"), 0.4);
  EXPECT_DOUBLE_EQ(tension(s, "PRK", "VNM"), 0.4);
  EXPECT_DOUBLE_EQ(baseline(s, "PRK", "VNM"), 0.35);
  EXPECT_DOUBLE_EQ(tie(s, "PRK", "VNM"), 0.1);
  EXPECT_DOUBLE_EQ(tension(s, "PRK", "SGP"), 0.5);
  EXPECT_DOUBLE_EQ(baseline(s, "PRK", "SGP"), 0.5);  // baseline defaults to tension
  EXPECT_DOUBLE_EQ(tie(s, "PRK", "SGP"), 0.05);      // the default tie
  EXPECT_DOUBLE_EQ(tension(s, "SGP", "PRK"), 0.3);   // the default
  EXPECT_DOUBLE_EQ(baseline(s, "SGP", "PRK"), 0.3);  // default baseline = default tension
  EXPECT_DOUBLE_EQ(tie(s, "SGP", "PRK"), 0.05);
  EXPECT_DOUBLE_EQ(tension(s, "VNM", "VNM"), 0.0);

  ASSERT_EQ(s.indicators.size(), 2u);
  EXPECT_EQ(s.indicators[0].title, "Vietnam–DPRK tension");
  EXPECT_EQ(s.indicators[0].relations.size(), 2u);  // both directions
  EXPECT_EQ(s.indicators[1].kind, IndicatorKind::cohesion);
  EXPECT_EQ(s.indicators[1].organization, asean);

  ASSERT_EQ(s.events.size(), 4u);
  const Event& visit = s.events[*s.find_event("visit")];
  const Event& statement = s.events[*s.find_event("statement")];
  const Event& talks = s.events[*s.find_event("talks")];
  const Event& review = s.events[*s.find_event("review")];
  // 2025-10-09 is start + 69 days; with 7-day steps it falls in step 69 / 7 + 1 = 10.
  EXPECT_EQ(visit.timing, Timing::at_step);
  EXPECT_EQ(visit.step, 10);
  EXPECT_EQ(visit.origin.line, 19);
  EXPECT_EQ(visit.origin.column, 5);
  EXPECT_EQ(visit.cameo, "042");
  EXPECT_EQ(visit.source.quote, "The visit begins on October 9, 2025");
  ASSERT_EQ(visit.effects.size(), 2u);
  // No size given: taken from the CAMEO code.
  ASSERT_TRUE(visit.effects[0].tension.has_value());
  EXPECT_DOUBLE_EQ(visit.effects[0].tension->mean, tension_change_for_goldstein(*goldstein_weight("042")));
  EXPECT_TRUE(visit.effects[0].both_directions);
  // members(ASEAN) expands to the members.
  EXPECT_EQ(visit.effects[1].from.actors, (std::vector<std::size_t>{vnm, sgp}));
  EXPECT_EQ(visit.effects[1].from.label, "members(ASEAN)");
  EXPECT_EQ(visit.effects[1].to.actors, (std::vector<std::size_t>{1}));
  EXPECT_DOUBLE_EQ(visit.effects[1].tension->mean, 0.02);
  EXPECT_DOUBLE_EQ(visit.effects[1].tension->sd, 0.01);
  EXPECT_FALSE(visit.effects[1].baseline.has_value());
  // Follow-ups resolved to event indices.
  ASSERT_EQ(visit.follow_ups.size(), 1u);
  EXPECT_EQ(visit.follow_ups[0].event, *s.find_event("statement"));
  EXPECT_EQ(visit.follow_ups[0].delay, 2);
  EXPECT_DOUBLE_EQ(visit.follow_ups[0].probability, 0.5);
  EXPECT_EQ(review.follow_ups[0].delay, 0);
  EXPECT_DOUBLE_EQ(review.follow_ups[0].probability, 1.0);

  EXPECT_EQ(statement.timing, Timing::never);
  EXPECT_DOUBLE_EQ(statement.probability, 1.0);
  EXPECT_FALSE(statement.effects[0].both_directions);
  EXPECT_DOUBLE_EQ(statement.effects[0].tension->mean, -0.05);
  EXPECT_DOUBLE_EQ(statement.effects[0].baseline->mean, -0.02);
  EXPECT_DOUBLE_EQ(statement.effects[0].tie->mean, 0.01);

  // Window 2025-11-01 (start + 92 days) to 2025-12-15 (start + 136): steps 14 to 20.
  EXPECT_EQ(talks.timing, Timing::window);
  EXPECT_EQ(talks.window_first, 14);
  EXPECT_EQ(talks.window_last, 20);
  EXPECT_DOUBLE_EQ(talks.probability, 0.7);
  EXPECT_TRUE(talks.condition.has_value());
  EXPECT_EQ(talks.title, "talks");  // the id when no title is given

  EXPECT_EQ(review.timing, Timing::at_step);
  EXPECT_EQ(review.step, 3);
  EXPECT_TRUE(review.condition.has_value());
}

TEST(LoaderGood, DatesBecomeSteps) {
  // Step k covers [start + (k-1)*7, start + k*7): day 0..6 -> step 1, day 7 -> step 2.
  const std::vector<std::pair<std::string, int>> cases{
      {"2025-08-01", 1}, {"2025-08-07", 1}, {"2025-08-08", 2}, {"2025-10-09", 10},
      {"2025-10-10", 11}, {"2025-12-18", 20}};
  for (const auto& [date, step] : cases) {
    auto c = body("events:\n  - {id: a, date: " + date + "}\n");
    ASSERT_TRUE(loads(c.result)) << date;
    EXPECT_EQ(c.result.scenario->events[0].step, step) << date;
  }
  auto c = body("events:\n  - {id: a, date: 2025-12-19}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("2025-12-19"), {"expected 'date' within the scenario's period", "found 2025-12-19"}));
}

TEST(LoaderGood, PoliciesAreApplied) {
  LoadOptions options;
  options.policies = {kGood + "/policy.yaml"};
  options.require_sources = true;
  auto r = load_scenario(kGood + "/small.yaml", options);
  ASSERT_TRUE(loads(r));
  const Scenario& s = *r.scenario;
  EXPECT_EQ(s.policies, (std::vector<std::string>{"test-policy"}));
  EXPECT_DOUBLE_EQ(tie(s, "SGP", "VNM"), 0.05 + 0.05);  // default tie + adjust
  EXPECT_DOUBLE_EQ(tie(s, "VNM", "SGP"), 0.05);         // from/to: one direction
  EXPECT_DOUBLE_EQ(s.actors[*s.find_actor("SGP")].restraint, 0.05 + 0.02);
  ASSERT_EQ(s.events.size(), 5u);
  const Event& e = s.events[*s.find_event("policy-event")];
  EXPECT_EQ(e.policy, "test-policy");
  EXPECT_EQ(e.step, 5);
  EXPECT_EQ(s.events[*s.find_event("visit")].policy, "");
}

TEST(LoaderGood, TextAndFileLoadAlike) {
  const std::string path = kGood + "/small.yaml";
  auto from_file = load_scenario(path);
  auto from_text = load_scenario_text(read_text(path), path, kGood);
  ASSERT_TRUE(loads(from_file));
  ASSERT_TRUE(loads(from_text));
  EXPECT_EQ(from_file.scenario->tension, from_text.scenario->tension);
  EXPECT_EQ(from_file.scenario->events.size(), from_text.scenario->events.size());
}

TEST(LoaderGood, YamlNiceties) {
  // A BOM, CRLF line ends, comments, quoted numbers and anchors used sensibly are all fine.
  std::string text = "\xEF\xBB\xBF" + kHead + "relations:\n  - &r {between: [VNM, PRK], tension: \"0.3\"}  # c\n";
  for (std::size_t p = 0; (p = text.find('\n', p)) != std::string::npos; p += 2) text.replace(p, 1, "\r\n");
  auto c = raw(text);
  ASSERT_TRUE(loads(c.result));
  EXPECT_DOUBLE_EQ(tension(*c.result.scenario, "PRK", "VNM"), 0.3);
  // Errors in a CRLF file still point at the right place.
  text.replace(text.find("tension"), 7, "tenson");
  c = raw(text);
  EXPECT_TRUE(fails_once(c.result, c.at("tenson"), {"unknown key 'tenson'"}));
}

// Every shipped scenario and policy loads with every event citing a passage of its source
// document, and every quote is found in that document.
std::string collapse(const std::string& text) {
  std::string out;
  for (char c : text) {
    const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (space) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

void expect_quotes_verified(const Scenario& s) {
  for (const auto& e : s.events) {
    SCOPED_TRACE(e.id);
    ASSERT_FALSE(e.source.file.empty());
    ASSERT_FALSE(e.source.quote.empty());
    const std::string doc = collapse(read_text(kScenarios + "/sources/" + e.source.file));
    ASSERT_FALSE(doc.empty()) << e.source.file;
    EXPECT_NE(doc.find(collapse(e.source.quote)), std::string::npos) << e.source.quote;
  }
}

TEST(LoaderShipped, EveryScenarioAndPolicyLoadsWithVerifiedSources) {
  std::vector<std::string> scenarios, policies, parts;
  for (const auto& entry : fs::recursive_directory_iterator(kScenarios)) {
    if (entry.path().extension() != ".yaml") continue;
    const std::string path = entry.path().string();
    const std::string text = read_text(path);
    if (entry.path().parent_path().filename() == "policies") policies.push_back(path);
    else if (text.rfind("scenario:", 0) == 0 || text.find("\nscenario:") != std::string::npos) scenarios.push_back(path);
    else parts.push_back(path);
  }
  ASSERT_GE(scenarios.size(), 5u);
  ASSERT_GE(policies.size(), 4u);
  LoadOptions strict;
  strict.require_sources = true;
  for (const auto& path : scenarios) {
    SCOPED_TRACE(path);
    auto r = load_scenario(path, strict);
    ASSERT_TRUE(loads(r));
    expect_quotes_verified(*r.scenario);
  }
  // Each policy on the baseline, then all of them at once on the scenario with most events.
  for (const auto& policy : policies) {
    SCOPED_TRACE(policy);
    LoadOptions with_policy = strict;
    with_policy.policies = {policy};
    auto r = load_scenario(kScenarios + "/baseline.yaml", with_policy);
    ASSERT_TRUE(loads(r));
    expect_quotes_verified(*r.scenario);
    EXPECT_EQ(r.scenario->policies.size(), 1u);
  }
  LoadOptions all = strict;
  all.policies = policies;
  auto r = load_scenario(kScenarios + "/expanded-cooperation.yaml", all);
  ASSERT_TRUE(loads(r));
  EXPECT_EQ(r.scenario->policies.size(), policies.size());
  // Files meant to be included check on their own.
  for (const auto& path : parts) {
    SCOPED_TRACE(path);
    const auto errors = validate_file(path, kScenarios + "/baseline.yaml");
    for (const auto& e : errors) ADD_FAILURE() << format_diagnostic(e);
  }
}

}  // namespace
}  // namespace geosim
