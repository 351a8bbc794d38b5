// The live page of `geosim play --serve`, through the real program: pages and the event stream
// answer, a step typed at the prompt reaches an open stream, the page shows what `status`
// prints, only GET is served, and off loopback every request needs the printed token.
#include <gtest/gtest.h>
#include <httplib.h>

#include <memory>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <condition_variable>
#include <optional>
#include <regex>
#include <thread>

#include "geosim/io/loader.hpp"
#include "support/cli.hpp"
#include "support/live_play.hpp"
#include "support/raw_socket.hpp"

namespace geosim {
namespace {

using namespace std::chrono_literals;
using testing::LivePlay;
using testing::status_indicators;

/// The events of an open event stream, as they come.
class Stream {
 public:
  Stream(int port, const std::string& path) : client_("127.0.0.1", port) {
    client_.set_read_timeout(30, 0);
    thread_ = std::thread([this, path] {
      client_.Get(path.c_str(), [this](const char* data, std::size_t size) {
        std::lock_guard lock(mutex_);
        text_.append(data, size);
        for (std::size_t end; (end = text_.find("\n\n")) != std::string::npos; text_.erase(0, end + 2))
          events_.push_back(text_.substr(0, end));
        arrived_.notify_all();
        return !closed_;
      });
      std::lock_guard lock(mutex_);
      ended_ = true;
      arrived_.notify_all();
    });
  }
  ~Stream() {
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
    }
    client_.stop();
    thread_.join();
  }
  /// The data of the next "state" event after the first `skip` events, within `timeout`.
  std::optional<nlohmann::json> state(std::size_t index, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    if (!arrived_.wait_for(lock, timeout, [&] { return states().size() > index || ended_; })) return std::nullopt;
    auto all = states();
    if (all.size() <= index) return std::nullopt;
    return nlohmann::json::parse(all[index]);
  }
  bool ended(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return arrived_.wait_for(lock, timeout, [&] {
      for (const auto& e : events_)
        if (e.starts_with("event: end")) return true;
      return ended_;
    });
  }

