#pragma once
/// \file
/// The merge of two summaries' columns while no compaction is needed (ensemble_partial.cpp,
/// combine_nodes): every column of two nodes, each ascending, into one ascending column.

#include <cstddef>

namespace geosim::detail {

/// Columns merge_columns merges at once with AVX2 (their chains of dependent steps overlap).
inline constexpr std::size_t kMergeColumnsAtOnce = 4;

/// Merges, for each of `columns` columns, `a`'s `na` ascending values ([column * na + i]) and
/// `b`'s `nb` ([column * nb + i]) into `out`'s na + nb ([column * (na + nb) + i]), ascending.
/// The values are std::merge's bit for bit when no column holds both +0 and -0 or a NaN (an
/// indicator's value is never either: equal values are then the same bits, so the order in
/// which equal values are taken does not show). With AVX2, when na and nb are multiples of
/// four, four values at a time by a bitonic merging network (min and max only: exact), four
/// columns at once so that their chains overlap; otherwise (or `scalar`) one value at a time,
/// from both ends at once, without branches on the data.
void merge_columns(const double* a, std::size_t na, const double* b, std::size_t nb, std::size_t columns, double* out,
                   bool scalar = false);

/// The same for two columns of `n` values each, writing only the merged values at even positions
/// (0, 2, 4, ...: n a column, [column * n + i]): a compaction of two summaries of equal runs whose
/// values all stand for the same number of runs (combine_nodes). Only with AVX2 and n a multiple
/// of four; returns false, writing nothing, otherwise.
bool merge_columns_halved(const double* a, const double* b, std::size_t n, std::size_t columns, double* out);

}  // namespace geosim::detail
