// Names are data, never code or paths: ids follow their documented patterns at load time, and
// every name is escaped for the format it goes into (DOT, CSV, Markdown, the report's page).
#include <gtest/gtest.h>
#include <geosim/core/ids.hpp>
#include <geosim/core/run.hpp>
#include <geosim/io/escape.hpp>
#include <geosim/io/loader.hpp>
#include <geosim/report/export.hpp>
#include <geosim/report/html_report.hpp>
#include <geosim/report/report.hpp>
#include <geosim/tabletop/after_action.hpp>
#include <geosim/tabletop/session.hpp>
#include <geosim/tabletop/session_file.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "support/builders.hpp"
#include "support/cli.hpp"

namespace geosim {
namespace {
namespace fs = std::filesystem;

bool contains(const std::string& text, const std::string& what) { return text.find(what) != std::string::npos; }

/// An RFC 4180 reader, written from the RFC's grammar: records of fields; a field is quoted
/// ("" stands for ") or runs to the next comma or line break.
std::vector<std::vector<std::string>> read_csv(const std::string& text) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  std::size_t i = 0;
  bool at_field_start = true;
  while (i < text.size()) {
    const char c = text[i];
    if (at_field_start && c == '"') {
      ++i;
      while (i < text.size()) {
        if (text[i] == '"' && i + 1 < text.size() && text[i + 1] == '"')
          field += '"', i += 2;
        else if (text[i] == '"') {
          ++i;
          break;
        } else
          field += text[i++];
      }
      at_field_start = false;
      continue;
    }
    at_field_start = false;
    if (c == ',') {
      record.push_back(field), field.clear(), at_field_start = true;
    } else if (c == '\n') {
      record.push_back(field), field.clear(), records.push_back(record), record.clear(), at_field_start = true;
    } else if (c != '\r') {
      field += c;
    }
    ++i;
  }
  if (!record.empty() || !field.empty()) record.push_back(field), records.push_back(record);
  return records;
}

/// Markdown text outside code spans, by CommonMark's rule: a run of N backticks opens a span
/// that the next run of exactly N backticks closes (an unmatched run is literal text).
std::string outside_code_spans(const std::string& line) {
  std::string out;
  std::size_t i = 0;
  while (i < line.size()) {
    if (line[i] == '\\' && i + 1 < line.size()) {
      out += line.substr(i, 2);
      i += 2;
      continue;
    }
    if (line[i] != '`') {
      out += line[i++];
      continue;
    }
    std::size_t n = 0;
    while (i + n < line.size() && line[i + n] == '`') ++n;
    std::size_t close = std::string::npos;
    for (std::size_t j = i + n; j < line.size();) {
      if (line[j] != '`') {
        ++j;
        continue;
      }
      std::size_t m = 0;
      while (j + m < line.size() && line[j + m] == '`') ++m;
      if (m == n) {
        close = j;
        break;
      }
      j += m;
    }
    if (close == std::string::npos) {
      out += line.substr(i, n);
      i += n;
    } else {
      out += "CODE";
      i = close + n;
    }
  }
  return out;
}

/// The content of the first code span in `line`, per CommonMark (one space stripped from both
/// ends when both are spaces).
std::string first_code_span(const std::string& line) {
  const std::size_t open = line.find('`');
  if (open == std::string::npos) return "";
  std::size_t n = 0;
  while (line[open + n] == '`') ++n;
  const std::string fence(n, '`');
  for (std::size_t j = line.find(fence, open + n); j != std::string::npos; j = line.find(fence, j + 1)) {
    if ((j + n < line.size() && line[j + n] == '`') || line[j - 1] == '`') continue;
    std::string body = line.substr(open + n, j - open - n);
    if (body.size() >= 2 && body.front() == ' ' && body.back() == ' ') body = body.substr(1, body.size() - 2);
    return body;
  }
  return "";
}

// ---------------------------------------------------------------- ids

LoadResult load(const std::string& scenario_id, const std::string& indicator_id, const std::string& condition) {
  const std::string text = "scenario:\n  id: " + scenario_id +
                           "\n  title: T\n  start: 2025-08-01\n  step_days: 7\n  steps: 3\n"
                           "actors:\n  - {id: VNM}\n  - {id: USA}\n"
                           "indicators:\n  - id: " +
                           indicator_id +
                           "\n    kind: mean\n    relations: [[VNM, USA]]\n"
                           "events:\n  - id: e\n    step: 1\n    condition: \"" +
                           condition + "\"\n    effects: [{between: [VNM, USA], tension: 0.1}]\n";
  return load_scenario_text(text, "t.yaml");
}

TEST(Ids, AScenarioIdThatIsAPathIsRefusedWithItsPlace) {
  for (const char* id : {"'../../escaped'", "/etc", "Caps", "a.b", "a_b"}) {
    const LoadResult r = load(id, "vu", "indicator(vu) > 0.5");
    ASSERT_FALSE(r.ok()) << id;
    const std::string message = format_diagnostic(r.errors.front());
    EXPECT_TRUE(contains(message, "t.yaml:2:7:")) << message;
    EXPECT_TRUE(contains(message, "expected a scenario id of lower-case letters, digits and '-'")) << message;
  }
  EXPECT_TRUE(load("ok-2", "vu", "indicator(vu) > 0.5").ok());
}

TEST(Ids, EveryIndicatorIdTheLoaderTakesCanBeUsedInACondition) {
  const LoadResult hyphen = load("t", "vnm-usa", "indicator(vnm_usa) > 0.5");
  ASSERT_FALSE(hyphen.ok());
  EXPECT_TRUE(contains(format_diagnostic(hyphen.errors.front()), "t.yaml:11:9: error: expected an indicator id"))
      << format_diagnostic(hyphen.errors.front());
  for (const char* id : {"a", "vnm_usa", "x_1_2", "0lead", "with_digits_09"}) {
    const LoadResult r = load("t", id, std::string("indicator(") + id + ") > 0.5 and not indicator(" + id + ") > 0.9");
    EXPECT_TRUE(r.ok()) << id << (r.errors.empty() ? "" : format_diagnostic(r.errors.front()));
  }
  for (const char* id : {"a,b", "a-b", "A", "a b", "a/b"}) EXPECT_FALSE(valid_id(IdKind::indicator, id)) << id;
}

TEST(Ids, PatternsAreTheDocumentedOnes) {
  EXPECT_TRUE(valid_id(IdKind::actor, "VNM_2"));
  EXPECT_FALSE(valid_id(IdKind::actor, "2VN"));
  EXPECT_FALSE(valid_id(IdKind::actor, "vnm"));
  EXPECT_TRUE(valid_id(IdKind::event, "to-lam_visit2"));
  EXPECT_FALSE(valid_id(IdKind::event, "../x"));
  EXPECT_TRUE(valid_id(IdKind::policy, "quiet-diplomacy"));
  EXPECT_FALSE(valid_id(IdKind::policy, "quiet diplomacy"));
  EXPECT_TRUE(valid_id(IdKind::branch, "What-if_2"));
  EXPECT_FALSE(valid_id(IdKind::branch, std::string(41, 'a')));
  EXPECT_FALSE(valid_id(IdKind::scenario, ""));
}

TEST(Ids, RunWithAPathAsScenarioIdWritesNothing) {
  const fs::path dir = testing::temp_dir("ids_run");
  std::ofstream(dir / "evil.yaml") << "scenario:\n  id: ../../escaped\n  title: T\n  start: 2025-08-01\n"
                                      "  step_days: 7\n  steps: 3\nactors:\n  - {id: VNM}\n  - {id: USA}\n";
  const std::string cmd = "cd " + dir.string() + " && GEOSIM_SCENARIOS=" + GEOSIM_SCENARIOS_DIR + " " + GEOSIM_BINARY +
                          " run evil.yaml >out.txt 2>err.txt";
  const int status = std::system(cmd.c_str());
  EXPECT_EQ(WEXITSTATUS(status), 1);
  EXPECT_TRUE(contains(testing::slurp(dir / "err.txt"), "evil.yaml:2:7: error: expected a scenario id"))
      << testing::slurp(dir / "err.txt");
  EXPECT_FALSE(fs::exists(dir / ".." / "escaped"));
  EXPECT_FALSE(fs::exists(dir / "out"));
  fs::remove_all(dir);
}

TEST(Ids, ASavedSessionsBranchNamesFollowTheBranchPattern) {
  std::vector<Diagnostic> errors;
  auto session =
      Session::start({"realignment", {}, 1, GEOSIM_SCENARIOS_DIR, "", {}, {}, {}, kEnsembleMemoryBudget}, errors);
  ASSERT_TRUE(session.has_value());
  ASSERT_TRUE(session->branch("doves").ok);
  const std::string good = session_to_json(*session);
  ASSERT_TRUE(session_from_json(good, "s.json", GEOSIM_SCENARIOS_DIR).session.has_value());
  const std::string from = "\"name\": \"doves\"";
  ASSERT_TRUE(contains(good, from)) << good;
  for (const char* name : {"../doves", "do ves", "do\\u001b[2Jves", ""}) {
    std::string bad = good;
    bad.replace(bad.find(from), from.size(), std::string("\"name\": \"") + name + "\"");
    const ResumeResult r = session_from_json(bad, "s.json", GEOSIM_SCENARIOS_DIR);
    EXPECT_FALSE(r.session.has_value()) << name;
    ASSERT_FALSE(r.errors.empty()) << name;
    EXPECT_TRUE(contains(r.errors.front().message, "expected a branch name of letters, digits"))
        << r.errors.front().message;
  }
}

// ---------------------------------------------------------------- DOT

Scenario hostile_scenario() {
  Scenario s = testing::make_scenario({"AAA", "BBB", "CCC"});
  s.actors[0].name = "Evil\\";
  s.actors[1].name = "x\" URL=\"javascript:alert(1)\" y=\"";
  s.actors[2].name = "line\nbreak \\\" \\N";
  return s;
}

std::string dot_of(const Scenario& s) {
  Rng rng(1);
  std::ostringstream out;
  export_graph(out, s, initial_state(s, rng), ExportFormat::dot);
  return out.str();
}

TEST(Dot, QuotedStringsEscapeQuotesBackslashesAndLineBreaks) {
  EXPECT_EQ(dot_quoted("plain"), "\"plain\"");
  EXPECT_EQ(dot_quoted("a\\"), "\"a\\\\\"");
  EXPECT_EQ(dot_quoted("say \"hi\""), "\"say \\\"hi\\\"\"");
  EXPECT_EQ(dot_quoted("two\nlines\r"), "\"two\\nlines\"");
  EXPECT_EQ(dot_quoted("tab\tbetween"), "\"tab between\"");             // not "tabbetween"
  EXPECT_EQ(dot_quoted("A &amp; B & C"), "\"A &amp;amp; B &amp; C\"");  // drawn as written, not "A & B"
  EXPECT_EQ(dot_quoted("csi\xC2\x9B"
                       "2J\xEF\xBF\xBF"
                       "end"),
            "\"csi2Jend\"")
      << "C1 controls and noncharacters dropped";
}

TEST(Dot, HostileNamesStayLabelsInGraphviz) {
  const Scenario s = hostile_scenario();
  const std::string dot = dot_of(s);
  // Each actor is one statement whose only attribute is its label.
  for (const auto& actor : s.actors)
    EXPECT_TRUE(contains(dot, "\"" + actor.id + "\" [label=" + dot_quoted(actor.name) + "];\n")) << dot;
  std::string error;
  const auto svg = graphviz_svg(dot, "dot", "t-", error);
  if (!svg && contains(error, "cannot run Graphviz")) GTEST_SKIP() << error;
  ASSERT_TRUE(svg) << error;
  EXPECT_FALSE(contains(*svg, "href")) << "no link in the picture: " << *svg;
  // Graphviz shows the names as they are (XML-escaped in the SVG's text).
  EXPECT_TRUE(contains(*svg, ">Evil\\</text>")) << *svg;
  EXPECT_TRUE(contains(*svg, ">x&quot; URL=&quot;javascript:alert(1)&quot; y=&quot;</text>")) << *svg;
}

TEST(Dot, TheReportPageRunsOnlyItsOwnScripts) {
  ReportData data;
  data.scenario = hostile_scenario();
  RunOptions options;
  data.run = run_scenario(data.scenario, options);
  ReportOptions report;
  report.graphviz = "dot";
  std::ostringstream page_out;
  const ReportOutcome outcome = write_html_report(page_out, data, report);
  const std::string page = page_out.str();
  std::smatch m;
  ASSERT_TRUE(std::regex_search(page, m, std::regex("Content-Security-Policy\" content=\"([^\"]*)\"")));
  const std::string csp = m[1].str();
  ASSERT_TRUE(std::regex_search(csp, m, std::regex("script-src ([^;]*)")));
  const std::string script_src = m[1].str();
  EXPECT_FALSE(contains(script_src, "'unsafe-inline'")) << "'unsafe-inline' lets javascript: URLs run: " << csp;
  ASSERT_TRUE(std::regex_search(script_src, m, std::regex("'nonce-([A-Za-z0-9+/=_-]+)'"))) << csp;
  const std::string nonce = m[1].str();
  // Every script the page runs carries the nonce (JSON data blocks are not run).
  const std::regex script("<script([^>]*)>");
  int scripts = 0;
  for (auto it = std::sregex_iterator(page.begin(), page.end(), script); it != std::sregex_iterator(); ++it) {
    const std::string attributes = (*it)[1].str();
    if (contains(attributes, "type=\"application/json\"")) continue;
    ++scripts;
    EXPECT_TRUE(contains(attributes, "nonce=\"" + nonce + "\"")) << attributes;
  }
  EXPECT_GE(scripts, 1);
  ASSERT_EQ(outcome.network_diagrams, 1) << (outcome.notes.empty() ? "" : outcome.notes.front());
  const std::size_t svg = page.find("<svg");
  ASSERT_NE(svg, std::string::npos);
  EXPECT_FALSE(contains(page.substr(svg, page.find("</svg>", svg) - svg), "href")) << "no link in the picture";
}

// ---------------------------------------------------------------- CSV

TEST(Csv, FieldsAreQuotedAsRfc4180Says) {
  EXPECT_EQ(csv_field("VNM"), "VNM");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(read_csv("a,\"b,c\",\"d\"\"e\"\n"), (std::vector<std::vector<std::string>>{{"a", "b,c", "d\"e"}}));
}

// OWASP's advice on CSV injection: a cell a spreadsheet would run as a formula (=, +, -, @, or a
// tab or carriage return first) is shown as text with a leading quote mark; the controls a
// terminal acts on (escape, bell, C1) are dropped, as in the Markdown files.
TEST(Csv, AFieldASpreadsheetWouldRunIsTextAndATerminalSeesNoEscape) {
  EXPECT_EQ(csv_field("=HYPERLINK(\"http:evil\";\"x\").yaml"), "\"'=HYPERLINK(\"\"http:evil\"\";\"\"x\"\").yaml\"");
  EXPECT_EQ(csv_field("@SUM(1+1).yaml"), "\"'@SUM(1+1).yaml\"");
  EXPECT_EQ(csv_field("+1"), "\"'+1\"");
  EXPECT_EQ(csv_field("-x"), "\"'-x\"");
  EXPECT_EQ(csv_field("\tx"), "\"'\tx\"");
  EXPECT_EQ(csv_field("a=b"), "a=b") << "only the first character makes a formula";
  EXPECT_EQ(csv_field("c\x1b]0;PWN\x07.yaml"), "c]0;PWN.yaml");
  EXPECT_EQ(csv_field("\xc2\x9b"
                      "31m"),
            "31m")
      << "C1's CSI";
  EXPECT_EQ(read_csv(csv_field("=1+1") + "\n"), (std::vector<std::vector<std::string>>{{"'=1+1"}}));
}

TEST(Csv, NamesWithCommasAndQuotesKeepEveryFileRectangular) {
  Scenario s = testing::make_scenario({"VNM", "USA"});
  Indicator indicator;
  indicator.id = "a,b";
  indicator.title = "A";
  indicator.relations = {{0, 1}};
  s.indicators.push_back(indicator);
  indicator.id = "say \"x\"";
  s.indicators.push_back(indicator);
  s.actors[0].id = "V,N";
  s.index_actors();
  RunOptions options;
  options.steps = 2;
  const RunResult result = run_scenario(s, options);
  std::ostringstream indicators, tension, exported;
  write_indicators_csv(indicators, s, result);
  write_tension_csv(tension, s, result);
  Rng rng(1);
  export_graph(exported, s, initial_state(s, rng), ExportFormat::csv);
  const auto rows = read_csv(indicators.str());
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"step", "date", "a,b", "say \"x\""}));
  for (const auto& row : rows) EXPECT_EQ(row.size(), 4u);
  for (const auto& row : read_csv(tension.str())) EXPECT_EQ(row.size(), 5u);
  const auto edges = read_csv(exported.str());
  ASSERT_EQ(edges.size(), 3u);
  EXPECT_EQ(edges[1][0], "V,N");
  for (const auto& row : edges) EXPECT_EQ(row.size(), 5u);
}

