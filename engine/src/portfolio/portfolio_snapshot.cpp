// Portfolio::snapshot / restore: every member that a fill, a bar or a
// valuation changes, so that a resumed run books exactly as the killed one.
#include <cmath>
#include <stdexcept>
#include <string>

#include "portfolio/portfolio.hpp"
#include "qtrader/snapshot_json.hpp"

namespace qtrader {

using namespace snapshot_json;

std::string Portfolio::snapshot() const {
  Json positions = Json::array();
  for (const Position& p : positions_) positions.push_back({p.quantity, p.last_price, p.open_cost});
  Json rows = Json::array();  // books_ grows as strategies trade: its shape as it is
  for (const auto& row : books_) rows.push_back(row.size());
  Json books = Json::array();  // only the books that ever held something
  for (std::size_t k = 0; k < books_.size(); ++k)
    for (std::size_t s = 0; s < books_[k].size(); ++s) {
      const Book& b = books_[k][s];
      if (b.quantity == 0.0 && b.lots.empty() && std::isnan(b.average_cost)) continue;
      Json lots = Json::array();
      for (const Lot& l : b.lots) lots.push_back({l.time, l.quantity, l.price, l.commission, l.order_id, l.mark});
      books.push_back({k, s, b.quantity, b.average_cost, lots});
    }
  Json totals = Json::array();
  for (const Totals& t : totals_)
    totals.push_back({t.realized, t.commissions, t.borrow_fees, t.dividends, t.trades, t.short_value});
  Json closed = Json::array();
  for (const ClosedTrade& t : closed_)
    closed.push_back({t.strategy, t.symbol, code(t.entry_side), t.entry_time, t.entry_price, t.exit_time,
                      t.exit_price, t.quantity, t.gross_pnl, t.commission, t.net_pnl, t.entry_order_id,
                      t.exit_order_id});
  Json ledger = Json::array();
  for (const LedgerEntry& e : ledger_) ledger.push_back({e.ts, code(e.kind), e.strategy, e.symbol, e.amount});
  return Json{{"cash", cash_},
              {"realized_pnl", realized_pnl_},
              {"commissions", commissions_},
              {"borrow_fees", borrow_fees_},
              {"dividends", dividends_},
              {"positions", positions},
              {"rows", rows},
              {"books", books},
              {"totals", totals},
              {"next_action", next_action_},
              {"closed", closed},
              {"ledger", ledger},
              {"last_valuation", last_valuation_}}
      .dump();
}

void Portfolio::restore(std::string_view text) {
  const Json j = Json::parse(text);
  const Json& positions = j.at("positions");
  if (positions.size() != positions_.size())
    throw std::runtime_error("checkpoint: the portfolio's symbols or strategies differ from the run's");
  cash_ = number(j.at("cash"));
  realized_pnl_ = number(j.at("realized_pnl"));
  commissions_ = number(j.at("commissions"));
  borrow_fees_ = number(j.at("borrow_fees"));
  dividends_ = number(j.at("dividends"));
  for (std::size_t s = 0; s < positions_.size(); ++s)
    positions_[s] = Position{number(positions[s][0]), number(positions[s][1]),
                             positions[s].size() > 2 ? number(positions[s][2]) : 0.0};
  const Json& rows = j.at("rows");
  books_.assign(rows.size(), {});
  for (std::size_t k = 0; k < rows.size(); ++k) books_[k].resize(rows[k].get<std::size_t>());
  for (const Json& b : j.at("books")) {
    Book& book = books_.at(b[0].get<std::size_t>()).at(b[1].get<std::size_t>());
    book.quantity = number(b[2]);
    book.average_cost = number(b[3]);
    for (const Json& l : b[4])
      book.lots.push_back(Lot{l[0].get<Timestamp>(), number(l[1]), number(l[2]), number(l[3]),
                              l[4].get<OrderId>(), l.size() > 5 ? number(l[5]) : number(l[2])});
  }
  const Json& totals = j.at("totals");
  totals_.assign(totals.size(), Totals{});
  for (std::size_t k = 0; k < totals_.size(); ++k) {
    const Json& t = totals[k];
    totals_[k] =
        Totals{number(t[0]), number(t[1]), number(t[2]), number(t[3]), t[4].get<std::size_t>(), number(t[5])};
  }
  next_action_ = j.at("next_action").get<std::vector<std::size_t>>();
  closed_.clear();
  for (const Json& t : j.at("closed"))
    closed_.push_back(ClosedTrade{t[0].get<StrategyIndex>(), t[1].get<SymbolId>(), enum_of<Side>(t[2]),
                                  t[3].get<Timestamp>(), number(t[4]), t[5].get<Timestamp>(), number(t[6]),
                                  number(t[7]), number(t[8]), number(t[9]), number(t[10]),
                                  t[11].get<OrderId>(), t[12].get<OrderId>()});
  ledger_.clear();
  for (const Json& e : j.at("ledger"))
    ledger_.push_back(LedgerEntry{e[0].get<Timestamp>(), enum_of<LedgerEntry::Kind>(e[1]),
                                  e[2].get<StrategyIndex>(), e[3].get<SymbolId>(), number(e[4])});
  last_valuation_ = j.at("last_valuation").get<Timestamp>();
}

}  // namespace qtrader
