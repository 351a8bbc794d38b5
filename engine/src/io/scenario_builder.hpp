#pragma once
// Internal: assembles a Scenario from one or more checked YAML trees.

#include <yaml-cpp/yaml.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "geosim/core/model_parameters.hpp"
#include "geosim/io/loader.hpp"
#include "yaml_document.hpp"
#include "yaml_walk.hpp"

namespace geosim::detail {

/// One parsed input file.
struct InputFile {
  std::string path;
  YAML::Node root;
  bool is_policy = false;
  std::shared_ptr<const SourceText> source;  ///< its text, for columns in characters
};

/// Limits on the size of a scenario, beyond which it is refused.
struct ScenarioLimits {
  std::size_t max_actors = 2000;
  std::size_t max_events = 10000;
  std::size_t max_effects = 1000;     ///< per event
  std::size_t max_follow_ups = 1000;  ///< per event
  /// Relations an event's effects change, summed over them (event_change_bound): each firing
  /// records every one (40 bytes). A bloc of 200 against another is 80,000 both ways.
  std::size_t max_event_changes = 1000000;
  std::size_t max_files = 64;
  int max_include_depth = 16;
  int max_steps = 100000;
};

/// The mean over the pairs with a relation of (T_ij + T_ji) / 2 at the start; 0.5 if none.
double mean_symmetric_tension(const Scenario& s);

class ScenarioBuilder {
 public:
  ScenarioBuilder(std::vector<Diagnostic>& errors, const LoadOptions& options) : errors_(errors), options_(options) {}

  /// Reads `path` and, depth first, what it includes. Dependencies come before includers.
  /// `included_at`: the include that names it (as `name`), where a problem with the file as a
  /// whole (cannot be read, too large, one file too many) is said; none for the file given.
  void collect(const std::string& path, std::vector<std::string>& stack, const Origin* included_at = nullptr,
               const std::string& name = "");
  /// Adds an already parsed root (text input).
  void collect_root(const std::string& name, const YAML::Node& root, const std::string& base_dir,
                    const std::string& text);
  /// Adds a policy file (applied after the scenario).
  void collect_policy(const std::string& path);
  /// The paths of the files collected before the last scenario file (collect puts its includes,
  /// at any depth, first): what it includes, in the order read.
  std::vector<std::string> included() const {
    std::vector<std::string> out;
    for (std::size_t i = 0; i + 1 < files_.size(); ++i)
      if (!files_[i].is_policy) out.push_back(files_[i].path);
    return out;
  }

  /// Builds the scenario from what was collected. `runnable`: the root must have a
  /// `scenario:` block.
  std::optional<Scenario> build(bool runnable);

 private:
  // loader.cpp
  Walker walker(const InputFile& file) { return Walker(file.path, errors_, node_budget_, file.source.get()); }
  void include_from(const InputFile& file, const std::string& base_dir, std::vector<std::string>& stack);
  void check_top_level(const InputFile& file);
  void read_scenario_block(bool runnable);
  void read_parameters(const InputFile& file);
  void read_defaults(const InputFile& file);
  void read_actors(const InputFile& file);
  void resolve_members();
  void read_relations(const InputFile& file);
  /// `absent: true` on a `between:` relation: the pair has no relation at all.
  void read_absent(Walker& w, const YAML::Node& node, bool both, std::size_t a, std::size_t b);
  void read_indicators(const InputFile& file);

  // loader_settle.cpp
  void read_start_state(const InputFile& file);
  /// An error when a settled start is declared and a baseline is written anyway.
  void refuse_written_baseline(Walker& w, const YAML::Node& node, const std::string& what);
  /// Replaces every baseline with the settled one (geosim/core/settle.hpp); names the relations
  /// whose settled baseline would leave [0, 1].
  void settle_baselines();
  /// `fitted:` (loader_fitted.cpp): `geosim calibrate`'s values by parameter name, the
  /// baselines (`baselines` true: after a settled start's are derived) or the others (before).
  void read_fitted(const InputFile& file, bool baselines);
  /// When LoadOptions::settings are applied: restraint, reactivity and spillover before a
  /// settled start derives the baselines (errors are reported then), baselines after it, and
  /// every one again after the policies, so that a setting is the value the run uses.
  enum class SettingsPhase { model, baselines, last };
  void apply_settings(SettingsPhase phase);
  /// `score:` (loader_score.cpp): a later file's score replaces an earlier one's.
  void read_score(const InputFile& file);
  bool relation_pair(Walker& w, const YAML::Node& map, const std::string& what, bool& both, ActorSet& from,
                     ActorSet& to, bool allow_sets);
  std::optional<ActorSet> actor_set(Walker& w, const YAML::Node& node, bool allow_sets);
  std::optional<std::size_t> actor_ref(Walker& w, const YAML::Node& node);
  std::string known_actors() const;

