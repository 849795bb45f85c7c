// The kernels are `static inline` in include/scan_kernels.h; this file only gives
// the target a translation unit (and compiles the header once on its own).
#include "scan_kernels.h"
