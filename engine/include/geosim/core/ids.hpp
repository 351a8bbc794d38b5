#pragma once
/// The id patterns (docs/scenario-format.md): an id is a name geosim uses in file paths
/// (`out/<scenario id>`), in conditions and on every output, so it is checked at load time.
#include <string>
#include <string_view>

namespace geosim {

enum class IdKind {
  scenario,   ///< [a-z0-9-]+, at most 100 characters (names the default output folder)
  policy,     ///< [a-z0-9-]+, at most 100 characters
  actor,      ///< [A-Z][A-Z0-9_]*, at most 32 characters
  event,      ///< [a-z0-9_-]+, at most 100 characters
  indicator,  ///< [a-z0-9_]+, at most 64 characters (usable in a condition: indicator(id))
  branch,     ///< [A-Za-z0-9_-]+, at most 40 characters (a `play` branch)
};

/// Whether `id` matches the pattern of `kind`.
bool valid_id(IdKind kind, std::string_view id);

/// The rule in words, for a message: "expected <this>, found '...'".
std::string id_rule(IdKind kind);

/// Whether `c` may appear in an actor or indicator id: what a condition reads as a name.
bool condition_name_char(char c);

}  // namespace geosim
