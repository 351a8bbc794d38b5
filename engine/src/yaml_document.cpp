#include "yaml_document.hpp"

#include <pthread.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace geosim::detail {

std::string fmt_hex(unsigned value);

namespace {

Diagnostic at(const std::string& file, int line, int column, std::string message) {
  return Diagnostic{file, line, column, std::move(message)};
}

/// Length of the UTF-8 sequence starting at s[i], or 0 if it is not valid UTF-8.
std::size_t utf8_length(const std::string& s, std::size_t i) {
  const auto b = static_cast<unsigned char>(s[i]);
  std::size_t n = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k)
    if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return 0;
  if (n == 2 && b < 0xC2) return 0;  // overlong
  return n;
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
  std::size_t i = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;  // a UTF-8 BOM is allowed
  for (; i < text.size();) {
    const char c = text[i];
    const std::size_t n = utf8_length(text, i);
    if (n == 0) {
      errors.push_back(at(file, line, column, "expected UTF-8 text, found an invalid byte (0x" +
                                                  fmt_hex(static_cast<unsigned char>(c)) + ")"));
      return false;
    }
    if (n == 1 && static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\r' && c != '\t') {
      errors.push_back(at(file, line, column,
                          "expected text, found a control character (0x" +
                              fmt_hex(static_cast<unsigned char>(c)) + "): is this a binary file?"));
      return false;
    }
    if (c == '\n') {
      if (i - line_start > limits.max_line_bytes) {
        errors.push_back(at(file, line, 1, "expected lines of at most " +
                                               std::to_string(limits.max_line_bytes) +
                                               " bytes, found a longer one"));
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
      // A second document is not a scenario: refuse it rather than ignore it.
      if (text.compare(i, 3, "---") == 0 && (i + 3 >= text.size() || text[i + 3] == ' ' ||
                                             text[i + 3] == '\n' || text[i + 3] == '\r')) {
        if (seen_content) {
          errors.push_back(at(file, line, 1,
                              "expected one YAML document, found a second one starting here"));
          return false;
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
    }
    if (!in_comment && !in_single && !in_double) {
      if (c == '#' && (column == 1 || text[i - 1] == ' ' || text[i - 1] == '\t')) in_comment = true;
      else if (c == '\'' && token_start(text, i, line_start)) in_single = true;
      else if (c == '"' && token_start(text, i, line_start)) in_double = true;
      else if (c == '[' || c == '{') {
        if (++flow_depth > limits.max_flow_depth) {
          errors.push_back(at(file, line, column,
                              "expected nesting of at most " + std::to_string(limits.max_flow_depth) +
                                  " levels, found deeper nesting"));
          return false;
        }
      } else if (c == ']' || c == '}') {
        if (flow_depth > 0) --flow_depth;
      }
      if (!in_comment && c != ' ' && c != '\t' && c != '\r' && !(column == 1 && c == '%'))
        seen_content = seen_content || !(column == 1 && text.compare(i, 3, "---") == 0);
    } else if (in_single && c == '\'') {
      in_single = false;
    } else if (in_double && c == '"' && text[i - 1] != '\\') {
      in_double = false;
    }
    i += n;
    ++column;
  }
  return true;
}

struct ParseJob {
  const std::string* text;
  YAML::Node node;
  bool ok = false;
  int line = 0, column = 0;
  std::string message;
};

void parse_job(void* context) {
  auto* job = static_cast<ParseJob*>(context);
  try {
    job->node = YAML::Load(*job->text);
    job->ok = true;
  } catch (const YAML::Exception& e) {
    job->line = e.mark.line + 1;
    job->column = e.mark.column + 1;
    job->message = e.msg;
  } catch (const std::exception& e) {
    job->message = e.what();
  }
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

std::optional<YAML::Node> parse_yaml_text(const std::string& text, const std::string& file,
                                          std::vector<Diagnostic>& errors,
                                          const InputLimits& limits) {
  if (text.size() > limits.max_bytes) {
    errors.push_back(at(file, 0, 0, "expected a file of at most " +
                                        std::to_string(limits.max_bytes >> 20) + " MiB, found " +
                                        std::to_string(text.size()) + " bytes"));
    return std::nullopt;
  }
  if (!prescan(text, file, errors, limits)) return std::nullopt;
  ParseJob job;
  job.text = &text;
  run_with_large_stack(parse_job, &job);
  if (!job.ok) {
    errors.push_back(at(file, job.line, job.column, "invalid YAML: " + job.message));
    return std::nullopt;
  }
  return job.node;
}

std::optional<YAML::Node> read_yaml_file(const std::string& path, std::vector<Diagnostic>& errors,
                                         const InputLimits& limits) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    errors.push_back(at(path, 0, 0, "cannot open file: no such file"));
    return std::nullopt;
  }
  if (!std::filesystem::is_regular_file(status)) {
    errors.push_back(at(path, 0, 0, "expected a regular file, found a directory or device"));
    return std::nullopt;
  }
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > limits.max_bytes) {
    errors.push_back(at(path, 0, 0, "expected a file of at most " +
                                        std::to_string(limits.max_bytes >> 20) + " MiB, found " +
                                        std::to_string(size) + " bytes"));
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    errors.push_back(at(path, 0, 0, "cannot open file for reading"));
    return std::nullopt;
  }
  std::string text;
  text.resize(limits.max_bytes + 1);
  in.read(text.data(), std::streamsize(text.size()));
  text.resize(std::size_t(in.gcount()));
  return parse_yaml_text(text, path, errors, limits);
}

std::string fmt_hex(unsigned value) {
  static const char* digits = "0123456789ABCDEF";
  return std::string{digits[(value >> 4) & 0xF], digits[value & 0xF]};
}

}  // namespace geosim::detail
