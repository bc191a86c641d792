// One FIX 4.4 initiator session over QuickFIX: a SocketInitiator (its own
// thread: logon, heartbeats, sequence numbers, resend, reconnect) with a
// FileStore, so a restarted process resumes the session. FixBroker and
// FixMarketFeed each own one; their handler runs on QuickFIX's thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>

#include "fix/fix_session_config.hpp"
#include "fix/quickfix.hpp"

namespace qtrader::fix {

class FixInitiatorSession final : private FIX::Application {
 public:
  // Called on QuickFIX's thread.
  class Handler {
   public:
    virtual ~Handler() = default;
    virtual void on_logon() {}
    virtual void on_logout() {}
    virtual void on_app_message(const FIX::Message& message) = 0;
    // Session-level messages from the venue (Reject 35=3 among them).
    virtual void on_admin_message(const FIX::Message& message) {}
    // An application message about to be sent (first time or resend).
    virtual void on_sending(const FIX::Message& message) {}
  };

  // `role` names the session in the log ("broker", "feed").
  FixInitiatorSession(FixSessionConfig config, std::string role, Handler& handler);
  ~FixInitiatorSession() override;
  FixInitiatorSession(const FixInitiatorSession&) = delete;
  FixInitiatorSession& operator=(const FixInitiatorSession&) = delete;

  // Opens the store and starts connecting; throws std::runtime_error on a
  // settings or store error. Returns at once: see wait_for_logon.
  void start();
  // Logs out (waiting up to 2 s for the venue's answer), then disconnects.
  void stop();
  bool logged_on() const;
  bool wait_for_logon(std::chrono::milliseconds timeout);
  // Sends (or, while logged out, stores for the resend after the next
  // logon) an application message; false when QuickFIX refused it.
  bool send(FIX::Message& message);
  // The next MsgSeqNum we send and the one we expect; {0, 0} before start().
  std::pair<int, int> sequence_numbers() const;
  const FixSessionConfig& config() const noexcept { return config_; }
  const FIX::SessionID& id() const noexcept { return id_; }
  std::string describe() const;  // "broker session QTRADER->VENUE at 127.0.0.1:9000"

 private:
  void onCreate(const FIX::SessionID&) override {}
  void onLogon(const FIX::SessionID&) override;
  void onLogout(const FIX::SessionID&) override;
  void toAdmin(FIX::Message&, const FIX::SessionID&) override {}
  void toApp(FIX::Message&, const FIX::SessionID&) override;
  void fromAdmin(const FIX::Message&, const FIX::SessionID&) override;
  void fromApp(const FIX::Message&, const FIX::SessionID&) override;

  FixSessionConfig config_;
  std::string role_;
  Handler& handler_;
  FIX::SessionID id_;
  std::unique_ptr<FIX::SessionSettings> settings_;
  std::unique_ptr<FIX::FileStoreFactory> store_;
  std::unique_ptr<FIX::FileLogFactory> log_;
  std::unique_ptr<FIX::SocketInitiator> initiator_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool logged_on_ = false;
  bool stopping_ = false;  // a logout we asked for is not a disconnect
};

}  // namespace qtrader::fix