// ---------------------------------------------------------------- Markdown

TEST(Markdown, CodeSpansHoldAnyTextAndTextHoldsNoHtml) {
  EXPECT_EQ(markdown_code("step 2"), "`step 2`");
  EXPECT_EQ(markdown_code("a`b"), "``a`b``");
  EXPECT_EQ(markdown_code("`x`"), "`` `x` ``");
  EXPECT_EQ(first_code_span(markdown_code("`x`")), "`x`");
  EXPECT_EQ(markdown_text("<b>&"), "&lt;b&gt;&amp;");
  // Controls a terminal acts on when it shows the file (`cat aar.md`) are dropped: ESC c resets
  // it, BEL rings, U+009B starts a sequence.
  EXPECT_EQ(markdown_text("Ex\x1b"
                          "c\x07 \xC2\x9B"
                          "2J"),
            "Exc 2J");
  EXPECT_EQ(markdown_code("a\x1b[31mb\x7f"), "`a[31mb`");
  EXPECT_EQ(markdown_text("*a* `b` [c](d)"), "\\*a\\* \\`b\\` \\[c\\](d)");
}

TEST(Markdown, TheAfterActionRecordKeepsTypedCommandsInTheirCodeSpans) {
  const std::string hostile_title = "Trap` <img src=x onerror=alert(1)> `";
  const std::string command = "inject adhoc \"" + hostile_title + "\" CHN<->VNM tension +0.1";
  AfterAction record;
  record.scenario_id = "t";
  record.scenario_title = "T";
  record.branch = "main";
  AfterActionEntry entry;
  entry.kind = JournalEntry::Kind::adhoc;
  entry.id = "adhoc-1`";
  entry.title = hostile_title;
  entry.command = command;
  entry.fired = true;
  record.entries.push_back(entry);
  const std::string md = after_action_markdown(record);
  std::istringstream lines(md);
  bool typed = false;
  for (std::string line; std::getline(lines, line);) {
    const std::string outside = outside_code_spans(line);
    EXPECT_FALSE(contains(outside, "<")) << "raw HTML outside a code span: " << line;
    if (contains(line, "- typed: ")) {
      typed = true;
      EXPECT_EQ(first_code_span(line), command) << line;
      EXPECT_EQ(outside, "  - typed: CODE") << line;
    }
  }
  EXPECT_TRUE(typed) << md;
}

