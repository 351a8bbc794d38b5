// The Vega-Lite specs of the HTML report's charts.
#include <algorithm>

#include "geosim/core/indicator.hpp"
#include "geosim/report/export.hpp"
#include "html_report_page.hpp"

namespace geosim::html_page {
namespace {

// ---------------------------------------------------------------- chart specs

/// Text sizes from the style's smallest: axis labels, then axis titles, headers, chart titles.
json base_config(const ChartStyle& style = {}) {
  const int px = style.label_px;
  return {{"font", "DejaVu Sans, Helvetica, Arial, sans-serif"},
          {"view", {{"stroke", "#cccccc"}}},
          {"axis", {{"labelFontSize", px}, {"titleFontSize", px + 1}, {"gridColor", "#eeeeee"}}},
          {"header", {{"labelFontSize", px + 2}, {"labelFontWeight", "bold"}, {"labelLimit", 300}}},
          {"legend", {{"labelFontSize", px}, {"titleFontSize", px + 1}}},
          {"title", {{"fontSize", px + 3}, {"anchor", "start"}, {"limit", 420}}}};  // a long title ends in "…"
}

/// The date axis of a chart spanning `days` days: ticks at whole days, weeks, months or years,
/// about as many as the style's tick count, each labelled to what tells them apart (days and
/// months, months and years, years), so that no two labels read the same.
json date_axis(const ChartStyle& style, int days) {
  const int count = style.label_px >= 18 ? 3 : 4;
  std::string interval, format;
  int step = 1;
  auto first_fitting = [&](std::initializer_list<int> steps, double span) {
    for (int k : steps)
      if (span / k <= count) return k;
    return *(steps.end() - 1);
  };
  const double months = days / 30.44;
  if (months > 12.0 * count) {  // years, a nice number of them
    interval = "year";
    const Ticks ticks = nice_ticks(0.0, months / 12.0, count);
    step = ticks.values.size() > 1 ? std::max(1, int(std::lround(ticks.values[1]))) : 1;
    format = "%Y";
  } else if (days > 2 * 7 * count) {
    interval = "month";
    step = first_fitting({1, 2, 3, 6, 12}, months);
    format = style.compact_dates && days < 330 ? "%b" : "%b %Y";
  } else {
    interval = days > 2 * count ? "week" : "day";
    step = interval == "week" ? first_fitting({1, 2}, days / 7.0) : first_fitting({1, 2}, days);
    format = "%-d %b";
  }
  // Labels that would touch are dropped (labelSeparation), not drawn end to end.
  json axis = {{"labelAngle", 0},
               {"tickCount", {{"interval", interval}, {"step", step}}},
               {"format", format},
               {"labelOverlap", true},
               {"labelSeparation", 8}};
  return {{"field", "date"}, {"type", "temporal"}, {"scale", {{"type", "utc"}}}, {"title", nullptr}, {"axis", axis}};
}

/// The markers' kinds and colours: a step with both a move and an inject is one marker of its
/// own colour (two rules at one place hid the one drawn first).
constexpr const char* kMarkerKinds[] = {"move", "inject", "move and inject"};
constexpr const char* kMarkerColours[] = {"#6a3d9a", "#e07b00", "#222222"};

/// At each step with moves or injects of a session (after_action): a dashed vertical rule, and a
/// triangle at the chart's top so that a marker on the first day (on the axis) is seen too;
/// coloured by kind. Two layers.
json marker_layers(const ChartStyle& style, const json& x, const json& marks) {
  json tooltip = json::array({{{"field", "date"}, {"type", "nominal"}},
                              {{"field", "step"}, {"type", "quantitative"}},
                              {{"field", "kind"}, {"type", "nominal"}},
                              {{"field", "what"}, {"type", "nominal"}}});
  json domain = json::array(), range = json::array();
  for (std::size_t k = 0; k < std::size(kMarkerKinds); ++k) {
    bool present = false;
    for (const json& m : marks) present = present || m["kind"] == kMarkerKinds[k];
    if (!present) continue;
    domain.push_back(kMarkerKinds[k]);
    range.push_back(kMarkerColours[k]);
  }
  const json colour = {{"field", "kind"},
                       {"type", "nominal"},
                       {"scale", {{"domain", std::move(domain)}, {"range", std::move(range)}}},
                       {"legend", {{"title", nullptr}, {"orient", "top"}, {"direction", "horizontal"}}}};
  json rule = {{"data", {{"name", "marks"}}},
               {"mark", {{"type", "rule"}, {"strokeWidth", style.label_px >= 18 ? 3 : 1.5}, {"strokeDash", {6, 3}}}},
               {"encoding", {{"x", x}, {"color", colour}, {"tooltip", tooltip}}}};
  json top = {{"data", {{"name", "marks"}}},
              {"mark",
               {{"type", "point"},
                {"shape", "triangle-down"},
                {"filled", true},
                {"opacity", 1},
                {"size", style.label_px >= 18 ? 160 : 70}}},
              {"encoding", {{"x", x}, {"y", {{"value", 0}}}, {"color", colour}, {"tooltip", std::move(tooltip)}}}};
  return json::array({std::move(rule), std::move(top)});
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

/// One small chart per series, style.columns to a row, each with its own vertical scale: `layers`
/// drawn from the rows of that series (field "k" = its index), plus dashed rules at its
/// thresholds and, when `marks` has any, the session's markers.
json small_multiples(const std::vector<ChartSeries>& series, json rows, const json& layers, const json& x,
                     const ChartStyle& style = {}, json marks = json::array(),
                     const std::vector<std::pair<double, double>>& domains = {}) {
  json charts = json::array();
  for (std::size_t k = 0; k < series.size(); ++k) {
    const ChartSeries& indicator = series[k];
    json layer = json::array();
    for (json l : layers) {
      l["data"] = {{"name", "rows"}};
      l["transform"] = json::array({{{"filter", {{"field", "k"}, {"equal", k}}}}});
      if (k < domains.size() && l["encoding"].contains("y"))
        l["encoding"]["y"]["scale"]["domain"] = {r6(domains[k].first), r6(domains[k].second)};
      layer.push_back(std::move(l));
    }
    if (!indicator.thresholds.empty()) {
      layer.push_back(threshold_layer(indicator.thresholds));
      if (k < domains.size())
        layer.back()["encoding"]["y"]["scale"]["domain"] = {r6(domains[k].first), r6(domains[k].second)};
    }
    if (!marks.empty())
      for (json& l : marker_layers(style, x, marks)) layer.push_back(std::move(l));
    charts.push_back(
        {{"title", indicator.title}, {"width", style.width}, {"height", style.height}, {"layer", std::move(layer)}});
  }
  json datasets = {{"rows", std::move(rows)}};
  if (!marks.empty()) datasets["marks"] = std::move(marks);
  return {{"datasets", std::move(datasets)},
          {"concat", std::move(charts)},
          {"columns", style.columns},
          {"spacing", {{"row", style.label_px >= 18 ? 12 : 16}, {"column", 24}}},
          {"resolve", {{"scale", {{"y", "independent"}}}}},
          {"config", base_config(style)}};
}

}  // namespace

Ticks nice_ticks(double low, double high, int count) {
  Ticks t;
  if (!std::isfinite(low) || !std::isfinite(high)) return t;
  if (!(high > low)) {
    t.values = {low};
    return t;
  }
  const double raw = (high - low) / std::max(count - 1, 1);
  if (!std::isfinite(raw) || !(raw > 1e-12)) {
    t.values = {low, high};
    t.decimals = 12;
    return t;
  }
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  const double f = raw / magnitude;
  const double step = (f < 1.5 ? 1.0 : f < 3.0 ? 2.0 : f < 7.0 ? 5.0 : 10.0) * magnitude;
  t.decimals = std::max(0, -int(std::floor(std::log10(step) + 1e-9)));
  const double unit = std::pow(10.0, t.decimals);
  for (long k = long(std::ceil(low / step - 1e-9)); double(k) * step <= high * (1 + 1e-12) + 1e-12; ++k)
    t.values.push_back(std::round(double(k) * step * unit) / unit);
  return t;
}

void set_ticks(json& legend_or_axis, const Ticks& ticks, bool sign) {
  legend_or_axis["values"] = ticks.values;
  const std::string format = fmt::format(".{}f", ticks.decimals);
  legend_or_axis["format"] = format;
  // A sign on the changes above 0 only ('+.3f' would label no change "+0.000").
  if (sign)
    legend_or_axis["labelExpr"] = fmt::format("(datum.value > 0 ? '+' : '') + format(datum.value, '{}')", format);
}

json series_spec(const Page& p, const std::vector<ChartSeries>& series, const ChartStyle& style) {
  json rows = json::array();
  // Each vertical scale at least style.min_span high, about the values' middle.
  std::vector<std::pair<double, double>> domains;
  if (style.min_span > 0) domains.assign(series.size(), {1e300, -1e300});
  for (std::size_t k = 0; k < p.points; ++k) {
    const int step = p.step_at(k);
    for (std::size_t i = 0; i < series.size(); ++i) {
      if (k >= series[i].values.size() || std::isnan(series[i].values[k])) continue;
      const double value = series[i].values[k];
      rows.push_back({{"k", i}, {"step", step}, {"date", p.date(step)}, {"value", r6(value)}});
      if (i < domains.size()) domains[i] = {std::min(domains[i].first, value), std::max(domains[i].second, value)};
    }
  }
  for (std::size_t i = 0; i < domains.size(); ++i) {
    auto& [low, high] = domains[i];
    if (low > high) low = high = 0.0;
    for (double t : series[i].thresholds) {  // the thresholds in sight too
      low = std::min(low, t);
      high = std::max(high, t);
    }
    const double middle = (low + high) / 2.0, half = std::max(high - low, style.min_span) / 2.0;
    low = middle - half;
    high = middle + half;
  }
  json tooltip = json::array({{{"field", "date"}, {"type", "nominal"}},
                              {{"field", "step"}, {"type", "quantitative"}},
                              {{"field", "value"}, {"type", "quantitative"}, {"format", ".3f"}}});
  const json x = date_axis(style, (p.last_step() - p.first_step()) * p.s.step_days);
  json layers = json::array();
  layers.push_back({{"mark", {{"type", "line"}, {"color", "#1f4e79"}, {"strokeWidth", style.label_px >= 18 ? 3 : 2}}},
                    {"encoding", {{"x", x}, {"y", value_axis("value")}}}});
  layers.push_back({{"mark", {{"type", "point"}, {"opacity", 0}, {"size", 60}}},
                    {"encoding", {{"x", x}, {"y", value_axis("value")}, {"tooltip", tooltip}}}});
  // The session's moves and injects (a roll that came up is the facilitator's inject).
  // One marker a step (entries come in the order typed: by step), its kind "move and inject"
  // when the step has both, its text every title of the step.
  json marks = json::array();
  if (p.d.after_action)
    for (const AfterActionEntry& e : p.d.after_action->entries) {
      const std::string kind = e.kind == JournalEntry::Kind::move ? "move" : "inject";
      const std::string what = e.title.empty() ? e.id : e.title;
      json* same = nullptr;
      for (json& m : marks) same = m["step"] == e.made_at ? &m : same;
      if (!same) {
        marks.push_back({{"date", p.date(e.made_at)}, {"step", e.made_at}, {"kind", kind}, {"what", what}});
        continue;
      }
      if ((*same)["kind"] != kind) (*same)["kind"] = kMarkerKinds[2];
      (*same)["what"] = (*same)["what"].get<std::string>() + "; " + what;
    }
  return small_multiples(series, std::move(rows), layers, x, style, std::move(marks), domains);
}

std::vector<ChartSeries> indicator_series(const Page& p) {
  std::vector<ChartSeries> series;
  for (std::size_t i = 0; i < p.s.indicators.size(); ++i) {
    const Indicator& indicator = p.s.indicators[i];
    ChartSeries one{indicator.title.empty() ? indicator.id : indicator.title, {}, indicator.thresholds};
    for (std::size_t k = 0; k < p.points; ++k)
      one.values.push_back(i < p.d.run.indicators[k].size() ? p.d.run.indicators[k][i] : std::nan(""));
    series.push_back(std::move(one));
  }
  return series;
}

json indicators_spec(const Page& p, const ChartStyle& style) { return series_spec(p, indicator_series(p), style); }

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
  const ChartStyle style;
  const json x = date_axis(style, std::max(steps - 1, 0) * p.s.step_days);
  auto band = [&](const char* low, const char* high, const char* colour) {
    json y = value_axis(low);
    return json{{"mark", {{"type", "area"}, {"color", colour}}},
                {"encoding", {{"x", x}, {"y", y}, {"y2", {{"field", high}}}}}};
  };
  json tooltip = json::array({{{"field", "date"}, {"type", "nominal"}}, {{"field", "step"}, {"type", "quantitative"}}});
  for (const char* f : {"p5", "p25", "p50", "p75", "p95"})
    tooltip.push_back({{"field", f}, {"type", "quantitative"}, {"format", ".3f"}});
  json layers = json::array();
  layers.push_back(band("p5", "p95", "#c6dbef"));
  layers.push_back(band("p25", "p75", "#6baed6"));
  layers.push_back({{"mark", {{"type", "line"}, {"color", "#08306b"}, {"strokeWidth", 2}}},
                    {"encoding", {{"x", x}, {"y", value_axis("p50")}}}});
  layers.push_back({{"mark", {{"type", "point"}, {"opacity", 0}, {"size", 60}}},
                    {"encoding", {{"x", x}, {"y", value_axis("p50")}, {"tooltip", tooltip}}}});
  return small_multiples(indicator_series(p), std::move(rows), layers, x, style);
}

json heatmap_specs(const Page& p, const MatrixView& v) {
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
                      {"change_label", std::abs(b - a) < 0.005 ? std::string() : fmt::format("{:+.2f}", b - a)},
                      {"change_text", signed_change(b - a)}});  // the tooltip's, as the tables write it
    }
  json ids = json::array();
  for (const std::string& id : v.ids) ids.push_back(id);
  // A cell holds "0.26" at the report's smallest text (12 px, 9 pt on paper) up to 14 rows; each
  // panel is then at most about 560 + 140 px wide: one to a row of an A4 page, at full size.
  const ChartStyle style;
  const int cell = heatmap_cell_px(rows_count);
  // The same colours as every other tension colour of geosim (tension_colour).
  const json tension_scale = {{"domain", {0.0, 0.5, 1.0}},
                              {"range", {tension_colour(0.0), tension_colour(0.5), tension_colour(1.0)}},
                              {"interpolate", "rgb"}};
  const double m = std::max(largest, 0.01);
  const json change_scale = {
      {"domain", {-m, 0.0, m}}, {"range", {"#2166ac", "#f7f7f7", "#b2182b"}}, {"interpolate", "rgb"}};
  // One chart per panel (the start, the end, the change), each with its legend, so that a page
  // lays them side by side on a screen and one under the other on paper.
  // Each legend's labels at nice ticks across its scale, to the decimals their step needs.
  auto panel = [&](const std::string& field, const std::string& title, const json& scale, const Ticks& ticks,
                   const std::string& dark_test) {
    json colour = {{"field", field}, {"type", "quantitative"}, {"scale", scale}};
    colour["legend"] = {{"title", field == "change" ? "change" : "tension"},
                        {"gradientLength", std::max(60, cell * int(rows_count) - 20)}};
    set_ticks(colour["legend"], ticks, field == "change");
    const json text_colour = {{"condition", {{"test", dark_test}, {"value", "white"}}}, {"value", "black"}};
    json layers = json::array(
        {{{"mark", {{"type", "rect"}, {"stroke", "white"}, {"strokeWidth", 1}}},
          {"encoding",
           {{"color", colour},
            {"tooltip", json::array({{{"field", "from"}, {"type", "nominal"}},
                                     {{"field", "to"}, {"type", "nominal"}},
                                     {{"field", "start"}, {"type", "quantitative"}, {"format", ".3f"}},
                                     {{"field", "end"}, {"type", "quantitative"}, {"format", ".3f"}},
                                     {{"field", "change_text"}, {"type", "nominal"}, {"title", "change"}}})}}}}});
    if (heatmap_numbers(rows_count))
      layers.push_back(
          {{"mark", {{"type", "text"}, {"fontSize", style.label_px}}},
           {"encoding", {{"text", {{"field", field + "_label"}, {"type", "nominal"}}}, {"color", text_colour}}}});
    return json{
        {"datasets", {{"tension", rows}}},
        {"data", {{"name", "tension"}}},
        {"title", title},
        {"width", cell * int(rows_count)},
        {"height", cell * int(rows_count)},
        {"encoding",
         {{"x",
           {{"field", "to"}, {"type", "nominal"}, {"sort", ids}, {"title", "toward"}, {"axis", {{"labelAngle", -45}}}}},
          {"y", {{"field", "from"}, {"type", "nominal"}, {"sort", ids}, {"title", "from"}}}}},
        {"layer", std::move(layers)},
        {"config", base_config(style)}};
  };
  json panels = json::array();
  panels.push_back(panel("start", fmt::format("Step {} ({})", p.first_step(), p.date(p.first_step())), tension_scale,
                         nice_ticks(0.0, 1.0), "datum.start > 0.8"));
  panels.push_back(panel("end", fmt::format("Step {} ({})", p.last_step(), p.date(p.last_step())), tension_scale,
                         nice_ticks(0.0, 1.0), "datum.end > 0.8"));
  panels.push_back(
      panel("change", "Change", change_scale, nice_ticks(-m, m), fmt::format("abs(datum.change) > {}", r6(0.75 * m))));
  return panels;
}

