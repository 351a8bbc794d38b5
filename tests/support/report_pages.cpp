// See report_pages.hpp.
#include "support/report_pages.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>
#include <geosim/core/run.hpp>
#include <geosim/io/loader.hpp>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <regex>

#include "support/builders.hpp"

namespace geosim::testing {
namespace fs = std::filesystem;

fs::path scratch_dir(const std::string& name) {
  struct Root {  // removed when the process exits
    fs::path path = fs::temp_directory_path() / ("geosim_report_" + std::to_string(::getpid()));
    ~Root() {
      std::error_code ec;
      fs::remove_all(path, ec);
    }
  };
  static const Root root;
  const fs::path dir = root.path / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

int count(const std::string& text, const std::string& what) {
  int n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

bool contains(const std::string& text, const std::string& what) { return text.find(what) != std::string::npos; }

bool has_url(const std::string& text) {
  static const std::regex url("https?://", std::regex::icase);
  return std::regex_search(text, url);
}

int shell(const std::string& command) {
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

Written geosim_report(const std::string& args, const std::string& env) {
  static int counter = 0;
  const fs::path dir = scratch_dir("cli" + std::to_string(counter++));
  const int code = shell(env + " GEOSIM_SCENARIOS=" + GEOSIM_SCENARIOS_DIR + " " + GEOSIM_BINARY + " report " + args +
                         " >" + (dir / "out").string() + " 2>" + (dir / "err").string() + " </dev/null");
  Written w{code, slurp(dir / "out"), slurp(dir / "err")};
  fs::remove_all(dir);
  return w;
}

Scenario shipped_scenario(const std::string& file) {
  LoadResult loaded = load_scenario(shipped(file));
  EXPECT_TRUE(loaded.ok());
  return *loaded.scenario;
}

ReportData realignment_data() {
  ReportData data;
  data.scenario = shipped_scenario("realignment.yaml");
  data.seed = 1;
  RunOptions options;
  options.seed = 1;
  data.run = run_scenario(data.scenario, options);
  data.command = "geosim report realignment --seed 1";
  return data;
}

nlohmann::json embedded_charts(const std::string& page) {
  const std::string open = "<script type=\"application/json\" id=\"geosim-charts\">";
  const std::size_t at = page.find(open);
  if (at == std::string::npos) return nullptr;
  const std::size_t from = at + open.size();
  return nlohmann::json::parse(page.substr(from, page.find("</script>", from) - from), nullptr, false);
}

void formatted_scales(const nlohmann::json& spec, std::vector<nlohmann::json>& out) {
  if (spec.is_object()) {
    if (spec.value("type", "") == "quantitative")
      for (const char* part : {"axis", "legend"})
        if (spec.contains(part) && spec[part].is_object() && spec[part].contains("format")) out.push_back(spec[part]);
    for (const auto& [key, value] : spec.items()) formatted_scales(value, out);
  } else if (spec.is_array()) {
    for (const auto& value : spec) formatted_scales(value, out);
  }
}

std::vector<std::string> tick_labels(const nlohmann::json& scale) {
  const std::string format = scale["format"];
  // labelExpr (set_ticks): a sign on values above 0 only
  const bool sign = scale.contains("labelExpr");
  const int decimals = std::stoi(format.substr(format.find('.') + 1));
  std::vector<std::string> labels;
  for (const auto& v : scale["values"]) {
    const double x = v.get<double>();
    std::string text = fmt::format("{:.{}f}", std::abs(x), decimals);
    const bool zero = text.find_first_not_of("0.") == std::string::npos;
    labels.push_back((x < 0 && !zero ? "\u2212" : sign && x > 0 && !zero ? "+" : "") + text);
  }
  return labels;
}

}  // namespace geosim::testing
