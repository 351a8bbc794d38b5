// The Vega-Lite specs of the HTML report's charts.
#include <algorithm>

#include "geosim/report/export.hpp"
#include "html_report_page.hpp"

namespace geosim::html_page {
namespace {

// ---------------------------------------------------------------- chart specs

json base_config() {
  return {{"font", "DejaVu Sans, Helvetica, Arial, sans-serif"},
          {"view", {{"stroke", "#cccccc"}}},
          {"axis", {{"labelFontSize", 10}, {"titleFontSize", 11}, {"gridColor", "#eeeeee"}}},
          {"header", {{"labelFontSize", 12}, {"labelFontWeight", "bold"}, {"labelLimit", 300}}},
          {"legend", {{"labelFontSize", 10}, {"titleFontSize", 11}}},
          {"title", {{"fontSize", 13}, {"anchor", "start"}}}};
}

json date_axis() {
  return {{"field", "date"},
          {"type", "temporal"},
          {"scale", {{"type", "utc"}}},
          {"title", nullptr},
          {"axis", {{"format", "%b %Y"}, {"labelAngle", 0}, {"tickCount", 4}, {"labelOverlap", true}}}};
}

json value_axis(const std::string& field) {
  return {{"field", field},
          {"type", "quantitative"},
          {"scale", {{"zero", false}}},
          {"title", nullptr},
          {"axis", {{"tickCount", 4}}}};
}

json threshold_layer(const std::vector<double>& thresholds) {
  json values = json::array();
  for (double t : thresholds) values.push_back({{"threshold", t}});
  return {{"data", {{"values", values}}},
          {"mark", {{"type", "rule"}, {"color", "#b2182b"}, {"strokeDash", {4, 3}}, {"strokeWidth", 1}}},
          {"encoding",
           {{"y", {{"field", "threshold"}, {"type", "quantitative"}}},
            {"tooltip", json::array({{{"field", "threshold"}, {"type", "quantitative"}, {"title", "threshold"}}})}}}};
}

/// One small chart per indicator, three to a row, each with its own vertical scale: `layers`
/// drawn from the rows of that indicator, plus dashed rules at its declared thresholds.
json small_multiples(const Scenario& s, json rows, const json& layers) {
  json charts = json::array();
  for (std::size_t k = 0; k < s.indicators.size(); ++k) {
    const Indicator& indicator = s.indicators[k];
    json layer = json::array();
    for (json l : layers) {
      l["data"] = {{"name", "rows"}};
      l["transform"] = json::array({{{"filter", {{"field", "k"}, {"equal", k}}}}});
      layer.push_back(std::move(l));
    }
    if (!indicator.thresholds.empty()) layer.push_back(threshold_layer(indicator.thresholds));
    charts.push_back({{"title", indicator.title.empty() ? indicator.id : indicator.title},
                      {"width", 270},
                      {"height", 120},
                      {"layer", std::move(layer)}});
  }
  return {{"datasets", {{"rows", std::move(rows)}}},
          {"concat", std::move(charts)},
          {"columns", 3},
          {"spacing", {{"row", 16}, {"column", 24}}},
          {"resolve", {{"scale", {{"y", "independent"}}}}},
          {"config", base_config()}};
}

}  // namespace

json indicators_spec(const Page& p) {
  json rows = json::array();
  for (std::size_t k = 0; k < p.points; ++k) {
    const int step = p.step_at(k);
    const auto& values = p.d.run.indicators[k];
    for (std::size_t i = 0; i < p.s.indicators.size() && i < values.size(); ++i)
      rows.push_back({{"k", i}, {"step", step}, {"date", p.date(step)}, {"value", r6(values[i])}});
  }
  json tooltip = json::array({{{"field", "date"}, {"type", "nominal"}},
                              {{"field", "step"}, {"type", "quantitative"}},
                              {{"field", "value"}, {"type", "quantitative"}, {"format", ".3f"}}});
  json layers = json::array();
  layers.push_back({{"mark", {{"type", "line"}, {"color", "#1f4e79"}, {"strokeWidth", 2}}},
                    {"encoding", {{"x", date_axis()}, {"y", value_axis("value")}}}});
  layers.push_back({{"mark", {{"type", "point"}, {"opacity", 0}, {"size", 60}}},
                    {"encoding", {{"x", date_axis()}, {"y", value_axis("value")}, {"tooltip", tooltip}}}});
  return small_multiples(p.s, std::move(rows), layers);
}

json fan_spec(const Page& p, const ReportEnsemble& e) {
  json rows = json::array();
  const int steps = e.step_count();
  for (int step = 0; step < steps; ++step)
    for (std::size_t i = 0; i < p.s.indicators.size() && i < e.indicator_count; ++i) {
      const auto& b = e.bands[std::size_t(step) * e.indicator_count + i];
      rows.push_back({{"k", i},
                      {"step", step},
                      {"date", p.date(step)},
                      {"p5", r6(b[0])},
                      {"p25", r6(b[1])},
                      {"p50", r6(b[2])},
                      {"p75", r6(b[3])},
                      {"p95", r6(b[4])}});
    }
  auto band = [&](const char* low, const char* high, const char* colour) {
    json y = value_axis(low);
    return json{{"mark", {{"type", "area"}, {"color", colour}}},
                {"encoding", {{"x", date_axis()}, {"y", y}, {"y2", {{"field", high}}}}}};
  };
  json tooltip = json::array({{{"field", "date"}, {"type", "nominal"}},
                              {{"field", "step"}, {"type", "quantitative"}}});
  for (const char* f : {"p5", "p25", "p50", "p75", "p95"})
    tooltip.push_back({{"field", f}, {"type", "quantitative"}, {"format", ".3f"}});
  json layers = json::array();
  layers.push_back(band("p5", "p95", "#c6dbef"));
  layers.push_back(band("p25", "p75", "#6baed6"));
  layers.push_back({{"mark", {{"type", "line"}, {"color", "#08306b"}, {"strokeWidth", 2}}},
                    {"encoding", {{"x", date_axis()}, {"y", value_axis("p50")}}}});
  layers.push_back({{"mark", {{"type", "point"}, {"opacity", 0}, {"size", 60}}},
                    {"encoding", {{"x", date_axis()}, {"y", value_axis("p50")}, {"tooltip", tooltip}}}});
  return small_multiples(p.s, std::move(rows), layers);
}

json heatmap_spec(const Page& p, const MatrixView& v) {
  json rows = json::array();
  double largest = 0.0;
  const std::size_t rows_count = v.ids.size();
  for (std::size_t i = 0; i < rows_count && !v.first.empty(); ++i)
    for (std::size_t j = 0; j < rows_count; ++j) {
      const double a = v.first[i * rows_count + j], b = v.last[i * rows_count + j];
      if (std::isnan(a) || std::isnan(b)) continue;  // no cell for a pair without a relation
      largest = std::max(largest, std::abs(b - a));
      rows.push_back({{"from", v.ids[i]},
                      {"to", v.ids[j]},
                      {"start", r6(a)},
                      {"end", r6(b)},
                      {"change", r6(b - a)},
                      {"start_label", fmt::format("{:.2f}", a)},
                      {"end_label", fmt::format("{:.2f}", b)},
                      {"change_label", std::abs(b - a) < 0.005 ? std::string() : fmt::format("{:+.2f}", b - a)}});
    }
  json ids = json::array();
  for (const std::string& id : v.ids) ids.push_back(id);
  const int cell = std::clamp(int(280 / std::max<std::size_t>(rows_count, 1)), 14, 30);
  // The same colours as every other tension colour of geosim (tension_colour).
  const json tension_scale = {{"domain", {0.0, 0.5, 1.0}},
                              {"range", {tension_colour(0.0), tension_colour(0.5), tension_colour(1.0)}},
                              {"interpolate", "rgb"}};
  const double m = std::max(largest, 0.01);
  const json change_scale = {{"domain", {-m, 0.0, m}}, {"range", {"#2166ac", "#f7f7f7", "#b2182b"}}, {"interpolate", "rgb"}};
  auto panel = [&](const std::string& field, const std::string& title, const json& scale, const char* format,
                   bool legend, const std::string& dark_test) {
    json colour = {{"field", field}, {"type", "quantitative"}, {"scale", scale}};
    if (legend)
      colour["legend"] = {{"title", field == "change" ? "change" : "tension"}, {"format", format}, {"gradientLength", cell * int(rows_count) - 20}};
    else
      colour["legend"] = nullptr;
    const json text_colour = {{"condition", {{"test", dark_test}, {"value", "white"}}}, {"value", "black"}};
    return json{
        {"title", title},
        {"width", cell * int(rows_count)},
        {"height", cell * int(rows_count)},
        {"encoding",
         {{"x", {{"field", "to"}, {"type", "nominal"}, {"sort", ids}, {"title", "toward"}, {"axis", {{"labelAngle", -45}}}}},
          {"y", {{"field", "from"}, {"type", "nominal"}, {"sort", ids}, {"title", "from"}}}}},
        {"layer",
         json::array({{{"mark", {{"type", "rect"}, {"stroke", "white"}, {"strokeWidth", 1}}},
                       {"encoding",
                        {{"color", colour},
                         {"tooltip", json::array({{{"field", "from"}, {"type", "nominal"}},
                                                  {{"field", "to"}, {"type", "nominal"}},
                                                  {{"field", "start"}, {"type", "quantitative"}, {"format", ".3f"}},
                                                  {{"field", "end"}, {"type", "quantitative"}, {"format", ".3f"}},
                                                  {{"field", "change"}, {"type", "quantitative"}, {"format", "+.3f"}}})}}}},
                      {{"mark", {{"type", "text"}, {"fontSize", cell >= 26 ? 9 : 7}}},
                       {"encoding", {{"text", {{"field", field + "_label"}, {"type", "nominal"}}},
                                     {"color", text_colour}}}}})}};
  };
  json hconcat = json::array();
  hconcat.push_back(panel("start", fmt::format("Step {} ({})", p.first_step(), p.date(p.first_step())), tension_scale,
                          ".2f", false, "datum.start > 0.8"));
  hconcat.push_back(panel("end", fmt::format("Step {} ({})", p.last_step(), p.date(p.last_step())), tension_scale,
                          ".2f", true, "datum.end > 0.8"));
  hconcat.push_back(panel("change", "Change", change_scale, "+.2f", true,
                          fmt::format("abs(datum.change) > {}", r6(0.75 * m))));
  return {{"datasets", {{"tension", rows}}},
          {"data", {{"name", "tension"}}},
          {"hconcat", hconcat},
          {"spacing", 24},
          {"resolve", {{"scale", {{"color", "independent"}}}}},
          {"config", base_config()}};
}

// ---------------------------------------------------------------- the page

}  // namespace geosim::html_page
