// The three forms of a suite's outcome: lines for a person, TAP (version 13)
// and JUnit XML for CI. All deterministic: no times, files and cases in run order.
#pragma once

#include <ostream>

#include "testkit/test_suite.hpp"

namespace qtrader::testkit {

void write_console_report(std::ostream& out, const SuiteResult& suite);
void write_tap_report(std::ostream& out, const SuiteResult& suite);
void write_junit_report(std::ostream& out, const SuiteResult& suite);

}  // namespace qtrader::testkit
