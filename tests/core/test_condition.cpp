#include <geosim/core/condition.hpp>

#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

using geosim::Condition;

namespace {

/// Three actors VNM, PRK, USA and one indicator `risk`; values come from small tables.
struct Fixture {
  std::vector<std::string> actors{"VNM", "PRK", "USA"};
  std::vector<std::string> indicators{"risk"};
  double tension[3][3] = {{0, 0.35, 0.2}, {0.4, 0, 0.8}, {0.25, 0.75, 0}};
  double baseline[3][3] = {{0, 0.3, 0.2}, {0.3, 0, 0.7}, {0.2, 0.7, 0}};
  double tie[3][3] = {{0, 0.3, 0.1}, {0.5, 0, 0}, {0.1, 0, 0}};
  double risk = 0.6;

  geosim::ConditionNames names() const {
    geosim::ConditionNames n;
    auto lookup = [](const std::vector<std::string>& ids) {
      return [ids](const std::string& id, std::size_t& out) {
        for (std::size_t i = 0; i < ids.size(); ++i)
          if (ids[i] == id) return out = i, true;
        return false;
      };
    };
    n.actor = lookup(actors);
    n.indicator = lookup(indicators);
    n.actor_ids = actors;
    n.indicator_ids = indicators;
    return n;
  }
  geosim::ConditionInputs inputs() const {
    return {[this](Condition::Quantity q, std::size_t a, std::size_t b) {
      switch (q) {
        case Condition::Quantity::tension:
          return tension[a][b];
        case Condition::Quantity::baseline:
          return baseline[a][b];
        case Condition::Quantity::tie:
          return tie[a][b];
        case Condition::Quantity::indicator:
          return a == 0 ? risk : -1.0;
      }
      return -1.0;
    }};
  }
  /// Parses and evaluates; fails the test if parsing fails.
  bool eval(const std::string& text) const {
    Condition c;
    std::string error;
    std::size_t offset = 0;
    EXPECT_TRUE(geosim::parse_condition(text, names(), c, error, offset)) << text << ": " << error;
    return geosim::evaluate_condition(c, inputs());
  }
  /// Parses text that must fail; returns the error and its offset.
  std::pair<std::string, std::size_t> error_of(const std::string& text) const {
    Condition c;
    std::string error;
    std::size_t offset = 0;
    EXPECT_FALSE(geosim::parse_condition(text, names(), c, error, offset)) << text;
    EXPECT_FALSE(error.empty()) << text;
    return {error, offset};
  }
};

}  // namespace

TEST(Condition, ComparisonsReadTheRightQuantity) {
  Fixture f;
  EXPECT_TRUE(f.eval("tension(PRK, USA) > 0.7"));    // 0.8
  EXPECT_FALSE(f.eval("tension(USA, PRK) > 0.8"));   // 0.75: direction matters
  EXPECT_TRUE(f.eval("baseline(PRK, USA) >= 0.7"));  // 0.7, inclusive
  EXPECT_FALSE(f.eval("baseline(PRK, USA) > 0.7"));
  EXPECT_TRUE(f.eval("tie(PRK, VNM) <= 0.5"));
  EXPECT_FALSE(f.eval("tie(PRK, VNM) < 0.5"));
  EXPECT_TRUE(f.eval("indicator(risk) < 0.61"));
  EXPECT_TRUE(f.eval("tension(VNM,PRK)<.4"));  // no spaces, leading-dot number
  EXPECT_TRUE(f.eval("tension(VNM, PRK) >= 0"));
}

// Every quantity lies in [0, 1]: a number outside never, or always, holds (a slip for a share, as
// "> 5" for 0.5); an actor with itself has no relation, so its value would always be 0.
TEST(Condition, ANumberOutsideZeroToOneOrAnActorWithItselfIsRefusedAtIt) {
  Fixture f;
  auto [error, offset] = f.error_of("tension(VNM, PRK) > 5");
  EXPECT_EQ(error, "expected a number from 0 to 1 (tensions, baselines, ties and indicators lie there), found 5");
  EXPECT_EQ(offset, 20u);
  EXPECT_EQ(f.error_of("indicator(risk) < -0.5").second, 18u);
  EXPECT_EQ(f.error_of("tie(VNM, PRK) <= 1.01").first.substr(0, 26), "expected a number from 0 t");
  EXPECT_TRUE(f.eval("tension(VNM, PRK) <= 1"));  // the ends are values a quantity can take
  std::tie(error, offset) = f.error_of("baseline(VNM, VNM) > 0.5");
  EXPECT_EQ(error, "expected two different actors in baseline(A, B), found 'VNM' twice");
  EXPECT_EQ(offset, 14u);
}

