// Memory hints for large buffers the JavaScript side allocates.
#pragma once

#include <cstddef>
#include <cstdint>

namespace tgmt {

// Has the OS back the whole pages of [data, data + length) with memory now,
// in one call (Linux madvise MADV_POPULATE_WRITE, 5.14 and later), instead
// of one page fault per page as they are first written. Returns the bytes
// covered: 0 where the OS cannot (another OS, an older kernel) or the range
// holds no whole page.
size_t prefault(uint8_t* data, size_t length);

}  // namespace tgmt
