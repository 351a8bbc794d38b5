#pragma once
/// \file
/// An ensemble's parts (ensemble_partial.hpp) combined into its result: all at once
/// (finish_ensemble), or one part at a time in chunk order (EnsembleMerge), so that combining N
/// shard files, or the parts of N MPI processes, holds one part and the tree's nodes waiting for
/// a sibling, not every part at once. Either way the result is the unsharded ensemble's, byte
/// for byte.

#include <cstdint>
#include <string>
#include <vector>

#include "geosim/core/ensemble.hpp"
#include "geosim/core/ensemble_partial.hpp"

namespace geosim {

/// True when parts `a` and `b` are of one ensemble: the same runs, steps, seed, parameter
/// spread, indicators, references and threshold counts (their chunks may differ).
bool same_ensemble(const EnsemblePart& a, const EnsemblePart& b);

/// Combines the parts of one ensemble given one at a time in chunk order (each starting at the
/// chunk where the last one ended). Only the tree's nodes still waiting for their sibling are
/// kept between parts: about one a level, as in the unsharded ensemble.
class EnsembleMerge {
 public:
  /// Adds the next part, its nodes combined into the tree as they come. Returns "" or, adding
  /// nothing, why it does not fit: another ensemble's part (runs, steps, seed, parameter spread,
  /// indicators or references differ), chunks missing before it or covered twice.
  std::string add(EnsemblePart part);
  /// How many parts have been added.
  int parts() const { return added_; }
  /// The result of the parts added, for `scenario` (the one they ran). Its error says what is
  /// wrong instead: no parts, chunks missing at the end, the lowest-numbered failed run, or
  /// indicators or thresholds other than the scenario's; then `error_part` is the part it is
  /// about, counted in the order added. `threads`: how many threads compute the percentiles
  /// (never changes the result). Call once.
  EnsembleResult finish(const Scenario& scenario, int threads = 1);

 private:
  int added_ = 0;
  EnsemblePart first_;        ///< the first part's header and counts (its nodes and ends moved out)
  std::int64_t covered_ = 0;  ///< chunks [0, covered_) are in
  /// One spare node: parts come decoded into memory of their own, so only the parents' reuse it.
  EnsembleTree tree_{1};
  std::vector<std::int64_t> crossing_, nearest_;
  std::int64_t held_runs_ = 0;  ///< EnsemblePart::held_runs, summed
  bool held_counted_ = true;    ///< every part counted them
  std::vector<double> end_;
  int failed_part_ = -1;      ///< the first part added with a failed run (the lowest-numbered run), -1 if none
  int failed_run_ = -1;       ///< that run
  std::string failed_error_;  ///< and its error
};

/// Combines parts that together cover every chunk of one ensemble exactly once (any order)
/// into its result, identical to the unsharded ensemble's: sorted by chunk, then as
/// EnsembleMerge. On parts that do not fit together (different ensembles, a chunk missing or
/// covered twice) the result's error says which, and `error_part` is that part's index as
/// passed (for a gap, the part after it, or the last part when the gap is at the end).
/// `threads`: how many threads compute the percentiles (columns shared out; never changes the
/// result).
EnsembleResult finish_ensemble(const Scenario& scenario, std::vector<EnsemblePart> parts, int threads = 1);

}  // namespace geosim
