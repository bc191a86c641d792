// Where qtrader's data folder is: the built-in strategies/ and scripts/,
// config/system.yaml and docs/ (docs/install.md "The data folder").
// Nothing of the source tree is compiled into the binary: a copied or
// installed tree finds its data folder relative to the executable.
#pragma once

#include <string>

namespace qtrader {

// The data folder, in this order:
//  1. $QTRADER_HOME, when set and not empty (must be a folder);
//  2. the nearest folder above the running executable that holds
//     share/qtrader: <prefix>/share/qtrader for <prefix>/bin/qtrader, and
//     <build>/share/qtrader (links into the source tree, made by CMake) for
//     any program of a build folder;
//  3. share/qtrader under the prefix the library was configured for
//     (CMAKE_INSTALL_PREFIX): applications linking an installed library.
// Throws std::runtime_error naming what was tried when none exists.
std::string find_data_home();

// The executable of this process (/proc/self/exe, links resolved); empty when unknown.
std::string executable_path();

}  // namespace qtrader
