// `geosim run`'s large files written fast: tension.csv (every directed relation at every step)
// and run.json's relations, formatted straight into one buffer. The bytes are those of the
// plain writers (fmt's {:.6f}; nlohmann's dump(2)): the golden checksums check them.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "geosim/io/escape.hpp"
#include "geosim/report/report.hpp"

namespace geosim {
namespace {

/// nlohmann's text of a double, as its serializer writes it.
void append_json_number(std::string& out, double v) {
  if (!std::isfinite(v)) {
    out += "null";
    return;
  }
  char buffer[64];
  const char* end = nlohmann::detail::to_chars(buffer, buffer + sizeof buffer, v);
  out.append(buffer, std::size_t(end - buffer));
}

/// Writes `v` with six decimals at `p` (room for 400 bytes), the text of fmt's "{:.6f}"; returns
/// the end. Fast path: |v| < 1000, where v * 1e6 (< 1e9) is within 2^-23 of the exact product, so
/// its nearest integer is the correctly rounded six-decimal value unless the product lies within
/// 1e-5 of a half, which goes to fmt (as does anything else).
char* put_number6(char* p, double v) {
  const double magnitude = std::fabs(v);
  const double scaled = magnitude * 1e6;
  const double whole = std::floor(scaled);
  const double fraction = scaled - whole;
  if (!(magnitude < 1000.0) || std::fabs(fraction - 0.5) < 1e-5)
    return fmt::format_to_n(p, 400, "{:.6f}", v).out;
  const auto q = static_cast<std::uint64_t>(whole) + (fraction > 0.5 ? 1u : 0u);
  char digits[16];
  char* d = digits + sizeof digits;
  std::uint64_t rest = q % 1000000, integer = q / 1000000;
  for (int k = 0; k < 6; ++k, rest /= 10) *--d = char('0' + rest % 10);
  *--d = '.';
  do {
    *--d = char('0' + integer % 10);
    integer /= 10;
  } while (integer > 0);
  if (std::signbit(v)) *p++ = '-';  // fmt writes the sign of -0.0 and of what rounds to 0
  const std::size_t length = std::size_t(digits + sizeof digits - d);
  std::memcpy(p, d, length);
  return p + length;
}

}  // namespace

void append_number6(std::string& out, double v) {
  char buffer[400];
  out.append(buffer, std::size_t(put_number6(buffer, v) - buffer));
}

std::string tension_csv(const Scenario& scenario, const RunResult& result, const std::vector<unsigned char>& rows) {
  const std::size_t n = scenario.actor_count();
  // The kept relations with their "FROM,TO," text, in the file's order.
  std::vector<std::pair<std::size_t, std::string>> kept;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      if (i != j && scenario.has_relation(i, j) && (rows.empty() || rows[i * n + j]))  // absent: no row
        kept.push_back({j * n + i, csv_field(scenario.actors[i].id) + ',' + csv_field(scenario.actors[j].id) + ','});
  constexpr std::size_t kRoom = 512;  // a row's prefix and number fit in it (ids: at most 32 bytes each)
  std::string out(64 + kRoom, '\0');
  char* p = out.data();
  auto ensure = [&](std::size_t need) {
    if (std::size_t(out.data() + out.size() - p) >= need) return;
    const std::size_t used = std::size_t(p - out.data());
    out.resize(std::max(out.size() * 2, used + need));
    p = out.data() + used;
  };
  std::size_t estimate = 0;
  for (const auto& [at, text] : kept) estimate += text.size() + 24;
  ensure(estimate * result.tension.size() + kRoom);
  const std::string_view header = "step,date,from,to,tension\n";
  p = std::copy(header.begin(), header.end(), p);
  for (std::size_t s = 0; s < result.tension.size(); ++s) {
    const std::string prefix = fmt::format("{},{},", s, format_date(scenario.date_of_step(int(s))));
    const double* t = result.tension[s].data();  // column-major: (i, j) at j * n + i
    for (const auto& [at, text] : kept) {
      ensure(prefix.size() + text.size() + kRoom);
      p = std::copy(prefix.begin(), prefix.end(), p);
      p = std::copy(text.begin(), text.end(), p);
      p = put_number6(p, t[at]);
      *p++ = '\n';
    }
  }
  out.resize(std::size_t(p - out.data()));
  return out;
}

void write_tension_csv(std::ostream& out, const Scenario& scenario, const RunResult& result) {
  const std::string text = tension_csv(scenario, result);
  out.write(text.data(), std::streamsize(text.size()));
}

std::string run_record_text(const Scenario& scenario, const RunResult& result, std::uint64_t seed) {
  // The record without its relations, a marker in their place, then the relations written as
  // dump(2) writes them: at depth 3 ({ final: { relations: [ {...} ] } }), keys in order.
  const std::string marker = "\x01relations\x01";
  nlohmann::json record = run_record(scenario, result, seed, false);
  record["final"]["relations"] = marker;
  std::string text = record.dump(2) + "\n";
  const State& state = result.final_state;
  const std::size_t n = scenario.actor_count();
  std::vector<std::string> ids(n);
  for (std::size_t i = 0; i < n; ++i) ids[i] = nlohmann::json(scenario.actors[i].id).dump();
  std::string relations;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      if (i == j || !scenario.has_relation(i, j)) continue;
      relations += relations.empty() ? "[\n      {\n        \"baseline\": " : ",\n      {\n        \"baseline\": ";
      append_json_number(relations, state.baseline(Eigen::Index(i), Eigen::Index(j)));
      relations += ",\n        \"from\": ";
      relations += ids[i];
      relations += ",\n        \"tension\": ";
      append_json_number(relations, state.tension(Eigen::Index(i), Eigen::Index(j)));
      relations += ",\n        \"tie\": ";
      append_json_number(relations, state.tie(Eigen::Index(i), Eigen::Index(j)));
      relations += ",\n        \"to\": ";
      relations += ids[j];
      relations += "\n      }";
    }
  relations += relations.empty() ? "[]" : "\n    ]";
  const std::string quoted = nlohmann::json(marker).dump();
  const std::size_t at = text.find(quoted);
  if (at != std::string::npos) text.replace(at, quoted.size(), relations);
  return text;
}

