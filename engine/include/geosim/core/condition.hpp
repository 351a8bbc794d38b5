#pragma once
/// \file
/// Conditions on the state, e.g. `tension(PRK, USA) > 0.7 and not indicator(korean_risk) > 0.9`.

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace geosim {

/// A parsed condition: a small expression tree evaluated against a state.
struct Condition {
  enum class Op { less, less_equal, greater, greater_equal, op_and, op_or, op_not };
  enum class Quantity { tension, baseline, tie, indicator };
  struct Node {
    bool is_comparison = false;
    Op op = Op::op_and;
    Quantity quantity = Quantity::tension;
    std::size_t a = 0, b = 0;  ///< actor indices, or indicator index in `a`
    double value = 0.0;
    std::vector<Node> children;
  };
  Node root;
};

/// Resolves names while parsing; returns nullopt-like false when unknown.
struct ConditionNames {
  std::function<bool(const std::string&, std::size_t&)> actor;
  std::function<bool(const std::string&, std::size_t&)> indicator;
  std::vector<std::string> actor_ids;      ///< for messages
  std::vector<std::string> indicator_ids;  ///< for messages
};

/// Parses `text`; on failure returns false and sets `error` and the 0-based `error_offset`.
bool parse_condition(const std::string& text, const ConditionNames& names, Condition& out, std::string& error,
                     std::size_t& error_offset);

/// Reads quantities from a state: tension/baseline/tie(a, b) and indicator(i).
struct ConditionInputs {
  std::function<double(Condition::Quantity, std::size_t, std::size_t)> value;
};

/// True when the condition holds.
bool evaluate_condition(const Condition& condition, const ConditionInputs& inputs);

}  // namespace geosim