 private:
  std::vector<std::string> states() const {
    std::vector<std::string> out;
    for (const auto& e : events_)
      if (e.starts_with("event: state\ndata: ")) out.push_back(e.substr(19));
    return out;
  }
  httplib::Client client_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::string text_;
  std::vector<std::string> events_;
  bool closed_ = false;
  bool ended_ = false;
};

nlohmann::json get_json(int port, const std::string& path) {
  httplib::Client client("127.0.0.1", port);
  auto res = client.Get(path.c_str());
  if (!res || res->status != 200) return nullptr;
  return nlohmann::json::parse(res->body);
}

TEST(RoomServer, PagesAndTheStreamAnswerOnLoopbackWithoutAToken) {
  LivePlay play({"play", "realignment", "--serve", "--port", "0"});
  ASSERT_GT(play.port(), 0) << play.output();
  EXPECT_TRUE(play.url().starts_with("http://127.0.0.1:")) << play.url();
  EXPECT_EQ(play.url().find("token"), std::string::npos);
  httplib::Client client("127.0.0.1", play.port());
  auto room = client.Get("/");
  ASSERT_TRUE(room);
  EXPECT_EQ(room->status, 200);
  EXPECT_NE(room->body.find("Indicators"), std::string::npos);
  // Every script carries the nonce the Content-Security-Policy names, and nothing else runs.
  const std::string csp = room->get_header_value("Content-Security-Policy");
  std::smatch nonce;
  ASSERT_TRUE(std::regex_search(csp, nonce, std::regex("script-src 'nonce-([0-9a-f]{32})'"))) << csp;
  EXPECT_NE(room->body.find("<script nonce=\"" + nonce[1].str() + "\" src=\"/js/cytoscape.min.js\">"),
            std::string::npos);
  EXPECT_NE(csp.find("default-src 'none'"), std::string::npos);
  EXPECT_NE(client.Get("/")->get_header_value("Content-Security-Policy"), csp) << "a fresh nonce per page";
  auto team = client.Get("/team/SGP");
  ASSERT_TRUE(team);
  EXPECT_EQ(team->status, 200);
  EXPECT_EQ(client.Get("/team/XYZ")->status, 404);
  EXPECT_EQ(client.Get("/js/cytoscape.min.js")->status, 200);
  EXPECT_EQ(client.Get("/js/room.js")->status, 200);
  EXPECT_EQ(client.Get("/js/nothing.min.js")->status, 404);
  // Every 404 says why in words, never an empty page.
  for (const char* path : {"/nowhere", "/team/XYZ", "/team/XYZ/state.json", "/js/nothing.min.js", "/team/a/b/c"}) {
    const auto missing = client.Get(path);
    ASSERT_TRUE(missing) << path;
    EXPECT_EQ(missing->status, 404) << path;
    EXPECT_NE(missing->body.find("no "), std::string::npos) << path << ": " << missing->body;
  }
  // The charts page: the chart libraries served, and eval allowed for Vega on that page only.
  auto charts = client.Get("/charts");
  ASSERT_TRUE(charts);
  EXPECT_EQ(charts->status, 200);
  EXPECT_NE(charts->get_header_value("Content-Security-Policy").find("'unsafe-eval'"), std::string::npos);
  EXPECT_EQ(csp.find("'unsafe-eval'"), std::string::npos) << "the room view runs no eval";
  for (const char* library : {"vega", "vega-lite", "vega-embed"}) {
    EXPECT_NE(charts->body.find(std::string("src=\"/js/") + library + ".min.js\""), std::string::npos) << library;
    auto script = client.Get((std::string("/js/") + library + ".min.js").c_str());
    ASSERT_TRUE(script);
    EXPECT_EQ(script->status, 200) << library;
    EXPECT_GT(script->body.size(), 10000u) << library;
  }
  Stream stream(play.port(), "/events");
  const auto first = stream.state(0, 5s);
  ASSERT_TRUE(first);
  EXPECT_NE((*first)["html"].get<std::string>().find("Indicators"), std::string::npos);
  EXPECT_TRUE((*first)["chart"]["screen"].contains("concat")) << "the room's stream carries the charts page's spec";
  EXPECT_TRUE((*first)["chart"]["print"][0].contains("concat")) << "and its size on paper";
  play.send("quit");
  EXPECT_TRUE(stream.ended(5s)) << "the open page is told the session ended";
  EXPECT_EQ(play.finish(), 0) << play.output();
  EXPECT_FALSE(httplib::Client("127.0.0.1", play.port()).Get("/")) << "the server stopped with the session";
}

TEST(RoomServer, AStepAtThePromptReachesAnOpenPageWithinOneSecond) {
  LivePlay play({"play", "realignment", "--serve", "--port", "0"});
  ASSERT_GT(play.port(), 0) << play.output();
  Stream stream(play.port(), "/events");
  const auto first = stream.state(0, 5s);
  ASSERT_TRUE(first);
  play.send("step");
  const auto start = std::chrono::steady_clock::now();
  const auto next = stream.state(1, 1000ms);
  ASSERT_TRUE(next) << "no new state within a second of `step`";
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1000ms);
  EXPECT_NE((*next)["html"].get<std::string>().find("id=\"step\">1<"), std::string::npos);
  // A page that connects now (or reconnects) gets the current state at once.
  Stream late(play.port(), "/events");
  const auto current = late.state(0, 5s);
  ASSERT_TRUE(current);
  EXPECT_EQ((*current)["version"], (*next)["version"]);
}

