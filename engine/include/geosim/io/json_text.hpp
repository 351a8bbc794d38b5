#pragma once
/// \file
/// JSON text as every file, page and reply geosim writes holds it.

#include <nlohmann/json_fwd.hpp>
#include <string>

namespace geosim {

/// `value` as JSON text: `indent` spaces a level (-1: one line), non-ASCII characters as they
/// are, and any byte that is not UTF-8 as U+FFFD (nlohmann's dump would throw). Strings from
/// the inputs are UTF-8 (the loaders and the session's command reader check it); a file path
/// given on the command line need not be, and is recorded this way.
std::string json_text(const nlohmann::json& value, int indent = -1);
std::string json_text(const nlohmann::ordered_json& value, int indent = -1);

}  // namespace geosim
