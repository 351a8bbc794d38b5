// geosim ingest's outputs: the dyad counts, the observed tension series, the events file.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <ostream>

#include "geosim/io/cameo.hpp"
#include "geosim/io/escape.hpp"
#include "geosim/io/event_ingest.hpp"
#include "geosim/io/number_text.hpp"

namespace geosim {
namespace {

/// The loader's most events in one scenario (docs/scenario-format.md, "Limits").
constexpr std::size_t kMaxEvents = 10000;

/// A file name for a title: its last part, bytes outside printable ASCII as '?'.
std::string shown_file(const std::string& path) {
  std::string name = std::filesystem::path(path).filename().string();
  if (name.size() > 60) name = name.substr(0, 57) + "...";
  for (char& c : name)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) c = '?';
  return name;
}

std::string lower(std::string s) {
  for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

void write_dyads_csv(std::ostream& out, const Scenario& actors, const IngestResult& result) {
  out << "step,date,from,to,events,goldstein_sum,goldstein_mean,verbal_cooperation,material_cooperation,"
         "verbal_conflict,material_conflict,file_goldstein_sum,mentions\n";
  for (const DyadStep& d : result.cells)
    out << fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{}\n", d.step,
                       format_date(add_days(result.from, (d.step - 1) * result.step_days)),
                       csv_field(actors.actors[d.from].id), csv_field(actors.actors[d.to].id), d.count,
                       number6(d.goldstein_sum), number6(d.goldstein_mean()), d.quad[0], d.quad[1], d.quad[2],
                       d.quad[3], number6(d.file_goldstein_sum), number6(d.mentions));
}

void write_observed_tension_csv(std::ostream& out, const Scenario& actors, const IngestResult& result,
                                const TensionMapping& mapping) {
  out << "step,date,from,to,tension\n";
  const std::size_t n = actors.actor_count();
  const double keep = std::pow(0.5, 1.0 / mapping.half_life);  // weight of a step's events one step later
  // Per dyad: the decayed sums of Goldstein weights and of 10 * events, and its first step.
  std::vector<double> score(n * n, 0.0), scale(n * n, 0.0);
  std::vector<int> first(n * n, 0);
  for (const DyadStep& d : result.cells)
    if (!first[d.from * n + d.to]) first[d.from * n + d.to] = d.step;
  std::size_t next = 0;
  for (int step = 1; step <= result.steps; ++step) {
    for (auto& v : score) v *= keep;
    for (auto& v : scale) v *= keep;
    for (; next < result.cells.size() && result.cells[next].step == step; ++next) {
      const DyadStep& d = result.cells[next];
      score[d.from * n + d.to] += d.goldstein_sum;
      scale[d.from * n + d.to] += 10.0 * double(d.count);
    }
    const std::string date = format_date(add_days(result.from, step * result.step_days));
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j) {
        const std::size_t k = i * n + j;
        if (!first[k] || step < first[k]) continue;
        // in (-1, 1); 0 when no evidence is left (every event decayed below the smallest double
        // and no prior events: 0/0, whose limit as the prior goes to 0 is 0)
        const double weight = scale[k] + 10.0 * mapping.prior_events;
        const double balance = weight > 0.0 ? std::clamp(score[k] / weight, -1.0, 1.0) : 0.0;
        out << fmt::format("{},{},{},{},{}\n", step, date, csv_field(actors.actors[i].id),
                           csv_field(actors.actors[j].id), number6((1.0 - balance) / 2.0));
      }
  }
}

std::string events_yaml(const Scenario& actors, const IngestResult& result, const std::string& actors_include,
                        std::size_t top) {
  const std::size_t limit = top == 0 ? kMaxEvents : std::min(top, kMaxEvents);
  // The most mentioned first, as many as the count and the loader's file size allow.
  std::vector<const DyadStep*> ranked;
  for (const DyadStep& d : result.cells) ranked.push_back(&d);
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const DyadStep* a, const DyadStep* b) { return a->mentions > b->mentions; });
  auto event_text = [&](const DyadStep& d) {
    const std::string& from = actors.actors[d.from].id;
    const std::string& to = actors.actors[d.to].id;
    const double mean = d.goldstein_mean();
    std::string out = fmt::format("  - id: {}-{}-s{}\n", lower(from), lower(to), d.step);
    out += "    title: " +
           yaml_quoted(fmt::format("{} to {}: {} event{}, mean Goldstein {}; most mentioned {}:{} ({})", from, to,
                                   d.count, d.count == 1 ? "" : "s", signed_change(mean, 2), shown_file(d.top_file),
                                   d.top_line, d.top_code)) +
           "\n";
    out += fmt::format("    date: {}\n", format_date(add_days(result.from, (d.step - 1) * result.step_days)));
    out += fmt::format("    cameo: \"{}\"\n", d.top_code);
    out += fmt::format("    effects:\n      - from: {}\n        to: {}\n        tension: {}\n", from, to,
                       number6(std::clamp(tension_change_for_goldstein(mean), -1.0, 1.0)));
    return out;
  };
  constexpr std::size_t kBudget = (std::size_t(4) << 20) - (std::size_t(64) << 10);  // under the loader's 4 MiB
  std::vector<std::pair<const DyadStep*, std::string>> kept;
  std::size_t bytes = 0;
  for (const DyadStep* d : ranked) {
    if (kept.size() >= limit) break;
    std::string text = event_text(*d);
    if (bytes + text.size() > kBudget) break;
    bytes += text.size();
    kept.emplace_back(d, std::move(text));
  }
  std::stable_sort(kept.begin(), kept.end(), [](const auto& x, const auto& y) {
    const DyadStep& a = *x.first;
    const DyadStep& b = *y.first;
    return a.step != b.step ? a.step < b.step : a.from != b.from ? a.from < b.from : a.to < b.to;
  });
  std::string files;
  for (std::size_t k = 0; k < result.files.size() && k < 10; ++k)
    files += (k ? ", " : "") + shown_file(result.files[k].path);
  if (result.files.size() > 10) files += fmt::format(" and {} more files", result.files.size() - 10);
  std::string out;
  out += "# Written by geosim ingest from " + files + ".\n";
  out += fmt::format("# One event per directed dyad and step with events ({} of {}{}), sized as one event of\n",
                     kept.size(), ranked.size(), kept.size() < ranked.size() ? ", the most mentioned" : "");
  out += "# the dyad-step's mean Goldstein weight: tension change = -mean / 100 (docs/grounding.md, \"Event data\").\n";
  out += "scenario:\n  id: ingested-events\n";
  out += "  title: " +
         yaml_quoted(result.files.size() == 1 ? "Events from " + files
                                              : fmt::format("Events from {} files", result.files.size())) +
         "\n";
  out += "  start: " + format_date(result.from) + "\n";
  out += fmt::format("  step_days: {}\n  steps: {}\n", result.step_days, std::max(result.steps, 1));
  out += "include: [" + yaml_quoted(actors_include) + "]\n";
  if (kept.empty()) return out;
  out += "events:\n";
  for (const auto& [d, text] : kept) out += text;
  return out;
}

std::uint64_t observed_tension_rows(const IngestResult& result) {
  std::map<std::pair<std::size_t, std::size_t>, int> first;
  for (const DyadStep& d : result.cells) first.emplace(std::make_pair(d.from, d.to), d.step);
  std::uint64_t rows = 0;
  for (const auto& [pair, step] : first) rows += std::uint64_t(result.steps - step + 1);
  return rows;
}

}  // namespace geosim
