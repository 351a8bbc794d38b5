// The live page's server: see room_server.hpp.
#include "room_server.hpp"
#include "room_guard.hpp"

#include <fmt/format.h>
#include <httplib.h>
#include <geosim/io/catalog.hpp>
#include <geosim/io/input_file.hpp>
#include <geosim/io/interrupt.hpp>
#include <geosim/report/html_report.hpp>
#include <geosim/report/template.hpp>
#include <geosim/tabletop/room_snapshot.hpp>

#include <unistd.h>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <thread>
#include "geosim/io/json_text.hpp"

namespace geosim::cli {

namespace {
namespace fs = std::filesystem;

/// Most pages and event streams served at once (each stream holds a thread). Default 64.
constexpr std::size_t kServerThreads = 64;
/// Most event streams open at once, so that threads stay free for pages: a page turned away
/// asks for now.json every few seconds instead. Default 48.
constexpr int kMaxStreams = 48;
/// How long the server stays up after the session ends when pages ask for now.json (they ask
/// every 3 s, room.js): each asks once more and is told the session ended. 3.5 s.
constexpr auto kLinger = std::chrono::milliseconds(3500);

/// `bytes` random bytes from the system's source, as lowercase hex.
std::string random_hex(std::size_t bytes) {
  std::random_device device;
  std::string out;
  for (std::size_t k = 0; k < bytes; ++k) out += fmt::format("{:02x}", device() & 0xffu);
  return out;
}

/// Compares without stopping at the first difference.
bool same_secret(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t k = 0; k < a.size(); ++k) diff |= static_cast<unsigned char>(a[k] ^ b[k]);
  return diff == 0;
}

/// One view as last published.
struct View {
  nlohmann::json snapshot;
  /// The event stream's data: {"version", "html", "network", "step"}, and "chart" once made.
  nlohmann::json payload;
  /// Its charts (room_chart_spec; the room's for the room and its charts page), made when a page
  /// first asks for this view: at scale most teams' views are never opened.
  nlohmann::json chart;
  std::string text;  ///< payload with its chart as one line (dump() escapes line breaks); "" = not made yet
};

}  // namespace

bool is_loopback(const std::string& host) { return host == "localhost" || host == "::1" || host.starts_with("127."); }

struct RoomServer::Impl {
  RoomServerOptions options;
  RoomTemplates templates;
  std::map<std::string, std::string> scripts;  ///< file name -> code (load_room_scripts)
  std::string token;                           ///< "" on loopback
  httplib::Server server;
  std::unique_ptr<ConnectionGuard> guard;  ///< after the server: gone before it (which is stopped first)
  std::thread thread;
  int port = 0;

  std::mutex mutex;
  std::condition_variable changed;
  /// The session as last published and as it was at the start of that turn (copies: the
  /// prompt goes on changing its own). Views are made from them when a page first asks.
  std::shared_ptr<const Session> now, before;
  std::set<std::string> keys;                    ///< the views there are: "" = the room; an actor id = its team view
  std::map<std::string, View> views;             ///< the views made since the last publish, by key
  std::shared_ptr<const ReportData> chart_data;  ///< the session's series for the charts, made once a publish
  long version = 0;
  bool stopping = false;
  /// When a page last asked for now.json (a page turned away from the stream): stop() then keeps
  /// answering {"ended": true} for one asking interval, so that such pages learn the end too.
  std::optional<std::chrono::steady_clock::time_point> last_poll;
  std::atomic<int> streams{0};  ///< event streams open now
  bool stopped = false;

  std::string query() const { return token.empty() ? "" : "?token=" + token; }

  void routes();
  void stream(const std::string& key, httplib::Response& res);
  /// The page of view `key`; `charts`: the room's charts page.
  void page(const std::string& key, httplib::Response& res, bool charts = false);
  /// The view `key` with its charts and its stream's text, made the first time a page asks for
  /// it after a publish (at scale most teams' views are never opened); nullptr when there is no
  /// such view. Called with `mutex` held.
  const View* ready(const std::string& key);
};

