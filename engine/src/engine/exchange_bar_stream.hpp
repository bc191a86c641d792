// A symbol's bars as its exchange sees them. With a calendar: intraday bars
// outside the regular session are dropped (outside_session: drop) or kept
// (keep; strategies ask ctx:calendar():in_session(ts)), and the first bar on
// a day that is no session (a weekend, a holiday) is warned about once per
// symbol. Every stream also looks one bar ahead, so that by the time the
// merger has read each stream's first bar (BarMerger's constructor) the run
// can decide whether its timestamps are written as dates or as instants.
#pragma once

#include <climits>
#include <memory>
#include <string>

#include "qtrader/data.hpp"
#include "qtrader/exchange_clock.hpp"

namespace qtrader {

class ExchangeBarStream : public BarStream {
 public:
  ExchangeBarStream(std::unique_ptr<BarStream> inner, ExchangeClock clock, bool drop_outside,
                    std::string symbol);
  bool next(Bar& out) override;
  // True once a bar read so far (the first two at least) is not at the
  // exchange's local midnight: the source is intraday.
  bool intraday() const noexcept { return intraday_; }
  // kBarSessionClose when the bar next() gave is the last of its session: a
  // daily bar; with a calendar the last bar inside the regular session (its
  // early close respected) before the bar ahead leaves it; without one the
  // last bar of the exchange's local day. The last bar of the data is one too.
  std::uint8_t flags() const noexcept override { return flags_; }
  // The inner stream's source while every one of its bars passes unchanged
  // (nothing is dropped outside the session).
  const BarSource* source() const noexcept override {
    return drop_outside_ && clock_.calendar() ? nullptr : inner_->source();
  }

 private:
  bool read(Bar& out);  // the next bar the exchange keeps
  bool closes_session(const Bar& bar, const Bar* ahead);
  // The session of one local day, looked up once per day.
  struct Session {
    std::int64_t day = INT64_MIN;
    bool open = false;  // a session day
    Timestamp start = 0, end = 0;
  };
  const Session& session_of(std::int64_t day);

  std::unique_ptr<BarStream> inner_;
  ExchangeClock clock_;  // a copy: its zone caches an offset period
  bool drop_outside_;
  std::string symbol_;
  Bar ahead_;
  bool has_ahead_ = false, started_ = false, warned_ = false, intraday_ = false;
  std::uint8_t flags_ = 0;
  Session session_;
};

}  // namespace qtrader
