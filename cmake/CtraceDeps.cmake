# Finds every dependency through pkg-config (or by path for programs and
# data files) and stops configuration with the Debian package to install
# when one is missing. scripts/install-deps.sh installs them all.
find_package(PkgConfig)
if(NOT PKG_CONFIG_FOUND)
  message(FATAL_ERROR "ctrace needs pkg-config: apt-get install pkg-config (or run scripts/install-deps.sh)")
endif()

function(ctrace_require_module var module debpkg)
  pkg_check_modules(${var} QUIET IMPORTED_TARGET GLOBAL ${module})
  if(NOT ${var}_FOUND)
    message(FATAL_ERROR "ctrace needs ${module}: apt-get install ${debpkg} (or run scripts/install-deps.sh)")
  endif()
endfunction()

function(ctrace_require_program var name debpkg)
  find_program(${var} ${name})
  if(NOT ${var})
    message(FATAL_ERROR "ctrace needs the program ${name}: apt-get install ${debpkg} (or run scripts/install-deps.sh)")
  endif()
endfunction()

ctrace_require_module(LTTNG_UST lttng-ust liblttng-ust-dev)
ctrace_require_module(BABELTRACE2 babeltrace2 libbabeltrace2-dev)
ctrace_require_module(SDL2 sdl2 libsdl2-dev)
ctrace_require_module(SDL2_TTF SDL2_ttf libsdl2-ttf-dev)
ctrace_require_module(PROTOBUF_C libprotobuf-c libprotobuf-c-dev)
ctrace_require_module(ZLIB zlib zlib1g-dev)
ctrace_require_module(LIBDW libdw libdw-dev)
ctrace_require_module(LIBUNWIND libunwind libunwind-dev)
ctrace_require_module(CMOCKA cmocka libcmocka-dev)

ctrace_require_program(CTRACE_LTTNG lttng lttng-tools)
ctrace_require_program(CTRACE_LTTNG_SESSIOND lttng-sessiond lttng-tools)
ctrace_require_program(CTRACE_BABELTRACE2 babeltrace2 babeltrace2)
ctrace_require_program(CTRACE_PROTOC_C protoc-c protobuf-c-compiler)

find_file(CTRACE_PROFILE_PROTO profile.proto
  PATHS /usr/share/gocode/src/github.com/google/pprof/proto NO_DEFAULT_PATH)
if(NOT CTRACE_PROFILE_PROTO)
  message(FATAL_ERROR "ctrace needs pprof's profile.proto: apt-get install golang-github-google-pprof-dev (or run scripts/install-deps.sh)")
endif()

find_file(CTRACE_FONT DejaVuSans.ttf PATHS /usr/share/fonts/truetype/dejavu NO_DEFAULT_PATH)
if(NOT CTRACE_FONT)
  message(FATAL_ERROR "ctrace needs the DejaVu Sans font: apt-get install fonts-dejavu-core (or run scripts/install-deps.sh)")
endif()
