// The HTML report: text helpers, and the page put together from its sections.
#include "geosim/report/html_report.hpp"

#include <algorithm>

#include "geosim/io/escape.hpp"
#include "geosim/report/template.hpp"

#include "geosim/io/json_text.hpp"
#include "html_report_page.hpp"

namespace geosim::html_page {

// ---------------------------------------------------------------- text

/// JSON text that can sit inside <script type="application/json">: its strings bidi_closed; no '<', '>' or '&' (written
/// as \u escapes, which JSON.parse reads back) and no URL.
std::string script_json(const json& value) {
  std::string text = json_text(bidi_closed_strings(value));
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '<')
      out += "\\u003c";
    else if (c == '>')
      out += "\\u003e";
    else if (c == '&')
      out += "\\u0026";
    else
      out += c;
  }
  return detail::neutralize_urls(out, "\\u003a");
}

// ---------------------------------------------------------------- the data

/// The class of an indicator's change by which way is better for it: "better" (green),
/// "worse" (red), or "" when it did not move (by 0.0005 or more) or neither way is better.
const char* change_class(double change, Better better) {
  if (better == Better::neither || std::abs(change) < 0.0005) return "";
  return (change > 0) == (better == Better::higher) ? "better" : "worse";
}

/// A list of changes for changes.html, the two directions of a relation on one line when they
/// are equal.
json changes_view(const Page& p, const std::vector<RelationChange>& changes) {
  auto same = [](double x, double y) { return std::abs(x - y) < 5e-7; };
  json items = json::array();
  std::vector<bool> used(changes.size(), false);
  for (std::size_t a = 0; a < changes.size(); ++a) {
    const RelationChange& c = changes[a];
    if (used[a] || c.from >= p.n || c.to >= p.n) continue;
    std::string arrow = "→";
    for (std::size_t b = a + 1; b < changes.size(); ++b)
      if (!used[b] && changes[b].from == c.to && changes[b].to == c.from && same(changes[b].tension, c.tension) &&
          same(changes[b].baseline, c.baseline) && same(changes[b].tie, c.tie)) {
        used[b] = true;
        arrow = "↔";
        break;
      }
    const std::string parts = change_parts(c, ", ");
    items.push_back(
        {{"from", p.id(c.from)}, {"arrow", arrow}, {"to", p.id(c.to)}, {"parts", parts.empty() ? "no change" : parts}});
  }
  return {{"none", changes.empty()}, {"items", std::move(items)}};
}

json source_view(const SourceRef& source) {
  const bool none = source.quote.empty() && source.file.empty();
  return {{"none", none},
          {"quote", source.quote.empty() ? json(false) : json(source.quote)},
          {"file", source.file.empty() ? json(false) : json(source.file)}};
}

namespace {
/// The text, or false when it is empty (so that a section on it is left out).
json text_or_false(const std::string& text) { return text.empty() ? json(false) : json(text); }
}  // namespace

json Writer::frame() const {
  const Scenario& s = p.s;
  json view = {{"nonce", kScriptNonce},
               {"title", p.title()},
               {"no_run", false},
               {"description", text_or_false(s.description)},
               {"id", s.id},
               {"path", text_or_false(s.path)},
               {"first_step", std::to_string(p.first_step())},
               {"last_step", std::to_string(p.last_step())},
               {"step_days", std::to_string(s.step_days)},
               {"days_plural", s.step_days != 1},
               {"first_date", p.date(p.first_step())},
               {"last_date", p.date(p.last_step())},
               {"seed", std::to_string(p.d.seed)},
               {"policies", s.policies.empty() ? json(false) : json(fmt::format("{}", fmt::join(s.policies, ", ")))},
               {"settings", s.settings.empty() ? json(false) : json(fmt::format("{}", fmt::join(s.settings, ", ")))},
               {"ensemble", false},
               {"source", s.source ? source_view(*s.source) : json(false)},
               {"scripts", !libraries.empty()},
               {"libraries_error", libraries_error},
               {"contents",
                {{"uncertainty", p.d.ensemble && !p.s.indicators.empty()},
                 {"blocs", p.d.analysis_end || p.d.analysis_start},
                 {"after_action", p.d.after_action.has_value()}}},
               {"command", text_or_false(p.d.command)},
               {"graphviz", outcome.network_diagrams > 0 ? json(options.graphviz) : json(false)},
               {"charts_json", libraries.empty() ? std::string() : script_json(charts)},
               {"libraries", json::array()}};
  if (p.d.ensemble)
    view["ensemble"] = {
        {"runs", std::to_string(p.d.ensemble->runs)},
        {"spread",
         p.d.ensemble->parameter_sd > 0 ? json(fmt::format("{:g}", p.d.ensemble->parameter_sd)) : json(false)}};
  for (const auto& library : libraries)
    view["libraries"].push_back({{"first", view["libraries"].empty()},
                                 {"name", library.name},
                                 {"version", library.version},
                                 {"versioned", !library.version.empty()},
                                 {"code", library.code}});
  return view;
}

}  // namespace geosim::html_page

namespace geosim {

using namespace html_page;

json bidi_closed_strings(json value) {
  if (value.is_string()) return bidi_closed(value.get_ref<const std::string&>());
  if (value.is_structured())
    for (auto& item : value) item = bidi_closed_strings(std::move(item));
  return value;
}

std::string html_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : without_controls(text)) {  // no control character (a parse error in HTML)
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return detail::neutralize_urls(out, "&#58;");
}

ReportOutcome write_html_report(std::ostream& out, const ReportData& data, const ReportOptions& options) {
  const Page page(data);
  Writer w{page, options, ReportOutcome(), {}, {}, json::array()};
  json view;
  if (page.points == 0 || data.run.indicators.size() != page.points) {
    // Nothing was run: an honest page rather than an empty chart.
    view = {{"nonce", kScriptNonce}, {"title", page.title()}, {"no_run", true}};
    w.outcome.notes.push_back("no run to show");
  } else {
    const std::string dir = options.js_dir.empty() ? default_report_js_dir() : options.js_dir;
    w.libraries = detail::load_js_libraries(dir, w.libraries_error);
    w.outcome.scripts_inlined = !w.libraries.empty();
    for (const detail::JsLibrary& library : w.libraries)
      w.outcome.inputs.insert(w.outcome.inputs.end(), library.files.begin(), library.files.end());
    if (w.libraries.empty()) w.outcome.notes.push_back("charts left out: " + w.libraries_error);
    json sections = {{"indicators", w.indicators()},
                     {"uncertainty", w.uncertainty()},
                     {"tensions", w.tensions()},
                     {"network", w.network()},
                     {"blocs", w.blocs()}};
    view = w.frame();
    view.update(sections);
    view["timeline"] = w.timeline();
    view["after_action"] = w.after_action();
    view["sources"] = w.sources();
  }
  RenderedTemplate page_text = render_template("report.html.mustache", view, options.templates_dir);
  if (!page_text.text) {
    w.outcome.error = page_text.error;
    return w.outcome;
  }
  out << *page_text.text;
  return w.outcome;
}

}  // namespace geosim