  // loader_events.cpp
  void read_events(const InputFile& file);
  /// The first tension/baseline/tie comparison of `node` on a pair without a relation.
  std::optional<std::pair<std::size_t, std::size_t>> absent_pair_in(const Condition::Node& node) const;
  std::optional<Event> read_event(Walker& w, const YAML::Node& node, const std::string& policy);
  void read_timing(Walker& w, const YAML::Node& node, Event& event);
  /// `event`'s effects without sizes take them from its CAMEO code; `cameo_refused` (its code was
  /// reported unknown): they are not reported again.
  std::optional<Effect> read_effect(Walker& w, const YAML::Node& node, const Event* event, bool cameo_refused = false);
  std::optional<Magnitude> magnitude(Walker& w, const YAML::Node& node, const std::string& what, double lo, double hi);
  void read_source(Walker& w, const YAML::Node& node, SourceRef& out);
  void check_quote(Walker& w, const YAML::Node& quote_node, const SourceRef& source);
  void read_policy(const InputFile& file);
  /// Whether a --set setting sets `target` (it is set again after the policies, over their changes).
  bool set_by_option(const ParameterTarget& target) const;
  /// Every actor's restraint and reactivity and the spillover, as they are now.
  OwnParameters model_parameters() const;
  /// Whether the start settles (a baseline in [0, 1] for every relation) with `values` for the
  /// restraint, reactivity and spillover: a start that fails with --set or fitted: values is
  /// blamed on them only when it settles as the files write it.
  bool settles_with(const OwnParameters& values) const;
  std::vector<std::string> policy_files_;  ///< the file of each of scenario_.policies
  void resolve_follow_ups();
  void parse_conditions();
  void check_zero_delay_cycles();
  // loader_follow_ups.cpp
  void check_follow_up_growth();
  void apply_effect_now(const Effect& effect);

  struct PendingFollowUp {
    std::size_t event;
    std::string target;
    Origin origin;
    int delay;
    double probability;
  };
  struct PendingCondition {
    std::size_t event;
    Origin origin;
    int text_column;  ///< where the condition's text starts, 0 if not on one line verbatim
  };

  std::vector<Diagnostic>& errors_;
  const LoadOptions& options_;
  ScenarioLimits limits_;
  std::size_t node_budget_ = 2'000'000;
  std::vector<InputFile> files_;
  std::vector<std::string> loaded_;  ///< canonical paths already read
  Scenario scenario_;
  std::vector<bool> relation_set_;  ///< n*n: given explicitly by some file
  /// n*n: where it was given; none: not given (then start_state_origin_, not copied n*n times).
  std::vector<std::optional<Origin>> relation_origin_;
  Origin start_state_origin_;     ///< where `start_state` was declared
  std::string fitted_values_;     ///< `fitted:`'s model values read ("restraint.VNM=0.01, ...")
  Origin fitted_origin_;          ///< where the first of them was written
  std::size_t fitted_count_ = 0;  ///< how many there are
  std::map<std::string, std::string> source_cache_;
  std::vector<std::pair<std::size_t, std::vector<std::string>>> member_names_;
  std::vector<std::vector<Origin>> member_origins_;  ///< one per name in member_names_
  std::vector<PendingFollowUp> follow_ups_;
  std::vector<PendingCondition> conditions_;
  std::string text_name_, text_base_dir_;  ///< a root given as text: its name and base folder
  bool has_start_ = false;                 ///< some file gives a start date, so dates can become steps
  double default_tension_ = 0.3, default_baseline_ = -1.0, default_tie_ = 0.0;
  /// `balance_cut: mean`: the cut is the mean symmetric start tension of the pairs with a
  /// relation (before policies), `relation_mean_`.
  bool balance_cut_mean_ = false;
  double relation_mean_ = 0.5;
};

/// Reads an indicator's `better: lower|higher|neither` (loader_score.cpp); without it, sets
/// the default by kind: higher for cohesion, lower for mean and max.
void read_indicator_better(Walker& w, const YAML::Node& node, Indicator& indicator);

}  // namespace geosim::detail
