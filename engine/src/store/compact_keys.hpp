// The compact events.sqlite's short keys (output.event_store.form: compact).
// The trading events (signals, orders, rejections, order updates, fills) are
// most of a run's rows after the bars, and their key names were half their
// JSON: the store writes each of those keys as one letter ("order_id" -> "p")
// and the `events` view (sqlite_event_store.hpp) spells them out again, so a
// query sees the same JSON as in the full form, byte for byte. Every key of
// those events is longer than one letter, so a one-letter key is always a
// code; keys not in the table pass unchanged.
#pragma once

#include <string>
#include <string_view>

#include "qtrader/events.hpp"

namespace qtrader::compact_keys {

// Whether events of this type are written with short keys.
bool shortened(EventType type) noexcept;

// Appends `json` (a flat object: string, number keys and values, no nesting)
// to `out` with each known key replaced by its letter.
void shorten(std::string_view json, std::string& out);

// Appends `json` with its one-letter keys spelt out: the inverse of
// shorten(), and what expand_sql() does in SQL (the readers in C++ use this).
void expand(std::string_view json, std::string& out);

// The SQL expression that spells out the keys of `column`'s JSON.
std::string expand_sql(std::string_view column);

}  // namespace qtrader::compact_keys
