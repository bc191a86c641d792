#include "fix/fix_dictionary.hpp"

#include <mutex>
#include <sstream>
#include <stdexcept>

namespace qtrader::fix {

std::shared_ptr<FIX::DataDictionary> fix44_dictionary() {
  static std::once_flag once;
  static std::shared_ptr<FIX::DataDictionary> dictionary;
  std::call_once(once, [] {
    std::istringstream xml{std::string(kFix44Spec)};
    dictionary = std::make_shared<FIX::DataDictionary>(xml);
  });
  return dictionary;
}

void attach_fix44_dictionary(const FIX::SessionID& id) {
  FIX::Session* session = FIX::Session::lookupSession(id);
  if (session == nullptr) throw std::logic_error("no FIX session " + id.toString());
  FIX::DataDictionaryProvider provider;
  provider.addTransportDataDictionary(id.getBeginString(), fix44_dictionary());
  session->setDataDictionaryProvider(provider);
}

}  // namespace qtrader::fix
