// The execution service: keeps working orders and fills them against later
// bars of their symbol per the fill policy (next_bar_open: a market order
// created at T fills at the open of the symbol's first bar after T).
#pragma once

#include <vector>

#include "execution/commission.hpp"
#include "portfolio/portfolio.hpp"
#include "qtrader/config.hpp"
#include "qtrader/event_bus.hpp"

namespace qtrader {

class ExecutionService {
 public:
  ExecutionService(EventBus& bus, const ExecutionConfig& config, const PortfolioView& portfolio,
                   std::size_t symbol_count);

  const CommissionModel& commission() const noexcept { return commission_; }
  std::size_t working_orders() const noexcept { return working_count_; }

 private:
  void on_order(const OrderEvent&);
  void on_bar(const BarEvent&);

  EventBus& bus_;
  CommissionModel commission_;
  const PortfolioView& portfolio_;
  std::vector<std::vector<OrderEvent>> working_;  // per symbol, in arrival order
  std::vector<OrderEvent> filling_;               // reused scratch
  std::size_t working_count_ = 0;
};

}  // namespace qtrader
