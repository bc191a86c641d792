// What the engine offers to scripts. The Lua host (bindings/) binds these
// interfaces to the `ctx` object; the strategy and risk services implement them.
// Methods throw std::exception subclasses for misuse (unknown symbol, bad
// intention, ...); the binding turns them into Lua errors with the script's line.
#pragma once

#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "qtrader/config.hpp"
#include "qtrader/exchange_clock.hpp"
#include "qtrader/types.hpp"

namespace qtrader {

class Indicator;

struct SignalRequest {
  SymbolId symbol = kNoSymbol;
  Intention intention = Intention::OpenLong;
  double price = kNaN;
  double confidence = kNaN;
  double stop_loss = kNaN;
  double take_profit = kNaN;
  std::string tag;
  OrderSpec order;  // order_type, limit_price, stop_price, trail_amount/percent, tif, expiry
  // A quantity the strategy asks for (targets set it); NaN: the risk policy
  // sizes. Policies may still cap or refuse it.
  double quantity = kNaN;
};

// A position a strategy wants to hold (ctx:target_*, ctx:rebalance).
enum class TargetKind { Quantity, Value, Percent };
struct PositionTarget {
  SymbolId symbol = kNoSymbol;
  TargetKind kind = TargetKind::Quantity;
  double amount = 0.0;  // shares; money; or a fraction of equity (0.1 = 10 %)
};

enum class LogLevel { Trace, Debug, Info, Warn, Error };
template <> std::span<const char* const> names_of<LogLevel>() noexcept;

// Point-in-time model signals (docs/signals.md), implemented by the signals
// service (engine/src/signals) so that the strategy service need not link it.
class SignalLookup {
 public:
  virtual ~SignalLookup() = default;
  // The latest value of signal `name` for `symbol` whose availability is at
  // or before `now`; nullopt when none is. Throws std::invalid_argument when
  // no source defines `name`.
  virtual std::optional<double> latest(std::string_view name, SymbolId symbol, Timestamp now) const = 0;
};

// One per strategy instance per run.
class StrategyContext {
 public:
  virtual ~StrategyContext() = default;
  virtual const std::string& strategy_id() const = 0;
  virtual Timestamp now() const = 0;
  virtual bool is_warmup() const = 0;
  virtual std::span<const SymbolId> universe() const = 0;
  // kNoSymbol when the name is not loaded in this run.
  virtual SymbolId symbol(std::string_view name) const = 0;
  virtual const std::string& symbol_name(SymbolId) const = 0;
  // Net position (signed shares), cash and equity as of the current bar.
  virtual double position(SymbolId) const = 0;
  virtual double cash() const = 0;
  virtual double equity() const = 0;
  // Creates (or shares) an indicator on `symbol`; the returned pointer lives
  // as long as the run. Throws std::invalid_argument on an unknown kind or field.
  virtual const Indicator* indicator(std::string_view kind, SymbolId symbol,
                                     std::string_view field, std::span<const double> args) = 0;
  // Validates and queues a signal for this timestamp's risk evaluation. Throws
  // std::invalid_argument (unknown symbol, non-finite number) or
  // std::logic_error (warm-up, outside on_bar, too many signals).
  // Returns the signal's run-unique id (orders and on_order events carry it).
  virtual std::uint64_t emit_signal(const SignalRequest&) = 0;
  // Signals that move the strategy's own positions to `targets`: every
  // reduction first, then every increase, so a batch's sales pay for its
  // buys. Appends the ids of the signals emitted (none for a target already
  // held). docs/lua-api.md "Targets".
  virtual void rebalance(std::span<const PositionTarget> targets, std::string_view tag,
                         std::vector<std::uint64_t>& signal_ids) {
    (void)targets, (void)tag, (void)signal_ids;
    throw std::logic_error("targets are not supported by this context");
  }
  virtual void log(LogLevel, std::string_view message) = 0;