TEST(Condition, AndOrNot) {
  Fixture f;
  EXPECT_TRUE(f.eval("tension(PRK, USA) > 0.7 and tension(VNM, PRK) < 0.4"));
  EXPECT_FALSE(f.eval("tension(PRK, USA) > 0.7 and tension(VNM, PRK) > 0.4"));
  EXPECT_TRUE(f.eval("tension(PRK, USA) < 0.7 or tension(VNM, PRK) < 0.4"));
  EXPECT_FALSE(f.eval("tension(PRK, USA) < 0.7 or tension(VNM, PRK) > 0.4"));
  EXPECT_TRUE(f.eval("not tension(PRK, USA) < 0.7"));
  EXPECT_FALSE(f.eval("not not tension(PRK, USA) < 0.7"));
  EXPECT_TRUE(f.eval("tie(VNM, PRK) > 0 and tie(VNM, USA) > 0 and tie(USA, VNM) > 0"));
  EXPECT_FALSE(f.eval("tie(VNM, PRK) > 0 and tie(VNM, USA) > 0 and tie(PRK, USA) > 0"));
}

TEST(Condition, AndBindsTighterThanOr) {
  Fixture f;
  // true or (false and false) = true; (true or false) and false would be false.
  EXPECT_TRUE(f.eval("tension(PRK, USA) > 0.7 or tension(VNM, PRK) > 0.9 and indicator(risk) > 0.9"));
  // (false and true) or true = true.
  EXPECT_TRUE(f.eval("tension(VNM, PRK) > 0.9 and indicator(risk) > 0.5 or tie(PRK, VNM) > 0.4"));
  // not binds tighter than and: (not true) and true = false.
  EXPECT_FALSE(f.eval("not tension(PRK, USA) > 0.7 and indicator(risk) > 0.5"));
}

TEST(Condition, ParenthesesOverridePrecedence) {
  Fixture f;
  EXPECT_FALSE(f.eval("(tension(PRK, USA) > 0.7 or tension(VNM, PRK) > 0.9) and indicator(risk) > 0.9"));
  EXPECT_TRUE(f.eval("not (tension(PRK, USA) > 0.7 and indicator(risk) > 0.9)"));
  EXPECT_TRUE(f.eval("((( tension(PRK, USA) > 0.7 )))"));
}

TEST(Condition, UnknownActorReportsItsOffset) {
  Fixture f;
  const auto [error, offset] = f.error_of("tension(VNM, XYZ) > 0.5");
  EXPECT_EQ(offset, 13u);
  EXPECT_NE(error.find("unknown actor 'XYZ'"), std::string::npos) << error;
  EXPECT_NE(error.find("VNM, PRK, USA"), std::string::npos) << error;
  EXPECT_EQ(f.error_of("tension(VNM, PRK) > 0.1 and tie(QQQ, PRK) > 0").second, 32u);
}

TEST(Condition, UnknownIndicatorReportsItsOffset) {
  Fixture f;
  const auto [error, offset] = f.error_of("indicator( nope) > 1");
  EXPECT_EQ(offset, 11u);
  EXPECT_NE(error.find("unknown indicator 'nope'"), std::string::npos) << error;
  EXPECT_NE(error.find("risk"), std::string::npos) << error;
}

TEST(Condition, DeepNestingIsRefusedWithoutOverflow) {
  Fixture f;
  EXPECT_TRUE(f.eval(std::string(20, '(') + "tension(PRK, USA) > 0.7" + std::string(20, ')')));
  const std::string deep = std::string(100000, '(') + "tension(PRK, USA) > 0.7" + std::string(100000, ')');
  EXPECT_NE(f.error_of(deep).first.find("nest"), std::string::npos);
  std::string nots;
  for (int i = 0; i < 100000; ++i) nots += "not ";
  EXPECT_NE(f.error_of(nots + "tension(PRK, USA) > 0.7").first.find("nest"), std::string::npos);
}

TEST(Condition, GarbageIsRejected) {
  Fixture f;
  for (const char* text : {"",
                           "   ",
                           "and",
                           "tension",
                           "tension(VNM PRK) > 0.5",
                           "tension(VNM, PRK) = 0.5",
                           "tension(VNM, PRK) == 0.5",
                           "tension(VNM, PRK) > abc",
                           "tension(VNM, PRK) >",
                           "tension(VNM, PRK) > 0.5 xor tie(VNM, PRK) > 0",
                           "(tension(VNM, PRK) > 0.5",
                           "tension(VNM, PRK) > 0.5)",
                           "tension(VNM, PRK) > inf",
                           "tension(VNM, PRK) > nan",
                           "tension(VNM, PRK) > 0.5 and",
                           "hostility(VNM, PRK) > 0.5",
                           "tension(VNM, PRK, USA) > 0.5",
                           "tension(VNM, PRK) > 0.5 or or tie(VNM, PRK) > 0",
                           "tension(VNM, PRK) > 0.5 andtie(VNM, PRK) > 0",
                           "indicator() > 0",
                           "not",
                           "()"})
    f.error_of(text);
}

TEST(Condition, ErrorOffsetPointsAtTheProblem) {
  Fixture f;
  EXPECT_EQ(f.error_of("tension(VNM, PRK) = 0.5").second, 18u);
  EXPECT_EQ(f.error_of("tension(VNM, PRK) > 0.5 xor").second, 24u);
  EXPECT_EQ(f.error_of("hostility(VNM, PRK) > 0.5").second, 0u);
}