std::vector<unsigned char> select_relations(const Scenario& scenario, const RunResult& result,
                                            const std::string& spec, std::string& error) {
  const std::size_t n = scenario.actor_count();
  std::vector<unsigned char> rows(n * n, 0);
  auto has = [&](std::size_t i, std::size_t j) { return i != j && scenario.has_relation(i, j); };
  std::size_t start = 0;
  while (start <= spec.size()) {
    const std::size_t comma = std::min(spec.find(',', start), spec.size());
    const std::string item = spec.substr(start, comma - start);
    start = comma + 1;
    if (item.rfind("top:", 0) == 0) {
      const std::string count = item.substr(4);
      if (count.empty() || count.size() > 7 || count.find_first_not_of("0123456789") != std::string::npos ||
          std::stoul(count) == 0) {
        error = fmt::format("expected top:N with N from 1 to 9999999 in --relations, found '{}'", terminal_text(item));
        return {};
      }
      // The N directed relations that moved most from the first step to the last (ties: in
      // the file's order).
      std::vector<std::pair<double, std::size_t>> moved;
      if (!result.tension.empty())
        for (std::size_t i = 0; i < n; ++i)
          for (std::size_t j = 0; j < n; ++j)
            if (has(i, j))
              moved.push_back({-std::fabs(result.tension.back()(Eigen::Index(i), Eigen::Index(j)) -
                                          result.tension.front()(Eigen::Index(i), Eigen::Index(j))),
                               i * n + j});
      const std::size_t keep = std::min<std::size_t>(std::stoul(count), moved.size());
      std::stable_sort(moved.begin(), moved.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      for (std::size_t k = 0; k < keep; ++k) rows[moved[k].second] = 1;
      continue;
    }
    const std::size_t sep = item.find_first_of("-/");
    const auto from = sep == std::string::npos ? std::nullopt : scenario.find_actor(item.substr(0, sep));
    const auto to = sep == std::string::npos ? std::nullopt : scenario.find_actor(item.substr(sep + 1));
    if (!from || !to || *from == *to) {
      error = fmt::format("expected FROM/TO, A-B (both directions) or top:N in --relations, with two actors of "
                          "'{}', found '{}'",
                          scenario.id, terminal_text(item));
      return {};
    }
    if (!has(*from, *to)) {
      error = fmt::format("'{}' in --relations: the pair has no relation (absent)", terminal_text(item));
      return {};
    }
    rows[*from * n + *to] = 1;
    if (item[sep] == '-') rows[*to * n + *from] = 1;
  }
  return rows;
}

}  // namespace geosim
