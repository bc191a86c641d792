#include "qtrader/lua/call_monitor.hpp"

#include <sys/mman.h>

#include <cerrno>
#include <cstring>
#include <new>
#include <stdexcept>

#include <fmt/format.h>

namespace qtrader {

namespace {

CallPublisher* g_publisher = nullptr;  // set once, in a supervised child

}  // namespace

CallMonitor::CallMonitor() {
  void* p = ::mmap(nullptr, sizeof(CallMonitorPage), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED)
    throw std::runtime_error(fmt::format("cannot map the supervisor's shared page: {}", std::strerror(errno)));
  page_ = new (p) CallMonitorPage();
}

CallMonitor::~CallMonitor() {
  page_->~CallMonitorPage();
  ::munmap(page_, sizeof(CallMonitorPage));
}

void CallMonitor::attach_in_child() {
  // Leaked on purpose: the child ends with _exit, and hosts made until then use it.
  g_publisher = new CallPublisher(*page_);
}

CallMonitor::Running CallMonitor::running() const {
  Running r;
  r.call = page_->call.load(std::memory_order_acquire);
  if (r.call == 0) return r;
  r.thread = page_->thread.load(std::memory_order_relaxed);
  const std::uint32_t id = page_->identity.load(std::memory_order_relaxed);
  const std::uint32_t used = page_->names_used.load(std::memory_order_acquire);
  if (id == 0 || id - 1 + sizeof(double) >= used) return r;
  const char* entry = page_->names + (id - 1);
  std::memcpy(&r.budget_seconds, entry, sizeof(double));
  const char* end = page_->names + used;
  const char* script = entry + sizeof(double);
  const char* script_end = static_cast<const char*>(std::memchr(script, '\0', end - script));
  if (!script_end) return r;
  const char* callback_end = static_cast<const char*>(std::memchr(script_end + 1, '\0', end - script_end - 1));
  if (!callback_end) return r;
  r.script.assign(script, script_end);
  r.callback.assign(script_end + 1, callback_end);
  return r;
}

std::string CallMonitor::results_dir() const {
  const std::uint32_t n = page_->results_dir_size.load(std::memory_order_acquire);
  return n == 0 || n > CallMonitorPage::kResultsDirBytes ? std::string() : std::string(page_->results_dir, n);
}

std::uint32_t CallPublisher::identity(const std::string& script, const char* callback, double budget_seconds) {
  std::string key = script;
  key += '\0';
  key += callback;
  key += '\0';
  const std::size_t at = key.size();
  key.append(reinterpret_cast<const char*>(&budget_seconds), sizeof budget_seconds);
  if (const auto found = known_.find(key); found != known_.end()) return found->second;
  const std::uint32_t used = page_.names_used.load(std::memory_order_relaxed);
  std::uint32_t id = 0;
  if (used + sizeof(double) + at <= CallMonitorPage::kNamesBytes) {
    std::memcpy(page_.names + used, &budget_seconds, sizeof budget_seconds);
    std::memcpy(page_.names + used + sizeof(double), key.data(), at);
    // Released before any call names it: the parent reads whole entries only.
    page_.names_used.store(static_cast<std::uint32_t>(used + sizeof(double) + at), std::memory_order_release);
    id = used + 1;
  }
  known_.emplace(std::move(key), id);
  return id;
}

void CallPublisher::publish_results_dir(const std::string& dir) {
  const std::size_t n = std::min(dir.size(), CallMonitorPage::kResultsDirBytes);
  std::memcpy(page_.results_dir, dir.data(), n);
  page_.results_dir_size.store(static_cast<std::uint32_t>(n), std::memory_order_release);
}

CallPublisher* attached_call_publisher() noexcept { return g_publisher; }

}  // namespace qtrader