int heatmap_cell_px(std::size_t rows) { return std::clamp(int(560 / std::max<std::size_t>(rows, 1)), 14, 40); }

bool heatmap_numbers(std::size_t rows) { return heatmap_cell_px(rows) >= 34; }

}  // namespace geosim::html_page

namespace geosim {

nlohmann::json chart_pages(const nlohmann::json& spec, std::size_t panels) {
  if (!spec.contains("concat")) return nlohmann::json::array({spec});
  nlohmann::json pages = nlohmann::json::array();
  const nlohmann::json& all = spec["concat"];
  panels = std::max<std::size_t>(panels, 1);
  for (std::size_t at = 0; at < all.size(); at += panels) {
    nlohmann::json page = spec;
    page["concat"] = nlohmann::json(
        std::vector<nlohmann::json>(all.begin() + long(at), all.begin() + long(std::min(at + panels, all.size()))));
    pages.push_back(std::move(page));
  }
  if (pages.empty()) pages.push_back(spec);
  return pages;
}

nlohmann::json indicators_chart_spec(const ReportData& data, const ChartStyle& style) {
  const html_page::Page page(data);
  return html_page::indicators_spec(page, style);
}

nlohmann::json actor_chart_spec(const ReportData& data, std::size_t actor, const ChartStyle& style,
                                std::size_t max_relations) {
  const html_page::Page page(data);
  std::vector<html_page::ChartSeries> series;
  if (actor >= page.n || page.points == 0) return html_page::series_spec(page, series, style);
  std::vector<std::size_t> partners;  // those it has a relation with
  for (std::size_t j = 0; j < page.n; ++j)
    if (j != actor && data.scenario.has_relation(actor, j)) partners.push_back(j);
  if (partners.size() > max_relations) {  // the tensest now, shown in the scenario's order
    std::stable_sort(partners.begin(), partners.end(), [&](std::size_t a, std::size_t b) {
      return page.tension(page.points - 1, actor, a) > page.tension(page.points - 1, actor, b);
    });
    partners.resize(max_relations);
    std::sort(partners.begin(), partners.end());
  }
  for (std::size_t j : partners) {  // its stance toward each partner
    html_page::ChartSeries one{page.id(actor) + " \u2192 " + page.id(j), {}, {}};
    for (std::size_t k = 0; k < page.points; ++k) one.values.push_back(page.tension(k, actor, j));
    series.push_back(std::move(one));
  }
  const std::vector<html_page::ChartSeries> indicators = html_page::indicator_series(page);
  for (std::size_t i = 0; i < indicators.size(); ++i)
    if (indicator_touches(data.scenario, data.scenario.indicators[i], actor)) series.push_back(indicators[i]);
  return html_page::series_spec(page, series, style);
}

}  // namespace geosim
