// Loader tests of what a scenario refers to outside itself: its sources' quotes, checked against
// the documents beside it, and the policies loaded with it: one line per problem naming the file,
// line and column.
#include <gtest/gtest.h>
#include <geosim/io/loader.hpp>

#include <string>

#include "support/builders.hpp"
#include "support/loader_cases.hpp"

namespace geosim {
namespace {

using namespace testing;  // the cases and their assertions (support/loader_cases.hpp)

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
  EXPECT_TRUE(
      fails_once(c.result, c.at("\"not"),
                 {"expected a verbatim passage of doc.txt", "found a quote that is not in it: 'not in the text'"}));
  c = quote_case("events:\n  - {id: a, step: 1, source: {file: nodoc.txt, quote: \"x\"}}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("\"x\""), {"unknown source file 'nodoc.txt'", "(known sources: doc.txt)"}));
  c = quote_case("events:\n  - {id: a, step: 1, source: {file: ../left.yaml, quote: \"x\"}}\n");
  EXPECT_TRUE(
      fails_once(c.result, c.at("\"x\""), {"expected a source file name inside sources/", "found '../left.yaml'"}));
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
  c = quote_case("events:\n  - {id: a, step: 1, source: {file: doc.txt, quote: \"a joint statement follows\"}}\n",
                 true);
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

}  // namespace
}  // namespace geosim
