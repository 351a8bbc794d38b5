// Pages from templates: nlohmann JSON turned into kainjow::mustache data and rendered.
#include "geosim/report/template.hpp"

#include <filesystem>
#include <kainjow/mustache.hpp>
#include <memory>
#include <nlohmann/json.hpp>

#include "geosim/io/catalog.hpp"
#include "geosim/io/input_file.hpp"
#include "geosim/io/json_text.hpp"
#include "geosim/report/html_report.hpp"

namespace geosim {
namespace fs = std::filesystem;
namespace mu = kainjow::mustache;

namespace {

mu::data to_data(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::object: {
      mu::data out{mu::data::type::object};
      for (const auto& [key, item] : value.items()) out.set(key, to_data(item));
      return out;
    }
    case nlohmann::json::value_t::array: {
      mu::data out{mu::data::type::list};
      for (const auto& item : value) out.push_back(to_data(item));
      return out;
    }
    case nlohmann::json::value_t::string:
      return mu::data{value.get_ref<const std::string&>()};
    case nlohmann::json::value_t::boolean:
      return mu::data{value.get<bool>()};
    case nlohmann::json::value_t::null:
    case nlohmann::json::value_t::discarded:
      return mu::data{false};
    default:
      return mu::data{json_text(value)};
  }
}

/// The text of template `name` in `dir`, or the reason in `error`. Only a plain file name: a
/// template never reaches outside its folder.
std::optional<std::string> read_template(const fs::path& dir, const std::string& name, std::string& error) {
  if (name.empty() || name.find('/') != std::string::npos || name.find('\\') != std::string::npos || name == "." ||
      name == "..") {
    error = "template name '" + name + "' is not a file name";
    return std::nullopt;
  }
  const fs::path path = dir / name;
  InputText input = read_input_file(path.string());
  if (!input.text) {
    error = "cannot read template " + path.string() + ": " + input.error;
    return std::nullopt;
  }
  return std::move(input.text);
}

/// The first partial `text` asks for ({{> name}}) that is not a file of `dir`, or "".
std::string missing_partial(const fs::path& dir, const std::string& text) {
  std::error_code ec;
  for (std::size_t at = text.find("{{>"); at != std::string::npos; at = text.find("{{>", at + 3)) {
    const std::size_t end = text.find("}}", at);
    if (end == std::string::npos) break;
    std::string name = text.substr(at + 3, end - at - 3);
    name.erase(0, name.find_first_not_of(" \t"));
    name.erase(name.find_last_not_of(" \t") + 1);
    if (!fs::is_regular_file(dir / name, ec)) return name;
  }
  return "";
}

}  // namespace

std::string default_templates_dir() {
  std::error_code ec;
  for (const std::string& dir : data_dirs())
    if (fs::is_directory(fs::path(dir) / "templates", ec)) return (fs::path(dir) / "templates").string();
  return "";
}

RenderedTemplate render_template(const std::string& name, const nlohmann::json& view, const std::string& dir) {
  RenderedTemplate out;
  const fs::path folder = dir.empty() ? fs::path(default_templates_dir()) : fs::path(dir);
  if (folder.empty()) {
    out.error =
        "cannot find the templates folder (templates/ next to the program, in ../share/geosim or in "
        "$GEOSIM_DATA) for " +
        name;
    return out;
  }
  const auto text = read_template(folder, name, out.error);
  if (!text) return out;
  if (const std::string missing = missing_partial(folder, *text); !missing.empty()) {
    out.error = "template " + (folder / name).string() + " asks for " + missing + ", not in " + folder.string();
    return out;
  }
  mu::data data = to_data(view.is_object() ? view : nlohmann::json::object());
  // Every file of the folder can be a partial ({{> file}}), read when the template asks for it.
  auto partial_error = std::make_shared<std::string>();
  std::error_code ec;
  for (const auto& item : fs::directory_iterator(folder, ec)) {
    const std::string file = item.path().filename().string();
    if (data.get(file) != nullptr) continue;  // a key of the view keeps its meaning
    data.set(file, mu::partial{[folder, file, partial_error]() {
               std::string error;
               auto part = read_template(folder, file, error);
               if (part) {
                 if (const std::string missing = missing_partial(folder, *part); !missing.empty())
                   error =
                       "template " + (folder / file).string() + " asks for " + missing + ", not in " + folder.string();
               }
               if (!error.empty() && partial_error->empty()) *partial_error = error;
               return part ? *part : std::string();
             }});
  }
  mu::mustache page{*text};
  if (!page.is_valid()) {
    out.error = "template " + (folder / name).string() + ": " + page.error_message();
    return out;
  }
  page.set_custom_escape([](const std::string& s) { return html_escape(s); });
  std::string rendered = page.render(data);
  if (!partial_error->empty()) {
    out.error = *partial_error;
    return out;
  }
  if (!page.is_valid()) {
    out.error = "template " + (folder / name).string() + ": " + page.error_message();
    return out;
  }
  out.text = std::move(rendered);
  return out;
}

}  // namespace geosim
