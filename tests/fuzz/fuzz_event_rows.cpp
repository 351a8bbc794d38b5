// libFuzzer target: the event-file row reader and aggregation of `geosim ingest`. Untrusted bytes
// are read as a GDELT or ICEWS file (the first line decides) against a small world of actors.
// A crash, a sanitizer report, a hang or runaway memory is a bug; so is a row that is counted
// twice or not at all (every data row is counted, unmapped, out of the dates, malformed or a
// duplicate of an event counted already), or a dyad-step whose counts disagree.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "geosim/io/event_ingest.hpp"
#include "geosim/io/loader.hpp"

namespace {
const geosim::Scenario& world() {
  static const geosim::Scenario scenario = [] {
    const auto loaded = geosim::load_scenario_text(
        "scenario: {id: f, title: f, start: 2025-08-01, step_days: 7, steps: 1}\n"
        "actors:\n  - {id: USA}\n  - {id: CHN}\n  - {id: VNM}\n  - {id: SGP}\n"
        "  - {id: ASEAN, kind: organization, members: [VNM, SGP]}\n",
        "fuzz.yaml");
    if (!loaded.ok()) std::abort();
    return *loaded.scenario;
  }();
  return scenario;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const geosim::IngestOptions options = [] {
    geosim::IngestOptions o;
    std::string error;
    o.country_names = geosim::load_iso_country_names("", error);  // empty without iso-codes: ICEWS refused
    o.max_cells = 10000;
    return o;
  }();
  const std::string text(reinterpret_cast<const char*>(data), size);
  const geosim::IngestResult result = geosim::ingest_event_text(text, "fuzz.tsv", world(), options);
  if (result.files.size() != 1) std::abort();
  const auto& f = result.files[0];
  if (result.error.empty() && f.used + f.unmapped + f.out_of_range + f.malformed + f.duplicates != f.rows) std::abort();
  if (result.problems.size() > options.shown_problems) std::abort();
  for (const auto& d : result.cells) {
    if (d.count == 0 || d.quad[0] + d.quad[1] + d.quad[2] + d.quad[3] != d.count) std::abort();
    if (!(d.goldstein_sum >= -10.0 * double(d.count) && d.goldstein_sum <= 10.0 * double(d.count))) std::abort();
    if (d.step < 1 || d.step > result.steps || d.from == d.to) std::abort();
  }
  return 0;
}