const View* RoomServer::Impl::ready(const std::string& key) {
  if (auto it = views.find(key); it != views.end()) return &it->second;
  if (!now || !keys.count(key)) return nullptr;
  RoomViewOptions view_options;
  view_options.team = key;
  view_options.scenarios_dir = options.scenarios_dir;
  auto snapshot = room_snapshot(*now, *before, view_options);
  if (!snapshot) return nullptr;
  if (!chart_data) chart_data = std::make_shared<const ReportData>(session_chart_data(*now));
  View view;
  // The room's charts feed the charts page (the room view has none); a team's, its view.
  view.chart = room_chart_spec(*chart_data, key);
  view.payload = nlohmann::json{{"version", version},
                                {"html", render_room_panel(templates, *snapshot)},
                                {"network", (*snapshot)["network"]},
                                {"step", (*snapshot)["step"]},
                                {"chart", view.chart}};
  view.payload = bidi_closed_strings(std::move(view.payload));  // names in the network and panel too
  view.text = json_text(view.payload);
  view.snapshot = bidi_closed_strings(std::move(*snapshot));
  return &views.emplace(key, std::move(view)).first->second;
}

void RoomServer::Impl::page(const std::string& key, httplib::Response& res, bool charts) {
  nlohmann::json snapshot, chart;
  {
    std::lock_guard lock(mutex);
    const View* view = ready(key);
    if (!view) {
      res.status = 404;
      res.set_content(fmt::format("no team view '{}': the scenario has no such actor\n", key), "text/plain");
      return;
    }
    snapshot = view->snapshot;
    chart = view->chart;
  }
  if (charts) snapshot["view"] = "charts";
  const std::string nonce = random_hex(16);
  res.set_header(
      "Content-Security-Policy",
      // style-src allows inline styles: the network library sets them on its canvas;
      // 'unsafe-eval' for Vega's expression parser (as the report), on the pages with charts
      fmt::format("default-src 'none'; script-src 'nonce-{0}'{1}; style-src 'unsafe-inline'; connect-src 'self'; "
                  "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
                  nonce, charts || !key.empty() ? " 'unsafe-eval'" : ""));
  const std::string events = key.empty() ? "/events" : "/team/" + key + "/events";
  res.set_content(render_room_page(templates, snapshot, nonce, query(), events, chart), "text/html; charset=utf-8");
}

void RoomServer::Impl::stream(const std::string& key, httplib::Response& res) {
  {
    std::lock_guard lock(mutex);
    if (!ready(key)) {
      res.status = 404;
      res.set_content(fmt::format("no team view '{}'\n", key), "text/plain");
      return;
    }
  }
  if (streams.fetch_add(1) >= kMaxStreams) {
    streams.fetch_sub(1);
    res.status = 503;
    res.set_header("Retry-After", "10");
    res.set_content("too many live pages open at once: this page asks every few seconds instead\n", "text/plain");
    return;
  }
  auto seen = std::make_shared<long>(-1);  // a new or reconnecting page gets the current state first
  res.set_chunked_content_provider(
      "text/event-stream",
      [this, key, seen](std::size_t, httplib::DataSink& sink) {
        std::unique_lock lock(mutex);
        changed.wait_for(lock, std::chrono::seconds(15), [&] { return stopping || version != *seen; });
        if (stopping) {
          lock.unlock();
          const std::string end = "event: end\ndata: {}\n\n";
          sink.write(end.data(), end.size());
          sink.done();
          return true;
        }
        std::string message = ": still here\n\n";  // every 15 s: finds pages that have gone
        if (version != *seen) {
          *seen = version;
          const View* view = ready(key);
          if (!view) return false;  // cannot happen: the actors of a session do not change
          message = "event: state\ndata: " + view->text + "\n\n";
        }
        lock.unlock();
        return sink.write(message.data(), message.size());
      },
      [this](bool) { streams.fetch_sub(1); });  // when the response goes: the page left or the session ended
}