TEST(RoomServer, PagesBeyondTheStreamLimitAskEveryFewSecondsAndPagesStillLoad) {
  LivePlay play({"play", "realignment", "--serve", "--port", "0"});
  ASSERT_GT(play.port(), 0) << play.output();
  // 48 open streams (the limit, apps/room_server.cpp), each holding one of the 64 threads.
  std::vector<std::unique_ptr<Stream>> open;
  for (int k = 0; k < 48; ++k) {
    open.push_back(std::make_unique<Stream>(play.port(), k % 2 ? "/events" : "/team/SGP/events"));
    ASSERT_TRUE(open.back()->state(0, 10s)) << "stream " << k;
  }
  httplib::Client client("127.0.0.1", play.port());
  client.set_read_timeout(5, 0);
  auto refused = client.Get("/events");
  ASSERT_TRUE(refused) << "the 49th stream is answered at once, not left waiting";
  EXPECT_EQ(refused->status, 503);
  EXPECT_EQ(refused->get_header_value("Retry-After"), "10");
  // Pages still load, and say where to ask instead; what they get there is the stream's payload.
  auto page = client.Get("/team/SGP");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("/team/SGP/now.json"), std::string::npos);
  play.send("step");
  const auto streamed = open[1]->state(1, 5s);
  ASSERT_TRUE(streamed);
  auto now = client.Get("/now.json");
  ASSERT_TRUE(now);
  ASSERT_EQ(now->status, 200);
  EXPECT_EQ(nlohmann::json::parse(now->body), *streamed) << "the room's payload, as its stream sent it";
  EXPECT_EQ(client.Get("/team/XYZ/now.json")->status, 404);
  ASSERT_EQ(client.Get("/team/SGP/now.json")->status, 200);  // a page asking, just before the end
  play.send("quit");
  for (auto& s : open) EXPECT_TRUE(s->ended(5s));
  // A page that asks learns the end too: the server answers {"ended": true} for one asking
  // interval (3 s, templates/room.js) before it closes.
  std::optional<std::chrono::steady_clock::time_point> first_told, last_told;
  const auto quit = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - quit < 10s) {
    httplib::Client asker("127.0.0.1", play.port());
    asker.set_read_timeout(2, 0);
    auto answer = asker.Get("/team/SGP/now.json");
    if (!answer) break;  // closed
    if (answer->status == 200 && nlohmann::json::parse(answer->body).value("ended", false)) {
      last_told = std::chrono::steady_clock::now();
      if (!first_told) first_told = last_told;
    }
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_TRUE(first_told) << "a page asking every 3 s is told the session ended before the server closes";
  EXPECT_GE(*last_told - *first_told, 2500ms) << "told for an asking interval, so that every asking page hears it";
  EXPECT_EQ(play.finish(), 0) << play.output();
}

TEST(RoomServer, TheSnapshotHasTheIndicatorsStatusPrints) {
  LivePlay play({"play", "realignment", "--serve", "--port", "0"});
  ASSERT_GT(play.port(), 0) << play.output();
  play.send("step 3");
  play.send("status");
  ASSERT_TRUE(play.wait_for("Tension (row", 10s)) << play.output();
  const auto printed = status_indicators(play.output());
  const nlohmann::json view = get_json(play.port(), "/state.json");
  ASSERT_TRUE(view.is_object());
  EXPECT_EQ(view["step"], 3);
  ASSERT_FALSE(view["indicators"].empty());
  EXPECT_EQ(printed.size(), view["indicators"].size()) << play.output();
  for (const auto& i : view["indicators"]) {
    ASSERT_TRUE(printed.count(i["title"])) << i["title"];
    EXPECT_EQ(printed.at(i["title"]), i["now_text"]) << i["title"];
  }
}

