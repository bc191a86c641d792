// The exception a call must throw, returned for the test to inspect.
#pragma once

#include <stdexcept>

#include <catch2/catch.hpp>

namespace qtrader::test {

template <class E, class F>
E expect_error(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e;
  }
  FAIL("expected the call to throw");
  throw std::logic_error("unreachable");
}

}  // namespace qtrader::test
