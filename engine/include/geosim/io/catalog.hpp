#pragma once
/// \file
/// The shipped scenarios and policies: where they are, what they are called, and how a name
/// typed on the command line becomes a file.

#include <optional>
#include <string>
#include <vector>

namespace geosim {

/// One shipped scenario or policy.
struct CatalogEntry {
  std::string name;   ///< what to type: file stem, e.g. "realignment"
  std::string path;   ///< file path
  std::string title;  ///< from the file
  int reference = 0;  ///< `reference: N` of a scenario (0 = not a reference scenario)
  std::string by;     ///< `by: ACTOR` of a policy: the actor whose move it is ("" = any team's)
};

/// The folders geosim's data (scenarios/, node_modules/) may be in, in order: $GEOSIM_DATA if set,
/// the running program's own folder (in a build tree, where CMake links the source tree's
/// scenarios and JavaScript libraries), and share/geosim of the install prefix (beside the
/// program's bin/). No path of the build machine is compiled in.
std::vector<std::string> data_dirs();

/// The scenarios folder: `hint` if given, else $GEOSIM_SCENARIOS, else ./scenarios, else the
/// first of data_dirs() with a scenarios/ folder; "scenarios" when there is none.
std::string scenarios_dir(const std::string& hint = "");

/// Runnable scenarios in `dir` (files with a `scenario:` block), sorted by name. Each file's text
/// is checked whole as the loader checks it (size, encoding, line length, nesting: a file that
/// fails is left out), then parsed only up to the end of that block (its title and reference,
/// from yaml-cpp's events, whatever the YAML style): a file whose YAML is broken further down is
/// listed, and loading it names the error.
std::vector<CatalogEntry> list_scenarios(const std::string& dir);
/// The names of the reference scenarios in `dir` (those with `reference: N`), in the order of N:
/// what ensembles compare a run against and the default columns of `geosim matrix`.
std::vector<std::string> reference_scenarios(const std::string& dir);
/// Policies in `dir`/policies, sorted by name.
std::vector<CatalogEntry> list_policies(const std::string& dir);
/// The entry of one policy file, wherever it is (its name the file's stem); nullopt when it
/// cannot be read or has no `policy:` block.
std::optional<CatalogEntry> policy_entry(const std::string& path);

/// The .yaml files of the scenarios folder and of its policies/ that could not be read or
/// parsed, which list_scenarios and list_policies leave out: path, and as title why (one line,
/// as validate prints it: "file:line:col: error: ...", "file: error: ..." without a position).
/// Sorted by path.
std::vector<CatalogEntry> list_unreadable(const std::string& dir);

/// The message for a scenario or policy name that `entries` (list_scenarios, list_policies) do
/// not hold: "unknown WHAT 'word'; did you mean 'y'? (LISTED: a, b, ...; or give a file path)",
/// the same for every command; for a word that is a path (a '/' in it, or ending in .yaml or
/// .yml), "cannot open WHAT file 'word': no such file (LISTED: a, b, ...)" (or "it is a
/// folder", "not a regular file").
std::string unknown_catalog_name(const char* what, const std::string& word, const std::vector<CatalogEntry>& entries,
                                 const char* listed);

/// A scenario name or path to a file path: an existing path as is, else `dir`/NAME(.yaml).
std::optional<std::string> resolve_scenario(const std::string& name, const std::string& dir);
/// A policy name or path to a file path: an existing path as is, else `dir`/policies/NAME(.yaml).
std::optional<std::string> resolve_policy(const std::string& name, const std::string& dir);

}  // namespace geosim
