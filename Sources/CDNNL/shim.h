// The oneDNN 2.x C API for Swift: the public header, the debug header (status and format names),
// and the one pointer-valued macro Swift cannot import. Integer macros (DNNL_ARG_*,
// DNNL_MAX_NDIMS, DNNL_RUNTIME_*) import as constants and need no wrapper.
#ifndef VIDACT_CDNNL_SHIM_H
#define VIDACT_CDNNL_SHIM_H

#include <oneapi/dnnl/dnnl.h>
#include <oneapi/dnnl/dnnl_debug.h>

/// DNNL_MEMORY_ALLOCATE: asks dnnl_memory_create to allocate (and own) the buffer.
static inline void *vidact_dnnl_memory_allocate(void) { return DNNL_MEMORY_ALLOCATE; }

#endif
