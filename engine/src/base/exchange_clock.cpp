#include "qtrader/exchange_clock.hpp"

namespace qtrader {

bool ExchangeClock::at_local_midnight(Timestamp utc) const {
  Timestamp in_day = zone_.to_local(utc) % kNanosPerDay;
  if (in_day < 0) in_day += kNanosPerDay;
  return in_day == 0;
}

Timestamp ExchangeClock::day_order_end(Timestamp placed, Timestamp first_bar) const {
  const ExchangeCalendar* cal = calendar_.get();
  if (at_local_midnight(placed)) {
    std::int64_t day = day_of(first_bar);
    if (!cal) return zone_.day_start(day + 1);
    day = cal->session_on_or_after(day);
    // A daily first bar stands for the session it is stamped with: the order
    // lives through that session's close (end_of_bar expires it after the bar).
    return cal->session_close(day);
  }
  std::int64_t day = day_of(placed);
  if (!cal) return zone_.day_start(day + 1);
  day = cal->session_on_or_after(day);
  if (placed >= cal->session_close(day)) day = cal->next_session(day);
  return cal->session_close(day);
}

}  // namespace qtrader
