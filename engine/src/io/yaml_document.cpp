#include "yaml_document.hpp"
#include "geosim/io/text_position.hpp"

#include "geosim/io/input_file.hpp"

#include <pthread.h>
#include <yaml-cpp/depthguard.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace geosim::detail {

std::string fmt_hex(unsigned value);

namespace {

Diagnostic at(const std::string& file, int line, int column, std::string message) {
  return Diagnostic{file, line, column, std::move(message)};
}

/// True when the character at i starts a token (so a quote there opens a quoted scalar).
bool token_start(const std::string& text, std::size_t i, std::size_t line_start) {
  if (i == line_start) return true;
  const char p = text[i - 1];
  return p == ' ' || p == '\t' || p == '[' || p == '{' || p == ',' || p == ':';
}

/// Checks the raw text before yaml-cpp sees it: encoding, control bytes, depth, documents.
bool prescan(const std::string& text, const std::string& file, std::vector<Diagnostic>& errors,
             const InputLimits& limits) {
  int line = 1, column = 1, flow_depth = 0;
  std::size_t line_start = 0;
  bool in_single = false, in_double = false, in_comment = false, seen_content = false;
  bool ended = false;  // after a document end marker '...'
  auto second_document = [&]() {
    errors.push_back(at(file, line, column, "expected one YAML document, found a second one starting here"));
    return false;
  };
  auto too_deep = [&]() {
    errors.push_back(
        at(file, line, column,
           "expected nesting of at most " + std::to_string(limits.max_flow_depth) + " levels, found deeper nesting"));
    return false;
  };
  std::size_t i = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;  // a UTF-8 BOM is allowed
  for (; i < text.size();) {
    const char c = text[i];
    const std::size_t n = utf8_length(text, i);
    if (n == 0) {
      errors.push_back(
          at(file, line, column,
             "expected UTF-8 text, found an invalid byte (0x" + fmt_hex(static_cast<unsigned char>(c)) + ")"));
      return false;
    }
    if (n == 1 && static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\r' && c != '\t') {
      errors.push_back(at(file, line, column,
                          "expected text, found a control character (0x" + fmt_hex(static_cast<unsigned char>(c)) +
                              "): is this a binary file?"));
      return false;
    }
    if (c == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n')) {
      // yaml-cpp reads a lone CR as part of the line, so such a file would fail later with a
      // baffling message about its first line: name the real cause.
      errors.push_back(at(file, line, column,
                          "expected line breaks as LF or CR LF, found a lone CR (classic Mac OS "
                          "line endings): convert the file, e.g. with `tr '\\r' '\\n'`"));
      return false;
    }
    if (c == '\n') {
      if (i - line_start - (i > line_start && text[i - 1] == '\r' ? 1 : 0) >
          limits.max_line_bytes) {  // CR LF's CR not counted
        errors.push_back(
            at(file, line, 1,
               "expected lines of at most " + std::to_string(limits.max_line_bytes) + " bytes, found a longer one"));
        return false;
      }
      ++line;
      column = 1;
      line_start = i + 1;
      in_comment = false;
      // A heuristic scan: quoted scalars spanning lines are rare; resetting keeps one stray
      // apostrophe from hiding the rest of the file.
      in_single = in_double = false;
      ++i;
      continue;
    }
    if (column == 1) {
      auto marker = [&](const char* m) {
        return text.compare(i, 3, m) == 0 && (i + 3 >= text.size() || text[i + 3] == ' ' || text[i + 3] == '\t' ||
                                              text[i + 3] == '\n' || text[i + 3] == '\r');
      };
      // A second document is not a scenario: refuse it rather than ignore it.
      if (marker("---") && (seen_content || ended)) return second_document();
      if (marker("...")) {
        ended = true;
        in_comment = true;  // the rest of the line may only be a comment
      } else if (c == '%' && !seen_content) {
        in_comment = true;  // a directive such as %YAML 1.2
        // YAML 1.1 reads 010 as eight and yes as true, where geosim reads 1.2's ten and "yes".
        if (text.compare(i, 5, "%YAML") == 0 && i + 5 < text.size() && (text[i + 5] == ' ' || text[i + 5] == '\t')) {
          const std::size_t end = std::min(text.find_first_of("\r\n#", i), text.size());
          std::string version = text.substr(i + 6, end - i - 6);
          while (!version.empty() && (version.back() == ' ' || version.back() == '\t')) version.pop_back();
          while (!version.empty() && (version.front() == ' ' || version.front() == '\t')) version.erase(0, 1);
          if (version != "1.2") {
            errors.push_back(at(file, line, 7,
                                "expected %YAML 1.2 (geosim reads YAML 1.2, in which 010 is ten and yes is text), "
                                "found %YAML " +
                                    version.substr(0, 20)));
            return false;
          }
        }
      }
      std::size_t indent = 0;
      while (i + indent < text.size() && text[i + indent] == ' ') ++indent;
      if (indent > std::size_t(limits.max_indent)) {
        errors.push_back(at(file, line, int(indent) + 1,
                            "expected indentation of at most " + std::to_string(limits.max_indent) +
                                " columns, found " + std::to_string(indent)));
        return false;
      }
      // Compact nesting ("- - - x", "? ? x"): each indicator opens a level.
      int levels = 0;
      for (std::size_t j = i + indent;
           j + 1 < text.size() && (text[j] == '-' || text[j] == '?') && (text[j + 1] == ' ' || text[j + 1] == '\t');) {
        if (++levels > limits.max_flow_depth) {
          column = int(j - i) + 1;
          return too_deep();
        }
        j += 2;
        while (j < text.size() && text[j] == ' ') ++j;
      }
    }
    if (ended && !in_comment && c != ' ' && c != '\t' && c != '\r' && c != '#') return second_document();
    if (!in_comment && !in_single && !in_double) {
      if (c == '#' && (column == 1 || text[i - 1] == ' ' || text[i - 1] == '\t'))
        in_comment = true;
      else if (c == '\'' && token_start(text, i, line_start))
        in_single = true;
      else if (c == '"' && token_start(text, i, line_start))
        in_double = true;
      else if (c == '[' || c == '{') {
        if (++flow_depth > limits.max_flow_depth) return too_deep();
      } else if (c == ']' || c == '}') {
        if (flow_depth > 0) --flow_depth;
      }
      if (!in_comment && c != ' ' && c != '\t' && c != '\r' && !(column == 1 && c == '%'))
        seen_content = seen_content || !(column == 1 && text.compare(i, 3, "---") == 0);
    } else if (in_single && c == '\'') {
      in_single = false;
    } else if (in_double && c == '\\' && i + 1 < text.size() && text[i + 1] != '\n' && text[i + 1] != '\r') {
      // An escape: the next character is part of the text, even a quote or a backslash.
      ++i;
      ++column;
      const std::size_t m = utf8_length(text, i);
      if (m > 1 || (m == 1 && static_cast<unsigned char>(text[i]) >= 0x20)) {
        i += m;
        ++column;
      }
      continue;
    } else if (in_double && c == '"') {
      in_double = false;
    }
    i += n;
    ++column;
  }
  if (text.size() - line_start > limits.max_line_bytes) {
    errors.push_back(
        at(file, line, 1,
           "expected lines of at most " + std::to_string(limits.max_line_bytes) + " bytes, found a longer one"));
    return false;
  }
  return true;
}

struct ParseJob {
  const std::string* text;
  YAML::Node node;
  bool ok = false;
  bool too_deep = false;
  int line = 0, column = 0;  // yaml-cpp's: 0-based, column in bytes
  int pos = -1;              // byte offset, not counting a byte order mark
  std::string message;
};

void parse_job(void* context) {
  auto* job = static_cast<ParseJob*>(context);
  try {
    job->node = YAML::Load(*job->text);
    job->ok = true;
  } catch (const YAML::DeepRecursion& e) {
    job->too_deep = true;
    job->line = e.mark.line;
    job->column = e.mark.column;
    job->pos = e.mark.pos;
  } catch (const YAML::Exception& e) {
    job->line = e.mark.line;
    job->column = e.mark.column;
    job->pos = e.mark.pos;
    job->message = e.msg;
  } catch (const std::exception& e) {
    job->message = e.what();
  }
}

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

/// What stands at `offset`, for "found ...": the token there, or the end of the line or file.
std::string found_at(const std::string& text, std::size_t offset) {
  while (offset < text.size() && (text[offset] == ' ' || text[offset] == '\t')) ++offset;
  if (offset >= text.size()) return "the end of the file";
  if (text[offset] == '\n' || text[offset] == '\r') return "the end of the line";
  auto stop = [&](std::size_t k) {
    const char c = text[k];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') return true;
    return k > offset && (c == ',' || c == '[' || c == ']' || c == '{' || c == '}');
  };
  std::size_t end = offset;
  while (end < text.size() && end - offset < 24 && !stop(end)) ++end;
  while (end > offset && end < text.size() && (static_cast<unsigned char>(text[end]) >> 6) == 0x2) --end;
  return "'" + text.substr(offset, end - offset) + "'";
}

/// A yaml-cpp error message as "expected ..., found ...". `offset` is where it points.
std::string explain(const std::string& message, const std::string& text, std::size_t offset) {
  namespace E = YAML::ErrorMsg;
  const std::string found = found_at(text, offset);
  const std::string indentation = "; check the indentation";
  std::string expected;
  if (message == E::END_OF_SEQ_FLOW)
    expected = "',' or ']' in a [ ] list";
  else if (message == E::END_OF_MAP_FLOW)
    expected = "',' or '}' in a { } mapping";
  else if (message == E::END_OF_SEQ)
    return "expected the next '- ' item at the list's indentation, or the end of the list, found " + found +
           indentation;
  else if (message == E::END_OF_MAP)
    return "expected the next 'key: value' at the mapping's indentation, or the end of the "
           "mapping, found " +
           found + indentation;
  else if (message == E::BLOCK_ENTRY)
    return "expected a '- ' list item only where a list can start, found " + found + indentation;
  else if (message == E::MAP_KEY || message == E::MAP_VALUE)
    return "expected 'key: value' only where a mapping can start, found " + found + indentation +
           ", or quote text that contains ': '";
  else if (message == E::EOF_IN_SCALAR || message == E::DOC_IN_SCALAR)
    return "expected the closing quote of a quoted text, found " +
           (message == E::EOF_IN_SCALAR ? std::string("the end of the file") : "a document marker");
  else if (message == E::UNKNOWN_ANCHOR)
    expected = "an alias (*name) of an anchor (&name) defined before it";
  else if (starts_with(message, E::INVALID_ESCAPE))
    return "expected an escape such as \\n, \\\" or \\\\ in double quotes, found '\\" +
           message.substr(std::string(E::INVALID_ESCAPE).size()) + "'";
  else if (message == E::FLOW_END)
    expected = "a closing ']' or '}' only after an opening one";
  else
    return "expected valid YAML, found " + found + " (" + message + ")";
  return "expected " + expected + ", found " + found;
}

/// The first tab in the indentation of the 0-based `line`, as a byte offset, or npos.
std::size_t tab_in_indentation(const std::string& text, const SourceText& source, int line) {
  const std::size_t start = source.offset(line, 0);
  if (start == std::string::npos) return std::string::npos;
  for (std::size_t k = start; k < text.size() && (text[k] == ' ' || text[k] == '\t'); ++k)
    if (text[k] == '\t') return k;
  return std::string::npos;
}

}  // namespace

