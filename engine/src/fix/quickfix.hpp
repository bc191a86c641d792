// The one way this project includes QuickFIX (Debian's libquickfix-dev 1.15.1).
//
// Its headers predate C++17: they declare dynamic exception specifications,
// `throw(FieldNotFound)`, which C++17 made ill-formed (a hard error in GCC),
// and fall back to std::auto_ptr unless told that std::unique_ptr exists.
// The library was built in C++11 mode; neither changes a type's layout or a
// mangled name, so the specifications are blanked while its headers are read
// and put back after. Every standard header they use is included first, so
// the macro never touches the standard library's own declarations.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <deque>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <queue>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#ifndef HAVE_STD_UNIQUE_PTR
#define HAVE_STD_UNIQUE_PTR 1
#endif
#ifndef HAVE_STD_SHARED_PTR
#define HAVE_STD_SHARED_PTR 1
#endif

#pragma push_macro("throw")
#define throw(...)
#include <quickfix/Application.h>
#include <quickfix/DataDictionary.h>
#include <quickfix/DataDictionaryProvider.h>
#include <quickfix/FileLog.h>
#include <quickfix/FileStore.h>
#include <quickfix/Message.h>
#include <quickfix/Session.h>
#include <quickfix/SessionID.h>
#include <quickfix/SessionSettings.h>
#include <quickfix/SocketAcceptor.h>
#include <quickfix/SocketInitiator.h>
#include <quickfix/fix44/BusinessMessageReject.h>
#include <quickfix/fix44/ExecutionReport.h>
#include <quickfix/fix44/MarketDataIncrementalRefresh.h>
#include <quickfix/fix44/MarketDataRequest.h>
#include <quickfix/fix44/MarketDataRequestReject.h>
#include <quickfix/fix44/MarketDataSnapshotFullRefresh.h>
#include <quickfix/fix44/NewOrderSingle.h>
#include <quickfix/fix44/OrderCancelReject.h>
#include <quickfix/fix44/OrderCancelRequest.h>
#include <quickfix/fix44/OrderCancelReplaceRequest.h>
#include <quickfix/fix44/OrderMassStatusRequest.h>
#include <quickfix/fix44/OrderStatusRequest.h>
#include <quickfix/fix44/PositionReport.h>
#include <quickfix/fix44/Reject.h>
#include <quickfix/fix44/RequestForPositions.h>
#include <quickfix/fix44/RequestForPositionsAck.h>
#include <quickfix/fix44/SecurityStatus.h>
#undef throw
#pragma pop_macro("throw")