// ---------------------------------------------------------------- XML and HTML

// A name with control characters (a YAML "\u0000" or "\x1b" is valid input): GraphML and the
// report hold none of them (XML 1.0 cannot, and HTML calls them parse errors), tab, line feed
// and carriage return aside; the markup characters are escaped as before.
TEST(Xml, ControlCharactersLeaveGraphmlAndHtmlValid) {
  const std::string controls = std::string("a\0b", 3) +
                               "\x01"
                               "c\x1b[31md\x7f\te";
  EXPECT_EQ(without_controls(controls), "abc[31md\te");
  EXPECT_EQ(without_controls("line\r\nbreak"), "line\r\nbreak");
  // C1 controls (U+0085, U+009B as UTF-8) and the noncharacters U+FFFE, U+FFFF go too; other
  // letters of the same lead bytes stay (U+00A0, U+00E9, U+FFFD).
  EXPECT_EQ(without_controls("x\xC2\x85y\xC2\x9B[2Jz\xEF\xBF\xBE\xEF\xBF\xBF!"), "xy[2Jz!");
  EXPECT_EQ(without_controls("\xC2\xA0\xC3\xA9\xEF\xBF\xBD"), "\xC2\xA0\xC3\xA9\xEF\xBF\xBD");
  EXPECT_EQ(terminal_text("a\xC2\x9B"
                          "31mb\x1b"),
            "a?31mb?");
  // The line and paragraph separators, and each byte that is not UTF-8; characters whole.
  EXPECT_EQ(terminal_text("a\xE2\x80\xA8"
                          "b\xE2\x80\xA9"
                          "c\xFF\xC3(\xC3\xA9\xE2\x82\xAC"),
            "a?b?c?"
            "?(\xC3\xA9\xE2\x82\xAC");
  EXPECT_EQ(html_escape(controls + "<&>"), "abc[31md\te&lt;&amp;&gt;");
  Scenario s = testing::make_scenario({"AAA", "BBB"});
  s.actors[0].name = controls + " <x>";
  Rng rng(1);
  std::ostringstream out;
  export_graph(out, s, initial_state(s, rng), ExportFormat::graphml);
  const std::string xml = out.str();
  for (char c : xml) {
    const auto u = static_cast<unsigned char>(c);
    EXPECT_TRUE(u >= 0x20 ? u != 0x7f : c == '\n' || c == '\t' || c == '\r') << int(u);
  }
  EXPECT_TRUE(contains(xml, ">abc[31md\te &lt;x&gt;</data>")) << xml;
}

