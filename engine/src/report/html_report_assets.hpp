#pragma once
// What the HTML report inlines from outside the program: the JavaScript chart libraries and
// the text-level guards that keep every inlined piece from fetching or breaking the page.

#include <string>
#include <vector>

namespace geosim::detail {

/// One minified library as inlined.
struct JsLibrary {
  std::string name;                ///< npm package name, e.g. "vega"
  std::string version;             ///< from its package.json ("" if unknown)
  std::string code;                ///< made safe by inline_script_text()
  std::vector<std::string> files;  ///< the files read: its code, and its package.json when there
};

/// vega, vega-lite and vega-embed (in load order) from the node_modules folder `dir`. Empty,
/// with the reason in `error`, when one of them is missing.
std::vector<JsLibrary> load_js_libraries(const std::string& dir, std::string& error);

/// JavaScript source made safe to sit inside <script>...</script>: no "</script" or "<!--" (the
/// parser would end the element or change its state there) and no "http://" or "https://"
/// (written with an escaped colon, \x3a, which denotes the same character in string, template
/// and regular-expression literals), and no source-map comment (the browser would look for
/// the map file). The meaning of the code does not change.
std::string inline_script_text(std::string code);

/// Text with every "http://" and "https://" (any case) written with the colon as `colon`, so
/// the page holds no URL a reader or a tool might take for something to fetch.
std::string neutralize_urls(const std::string& text, const std::string& colon);

}  // namespace geosim::detail
