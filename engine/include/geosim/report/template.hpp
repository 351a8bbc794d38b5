#pragma once
/// \file
/// Pages from templates: a Mustache template (templates/NAME in a data folder) filled from a
/// JSON view. Generic: it knows nothing of any one page. Every `{{name}}` is escaped for HTML
/// by html_escape (html_report.hpp: the five special characters, and no http(s) URL);
/// `{{{name}}}` inserts text as it is, for what is safe by construction (an inlined script, a
/// Graphviz SVG). `{{> file}}` inserts another file of the same folder, itself a template.

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

namespace geosim {

/// The first templates/ folder of data_dirs() (catalog.hpp): next to the program in a build
/// tree, share/geosim/templates when installed, or $GEOSIM_DATA/templates; "" when none.
std::string default_templates_dir();

/// A rendered page, or why it could not be rendered.
struct RenderedTemplate {
  std::optional<std::string> text;  ///< nullopt on error
  std::string error;                ///< one line: which template, and what is wrong with it
};

/// Renders the template file `name` of folder `dir` ("" = default_templates_dir()) with `view`:
/// objects, arrays (a section repeats per item), strings, booleans (a section shows when true)
/// and numbers (written as JSON writes them; format them in C++ beforehand when the page shows
/// them formatted). null is false. A missing key is false too, but Mustache then looks it up
/// in the enclosing objects: give every item the keys its section asks for.
RenderedTemplate render_template(const std::string& name, const nlohmann::json& view, const std::string& dir = "");

}  // namespace geosim
