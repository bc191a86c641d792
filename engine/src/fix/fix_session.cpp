#include "fix/fix_session.hpp"

#include <filesystem>
#include <stdexcept>
#include <system_error>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "fix/fix_dictionary.hpp"

namespace qtrader::fix {

namespace {

FIX::Dictionary initiator_settings(const FixSessionConfig& c) {
  FIX::Dictionary d;
  d.setString(FIX::CONNECTION_TYPE, "initiator");
  d.setString(FIX::SOCKET_CONNECT_HOST, c.host);
  d.setInt(FIX::SOCKET_CONNECT_PORT, c.port);
  d.setString(FIX::SOCKET_NODELAY, "Y");
  d.setInt(FIX::HEARTBTINT, c.heartbeat_seconds);
  d.setInt(FIX::RECONNECT_INTERVAL, c.reconnect_seconds);
  d.setInt(FIX::LOGON_TIMEOUT, c.logon_timeout_seconds);
  d.setString(FIX::START_TIME, c.session_start);
  d.setString(FIX::END_TIME, c.session_end);
  d.setString(FIX::FILE_STORE_PATH, c.store_dir);
  // Sequence numbers survive logouts, disconnects and restarts: a gap is
  // filled by resending from the store, never by starting over.
  d.setString(FIX::RESET_ON_LOGON, "N");
  d.setString(FIX::RESET_ON_LOGOUT, "N");
  d.setString(FIX::RESET_ON_DISCONNECT, "N");
  d.setString(FIX::PERSIST_MESSAGES, "Y");
  // The dictionary is attached to the session after it is created (fix_dictionary.hpp).
  d.setString(FIX::USE_DATA_DICTIONARY, "N");
  return d;
}

void make_folder(const std::string& dir, const char* what) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw std::runtime_error(fmt::format("FIX {} folder {}: {}", what, dir, ec.message()));
}

}  // namespace

FixInitiatorSession::FixInitiatorSession(FixSessionConfig config, std::string role, Handler& handler)
    : config_(std::move(config)),
      role_(std::move(role)),
      handler_(handler),
      id_(FIX::BeginString_FIX44, config_.sender_comp_id, config_.target_comp_id) {
  check_fix_session_config(config_);
}

FixInitiatorSession::~FixInitiatorSession() { stop(); }

std::string FixInitiatorSession::describe() const {
  return fmt::format("{} session {}->{} at {}:{}", role_, config_.sender_comp_id, config_.target_comp_id,
                     config_.host, config_.port);
}

void FixInitiatorSession::start() {
  if (initiator_) return;
  make_folder(config_.store_dir, "store");
  if (!config_.log_dir.empty()) make_folder(config_.log_dir, "log");
  try {
    settings_ = std::make_unique<FIX::SessionSettings>();
    // The initiator reads some settings (ReconnectInterval, SocketNodelay)
    // from the defaults only: the same dictionary is both.
    settings_->set(initiator_settings(config_));
    settings_->set(id_, initiator_settings(config_));
    store_ = std::make_unique<FIX::FileStoreFactory>(*settings_);
    FIX::Application& application = *this;
    if (!config_.log_dir.empty()) {
      log_ = std::make_unique<FIX::FileLogFactory>(config_.log_dir);
      initiator_ = std::make_unique<FIX::SocketInitiator>(application, *store_, *settings_, *log_);
    } else {
      initiator_ = std::make_unique<FIX::SocketInitiator>(application, *store_, *settings_);
    }
    attach_fix44_dictionary(id_);
    initiator_->start();
  } catch (const FIX::Exception& e) {
    initiator_.reset();
    throw std::runtime_error(fmt::format("{}: {}", describe(), e.what()));
  }
  spdlog::info("FIX {}: connecting (store {})", describe(), config_.store_dir);
}

void FixInitiatorSession::stop() {
  if (!initiator_) return;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  if (FIX::Session* session = FIX::Session::lookupSession(id_); session && logged_on()) {
    session->logout("qtrader stopping");
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, std::chrono::seconds(2), [&] { return !logged_on_; });
  }
  initiator_->stop(true);
  initiator_.reset();
  log_.reset();
  store_.reset();
  settings_.reset();
  std::lock_guard lock(mutex_);
  logged_on_ = false;
  stopping_ = false;
}

bool FixInitiatorSession::logged_on() const {
  std::lock_guard lock(mutex_);
  return logged_on_;
}

bool FixInitiatorSession::wait_for_logon(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return logged_on_; });
}

bool FixInitiatorSession::send(FIX::Message& message) {
  try {
    return FIX::Session::sendToTarget(message, id_);
  } catch (const FIX::SessionNotFound&) {
    return false;
  }
}

std::pair<int, int> FixInitiatorSession::sequence_numbers() const {
  FIX::Session* session = initiator_ ? FIX::Session::lookupSession(id_) : nullptr;
  if (session == nullptr) return {0, 0};
  return {session->getExpectedSenderNum(), session->getExpectedTargetNum()};
}

void FixInitiatorSession::onLogon(const FIX::SessionID&) {
  const auto [sent, expected] = sequence_numbers();
  spdlog::info("FIX {}: logged on (next MsgSeqNum out {}, in {})", describe(), sent, expected);
  {
    std::lock_guard lock(mutex_);
    logged_on_ = true;
  }
  changed_.notify_all();
  handler_.on_logon();
}

void FixInitiatorSession::onLogout(const FIX::SessionID&) {
  bool stopping = false;
  {
    std::lock_guard lock(mutex_);
    logged_on_ = false;
    stopping = stopping_;
  }
  if (stopping)
    spdlog::info("FIX {}: logged out", describe());
  else
    spdlog::warn("FIX {}: logged out or disconnected; reconnecting every {} s", describe(),
                 config_.reconnect_seconds);
  changed_.notify_all();
  handler_.on_logout();
}

void FixInitiatorSession::toApp(FIX::Message& message, const FIX::SessionID&) { handler_.on_sending(message); }

void FixInitiatorSession::fromAdmin(const FIX::Message& message, const FIX::SessionID&) {
  handler_.on_admin_message(message);
}

void FixInitiatorSession::fromApp(const FIX::Message& message, const FIX::SessionID&) {
  handler_.on_app_message(message);
}

}  // namespace qtrader::fix
