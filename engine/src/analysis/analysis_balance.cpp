// Blocs: the two-camp split with the fewest unbalanced relations (structural balance).
#include <Eigen/Eigenvalues>
#include <bit>
#include <cmath>
#include <cstdint>

#include "geosim/analysis/analysis.hpp"

namespace geosim {
namespace {

/// The signed network: sign +1 friendly / -1 hostile per pair, and each pair's weight.
struct Signed {
  Eigen::MatrixXi sign;
  Eigen::MatrixXd weight;
  Eigen::Index n = 0;
};

Signed signed_network(const Eigen::MatrixXd& tension, bool weighted, double cut,
                      const std::vector<unsigned char>& absent) {
  const Eigen::MatrixXd sym = symmetric_tension(tension);
  Signed s{Eigen::MatrixXi::Zero(sym.rows(), sym.rows()), Eigen::MatrixXd::Zero(sym.rows(), sym.rows()), sym.rows()};
  for (Eigen::Index a = 0; a < s.n; ++a)
    for (Eigen::Index b = 0; b < s.n; ++b) {
      if (a == b || (!absent.empty() && absent[std::size_t(a * s.n + b)] != 0)) continue;  // sign 0: no relation
      s.sign(a, b) = sym(a, b) < cut ? 1 : -1;
      s.weight(a, b) = weighted ? std::abs(cut - sym(a, b)) : 1.0;
    }
  return s;
}

bool unbalanced(const Signed& s, const std::vector<int>& camp, Eigen::Index a, Eigen::Index b) {
  if (s.sign(a, b) == 0) return false;  // no relation: nothing to balance
  const bool same = camp[std::size_t(a)] == camp[std::size_t(b)];
  return same != (s.sign(a, b) > 0);
}

double frustration_of(const Signed& s, const std::vector<int>& camp) {
  double total = 0.0;
  for (Eigen::Index a = 0; a < s.n; ++a)
    for (Eigen::Index b = a + 1; b < s.n; ++b)
      if (unbalanced(s, camp, a, b)) total += s.weight(a, b);
  return total;
}

/// Change of frustration if actor v changed camp: each of its relations toggles.
double flip_delta(const Signed& s, const std::vector<int>& camp, Eigen::Index v) {
  double delta = 0.0;
  for (Eigen::Index u = 0; u < s.n; ++u)
    if (u != v) delta += unbalanced(s, camp, u, v) ? -s.weight(u, v) : s.weight(u, v);
  return delta;
}

/// Every split with actor 0 in camp 0, in Gray-code order (one actor moves per split).
std::vector<int> exhaustive_split(const Signed& s, std::size_t& tried) {
  std::vector<int> camp(std::size_t(s.n), 0), best = camp;
  double current = frustration_of(s, camp), lowest = current;
  const std::uint64_t splits = std::uint64_t(1) << (s.n - 1);
  for (std::uint64_t k = 1; k < splits; ++k) {
    const Eigen::Index v = std::countr_zero(k) + 1;
    current += flip_delta(s, camp, v);
    camp[std::size_t(v)] ^= 1;
    if (current < lowest - 1e-12) {
      lowest = current;
      best = camp;
    }
  }
  tried = std::size_t(splits);
  return best;
}

/// Greedy: start from the signs of the leading eigenvector of the signed weights, then move
/// the actor that lowers frustration most until no move helps.
std::vector<int> greedy_split(const Signed& s, std::size_t& tried) {
  const Eigen::MatrixXd a = s.sign.cast<double>().cwiseProduct(s.weight);
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(a);
  const Eigen::VectorXd lead = solver.eigenvectors().col(s.n - 1);
  std::vector<int> camp(std::size_t(s.n));
  for (Eigen::Index v = 0; v < s.n; ++v) camp[std::size_t(v)] = lead(v) < 0.0 ? 1 : 0;
  tried = 1;
  for (;;) {
    Eigen::Index best = -1;
    double best_delta = -1e-12;
    for (Eigen::Index v = 0; v < s.n; ++v)
      if (const double d = flip_delta(s, camp, v); d < best_delta) best_delta = d, best = v;
    if (best < 0) break;
    camp[std::size_t(best)] ^= 1;
    ++tried;
  }
  return camp;
}

/// Triads with an odd number of hostile relations, among those whose three pairs all have a
/// relation; `complete` counts the latter.
std::vector<Triad> odd_triads(const Signed& s, std::size_t& complete) {
  std::vector<Triad> triads;
  complete = 0;
  for (Eigen::Index a = 0; a < s.n; ++a)
    for (Eigen::Index b = a + 1; b < s.n; ++b) {
      if (s.sign(a, b) == 0) continue;
      for (Eigen::Index c = b + 1; c < s.n; ++c) {
        if (s.sign(a, c) == 0 || s.sign(b, c) == 0) continue;
        ++complete;
        const int hostile = (s.sign(a, b) < 0) + (s.sign(a, c) < 0) + (s.sign(b, c) < 0);
        if (hostile % 2 == 1) triads.push_back({{std::size_t(a), std::size_t(b), std::size_t(c)}, hostile});
      }
    }
  return triads;
}

}  // namespace

Eigen::MatrixXd symmetric_tension(const Eigen::MatrixXd& tension) {
  Eigen::MatrixXd sym = (tension + tension.transpose()) / 2.0;
  sym.diagonal().setZero();
  return sym;
}

Blocs find_blocs(const Eigen::MatrixXd& tension, const BalanceOptions& options,
                 const std::vector<unsigned char>& absent) {
  Blocs blocs;
  blocs.cut = options.cut.value_or(0.5);
  const Signed s = signed_network(tension, options.weighted, blocs.cut,
                                  absent.size() == std::size_t(tension.size()) ? absent : std::vector<unsigned char>{});
  blocs.symmetric = symmetric_tension(tension);
  const std::size_t n = std::size_t(s.n);
  if (n == 0) return blocs;
  blocs.exhaustive = n <= options.exhaustive_limit && n <= 63;
  blocs.camp = blocs.exhaustive ? exhaustive_split(s, blocs.splits_tried) : greedy_split(s, blocs.splits_tried);
  if (blocs.camp[0] == 1)
    for (int& c : blocs.camp) c ^= 1;
  blocs.frustration = frustration_of(s, blocs.camp);
  for (Eigen::Index a = 0; a < s.n; ++a)
    for (Eigen::Index b = a + 1; b < s.n; ++b)
      if (unbalanced(s, blocs.camp, a, b)) blocs.unbalanced.emplace_back(std::size_t(a), std::size_t(b));
  blocs.unbalanced_triads = odd_triads(s, blocs.triads);
  for (Eigen::Index a = 0; a < s.n; ++a)
    for (Eigen::Index b = a + 1; b < s.n; ++b)
      if (s.sign(a, b) != 0) ++blocs.relations, blocs.hostile += s.sign(a, b) < 0;
  return blocs;
}

}  // namespace geosim