std::string fmt_hex(unsigned value);

void run_with_large_stack(void (*work)(void*), void* context) {
  pthread_attr_t attributes;
  pthread_attr_init(&attributes);
  pthread_attr_setstacksize(&attributes, std::size_t(512) << 20);  // reserved, not committed
  pthread_t thread;
  struct Trampoline {
    void (*work)(void*);
    void* context;
  } trampoline{work, context};
  auto entry = [](void* p) -> void* {
    auto* t = static_cast<Trampoline*>(p);
    t->work(t->context);
    return nullptr;
  };
  if (pthread_create(&thread, &attributes, entry, &trampoline) != 0) {
    work(context);  // no thread to be had: do the work here
  } else {
    pthread_join(thread, nullptr);
  }
  pthread_attr_destroy(&attributes);
}

SourceText::SourceText(std::string text) : text_(std::move(text)) {
  // yaml-cpp does not count a byte order mark in its columns.
  line_starts_.push_back(text_.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0);
  for (std::size_t k = 0; k < text_.size(); ++k)
    if (text_[k] == '\n') line_starts_.push_back(k + 1);
}

std::size_t SourceText::offset(int line, int column) const {
  if (line < 0 || column < 0 || std::size_t(line) >= line_starts_.size()) return std::string::npos;
  const std::size_t k = line_starts_[std::size_t(line)] + std::size_t(column);
  return k <= text_.size() ? k : std::string::npos;
}