TEST(RoomServer, ATeamViewHasOnlyItsRelationsAndNoFutureEvents) {
  LivePlay play({"play", "realignment", "--serve", "--port", "0"});
  ASSERT_GT(play.port(), 0) << play.output();
  const nlohmann::json view = get_json(play.port(), "/team/SGP/state.json");
  ASSERT_TRUE(view.is_object());
  ASSERT_FALSE(view["network"]["edges"].empty());
  for (const auto& e : view["network"]["edges"]) EXPECT_TRUE(e["source"] == "SGP" || e["target"] == "SGP") << e.dump();
  for (const auto& r : view["team"]["relations"]) EXPECT_NE(r["id"], "SGP");
  // No title of a scheduled event still ahead, on the page or in its data.
  LoadResult loaded = load_scenario(std::string(GEOSIM_SCENARIOS_DIR) + "/realignment.yaml");
  ASSERT_TRUE(loaded.ok());
  httplib::Client client("127.0.0.1", play.port());
  const std::string page = client.Get("/team/SGP")->body + view.dump() + client.Get("/")->body;
  int ahead = 0;
  for (const Event& e : loaded.scenario->events)
    if (e.timing != Timing::never) {
      ++ahead;
      EXPECT_EQ(page.find(e.title), std::string::npos) << e.title;
      EXPECT_EQ(page.find(e.id), std::string::npos) << e.id;
    }
  EXPECT_GT(ahead, 0);
}

TEST(RoomServer, EveryMethodButGetAndHeadIsRefusedAndChangesNothing) {
  LivePlay play({"play", "realignment", "--serve", "--port", "0"});
  ASSERT_GT(play.port(), 0) << play.output();
  httplib::Client client("127.0.0.1", play.port());
  EXPECT_EQ(client.Post("/", "step", "text/plain")->status, 405);
  EXPECT_EQ(client.Put("/state.json", "{}", "application/json")->status, 405);
  EXPECT_EQ(client.Delete("/")->status, 405);
  EXPECT_EQ(client.Options("/")->status, 405);
  EXPECT_EQ(client.Options("/")->get_header_value("Allow"), "GET, HEAD");
  EXPECT_EQ(get_json(play.port(), "/state.json")["step"], 0);
}

TEST(RoomServer, HeadAnswersAsGetWithoutTheBody) {
  LivePlay play({"play", "realignment", "--serve", "--port", "0"});
  ASSERT_GT(play.port(), 0) << play.output();
  httplib::Client client("127.0.0.1", play.port());
  for (const char* path : {"/", "/charts", "/state.json", "/now.json", "/team/SGP", "/js/room.js"}) {
    const auto get = client.Get(path);
    const auto head = client.Head(path);
    ASSERT_TRUE(get && head) << path;
    EXPECT_EQ(head->status, 200) << path;
    EXPECT_EQ(head->status, get->status) << path;
    EXPECT_EQ(head->get_header_value("Content-Type"), get->get_header_value("Content-Type")) << path;
    EXPECT_EQ(head->body, "") << path;
    EXPECT_FALSE(get->body.empty()) << path;
  }
  const auto missing = client.Head("/team/NOBODY/state.json");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
}

TEST(RoomServer, AnEmptyHostIsRefusedInOneLine) {
  // "" would listen on [::1] only and print "live page: http://:PORT/": refused before the session starts.
  const testing::Output o = testing::run_cli("play realignment --serve --port 0 --host ''");
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, "geosim: error: '--host' was given an empty value: give one, or leave the option out\n");
  EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 1) << o.err;
}

TEST(RoomServer, OffLoopbackEveryRequestNeedsThePrintedToken) {
  LivePlay play({"play", "realignment", "--serve", "--port", "0", "--host", "0.0.0.0"});
  ASSERT_GT(play.port(), 0) << play.output();
  std::smatch token;
  ASSERT_TRUE(std::regex_search(play.url(), token, std::regex(R"(\?token=([0-9a-f]{32})$)"))) << play.url();
  httplib::Client client("127.0.0.1", play.port());
  for (const char* path : {"/", "/events", "/team/SGP", "/state.json", "/js/room.js", "/charts", "/js/vega.min.js"}) {
    EXPECT_EQ(client.Get(path)->status, 403) << path << " without the token";
    EXPECT_EQ(client.Get((std::string(path) + "?token=0123456789abcdef0123456789abcdef").c_str())->status, 403) << path;
  }
  auto page = client.Get(("/?token=" + token[1].str()).c_str());
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  // The page passes the token on to its scripts and its event stream.
  EXPECT_NE(page->body.find("/js/room.js?token=" + token[1].str()), std::string::npos);
  EXPECT_NE(page->body.find("/events?token=" + token[1].str()), std::string::npos);
  Stream stream(play.port(), "/events?token=" + token[1].str());
  EXPECT_TRUE(stream.state(0, 5s));
}

