# The engine's version, in one place: PROJECT_VERSION and the git commit the
# tree was configured from. Generates, under <build>/generated:
#   include/qtrader/version.hpp  QTRADER_VERSION_* macros and the functions below
#   version.cpp                  their definitions (the commit lives only here,
#                                so a new commit recompiles one file)
# Outside a git checkout (a release tarball) the commit is "unknown";
# packagers may pass -DQTRADER_GIT_COMMIT=... and -DQTRADER_GIT_DESCRIBE=....

find_package(Git QUIET)
set(_commit "unknown")
set(_describe "unknown")
if(GIT_FOUND)
  execute_process(COMMAND ${GIT_EXECUTABLE} rev-parse --short=12 HEAD
                  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR} RESULT_VARIABLE _rc
                  OUTPUT_VARIABLE _out OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(_rc EQUAL 0 AND _out)
    set(_commit "${_out}")
    execute_process(COMMAND ${GIT_EXECUTABLE} describe --tags --always --dirty
                    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
                    OUTPUT_VARIABLE _describe OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    # Configure again when HEAD moves (a checkout) or its branch does (a
    # commit), so the commit written into results is the one built.
    execute_process(COMMAND ${GIT_EXECUTABLE} symbolic-ref -q HEAD
                    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR} OUTPUT_VARIABLE _branch
                    OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    foreach(_ref HEAD ${_branch})
      execute_process(COMMAND ${GIT_EXECUTABLE} rev-parse --git-path ${_ref}
                      WORKING_DIRECTORY ${PROJECT_SOURCE_DIR} OUTPUT_VARIABLE _path
                      OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
      get_filename_component(_path "${_path}" ABSOLUTE BASE_DIR "${PROJECT_SOURCE_DIR}")
      if(EXISTS "${_path}")
        set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${_path}")
      endif()
    endforeach()
  endif()
endif()
if(NOT DEFINED QTRADER_GIT_COMMIT)
  set(QTRADER_GIT_COMMIT "${_commit}")
endif()
if(NOT DEFINED QTRADER_GIT_DESCRIBE)
  set(QTRADER_GIT_DESCRIBE "${_describe}")
endif()
if(NOT QTRADER_GIT_DESCRIBE)
  set(QTRADER_GIT_DESCRIBE "${QTRADER_GIT_COMMIT}")
endif()

set(QTRADER_GENERATED_DIR ${PROJECT_BINARY_DIR}/generated)
configure_file(${CMAKE_CURRENT_LIST_DIR}/version.hpp.in ${QTRADER_GENERATED_DIR}/include/qtrader/version.hpp @ONLY)
configure_file(${CMAKE_CURRENT_LIST_DIR}/version.cpp.in ${QTRADER_GENERATED_DIR}/version.cpp @ONLY)
message(STATUS "qtrader ${PROJECT_VERSION}, commit ${QTRADER_GIT_COMMIT} (${QTRADER_GIT_DESCRIBE})")