void RoomServer::Impl::routes() {
  server.new_task_queue = [] { return new httplib::ThreadPool(kServerThreads); };
  server.set_keep_alive_timeout(1);  // idle connections let go soon, so that stop() is quick
  // SO_REUSEADDR only: httplib's default adds SO_REUSEPORT, which would let a second session
  // listen on the same port and take half of the pages' requests.
  server.set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  auto pre_routing = [this](const httplib::Request& req, httplib::Response& res) {
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Referrer-Policy", "no-referrer");
    res.set_header("Cache-Control", "no-store");
    if (req.method != "GET" && req.method != "HEAD") {  // HEAD: GET's answer without its body (RFC 9110)
      res.status = 405;
      res.set_header("Allow", "GET, HEAD");
      res.set_content("the live page is read-only: commands go to the facilitator's prompt\n", "text/plain");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (!token.empty() && !same_secret(req.get_param_value("token"), token)) {
      res.status = 403;
      res.set_content("open the address with the token the facilitator's terminal shows\n", "text/plain");
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  };
  guard = std::make_unique<ConnectionGuard>(server, pre_routing, options.request_deadline,
                                            is_loopback(options.host) ? 0 : kConnectionsPerAddress);
  // A page or file the room does not have: said in words, with what it does have.
  server.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.status != 404 || !res.body.empty()) return;
    res.set_content(
        "no such page: the live room serves / (the room), /charts, /team/ACTOR (a team's view, ACTOR its "
        "code) and their state.json\n",
        "text/plain");
  });
  server.Get("/", [this](const httplib::Request&, httplib::Response& res) { page("", res); });
  server.Get("/charts", [this](const httplib::Request&, httplib::Response& res) { page("", res, true); });
  server.Get("/events", [this](const httplib::Request&, httplib::Response& res) { stream("", res); });
  server.Get(R"(/team/([A-Za-z0-9_-]{1,40}))",
             [this](const httplib::Request& req, httplib::Response& res) { page(req.matches[1].str(), res); });
  server.Get(R"(/team/([A-Za-z0-9_-]{1,40})/events)",
             [this](const httplib::Request& req, httplib::Response& res) { stream(req.matches[1].str(), res); });
  auto json_of = [this](const std::string& key, httplib::Response& res) {
    std::lock_guard lock(mutex);
    const View* view = ready(key);
    if (!view) {
      res.status = 404;
      return;
    }
    res.set_content(json_text(view->snapshot), "application/json");
  };
  auto now_of = [this](const std::string& key, httplib::Response& res) {  // one event's payload
    std::lock_guard lock(mutex);
    if (stopping) return res.set_content(R"({"ended":true})", "application/json");
    const View* view = ready(key);
    if (!view) {
      res.status = 404;
      return;
    }
    last_poll = std::chrono::steady_clock::now();  // a page following by asking
    res.set_content(view->text, "application/json");
  };
  server.Get("/now.json", [now_of](const httplib::Request&, httplib::Response& res) { now_of("", res); });
  server.Get(R"(/team/([A-Za-z0-9_-]{1,40})/now.json)",
             [now_of](const httplib::Request& req, httplib::Response& res) { now_of(req.matches[1].str(), res); });
  server.Get("/state.json", [json_of](const httplib::Request&, httplib::Response& res) { json_of("", res); });
  server.Get(R"(/team/([A-Za-z0-9_-]{1,40})/state.json)",
             [json_of](const httplib::Request& req, httplib::Response& res) { json_of(req.matches[1].str(), res); });
  server.Get(R"(/js/([a-z-]{1,20}\.min\.js))", [this](const httplib::Request& req, httplib::Response& res) {
    auto it = scripts.find(req.matches[1].str());
    if (it == scripts.end()) {
      res.status = 404;
      return;
    }
    res.set_content(it->second, "text/javascript; charset=utf-8");
  });
  server.Get("/favicon.ico", [](const httplib::Request&, httplib::Response& res) { res.status = 204; });
  server.Get("/js/room.js", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(templates.files.at("room.js"), "text/javascript; charset=utf-8");
  });
}