// Off loopback, one laptop may hold at most 16 connections: its 17th is closed at once, while
// another laptop's page still loads (room_guard.hpp; the deadline is tested there).
TEST(RoomServer, OffLoopbackOneAddressCannotHoldEveryThread) {
  LivePlay play({"play", "realignment", "--serve", "--port", "0", "--host", "0.0.0.0"});
  ASSERT_GT(play.port(), 0) << play.output();
  std::smatch token;
  ASSERT_TRUE(std::regex_search(play.url(), token, std::regex(R"(\?token=([0-9a-f]{32})$)"))) << play.url();
  std::vector<int> held;
  for (int k = 0; k < 16; ++k) held.push_back(testing::connect_from("127.0.0.1", play.port()));
  std::this_thread::sleep_for(300ms);
  const int extra = testing::connect_from("127.0.0.1", play.port());
  bool closed = false;
  EXPECT_EQ(testing::read_all(extra, 2000ms, closed), "");
  EXPECT_TRUE(closed) << "the 17th connection from one address is closed at once";
  const int other = testing::connect_from("127.0.0.2", play.port());
  testing::send_text(other, "GET /?token=" + token[1].str() + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const std::string page = testing::read_all(other, 5000ms, closed);
  EXPECT_EQ(page.rfind("HTTP/1.1 200", 0), 0u) << page.substr(0, 200);
  for (int sock : held) ::close(sock);
  ::close(extra);
  ::close(other);
}

TEST(RoomServer, NamesAndRationalesAreEscapedOnThePage) {
  LivePlay play({"play", "realignment", "--serve", "--port", "0"});
  ASSERT_GT(play.port(), 0) << play.output();
  play.send(R"(inject adhoc "<img src=x onerror=alert(1)>" SGP->VNM tension +0.1)");
  play.send(R"(move SGP asean-dialogue "<b>keep</b> ASEAN & us together")");
  play.send("step");
  play.send("status");
  ASSERT_TRUE(play.wait_for("Tension (row", 10s)) << play.output();
  httplib::Client client("127.0.0.1", play.port());
  const std::string page = client.Get("/")->body;
  EXPECT_EQ(page.find("<img src=x"), std::string::npos);
  EXPECT_NE(page.find("&lt;img src=x onerror=alert(1)&gt;"), std::string::npos);
  EXPECT_NE(page.find("&lt;b&gt;keep&lt;/b&gt; ASEAN &amp; us together"), std::string::npos);
  EXPECT_NE(page.find("SGP played the policy"), std::string::npos);
  const nlohmann::json team = get_json(play.port(), "/team/SGP/state.json");
  ASSERT_EQ(team["team"]["moves"].size(), 1u);
  EXPECT_EQ(team["team"]["moves"][0]["rationale"], "<b>keep</b> ASEAN & us together");
  EXPECT_TRUE(get_json(play.port(), "/team/VNM/state.json")["team"]["moves"].empty());
}

TEST(RoomServer, ABusyPortIsOneClearError) {
  LivePlay first({"play", "realignment", "--serve", "--port", "0"});
  ASSERT_GT(first.port(), 0);
  LivePlay second({"play", "realignment", "--serve", "--port", std::to_string(first.port())});
  EXPECT_EQ(second.port(), 0);
  EXPECT_EQ(second.finish(), 1);
}

}  // namespace
}  // namespace geosim
