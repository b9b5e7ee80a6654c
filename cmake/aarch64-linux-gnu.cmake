# aarch64-linux-gnu.cmake — cross-build contend for Linux arm64 on a Debian
# (or Ubuntu) x86-64 host, with Debian's cross compiler and the arm64
# multiarch libraries installed under / (scripts/test-arm64.sh installs them):
#
#   dpkg --add-architecture arm64 && apt-get update
#   apt-get install gcc-aarch64-linux-gnu qemu-user-static libhwloc-dev:arm64 \
#       libmimalloc-dev:arm64 libgoogle-perftools-dev:arm64 libjemalloc2:arm64
#   cmake -S . -B build-arm64 -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake
#   cmake --build build-arm64 && (cd build-arm64 && ctest)
#
# (libjemalloc-dev is not multiarch: its arm64 package would remove the
# native one. Nothing links an allocator, so the runtime library is enough.)
#
# Headers and libraries come from the multiarch tree (/usr/include,
# /usr/lib/aarch64-linux-gnu), not from a sysroot, so the allocator paths
# that CMakeLists.txt bakes in are the ones an arm64 machine has.
#
# Tests run under qemu-user through CMAKE_CROSSCOMPILING_EMULATOR, with
# qemu's default library prefix (/), i.e. the multiarch libc6:arm64 and its
# /lib/ld-linux-aarch64.so.1. Never pass `-L /usr/aarch64-linux-gnu` (the
# cross toolchain's libc): threaded programs were seen to hang with it.
# contend re-executes itself per allocator and the CLI tests start it from
# bash, so the kernel must also run arm64 ELF files itself: a binfmt_misc
# entry for qemu-aarch64 (scripts/test-arm64.sh registers it).

set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)

set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)

# pkg-config must read the arm64 .pc files only: with the host's, hwloc and
# the allocators would resolve to /usr/lib/x86_64-linux-gnu.
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "")

# Programs (pkg-config, the emulator) are the host's; libraries, headers
# and CMake packages are searched in the multiarch tree under /.
set(CMAKE_FIND_ROOT_PATH /)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# The static qemu: LD_PRELOAD of arm64 libraries cannot disturb it (a
# dynamic x86-64 qemu would have the host ld.so complain about them).
if(EXISTS /usr/bin/qemu-aarch64-static)
  set(CMAKE_CROSSCOMPILING_EMULATOR /usr/bin/qemu-aarch64-static)
else()
  set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64)
endif()
