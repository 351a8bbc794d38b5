// explanation_table(): the sorted table with bars printed by `geosim explain`.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>

#include "geosim/io/escape.hpp"
#include "geosim/io/number_text.hpp"
#include "geosim/report/explain_report.hpp"
#include "geosim/report/report.hpp"
#include "text_bars.hpp"

namespace geosim {
namespace {

constexpr int kBarWidth = 20;  ///< cells on each side of the axis

std::string label_of(const Scenario& s, const Explanation& e, const Contribution& c) {
  const std::string& from = s.actors[e.from].id;
  const std::string& to = s.actors[e.to].id;
  switch (c.kind) {
    case ContributionKind::event: {
      std::string label = fmt::format("event {}{}, step {}", c.label,
                                      c.firings > 1 ? fmt::format(" x{}", c.firings) : "", c.first_step);
      return c.baseline != 0.0 ? label + " (baseline " + signed_change(c.baseline) + ")" : label;
    }
    case ContributionKind::relaxation:
      return fmt::format("relaxation toward {}->{}'s baseline", from, to);
    case ContributionKind::reciprocity:
      return fmt::format("reciprocity: {} answers {}->{}", from, to, from);
    case ContributionKind::spillover: {
      const Actor& partner = s.actors[c.index];
      const bool plain = partner.name.rfind(partner.id, 0) == 0;  // "ASEAN (rest ...)": id says it
      return plain ? "spillover via " + partner.id
                   : fmt::format("spillover via {} ({})", partner.id, terminal_text(partner.name));
    }
    case ContributionKind::noise:
      return "noise";
    case ContributionKind::bounds:
      return "bounds: kept in [0,1]";
    case ContributionKind::still:
      return "no-event path (drift of the start)";
  }
  return c.label;
}

/// "by force: events +0.040, relaxation -0.020, ...": the parts summed by kind.
std::string by_force(const Explanation& e, int digits) {
  static const std::array<const char*, 7> names{"events", "relaxation", "reciprocity",  "spillover",
                                                "noise",  "bounds",     "no-event path"};
  std::array<double, 7> sums{};
  for (const Contribution& c : e.contributions) sums[std::size_t(c.kind)] += c.value;
  std::string out;
  for (std::size_t k = 0; k < names.size(); ++k)
    out += fmt::format("{}{} {}", out.empty() ? "" : ", ", names[k], signed_change(sums[k], digits));
  return out;
}

}  // namespace

int explanation_digits(const Explanation& e) {
  double largest = 0.0;
  for (const Contribution& c : e.contributions) largest = std::max(largest, std::abs(c.value));
  if (!(largest > 0.0)) return 4;
  return std::clamp(1 - int(std::floor(std::log10(largest))), 4, 12);
}

std::string explanation_table(const Scenario& s, const Explanation& e, int digits) {
  if (digits <= 0) digits = explanation_digits(e);
  const std::string& from = s.actors[e.from].id;
  const std::string& to = s.actors[e.to].id;
  std::string out = fmt::format("{}, seed {}{}{}\n", terminal_text(s.title.empty() ? s.id : s.title), e.seed,
                                s.policies.empty() ? "" : fmt::format(", policies: {}", fmt::join(s.policies, ", ")),
                                settings_clause(s.settings));
  out += fmt::format("Why {} -> {} moved over {} steps ({} to {}): {:.{}f} -> {:.{}f} ({})\n\n", from, to, e.steps,
                     format_date(s.start), format_date(s.date_of_step(e.steps)), e.start, digits, e.end, digits,
                     signed_change(e.total, digits));
  std::vector<const Contribution*> shown;
  std::string hidden;
  std::size_t zeros = 0;
  for (const Contribution& c : e.contributions) {
    if (c.value != 0.0)
      shown.push_back(&c);
    else if (++zeros <= kZeroPartsNamed)
      hidden += (hidden.empty() ? "" : ", ") + (c.kind == ContributionKind::event ? "event " + c.label : c.label);
  }
  if (zeros > kZeroPartsNamed) hidden += fmt::format(" and {} more", zeros - kZeroPartsNamed);
  std::stable_sort(shown.begin(), shown.end(), [](const Contribution* a, const Contribution* b) {
    return std::abs(a->value) > std::abs(b->value);
  });
  std::size_t width = 4;
  for (const Contribution* c : shown) width = std::max(width, label_of(s, e, *c).size());
  const double scale = shown.empty() ? 0.0 : std::abs(shown.front()->value);
  const int column = digits + 3;  // sign, "0." and the decimals
  out += fmt::format("  {:<{}}  {:<{}}  {:>{}}│{}\n", "part", width, "change", column, "lowers ", kBarWidth, " raises");
  // The parts as a reader adds them: each rounded to the decimals shown.
  const double unit = std::pow(10.0, digits);
  double shown_sum = 0.0;
  for (const Contribution* c : shown) {
    const std::string text = signed_change(c->value, digits);
    out += fmt::format("  {:<{}}  {:>{}}  {}\n", label_of(s, e, *c), width, text, column,
                       detail::signed_bar(c->value, scale, kBarWidth));
    shown_sum += std::nearbyint(std::strtod(text.c_str(), nullptr) * unit);  // in units of the last decimal
  }
  out += fmt::format("  {:<{}}  {:>{}}  (end - start {})\n", "sum of the parts", width,
                     signed_change(e.sum_of_parts(), digits), column, signed_change(e.total, digits));
  if (const std::string added = signed_change(shown_sum / unit, digits);
      added != signed_change(e.sum_of_parts(), digits))
    out += fmt::format("  (the parts as shown add up to {}: each is rounded to {} decimals{})\n", added, digits,
                       digits < 12 ? fmt::format("; --digits {} shows more", std::min(digits + 2, 12)) : "");
  // Parts too small for even the most decimals (a short run of a large world): said, with the size.
  if (scale > 0.0 && scale < 0.5 / unit)
    out += fmt::format("  (every part is smaller than {} decimals show: the largest is {:+.2e})\n", digits,
                       shown.front()->value);
  out += "\n  by force: " + by_force(e, digits) + "\n";
  if (!hidden.empty()) out += "  zero, not shown: " + hidden + "\n";
  return out;
}

}  // namespace geosim
