#pragma once
/// Names are data: the one escaper for each text format geosim writes. Every name, title, id or
/// typed command that goes into one of these formats goes through the function for it (HTML has
/// html_escape in report/html_report.hpp).
#include <string>
#include <string_view>

namespace geosim {

/// A DOT (Graphviz) quoted string, quotes included: `"` and `\` escaped, `&` as `&amp;` (Graphviz
/// reads an entity such as `&lt;` in a string as its character), line breaks as `\n`,
/// tabs as spaces, other control characters (C1 and U+FFFE/U+FFFF too) dropped, so no name can end the string,
/// add an attribute or reach a terminal as an escape sequence when the graph goes to stdout.
std::string dot_quoted(std::string_view text);

/// One CSV field (RFC 4180) of text (a name, an id, a path; numbers are written as they are):
/// quoted, with `"` doubled, when it holds a comma, a quote, a line break or leading/trailing
/// space; as it is otherwise. The controls without_controls drops are dropped (a terminal that
/// shows the file acts on none), and a text that starts with = + - @, a tab or a carriage return
/// gets a leading ' inside its quotes, so that a spreadsheet shows it and runs no formula.
std::string csv_field(std::string_view text);

/// Markdown text: `&`, `<` and `>` as HTML entities (no raw HTML), Markdown's punctuation
/// backslash-escaped, line breaks as spaces (a name cannot start a block), the controls
/// without_controls drops dropped (a terminal that shows the file acts on none).
std::string markdown_text(std::string_view text);

/// A Markdown code span, backticks included: fenced with one more backtick than the longest
/// run inside, padded when the text starts or ends with a backtick, line breaks as spaces, the
/// controls without_controls drops dropped.
std::string markdown_code(std::string_view text);

/// A YAML double-quoted scalar, quotes included: `"` and `\` backslash-escaped, control bytes
/// as \xNN; other bytes as they are.
std::string yaml_quoted(std::string_view text);

/// `text` with its bidirectional embeddings, overrides and isolates (U+202A..U+202E,
/// U+2066..U+2069) closed: an unmatched PDF or PDI dropped, and what is left open closed at the
/// end, so that a name's right-to-left override cannot reverse the text after it on a page. Text
/// without them is returned as it is. Used by without_controls (HTML, GraphML), dot_quoted,
/// markdown_text and markdown_code; terminal_text shows them as '?'.
std::string bidi_closed(std::string_view text);

/// `text` without the control characters XML 1.0 cannot hold and HTML calls parse errors (the
/// C0 controls but tab, line feed and carriage return, DEL, the C1 controls U+0080 to U+009F and
/// the noncharacters U+FFFE and U+FFFF): for GraphML and HTML, whose escapers then handle the
/// markup characters; its bidirectional formatting closed (bidi_closed).
std::string without_controls(std::string_view text);

/// Terminal text: control characters (escape sequences, line breaks, tabs; the C1 controls,
/// whose U+009B some terminals read as an escape, U+FFFE/U+FFFF, and the bidirectional
/// embeddings, overrides and isolates, which would reorder the rest of the line; the line and
/// paragraph separators) and bytes that are not UTF-8 shown as '?', so a name cannot move the
/// cursor, recolour the terminal or start a line of its own.
std::string terminal_text(std::string_view text);

/// One word for a shell (a path or a name in a command shown to copy and paste): as it is when
/// it is only letters, digits and `._/+-=,:@%`; else in single quotes; else, when it holds a
/// character terminal_text would show as '?', in bash's $'...' with those bytes as \xNN, so the
/// command shown on a terminal pastes back as the same bytes.
std::string shell_word(std::string_view text);

}  // namespace geosim
