#include "live/broker.hpp"

namespace qtrader::live {

std::string_view name_of(ExecutionKind kind) {
  switch (kind) {
    case ExecutionKind::New: return "new";
    case ExecutionKind::PartialFill: return "partial_fill";
    case ExecutionKind::Fill: return "fill";
    case ExecutionKind::Cancelled: return "cancelled";
    case ExecutionKind::Rejected: return "rejected";
    case ExecutionKind::Expired: return "expired";
    case ExecutionKind::Status: return "status";
    case ExecutionKind::Replaced: return "replaced";
    case ExecutionKind::CancelRejected: return "cancel_rejected";
  }
  return "unknown";
}

}  // namespace qtrader::live
