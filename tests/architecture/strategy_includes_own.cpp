// Must compile: the control for strategy_includes_execution.cpp (a component
// reaches its own headers and those of what it links).
#include "strategy/bar_history.hpp"
#include "indicators/indicator_base.hpp"
