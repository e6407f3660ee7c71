# ctrace_add_test(): a ctest test that runs its program under
# `ctrace record` and fails when a latency budget is exceeded.
#
#   ctrace_add_test(NAME name COMMAND prog [args...]
#                   BUDGET region=duration[@pNN] [...]
#                   [TRACE_DIR dir] [WORKING_DIRECTORY dir]
#                   [RECORD_OPTIONS opts...])
#
# The test runs `ctrace record --force --check BUDGET... -o TRACE_DIR --
# prog args...`: it fails with the program's own status when the program
# fails, else with 1 when a budget is exceeded (its output names the slow
# instances and what they waited for), or 2 when a budget names no region
# or task of the trace. prog may be an executable target of the project.
# TRACE_DIR defaults to ${CMAKE_CURRENT_BINARY_DIR}/ctrace/<name>; it is
# replaced on every run and left for `ctrace analyze` or `ctrace view`.
# RECORD_OPTIONS go to `ctrace record` (e.g. --sample-hz 0); the variable
# CTRACE_RECORD_OPTIONS adds options to every test (e.g. --private-daemon).

function(ctrace_add_test)
  cmake_parse_arguments(PARSE_ARGV 0 ARG "" "NAME;TRACE_DIR;WORKING_DIRECTORY"
    "COMMAND;BUDGET;RECORD_OPTIONS")
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "ctrace_add_test: unexpected arguments: ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT ARG_NAME OR NOT ARG_COMMAND)
    message(FATAL_ERROR "ctrace_add_test: NAME and COMMAND are required")
  endif()
  if(NOT ARG_TRACE_DIR)
    set(ARG_TRACE_DIR "${CMAKE_CURRENT_BINARY_DIR}/ctrace/${ARG_NAME}")
  endif()
  # `ctrace record` creates the trace directory, not its parents.
  get_filename_component(parent "${ARG_TRACE_DIR}" DIRECTORY)
  file(MAKE_DIRECTORY "${parent}")

  set(checks)
  foreach(budget IN LISTS ARG_BUDGET)
    list(APPEND checks --check "${budget}")
  endforeach()
  # add_test resolves a target name only as the first word of COMMAND.
  list(POP_FRONT ARG_COMMAND prog)
  if(TARGET "${prog}")
    set(prog "$<TARGET_FILE:${prog}>")
  endif()
  set(wd)
  if(ARG_WORKING_DIRECTORY)
    set(wd WORKING_DIRECTORY "${ARG_WORKING_DIRECTORY}")
  endif()
  add_test(NAME "${ARG_NAME}"
    COMMAND "${CTRACE_EXECUTABLE}" record --force ${checks} ${CTRACE_RECORD_OPTIONS}
            ${ARG_RECORD_OPTIONS} -o "${ARG_TRACE_DIR}" -- "${prog}" ${ARG_COMMAND}
    ${wd})
endfunction()
