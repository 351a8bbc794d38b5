#include "geosim/report/room_page.hpp"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <kainjow/mustache.hpp>

#include "geosim/io/catalog.hpp"
#include "geosim/io/input_file.hpp"
#include "geosim/report/html_report.hpp"

namespace geosim {
namespace {

namespace fs = std::filesystem;
using kainjow::mustache::data;
using kainjow::mustache::mustache;

/// Largest template file read. Default 1 MB.
constexpr std::size_t kMaxTemplateBytes = std::size_t(1) << 20;

const char* const kFiles[] = {"page.html", "room_panel.html", "team_panel.html", "room.css", "room.js"};

/// A JSON document as mustache data: objects and arrays as such, numbers as text ("%g"-like),
/// null, false and "" as false, strings as they are (the template escapes them).
data to_data(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::object: {
      data d{data::type::object};
      for (auto it = j.begin(); it != j.end(); ++it) d.set(it.key(), to_data(it.value()));
      return d;
    }
    case nlohmann::json::value_t::array: {
      data d{data::type::list};
      for (const auto& item : j) d.push_back(to_data(item));
      return d;
    }
    case nlohmann::json::value_t::string:  // "" is false, so that {{#x}}...{{/x}} shows only what is there
      return j.get<std::string>().empty() ? data{false} : data{j.get<std::string>()};
    case nlohmann::json::value_t::boolean: return data{j.get<bool>()};
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned: return data{j.dump()};
    case nlohmann::json::value_t::number_float: return data{fmt::format("{:g}", j.get<double>())};
    default: return data{false};
  }
}

std::string render(const RoomTemplates& t, const std::string& file, const data& d) {
  mustache m{t.files.at(file)};
  m.set_custom_escape([](const std::string& text) { return html_escape(text); });  // as the report escapes
  return m.render(d);
}

}  // namespace

std::string room_templates_dir() {
  if (const char* env = std::getenv("GEOSIM_TEMPLATES"); env && *env) return env;
  std::error_code ec;
  for (const std::string& dir : data_dirs())
    if (fs::is_regular_file(fs::path(dir) / "templates" / "page.html", ec)) return (fs::path(dir) / "templates").string();
  return "";
}

std::optional<RoomTemplates> load_room_templates(const std::string& dir, std::string& error) {
  RoomTemplates t;
  t.dir = dir;
  for (const char* name : kFiles) {
    const std::string path = (fs::path(dir) / name).string();
    InputText input = read_input_file(path, kMaxTemplateBytes);
    if (!input.text) {
      error = fmt::format("cannot read the page template '{}': {}", path, input.error);
      return std::nullopt;
    }
    if (std::string(name).ends_with(".html")) {
      mustache m{*input.text};
      if (!m.is_valid()) {
        error = fmt::format("the page template '{}' does not parse: {}", path, m.error_message());
        return std::nullopt;
      }
    }
    t.files[name] = std::move(*input.text);
  }
  return t;
}

std::string render_room_panel(const RoomTemplates& templates, const nlohmann::json& view) {
  const bool team = view.value("view", "room") == "team";
  return render(templates, team ? "team_panel.html" : "room_panel.html", to_data(view));
}

std::string render_room_page(const RoomTemplates& templates, const nlohmann::json& view, const std::string& nonce,
                             const std::string& query, const std::string& events) {
  data d = to_data(view);
  d.set("panel", render_room_panel(templates, view));
  d.set("nonce", nonce);
  d.set("query", query);
  d.set("css", templates.files.at("room.css"));
  d.set("config", nlohmann::json{{"events", events + query}, {"network", view.value("network", nlohmann::json())}}.dump());
  return render(templates, "page.html", d);
}

}  // namespace geosim
