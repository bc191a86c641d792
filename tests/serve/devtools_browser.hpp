// Debian's headless Chromium driven over the DevTools protocol (a WebSocket,
// with the test's own Beast client): open a page, run JavaScript in it, take
// screenshots. For the web app's test, which fills a form and clicks.
#pragma once

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include <boost/beast/core/detail/base64.hpp>

#include "serve_client.hpp"

namespace qtrader::test {

class DevtoolsBrowser {
 public:
  DevtoolsBrowser(const std::string& chromium, const std::filesystem::path& profile) {
    std::filesystem::create_directories(profile);
    const std::string user_data = "--user-data-dir=" + profile.string();
    const pid_t parent = getpid();
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork");
    if (pid_ == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (getppid() != parent) _exit(127);
      const std::string log = (profile / "chromium.log").string();
      if (!freopen(log.c_str(), "w", stderr) || !freopen("/dev/null", "w", stdout)) _exit(127);
      execl(chromium.c_str(), chromium.c_str(), "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
            "--disable-extensions", "--hide-scrollbars", "--window-size=1280,900", "--remote-debugging-port=0",
            user_data.c_str(), "about:blank", static_cast<char*>(nullptr));
      _exit(127);
    }
    // Chromium writes its port and browser path once it listens.
    const auto active = profile / "DevToolsActivePort";
    std::string port, path;
    for (int i = 0; i < 400 && path.empty(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
      std::ifstream in(active);
      std::getline(in, port);
      std::getline(in, path);
    }
    if (path.empty()) throw std::runtime_error("chromium did not start (see " + (profile / "chromium.log").string() + ")");
    ws_ = std::make_unique<WsTestClient>(static_cast<unsigned short>(std::stoi(port)), path);
  }
  // Closes the browser (its helper processes with it), killing it if it does not end within 5 s.
  ~DevtoolsBrowser() {
    try {
      session_.clear();
      call("Browser.close", nlohmann::json::object());
    } catch (const std::exception&) {
    }
    ws_.reset();
    for (int i = 0; i < 100; ++i) {
      if (waitpid(pid_, nullptr, WNOHANG) == pid_) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }

  // Opens `url` in a new tab, which later calls use.
  void open(const std::string& url) {
    const auto target = call("Target.createTarget", {{"url", url}});
    session_.clear();
    session_ = call("Target.attachToTarget", {{"targetId", target["targetId"]}, {"flatten", true}})["sessionId"];
  }

  // The value of a JavaScript expression in the page (promises awaited).
  nlohmann::json eval(const std::string& expression) {
    const auto r = call("Runtime.evaluate", {{"expression", expression}, {"awaitPromise", true}, {"returnByValue", true}});
    if (r.contains("exceptionDetails")) throw std::runtime_error("page script failed: " + r["exceptionDetails"].dump());
    return r["result"].value("value", nlohmann::json());
  }

  // Polls `expression` until it is true; false after `timeout`.
  bool wait_for(const std::string& expression, std::chrono::milliseconds timeout) {
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < end) {
      if (eval(expression) == true) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  void screenshot(const std::filesystem::path& png) {
    const std::string data = call("Page.captureScreenshot", {{"format", "png"}})["data"];
    std::string bytes(boost::beast::detail::base64::decoded_size(data.size()), '\0');
    const auto n = boost::beast::detail::base64::decode(bytes.data(), data.data(), data.size());
    bytes.resize(n.first);
    std::ofstream(png, std::ios::binary) << bytes;
  }

 private:
  nlohmann::json call(const std::string& method, const nlohmann::json& params) {
    const int id = ++last_id_;
    nlohmann::json message{{"id", id}, {"method", method}, {"params", params}};
    if (!session_.empty()) message["sessionId"] = session_;
    ws_->send(message.dump());
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < end) {
      const auto reply = ws_->next(std::chrono::milliseconds(500));
      if (!reply || !reply->contains("id") || (*reply)["id"] != id) continue;  // events
      if (reply->contains("error")) throw std::runtime_error(method + ": " + (*reply)["error"].dump());
      return (*reply)["result"];
    }
    throw std::runtime_error(method + ": no answer from chromium");
  }

  pid_t pid_ = -1;
  std::unique_ptr<WsTestClient> ws_;
  std::string session_;
  int last_id_ = 0;
};

}  // namespace qtrader::test
