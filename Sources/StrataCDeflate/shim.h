#ifndef STRATA_CDEFLATE_SHIM_H
#define STRATA_CDEFLATE_SHIM_H

// libdeflate: whole-buffer DEFLATE, zlib-stream compatible, about twice zlib's speed at the
// fast levels (snapshot chunks are whole buffers, so zlib's streaming API buys nothing).
#include <libdeflate.h>

#endif