// A name's right-to-left override (U+202E) would reverse the text after it in the same line of
// a page or a terminal ("Trojan Source", CVE-2021-42574). On pages its bidirectional formatting
// is closed where the name ends (the pairs of UAX #9: PDF closes an embedding or override, PDI an
// isolate and what was opened inside it); on the terminal each is a '?'.
TEST(Bidi, ANamesOverridesEndWithTheName) {
  const std::string lre = "\xE2\x80\xAA", rle = "\xE2\x80\xAB", pdf = "\xE2\x80\xAC", rlo = "\xE2\x80\xAE",
                    lri = "\xE2\x81\xA6", rli = "\xE2\x81\xA7", pdi = "\xE2\x81\xA9";
  EXPECT_EQ(bidi_closed("A" + rlo + "BC"), "A" + rlo + "BC" + pdf);
  EXPECT_EQ(bidi_closed("A" + pdf + "B" + pdi), "AB") << "closers with nothing open are dropped";
  EXPECT_EQ(bidi_closed(rli + "X" + rle + "Y" + pdi + "Z"), rli + "X" + rle + "Y" + pdf + pdi + "Z");
  EXPECT_EQ(bidi_closed(lri + "A" + pdf), lri + "A" + pdi) << "a PDF does not close an isolate";
  EXPECT_EQ(bidi_closed(lre + rli + "A"), lre + rli + "A" + pdi + pdf) << "closed innermost first";
  EXPECT_EQ(bidi_closed(lre + "A" + pdf + "B"), lre + "A" + pdf + "B") << "balanced text is left alone";
  const std::string arabic = "\xD9\x81\xD9\x8A\xD8\xAA\xD9\x86\xD8\xA7\xD9\x85";  // "Vietnam" in Arabic
  EXPECT_EQ(bidi_closed(arabic), arabic);
  EXPECT_EQ(bidi_closed("\xE2\x80\x8F\xE2\x80\x8E"), "\xE2\x80\x8F\xE2\x80\x8E") << "RLM and LRM are marks, not pairs";
  // Every output for people: the page, GraphML, DOT, Markdown close it; the terminal shows '?'.
  EXPECT_EQ(html_escape("a" + rlo + "<b"), "a" + rlo + "&lt;b" + pdf);
  EXPECT_EQ(dot_quoted("a" + rlo + "b"), "\"a" + rlo + "b" + pdf + "\"");
  EXPECT_EQ(markdown_text("a" + rlo + "b"), "a" + rlo + "b" + pdf);
  EXPECT_EQ(markdown_code("a" + rlo + "b"), "`a" + rlo + "b" + pdf + "`");
  EXPECT_EQ(terminal_text("a" + rlo + "b" + lri + "c"), "a?b?c");
  Scenario s = testing::make_scenario({"AAA", "BBB"});
  s.actors[0].name = "Evil" + rlo + "tsil";
  Rng rng(1);
  std::ostringstream out;
  export_graph(out, s, initial_state(s, rng), ExportFormat::graphml);
  EXPECT_TRUE(contains(out.str(), ">Evil" + rlo + "tsil" + pdf + "</data>")) << out.str();
}

}  // namespace
}  // namespace geosim
