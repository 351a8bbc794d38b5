// Countries of actors and of names: actors' ISO 3166 alpha-3 codes, and the country names of
// Debian's iso-codes (for ICEWS files, which name countries).
#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "geosim/io/event_ingest.hpp"
#include "geosim/io/input_file.hpp"

namespace geosim {
namespace {

/// The objects of a JSON text that hold only string, number, true/false/null values (as
/// iso-codes' entries do), each as key -> string value (other values skipped). Enough for
/// iso_3166-1.json without a JSON library in this layer; malformed text gives fewer objects,
/// never a crash: a string is decoded with its escapes (\uXXXX as UTF-8, surrogates as '?').
std::vector<std::map<std::string, std::string, std::less<>>> json_string_objects(std::string_view text) {
  std::vector<std::map<std::string, std::string, std::less<>>> out;
  std::size_t i = 0;
  auto read_string = [&](std::string& value) {  // at the opening quote
    value.clear();
    for (++i; i < text.size(); ++i) {
      const char c = text[i];
      if (c == '"') {
        ++i;
        return true;
      }
      if (c != '\\') {
        value += c;
        continue;
      }
      if (++i >= text.size()) return false;
      switch (text[i]) {
        case 'n': value += '\n'; break;
        case 't': value += '\t'; break;
        case 'r': value += '\r'; break;
        case 'b': value += '\b'; break;
        case 'f': value += '\f'; break;
        case 'u': {
          if (i + 4 >= text.size()) return false;
          unsigned cp = 0;
          for (int k = 1; k <= 4; ++k) {
            const char h = text[i + std::size_t(k)];
            cp = cp * 16 + unsigned(h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10
                                                             : h >= 'A' && h <= 'F' ? h - 'A' + 10 : 0);
          }
          i += 4;
          if (cp >= 0xD800 && cp <= 0xDFFF) value += '?';
          else if (cp < 0x80) value += char(cp);
          else if (cp < 0x800) value += char(0xC0 | (cp >> 6)), value += char(0x80 | (cp & 0x3F));
          else value += char(0xE0 | (cp >> 12)), value += char(0x80 | ((cp >> 6) & 0x3F)), value += char(0x80 | (cp & 0x3F));
          break;
        }
        default: value += text[i];  // \" \\ \/
      }
    }
    return false;
  };
  std::map<std::string, std::string, std::less<>> object;
  bool in_object = false;  // inside an object with no nested object or array
  std::string key, value;
  bool have_key = false;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '"') {
      if (!read_string(value)) break;
      if (!in_object) continue;
      std::size_t j = i;
      while (j < text.size() && (text[j] == ' ' || text[j] == '\n' || text[j] == '\r' || text[j] == '\t')) ++j;
      if (!have_key && j < text.size() && text[j] == ':') {
        key = value;
        have_key = true;
        i = j + 1;
      } else if (have_key) {
        object[key] = value;
        have_key = false;
      }
      continue;
    }
    if (c == '{') {
      in_object = true;
      object.clear();
      have_key = false;
    } else if (c == '}') {
      if (in_object) out.push_back(std::move(object));
      object = {};
      in_object = false;
    } else if (c == '[') {
      in_object = false;
    } else if (c == ',') {
      have_key = false;
    }
    ++i;
  }
  return out;
}

}  // namespace

std::vector<std::vector<std::string>> actor_countries(const Scenario& actors) {
  std::vector<std::vector<std::string>> out(actors.actor_count());
  for (std::size_t a = 0; a < actors.actor_count(); ++a) {
    const Actor& actor = actors.actors[a];
    if (!actor.countries.empty()) out[a] = actor.countries;
    else if (actor.kind == ActorKind::state && country_code_index(actor.id) >= 0) out[a] = {actor.id};
  }
  for (std::size_t a = 0; a < actors.actor_count(); ++a) {
    const Actor& actor = actors.actors[a];
    if (actor.kind != ActorKind::organization || !actor.countries.empty()) continue;
    for (std::size_t m : actor.members)
      for (const std::string& code : out[m])
        if (std::find(out[a].begin(), out[a].end(), code) == out[a].end()) out[a].push_back(code);
  }
  return out;
}

std::vector<IsoCountry> load_iso_countries(const std::string& path, std::string& error) {
  std::string found = path;
  if (found.empty()) {
    std::vector<std::string> dirs;
    if (const char* xdg = std::getenv("XDG_DATA_DIRS"); xdg && *xdg) {
      std::string list = xdg;
      for (std::size_t start = 0; start <= list.size();) {
        const std::size_t colon = std::min(list.find(':', start), list.size());
        if (colon > start) dirs.push_back(list.substr(start, colon - start));
        start = colon + 1;
      }
    }
    dirs.push_back("/usr/local/share");
    dirs.push_back("/usr/share");
    for (const auto& dir : dirs) {
      std::error_code ec;
      const std::string candidate = dir + "/iso-codes/json/iso_3166-1.json";
      if (std::filesystem::is_regular_file(candidate, ec)) {
        found = candidate;
        break;
      }
    }
    if (found.empty()) {
      error = "iso-codes/json/iso_3166-1.json not found under $XDG_DATA_DIRS, /usr/local/share or /usr/share";
      return {};
    }
  }
  const InputText input = read_input_file(found);
  if (!input.text) {
    error = found + ": " + input.error;
    return {};
  }
  std::vector<IsoCountry> countries;
  for (const auto& entry : json_string_objects(*input.text)) {
    const auto code = entry.find("alpha_3");
    if (code == entry.end() || country_code_index(code->second) < 0) continue;
    IsoCountry country;
    country.alpha_3 = code->second;
    if (const auto it = entry.find("alpha_2"); it != entry.end()) country.alpha_2 = it->second;
    for (const char* key : {"name", "official_name", "common_name"})
      if (const auto it = entry.find(key); it != entry.end()) country.names.push_back(it->second);
    const auto common = entry.find("common_name");
    country.name = common != entry.end() ? common->second : country.names.empty() ? country.alpha_3 : country.names[0];
    countries.push_back(std::move(country));
  }
  if (countries.empty()) error = found + ": no country in it";
  return countries;
}

std::map<std::string, std::string, std::less<>> load_iso_country_names(const std::string& path, std::string& error) {
  std::map<std::string, std::string, std::less<>> names;
  for (const IsoCountry& country : load_iso_countries(path, error))
    for (std::string name : country.names) {
      for (char& c : name) c = char(std::tolower(static_cast<unsigned char>(c)));
      names.emplace(name, country.alpha_3);
    }
  return names;
}

}  // namespace geosim
