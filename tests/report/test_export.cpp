// Exports of the relation graph: what Graphviz, Gephi/yEd and spreadsheets will read.
#include <gtest/gtest.h>
#include <geosim/core/run.hpp>
#include <geosim/io/loader.hpp>
#include <geosim/report/export.hpp>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include <unistd.h>
#include "support/builders.hpp"

namespace geosim {
namespace {

struct Exported {
  Scenario scenario;
  State state;
};

Exported realignment_at(int step) {
  LoadResult loaded = load_scenario(testing::shipped("realignment.yaml"));
  EXPECT_TRUE(loaded.ok());
  RunOptions options;
  options.steps = step;
  return {*loaded.scenario, run_scenario(*loaded.scenario, options).final_state};
}

std::string exported(const Exported& e, ExportFormat format) {
  std::ostringstream out;
  export_graph(out, e.scenario, e.state, format);
  return out.str();
}

int count(const std::string& text, const std::string& what) {
  int n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(Export, ColourRunsFromGreenThroughAmberToRed) {
  EXPECT_EQ(tension_colour(0.0), "#1a9850");
  EXPECT_EQ(tension_colour(0.5), "#fee08b");
  EXPECT_EQ(tension_colour(1.0), "#d73027");
}

TEST(Export, DotHasEveryActorAndEveryDirectedRelationWithItsTension) {
  const Exported e = realignment_at(20);
  const std::string dot = exported(e, ExportFormat::dot);
  const std::size_t n = e.scenario.actor_count();
  EXPECT_EQ(count(dot, "];\n"), int(n + n * (n - 1))) << "one statement per actor and per relation";
  EXPECT_EQ(count(dot, "tension="), int(n * (n - 1)));
  // The VNM->USA edge carries the state's tension.
  const double t =
      e.state.tension(Eigen::Index(*e.scenario.find_actor("VNM")), Eigen::Index(*e.scenario.find_actor("USA")));
  std::smatch m;
  const std::string text = dot;
  ASSERT_TRUE(std::regex_search(text, m, std::regex(R"("VNM"->"USA"\s+\[[^\]]*tension=([0-9.]+))")));
  EXPECT_NEAR(std::stod(m[1]), t, 1e-5);
}

TEST(Export, DotRendersWithGraphvizWhenInstalled) {
  if (std::system("command -v dot >/dev/null 2>&1") != 0) GTEST_SKIP() << "graphviz not installed";
  const auto dir = std::filesystem::temp_directory_path() / ("geosim_export_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "g.dot") << exported(realignment_at(52), ExportFormat::dot);
  const std::string cmd = "dot -Tsvg " + (dir / "g.dot").string() + " -o " + (dir / "g.svg").string();
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  std::ifstream svg(dir / "g.svg");
  std::stringstream s;
  s << svg.rdbuf();
  EXPECT_NE(s.str().find("<svg"), std::string::npos);
  EXPECT_NE(s.str().find("Vietnam"), std::string::npos);
  // A name holding an entity's text is drawn as written: Graphviz reads "&lt;" in a label as "<".
  Exported named = realignment_at(1);
  named.scenario.actors[0].name = "Viet &lt;Nam&gt; &amp; &#65;";
  std::ofstream(dir / "named.dot") << exported(named, ExportFormat::dot);
  ASSERT_EQ(std::system(("dot -Tsvg " + (dir / "named.dot").string() + " -o " + (dir / "named.svg").string()).c_str()),
            0);
  std::ifstream named_svg(dir / "named.svg");
  std::stringstream drawn;
  drawn << named_svg.rdbuf();
  EXPECT_NE(drawn.str().find(">Viet &amp;lt;Nam&amp;gt; &amp;amp; &amp;#65;</text>"), std::string::npos) << drawn.str();
  std::filesystem::remove_all(dir);
}

TEST(Export, GraphmlDeclaresAttributesAndHasEveryEdge) {
  const Exported e = realignment_at(10);
  const std::string xml = exported(e, ExportFormat::graphml);
  const std::size_t n = e.scenario.actor_count();
  EXPECT_NE(xml.find("attr.name=\"tension\" attr.type=\"double\""), std::string::npos);
  EXPECT_NE(xml.find("attr.name=\"tie\" attr.type=\"double\""), std::string::npos);
  EXPECT_EQ(count(xml, "<edge "), int(n * (n - 1)));
  EXPECT_EQ(count(xml, "<node "), int(n));
}

TEST(Export, CsvAndJsonCarryTheSameNumbersAsTheState) {
  const Exported e = realignment_at(30);
  const std::string csv = exported(e, ExportFormat::csv);
  const std::size_t n = e.scenario.actor_count();
  EXPECT_EQ(count(csv, "\n"), int(n * (n - 1)) + 1);
  const auto json = nlohmann::json::parse(exported(e, ExportFormat::json));
  ASSERT_EQ(json["relations"].size(), n * (n - 1));
  for (const auto& r : json["relations"]) {
    const auto i = Eigen::Index(*e.scenario.find_actor(r["from"].get<std::string>()));
    const auto j = Eigen::Index(*e.scenario.find_actor(r["to"].get<std::string>()));
    EXPECT_EQ(r["tension"].get<double>(), e.state.tension(i, j));
    EXPECT_EQ(r["tie"].get<double>(), e.state.tie(i, j));
  }
}

// A world whose only pair has no relation exports "relations": [] (the key was missing, so a
// reader's doc["relations"] failed), and a name's carriage return reaches a GraphML reader as one
// (&#13;: a raw CR is read back as a line feed).
TEST(Export, EmptyRelationsAndCarriageReturnsSurviveTheReader) {
  LoadResult loaded = load_scenario_text(
      "scenario: {id: two, title: Two, start: 2025-01-01, steps: 2}\n"
      "actors:\n  - {id: AAA, name: \"A\\rB\", restraint: 0.1, reactivity: 0.05}\n"
      "  - {id: BBB, name: B, restraint: 0.1, reactivity: 0.05}\n"
      "relations:\n  - {between: [AAA, BBB], absent: true}\n",
      "two.yaml");
  for (const auto& error : loaded.errors) ADD_FAILURE() << format_diagnostic(error);
  ASSERT_TRUE(loaded.ok());
  Rng rng(1);
  const Exported e{*loaded.scenario, initial_state(*loaded.scenario, rng)};
  const auto json = nlohmann::json::parse(exported(e, ExportFormat::json));
  ASSERT_TRUE(json.contains("relations")) << json.dump();
  EXPECT_EQ(json["relations"], nlohmann::json::array());
  EXPECT_EQ(json["actors"][0]["name"], "A\rB");
  const std::string xml = exported(e, ExportFormat::graphml);
  EXPECT_EQ(xml.find('\r'), std::string::npos);
  EXPECT_NE(xml.find(">A&#13;B</data>"), std::string::npos) << xml;
  EXPECT_EQ(count(xml, "<edge "), 0);
}

TEST(Export, UnknownFormatIsRejected) {
  EXPECT_FALSE(parse_export_format("svg"));
  EXPECT_EQ(parse_export_format("graphml"), ExportFormat::graphml);
}

}  // namespace
}  // namespace geosim
