// `geosim run`'s large files written fast: tension.csv (every directed relation at every step)
// and run.json's relations, formatted straight into one buffer. The bytes are those of the
// plain writers (fmt's {:.6f}; nlohmann's dump(2)): the golden checksums check them.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>

#include "geosim/core/diagnostic.hpp"
#include "geosim/io/escape.hpp"
#include "geosim/io/json_text.hpp"
#include "geosim/io/number_text.hpp"
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

/// append_json_number that remembers its last value's text: a run.json column (baseline, tie)
/// mostly repeats one value (the scenario's defaults), whose text is then copied, not made.
class JsonNumberColumn {
 public:
  void append(std::string& out, double v) {
    if (std::memcmp(&v, &last_, sizeof v) != 0 || text_.empty()) {  // bit for bit: -0.0, NaN
      last_ = v;
      text_.clear();
      append_json_number(text_, v);
    }
    out += text_;
  }

 private:
  double last_ = 0.0;
  std::string text_;
};

/// Copies `n` bytes in 16-byte blocks: `from` must be readable and `to` writable for `n`
/// rounded up to 16 (the callers pad both), so a short text costs one or two moves, not a call.
char* put_short(char* to, const char* from, std::size_t n) {
  for (std::size_t k = 0; k < n; k += 16) std::memcpy(to + k, from + k, 16);
  return to + n;
}

}  // namespace

bool tension_csv_pieces(const Scenario& scenario, const RunResult& result, const std::vector<unsigned char>& rows,
                        const std::function<bool(std::string_view)>& sink) {
  const std::size_t n = scenario.actor_count();
  // The kept relations' "FROM,TO," texts, one after another (padded for put_short), in the
  // file's order, with where each one's tension is.
  struct Kept {
    std::size_t at, offset, length;
  };
  std::vector<Kept> kept;
  std::string texts;
  std::size_t longest = 0;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      if (i != j && scenario.has_relation(i, j) && (rows.empty() || rows[i * n + j])) {  // absent: no row
        const std::string text = csv_field(scenario.actors[i].id) + ',' + csv_field(scenario.actors[j].id) + ',';
        kept.push_back({j * n + i, texts.size(), text.size()});
        longest = std::max(longest, text.size());
        texts += text;
      }
  texts.append(16, '\0');
  // Rows go into a buffer of about 1 MiB handed to `sink` whenever it is full: a row (prefix,
  // texts, number, line break, each padded to 16 bytes) fits in `room` past it.
  constexpr std::size_t kPiece = std::size_t(1) << 20;
  const std::size_t room = 64 + longest + 16 + kNumber6Room + 16;
  std::string buffer(kPiece + room, '\0');
  char* const begin = buffer.data();
  char* p = begin;
  const std::string_view header = "step,date,from,to,tension\n";
  p = std::copy(header.begin(), header.end(), p);
  for (std::size_t s = 0; s < result.tension.size(); ++s) {
    char prefix[64] = {};  // "STEP,DATE,", padded for put_short
    const std::size_t prefix_size =
        std::size_t(fmt::format_to_n(prefix, 40, "{},{},", s, format_date(scenario.date_of_step(int(s)))).out - prefix);
    const double* t = result.tension[s].data();  // column-major: (i, j) at j * n + i
    for (const Kept& k : kept) {
      if (p - begin >= std::ptrdiff_t(kPiece)) {
        if (!sink(std::string_view(begin, std::size_t(p - begin)))) return false;
        p = begin;
      }
      p = put_short(p, prefix, prefix_size);
      p = put_short(p, texts.data() + k.offset, k.length);
      p = put_number6(p, t[k.at]);
      *p++ = '\n';
    }
  }
  return p == begin || sink(std::string_view(begin, std::size_t(p - begin)));
}

std::string tension_csv(const Scenario& scenario, const RunResult& result, const std::vector<unsigned char>& rows) {
  std::string out;
  tension_csv_pieces(scenario, result, rows, [&out](std::string_view piece) {
    out += piece;
    return true;
  });
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
  std::string text = json_text(record, 2) + "\n";
  const State& state = result.final_state;
  const std::size_t n = scenario.actor_count();
  std::vector<std::string> ids(n);
  for (std::size_t i = 0; i < n; ++i) ids[i] = json_text(nlohmann::json(scenario.actors[i].id));
  std::string relations;
  JsonNumberColumn baselines, tensions, ties;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      if (i == j || !scenario.has_relation(i, j)) continue;
      relations += relations.empty() ? "[\n      {\n        \"baseline\": " : ",\n      {\n        \"baseline\": ";
      baselines.append(relations, state.baseline(Eigen::Index(i), Eigen::Index(j)));
      relations += ",\n        \"from\": ";
      relations += ids[i];
      relations += ",\n        \"tension\": ";
      tensions.append(relations, state.tension(Eigen::Index(i), Eigen::Index(j)));
      relations += ",\n        \"tie\": ";
      ties.append(relations, state.tie(Eigen::Index(i), Eigen::Index(j)));
      relations += ",\n        \"to\": ";
      relations += ids[j];
      relations += "\n      }";
    }
  relations += relations.empty() ? "[]" : "\n    ]";
  const std::string quoted = json_text(nlohmann::json(marker));
  const std::size_t at = text.find(quoted);
  if (at != std::string::npos) text.replace(at, quoted.size(), relations);
  return text;
}

std::vector<unsigned char> select_relations(const Scenario& scenario, const RunResult& result, const std::string& spec,
                                            std::string& error) {
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
        error = fmt::format("expected top:N with N from 1 to 9999999 in --relations, found {}",
                            terminal_text(quote_word(item)));
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
    if (sep != std::string::npos && (!from || !to)) {  // a mistyped actor: named, with the one meant
      const std::string word = !from ? item.substr(0, sep) : item.substr(sep + 1);
      std::vector<std::string> ids;
      for (const Actor& a : scenario.actors) ids.push_back(a.id);
      const std::string guess = closest_match(word, ids);
      error = fmt::format("unknown actor {} in --relations {}{}", quote_word(terminal_text(word)),
                          terminal_text(quote_word(item)), did_you_mean(guess));
      return {};
    }
    if (!from || !to || *from == *to) {
      error = fmt::format(
          "expected FROM/TO, A-B (both directions) or top:N in --relations, with two different actors of the "
          "scenario '{}', found {}",
          terminal_text(scenario.id), terminal_text(quote_word(item)));
      return {};
    }
    if (!has(*from, *to)) {
      error = fmt::format("{} in --relations: the pair has no relation (absent)", terminal_text(quote_word(item)));
      return {};
    }
    rows[*from * n + *to] = 1;
    if (item[sep] == '-') rows[*to * n + *from] = 1;
  }
  return rows;
}

}  // namespace geosim
