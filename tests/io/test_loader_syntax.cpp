// Loader tests, hostile input: malformed YAML, invalid bytes, files too large or too deep,
// aliases that would multiply (billion laughs): one clear line per problem naming the file,
// line and column, never a crash or a hang.
#include <gtest/gtest.h>
#include <unistd.h>
#include <geosim/io/cameo.hpp>
#include <geosim/io/loader.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "support/builders.hpp"
#include "support/loader_cases.hpp"

namespace geosim {
namespace {

using namespace testing;  // the cases and their assertions (support/loader_cases.hpp)

// ---------------------------------------------------------------------------------------------
// YAML syntax

TEST(LoaderSyntax, UnclosedFlowList) {
  auto c = body("relations: [ {between: [VNM, PRK], tension: 0.3 }\nevents: []\n");
  EXPECT_TRUE(
      fails_once(c.result, c.at("events"), {"invalid YAML: expected ',' or ']' in a [ ] list", "found 'events:'"}));
}

TEST(LoaderSyntax, UnclosedFlowMapping) {
  auto c = raw("scenario: {id: t\nactors: []\n");
  EXPECT_TRUE(fails_once(c.result, c.at(": []"), {"invalid YAML: expected ',' or '}' in a { } mapping", "found ':'"}));
}

TEST(LoaderSyntax, BadIndentation) {
  auto c = body("relations:\n  - between: [VNM, PRK]\n   tension: 0.3\n");
  EXPECT_TRUE(fails_once(c.result, c.at("tension"),
                         {"invalid YAML: expected the next '- ' item", "found 'tension:'", "check the indentation"}));
  c = body("  bad: x\nrelations: []\n");
  EXPECT_TRUE(fails_once(c.result, c.at("bad"),
                         {"invalid YAML: expected the next 'key: value'", "found 'bad:'", "check the indentation"}));
  c = body("relations:\n  - between: [VNM, PRK] tension: 0.3\n");
  EXPECT_TRUE(fails_once(c.result, c.at("tension"), {"invalid YAML: expected", "found 'tension:'"}));
}

TEST(LoaderSyntax, UnterminatedQuote) {
  auto c = body("relations:\n  - between: [VNM, PRK]\n    tension: \"0.3\n");
  EXPECT_TRUE(fails_once(c.result, c.after("\"0.3"),
                         {"invalid YAML: expected the closing quote", "found the end of the file"}));
  // yaml-cpp alone would take the rest of the file into the title, and lose `step`.
  c = body("events:\n  - id: a\n    title: \"Visit\n    step: 3\n\n");
  EXPECT_TRUE(fails_once(c.result, c.after("step: 3"), {"expected the closing quote", "found the end of the file"}));
  c = body("events:\n  - id: a\n    title: 'Visit\n    step: 3\n# the end\n");
  EXPECT_TRUE(fails_once(c.result, c.after("# the end"), {"expected the closing quote", "found the end of the file"}));
}

TEST(LoaderSyntax, UnknownAliasAndBadEscape) {
  auto c = body("relations: [*nothing]\n");
  EXPECT_TRUE(fails_once(
      c.result, c.at("*nothing"),
      {"invalid YAML: expected an alias (*name) of an anchor (&name) defined before it", "found '*nothing'"}));
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
  EXPECT_TRUE(fails_once(raw("hello\n").result, At{"case.yaml", 1, 1},
                         {"expected a scenario file as a mapping", "found 'hello'"}));
  EXPECT_TRUE(fails_once(raw("- a\n- b\n").result, At{"case.yaml", 1, 1},
                         {"expected a scenario file as a mapping", "found a list"}));
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
  for (const std::string bad :
       {"\xED\xA0\x80", "\xE0\x80\xAF", "\xC0\xAF", "\xF0\x80\x80\xAF", "\xF4\x90\x80\x80", "\xF8\x88\x80\x80\x80"}) {
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
        case 0:
          text[at] = ch;
          break;
        case 1:
          text.insert(at, 1, ch);
          break;
        default:
          text.erase(at, 1 + rng() % 8);
          break;
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
  EXPECT_TRUE(fails_once(load_scenario_text(big, "big.yaml"), At{"big.yaml", 0, 0},
                         {"expected a file of at most 4 MiB", found}));
  // Just under the limit is fine.
  big.resize((4u << 20) - 100);
  big.resize(big.rfind('\n') + 1);
  EXPECT_TRUE(loads(load_scenario(dir.write("big.yaml", big))));
}

TEST(LoaderInput, OverlongLine) {
  auto c = body("# " + std::string(20000, 'x') + "\n");
  EXPECT_TRUE(
      fails_once(c.result, At{"case.yaml", H + 1, 1}, {"expected lines of at most 16384 bytes", "found a longer one"}));
  c = body("# " + std::string(20000, 'x'));  // the last line, without a line break
  EXPECT_TRUE(fails_once(c.result, At{"case.yaml", H + 1, 1}, {"expected lines of at most 16384 bytes"}));
}

TEST(LoaderInput, NotAFile) {
  EXPECT_TRUE(fails_once(load_scenario(kBad + "/no-such-file.yaml"), At{"no-such-file.yaml", 0, 0},
                         {"cannot open file", "no such file"}));
  EXPECT_TRUE(fails_once(load_scenario(kBad), At{"bad", 0, 0}, {"expected a regular file", "found a folder"}));
}

// ---------------------------------------------------------------------------------------------
// Deep nesting: a clean error, never a stack overflow

TEST(LoaderDepth, HundredThousandOpenBrackets) {
  auto c = body("events: " + std::string(100000, '['));
  // `events: ` is 8 columns; the 65th bracket is the first one too deep.
  EXPECT_TRUE(fails_once(c.result, At{"case.yaml", H + 1, 8 + 65},
                         {"expected nesting of at most 64 levels", "found deeper nesting"}));
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
  c = body("events: ['a\n" + repeat("\" ', " + std::string(100, '[') + " 'a\n", 40) + "\" '" + std::string(4001, ']') +
           "\n");
  EXPECT_TRUE(fails_once(c.result, anywhere(), {"invalid YAML: expected", "nest", "found deeper nesting"}));
}

TEST(LoaderDepth, CompactNestedBlockLists) {
  // "- - - - x": each dash opens a list; the 65th is one too many.
  for (std::size_t n : {100u, 8000u}) {
    auto c = body("events:\n  " + repeat("- ", n) + "x\n");
    EXPECT_TRUE(fails_once(c.result, At{"case.yaml", H + 2, 3 + 64 * 2},
                           {"expected nesting of at most 64 levels", "found deeper"}));
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
    EXPECT_TRUE(fails_once(body(text).result, At{"case.yaml", H + 1 + 257, 258},
                           {"expected indentation of at most 256 columns", "found 257"}));
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
    c = body("relations:\n  - between: [VNM, PRK]\n    tension: 0.3\n    note:\n" + laughs() + "events: *i\n");
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
  EXPECT_TRUE(
      fails_once(c.result, c.at("*i"),
                 {"invalid YAML: expected an alias (*name) of an anchor (&name) defined before it", "found '*i'"}));
}

TEST(LoaderAliases, OneEventRepeatedTwentyThousandTimes) {
  Case c;
  {  // how fast it fails is measured in bench/ (BM_LoadHostile), not here
    c = body("events:\n  - &e {id: dup, step: 1, effects: [{between: [VNM, PRK], tension: 0.01}]}\n" +
             repeat("  - *e\n", 20000));
  }
  // One problem, one line: not twenty thousand copies of it.
  EXPECT_TRUE(fails_once(c.result, c.at("dup"),
                         {"duplicate event id 'dup'", "first defined at case.yaml:" + std::to_string(H + 2) + ":5"}));
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
  EXPECT_TRUE(
      matches(c.result.errors.back(), At{"case.yaml", 0, 0}, {"too many problems: stopped after the first 100"}));
}

TEST(LoaderAliases, ThousandsOfFollowUpsAreRefused) {
  Case c;
  {  // how fast it fails is measured in bench/ (BM_LoadHostile), not here
    c = body("events:\n  - id: f\n    follow_ups: [&f {event: f, delay: 1}\n" + repeat("      , *f\n", 20000) +
             "      ]\n");
  }
  EXPECT_TRUE(
      fails_once(c.result, c.after("follow_ups: "), {"expected at most 1000 follow-ups in an event", "found 20001"}));
}

}  // namespace
}  // namespace geosim
