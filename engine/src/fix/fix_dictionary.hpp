// The FIX 4.4 data dictionary (QuickFIX's spec/FIX44.xml, engine/src/fix/spec/,
// its license beside it): compiled in, so no installed file can be missing
// or of another version. QuickFIX needs it to read repeating groups (market
// data entries) and validates every message against it.
#pragma once

#include <memory>
#include <string_view>

#include "fix/quickfix.hpp"

namespace qtrader::fix {

extern const std::string_view kFix44Spec;  // the XML, generated (cmake/EmbedText.cmake)

// Parsed on first use, shared by every session of the process.
std::shared_ptr<FIX::DataDictionary> fix44_dictionary();

// Hands the dictionary to the session `id` (created, not yet started).
void attach_fix44_dictionary(const FIX::SessionID& id);

}  // namespace qtrader::fix
