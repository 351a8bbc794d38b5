// Pages from templates (template.hpp): the JSON view as Mustache data, escaping by html_escape,
// partials from the same folder, and a clear one-line error for a missing or broken template.
#include <gtest/gtest.h>
#include <geosim/core/run.hpp>
#include <geosim/report/html_report.hpp>
#include <geosim/report/template.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/builders.hpp"
#include "support/cli.hpp"

namespace geosim {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;

fs::path folder(const std::string& name, const std::vector<std::pair<std::string, std::string>>& files) {
  const fs::path dir = testing::temp_dir(name);
  for (const auto& [file, text] : files) std::ofstream(dir / file, std::ios::binary) << text;
  return dir;
}

std::string render(const std::string& text, const json& view) {
  const fs::path dir = folder("render", {{"page", text}});
  const RenderedTemplate page = render_template("page", view, dir.string());
  EXPECT_EQ(page.error, "");
  return page.text.value_or("<error>");
}

TEST(Template, EscapesEveryNameAsHtmlEscapeDoes) {
  const std::string name = "A <b>\"&'</b> https://x.org HTTP://y";
  // Written out by hand: the five characters, and the colon of each URL as &#58;.
  EXPECT_EQ(render("{{name}}", {{"name", name}}),
            "A &lt;b&gt;&quot;&amp;&#39;&lt;/b&gt; https&#58;//x.org HTTP&#58;//y");
  EXPECT_EQ(render("{{name}}", {{"name", name}}), html_escape(name));
  // A name is data, never template text: braces in it stay braces.
  EXPECT_EQ(render("{{name}}", {{"name", "{{x}} {{> page}}"}, {"x", "no"}}), "{{x}} {{&gt; page}}");
  // Triple braces: as it is (for what is safe by construction).
  EXPECT_EQ(render("{{{name}}}", {{"name", "<svg>"}}), "<svg>");
}

TEST(Template, SectionsListsAndNumbers) {
  const json view = {{"yes", true},
                     {"no", false},
                     {"none", nullptr},
                     {"rows", {{{"id", "a"}, {"n", 1}}, {{"id", "b"}, {"n", 2.5}}}},
                     {"empty", json::array()},
                     {"inner", {{"x", "in"}}}};
  EXPECT_EQ(render("{{#yes}}Y{{/yes}}{{#no}}N{{/no}}{{^no}}!N{{/no}}{{#none}}0{{/none}}", view), "Y!N");
  EXPECT_EQ(render("{{#rows}}[{{id}}={{n}}]{{/rows}}{{^empty}}(none){{/empty}}", view), "[a=1][b=2.5](none)");
  EXPECT_EQ(render("{{#inner}}{{x}}{{/inner}}", view), "in");
  EXPECT_EQ(render("{{#rows}}{{.}}{{/rows}}", {{"rows", {"p", "q"}}}), "pq");
  // A line whose section is left out leaves nothing when its newline is inside the section.
  EXPECT_EQ(render("a\n{{#no}}b\n{{/no}}c\n", view), "a\nc\n");
}

TEST(Template, PartialsComeFromTheSameFolderAndAreEscapedAlike) {
  const fs::path dir = folder("partials", {{"page", "<p>{{> item.html}}</p>"}, {"item.html", "{{name}}!"}});
  const RenderedTemplate page = render_template("page", {{"name", "<x>"}}, dir.string());
  EXPECT_EQ(page.text.value_or(""), "<p>&lt;x&gt;!</p>");
}

TEST(Template, MissingOrBrokenTemplatesAreOneLineErrors) {
  const fs::path dir =
      folder("broken", {{"open", "{{#rows}}never closed"}, {"uses", "{{> gone}}"}, {"inner", "{{> uses}}"}});
  fs::create_directory(dir / "folder");
  for (const std::string name : {"missing.html", "open", "folder", "../x", "uses", "inner"}) {
    const RenderedTemplate page = render_template(name, json::object(), dir.string());
    EXPECT_FALSE(page.text) << name;
    EXPECT_NE(page.error, "") << name;
    EXPECT_EQ(page.error.find('\n'), std::string::npos) << page.error;
  }
  EXPECT_NE(render_template("missing.html", json::object(), dir.string()).error.find((dir / "missing.html").string()),
            std::string::npos);
  EXPECT_NE(render_template("inner", json::object(), dir.string()).error.find("asks for gone"), std::string::npos);
}

TEST(Template, TheReportSaysWhenItsTemplateIsMissingAndWritesNothing) {
  ReportData data;
  data.scenario = testing::make_scenario({"A", "B"});
  data.run = run_scenario(data.scenario, RunOptions{});
  ReportOptions options;
  options.graphviz = "";
  options.templates_dir = testing::temp_dir("no_templates").string();
  std::ostringstream out;
  const ReportOutcome outcome = write_html_report(out, data, options);
  EXPECT_NE(outcome.error.find("report.html.mustache"), std::string::npos) << outcome.error;
  EXPECT_EQ(out.str(), "");
}

TEST(Template, TheShippedTemplatesAreFoundBesideTheProgram) {
  const std::string dir = default_templates_dir();
  ASSERT_NE(dir, "");
  EXPECT_TRUE(fs::is_regular_file(fs::path(dir) / "report.html.mustache"));
}

TEST(Template, TheCommandLineSaysWhenTheTemplatesAreMissing) {
  // The program copied to a folder with no templates/ beside it and none in ../share/geosim.
  const fs::path dir = testing::temp_dir("bare") / "bin";
  fs::create_directories(dir);
  fs::copy_file(GEOSIM_BINARY, dir / "geosim");
  const fs::path out = dir / "page.html";
  const std::string command = "env -u GEOSIM_DATA " + (dir / "geosim").string() + " report " +
                              testing::shipped("baseline.yaml") + " --graphviz none --out " + out.string() + " > " +
                              (dir / "out.txt").string() + " 2> " + (dir / "err.txt").string();
  const int status = std::system(command.c_str());
  EXPECT_NE(status, 0);
  const std::string err = testing::slurp(dir / "err.txt");
  EXPECT_NE(err.find("cannot find the templates folder"), std::string::npos) << err;
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
  EXPECT_FALSE(fs::exists(out));
}

}  // namespace
}  // namespace geosim
