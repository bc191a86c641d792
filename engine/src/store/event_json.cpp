#include "store/event_json.hpp"

#include <fmt/compile.h>

#include <cmath>
#include <iterator>

#include "qtrader/time.hpp"

namespace qtrader::event_json {

namespace {

// Appends `,"key":value` (or `{"key":value` for the first field).
class Object {
 public:
  explicit Object(Buffer& b) : b_(b) { b_.push_back('{'); }
  ~Object() { b_.push_back('}'); }
  Object& num(std::string_view key, double v) {
    if (v != v) return *this;  // NaN: an optional field that was not given
    this->key(key);
    fmt::format_to(std::back_inserter(b_), FMT_COMPILE("{}"), v);
    return *this;
  }
  Object& integer(std::string_view key, std::uint64_t v) {
    this->key(key);
    fmt::format_to(std::back_inserter(b_), FMT_COMPILE("{}"), v);
    return *this;
  }
  Object& str(std::string_view key, std::string_view v) {
    this->key(key);
    write_string(b_, v);
    return *this;
  }
  Object& str_if(std::string_view key, std::string_view v) { return v.empty() ? *this : str(key, v); }

 private:
  void key(std::string_view k) {
    if (!first_) b_.push_back(',');
    first_ = false;
    b_.push_back('"');
    b_.append(k);
    b_.append(std::string_view("\":"));
  }
  Buffer& b_;
  bool first_ = true;
};

void write_order_spec(Object& o, const OrderSpec& s) {
  o.str("order_type", to_string(s.type)).str("tif", to_string(s.tif));
  o.num("limit_price", s.limit_price).num("stop_price", s.stop_price);
  o.num("trail_amount", s.trail_amount).num("trail_percent", s.trail_percent);
  if (s.tif == TimeInForce::GTD) o.str("expiry", format_timestamp(s.expiry));
}

}  // namespace

void write_string(Buffer& b, std::string_view text) {
  b.push_back('"');
  for (char c : text) {
    switch (c) {
      case '"': b.append(std::string_view("\\\"")); break;
      case '\\': b.append(std::string_view("\\\\")); break;
      case '\n': b.append(std::string_view("\\n")); break;
      case '\r': b.append(std::string_view("\\r")); break;
      case '\t': b.append(std::string_view("\\t")); break;
      default:
        if (static_cast<unsigned char>(c) < 0x20)
          fmt::format_to(std::back_inserter(b), "\\u{:04x}", static_cast<unsigned>(c));
        else
          b.push_back(c);
    }
  }
  b.push_back('"');
}

void write(Buffer& b, const BacktestStartEvent& e) {
  Object(b).str("start", format_timestamp(e.ts)).str("end", format_timestamp(e.end)).num("initial_equity", e.initial_equity);
}

void write(Buffer& b, const SignalEvent& e) {
  Object o(b);
  o.integer("signal_id", e.signal_id).str("intention", to_string(e.intention));
  o.num("price", e.price).num("confidence", e.confidence).num("stop_loss", e.stop_loss).num("take_profit", e.take_profit);
  o.str_if("tag", e.tag);
  o.num("quantity", e.quantity);
  if (e.order.type != OrderType::Market || e.order.tif != TimeInForce::GTC) write_order_spec(o, e.order);
}

void write(Buffer& b, const OrderEvent& e) {
  Object o(b);
  o.integer("order_id", e.order_id).integer("signal_id", e.signal_id).str("side", to_string(e.side));
  o.num("quantity", e.quantity);
  write_order_spec(o, e.spec);
  if (e.parent_id) o.integer("parent_id", e.parent_id);
  o.num("stop_loss", e.stop_loss).num("take_profit", e.take_profit);
  if (e.end_of_data) o.integer("end_of_data", 1);
  if (e.origin != OrderEvent::Origin::Strategy)
    o.str("origin", origin_name(e.origin));
  if (e.moved_from) o.integer("moved_from", e.moved_from);
}

void write(Buffer& b, const OrderRejectedEvent& e) {
  Object(b).integer("order_id", e.order_id).integer("signal_id", e.signal_id).str("reason", e.reason);
}

void write(Buffer& b, const OrderUpdateEvent& e) {
  Object(b).integer("order_id", e.order_id).integer("signal_id", e.signal_id).str("status", to_string(e.status))
      .num("filled_quantity", e.filled_quantity).num("remaining_quantity", e.remaining_quantity).str_if("reason", e.reason);
}

void write(Buffer& b, const CancelRequestEvent& e) { Object(b).integer("order_id", e.order_id); }

void write(Buffer& b, const ModifyOrderEvent& e) {
  Object(b).integer("order_id", e.order_id).num("quantity", e.quantity).num("limit_price", e.limit_price)
      .num("stop_price", e.stop_price);
}

// A script may record NaN, which JSON cannot hold: it is kept as the text
// records.csv prints ("nan" or "-nan"), so a replay writes the same file.
void write(Buffer& b, const RecordEvent& e) {
  Object o(b);
  o.str("name", e.name);
  if (e.value != e.value)
    o.str("value", std::signbit(e.value) ? "-nan" : "nan");
  else
    o.num("value", e.value);
}

void write(Buffer& b, const FillEvent& e) {
  Object o(b);
  o.integer("order_id", e.order_id).str("side", to_string(e.side)).num("quantity", e.quantity)
      .num("price", e.price).num("commission", e.commission).integer("signal_id", e.signal_id);
  if (e.origin != OrderEvent::Origin::Strategy) o.str("origin", origin_name(e.origin));
}

// Positions are not repeated on every timestamp: they follow from the fills,
// and a row per position per bar would dominate a large universe's store.
void write(Buffer& b, const PortfolioStateEvent& e) {
  Object(b).num("cash", e.cash).num("equity", e.equity).num("gross_exposure", e.gross_exposure)
      .num("net_exposure", e.net_exposure).num("realized_pnl", e.realized_pnl)
      .num("unrealized_pnl", e.unrealized_pnl).integer("open_positions", e.positions.size());
}

void write(Buffer& b, const BacktestEndEvent& e) { Object(b).integer("bars_processed", e.bars_processed); }

void write(Buffer& b, const CorporateActionEvent& e) {
  Object(b).str("action", e.dividend ? "dividend" : "split").num("value", e.value).str("ex_date", format_timestamp(e.ex_date));
}

}  // namespace qtrader::event_json
