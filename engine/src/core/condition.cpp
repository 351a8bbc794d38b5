#include "geosim/core/condition.hpp"

#include "geosim/core/diagnostic.hpp"
#include "geosim/core/ids.hpp"
#include "geosim/core/number_read.hpp"

#include <cctype>
#include <charconv>
#include <cmath>

namespace geosim {
namespace {

constexpr int kMaxDepth = 32;

/// Recursive-descent parser over the condition text; stops at the first error.
class Parser {
 public:
  Parser(const std::string& text, const ConditionNames& names) : text_(text), names_(names) {}

  bool parse(Condition::Node& out) {
    if (!parse_or(out, 0)) return false;
    skip_space();
    if (pos_ != text_.size()) return fail("expected 'and', 'or' or the end of the condition");
    return true;
  }
  std::string error;
  std::size_t error_offset = 0;

 private:
  bool fail(const std::string& message) {
    if (error.empty()) {
      error = message + ", found " + found();
      error_offset = pos_;
    }
    return false;
  }
  std::string found() const {
    if (pos_ >= text_.size()) return "the end of the condition";
    std::size_t end = pos_;
    while (end < text_.size() && end - pos_ < 12 && !std::isspace((unsigned char)text_[end])) ++end;
    return "'" + text_.substr(pos_, end - pos_) + "'";
  }
  void skip_space() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  bool peek_word(const char* word) {
    skip_space();
    std::size_t n = std::char_traits<char>::length(word);
    if (text_.compare(pos_, n, word) != 0) return false;
    const std::size_t after = pos_ + n;
    return after >= text_.size() || !(std::isalnum(static_cast<unsigned char>(text_[after])) || text_[after] == '_');
  }
  bool accept_word(const char* word) {
    if (!peek_word(word)) return false;
    pos_ += std::char_traits<char>::length(word);
    return true;
  }
  bool accept(char c) {
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  std::string identifier() {
    skip_space();
    std::size_t start = pos_;
    while (pos_ < text_.size() && condition_name_char(text_[pos_])) ++pos_;
    return text_.substr(start, pos_ - start);
  }

  bool parse_or(Condition::Node& out, int depth) {
    Condition::Node first;
    if (!parse_and(first, depth)) return false;
    if (!peek_word("or")) {
      out = std::move(first);
      return true;
    }
    out = Condition::Node{};
    out.op = Condition::Op::op_or;
    out.children.push_back(std::move(first));
    while (accept_word("or")) {
      Condition::Node next;
      if (!parse_and(next, depth)) return false;
      out.children.push_back(std::move(next));
    }
    return true;
  }
  bool parse_and(Condition::Node& out, int depth) {
    Condition::Node first;
    if (!parse_unary(first, depth)) return false;
    if (!peek_word("and")) {
      out = std::move(first);
      return true;
    }
    out = Condition::Node{};
    out.op = Condition::Op::op_and;
    out.children.push_back(std::move(first));
    while (accept_word("and")) {
      Condition::Node next;
      if (!parse_unary(next, depth)) return false;
      out.children.push_back(std::move(next));
    }
    return true;
  }
  bool parse_unary(Condition::Node& out, int depth) {
    if (depth > kMaxDepth) return fail("conditions nest at most 32 levels deep");
    if (accept_word("not")) {
      out = Condition::Node{};
      out.op = Condition::Op::op_not;
      out.children.emplace_back();
      return parse_unary(out.children.back(), depth + 1);
    }
    if (accept('(')) {
      if (!parse_or(out, depth + 1)) return false;
      if (!accept(')')) return fail("expected ')'");
      return true;
    }
    return parse_comparison(out);
  }
  bool parse_actor(std::size_t& index) {
    const std::size_t at = pos_;
    skip_space();
    const std::size_t start = pos_;
    std::string id = identifier();
    if (id.empty()) return fail("expected an actor id");
    if (!names_.actor(id, index)) {
      pos_ = start;
      const std::string guess = closest_match(id, names_.actor_ids);
      error =
          "unknown actor '" + id + "'" + did_you_mean(guess) + " (known actors: " + name_list(names_.actor_ids) + ")";
      error_offset = start;
      (void)at;
      return false;
    }
    return true;
  }
  bool parse_comparison(Condition::Node& out) {
    out = Condition::Node{};
    out.is_comparison = true;
    skip_space();
    const std::size_t start = pos_;
    const std::string name = identifier();
    if (name == "tension" || name == "baseline" || name == "tie") {
      out.quantity = name == "tension"    ? Condition::Quantity::tension
                     : name == "baseline" ? Condition::Quantity::baseline
                                          : Condition::Quantity::tie;
      if (!accept('(')) return fail("expected '(' after '" + name + "'");
      if (!parse_actor(out.a)) return false;
      if (!accept(',')) return fail("expected ','");
      skip_space();
      const std::size_t b_at = pos_;
      if (!parse_actor(out.b)) return false;
      if (out.a == out.b) {  // an actor has no relation with itself: the value would always be 0
        error = "expected two different actors in " + name + "(A, B), found '" + text_.substr(b_at, pos_ - b_at) +
                "' twice";
        error_offset = b_at;
        return false;
      }
      if (!accept(')')) return fail("expected ')'");
    } else if (name == "indicator") {
      out.quantity = Condition::Quantity::indicator;
      if (!accept('(')) return fail("expected '(' after 'indicator'");
      skip_space();
      const std::size_t id_at = pos_;
      const std::string id = identifier();
      if (!names_.indicator(id, out.a)) {
        const std::string guess = closest_match(id, names_.indicator_ids);
        error = "unknown indicator '" + id + "'" + did_you_mean(guess) +
                " (known indicators: " + name_list(names_.indicator_ids) + ")";
        error_offset = id_at;
        return false;
      }
      if (!accept(')')) return fail("expected ')'");
    } else {
      pos_ = start;
      return fail("expected tension(A, B), baseline(A, B), tie(A, B), indicator(id), 'not' or '('");
    }
    skip_space();
    if (text_.compare(pos_, 2, "<=") == 0) {
      out.op = Condition::Op::less_equal;
      pos_ += 2;
    } else if (text_.compare(pos_, 2, ">=") == 0) {
      out.op = Condition::Op::greater_equal;
      pos_ += 2;
    } else if (accept('<')) {
      out.op = Condition::Op::less;
    } else if (accept('>')) {
      out.op = Condition::Op::greater;
    } else {
      return fail("expected a comparison (<, <=, >, >=)");
    }
    skip_space();
    const char* begin = text_.data() + pos_;
    const char* end = text_.data() + text_.size();
    const char* digits = begin < end && *begin == '+' && begin + 1 < end && begin[1] != '-' && begin[1] != '+'
                             ? begin + 1  // one '+', as YAML and --set take it
                             : begin;
    auto [ptr, ec] = std::from_chars(digits, end, out.value);
    if (ec != std::errc() || !std::isfinite(out.value)) {
      double unused = 0.0;  // why, as read_finite says it for the number as far as it goes
      const char* why =
          ptr > digits ? read_finite(std::string_view(digits, std::size_t(ptr - digits)), unused) : nullptr;
      return fail(why ? std::string("expected a finite number (") + why + ")" : "expected a finite number");
    }
    if (out.value < 0.0 || out.value > 1.0) {  // never, or always, true: a slip for a share
      error = "expected a number from 0 to 1 (tensions, baselines, ties and indicators lie there), found " +
              std::string(begin, ptr);
      error_offset = pos_;
      return false;
    }
    pos_ += static_cast<std::size_t>(ptr - begin);
    return true;
  }

  const std::string& text_;
  const ConditionNames& names_;
  std::size_t pos_ = 0;
};

bool evaluate_node(const Condition::Node& node, const ConditionInputs& inputs) {
  if (node.is_comparison) {
    const double v = inputs.value(node.quantity, node.a, node.b);
    switch (node.op) {
      case Condition::Op::less:
        return v < node.value;
      case Condition::Op::less_equal:
        return v <= node.value;
      case Condition::Op::greater:
        return v > node.value;
      case Condition::Op::greater_equal:
        return v >= node.value;
      default:
        return false;
    }
  }
  switch (node.op) {
    case Condition::Op::op_not:
      return !evaluate_node(node.children.front(), inputs);
    case Condition::Op::op_and:
      for (const auto& child : node.children)
        if (!evaluate_node(child, inputs)) return false;
      return true;
    case Condition::Op::op_or:
      for (const auto& child : node.children)
        if (evaluate_node(child, inputs)) return true;
      return false;
    default:
      return false;
  }
}

}  // namespace

bool parse_condition(const std::string& text, const ConditionNames& names, Condition& out, std::string& error,
                     std::size_t& error_offset) {
  Parser parser(text, names);
  Condition::Node root;
  if (!parser.parse(root)) {
    error = parser.error;
    error_offset = parser.error_offset;
    return false;
  }
  out.root = std::move(root);
  return true;
}

bool evaluate_condition(const Condition& condition, const ConditionInputs& inputs) {
  return evaluate_node(condition.root, inputs);
}

}  // namespace geosim
