// The id patterns (see geosim/core/ids.hpp).
#include "geosim/core/ids.hpp"

#include <algorithm>

namespace geosim {

namespace {
bool lower(char c) { return c >= 'a' && c <= 'z'; }
bool upper(char c) { return c >= 'A' && c <= 'Z'; }
bool digit(char c) { return c >= '0' && c <= '9'; }
}  // namespace

bool condition_name_char(char c) { return lower(c) || upper(c) || digit(c) || c == '_'; }

bool valid_id(IdKind kind, std::string_view id) {
  auto all = [&](auto ok) { return std::all_of(id.begin(), id.end(), ok); };
  if (id.empty()) return false;
  switch (kind) {
    case IdKind::scenario:
    case IdKind::policy:
      return id.size() <= 100 && all([](char c) { return lower(c) || digit(c) || c == '-'; });
    case IdKind::actor:
      return id.size() <= 32 && upper(id[0]) && all([](char c) { return upper(c) || digit(c) || c == '_'; });
    case IdKind::event:
      return id.size() <= 100 && all([](char c) { return lower(c) || digit(c) || c == '-' || c == '_'; });
    case IdKind::indicator:
      return id.size() <= 64 && all([](char c) { return lower(c) || digit(c) || c == '_'; });
    case IdKind::branch:
      return id.size() <= 40 && all([](char c) { return lower(c) || upper(c) || digit(c) || c == '-' || c == '_'; });
  }
  return false;
}

std::string id_rule(IdKind kind) {
  switch (kind) {
    case IdKind::scenario:
      return "a scenario id of lower-case letters, digits and '-' (like expanded-cooperation)";
    case IdKind::policy:
      return "a policy id of lower-case letters, digits and '-' (like quiet-diplomacy)";
    case IdKind::actor:
      return "an actor id of capital letters, digits and '_' (like VNM)";
    case IdKind::event:
      return "an event id of lower-case letters, digits, '-' and '_'";
    case IdKind::indicator:
      return "an indicator id of lower-case letters, digits and '_' (like vnm_usa)";
    case IdKind::branch:
      return "a branch name of letters, digits, '-' and '_' (at most 40)";
  }
  return "";
}

}  // namespace geosim
