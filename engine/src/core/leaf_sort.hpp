#pragma once
/// \file
/// The sort of a chunk's values for its leaf summary (ensemble_partial.cpp, leaf_node): every
/// column of a chunk's rows at once, by a sorting network applied to whole rows, vectorised
/// across the columns (no branch on the data).

#include <cstddef>

namespace geosim::detail {

/// Sorts each column of `rows` ([run * columns + column], `runs` rows, at most
/// kLeafSortMaxRuns) ascending, in place: Batcher's odd-even merge sort, each comparator a
/// min and a max of two whole rows. The values of a column are those of std::sort's result
/// bit for bit when no column holds both +0 and -0 or a NaN (an indicator's value is never
/// either). `sse2`: two doubles at a time whatever the processor (for the tests); otherwise
/// four with AVX2 where the processor has it.
void sort_columns(double* rows, std::size_t runs, std::size_t columns, bool sse2 = false);

/// `out[column * runs + run] = rows[run * columns + column]`: the sorted rows as the leaf's
/// columns. With AVX2 (unless `scalar`), blocks of four runs by four columns, each written as
/// four whole columns' pieces; the rest one value at a time. Copies only, so the same bits.
void transpose_rows(const double* rows, std::size_t runs, std::size_t columns, double* out, bool scalar = false);

/// The most rows sort_columns takes (a chunk's runs).
inline constexpr std::size_t kLeafSortMaxRuns = 64;

}  // namespace geosim::detail
