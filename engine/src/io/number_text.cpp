// put_number6 and its wrappers (number_text.hpp).
#include "geosim/io/number_text.hpp"

#include <fmt/format.h>

namespace geosim {

char* put_number6_fmt(char* p, double v) { return fmt::format_to_n(p, kNumber6Room, "{:.6f}", v).out; }

void append_number6(std::string& out, double v) {
  char buffer[kNumber6Room];
  out.append(buffer, std::size_t(put_number6(buffer, v) - buffer));
}

std::string number6(double v) {
  std::string out;
  append_number6(out, v);
  return out;
}

std::string signed_change(double v, int decimals) {
  std::string text = fmt::format("{:+.{}f}", v, decimals);
  if (text.find_first_not_of("+-0.") == std::string::npos) text.erase(0, 1);  // rounds to zero: no sign
  return text;
}

}  // namespace geosim
