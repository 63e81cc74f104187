# tune_add_plugin(<target> SOURCES <files...> [LANGUAGE C|CXX] [OUTPUT_DIRECTORY <dir>])
#
# Builds a tune plugin library: a MODULE named <target>.so whose only exported symbol is
# tune_plugin_entry (hidden visibility plus a linker version script), linked against the SDK
# (and, for a C plugin, the C math library).
# Unresolved symbols fail the link, not the load (except in a Clang sanitizer build, whose
# runtimes the loading executable holds: TUNE_PLUGIN_RUNTIME_IN_HOST).
set(TUNE_PLUGIN_VERSION_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/tune_plugin.map" CACHE INTERNAL "")

function(tune_add_plugin target)
  cmake_parse_arguments(ARG "" "LANGUAGE;OUTPUT_DIRECTORY" "SOURCES" ${ARGN})
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "tune_add_plugin(${target}): SOURCES is required")
  endif()
  add_library(${target} MODULE ${ARG_SOURCES})
  if(ARG_LANGUAGE STREQUAL "C")
    target_link_libraries(${target} PRIVATE tune::abi)
    # C's math functions (log, exp, sqrt) live in libm, which the C compiler does not link by
    # itself (the C++ one does, through libstdc++): without it a C plugin that calls log()
    # fails -z defs below.
    if(UNIX AND NOT APPLE)
      target_link_libraries(${target} PRIVATE m)
    endif()
  else()
    target_link_libraries(${target} PRIVATE tune::sdk)
  endif()
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    LINK_DEPENDS "${TUNE_PLUGIN_VERSION_SCRIPT}")
  if(ARG_OUTPUT_DIRECTORY)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${ARG_OUTPUT_DIRECTORY}")
  elseif(DEFINED TUNE_PLUGIN_OUTPUT_DIR)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${TUNE_PLUGIN_OUTPUT_DIR}")
  endif()
  set_property(GLOBAL APPEND PROPERTY TUNE_PLUGIN_TARGETS ${target})
  target_link_options(${target} PRIVATE "LINKER:--version-script=${TUNE_PLUGIN_VERSION_SCRIPT}")
  # Clang links its sanitizer and libFuzzer runtimes into executables only: a plugin built with
  # them finds those symbols in the host when it is loaded (set by tune's own sanitizer build).
  if(NOT TUNE_PLUGIN_RUNTIME_IN_HOST)
    target_link_options(${target} PRIVATE "LINKER:-z,defs")
  endif()
endfunction()