int SourceText::char_column(int line, int column) const {
  const std::size_t end = offset(line, column);
  if (end == std::string::npos) return column + 1;
  int chars = 1;
  for (std::size_t k = line_starts_[std::size_t(line)]; k < end; ++k)
    if ((static_cast<unsigned char>(text_[k]) >> 6) != 0x2) ++chars;
  return chars;
}

bool check_yaml_text(const std::string& text, const std::string& file, std::vector<Diagnostic>& errors,
                     const InputLimits& limits) {
  if (text.size() > limits.max_bytes) {
    errors.push_back(at(file, 0, 0,
                        "expected a file of at most " + std::to_string(limits.max_bytes >> 20) + " MiB, found " +
                            std::to_string(text.size()) + " bytes"));
    return false;
  }
  return prescan(text, file, errors, limits);
}

std::string trim_yaml_text(const std::string& text) {
  std::size_t end = text.size();
  while (end > 0 && (text[end - 1] == '\n' || text[end - 1] == '\r' || text[end - 1] == ' ' || text[end - 1] == '\t'))
    --end;
  return text.substr(0, end);
}

std::optional<YAML::Node> parse_yaml_text(const std::string& text, const std::string& file,
                                          std::vector<Diagnostic>& errors, const InputLimits& limits) {
  if (!check_yaml_text(text, file, errors, limits)) return std::nullopt;
  // Without trailing white space: yaml-cpp 0.7 takes a quoted text left open up to the end of
  // the file as closed when a line break follows it, silently swallowing every line after it.
  const std::string trimmed = trim_yaml_text(text);
  ParseJob job;
  job.text = &trimmed;
  run_with_large_stack(parse_job, &job);
  if (!job.ok) {
    const SourceText source(text);
    std::size_t offset = source.offset(job.line, job.column);
    int line = job.line + 1, column = source.char_column(job.line, job.column);
    const std::size_t bom = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
    if (job.pos >= 0 && std::size_t(job.pos) + bom >= trimmed.size()) {
      // At the end of the file yaml-cpp reports column 0 of the last line: point past its end.
      offset = trimmed.size();
      line = 1 + int(std::count(trimmed.begin(), trimmed.end(), '\n'));
      const std::size_t last = trimmed.rfind('\n');
      column = source.char_column(line - 1, int(trimmed.size() - (last == std::string::npos ? bom : last + 1)));
    }
    std::string message;
    std::size_t tab = std::string::npos;
    for (int l = job.line; l >= 0 && l >= job.line - 1 && tab == std::string::npos; --l)
      if ((tab = tab_in_indentation(trimmed, source, l)) != std::string::npos) line = l + 1;
    if (job.too_deep) {
      message =
          "expected lists and mappings nested less deeply, found deeper nesting than the "
          "parser allows";
    } else if (tab != std::string::npos) {
      column = source.char_column(line - 1, int(tab - source.offset(line - 1, 0)));
      message = "expected spaces for indentation, found a tab";
    } else {
      message = explain(job.message, trimmed, offset == std::string::npos ? trimmed.size() : offset);
      // yaml-cpp points just past a bad escape: point at its backslash.
      if (starts_with(job.message, YAML::ErrorMsg::INVALID_ESCAPE) && offset != std::string::npos && offset >= 2 &&
          trimmed[offset - 2] == '\\')
        column = source.char_column(job.line, job.column - 2);
    }
    errors.push_back(at(file, line, column, "invalid YAML: " + message));
    return std::nullopt;
  }
  return job.node;
}

std::optional<YAML::Node> read_yaml_file(const std::string& path, std::vector<Diagnostic>& errors,
                                         const InputLimits& limits, std::string* text_out) {
  InputText input = read_input_file(path, limits.max_bytes);
  if (!input.text) {
    errors.push_back(at(path, 0, 0, input.error));
    return std::nullopt;
  }
  auto root = parse_yaml_text(*input.text, path, errors, limits);
  if (root && text_out) *text_out = std::move(*input.text);
  return root;
}

std::string fmt_hex(unsigned value) {
  static const char* digits = "0123456789ABCDEF";
  return std::string{digits[(value >> 4) & 0xF], digits[value & 0xF]};
}

}  // namespace geosim::detail
