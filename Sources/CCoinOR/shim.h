// COIN-OR CBC (MIP) and CLP (LP) C interfaces from Debian's coinor-libcbc-dev.
// The module map links libCbcSolver ahead of anything Clp: libClpSolver exports
// clashing CbcOrClpParam symbols and must never be linked (see notes/swift-toolchain.md).
#include <coin/Cbc_C_Interface.h>
#include <coin/Clp_C_Interface.h>
