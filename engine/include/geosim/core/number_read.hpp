#pragma once
/// \file
/// Reading a number a user wrote (a YAML value, a --set, a typed change): one reading and one
/// set of reasons for the whole program.
#include <string_view>

namespace geosim {

/// Reads all of `text` as a finite decimal number into `value`, as std::from_chars reads it (the
/// "C" locale; no leading '+' or spaces). Returns nullptr when it is one, else why not:
/// "not a number" (nan, or text that is no number), "infinite" (inf), "too small to represent"
/// (1e-400: below the smallest double, so it would read as 0) or "too large to represent"
/// (1e400). `value` is left unchanged on failure. With `plus`, one leading '+' is also read
/// (+0.5; not +-0.5 or ++0.5), as YAML and a typed change allow.
const char* read_finite(std::string_view text, double& value, bool plus = false);

/// `text` without the spaces and tabs around it: how a name or a number is read from an
/// argument such as --set NAME=VALUE or --vary NAME=LO..HI (" 0.05", "restraint.USA ").
std::string_view trim_blanks(std::string_view text);

}  // namespace geosim
