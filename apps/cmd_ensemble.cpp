// geosim ensemble: many runs of one scenario; percentile bands, threshold probabilities and
// resemblance to the document scenarios on the terminal and in files. With --shard K/N, one
// part of the runs to a shard file; `geosim ensemble merge` combines the parts. Under mpirun
// (geosim-mpi), each process runs a part and process 0 merges them (docs/scale.md).
#include <fmt/format.h>
#include <geosim/core/ensemble_merge.hpp>
#include <geosim/core/model_revision.hpp>
#include <geosim/io/ensemble_shard.hpp>
#include <geosim/io/input_file.hpp>
#include <geosim/io/per_run_writer.hpp>
#include <geosim/report/ensemble_report.hpp>

#include <filesystem>
#include <iostream>
#include <new>
#include <optional>
#include <sstream>

#include <geosim/io/escape.hpp>
#include "cli_common.hpp"
#include "ensemble_cli.hpp"
#include "ensemble_spread.hpp"
#include "geosim/io/json_text.hpp"
#include "progress_bar.hpp"

namespace geosim::cli {

namespace {

/// Prints the summary and writes percentiles.csv, thresholds.csv and ensemble.json to `out_dir`.
int write_results(const Scenario& scenario, const EnsembleResult& result, const EnsembleOptions& options,
                  const std::string& out_dir, const std::string& note) {
  std::cout << ensemble_summary(scenario, result);
  if (!note.empty()) std::cout << "\n(" << terminal_text(note) << ")\n";  // a shard file's is untrusted
  std::ostringstream percentiles, thresholds;
  write_ensemble_csv(percentiles, scenario, result);
  write_thresholds_csv(thresholds, scenario, result);
  nlohmann::json fields = ensemble_record(scenario, result, options.vary);
  if (!note.empty()) fields["note"] = note;  // what the summary's note says, for a reader of the file
  const std::string record = json_text(fields, 2) + "\n";
  if (const std::string error = write_output_files(
          std::filesystem::path(out_dir),
          {{"percentiles.csv", percentiles.str()}, {"thresholds.csv", thresholds.str()}, {"ensemble.json", record}});
      !error.empty())
    return fail(error);
  std::cout << fmt::format("\nWrote {0}/percentiles.csv, {0}/thresholds.csv and {0}/ensemble.json\n",
                           terminal_text(out_dir));
  return 0;
}

/// "K/N" with 1 <= K <= N <= 100000, or false.
bool parse_shard(const std::string& text, int& k, int& n) {
  const auto slash = text.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == text.size() || slash > 6 || text.size() - slash > 7)
    return false;
  for (std::size_t i = 0; i < text.size(); ++i)
    if (i != slash && (text[i] < '0' || text[i] > '9')) return false;
  k = std::stoi(text.substr(0, slash));
  n = std::stoi(text.substr(slash + 1));
  return k >= 1 && n >= 1 && k <= n && n <= 100000;
}

/// Reads shard file `file` into `buffer` (its memory reused file after file) and decodes it
/// (without its nodes' values unless `keep_nodes`); nullopt with `error` otherwise.
std::optional<EnsemblePart> read_shard(const std::string& file, std::string& buffer, bool keep_nodes,
                                       ShardOrigin& origin, std::string& error) {
  InputText text = read_input_file(file, kMaxShardFileBytes, std::move(buffer));
  if (!text.text) {
    error = text.error;
    return std::nullopt;
  }
  auto part = decode_shard(*text.text, origin, error, keep_nodes);
  buffer = std::move(*text.text);
  return part;
}

/// What `ensemble merge` keeps of a shard file between its two readings: its number and chunks
/// (its origin is the first file's but for the number: only that one is kept).
struct ShardHeader {
  const std::string* file = nullptr;
  int shard = 0;
  std::int64_t first_chunk = 0, end_chunk = 0;
};

/// The files' headers (each read whole, its nodes skipped), checked to be the N shards of one
/// ensemble, each once; in chunk order, with the first file's part (without nodes) in `first`
/// and its origin in `first_origin`. nullopt (message printed, `code` set) otherwise.
std::optional<std::vector<ShardHeader>> read_shard_headers(const std::vector<std::string>& files, EnsemblePart& first,
                                                           ShardOrigin& first_origin, int& code) {
  std::vector<ShardHeader> headers;
  std::string buffer;
  for (const std::string& file : files) {
    ShardOrigin mine;
    std::string error;
    auto part = read_shard(file, buffer, false, mine, error);
    if (!part) return code = fail(fmt::format("{}: {}", file, error)), std::nullopt;
    const ShardHeader header{&file, mine.shard, part->first_chunk, part->end_chunk};
    if (headers.empty()) first_origin = mine;
    const ShardOrigin& origin = first_origin;
    const ShardOrigin& header_origin = mine;
    const auto said = [](const std::vector<std::string>& settings) {
      return settings.empty() ? std::string("without --set")
                              : "with --set " + terminal_text(fmt::format("{}", fmt::join(settings, " ")));
    };
    if (header_origin.settings != origin.settings)
      return code = fail(fmt::format("{}: not a shard of the same ensemble as {}: made {}, but that one {}", file,
                                     files.front(), said(header_origin.settings), said(origin.settings))),
             std::nullopt;
    if (header_origin.files.has_value() != origin.files.has_value())
      return code = fail(fmt::format("{}: not a shard of the same ensemble as {}: one of the two was made by an "
                                     "earlier geosim (its file has no fingerprint of the files the ensemble read): "
                                     "make every shard with the same geosim",
                                     file, files.front())),
             std::nullopt;
    if (header_origin.model != origin.model)
      return code = fail(fmt::format("{}: not a shard of the same ensemble as {}: the two were made by geosims that "
                                     "compute differently (model revisions {} and {}; 0: before revisions were "
                                     "recorded): make every shard with the same geosim",
                                     file, files.front(), header_origin.model, origin.model)),
             std::nullopt;
    if (header_origin.files != origin.files)
      return code = fail(fmt::format("{}: not a shard of the same ensemble as {}: the files the two read (the "
                                     "scenario's, the references') were not the same (edited in between, or "
                                     "another copy)",
                                     file, files.front())),
             std::nullopt;
    if (header_origin.scenario != origin.scenario || header_origin.policies != origin.policies ||
        header_origin.fingerprint != origin.fingerprint || header_origin.shards != origin.shards ||
        header_origin.vary != origin.vary || header_origin.note != origin.note ||
        (!headers.empty() && !same_ensemble(*part, first)))
      return code = fail(fmt::format("{}: not a shard of the same ensemble as {} (scenario, policies, runs, steps, "
                                     "seed, spread, ranges, shard count or references differ)",
                                     file, files.front())),
             std::nullopt;
    if (headers.empty()) first = std::move(*part);
    headers.push_back(header);
  }
  // Each shard K of N once: a file given twice, or a shard left out, said as such.
  const int n = first_origin.shards;
  std::vector<const std::string*> by_number(std::size_t(n) + 1, nullptr);
  for (const ShardHeader& h : headers) {
    const std::string*& seen = by_number[std::size_t(h.shard)];
    if (seen)
      return code = fail(fmt::format("{}: shard {} of {} again (also {}): give each shard file once", *h.file, h.shard,
                                     n, *seen)),
             std::nullopt;
    seen = h.file;
  }
  for (int k = 1; k <= n; ++k)
    if (!by_number[std::size_t(k)]) {
      const auto [from, to] = shard_chunks(ensemble_chunks(first.runs), k - 1, n);
      const std::string runs = from == to
                                   ? "no runs"
                                   : fmt::format("runs {} to {}", from * kEnsembleChunkRuns,
                                                 std::min<std::int64_t>(first.runs, to * kEnsembleChunkRuns) - 1);
      return code = fail(fmt::format("{}: shard {} of {} ({}) is missing: give all {} shard files", files.front(), k, n,
                                     runs, n)),
             std::nullopt;
    }
  std::stable_sort(headers.begin(), headers.end(), [](const ShardHeader& a, const ShardHeader& b) {
    return std::pair(a.first_chunk, a.end_chunk) < std::pair(b.first_chunk, b.end_chunk);
  });
  return headers;
}

/// `ensemble merge`: the shard files' headers first, then each file whole, in chunk order, into
/// the tree (EnsembleMerge), so that one file's nodes and the tree's are held at a time.
int merge_shards(const std::vector<std::string>& files, const std::string& out, const Common& common) {
  int code = 0;
  EnsemblePart first_part;
  ShardOrigin first;
  const auto headers = read_shard_headers(files, first_part, first, code);
  if (!headers) return code;
  auto scenario = load_by_name(first.scenario, first.policies, common, code, first.settings, files.front());
  if (!scenario) return code;
  if (scenario_fingerprint(*scenario) != first.fingerprint)
    return fail(fmt::format("{}: scenario '{}' is not the one the shards ran (it changed since, or is another file)",
                            files.front(), first.scenario));
  if (first.files) {
    std::vector<std::string> read = scenario->files;
    std::string note;
    load_references(*scenario, first_part.steps, common, note, first.settings, &read);
    if (*first.files != files_fingerprint(read))
      return fail(
          fmt::format("{}: scenario '{}' is not the one the shards ran: the files it was read from (the "
                      "scenario, its includes, policies and source documents, and the scenarios its "
                      "resemblance is measured against) changed since the shards were made; make the "
                      "shards again",
                      files.front(), first.scenario));
  }
  const std::string out_dir =
      out.empty() ? default_out(*scenario, run_choices(*scenario, first_part.seed, first_part.steps, first_part.runs,
                                                       EnsembleFlags{}.runs, first_part.parameter_sd, first.vary)) +
                        "-ensemble"
                  : out;
  if (const std::string error = output_folder_error(out_dir, {"percentiles.csv", "thresholds.csv", "ensemble.json"});
      !error.empty())
    return fail(error);  // before the merge
  std::vector<std::string> inputs = files;
  inputs.insert(inputs.end(), scenario->files.begin(), scenario->files.end());
  if (const std::string error =
          input_clash_error("--out", paths_in(out_dir, {"percentiles.csv", "thresholds.csv", "ensemble.json"}), inputs);
      !error.empty())
    return fail(error);
  if (first.model == 0)  // all of a geosim that did not record its revision: merged as they are, said so
    std::cerr << "geosim: warning: the shards do not record the model revision of the geosim that made them (an "
                 "earlier shard format): the result is what that geosim's unsharded ensemble writes, which is this "
                 "one's only if the two compute alike\n";
  else if (first.model != kModelRevision)  // all of one other geosim
    std::cerr << fmt::format(
        "geosim: warning: the shards were made by a geosim that computes differently (model revision {}, this "
        "one's {}): the result is what that geosim's unsharded ensemble writes, not this one's\n",
        first.model, kModelRevision);
  EnsembleMerge merge;
  std::string buffer;
  for (const ShardHeader& header : *headers) {
    const std::string& file = *header.file;
    std::string error;
    ShardOrigin origin;
    auto part = read_shard(file, buffer, true, origin, error);
    if (!part) return fail(fmt::format("{}: {}", file, error));
    ShardOrigin expected = first;  // every file's origin is the first's but for its number
    expected.shard = header.shard;
    if (part->first_chunk != header.first_chunk || part->end_chunk != header.end_chunk || !(origin == expected) ||
        !same_ensemble(*part, first_part))
      return fail(fmt::format("{}: changed while it was being merged", file));
    if (error = merge.add(std::move(*part)); !error.empty())
      return fail(fmt::format("{}: {}", file, terminal_text(error)));
  }
  const EnsembleResult result = merge.finish(*scenario);
  if (!result.error.empty())  // a shard's own message is untrusted text
    return fail(fmt::format("{}: {}", *(*headers)[std::size_t(std::max(result.error_part, 0))].file,
                            terminal_text(result.error)));
  EnsembleFlags flags;
  flags.vary = first.vary;
  EnsembleOptions options;
  options.parameter_sd = result.parameter_sd;
  if (auto error = vary_ranges(*scenario, flags, options); !error.empty()) return fail(error);
  // What the unsharded ensemble prints: the ranges, whether every run is the same, its note.
  std::cout << varied_line(options) << policy_range_lines(*scenario, options) << same_runs_line(*scenario, options);
  std::string note = first.note;  // and, after the summary as its count would be, that no count is known
  if (!result.held_counted && result.held_runs == 0 && (options.parameter_sd > 0.0 || !options.vary.empty()))
    note += std::string(note.empty() ? "" : "; ") +
            "whether runs held a baseline at 0 or 1 (docs/model.md, \"Parameter ranges\") is not known: shards of an "
            "earlier geosim did not count them";
  return write_results(*scenario, result, options, out_dir, note);
}

/// Process 0 under mpirun: decodes process k's part (`bytes`) and adds it to `merge`, checking
/// that it ran the ensemble process 0 ran (`origin`: a process that read another scenario file,
/// on a machine of its own, does not merge). "" or the error.
std::string merge_process_part(int k, std::string_view bytes, const ShardOrigin& origin, EnsembleMerge& merge) {
  if (bytes.empty())
    return fmt::format("the part of process {}: larger than a shard file may be ({} MiB)", k, kMaxShardFileBytes >> 20);
  ShardOrigin theirs;
  std::string error;
  auto part = decode_shard(bytes, theirs, error);
  if (!part) return fmt::format("the part of process {}: {}", k, error);
  if (theirs.model != origin.model)
    return fmt::format("process {} runs a geosim that computes differently (model revision {}, process 0's {})", k,
                       theirs.model, origin.model);
  if (theirs.fingerprint != origin.fingerprint || theirs.files != origin.files || theirs.shards != origin.shards ||
      theirs.shard != k + 1)
    return fmt::format("process {} ran another scenario than process 0 (its scenario files differ?)", k);
  if (error = merge.add(std::move(*part)); !error.empty())
    return fmt::format("the part of process {}: {}", k, terminal_text(error));
  return {};
}

Handler add_ensemble_command(CLI::App& app, const Common& common) {
  struct Options {
    std::string scenario = "baseline";
    EnsembleFlags flags;
    std::string out_dir;
    std::string per_run;
    std::string shard;
    std::vector<std::string> merge_files;
    std::string merge_out;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("ensemble", "run a scenario many times: percentile bands and threshold odds");
  cmd->add_option("scenario", o->scenario, "scenario name (see `geosim list`) or file (default: baseline)");
  add_ensemble_flags(cmd, o->flags, true);
  add_vary_flag(cmd, o->flags);
  add_set_option(cmd, o->flags.settings,
                 "for every run and for the document scenarios the runs' resemblance is measured against");
  cmd->add_option("--out", o->out_dir,
                  "output folder (default: out/<scenario id>[+<policy id>...][+NAME=VALUE...]-ensemble, with +seed=N, "
                  "+steps=N, +runs=N, +parameter-sd=X and each --vary when not the defaults)");
  cmd->add_option("--per-run", o->per_run,
                  "also write every run's indicator series to this CSV file, streamed (gzip when it ends in .gz)");
  cmd->add_option("--shard", o->shard,
                  "run only part K of N of the runs (K/N, 1 <= K <= N) and write it to "
                  "<out>/shard-K-of-N.gsshard for `geosim ensemble merge`");
  auto* merge =
      cmd->add_subcommand("merge", "combine the shard files of `ensemble --shard K/N` into the ensemble's result");
  merge->add_option("files", o->merge_files, "the shard files (all N of them)")->required();
  merge->add_option("--out", o->merge_out,
                    "output folder (default: out/<scenario id>[+<policy id>...][+NAME=VALUE...]-ensemble, with "
                    "+seed=N, +steps=N, +runs=N, +parameter-sd=X and each --vary when not the defaults)");
  return [cmd, merge, o, &common]() -> int {
    if (!*cmd) return -1;
    if (*merge) return merge_shards(o->merge_files, o->merge_out, common);
    EnsembleSpread* const spread = common.spread;
    int shard = 1, shards = 1;
    // Under mpirun every process checks the request; agree() makes all of them stop, with one
    // message, when any refuses it.
    std::optional<Scenario> scenario;
    EnsembleOptions options;
    std::string note;
    std::vector<EnsembleReference> references;
    std::uint64_t files_read = 0;  // files_fingerprint of the scenario's and the references' files
    const int code = [&]() -> int {
      if (spread && !o->shard.empty())
        return fail("--shard: not under mpirun, whose processes already share the runs out (docs/scale.md)");
      if (spread && !o->per_run.empty())
        return fail(
            "--per-run: not under mpirun (every run's series would have to travel to process 0); run "
            "each part without mpirun as `--shard K/N --per-run runs-K.csv` and join the files in K order, "
            "each after the first without its header line (docs/scale.md)");
      if (!o->shard.empty() && !parse_shard(o->shard, shard, shards))
        return fail(fmt::format("--shard: expected K/N with 1 <= K <= N <= 100000, got '{}'", o->shard));
      int load_code = 0;
      scenario = load_by_name(o->scenario, o->flags.policies, common, load_code, o->flags.settings);
      if (!scenario) return load_code;
      options = ensemble_options(o->flags);
      if (auto error = ensemble_request_error(*scenario, options); !error.empty()) return fail(error);
      if (auto error = vary_ranges(*scenario, o->flags, options); !error.empty()) return fail(error);
      {  // this process's part of the runs, refused before anything is read or made for it
        const int k = spread ? spread->rank() : shard - 1, n = spread ? spread->size() : shards;
        const auto [first, end] = shard_chunks(ensemble_chunks(std::max(1, options.runs)), k, n);
        const int steps = options.steps >= 0 ? options.steps : scenario->steps;
        if (auto error = ensemble_work_error(*scenario, steps, chunk_runs(std::max(1, options.runs), first, end));
            !error.empty())
          return fail(error);
      }
      // What the shard read, fingerprinted before its runs (an edit during them would be missed).
      std::vector<std::string> read = scenario->files;
      references = load_references(*scenario, o->flags.steps, common, note, o->flags.settings, &read);
      files_read = files_fingerprint(read);
      return 0;
    }();
    if (spread) {
      if (spread->agree(code) != 0) return 1;
      shard = spread->rank() + 1;
      shards = spread->size();
    } else if (code != 0) {
      return code;
    }
    ProgressBar bar("ensemble");
    if (bar.enabled()) options.progress = [&bar](int done, int total) { bar.update(done, total); };
    const std::string out_dir =
        o->out_dir.empty()
            ? default_out(*scenario, run_choices(*scenario, o->flags.seed, o->flags.steps, o->flags.runs,
                                                 EnsembleFlags{}.runs, o->flags.parameter_sd, o->flags.vary)) +
                  "-ensemble"
            : o->out_dir;
    const std::string own = fmt::format("shard-{}-of-{}.gsshard", shard, shards);
    const std::vector<std::string> outputs =
        o->shard.empty() ? std::vector<std::string>{"percentiles.csv", "thresholds.csv", "ensemble.json"}
                         : std::vector<std::string>{own};
    if (const std::string error = output_folder_error(out_dir, outputs); !error.empty())
      return fail(error);  // before the runs
    if (const std::string error = input_clash_error("--out", paths_in(out_dir, outputs), scenario->files);
        !error.empty())
      return fail(error);
    if (const std::string error = input_clash_error("--per-run", {o->per_run}, scenario->files);
        !o->per_run.empty() && !error.empty())
      return fail(error);
    PerRunWriter per_run;
    if (!o->per_run.empty()) {
      if (const std::string error = output_clash_error("--per-run", o->per_run, out_dir,
                                                       {"percentiles.csv", "thresholds.csv", "ensemble.json", own});
          !error.empty())
        return fail(error);
      // Its folder made as the results' is (it may be that folder, not made yet), once the name is a file's.
      if (const std::string error = output_file_error(o->per_run, true); !error.empty()) return fail(error);
      if (!ensure_parent_dir(o->per_run)) return 1;
      const int steps = options.steps >= 0 ? options.steps : scenario->steps;
      if (std::string error = per_run.open(o->per_run, *scenario, steps); !error.empty()) return fail(error);
      options.per_run = [&per_run](int first, int count, const double* series) { per_run.write(first, count, series); };
    }
    const auto [first, end] = shard_chunks(ensemble_chunks(options.runs), shard - 1, shards);
    EnsemblePart part = run_ensemble_part(*scenario, options, references, first, end);
    bar.finish();
    const ShardOrigin origin{o->scenario,
                             o->flags.policies,
                             scenario_fingerprint(*scenario),
                             shard,
                             shards,
                             o->flags.vary,
                             note,
                             scenario->settings,
                             files_read,
                             kModelRevision};
    if (spread) {
      if (spread->agree(part.error.empty() ? 0 : fail(part.error)) != 0) return 1;
      // Process 0 merges its own part, then each other process's as it arrives, in process
      // order (which is chunk order), so that it holds one part and the tree at a time.
      EnsembleMerge merge;
      std::string error;
      const std::string mine = spread->rank() == 0 ? std::string() : encode_shard(part, origin);
      if (spread->rank() == 0) error = merge.add(std::move(part));
      spread->collect(mine, [&](int k, std::string_view bytes) {
        if (!error.empty()) return;
        try {  // never thrown out of collect(): the other processes wait for their turn
          error = merge_process_part(k, bytes, origin, merge);
        } catch (const std::bad_alloc&) {
          error = fmt::format("the part of process {}: not enough memory to merge it", k);
        }
      });
      int written = 0;
      if (spread->rank() == 0) {
        const EnsembleResult result = error.empty() ? merge.finish(*scenario, options.threads) : EnsembleResult{};
        if (!error.empty()) {
          written = fail(error);
        } else if (!result.error.empty()) {
          written = fail(
              fmt::format("the part of process {}: {}", std::max(result.error_part, 0), terminal_text(result.error)));
        } else {
          std::cout << varied_line(options) << policy_range_lines(*scenario, options)
                    << same_runs_line(*scenario, options);
          written = write_results(*scenario, result, options, out_dir, note);
        }
      }
      return spread->agree(written);
    }
    if (!part.error.empty()) return fail(part.error);
    if (!o->per_run.empty())
      if (std::string error = per_run.finish(); !error.empty()) return fail(error);
    if (!o->shard.empty()) {
      const std::string name = fmt::format("shard-{}-of-{}.gsshard", shard, shards);
      if (std::string error = write_output_files(out_dir, {{name, encode_shard(part, origin)}}); !error.empty())
        return fail(error);
      const std::string runs = first == end
                                   ? "No runs"
                                   : fmt::format("Runs {} to {}", first * kEnsembleChunkRuns,
                                                 std::min<std::int64_t>(options.runs, end * kEnsembleChunkRuns) - 1);
      std::cout << fmt::format("{} of {} (shard {} of {}; runs go to shards 64 at a time): wrote {}/{}{}\n", runs,
                               options.runs, shard, shards, terminal_text(out_dir), name,
                               o->per_run.empty() ? "" : " and " + terminal_text(o->per_run));
      return 0;
    }
    std::vector<EnsemblePart> parts;
    parts.push_back(std::move(part));
    const EnsembleResult result = finish_ensemble(*scenario, std::move(parts), options.threads);
    if (!result.error.empty()) return fail(result.error);
    std::cout << varied_line(options) << policy_range_lines(*scenario, options) << same_runs_line(*scenario, options);
    const int written = write_results(*scenario, result, options, out_dir, note);
    if (written == 0 && !o->per_run.empty())
      std::cout << fmt::format("Wrote {} (each run's series)\n", terminal_text(o->per_run));
    return written;
  };
}

const Registration registration(40, add_ensemble_command);
}  // namespace

}  // namespace geosim::cli
