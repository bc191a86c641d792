#include "engine/exchange_bar_stream.hpp"

#include <spdlog/spdlog.h>

#include "qtrader/run_log.hpp"
#include "qtrader/time.hpp"

namespace qtrader {

ExchangeBarStream::ExchangeBarStream(std::unique_ptr<BarStream> inner, ExchangeClock clock,
                                     bool drop_outside, std::string symbol)
    : inner_(std::move(inner)), clock_(std::move(clock)), drop_outside_(drop_outside), symbol_(std::move(symbol)) {}

bool ExchangeBarStream::read(Bar& out) {
  const ExchangeCalendar* cal = clock_.calendar();
  while (inner_->next(out)) {
    const bool daily = clock_.at_local_midnight(out.ts);
    intraday_ = intraday_ || !daily;
    if (!cal) return true;
    const std::int64_t day = clock_.day_of(out.ts);
    if (!warned_ && !cal->is_session(day)) {
      warned_ = true;
      run_log().warn("{}: bars on days that are no {} session, the first on {}", symbol_, cal->name(),
                   format_date(day * kNanosPerDay));
    }
    if (drop_outside_ && !daily && !cal->in_session(out.ts)) continue;
    return true;
  }
  return false;
}

bool ExchangeBarStream::next(Bar& out) {
  if (!started_) {
    started_ = true;
    if (!read(out)) return false;
  } else {
    if (!has_ahead_) return false;
    out = ahead_;
  }
  has_ahead_ = read(ahead_);
  flags_ = closes_session(out, has_ahead_ ? &ahead_ : nullptr) ? kBarSessionClose : 0;
  return true;
}

const ExchangeBarStream::Session& ExchangeBarStream::session_of(std::int64_t day) {
  if (session_.day == day) return session_;
  const ExchangeCalendar& cal = *clock_.calendar();
  session_.day = day;
  session_.open = cal.is_session(day);
  if (session_.open) {
    session_.start = cal.session_open(day);
    session_.end = cal.session_close(day);
  }
  return session_;
}

bool ExchangeBarStream::closes_session(const Bar& bar, const Bar* ahead) {
  if (clock_.at_local_midnight(bar.ts)) return true;  // a daily bar is its whole session
  const std::int64_t day = clock_.day_of(bar.ts);
  if (!clock_.calendar()) return !ahead || clock_.day_of(ahead->ts) != day;
  const Session& s = session_of(day);
  if (!s.open || bar.ts < s.start || bar.ts >= s.end) return false;  // pre- or post-market
  return !ahead || ahead->ts >= s.end;
}

}  // namespace qtrader
