// geosim ingest's outputs: the dyad counts, the observed tension series, the events file.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <ostream>

#include "geosim/cameo.hpp"
#include "geosim/escape.hpp"
#include "geosim/event_ingest.hpp"

namespace geosim {
namespace {

std::string number(double v) { return fmt::format("{:.6f}", v); }

/// The loader's most events in one scenario (docs/scenario-format.md, "Limits").
constexpr std::size_t kMaxEvents = 10000;

/// A file name for a title: its last part, bytes outside printable ASCII as '?'.
std::string shown_file(const std::string& path) {
  std::string name = std::filesystem::path(path).filename().string();
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
                       number(d.goldstein_sum), number(d.goldstein_mean()), d.quad[0], d.quad[1], d.quad[2],
                       d.quad[3], number(d.file_goldstein_sum), number(d.mentions));
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
        const double balance = score[k] / (scale[k] + 10.0 * mapping.prior_events);  // in (-1, 1)
        out << fmt::format("{},{},{},{},{}\n", step, date, csv_field(actors.actors[i].id),
                           csv_field(actors.actors[j].id), number((1.0 - balance) / 2.0));
      }
  }
}

std::string events_yaml(const Scenario& actors, const IngestResult& result, const std::string& actors_include,
                        std::size_t top) {
  const std::size_t limit = top == 0 ? kMaxEvents : std::min(top, kMaxEvents);
  std::vector<const DyadStep*> chosen;
  for (const DyadStep& d : result.cells) chosen.push_back(&d);
  const std::size_t all = chosen.size();
  if (chosen.size() > limit) {  // the most mentioned, then back in time order
    std::stable_sort(chosen.begin(), chosen.end(),
                     [](const DyadStep* a, const DyadStep* b) { return a->mentions > b->mentions; });
    chosen.resize(limit);
    std::stable_sort(chosen.begin(), chosen.end(), [&](const DyadStep* a, const DyadStep* b) {
      return a->step != b->step ? a->step < b->step : a->from != b->from ? a->from < b->from : a->to < b->to;
    });
  }
  std::string files;
  for (const auto& f : result.files) files += (files.empty() ? "" : ", ") + shown_file(f.path);
  std::string out;
  out += "# Written by geosim ingest from " + files + ".\n";
  out += fmt::format("# One event per directed dyad and step with events ({} of {}{}), sized as one event of\n",
                     chosen.size(), all, chosen.size() < all ? ", the most mentioned" : "");
  out += "# the dyad-step's mean Goldstein weight: tension change = -mean / 100 (docs/model.md, \"Event data\").\n";
  out += "scenario:\n  id: ingested-events\n";
  out += "  title: " + yaml_quoted("Events from " + files) + "\n";
  out += "  start: " + format_date(result.from) + "\n";
  out += fmt::format("  step_days: {}\n  steps: {}\n", result.step_days, std::max(result.steps, 1));
  out += "include: [" + yaml_quoted(actors_include) + "]\n";
  if (chosen.empty()) return out;
  out += "events:\n";
  for (const DyadStep* d : chosen) {
    const std::string& from = actors.actors[d->from].id;
    const std::string& to = actors.actors[d->to].id;
    const double mean = d->goldstein_mean();
    out += fmt::format("  - id: {}-{}-s{}\n", lower(from), lower(to), d->step);
    out += "    title: " +
           yaml_quoted(fmt::format("{} to {}: {} event{}, mean Goldstein {:+.2f}; most mentioned {}:{} ({})", from, to,
                                   d->count, d->count == 1 ? "" : "s", mean, shown_file(d->top_file), d->top_line,
                                   d->top_code)) +
           "\n";
    out += fmt::format("    date: {}\n", format_date(add_days(result.from, (d->step - 1) * result.step_days)));
    out += fmt::format("    cameo: \"{}\"\n", d->top_code);
    out += fmt::format("    effects:\n      - from: {}\n        to: {}\n        tension: {}\n", from, to,
                       number(std::clamp(tension_change_for_goldstein(mean), -1.0, 1.0)));
  }
  return out;
}

}  // namespace geosim
