# Builds the two probes of this folder (ctest runs it): the control must
# compile, the sideways include must fail for the reason that it cannot see
# the other service's header, not for any other.
foreach(var BUILD_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "${var} is not set")
  endif()
endforeach()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BUILD_DIR} --target arch_probe_own
                RESULT_VARIABLE own_rc OUTPUT_VARIABLE own_out ERROR_VARIABLE own_out)
if(NOT own_rc EQUAL 0)
  message(FATAL_ERROR "the control probe does not build:\n${own_out}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BUILD_DIR} --target arch_probe_sideways
                RESULT_VARIABLE side_rc OUTPUT_VARIABLE side_out ERROR_VARIABLE side_out)
if(side_rc EQUAL 0)
  message(FATAL_ERROR "strategy included an execution header and it built: the architecture is not enforced")
endif()
if(NOT side_out MATCHES "execution/fill_rules.hpp: No such file or directory")
  message(FATAL_ERROR "the sideways probe failed for another reason:\n${side_out}")
endif()
message(STATUS "sideways include refused: execution/fill_rules.hpp is out of the strategy service's reach")
