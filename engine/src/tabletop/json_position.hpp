#pragma once
// Where things sit in JSON text, so that a saved session's problems are reported with line and
// column: nlohmann::json keeps no positions in its values.

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "geosim/io/text_position.hpp"

namespace geosim {

/// An object's key or an array's index, 0-based.
using JsonPathItem = std::variant<std::string, std::size_t>;

/// The position of the first syntax error of `text`, or nullopt when it is valid JSON.
std::optional<TextPosition> json_syntax_error(const std::string& text);

/// A key that an object of `text` (valid JSON) holds twice: the second one's position and the
/// key; nullopt when every object's keys differ. (nlohmann::json keeps the last value.)
std::optional<std::pair<TextPosition, std::string>> json_repeated_key(std::string_view text);

/// The position of the value at `path` in `text`, a valid JSON document: as deep as the path
/// exists (a missing key gives its object's position, a missing index its array's). With
/// `at_key`, a path that ends in a key gives the key's own position (its opening quote), for a
/// problem with the key itself (one the format does not have), not with its value.
TextPosition json_value_position(std::string_view text, const std::vector<JsonPathItem>& path, bool at_key = false);

}  // namespace geosim