  // ---- history, records and cancels: implemented by the strategy service ---------
  // The bar field `ago` bars back (0 = the current bar); NaN before the
  // symbol's first bar or beyond the kept history. Never a future bar.
  virtual double value(SymbolId, std::string_view field, int ago) const = 0;
  // The last `n` values of `field`, oldest first, into `out` (fewer at the start of the data).
  virtual void history(SymbolId, std::string_view field, int n, std::vector<double>& out) const = 0;
  // Keeps at least `n` bars of every symbol from now on (value/history ask
  // for it implicitly; call it before the first bar to get full windows at once).
  virtual void keep_history(int) {}
  // A named series saved with the run (events.sqlite and records.csv).
  virtual void record(std::string_view name, double value, SymbolId symbol = kNoSymbol) = 0;
  // Asks execution to cancel a working order of this strategy.
  virtual void cancel_order(OrderId id) = 0;
  // Asks execution to change a working order of this strategy (ctx:modify_order):
  // NaN keeps a field as it is. The answer arrives in on_order.
  struct OrderChange {
    double quantity = kNaN;
    double limit_price = kNaN;
    double stop_price = kNaN;
  };
  virtual void modify_order(OrderId /*id*/, const OrderChange& /*change*/) {
    throw std::logic_error("ctx:modify_order is not available to this context");
  }
  // The trading day of `symbol`'s exchange (its source's zone and calendar),
  // or of the run for kNoSymbol; nullptr: UTC days, no calendar.
  virtual const ExchangeClock* exchange(SymbolId) const { return nullptr; }
  // Also delivers `symbol`'s bars of `timeframe` ("5m", "1h", "1d", ...) to
  // on_bar, consolidated by the engine (docs/data.md "Consolidated bars").
  // Allowed before the first bar only.
  virtual void subscribe(SymbolId, std::string_view /*timeframe*/) {
    throw std::logic_error("ctx:subscribe is not available to this context");
  }
  // ctx:signal: the latest value of model signal `name` for `symbol` known at
  // now() (docs/signals.md); nullopt while none is available.
  virtual std::optional<double> signal(std::string_view /*name*/, SymbolId) const {
    throw std::logic_error("ctx:signal: the backtest declares no `signals:`");
  }
};

// ---- risk policies ---------------------------------------------------------------
struct RiskSignal {  // one signal of the batch, as the policy sees it
  std::uint64_t signal_id;
  std::string strategy_id;
  SymbolId symbol;
  Intention intention;
  double price, confidence, stop_loss, take_profit;
  std::string tag;
  OrderSpec order;
  double quantity = kNaN;  // the strategy's requested quantity (targets); NaN: the policy sizes
};

// What a strategy's on_order callback receives: an order was accepted, was
// rejected (by warm-up, the risk policy or execution), or changed state.
struct OrderNotice {
  Timestamp ts = 0;
  OrderId order_id = 0;          // 0 when rejected before an order existed
  std::uint64_t signal_id = 0;
  SymbolId symbol = kNoSymbol;
  const char* status = "";       // "accepted", "rejected", "partially_filled", "filled", "cancelled", "expired"
  bool has_side = false;         // accepted orders only
  Side side = Side::Buy;
  double quantity = kNaN;        // accepted: the order's size
  double filled_quantity = kNaN; // updates: filled so far
  double remaining_quantity = kNaN;
  std::string_view reason;       // rejections, cancellations, expiries
};

struct RiskPortfolio {
  double cash, equity, gross_exposure, net_exposure;
};

// A policy's answer for one signal: an order of `quantity` (> 0; the side
// follows the intention) or a rejection with a reason.
struct RiskDecision {
  std::uint64_t signal_id = 0;
  double quantity = 0.0;
  bool rejected = false;
  std::string reason;
};

// What a risk policy may read while it decides.
class RiskContext {
 public:
  virtual ~RiskContext() = default;
  virtual Timestamp now() const = 0;
  virtual const std::string& symbol_name(SymbolId) const = 0;
  virtual SymbolId symbol(std::string_view name) const = 0;
  virtual double position(SymbolId) const = 0;
  virtual double price(SymbolId) const = 0;  // last close seen; NaN if none
  // A future's contract multiplier (1 for shares) and whether it is one
  // (docs/futures.md): value sizing counts quantity * multiplier * price.
  virtual double multiplier(SymbolId) const { return 1.0; }
  virtual bool is_future(SymbolId) const { return false; }
  virtual double cash() const = 0;
  virtual double equity() const = 0;
  // Commission the execution model would charge for `quantity` at `price`.
  virtual double commission(SymbolId, double quantity, double price) const = 0;
  virtual void log(LogLevel, std::string_view message) = 0;

  // Market history, the same that strategies read (no look-ahead: bars up to
  // now()). Not pure so that simple contexts (tests) need not provide it.
  virtual double value(SymbolId, std::string_view, int) const {
    throw std::logic_error("ctx:value is not available to this risk context");
  }
  virtual void history(SymbolId, std::string_view, int, std::vector<double>&) const {
    throw std::logic_error("ctx:history is not available to this risk context");
  }
  virtual void keep_history(int) {}
};

}  // namespace qtrader
