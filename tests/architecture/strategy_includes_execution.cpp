// Must NOT compile: the strategy service does not depend on execution, so
// execution's headers are out of its reach (cmake/QtraderComponent.cmake).
#include "execution/fill_rules.hpp"
#include "strategy/bar_history.hpp"