RoomServer::RoomServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

RoomServer::~RoomServer() { stop(); }

std::unique_ptr<RoomServer> RoomServer::start(const RoomServerOptions& options, std::string& error) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  const std::string dir = default_templates_dir();
  if (dir.empty()) {
    error = "cannot find the live page's templates (a templates/ folder beside the program or in $GEOSIM_DATA)";
    return nullptr;
  }
  auto templates = load_room_templates(dir, error);
  if (!templates) return nullptr;
  impl->templates = std::move(*templates);
  auto scripts = load_room_scripts(default_report_js_dir(), error);
  if (!scripts) {
    error = fmt::format(
        "{} for the live page: run `npm ci` in geosim's source folder (scripts/install-deps.sh "
        "does), or set GEOSIM_JS_DIR",
        error);
    return nullptr;
  }
  impl->scripts = std::move(*scripts);
  if (!is_loopback(options.host)) impl->token = random_hex(16);
  impl->routes();
  impl->port = options.port == 0 ? impl->server.bind_to_any_port(options.host)
                                 : (impl->server.bind_to_port(options.host, options.port) ? options.port : -1);
  if (impl->port <= 0) {
    error = fmt::format(
        "cannot listen on {}:{} (in use, or not an address of this machine); choose another "
        "--port or --host",
        options.host, options.port);
    return nullptr;
  }
  impl->guard->watch_port(impl->port);
  Impl* raw = impl.get();
  {
    // The server's threads start with Ctrl-C and SIGTERM blocked: they go to the main thread,
    // where a step that holds them back (starting Graphviz, a set of renames) can.
    const InterruptsHeld held;
    impl->thread = std::thread([raw] { raw->server.listen_after_bind(); });
  }
  // stop() only stops a server that is running: wait until it is (at most 5 s).
  for (int k = 0; k < 5000 && !raw->server.is_running(); ++k) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return std::unique_ptr<RoomServer>(new RoomServer(std::move(impl)));
}

void RoomServer::publish(const Session& session) {
  auto now = std::make_shared<const Session>(session);
  auto before = std::make_shared<const Session>(last_turn(session));
  std::set<std::string> keys{""};
  for (const Actor& a : session.current().scenario.actors) keys.insert(a.id);
  {
    std::lock_guard lock(impl_->mutex);
    impl_->now = std::move(now);
    impl_->before = std::move(before);
    impl_->keys = std::move(keys);
    impl_->views.clear();
    impl_->chart_data.reset();
    ++impl_->version;
    impl_->ready("");  // the room's view, which the projector shows, now rather than at its first request
  }
  impl_->changed.notify_all();
}

void RoomServer::stop() {
  if (!impl_) return;
  bool asking = false;  // pages ask for now.json (they were turned away from the stream)
  {
    std::lock_guard lock(impl_->mutex);
    if (impl_->stopped) return;
    impl_->stopped = impl_->stopping = true;
    asking = impl_->last_poll && std::chrono::steady_clock::now() - *impl_->last_poll < kLinger * 2;
  }
  impl_->changed.notify_all();
  if (asking) std::this_thread::sleep_for(kLinger);  // every asking page asks once more
  impl_->server.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

int RoomServer::port() const { return impl_->port; }

std::string RoomServer::url(const std::string& path) const {
  const std::string& host = impl_->options.host;
  const bool any = host == "0.0.0.0" || host == "::";
  char name[256] = {};
  const std::string machine = ::gethostname(name, sizeof name - 1) == 0 && name[0] ? name : "THIS-MACHINE";
  const std::string shown = any ? machine : host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return fmt::format("http://{}:{}{}{}", shown, impl_->port, path, impl_->query());
}

}  // namespace geosim::cli
