// The HTML report: text helpers, and the page put together from its sections.
#include "geosim/report/html_report.hpp"

#include <algorithm>

#include "html_report_page.hpp"

namespace geosim::html_page {

// ---------------------------------------------------------------- text

std::string signed3(double v) {
  if (std::abs(v) < 0.0005) return "0.000";
  return fmt::format("{:+.3f}", v);
}

/// JSON text that can sit inside <script type="application/json">: no '<', '>' or '&' (written
/// as \u escapes, which JSON.parse reads back) and no URL.
std::string script_json(const json& value) {
  std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '<') out += "\\u003c";
    else if (c == '>') out += "\\u003e";
    else if (c == '&') out += "\\u0026";
    else out += c;
  }
  return detail::neutralize_urls(out, "\\u003a");
}

// ---------------------------------------------------------------- the data


std::vector<ReportChange> changes_of(const Page& p, const std::vector<RelationChange>& changes) {
  std::vector<ReportChange> rows;
  for (const RelationChange& c : changes)
    if (c.from < p.n && c.to < p.n) rows.push_back({p.id(c.from), p.id(c.to), c.tension, c.baseline, c.tie});
  return rows;
}

/// The class of an indicator's change by which way is better for it: "better" (green),
/// "worse" (red), or "" when it did not move (by 0.0005 or more) or neither way is better.
const char* change_class(double change, Better better) {
  if (better == Better::neither || std::abs(change) < 0.0005) return "";
  return (change > 0) == (better == Better::higher) ? "better" : "worse";
}

/// "tension +0.040, baseline -0.020" for the non-zero parts.
std::string change_parts(const ReportChange& c) {
  std::vector<std::string> parts;
  if (c.tension != 0.0) parts.push_back("tension " + signed3(c.tension));
  if (c.baseline != 0.0) parts.push_back("baseline " + signed3(c.baseline));
  if (c.tie != 0.0) parts.push_back("tie " + signed3(c.tie));
  return parts.empty() ? "no change" : fmt::format("{}", fmt::join(parts, ", "));
}

/// A list of changes, the two directions of a relation on one line when they are equal.
std::string changes_html(const std::vector<ReportChange>& changes) {
  auto same = [](double x, double y) { return std::abs(x - y) < 5e-7; };
  if (changes.empty()) return "<span class=\"muted\">no change</span>";
  std::vector<bool> used(changes.size(), false);
  std::string out = "<ul class=\"changes\">";
  for (std::size_t a = 0; a < changes.size(); ++a) {
    if (used[a]) continue;
    const ReportChange& c = changes[a];
    std::string arrow = "→";
    for (std::size_t b = a + 1; b < changes.size(); ++b)
      if (!used[b] && changes[b].from == c.to && changes[b].to == c.from && same(changes[b].tension, c.tension) &&
          same(changes[b].baseline, c.baseline) && same(changes[b].tie, c.tie)) {
        used[b] = true;
        arrow = "↔";
        break;
      }
    out += fmt::format("<li><span class=\"pair\">{} {} {}</span> {}</li>", esc(c.from), arrow, esc(c.to),
                       esc(change_parts(c)));
  }
  return out + "</ul>";
}

std::string quote_html(const SourceRef& source) {
  if (source.quote.empty() && source.file.empty()) return "<span class=\"muted\">no source given</span>";
  std::string out;
  if (!source.quote.empty()) out += fmt::format("<q>{}</q>", esc(source.quote));
  if (!source.file.empty()) out += fmt::format(" <span class=\"file\">{}</span>", esc(source.file));
  return out;
}

}  // namespace geosim::html_page

namespace geosim {

using namespace html_page;

std::string html_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return detail::neutralize_urls(out, "&#58;");
}

ReportOutcome write_html_report(std::ostream& out, const ReportData& data, const ReportOptions& options) {
  const Page page(data);
  Writer w{out, page, options, {}, {}, {}, json::array()};
  if (page.points == 0 || data.run.indicators.size() != page.points) {
    // Nothing was run: an honest page rather than an empty chart.
    w.head();
    out << fmt::format("<body><h1>{}</h1><p class=\"note\">This report has no run to show.</p></body></html>\n",
                       esc(page.title()));
    w.outcome.notes.push_back("no run to show");
    return w.outcome;
  }
  const std::string dir = options.js_dir.empty() ? default_report_js_dir() : options.js_dir;
  w.libraries = detail::load_js_libraries(dir, w.libraries_error);
  w.outcome.scripts_inlined = !w.libraries.empty();
  if (w.libraries.empty()) w.outcome.notes.push_back("charts left out: " + w.libraries_error);
  w.head();
  w.header();
  w.contents();
  w.indicators();
  w.uncertainty();
  w.tensions();
  w.network();
  w.blocs();
  w.timeline();
  w.after_action();
  w.sources();
  w.footer();
  w.scripts();
  return w.outcome;
}

}  // namespace geosim
