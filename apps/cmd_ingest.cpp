// geosim ingest: GDELT and ICEWS event files in, counts per directed dyad and step, an observed
// tension series and a replayable events file out.
#include <fmt/format.h>
#include <geosim/io/escape.hpp>
#include <geosim/io/event_ingest.hpp>

#include <filesystem>
#include <iostream>
#include <sstream>

#include "cli_common.hpp"

namespace geosim::cli {

namespace {

/// Most event files one ingest reads.
constexpr std::size_t kMaxIngestFiles = 1000;

CLI::Validator iso_date() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        return parse_date(text) ? std::string() : "expected a date YYYY-MM-DD, found '" + text + "'";
      },
      "DATE");
}

Handler add_ingest_command(CLI::App& app, const Common&) {
  struct Options {
    std::vector<std::string> files;
    std::string actors, from, to, out, iso_codes;
    int step_days = 7;
    std::size_t top = 0;
    double half_life = 4.0, prior_events = 2.0;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand(
      "ingest",
      "count GDELT/ICEWS events per directed dyad and step; write an observed tension series and an events file");
  cmd->add_option("files", o->files, "GDELT 1.0/2.0 export or ICEWS .tab files, plain or gzip")
      ->required();  // at most kMaxIngestFiles, said in the handler (CLI11's expected(1, N) shows "files(1x)")
  cmd->add_option("--actors", o->actors,
                  "actors file (scenario format, without events: events.yaml includes it): ids and `countries:` map "
                  "countries to actors")
      ->required();
  cmd->add_option("--from", o->from, "first day counted, YYYY-MM-DD (default: the earliest event's)")
      ->check(iso_date());
  cmd->add_option("--to", o->to, "last day counted, YYYY-MM-DD (default: the latest event's)")->check(iso_date());
  cmd->add_option("--step-days", o->step_days, "days per step (default 7)")->check(whole_number(1, 3660));
  cmd->add_option("--top", o->top,
                  "events file: only the K dyad-steps with the most mentions (default: all, at most 10000)")
      ->check(whole_number(0, 10000));
  cmd->add_option("--half-life", o->half_life, "observed tension: half-life of a step's events, in steps (default 4)")
      ->check(finite_range(0.01, 10000.0));
  cmd->add_option("--prior-events", o->prior_events,
                  "observed tension: neutral pseudo-events in every balance (default 2)")
      ->check(finite_range(0.0, 1e9));
  cmd->add_option("--iso-codes", o->iso_codes,
                  "iso-codes' iso_3166-1.json for ICEWS country names (default: found under /usr/share)");
  cmd->add_option("--out", o->out, "output folder: dyads.csv, tension.csv, events.yaml")->required();
  return [cmd, o]() -> int {
    if (!*cmd) return -1;
    if (o->files.size() > kMaxIngestFiles)
      return fail(fmt::format("expected at most {} event files, found {}", kMaxIngestFiles, o->files.size()));
    IngestOptions options;
    if (!o->from.empty()) options.from = parse_date(o->from);
    if (!o->to.empty()) options.to = parse_date(o->to);
    if (options.from && options.to && *options.to < *options.from)
      return fail(fmt::format("expected --to on or after --from, found {} before {}", o->to, o->from));
    options.step_days = o->step_days;
    int code = 0;
    const auto actors = load_actors(o->actors, code);
    if (!actors) return code;
    // events.yaml includes the actors file whole: its own events would join the ingested ones, dated
    // outside their period or past the events' limit, and the file would not load.
    if (!actors->events.empty())
      return fail(
          fmt::format("--actors: '{}' has {} event{} of its own, which the written events.yaml would include "
                      "with the ingested ones: give a file of actors and relations only (as "
                      "scenarios/actors.yaml, which the shipped scenarios include)",
                      o->actors, actors->events.size(), actors->events.size() == 1 ? "" : "s"));
    std::string iso_error;
    options.country_names = load_iso_country_names(o->iso_codes, iso_error);
    if (!o->iso_codes.empty() && !iso_error.empty()) return fail(iso_error);
    const std::vector<std::string> written = {"dyads.csv", "tension.csv", "events.yaml"};
    if (const std::string error = output_folder_error(o->out, written); !error.empty())
      return fail(error);  // before reading
    std::vector<std::string> inputs = o->files;
    inputs.push_back(o->actors);
    if (!o->iso_codes.empty()) inputs.push_back(o->iso_codes);
    if (const std::string error = input_clash_error("--out", paths_in(o->out, written), inputs); !error.empty())
      return fail(error);
    const std::vector<std::string> overlaps = country_overlaps(*actors);
    for (std::size_t k = 0; k < overlaps.size() && k < 10; ++k)
      std::cerr << "geosim: warning: " << terminal_text(overlaps[k]) << '\n';
    if (overlaps.size() > 10)
      std::cerr << fmt::format("geosim: warning: and {} more countries stood for twice\n", overlaps.size() - 10);
    const IngestResult result = ingest_event_files(o->files, *actors, options);
    for (const auto& problem : result.problems) std::cerr << problem << '\n';
    if (result.malformed > result.problems.size())
      std::cerr << fmt::format("geosim: warning: {} malformed rows in all ({} shown)\n", result.malformed,
                               result.problems.size());
    for (const auto& [name, count] : result.unknown_names)  // before an error they may explain
      std::cerr << fmt::format("geosim: warning: ICEWS country '{}' ({} row{}) is not in iso-codes: {} unmapped\n",
                               terminal_text(name), count, count == 1 ? "" : "s",
                               count == 1 ? "its row is" : "its rows are");
    if (!result.error.empty()) return fail(result.error);

    std::cout << fmt::format("Read {} file{} ({} to {}, {} step{} of {} day{}):\n", result.files.size(),
                             result.files.size() == 1 ? "" : "s", format_date(result.from), format_date(result.to),
                             result.steps, result.steps == 1 ? "" : "s", result.step_days,
                             result.step_days == 1 ? "" : "s");
    for (const auto& f : result.files)
      std::cout << fmt::format(
          "  {}: {}, {} rows: {} counted, {} not between two actors, {} out of the dates, {} malformed{}\n",
          terminal_text(f.path), f.format.empty() ? "empty" : f.format, f.rows, f.used, f.unmapped, f.out_of_range,
          f.malformed,
          f.duplicates ? fmt::format(", {} duplicate{} (events counted already: left out)", f.duplicates,
                                     f.duplicates == 1 ? "" : "s")
                       : "");
    if (const int days = result.last_step_days(); days < result.step_days)
      std::cerr << fmt::format(
          "geosim: warning: the last step, {}, covers {} of its {} days ({} to {}): its counts are of fewer days "
          "than the other steps'; for whole steps, end --to on {}\n",
          result.steps, days, result.step_days, format_date(Date{result.to.days - days + 1}), format_date(result.to),
          format_date(Date{result.to.days + result.step_days - days}));
    std::uint64_t counted = 0;
    for (const auto& d : result.cells) counted += d.count;
    std::cout << fmt::format("{} dyad-step{} with events ({} event{} counted).\n", result.cells.size(),
                             result.cells.size() == 1 ? "" : "s", counted, counted == 1 ? "" : "s");

    constexpr std::uint64_t kMaxSeriesRows = 20'000'000;
    if (const std::uint64_t rows = observed_tension_rows(result); rows > kMaxSeriesRows)
      return fail(
          fmt::format("the observed tension series would have {} rows, more than {}: use longer steps "
                      "(--step-days), fewer days (--from, --to) or fewer actors",
                      rows, kMaxSeriesRows));
    std::ostringstream dyads, tension;
    write_dyads_csv(dyads, *actors, result);
    write_observed_tension_csv(tension, *actors, result, TensionMapping{o->half_life, o->prior_events});
    // The events file includes the actors file: by a path relative to the output folder when
    // both were given relative (a working folder that can move), else by its absolute path.
    std::error_code ec;
    const auto actors_abs = std::filesystem::absolute(o->actors, ec);
    std::string include = actors_abs.string();
    if (std::filesystem::path(o->actors).is_relative() && std::filesystem::path(o->out).is_relative()) {
      const auto relative = std::filesystem::relative(actors_abs, std::filesystem::absolute(o->out, ec), ec);
      if (!ec && !relative.empty()) include = relative.string();
    }
    const std::string events = events_yaml(*actors, result, include, o->top);
    if (const std::string error = write_output_files(
            o->out, {{"dyads.csv", dyads.str()}, {"tension.csv", tension.str()}, {"events.yaml", events}});
        !error.empty())
      return fail(error);
    std::cout << fmt::format("Wrote {0}/dyads.csv, {0}/tension.csv (observed tension) and {0}/events.yaml\n",
                             terminal_text(o->out));
    return 0;
  };
}

const Registration registration(95, add_ingest_command);
}  // namespace

}  // namespace geosim::cli
